/*
 * `pgtviz export SCENARIO -o lesson.html`: one self-contained page.
 *
 * The page is the template web/lesson.html with its @NAME@ markers filled
 * in: the wasm build of pgtviz (pgtviz-web.js, the wasm inlined; built by
 * the PGTVIZ_WEB CMake option), the canvas backend web/pgtviz.js, the
 * scenario as JSON (so the page runs it through the same loader), the
 * built-in themes and the three fonts (subset WOFF2, made at build time
 * from the DejaVu faces) as base64.  Nothing in it points outside the file.
 *
 * The file goes through safe_out.h (temporary file, fsync, rename), so a
 * failure leaves nothing behind.
 */
#include "export_html.h"

#include "pgtviz/datadir.h"

#include "pgtviz/export.h"
#include "pgtviz/safe_out.h"
#include "pgtviz/scenario_json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef PGTVIZ_WEB_DIR
#define PGTVIZ_WEB_DIR "web"
#endif
#ifndef PGTVIZ_WEB_BUILD_DIR
#define PGTVIZ_WEB_BUILD_DIR ""
#endif

/* A growing byte buffer. */
typedef struct buf {
	char *p;
	size_t n, cap;
	bool oom; /* an allocation failed */
} buf;

static void put(buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void puts_(buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* Reads a whole file of the installation (template, scripts, fonts,
 * themes; NUL-terminated); NULL + message on error. */
static char *slurp(const char *path, size_t *len, pgt_diags *dg)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		pgt_diags_add_in(dg, "pgtviz export", PGT_DIAG_ERROR, 0, 0, "cannot read '%s': %s",
		                 path, strerror(errno));
		return NULL;
	}
	buf b = {0};
	char chunk[65536];
	size_t k;
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		put(&b, chunk, k);
	bool bad = ferror(f) || b.oom;
	fclose(f);
	if (bad) {
		pgt_diags_add_in(dg, "pgtviz export", PGT_DIAG_ERROR, 0, 0, "cannot read '%s'",
		                 path);
		free(b.p);
		return NULL;
	}
	if (!b.p)
		put(&b, "", 0);
	*len = b.n;
	return b.p;
}

/* s as a JSON string; '<' is escaped so no "</script" can end the block. */
static void put_json_string(buf *b, const char *s)
{
	puts_(b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char esc[8];
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			put(b, esc, 2);
		} else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&') {
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
			puts_(b, esc);
		} else {
			put(b, (const char *)p, 1);
		}
	}
	puts_(b, "\"");
}

static void put_base64(buf *b, const unsigned char *d, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char out[4];
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)d[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)d[i + 1] << 8;
		if (i + 2 < n)
			v |= d[i + 2];
		out[0] = tab[(v >> 18) & 63];
		out[1] = tab[(v >> 12) & 63];
		out[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		out[3] = i + 2 < n ? tab[v & 63] : '=';
		put(b, out, 4);
	}
}

/* The directory holding the browser build (pgtviz-web.js, fonts/): the
 * build tree's, or, installed, the same web/ as the page's sources. */
static const char *web_build_dir(void)
{
	static char dir[4096];
	const char *d = getenv("PGTVIZ_WEB_BUILD_DIR");
	return d && d[0] ? d : pgt_data_dir("web", PGTVIZ_WEB_BUILD_DIR, dir, sizeof(dir));
}

static const char *web_src_dir(void)
{
	static char dir[4096];
	const char *d = getenv("PGTVIZ_WEB_DIR");
	return d && d[0] ? d : pgt_data_dir("web", PGTVIZ_WEB_DIR, dir, sizeof(dir));
}

static char *read_in(const char *dir, const char *name, size_t *len, pgt_diags *dg)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		pgt_diags_add_in(dg, "pgtviz export", PGT_DIAG_ERROR, 0, 0, "path too long: %s/%s",
		                 dir, name);
		return NULL;
	}
	return slurp(path, len, dg);
}

