/*
 * pgtviz recent files: the scenario files and dmesg logs the window opened
 * last, most recent first, for its picker (`o`).  Kept in an XDG state
 * file, $XDG_STATE_HOME/pgtviz/recent (else ~/.local/state/pgtviz/recent),
 * one absolute path a line, at most PGT_RECENT_MAX lines.  The variable
 * PGTVIZ_NO_PREFS (set by the tests) leaves the file alone: nothing is
 * read or written.  A path that no longer exists or cannot be read stays
 * listed (the picker says so) until newer files push it out.
 */
#ifndef PGTVIZ_RECENT_H
#define PGTVIZ_RECENT_H

#include <stdbool.h>
#include <stddef.h>

#include "pgtviz/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PGT_RECENT_MAX 10

typedef struct pgt_recent {
	char path[PGT_RECENT_MAX][1024]; /* absolute paths, most recent first */
	size_t n;                        /* how many */
} pgt_recent;

/* The state file's path; false when neither XDG_STATE_HOME nor HOME is set. */
bool pgt_recent_file(char *buf, size_t size);
/* Reads file (NULL: pgt_recent_file(); nothing under PGTVIZ_NO_PREFS) into
 * *r, emptied first.  Blank lines, relative paths and lines too long are
 * skipped; a missing file is an empty list.  An unreadable file adds a
 * warning to dg and returns false (the list stays empty). */
bool pgt_recent_load(pgt_recent *r, const char *file, pgt_diags *dg);
/* Puts path (made absolute against the working directory) first, dropping
 * an older copy of it and the oldest entry beyond PGT_RECENT_MAX.  False
 * when the path is too long to keep. */
bool pgt_recent_add(pgt_recent *r, const char *path);
/* Writes the list atomically (creating the directories); file NULL: the
 * state file (nothing under PGTVIZ_NO_PREFS).  A warning in dg on failure. */
bool pgt_recent_save(const pgt_recent *r, const char *file, pgt_diags *dg);

/* What a recent entry is now. */
enum pgt_recent_state { PGT_RECENT_OK, PGT_RECENT_MISSING, PGT_RECENT_UNREADABLE };
int pgt_recent_state_of(const char *path);

#ifdef __cplusplus
}
#endif
#endif
