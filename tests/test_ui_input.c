/*
 * The SDL-free command layer: keys and mouse events applied to a view
 * state over a real simulation, checked without a window.
 */
#include "t.h"

#include <stdlib.h>
#include <unistd.h>

#include "pgtviz/export.h"
#include "pgtviz/input.h"

static pgt_session *sess;

static pgt_request key(pgt_viewstate *vs, int k, bool shift)
{
	pgt_input_event ev = {.type = PGT_IN_KEY, .key = k, .shift = shift};
	return pgt_input_handle(vs, &sess->model, NULL, &ev);
}

static void test_stepping(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	size_t last = sess->model.nsteps - 1;
	key(&vs, PGT_KEY_RIGHT, false);
	CHECK_U64(vs.step, 1);
	key(&vs, PGT_KEY_LEFT, false);
	key(&vs, PGT_KEY_LEFT, false);
	CHECK_U64(vs.step, 0); /* clamped */
	key(&vs, PGT_KEY_END, false);
	CHECK_U64(vs.step, last);
	key(&vs, PGT_KEY_RIGHT, false);
	CHECK_U64(vs.step, last);
	key(&vs, PGT_KEY_HOME, false);
	CHECK_U64(vs.step, 0);
}

static void test_markers(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	REQUIRE(sess->model.nmarkers > 1);
	key(&vs, PGT_KEY_PAGEDOWN, false);
	size_t first = vs.step;
	CHECK(first > 0);
	bool is_marker = false;
	for (size_t i = 0; i < sess->model.nmarkers; i++)
		is_marker |= sess->model.markers[i].step == first;
	CHECK(is_marker);
	key(&vs, PGT_KEY_RIGHT, true); /* Shift+Right = next marker */
	CHECK(vs.step > first);
	key(&vs, PGT_KEY_LEFT, true);
	CHECK_U64(vs.step, first);
	key(&vs, PGT_KEY_PAGEUP, false);
	CHECK(vs.step < first);
}

static void test_play(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	key(&vs, PGT_KEY_SPACE, false);
	CHECK(vs.playing);
	double speed = vs.speed;
	key(&vs, PGT_KEY_PLUS, false);
	CHECK(vs.speed > speed);
	key(&vs, PGT_KEY_MINUS, false);
	key(&vs, PGT_KEY_MINUS, false);
	CHECK(vs.speed < speed);
	vs.speed = 10;
	CHECK(pgt_input_tick(&vs, &sess->model, 0.35));
	CHECK_U64(vs.step, 3);
	pgt_input_tick(&vs, &sess->model, 1e6);
	CHECK_U64(vs.step, sess->model.nsteps - 1);
	CHECK(!vs.playing); /* stops at the end */
	key(&vs, PGT_KEY_SPACE, false);
	CHECK(vs.playing);
	CHECK_U64(vs.step, 0); /* replays from the start */
}

static void test_toggles(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	CHECK(key(&vs, PGT_KEY_QUESTION, false).kind == PGT_REQ_NONE);
	CHECK(vs.show_help);
	key(&vs, PGT_KEY_ESCAPE, false);
	CHECK(!vs.show_help);
	CHECK(key(&vs, PGT_KEY_T, false).kind == PGT_REQ_THEME);
	CHECK(key(&vs, PGT_KEY_S, false).kind == PGT_REQ_SAVE);
	CHECK(key(&vs, PGT_KEY_Q, false).kind == PGT_REQ_QUIT);
	CHECK(key(&vs, PGT_KEY_RIGHT, false).kind == PGT_REQ_NONE);
}

/* Mouse: needs a layout, so build one frame (no fonts: estimated text). */
static void test_mouse(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "light", NULL));
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	pgt_view_params p = {1920, 1080, &th, NULL, NULL, true, NULL, NULL, NULL, 0};
	vs.step = sess->model.nsteps - 1;
	pgt_view_build(&dl, &lay, &sess->model, &vs, &p);
	REQUIRE(lay.npanes == 2 && lay.pane[0].nrows > 0);

	/* Click on a table page selects it. */
	const pgt_pane_model *pm = &sess->model.pane[0];
	const pgt_table *tab = pgt_sim_tables(pm->sim);
	uint32_t want = UINT32_MAX;
	for (size_t i = 0; i < pm->ntab; i++)
		if (tab[i].origin == PGT_ORIGIN_PGTBUF)
			want = (uint32_t)i;
	REQUIRE(want != UINT32_MAX);
	const pgt_strip_row *row = NULL;
	for (int i = 0; i < lay.pane[0].nrows; i++) {
		const pgt_strip_row *r = &lay.pane[0].rows[i];
		if (!r->gap && tab[want].pa >= r->lo && tab[want].pa < r->lo + r->span)
			row = r;
	}
	REQUIRE(row != NULL);
	int x = row->x + (int)((double)(tab[want].pa - row->lo) * row->w / (double)row->span);
	if (x > row->x + row->w - lay.marker_w)
		x = row->x + row->w - lay.marker_w;
	x += lay.marker_w / 2;
	int y = row->y + row->h * 2 / 3;
	pgt_input_event down = {.type = PGT_IN_DOWN, .x = x, .y = y};
	pgt_input_event up = {.type = PGT_IN_UP, .x = x, .y = y};
	pgt_input_handle(&vs, &sess->model, &lay, &down);
	pgt_input_handle(&vs, &sess->model, &lay, &up);
	CHECK(vs.sel_pane == 0);
	CHECK(vs.sel_table != UINT32_MAX);
	if (vs.sel_table != UINT32_MAX)
		CHECK_U64(tab[vs.sel_table].pa >> 21, tab[want].pa >> 21);

	/* Wheel zooms in around the pointer, 0 resets. */
	pgt_input_event wh = {.type = PGT_IN_WHEEL, .x = x, .y = y, .wheel = 3};
	pgt_input_handle(&vs, &sess->model, &lay, &wh);
	CHECK(vs.pane[0].len > 0 && vs.pane[0].len < sess->model.addr_top);
	CHECK(vs.pane[0].lo <= tab[want].pa && tab[want].pa <= vs.pane[0].lo + vs.pane[0].len);
	CHECK(vs.pane[1].len == vs.pane[0].len);
	/* Drag pans (zoomed). */
	pgt_view_build(&dl, &lay, &sess->model, &vs, &p);
	uint64_t lo = vs.pane[0].lo;
	pgt_input_event d0 = {.type = PGT_IN_DOWN, .x = x, .y = y};
	pgt_input_event mv = {.type = PGT_IN_MOTION, .x = x - 200, .y = y};
	pgt_input_event d1 = {.type = PGT_IN_UP, .x = x - 200, .y = y};
	pgt_input_handle(&vs, &sess->model, &lay, &d0);
	pgt_input_handle(&vs, &sess->model, &lay, &mv);
	pgt_input_handle(&vs, &sess->model, &lay, &d1);
	CHECK(vs.pane[0].lo > lo);
	CHECK(vs.sel_table != UINT32_MAX); /* a drag is not a click */
	key(&vs, PGT_KEY_ZERO, false);
	CHECK(vs.pane[0].len == 0);

	/* Clicking the timeline seeks. */
	pgt_input_event t0 = {.type = PGT_IN_DOWN, .x = lay.tl_x + 1, .y = lay.tl_y + lay.tl_h / 2};
	pgt_input_handle(&vs, &sess->model, &lay, &t0);
	pgt_input_event t1 = t0;
	t1.type = PGT_IN_UP;
	pgt_input_handle(&vs, &sess->model, &lay, &t1);
	CHECK_U64(vs.step, 0);
	pgt_dl_free(&dl);
}

