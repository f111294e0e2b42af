/*
 * What the legibility tests share (test_ui_legible.c, test_ui_panels.c):
 * loading a gallery scenario, the ink boxes of the draw list's texts and
 * check_frame, which runs every check on one built frame (text size,
 * overlap, clipping, contrast, ellipsis, placeholder text).  Header-only,
 * as t.h: each test program includes it once.
 */
#ifndef PGTVIZ_TESTS_LEGIBLE_H
#define PGTVIZ_TESTS_LEGIBLE_H

#define _DEFAULT_SOURCE
#include "colour.h"
#include "t.h"

#include "font_internal.h"
#include "pgtviz/camera.h"
#include "pgtviz/diag.h"
#include "pgtviz/inspect.h"
#include "pgtviz/logcheck.h"
#include "pgtviz/picker.h"
#include "pgtviz/render.h"
#include "pgtviz/scenario_json.h"
#include "pgtviz/session.h"

#include <SDL.h>
#include <stdlib.h>

#ifndef PGT_LEGIBLE_PX
#define PGT_LEGIBLE_PX 16
#endif

static pgt_fonts *fonts;

/* ---- loading ---- */

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, len = 0;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t r = fread(buf + len, 1, cap - len - 1, f);
		len += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	*n = len;
	return buf;
}

/* A built-in name (with the notes of its file) or a gallery file name. */
static pgt_session *start(const char *name, const char *schemes)
{
	pgt_scenario sc = {0};
	if (!strstr(name, ".json")) {
		int i = pgt_builtin_find(name);
		if (i < 0 || !pgt_builtin_load((size_t)i, &sc))
			return NULL;
		pgt_scenario_add_file_notes(&sc, PGTVIZ_SCENARIO_DIR);
		return pgt_session_start(&sc, schemes, NULL, NULL);
	}
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", PGTVIZ_SCENARIO_DIR, name);
	size_t n;
	char *text = slurp(path, &n);
	if (!text)
		return NULL;
	pgt_diags d;
	pgt_diags_init(&d, path);
	bool ok = pgt_scenario_from_json(text, n, &sc, &d);
	pgt_diags_print(&d, stderr);
	pgt_diags_free(&d);
	free(text);
	return ok ? pgt_session_start(&sc, schemes, NULL, NULL) : NULL;
}

/* ---- geometry of the draw list ---- */

typedef struct box {
	int x0, y0, x1, y1; /* half-open */
} box;

