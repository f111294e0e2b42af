/*
 * Legible on a projector (issue 12): walks the draw list of gallery frames
 * at 1280x720 and 1920x1080 in every theme, the Xen violation step
 * included, and asserts on what a viewer would see:
 *   - no text below 16 px on a canvas of 720 px or more (PGT_LEGIBLE_PX);
 *   - no two text boxes overlap, no text is clipped (by the canvas, the
 *     active clip rectangle or its pane) or painted over by a later shape,
 *     and no line (a strip label's leader) crosses a text, before or after;
 *   - every text reaches 4.5:1 against what is painted under it (WCAG 2.1
 *     contrast, colour.h);
 *   - no text ends in an ellipsis (notes and captions wrap) and no
 *     placeholder text is shown;
 *   - the elements that carry the story stay at 720p: the pgt_buf / BRK
 *     strip whenever a buffer is placed;
 *   - the counters agree with each other and with the story: the heading's
 *     share mapped with "direct-mapped", no 100% after a panic, the tables
 *     present at boot counted at step 0, no BRK/memblock counters on the
 *     chunk-end pane, a final caption that sums the run up.
 * Text boxes are the ink of the rendered text (the same font cache the
 * rasterizer paints from), so the test sees what the PNG shows.
 */
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

/* Whether a text of dl inside pane p's heading row starts with want. */
static bool heading_has(const pgt_drawlist *dl, const pgt_pane_layout *pl, int fs, const char *want)
{
	for (size_t i = 0; i < dl->n; i++) {
		const pgt_dl_cmd *c = &dl->cmds[i];
		if (c->kind == PGT_DL_TEXT && c->x >= pl->x && c->x <= pl->x + pl->w &&
		    c->y >= pl->y && c->y < pl->y + 2 * fs &&
		    !strncmp(pgt_dl_text(dl, c), want, strlen(want)))
			return true;
	}
	return false;
}

/* The buffer strip is on screen whenever the pane has a buffer, and each
 * pane's heading shows its own event number ("event N/M", one numbering
 * with `trace` and --steps PANE:N) except at a violation, whose banner
 * takes its place -- from 520 px of width: a narrow canvas stacks the
 * panes and gives the texts and the map its room first, docs/window.md
 * "Display scaling". */
static int check_story(const frame_id *f, const pgt_session *s, const pgt_drawlist *dl,
                       const pgt_view_layout *lay, const pgt_viewstate *vs)
{
	int bad = 0;
	if (f->w < 520)
		return 0;
	for (int p = 0; p < s->model.npanes; p++) {
		const pgt_pane_model *pm = &s->model.pane[p];
		size_t ev = pgt_view_pane_at(&s->model, vs, p);
		bool placed = pm->nbufs && pm->bufs[0].placed <= ev;
		if (placed && lay->pane[p].detail[0].w <= 0)
			report(f, &bad, "pane %d: no pgt_buf/BRK strip", p);
		pgt_event e = pgt_sim_event(pm->sim, ev);
		char want[64];
		snprintf(want, sizeof(want), "event %zu/%zu", ev, pm->nev ? pm->nev - 1 : 0);
		if (pm->nev && e.kind != PGT_EV_VIOLATION &&
		    !heading_has(dl, &lay->pane[p], f->h * 22 / 1080 + 16, want))
			report(f, &bad, "pane %d: no \"%s\" in its heading", p, want);
	}
	return bad;
}

static const char *const themes[] = {"light", "dark", "cb"};
static const int sizes[][2] = {{1280, 720}, {1920, 1080}, {480, 720}};

/* Every check on step of s at both sizes in every theme. */
static void check_step(pgt_session *s, const char *scen, const char *schemes, size_t step)
{
	for (size_t t = 0; t < 3; t++) {
		pgt_theme th;
		REQUIRE(pgt_theme_load(&th, themes[t], NULL));
		for (size_t k = 0; k < 3; k++) {
			frame_id f = {scen, schemes, themes[t], step, sizes[k][0], sizes[k][1]};
			pgt_drawlist dl;
			pgt_dl_init(&dl);
			pgt_viewstate vs;
			pgt_viewstate_init(&vs);
			vs.step = step;
			pgt_view_layout lay;
			pgt_view_params p = {f.w,   f.h,   &th,  pgt_fonts_measure,
			                     fonts, false, NULL, &s->cache,
			                     NULL,  0};
			pgt_view_build(&dl, &lay, &s->model, &vs, &p);
			REQUIRE(!dl.oom);
			int bad = check_frame(&f, &dl, &lay) + check_story(&f, s, &dl, &lay, &vs);
			CHECK(bad == 0);
			pgt_dl_free(&dl);
		}
	}
}

static size_t first_marker(const pgt_view_model *m, int kind)
{
	for (size_t i = 0; i < m->nmarkers; i++)
		if (m->markers[i].kind == kind)
			return m->markers[i].step;
	return SIZE_MAX;
}

/* The gallery frames: start, a middle step, every kind of marker's first
 * step, the last step. */
