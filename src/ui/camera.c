/*
 * camera.c: zoomed memory-map geometry, pointer-anchored zoom, drag, and
 * the camera that follows the current event (camera.h).
 *
 * Design: a zoomed window is a plain affine map from pixels to addresses
 * (nrows uniform rows starting at the window's first address), so every
 * question -- which address is under the pointer, which window keeps it
 * there after a zoom, how far a drag moves -- is arithmetic on (lo, len)
 * and the geometry the view recorded in the last layout.  The camera turns
 * the pane's event into a focus (a place), the focus into a target window,
 * and eases the window towards it in (centre, log span), the way smooth
 * zooming moves between two views: far targets are approached zoomed out.
 * No state beyond the windows themselves: the same inputs give the same
 * frames, so exports are deterministic.
 */
#include "pgtviz/camera.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define PAGE ((uint64_t)4096)

static uint64_t pow2_floor(uint64_t v)
{
	uint64_t p = 1;
	while (v >= 2 && p <= v / 2)
		p <<= 1;
	return p;
}

static uint64_t pow2_ceil(uint64_t v)
{
	uint64_t p = 1;
	while (p < v && p < (1ull << 62))
		p <<= 1;
	return p;
}

/* A sixteenth of v's power of two (at least 1): the step round spans and
 * row starts are multiples of. */
static uint64_t sixteenth(uint64_t v)
{
	uint64_t q = pow2_floor(v) / 16;
	return q ? q : 1;
}

/* span rounded to the nearest multiple of its sixteenth. */
static uint64_t round_span(uint64_t span)
{
	uint64_t q = sixteenth(span);
	return (span + q / 2) / q * q;
}

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return v - v % a;
}

static uint64_t nrows_of(const pgt_cam_geom *g)
{
	return g->nrows > 0 ? (uint64_t)g->nrows : 1;
}

uint64_t pgt_cam_span(const pgt_cam_geom *g, uint64_t len)
{
	uint64_t n = nrows_of(g);
	uint64_t s = len / n + (len % n != 0);
	/* A window made for another row count (the pane's text grew or shrank
	 * under a held window) would give rows such as 0x7eef6aab: round the
	 * span up to a sixteenth of its power of two, so rows start at round
	 * addresses again.  A window of n rows keeps its span exactly. */
	if (len % n && s > 16) {
		uint64_t q = sixteenth(s);
		s = (s + q - 1) / q * q;
	}
	return s ? s : 1;
}

int pgt_cam_rows(const pgt_cam_geom *g, uint64_t lo, uint64_t len, pgt_strip_row *rows, int max)
{
	uint64_t span = pgt_cam_span(g, len);
	int n = g->nrows < max ? g->nrows : max;
	for (int k = 0; k < n; k++)
		rows[k] = (pgt_strip_row){.x = g->x,
		                          .y = g->y + k * g->pitch,
		                          .w = g->w,
		                          .h = g->row_h,
		                          .lo = lo + (uint64_t)k * span,
		                          .span = span};
	return n > 0 ? n : 0;
}

/* Offset within a row of pixel column x, computed as pgt_view_hit does. */
static uint64_t col_offset(const pgt_cam_geom *g, int x, uint64_t span)
{
	double f = (double)(x - g->x) / (double)g->w;
	return (uint64_t)(f * (double)span);
}

bool pgt_cam_addr_at(const pgt_cam_geom *g, uint64_t lo, uint64_t len, int x, int y, uint64_t *addr)
{
	if (g->nrows < 1 || g->w < 1 || g->pitch < 1 || x < g->x || x >= g->x + g->w || y < g->y)
		return false;
	int k = (y - g->y) / g->pitch;
	if (k >= g->nrows || y - (g->y + k * g->pitch) >= g->row_h)
		return false;
	uint64_t span = pgt_cam_span(g, len);
	*addr = lo + (uint64_t)k * span + col_offset(g, x, span);
	return true;
}

/* Window [lo, lo + n * span) kept inside [0, top); len 0 if it covers it. */
static pgt_pane_view clamp_window(const pgt_cam_geom *g, double lo, uint64_t span, uint64_t top)
{
	uint64_t len = span * nrows_of(g);
	if (span >= top || len >= top)
		return (pgt_pane_view){0, 0};
	if (lo < 0)
		lo = 0;
	if (lo > (double)(top - len))
		lo = (double)(top - len);
	return (pgt_pane_view){(uint64_t)lo, len};
}

