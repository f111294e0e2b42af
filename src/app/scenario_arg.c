/*
 * The SCENARIO argument of the commands: a built-in name, a scenario JSON
 * file, or a dmesg log imported on the fly.
 *
 * Lookup order:
 *   1. a built-in name (pgt_builtin_find): "pc-4g";
 *   2. "-" (standard input) or an existing path;
 *   3. a bare NAME (no '/') for which app_scenario_dir()/NAME.json exists:
 *      the scenario files shipped with pgtviz ("NAME.json" works too).
 * The bytes read are then sniffed: a dmesg log (pgt_dmesg_looks_like_log) is
 * imported, anything else is read as scenario JSON.  Every problem is added
 * to the caller's diagnostics, file problems as "pgtviz: error: ..." and
 * content problems as "file:line:col: error: ..." (pgtviz/diag.h).
 */
#include "commands.h"

#include "pgtviz/safe_out.h"

#include "pgtviz/datadir.h"
#include "pgtviz/diag.h"
#include "pgtviz/dmesg.h"
#include "pgtviz/scenario_json.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PGTVIZ_SCENARIO_DIR
#define PGTVIZ_SCENARIO_DIR "scenarios"
#endif

/* Inputs larger than this are refused before they are read: the dmesg
 * importer's limit (scenario JSON has its own, smaller one). */
#define MAX_INPUT_BYTES PGT_DMESG_MAX_BYTES

/* The bytes of one input. */
typedef struct input {
	char *data;      /* malloc'ed, not NUL-terminated */
	size_t len;      /* bytes in data */
	char name[4096]; /* how diagnostics name it (the path as found) */
} input;

/* Why opening an input failed. */
enum open_result { OPEN_OK, OPEN_MISSING, OPEN_FAILED };

/* Reads all of fd into in->data; false (message printed) on failure. */
static bool read_fd(int fd, input *in, pgt_diags *dg)
{
	size_t cap = 1 << 16;
	in->data = malloc(cap);
	in->len = 0;
	for (;;) {
		if (!in->data) {
			pgt_diags_error(dg, "out of memory reading '%s'", in->name);
			return false;
		}
		if (in->len > MAX_INPUT_BYTES) {
			/* one byte past the limit is enough to refuse a pipe */
			pgt_diags_error(dg, "'%s' is too large (more than %zu MiB)", in->name,
			                MAX_INPUT_BYTES >> 20);
			return false;
		}
		if (in->len == cap) {
			size_t nc = cap * 2 > MAX_INPUT_BYTES + 1 ? MAX_INPUT_BYTES + 1 : cap * 2;
			char *grown = realloc(in->data, nc);
			if (!grown) {
				free(in->data);
				in->data = NULL;
				continue;
			}
			in->data = grown;
			cap = nc;
		}
		ssize_t got = read(fd, in->data + in->len, cap - in->len);
		if (got == 0)
			return true;
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			pgt_diags_error(dg, "cannot read '%s': %s", in->name, strerror(errno));
			return false;
		}
		in->len += (size_t)got;
	}
}

/* Checks what fd is before reading it: directories and huge files are
 * refused with a clear message. */
static bool check_fd(int fd, const input *in, pgt_diags *dg)
{
	struct stat st;
	if (fstat(fd, &st) != 0) {
		pgt_diags_error(dg, "cannot read '%s': %s", in->name, strerror(errno));
		return false;
	}
	if (S_ISDIR(st.st_mode)) {
		pgt_diags_error(dg, "'%s' is a directory, not a scenario file or a log", in->name);
		return false;
	}
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > MAX_INPUT_BYTES) {
		pgt_diags_error(dg, "'%s' is too large (%llu bytes; the limit is %zu MiB)",
		                in->name, (unsigned long long)st.st_size, MAX_INPUT_BYTES >> 20);
		return false;
	}
	return true;
}

static bool regular_only;

void app_inputs_regular_only(bool on)
{
	regular_only = on;
}

/* Opens and reads path ("-" = standard input) into *in. */
static enum open_result read_input(const char *path, input *in, pgt_diags *dg)
{
	bool is_stdin = strcmp(path, "-") == 0;
	in->data = NULL;
	in->len = 0;
	snprintf(in->name, sizeof(in->name), "%s", is_stdin ? "<stdin>" : path);
	int fd = is_stdin       ? STDIN_FILENO
	         : regular_only ? open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
	                        : pgt_open_input(path);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return OPEN_MISSING;
		if (errno == ETIMEDOUT) {
			pgt_diags_error(dg,
			                "cannot read '%s': no process wrote to the FIFO "
			                "within %d s",
			                path, PGT_FIFO_WAIT_MS / 1000);
			return OPEN_FAILED;
		}
		pgt_diags_error(dg, "cannot read '%s': %s", path, strerror(errno));
		return OPEN_FAILED;
	}
	/* the window: a FIFO, a device or a socket would block it (a writer
	 * that never closes) or flood it; a regular file never blocks */
	const char *kind = regular_only && !is_stdin ? pgt_fd_kind(fd) : NULL;
	if (kind && strcmp(kind, "a directory") != 0) {
		pgt_diags_error(dg,
		                "'%s' is %s, not a regular file: the window opens regular files "
		                "only (save the log or scenario to a file first)",
		                path, kind);
		close(fd);
		return OPEN_FAILED;
	}
	bool ok = check_fd(fd, in, dg) && read_fd(fd, in, dg);
	if (!is_stdin)
		close(fd);
	return ok ? OPEN_OK : OPEN_FAILED;
}