/* Lockstep by progress: one pane advances per global step, every event of
 * each pane is visited in order, and the panes never drift further apart
 * in mapping progress than one event's worth. */
static void test_lockstep(void)
{
	const pgt_view_model *m = &sess->model;
	size_t na = m->pane[0].nev, nb = m->pane[1].nev;
	REQUIRE(m->npanes == 2 && na > 1 && nb > 1);
	CHECK_U64(m->nsteps, na + nb - 1);
	CHECK_U64(pgt_view_pane_step(m, 0, 0), 0);
	CHECK_U64(pgt_view_pane_step(m, 1, 0), 0);
	CHECK_U64(pgt_view_pane_step(m, 0, m->nsteps - 1), na - 1);
	CHECK_U64(pgt_view_pane_step(m, 1, m->nsteps - 1), nb - 1);
	double maxjump[2] = {0, 0};
	for (int p = 0; p < 2; p++)
		for (size_t i = 1; i < m->pane[p].nev; i++) {
			double d = pgt_view_progress(m, p, i) - pgt_view_progress(m, p, i - 1);
			CHECK(d >= 0); /* progress never goes back */
			if (d > maxjump[p])
				maxjump[p] = d;
		}
	double bound = maxjump[0] > maxjump[1] ? maxjump[0] : maxjump[1];
	int bad_adv = 0, bad_drift = 0, bad_back = 0;
	for (size_t g = 1; g < m->nsteps; g++) {
		size_t a0 = pgt_view_pane_step(m, 0, g - 1), a1 = pgt_view_pane_step(m, 0, g);
		size_t b0 = pgt_view_pane_step(m, 1, g - 1), b1 = pgt_view_pane_step(m, 1, g);
		bad_adv += (a1 - a0) + (b1 - b0) != 1;
		double d = pgt_view_progress(m, 0, a1) - pgt_view_progress(m, 1, b1);
		bad_drift += d > bound + 1e-9 || -d > bound + 1e-9;
		bad_back +=
		    pgt_view_global_step(m, 0, a1) > g || pgt_view_global_step(m, 1, b1) > g;
	}
	CHECK(bad_adv == 0);
	CHECK(bad_drift == 0);
	CHECK(bad_back == 0);
	/* The old scheme maps [1 GiB, 2 GiB) in call 1 (its first new bytes);
	 * at that global step the new scheme has mapped something, not nothing. */
	const pgt_event *ev = pgt_sim_events(m->pane[0].sim);
	size_t first_map = 0;
	for (size_t i = 0; i < na; i++)
		if (ev[i].kind == PGT_EV_MAP && pgt_view_progress(m, 0, i) > 0) {
			first_map = i;
			break;
		}
	REQUIRE(first_map > 0);
	size_t g = pgt_view_global_step(m, 0, first_map);
	CHECK(pgt_view_progress(m, 1, pgt_view_pane_step(m, 1, g)) > 0);
	/* Markers carry global steps at which their pane shows the event. */
	for (size_t i = 0; i < m->nmarkers; i++) {
		const pgt_marker *mk = &m->markers[i];
		const pgt_event *e = &pgt_sim_events(
		    m->pane[mk->pane].sim)[pgt_view_pane_step(m, mk->pane, mk->step)];
		CHECK(e->kind == PGT_EV_CALL_BEGIN || e->kind == PGT_EV_BUF_FOUND ||
		      e->kind == PGT_EV_STEP_SIZE || e->kind == PGT_EV_VIOLATION ||
		      e->kind == PGT_EV_PANIC ||
		      (mk->kind == PGT_MK_FULL && e->kind == PGT_EV_ALLOC));
	}
}