/* The smallest row span: 16 pages (a page is then 1/16 of a row). */
static uint64_t min_span(const pgt_cam_geom *g)
{
	(void)g;
	return PGT_CAM_MIN_SPAN;
}

/* The step a window made by hand starts at: the largest power of two of
 * at most two pixels' worth of bytes (rounding to the nearest multiple
 * moves the picture by at most a pixel), and no more than a sixteenth of
 * the span's power of two, so that every row start is a multiple of it. */
static uint64_t hand_step(const pgt_cam_geom *g, uint64_t span)
{
	uint64_t px2 = g->w > 0 ? 2 * span / (uint64_t)g->w : span;
	uint64_t q = pow2_floor(px2 ? px2 : 1), cap = sixteenth(span);
	return q < cap ? q : cap;
}

/* Window v (rows of its span) with its first address rounded to the
 * nearest multiple of q, inside [0, top); at the map's end rounded down. */
static pgt_pane_view snap_lo(pgt_pane_view v, uint64_t q, uint64_t top)
{
	if (!v.len || q < 2)
		return v;
	uint64_t r = (v.lo + q / 2) / q * q;
	if (r > top - v.len)
		r = align_down(v.lo, q);
	v.lo = r;
	return v;
}

pgt_pane_view pgt_cam_anchor(const pgt_cam_geom *g, uint64_t addr, int x, int y, uint64_t span,
                             uint64_t addr_top)
{
	if (span < min_span(g))
		span = min_span(g);
	/* Round labels: the span a multiple of a sixteenth of its power of
	 * two (as the camera's on its way), the first row at a multiple of
	 * hand_step, which keeps addr under the pointer to a pixel. */
	span = round_span(span);
	int k = g->pitch > 0 ? (y - g->y) / g->pitch : 0;
	if (y < g->y || k < 0)
		k = 0;
	if (k >= g->nrows)
		k = g->nrows - 1;
	if (k < 0)
		k = 0;
	int cx = x < g->x ? g->x : x >= g->x + g->w ? g->x + g->w - 1 : x;
	uint64_t before = (uint64_t)k * span + (g->w > 0 ? col_offset(g, cx, span) : 0);
	double lo = addr >= before ? (double)(addr - before) : -1.0;
	return snap_lo(clamp_window(g, lo, span, addr_top), hand_step(g, span), addr_top);
}

pgt_pane_view pgt_cam_snap(const pgt_cam_geom *g, pgt_pane_view v, uint64_t addr_top)
{
	if (!v.len || g->nrows < 1)
		return v;
	return snap_lo(v, hand_step(g, pgt_cam_span(g, v.len)), addr_top);
}

pgt_pane_view pgt_cam_zoom(const pgt_cam_geom *g, uint64_t addr, int x, int y, uint64_t cur_span,
                           int clicks, uint64_t addr_top)
{
	double s = (double)cur_span / pow(1.5, (double)clicks);
	if (s < 1)
		s = 1;
	if (s > (double)addr_top)
		s = (double)addr_top;
	return pgt_cam_anchor(g, addr, x, y, (uint64_t)llround(s), addr_top);
}

pgt_pane_view pgt_cam_fit(const pgt_cam_geom *g, uint64_t lo, uint64_t hi, uint64_t addr_top)
{
	uint64_t span = pow2_ceil(pgt_cam_span(g, hi > lo ? hi - lo : 1));
	if (span < min_span(g))
		span = pow2_ceil(min_span(g));
	if (span >= addr_top || span * nrows_of(g) >= addr_top)
		return (pgt_pane_view){0, 0};
	uint64_t len = span * nrows_of(g);
	if (lo > addr_top - len)
		lo = addr_top - len;
	return (pgt_pane_view){lo, len};
}

pgt_pane_view pgt_cam_pan(const pgt_cam_geom *g, pgt_pane_view v, int dx, int drows,
                          uint64_t addr_top)
{
	if (!v.len || g->w < 1)
		return v;
	uint64_t span = pgt_cam_span(g, v.len);
	double d = -(double)dx / (double)g->w * (double)span - (double)drows * (double)span;
	return clamp_window(g, (double)v.lo + d, span, addr_top);
}

/* ---- following the story ---------------------------------------------------- */

