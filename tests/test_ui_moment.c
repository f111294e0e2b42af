/*
 * Finding the moment and showing the fix: per-pane simulation options in
 * --schemes, scenario notes that follow the run they describe, the moment
 * grammar of --steps / `g` (one event numbering with `pgtviz trace`), and
 * clip plans for --stride / --duration; the window's g (go to) prompt and
 * n / Shift+n driven through the key table as a user types.  Real runs of the gallery's Xen
 * scenario; every expected event number is the one `pgtviz trace
 * xen-live-patient --scheme old|new` prints.
 */
#include "t.h"
#include "scenario_file.h"

#include <stdlib.h>

#include "pgtviz/clip.h"
#include "pgtviz/export.h"
#include "pgtviz/input.h"
#include "pgtviz/moment.h"
#include "pgtviz/picker.h"
#include "pgtviz/session.h"

static pgt_diags null_out; /* messages of refused input (not printed) */

/* Loads xen-live-patient with its notes and runs it with these panes. */
static bool xen_session(pgt_session **s, const char *schemes, const pgt_pane_spec *all)
{
	pgt_scenario sc = {0};
	int i = pgt_builtin_find("xen-live-patient");
	if (i < 0 || !pgt_builtin_load((size_t)i, &sc))
		return false;
	pgt_scenario_add_file_notes(&sc, PGTVIZ_SCENARIO_DIR);
	pgt_pane_args a = {.schemes = schemes};
	if (all)
		a.all = *all;
	*s = pgt_session_start_args(&sc, &a, &null_out);
	return *s != NULL;
}

/* The first event of kind k (and level, if nonzero) of a pane. */
static size_t first_event(const pgt_sim *sim, int kind, int level)
{
	for (size_t i = 0; i < pgt_sim_event_count(sim); i++) {
		pgt_event e = pgt_sim_event(sim, i);
		if (e.kind == kind && (!level || e.level == level))
			return i;
	}
	return SIZE_MAX;
}

/* --schemes NAME@VER:OPT and the global options. */
static void test_pane_options(void)
{
	pgt_pane_spec sp[2];
	int n = 0;
	pgt_pane_args a = {.schemes = "old@2.6.39-rc1:xen-end,old@3.0:xen-top:no-pse"};
	REQUIRE(pgt_parse_panes(&a, NULL, sp, &n, &null_out));
	CHECK(n == 2);
	CHECK_U64(sp[0].kver, PGT_KVER_RC(2, 6, 39, 1));
	CHECK(sp[0].xen_rule == PGT_XEN_RULE_END && !sp[0].no_pse);
	CHECK_U64(sp[1].kver, PGT_KVER(3, 0, 0));
	CHECK(sp[1].xen_rule == PGT_XEN_RULE_TOP && sp[1].no_pse);
	char buf[256];
	CHECK_STR(pgt_pane_specs_text(sp, n, buf, sizeof(buf)),
	          "pgtbuf@2.6.39-rc1:xen-end,pgtbuf@3.0:xen-top:no-pse");
	CHECK_STR(pgt_pane_spec_options_text(&sp[1], buf, sizeof(buf)), "xen-top, no-pse");
	/* The global options fill what a pane does not say; rules only pgtbuf. */
	a = (pgt_pane_args){.schemes = "old:xen-end,new",
	                    .all = {.xen_rule = PGT_XEN_RULE_TOP_NOHOOK, .xen = 1, .sizing = 2}};
	REQUIRE(pgt_parse_panes(&a, NULL, sp, &n, &null_out));
	CHECK(sp[0].xen_rule == PGT_XEN_RULE_END && sp[0].sizing == 2 && sp[0].xen == 1);
	CHECK(sp[1].xen_rule == 0 && sp[1].sizing == 0 && sp[1].xen == 1);
	/* Refused: unknown word, an option twice, a rule on top-down, a global
	 * rule no pane takes, a --kernel no pane takes. */
	const char *bad[] = {"old:bogus", "old:xen-end:xen-top", "new:xen-top",
	                     "chunk-end:sizing-b", "old@3.9:xen-top"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = (pgt_pane_args){.schemes = bad[i]};
		CHECK(!pgt_parse_panes(&a, NULL, sp, &n, &null_out));
	}
	a = (pgt_pane_args){.schemes = "new,bottom-up", .all = {.xen_rule = PGT_XEN_RULE_TOP}};
	CHECK(!pgt_parse_panes(&a, NULL, sp, &n, &null_out));
	a = (pgt_pane_args){.schemes = "old", .kver = "3.9"};
	CHECK(!pgt_parse_panes(&a, NULL, sp, &n, &null_out));
	a = (pgt_pane_args){.kver = "3.9"}; /* old,new: the new pane takes it */
	REQUIRE(pgt_parse_panes(&a, NULL, sp, &n, &null_out));
	CHECK(sp[0].kver == 0 && sp[1].kver == PGT_KVER(3, 9, 0));
	/* A scenario of one scheme ("schemes": ["pgtbuf"], the second slot
	 * -1) gets one pane, not the same run twice. */
	pgt_scenario one = {0};
	one.schemes[0] = PGT_SCHEME_PGTBUF;
	one.schemes[1] = -1;
	a = (pgt_pane_args){0};
	REQUIRE(pgt_parse_panes(&a, &one, sp, &n, &null_out));
	CHECK(n == 1 && sp[0].scheme == PGT_SCHEME_PGTBUF);
}

