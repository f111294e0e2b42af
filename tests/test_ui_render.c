/*
 * Headless rendering tests: built-in scenarios rendered offscreen into an
 * ARGB8888 surface (no window, no SDL_Init), with meaningful pixels asserted
 * (a table page in its level colour at its address, RO pages hatched, the
 * pgt_buf cells where the state says), then every export format checked
 * through the real `pgtviz export` binary: sizes, frame counts, SVG
 * elements, identical bytes on re-run, and export == offscreen render.
 */
#define _DEFAULT_SOURCE
#include "t.h"

#include "pgtviz/diag.h"
#include "pgtviz/export.h"
#include "pgtviz/picker.h"
#include "pgtviz/render.h"
#include "pgtviz/scenario_json.h"

#include <SDL.h>
#include <SDL_image.h>
#include <gif_lib.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static pgt_fonts *fonts;
static char tmpdir[256];

static pgt_session *start(const char *name, const char *schemes)
{
	pgt_scenario sc = {0};
	int i = pgt_builtin_find(name);
	if (i < 0 || !pgt_builtin_load((size_t)i, &sc))
		return NULL;
	/* As the commands do: built-ins take the notes of their files. */
	pgt_scenario_add_file_notes(&sc, PGTVIZ_SCENARIO_DIR);
	return pgt_session_start(&sc, schemes, NULL, NULL);
}

/* Renders step of s at w x h with theme; returns the surface. */
static SDL_Surface *render(pgt_session *s, const pgt_theme *th, size_t step, int w, int h,
                           pgt_view_layout *lay)
{
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.step = step;
	pgt_view_params p = {w, h, th, pgt_fonts_measure, fonts, false, NULL, NULL, NULL, 0};
	pgt_view_build(&dl, lay, &s->model, &vs, &p);
	SDL_Surface *surf = pgt_raster_surface(w, h);
	if (surf)
		pgt_raster_draw(surf, &dl, fonts);
	pgt_dl_free(&dl);
	return surf;
}

static uint32_t pixel(const SDL_Surface *s, int x, int y)
{
	const uint32_t *row = (const uint32_t *)(const void *)((const uint8_t *)s->pixels +
	                                                       (size_t)y * (size_t)s->pitch);
	return row[x] | 0xff000000u;
}

/* Marker rectangle of a table page in the memory map (x0, width, row). */
static const pgt_strip_row *marker_of(const pgt_view_layout *lay, int pane, uint64_t pa, int *x0)
{
	for (int i = 0; i < lay->pane[pane].nrows; i++) {
		const pgt_strip_row *r = &lay->pane[pane].rows[i];
		if (r->gap || pa < r->lo || pa >= r->lo + r->span)
			continue;
		int x = r->x + (int)((double)(pa - r->lo) * (double)r->w / (double)r->span);
		if (x > r->x + r->w - lay->marker_w)
			x = r->x + r->w - lay->marker_w;
		*x0 = x;
		return r;
	}
	return NULL;
}

static void test_table_in_level_colour(void)
{
	pgt_session *s = start("pc-4g", "old,new");
	REQUIRE(s);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "light", NULL));
	pgt_view_layout lay;
	size_t last = s->model.nsteps - 1;
	SDL_Surface *surf = render(s, &th, last, 1920, 1080, &lay);
	REQUIRE(surf);
	/* Every PMD page allocated from pgt_buf (old) is drawn in the PMD colour
	 * at its address, even though it is 1/500000 of a row. */
	const pgt_pane_model *pm = &s->model.pane[0];
	const pgt_table *tab = pgt_sim_tables(pm->sim);
	int checked = 0;
	for (size_t i = 0; i < pm->ntab; i++) {
		if (tab[i].level != PGT_PMD || tab[i].origin != PGT_ORIGIN_PGTBUF)
			continue;
		int x;
		const pgt_strip_row *r = marker_of(&lay, 0, tab[i].pa, &x);
		REQUIRE(r);
		bool found = false;
		for (int dx = 0; dx < lay.marker_w; dx++)
			found |= pixel(surf, x + dx, r->y + r->h * 3 / 4) == (th.pmd | 0xff000000u);
		CHECK(found);
		checked++;
	}
	CHECK(checked >= 2);
	/* Far away from any table page there is no PMD colour. */
	const pgt_strip_row *r = &lay.pane[0].rows[1];
	CHECK(pixel(surf, r->x + r->w / 2, r->y + r->h * 3 / 4) != (th.pmd | 0xff000000u));
	SDL_FreeSurface(surf);
	pgt_session_free(s);
}

static void test_ro_hatched(void)
{
	pgt_session *s = start("xen-live-patient", "old");
	REQUIRE(s);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "dark", NULL));
	pgt_view_layout lay;
	size_t last = s->model.nsteps - 1;
	SDL_Surface *surf = render(s, &th, last, 1920, 1080, &lay);
	REQUIRE(surf);
	const pgt_pane_model *pm = &s->model.pane[0];
	const pgt_table *tab = pgt_sim_tables(pm->sim);
	uint32_t ro = UINT32_MAX;
	for (size_t i = 0; i < pm->ntab; i++)
		if (tab[i].ro_event != UINT32_MAX && tab[i].level == PGT_PTE)
			ro = (uint32_t)i;
	REQUIRE(ro != UINT32_MAX);
	/* In the per-page strip or the map: both hatch and level colour appear
	 * inside the page's cell. */
	int x;
	const pgt_strip_row *r = marker_of(&lay, 0, tab[ro].pa, &x);
	REQUIRE(r);
	int hatch = 0, level = 0;
	for (int dy = r->h / 4; dy < r->h; dy++)
		for (int dx = 0; dx < lay.marker_w; dx++) {
			uint32_t px = pixel(surf, x + dx, r->y + dy);
			hatch += px == (th.ro_hatch | 0xff000000u);
			level += px == (th.pte | 0xff000000u);
		}
	CHECK(hatch > 0);
	CHECK(level > 0);
	SDL_FreeSurface(surf);
	pgt_session_free(s);
}

