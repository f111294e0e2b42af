/*
 * Screen presenter: the surface to the renderer, uploading only what
 * changed (include/pgtviz/screen.h says what and why).
 *
 * A frame: compare each row of the surface with the shadow copy (memcmp,
 * the common case is "same"); for a changed row find its first and last
 * changed pixel, copy that span into the shadow and grow the current
 * rectangle; a run of unchanged rows closes the rectangle.  The rectangles
 * are uploaded with SDL_UpdateTexture; on a renderer whose target keeps
 * its pixels (software) only they are copied to it, else the whole texture
 * is.  Costs one read of the surface and the shadow per frame instead of a
 * clear, a full upload and a full copy (docs/performance.md).
 */
#include "pgtviz/screen.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Unchanged rows that close a rectangle (fewer are folded into it). */
#define GAP_ROWS 8

bool pgt_screen_open(pgt_screen *sc, SDL_Renderer *ren, int w, int h)
{
	memset(sc, 0, sizeof(*sc));
	sc->ren = ren;
	sc->w = w;
	sc->h = h;
	SDL_RendererInfo info;
	sc->retains =
	    SDL_GetRendererInfo(ren, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE) != 0;
	sc->tex =
	    SDL_CreateTexture(ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, w, h);
	if (!sc->tex)
		return false;
	/* the surface is opaque: copy, do not blend (same pixels, less work) */
	SDL_SetTextureBlendMode(sc->tex, SDL_BLENDMODE_NONE);
	sc->shadow = malloc((size_t)w * (size_t)h * sizeof(uint32_t));
	if (!sc->shadow) {
		SDL_SetError("out of memory");
		return false;
	}
	return true;
}

void pgt_screen_close(pgt_screen *sc)
{
	if (sc->tex)
		SDL_DestroyTexture(sc->tex);
	free(sc->shadow);
	sc->tex = NULL;
	sc->shadow = NULL;
	sc->valid = false;
}

void pgt_screen_invalidate(pgt_screen *sc)
{
	sc->valid = false;
}

void pgt_renderer_gl_name(SDL_Renderer *ren, char *buf, size_t size)
{
	buf[0] = '\0';
	SDL_RendererInfo info;
	if (!ren || SDL_GetRendererInfo(ren, &info) != 0 || !info.name ||
	    strncmp(info.name, "opengl", 6) != 0 || !SDL_GL_GetCurrentContext())
		return;
	typedef const unsigned char *(*get_string_fn)(unsigned int);
	get_string_fn gs = NULL;
	void *f = SDL_GL_GetProcAddress("glGetString");
	if (f)
		memcpy(&gs, &f, sizeof(gs));
	const unsigned char *r = gs ? gs(0x1F01 /* GL_RENDERER */) : NULL;
	if (r)
		snprintf(buf, size, "%s", (const char *)r);
}

/* GL implementations that rasterize on the CPU (Mesa's llvmpipe and
 * softpipe, SwiftShader, Windows' GDI fallback): "accelerated" to SDL,
 * but slower than SDL's own software renderer for a frame that changes a
 * few rectangles (docs/performance.md, "The window's renderer"). */
static bool gl_in_software(SDL_Renderer *ren)
{
	static const char *const soft[] = {"llvmpipe", "softpipe", "SwiftShader",
	                                   "Software Rasterizer", "GDI Generic"};
	char name[128];
	pgt_renderer_gl_name(ren, name, sizeof(name));
	for (size_t i = 0; i < sizeof(soft) / sizeof(soft[0]); i++)
		if (strstr(name, soft[i]))
			return true;
	return false;
}

