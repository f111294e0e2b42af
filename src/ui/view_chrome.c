/*
 * view_chrome.c: what surrounds the panes -- the title bar, the legend, the
 * timeline scrubber with its markers, the status bar (and the go-to prompt
 * typed there), the tooltip, and the help, glossary and scenario picker
 * overlays.
 */
#include "view_internal.h"

#include "pgtviz/moment.h"
#include "pgtviz/narrate.h"
#include "pgtviz/picker.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The header's step counter ("step 12 / 110", "" when not shown). */
static void header_step(const ctx *c, char *s, size_t size)
{
	s[0] = '\0';
	if (c->vs->overlays & PGT_OV_STEP) {
		size_t last = c->m->nsteps ? c->m->nsteps - 1 : 0;
		if (c->vs->unlocked)
			snprintf(s, size, "panes stepped alone (l: lockstep)");
		else if (c->p->interactive && c->vs->playing)
			snprintf(s, size, "step %zu / %zu   playing %.0f/s", c->vs->step, last,
			         c->vs->speed);
		else
			snprintf(s, size, "step %zu / %zu", c->vs->step, last);
	}
}

/* Where title names the version kv as a version of its own (not inside a
 * longer one, "2.6.39" in "2.6.39-rc1" or "3.1" in "3.13", and not as a
 * range, "3.13+"); NULL: it does not. */
static const char *names_version(const char *title, const char *kv)
{
	size_t n = strlen(kv);
	for (const char *p = strstr(title, kv); n && p; p = strstr(p + 1, kv)) {
		char b = p > title ? p[-1] : ' ', a = p[n];
		bool longer_before = (b >= '0' && b <= '9') || b == '.' || b == '-';
		bool longer_after = (a >= '0' && a <= '9') || (a >= 'a' && a <= 'z') ||
		                    (a >= 'A' && a <= 'Z') || a == '+' || a == '-' ||
		                    (a == '.' && p[n + 1] >= '0' && p[n + 1] <= '9');
		if (!longer_before && !longer_after)
			return p;
	}
	return NULL;
}

/* Whether a pane runs what the scenario's title names: its version, Xen
 * on or off as the scenario, and under Xen the old scheme's rule of the
 * scenario (or of that version). */
static bool runs_as_titled(const pgt_scenario *sc, const pgt_sim *sim)
{
	int own = sc->xen_rule ? sc->xen_rule : pgt_xen_rule_for_kver(sc->kver);
	return pgt_sim_kver(sim) == sc->kver && pgt_sim_xen(sim) == sc->xen_pv &&
	       (!sc->xen_pv || pgt_sim_scheme(sim) != PGT_SCHEME_PGTBUF ||
	        pgt_sim_xen_rule(sim) == own);
}

/* One pane in the comparison title: "[scheme ]VER[ (RULE)][ without Xen]". */
static size_t title_pane(const pgt_view_model *m, int p, bool scheme, char *buf, size_t size)
{
	const pgt_sim *sim = m->pane[p].sim;
	char kv[24];
	pgt_kver_format(pgt_sim_kver(sim), kv, sizeof(kv));
	const char *const *words = rule_words(m, sim), *rule = NULL;
	for (int k = 0; words && words[k] && !rule; k++)
		if (strncmp(words[k], "RO to ", 6) == 0)
			rule = words[k];
	bool xen = pgt_sim_xen(sim);
	const char *xen_words =
	    m->sc && xen != m->sc->xen_pv ? (xen ? " as a Xen PV guest" : " without Xen") : "";
	int n =
	    snprintf(buf, size, "%s%s%s%s%s%s", scheme ? pgt_scheme_name(pgt_sim_scheme(sim)) : "",
	             scheme ? " " : "", kv, rule ? " (" : "", rule ? rule : "", rule ? ")" : "");
	if (n < 0 || (size_t)n >= size)
		return size ? size - 1 : 0;
	int k = snprintf(buf + n, size - (size_t)n, "%s", xen_words);
	return k < 0 || (size_t)(n + k) >= size ? size - 1 : (size_t)(n + k);
}

void pgt_view_title(const pgt_view_model *m, const pgt_viewstate *vs, char *buf, size_t size)
{
	if (!size)
		return;
	const pgt_scenario *sc = m ? m->sc : NULL;
	const char *title = sc && sc->title ? sc->title : sc && sc->name ? sc->name : "pgtviz";
	if (vs && vs->title) {
		snprintf(buf, size, "%s", vs->title);
		return;
	}
	snprintf(buf, size, "%s", title);
	char kv[24];
	const char *at = NULL;
	if (!sc || !sc->title || !sc->kver || m->npanes < 1 ||
	    !(at = names_version(sc->title, pgt_kver_format(sc->kver, kv, sizeof(kv)))))
		return;
	bool as_titled = false, other = false, xen_other = false;
	for (int p = 0; p < m->npanes; p++) {
		const pgt_sim *sim = m->pane[p].sim;
		xen_other |= pgt_sim_xen(sim) != sc->xen_pv;
		if (!pgt_scheme_accepts(pgt_sim_scheme(sim), sc->kver))
			continue;
		if (runs_as_titled(sc, sim))
			as_titled = true;
		else
			other = true;
	}
	if (as_titled && !other)
		return; /* the title is true of the pane(s) of its version */
	/* The subject: what the title says before ", VERSION" ("Xen PV guest"),
	 * else (or when a pane runs Xen on / off otherwise) the scenario's name. */
	size_t lead = (size_t)(at - sc->title);
	bool subject = !xen_other && lead > 2 && at[-2] == ',' && at[-1] == ' ' &&
	               !memchr(sc->title, ':', lead);
	size_t n = 0;
	int w = subject ? snprintf(buf, size, "%.*s: ", (int)(lead - 2), sc->title)
	                : snprintf(buf, size, "%s: ", sc->name ? sc->name : "pgtviz");
	n = w < 0 ? 0 : (size_t)w < size ? (size_t)w : size - 1;
	bool scheme = m->npanes == 2
	                  ? pgt_sim_scheme(m->pane[0].sim) != pgt_sim_scheme(m->pane[1].sim)
	                  : !pgt_scheme_accepts(pgt_sim_scheme(m->pane[0].sim), sc->kver);
	for (int p = 0; p < m->npanes && n + 1 < size; p++) {
		if (p) {
			w = snprintf(buf + n, size - n, " against ");
			n = w < 0 || (size_t)w >= size - n ? size - 1 : n + (size_t)w;
		}
		if (n + 1 < size)
			n += title_pane(m, p, scheme, buf + n, size - n);
	}
}

