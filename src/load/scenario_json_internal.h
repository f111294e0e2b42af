/*
 * Scenario JSON, internal interface: what the files of the reader and the
 * writer of the "pgtviz-scenario/1" format (docs/scenario-format.md) share.
 * The public API is include/pgtviz/scenario_json.h.
 *
 * Reading runs four passes over the same bytes:
 *   1. file checks: size (16 MiB), NUL bytes (binary), UTF-8;
 *   2. a strict JSON scanner checks the syntax with precise messages and
 *      records, in document order, where every value and member key starts
 *      (cJSON keeps no positions);
 *   3. cJSON builds the tree, and a pre-order walk pairs each cJSON node with
 *      the scanner's record (both see values in the same order), so any node
 *      can be turned into line:col;
 *   4. the schema walk (read_*) fills the pgt_scenario and reports every
 *      problem as "JSON-PATH: what is wrong" at the node's position.  It does
 *      not stop at the first problem; the diagnostics are sorted by position
 *      at the end so they read top to bottom.
 *
 * Columns count characters (UTF-8 code points) from 1, with tab stops every
 * 8 columns, as the GNU Coding Standards ask.
 *
 * Writing builds the text by hand (not cJSON_Print) so that key order, hex
 * spelling and layout are stable and diff well; load(write(sc)) == sc.
 *
 * The files:
 *   json_pos.c         passes 2 and 3: the position index, JSON pointers,
 *                      the strict scanner with its syntax errors, and the
 *                      diagnostics that put a message at a node's line:col;
 *   scenario_values.c  the format's vocabulary, small text helpers, and the
 *                      typed-value readers of pass 4 (members, strings,
 *                      booleans, hex addresses, sizes, choices, e820 types);
 *   scenario_read.c    passes 1 and 4: file checks, the schema walk and its
 *                      map-wide checks, and pgt_scenario_from_json();
 *   scenario_write.c   pgt_scenario_to_json().
 *
 * Functions and tables shared between the files carry an sj_ prefix (they
 * have external linkage in the static library); everything else is static.
 */
#ifndef PGTVIZ_SCENARIO_JSON_INTERNAL_H
#define PGTVIZ_SCENARIO_JSON_INTERNAL_H

#include "pgtviz/scenario_json.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FORMAT_NAME      "pgtviz-scenario/1"
#define MAX_NUMBER_CHARS 63         /* cJSON reads at most 63 */
#define MAX_KEPT         50         /* later diagnostics are counted, not kept */
#define NO_OFF           UINT32_MAX /* jpos.key_off of a value that is not a member */
#define PATH_BUF         256        /* room for a JSON pointer */
#define COUNT(a)         (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* ======================================================================== */
/* Vocabulary (scenario_values.c)                                           */
/* ======================================================================== */

/* e820 type names as the kernel prints them (e820_print_type). */
typedef struct sj_e820_name {
	const char *name;
	uint32_t type;
} sj_e820_name;
#define N_E820_NAMES ((size_t)7)
extern const sj_e820_name sj_e820_names[];

/* Reservation kinds: "kind" of a reservation, enum pgt_resv_kind. */
typedef struct sj_resv_kind {
	const char *name;
	int kind;
} sj_resv_kind;
#define N_RESV_KINDS ((size_t)8)
extern const sj_resv_kind sj_resv_kinds[];

#define N_XEN_RULE_NAMES ((size_t)4)
extern const char *const sj_xen_rule_names[]; /* enum pgt_xen_rule */
#define N_SIZING_NAMES ((size_t)4)
extern const char *const sj_sizing_names[]; /* enum pgt_sizing */

/* ======================================================================== */
/* Small text helpers (scenario_values.c)                                   */
/* ======================================================================== */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is invalid. */
size_t sj_utf8_len(const unsigned char *s, size_t avail);
/* Copies text into out for use in a message: at most ~40 characters, control
 * characters shown as '?', "..." appended when cut.  Returns out. */
const char *sj_shorten(const char *text, char *out, size_t size);
/* The value of a hex digit, or -1. */
int sj_hex_digit(char ch);
/* The known word closest to `word`, if it is close enough to be a typo. */
const char *sj_closest(const char *word, const char *const *known, size_t n);

/* ======================================================================== */
/* Positions and diagnostics (json_pos.c)                                   */
/* ======================================================================== */

/* Where one JSON value sits in the text. */
typedef struct jpos {
	const cJSON *node; /* the paired cJSON node (NULL until paired) */
	uint32_t key_off;  /* offset of the member's key ('"'); NO_OFF if not a member */
	uint32_t val_off;  /* offset of the value's first byte */
} jpos;