static void test_pgtbuf_cells(void)
{
	pgt_session *s = start("pc-4g", "old");
	REQUIRE(s);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "light", NULL));
	/* The first step after the first buffer is placed. */
	const pgt_pane_model *pm = &s->model.pane[0];
	REQUIRE(pm->nbufs >= 1);
	size_t step = pm->bufs[0].placed;
	pgt_view_layout lay;
	SDL_Surface *surf = render(s, &th, step, 1920, 1080, &lay);
	REQUIRE(surf);
	const pgt_strip_row *d = &lay.pane[0].detail[0];
	REQUIRE(d->w > 0);
	pgt_state st = pgt_sim_state_at(pm->sim, step);
	CHECK_U64(d->lo, st.pgt_buf_start << 12);
	uint64_t n = st.pgt_buf_top - st.pgt_buf_start;
	int cw = d->w / (int)n;
	/* Nothing used yet: every cell is reserved-but-unused. */
	for (uint64_t i = 0; i < n; i++)
		CHECK(pixel(surf, d->x + (int)i * cw + cw / 2, d->y + d->h / 2) ==
		      (th.pgtbuf_free | 0xff000000u));
	SDL_FreeSurface(surf);
	/* After the call: cells [start, end) hold tables (level colours), and
	 * [end, top) are handed back. */
	size_t done = pm->bufs[0].done;
	REQUIRE(done != SIZE_MAX);
	surf = render(s, &th, done, 1920, 1080, &lay);
	REQUIRE(surf);
	uint64_t used = pm->bufs[0].end_pfn - pm->bufs[0].start_pfn;
	for (uint64_t i = 0; i < n; i++) {
		uint32_t px = pixel(surf, d->x + (int)i * cw + cw / 2, d->y + d->h / 2);
		if (i < used)
			CHECK(px == (th.pmd | 0xff000000u) || px == (th.pte | 0xff000000u) ||
			      px == (th.pud | 0xff000000u));
		else
			CHECK(px == (th.pgtbuf_returned | 0xff000000u));
	}
	SDL_FreeSurface(surf);
	pgt_session_free(s);
}

static void test_speed(void)
{
	pgt_session *s = start("pc-4g", "old,new");
	REQUIRE(s);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "dark", NULL));
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	pgt_view_layout lay;
	SDL_Surface *surf = pgt_raster_surface(1920, 1080);
	REQUIRE(surf);
	pgt_view_params p = {1920, 1080, &th, pgt_fonts_measure, fonts, true, NULL, NULL, NULL, 0};
	Uint64 t0 = SDL_GetPerformanceCounter();
	int frames = 0;
	for (size_t st = 0; st < s->model.nsteps; st++, frames++) {
		vs.step = st;
		pgt_view_build(&dl, &lay, &s->model, &vs, &p);
		pgt_raster_draw(surf, &dl, fonts);
	}
	double ms = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
	            (double)SDL_GetPerformanceFrequency() / frames;
	/* a figure, not an assert: speed is the benchmark's job (`pgtviz bench`) */
	printf("frame build+raster at 1920x1080: %.2f ms average over %d frames\n", ms, frames);
	CHECK(frames > 0);
	SDL_FreeSurface(surf);
	pgt_dl_free(&dl);
	pgt_session_free(s);
}

/* ---- export through the binary ------------------------------------------ */

static int run(const char *args)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "%s export %s 2>/dev/null", PGTVIZ_BIN, args);
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)len + 1);
	*n = b ? fread(b, 1, (size_t)len, f) : 0;
	if (b)
		b[*n] = '\0';
	fclose(f);
	return b;
}

static bool same_bytes(const char *a, const char *b)
{
	size_t na, nb;
	char *x = slurp(a, &na), *y = slurp(b, &nb);
	bool same = x && y && na == nb && memcmp(x, y, na) == 0;
	free(x);
	free(y);
	return same;
}

static bool exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

/* Text never below the legible minimum, at any canvas size; small canvases
 * drop the tree and detail strips instead. */
static void test_min_font(void)
{
	pgt_session *s = start("xen-live-patient", NULL);
	REQUIRE(s);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "dark", NULL));
	static const int sizes[][2] = {{800, 450}, {1280, 720}, {1920, 1080}, {3840, 2160}};
	for (size_t k = 0; k < 4; k++) {
		pgt_drawlist dl;
		pgt_dl_init(&dl);
		pgt_viewstate vs;
		pgt_viewstate_init(&vs);
		vs.step = s->model.nsteps / 2;
		pgt_view_layout lay;
		pgt_view_params p = {
		    sizes[k][0], sizes[k][1], &th, pgt_fonts_measure, fonts, true, NULL,
		    NULL,        NULL,        0};
		pgt_view_build(&dl, &lay, &s->model, &vs, &p);
		int small = 0, texts = 0;
		for (size_t i = 0; i < dl.n; i++)
			if (dl.cmds[i].kind == PGT_DL_TEXT) {
				texts++;
				small += dl.cmds[i].size < PGT_MIN_FONT_PX;
			}
		CHECK(texts > 20);
		CHECK(small == 0);
		/* The pgt_buf strip from 720p up (issue 12), not at 800x450. */
		CHECK((lay.pane[0].detail[0].w > 0) == (sizes[k][1] >= 520));
		pgt_dl_free(&dl);
	}
	pgt_session_free(s);
}