static const char *header_title(const ctx *c)
{
	return c->title;
}

/* A narrow canvas: the title in the small size, wrapped onto up to six
 * lines left of the step counter (also small). */
static int narrow_title(ctx *c, int y, bool draw)
{
	char s[96];
	header_step(c, s, sizeof(s));
	int pad = U(c, 16), lh = c->fs_small * 5 / 4 + U(c, 2);
	int room = c->lay->width - 2 * pad -
	           (s[0] ? measure(c, PGT_FONT_MONO, c->fs_small, s) + U(c, 16) : 0);
	size_t n0 = c->dl->n;
	int n = text_wrapped(c, pad, y, room, PGT_FONT_SANS_BOLD, c->fs_small, lh, c->t->text,
	                     header_title(c), 6);
	if (!draw)
		c->dl->n = n0;
	else if (s[0])
		dl_text(c->dl, c->lay->width - pad, y, PGT_FONT_MONO, c->fs_small, PGT_AN_RIGHT,
		        c->t->text, s);
	return (n ? n : s[0] ? 1 : 0) * lh; /* no title (--title ''): the counter's line */
}

/* The header's height without a wrapped title. */
static int header_base(const ctx *c)
{
	int h = U(c, 54);
	return h < c->fs_title + U(c, 8) ? c->fs_title + U(c, 8) : h;
}

/* Whether the title, too long for one line in the heading size, has no
 * room for the two lines of draw_header either (a short canvas, e.g.
 * 640x360): it then wraps in the small size as on a narrow canvas. */
static bool title_wraps_small(const ctx *c)
{
	char s[96];
	header_step(c, s, sizeof(s));
	int room = c->lay->width - 2 * U(c, 16) -
	           (s[0] ? measure(c, PGT_FONT_MONO, c->fs_head, s) : 0) - U(c, 24);
	return measure(c, PGT_FONT_SANS_BOLD, c->fs_head, header_title(c)) > room &&
	       header_base(c) < 2 * c->fs_head;
}

int header_height(ctx *c)
{
	if (c->narrow || title_wraps_small(c)) {
		int h = narrow_title(c, 0, false) + U(c, 12);
		return c->narrow || h > header_base(c) ? h : header_base(c);
	}
	return header_base(c);
}

void draw_header(ctx *c, int h)
{
	const pgt_theme *t = c->t;
	int pad = U(c, 16);
	const char *title = header_title(c);
	char s[96] = "";
	if (c->narrow || title_wraps_small(c)) {
		narrow_title(c, U(c, 6), true);
		return;
	}
	header_step(c, s, sizeof(s));
	if (s[0]) {
		dl_text(c->dl, c->lay->width - pad, h / 2, PGT_FONT_MONO, c->fs_head,
		        PGT_AN_RIGHT | PGT_AN_MIDDLE, t->text, s);
	}
	/* A long title takes the heading size, then wraps onto two lines,
	 * rather than run into the step counter. */
	int room = c->lay->width - 2 * pad - (s[0] ? measure(c, PGT_FONT_MONO, c->fs_head, s) : 0) -
	           U(c, 24);
	int px =
	    measure(c, PGT_FONT_SANS_BOLD, c->fs_title, title) <= room ? c->fs_title : c->fs_head;
	if (!title[0])
		return; /* --title '': no title */
	if (measure(c, PGT_FONT_SANS_BOLD, px, title) <= room || h < 2 * px) {
		textf(c, pad, h / 2, PGT_FONT_SANS_BOLD, px, PGT_AN_LEFT | PGT_AN_MIDDLE, t->text,
		      "%s", title);
		return;
	}
	int lh = (h - U(c, 4)) / 2;
	text_wrapped(c, pad, U(c, 2), room, PGT_FONT_SANS_BOLD, c->fs_small, lh, t->text, title, 2);
}

enum legend_style {
	LG_SWATCH,  /* filled square */
	LG_HATCH,   /* RO pattern over a table colour */
	LG_OUTLINE, /* frame */
	LG_TICK,    /* a timeline tick */
	LG_FLAG,    /* a timeline tick with a flag: a scenario note */
	LG_WORDS,   /* text only */
};

typedef struct legend_item {
	pgt_color color;
	int style; /* enum legend_style */
	const char *label;
} legend_item;

/* A note's tick has a flag: a square at its outer end, so a note is told
 * from the other ticks (buffer placed, in the cb theme, is a close colour)
 * by its shape, not by colour alone. */
