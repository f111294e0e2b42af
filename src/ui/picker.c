/*
 * picker.c: the scenario list of the window's picker overlay (SDL-free).
 */
#define _DEFAULT_SOURCE /* DT_* and struct dirent details */
#include "pgtviz/picker.h"

#include "pgtviz/core.h"
#include "pgtviz/diag.h"
#include "pgtviz/recent.h"
#include "pgtviz/scenario_json.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void pgt_one_line(const char *text, char *buf, size_t size)
{
	if (!size)
		return;
	buf[0] = '\0';
	if (!text)
		return;
	size_t n = 0;
	const char *dot = strstr(text, ". ");
	n = dot ? (size_t)(dot - text) : strlen(text);
	if (n < size) {
		memcpy(buf, text, n);
		buf[n] = '\0';
		return;
	}
	/* Too long: cut at the last space that leaves room for the ellipsis
	 * ("…", 3 bytes), else at the last whole UTF-8 character that does. */
	size_t k = size > 4 ? size - 4 : 0;
	while (k > 0 && text[k] != ' ')
		k--;
	if (k == 0) {
		k = size > 4 ? size - 4 : 0;
		while (k > 0 && ((unsigned char)text[k] & 0xc0) == 0x80)
			k--;
	}
	while (k > 0 && text[k - 1] == ' ')
		k--;
	if (size < 4) {
		buf[0] = '\0';
		return;
	}
	memcpy(buf, text, k);
	memcpy(buf + k, "\xe2\x80\xa6", 4); /* "…" and its NUL */
}

static bool push(pgt_pick_list *l, size_t *cap, const pgt_pick_item *it)
{
	if (l->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		pgt_pick_item *nv = realloc(l->v, nc * sizeof(*nv));
		if (!nv)
			return false;
		l->v = nv;
		*cap = nc;
	}
	l->v[l->n++] = *it;
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads a whole small file; NULL on error. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *s = malloc(cap);
	while (s) {
		size_t r = fread(s + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
		if (n == cap) {
			if (cap >= (4u << 20)) { /* scenario files are small */
				free(s);
				s = NULL;
				break;
			}
			char *ns = realloc(s, cap * 2);
			if (!ns) {
				free(s);
				s = NULL;
				break;
			}
			s = ns;
			cap *= 2;
		}
	}
	fclose(f);
	*len = n;
	return s;
}

bool pgt_pick_list_build(pgt_pick_list *l, const char *dir)
{
	memset(l, 0, sizeof(*l));
	size_t cap = 0;
	for (size_t i = 0; i < pgt_builtin_count(); i++) {
		pgt_pick_item it = {.builtin = true};
		snprintf(it.name, sizeof(it.name), "%s", pgt_builtin_name(i));
		snprintf(it.arg, sizeof(it.arg), "%s", pgt_builtin_name(i));
		pgt_one_line(pgt_builtin_title(i), it.desc, sizeof(it.desc));
		if (!push(l, &cap, &it))
			return false;
	}
	DIR *d = dir ? opendir(dir) : NULL;
	if (!d)
		return true;
	char **names = NULL;
	size_t nn = 0, ncap = 0;
	for (struct dirent *de; (de = readdir(d));) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".json") || de->d_name[0] == '.')
			continue;
		if (nn == ncap) {
			ncap = ncap ? ncap * 2 : 16;
			char **nv = realloc(names, ncap * sizeof(*nv));
			if (!nv)
				break;
			names = nv;
		}
		names[nn] = strdup(de->d_name);
		if (names[nn])
			nn++;
	}
	closedir(d);
	if (nn)
		qsort(names, nn, sizeof(*names), cmp_str);
	bool ok = true;
	for (size_t k = 0; k < nn; k++) {
		pgt_pick_item it = {.builtin = false};
		snprintf(it.arg, sizeof(it.arg), "%s/%s", dir, names[k]);
		size_t len = 0;
		char *text = slurp(it.arg, &len);
		pgt_scenario sc;
		memset(&sc, 0, sizeof(sc));
		pgt_diags dg;
		pgt_diags_init(&dg, it.arg);
		bool loaded = text && pgt_scenario_from_json(text, len, &sc, &dg);
		pgt_diags_free(&dg);
		free(text);
		if (loaded && (!sc.name || pgt_builtin_find(sc.name) < 0)) {
			snprintf(it.name, sizeof(it.name), "%s", sc.name ? sc.name : names[k]);
			pgt_one_line(sc.title ? sc.title : sc.description, it.desc,
			             sizeof(it.desc));
			ok = ok && push(l, &cap, &it);
		}
		if (loaded)
			pgt_scenario_clear(&sc);
		free(names[k]);
	}
	free(names);
	return ok;
}