static void check_scenario(const char *scen, const char *schemes, const size_t *extra,
                           size_t nextra)
{
	pgt_session *s = start(scen, schemes);
	REQUIRE(s);
	size_t last = s->model.nsteps ? s->model.nsteps - 1 : 0;
	size_t steps[16], n = 0;
	steps[n++] = 0;
	steps[n++] = last / 2;
	steps[n++] = last;
	for (int k = 0; k < PGT_MK_COUNT; k++) {
		size_t st = first_marker(&s->model, k);
		if (st != SIZE_MAX)
			steps[n++] = st;
	}
	for (size_t i = 0; i < nextra && n < 16; i++)
		if (extra[i] <= last)
			steps[n++] = extra[i];
	for (size_t i = 0; i < n; i++) {
		bool dup = false;
		for (size_t j = 0; j < i; j++)
			dup |= steps[j] == steps[i];
		if (!dup)
			check_step(s, scen, schemes, steps[i]);
	}
	pgt_session_free(s);
}

static void test_xen(void)
{
	check_scenario("xen-live-patient", NULL, NULL, 0);
}

static void test_pc4g(void)
{
	static const size_t extra[] = {17, 33};
	check_scenario("pc-4g", NULL, extra, 2);
	static const size_t twenty[] = {20};
	check_scenario("pc-4g", "chunk-end,bottom-up", twenty, 1);
	check_scenario("pc-4g", "new", NULL, 0);
}

static void test_gallery(void)
{
	static const size_t ten[] = {10};
	check_scenario("mail-0-1g-4k.json", NULL, ten, 1);
	check_scenario("old-panics.json", NULL, NULL, 0);
	check_scenario("kdump-512m-under-768m.json", NULL, NULL, 0);
	check_scenario("qemu-1g-initrd.json", NULL, NULL, 0);
	check_scenario("numa-256g.json", NULL, NULL, 0);
	check_scenario("debug-64g-4k.json", NULL, NULL, 0);
	check_scenario("server-128g-gbpages.json", NULL, NULL, 0);
	check_scenario("gbpages-hole-3.7-rc2.json", "old@3.7-rc2,old@3.7", NULL, 0);
}

/* Builds frame f of session s at f->step in theme th (camera: the frame is
 * built, the camera arrives, and it is built again) and returns what
 * check_frame finds in it. */
static int check_built(const frame_id *f, pgt_session *s, const pgt_theme *th, bool camera)
{
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.step = f->step;
	pgt_view_layout lay;
	pgt_view_params p = {f->w,      f->h, th, pgt_fonts_measure, fonts, false, NULL,
	                     &s->cache, NULL, 0};
	pgt_view_build(&dl, &lay, &s->model, &vs, &p);
	if (camera) {
		pgt_camera_tick(&vs, &s->model, &lay, 0);
		pgt_view_build(&dl, &lay, &s->model, &vs, &p);
	}
	CHECK(!dl.oom);
	int bad = dl.oom ? 1 : check_frame(f, &dl, &lay);
	pgt_dl_free(&dl);
	return bad;
}

/* The buffer strip's labels at every step where a buffer's end moves (a
 * table page taken from pgt_buf or BRK: alloc events with origin pgt_buf or
 * brk), up to 40 of them per scenario spread over the run, at both sizes in
 * the light theme: no leader line through a label, no labels overlapping,
 * wherever pgt_buf_start, pgt_buf_end and pgt_buf_top stand. */
static void sweep_strip(const char *scen, const char *schemes)
{
	pgt_session *s = start(scen, schemes);
	REQUIRE(s);
	const pgt_view_model *m = &s->model;
	size_t *steps = malloc((m->nsteps + 1) * sizeof(*steps)), n = 0;
	REQUIRE(steps);
	for (size_t g = 0; g < m->nsteps; g++) {
		bool moves = false;
		for (int p = 0; p < m->npanes; p++) {
			size_t ev = pgt_view_pane_step(m, p, g);
			if (pgt_view_global_step(m, p, ev) != g)
				continue;
			pgt_event e = pgt_sim_event(m->pane[p].sim, ev);
			moves |= e.kind == PGT_EV_ALLOC || e.kind == PGT_EV_BUF_FOUND;
		}
		if (moves)
			steps[n++] = g;
	}
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "light", NULL));
	size_t every = n > 40 ? n / 40 : 1;
	for (size_t i = 0; i < n; i += every)
		for (size_t k = 0; k < 2; k++) {
			frame_id f = {scen, schemes, "light", steps[i], sizes[k][0], sizes[k][1]};
			CHECK(check_built(&f, s, &th, false) == 0);
		}
	free(steps);
	pgt_session_free(s);
}

/* With the camera on (the window's default, the clips'), the context
 * overview's range label and the zoomed rows' labels are legible too, at
 * the three sizes: the frame is built, the camera arrives, and the frame
 * is built again. */
static void camera_frames(const char *scen, const size_t *steps, size_t n)
{
	pgt_session *s = start(scen, NULL);
	REQUIRE(s);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "light", NULL));
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < 3; k++) {
			if (steps[i] >= s->model.nsteps)
				continue;
			frame_id f = {scen, "camera", "light", steps[i], sizes[k][0], sizes[k][1]};
			CHECK(check_built(&f, s, &th, true) == 0);
		}
	pgt_session_free(s);
}

