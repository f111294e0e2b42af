/*
 * Colours of every theme file in assets/themes/ against the rules of
 * docs/window.md "Themes and legibility":
 *   - text at least 4.5:1 against the background it is drawn on, marks
 *     (table pages, outlines, markers, ticks) at least 3:1 against theirs
 *     (WCAG 2.1 contrast ratio; which colour is drawn on which is the table
 *     below, taken from the view code);
 *   - the colour-blind theme keeps the violation colour apart from every
 *     level colour and PMD apart from PTE under simulated deuteranopia and
 *     protanopia (Machado et al. 2009, severity 1.0), by at least
 *     PGT_CVD_MIN_DE in CIELAB;
 *   - the light theme's current-range outline is not an error red (its hue
 *     is at least 30 degrees from the violation colour's).
 * The theme files are read with the program's own parser.
 */
#define _DEFAULT_SOURCE
#include "t.h"
#include "colour.h"

#include "pgtviz/render.h"

#include <dirent.h>
#include <stdlib.h>

/* Smallest CIE76 distance between colours that must stay apart under a
 * simulated colour-vision deficiency (about ten times a just-noticeable
 * difference: tell apart at a glance on small marks). */
#define PGT_CVD_MIN_DE 20.0

/* A theme colour by its key in the theme file (NULL key: not found). */
static bool theme_get(const pgt_theme *t, const char *key, pgt_color *out)
{
#define PGT_THEME_GET(f, k)                                                                        \
	if (strcmp(key, k) == 0) {                                                                 \
		*out = t->f;                                                                       \
		return true;                                                                       \
	}
	PGT_THEME_COLORS(PGT_THEME_GET)
#undef PGT_THEME_GET
	return false;
}

/* "key" or "key@under": a translucent colour composited over another. */
static bool theme_resolve(const pgt_theme *t, const char *spec, pgt_color *out)
{
	char key[64];
	snprintf(key, sizeof(key), "%s", spec);
	char *at = strchr(key, '@');
	if (!at)
		return theme_get(t, key, out) && ((*out = *out | 0xff000000u), true);
	*at = '\0';
	pgt_color top, under;
	if (!theme_get(t, key, &top) || !theme_get(t, at + 1, &under))
		return false;
	*out = col_over(top, under | 0xff000000u);
	return true;
}

typedef struct pair {
	const char *fg;   /* drawn colour */
	const char *bg;   /* what it is drawn on ("a@b": a over b) */
	double min;       /* contrast ratio */
	const char *what; /* where the view draws it */
} pair;

#define TEXT 4.5
#define MARK 3.0