pgt_cam_focus pgt_cam_focus_at(const pgt_view_model *m, int p, size_t ev)
{
	pgt_cam_focus f = {.kind = PGT_CAM_WHOLE, .event = SIZE_MAX};
	if (p < 0 || p >= m->npanes)
		return f;
	const pgt_pane_model *pm = &m->pane[p];
	if (!pm->nev || ev == 0)
		return f;
	if (ev >= pm->nev)
		ev = pm->nev - 1;
	/* A run that completed ends on the whole picture; a panic or a BUG
	 * keeps its last place in view. */
	if (ev + 1 == pm->nev && !pgt_sim_panic(pm->sim))
		return f;
	size_t stop = ev > 200000 ? ev - 200000 : 0; /* bounded scan */
	for (size_t i = ev; i > stop; i--) {
		pgt_event e = pgt_sim_event(pm->sim, i);
		f.event = i;
		switch (e.kind) {
		case PGT_EV_CALL_BEGIN:
		case PGT_EV_BUF_FOUND:
		case PGT_EV_MARK_RW:
			f.kind = PGT_CAM_RANGE;
			f.a = e.a;
			f.b = e.b;
			return f;
		case PGT_EV_RESERVE:
			if (e.aux != 2)
				break;
			f.kind = PGT_CAM_RANGE;
			f.a = e.a;
			f.b = e.b;
			return f;
		case PGT_EV_ALLOC:
		case PGT_EV_MARK_RO:
			f.kind = PGT_CAM_PAGE;
			f.a = f.b = e.a & ~(PAGE - 1);
			return f;
		case PGT_EV_VIOLATION:
			f.kind = PGT_CAM_PAGE;
			f.a = f.b = e.a & ~(PAGE - 1);
			if ((e.flags & 1) && e.b < pgt_sim_table_count(pm->sim))
				f.b = pgt_sim_table(pm->sim, (size_t)e.b).pa;
			return f;
		default:
			break;
		}
	}
	f.event = SIZE_MAX;
	return f;
}

/* Span at which a page gets at least g->page_px pixels (a power of two). */
static uint64_t page_span(const pgt_cam_geom *g)
{
	int px = g->page_px > 0 ? g->page_px : 16;
	uint64_t s = pow2_floor(PAGE * (uint64_t)(g->w > 0 ? g->w : 1) / (uint64_t)px);
	uint64_t lo = pow2_ceil(min_span(g));
	return s < lo ? lo : s;
}

/* Rows [first row of a .. last row of b) centred in the window.  Kept
 * inside the map, the rows still start at multiples of the span (round row
 * labels) when [a, b) fits that way. */
static pgt_pane_view frame_rows(const pgt_cam_geom *g, uint64_t a, uint64_t b, uint64_t span,
                                uint64_t top)
{
	uint64_t n = nrows_of(g);
	uint64_t lo = align_down(a, span);
	uint64_t used = (b - lo + span - 1) / span;
	if (used < 1)
		used = 1;
	uint64_t spare = used < n ? (n - used) / 2 : 0;
	double start = (double)lo - (double)(spare * span);
	if (used > n && b - a <= n * span) {
		/* [a, b) fits in the rows but straddles a row boundary (the Xen
		 * alias's PTE page and the refused page next to it, in one row):
		 * rows start where it fits, centred, at a sixteenth of the span. */
		uint64_t slack = n * span - (b - a), q = span / 16 ? span / 16 : 1;
		uint64_t s = a - (a < slack / 2 ? a : slack / 2);
		if (align_down(s, q) + n * span >= b)
			s = align_down(s, q);
		start = (double)s;
	}
	pgt_pane_view v = clamp_window(g, start, span, top);
	if (v.len && v.lo % span && b <= align_down(v.lo, span) + v.len)
		v.lo = align_down(v.lo, span);
	return v;
}

/* A window on the way to a target, rounded so that its row labels are
 * round: the span to a multiple of q, a sixteenth of its largest power of
 * two (so within about 3 % of what the easing asked for), and the first
 * address to a multiple of q, inside the map.  Every row then starts at a
 * multiple of q (0x14100000 rather than 0x1412d64b). */
static pgt_pane_view round_window(const pgt_cam_geom *g, double lo, uint64_t span, uint64_t top)
{
	span = round_span(span);
	/* (the sixteenth of the rounded span: it doubles at a power of two) */
	return snap_lo(clamp_window(g, lo, span, top), sixteenth(span), top);
}