static int note_flag_w(const ctx *c)
{
	return U(c, 10) > 6 ? U(c, 10) : 6;
}

/* A tick of width tw and height th at (x, y), its flag at the top (up) or
 * the bottom end, reaching right of the tick. */
static void note_flag(ctx *c, int x, int y, int tw, int th, bool up, pgt_color col)
{
	int fw = note_flag_w(c), fh = fw * 3 / 4 > 4 ? fw * 3 / 4 : 4;
	if (fh > th)
		fh = th;
	dl_rect(c->dl, x, y, tw, th, col);
	dl_rect(c->dl, x, up ? y : y + th - fh, fw, fh, col);
}

static pgt_color marker_color(const pgt_theme *t, int kind);
static const char *marker_name(int kind);

/* What the legend explains: only what this frame shows (every pane at the
 * event it shows), so nothing in it is unexplained and nothing explained
 * is absent.  Returns the item count. */
static int legend_items(const ctx *c, legend_item *items, int cap)
{
	const pgt_theme *t = c->t;
	const pgt_view_model *m = c->m;
	int n = 0;
	uint32_t levels[5] = {0};
	bool mapped = false, ro = false, range = false, brk = false, crash = false, viol = false;
	bool buf_used = false, buf_free = false, buf_back = false;
	for (int p = 0; p < m->npanes; p++) {
		const pgt_pane_model *pm = &m->pane[p];
		size_t ev = pgt_view_pane_at(m, c->vs, p);
		pgt_state st = pgt_sim_state_at(pm->sim, ev);
		state_with_boot(pm, ev, &st);
		for (int l = 1; l <= 4; l++)
			levels[l] += st.tables[l];
		mapped |= st.mapped_bytes > 0;
		ro |= st.ro_pages > 0;
		viol |= st.violations > 0;
		range |= pm->nev && pm->call_at[ev];
		crash |= pm->crash_ev != SIZE_MAX && pm->crash_ev <= ev;
		for (size_t i = 0; i < pm->nbufs; i++) {
			const pgt_bufhist *bh = &pm->bufs[i];
			if (bh->placed > ev)
				continue;
			bool done = bh->done <= ev;
			uint64_t e = done ? bh->end_pfn : st.pgt_buf_end;
			if (!pm->is_old) {
				brk = true;
				continue;
			}
			buf_used |= e > bh->start_pfn;
			buf_free |= !done && bh->top_pfn > e;
			buf_back |= done && bh->top_pfn > e;
		}
	}
	static const int lv[4] = {PGT_PGD, PGT_PUD, PGT_PMD, PGT_PTE};
	static const char *const lvname[4] = {"PGD", "PUD", "PMD", "PTE page"};
	for (int i = 0; i < 4; i++)
		if (levels[lv[i]] && n < cap)
			items[n++] = (legend_item){level_color(t, lv[i]), LG_SWATCH, lvname[i]};
	bool types[8] = {false};
	for (size_t i = 0; i < m->ne820; i++)
		types[m->e820[i].type == PGT_E820_RAM                                       ? 1
		      : m->e820[i].type == PGT_E820_ACPI || m->e820[i].type == PGT_E820_NVS ? 3
		      : m->e820[i].type == PGT_E820_UNUSABLE                                ? 5
		                                             : 2] = true;
	bool kinds[PGT_RESV_KIND_COUNT] = {false};
	if (m->sc)
		for (size_t i = 0; i < m->sc->n_resv; i++)
			if (m->sc->resv[i].kind >= 0 && m->sc->resv[i].kind < PGT_RESV_KIND_COUNT)
				kinds[m->sc->resv[i].kind] = true;
	const struct {
		bool on;
		pgt_color col;
		int style;
		const char *label;
	} rest[] = {
	    {types[1], t->ram, LG_SWATCH, "RAM"},
	    {types[1] && mapped, t->ram_mapped, LG_SWATCH, "RAM, direct-mapped"},
	    {mapped, t->mapped_band, LG_SWATCH, "mapped (top band)"},
	    {types[2], t->reserved, LG_SWATCH, "reserved"},
	    {types[3], t->acpi, LG_SWATCH, "ACPI"},
	    {types[5], t->unusable, LG_SWATCH, "unusable"},
	    {m->kernel_hi > 0, t->kernel, LG_SWATCH, "kernel"},
	    {kinds[PGT_RESV_INITRD], t->initrd, LG_SWATCH, "initrd"},
	    {kinds[PGT_RESV_XEN], t->resv_xen, LG_SWATCH, "Xen structures"},
	    {kinds[PGT_RESV_SETUP_DATA] || kinds[PGT_RESV_EBDA] || kinds[PGT_RESV_EFI_BOOT],
	     t->resv_fw, LG_SWATCH, "firmware data"},
	    {kinds[PGT_RESV_OTHER], t->resv_other, LG_SWATCH, "other reservation"},
	    {crash, t->crashkernel, LG_SWATCH, "crashkernel (kdump)"},
	    {brk, t->brk, LG_SWATCH, "BRK buffer"},
	    {buf_used, t->pgtbuf_used, LG_SWATCH, "pgt_buf used"},
	    {buf_free, t->pgtbuf_free, LG_SWATCH, "pgt_buf reserved, unused"},
	    {buf_back, t->pgtbuf_returned, LG_SWATCH, "pgt_buf handed back"},
	    {range, t->chunk, LG_OUTLINE, "current range"},
	    {ro, t->ro_hatch, LG_HATCH, "read-only (Xen)"},
	    {viol, t->violation, LG_OUTLINE, "violation"},
	};
	for (size_t i = 0; i < sizeof(rest) / sizeof(rest[0]); i++)
		if (rest[i].on && n < cap)
			items[n++] = (legend_item){rest[i].col, rest[i].style, rest[i].label};
	/* The timeline's key: the kinds of tick this run has. */
	if (!(c->vs->overlays & PGT_OV_TIMELINE))
		return n;
	bool present[PGT_MK_COUNT] = {false};
	for (size_t i = 0; i < m->nmarkers; i++)
		present[m->markers[i].kind] = true;
	if (m->npanes == 2 && m->nmarkers && n < cap)
		items[n++] = (legend_item){0, LG_WORDS,
		                           "timeline: left pane's ticks above, right "
		                           "pane's below:"};
	for (int k = 0; k < PGT_MK_COUNT; k++)
		if (present[k] && n < cap)
			items[n++] =
			    (legend_item){marker_color(t, k), k == PGT_MK_NOTE ? LG_FLAG : LG_TICK,
			                  marker_name(k)};
	return n;
}