static void test_camera_frames(void)
{
	static const size_t xen[] = {67, 150, 3000, 7153}, pc[] = {17, 40, 60},
	                    mail[] = {10, 1360, 2000};
	camera_frames("xen-live-patient", xen, 4);
	camera_frames("pc-4g", pc, 3);
	camera_frames("mail-0-1g-4k.json", mail, 3);
}

static void test_strip_labels(void)
{
	sweep_strip("xen-live-patient", NULL);
	sweep_strip("pc-4g", NULL);
	sweep_strip("qemu-1g-initrd.json", NULL);
	sweep_strip("mail-0-1g-4k.json", NULL);
	sweep_strip("old-panics.json", NULL);
}

/* Whether s is whole UTF-8 (no sequence cut short, no stray byte). */
static bool utf8_whole(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		int n = *u < 0x80             ? 0
		        : (*u & 0xe0) == 0xc0 ? 1
		        : (*u & 0xf0) == 0xe0 ? 2
		        : (*u & 0xf8) == 0xf0 ? 3
		                              : -1;
		if (n < 0)
			return false;
		u++;
		for (int k = 0; k < n; k++, u++)
			if ((*u & 0xc0) != 0x80)
				return false;
	}
	return true;
}

/* The picker (`o`): a description too long for its row ends in an
 * ellipsis, cut between whole UTF-8 characters, inside the box; a long
 * typed path shows its end; at 1280x720 and 1920x1080 and 480x720. */
static void test_picker_ellipsis(void)
{
	pgt_session *s = start("pc-4g", NULL);
	REQUIRE(s);
	pgt_pick_item items[2];
	memset(items, 0, sizeof(items));
	snprintf(items[0].name, sizeof(items[0].name), "long-one");
	/* 2-byte characters, then 3-byte ones, no spaces near the cut */
	size_t k = 0;
	for (; k + 2 < 120; k += 2)
		memcpy(items[0].desc + k, "\xc3\xa9", 2);
	for (; k + 3 < sizeof(items[0].desc) - 1; k += 3)
		memcpy(items[0].desc + k, "\xe2\x86\x92", 3);
	items[0].desc[k] = '\0';
	items[0].builtin = true;
	snprintf(items[1].name, sizeof(items[1].name), "short");
	snprintf(items[1].desc, sizeof(items[1].desc), "A short one");
	items[1].builtin = true;
	pgt_pick_list l = {items, 2};
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "dark", NULL));
	static const int sz[][2] = {{1280, 720}, {1920, 1080}, {480, 720}};
	for (size_t z = 0; z < 3; z++) {
		pgt_viewstate vs;
		pgt_viewstate_init(&vs);
		vs.show_picker = true;
		vs.pick_count = 2;
		for (int i = 0; i < 200; i++)
			vs.pick_path[i] = (char)('a' + i % 26);
		memcpy(vs.pick_path + 200, "/the-end.json", 14);
		pgt_drawlist dl;
		pgt_dl_init(&dl);
		pgt_view_layout lay;
		pgt_view_params p = {sz[z][0], sz[z][1], &th, pgt_fonts_measure, fonts, true, &l,
		                     NULL,     NULL,     0};
		pgt_view_build(&dl, &lay, &s->model, &vs, &p);
		REQUIRE(!dl.oom);
		/* The picker is drawn last, in the last clip rectangle set. */
		size_t from = 0;
		for (size_t i = 0; i < dl.n; i++)
			if (dl.cmds[i].kind == PGT_DL_CLIP && dl.cmds[i].w > 0)
				from = i;
		const pgt_dl_cmd *pc = &dl.cmds[from];
		REQUIRE(pc->kind == PGT_DL_CLIP);
		box clip = {pc->x, pc->y, pc->x + pc->w, pc->y + pc->h};
		bool desc_seen = false, path_seen = false, short_seen = false;
		int cut = 0;
		for (size_t i = from + 1; i < dl.n; i++) {
			const pgt_dl_cmd *c = &dl.cmds[i];
			if (c->kind != PGT_DL_TEXT)
				continue;
			const char *t = pgt_dl_text(&dl, c);
			box ink = text_ink(&dl, c);
			CHECK(utf8_whole(t));
			if (ink.x1 > ink.x0 && !box_inside(ink, clip)) {
				fprintf(stderr, "  %dx%d: picker text cut by its box: \"%s\"\n",
				        sz[z][0], sz[z][1], t);
				CHECK(false);
			}
			if (!strncmp(t, "\xc3\xa9\xc3\xa9", 4)) {
				desc_seen = true;
				size_t n = strlen(t);
				/* whole, or a prefix of it and an ellipsis */
				CHECK(!strcmp(t, items[0].desc) ||
				      (n > 3 && !strcmp(t + n - 3, "\xe2\x80\xa6") &&
				       !strncmp(t, items[0].desc, n - 3)));
				cut += strcmp(t, items[0].desc) != 0;
			}
			if (strstr(t, "the-end.json_")) {
				path_seen = true;
				CHECK(!strncmp(t, "open: \xe2\x80\xa6", 9));
			}
			short_seen |= !strcmp(t, "A short one");
		}
		if (!(desc_seen && path_seen && short_seen))
			fprintf(stderr, "  %dx%d: %d %d %d\n", sz[z][0], sz[z][1], desc_seen,
			        path_seen, short_seen);
		CHECK(desc_seen && path_seen && short_seen);
		CHECK(cut == (sz[z][0] < 1920)); /* too long for 1280 and 480 wide */
		pgt_dl_free(&dl);
	}
	pgt_session_free(s);
}