pgt_pane_view pgt_cam_frame(const pgt_cam_geom *g, const pgt_cam_focus *f, uint64_t addr_top)
{
	if (f->kind == PGT_CAM_WHOLE || g->nrows < 1 || !addr_top)
		return (pgt_pane_view){0, 0};
	uint64_t n = nrows_of(g), ps = page_span(g);
	if (f->kind == PGT_CAM_PAGE) {
		uint64_t a = f->a < f->b ? f->a : f->b;
		uint64_t b = (f->a < f->b ? f->b : f->a) + PAGE;
		/* Both pages when they fit in the rows, else the first one. */
		if (b - a > (n > 2 ? n - 2 : 1) * ps) {
			a = f->a;
			b = f->a + PAGE;
		}
		return frame_rows(g, a, b, ps, addr_top);
	}
	uint64_t a = f->a, b = f->b > f->a ? f->b : f->a + PAGE;
	uint64_t span = ps;
	/* The smallest power-of-two span whose aligned rows hold [a, b). */
	while (span < (1ull << 62) && (b - align_down(a, span) + span - 1) / span > n)
		span <<= 1;
	return frame_rows(g, a, b, span, addr_top);
}

/* Centre and row span of a window (the whole map as n rows over it). */
static void pose_of(const pgt_cam_geom *g, pgt_pane_view v, uint64_t top, double *c, double *s)
{
	uint64_t len = v.len ? v.len : top;
	uint64_t lo = v.len ? v.lo : 0;
	*c = (double)lo + (double)len / 2.0;
	*s = (double)len / (double)nrows_of(g);
}

bool pgt_cam_approach(const pgt_cam_geom *g, pgt_pane_view *v, pgt_pane_view t, uint64_t addr_top,
                      double dt)
{
	pgt_pane_view old = *v;
	if (dt <= 0 || g->nrows < 1 || g->w < 1) {
		*v = t;
		return old.lo != v->lo || old.len != v->len;
	}
	if (old.lo == t.lo && old.len == t.len)
		return false;
	double n = (double)nrows_of(g);
	double c, s, ct, st;
	pose_of(g, old, addr_top, &c, &s);
	pose_of(g, t, addr_top, &ct, &st);
	double k = 1.0 - exp(-dt / PGT_CAM_TAU);
	double dist = fabs(ct - c);
	/* Far away: keep both ends in view on the way (zoom out, travel, in). */
	double s_goal = dist / (0.45 * n) > st ? dist / (0.45 * n) : st;
	double ls = log(s) + (log(s_goal) - log(s)) * k;
	double s1 = exp(ls);
	double step = (ct - c) * k, cap = s1 * n * 0.6;
	if (step > cap)
		step = cap;
	if (step < -cap)
		step = -cap;
	double c1 = c + step;
	double px = s1 / (double)g->w; /* bytes per pixel */
	if (fabs(ct - c1) < px && fabs(log(s1 / st)) < 0.01) {
		*v = t;
		return true;
	}
	uint64_t span = (uint64_t)llround(s1);
	if (span < 1)
		span = 1;
	double len = (double)span * n;
	*v = round_window(g, c1 - len / 2.0, span, addr_top);
	if (!v->len && t.len == 0) {
		*v = t;
		return old.lo != v->lo || old.len != v->len;
	}
	if (v->lo == old.lo && v->len == old.len) /* rounding stalled: arrive */
		*v = t;
	return true;
}

/* Does window v show focus f of target t legibly: the focus (its part in
 * t) inside v, and v at most twice t's length (a page at least half the
 * pixels the target gives it)?  The whole map shows only the whole map. */
static bool shows(pgt_pane_view v, pgt_pane_view t, const pgt_cam_focus *f)
{
	if (!t.len)
		return !v.len;
	if (!v.len || v.len / 2 > t.len)
		return false;
	uint64_t a = f->a, b = f->kind == PGT_CAM_PAGE ? f->a + PAGE : f->b;
	if (a < t.lo)
		a = t.lo;
	if (b > t.lo + t.len)
		b = t.lo + t.len;
	return a >= v.lo && b <= v.lo + v.len;
}

/* While playing, a target that changes before the camera reached the one
 * before (mail-0-1g-4k at 8 steps per second: a new PTE page every 0.5 s,
 * 2 MiB on) means the easing cannot keep up: the pane is in a rush and,
 * as a clip that skips steps, arrives at once where easing would leave
 * its focus out of view.  The rush ends when a target holds a second or
 * the play stops. */
