/*
 * view.c: simulation results + view state -> draw list (SDL-free).
 *
 * The frame: pgt_view_build() lays the canvas out and calls the parts
 * (view_internal.h names them), the building context and its text
 * helpers, the colours of levels.
 *
 * Screen layout (for a canvas W x H; all sizes are multiples of a unit
 * u = H / 1080 x UI scale, so nothing is a pixel constant):
 *
 *   +--------------------------------------------------------------+
 *   | title                                   step 42 / 310  > 8/s |
 *   +------------------------------+-------------------------------+
 *   | scheme A + kernel model      | scheme B + kernel model       |
 *   | narration caption (2 lines)  | narration caption             |
 *   | memory map: one row per      | ...                           |
 *   |   address block, holes       |                               |
 *   |   compressed                 |                               |
 *   | detail strip: pgt_buf / BRK  |                               |
 *   | detail strip: memblock pages |                               |
 *   | counters         | tree      |                               |
 *   +------------------------------+-------------------------------+
 *   | legend                                                       |
 *   | timeline scrubber with markers                               |
 *   | status bar (window only)                                     |
 *   +--------------------------------------------------------------+
 *
 * The memory map is described in view_map.c, the pane in view_pane.c.
 */
#include "view_internal.h"

#include "pgtviz/inspect.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* s cut to width w, with an ellipsis when it does not fit, into buf: cut
 * at a UTF-8 character boundary, spaces before the ellipsis dropped. */
const char *text_fit(const ctx *c, int font, int px, const char *s, int w, char *buf, size_t size)
{
	if (!size)
		return "";
	snprintf(buf, size, "%s", s);
	size_t len = strlen(buf);
	if (len < strlen(s)) /* snprintf cut s: back to a character boundary */
		while (len > 0 && (buf[len] & 0xc0) == 0x80)
			buf[--len] = '\0';
	while (len > 0 && measure(c, font, px, buf) > w) {
		len--;
		while (len > 0 && (buf[len] & 0xc0) == 0x80)
			len--;
		while (len > 0 && buf[len - 1] == ' ')
			len--;
		if (len + sizeof("…") > size)
			continue;
		memcpy(buf + len, "…", sizeof("…"));
	}
	return buf;
}

/* ======================================================================== */
/* Small helpers                                                            */
/* ======================================================================== */

/* Like pgt_fmt_size, but a size that is not whole units is cut to one
 * decimal, never rounded up: a part of a total ("direct-mapped: 1.9 GiB" of
 * 2 GiB at 97%) must not read as the whole ("2.0 GiB"). */
char *pgt_fmt_size_down(uint64_t bytes, char *buf, size_t size)
{
	int u = 0;
	while (u < 5 && bytes >> (10 * (u + 1)) != 0)
		u++;
	uint64_t unit = 1ull << (10 * u);
	if (u == 0 || bytes % unit == 0)
		return pgt_fmt_size(bytes, buf, size);
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
	/* in hundredths of the unit, cut */
	uint64_t h = (uint64_t)((bytes / unit) * 100 + (bytes % unit) * 100 / unit);
	if (h < 1000 && h % 10 != 0)
		snprintf(buf, size, "%" PRIu64 ".%02" PRIu64 " %s", h / 100, h % 100, units[u]);
	else
		snprintf(buf, size, "%" PRIu64 ".%" PRIu64 " %s", h / 100, h % 100 / 10, units[u]);
	return buf;
}

char *pgt_fmt_size(uint64_t bytes, char *buf, size_t size)
{
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
	int u = 0;
	while (u < 5 && bytes >> (10 * (u + 1)) != 0)
		u++;
	uint64_t unit = 1ull << (10 * u);
	if (bytes % unit == 0)
		snprintf(buf, size, "%" PRIu64 " %s", bytes / unit, units[u]);
	else {
		/* never "1024.0 MiB" for a little less than 1 GiB (the mapped
		 * share of a map with holes): cut instead of rounding up */
		double v = (double)bytes / (double)unit;
		if (v >= 1023.95)
			v = floor(v * 10.0) / 10.0;
		snprintf(buf, size, "%.1f %s", v, units[u]);
	}
	return buf;
}

/* Bytes of address space one table of a level covers. */
uint64_t level_span(int level)
{
	switch (level) {
	case PGT_PTE:
		return 1ull << 21;
	case PGT_PMD:
		return 1ull << 30;
	case PGT_PUD:
		return 1ull << 39;
	default:
		return 1ull << 48;
	}
}

pgt_color level_color(const pgt_theme *t, int level)
{
	switch (level) {
	case PGT_PGD:
		return t->pgd;
	case PGT_PUD:
		return t->pud;
	case PGT_PMD:
		return t->pmd;
	default:
		return t->pte;
	}
}

/* ======================================================================== */
/* Frame building context                                                   */
/* ======================================================================== */

int U(const ctx *c, double v)
{
	double r = v * (double)c->u;
	return (int)lround(r < 1.0 && v > 0 ? 1.0 : r);
}