/* ---- the log check panel (`d`) ---- */

/* Line 81 of the 3.9.8 log says "page 4k" instead of "page 2M", and a BRK
 * line the kernel did not print follows line 90: two rows differ. */
static char *edited_log(size_t *n)
{
	char *text = slurp(PGTVIZ_TEST_DIR "/realworld/006-dell-e6510-3.9.8-brk.log", n);
	char *l81 = text ? strstr(text, " [mem 0x22fe00000-0x22fffffff] page 2M") : NULL;
	char *l89 = text ? strstr(text, " [mem 0xcf600000-0xcf65efff] page 4k\n") : NULL;
	const char *extra = "[    0.000000] BRK [0x01f70000, 0x01f70fff] PGTABLE\n";
	char *ed = l81 && l89 ? malloc(*n + strlen(extra) + 1) : NULL;
	if (ed) {
		memcpy(strstr(l81, "page 2M") + 5, "4k", 2);
		size_t at = (size_t)(strchr(l89, '\n') + 1 - text);
		memcpy(ed, text, at);
		strcpy(ed + at, extra);
		strcpy(ed + at + strlen(extra), text + at);
		*n = strlen(ed);
	}
	free(text);
	return ed;
}

/* The log imported twice: once checked (lc's texts point into dm), once
 * moved into the session. */
static pgt_session *start_log(const char *text, size_t n, pgt_dmesg *dm, pgt_logcheck *lc)
{
	pgt_dmesg two;
	memset(dm, 0, sizeof(*dm));
	memset(&two, 0, sizeof(two));
	pgt_logcheck_opts o = pgt_logcheck_opts_default();
	pgt_diags d;
	pgt_diags_init(&d, "log");
	bool ok = pgt_dmesg_import(text, n, dm, &d) && pgt_logcheck_run(dm, &o, lc, &d) &&
	          pgt_dmesg_import(text, n, &two, &d);
	pgt_diags_print(&d, stderr);
	pgt_diags_free(&d);
	if (!ok)
		return NULL;
	pgt_scenario sc = two.sc;
	memset(&two.sc, 0, sizeof(two.sc));
	pgt_dmesg_free(&two);
	return pgt_session_start(&sc, NULL, NULL, NULL);
}

/* Builds the panel at step in every theme and size and runs every frame
 * check on the panel's commands (the frame under it is checked by the
 * tests above); leaves the last frame built (1920x1080 cb) in dl. */
static void check_panel_step(pgt_session *s, const pgt_logcheck *lc, const char *name, size_t step,
                             pgt_drawlist *dl, pgt_view_layout *lay)
{
	for (size_t t = 0; t < 3; t++) {
		pgt_theme th;
		REQUIRE(pgt_theme_load(&th, themes[t], NULL));
		for (size_t k = 0; k < 2; k++) {
			frame_id f = {name, "check panel", themes[t],
			              step, sizes[k][0],   sizes[k][1]};
			pgt_viewstate vs;
			pgt_viewstate_init(&vs);
			vs.step = step;
			vs.check = lc;
			pgt_view_params p = {f.w,   f.h,   &th,  pgt_fonts_measure,
			                     fonts, false, NULL, &s->cache,
			                     NULL,  0};
			/* the panel is what comes after the frame without it */
			vs.show_check = false;
			pgt_view_build(dl, lay, &s->model, &vs, &p);
			size_t under = dl->n;
			vs.show_check = true;
			pgt_view_build(dl, lay, &s->model, &vs, &p);
			REQUIRE(!dl->oom && dl->n > under);
			pgt_drawlist panel = *dl;
			panel.cmds = dl->cmds + under;
			panel.n = dl->n - under;
			pgt_view_layout no_panes = *lay;
			no_panes.npanes = 0;
			CHECK(check_frame(&f, &panel, &no_panes) == 0);
			/* the panel leaves the title whole: nothing of it above
			 * the panes' top */
			REQUIRE(lay->npanes > 0);
			for (size_t i = 0; i < panel.n; i++)
				CHECK(panel.cmds[i].kind == PGT_DL_CLIP ||
				      panel.cmds[i].y >= lay->pane[0].y);
		}
	}
}

static bool dl_has(const pgt_drawlist *dl, const char *needle)
{
	for (size_t i = 0; i < dl->n; i++)
		if (dl->cmds[i].kind == PGT_DL_TEXT &&
		    strstr(pgt_dl_text(dl, &dl->cmds[i]), needle))
			return true;
	return false;
}

/* Rects of colour col inside the timeline. */
static int timeline_rects(const pgt_drawlist *dl, const pgt_view_layout *lay, pgt_color col)
{
	int n = 0;
	for (size_t i = 0; i < dl->n; i++) {
		const pgt_dl_cmd *c = &dl->cmds[i];
		n += c->kind == PGT_DL_RECT && c->color == col && c->y >= lay->tl_y &&
		     c->y + c->h <= lay->tl_y + lay->tl_h && c->w <= 8;
	}
	return n;
}