/* A Xen reservation is drawn in its own colour, not the kernel's. */
static void test_reservation_colour(void)
{
	pgt_session *s = start("xen-live-patient", NULL);
	REQUIRE(s);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "dark", NULL));
	REQUIRE(th.resv_xen != th.kernel);
	pgt_view_layout lay;
	SDL_Surface *surf = render(s, &th, 0, 1920, 1080, &lay);
	REQUIRE(surf);
	const uint64_t a = 0x7f800000;
	const pgt_strip_row *row = NULL;
	for (int i = 0; i < lay.pane[0].nrows; i++) {
		const pgt_strip_row *r = &lay.pane[0].rows[i];
		if (!r->gap && a >= r->lo && a < r->lo + r->span)
			row = r;
	}
	REQUIRE(row);
	int x = row->x + (int)((double)(a - row->lo) * row->w / (double)row->span);
	int y = row->y + row->h - 2;
	CHECK_U64(pixel(surf, x, y), th.resv_xen | 0xff000000u);
	SDL_FreeSurface(surf);
	pgt_session_free(s);
}

/* At the first violation: red frame around the pane. */
static void test_violation_frame(void)
{
	pgt_session *s = start("xen-live-patient", NULL);
	REQUIRE(s);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "light", NULL));
	size_t g = SIZE_MAX;
	for (size_t i = 0; i < s->model.nmarkers && g == SIZE_MAX; i++)
		if (s->model.markers[i].kind == PGT_MK_VIOLATION)
			g = s->model.markers[i].step;
	REQUIRE(g != SIZE_MAX);
	pgt_view_layout lay;
	SDL_Surface *surf = render(s, &th, g, 1920, 1080, &lay);
	REQUIRE(surf);
	const pgt_pane_layout *pl = &lay.pane[0];
	CHECK_U64(pixel(surf, pl->x + 1, pl->y + pl->h / 2), th.violation | 0xff000000u);
	CHECK(pixel(surf, lay.pane[1].x + 1, lay.pane[1].y + lay.pane[1].h / 2) !=
	      (th.violation | 0xff000000u));
	SDL_FreeSurface(surf);
	pgt_session_free(s);
}

static void test_export_png(void)
{
	char a[512], b[512], args[1200];
	snprintf(a, sizeof(a), "%s/a.png", tmpdir);
	snprintf(b, sizeof(b), "%s/b.png", tmpdir);
	snprintf(args, sizeof(args), "pc-4g -o %s --steps 20 --theme light", a);
	REQUIRE(run(args) == 0);
	snprintf(args, sizeof(args), "pc-4g -o %s --steps 20 --theme light", b);
	REQUIRE(run(args) == 0);
	CHECK(same_bytes(a, b));
	SDL_Surface *img = IMG_Load(a);
	REQUIRE(img);
	CHECK(img->w == 1920 && img->h == 1080);
	/* Export == offscreen render, pixel for pixel. */
	SDL_Surface *conv = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0);
	pgt_session *s = start("pc-4g", NULL);
	REQUIRE(s);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "light", NULL));
	pgt_view_layout lay;
	SDL_Surface *ref = render(s, &th, 20, 1920, 1080, &lay);
	REQUIRE(conv && ref);
	long diff = 0;
	for (int y = 0; y < 1080; y++)
		for (int x = 0; x < 1920; x++)
			diff += pixel(conv, x, y) != pixel(ref, x, y);
	CHECK(diff == 0);
	SDL_FreeSurface(ref);
	SDL_FreeSurface(conv);
	SDL_FreeSurface(img);
	pgt_session_free(s);
}

static void test_export_gif(void)
{
	char a[512], b[512], args[1200];
	snprintf(a, sizeof(a), "%s/a.gif", tmpdir);
	snprintf(b, sizeof(b), "%s/b.gif", tmpdir);
	snprintf(args, sizeof(args), "pc-4g -o %s --size 800x450 --steps 10..19", a);
	REQUIRE(run(args) == 0);
	snprintf(args, sizeof(args), "pc-4g -o %s --size 800x450 --steps 10..19", b);
	REQUIRE(run(args) == 0);
	CHECK(same_bytes(a, b));
	int err = 0;
	GifFileType *g = DGifOpenFileName(a, &err);
	REQUIRE(g);
	REQUIRE(DGifSlurp(g) == GIF_OK);
	/* The camera (on for animations) keeps moving through the last
	 * frame's hold: a few more frames than steps. */
	CHECK(g->ImageCount >= 10);
	CHECK(g->SWidth == 800 && g->SHeight == 450);
	DGifCloseFile(g, &err);
	snprintf(args, sizeof(args), "pc-4g -o %s --size 800x450 --steps 10..19 --camera off", a);
	REQUIRE(run(args) == 0);
	g = DGifOpenFileName(a, &err);
	REQUIRE(g);
	REQUIRE(DGifSlurp(g) == GIF_OK);
	CHECK(g->ImageCount == 10); /* one frame per step */
	DGifCloseFile(g, &err);
}