SDL_Renderer *pgt_window_renderer(SDL_Window *win, bool vsync)
{
	/* The software renderer draws into the window surface; unless the user
	 * says otherwise, that is the video driver's own framebuffer, not a GL
	 * texture in between (SDL's default on Linux: on a machine without a
	 * GPU, Mesa's llvmpipe uploading and drawing the whole frame per
	 * present; docs/performance.md).  No effect on accelerated renderers. */
	if (!getenv("SDL_FRAMEBUFFER_ACCELERATION"))
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	SDL_Renderer *ren = NULL;
	if (vsync)
		ren = SDL_CreateRenderer(win, -1,
		                         SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
	if (!ren)
		ren = SDL_CreateRenderer(win, -1, SDL_RENDERER_ACCELERATED);
	/* a GL on the CPU is no acceleration, unless the user names the driver */
	if (ren && !getenv("SDL_RENDER_DRIVER") && gl_in_software(ren)) {
		SDL_DestroyRenderer(ren);
		ren = NULL;
	}
	if (!ren)
		ren = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
	return ren;
}

bool pgt_renderer_accelerated(SDL_Renderer *ren)
{
	SDL_RendererInfo info;
	return ren && SDL_GetRendererInfo(ren, &info) == 0 &&
	       (info.flags & SDL_RENDERER_ACCELERATED) != 0;
}

const char *pgt_screen_renderer(const pgt_screen *sc)
{
	SDL_RendererInfo info;
	return sc->ren && SDL_GetRendererInfo(sc->ren, &info) == 0 && info.name ? info.name : "?";
}

static const uint32_t *surf_row(const SDL_Surface *s, int y)
{
	return (const uint32_t *)(const void *)((const uint8_t *)s->pixels +
	                                        (size_t)y * (size_t)s->pitch);
}

/* Compares row y with the shadow; if it changed, copies the changed span
 * into the shadow and returns true with [*x0, *x1). */
static bool row_diff(pgt_screen *sc, const SDL_Surface *s, int y, int *x0, int *x1)
{
	const uint32_t *p = surf_row(s, y);
	uint32_t *q = sc->shadow + (size_t)y * (size_t)sc->w;
	size_t n = (size_t)sc->w;
	if (memcmp(p, q, n * sizeof(*p)) == 0)
		return false;
	size_t a = 0, b = n;
	while (p[a] == q[a])
		a++;
	while (p[b - 1] == q[b - 1])
		b--;
	memcpy(q + a, p + a, (b - a) * sizeof(*p));
	*x0 = (int)a;
	*x1 = (int)b;
	return true;
}

/* Finds the changed rectangles (at most PGT_SCREEN_MAX_RECTS; the last one
 * absorbs the rest) and updates the shadow.  Returns how many. */
static int find_changes(pgt_screen *sc, const SDL_Surface *s, SDL_Rect *r)
{
	int n = 0, gap = 0;
	bool open = false;
	int rx0 = 0, rx1 = 0, ry0 = 0, ry1 = 0; /* the open rectangle */
	for (int y = 0; y < sc->h; y++) {
		int x0, x1;
		if (!row_diff(sc, s, y, &x0, &x1)) {
			if (open && ++gap >= GAP_ROWS && n < PGT_SCREEN_MAX_RECTS - 1) {
				r[n++] = (SDL_Rect){rx0, ry0, rx1 - rx0, ry1 - ry0};
				open = false;
			}
			continue;
		}
		gap = 0;
		if (!open) {
			open = true;
			rx0 = x0;
			rx1 = x1;
			ry0 = y;
		}
		rx0 = x0 < rx0 ? x0 : rx0;
		rx1 = x1 > rx1 ? x1 : rx1;
		ry1 = y + 1;
	}
	if (open)
		r[n++] = (SDL_Rect){rx0, ry0, rx1 - rx0, ry1 - ry0};
	return n;
}

static size_t present_whole(pgt_screen *sc, const SDL_Surface *s)
{
	for (int y = 0; y < sc->h; y++)
		memcpy(sc->shadow + (size_t)y * (size_t)sc->w, surf_row(s, y),
		       (size_t)sc->w * sizeof(uint32_t));
	SDL_UpdateTexture(sc->tex, NULL, s->pixels, s->pitch);
	SDL_RenderClear(sc->ren);
	SDL_RenderCopy(sc->ren, sc->tex, NULL, NULL);
	SDL_RenderPresent(sc->ren);
	sc->valid = true;
	return (size_t)sc->w * (size_t)sc->h;
}

size_t pgt_screen_present(pgt_screen *sc, const SDL_Surface *s)
{
	if (!sc->tex || s->w != sc->w || s->h != sc->h)
		return 0;
	sc->frames++;
	if (!sc->valid) {
		size_t px = present_whole(sc, s);
		sc->px_uploaded += px;
		return px;
	}
	SDL_Rect r[PGT_SCREEN_MAX_RECTS];
	int n = find_changes(sc, s, r);
	size_t px = 0;
	for (int i = 0; i < n; i++) {
		const uint8_t *p = (const uint8_t *)s->pixels + (size_t)r[i].y * (size_t)s->pitch +
		                   (size_t)r[i].x * 4;
		SDL_UpdateTexture(sc->tex, &r[i], p, s->pitch);
		px += (size_t)r[i].w * (size_t)r[i].h;
	}
	sc->px_uploaded += px;
	int ow = 0, oh = 0; /* rectangles map 1:1 only onto a target of our size */
	if (sc->retains && SDL_GetRendererOutputSize(sc->ren, &ow, &oh) == 0 && ow == sc->w &&
	    oh == sc->h) {
		if (n == 0)
			return 0; /* the target already shows this frame */
		for (int i = 0; i < n; i++)
			SDL_RenderCopy(sc->ren, sc->tex, &r[i], &r[i]);
	} else {
		SDL_RenderCopy(sc->ren, sc->tex, NULL, NULL);
	}
	SDL_RenderPresent(sc->ren);
	return px;
}