static void test_check_panel(void)
{
	size_t n;
	char *text = edited_log(&n);
	REQUIRE(text);
	pgt_dmesg dm;
	pgt_logcheck lc;
	pgt_session *s = start_log(text, n, &dm, &lc);
	REQUIRE(s);
	REQUIRE(pgt_lc_unmatched(&lc) == 2);
	REQUIRE(lc.matched == 18 && lc.n_log == 20);
	size_t last = s->model.nsteps - 1, diff_step = 0;
	for (size_t i = 0; i < lc.n_rows; i++)
		if (lc.rows[i].status == PGT_LC_DIFFERS)
			diff_step = pgt_view_global_step(&s->model, 0, lc.rows[i].event);
	CHECK(diff_step > 0);
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	const size_t steps[] = {0, diff_step, last / 2, last};
	for (size_t i = 0; i < 4; i++)
		check_panel_step(s, &lc, "006 edited", steps[i], &dl, &lay);
	/* at the differing row's step: both texts, the header's count */
	check_panel_step(s, &lc, "006 edited", diff_step, &dl, &lay);
	CHECK(dl_has(&dl, "check: 18 of 20 lines match"));
	CHECK(dl_has(&dl, "[mem 0x22fe00000-0x22fffffff] page 4k"));
	CHECK(dl_has(&dl, "[mem 0x22fe00000-0x22fffffff] page 2M"));
	CHECK(dl_has(&dl, "BRK [0x01f70000, 0x01f70fff] PGTABLE"));
	/* a tick on the timeline per step with a differing row (cb theme) */
	pgt_theme cb;
	REQUIRE(pgt_theme_load(&cb, "cb", NULL));
	CHECK(timeline_rects(&dl, &lay, cb.violation) >= 2);
	pgt_dl_free(&dl);
	pgt_session_free(s);
	pgt_logcheck_free(&lc);
	pgt_dmesg_free(&dm);
	free(text);

	/* 243 memblock table pages: the list scrolls to the step's rows */
	text = slurp(PGTVIZ_TEST_DIR "/oracle/cases/612-256g.log", &n);
	REQUIRE(text);
	s = start_log(text, n, &dm, &lc);
	REQUIRE(s);
	pgt_dl_init(&dl);
	last = s->model.nsteps - 1;
	check_panel_step(s, &lc, "612-256g", last, &dl, &lay);
	CHECK(dl_has(&dl, lc.log[lc.n_log - 1].text));
	CHECK(!dl_has(&dl, lc.log[0].text));
	check_panel_step(s, &lc, "612-256g", 0, &dl, &lay);
	CHECK(dl_has(&dl, lc.log[0].text));
	CHECK(!dl_has(&dl, lc.log[lc.n_log - 1].text));
	CHECK(dl_has(&dl, "check: 243 of 243 table pages match"));
	pgt_dl_free(&dl);
	pgt_session_free(s);
	pgt_logcheck_free(&lc);
	pgt_dmesg_free(&dm);
	free(text);
}

/* ---- counters agree with each other and with the story ---- */

/* Bytes of "1.5 GiB", "512 MiB", "0 bytes" at s (0 when not a size). */
static double parse_size(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s)
		return -1;
	while (*end == ' ')
		end++;
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
	for (int k = 0; k < 6; k++)
		if (strncmp(end, units[k], strlen(units[k])) == 0)
			return v * pow(1024.0, k);
	return -1;
}

/* Texts of one frame inside pane p (all of them for p < 0). */
static int pane_texts(const pgt_drawlist *dl, const pgt_view_layout *lay, int p, const char **out,
                      int cap)
{
	int n = 0;
	for (size_t i = 0; i < dl->n && n < cap; i++) {
		const pgt_dl_cmd *c = &dl->cmds[i];
		if (c->kind != PGT_DL_TEXT)
			continue;
		if (p >= 0) {
			const pgt_pane_layout *pl = &lay->pane[p];
			if (c->x < pl->x || c->x >= pl->x + pl->w || c->y < pl->y ||
			    c->y >= pl->y + pl->h)
				continue;
		}
		out[n++] = pgt_dl_text(dl, c);
	}
	return n;
}

static const char *find_text(const char **t, int n, const char *needle)
{
	for (int i = 0; i < n; i++)
		if (strstr(t[i], needle))
			return t[i];
	return NULL;
}

/* The slide of the Xen failure and its fix (docs/tutorial.md,
 * 16-xen-fix-slide.png): each pane's heading says what that pane runs --
 * 2.6.39-rc1 with the pgt_buf_end window, 3.0 with the pgt_buf_top window
 * and the hook -- whole and clear of the VIOLATION banner, at both sizes,
 * zoomed on the buffer's top without caption and timeline as the slide is,
 * and with everything on. */