static const pair pairs[] = {
    {"text", "background", TEXT, "title, legend, timeline key"},
    {"text", "panel", TEXT, "pane headings, captions, counters"},
    {"text", "overlay-bg@panel", TEXT, "scenario notes, help, glossary"},
    {"text", "tooltip-bg@panel", TEXT, "tooltip"},
    {"text-dim", "background", TEXT, "timeline key, difference lane"},
    {"text-dim", "panel", TEXT, "row labels, pane progress"},
    {"text-dim", "overlay-bg@panel", TEXT, "glossary footnote"},
    {"violation", "panel", TEXT, "red caption, Xen counters"},
    {"violation", "background", TEXT, "timeline key"},
    {"background", "violation", TEXT, "VIOLATION banner text"},
    {"highlight", "panel", TEXT, "chosen pane heading"},
    {"highlight", "overlay-bg@panel", TEXT, "glossary terms"},
    {"pfn-mapped", "panel", TEXT, "min_pfn_mapped / max_pfn_mapped labels"},
    {"chunk", "panel", TEXT, "pgt_buf_end label"},
    {"pgtbuf-used", "panel", TEXT, "pgt_buf label"},
    /* table pages in the map (on RAM), in the strips and the tree (on the
     * panel) */
    {"pgd", "ram", MARK, "table page"},
    {"pgd", "ram-mapped", MARK, "table page"},
    {"pgd", "panel", MARK, "strip cell, tree square"},
    {"pud", "ram", MARK, "table page"},
    {"pud", "ram-mapped", MARK, "table page"},
    {"pud", "panel", MARK, "strip cell, tree square"},
    {"pmd", "ram", MARK, "table page"},
    {"pmd", "ram-mapped", MARK, "table page"},
    {"pmd", "panel", MARK, "strip cell, tree square"},
    {"pte", "ram", MARK, "table page"},
    {"pte", "ram-mapped", MARK, "table page"},
    {"pte", "panel", MARK, "strip cell, tree square"},
    /* RO hatching over table pages and Xen structures */
    {"ro-hatch", "pgd", MARK, "RO hatching"},
    {"ro-hatch", "pud", MARK, "RO hatching"},
    {"ro-hatch", "pmd", MARK, "RO hatching"},
    {"ro-hatch", "pte", MARK, "RO hatching"},
    {"ro-hatch", "reservation-xen", MARK, "RO hatching"},
    /* outlines and markers in the map */
    {"violation", "ram", MARK, "violating page frame"},
    {"violation", "ram-mapped", MARK, "violating page frame"},
    {"violation", "background", MARK, "violation pane frame"},
    {"chunk", "ram", MARK, "current-range outline"},
    {"chunk", "ram-mapped", MARK, "current-range outline"},
    {"pfn-mapped", "ram", MARK, "min/max_pfn_mapped marker"},
    {"pfn-mapped", "ram-mapped", MARK, "min/max_pfn_mapped marker"},
    {"selection", "ram", MARK, "selection frame"},
    {"selection", "ram-mapped", MARK, "selection frame"},
    {"highlight", "ram-mapped", MARK, "parent / alias table outline"},
    {"highlight", "panel", MARK, "note frame"},
    {"mapped-band", "panel", MARK, "direct-mapped band"},
    {"pgtbuf-used", "panel", MARK, "pgt_buf marker"},
    /* timeline */
    {"timeline-done", "background", MARK, "timeline progress"},
    {"timeline-done", "timeline", MARK, "timeline progress"},
    {"marker-call", "background", MARK, "timeline tick"},
    {"marker-buffer", "background", MARK, "timeline tick"},
    {"marker-step", "background", MARK, "timeline tick"},
    {"marker-full", "background", MARK, "timeline tick"},
    {"panic", "background", MARK, "timeline tick"},
};

/* Hue in degrees (HSV) of 0xRRGGBB. */
static double hue(pgt_color c)
{
	double r = ((c >> 16) & 0xff) / 255.0, g = ((c >> 8) & 0xff) / 255.0,
	       b = (c & 0xff) / 255.0;
	double mx = fmax(r, fmax(g, b)), mn = fmin(r, fmin(g, b)), d = mx - mn;
	if (d <= 0)
		return 0;
	double h = mx == r ? fmod((g - b) / d, 6.0) : mx == g ? (b - r) / d + 2 : (r - g) / d + 4;
	h *= 60.0;
	return h < 0 ? h + 360.0 : h;
}

static int check_theme(const char *path)
{
	pgt_theme t;
	pgt_diags dg;
	pgt_diags_init(&dg, NULL);
	bool loaded = pgt_theme_load(&t, path, &dg);
	pgt_diags_print(&dg, stderr);
	pgt_diags_free(&dg);
	if (!loaded) {
		CHECK(!"theme loads");
		return 0;
	}
	int bad = 0;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		pgt_color fg, bg;
		bool ok =
		    theme_resolve(&t, pairs[i].fg, &fg) && theme_resolve(&t, pairs[i].bg, &bg);
		CHECK(ok);
		if (!ok)
			continue;
		double r = col_contrast(fg, bg);
		if (r + 1e-9 < pairs[i].min) {
			fprintf(stderr, "%s: %s on %s: contrast %.2f:1 < %.1f:1 (%s)\n", path,
			        pairs[i].fg, pairs[i].bg, r, pairs[i].min, pairs[i].what);
			bad++;
		}
		CHECK(r + 1e-9 >= pairs[i].min);
	}
	return bad;
}

