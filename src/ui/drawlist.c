/*
 * drawlist.c: the draw list -- a flat array of commands (rects, hatches,
 * frames, lines, text, clip) with a text pool, in device pixels.  Every
 * output (window, PNG, GIF, video, SVG) paints the same list.
 */
#include "view_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pgt_dl_init(pgt_drawlist *dl)
{
	memset(dl, 0, sizeof(*dl));
}

void pgt_dl_reset(pgt_drawlist *dl, int width, int height, pgt_color clear)
{
	dl->width = width;
	dl->height = height;
	dl->clear = clear;
	dl->n = 0;
	dl->text_len = 0;
	dl->oom = false;
}

void pgt_dl_free(pgt_drawlist *dl)
{
	free(dl->cmds);
	free(dl->text);
	pgt_dl_init(dl);
}

const char *pgt_dl_text(const pgt_drawlist *dl, const pgt_dl_cmd *c)
{
	return dl->text ? dl->text + c->text : "";
}

static pgt_dl_cmd *dl_push(pgt_drawlist *dl, int kind)
{
	if (dl->n == dl->cap) {
		size_t cap = dl->cap ? dl->cap * 2 : 1024;
		pgt_dl_cmd *nc = realloc(dl->cmds, cap * sizeof(*nc));
		if (!nc) {
			dl->oom = true;
			return NULL;
		}
		dl->cmds = nc;
		dl->cap = cap;
	}
	pgt_dl_cmd *c = &dl->cmds[dl->n++];
	memset(c, 0, sizeof(*c));
	c->kind = (uint8_t)kind;
	return c;
}

/* Replaces every byte of s that is not part of a well-formed UTF-8
 * sequence (a file name in another encoding, a sequence cut by a byte
 * count) with '?', in place: what is drawn, and what the SVG and HTML
 * exports write, is valid UTF-8. */
void pgt_utf8_clean(char *s)
{
	unsigned char *p = (unsigned char *)s;
	while (*p) {
		unsigned n = *p < 0x80         ? 0
		             : (*p >> 5) == 6  ? 1
		             : (*p >> 4) == 14 ? 2
		             : (*p >> 3) == 30 ? 3
		                               : 9;
		bool ok = n < 9;
		for (unsigned k = 1; ok && k <= n; k++)
			ok = (p[k] & 0xc0) == 0x80;
		if (ok && n) { /* no overlong form, no surrogate, nothing past U+10FFFF */
			uint32_t cp = (uint32_t)(*p & (0x7f >> (n + 1)));
			for (unsigned k = 1; k <= n; k++)
				cp = cp << 6 | (p[k] & 0x3f);
			static const uint32_t least[4] = {0, 0x80, 0x800, 0x10000};
			ok = cp >= least[n] && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
		}
		if (!ok) {
			*p++ = '?';
			continue;
		}
		p += n + 1;
	}
}

/* Appends s to the text pool (as valid UTF-8); returns its offset (0 = ""
 * on failure). */
static uint32_t dl_str(pgt_drawlist *dl, const char *s)
{
	size_t n = strlen(s) + 1;
	if (!dl->text) {
		dl->text_cap = 4096;
		dl->text = malloc(dl->text_cap);
		if (!dl->text) {
			dl->oom = true;
			return 0;
		}
		dl->text[0] = '\0';
		dl->text_len = 1; /* offset 0 is the empty string */
	}
	if (dl->text_len == 0) {
		dl->text[0] = '\0';
		dl->text_len = 1;
	}
	if (dl->text_len + n > dl->text_cap) {
		size_t cap = dl->text_cap;
		while (dl->text_len + n > cap)
			cap *= 2;
		char *nt = realloc(dl->text, cap);
		if (!nt) {
			dl->oom = true;
			return 0;
		}
		dl->text = nt;
		dl->text_cap = cap;
	}
	memcpy(dl->text + dl->text_len, s, n);
	pgt_utf8_clean(dl->text + dl->text_len);
	uint32_t off = (uint32_t)dl->text_len;
	dl->text_len += n;
	return off;
}

void dl_rect(pgt_drawlist *dl, int x, int y, int w, int h, pgt_color col)
{
	if (w <= 0 || h <= 0 || (col >> 24) == 0)
		return;
	pgt_dl_cmd *c = dl_push(dl, PGT_DL_RECT);
	if (c)
		*c =
		    (pgt_dl_cmd){.kind = PGT_DL_RECT, .x = x, .y = y, .w = w, .h = h, .color = col};
}

void dl_hatch(pgt_drawlist *dl, int x, int y, int w, int h, int period, int sw, pgt_color col)
{
	if (w <= 0 || h <= 0)
		return;
	pgt_dl_cmd *c = dl_push(dl, PGT_DL_HATCH);
	if (c)
		*c = (pgt_dl_cmd){.kind = PGT_DL_HATCH,
		                  .x = x,
		                  .y = y,
		                  .w = w,
		                  .h = h,
		                  .size = period,
		                  .width = sw,
		                  .color = col};
}

void dl_frame(pgt_drawlist *dl, int x, int y, int w, int h, int lw, pgt_color col)
{
	if (w <= 0 || h <= 0)
		return;
	pgt_dl_cmd *c = dl_push(dl, PGT_DL_FRAME);
	if (c)
		*c = (pgt_dl_cmd){.kind = PGT_DL_FRAME,
		                  .x = x,
		                  .y = y,
		                  .w = w,
		                  .h = h,
		                  .width = lw,
		                  .color = col};
}

void dl_line(pgt_drawlist *dl, int x0, int y0, int x1, int y1, int lw, pgt_color col)
{
	pgt_dl_cmd *c = dl_push(dl, PGT_DL_LINE);
	if (c)
		*c = (pgt_dl_cmd){.kind = PGT_DL_LINE,
		                  .x = x0,
		                  .y = y0,
		                  .w = x1 - x0,
		                  .h = y1 - y0,
		                  .width = lw,
		                  .color = col};
}

void dl_clip(pgt_drawlist *dl, int x, int y, int w, int h)
{
	pgt_dl_cmd *c = dl_push(dl, PGT_DL_CLIP);
	if (c)
		*c = (pgt_dl_cmd){.kind = PGT_DL_CLIP, .x = x, .y = y, .w = w, .h = h};
}

void dl_text(pgt_drawlist *dl, int x, int y, int font, int px, int anchor, pgt_color col,
             const char *s)
{
	if (!s[0])
		return;
	uint32_t off = dl_str(dl, s);
	pgt_dl_cmd *c = dl_push(dl, PGT_DL_TEXT);
	if (c)
		*c = (pgt_dl_cmd){.kind = PGT_DL_TEXT,
		                  .font = (uint8_t)font,
		                  .anchor = (uint8_t)anchor,
		                  .x = x,
		                  .y = y,
		                  .size = px,
		                  .color = col,
		                  .text = off};
}