static void test_xen_fix_slide(void)
{
	const char *schemes = "old@2.6.39-rc1:xen-end,old@3.0:xen-top";
	pgt_session *s = start("xen-live-patient", schemes);
	REQUIRE(s);
	size_t viol = first_marker(&s->model, PGT_MK_VIOLATION);
	REQUIRE(viol != SIZE_MAX);
	static const char *const want[2][3] = {{"2.6.39-rc1 ", "pgt_buf_end", NULL},
	                                       {"3.0 ", "pgt_buf_top", "hook"}};
	for (size_t t = 0; t < 3; t++) {
		pgt_theme th;
		REQUIRE(pgt_theme_load(&th, themes[t], NULL));
		for (size_t k = 0; k < 2; k++)
			for (int slide = 0; slide < 2; slide++) {
				frame_id f = {"xen-live-patient", schemes,    themes[t], viol,
				              sizes[k][0],        sizes[k][1]};
				pgt_drawlist dl;
				pgt_dl_init(&dl);
				pgt_viewstate vs;
				pgt_viewstate_init(&vs);
				vs.step = viol;
				if (slide) {
					vs.overlays &=
					    ~(unsigned)(PGT_OV_CAPTION | PGT_OV_TIMELINE);
					for (int p = 0; p < 2; p++)
						vs.pane[p] = (pgt_pane_view){0x7ee00000, 0x200000};
				}
				pgt_view_layout lay;
				pgt_view_params vp = {f.w,   f.h,   &th,  pgt_fonts_measure,
				                      fonts, false, NULL, &s->cache,
				                      NULL,  0};
				pgt_view_build(&dl, &lay, &s->model, &vs, &vp);
				REQUIRE(!dl.oom);
				CHECK(check_frame(&f, &dl, &lay) == 0);
				for (int p = 0; p < 2; p++) {
					/* the heading: the pane's first text */
					const char *t1[400];
					int n = pane_texts(&dl, &lay, p, t1, 400);
					REQUIRE(n > 0);
					const char *head = t1[0];
					for (int w = 0; w < 3; w++)
						if (want[p][w] && !strstr(head, want[p][w])) {
							fprintf(stderr,
							        "%s %dx%d pane %d heading \"%s\" "
							        "lacks \"%s\"\n",
							        themes[t], f.w, f.h, p, head,
							        want[p][w]);
							CHECK(strstr(head, want[p][w]) != NULL);
						}
				}
				/* the refused pin is on the left, under its banner */
				const char *tl[400];
				int n = pane_texts(&dl, &lay, 0, tl, 400);
				CHECK(find_text(tl, n, "VIOLATION") != NULL);
				pgt_dl_free(&dl);
			}
	}
	pgt_session_free(s);
}

typedef struct frame {
	pgt_drawlist dl;
	pgt_view_layout lay;
} frame;

static void build(frame *f, pgt_session *s, size_t step, int w, int h)
{
	pgt_theme th;
	pgt_theme_load(&th, "light", NULL);
	pgt_dl_init(&f->dl);
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.step = step;
	pgt_view_params p = {w, h, &th, pgt_fonts_measure, fonts, false, NULL, &s->cache, NULL, 0};
	pgt_view_build(&f->dl, &f->lay, &s->model, &vs, &p);
}

/* The heading's share mapped is the counters' "direct-mapped: A of B". */
static void check_share(pgt_session *s, size_t step, int p)
{
	frame f;
	build(&f, s, step, 1920, 1080);
	const char *t[400];
	int n = pane_texts(&f.dl, &f.lay, p, t, 400);
	const char *head = find_text(t, n, "% of ");
	const char *dm = find_text(t, n, "direct-mapped: ");
	CHECK(head && dm);
	if (head && dm) {
		double share = strtod(strstr(head, ", ") + 2, NULL);
		double a = parse_size(dm + strlen("direct-mapped: "));
		const char *of = strstr(dm, " of ");
		double b = of ? parse_size(of + 4) : a; /* no "of": all of it */
		CHECK(a >= 0 && b > 0);
		if (b > 0 && fabs(100.0 * a / b - share) > 1.5)
			fprintf(stderr, "step %zu pane %d: \"%s\" vs \"%s\"\n", step, p, head, dm);
		/* sizes are printed to 2-3 digits: agree within a percent */
		CHECK(b > 0 && fabs(100.0 * a / b - share) <= 1.5);
		/* and "100%" only next to all of it ("direct-mapped: 1 GiB") */
		if (of && strstr(head, ", 100%"))
			fprintf(stderr, "step %zu pane %d: \"%s\" vs \"%s\"\n", step, p, head, dm);
		CHECK(!(of && strstr(head, ", 100%")));
	}
	pgt_dl_free(&f.dl);
}