/* The fix side by side: the rule each pane asked for is the rule run, and
 * the notes follow it. */
static void test_fix_side_by_side(void)
{
	pgt_session *s;
	REQUIRE(xen_session(&s, "old@2.6.39-rc1:xen-end,old@2.6.39-rc1:xen-top", NULL));
	CHECK(pgt_sim_xen_rule(s->sims[0]) == PGT_XEN_RULE_END);
	CHECK(pgt_sim_xen_rule(s->sims[1]) == PGT_XEN_RULE_TOP);
	CHECK(pgt_sim_panic(s->sims[0]) != NULL);
	CHECK(pgt_sim_panic(s->sims[1]) == NULL); /* the wider window boots */
	/* The pgt_buf_end note (event 3042) is the END run's only. */
	size_t n0, n1;
	pgt_note_at *a = pgt_note_index(&s->sc, s->sims[0], &n0);
	pgt_note_at *b = pgt_note_index(&s->sc, s->sims[1], &n1);
	REQUIRE(a && n0 == 4);
	CHECK_U64(a[0].event, first_event(s->sims[0], PGT_EV_CALL_BEGIN, 0));
	CHECK_U64(a[1].event, 3042);
	CHECK_U64(a[2].event, 3044);
	CHECK_U64(a[3].event, 3046);
	CHECK_U64(a[3].event, first_event(s->sims[0], PGT_EV_VIOLATION, 0));
	CHECK(n1 == 0 && b == NULL);
	char buf[1200];
	const char *t =
	    pgt_note_text(&s->sc, &s->sc.notes[a[1].note], s->sims[0], buf, sizeof(buf));
	REQUIRE(t);
	CHECK(strncmp(t, "PTE page #1019", 14) == 0); /* the prefix is not shown */
	free(a);
	free(b);
	pgt_session_free(s);

	/* 3.0 (the TOP rule by itself) shows none of the 2.6.39-rc1 notes; the
	 * top-down pane shows only its own part of the call:1 note. */
	REQUIRE(xen_session(&s, "old@3.0,new", NULL));
	a = pgt_note_index(&s->sc, s->sims[0], &n0);
	CHECK(n0 == 0);
	free(a);
	a = pgt_note_index(&s->sc, s->sims[1], &n1);
	REQUIRE(a && n1 == 2);
	t = pgt_note_text(&s->sc, &s->sc.notes[a[0].note], s->sims[1], buf, sizeof(buf));
	REQUIRE(t);
	CHECK(strncmp(t, "the ISA range", 13) == 0);
	CHECK(strstr(t, "pgtbuf") == NULL && strstr(t, "0x7ebfd000") == NULL);
	free(a);
	pgt_session_free(s);

	/* A pane's part after a part for every pane starts its sentence with
	 * a capital (a part alone keeps the author's lowercase). */
	pgt_scenario sc = {0};
	REQUIRE(pgt_builtin_load((size_t)pgt_builtin_find("pc-4g"), &sc));
	s = pgt_session_start(&sc, "old@3.8,new", NULL, NULL);
	REQUIRE(s);
	char at[] = "call:1", both[] = "for both. pgtbuf: the old one. top-down: the new one",
	     parts[] = "pgtbuf: the old one. top-down: the new one";
	pgt_note n = {.at = at, .text = both};
	t = pgt_note_text(&s->sc, &n, s->sims[0], buf, sizeof(buf));
	REQUIRE(t);
	CHECK(strcmp(t, "for both. The old one.") == 0);
	n.text = parts;
	t = pgt_note_text(&s->sc, &n, s->sims[1], buf, sizeof(buf));
	REQUIRE(t);
	CHECK(strcmp(t, "the new one") == 0);
	pgt_session_free(s);
}

