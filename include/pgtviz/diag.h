/*
 * Diagnostics: every problem the program reports, from the loaders up to
 * the window, is a pgt_diag (severity, message, file, line, column)
 * collected in a pgt_diags and printed by one printer in one shape (GNU
 * style):
 *   file:line:col: error: message     (a position in a file)
 *   file: error: message              (a file, no position)
 *   pgtviz: error: message            (no file: the program itself)
 * Loaders collect all problems of an input, not only the first.  Functions
 * above the loaders take a pgt_diags * instead of a FILE *: the command
 * line prints the list to stderr, the window shows it in its status bar
 * (and the terminal), the browser page in its error box.
 */
#ifndef PGTVIZ_DIAG_H
#define PGTVIZ_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a message without a file names as its place. */
#define PGT_DIAG_PROGRAM "pgtviz"

enum pgt_diag_severity { PGT_DIAG_ERROR, PGT_DIAG_WARNING, PGT_DIAG_NOTE };

typedef struct pgt_diag {
	int severity;  /* enum pgt_diag_severity */
	int line, col; /* 1-based; 0 = unknown (then omitted) */
	char *msg;     /* owned */
	char *file;    /* owned; NULL: the collection's file */
} pgt_diag;

typedef struct pgt_diags {
	const char *file; /* name used in messages (not owned; NULL: the program) */
	pgt_diag *items;
	size_t n, cap;
	size_t errors; /* number of PGT_DIAG_ERROR items */
} pgt_diags;

void pgt_diags_init(pgt_diags *d, const char *file);
void pgt_diags_free(pgt_diags *d);
/* printf-style; never fails (drops the message on allocation failure). */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
void pgt_diags_add(pgt_diags *d, int severity, int line, int col, const char *fmt, ...);
/* The same about another file (file NULL: the program, PGT_DIAG_PROGRAM). */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
void pgt_diags_add_in(pgt_diags *d, const char *file, int severity, int line, int col,
                      const char *fmt, ...);
/* A problem of the program, not of a file: "pgtviz: error: msg". */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void pgt_diags_error(pgt_diags *d, const char *fmt, ...);
/* Copies every item of from (with its file) to the end of to. */
void pgt_diags_append(pgt_diags *to, const pgt_diags *from);
/* Formats item i as the printer does, without the newline; returns buf. */
const char *pgt_diags_format(const pgt_diags *d, size_t i, char *buf, size_t size);
/* Formats the first item of that severity into buf ("" and false if none). */
bool pgt_diags_first(const pgt_diags *d, int severity, char *buf, size_t size);
/* Prints every item, one line each: "file:line:col: error: msg\n". */
void pgt_diags_print(const pgt_diags *d, FILE *out);
/* If text is UTF-16 (a byte-order mark, or the NUL byte of every other
 * byte that ASCII text in UTF-16 has), adds an error at 1:1 that names the
 * encoding and the iconv command that converts it, and returns true. */
bool pgt_diags_utf16(pgt_diags *d, const char *text, size_t len);

#ifdef __cplusplus
}
#endif
#endif