static void test_export_svg(void)
{
	char a[512], b[512], args[1200];
	snprintf(a, sizeof(a), "%s/a.svg", tmpdir);
	snprintf(b, sizeof(b), "%s/b.svg", tmpdir);
	snprintf(args, sizeof(args), "xen-live-patient -o %s --steps 200", a);
	REQUIRE(run(args) == 0);
	snprintf(args, sizeof(args), "xen-live-patient -o %s --steps 200", b);
	REQUIRE(run(args) == 0);
	CHECK(same_bytes(a, b));
	size_t n;
	char *svg = slurp(a, &n);
	REQUIRE(svg);
	CHECK(strncmp(svg, "<?xml", 5) == 0);
	CHECK(strstr(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1920\"") != NULL);
	CHECK(strstr(svg, "<pattern") != NULL); /* RO hatching */
	CHECK(strstr(svg, "<text") != NULL);
	CHECK(strstr(svg, "pgt_buf") != NULL);
	CHECK(strstr(svg, "</svg>\n") != NULL);
	/* XML-ish: tags balance. */
	size_t opens = 0, closes = 0;
	for (char *p = svg; (p = strstr(p, "<text")); p++)
		opens++;
	for (char *p = svg; (p = strstr(p, "</text>")); p++)
		closes++;
	CHECK(opens == closes);
	free(svg);
}

static void test_export_seq(void)
{
	char d[512], f[700], args[1200];
	snprintf(d, sizeof(d), "%s/seq", tmpdir);
	snprintf(args, sizeof(args), "pc-4g -o %s/ --steps 40..42 --size 640x360", d);
	REQUIRE(run(args) == 0);
	for (int i = 40; i <= 42; i++) {
		snprintf(f, sizeof(f), "%s/pc-4g_step-%04d.png", d, i);
		CHECK(exists(f));
		SDL_Surface *img = IMG_Load(f);
		CHECK(img && img->w == 640 && img->h == 360);
		if (img)
			SDL_FreeSurface(img);
		unlink(f);
	}
	rmdir(d);
}

/* BT.709 limited range from the definition (floating point), rounded. */
static int ref_y(uint32_t p)
{
	double r = p >> 16 & 0xff, g = p >> 8 & 0xff, b = p & 0xff;
	return (int)floor(16 + 219.0 * (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 + 0.5);
}

static void ref_uv(const uint32_t q[4], int *u, int *v)
{
	double r = 0, g = 0, b = 0;
	for (int i = 0; i < 4; i++) {
		r += (q[i] >> 16 & 0xff) / 4.0;
		g += (q[i] >> 8 & 0xff) / 4.0;
		b += (q[i] & 0xff) / 4.0;
	}
	double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
	*u = (int)floor(128 + 224.0 * (b - y) / 1.8556 / 255 + 0.5);
	*v = (int)floor(128 + 224.0 * (r - y) / 1.5748 / 255 + 0.5);
}

/* Every Y, Cb and Cr of a conversion within 1 of the definition (the
 * encoder's integer coefficients), padding included. */
static int yuv_off(const SDL_Surface *s, const uint8_t *d)
{
	int w = s->w, h = s->h, w2 = (w + 1) / 2 * 2, h2 = (h + 1) / 2 * 2, bad = 0;
	const uint8_t *pu = d + (size_t)w2 * (size_t)h2,
	              *pv = pu + (size_t)(w2 / 2) * (size_t)(h2 / 2);
	for (int y = 0; y < h2; y++)
		for (int x = 0; x < w2; x++) {
			int sx = x < w ? x : w - 1, sy = y < h ? y : h - 1;
			bad += abs(d[(size_t)y * (size_t)w2 + (size_t)x] -
			           ref_y(pixel(s, sx, sy))) > 1;
		}
	for (int y = 0; y < h2 / 2; y++)
		for (int x = 0; x < w2 / 2; x++) {
			int x0 = 2 * x, y0 = 2 * y, x1 = x0 + 1 < w ? x0 + 1 : x0,
			    y1 = y0 + 1 < h ? y0 + 1 : y0;
			uint32_t q[4] = {pixel(s, x0, y0), pixel(s, x1, y0), pixel(s, x0, y1),
			                 pixel(s, x1, y1)};
			int u, v;
			ref_uv(q, &u, &v);
			size_t i = (size_t)y * (size_t)(w2 / 2) + (size_t)x;
			bad += abs(pu[i] - u) > 1 || abs(pv[i] - v) > 1;
		}
	return bad;
}

static void test_video_yuv(void)
{
	/* known colours: white, black, the primaries (BT.709 limited range) */
	static const struct {
		uint32_t argb;
		int y, u, v;
	} known[] = {{0xffffffff, 235, 128, 128}, {0xff000000, 16, 128, 128},
	             {0xffff0000, 63, 102, 240},  {0xff00ff00, 173, 42, 26},
	             {0xff0000ff, 32, 240, 118},  {0xff808080, 126, 128, 128}};
	for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
		SDL_Surface *s = pgt_raster_surface(4, 2);
		REQUIRE(s);
		SDL_FillRect(s, NULL, known[k].argb);
		uint8_t d[16];
		CHECK_U64(pgt_yuv420_size(4, 2), 12);
		pgt_yuv420_from_surface(s, d);
		CHECK_U64(d[0], known[k].y);
		CHECK_U64(d[7], known[k].y);
		CHECK_U64(d[8], known[k].u);
		CHECK_U64(d[10], known[k].v);
		SDL_FreeSurface(s);
	}
	/* odd sizes, random pixels, flat runs and repeated rows (the paths that
	 * reuse the values of the block or rows before) */
	static const int sizes[][2] = {{7, 5}, {64, 9}, {161, 121}, {2, 2}, {1, 1}};
	uint32_t seed = 12345;
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		int w = sizes[k][0], h = sizes[k][1];
		SDL_Surface *s = pgt_raster_surface(w, h);
		REQUIRE(s);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				seed = seed * 1103515245u + 12345u;
				uint32_t c = 0xff000000u | (seed >> 8);
				if (y % 4 == 2 && y > 0) /* a row like the one two above */
					c = pixel(s, x, y - 2);
				else if (x % 8 >= 3) /* a flat run */
					c = 0xff204060u + (uint32_t)(y / 3);
				*(uint32_t *)(void *)((uint8_t *)s->pixels +
				                      (size_t)y * (size_t)s->pitch +
				                      (size_t)x * 4) = c;
			}
		uint8_t *d = malloc(pgt_yuv420_size(w, h));
		REQUIRE(d);
		CHECK_U64(pgt_yuv420_size(w, h),
		          (size_t)((w + 1) / 2 * 2) * (size_t)((h + 1) / 2 * 2) * 3 / 2);
		pgt_yuv420_from_surface(s, d);
		CHECK_U64(yuv_off(s, d), 0);
		free(d);
		SDL_FreeSurface(s);
	}
}

