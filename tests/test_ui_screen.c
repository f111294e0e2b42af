/*
 * The screen presenter (src/ui/screen.c): what the renderer shows after
 * each present is the surface, pixel for pixel, while only the changed
 * rectangles are uploaded.  Runs on SDL's offscreen video driver with the
 * software renderer (the one whose target keeps its pixels, so a wrong
 * rectangle would leave stale pixels behind) and, where the driver offers
 * one, a GL renderer (the whole texture drawn, only changes uploaded).
 * Frames: synthetic patterns with known changed regions, then real frames
 * of a built-in scenario (which must be opaque: the texture is copied
 * without blending).
 */
#define _DEFAULT_SOURCE
#include "t.h"

#include "pgtviz/render.h"
#include "pgtviz/screen.h"
#include "pgtviz/session.h"

#include <SDL.h>
#include <stdlib.h>

#define W 960
#define H 540

static uint32_t *px(SDL_Surface *s, int x, int y)
{
	return (uint32_t *)(void *)((uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch) + x;
}

/* True if the renderer's target holds exactly the surface's pixels. */
static bool target_is(SDL_Renderer *ren, SDL_Surface *s)
{
	size_t n = (size_t)s->w * (size_t)s->h;
	uint32_t *buf = malloc(n * 4);
	bool ok =
	    buf && SDL_RenderReadPixels(ren, NULL, SDL_PIXELFORMAT_ARGB8888, buf, s->w * 4) == 0;
	for (int y = 0; ok && y < s->h; y++)
		ok = memcmp(buf + (size_t)y * (size_t)s->w, px(s, 0, y), (size_t)s->w * 4) == 0;
	free(buf);
	return ok;
}

static void fill(SDL_Surface *s, int x, int y, int w, int h, uint32_t c)
{
	SDL_Rect r = {x, y, w, h};
	SDL_FillRect(s, &r, c);
}

/* Synthetic frames with known changes, on one renderer. */
static void check_patterns(SDL_Renderer *ren)
{
	pgt_screen sc;
	SDL_Surface *s = pgt_raster_surface(W, H);
	REQUIRE(s && pgt_screen_open(&sc, ren, W, H));
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			*px(s, x, y) = 0xff000000u | (uint32_t)(x * 7 + y * 131) * 2654435761u >> 8;
	/* first frame: whole */
	CHECK_U64(pgt_screen_present(&sc, s), (uint64_t)W * H);
	CHECK(target_is(ren, s));
	/* one rectangle */
	fill(s, 40, 30, 50, 20, 0xff123456u);
	CHECK_U64(pgt_screen_present(&sc, s), 50 * 20);
	CHECK(target_is(ren, s));
	/* the same frame again: nothing to upload */
	CHECK_U64(pgt_screen_present(&sc, s), 0);
	CHECK(target_is(ren, s));
	/* two rectangles far apart, and the last pixel of the last row */
	fill(s, 0, 0, 10, 3, 0xffabcdefu);
	fill(s, 200, 120, 30, 40, 0xff00ff00u);
	*px(s, W - 1, H - 1) ^= 0x00ffffffu;
	size_t n = pgt_screen_present(&sc, s);
	CHECK(n >= 10 * 3 + 30 * 40 + 1 && n < (size_t)W * H / 4);
	CHECK(target_is(ren, s));
	/* more separate bands than rectangles: merged, still exact */
	for (int y = 0; y < H; y += 10)
		*px(s, (y * 13) % W, y) ^= 0x00ff00ffu;
	n = pgt_screen_present(&sc, s);
	CHECK(n >= (size_t)H / 10 && n <= (size_t)W * H);
	CHECK(target_is(ren, s));
	/* the target lost its pixels: whole again */
	pgt_screen_invalidate(&sc);
	SDL_SetRenderDrawColor(ren, 255, 0, 0, 255);
	SDL_RenderClear(ren);
	CHECK_U64(pgt_screen_present(&sc, s), (uint64_t)W * H);
	CHECK(target_is(ren, s));
	/* a surface of another size is refused */
	SDL_Surface *o = pgt_raster_surface(W + 1, H);
	CHECK_U64(o ? pgt_screen_present(&sc, o) : 1, 0);
	SDL_FreeSurface(o);
	pgt_screen_close(&sc);
	SDL_FreeSurface(s);
}

/* Real frames stepping through a built-in scenario: opaque, and shown
 * exactly; most steps upload a small part of the frame. */
static void check_scenario(SDL_Renderer *ren, pgt_fonts *fonts, const pgt_theme *th)
{
	pgt_scenario in = {0};
	int bi = pgt_builtin_find("pc-4g");
	REQUIRE(bi >= 0 && pgt_builtin_load((size_t)bi, &in));
	pgt_session *ss = pgt_session_start(&in, NULL, NULL, NULL);
	REQUIRE(ss);
	int w = 960, h = 540;
	SDL_Surface *s = pgt_raster_surface(w, h);
	pgt_screen sc;
	REQUIRE(s && pgt_screen_open(&sc, ren, w, h));
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	pgt_view_params p = {w, h, th, pgt_fonts_measure, fonts, true, NULL, NULL, NULL, 0};
	size_t small = 0, frames = 0, steps = ss->model.nsteps;
	bool opaque = true, shown = true;
	for (size_t st = 0; st < steps && st < 60; st++, frames++) {
		vs.step = st;
		pgt_view_build(&dl, &lay, &ss->model, &vs, &p);
		pgt_raster_draw(s, &dl, fonts);
		for (int y = 0; y < h && opaque; y++)
			for (int x = 0; x < w && opaque; x++)
				opaque = *px(s, x, y) >> 24 == 0xff;
		size_t n = pgt_screen_present(&sc, s);
		small += st > 0 && n < (size_t)w * (size_t)h / 2;
		shown = shown && target_is(ren, s);
	}
	CHECK(frames > 10);
	CHECK(opaque);
	CHECK(shown);
	CHECK(small * 2 > frames); /* most steps change less than half the frame */
	pgt_dl_free(&dl);
	pgt_screen_close(&sc);
	SDL_FreeSurface(s);
	pgt_session_free(ss);
}

int main(void)
{
	/* offscreen (software and GL renderers); dummy (software only) under
	 * AddressSanitizer: offscreen's EGL/Mesa leaves allocations behind
	 * that LeakSanitizer reports at exit */
#ifdef __SANITIZE_ADDRESS__
	const char *driver = "dummy";
#else
	const char *driver = "offscreen";
#endif
	if (!getenv("SDL_VIDEODRIVER"))
		setenv("SDL_VIDEODRIVER", driver, 1);
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
		return 1;
	}
	pgt_diags dg;
	pgt_diags_init(&dg, NULL);
	pgt_fonts *fonts = pgt_fonts_open(NULL, &dg);
	pgt_theme th;
	bool themed = fonts && pgt_theme_load(&th, "dark", &dg);
	pgt_diags_print(&dg, stderr);
	pgt_diags_free(&dg);
	CHECK(themed);
	SDL_Window *win = SDL_CreateWindow("t", 0, 0, 960, 540, SDL_WINDOW_HIDDEN);
	CHECK(win != NULL);
	SDL_Renderer *ren = win ? SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE) : NULL;
	CHECK(ren != NULL);
	if (ren) {
		check_patterns(ren);
		if (themed)
			check_scenario(ren, fonts, &th);
		SDL_DestroyRenderer(ren);
	}
	/* a GL renderer, where the driver has one (the whole texture is drawn) */
	for (int i = 0; win && i < SDL_GetNumRenderDrivers(); i++) {
		SDL_RendererInfo info;
		if (SDL_GetRenderDriverInfo(i, &info) != 0 || strcmp(info.name, "opengl") != 0)
			continue;
		SDL_Renderer *gl = SDL_CreateRenderer(win, i, SDL_RENDERER_ACCELERATED);
		if (gl) {
			check_patterns(gl);
			SDL_DestroyRenderer(gl);
		}
	}
	if (win)
		SDL_DestroyWindow(win);
	if (fonts)
		pgt_fonts_close(fonts);
	SDL_Quit();
	return t_report();
}