/* Every theme file in the asset directory passes the table. */
static void test_theme_contrast(void)
{
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/themes", PGTVIZ_ASSET_DIR);
	DIR *d = opendir(dir);
	REQUIRE(d != NULL);
	int themes = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		if (n < 7 || strcmp(de->d_name + n - 6, ".theme") != 0)
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		check_theme(path);
		themes++;
	}
	closedir(d);
	CHECK(themes >= 3);
}

/* The colour-blind-safe theme under simulated deuteranopia and protanopia. */
static void test_cb_simulated(void)
{
	pgt_theme t;
	REQUIRE(pgt_theme_load(&t, "cb", NULL));
	const struct {
		const char *name;
		const double (*m)[3];
	} sims[] = {{"deuteranopia", col_deuteranopia},
	            {"protanopia", col_protanopia},
	            {"normal vision", NULL}};
	const struct {
		const char *a, *b;
		pgt_color ca, cb;
	} apart[] = {
	    {"violation", "pgd", t.violation, t.pgd},
	    {"violation", "pud", t.violation, t.pud},
	    {"violation", "pmd", t.violation, t.pmd},
	    {"violation", "pte", t.violation, t.pte},
	    {"pmd", "pte", t.pmd, t.pte},
	    {"pgd", "pud", t.pgd, t.pud},
	    {"brk", "pud", t.brk, t.pud}, /* BRK area vs PUD page */
	    /* the direct-mapped band over a row vs the table pages in it
	     * (the legend showed both swatches in PMD's blue) */
	    {"mapped-band", "pgd", t.mapped_band, t.pgd},
	    {"mapped-band", "pud", t.mapped_band, t.pud},
	    {"mapped-band", "pmd", t.mapped_band, t.pmd},
	    {"mapped-band", "pte", t.mapped_band, t.pte},
	};
	for (size_t s = 0; s < 3; s++)
		for (size_t i = 0; i < sizeof(apart) / sizeof(apart[0]); i++) {
			double de = col_delta_e(apart[i].ca, apart[i].cb, sims[s].m);
			if (de < PGT_CVD_MIN_DE)
				fprintf(stderr, "cb: %s and %s under %s: delta E %.1f < %.0f\n",
				        apart[i].a, apart[i].b, sims[s].name, de, PGT_CVD_MIN_DE);
			CHECK(de >= PGT_CVD_MIN_DE);
		}
}

/* The simulation itself: the matrices keep grey grey and fold red onto
 * green for a deuteranope (a red and a green of equal lightness come out
 * close), so a passing theme test means something. */
static void test_simulation_sane(void)
{
	CHECK(col_delta_e(0xff808080u, 0xff808080u, col_deuteranopia) < 0.5);
	double lab[3];
	col_seen(0xff808080u, col_deuteranopia, lab);
	CHECK(fabs(lab[1]) < 2.0 && fabs(lab[2]) < 2.0);
	/* A red and a green that normal vision tells apart easily. */
	CHECK(col_delta_e(0xffb04a3cu, 0xff6d8a2au, NULL) > 50);
	CHECK(col_delta_e(0xffb04a3cu, 0xff6d8a2au, col_deuteranopia) < 15);
	/* WCAG reference values: black on white 21:1, #777 on white 4.48:1. */
	CHECK(fabs(col_contrast(0xff000000u, 0xffffffffu) - 21.0) < 1e-9);
	CHECK(fabs(col_contrast(0xff777777u, 0xffffffffu) - 4.48) < 0.01);
}

/* The light theme's current-range outline is not an error red. */
static void test_light_outline(void)
{
	pgt_theme t;
	REQUIRE(pgt_theme_load(&t, "light", NULL));
	double d = fabs(hue(t.chunk) - hue(t.violation));
	if (d > 180)
		d = 360 - d;
	CHECK(d >= 30);
}

int main(void)
{
	RUN(test_simulation_sane);
	RUN(test_theme_contrast);
	RUN(test_cb_simulated);
	RUN(test_light_outline);
	return t_report();
}