/* One numbering: PANE:N is event N as `trace` prints it. */
static void test_moments(void)
{
	pgt_session *s;
	REQUIRE(xen_session(&s, NULL, NULL)); /* pgtbuf 2.6.39-rc1, top-down 3.9 */
	pgt_view_model *m = &s->model;
	size_t g, h, last = m->nsteps - 1;
	char msg[1200];
	REQUIRE(pgt_moment_find(m, "old:3042", SIZE_MAX, &g, msg, sizeof(msg)));
	CHECK_U64(pgt_view_pane_step(m, 0, g), 3042);
	CHECK_U64(g, pgt_view_global_step(m, 0, 3042));
	REQUIRE(pgt_moment_find(m, "left:3042", SIZE_MAX, &h, msg, sizeof(msg)));
	CHECK_U64(h, g);
	REQUIRE(pgt_moment_find(m, "pgtbuf:event:3042", SIZE_MAX, &h, msg, sizeof(msg)));
	CHECK_U64(h, g);
	REQUIRE(pgt_moment_find(m, "3042", SIZE_MAX, &h, msg, sizeof(msg)));
	CHECK_U64(h, 3042); /* without a pane: a step of the timeline */
	REQUIRE(pgt_moment_find(m, "end", SIZE_MAX, &h, msg, sizeof(msg)));
	CHECK_U64(h, last);
	/* Markers: the violation is the old pane's event 3046. */
	REQUIRE(pgt_moment_find(m, "violation", SIZE_MAX, &g, msg, sizeof(msg)));
	CHECK_U64(pgt_view_pane_step(m, 0, g), 3046);
	REQUIRE(pgt_moment_find(m, "old:violation:1", SIZE_MAX, &h, msg, sizeof(msg)));
	CHECK_U64(h, g);
	REQUIRE(pgt_moment_find(m, "new:call:2", SIZE_MAX, &g, msg, sizeof(msg)));
	CHECK_U64(pgt_view_pane_step(m, 1, g), 52);
	REQUIRE(pgt_moment_find(m, "old:note:2", SIZE_MAX, &g, msg, sizeof(msg)));
	CHECK_U64(pgt_view_pane_step(m, 0, g), 3042);
	/* Conditions, searched forward. */
	REQUIRE(pgt_moment_find(m, "old:alloc>=0x7e000000", SIZE_MAX, &g, msg, sizeof(msg)));
	CHECK_U64(pgt_view_pane_step(m, 0, g), 58); /* PTE #25 @0x7ebfd000 */
	REQUIRE(pgt_moment_find(m, "old:alloc>=2G", SIZE_MAX, &h, msg, sizeof(msg)) == false);
	REQUIRE(pgt_moment_find(m, "old:table:pmd", g, &h, msg, sizeof(msg)));
	CHECK_U64(pgt_view_pane_step(m, 0, h), 1528); /* PMD #515, after #2 at event 2 */
	REQUIRE(pgt_moment_find(m, "old:ro", SIZE_MAX, &g, msg, sizeof(msg)));
	CHECK_U64(pgt_view_pane_step(m, 0, g), 47);
	REQUIRE(pgt_moment_find(m, "old:ro", g, &h, msg, sizeof(msg)));
	CHECK(h > g && pgt_view_pane_step(m, 0, h) == 48);
	REQUIRE(pgt_moment_find(m, "full", SIZE_MAX, &g, msg, sizeof(msg)));
	bool is_full = false;
	for (size_t i = 0; i < m->nmarkers; i++)
		is_full |= m->markers[i].step == g && m->markers[i].kind == PGT_MK_FULL;
	CHECK(is_full);
	CHECK(!pgt_moment_find(m, "full", last, &h, msg, sizeof(msg)));
	CHECK(strstr(msg, "none after step") != NULL);
	/* Bad forms say what is wrong and list the forms. */
	CHECK(!pgt_moment_find(m, "foo", SIZE_MAX, &g, msg, sizeof(msg)));
	CHECK(strstr(msg, "'foo' is not a moment") && strstr(msg, "alloc>=ADDR") &&
	      strstr(msg, "PANE:N"));
	CHECK(!pgt_moment_find(m, "old:99999", SIZE_MAX, &g, msg, sizeof(msg)));
	char want[96];
	snprintf(want, sizeof(want), "'old:99999': the pgtbuf pane has events 0..%zu",
	         pgt_sim_event_count(s->sims[0]) - 1);
	CHECK_STR(msg, want);
	CHECK(!pgt_moment_find(m, "event:5", SIZE_MAX, &g, msg, sizeof(msg)));
	CHECK_STR(msg, "'event:5': say which pane, e.g. pgtbuf:5 or top-down:5");
	CHECK(!pgt_moment_find(m, "bottom-up:5", SIZE_MAX, &g, msg, sizeof(msg)));
	CHECK(strstr(msg, "no pane runs bottom-up") != NULL);
	CHECK(!pgt_moment_find(m, "call:0", SIZE_MAX, &g, msg, sizeof(msg)));
	CHECK(!pgt_moment_find(m, "table:p4d", SIZE_MAX, &g, msg, sizeof(msg)));
	CHECK(!pgt_moment_find(m, "alloc>=0xzz", SIZE_MAX, &g, msg, sizeof(msg)));
	/* leading zeros are refused like --fps 010 (reliability pass: '010' was
	 * step 10, 'call:01' call 1); zero itself and hex addresses are not */
	static const char *const zeros[] = {"010",          "00",          "old:0100", "call:01",
	                                    "violation:02", "alloc>=010M", "0..010"};
	for (size_t i = 0; i < sizeof(zeros) / sizeof(zeros[0]); i++) {
		CHECK(!pgt_moment_find(m, zeros[i], SIZE_MAX, &g, msg, sizeof(msg)));
		size_t *zv, zn;
		CHECK(!pgt_moment_steps(m, zeros[i], &zv, &zn, msg, sizeof(msg)));
	}
	CHECK(pgt_moment_find(m, "0", SIZE_MAX, &g, msg, sizeof(msg)) && g == 0);
	CHECK(pgt_moment_find(m, "alloc>=0x0100000", SIZE_MAX, &g, msg, sizeof(msg)) ||
	      strstr(msg, "is not a moment") == NULL);
	/* Lists and ranges. */
	size_t *v, n;
	/* A bad moment in --steps also names the list and range forms. */
	static const char *const bad_specs[] = {"foo", "foo..end", "0..foo", "..foo"};
	for (size_t i = 0; i < sizeof(bad_specs) / sizeof(bad_specs[0]); i++) {
		CHECK(!pgt_moment_steps(m, bad_specs[i], &v, &n, msg, sizeof(msg)));
		CHECK(strstr(msg, "'foo' is not a moment") && strstr(msg, "alloc>=ADDR") &&
		      strstr(msg, "all, markers, notes, and A..B"));
	}
	CHECK(!pgt_moment_steps(m, "old:99999", &v, &n, msg, sizeof(msg)));
	CHECK(strstr(msg, "A..B") == NULL); /* not for a moment that parses */
	REQUIRE(pgt_moment_steps(m, "0..violation", &v, &n, msg, sizeof(msg)));
	REQUIRE(pgt_moment_find(m, "violation", SIZE_MAX, &g, msg, sizeof(msg)));
	CHECK(n == g + 1 && v[0] == 0 && v[n - 1] == g);
	free(v);
	REQUIRE(pgt_moment_steps(m, "old:3042..old:note", &v, &n, msg, sizeof(msg)));
	CHECK_U64(pgt_view_pane_step(m, 0, v[n - 1]), 3044); /* the next note */
	free(v);
	CHECK(!pgt_moment_steps(m, "violation..100", &v, &n, msg, sizeof(msg)));
	CHECK(strstr(msg, "runs backwards") != NULL);
	REQUIRE(pgt_moment_steps(m, "notes", &v, &n, msg, sizeof(msg)));
	CHECK(n == 6); /* 4 of the old pane, 2 of the new one */
	free(v);
	REQUIRE(pgt_moment_steps(m, "markers", &v, &n, msg, sizeof(msg)));
	size_t nm;
	size_t *mk = pgt_moment_marker_steps(m, &nm);
	REQUIRE(mk);
	CHECK(v[0] == 0 && v[n - 1] == last && n >= nm && n <= nm + 2);
	for (size_t i = 1; i < n; i++)
		CHECK(v[i] > v[i - 1]);
	free(mk);
	free(v);
	pgt_session_free(s);
}