/* Tab chooses a pane, [ ] step it alone, l (or an arrow) relocks there. */
static void test_step_alone(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	const pgt_view_model *m = &sess->model;
	vs.step = 20;
	size_t a = pgt_view_pane_at(m, &vs, 0), b = pgt_view_pane_at(m, &vs, 1);
	key(&vs, PGT_KEY_RBRACKET, false);
	key(&vs, PGT_KEY_RBRACKET, false);
	key(&vs, PGT_KEY_RBRACKET, false);
	CHECK(vs.unlocked);
	CHECK_U64(pgt_view_pane_at(m, &vs, 0), a + 3);
	CHECK_U64(pgt_view_pane_at(m, &vs, 1), b);
	key(&vs, PGT_KEY_TAB, false);
	CHECK(vs.focus == 1);
	key(&vs, PGT_KEY_LBRACKET, false);
	CHECK_U64(pgt_view_pane_at(m, &vs, 1), b - 1);
	CHECK_U64(pgt_view_pane_at(m, &vs, 0), a + 3);
	key(&vs, PGT_KEY_L, false);
	CHECK(!vs.unlocked);
	CHECK_U64(pgt_view_pane_at(m, &vs, 1), b - 1);
	CHECK_U64(vs.step, pgt_view_global_step(m, 1, b - 1));
	/* An arrow key also relocks (at the focused pane), then steps. */
	key(&vs, PGT_KEY_TAB, false);
	key(&vs, PGT_KEY_RBRACKET, false);
	size_t a2 = pgt_view_pane_at(m, &vs, 0);
	key(&vs, PGT_KEY_RIGHT, false);
	CHECK(!vs.unlocked);
	CHECK_U64(vs.step, pgt_view_global_step(m, 0, a2) + 1);
}

/* Playback stops on a Xen violation and asks for a flash. */
static void test_violation_stops_play(void)
{
	pgt_scenario sc = {0};
	int i = pgt_builtin_find("xen-live-patient");
	REQUIRE(i >= 0 && pgt_builtin_load((size_t)i, &sc));
	pgt_session *xs = pgt_session_start(&sc, NULL, NULL, NULL);
	REQUIRE(xs);
	size_t first = SIZE_MAX;
	for (size_t k = 0; k < xs->model.nmarkers; k++)
		if (xs->model.markers[k].kind == PGT_MK_VIOLATION) {
			first = xs->model.markers[k].step;
			break;
		}
	REQUIRE(first != SIZE_MAX);
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.playing = true;
	vs.speed = 5000;
	for (int k = 0; k < 100 && vs.playing; k++)
		pgt_input_tick(&vs, &xs->model, 1.0);
	CHECK(!vs.playing);
	CHECK_U64(vs.step, first);
	CHECK(vs.flash > 0);
	const pgt_event *e =
	    &pgt_sim_events(xs->model.pane[0].sim)[pgt_view_pane_step(&xs->model, 0, vs.step)];
	CHECK(e->kind == PGT_EV_VIOLATION);
	pgt_session_free(xs);
}

/* The picker overlay takes Up/Down/Enter while it is open. */
static void test_picker_keys(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.pick_count = 3;
	key(&vs, PGT_KEY_O, false);
	CHECK(vs.show_picker);
	size_t step = vs.step;
	key(&vs, PGT_KEY_DOWN, false);
	key(&vs, PGT_KEY_DOWN, false);
	key(&vs, PGT_KEY_DOWN, false);
	CHECK(vs.pick_index == 2);
	CHECK_U64(vs.step, step); /* the timeline did not move */
	pgt_request rq = key(&vs, PGT_KEY_ENTER, false);
	CHECK(!vs.show_picker);
	CHECK(rq.kind == PGT_REQ_OPEN && rq.row == 2 && rq.path == NULL);
	/* Closed, Enter opens nothing and Down steps again. */
	CHECK(key(&vs, PGT_KEY_ENTER, false).kind == PGT_REQ_NONE);
	key(&vs, PGT_KEY_DOWN, false);
	CHECK_U64(vs.step, step + 1);
	key(&vs, PGT_KEY_G, true); /* Shift+g; g is the go-to prompt */
	CHECK(vs.show_glossary);
	key(&vs, PGT_KEY_ESCAPE, false);
	CHECK(!vs.show_glossary);
}

/* A path typed into the picker: letters go into the path (they neither
 * step nor quit), Backspace erases, Enter asks to open the path. */
static void test_picker_typed_path(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.pick_count = 3;
	key(&vs, PGT_KEY_O, false);
	REQUIRE(vs.show_picker);
	pgt_input_event ev = {.type = PGT_IN_TEXT};
	snprintf(ev.text, sizeof(ev.text), "/tmp/a b.logx");
	CHECK(pgt_input_handle(&vs, &sess->model, NULL, &ev).kind == PGT_REQ_NONE);
	CHECK(key(&vs, PGT_KEY_Q, false).kind == PGT_REQ_NONE); /* typing, not quitting */
	CHECK(key(&vs, PGT_KEY_RIGHT, false).kind == PGT_REQ_NONE);
	CHECK_U64(vs.step, 0);
	key(&vs, PGT_KEY_BACKSPACE, false);
	CHECK_STR(vs.pick_path, "/tmp/a b.log");
	snprintf(ev.text, sizeof(ev.text), "\x01\xc3\xa9"); /* a control character, an e-acute */
	pgt_input_handle(&vs, &sess->model, NULL, &ev);
	CHECK_STR(vs.pick_path, "/tmp/a b.log\xc3\xa9");
	key(&vs, PGT_KEY_BACKSPACE, false); /* the whole e-acute */
	CHECK_STR(vs.pick_path, "/tmp/a b.log");
	pgt_request rq = key(&vs, PGT_KEY_ENTER, false);
	CHECK(!vs.show_picker);
	CHECK(rq.kind == PGT_REQ_OPEN && rq.path == vs.pick_path);
	/* Closed, text is not taken and keys are the viewer's again. */
	pgt_input_handle(&vs, &sess->model, NULL, &ev);
	CHECK_STR(vs.pick_path, "/tmp/a b.log");
	CHECK(key(&vs, PGT_KEY_Q, false).kind == PGT_REQ_QUIT);
	/* Escape closes the picker. */
	key(&vs, PGT_KEY_O, false);
	key(&vs, PGT_KEY_ESCAPE, false);
	CHECK(!vs.show_picker);
}