int measure(const ctx *c, int font, int px, const char *s)
{
	if (c->p->measure)
		return c->p->measure(c->p->measure_ctx, font, px, s);
	return (int)((double)px * (font == PGT_FONT_MONO ? 0.60 : 0.55) * (double)strlen(s));
}

void textf(const ctx *c, int x, int y, int font, int px, int anchor, pgt_color col, const char *fmt,
           ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dl_text(c->dl, x, y, font, px, anchor, col, buf);
}

/* Word-wraps s into at most maxl lines of width w; returns lines drawn. */
int text_wrapped(const ctx *c, int x, int y, int w, int font, int px, int lh, pgt_color col,
                 const char *s, int maxl)
{
	char line[512];
	int nl = 0;
	while (*s && nl < maxl) {
		size_t best = 0, i = 0, len = strlen(s);
		while (i <= len) {
			if (s[i] == ' ' || s[i] == '\0') {
				if (i >= sizeof(line))
					break;
				memcpy(line, s, i);
				line[i] = '\0';
				if (measure(c, font, px, line) > w && best)
					break;
				best = i;
				if (s[i] == '\0')
					break;
			}
			i++;
		}
		if (best == 0)
			best = len < sizeof(line) - 1 ? len : sizeof(line) - 1;
		if (nl == maxl - 1 && best < len) {
			/* Last line: cut with an ellipsis. */
			size_t k = best;
			if (k > sizeof(line) - 5)
				k = sizeof(line) - 5;
			memcpy(line, s, k);
			memcpy(line + k, " …", sizeof(" …"));
		} else {
			memcpy(line, s, best);
			line[best] = '\0';
		}
		dl_text(c->dl, x, y + nl * lh, font, px, PGT_AN_LEFT, col, line);
		nl++;
		s += best;
		while (*s == ' ')
			s++;
	}
	return nl;
}

/* ======================================================================== */
/* Frame                                                                    */
/* ======================================================================== */

/* Font size in pixels: the design size times the unit, never below the
 * legible minimum (text is not shrunk below it; overlays are dropped
 * instead, see compact). */
static int font_px(const ctx *c, double design, int min_px)
{
	int v = U(c, design);
	return v < min_px ? min_px : v;
}

static void build(ctx *c);

void pgt_view_build(pgt_drawlist *dl, pgt_view_layout *lay, const pgt_view_model *m,
                    const pgt_viewstate *vs, const pgt_view_params *p)
{
	pgt_view_cache tmp;
	pgt_view_cache *cache = p->cache;
	if (!cache) {
		pgt_view_cache_init(&tmp);
		cache = &tmp;
	}
	view_cache_follow(cache, m);
	ctx c;
	memset(&c, 0, sizeof(c));
	c.dl = dl;
	c.lay = lay;
	c.m = m;
	c.cache = cache;
	c.vs = vs;
	c.p = p;
	pgt_view_title(m, vs, c.title, sizeof(c.title));
	build(&c);
	if (cache == &tmp)
		pgt_view_cache_free(&tmp);
}