static bool box_meets(box a, box b)
{
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

static bool box_inside(box a, box outer)
{
	return a.x0 >= outer.x0 && a.y0 >= outer.y0 && a.x1 <= outer.x1 && a.y1 <= outer.y1;
}

static box box_cut(box a, box b)
{
	box r = {a.x0 > b.x0 ? a.x0 : b.x0, a.y0 > b.y0 ? a.y0 : b.y0, a.x1 < b.x1 ? a.x1 : b.x1,
	         a.y1 < b.y1 ? a.y1 : b.y1};
	return r;
}

/* Ink of a text command: where the rasterizer puts pixels with alpha above
 * a quarter (anti-aliasing fringes do not count as overlap).  Empty box
 * for empty text. */
static box text_ink(const pgt_drawlist *dl, const pgt_dl_cmd *c)
{
	box b = {0, 0, 0, 0};
	const char *txt = pgt_dl_text(dl, c);
	if (!txt[0])
		return b;
	SDL_Surface *t = pgt_fonts_text(fonts, c->font, c->size, c->color & 0xffffff, txt);
	if (!t)
		return b;
	int x, y;
	pgt_raster_text_origin(c, t->w, t->h, &x, &y);
	int mx0 = t->w, my0 = t->h, mx1 = -1, my1 = -1;
	for (int j = 0; j < t->h; j++) {
		const uint32_t *row =
		    (const uint32_t *)(const void *)((const uint8_t *)t->pixels +
		                                     (size_t)j * (size_t)t->pitch);
		for (int i = 0; i < t->w; i++)
			if ((row[i] >> 24) > 64) {
				mx0 = i < mx0 ? i : mx0;
				mx1 = i > mx1 ? i : mx1;
				my0 = j < my0 ? j : my0;
				my1 = j > my1 ? j : my1;
			}
	}
	if (mx1 < 0)
		return b;
	b = (box){x + mx0, y + my0, x + mx1 + 1, y + my1 + 1};
	return b;
}

/* Area a command paints (before clipping). */
static box cmd_area(const pgt_dl_cmd *c)
{
	if (c->kind == PGT_DL_LINE) {
		int x0 = c->x < c->x + c->w ? c->x : c->x + c->w;
		int y0 = c->y < c->y + c->h ? c->y : c->y + c->h;
		int hw = c->width / 2;
		return (box){x0 - hw, y0 - hw, x0 + abs(c->w) + c->width - hw,
		             y0 + abs(c->h) + c->width - hw};
	}
	return (box){c->x, c->y, c->x + c->w, c->y + c->h};
}

/* Colour painted at (x, y) by the commands before index end. */
static pgt_color colour_under(const pgt_drawlist *dl, size_t end, int x, int y)
{
	pgt_color col = dl->clear | 0xff000000u;
	box clip = {0, 0, dl->width, dl->height}, canvas = clip;
	for (size_t i = 0; i < end; i++) {
		const pgt_dl_cmd *c = &dl->cmds[i];
		if (c->kind == PGT_DL_CLIP) {
			clip = c->w > 0 && c->h > 0 ? (box){c->x, c->y, c->x + c->w, c->y + c->h}
			                            : canvas;
			continue;
		}
		if (c->kind != PGT_DL_RECT)
			continue;
		box a = box_cut(cmd_area(c), clip);
		if (x >= a.x0 && x < a.x1 && y >= a.y0 && y < a.y1)
			col = col_over(c->color, col);
	}
	return col;
}

/* ---- one frame ---- */

typedef struct frame_id {
	const char *scen, *schemes, *theme;
	size_t step;
	int w, h;
} frame_id;

static int problems; /* printed so far (the first few of each frame) */

static void report(const frame_id *f, int *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void report(const frame_id *f, int *n, const char *fmt, ...)
{
	static int all = -1;
	if (all < 0)
		all = getenv("PGTVIZ_LEGIBLE_ALL") != NULL;
	if ((*n)++ >= 6 && !all)
		return;
	problems++;
	fprintf(stderr, "%s%s%s step %zu %dx%d %s: ", f->scen, f->schemes ? " " : "",
	        f->schemes ? f->schemes : "", f->step, f->w, f->h, f->theme);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

typedef struct text_at {
	size_t i; /* command index */
	box ink;
	box clip; /* clip rectangle in force */
} text_at;

/* Runs every check on one built frame; returns the problem count. */
static int check_frame(const frame_id *f, const pgt_drawlist *dl, const pgt_view_layout *lay)
{
	int bad = 0;
	text_at *tx = calloc(dl->n + 1, sizeof(*tx));
	if (!tx)
		return 1;
	size_t nt = 0;
	box canvas = {0, 0, dl->width, dl->height}, clip = canvas;
	int min_px = f->h >= 720 ? PGT_LEGIBLE_PX : PGT_MIN_FONT_PX;
	for (size_t i = 0; i < dl->n; i++) {
		const pgt_dl_cmd *c = &dl->cmds[i];
		if (c->kind == PGT_DL_CLIP) {
			clip = c->w > 0 && c->h > 0 ? (box){c->x, c->y, c->x + c->w, c->y + c->h}
			                            : canvas;
			continue;
		}
		if (c->kind != PGT_DL_TEXT)
			continue;
		const char *s = pgt_dl_text(dl, c);
		if (c->size < min_px)
			report(f, &bad, "text %d px < %d px: \"%s\"", c->size, min_px, s);
		if (strstr(s, "…") || strstr(s, "..."))
			report(f, &bad, "text cut with an ellipsis: \"%s\"", s);
		if (strstr(s, "appear here"))
			report(f, &bad, "placeholder text: \"%s\"", s);
		box ink = text_ink(dl, c);
		if (ink.x1 <= ink.x0)
			continue;
		tx[nt++] = (text_at){i, ink, clip};
		if (!box_inside(ink, canvas) || !box_inside(ink, clip))
			report(f, &bad, "text clipped (ink %d,%d-%d,%d, clip %d,%d-%d,%d): \"%s\"",
			       ink.x0, ink.y0, ink.x1, ink.y1, clip.x0, clip.y0, clip.x1, clip.y1,
			       s);
		for (int p = 0; p < lay->npanes; p++) {
			const pgt_pane_layout *pl = &lay->pane[p];
			box pb = {pl->x, pl->y, pl->x + pl->w, pl->y + pl->h};
			if (box_meets(ink, pb) && !box_inside(ink, pb))
				report(f, &bad, "text crosses the edge of pane %d: \"%s\"", p, s);
		}
		/* Contrast against what is under the ink (centre and corners). */
		int px[5] = {(ink.x0 + ink.x1) / 2, ink.x0, ink.x1 - 1, ink.x0, ink.x1 - 1};
		int py[5] = {(ink.y0 + ink.y1) / 2, ink.y0, ink.y0, ink.y1 - 1, ink.y1 - 1};
		double worst = 21;
		for (int k = 0; k < 5; k++) {
			double r = col_contrast(c->color, colour_under(dl, i, px[k], py[k]));
			worst = r < worst ? r : worst;
		}
		if (worst < 4.5)
			report(f, &bad, "text contrast %.2f:1 < 4.5:1: \"%s\"", worst, s);
	}
	/* Overlaps between texts, and shapes painted over a text later. */
	for (size_t a = 0; a < nt; a++) {
		for (size_t b = a + 1; b < nt; b++)
			if (box_meets(box_cut(tx[a].ink, tx[a].clip),
			              box_cut(tx[b].ink, tx[b].clip)))
				report(f, &bad, "texts overlap: \"%s\" and \"%s\"",
				       pgt_dl_text(dl, &dl->cmds[tx[a].i]),
				       pgt_dl_text(dl, &dl->cmds[tx[b].i]));
		box cl = canvas;
		for (size_t j = 0; j < dl->n; j++) {
			const pgt_dl_cmd *c = &dl->cmds[j];
			if (c->kind == PGT_DL_CLIP) {
				cl = c->w > 0 && c->h > 0
				         ? (box){c->x, c->y, c->x + c->w, c->y + c->h}
				         : canvas;
				continue;
			}
			/* A line (a label's leader) through a text, drawn before or
			 * after it: the text is hard to read and the line looks
			 * attached to the wrong label. */
			if (c->kind == PGT_DL_LINE && j != tx[a].i &&
			    box_meets(box_cut(cmd_area(c), cl), tx[a].ink)) {
				report(f, &bad,
				       "a line crosses a text (line at %d,%d-%d,%d): \"%s\"", c->x,
				       c->y, c->x + c->w, c->y + c->h,
				       pgt_dl_text(dl, &dl->cmds[tx[a].i]));
				continue;
			}
			if (j <= tx[a].i || c->kind == PGT_DL_TEXT || c->kind == PGT_DL_FRAME ||
			    (c->color >> 24) < 0xff)
				continue;
			box area = box_cut(cmd_area(c), cl);
			if (box_meets(area, tx[a].ink)) {
				report(f, &bad,
				       "text painted over by a later shape (kind %d, colour %08x) "
				       "at %d,%d: \"%s\"",
				       c->kind, c->color, area.x0, area.y0,
				       pgt_dl_text(dl, &dl->cmds[tx[a].i]));
				break;
			}
		}
	}
	free(tx);
	return bad;
}

static const char *const themes[] = {"light", "dark", "cb"};
/* 720p and 1080p, a narrow window, and two heights below 520 px (the
 * README's 800x450 GIF; a 640x360 clip), where the view drops its counters,
 * strips and legend and keeps the texts whole (docs/window.md). */
static const int sizes[][2] = {{1280, 720}, {1920, 1080}, {480, 720}, {800, 450}, {640, 360}};
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

static size_t first_marker(const pgt_view_model *m, int kind)
{
	for (size_t i = 0; i < m->nmarkers; i++)
		if (m->markers[i].kind == kind)
			return m->markers[i].step;
	return SIZE_MAX;
}

#endif