/* Lays the items out in lines of width w from (x0, y); draws them when
 * draw is set.  Returns the lines used. */
static int legend_flow(ctx *c, const legend_item *items, int n, int x0, int y, int w, bool draw)
{
	const pgt_theme *t = c->t;
	int sq = c->fs_small, lh = c->fs_small + U(c, 12), gap = U(c, 18) > 8 ? U(c, 18) : 8;
	int x = x0, line = 0, period = U(c, 5) < 3 ? 3 : U(c, 5);
	for (int i = 0; i < n; i++) {
		int tw = measure(c, PGT_FONT_SANS, c->fs_small, items[i].label);
		int sw = items[i].style == LG_WORDS  ? 0
		         : items[i].style == LG_TICK ? U(c, 4) + U(c, 6)
		         : items[i].style == LG_FLAG ? note_flag_w(c) + U(c, 6)
		                                     : sq + U(c, 6);
		if (x > x0 && x + sw + tw > x0 + w) {
			line++;
			x = x0;
		}
		int cy = y + line * lh + lh / 2;
		if (draw) {
			int ty = cy - sq / 2;
			switch (items[i].style) {
			case LG_HATCH:
				dl_rect(c->dl, x, ty, sq, sq, t->pmd);
				dl_hatch(c->dl, x, ty, sq, sq, period, (period + 1) / 2,
				         items[i].color);
				break;
			case LG_OUTLINE:
				dl_frame(c->dl, x, ty, sq, sq, U(c, 3) > 2 ? U(c, 3) : 2,
				         items[i].color);
				break;
			case LG_TICK:
				dl_rect(c->dl, x, ty, U(c, 4) > 2 ? U(c, 4) : 2, sq,
				        items[i].color);
				break;
			case LG_FLAG:
				note_flag(c, x, ty, U(c, 4) > 2 ? U(c, 4) : 2, sq, true,
				          items[i].color);
				break;
			case LG_WORDS:
				break;
			default:
				dl_rect(c->dl, x, ty, sq, sq, items[i].color);
				dl_frame(c->dl, x, ty, sq, sq, U(c, 1), t->grid);
			}
			dl_text(c->dl, x + sw, cy, PGT_FONT_SANS, c->fs_small,
			        PGT_AN_LEFT | PGT_AN_MIDDLE,
			        items[i].style == LG_WORDS ? t->text_dim : t->text, items[i].label);
		}
		x += sw + tw + gap;
	}
	return n ? line + 1 : 0;
}

int legend_height(ctx *c, int w)
{
	legend_item items[40];
	int n = legend_items(c, items, 40);
	return legend_flow(c, items, n, 0, 0, w, false) * (c->fs_small + U(c, 12));
}

void draw_legend(ctx *c, int y, int h)
{
	(void)h;
	legend_item items[40];
	int n = legend_items(c, items, 40);
	int pad = U(c, 16);
	legend_flow(c, items, n, pad, y, c->lay->width - 2 * pad, true);
}

static pgt_color marker_color(const pgt_theme *t, int kind)
{
	switch (kind) {
	case PGT_MK_CALL:
		return t->marker_call;
	case PGT_MK_BUFFER:
		return t->marker_buf;
	case PGT_MK_STEP:
		return t->marker_step;
	case PGT_MK_FULL:
		return t->marker_full;
	case PGT_MK_VIOLATION:
		return t->violation;
	case PGT_MK_NOTE:
		return t->highlight;
	default:
		return t->panic;
	}
}

static const char *marker_name(int kind)
{
	static const char *const names[PGT_MK_COUNT] = {
	    "call", "buffer placed", "buffer full", "step size", "violation", "panic", "note"};
	return kind >= 0 && kind < PGT_MK_COUNT ? names[kind] : "?";
}