/* Whether a frame of the session at global step g has a text item
 * containing needle. */
static bool frame_says(pgt_session *s, size_t g, const char *needle)
{
	pgt_theme th;
	if (!pgt_theme_load(&th, "dark", NULL))
		return false;
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.step = g;
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	pgt_view_params p = {1920, 1080, &th, NULL, NULL, false, NULL, &s->cache, NULL, 0};
	pgt_view_build(&dl, &lay, &s->model, &vs, &p);
	bool found = false;
	for (size_t i = 0; i < dl.n && !found; i++)
		found = dl.cmds[i].kind == PGT_DL_TEXT &&
		        strstr(pgt_dl_text(&dl, &dl.cmds[i]), needle) != NULL;
	pgt_dl_free(&dl);
	return found;
}

/* Notes stay on screen until the pane's next note, are timeline markers
 * with their own keys (. and ,), and a pane heading names the Xen rule
 * it runs. */
static void test_notes_stay(void)
{
	pgt_session *s;
	REQUIRE(xen_session(&s, NULL, NULL)); /* pgtbuf 2.6.39-rc1, top-down 3.9 */
	pgt_view_model *m = &s->model;
	char buf[1200];
	size_t since = 0;
	const char *t = pgt_note_current(m, 0, 3043, &since, buf, sizeof(buf));
	REQUIRE(t);
	CHECK(strncmp(t, "PTE page #1019", 14) == 0 && since == 3042);
	t = pgt_note_current(m, 0, 3044, &since, buf, sizeof(buf));
	REQUIRE(t);
	CHECK(since == 3044 && strncmp(t, "PTE page #1019", 14) != 0);
	size_t call1 = first_event(s->sims[0], PGT_EV_CALL_BEGIN, 0);
	REQUIRE(call1 > 0 && call1 != SIZE_MAX);
	CHECK(pgt_note_current(m, 0, call1 - 1, &since, buf, sizeof(buf)) == NULL);
	/* The violation's note has a short wording (the file's "short", for
	 * small canvases), with its prefix applied; the note of 3042 none. */
	char brief[1200];
	REQUIRE(m->pane[0].nviol > 0);
	size_t viol = m->pane[0].viol[0];
	t = pgt_note_current(m, 0, viol, NULL, buf, sizeof(buf));
	const char *sh = pgt_note_current_short(m, 0, viol, brief, sizeof(brief));
	REQUIRE(t && sh);
	CHECK(strlen(sh) < strlen(t) && strncmp(sh, "make_lowmem_page_readonly", 25) == 0);
	CHECK(pgt_note_current_short(m, 0, 3043, brief, sizeof(brief)) == NULL);
	/* Drawn: the note of event 3042 at its event (in the caption's place:
	 * both do not fit); at 3043 it stays but gives way to the caption at
	 * 1920x1080 (docs/window.md), and it is gone at 3044.  The right
	 * pane's first note stays on from its event, with the caption. */
	size_t g42 = pgt_view_global_step(m, 0, 3042), g43 = pgt_view_global_step(m, 0, 3043);
	CHECK(frame_says(s, g42, "PTE page #1019"));
	CHECK(!frame_says(s, g43, "PTE page #1019") && frame_says(s, g43, "pmd_populate_kernel"));
	CHECK(!frame_says(s, pgt_view_global_step(m, 0, 3044), "PTE page #1019"));
	size_t k1 = 0; /* the right pane's latest note at or before g43 */
	while (k1 + 1 < m->pane[1].nnotes &&
	       pgt_view_global_step(m, 1, m->pane[1].notes[k1 + 1].event) <= g43)
		k1++;
	REQUIRE(m->pane[1].nnotes > 0);
	size_t r0 = pgt_view_global_step(m, 1, m->pane[1].notes[k1].event);
	t = pgt_note_current(m, 1, m->pane[1].notes[k1].event, NULL, buf, sizeof(buf));
	REQUIRE(t && strlen(t) > 30 && r0 > 0 && r0 < g43);
	char head[31];
	memcpy(head, t, 30);
	head[30] = '\0';
	CHECK(!frame_says(s, r0 - 1, head));
	CHECK(frame_says(s, r0, head));
	CHECK(frame_says(s, g43, head));
	/* Note markers: 4 in the old pane, 2 in the new one, at their events. */
	size_t nn[2] = {0, 0}, g3042 = pgt_view_global_step(m, 0, 3042);
	bool at3042 = false;
	for (size_t i = 0; i < m->nmarkers; i++)
		if (m->markers[i].kind == PGT_MK_NOTE) {
			nn[m->markers[i].pane]++;
			at3042 |= m->markers[i].pane == 0 && m->markers[i].step == g3042;
		}
	CHECK(nn[0] == 4 && nn[1] == 2 && at3042);
	/* `.` visits exactly the note steps, in order; `,` goes back. */
	size_t *v, n;
	REQUIRE(pgt_moment_steps(m, "notes", &v, &n, buf, sizeof(buf)));
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	pgt_input_event dot = {.type = PGT_IN_KEY, .key = PGT_KEY_PERIOD};
	pgt_input_event comma = {.type = PGT_IN_KEY, .key = PGT_KEY_COMMA};
	for (size_t i = 0; i < n; i++) {
		pgt_input_handle(&vs, m, NULL, &dot);
		CHECK_U64(vs.step, v[i]);
	}
	pgt_input_handle(&vs, m, NULL, &dot); /* none after the last: stays */
	CHECK_U64(vs.step, v[n - 1]);
	CHECK(strstr(vs.status, "no scenario note after") != NULL);
	pgt_input_handle(&vs, m, NULL, &comma);
	CHECK_U64(vs.step, v[n - 2]);
	/* `note` searches the note markers, like the key. */
	size_t g;
	REQUIRE(pgt_moment_find(m, "note", v[0], &g, buf, sizeof(buf)));
	CHECK_U64(g, v[1]);
	free(v);
	/* The heading names the rule the pane runs: its version's own, or
	 * another one. */
	CHECK(frame_says(s, 0, "2.6.39-rc1 · Xen RO to pgt_buf_end"));
	CHECK(!frame_says(s, 0, "Xen RO to pgt_buf_top"));
	pgt_session_free(s);
	REQUIRE(xen_session(&s, "old@2.6.39-rc1:xen-top,new", NULL));
	CHECK(frame_says(s, 0, "2.6.39-rc1 · Xen RO to pgt_buf_top + "));
	CHECK(!frame_says(s, 0, "Xen RO to pgt_buf_end"));
	pgt_session_free(s);
}