static void test_export_video(void)
{
	if (!pgt_have_program("ffmpeg") || !pgt_have_program("ffprobe")) {
		printf("SKIP: mp4/webm export (ffmpeg/ffprobe not installed)\n");
		return;
	}
	static const char *const ext[] = {"mp4", "webm"};
	for (int i = 0; i < 2; i++) {
		char a[512], args[1200], cmd[1400];
		snprintf(a, sizeof(a), "%s/a.%s", tmpdir, ext[i]);
		snprintf(args, sizeof(args),
		         "pc-4g -o %s --size 640x360 --steps 0..9 --fps 10 "
		         "--hold-markers 0",
		         a);
		REQUIRE(run(args) == 0);
		snprintf(cmd, sizeof(cmd),
		         "ffprobe -v error -select_streams v:0 -count_frames -show_entries "
		         "stream=width,height,nb_read_frames -of csv=p=0 %s",
		         a);
		FILE *p = popen(cmd, "r");
		REQUIRE(p);
		char line[128] = "";
		if (!fgets(line, sizeof(line), p))
			line[0] = '\0';
		pclose(p);
		CHECK(strncmp(line, "640,360,10", 10) == 0);
		unlink(a);
	}
}

static void test_export_errors(void)
{
	char a[512], args[1200];
	snprintf(a, sizeof(a), "%s/bad.xyz", tmpdir);
	snprintf(args, sizeof(args), "pc-4g -o %s", a);
	CHECK(run(args) == 2);
	CHECK(!exists(a));
	snprintf(a, sizeof(a), "%s/x.png", tmpdir);
	snprintf(args, sizeof(args), "pc-4g -o %s --steps 99999", a);
	CHECK(run(args) == 2);
	CHECK(!exists(a));
	snprintf(args, sizeof(args), "pc-4g -o %s --size 10x10", a);
	CHECK(run(args) == 2);
	snprintf(args, sizeof(args), "pc-4g -o /nonexistent-dir/x.png");
	CHECK(run(args) == 2);
	snprintf(args, sizeof(args), "pc-4g -o %s --format bmp", a);
	CHECK(run(args) == 2);
	CHECK(!exists(a));
}

/* ---- crashkernel, the violation banner at 800x450, shared export runs ---- */

/* Loads a scenario file of the gallery into a session. */
static pgt_session *start_file(const char *file, const char *schemes)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", PGTVIZ_SCENARIO_DIR, file);
	size_t n;
	char *text = slurp(path, &n);
	if (!text)
		return NULL;
	pgt_scenario sc = {0};
	pgt_diags d;
	pgt_diags_init(&d, path);
	bool ok = pgt_scenario_from_json(text, n, &sc, &d);
	pgt_diags_print(&d, stderr);
	pgt_diags_free(&d);
	free(text);
	return ok ? pgt_session_start(&sc, schemes, NULL, NULL) : NULL;
}

/* Count of filled rects of colour col inside pane p's memory map. */
static int rects_in_map(const pgt_drawlist *dl, const pgt_view_layout *lay, int p, pgt_color col)
{
	const pgt_pane_layout *pl = &lay->pane[p];
	int n = 0;
	for (size_t i = 0; i < dl->n; i++) {
		const pgt_dl_cmd *c = &dl->cmds[i];
		if (c->kind == PGT_DL_RECT && c->color == col && c->x >= pl->mx &&
		    c->x < pl->mx + pl->mw && c->y >= pl->my && c->y < pl->my + pl->mh)
			n++;
	}
	return n;
}

static bool dl_has_text(const pgt_drawlist *dl, const char *needle)
{
	for (size_t i = 0; i < dl->n; i++)
		if (dl->cmds[i].kind == PGT_DL_TEXT &&
		    strstr(pgt_dl_text(dl, &dl->cmds[i]), needle))
			return true;
	return false;
}