/* Lays the canvas out and draws every part. */
static void build(ctx *cp)
{
	pgt_drawlist *dl = cp->dl;
	pgt_view_layout *lay = cp->lay;
	const pgt_view_model *m = cp->m;
	const pgt_viewstate *vs = cp->vs;
	const pgt_view_params *p = cp->p;
	memset(lay, 0, sizeof(*lay));
	pgt_dl_reset(dl, p->width, p->height, p->theme->bg);
	float scale = vs->ui_scale > 0 ? vs->ui_scale : 1.0f;
	ctx c = *cp;
	c.t = p->theme;
	c.u = (float)p->height / 1080.0f * scale;
	lay->width = p->width;
	lay->height = p->height;
	lay->unit = c.u;
	lay->npanes = m->npanes;
	lay->marker_w = U(&c, 4) < 2 ? 2 : U(&c, 4);
	/* The smallest text: PGT_LEGIBLE_PX from 720 px of height up (a
	 * projector), less on smaller canvases, never below PGT_MIN_FONT_PX. */
	int minpx = (int)lround(PGT_LEGIBLE_PX * (double)p->height / 720.0);
	if (minpx > PGT_LEGIBLE_PX)
		minpx = PGT_LEGIBLE_PX;
	if (minpx < PGT_MIN_FONT_PX)
		minpx = PGT_MIN_FONT_PX;
	c.fs_title = font_px(&c, 30, minpx >= PGT_LEGIBLE_PX ? minpx + 6 : PGT_MIN_FONT_PX + 5);
	c.fs_head = font_px(&c, 22, minpx >= PGT_LEGIBLE_PX ? minpx + 2 : PGT_MIN_FONT_PX + 3);
	c.fs_body = font_px(&c, 19, minpx > PGT_MIN_FONT_PX + 2 ? minpx : PGT_MIN_FONT_PX + 2);
	c.fs_small = font_px(&c, 16, minpx > PGT_MIN_FONT_PX + 1 ? minpx : PGT_MIN_FONT_PX + 1);
	c.fs_tiny = font_px(&c, 14, minpx);
	/* Small canvases keep legible text and drop the lower-priority parts:
	 * below 760 px the tree, the difference lane and the second detail
	 * strip (the pgt_buf / BRK strip stays), below 520 px everything but
	 * the caption, the map and the timeline. */
	float eff = (float)p->height / scale;
	c.compact = eff < 520 ? 2 : eff < 760 ? 1 : 0;
	/* A narrow canvas (below 520 px of width, a portrait window): the two
	 * panes one above the other at the full width, and what does not fit
	 * that way is dropped on purpose -- the legend, the counters, the tree
	 * and the difference lane; the heading, caption, notes, map, the
	 * pgt_buf / BRK strip and the timeline stay, the title wraps. */
	c.narrow = (float)p->width / scale < 520;
	if (c.narrow && c.compact < 1)
		c.compact = 1;

	int pad = U(&c, 16);
	int header_h = header_height(&c);
	int status_h =
	    p->interactive ? (U(&c, 30) > c.fs_small + 6 ? U(&c, 30) : c.fs_small + 6) : 0;
	int tl_h = (vs->overlays & PGT_OV_TIMELINE) ? U(&c, 40) : 0;
	if (tl_h && tl_h < 16)
		tl_h = 16;
	/* The legend wraps onto as many lines as its items need (it also
	 * holds the timeline's key). */
	int legend_h = (vs->overlays & PGT_OV_LEGEND) && c.compact < 2 && !c.narrow
	                   ? legend_height(&c, p->width - 2 * U(&c, 16))
	                   : 0;
	/* The difference lane needs the width of a wide canvas for its rows'
	 * words and axis: below 1300 px (1280x800, 1024x768) it gives way too. */
	int diff_h = (vs->overlays & PGT_OV_DIFF) && m->npanes == 2 && !c.compact &&
	                     (float)p->width / scale >= 1300
	                 ? U(&c, 84)
	                 : 0;
	/* The lane's caption sits under the lower pane's marks (view_diff.c:
	 * rows of (h - U(8)) / 2, marks 6/10 of a row from the axis): a short
	 * canvas (1366x768) keeps room for the caption's line under them,
	 * rather than write it over them. */
	while (diff_h && diff_h / 2 + U(&c, 2) + (diff_h - U(&c, 8)) / 2 * 6 / 10 >
	                     diff_h - U(&c, 2) - c.fs_tiny)
		diff_h++;
	draw_header(&c, header_h);
	int py = header_h, ph = p->height - header_h - diff_h - legend_h - tl_h - status_h - pad -
	                        (diff_h ? pad / 2 : 0);
	int pw = m->npanes == 2 ? (p->width - 3 * pad) / 2 : p->width - 2 * pad;
	if (c.narrow && m->npanes == 2) { /* stacked */
		int h2 = (ph - pad / 2) / 2;
		for (int i = 0; i < 2; i++)
			draw_pane(&c, i, pad, py + i * (h2 + pad / 2), p->width - 2 * pad, h2);
	} else {
		for (int i = 0; i < m->npanes; i++)
			draw_pane(&c, i, pad + i * (pw + pad), py, pw, ph);
	}
	int y = py + ph + U(&c, 4);
	if (diff_h) {
		y += pad / 2 - U(&c, 4);
		draw_diff(&c, y, diff_h);
		y += diff_h + U(&c, 4);
	}
	if (legend_h)
		draw_legend(&c, y, legend_h);
	y += legend_h;
	if (tl_h)
		draw_timeline(&c, y, tl_h);
	y += tl_h;
	if (status_h)
		draw_status(&c, y, status_h);
	/* the map's tooltip would show through an open panel: only without one */
	bool panel = vs->show_help || vs->show_glossary || vs->show_picker ||
	             (vs->show_check && vs->check) ||
	             (vs->show_inspect && vs->inspect && vs->inspect->valid);
	if (p->interactive && !panel)
		draw_tooltip(&c);
	if (vs->show_check && vs->check && !vs->show_help)
		draw_check(&c, vs->check);
	else if (vs->show_inspect && vs->inspect && vs->inspect->valid && !vs->show_help)
		draw_inspector(&c, vs->inspect);
	if (vs->show_help)
		draw_help(&c);
	else if (vs->show_glossary)
		draw_glossary(&c);
	else if (vs->show_picker)
		draw_picker(&c);
}

void pgt_viewstate_init(pgt_viewstate *vs)
{
	memset(vs, 0, sizeof(*vs));
	vs->speed = 8.0;
	vs->overlays = PGT_OV_ALL;
	vs->sel_pane = -1;
	vs->sel_table = UINT32_MAX;
	vs->ui_scale = 1.0f;
	vs->range_start = SIZE_MAX;
	vs->break_from = SIZE_MAX;
	vs->follow = true; /* the camera (camera.h): whole map at step 0 */
}
