/*
 * opts.h: the one option parser of every pgtviz command.
 *
 * A command describes its options as a table (name and aliases, kind,
 * where the value goes, limits) and calls app_parse().  The parser checks
 * every value strictly and quotes it as given in one message shape:
 *
 *   pgtviz export: error: --fps '5.5' is not a whole number from 1 to 120
 *
 * "--name=value" works for every option that takes a value.  Positional
 * arguments fill the command's slots in order; one more is an error.
 */
#ifndef PGTVIZ_APP_OPTS_H
#define PGTVIZ_APP_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pgtviz/diag.h"

enum app_opt_kind {
	OPT_TRUE,   /* flag: *(bool *)dest = true */
	OPT_SET,    /* flag: *(int *)dest = lo */
	OPT_STR,    /* *(const char **)dest = value */
	OPT_INT,    /* *(int *)dest, a whole number lo..hi */
	OPT_COUNT,  /* *(size_t *)dest, a whole number 0..SIZE_MAX-1 */
	OPT_DOUBLE, /* *(double *)dest, a finite number dlo..dhi */
	OPT_FLOAT,  /* *(float *)dest, a finite number dlo..dhi */
	OPT_WXH,    /* *(int *)dest = W (lo..hi), *(int *)dest2 = H (lo2..hi2); or a name:
	               720p, 1080p, 1440p, 4k */
	OPT_KVER,   /* *(uint32_t *)dest: pgt_kver_check */
	OPT_SCHEME, /* *(int *)dest: pgt_scheme_parse */
	OPT_CHOICE, /* *(int *)dest = lo + index of the value in choices */
	OPT_TEXT,   /* *(const char **)dest = value: one line of UTF-8 text, no control
	               characters, at most hi bytes ("" is allowed) */
	OPT_CUSTOM, /* fn(dest, value, msg) */
};

/* A custom value check: stores into dest and returns true, or writes the
 * message tail (after "--name ") into msg and returns false. */
typedef bool (*app_opt_fn)(void *dest, const char *value, char *msg, size_t size);

typedef struct app_opt {
	const char *names;          /* "-o|--output": every spelling, '|'-separated */
	int kind;                   /* enum app_opt_kind */
	void *dest;                 /* where the value goes */
	void *dest2;                /* OPT_WXH: where H goes */
	long long lo, hi, lo2, hi2; /* integer limits (OPT_INT, OPT_WXH), OPT_SET value */
	double dlo, dhi;            /* OPT_DOUBLE / OPT_FLOAT limits */
	const char *const *choices; /* OPT_CHOICE: NULL-terminated */
	app_opt_fn fn;              /* OPT_CUSTOM */
	bool optional;              /* OPT_CUSTOM: the value may be absent (fn gets
	                               NULL; a next word fn refuses is not taken) */
	const char *what;           /* OPT_COUNT / OPT_CUSTOM: "an event number" */
} app_opt;

/* One table row: APP_OPT("--fps", OPT_INT, &o->fps, .lo = 1, .hi = 120). */
#define APP_OPT(names_, kind_, dest_, ...)                                                         \
	{                                                                                          \
		.names = (names_), .kind = (kind_), .dest = (dest_), __VA_ARGS__                   \
	}

typedef struct app_cmd {
	const char *prefix;  /* "pgtviz export" (messages start "PREFIX: error: ") */
	const app_opt *opts; /* the table */
	size_t n_opts;
	const char **pos; /* positional slots, filled in order */
	size_t n_pos;
	void (*usage)(FILE *out); /* --help / -h prints it to stdout */
} app_cmd;

/* OPT_CUSTOM for --direct-map-base ADDR: *(uint64_t *)dest = a 1 GiB-aligned
 * kernel address (pgt_direct_map_base_ok), hex with 0x. */
bool app_opt_direct_map_base(void *dest, const char *v, char *msg, size_t size);

/* Parses argv[1..argc).  Returns 0 when all is well, 1 when --help was
 * printed (exit 0), 2 after printing one error message (exit 2). */
int app_parse(const app_cmd *c, int argc, char **argv);

/* Prints "PREFIX: error: MESSAGE" (printf-style) to stderr; returns 2. */
int app_error(const char *prefix, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same for a note ("PREFIX: note: MESSAGE"): what follows from an
 * error, or what the program observed (a simulated panic). */
void app_note(const char *prefix, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The diagnostics of the running command: the layers below (loaders,
 * session, themes, fonts, writers) add their problems to this list, and
 * app_flush() prints them with the one printer (pgt_diags_print: file:line:col:
 * error: ..., or PREFIX: error: ...) to stderr and empties it.  app_error()
 * goes through the same list and printer. */
pgt_diags *app_diags(void);
/* Prints and empties app_diags(); returns ok, so that a call reads
 * `if (!app_flush(pgt_theme_load(&t, name, app_diags())))`. */
bool app_flush(bool ok);

#endif