/* xen-live-patient's crashed old pane at its end: the final caption's bytes
 * are the counter's, cut the same way (it said "Xen crashed the domain with
 * 2.0 GiB" over "direct-mapped: 1.9 GiB"). */
static void test_final_caption_bytes(void)
{
	pgt_session *s = start("xen-live-patient", NULL);
	REQUIRE(s);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "light", NULL));
	const pgt_pane_model *pm = &s->model.pane[0];
	REQUIRE(pgt_sim_panic(pm->sim) != NULL);
	char sz[32], caption[96], counter[96];
	pgt_state fin = pgt_sim_state_at(pm->sim, pm->nev - 1);
	pgt_fmt_size_down(fin.mapped_bytes, sz, sizeof(sz));
	snprintf(caption, sizeof(caption), "Xen crashed the domain with %s", sz);
	/* the counter: what the calls built, cut the same way, then the
	 * builder's part */
	pgt_fmt_size_down(fin.mapped_bytes - fin.boot_bytes, sz, sizeof(sz));
	snprintf(counter, sizeof(counter), "direct-mapped: %s built + ", sz);
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.step = s->model.nsteps - 1;
	pgt_view_params p = {1920, 1080, &th, pgt_fonts_measure, fonts, false, NULL, NULL, NULL, 0};
	pgt_view_build(&dl, &lay, &s->model, &vs, &p);
	CHECK(dl_has_text(&dl, caption));
	CHECK(dl_has_text(&dl, counter));
	pgt_dl_free(&dl);
	pgt_session_free(s);
}

/* kdump-512m-under-768m: 3.8 (left) fails, 3.9 (right) reserves 512 MiB at
 * 384 MiB.  The reservation is drawn in its theme colour from its step on,
 * only in the right pane, at its address, with a legend entry; the failure
 * is said in red at the end of the left pane. */
static void test_crashkernel(void)
{
	pgt_session *s = start_file("kdump-512m-under-768m.json", NULL);
	REQUIRE(s);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "light", NULL));
	REQUIRE(th.crashkernel != th.resv_other && th.crashkernel != th.ram_mapped);
	const pgt_pane_model *pr = &s->model.pane[1];
	REQUIRE(pr->crash_ev != SIZE_MAX);
	CHECK(s->model.pane[0].crash_ev == SIZE_MAX);
	CHECK(s->model.pane[0].crash_fail_ev != SIZE_MAX);
	CHECK(pr->crash_fail_ev == SIZE_MAX);
	size_t g = pgt_view_global_step(&s->model, 1, pr->crash_ev);
	REQUIRE(g > 0);
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	pgt_view_params p = {1920, 1080, &th, pgt_fonts_measure, fonts, false, NULL, NULL, NULL, 0};
	vs.step = g - 1;
	pgt_view_build(&dl, &lay, &s->model, &vs, &p);
	CHECK(rects_in_map(&dl, &lay, 1, th.crashkernel) == 0);
	vs.step = g;
	pgt_view_build(&dl, &lay, &s->model, &vs, &p);
	CHECK(rects_in_map(&dl, &lay, 1, th.crashkernel) > 0);
	CHECK(rects_in_map(&dl, &lay, 0, th.crashkernel) == 0);
	CHECK(dl_has_text(&dl, "crashkernel (kdump)"));
	/* At its address: 384 MiB + 256 MiB is inside, in the lower half. */
	SDL_Surface *surf = pgt_raster_surface(1920, 1080);
	REQUIRE(surf);
	pgt_raster_draw(surf, &dl, fonts);
	int x0;
	const pgt_strip_row *row = marker_of(&lay, 1, (384ull + 256) << 20, &x0);
	REQUIRE(row);
	CHECK_U64(pixel(surf, x0, row->y + row->h * 3 / 4), th.crashkernel | 0xff000000u);
	SDL_FreeSurface(surf);
	/* The end: the left pane says the reservation failed, in red. */
	vs.step = s->model.nsteps - 1;
	pgt_view_build(&dl, &lay, &s->model, &vs, &p);
	bool red = false;
	for (size_t i = 0; i < dl.n; i++)
		if (dl.cmds[i].kind == PGT_DL_TEXT && dl.cmds[i].color == th.violation &&
		    dl.cmds[i].x < lay.pane[0].x + lay.pane[0].w &&
		    strstr(pgt_dl_text(&dl, &dl.cmds[i]), "crashkernel"))
			red = true;
	CHECK(red);
	pgt_dl_free(&dl);
	pgt_session_free(s);
}

/* At 800x450 the violation banner leaves the pane heading readable: it
 * sits right of the heading, or in a row of its own under it (640x480,
 * where heading, event number and banner do not fit side by side). */
