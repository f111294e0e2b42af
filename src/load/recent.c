/*
 * recent.c: the window's recently opened files (recent.h).  The list is a
 * small text file read with the size cap of every settings file and
 * written through the atomic writer (safe_out.h), so a crash or a full
 * disk never leaves it half-written.
 */
#include "pgtviz/recent.h"

#include "pgtviz/safe_out.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Largest state file read (10 paths of at most 1 KiB fit many times). */
#define RECENT_FILE_MAX (64 * 1024)

static bool disabled(void)
{
	return getenv("PGTVIZ_NO_PREFS") != NULL;
}

bool pgt_recent_file(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int n;
	if (xdg && xdg[0] == '/')
		n = snprintf(buf, size, "%s/pgtviz/recent", xdg);
	else if (home && home[0])
		n = snprintf(buf, size, "%s/.local/state/pgtviz/recent", home);
	else
		return false;
	return n > 0 && (size_t)n < size;
}

bool pgt_recent_load(pgt_recent *r, const char *file, pgt_diags *dg)
{
	char path[4096], msg[600];
	memset(r, 0, sizeof(*r));
	if (!file) {
		if (disabled() || !pgt_recent_file(path, sizeof(path)))
			return true;
		file = path;
	}
	struct stat st;
	if (stat(file, &st) != 0 && errno == ENOENT)
		return true; /* nothing opened yet */
	char *text = pgt_read_small_file(file, RECENT_FILE_MAX, NULL, msg, sizeof(msg));
	if (!text) {
		pgt_diags_add_in(dg, NULL, PGT_DIAG_WARNING, 0, 0,
		                 "ignoring the list of recent files '%s': %s", file, msg);
		return false;
	}
	for (char *line = text, *next; line && *line && r->n < PGT_RECENT_MAX; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		if (line[0] != '/' || strlen(line) >= sizeof(r->path[0]))
			continue;
		bool dup = false;
		for (size_t i = 0; i < r->n; i++)
			dup |= strcmp(r->path[i], line) == 0;
		if (!dup)
			snprintf(r->path[r->n++], sizeof(r->path[0]), "%s", line);
	}
	free(text);
	return true;
}

/* path made absolute (without resolving links: the name the user knows). */
static bool absolute(const char *path, char *out, size_t size)
{
	if (path[0] == '/')
		return (size_t)snprintf(out, size, "%s", path) < size;
	char cwd[4096];
	if (!getcwd(cwd, sizeof(cwd)))
		return false;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	int n = snprintf(out, size, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, path);
	return n > 0 && (size_t)n < size;
}

bool pgt_recent_add(pgt_recent *r, const char *path)
{
	char abs[sizeof(r->path[0])];
	if (!path[0] || !absolute(path, abs, sizeof(abs)))
		return false;
	size_t keep = 0;
	char old[PGT_RECENT_MAX][sizeof(r->path[0])];
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->path[i], abs) != 0 && keep < PGT_RECENT_MAX - 1)
			memcpy(old[keep++], r->path[i], sizeof(old[0]));
	memcpy(r->path[0], abs, sizeof(abs));
	memcpy(r->path[1], old, keep * sizeof(old[0]));
	r->n = keep + 1;
	return true;
}

/* mkdir -p of the directory holding file. */
static void make_dirs(const char *file)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", file);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0777);
			*p = '/';
		}
	mkdir(dir, 0777);
}

bool pgt_recent_save(const pgt_recent *r, const char *file, pgt_diags *dg)
{
	char path[4096], msg[600];
	if (!file) {
		if (disabled() || !pgt_recent_file(path, sizeof(path)))
			return false;
		file = path;
	}
	make_dirs(file);
	struct stat st;
	if (stat(file, &st) == 0 && !S_ISREG(st.st_mode)) {
		pgt_diags_add_in(dg, NULL, PGT_DIAG_WARNING, 0, 0,
		                 "not saving the recent files: '%s' is not a regular file", file);
		return false;
	}
	pgt_out o;
	if (!pgt_out_open(&o, file, NULL, msg, sizeof(msg))) {
		pgt_diags_add_in(dg, NULL, PGT_DIAG_WARNING, 0, 0,
		                 "not saving the recent files: %s", msg);
		return false;
	}
	uint64_t total = 0;
	for (size_t i = 0; i < r->n; i++) {
		size_t len = strlen(r->path[i]);
		pgt_out_write(&o, r->path[i], len);
		pgt_out_write(&o, "\n", 1);
		total += len + 1;
	}
	if (!pgt_out_commit(&o, total, msg, sizeof(msg))) {
		pgt_diags_add_in(dg, NULL, PGT_DIAG_WARNING, 0, 0,
		                 "not saving the recent files: %s", msg);
		return false;
	}
	return true;
}

int pgt_recent_state_of(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return errno == ENOENT || errno == ENOTDIR ? PGT_RECENT_MISSING
		                                           : PGT_RECENT_UNREADABLE;
	return S_ISREG(st.st_mode) && access(path, R_OK) == 0 ? PGT_RECENT_OK
	                                                      : PGT_RECENT_UNREADABLE;
}
