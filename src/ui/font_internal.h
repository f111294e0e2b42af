/*
 * Private interface between font.c and raster.c: rendered text surfaces
 * from the font module's cache.
 */
#ifndef PGTVIZ_FONT_INTERNAL_H
#define PGTVIZ_FONT_INTERNAL_H

#include <SDL.h>

#include "pgtviz/render.h"

/* One cached rendering of a string. */
typedef struct pgt_text_entry {
	uint32_t hash;        /* of (font, px, color, text) */
	int font, px;         /* face and pixel size */
	uint32_t color;       /* 0xAARRGGBB (alpha ignored) */
	char *text;           /* owned; NULL = empty slot */
	SDL_Surface *surface; /* ARGB8888 with alpha (owned) */
} pgt_text_entry;

/* The rendered text (owned by the cache: valid until the next call). */
SDL_Surface *pgt_fonts_text(pgt_fonts *f, int font, int px, uint32_t color, const char *s);

#endif