/* A typed path longer than the picker's line is not cut silently (a cut
 * path opens another file): what does not fit whole is not taken, a
 * multi-byte character is never split, and the status bar says why. */
static void test_picker_long_path(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	key(&vs, PGT_KEY_O, false);
	REQUIRE(vs.show_picker);
	pgt_input_event ev = {.type = PGT_IN_TEXT};
	const size_t room = sizeof(vs.pick_path) - 1;
	snprintf(ev.text, sizeof(ev.text), "/");
	while (strlen(vs.pick_path) + 1 < room) /* up to one byte short */
		pgt_input_handle(&vs, &sess->model, NULL, &ev);
	CHECK_U64(strlen(vs.pick_path), room - 1);
	CHECK(vs.status[0] == '\0');
	snprintf(ev.text, sizeof(ev.text), "\xc3\xa9"); /* two bytes: does not fit */
	pgt_input_handle(&vs, &sess->model, NULL, &ev);
	CHECK_U64(strlen(vs.pick_path), room - 1);
	CHECK(strstr(vs.status, "the path is too long for the picker (at most 1023 bytes)") !=
	      NULL);
	snprintf(ev.text, sizeof(ev.text), "x"); /* one byte: fits */
	vs.status[0] = '\0';
	pgt_input_handle(&vs, &sess->model, NULL, &ev);
	CHECK_U64(strlen(vs.pick_path), room);
	CHECK(vs.status[0] == '\0');
	pgt_input_handle(&vs, &sess->model, NULL, &ev); /* full */
	CHECK_U64(strlen(vs.pick_path), room);
	CHECK(strstr(vs.status, "too long") != NULL);
	/* Enter does not open the cut path; after an edit it does */
	pgt_request rq = key(&vs, PGT_KEY_ENTER, false);
	CHECK(rq.kind == PGT_REQ_NONE);
	CHECK(vs.show_picker);
	CHECK(strstr(vs.status, "not opened: the typed path is longer") != NULL);
	key(&vs, PGT_KEY_BACKSPACE, false);
	rq = key(&vs, PGT_KEY_ENTER, false);
	CHECK(rq.kind == PGT_REQ_OPEN && rq.path == vs.pick_path);
}

/* Text drawn (and written to SVG/HTML) is valid UTF-8: a file name in
 * another encoding or a sequence cut by a byte count becomes '?'. */
static void test_utf8_clean(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"plain.log", "plain.log"},
	    {"caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80",
	     "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80"},
	    {"latin1-caf\xe9.log", "latin1-caf?.log"},
	    {"cut \xe2\x86", "cut ??"},
	    {"\xc0\xaf overlong", "?? overlong"},
	    {"\xed\xa0\x80 surrogate", "??? surrogate"},
	    {"\xf4\x90\x80\x80 past U+10FFFF", "???? past U+10FFFF"},
	    {"\xff\xfe", "??"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char b[64];
		snprintf(b, sizeof(b), "%s", cases[i].in);
		pgt_utf8_clean(b);
		CHECK_STR(b, cases[i].out);
	}
}

/* Tree -> map: clicking a square of the page-table tree selects that
 * table; the next frame frames its page in the memory map and outlines the
 * range it maps (and the tooltip's hit test finds it there too). */
static void test_tree_click(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "dark", NULL));
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	pgt_view_params p = {1920, 1080, &th, NULL, NULL, true, NULL, NULL, NULL, 0};
	vs.step = sess->model.nsteps - 1;
	pgt_view_build(&dl, &lay, &sess->model, &vs, &p);
	for (int pane = 0; pane < 2; pane++) {
		const pgt_pane_layout *pl = &lay.pane[pane];
		REQUIRE(pl->ntree > 0);
		/* A PMD or PTE square: its range is smaller than the whole map. */
		int pick = -1;
		const pgt_table *tab = pgt_sim_tables(sess->model.pane[pane].sim);
		for (int i = 0; i < pl->ntree && pick < 0; i++)
			if (tab[pl->tree[i].table].level == PGT_PMD)
				pick = i;
		REQUIRE(pick >= 0);
		uint32_t want = pl->tree[pick].table;
		int x = pl->tree[pick].x + pl->tree[pick].s / 2,
		    y = pl->tree[pick].y + pl->tree[pick].s / 2;
		pgt_hit h = pgt_view_hit(&sess->model, &lay, &vs, x, y);
		CHECK(h.tree && h.pane == pane && h.table == want);
		pgt_input_event down = {.type = PGT_IN_DOWN, .x = x, .y = y};
		pgt_input_event up = {.type = PGT_IN_UP, .x = x, .y = y};
		pgt_input_handle(&vs, &sess->model, &lay, &down);
		pgt_input_handle(&vs, &sess->model, &lay, &up);
		CHECK(vs.sel_pane == pane);
		CHECK(vs.sel_table == want);
		CHECK(strstr(vs.status, "PMD table page") != NULL);
		/* The next frame: a selection frame on the page in the map, a
		 * highlight frame around what it maps. */
		pgt_view_build(&dl, &lay, &sess->model, &vs, &p);
		const pgt_table *t = &tab[want];
		bool page_framed = false, range_outlined = false;
		for (int r = 0; r < lay.pane[pane].nrows; r++) {
			const pgt_strip_row *row = &lay.pane[pane].rows[r];
			if (row->gap)
				continue;
			bool has_page = t->pa >= row->lo && t->pa < row->lo + row->span;
			int px = has_page ? row->x + (int)((double)(t->pa - row->lo) * row->w /
			                                   (double)row->span)
			                  : 0;
			bool has_range =
			    t->va_base < row->lo + row->span && t->va_base + (1ull << 30) > row->lo;
			for (size_t i = 0; i < dl.n; i++) {
				const pgt_dl_cmd *c = &dl.cmds[i];
				if (c->kind != PGT_DL_FRAME || c->y > row->y ||
				    c->y + c->h < row->y + row->h)
					continue;
				if (has_page && c->color == th.selection && c->x <= px &&
				    c->x + c->w >= px)
					page_framed = true;
				if (has_range && c->color == th.highlight)
					range_outlined = true;
			}
		}
		CHECK(page_framed);
		CHECK(range_outlined);
		/* Escape clears it. */
		key(&vs, PGT_KEY_ESCAPE, false);
		CHECK(vs.sel_pane == -1);
	}
	pgt_dl_free(&dl);
}