static void test_banner_small(void)
{
	pgt_session *s = start("xen-live-patient", NULL);
	REQUIRE(s);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "dark", NULL));
	size_t g = SIZE_MAX;
	for (size_t i = 0; i < s->model.nmarkers && g == SIZE_MAX; i++)
		if (s->model.markers[i].kind == PGT_MK_VIOLATION)
			g = s->model.markers[i].step;
	REQUIRE(g != SIZE_MAX);
	int sizes[][2] = {{800, 450}, {1280, 720}, {1920, 1080}, {640, 480}};
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		pgt_drawlist dl;
		pgt_dl_init(&dl);
		pgt_view_layout lay;
		pgt_viewstate vs;
		pgt_viewstate_init(&vs);
		vs.step = g;
		pgt_view_params p = {
		    sizes[k][0], sizes[k][1], &th, pgt_fonts_measure, fonts, false, NULL,
		    NULL,        NULL,        0};
		pgt_view_build(&dl, &lay, &s->model, &vs, &p);
		const pgt_dl_cmd *head = NULL, *banner = NULL;
		for (size_t i = 0; i < dl.n; i++) {
			const pgt_dl_cmd *c = &dl.cmds[i];
			if (c->kind == PGT_DL_TEXT && c->font == PGT_FONT_SANS_BOLD &&
			    strstr(pgt_dl_text(&dl, c), "2.6.39-rc1") && c->x >= lay.pane[0].x &&
			    c->x < lay.pane[0].x + lay.pane[0].w && c->y < lay.pane[0].y + 40)
				head = c;
			if (c->kind == PGT_DL_RECT && c->color == th.violation &&
			    c->y < lay.pane[0].y + 20 + lay.pane[0].h / 10 && c->h > 8 &&
			    c->x > lay.pane[0].x + 10 && c->x < lay.pane[0].x + lay.pane[0].w)
				banner = c;
		}
		REQUIRE(head && banner);
		int hw = pgt_fonts_measure(fonts, head->font, head->size, pgt_dl_text(&dl, head));
		bool beside = banner->x >= head->x + hw, under = banner->y >= head->y + head->size;
		CHECK(beside || under);
		if (!beside && !under)
			fprintf(stderr, "  at %dx%d: banner x %d < heading end %d\n", sizes[k][0],
			        sizes[k][1], banner->x, head->x + hw);
		CHECK(banner->x + banner->w <= lay.pane[0].x + lay.pane[0].w);
		pgt_dl_free(&dl);
	}
	pgt_session_free(s);
}

/* The shared export run (also behind the window's `e`): a step range as
 * GIF from a window's view state, and a PNG sequence into a new directory
 * that only appears when complete. */
static void test_export_run(void)
{
	pgt_session *s = start("pc-4g", NULL);
	REQUIRE(s);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "light", NULL));
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.step = 30;
	vs.show_help = true; /* not exported */
	vs.hover = true;
	/* One image per step: without the camera, whose travel through the
	 * last step's hold adds images as long as it moves (how far depends
	 * on the layout; the clip tests cover that). */
	vs.follow = false;
	size_t steps[] = {25, 26, 27, 28, 29, 30};
	char out[512];
	snprintf(out, sizeof(out), "%s/range.gif", tmpdir);
	pgt_export_job j = {.out = out,
	                    .format = PGT_FMT_GIF,
	                    .w = 800,
	                    .h = 450,
	                    .theme = &th,
	                    .fonts = fonts,
	                    .base = &vs,
	                    .fps = 5,
	                    .hold = 1,
	                    .steps = steps,
	                    .nsteps = 6,
	                    .name = "pc-4g"};
	REQUIRE(pgt_export_run(&j, &s->model, NULL));
	int err = 0;
	GifFileType *g = DGifOpenFileName(out, &err);
	REQUIRE(g);
	REQUIRE(DGifSlurp(g) == GIF_OK);
	CHECK(g->ImageCount == 6);
	CHECK(g->SWidth == 800 && g->SHeight == 450);
	DGifCloseFile(g, &err);
	/* PNG sequence into a directory that does not exist yet. */
	char dir[512], f[700];
	snprintf(dir, sizeof(dir), "%s/newseq", tmpdir);
	j.out = dir;
	j.format = PGT_FMT_PNGSEQ;
	j.nsteps = 3;
	REQUIRE(pgt_export_run(&j, &s->model, NULL));
	for (int i = 25; i <= 27; i++) {
		snprintf(f, sizeof(f), "%s/pc-4g_step-%04d.png", dir, i);
		CHECK(exists(f));
		unlink(f);
	}
	rmdir(dir);
	/* No temporary directory or file is left next to it. */
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "ls -a %s | grep -q tmp-", tmpdir);
	CHECK(system(cmd) != 0);
	/* A failed run leaves nothing: an unwritable place. */
	j.out = "/proc/pgtviz-no/seq";
	pgt_diags dg;
	pgt_diags_init(&dg, NULL);
	CHECK(!pgt_export_run(&j, &s->model, &dg));
	CHECK(dg.errors >= 1);
	pgt_diags_free(&dg);
	pgt_session_free(s);
}

/* Saved settings are read with the strict number rules of the options
 * (pgtviz/number.h): what atoi/sscanf read as 1, 800 or 640 is refused with
 * a warning at its file:line:col and the value before it is kept. */
