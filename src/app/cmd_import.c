/*
 * pgtviz import LOG [-o scenario.json]
 *
 * Reads a real boot log with the dmesg importer and prints the scenario it
 * describes as JSON (with the "source" block that says which log line each
 * value came from), or writes it atomically to -o: the JSON goes to a
 * temporary file in the same directory, is flushed to disk and renamed over
 * the target, so a reader never sees half a file.  A short summary of what
 * was found and what was defaulted goes to stderr.  Bad input exits 2 with
 * "file:line:col: error: ...".
 */
#include "commands.h"
#include "opts.h"

#include "pgtviz/dmesg.h"
#include "pgtviz/safe_out.h"
#include "pgtviz/scenario_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PREFIX "pgtviz import" /* messages: "pgtviz import: error: ..." */

static void usage(FILE *f)
{
	fputs("usage: pgtviz import LOG [-o SCENARIO.json] [--direct-map-base ADDR]\n"
	      "\n"
	      "Turns a boot log (dmesg, kern.log, serial console; '-' = stdin) into a\n"
	      "scenario: the e820 map and its edits, kernel version, command-line\n"
	      "options, initrd and other reservations, page sizes, Xen PV, BRK base.\n"
	      "\n"
	      "  -o, --output FILE  write the JSON to FILE (atomically) instead of stdout\n"
	      "  --direct-map-base ADDR\n"
	      "                     the direct map's virtual base (page_offset_base) as\n"
	      "                     measured on the running kernel: memory KASLR's random\n"
	      "                     base, which no log line prints (scripts/oracle.sh\n"
	      "                     reads it from QEMU); decides one PUD page of big guests\n"
	      "  -h, --help         show this help\n"
	      "\n"
	      "The JSON's \"source\" block names the log line behind every value and\n"
	      "every default used.  Exit status: 0 ok, 2 unusable log or bad usage.\n",
	      f);
}

/* The scenario name: the log's file name without directory and extension,
 * made safe for file names. */
static void name_from_path(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (strcmp(path, "-") == 0 || !*base)
		base = "dmesg";
	const char *dot = strrchr(base, '.');
	size_t n = (dot && dot != base) ? (size_t)(dot - base) : strlen(base);
	if (n >= size)
		n = size - 1;
	for (size_t i = 0; i < n; i++) {
		char c = base[i];
		buf[i] = ((unsigned char)c <= ' ' || c == '\\' || c == 0x7f) ? '-' : c;
	}
	buf[n] = '\0';
}

/* Writes data to path through the safe-output path (temporary file, fsync,
 * size check, rename; special files written in place; never onto the log). */
static bool write_out(const char *path, const char *log, const char *data, size_t len)
{
	char msg[600];
	const char *inputs[] = {log, NULL};
	pgt_out o;
	if (!pgt_out_open(&o, path, inputs, msg, sizeof(msg)))
		return app_error(PREFIX, "%s", msg) == 0;
	pgt_out_write(&o, data, len);
	if (!pgt_out_commit(&o, len, msg, sizeof(msg)))
		return app_error(PREFIX, "%s", msg) == 0;
	return true;
}

/* "found" = a value read from a log line; everything else is a default. */
static void summary(const pgt_dmesg *dm, const char *path)
{
	char kv[32];
	fprintf(stderr,
	        "pgtviz import: %s: Linux %s (%s), %s, %zu e820 entries, %zu edits, "
	        "%zu reservations\n",
	        path, dm->kernel_release[0] ? dm->kernel_release : "version unknown",
	        dm->kver_known ? pgt_kver_format(dm->sc.kver, kv, sizeof(kv)) : "no version",
	        dm->bits == 32 ? "i386" : "x86-64", dm->sc.n_e820, dm->sc.n_edits, dm->sc.n_resv);
	for (int pass = 0; pass < 2; pass++) {
		fputs(pass == 0 ? "  found:\n" : "  defaulted / not in the log:\n", stderr);
		for (size_t i = 0; i < dm->n_source; i++) {
			bool found = strncmp(dm->source[i].value, "log line", 8) == 0;
			if (found == (pass == 0))
				fprintf(stderr, "    %-20s %s\n", dm->source[i].key,
				        dm->source[i].value);
		}
	}
}

/* The scenario as JSON, with a measured direct-map base (0: none) and its
 * source added; NULL when out of memory. */
static char *to_json(pgt_dmesg *dm, uint64_t base)
{
	if (!base)
		return pgt_scenario_to_json(&dm->sc, dm->source, dm->n_source);
	pgt_source_kv *src = calloc(dm->n_source + 1, sizeof(*src));
	if (!src)
		return NULL;
	if (dm->n_source)
		memcpy(src, dm->source, dm->n_source * sizeof(*src));
	src[dm->n_source] = (pgt_source_kv){
	    "direct_map_base", "--direct-map-base: measured on the running kernel (no log line "
	                       "prints it; docs/kernel-model.md, \"The kernel as the oracle\")"};
	dm->sc.direct_map_base = base;
	char *json = pgt_scenario_to_json(&dm->sc, src, dm->n_source + 1);
	free(src);
	return json;
}

int cmd_import(int argc, char **argv)
{
	const char *log = NULL, *out = NULL;
	uint64_t base = 0;
	const app_opt opts[] = {
	    APP_OPT("-o|--output", OPT_STR, &out),
	    APP_OPT("--direct-map-base", OPT_CUSTOM, &base, .fn = app_opt_direct_map_base)};
	const app_cmd cmd = {PREFIX, opts, 2, &log, 1, usage};
	int r = app_parse(&cmd, argc, argv);
	if (r)
		return r == 1 ? 0 : r;
	if (!log) {
		app_error(PREFIX, "no LOG given");
		usage(stderr);
		return 2;
	}
	pgt_diags d;
	pgt_diags_init(&d, strcmp(log, "-") == 0 ? "<stdin>" : log);
	pgt_dmesg dm;
	bool ok = pgt_dmesg_load_file(log, &dm, &d);
	pgt_diags_append(app_diags(), &d);
	pgt_diags_free(&d);
	if (!app_flush(ok)) {
		pgt_dmesg_free(&dm);
		return 2;
	}
	char name[65];
	name_from_path(log, name, sizeof(name));
	char *json = pgt_scenario_set_str(&dm.sc.name, name) ? to_json(&dm, base) : NULL;
	int rc = 0;
	if (!json) {
		rc = app_error(PREFIX, "out of memory");
	} else if (out) {
		if (!write_out(out, log, json, strlen(json)))
			rc = 2;
	} else if (fputs(json, stdout) == EOF || fflush(stdout) != 0) {
		rc = app_error(PREFIX, "cannot write to stdout");
	}
	if (rc == 0)
		summary(&dm, log);
	free(json);
	pgt_dmesg_free(&dm);
	return rc;
}