/* n plays to the next marker and stops there. */
static void test_run_to_marker(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	const pgt_view_model *m = &sess->model;
	vs.step = 5;
	size_t next = SIZE_MAX;
	for (size_t i = 0; i < m->nmarkers && next == SIZE_MAX; i++)
		if (m->markers[i].step > 5)
			next = m->markers[i].step;
	REQUIRE(next != SIZE_MAX && next > 6);
	key(&vs, PGT_KEY_N, false);
	CHECK(vs.playing);
	vs.speed = 1.0;
	pgt_input_tick(&vs, m, 1.0);
	CHECK_U64(vs.step, 6); /* it plays, one step at a time */
	for (int k = 0; k < 1000 && vs.playing; k++)
		pgt_input_tick(&vs, m, 1.0);
	CHECK(!vs.playing);
	CHECK_U64(vs.step, next);
	/* Space during the run stops it; Space again plays normally past it. */
	key(&vs, PGT_KEY_N, false);
	key(&vs, PGT_KEY_SPACE, false);
	CHECK(!vs.playing);
	key(&vs, PGT_KEY_SPACE, false);
	CHECK(vs.playing && !vs.run_to_marker);
}

/* e exports from the last marker (or the start set with m) to here. */
static void test_export_range(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	const pgt_view_model *m = &sess->model;
	size_t a, b;
	vs.step = m->nsteps / 2;
	size_t before = 0;
	for (size_t i = 0; i < m->nmarkers; i++)
		if (m->markers[i].step < vs.step)
			before = m->markers[i].step;
	pgt_input_export_range(&vs, m, &a, &b);
	CHECK_U64(a, before);
	CHECK_U64(b, vs.step);
	CHECK(key(&vs, PGT_KEY_E, false).kind == PGT_REQ_EXPORT);
	vs.step = 10;
	key(&vs, PGT_KEY_M, false);
	CHECK_U64(vs.range_start, 10);
	vs.step = 40;
	pgt_input_export_range(&vs, m, &a, &b);
	CHECK_U64(a, 10);
	CHECK_U64(b, 40);
	vs.step = 3; /* before the mark: the range turns round */
	pgt_input_export_range(&vs, m, &a, &b);
	CHECK_U64(a, 3);
	CHECK_U64(b, 10);
	vs.step = 10;
	key(&vs, PGT_KEY_M, false); /* m at the mark clears it */
	CHECK(vs.range_start == SIZE_MAX);
	vs.step = 0;
	pgt_input_export_range(&vs, m, &a, &b);
	CHECK_U64(a, 0);
	CHECK_U64(b, 0);
}

/* --schemes A@VER,B@VER and --kernel. */
static void test_pane_specs(void)
{
	pgt_pane_spec sp[2];
	int n;
	pgt_diags dg;
	pgt_diags_init(&dg, NULL);
	REQUIRE(pgt_parse_pane_specs("old@3.0,new@3.19", NULL, NULL, sp, &n, &dg));
	CHECK(n == 2 && sp[0].scheme == PGT_SCHEME_PGTBUF && sp[1].scheme == PGT_SCHEME_TOPDOWN);
	CHECK_U64(sp[0].kver, PGT_KVER(3, 0, 0));
	CHECK_U64(sp[1].kver, PGT_KVER(3, 19, 0));
	REQUIRE(pgt_parse_pane_specs("old,new", "3.0", NULL, sp, &n, &dg));
	CHECK_U64(sp[0].kver, PGT_KVER(3, 0, 0));
	CHECK_U64(sp[1].kver, 0);
	REQUIRE(pgt_parse_pane_specs("old@3.4,old", "3.0", NULL, sp, &n, &dg));
	CHECK_U64(sp[0].kver, PGT_KVER(3, 4, 0)); /* its own version wins */
	CHECK_U64(sp[1].kver, PGT_KVER(3, 0, 0));
	/* A --kernel that no pane takes is refused, not ignored. */
	pgt_diags kd;
	pgt_diags_init(&kd, NULL);
	CHECK(!pgt_parse_pane_specs("old@3.4,new", "3.0", NULL, sp, &n, &kd));
	CHECK(!pgt_parse_pane_specs("old", "3.9", NULL, sp, &n, &kd));
	CHECK(kd.errors == 2);
	pgt_diags_free(&kd);
	REQUIRE(pgt_parse_pane_specs("bottom-up@3.19", NULL, NULL, sp, &n, &dg));
	CHECK(n == 1 && sp[0].scheme == PGT_SCHEME_BOTTOMUP);
	REQUIRE(pgt_parse_pane_specs(NULL, "3.11", NULL, sp, &n, &dg));
	CHECK(n == 2 && sp[0].kver == 0 && sp[1].kver == PGT_KVER(3, 11, 0));
	CHECK(dg.n == 0);
	/* Each refusal is one message of the program's shape. */
	static const char *const bad[] = {"old@3.19", "new@3.8", "bottom-up@3.9", "old@x",
	                                  "old,new,old"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(!pgt_parse_pane_specs(bad[i], NULL, NULL, sp, &n, &dg));
		CHECK(dg.n == i + 1 && dg.errors == i + 1);
	}
	char line[300];
	CHECK_STR(pgt_diags_format(&dg, 4, line, sizeof(line)),
	          "pgtviz: error: --schemes takes at most two schemes");
	pgt_diags_free(&dg);
	/* The session runs what was asked. */
	pgt_scenario sc = {0};
	REQUIRE(pgt_builtin_load((size_t)pgt_builtin_find("pc-4g"), &sc));
	pgt_session *s = pgt_session_start(&sc, "old@2.6.38,new@4.8", NULL, NULL);
	REQUIRE(s);
	CHECK_U64(pgt_sim_kver(s->sims[0]), PGT_KVER(2, 6, 38));
	CHECK_U64(pgt_sim_kver(s->sims[1]), PGT_KVER(4, 8, 0));
	pgt_session_free(s);
}

