/*
 * Themes: every colour the view uses comes from a small text file
 * (assets/themes/NAME.theme), never from code.  The format is
 *
 *     # comment
 *     key = #rrggbb        (or #rrggbbaa for translucent colours)
 *
 * with the keys listed in PGT_THEME_COLORS (view.h).  Unknown keys, bad
 * colours, duplicates and missing keys are reported GNU-style as
 * "file:line:col: error: message", all of them, not only the first.
 */
#include "pgtviz/datadir.h"
#include "pgtviz/diag.h"
#include "pgtviz/render.h"
#include "pgtviz/safe_out.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef PGTVIZ_ASSET_DIR
#define PGTVIZ_ASSET_DIR "assets"
#endif

static const char *const theme_names[PGT_THEME_COUNT] = {"dark", "light", "cb"};

const char *pgt_theme_name(int i)
{
	return i >= 0 && i < PGT_THEME_COUNT ? theme_names[i] : NULL;
}

int pgt_theme_find(const char *name)
{
	for (int i = 0; i < PGT_THEME_COUNT; i++)
		if (strcmp(theme_names[i], name) == 0)
			return i;
	return -1;
}

/* One entry per key: its name and where its field lives in pgt_theme. */
typedef struct theme_key {
	const char *key; /* name in the file */
	size_t offset;   /* offsetof(pgt_theme, field) */
} theme_key;

static const theme_key theme_keys[] = {
#define PGT_THEME_KEY(f, key) {key, offsetof(pgt_theme, f)},
    PGT_THEME_COLORS(PGT_THEME_KEY)
#undef PGT_THEME_KEY
};
#define PGT_THEME_MAX (64 * 1024) /* largest theme file (bytes) */
#define NKEYS         (sizeof(theme_keys) / sizeof(theme_keys[0]))

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Parses "#rrggbb" or "#rrggbbaa" of length len into *out. */
static bool parse_color(const char *s, size_t len, pgt_color *out)
{
	if ((len != 7 && len != 9) || s[0] != '#')
		return false;
	uint32_t v = 0;
	for (size_t i = 1; i < len; i++) {
		int h = hexval((unsigned char)s[i]);
		if (h < 0)
			return false;
		v = (v << 4) | (uint32_t)h;
	}
	if (len == 7)
		*out = 0xff000000u | v;
	else
		*out = (v << 24) | (v >> 8); /* rrggbbaa -> aarrggbb */
	return true;
}

static int find_key(const char *s, size_t len)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strlen(theme_keys[i].key) == len && memcmp(theme_keys[i].key, s, len) == 0)
			return (int)i;
	return -1;
}

/* Parses one line (without newline); records errors in d. */
static void parse_line(pgt_theme *t, const char *line, size_t n, int lineno, bool *seen,
                       pgt_diags *d)
{
	size_t i = 0;
	while (i < n && isspace((unsigned char)line[i]))
		i++;
	if (i == n || line[i] == '#' || line[i] == ';')
		return;
	size_t k0 = i;
	while (i < n && (isalnum((unsigned char)line[i]) || line[i] == '-' || line[i] == '_'))
		i++;
	size_t k1 = i;
	if (k1 == k0) {
		pgt_diags_add(d, PGT_DIAG_ERROR, lineno, (int)k0 + 1, "expected a key name");
		return;
	}
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == n || line[i] != '=') {
		pgt_diags_add(d, PGT_DIAG_ERROR, lineno, (int)i + 1, "expected '=' after '%.*s'",
		              (int)(k1 - k0), line + k0);
		return;
	}
	i++;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	size_t v0 = i;
	while (i < n && !isspace((unsigned char)line[i]))
		i++;
	size_t v1 = i;
	while (i < n && isspace((unsigned char)line[i]))
		i++;
	int key = find_key(line + k0, k1 - k0);
	if (key < 0) {
		pgt_diags_add(d, PGT_DIAG_ERROR, lineno, (int)k0 + 1, "unknown key '%.*s'",
		              (int)(k1 - k0), line + k0);
		return;
	}
	pgt_color c;
	if (!parse_color(line + v0, v1 - v0, &c)) {
		pgt_diags_add(d, PGT_DIAG_ERROR, lineno, (int)v0 + 1,
		              "expected a colour #rrggbb or #rrggbbaa, got '%.*s'", (int)(v1 - v0),
		              line + v0);
		return;
	}
	if (i < n && line[i] != '#') {
		pgt_diags_add(d, PGT_DIAG_ERROR, lineno, (int)i + 1,
		              "unexpected text after colour");
		return;
	}
	if (seen[key])
		pgt_diags_add(d, PGT_DIAG_ERROR, lineno, (int)k0 + 1, "duplicate key '%s'",
		              theme_keys[key].key);
	seen[key] = true;
	memcpy((char *)t + theme_keys[key].offset, &c, sizeof(c));
}

bool pgt_theme_parse(pgt_theme *t, const char *text, const char *file, pgt_diags *dg)
{
	pgt_diags d;
	bool seen[NKEYS];
	memset(seen, 0, sizeof(seen));
	pgt_diags_init(&d, file);
	int lineno = 1;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t m = n;
		if (m && p[m - 1] == '\r')
			m--;
		parse_line(t, p, m, lineno, seen, &d);
		lineno++;
		p += n + (nl ? 1 : 0);
	}
	for (size_t i = 0; i < NKEYS; i++)
		if (!seen[i])
			pgt_diags_add(&d, PGT_DIAG_ERROR, 0, 0, "missing key '%s'",
			              theme_keys[i].key);
	bool ok = d.errors == 0;
	if (!ok && dg)
		pgt_diags_append(dg, &d);
	pgt_diags_free(&d);
	return ok;
}

bool pgt_theme_load(pgt_theme *t, const char *name_or_path, pgt_diags *dg)
{
	char path[4096];
	const char *base = name_or_path;
	if (pgt_theme_find(name_or_path) >= 0 && !strchr(name_or_path, '/')) {
		char data[4096];
		const char *dir = getenv("PGTVIZ_ASSET_DIR");
		if (!dir)
			dir = pgt_data_dir("assets", PGTVIZ_ASSET_DIR, data, sizeof(data));
		snprintf(path, sizeof(path), "%s/themes/%s.theme", dir, name_or_path);
	} else {
		snprintf(path, sizeof(path), "%s", name_or_path);
		const char *slash = strrchr(name_or_path, '/');
		base = slash ? slash + 1 : name_or_path;
	}
	/* a regular file of at most 64 KiB (--theme /dev/zero or a FIFO is an
	 * error, not an endless read or a hang) */
	char why[200];
	char *text = pgt_read_small_file(path, PGT_THEME_MAX, NULL, why, sizeof(why));
	if (!text) {
		pgt_diags_error(dg, "cannot read theme '%s': %s", path, why);
		return false;
	}
	memset(t, 0, sizeof(*t));
	size_t bl = strcspn(base, ".");
	if (bl >= sizeof(t->name))
		bl = sizeof(t->name) - 1;
	memcpy(t->name, base, bl);
	bool ok = pgt_theme_parse(t, text, path, dg);
	free(text);
	return ok;
}
