/*
 * Fonts: a sans (regular and bold) and a mono face found through
 * fontconfig, or one TTF given with --font PATH for all faces.  Faces are
 * opened lazily per pixel size with SDL_ttf and cached; pixel sizes come
 * from the view (relative to the canvas height), never from constants here.
 *
 * The module also keeps a cache of rendered text surfaces (text, face,
 * size, colour) -> SDL_Surface so a frame at 1920x1080 does not re-render
 * every label; the cache is dropped wholesale when it fills up.
 */
#include "font_internal.h"

#include <SDL_ttf.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One opened face at one size. */
typedef struct font_size {
	int face;      /* enum pgt_font */
	int px;        /* pixel size */
	TTF_Font *ttf; /* owned */
} font_size;

#define MAX_SIZES    48
#define TEXT_CACHE   2048                 /* power of two */
#define PGT_FONT_MAX (64LL * 1024 * 1024) /* largest --font file (bytes) */

struct pgt_fonts {
	char *path[PGT_FONT_COUNT]; /* font file per face (owned) */
	font_size sizes[MAX_SIZES];
	int nsizes;
	pgt_text_entry cache[TEXT_CACHE];
	size_t ncached;
	bool ttf_inited; /* we called TTF_Init */
	bool fc_inited;  /* we called FcInit (FcFini on close) */
};

/* Asks fontconfig for the file of a pattern ("sans", "monospace"). */
static char *fc_find(const char *pattern)
{
	FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
	if (!pat)
		return NULL;
	FcConfigSubstitute(NULL, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	FcResult res;
	FcPattern *match = FcFontMatch(NULL, pat, &res);
	char *out = NULL;
	FcChar8 *file = NULL;
	if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch && file) {
		const char *f = (const char *)file;
		size_t n = strlen(f);
		/* SDL_ttf reads TrueType/OpenType, not Type 1. */
		if (n > 4 && (strcmp(f + n - 4, ".ttf") == 0 || strcmp(f + n - 4, ".otf") == 0 ||
		              strcmp(f + n - 4, ".ttc") == 0))
			out = strdup(f);
	}
	if (match)
		FcPatternDestroy(match);
	FcPatternDestroy(pat);
	return out;
}

/* Why a --font file cannot be used, or NULL. */
static const char *font_file_problem(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return strerror(errno);
	if (S_ISDIR(st.st_mode))
		return "not a regular file (a directory)";
	if (S_ISFIFO(st.st_mode))
		return "not a regular file (a FIFO (named pipe))";
	if (S_ISCHR(st.st_mode))
		return "not a regular file (a character device)";
	if (!S_ISREG(st.st_mode))
		return "not a regular file";
	if (st.st_size > PGT_FONT_MAX)
		return "too large (the limit is 64 MiB)";
	if (access(path, R_OK) != 0)
		return strerror(errno);
	return NULL;
}

pgt_fonts *pgt_fonts_open(const char *override_path, pgt_diags *dg)
{
	pgt_fonts *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	if (override_path) {
		/* a regular file of at most 64 MiB: a FIFO or device would hang
		 * or flood FreeType */
		const char *why = font_file_problem(override_path);
		if (why) {
			pgt_diags_error(dg, "cannot open font '%s': %s", override_path, why);
			free(f);
			return NULL;
		}
		for (int i = 0; i < PGT_FONT_COUNT; i++)
			f->path[i] = strdup(override_path);
	} else {
		if (FcInit()) {
			f->fc_inited = true;
			f->path[PGT_FONT_SANS] = fc_find("sans-serif");
			f->path[PGT_FONT_SANS_BOLD] = fc_find("sans-serif:bold");
			f->path[PGT_FONT_MONO] = fc_find("monospace");
		}
		/* Any face found stands in for the missing ones. */
		const char *any = NULL;
		for (int i = 0; i < PGT_FONT_COUNT; i++)
			if (f->path[i])
				any = f->path[i];
		if (!any) {
			pgt_diags_error(dg, "no TrueType/OpenType font found through "
			                    "fontconfig; install one (e.g. fonts-dejavu-core) or "
			                    "pass --font PATH.ttf");
			free(f);
			return NULL;
		}
		for (int i = 0; i < PGT_FONT_COUNT; i++)
			if (!f->path[i])
				f->path[i] = strdup(any);
	}
	if (!TTF_WasInit()) {
		if (TTF_Init() != 0) {
			pgt_diags_error(dg, "SDL_ttf: %s", TTF_GetError());
			pgt_fonts_close(f);
			return NULL;
		}
		f->ttf_inited = true;
	}
	/* Fail now, not at the first frame, if the file is not a font. */
	if (!pgt_fonts_get(f, PGT_FONT_SANS, 16)) {
		pgt_diags_error(dg, "cannot load font '%s': %s", f->path[PGT_FONT_SANS],
		                TTF_GetError());
		pgt_fonts_close(f);
		return NULL;
	}
	return f;
}

