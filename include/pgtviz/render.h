/*
 * pgtviz rendering backends and resources: themes (theme.c), fonts
 * (font.c), the software rasterizer (raster.c) and the SVG writer (svg.c).
 *
 * Both backends consume the same pgt_drawlist built by view.c.  The window
 * renders into an SDL_Surface with pgt_raster_draw() and uploads it as a
 * texture; exporters use the very same call, so window and export pixels are
 * identical.
 */
#ifndef PGTVIZ_RENDER_H
#define PGTVIZ_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "pgtviz/diag.h"
#include "pgtviz/view.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Themes (theme.c)                                                         */
/* ------------------------------------------------------------------------ */

/* Built-in theme names, in cycling order. */
#define PGT_THEME_COUNT 3
const char *pgt_theme_name(int i);    /* "dark", "light", "cb" */
int pgt_theme_find(const char *name); /* index or -1 */

/* Parses theme text (key = #rrggbb lines, '#' comments).  Errors are
 * added to dg as "file:line:col: error: ..." (dg may be NULL); returns false on error. */
bool pgt_theme_parse(pgt_theme *t, const char *text, const char *file, pgt_diags *dg);
/* Loads PATH, or a built-in name from the asset directory. */
bool pgt_theme_load(pgt_theme *t, const char *name_or_path, pgt_diags *dg);

/* ------------------------------------------------------------------------ */
/* Fonts (font.c)                                                           */
/* ------------------------------------------------------------------------ */

typedef struct pgt_fonts pgt_fonts;

/* Finds a sans and a mono font with fontconfig (override: a TTF path used
 * for all faces) and initialises SDL_ttf.  Prints a clear error and returns
 * NULL if none is found. */
pgt_fonts *pgt_fonts_open(const char *override_path, pgt_diags *dg);
void pgt_fonts_close(pgt_fonts *f);
/* pgt_measure_fn for view params (ctx = pgt_fonts *). */
int pgt_fonts_measure(void *ctx, int font, int px, const char *s);
/* The TTF_Font * for a face at a pixel size (cached); NULL on error. */
void *pgt_fonts_get(pgt_fonts *f, int font, int px);
/* Font file path of a face (for SVG font-family hints). */
const char *pgt_fonts_family(const pgt_fonts *f, int font);

/* ------------------------------------------------------------------------ */
/* Software rasterizer (raster.c)                                           */
/* ------------------------------------------------------------------------ */

struct SDL_Surface;

/* Draws dl into an ARGB8888 surface of the same size. */
void pgt_raster_draw(struct SDL_Surface *dst, const pgt_drawlist *dl, pgt_fonts *fonts);
/* Where the rasterizer puts the top-left corner of text command c's
 * rendered image of size w x h (its anchor applied); tests that measure
 * the ink of a text use the same placement. */
void pgt_raster_text_origin(const pgt_dl_cmd *c, int w, int h, int *x, int *y);
/* Creates an ARGB8888 surface of w x h (NULL on failure). */
struct SDL_Surface *pgt_raster_surface(int w, int h);

/* ------------------------------------------------------------------------ */
/* SVG writer (svg.c)                                                       */
/* ------------------------------------------------------------------------ */

/* Writes dl as an SVG document; returns false on a write error. */
bool pgt_svg_write(FILE *out, const pgt_drawlist *dl, const pgt_fonts *fonts);

#ifdef __cplusplus
}
#endif
#endif