/* ---- g (go to) and n / Shift+n in the window and the page ---------------- */

static pgt_request press(pgt_viewstate *vs, const pgt_view_model *m, int key, bool shift)
{
	pgt_input_event ev = {.type = PGT_IN_KEY, .key = key, .shift = shift};
	return pgt_input_handle(vs, m, NULL, &ev);
}

/* Types s as text events, one character each (as SDL and the page send). */
static void type_text(pgt_viewstate *vs, const pgt_view_model *m, const char *s)
{
	for (; *s; s++) {
		pgt_input_event ev = {.type = PGT_IN_TEXT};
		ev.text[0] = *s;
		pgt_input_handle(vs, m, NULL, &ev);
	}
}

/* g, the text, Enter. */
static void go(pgt_viewstate *vs, const pgt_view_model *m, const char *s)
{
	press(vs, m, PGT_KEY_G, false);
	type_text(vs, m, s);
	press(vs, m, PGT_KEY_ENTER, false);
}

/* The first global step after `after` at which either pane shows an event
 * that is a read-only change (ro = true) or a table page of `level`,
 * scanned here from the events (SIZE_MAX: none). */
static size_t scan_next(const pgt_view_model *m, size_t after, bool ro, int level)
{
	size_t best = SIZE_MAX;
	for (int p = 0; p < m->npanes; p++) {
		const pgt_pane_model *pm = &m->pane[p];
		for (size_t e = pgt_view_pane_step(m, p, after) + 1; e < pm->nev; e++) {
			pgt_event ev = pgt_sim_event(pm->sim, e);
			bool hit = ro ? ev.kind == PGT_EV_MARK_RO || ev.kind == PGT_EV_MARK_RW
			              : ev.kind == PGT_EV_ALLOC && ev.level == level;
			if (hit) {
				size_t g = pgt_view_global_step(m, p, e);
				best = g < best ? g : best;
				break;
			}
		}
	}
	return best;
}

