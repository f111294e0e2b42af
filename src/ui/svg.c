/*
 * svg.c: writes a draw list as an SVG document, shapes as shapes and text
 * as text, for print and slides that zoom.  Hatching becomes one <pattern>
 * per distinct (colour, period, stripe width) in <defs>; clip commands
 * become <clipPath>s wrapping the following elements in a <g>.  Output is
 * a pure function of the draw list (deterministic bytes).
 */
#include "pgtviz/render.h"

#include <string.h>

static void color_attr(FILE *out, const char *attr, pgt_color c)
{
	fprintf(out, " %s=\"#%06x\"", attr, (unsigned)(c & 0xffffff));
	if ((c >> 24) != 255)
		fprintf(out, " %s-opacity=\"%.3f\"", attr, (double)(c >> 24) / 255.0);
}

static void xml_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

/* Index of the first hatch command with the same look (pattern id). */
static size_t hatch_id(const pgt_drawlist *dl, size_t i)
{
	const pgt_dl_cmd *c = &dl->cmds[i];
	for (size_t k = 0; k < i; k++) {
		const pgt_dl_cmd *o = &dl->cmds[k];
		if (o->kind == PGT_DL_HATCH && o->color == c->color && o->size == c->size &&
		    o->width == c->width)
			return k;
	}
	return i;
}

static void write_defs(FILE *out, const pgt_drawlist *dl)
{
	fputs("<defs>\n", out);
	for (size_t i = 0; i < dl->n; i++) {
		const pgt_dl_cmd *c = &dl->cmds[i];
		if (c->kind == PGT_DL_HATCH && hatch_id(dl, i) == i) {
			int p = c->size > 1 ? c->size : 2;
			fprintf(out,
			        "<pattern id=\"h%zu\" width=\"%d\" height=\"%d\" "
			        "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
			        "<rect width=\"%d\" height=\"%d\"",
			        i, p, p, c->width > 0 ? c->width : 1, p);
			color_attr(out, "fill", c->color);
			fputs("/></pattern>\n", out);
		} else if (c->kind == PGT_DL_CLIP && c->w > 0) {
			fprintf(out,
			        "<clipPath id=\"c%zu\"><rect x=\"%d\" y=\"%d\" width=\"%d\" "
			        "height=\"%d\"/></clipPath>\n",
			        i, c->x, c->y, c->w, c->h);
		}
	}
	fputs("</defs>\n", out);
}

static void write_text(FILE *out, const pgt_drawlist *dl, const pgt_dl_cmd *c,
                       const pgt_fonts *fonts)
{
	static const char *const anchors[] = {"start", "middle", "end", "start"};
	double y = c->y;
	if (c->anchor & PGT_AN_MIDDLE)
		y += 0.36 * c->size;
	else if (c->anchor & PGT_AN_BOTTOM)
		y -= 0.24 * c->size;
	else
		y += 0.92 * c->size;
	fprintf(out, "<text x=\"%d\" y=\"%.1f\" font-family=\"%s\" font-size=\"%d\"%s", c->x, y,
	        pgt_fonts_family(fonts, c->font), c->size,
	        c->font == PGT_FONT_SANS_BOLD ? " font-weight=\"bold\"" : "");
	if ((c->anchor & 3) != 0)
		fprintf(out, " text-anchor=\"%s\"", anchors[c->anchor & 3]);
	color_attr(out, "fill", c->color);
	fputs(" xml:space=\"preserve\">", out);
	xml_text(out, pgt_dl_text(dl, c));
	fputs("</text>\n", out);
}

bool pgt_svg_write(FILE *out, const pgt_drawlist *dl, const pgt_fonts *fonts)
{
	fprintf(out,
	        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	        "viewBox=\"0 0 %d %d\">\n",
	        dl->width, dl->height, dl->width, dl->height);
	write_defs(out, dl);
	fprintf(out, "<rect width=\"%d\" height=\"%d\"", dl->width, dl->height);
	color_attr(out, "fill", dl->clear | 0xff000000u);
	fputs("/>\n", out);
	bool in_group = false;
	for (size_t i = 0; i < dl->n; i++) {
		const pgt_dl_cmd *c = &dl->cmds[i];
		switch (c->kind) {
		case PGT_DL_RECT:
			fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"", c->x,
			        c->y, c->w, c->h);
			color_attr(out, "fill", c->color);
			fputs("/>\n", out);
			break;
		case PGT_DL_HATCH:
			fprintf(out,
			        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			        "fill=\"url(#h%zu)\"/>\n",
			        c->x, c->y, c->w, c->h, hatch_id(dl, i));
			break;
		case PGT_DL_FRAME: {
			double lw = c->width > 0 ? c->width : 1;
			fprintf(out,
			        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			        "fill=\"none\" stroke-width=\"%.0f\"",
			        c->x + lw / 2, c->y + lw / 2, c->w - lw, c->h - lw, lw);
			color_attr(out, "stroke", c->color);
			fputs("/>\n", out);
			break;
		}
		case PGT_DL_LINE:
			fprintf(out,
			        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke-width=\"%d\"",
			        c->x, c->y, c->x + c->w, c->y + c->h, c->width > 0 ? c->width : 1);
			color_attr(out, "stroke", c->color);
			fputs("/>\n", out);
			break;
		case PGT_DL_TEXT:
			write_text(out, dl, c, fonts);
			break;
		case PGT_DL_CLIP:
			if (in_group)
				fputs("</g>\n", out);
			in_group = c->w > 0;
			if (in_group)
				fprintf(out, "<g clip-path=\"url(#c%zu)\">\n", i);
			break;
		default:
			break;
		}
	}
	if (in_group)
		fputs("</g>\n", out);
	fputs("</svg>\n", out);
	return !ferror(out);
}
