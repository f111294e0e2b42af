/*
 * pgtviz scenario picker: the list the window's `o` (F2) overlay shows --
 * the built-in scenarios (pgt_builtin_*), then every scenarios/ *.json file
 * that is not a built-in, each with a one-line description.  SDL-free.
 */
#ifndef PGTVIZ_PICKER_H
#define PGTVIZ_PICKER_H

#include <stdbool.h>
#include <stddef.h>

#include "pgtviz/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pgt_pick_item {
	char name[64];  /* scenario name ("pc-4g") */
	char arg[1024]; /* what to load: built-in name or file path */
	char desc[200]; /* one line: title, else the first sentence of the description;
	                   a recent file: its directory, or why it cannot be opened */
	bool builtin;
	bool recent; /* a recently opened file (pgt_pick_list_add_recent) */
	int state;   /* recent: enum pgt_recent_state (recent.h) when the list was built */
} pgt_pick_item;

typedef struct pgt_pick_list {
	pgt_pick_item *v; /* owned */
	size_t n;
} pgt_pick_list;

/* Built-ins first (in pgt_builtin order), then the DIR/ *.json files sorted by file
 * name, skipping files whose scenario name is a built-in and files that do
 * not load (dir may be NULL).  Returns false on allocation failure. */
bool pgt_pick_list_build(pgt_pick_list *l, const char *dir);
void pgt_pick_list_free(pgt_pick_list *l);
/* Puts the recently opened files (recent.h) first, most recent first, each
 * named by its file name, with its directory as the description, or
 * "missing" / "cannot be read" when it is no longer there (the row stays;
 * opening it says why in the status bar).  Removes the recent rows of an
 * earlier call first.  Returns false on allocation failure. */
struct pgt_recent;
bool pgt_pick_list_add_recent(pgt_pick_list *l, const struct pgt_recent *r);

/* The row of the scenario that is open, for the picker to highlight when
 * it opens: the recent row of the file it was loaded from (path: the file,
 * in any spelling -- rows and path are compared as files, by device and
 * inode, and by their text when either cannot be looked at), else the
 * gallery row of that file, else the built-in or gallery row named name
 * (the scenario's name).  path NULL or "": a built-in (or standard input).
 * -1: no row is the open scenario. */
int pgt_pick_list_find(const pgt_pick_list *l, const char *name, const char *path);

/* Built-in scenarios carry no notes; their files in DIR do.  When sc has
 * no notes and DIR/NAME.json describes the same scenario name, copies that
 * file's notes into sc.  Returns true if notes were added. */
bool pgt_scenario_add_file_notes(pgt_scenario *sc, const char *dir);

/* First sentence of text (up to the first ". " or the end), at most
 * size - 1 bytes, cut at a word (else at a whole UTF-8 character) with an
 * ellipsis ("…") if too long. */
void pgt_one_line(const char *text, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