static void test_goto_xen(void)
{
	pgt_session *s;
	REQUIRE(xen_session(&s, NULL, NULL)); /* pgtbuf 2.6.39-rc1, top-down 3.9 */
	const pgt_view_model *m = &s->model;
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	/* The prompt takes the keys: they neither step nor zoom; Escape
	 * cancels it and nothing moved. */
	press(&vs, m, PGT_KEY_G, false);
	CHECK(vs.show_goto && !vs.show_glossary);
	press(&vs, m, PGT_KEY_RIGHT, false);
	press(&vs, m, PGT_KEY_ZERO, false);
	press(&vs, m, PGT_KEY_N, false);
	type_text(&vs, m, "12");
	CHECK_STR(vs.goto_text, "12");
	press(&vs, m, PGT_KEY_BACKSPACE, false);
	CHECK_STR(vs.goto_text, "1");
	CHECK_U64(vs.step, 0);
	CHECK(!vs.playing);
	press(&vs, m, PGT_KEY_ESCAPE, false);
	CHECK(!vs.show_goto);
	CHECK_U64(vs.step, 0);
	/* A plain number is a step; PANE:N an event as trace numbers it. */
	go(&vs, m, "120");
	CHECK(!vs.show_goto);
	CHECK_U64(vs.step, 120);
	go(&vs, m, "old:3042");
	CHECK_U64(pgt_view_pane_step(m, 0, vs.step), 3042);
	CHECK_U64(vs.step, pgt_view_global_step(m, 0, 3042));
	/* violation names one step wherever it is (here: behind us too). */
	go(&vs, m, "end");
	go(&vs, m, " violation ");
	CHECK_U64(pgt_view_pane_step(m, 0, vs.step), 3046);
	/* table:2 (= table:pmd) searches from the current step. */
	go(&vs, m, "120");
	size_t want = scan_next(m, 120, false, PGT_PMD);
	REQUIRE(want != SIZE_MAX);
	go(&vs, m, "table:2");
	CHECK_U64(vs.step, want);
	/* A bad form keeps the prompt open with the reason; the step stays. */
	size_t here = vs.step;
	go(&vs, m, "bogus");
	CHECK(vs.show_goto);
	CHECK(strncmp(vs.goto_err, "'bogus' is not a moment", 23) == 0);
	CHECK(strstr(vs.goto_err, "forms are listed") != NULL);
	CHECK_U64(vs.step, here);
	type_text(&vs, m, "x"); /* typing clears the reason */
	CHECK(vs.goto_err[0] == '\0');
	press(&vs, m, PGT_KEY_ESCAPE, false);
	/* No table at or above 4 GiB in a 2 GiB guest: said, not gone. */
	go(&vs, m, "alloc>=0x100000000");
	CHECK(vs.show_goto && strstr(vs.goto_err, "none after step") != NULL);
	CHECK_U64(vs.step, here);
	press(&vs, m, PGT_KEY_ESCAPE, false);
	/* ro, then n / Shift+n step read-only change by change. */
	go(&vs, m, "0");
	size_t r1 = scan_next(m, 0, true, 0);
	REQUIRE(r1 != SIZE_MAX);
	size_t r2 = scan_next(m, r1, true, 0), r3 = scan_next(m, r2, true, 0);
	REQUIRE(r2 != SIZE_MAX && r3 != SIZE_MAX);
	go(&vs, m, "ro");
	CHECK_U64(vs.step, r1);
	CHECK_STR(vs.goto_last, "ro");
	press(&vs, m, PGT_KEY_N, false);
	CHECK_U64(vs.step, r2);
	press(&vs, m, PGT_KEY_N, false);
	CHECK_U64(vs.step, r3);
	press(&vs, m, PGT_KEY_N, true);
	CHECK_U64(vs.step, r2);
	CHECK(!vs.playing);
	/* A form that names a step is not repeated: n keeps the last search. */
	go(&vs, m, "old:3042");
	press(&vs, m, PGT_KEY_N, false);
	CHECK_U64(vs.step, scan_next(m, pgt_view_global_step(m, 0, 3042), true, 0));
	/* Shift+g is the glossary. */
	press(&vs, m, PGT_KEY_G, true);
	CHECK(vs.show_glossary && !vs.show_goto);
	pgt_session_free(s);
}

