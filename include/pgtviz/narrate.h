/*
 * pgtviz narration: one plain-language sentence per event, naming the kernel
 * function, the kernel versions the rule applies to and the section of
 * docs/kernel-model.md that gives the rule; scenario notes at their markers; and the glossary
 * shown by the window's `g` overlay and written to docs/glossary.md.
 *
 * SDL-free and I/O-free: the window, the exporters, the tests and the docs
 * generator share these tables, so the words on screen, in exported frames
 * and in the documentation are the same.
 */
#ifndef PGTVIZ_NARRATE_H
#define PGTVIZ_NARRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "pgtviz/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One row of the narration table: what an event kind means in the kernel. */
typedef struct pgt_narr_rule {
	int kind;             /* enum pgt_event_kind */
	const char *function; /* kernel function(s), e.g. "alloc_low_page()" */
	const char *versions; /* kernel versions, e.g. "2.6.2x-3.8" */
	const char *section;  /* docs/kernel-model.md section, e.g. "The walk" */
	const char *summary;  /* one line for the docs */
} pgt_narr_rule;

/* The narration table, one row per event kind (and per scheme where the
 * wording differs); *n receives the row count. */
const pgt_narr_rule *pgt_narr_rules(size_t *n);

/* The sentence for event i of sim: what happened, in the kernel's terms,
 * with function, versions and section, e.g. "alloc_low_page() takes the
 * next page of pgt_buf (0x1fffb000) for a PMD table covering 1 GiB at
 * 0x40000000 ... - linear allocation, 2.6.2x-3.8 (kernel-model.md: The old
 * scheme: pgt_buf)".  Never the
 * raw trace text.  Returns buf. */
char *pgt_narrate_event(const pgt_sim *sim, size_t i, char *buf, size_t size);

/* The scenario note for event i of sim, for this scheme, into buf; NULL
 * when no note applies.  Markers: "call:N" (the Nth init_memory_mapping
 * call, from 1), "event:N", "panic", "violation" (the first one).  A note
 * whose text is split by scheme prefixes ("pgtbuf: ... top-down: ...")
 * contributes only the part for sim's scheme (plus any unprefixed part). */
const char *pgt_narrate_note(const pgt_scenario *sc, const pgt_sim *sim, size_t i, char *buf,
                             size_t size);

/* Whether a note marker matches event i of sim (exposed for tests). */
bool pgt_note_matches(const char *at, const pgt_sim *sim, size_t i);

/* ---- glossary ----------------------------------------------------------- */

typedef struct pgt_gloss {
	const char *term;
	const char *text;    /* one or two plain sentences */
	const char *section; /* docs/kernel-model.md section ("" if none) */
} pgt_gloss;

const pgt_gloss *pgt_glossary(size_t *n);

/* docs/glossary.md as a malloc'ed string (NULL on allocation failure). */
char *pgt_glossary_markdown(void);

#ifdef __cplusplus
}
#endif
#endif