#define RUSH_CALM 1.0

static bool same_view(pgt_pane_view a, pgt_pane_view b)
{
	return a.lo == b.lo && a.len == b.len;
}

static bool rushed(pgt_viewstate *vs, int p, pgt_pane_view t, double dt)
{
	if (!vs->playing) {
		vs->cam_rush[p] = false;
	} else if (!same_view(t, vs->cam_goal[p])) {
		if (vs->cam_age[p] >= RUSH_CALM)
			vs->cam_rush[p] = false;
		else if (!same_view(vs->pane[p], vs->cam_goal[p]))
			vs->cam_rush[p] = true; /* still on its way to the last one */
		vs->cam_age[p] = 0;
	} else {
		vs->cam_age[p] += dt > 0 ? dt : 0;
	}
	vs->cam_goal[p] = t;
	return vs->cam_rush[p];
}

static bool tick(pgt_viewstate *vs, const pgt_view_model *m, const pgt_view_layout *lay, double dt,
                 bool settle)
{
	if (!vs->follow || !lay)
		return false;
	bool changed = false;
	for (int p = 0; p < m->npanes && p < lay->npanes && p < 2; p++) {
		const pgt_cam_geom *g = &lay->pane[p].cam;
		if (g->nrows < 1 || g->w < 1)
			continue;
		pgt_cam_focus f = pgt_cam_focus_at(m, p, pgt_view_pane_at(m, vs, p));
		pgt_pane_view t = pgt_cam_frame(g, &f, m->addr_top);
		bool rush = rushed(vs, p, t, dt);
		changed |= pgt_cam_approach(g, &vs->pane[p], t, m->addr_top, dt);
		if ((settle || rush) && !shows(vs->pane[p], t, &f)) {
			vs->pane[p] = t;
			changed = true;
		}
	}
	return changed;
}

bool pgt_camera_tick(pgt_viewstate *vs, const pgt_view_model *m, const pgt_view_layout *lay,
                     double dt)
{
	return tick(vs, m, lay, dt, false);
}

bool pgt_camera_clip_tick(pgt_viewstate *vs, const pgt_view_model *m, const pgt_view_layout *lay,
                          double dt, size_t prev, uint32_t frames)
{
	if (prev == SIZE_MAX)
		return tick(vs, m, lay, 0, false);
	return tick(vs, m, lay, dt, vs->step > prev + 1 && frames == 1);
}

/* ---- --view START..END ---------------------------------------------------------- */

/* One number with an optional K/M/G/T suffix; *end = first unread char. */
static bool parse_addr(const char *s, const char **end, uint64_t *out)
{
	int base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (base == 10 && s[0] == '0' && isdigit((unsigned char)s[1]))
		return false; /* "010G": no leading zeros in decimal (opts.c's rule) */
	uint64_t v = 0;
	const char *p = s;
	for (; *p; p++) {
		int d;
		if (isdigit((unsigned char)*p))
			d = *p - '0';
		else if (base == 16 && isxdigit((unsigned char)*p))
			d = tolower((unsigned char)*p) - 'a' + 10;
		else
			break;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	if (p == s)
		return false;
	static const char units[] = "KMGT";
	const char *u = *p ? strchr(units, toupper((unsigned char)*p)) : NULL;
	if (u) {
		unsigned shift = 10u * (unsigned)(u - units + 1);
		if (v > (UINT64_MAX >> shift))
			return false;
		v <<= shift;
		p++;
	}
	*out = v;
	*end = p;
	return true;
}

bool pgt_cam_parse_range(const char *text, uint64_t *lo, uint64_t *hi, char *msg, size_t size)
{
	const char *dots = text ? strstr(text, "..") : NULL;
	const char *e1, *e2;
	if (!dots || !parse_addr(text, &e1, lo) || e1 != dots || !parse_addr(dots + 2, &e2, hi) ||
	    *e2) {
		snprintf(msg, size,
		         "'%s' is not an address range START..END (numbers, 0x hex or with "
		         "K/M/G/T: 0x7e000000..0x7f000000, 2G..3G)",
		         text ? text : "");
		return false;
	}
	if (*hi <= *lo) {
		snprintf(msg, size, "'%s': END must be above START", text);
		return false;
	}
	return true;
}