/* Plays until it stops by itself (dt: seconds per tick); the ticks taken. */
static size_t play_until_paused(pgt_viewstate *vs, const pgt_view_model *m, double dt)
{
	size_t ticks = 0;
	while (vs->playing && ticks < 1000000) {
		pgt_input_tick(vs, m, dt);
		ticks++;
	}
	return ticks;
}

/* Playing breaks (pauses) at the next match of the last searching g form,
 * however far one tick goes; Space plays on to the match after; "g off"
 * clears the condition. */
static void test_goto_break(void)
{
	pgt_session *s;
	REQUIRE(xen_session(&s, NULL, NULL)); /* pgtbuf 2.6.39-rc1, top-down 3.9 */
	const pgt_view_model *m = &s->model;
	size_t r1 = scan_next(m, 0, true, 0);
	REQUIRE(r1 != SIZE_MAX);
	size_t r2 = scan_next(m, r1, true, 0);
	REQUIRE(r2 != SIZE_MAX);
	size_t r3 = scan_next(m, r2, true, 0);
	REQUIRE(r3 != SIZE_MAX);
	size_t viol = SIZE_MAX; /* the first violation marker */
	for (size_t k = 0; k < m->nmarkers && viol == SIZE_MAX; k++)
		if (m->markers[k].kind == PGT_MK_VIOLATION)
			viol = m->markers[k].step;
	REQUIRE(viol != SIZE_MAX && viol > r3);
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	go(&vs, m, "ro");
	CHECK_U64(vs.step, r1);
	/* One tick that would jump far past two matches stops at the first. */
	press(&vs, m, PGT_KEY_SPACE, false);
	CHECK(vs.playing);
	CHECK(strstr(vs.status, "breaks at the next 'ro'") != NULL);
	pgt_input_tick(&vs, m, (double)(m->nsteps + 10) / vs.speed);
	CHECK(!vs.playing);
	CHECK_U64(vs.step, r2);
	CHECK(strstr(vs.status, "break: the next 'ro'") != NULL);
	/* Step by step (one step per tick) it stops there too. */
	press(&vs, m, PGT_KEY_SPACE, false);
	size_t ticks = play_until_paused(&vs, m, 1.0 / vs.speed);
	CHECK_U64(vs.step, r3);
	CHECK_U64(ticks, r3 - r2);
	/* A pane's condition: table:pte of the new pane only. */
	go(&vs, m, "0");
	go(&vs, m, "new:table:pte");
	size_t p1 = vs.step, p2 = SIZE_MAX;
	const pgt_pane_model *nw = &m->pane[1];
	for (size_t e = pgt_view_pane_step(m, 1, p1) + 1; e < nw->nev && p2 == SIZE_MAX; e++) {
		pgt_event ev = pgt_sim_event(nw->sim, e);
		if (ev.kind == PGT_EV_ALLOC && ev.level == PGT_PTE)
			p2 = pgt_view_global_step(m, 1, e);
	}
	size_t v2 = m->nsteps - 1; /* playing also stops at a violation, or the end */
	for (size_t k = 0; k < m->nmarkers; k++)
		if (m->markers[k].kind == PGT_MK_VIOLATION && m->markers[k].step > p1) {
			v2 = m->markers[k].step;
			break;
		}
	press(&vs, m, PGT_KEY_SPACE, false);
	play_until_paused(&vs, m, 7.0 / vs.speed);
	CHECK_U64(vs.step, (p2 < v2 ? p2 : v2));
	CHECK(p1 < p2 && p2 != SIZE_MAX);
	/* A form that names one step is no condition: the last search stays. */
	go(&vs, m, "0");
	CHECK_STR(vs.goto_last, "new:table:pte");
	/* g off: playing runs on to the violation (where it always stops). */
	go(&vs, m, "off");
	CHECK(!vs.show_goto && vs.goto_last[0] == '\0');
	press(&vs, m, PGT_KEY_SPACE, false);
	play_until_paused(&vs, m, 1000.0 / vs.speed);
	CHECK_U64(vs.step, viol);
	/* Without a condition n runs to the next marker again. */
	press(&vs, m, PGT_KEY_N, false);
	CHECK(vs.run_to_marker && vs.playing);
	pgt_session_free(s);
}