typedef struct posindex {
	const char *text; /* the document */
	size_t len;       /* its length in bytes */
	jpos *v;          /* one per value; document order, then sorted by node */
	size_t n, cap;    /* used / allocated records */
	uint32_t *lines;  /* offset at which each line starts */
	size_t n_lines;   /* number of lines */
	bool paired;      /* v[] was paired with the cJSON tree and sorted */
} posindex;

/* Everything one load needs. */
typedef struct ctx {
	posindex idx;      /* positions of values in the text */
	pgt_diags *d;      /* where problems go */
	size_t base;       /* d->n when this load started */
	size_t errors;     /* errors found (also those not kept) */
	size_t kept;       /* diagnostics kept (at most MAX_KEPT) */
	size_t dropped[2]; /* errors / warnings not kept */
	pgt_scenario *sc;  /* being filled */
} ctx;

/* Records where each line of x->text starts; false when out of memory. */
bool sj_index_lines(posindex *x);
/* 1-based line and column (code points, tab stops of 8) of byte `off`. */
void sj_offset_linecol(const posindex *x, size_t off, int *line, int *col);
/* The position record of a cJSON node, or NULL (not paired). */
const jpos *sj_index_find(const posindex *x, const cJSON *node);
/* Frees the index's arrays. */
void sj_index_free(posindex *x);

/* out = the JSON pointer parent/key (RFC 6901 escapes); PATH_BUF bytes. */
void sj_path_child(char *out, const char *parent, const char *key);
/* out = the JSON pointer parent/index; PATH_BUF bytes. */
void sj_path_elem(char *out, const char *parent, size_t index);

/* An error about the value `node` (at path), at its position; returns false. */
PRINTF_LIKE(4, 5)
bool sj_err(ctx *c, const cJSON *node, const char *path, const char *fmt, ...);
/* An error about the key of the member `node`. */
PRINTF_LIKE(4, 5)
void sj_err_key(ctx *c, const cJSON *node, const char *path, const char *fmt, ...);
/* A warning about the value `node`. */
PRINTF_LIKE(4, 5)
void sj_warn(ctx *c, const cJSON *node, const char *path, const char *fmt, ...);
/* A problem with the file as a whole, at a byte offset (or SIZE_MAX: none). */
PRINTF_LIKE(3, 4)
void sj_err_file(ctx *c, size_t off, const char *fmt, ...);
/* Stable sort of this load's diagnostics (from d->items[base]) by position. */
void sj_sort_diags(pgt_diags *d, size_t base);

/* Passes 2 and 3: syntax (with a positioned error), cJSON tree, positions.
 * NULL on error. */
cJSON *sj_parse(ctx *c);

/* ======================================================================== */
/* Typed values of pass 4 (scenario_values.c)                               */
/* ======================================================================== */

/* One member looked up in an object. */
typedef struct field {
	const cJSON *v;      /* the member's value; NULL if absent */
	char path[PATH_BUF]; /* its JSON pointer */
} field;

/* Member `key` of obj (the first of duplicates), with its pointer. */
field sj_get_field(const cJSON *obj, const char *obj_path, const char *key);
/* "a string", "a number", ...: the JSON type of v, for messages. */
const char *sj_type_desc(const cJSON *v);
/* "expected <expected>, got <type>"; returns false. */
bool sj_err_type(ctx *c, const field *f, const char *expected);
/* "missing required key" on obj; `what` explains the key ("" for nothing). */
bool sj_err_missing(ctx *c, const cJSON *obj, const char *obj_path, const char *key,
                    const char *what);
/* Reports duplicate and (if known != NULL) unknown keys of an object. */
void sj_check_members(ctx *c, const cJSON *obj, const char *obj_path, const char *const *known,
                      size_t n_known);
/* Type-checks an object value and its keys; false if it is not an object. */
bool sj_want_object(ctx *c, const field *f, const char *const *known, size_t n_known);

/* The typed readers: each checks f->v, reports what is wrong with it, and
 * returns false then (*out untouched). */
bool sj_as_string(ctx *c, const field *f, const char **out);
bool sj_as_bool(ctx *c, const field *f, bool *out);
/* "0x..." (no sign, no spaces, at most 64 bits). */
bool sj_as_hex(ctx *c, const field *f, uint64_t *out);
/* Kernel memparse() syntax for sizes: "0x20000000", "512M", "4G", "65536". */
bool sj_as_size(ctx *c, const field *f, uint64_t *out);
/* One of `names` (exact match); index into *out. */
bool sj_as_choice(ctx *c, const field *f, const char *const *names, size_t n, int *out);
/* An e820 type name or number; `extra` is one more word the caller accepts
 * (only shown in messages), or NULL. */
bool sj_as_e820_type(ctx *c, const field *f, const char *extra, uint32_t *out);

#endif