/* A session lives on the heap: its model points at its own scenario and
 * runs, a viewer adopts a new session by taking the pointer (nothing is
 * rebuilt), and freeing the old one leaves the new one whole (ASan would
 * see a model pointing into freed memory).  A failed start takes the
 * scenario over all the same and returns NULL with a message. */
static void test_session_heap(void)
{
	pgt_scenario sc = {0};
	REQUIRE(pgt_builtin_load((size_t)pgt_builtin_find("pc-4g"), &sc));
	pgt_session *old = pgt_session_start(&sc, "old", NULL, NULL);
	REQUIRE(old);
	CHECK(sc.e820 == NULL && sc.name == NULL); /* taken over */
	CHECK(old->model.sc == &old->sc);
	REQUIRE(pgt_builtin_load((size_t)pgt_builtin_find("pc-4g"), &sc));
	pgt_session *held = pgt_session_start(&sc, "old,new", NULL, NULL);
	REQUIRE(held);
	pgt_session_free(old); /* the viewer adopts `held` */
	CHECK(held->model.sc == &held->sc);
	CHECK(held->model.pane[1].sim == held->sims[1]);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "dark", NULL));
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.step = held->model.nsteps - 1;
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	pgt_view_params p = {1280, 720, &th, NULL, NULL, false, NULL, &held->cache, NULL, 0};
	pgt_view_build(&dl, &lay, &held->model, &vs, &p);
	CHECK(dl.n > 0 && !dl.oom && lay.npanes == 2);
	/* Re-running a pane keeps the session where it is. */
	const pgt_session *at = held;
	CHECK(pgt_session_set_pane(held, 0, (pgt_pane_spec){.scheme = PGT_SCHEME_BOTTOMUP}, NULL));
	CHECK(held == at && held->model.sc == &held->sc &&
	      held->model.pane[0].sim == held->sims[0]);
	pgt_view_build(&dl, &lay, &held->model, &vs, &p);
	CHECK(dl.n > 0 && !dl.oom);
	pgt_dl_free(&dl);
	pgt_session_free(held);
	pgt_session_free(NULL);

	REQUIRE(pgt_builtin_load((size_t)pgt_builtin_find("pc-4g"), &sc));
	pgt_diags dg;
	pgt_diags_init(&dg, NULL);
	CHECK(pgt_session_start(&sc, "no-such-scheme", NULL, &dg) == NULL);
	CHECK(dg.errors == 1);
	CHECK(sc.e820 == NULL && sc.name == NULL); /* cleared, not leaked */
	pgt_diags_free(&dg);
}

/* c / v pick another scheme / version model for the chosen pane; only that
 * pane is re-run and the other pane stays on its event. */