void draw_timeline(ctx *c, int y, int h)
{
	const pgt_theme *t = c->t;
	int pad = U(c, 16);
	/* The key to the ticks is in the legend (legend_items). */
	int x = pad, w = c->lay->width - 2 * pad;
	int bh = h / 3, by = y + (h - bh) / 2;
	c->lay->tl_x = x;
	c->lay->tl_y = y;
	c->lay->tl_w = w;
	c->lay->tl_h = h;
	size_t n = c->m->nsteps ? c->m->nsteps : 1;
	double sx = (double)w / (double)(n > 1 ? n - 1 : 1);
	dl_rect(c->dl, x, by, w, bh, t->timeline);
	int cx = x + (int)((double)c->vs->step * sx);
	dl_rect(c->dl, x, by, cx - x, bh, t->timeline_done);
	/* The export range (window): from the start set with `m`. */
	if (c->p->interactive && c->vs->range_start != SIZE_MAX) {
		int rx =
		    x + (int)((double)(c->vs->range_start < n ? c->vs->range_start : n - 1) * sx);
		int a = rx < cx ? rx : cx, b = rx < cx ? cx : rx;
		dl_frame(c->dl, a, by - U(c, 3), b - a + 1, bh + U(c, 6), U(c, 2), t->highlight);
		dl_rect(c->dl, rx - U(c, 1), y, U(c, 3), h, t->highlight);
	}
	/* Markers: pane A above the bar, pane B below. */
	int mh = (h - bh) / 2 - U(c, 2);
	int last_x[2][PGT_MK_COUNT];
	for (int i = 0; i < 2; i++)
		for (int k = 0; k < PGT_MK_COUNT; k++)
			last_x[i][k] = -1000;
	for (size_t i = 0; i < c->m->nmarkers; i++) {
		const pgt_marker *mk = &c->m->markers[i];
		int mx = x + (int)((double)mk->step * sx);
		if (mx == last_x[mk->pane][mk->kind])
			continue;
		last_x[mk->pane][mk->kind] = mx;
		int mw =
		    mk->kind == PGT_MK_VIOLATION || mk->kind == PGT_MK_PANIC ? U(c, 3) : U(c, 2);
		int my = mk->pane == 0 ? by - mh : by + bh;
		if (mk->kind == PGT_MK_NOTE)
			note_flag(c, mx - mw / 2, my, mw, mh + (mk->pane == 0 ? bh / 2 : 0),
			          mk->pane == 0, marker_color(t, mk->kind));
		else
			dl_rect(c->dl, mx - mw / 2, my, mw, mh + (mk->pane == 0 ? bh / 2 : 0),
			        marker_color(t, mk->kind));
	}
	/* The log check's unmatched rows (`d`), below the violations. */
	if (c->vs->check)
		draw_check_ticks(c, x, w, y, h);
	/* Violations on top, full height: they must stand out. */
	for (size_t i = 0; i < c->m->nmarkers; i++) {
		const pgt_marker *mk = &c->m->markers[i];
		if (mk->kind != PGT_MK_VIOLATION)
			continue;
		int mx = x + (int)((double)mk->step * sx);
		dl_rect(c->dl, mx - U(c, 2), y, U(c, 4) < 2 ? 2 : U(c, 4), h, t->violation);
	}
	/* Playhead; when the panes are stepped alone, one per pane too. */
	dl_rect(c->dl, cx - U(c, 2), y, U(c, 4), h, t->text);
	if (c->vs->unlocked)
		for (int p = 0; p < c->m->npanes; p++) {
			size_t g = pgt_view_global_step(c->m, p, pgt_view_pane_at(c->m, c->vs, p));
			int px = x + (int)((double)g * sx);
			dl_rect(c->dl, px - U(c, 3), p == 0 ? y : by + bh, U(c, 6),
			        p == 0 ? by - y : y + h - by - bh, t->highlight);
		}
}

/* The go-to prompt's box, just above the status bar whose top is y: why
 * the last form did not resolve, then every form and a few examples. */
static void goto_box(ctx *c, int y)
{
	const pgt_theme *t = c->t;
	int m = U(c, 12), pad = U(c, 14), lh = c->fs_small * 5 / 4 + U(c, 2);
	int w = c->lay->width - 2 * m, iw = w - 2 * pad;
	char forms[800];
	snprintf(forms, sizeof(forms),
	         "Forms: %s. Searching forms look after the current step; n / Shift+n then go "
	         "to the next / previous match, and playing breaks at each (off: no break). "
	         "Examples: 120, old:3045, violation, ro, full, table:pte, alloc>=0x100000000, "
	         "note.",
	         pgt_moment_forms());
	const char *err = c->vs->goto_err;
	size_t n0 = c->dl->n; /* measure: a dry run */
	int ne =
	    err[0] ? text_wrapped(c, 0, 0, iw, PGT_FONT_SANS_BOLD, c->fs_small, lh, t->text, err, 4)
	           : 0;
	int nf = text_wrapped(c, 0, 0, iw, PGT_FONT_SANS, c->fs_small, lh, t->text, forms, 12);
	c->dl->n = n0;
	int h = (ne + nf) * lh + 2 * pad + (ne ? U(c, 8) : 0);
	int by = y - h - U(c, 4);
	if (by < m)
		by = m;
	dl_rect(c->dl, m, by, w, h, t->overlay_bg);
	dl_frame(c->dl, m, by, w, h, U(c, 2), t->highlight);
	int yy = by + pad;
	if (ne) {
		dl_rect(c->dl, m, yy, U(c, 6), ne * lh, t->violation);
		text_wrapped(c, m + pad, yy, iw, PGT_FONT_SANS_BOLD, c->fs_small, lh, t->text, err,
		             4);
		yy += ne * lh + U(c, 8);
	}
	text_wrapped(c, m + pad, yy, iw, PGT_FONT_SANS, c->fs_small, lh, t->text, forms, 12);
}

