/*
 * Software rasterizer: draws a pgt_drawlist into an ARGB8888 SDL_Surface.
 *
 * Everything is integer and done on the CPU, so the result is the same
 * bytes on every run and every machine with the same fonts: the window
 * uploads this very surface as a texture and the exporters encode it, which
 * makes "export == screen" hold pixel for pixel.  Opaque rectangles go
 * through SDL_FillRect; translucent fills, hatching and lines are blended
 * here; text comes pre-rendered from the font cache and is alpha-blitted.
 */
#include "font_internal.h"

#include <stdlib.h>

SDL_Surface *pgt_raster_surface(int w, int h)
{
	return SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
}

/* Intersects a rect with the surface clip rect; false if empty. */
static bool clip_rect(const SDL_Surface *s, int *x, int *y, int *w, int *h)
{
	SDL_Rect r = {*x, *y, *w, *h}, out;
	if (!SDL_IntersectRect(&r, &s->clip_rect, &out))
		return false;
	*x = out.x;
	*y = out.y;
	*w = out.w;
	*h = out.h;
	return true;
}

static inline uint32_t blend(uint32_t dst, uint32_t src, uint32_t a)
{
	uint32_t ia = 255 - a;
	uint32_t r = (((src >> 16) & 0xff) * a + ((dst >> 16) & 0xff) * ia + 127) / 255;
	uint32_t g = (((src >> 8) & 0xff) * a + ((dst >> 8) & 0xff) * ia + 127) / 255;
	uint32_t b = ((src & 0xff) * a + (dst & 0xff) * ia + 127) / 255;
	return 0xff000000u | (r << 16) | (g << 8) | b;
}