void pgt_pick_list_free(pgt_pick_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

bool pgt_pick_list_add_recent(pgt_pick_list *l, const pgt_recent *r)
{
	size_t old = 0;
	while (old < l->n && l->v[old].recent)
		old++;
	size_t keep = l->n - old, n = keep + r->n;
	pgt_pick_item *v = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return false;
	for (size_t i = 0; i < r->n; i++) {
		pgt_pick_item *it = &v[i];
		memset(it, 0, sizeof(*it));
		it->recent = true; /* name and desc are cut to their arrays (precisions) */
		snprintf(it->arg, sizeof(it->arg), "%s", r->path[i]);
		const char *slash = strrchr(r->path[i], '/');
		snprintf(it->name, sizeof(it->name), "%.63s", slash ? slash + 1 : r->path[i]);
		it->state = pgt_recent_state_of(r->path[i]);
		int dl = slash ? (int)(slash - r->path[i]) : 0;
		if (it->state == PGT_RECENT_MISSING)
			snprintf(it->desc, sizeof(it->desc), "missing: %.190s", r->path[i]);
		else if (it->state == PGT_RECENT_UNREADABLE)
			snprintf(it->desc, sizeof(it->desc), "cannot be read: %.183s", r->path[i]);
		else
			snprintf(it->desc, sizeof(it->desc), "recent, in %.*s", dl ? dl : 1,
			         dl ? r->path[i] : "/");
	}
	if (keep) /* l->v is NULL before the first listing */
		memcpy(v + r->n, l->v + old, keep * sizeof(*v));
	free(l->v);
	l->v = v;
	l->n = n;
	return true;
}

/* Whether a and b name the same file: the same device and inode, else
 * (either cannot be looked at: a missing recent file) the same text. */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	return strcmp(a, b) == 0;
}

int pgt_pick_list_find(const pgt_pick_list *l, const char *name, const char *path)
{
	if (!l)
		return -1;
	bool file = path && path[0];
	/* the recent row of the file first, then a gallery file's row (the
	 * gallery's files are not remembered as recent) */
	for (int pass = 0; file && pass < 2; pass++)
		for (size_t i = 0; i < l->n; i++) {
			const pgt_pick_item *it = &l->v[i];
			if (it->recent == (pass == 0) && !it->builtin && same_file(it->arg, path))
				return (int)i;
		}
	if (name && name[0])
		for (size_t i = 0; i < l->n; i++)
			if (!l->v[i].recent && strcmp(l->v[i].name, name) == 0)
				return (int)i;
	return -1;
}

bool pgt_scenario_add_file_notes(pgt_scenario *sc, const char *dir)
{
	if (!sc || sc->n_notes || !sc->name || !dir || strchr(sc->name, '/'))
		return false;
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s.json", dir, sc->name);
	size_t len = 0;
	char *text = slurp(path, &len);
	if (!text)
		return false;
	pgt_scenario f;
	memset(&f, 0, sizeof(f));
	pgt_diags dg;
	pgt_diags_init(&dg, path);
	bool ok = pgt_scenario_from_json(text, len, &f, &dg);
	pgt_diags_free(&dg);
	free(text);
	bool added = false;
	if (ok && f.name && !strcmp(f.name, sc->name))
		for (size_t i = 0; i < f.n_notes; i++)
			added |= pgt_scenario_copy_note(sc, &f.notes[i]);
	if (ok)
		pgt_scenario_clear(&f);
	return added;
}