void draw_status(ctx *c, int y, int h)
{
	const pgt_theme *t = c->t;
	int pad = U(c, 16);
	if (c->vs->show_goto) { /* the prompt: what is typed, and how to leave */
		goto_box(c, y);
		textf(c, pad, y + h / 2, PGT_FONT_MONO, c->fs_small, PGT_AN_LEFT | PGT_AN_MIDDLE,
		      t->highlight, "go to (from step %zu): %s_   Enter goes, Escape cancels",
		      c->vs->step, c->vs->goto_text);
		return;
	}
	/* Only keys that work wherever a frame is shown: the window and the
	 * browser page (export keys are the window's; its '?' lists them). */
	static const char *const hints[] = {
	    ("Space play/pause   <- -> step   Shift+<- -> marker   n run to marker   "
	     "Tab pane: [ ] step, c scheme, v version   o open   s PNG   ? all keys"),
	    "Space play   <- -> step   n next marker   Tab c v pane scheme/version   ? all keys",
	    "Space play   <- -> step   ? all keys"};
	const char *msg = c->vs->status;
	if (!msg[0])
		for (size_t i = 0; i < 3; i++) {
			msg = hints[i];
			if (measure(c, PGT_FONT_SANS, c->fs_small, msg) <= c->lay->width - 2 * pad)
				break;
		}
	/* A message longer than the window is (a narrow one) ends in "…"
	 * rather than run off its edge (the terminal has it whole). */
	char cut[sizeof(c->vs->status) + 8];
	dl_text(c->dl, pad, y + h / 2, PGT_FONT_SANS, c->fs_small, PGT_AN_LEFT | PGT_AN_MIDDLE,
	        c->vs->status[0] ? t->text : t->text_dim,
	        text_fit(c, PGT_FONT_SANS, c->fs_small, msg, c->lay->width - 2 * pad, cut,
	                 sizeof(cut)));
}

static const char *owner_of(const ctx *c, const pgt_pane_model *pm, uint64_t a, size_t step,
                            char *buf, size_t size)
{
	const pgt_scenario *sc = c->m->sc;
	if (sc)
		for (size_t i = 0; i < sc->n_resv; i++)
			if (a >= sc->resv[i].start && a < sc->resv[i].end) {
				snprintf(buf, size, "%s%s%s", pgt_resv_kind_name(sc->resv[i].kind),
				         sc->resv[i].label[0] ? ": " : "", sc->resv[i].label);
				return buf;
			}
	if (pm->crash_ev != SIZE_MAX && pm->crash_ev <= step) {
		const pgt_event e_v = pgt_sim_event(pm->sim, pm->crash_ev), *e = &e_v;
		if (a >= e->a && a < e->b) {
			char sz[32];
			snprintf(buf, size, "crashkernel= (kdump), %s reserved at step %zu",
			         pgt_fmt_size(e->b - e->a, sz, sizeof(sz)),
			         pgt_view_global_step(c->m, (int)(pm - c->m->pane), pm->crash_ev));
			return buf;
		}
	}
	for (size_t i = 0; i < pm->nbufs; i++) {
		const pgt_bufhist *b = &pm->bufs[i];
		if (b->placed > step || a < b->start_pfn << 12 || a >= b->top_pfn << 12)
			continue;
		snprintf(buf, size, "%s", pm->is_old ? "pgt_buf" : "BRK page-table buffer");
		return buf;
	}
	return NULL;
}

/* Is a in the pane's drawn direct-mapped ranges of this step? */
static bool written_at(const pgt_rangeset *rs, size_t step, uint64_t a)
{
	return rs->step == step && rs_contains(rs, a);
}

