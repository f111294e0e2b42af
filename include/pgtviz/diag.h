/*
 * Diagnostics for bad input: every problem is reported as
 *   file:line:col: error: message
 * (GNU style), and loaders collect all of them, not only the first.
 */
#ifndef PGTVIZ_DIAG_H
#define PGTVIZ_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

enum pgt_diag_severity { PGT_DIAG_ERROR, PGT_DIAG_WARNING, PGT_DIAG_NOTE };

typedef struct pgt_diag {
	int severity;  /* enum pgt_diag_severity */
	int line, col; /* 1-based; 0 = unknown (then omitted) */
	char *msg;     /* owned */
} pgt_diag;

typedef struct pgt_diags {
	const char *file; /* name used in messages (not owned) */
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
/* Prints every item as "file:line:col: error: msg\n". */
void pgt_diags_print(const pgt_diags *d, FILE *out);
/* If text is UTF-16 (a byte-order mark, or the NUL byte of every other
 * byte that ASCII text in UTF-16 has), adds an error at 1:1 that names the
 * encoding and the iconv command that converts it, and returns true. */
bool pgt_diags_utf16(pgt_diags *d, const char *text, size_t len);

#ifdef __cplusplus
}
#endif
#endif