static void cache_clear(pgt_fonts *f)
{
	for (size_t i = 0; i < TEXT_CACHE; i++) {
		if (f->cache[i].surface)
			SDL_FreeSurface(f->cache[i].surface);
		free(f->cache[i].text);
	}
	memset(f->cache, 0, sizeof(f->cache));
	f->ncached = 0;
}

void pgt_fonts_close(pgt_fonts *f)
{
	if (!f)
		return;
	cache_clear(f);
	for (int i = 0; i < f->nsizes; i++)
		TTF_CloseFont(f->sizes[i].ttf);
	for (int i = 0; i < PGT_FONT_COUNT; i++)
		free(f->path[i]);
	if (f->ttf_inited)
		TTF_Quit();
	if (f->fc_inited)
		FcFini();
	free(f);
}

void *pgt_fonts_get(pgt_fonts *f, int font, int px)
{
	if (font < 0 || font >= PGT_FONT_COUNT)
		font = PGT_FONT_SANS;
	if (px < 4)
		px = 4;
	for (int i = 0; i < f->nsizes; i++)
		if (f->sizes[i].face == font && f->sizes[i].px == px)
			return f->sizes[i].ttf;
	if (f->nsizes == MAX_SIZES) {
		/* Rare (many UI scales): drop everything and start over. */
		cache_clear(f);
		for (int i = 0; i < f->nsizes; i++)
			TTF_CloseFont(f->sizes[i].ttf);
		f->nsizes = 0;
	}
	TTF_Font *t = TTF_OpenFont(f->path[font], px);
	if (!t)
		return NULL;
	if (font == PGT_FONT_SANS_BOLD && f->path[PGT_FONT_SANS_BOLD] &&
	    strcmp(f->path[PGT_FONT_SANS_BOLD], f->path[PGT_FONT_SANS]) == 0)
		TTF_SetFontStyle(t, TTF_STYLE_BOLD);
	TTF_SetFontHinting(t, TTF_HINTING_NORMAL);
	f->sizes[f->nsizes++] = (font_size){font, px, t};
	return t;
}

int pgt_fonts_measure(void *ctx, int font, int px, const char *s)
{
	TTF_Font *t = pgt_fonts_get(ctx, font, px);
	int w = 0, h = 0;
	if (!t || TTF_SizeUTF8(t, s, &w, &h) != 0)
		return (int)((double)px * 0.6 * (double)strlen(s));
	return w;
}

const char *pgt_fonts_family(const pgt_fonts *f, int font)
{
	(void)f;
	return font == PGT_FONT_MONO ? "DejaVu Sans Mono, monospace" : "DejaVu Sans, sans-serif";
}

static uint32_t hash_text(int font, int px, uint32_t color, const char *s)
{
	uint32_t h = 2166136261u ^ (uint32_t)font ^ ((uint32_t)px << 8) ^ color;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

SDL_Surface *pgt_fonts_text(pgt_fonts *f, int font, int px, uint32_t color, const char *s)
{
	uint32_t h = hash_text(font, px, color, s);
	size_t i = h & (TEXT_CACHE - 1);
	for (;;) {
		pgt_text_entry *e = &f->cache[i];
		if (!e->text)
			break;
		if (e->hash == h && e->font == font && e->px == px && e->color == color &&
		    strcmp(e->text, s) == 0)
			return e->surface;
		i = (i + 1) & (TEXT_CACHE - 1);
	}
	if (f->ncached >= TEXT_CACHE / 2) {
		cache_clear(f);
		i = h & (TEXT_CACHE - 1);
	}
	TTF_Font *t = pgt_fonts_get(f, font, px);
	if (!t)
		return NULL;
	SDL_Color c = {(uint8_t)(color >> 16), (uint8_t)(color >> 8), (uint8_t)color, 255};
	SDL_Surface *rendered = TTF_RenderUTF8_Blended(t, s, c);
	if (!rendered)
		return NULL;
	SDL_Surface *argb = SDL_ConvertSurfaceFormat(rendered, SDL_PIXELFORMAT_ARGB8888, 0);
	SDL_FreeSurface(rendered);
	if (!argb)
		return NULL;
	char *copy = strdup(s);
	if (!copy) {
		SDL_FreeSurface(argb);
		return NULL;
	}
	f->cache[i] = (pgt_text_entry){h, font, px, color, copy, argb};
	f->ncached++;
	return argb;
}