void draw_tooltip(ctx *c)
{
	const pgt_viewstate *vs = c->vs;
	if (!vs->hover || vs->dragging || vs->show_help || vs->show_glossary || vs->show_picker)
		return;
	pgt_hit hit = pgt_view_hit(c->m, c->lay, vs, vs->hover_x, vs->hover_y);
	if (hit.pane < 0 || !hit.has_addr)
		return;
	const pgt_pane_model *pm = &c->m->pane[hit.pane];
	size_t step = pgt_view_pane_at(c->m, vs, hit.pane);
	char lines[8][160];
	int n = 0;
	char tn[48], own[80], sz[32];
	snprintf(lines[n++], 160, "physical %#018" PRIx64, hit.addr);
	const char *type = "hole (no e820 entry)";
	for (size_t i = 0; i < c->m->ne820; i++)
		if (hit.addr >= c->m->e820[i].start && hit.addr < c->m->e820[i].end)
			type = pgt_e820_type_name(c->m->e820[i].type, tn, sizeof(tn));
	snprintf(lines[n++], 160, "e820: %s", type);
	if (hit.table != UINT32_MAX) {
		const pgt_table tb_v = pgt_sim_table(pm->sim, hit.table), *tb = &tb_v;
		snprintf(lines[n++], 160, "%s table page at %#" PRIx64 " (%s)",
		         pgt_level_name(tb->level), tb->pa, pgt_origin_name(tb->origin));
		uint64_t span = level_span(tb->level);
		snprintf(lines[n++], 160, "maps VA %#" PRIx64 " .. +%s (physical %#" PRIx64 "..)",
		         pgt_sim_page_offset(pm->sim) + tb->va_base,
		         pgt_fmt_size(span, sz, sizeof(sz)), tb->va_base);
		if (tb->origin == PGT_ORIGIN_STATIC)
			snprintf(lines[n++], 160, "static: present from the start");
		else
			snprintf(lines[n++], 160, "allocated at step %zu (event %u of this pane)%s",
			         pgt_view_global_step(c->m, hit.pane, tb->alloc_event),
			         tb->alloc_event,
			         tb->ro_event != UINT32_MAX ? ", read-only under Xen" : "");
		if (hit.ntables > 1)
			snprintf(lines[n++], 160, "+%u more table pages here: zoom in",
			         hit.ntables - 1);
	} else {
		const char *o = owner_of(c, pm, hit.addr, step, own, sizeof(own));
		if (o)
			snprintf(lines[n++], 160, "owner: %s", o);
	}
	pgt_translation tr = pgt_sim_translate(pm->sim, hit.addr, step);
	if (tr.mapped)
		snprintf(lines[n++], 160, "direct-mapped with a %s page%s",
		         tr.leaf_level == PGT_PUD   ? "1G"
		         : tr.leaf_level == PGT_PMD ? "2M"
		                                    : "4k",
		         tr.writable ? "" : ", read-only");
	else if (written_at(&c->cache->mapped[hit.pane], step, hit.addr))
		/* Drawn as direct-mapped (its entry is written) but the table
		 * that holds the entry is not linked yet: say both, so the
		 * tooltip agrees with the map and the counters. */
		snprintf(lines[n++], 160, "entry written, not live yet: its table is not linked");
	else
		snprintf(lines[n++], 160, "not direct-mapped yet");
	int lh = c->fs_small + U(c, 4), tw = 0;
	for (int i = 0; i < n; i++) {
		int mw = measure(c, i == 0 ? PGT_FONT_MONO : PGT_FONT_SANS, c->fs_small, lines[i]);
		if (mw > tw)
			tw = mw;
	}
	int pad = U(c, 8);
	int bw = tw + 2 * pad, bh = n * lh + 2 * pad;
	int bx = vs->hover_x + U(c, 18), by = vs->hover_y + U(c, 18);
	if (bx + bw > c->lay->width)
		bx = vs->hover_x - bw - U(c, 10);
	if (by + bh > c->lay->height)
		by = vs->hover_y - bh - U(c, 10);
	dl_rect(c->dl, bx, by, bw, bh, c->t->tooltip_bg);
	dl_frame(c->dl, bx, by, bw, bh, U(c, 1), c->t->grid);
	for (int i = 0; i < n; i++)
		dl_text(c->dl, bx + pad, by + pad + i * lh, i == 0 ? PGT_FONT_MONO : PGT_FONT_SANS,
		        c->fs_small, PGT_AN_LEFT, c->t->text, lines[i]);
}

/* A centred overlay box of w x h (clamped to the canvas); returns its rect. */
static void overlay_box(ctx *c, int *x, int *y, int *w, int *h, const char *title)
{
	const pgt_theme *t = c->t;
	int m = U(c, 12);
	if (*w > c->lay->width - 2 * m)
		*w = c->lay->width - 2 * m;
	if (*h > c->lay->height - 2 * m)
		*h = c->lay->height - 2 * m;
	*x = (c->lay->width - *w) / 2;
	*y = (c->lay->height - *h) / 2;
	dl_rect(c->dl, *x, *y, *w, *h, t->overlay_bg);
	dl_frame(c->dl, *x, *y, *w, *h, U(c, 2), t->grid);
	dl_text(c->dl, *x + U(c, 24), *y + U(c, 16), PGT_FONT_SANS_BOLD, c->fs_head, PGT_AN_LEFT,
	        t->text, title);
	dl_clip(c->dl, *x, *y, *w, *h);
}

void draw_help(ctx *c)
{
	size_t n = c->p->nhelp;
	const pgt_help_row *rows = c->p->help;
	const pgt_theme *t = c->t;
	int lh = c->fs_body + U(c, 8);
	int keyw = 0, textw = 0;
	for (size_t i = 0; i < n; i++) {
		int kw = measure(c, PGT_FONT_MONO, c->fs_body, rows[i].keys);
		int tw = measure(c, PGT_FONT_SANS, c->fs_body, rows[i].action);
		keyw = kw > keyw ? kw : keyw;
		textw = tw > textw ? tw : textw;
	}
	int top = c->fs_head + U(c, 36);
	int w = keyw + textw + U(c, 80), h = (int)n * lh + top + U(c, 20), x, y;
	overlay_box(c, &x, &y, &w, &h, "Keys and mouse");
	for (size_t i = 0; i < n; i++) {
		int ry = y + top + (int)i * lh;
		dl_text(c->dl, x + U(c, 24), ry, PGT_FONT_MONO, c->fs_body, PGT_AN_LEFT, t->text,
		        rows[i].keys);
		dl_text(c->dl, x + U(c, 48) + keyw, ry, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT,
		        t->text, rows[i].action);
	}
	dl_clip(c->dl, 0, 0, 0, 0);
}

