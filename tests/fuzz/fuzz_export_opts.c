/*
 * Fuzz target: bytes -> the argument vector of `pgtviz export` -> its
 * option parsing (parse_args: the command's own option table, read by the
 * table-driven parser of src/app/opts.c, then the --kernel check).
 *
 * cmd_export.c is compiled into this target (included below), so the rows
 * under test are the command's own, not a copy: an option added to the
 * table is fuzzed from then on.  The input is one argument per line ('\n'
 * separates them; at most MAX_ARGS), so corpus files read as command lines.
 *
 * Checks besides "no crash, leak or UB":
 *   - parse_args returns 0 (--help), 2 (one error message) or -1 (go on);
 *   - after -1, a scenario and an output were given and every value lies
 *     within the limits the table states: --fps 1..120, --size within
 *     160x120..7680x4320, --hold-markers and --ui-scale finite and in
 *     range, --format a known format, --kernel a version pgtviz models;
 *   - --title is at most PGT_TITLE_MAX bytes without a control character
 *     (C0, DEL, C1) or a byte UTF-8 never has (0xc0, 0xc1, 0xfe, 0xff);
 *   - string options point into the argument vector (nothing dangles).
 */
#include "cmd_export.c" /* parse_args, export_opts and the table (first: it sets
                           _DEFAULT_SOURCE) */

#include "fuzz.h"

#include <math.h>

#define MAX_ARGS  64
#define MAX_BYTES 8192

/* Whether p is NULL or one of the strings of argv (or inside one, after
 * '='). */
static bool in_argv(const char *p, char **argv, int argc)
{
	if (!p)
		return true;
	for (int i = 0; i < argc; i++)
		if (p >= argv[i] && p <= argv[i] + strlen(argv[i]))
			return true;
	return false;
}

static void check_values(const export_opts *o, char **argv, int argc)
{
	if (!o->scenario || !o->out)
		pgtf_fail("parse_args went on without a scenario or an output");
	if (o->fps < 1 || o->fps > 120)
		pgtf_fail("--fps %d accepted (limits 1..120)", o->fps);
	if (o->w < 160 || o->w > 7680 || o->h < 120 || o->h > 4320)
		pgtf_fail("--size %dx%d accepted (limits 160x120..7680x4320)", o->w, o->h);
	if (!isfinite(o->hold) || o->hold < 0 || o->hold > 60)
		pgtf_fail("--hold-markers %g accepted (limits 0..60)", o->hold);
	if (!isfinite(o->scale) || o->scale < 0.25f || o->scale > 4.0f)
		pgtf_fail("--ui-scale %g accepted (limits 0.25..4)", (double)o->scale);
	if (o->format < -1 || o->format > FMT_HTML)
		pgtf_fail("--format gave %d, not a format", o->format);
	char msg[160];
	if (o->kver && !pgt_kver_check(o->kver, msg, sizeof(msg)))
		pgtf_fail("--kernel '%s' accepted: %s", o->kver, msg);
	if (o->title) { /* one line of UTF-8 text, at most PGT_TITLE_MAX bytes */
		size_t n = strlen(o->title);
		if (n > PGT_TITLE_MAX)
			pgtf_fail("--title of %zu bytes accepted (at most %d)", n, PGT_TITLE_MAX);
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)o->title[i];
			if (c < 0x20 || c == 0x7f || c == 0xff || c == 0xfe || c == 0xc0 ||
			    c == 0xc1 ||
			    (c == 0xc2 && i + 1 < n && (unsigned char)o->title[i + 1] <= 0x9f))
				pgtf_fail("--title with byte 0x%02x at %zu accepted", c, i);
		}
	}
	const char *strs[] = {o->scenario, o->out,  o->steps, o->schemes,
	                      o->kver,     o->font, o->title};
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if (!in_argv(strs[i], argv, argc))
			pgtf_fail("a string option points outside the arguments");
	if (!in_argv(o->theme, argv, argc) && strcmp(o->theme, "light") != 0)
		pgtf_fail("--theme points outside the arguments and is not the default");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_BYTES)
		return 0;
	char *buf = malloc(size + 1);
	char *argv[MAX_ARGS + 2];
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	int argc = 0;
	static char name[] = "export";
	argv[argc++] = name;
	for (char *p = buf; argc <= MAX_ARGS;) {
		char *nl = memchr(p, '\n', (size_t)(buf + size - p));
		argv[argc++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	argv[argc] = NULL; /* a NUL byte in the input ends its argument early, as in execve */
	export_opts o;
	int rc = parse_args(argc, argv, &o);
	if (rc != 0 && rc != 2 && rc != -1)
		pgtf_fail("parse_args returned %d", rc);
	if (rc == -1)
		check_values(&o, argv, argc);
	free(buf);
	return 0;
}