/* The theme text of a built-in name or a file. */
static char *theme_text(const char *name_or_path, pgt_diags *dg)
{
	size_t len;
	if (pgt_theme_find(name_or_path) >= 0) {
		char data[4096];
		const char *dir = getenv("PGTVIZ_ASSET_DIR");
		if (!dir)
			dir = pgt_data_dir("assets", PGTVIZ_ASSET_DIR, data, sizeof(data));
		char sub[256];
		snprintf(sub, sizeof(sub), "themes/%s.theme", name_or_path);
		return read_in(dir, sub, &len, dg);
	}
	/* A user's theme file: a regular file of sane size only (safe_out.h). */
	char msg[512];
	char *t = pgt_read_small_file(name_or_path, 1 << 20, &len, msg, sizeof(msg));
	if (!t)
		pgt_diags_add_in(dg, "pgtviz export", PGT_DIAG_ERROR, 0, 0, "%s", msg);
	return t;
}

/* The "themes" object: the built-ins in cycling order, then a theme file
 * given with --theme (named after the file). */
static bool put_themes(buf *b, const html_job *j, const char **initial, pgt_diags *dg)
{
	puts_(b, "{");
	for (int i = 0; i < PGT_THEME_COUNT; i++) {
		char *t = theme_text(pgt_theme_name(i), dg);
		if (!t)
			return false;
		if (i)
			puts_(b, ",");
		put_json_string(b, pgt_theme_name(i));
		puts_(b, ":");
		put_json_string(b, t);
		free(t);
	}
	*initial = j->theme;
	if (pgt_theme_find(j->theme) < 0) {
		char *t = theme_text(j->theme, dg);
		if (!t)
			return false;
		const char *base = strrchr(j->theme, '/');
		base = base ? base + 1 : j->theme;
		puts_(b, ",");
		put_json_string(b, base);
		puts_(b, ":");
		put_json_string(b, t);
		free(t);
		*initial = base;
	}
	puts_(b, "}");
	return true;
}

/* The page's data block (JSON). */
static bool put_data(buf *b, const html_job *j, pgt_diags *dg)
{
	char *json = pgt_scenario_to_json(j->sc, NULL, 0);
	if (!json) {
		pgt_diags_add_in(dg, "pgtviz export", PGT_DIAG_ERROR, 0, 0, "out of memory");
		return false;
	}
	const char *base = strrchr(j->arg, '/');
	base = base ? base + 1 : j->arg;
	puts_(b, "{\"name\":");
	put_json_string(b, j->name);
	puts_(b, ",\"file\":");
	put_json_string(b, base);
	puts_(b, ",\"schemes\":");
	put_json_string(b, j->schemes ? j->schemes : "");
	puts_(b, ",\"kver\":");
	put_json_string(b, j->kver ? j->kver : "");
	puts_(b, ",\"title\":"); /* --title, for the first scenario the page opens */
	if (j->title)
		put_json_string(b, j->title);
	else
		puts_(b, "null");
	puts_(b, ",\"scenario\":");
	put_json_string(b, json);
	free(json);
	const char *initial = NULL;
	puts_(b, ",\"themes\":");
	if (!put_themes(b, j, &initial, dg))
		return false;
	puts_(b, ",\"theme\":");
	put_json_string(b, initial);
	puts_(b, "}");
	return true;
}

/* One font file of the build as base64. */
static bool put_font(buf *b, const char *file, pgt_diags *dg)
{
	char sub[64];
	snprintf(sub, sizeof(sub), "fonts/%s", file);
	size_t len;
	char *d = read_in(web_build_dir(), sub, &len, dg);
	if (!d)
		return false;
	put_base64(b, (const unsigned char *)d, len);
	free(d);
	return true;
}

/* Inlines a script; refuses one that could end its <script> element. */
static bool put_script(buf *b, const char *dir, const char *file, pgt_diags *dg)
{
	size_t len;
	char *s = read_in(dir, file, &len, dg);
	if (!s)
		return false;
	if (strstr(s, "</script") || strstr(s, "</SCRIPT")) {
		pgt_diags_add_in(dg, "pgtviz export", PGT_DIAG_ERROR, 0, 0,
		                 "%s/%s contains '</script'", dir, file);
		free(s);
		return false;
	}
	put(b, s, len);
	free(s);
	return true;
}