static void test_pane_cycle(void)
{
	size_t n;
	const uint32_t *v = pgt_scheme_versions(PGT_SCHEME_PGTBUF, &n);
	CHECK(n == 8 && v[0] == PGT_KVER(2, 6, 36) && v[n - 1] == PGT_KVER(3, 8, 0));
	CHECK_U64(v[2], PGT_KVER_RC(2, 6, 39, 1)); /* the Xen crash's model */
	CHECK_U64(v[6], PGT_KVER_RC(3, 7, 0, 2));  /* the 3.7-rc sizing panic's */
	v = pgt_scheme_versions(PGT_SCHEME_TOPDOWN, &n);
	CHECK(n == 4 && v[3] == PGT_KVER(4, 8, 0));
	v = pgt_scheme_versions(PGT_SCHEME_BOTTOMUP, &n);
	CHECK(n == 2);
	pgt_scheme_versions(PGT_SCHEME_CHUNKEND, &n);
	CHECK(n == 1);
	uint32_t k;
	pgt_next_version(PGT_SCHEME_PGTBUF, PGT_KVER(3, 8, 0), 1, &k);
	CHECK_U64(k, PGT_KVER(2, 6, 36)); /* wraps */
	pgt_next_version(PGT_SCHEME_PGTBUF, PGT_KVER(3, 2, 0), 1, &k);
	CHECK_U64(k, PGT_KVER(3, 4, 0)); /* unlisted: the next one */
	pgt_next_version(PGT_SCHEME_PGTBUF, PGT_KVER(3, 0, 0), -1, &k);
	CHECK_U64(k, PGT_KVER_RC(2, 6, 39, 1));
	pgt_next_version(PGT_SCHEME_PGTBUF, PGT_KVER_RC(2, 6, 39, 1), -1, &k);
	CHECK_U64(k, PGT_KVER(2, 6, 38));

	pgt_scenario sc = {0};
	REQUIRE(pgt_builtin_load((size_t)pgt_builtin_find("pc-4g"), &sc));
	pgt_session *s = pgt_session_start(&sc, "old,new", NULL, NULL);
	REQUIRE(s);
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.step = 40;
	/* v on the left pane: pgtbuf 3.8 -> 2.6.36 (wraps). */
	pgt_input_event ev = {.type = PGT_IN_KEY, .key = PGT_KEY_V};
	pgt_request rq = pgt_input_handle(&vs, &s->model, NULL, &ev);
	REQUIRE(rq.kind == PGT_REQ_RERUN && rq.pane == 0);
	CHECK(rq.scheme == PGT_SCHEME_PGTBUF);
	CHECK_U64(rq.kver, PGT_KVER(2, 6, 36));
	const pgt_sim *right = s->sims[1];
	size_t right_ev = pgt_view_pane_at(&s->model, &vs, 1);
	REQUIRE(pgt_session_rerun_view(
	    s, &vs, rq.pane, (pgt_pane_spec){.scheme = rq.scheme, .kver = rq.kver}, NULL));
	CHECK(s->sims[1] == right); /* the other pane was not re-run */
	CHECK_U64(pgt_sim_kver(s->sims[0]), PGT_KVER(2, 6, 36));
	CHECK_U64(s->model.nsteps, s->model.pane[0].nev + s->model.pane[1].nev - 1);
	CHECK_U64(pgt_view_pane_at(&s->model, &vs, 1), right_ev); /* it stays on its event */
	CHECK(strstr(vs.status, "left pane now runs") != NULL);
	/* Tab, then c on the right pane: top-down -> bottom-up at 3.13. */
	ev.key = PGT_KEY_TAB;
	CHECK(pgt_input_handle(&vs, &s->model, NULL, &ev).kind == PGT_REQ_NONE);
	ev.key = PGT_KEY_C;
	rq = pgt_input_handle(&vs, &s->model, NULL, &ev);
	REQUIRE(rq.kind == PGT_REQ_RERUN && rq.pane == 1);
	CHECK(rq.scheme == PGT_SCHEME_BOTTOMUP);
	CHECK_U64(rq.kver, PGT_KVER(3, 13, 0));
	const pgt_sim *left = s->sims[0];
	REQUIRE(pgt_session_set_pane(s, 1, (pgt_pane_spec){.scheme = rq.scheme, .kver = rq.kver},
	                             NULL));
	CHECK(s->sims[0] == left);
	CHECK(pgt_sim_scheme(s->sims[1]) == PGT_SCHEME_BOTTOMUP);
	/* Shift+c goes back. */
	ev.shift = true;
	rq = pgt_input_handle(&vs, &s->model, NULL, &ev);
	CHECK(rq.kind == PGT_REQ_RERUN && rq.scheme == PGT_SCHEME_TOPDOWN);
	/* A version outside the scheme's era is refused, the session kept. */
	pgt_diags dg;
	pgt_diags_init(&dg, NULL);
	CHECK(!pgt_session_set_pane(
	    s, 1, (pgt_pane_spec){.scheme = PGT_SCHEME_BOTTOMUP, .kver = PGT_KVER(3, 9, 0)}, &dg));
	CHECK(dg.errors == 1);
	pgt_diags_free(&dg);
	CHECK(pgt_sim_scheme(s->sims[1]) == PGT_SCHEME_BOTTOMUP);
	/* The heading names scheme and version model. */
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "dark", NULL));
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	pgt_view_params p = {1280, 720, &th, NULL, NULL, true, NULL, NULL, NULL, 0};
	pgt_view_build(&dl, &lay, &s->model, &vs, &p);
	bool h0 = false, h1 = false;
	for (size_t i = 0; i < dl.n; i++) {
		const char *t = dl.cmds[i].kind == PGT_DL_TEXT ? pgt_dl_text(&dl, &dl.cmds[i]) : "";
		h0 |= strstr(t, "pgt_buf · 2.6.36") != NULL;
		h1 |= strstr(t, "bottom-up · 3.13") != NULL;
	}
	CHECK(h0);
	CHECK(h1);
	pgt_dl_free(&dl);
	pgt_session_free(s);
}

/* After the runs change (reload, re-run), the viewer keeps its place. */
static void test_keep_position(void)
{
	const pgt_view_model *m = &sess->model;
	size_t last = m->nsteps - 1;
	CHECK_U64(pgt_session_keep_position(m, 0, 500, 0.0), 0);
	CHECK_U64(pgt_session_keep_position(m, 500, 500, 1.0), last);
	size_t g = m->nsteps / 2;
	double prog = pgt_view_progress(m, 0, pgt_view_pane_step(m, 0, g));
	size_t k = pgt_session_keep_position(m, g, last + 7, prog);
	CHECK(k <= g);
	CHECK(pgt_view_progress(m, 0, pgt_view_pane_step(m, 0, k)) >= prog - 1e-12);
}

/* Reload on change: a changed size or time counts, a missing file not. */
static void test_file_stamp(void)
{
	char path[256];
	snprintf(path, sizeof(path), "/tmp/pgtviz-stamp-%ld.json", (long)getpid());
	FILE *f = fopen(path, "w");
	REQUIRE(f);
	fputs("{}", f);
	fclose(f);
	pgt_file_stamp a = pgt_file_stamp_of(path);
	CHECK(a.exists && a.size == 2);
	pgt_file_stamp b = pgt_file_stamp_of(path);
	CHECK(!pgt_file_stamp_changed(&a, &b));
	f = fopen(path, "w");
	REQUIRE(f);
	fputs("{ }", f);
	fclose(f);
	b = pgt_file_stamp_of(path);
	CHECK(pgt_file_stamp_changed(&a, &b));
	unlink(path);
	pgt_file_stamp gone = pgt_file_stamp_of(path);
	CHECK(!gone.exists);
	CHECK(!pgt_file_stamp_changed(&b, &gone));
	CHECK(pgt_file_stamp_changed(&gone, &b));
}

/* Every binding the '?' overlay lists is bound, and docs/window.md lists
 * every one of them (as "| KEYS | ..." in its key table). */