static void test_counters(void)
{
	pgt_session *s = start("pc-4g", NULL);
	REQUIRE(s);
	size_t last = s->model.nsteps - 1;
	for (size_t k = 1; k < 8; k++)
		for (int p = 0; p < 2; p++)
			check_share(s, last * k / 8, p);
	/* The final caption sums the run up, in both panes at the last step
	 * (the pane that ends last too). */
	frame f;
	build(&f, s, last, 1920, 1080);
	const char *t[400];
	for (int p = 0; p < 2; p++) {
		int n = pane_texts(&f.dl, &f.lay, p, t, 400);
		const char *fin = find_text(t, n, "Finished at event");
		CHECK(fin && find_text(t, n, "direct-mapped,") && find_text(t, n, "page-table"));
	}
	pgt_dl_free(&f.dl);
	pgt_session_free(s);

	/* Two panes of one scheme: the difference lane names them by version. */
	s = start("gbpages-hole-3.7-rc2.json", "old@3.7-rc2,old@3.7");
	REQUIRE(s);
	build(&f, s, s->model.nsteps - 1, 1920, 1080);
	int n = pane_texts(&f.dl, &f.lay, -1, t, 400);
	CHECK(find_text(t, n, "3.7-rc2 above") != NULL);
	CHECK(find_text(t, n, "Old above") == NULL);
	pgt_dl_free(&f.dl);
	pgt_session_free(s);

	/* Sizes never round up to a whole unit they do not reach: qemu-1g
	 * maps 1023.96 MiB, not "1024.0 MiB". */
	char sz[32];
	CHECK(strcmp(pgt_fmt_size(0x3fff6000, sz, sizeof(sz)), "1023.9 MiB") == 0);
	CHECK(strcmp(pgt_fmt_size(3ull << 29, sz, sizeof(sz)), "1.5 GiB") == 0);
	CHECK(strcmp(pgt_fmt_size(1ull << 30, sz, sizeof(sz)), "1 GiB") == 0);
	/* A part of a total is cut, not rounded up: 1.98 GiB of 2 GiB (97%)
	 * is not "2.0 GiB". */
	CHECK(strcmp(pgt_fmt_size_down(0x7f000000, sz, sizeof(sz)), "1.9 GiB") == 0);
	CHECK(strcmp(pgt_fmt_size_down(3ull << 29, sz, sizeof(sz)), "1.5 GiB") == 0);
	CHECK(strcmp(pgt_fmt_size_down(2ull << 30, sz, sizeof(sz)), "2 GiB") == 0);
	CHECK(strcmp(pgt_fmt_size_down(0x3fff6000, sz, sizeof(sz)), "1023.9 MiB") == 0);
	CHECK(strcmp(pgt_fmt_size_down(4095, sz, sizeof(sz)), "3.9 KiB") == 0);

	/* The mail's example near its end: 1022 MiB of 1 GiB is not "100%". */
	s = start("mail-0-1g-4k.json", NULL);
	REQUIRE(s);
	static const size_t near_end[] = {4000, 4110};
	for (size_t k = 0; k < 2; k++)
		for (int p = 0; p < 2; p++)
			check_share(s, near_end[k], p);
	pgt_session_free(s);

	/* No "100%" once a run panicked; it says so. */
	s = start("old-panics.json", NULL);
	REQUIRE(s);
	build(&f, s, s->model.nsteps - 1, 1920, 1080);
	n = pane_texts(&f.dl, &f.lay, 0, t, 400);
	CHECK(!find_text(t, n, "100%"));
	CHECK(find_text(t, n, "panicked") != NULL);
	pgt_dl_free(&f.dl);
	pgt_session_free(s);

	/* 2.6.39-rc1 under Xen: the hypervisor crashes the domain; the kernel
	 * does not panic (the crash log in a38647837a4's message). */
	s = start("xen-live-patient", NULL);
	REQUIRE(s);
	build(&f, s, s->model.nsteps - 1, 1920, 1080);
	n = pane_texts(&f.dl, &f.lay, 0, t, 400);
	CHECK(find_text(t, n, ", crashed") != NULL); /* the heading */
	CHECK(find_text(t, n, "Xen crashed the domain with") != NULL);
	CHECK(!find_text(t, n, "panicked"));
	pgt_dl_free(&f.dl);
	pgt_session_free(s);

	/* At the refused pin, at 1920x1080, the old pane's long note leaves
	 * its counters on screen (the empty memblock strip's room gives way
	 * first): "violations: 1" is there, in the pane that has it. */
	s = start("xen-live-patient", NULL);
	REQUIRE(s);
	REQUIRE(s->model.pane[0].nviol > 0);
	build(&f, s, pgt_view_global_step(&s->model, 0, s->model.pane[0].viol[0]), 1920, 1080);
	n = pane_texts(&f.dl, &f.lay, 0, t, 400);
	CHECK(find_text(t, n, "violations: 1") != NULL);
	CHECK(find_text(t, n, "direct-mapped: ") != NULL);
	pgt_dl_free(&f.dl);
	pgt_session_free(s);

	/* The tables Xen's domain builder made are counted at step 0, as the
	 * map draws them. */
	s = start("xen-live-patient", NULL);
	REQUIRE(s);
	build(&f, s, 0, 1920, 1080);
	n = pane_texts(&f.dl, &f.lay, 0, t, 400);
	uint32_t boot = 0;
	const pgt_table *tab = pgt_sim_tables(s->model.pane[0].sim);
	for (size_t i = 0; i < s->model.pane[0].ntab; i++)
		boot += tab[i].origin == PGT_ORIGIN_XEN || tab[i].origin == PGT_ORIGIN_STATIC;
	char want[48];
	snprintf(want, sizeof(want), "= %u pages", boot);
	CHECK(boot > 1 && find_text(t, n, want) != NULL);
	pgt_dl_free(&f.dl);
	pgt_session_free(s);

	/* The chunk-end pane has no BRK or memblock counters. */
	s = start("pc-4g", "chunk-end,new");
	REQUIRE(s);
	build(&f, s, s->model.nsteps / 2, 1920, 1080);
	n = pane_texts(&f.dl, &f.lay, 0, t, 400);
	CHECK(!find_text(t, n, "BRK:") && !find_text(t, n, "memblock:"));
	CHECK(find_text(t, n, "at chunk ends") != NULL);
	n = pane_texts(&f.dl, &f.lay, 1, t, 400);
	CHECK(find_text(t, n, "BRK:") != NULL);
	pgt_dl_free(&f.dl);
	pgt_session_free(s);
}

