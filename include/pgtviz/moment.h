/*
 * pgtviz moments: naming a point of a run, the same way everywhere.
 *
 * `pgtviz export --steps`, the window's `g` (go to) and its marker keys all
 * read the same words: a step of the lockstep timeline, an event of one pane
 * as `pgtviz trace` numbers it (`old:3042`), a marker of the scenario's
 * notes (`violation`, `call:2`, `note:3`), or a condition to break on (the
 * next buffer-full, the next table of a level, the next allocation at or
 * above an address, the next read-only change).  docs/export.md ("Choosing
 * steps") lists them.
 *
 * Scenario notes are markers too: pgt_note_index() gives the events at
 * which each note of the scenario appears in a pane, and the text a pane
 * shows (pgt_note_text) follows what that pane actually runs: a note whose
 * prefix names a version ("pgtbuf 2.6.39-rc1: ...") describes that version
 * with its own Xen rule, and a pane running another version or rule does
 * not show it.
 *
 * SDL-free and I/O-free (core + view model only).
 */
#ifndef PGTVIZ_MOMENT_H
#define PGTVIZ_MOMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pgtviz/core.h"
#include "pgtviz/view.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- scenario notes as markers ------------------------------------------ */

/* One note of the scenario at one event of a pane. */
typedef struct pgt_note_at {
	size_t event;  /* event index of the pane */
	uint32_t note; /* index into sc->notes */
} pgt_note_at;

/* The part of note n that the pane running sim shows, into buf; NULL when
 * none of it is for that pane.  A note's text may be split by prefixes
 * "SCHEME[ VERSION][ xen-RULE]: " at its start or after ". " (SCHEME:
 * pgtbuf, top-down, bottom-up, chunk-end; RULE: end, top, top-nohook); a
 * part applies to the panes of that scheme, and, when it names a version,
 * only to a run of that version with the Xen rule that version ran (the
 * scenario's rule, else the version's own), unless it names the rule. */
const char *pgt_note_text(const pgt_scenario *sc, const pgt_note *n, const pgt_sim *sim, char *buf,
                          size_t size);

/* The event at which a note marker happens in sim ("call:N", "event:N",
 * "panic", "violation", "violation:K"); SIZE_MAX if it never does. */
size_t pgt_note_event(const char *at, const pgt_sim *sim);

/* The notes the pane running sim shows, sorted by event (ties in the
 * scenario's order): a malloc'ed array and its length in *n (NULL and 0
 * when there are none or memory runs out). */
pgt_note_at *pgt_note_index(const pgt_scenario *sc, const pgt_sim *sim, size_t *n);

/* The note pane p shows at its event ev: the latest note at or before ev
 * (a note stays until the pane's next one; notes of the same event are
 * joined), into buf; NULL before the first.  since (may be NULL) receives
 * the event the note belongs to. */
const char *pgt_note_current(const pgt_view_model *m, int p, size_t ev, size_t *since, char *buf,
                             size_t size);
/* The same note in its short wording (each note's "short", else its text);
 * NULL when none of the notes shown has a short wording. */
const char *pgt_note_current_short(const pgt_view_model *m, int p, size_t ev, char *buf,
                                   size_t size);

/* ---- moments -------------------------------------------------------------- */

/* Every form, for messages and help ("N, PANE:N, end, ..."). */
const char *pgt_moment_forms(void);

/* Resolves one moment to a global step.  after = SIZE_MAX: the first match
 * from step 0 on; else the first strictly after that step (the forms that
 * search: note, marker, call, full, buffer, step-size, alloc>=ADDR,
 * table:LEVEL, ro; the others name one step wherever it is).  On failure
 * writes a message (the forms it takes, or why the run has no such
 * moment) and returns false. */
bool pgt_moment_find(const pgt_view_model *m, const char *text, size_t after, size_t *step,
                     char *msg, size_t size);

/* The mirror of pgt_moment_find for the forms that search: the last match
 * strictly before step `before` (the window's Shift+n); a form that names
 * one step resolves as pgt_moment_find does. */
bool pgt_moment_find_before(const pgt_view_model *m, const char *text, size_t before, size_t *step,
                            char *msg, size_t size);

/* Whether text is a form that searches (note, marker, call, full, buffer,
 * step-size, alloc>=ADDR, table:LEVEL, ro, each maybe with PANE:), the
 * forms `n` repeats in the window. */
bool pgt_moment_searches(const pgt_view_model *m, const char *text);

/* --steps SPEC: one moment, "A..B" (B searched after A), "all", "markers"
 * (step 0, every marker and note, the last step) or "notes" (every note).
 * steps receives a malloc'ed list of global steps in order. */
bool pgt_moment_steps(const pgt_view_model *m, const char *spec, size_t **steps, size_t *n,
                      char *msg, size_t size);

/* The global steps that are markers of the timeline or where a note
 * appears, sorted and unique: a malloc'ed list, its length in *n (NULL and
 * 0 when there are none or memory runs out). */
size_t *pgt_moment_marker_steps(const pgt_view_model *m, size_t *n);

/* --inspect "[PANE:]N": table page N of a pane (PANE as in --steps: left,
 * right or the scheme a pane runs; none: the left pane), N below the number
 * of tables that pane's run allocates.  False with a message otherwise. */
bool pgt_moment_table(const pgt_view_model *m, const char *text, int *pane, uint32_t *table,
                      char *msg, size_t size);

#ifdef __cplusplus
}
#endif
#endif
