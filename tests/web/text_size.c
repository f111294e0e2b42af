/*
 * The native renderer's text boxes, for the browser test's mask.
 *
 * Reads lines "FONT<TAB>PX<TAB>TEXT" (enum pgt_font, pixel size, UTF-8)
 * from stdin and prints "W H" for each: the size of the surface SDL_ttf
 * renders that text into (src/ui/raster.c blits exactly that box at the
 * anchor), with the faces `pgtviz export` uses (pgt_fonts_open(NULL)).
 * The browser test masks the union of this box and the page's own box of
 * each TEXT command and compares every other pixel exactly.
 */
#include "pgtviz/render.h"

#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	pgt_diags dg;
	pgt_diags_init(&dg, NULL);
	pgt_fonts *f = pgt_fonts_open(NULL, &dg);
	if (!f) {
		pgt_diags_print(&dg, stderr);
		pgt_diags_free(&dg);
		return 1;
	}
	char line[8192];
	int rc = 0;
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		char *p = line, *end;
		long font = strtol(p, &end, 10);
		long px = *end == '\t' ? strtol(end + 1, &end, 10) : -1;
		if (*end != '\t' || font < 0 || font >= PGT_FONT_COUNT || px <= 0 || px > 1000) {
			fprintf(stderr, "text_size: bad line: %s\n", line);
			rc = 1;
			break;
		}
		TTF_Font *t = pgt_fonts_get(f, (int)font, (int)px);
		int w = 0, h = 0;
		if (!t || TTF_SizeUTF8(t, end + 1, &w, &h) != 0) {
			fprintf(stderr, "text_size: cannot measure: %s\n", end + 1);
			rc = 1;
			break;
		}
		printf("%d %d\n", w, h);
	}
	pgt_fonts_close(f);
	pgt_diags_free(&dg);
	return rc;
}