/* The mail's example: full, table:pte and n from the current step. */
static void test_goto_mail(void)
{
	pgt_scenario sc;
	REQUIRE(t_load_scenario("mail-0-1g-4k", &sc, false));
	pgt_pane_args a = {0};
	pgt_session *s = pgt_session_start_args(&sc, &a, &null_out);
	REQUIRE(s);
	const pgt_view_model *m = &s->model;
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	size_t want = SIZE_MAX; /* the first buffer-full marker */
	for (size_t k = 0; k < m->nmarkers && want == SIZE_MAX; k++)
		if (m->markers[k].kind == PGT_MK_FULL)
			want = m->markers[k].step;
	go(&vs, m, "full");
	if (want == SIZE_MAX)
		CHECK(vs.show_goto && strstr(vs.goto_err, "none after") != NULL);
	else
		CHECK_U64(vs.step, want);
	press(&vs, m, PGT_KEY_ESCAPE, false);
	go(&vs, m, "0");
	size_t p1 = scan_next(m, 0, false, PGT_PTE);
	REQUIRE(p1 != SIZE_MAX);
	size_t p2 = scan_next(m, p1, false, PGT_PTE);
	REQUIRE(p2 != SIZE_MAX);
	go(&vs, m, "table:pte");
	CHECK_U64(vs.step, p1);
	press(&vs, m, PGT_KEY_N, false);
	CHECK_U64(vs.step, p2);
	press(&vs, m, PGT_KEY_N, true);
	CHECK_U64(vs.step, p1);
	press(&vs, m, PGT_KEY_N, true); /* none before the first: stays, says so */
	CHECK_U64(vs.step, p1);
	CHECK(strstr(vs.status, "none before step") != NULL);
	pgt_session_free(s);
}

/* Clip plans: strides keep marks and the last step; durations are exact. */
static void test_clip_plan(void)
{
	size_t sel[1000], marks[] = {100, 503, 2000};
	for (size_t i = 0; i < 1000; i++)
		sel[i] = i;
	pgt_clip c;
	char msg[300];
	pgt_clip_opts o = {.fps = 5, .hold = 1, .stride = 10};
	REQUIRE(pgt_clip_plan(sel, 1000, marks, 3, &o, &c, msg, sizeof(msg)));
	CHECK_U64(c.n, 100 + 2);                /* every 10th, 503 and 999 */
	CHECK_U64(c.total_frames, 102 + 3 * 5); /* 100, 503, 999 held 1 s */
	CHECK(c.steps[50] == 500 && c.steps[51] == 503 && c.steps[101] == 999);
	CHECK(c.held[10] && c.held[51] && c.held[101] && !c.held[0]);
	pgt_clip_free(&c);
	/* 30 s at 5 fps is 150 frames, whatever the range. */
	o = (pgt_clip_opts){.fps = 5, .hold = 1, .duration = 30};
	REQUIRE(pgt_clip_plan(sel, 1000, marks, 3, &o, &c, msg, sizeof(msg)));
	CHECK_U64(c.total_frames, 150);
	CHECK(c.stride > 1 && c.steps[c.n - 1] == 999);
	bool has100 = false, has503 = false;
	for (size_t i = 0; i < c.n; i++) {
		has100 |= c.steps[i] == 100 && c.held[i] && c.frames[i] >= 5;
		has503 |= c.steps[i] == 503 && c.held[i];
	}
	CHECK(has100 && has503);
	pgt_clip_free(&c);
	/* A short range is slowed down to fill the time. */
	REQUIRE(pgt_clip_plan(sel, 10, NULL, 0, &o, &c, msg, sizeof(msg)));
	CHECK(c.n == 10 && c.total_frames == 150 && c.frames[0] >= 10);
	pgt_clip_free(&c);
	/* 30 fps, 12.5 s: 375 frames. */
	o.fps = 30;
	o.duration = 12.5;
	REQUIRE(pgt_clip_plan(sel, 1000, marks, 3, &o, &c, msg, sizeof(msg)));
	CHECK_U64(c.total_frames, 375);
	pgt_clip_free(&c);
	/* A stride that keeps more steps than the duration has frames. */
	o = (pgt_clip_opts){.fps = 5, .hold = 1, .duration = 2, .stride = 1};
	CHECK(!pgt_clip_plan(sel, 1000, marks, 3, &o, &c, msg, sizeof(msg)));
	CHECK(strstr(msg, "fewer than the 1000 steps --stride 1 keeps") != NULL);
	/* The stride that brings 1000 steps under 60 s at 5 fps, holds kept. */
	o = (pgt_clip_opts){.fps = 5, .hold = 1};
	size_t st = pgt_clip_stride_for(sel, 1000, marks, 3, &o, 60);
	CHECK(st > 1);
	o.stride = st;
	REQUIRE(pgt_clip_plan(sel, 1000, marks, 3, &o, &c, msg, sizeof(msg)));
	CHECK(c.total_frames <= 300);
	pgt_clip_free(&c);
	o.stride = st - 1;
	REQUIRE(pgt_clip_plan(sel, 1000, marks, 3, &o, &c, msg, sizeof(msg)));
	CHECK(c.total_frames > 300);
	pgt_clip_free(&c);
}

int main(void)
{
	pgt_diags_init(&null_out, NULL);
	RUN(test_pane_options);
	RUN(test_fix_side_by_side);
	RUN(test_moments);
	RUN(test_notes_stay);
	RUN(test_goto_xen);
	RUN(test_goto_mail);
	RUN(test_goto_break);
	RUN(test_clip_plan);
	pgt_diags_free(&null_out);
	return t_report();
}