/* The table-page inspector (window `i`, export --inspect): the Xen alias
 * page at the violation, the panel's commands at 1280x720, 1920x1080 and
 * 1280x629 (where its title once ran past the box) in every theme; as the
 * export draws it (no pointer, no "i closes") and as the window does with
 * the pointer on the alias entry. */
static void test_inspector(void)
{
	pgt_scenario sc = {0};
	REQUIRE(pgt_builtin_load((size_t)pgt_builtin_find("xen-live-patient"), &sc));
	pgt_session *s = pgt_session_start(&sc, "old@2.6.39-rc1", NULL, NULL);
	REQUIRE(s);
	const pgt_pane_model *pm = &s->model.pane[0];
	REQUIRE(pm->nviol > 0);
	pgt_event ve = pgt_sim_event(pm->sim, pm->viol[pm->nviol - 1]);
	static pgt_inspect in;
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.step = s->model.nsteps - 1;
	REQUIRE(pgt_inspect_update(&in, s, 0, (uint32_t)ve.b, pgt_view_pane_at(&s->model, &vs, 0)));
	REQUIRE(in.valid && in.alias < in.n);
	static const int isz[][2] = {{1280, 720}, {1920, 1080}, {1280, 629}};
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	for (size_t t = 0; t < 3; t++) {
		pgt_theme th;
		REQUIRE(pgt_theme_load(&th, themes[t], NULL));
		for (size_t k = 0; k < 3; k++)
			for (int inter = 0; inter < 2; inter++) {
				frame_id f = {
				    "xen-live-patient", inter ? "inspector, window" : "inspector",
				    themes[t],          vs.step,
				    isz[k][0],          isz[k][1]};
				pgt_view_params p = {f.w,   f.h,        &th,  pgt_fonts_measure,
				                     fonts, inter != 0, NULL, &s->cache,
				                     NULL,  0};
				vs.sel_pane = 0;
				vs.sel_table = in.table;
				vs.inspect = &in;
				vs.show_inspect = false;
				pgt_view_build(&dl, &lay, &s->model, &vs, &p);
				size_t under = dl.n;
				vs.show_inspect = true;
				pgt_view_build(&dl, &lay, &s->model, &vs, &p);
				REQUIRE(!dl.oom && dl.n > under);
				if (inter) {
					/* the pointer on the alias entry: its square is the
					 * one framed in the violation colour */
					for (size_t i = under; i < dl.n; i++)
						if (dl.cmds[i].kind == PGT_DL_FRAME &&
						    dl.cmds[i].color == th.violation) {
							vs.hover = true;
							vs.hover_x =
							    dl.cmds[i].x + dl.cmds[i].w / 2;
							vs.hover_y =
							    dl.cmds[i].y + dl.cmds[i].h / 2;
						}
					REQUIRE(vs.hover);
					pgt_view_build(&dl, &lay, &s->model, &vs, &p);
				}
				pgt_drawlist panel = dl;
				panel.cmds = dl.cmds + under;
				panel.n = dl.n - under;
				pgt_view_layout no_panes = lay;
				no_panes.npanes = 0;
				CHECK(check_frame(&f, &panel, &no_panes) == 0);
				/* the whole title, over one or two lines */
				char words[1024] = "";
				for (size_t i = 0; i < panel.n; i++)
					if (panel.cmds[i].kind == PGT_DL_TEXT &&
					    strlen(words) + 200 < sizeof(words)) {
						strcat(words, pgt_dl_text(&panel, &panel.cmds[i]));
						strcat(words, " ");
					}
				char want[96];
				snprintf(want, sizeof(want), "PTE table #%u at", in.table);
				CHECK(strstr(words, want) != NULL);
				CHECK(strstr(words, "(2 MiB)") != NULL);
				snprintf(want, sizeof(want), "--table %u --step %zu", in.table,
				         in.event);
				CHECK(strstr(words, want) != NULL);
				CHECK((strstr(words, "Escape closes") != NULL) == (inter != 0));
				snprintf(want, sizeof(want), "entry %zu: maps", in.alias);
				CHECK((strstr(words, want) != NULL) == (inter != 0));
				CHECK(strstr(words, "point at an entry") == NULL);
				vs.hover = false;
			}
	}
	pgt_dl_free(&dl);
	pgt_session_free(s);
}

int main(void)
{
	fonts = pgt_fonts_open(NULL, NULL);
	if (!fonts)
		return 1;
	RUN(test_xen);
	RUN(test_xen_fix_slide);
	RUN(test_pc4g);
	RUN(test_gallery);
	RUN(test_strip_labels);
	RUN(test_camera_frames);
	RUN(test_picker_ellipsis);
	RUN(test_counters);
	RUN(test_check_panel);
	RUN(test_inspector);
	pgt_fonts_close(fonts);
	fprintf(stderr, "%d problems shown\n", problems);
	return t_report();
}