static bool fill_marker(buf *b, const char *name, size_t n, const html_job *j, pgt_diags *dg)
{
	if (n == 5 && !memcmp(name, "TITLE", 5)) {
		const char *t = j->sc->title ? j->sc->title : j->name;
		for (const char *p = t; *p; p++) {
			const char *e = *p == '<'   ? "&lt;"
			                : *p == '>' ? "&gt;"
			                : *p == '&' ? "&amp;"
			                : *p == '"' ? "&quot;"
			                            : NULL;
			if (e)
				puts_(b, e);
			else
				put(b, p, 1);
		}
		return true;
	}
	if (n == 9 && !memcmp(name, "FONT_SANS", 9))
		return put_font(b, "sans.woff2", dg);
	if (n == 9 && !memcmp(name, "FONT_MONO", 9))
		return put_font(b, "mono.woff2", dg);
	if (n == 9 && !memcmp(name, "FONT_BOLD", 9))
		return put_font(b, "bold.woff2", dg);
	if (n == 4 && !memcmp(name, "DATA", 4))
		return put_data(b, j, dg);
	if (n == 7 && !memcmp(name, "WASM_JS", 7))
		return put_script(b, web_build_dir(), "pgtviz-web.js", dg);
	if (n == 7 && !memcmp(name, "PAGE_JS", 7))
		return put_script(b, web_src_dir(), "pgtviz.js", dg);
	pgt_diags_add_in(dg, "pgtviz export", PGT_DIAG_ERROR, 0, 0,
	                 "web/lesson.html: unknown marker @%.*s@", (int)n, name);
	return false;
}

/* Copies the template, filling each @NAME@ (capitals and '_') once. */
static bool fill_template(buf *b, const char *t, const html_job *j, pgt_diags *dg)
{
	const char *p = t;
	while (*p) {
		const char *at = strchr(p, '@');
		if (!at) {
			puts_(b, p);
			break;
		}
		size_t k = 1;
		while ((at[k] >= 'A' && at[k] <= 'Z') || at[k] == '_')
			k++;
		put(b, p, (size_t)(at - p));
		if (k > 1 && at[k] == '@') {
			if (!fill_marker(b, at + 1, k - 1, j, dg))
				return false;
			p = at + k + 1;
		} else {
			put(b, at, 1);
			p = at + 1;
		}
	}
	return true;
}

bool pgt_html_available(char *why, size_t size)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/pgtviz-web.js", web_build_dir());
	FILE *f =
	    web_build_dir()[0] && n > 0 && (size_t)n < sizeof(path) ? fopen(path, "rb") : NULL;
	if (f) {
		fclose(f);
		return true;
	}
	snprintf(why, size,
	         "this pgtviz was built without its browser build (%s); rebuild with "
	         "Emscripten installed (scripts/deps.sh web, then cmake -DPGTVIZ_WEB=ON; see "
	         "docs/web.md)",
	         web_build_dir()[0] ? "pgtviz-web.js is missing" : "PGTVIZ_WEB was off");
	return false;
}

bool pgt_html_export(const html_job *j, pgt_diags *dg)
{
	char why[512];
	if (!pgt_html_available(why, sizeof(why))) {
		pgt_diags_add_in(dg, "pgtviz export", PGT_DIAG_ERROR, 0, 0, "%s", why);
		return false;
	}
	size_t tlen;
	char *tpl = read_in(web_src_dir(), "lesson.html", &tlen, dg);
	if (!tpl)
		return false;
	buf b = {0};
	bool ok = fill_template(&b, tpl, j, dg);
	free(tpl);
	if (ok && b.oom) {
		pgt_diags_add_in(dg, "pgtviz export", PGT_DIAG_ERROR, 0, 0, "out of memory");
		ok = false;
	}
	if (ok) {
		/* Written whole or not at all (safe_out.h); the scenario file is
		 * an input and cannot be overwritten by its own lesson. */
		const char *inputs[] = {j->arg, NULL};
		char msg[512];
		pgt_out o;
		ok = pgt_out_open(&o, j->out, inputs, msg, sizeof(msg));
		if (ok) {
			pgt_out_write(&o, b.p, b.n);
			ok = pgt_out_commit(&o, b.n, msg, sizeof(msg));
		}
		if (!ok)
			pgt_diags_add_in(dg, "pgtviz export", PGT_DIAG_ERROR, 0, 0, "%s", msg);
	}
	free(b.p);
	return ok;
}