static inline uint32_t *row_ptr(SDL_Surface *s, int y)
{
	return (uint32_t *)(void *)((uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch);
}

static void fill_rect(SDL_Surface *s, int x, int y, int w, int h, pgt_color c)
{
	uint32_t a = c >> 24;
	if (a == 0 || !clip_rect(s, &x, &y, &w, &h))
		return;
	if (a == 255) {
		SDL_Rect r = {x, y, w, h};
		SDL_FillRect(s, &r, c);
		return;
	}
	for (int j = y; j < y + h; j++) {
		uint32_t *p = row_ptr(s, j);
		for (int i = x; i < x + w; i++)
			p[i] = blend(p[i], c, a);
	}
}

/* Diagonal stripes "///" anchored to the canvas, so neighbours line up. */
static void hatch_rect(SDL_Surface *s, const pgt_dl_cmd *c)
{
	int x = c->x, y = c->y, w = c->w, h = c->h;
	int period = c->size > 1 ? c->size : 2;
	int sw = c->width > 0 ? c->width : 1;
	uint32_t a = c->color >> 24;
	if (!clip_rect(s, &x, &y, &w, &h))
		return;
	for (int j = y; j < y + h; j++) {
		uint32_t *p = row_ptr(s, j);
		for (int i = x; i < x + w; i++)
			if ((i + j) % period < sw)
				p[i] = a == 255 ? c->color : blend(p[i], c->color, a);
	}
}

static void frame_rect(SDL_Surface *s, const pgt_dl_cmd *c)
{
	int lw = c->width > 0 ? c->width : 1;
	fill_rect(s, c->x, c->y, c->w, lw, c->color);
	fill_rect(s, c->x, c->y + c->h - lw, c->w, lw, c->color);
	fill_rect(s, c->x, c->y + lw, lw, c->h - 2 * lw, c->color);
	fill_rect(s, c->x + c->w - lw, c->y + lw, lw, c->h - 2 * lw, c->color);
}

static void draw_line(SDL_Surface *s, const pgt_dl_cmd *c)
{
	int lw = c->width > 0 ? c->width : 1;
	if (c->w == 0 || c->h == 0) {
		/* Axis-aligned: a rectangle centred on the line. */
		int x = c->w < 0 ? c->x + c->w : c->x;
		int y = c->h < 0 ? c->y + c->h : c->y;
		int w = abs(c->w), h = abs(c->h);
		if (w == 0)
			fill_rect(s, x - lw / 2, y, lw, h + 1, c->color);
		else
			fill_rect(s, x, y - lw / 2, w + 1, lw, c->color);
		return;
	}
	/* Bresenham with a square brush. */
	int x0 = c->x, y0 = c->y, x1 = c->x + c->w, y1 = c->y + c->h;
	int dx = abs(x1 - x0), dy = -abs(y1 - y0);
	int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
	int err = dx + dy;
	for (;;) {
		fill_rect(s, x0 - lw / 2, y0 - lw / 2, lw, lw, c->color);
		if (x0 == x1 && y0 == y1)
			break;
		int e2 = 2 * err;
		if (e2 >= dy) {
			err += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			err += dx;
			y0 += sy;
		}
	}
}

/* Alpha-blends a rendered text surface at (x, y). */
static void blit_text(SDL_Surface *dst, const SDL_Surface *src, int x, int y, uint32_t alpha)
{
	int w = src->w, h = src->h, cx = x, cy = y;
	if (!clip_rect(dst, &cx, &cy, &w, &h))
		return;
	for (int j = cy; j < cy + h; j++) {
		uint32_t *d = row_ptr(dst, j);
		const uint32_t *sp =
		    (const uint32_t *)(const void *)((const uint8_t *)src->pixels +
		                                     (size_t)(j - y) * (size_t)src->pitch);
		for (int i = cx; i < cx + w; i++) {
			uint32_t px = sp[i - x];
			uint32_t a = ((px >> 24) * alpha + 127) / 255;
			if (a)
				d[i] = a == 255 ? (px | 0xff000000u) : blend(d[i], px, a);
		}
	}
}

void pgt_raster_text_origin(const pgt_dl_cmd *c, int w, int h, int *x, int *y)
{
	*x = c->x;
	*y = c->y;
	if ((c->anchor & 3) == PGT_AN_CENTER)
		*x -= w / 2;
	else if ((c->anchor & 3) == PGT_AN_RIGHT)
		*x -= w;
	if (c->anchor & PGT_AN_MIDDLE)
		*y -= h / 2;
	else if (c->anchor & PGT_AN_BOTTOM)
		*y -= h;
}

static void draw_text(SDL_Surface *s, const pgt_drawlist *dl, const pgt_dl_cmd *c, pgt_fonts *fonts)
{
	const char *txt = pgt_dl_text(dl, c);
	if (!fonts || !txt[0])
		return;
	SDL_Surface *t = pgt_fonts_text(fonts, c->font, c->size, c->color & 0xffffff, txt);
	if (!t)
		return;
	int x, y;
	pgt_raster_text_origin(c, t->w, t->h, &x, &y);
	blit_text(s, t, x, y, c->color >> 24);
}

void pgt_raster_draw(SDL_Surface *dst, const pgt_drawlist *dl, pgt_fonts *fonts)
{
	if (SDL_MUSTLOCK(dst))
		SDL_LockSurface(dst);
	SDL_SetClipRect(dst, NULL);
	SDL_FillRect(dst, NULL, dl->clear | 0xff000000u);
	for (size_t i = 0; i < dl->n; i++) {
		const pgt_dl_cmd *c = &dl->cmds[i];
		switch (c->kind) {
		case PGT_DL_RECT:
			fill_rect(dst, c->x, c->y, c->w, c->h, c->color);
			break;
		case PGT_DL_HATCH:
			hatch_rect(dst, c);
			break;
		case PGT_DL_FRAME:
			frame_rect(dst, c);
			break;
		case PGT_DL_LINE:
			draw_line(dst, c);
			break;
		case PGT_DL_TEXT:
			draw_text(dst, dl, c, fonts);
			break;
		case PGT_DL_CLIP:
			if (c->w > 0 && c->h > 0) {
				SDL_Rect r = {c->x, c->y, c->w, c->h};
				SDL_SetClipRect(dst, &r);
			} else {
				SDL_SetClipRect(dst, NULL);
			}
			break;
		default:
			break;
		}
	}
	SDL_SetClipRect(dst, NULL);
	if (SDL_MUSTLOCK(dst))
		SDL_UnlockSurface(dst);
}