/* PGTVIZ_SCENARIO_DIR/NAME.json for a bare NAME (or NAME.json), if it exists. */
static bool scenario_file(const char *dir, const char *name, char *out, size_t size)
{
	struct stat st;
	size_t n = strlen(name);
	if (!n || strchr(name, '/') || name[0] == '.')
		return false;
	bool has_ext = n > 5 && strcmp(name + n - 5, ".json") == 0;
	int w = snprintf(out, size, "%s/%s%s", dir, name, has_ext ? "" : ".json");
	return w > 0 && (size_t)w < size && stat(out, &st) == 0 && S_ISREG(st.st_mode);
}

/* "pgtviz: error: 'foo' is neither ...", listing the built-ins. */
static void report_unknown(const char *arg, pgt_diags *dg)
{
	char names[600] = "";
	size_t k = 0;
	for (size_t i = 0; i < pgt_builtin_count() && k < sizeof(names); i++) {
		int w = snprintf(names + k, sizeof(names) - k, "%s%s", i ? ", " : "",
		                 pgt_builtin_name(i));
		k += w > 0 ? (size_t)w : 0;
	}
	pgt_diags_error(dg, "'%s' is neither a built-in scenario (%s) nor a readable file", arg,
	                names);
}

/* Moves the scenario out of a dmesg import. */
static bool load_dmesg(const input *in, pgt_scenario *out, pgt_diags *d)
{
	pgt_dmesg dm;
	memset(&dm, 0, sizeof(dm));
	bool ok = pgt_dmesg_import(in->data, in->len, &dm, d);
	if (ok) {
		*out = dm.sc;
		memset(&dm.sc, 0, sizeof(dm.sc));
	}
	pgt_dmesg_free(&dm);
	return ok;
}

/* The first byte after a byte-order mark and white space. */
static char first_char(const input *in)
{
	size_t i = (in->len >= 3 && memcmp(in->data, "\xef\xbb\xbf", 3) == 0) ? 3 : 0;
	while (i < in->len && strchr(" \t\r\n", in->data[i]))
		i++;
	return i < in->len ? in->data[i] : '\0';
}

/* Parses the bytes of an input as a log or as JSON. */
static bool load_input(const input *in, pgt_scenario *out, pgt_diags *dg)
{
	pgt_diags d;
	pgt_diags_init(&d, in->name);
	bool is_log = pgt_dmesg_looks_like_log(in->data, in->len);
	bool ok =
	    is_log ? load_dmesg(in, out, &d) : pgt_scenario_from_json(in->data, in->len, out, &d);
	pgt_diags_append(dg, &d);
	if (!ok && !is_log && in->len && first_char(in) != '{' && first_char(in) != '\0')
		pgt_diags_add_in(dg, NULL, PGT_DIAG_NOTE, 0, 0,
		                 "'%s' was read as scenario JSON: it does not look like "
		                 "a dmesg log either",
		                 in->name);
	pgt_diags_free(&d);
	return ok;
}

/* app_load_scenario() with the scenario directory given. */
static bool load_scenario(const char *arg, pgt_scenario *out, pgt_diags *dg, const char *dir)
{
	input in;
	char path[4096];
	memset(out, 0, sizeof(*out));
	int b = pgt_builtin_find(arg);
	if (b >= 0) {
		if (pgt_builtin_load((size_t)b, out))
			return true;
		pgt_diags_error(dg, "out of memory loading '%s'", arg);
		return false;
	}
	enum open_result r = read_input(arg, &in, dg);
	if (r == OPEN_MISSING && scenario_file(dir, arg, path, sizeof(path)))
		r = read_input(path, &in, dg);
	if (r == OPEN_MISSING)
		report_unknown(arg, dg);
	if (r != OPEN_OK) {
		free(in.data);
		return false;
	}
	bool ok = load_input(&in, out, dg);
	free(in.data);
	return ok;
}

const char *app_scenario_dir(void)
{
	static char buf[4096];
	if (!buf[0])
		pgt_data_dir("scenarios", PGTVIZ_SCENARIO_DIR, buf, sizeof(buf));
	return buf;
}

bool app_load_scenario(const char *arg, pgt_scenario *out, pgt_diags *dg)
{
	return load_scenario(arg, out, dg, app_scenario_dir());
}