void draw_glossary(ctx *c)
{
	size_t n;
	const pgt_gloss *g = pgt_glossary(&n);
	const pgt_theme *t = c->t;
	int w = c->lay->width * 92 / 100, h = c->lay->height * 90 / 100, x, y;
	overlay_box(c, &x, &y, &w, &h,
	            "Glossary (Shift+g or Escape closes; also docs/glossary.md)");
	int ncol = w > U(c, 1200) ? 2 : 1;
	int gap = U(c, 24), top = y + c->fs_head + U(c, 32), bottom = y + h - U(c, 12);
	int colw = (w - gap * (ncol + 1)) / ncol;
	int termw = 0;
	for (size_t i = 0; i < n; i++) {
		int tw = measure(c, PGT_FONT_SANS_BOLD, c->fs_small, g[i].term);
		termw = tw > termw ? tw : termw;
	}
	if (termw > colw / 3)
		termw = colw / 3;
	int lh = c->fs_small + U(c, 4);
	int col = 0, yy = top;
	for (size_t i = 0; i < n; i++) {
		int cx = x + gap + col * (colw + gap);
		char text[600];
		snprintf(text, sizeof(text), "%s%s%s%s", g[i].text,
		         g[i].section[0] ? " (kernel-model.md: " : "", g[i].section,
		         g[i].section[0] ? ")" : "");
		/* Dry run to count lines, then place (next column when full). */
		size_t n0 = c->dl->n;
		int nl = text_wrapped(c, 0, 0, colw - termw - U(c, 12), PGT_FONT_SANS, c->fs_small,
		                      lh, t->text, text, 6);
		c->dl->n = n0;
		if (yy + nl * lh > bottom) {
			if (++col >= ncol) {
				dl_text(c->dl, x + w - U(c, 16), y + h - U(c, 6), PGT_FONT_SANS,
				        c->fs_small, PGT_AN_RIGHT | PGT_AN_BOTTOM, t->text_dim,
				        "more in docs/glossary.md");
				break;
			}
			yy = top;
			cx = x + gap + col * (colw + gap);
		}
		dl_text(c->dl, cx, yy, PGT_FONT_SANS_BOLD, c->fs_small, PGT_AN_LEFT, t->highlight,
		        g[i].term);
		text_wrapped(c, cx + termw + U(c, 12), yy, colw - termw - U(c, 12), PGT_FONT_SANS,
		             c->fs_small, lh, t->text, text, 6);
		yy += nl * lh + U(c, 8);
	}
	dl_clip(c->dl, 0, 0, 0, 0);
}

void draw_picker(ctx *c)
{
	const pgt_theme *t = c->t;
	const pgt_pick_list *pl = c->p->picker;
	int n = pl ? (int)pl->n : 0;
	int lh = c->fs_body + U(c, 10);
	int top = c->fs_head + U(c, 36);
	int w = U(c, 1300), h = n * lh + top + c->fs_small + U(c, 40), x, y;
	overlay_box(c, &x, &y, &w, &h, "Open a scenario (Up/Down, Enter; Escape closes)");
	int namew = 0;
	for (int i = 0; i < n; i++) {
		int nw = measure(c, PGT_FONT_MONO, c->fs_body, pl->v[i].name);
		namew = nw > namew ? nw : namew;
	}
	int rows = (h - top - c->fs_small - U(c, 30)) / lh;
	if (rows < 1)
		rows = 1;
	int first = c->vs->pick_index >= rows ? c->vs->pick_index - rows + 1 : 0;
	for (int i = first; i < n && i < first + rows; i++) {
		int ry = y + top + (i - first) * lh;
		bool sel = i == c->vs->pick_index;
		if (sel)
			dl_rect(c->dl, x + U(c, 12), ry - U(c, 4), w - U(c, 24), lh, t->timeline);
		textf(c, x + U(c, 24), ry, PGT_FONT_MONO, c->fs_body, PGT_AN_LEFT,
		      sel ? t->highlight : t->text, "%s", pl->v[i].name);
		const pgt_pick_item *it = &pl->v[i];
		/* The description cut to the box with an ellipsis (the name
		 * stays whole); "(file)" stays at its end. */
		const char *suffix = it->builtin || it->recent ? "" : "  (file)";
		int dx = x + U(c, 48) + namew;
		int room = x + w - U(c, 24) - dx - measure(c, PGT_FONT_SANS, c->fs_body, suffix);
		char desc[sizeof(it->desc) + 8];
		textf(c, dx, ry, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT,
		      it->recent && it->state ? t->violation
		      : it->builtin           ? t->text
		                              : t->text_dim,
		      "%s%s",
		      text_fit(c, PGT_FONT_SANS, c->fs_body, it->desc, room, desc, sizeof(desc)),
		      suffix);
	}
	if (n == 0)
		dl_text(c->dl, x + U(c, 24), y + top, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT,
		        t->text_dim, "no scenarios found");
	if (c->vs->pick_path[0]) {
		/* A path too long for the box shows its end (where one types),
		 * after an ellipsis. */
		const char *path = c->vs->pick_path;
		int room = w - U(c, 48);
		char line[sizeof(c->vs->pick_path) + 48];
		snprintf(line, sizeof(line), "open: %s_  (Enter opens)", path);
		while (path[0] && measure(c, PGT_FONT_MONO, c->fs_body, line) > room) {
			path++;
			while ((*path & 0xc0) == 0x80) /* whole UTF-8 characters */
				path++;
			snprintf(line, sizeof(line), "open: …%s_  (Enter opens)", path);
		}
		dl_text(c->dl, x + U(c, 24), y + h - U(c, 12), PGT_FONT_MONO, c->fs_body,
		        PGT_AN_LEFT | PGT_AN_BOTTOM, t->highlight, line);
	} else
		dl_text(c->dl, x + U(c, 24), y + h - U(c, 12), PGT_FONT_SANS, c->fs_small,
		        PGT_AN_LEFT | PGT_AN_BOTTOM, t->text_dim,
		        "Recent files first. Type a path (scenario or dmesg log) and press Enter, "
		        "or drop a file here.");
	dl_clip(c->dl, 0, 0, 0, 0);
}