static void test_help_documented(void)
{
	size_t n;
	const pgt_help_row *h = pgt_input_help(&n);
	REQUIRE(n >= 20);
	char path[512];
	snprintf(path, sizeof(path), "%s/../docs/window.md", PGTVIZ_TEST_DIR);
	FILE *f = fopen(path, "rb");
	REQUIRE(f);
	static char doc[200000];
	size_t len = fread(doc, 1, sizeof(doc) - 1, f);
	fclose(f);
	doc[len] = '\0';
	for (size_t i = 0; i < n; i++) {
		char cell[128];
		snprintf(cell, sizeof(cell), "| %s |", h[i].keys);
		if (!strstr(doc, cell))
			fprintf(stderr, "  docs/window.md lacks the row \"%s\"\n", cell);
		CHECK(strstr(doc, cell) != NULL);
	}
	/* Single-letter keys of the help are bound to something. */
	static const struct {
		const char *k;
		int key;
	} letters[] = {{"e", PGT_KEY_E},           {"m", PGT_KEY_M},
	               {"n / Shift+n", PGT_KEY_N}, {"c / Shift+c", PGT_KEY_C},
	               {"v / Shift+v", PGT_KEY_V}, {"g", PGT_KEY_G},
	               {"t", PGT_KEY_T},           {"s", PGT_KEY_S}};
	for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++) {
		bool listed = false;
		for (size_t j = 0; j < n; j++)
			listed |= strcmp(h[j].keys, letters[i].k) == 0;
		CHECK(listed);
		pgt_viewstate vs;
		pgt_viewstate_init(&vs);
		pgt_input_event ev = {.type = PGT_IN_KEY, .key = letters[i].key};
		CHECK(pgt_input_map(&vs, NULL, &ev).kind != PGT_CMD_NONE);
	}
}

/* The binding table: each key binding is what pgt_input_map() finds for
 * its key (no earlier row hides it), in its mode; no key is bound twice in
 * one mode; every help row comes from the table, in its order. */
static void test_binding_table(void)
{
	size_t n, nh;
	const pgt_key_binding *b = pgt_input_bindings(&n);
	const pgt_help_row *h = pgt_input_help(&nh);
	REQUIRE(n > nh && nh >= 20);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (b[i].keys && b[i].help) {
			REQUIRE(k < nh);
			CHECK(h[k].keys == b[i].keys && h[k].action == b[i].help);
			k++;
		}
		if (b[i].key == PGT_KEY_NONE) {
			CHECK(b[i].keys != NULL); /* a help-only row says what it is */
			continue;
		}
		CHECK(b[i].cmd != PGT_CMD_NONE);
		for (int shift = 0; shift < 2; shift++) {
			if (b[i].mods != PGT_MOD_ANY && b[i].mods != shift)
				continue;
			pgt_viewstate vs;
			pgt_viewstate_init(&vs);
			vs.show_picker = b[i].mode == PGT_BIND_PICKER;
			vs.show_goto = b[i].mode == PGT_BIND_GOTO;
			pgt_input_event ev = {.type = PGT_IN_KEY, .key = b[i].key, .shift = shift};
			pgt_cmd c = pgt_input_map(&vs, NULL, &ev);
			if (c.kind != b[i].cmd || c.arg != b[i].arg)
				fprintf(stderr, "  binding row %zu (key %d, shift %d) is hidden\n",
				        i, b[i].key, shift);
			CHECK(c.kind == b[i].cmd && c.arg == b[i].arg);
		}
	}
	CHECK(k == nh);
}

/* The '?' overlay draws the rows it is given (pgt_view_params.help): the
 * view takes them from its caller and reads nothing of input itself. */
static bool frame_has_text(const pgt_drawlist *dl, const char *text)
{
	for (size_t i = 0; i < dl->n; i++)
		if (dl->cmds[i].kind == PGT_DL_TEXT &&
		    strcmp(pgt_dl_text(dl, &dl->cmds[i]), text) == 0)
			return true;
	return false;
}

static void test_help_overlay_rows(void)
{
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "dark", NULL));
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.show_help = true;
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	pgt_view_params p = {1920, 1080, &th, NULL, NULL, true, NULL, NULL, NULL, 0};
	size_t n;
	p.help = pgt_input_help(&n);
	p.nhelp = n;
	pgt_view_build(&dl, &lay, &sess->model, &vs, &p);
	for (size_t i = 0; i < n; i++) {
		CHECK(frame_has_text(&dl, p.help[i].keys));
		CHECK(frame_has_text(&dl, p.help[i].action));
	}
	static const pgt_help_row mine[] = {{"Ctrl+Q", "a row of the caller's own"}};
	p.help = mine;
	p.nhelp = 1;
	pgt_view_build(&dl, &lay, &sess->model, &vs, &p);
	CHECK(frame_has_text(&dl, "a row of the caller's own"));
	CHECK(!frame_has_text(&dl, pgt_input_help(&n)[0].action));
	pgt_dl_free(&dl);
}

int main(void)
{
	pgt_scenario sc = {0};
	int i = pgt_builtin_find("pc-4g");
	if (i < 0 || !pgt_builtin_load((size_t)i, &sc)) {
		fprintf(stderr, "cannot load pc-4g\n");
		return 1;
	}
	sess = pgt_session_start(&sc, "old,new", NULL, NULL);
	if (!sess)
		return 1;
	RUN(test_stepping);
	RUN(test_markers);
	RUN(test_play);
	RUN(test_toggles);
	RUN(test_mouse);
	RUN(test_lockstep);
	RUN(test_step_alone);
	RUN(test_violation_stops_play);
	RUN(test_picker_keys);
	RUN(test_picker_typed_path);
	RUN(test_picker_long_path);
	RUN(test_utf8_clean);
	RUN(test_tree_click);
	RUN(test_run_to_marker);
	RUN(test_export_range);
	RUN(test_pane_specs);
	RUN(test_session_heap);
	RUN(test_pane_cycle);
	RUN(test_keep_position);
	RUN(test_file_stamp);
	RUN(test_help_documented);
	RUN(test_binding_table);
	RUN(test_help_overlay_rows);
	pgt_session_free(sess);
	return t_report();
}