static void test_export_prefs_strict(const char *path)
{
	static const char *const bad[][2] = {
	    {"fps = 1e2\n", ":1:7: warning: fps '1e2' is not a whole number from 1 to 120"},
	    {"fps = 5.5\n", ":1:7: warning: fps '5.5'"},
	    {"fps = 010\n", ":1:7: warning: fps '010'"},
	    {"fps = +7\n", ":1:7: warning: fps '+7'"},
	    {"fps = 7 frames\n", ":1:7: warning: fps '7 frames'"},
	    {"fps = 0\n", ":1:7: warning: fps '0'"},
	    {"fps = 99999999999999999999\n", ":1:7: warning: fps '99999999999999999999'"},
	    {"# c\n\nsize = 0800x600\n", ":3:8: warning: size '0800x600' is not WIDTHxHEIGHT"},
	    {"size = 4294967456x200\n", ":1:8: warning: size '4294967456x200'"},
	    {"size=640x360junk\n", ":1:6: warning: size '640x360junk'"},
	    {"size = -640x360\n", ":1:8: warning: size '-640x360'"},
	    {"format = tiff\n", ":1:10: warning: format 'tiff' is not an export format"},
	    {"  colour = red\n", ":1:3: warning: unknown setting 'colour'"},
	    {"fps 7\n", ":1:1: warning: not a 'key = value' line"},
	    {"theme =\n", ":1:8: warning: theme is empty"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *f = fopen(path, "w");
		REQUIRE(f);
		fputs(bad[i][0], f);
		fclose(f);
		pgt_export_prefs pr;
		pgt_export_prefs_default(&pr);
		pgt_diags dg;
		pgt_diags_init(&dg, NULL);
		CHECK(pgt_export_prefs_load(&pr, &dg));
		CHECK(pr.fps == 5 && pr.w == 800 && pr.h == 450 && pr.format == PGT_FMT_GIF);
		CHECK_STR(pr.theme, "light");
		char msg[1200], want[1200];
		CHECK(dg.n == 1 && dg.errors == 0);
		pgt_diags_format(&dg, 0, msg, sizeof(msg));
		snprintf(want, sizeof(want), "%s%s", path, bad[i][1]);
		if (strncmp(msg, want, strlen(want)) != 0)
			fprintf(stderr, "prefs %zu: got '%s', want '%s...'\n", i, msg, want);
		CHECK(strncmp(msg, want, strlen(want)) == 0);
		pgt_diags_free(&dg);
	}
	/* good values with spaces around them still read */
	FILE *f = fopen(path, "w");
	REQUIRE(f);
	fputs("format = png\r\n size = 1920x1080 \nfps=120\ntheme = dark\n", f);
	fclose(f);
	pgt_export_prefs pr;
	pgt_export_prefs_default(&pr);
	pgt_diags dg;
	pgt_diags_init(&dg, NULL);
	CHECK(pgt_export_prefs_load(&pr, &dg));
	CHECK(dg.n == 0);
	CHECK(pr.format == PGT_FMT_PNG && pr.w == 1920 && pr.h == 1080 && pr.fps == 120);
	CHECK_STR(pr.theme, "dark");
	pgt_diags_free(&dg);
	unlink(path);
}

/* `pgtviz export` remembers its settings for the window's `e`
 * (XDG_CONFIG_HOME points into the test directory, see main). */
static void test_export_prefs(void)
{
	char args[1200], path[600];
	/* scripts/test.sh turns saved settings off for every other test */
	unsetenv("PGTVIZ_NO_PREFS");
	snprintf(args, sizeof(args), "pc-4g -o %s/p.gif --size 640x360 --theme dark --fps 7",
	         tmpdir);
	REQUIRE(run(args) == 0);
	REQUIRE(pgt_export_prefs_path(path, sizeof(path)));
	CHECK(strncmp(path, tmpdir, strlen(tmpdir)) == 0);
	pgt_export_prefs pr;
	pgt_export_prefs_default(&pr);
	CHECK(pr.format == PGT_FMT_GIF && pr.w == 800 && pr.h == 450);
	CHECK_STR(pr.theme, "light");
	REQUIRE(pgt_export_prefs_load(&pr, NULL));
	CHECK(pr.format == PGT_FMT_GIF && pr.w == 640 && pr.h == 360 && pr.fps == 7);
	CHECK_STR(pr.theme, "dark");
	/* A failed export does not overwrite them. */
	snprintf(args, sizeof(args), "pc-4g -o %s/q.png --steps 99999", tmpdir);
	CHECK(run(args) == 2);
	pgt_export_prefs_default(&pr);
	REQUIRE(pgt_export_prefs_load(&pr, NULL));
	CHECK(pr.w == 640);
	/* Round trip through the writer. */
	pr.format = PGT_FMT_PNGSEQ;
	pr.w = 1280;
	pr.h = 720;
	REQUIRE(pgt_export_prefs_save(&pr, NULL));
	pgt_export_prefs q;
	pgt_export_prefs_default(&q);
	REQUIRE(pgt_export_prefs_load(&q, NULL));
	CHECK(q.format == PGT_FMT_PNGSEQ && q.w == 1280 && q.h == 720);
	test_export_prefs_strict(path);
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/pgtviz-ui-test-%ld", (long)getpid());
	mkdir(tmpdir, 0777);
	/* `pgtviz export` remembers its settings there, not in ~/.config. */
	setenv("XDG_CONFIG_HOME", tmpdir, 1);
	fonts = pgt_fonts_open(NULL, NULL);
	if (!fonts)
		return 1;
	RUN(test_table_in_level_colour);
	RUN(test_ro_hatched);
	RUN(test_pgtbuf_cells);
	RUN(test_speed);
	RUN(test_min_font);
	RUN(test_reservation_colour);
	RUN(test_violation_frame);
	RUN(test_export_png);
	RUN(test_export_gif);
	RUN(test_export_svg);
	RUN(test_export_seq);
	RUN(test_video_yuv);
	RUN(test_export_video);
	RUN(test_export_errors);
	RUN(test_crashkernel);
	RUN(test_final_caption_bytes);
	RUN(test_banner_small);
	RUN(test_export_run);
	RUN(test_export_prefs);
	pgt_fonts_close(fonts);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return t_report();
}
