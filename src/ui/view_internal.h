/*
 * view_internal.h: what the pieces of the view share (not a public API).
 *
 * The view (include/pgtviz/view.h) is built from these files, each one seam
 * of the frame; the arrows say who calls whom:
 *
 *   view.c         the frame: layout of the canvas, pgt_view_build(), the
 *                  building context (ctx) and its text helpers, colours
 *       │
 *       ├──▶ view_pane.c    one pane: scheme title, caption, detail strips,
 *       │        │          counters, tree, selection, notes
 *       │        └──▶ view_map.c   the memory map rows of a pane
 *       ├──▶ view_diff.c    the difference lane between two panes
 *       └──▶ view_chrome.c  title, legend, timeline, status bar, tooltip,
 *                           help / glossary / picker overlays
 *   view_hit.c     what is under a point (reads the layout, no drawing)
 *   view_model.c   the model: per-pane caches, lockstep, markers, range
 *                  sets, narration lookup (no drawing)
 *   view_tables.c  the table pages as a frame reads them (compact, in
 *                  address order, with block summaries; no drawing)
 *   drawlist.c     the draw list and its push helpers (dl_*)
 *
 * Everything here is SDL-free, like the rest of the view.
 */
#ifndef PGTVIZ_VIEW_INTERNAL_H
#define PGTVIZ_VIEW_INTERNAL_H

#include "pgtviz/view.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE 4096u

/* ---- drawlist.c: pushing commands ---------------------------------------- */

void dl_rect(pgt_drawlist *dl, int x, int y, int w, int h, pgt_color col);
void dl_hatch(pgt_drawlist *dl, int x, int y, int w, int h, int period, int sw, pgt_color col);
void dl_frame(pgt_drawlist *dl, int x, int y, int w, int h, int lw, pgt_color col);
void dl_line(pgt_drawlist *dl, int x0, int y0, int x1, int y1, int lw, pgt_color col);
void dl_clip(pgt_drawlist *dl, int x, int y, int w, int h);
void dl_text(pgt_drawlist *dl, int x, int y, int font, int px, int anchor, pgt_color col,
             const char *s);

/* ---- view_model.c: caches and lookups (no drawing) ----------------------- */

/* Brings pane p's mapped and read-only range sets in vc to `step` (the
 * mapped set at least to pm->boot_step). */
void update_sets(pgt_view_cache *vc, int p, const pgt_pane_model *pm, size_t step);
/* Makes vc the cache of m (forgets the sets of any other model). */
void view_cache_follow(pgt_view_cache *vc, const pgt_view_model *m);
bool rs_contains(const pgt_rangeset *rs, uint64_t addr);
/* ---- view_tables.c: the table pages as a frame reads them --------------- */

/* One table page, in address order (pgt_pane_model.tabs). */
typedef struct pgt_tab_entry {
	uint64_t pa_lv; /* physical address | level (bits 0-2) */
	uint32_t vis;   /* first step it is drawn at (0: present at boot) */
	uint32_t ro;    /* event it turns read-only (UINT32_MAX: never) */
} pgt_tab_entry;

#define PGT_TAB_BLOCK 64u /* entries per pgt_tab_block */

/* What a block of PGT_TAB_BLOCK consecutive entries holds. */
typedef struct pgt_tab_block {
	uint32_t min_vis, max_vis; /* range of the entries' vis */
	uint32_t min_ro, max_ro;   /* range of the entries' ro */
	uint16_t n[8];             /* entries per level */
	uint16_t nro;              /* entries that ever turn read-only */
} pgt_tab_block;

/* Per origin: table count and the address span they cover. */
typedef struct pgt_origin_sum {
	uint32_t n[PGT_ORIGIN_COUNT];
	uint64_t lo[PGT_ORIGIN_COUNT], hi[PGT_ORIGIN_COUNT]; /* valid where n > 0 */
} pgt_origin_sum;

/* Table pages of a range at a step: how many per level, how many RO. */
typedef struct pgt_tab_agg {
	uint32_t n[8]; /* drawn table pages per level */
	uint32_t nro;  /* of those, read-only at the step */
} pgt_tab_agg;

static inline uint64_t tab_pa(const pgt_tab_entry *e)
{
	return e->pa_lv & ~(uint64_t)0xfff;
}
static inline int tab_level(const pgt_tab_entry *e)
{
	return (int)(e->pa_lv & 7);
}
/* Builds / frees pm's tabs, tblk, osum and other (pm->by_pa is sorted). */
bool tables_build(pgt_pane_model *pm);
void tables_free(pgt_pane_model *pm);
/* First index in by_pa (and tabs) with pa >= addr. */
size_t table_lower_bound(const pgt_pane_model *pm, uint64_t addr);
/* The same, searching forward from index k. */
size_t table_gallop(const pgt_pane_model *pm, size_t k, uint64_t addr);
/* Adds the table pages tabs[k0, k1) drawn at step to *a. */
void table_agg(const pgt_pane_model *pm, size_t k0, size_t k1, size_t step, pgt_tab_agg *a);
/* The highest level in *a (0: none). */
int agg_top_level(const pgt_tab_agg *a);
/* Table pages in *a, all levels. */
int agg_total(const pgt_tab_agg *a);
/* How an aggregated column of table pages is drawn (docs/window.md,
 * "Aggregated columns"): fill = the level most of its pages have (a tie
 * goes to the higher level), cap = the highest level present if that is
 * above fill (else 0); both 0 when *a holds no table page. */
void agg_levels(const pgt_tab_agg *a, int *fill, int *cap);
/* Height of the cap of an aggregated mark of height h (its top third). */
static inline int agg_cap_h(int h)
{
	return h / 3 > 1 ? h / 3 : 1;
}
/* How many tables, in index order, need looking at for step: with
 * vis_prefix those drawn at step (a prefix), else all of them. */
size_t table_count_at(const pgt_pane_model *pm, size_t step);
/* Per-origin sums of the tables drawn at step. */
void table_origin_sum(const pgt_pane_model *pm, size_t step, pgt_origin_sum *s);
/* The latest table page allocated by step that came from neither a linear
 * buffer nor the kernel image (UINT32_MAX: none). */
uint32_t table_latest_other(const pgt_pane_model *pm, size_t step);
/* Adds to st (the state at step) the tables present at boot that the
 * state counts only from their later allocation event, and before the
 * first call gives it what that call finds: the boot-time map's bytes
 * (mapped_bytes, boot_bytes), the read-only pages (Xen's builder tables)
 * and min/max_pfn_mapped. */
void state_with_boot(const pgt_pane_model *pm, size_t step, pgt_state *st);
/* Whether a table page exists / is read-only at a step. */
bool table_visible(const pgt_table *t, size_t step);
bool table_ro(const pgt_table *t, size_t step);
/* The latest pgt_buf placement at a step (NULL: none). */
const pgt_bufhist *current_buf(const pgt_pane_model *pm, size_t step);
/* Sentence for event ev of pane p (narrate.c) plus the kernel line it
 * printed, if any. */
char *narration_at(const pgt_view_model *m, int p, size_t ev, char *buf, size_t size);

/* ---- view.c: the frame building context ---------------------------------- */

typedef struct ctx {
	pgt_drawlist *dl;
	pgt_view_layout *lay;
	const pgt_view_model *m;
	pgt_view_cache *cache; /* range sets and scratch kept between frames */
	const pgt_viewstate *vs;
	const pgt_view_params *p;
	const pgt_theme *t;
	float u; /* unit */
	/* font sizes (pixels) */
	int fs_title, fs_head, fs_body, fs_small, fs_tiny;
	int compact;     /* 0 full, 1 no tree/details/diff lane, 2 also no counters */
	bool narrow;     /* below 520 px of width: panes stacked, no legend, counters
	                    or tree, a taller title (view.c build) */
	pgt_state st[2]; /* per pane: state at the step drawn (set by draw_pane) */
	char title[512]; /* the header's title (pgt_view_title), built once a frame */
} ctx;

/* v design pixels in device pixels (at least 1 when v > 0). */
int U(const ctx *c, double v);
/* Width of s in pixels (the backend's measure, else an estimate). */
int measure(const ctx *c, int font, int px, const char *s);
/* s cut to width w with an ellipsis ("…") when it does not fit, at a
 * UTF-8 character boundary, into buf; returns buf. */
const char *text_fit(const ctx *c, int font, int px, const char *s, int w, char *buf, size_t size);
void textf(const ctx *c, int x, int y, int font, int px, int anchor, pgt_color col, const char *fmt,
           ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 8, 9)))
#endif
    ;
/* Word-wraps s into at most maxl lines of width w; returns lines drawn. */
int text_wrapped(const ctx *c, int x, int y, int w, int font, int px, int lh, pgt_color col,
                 const char *s, int maxl);
/* Bytes of address space one table of a level covers. */
uint64_t level_span(int level);
pgt_color level_color(const pgt_theme *t, int level);

/* ---- the parts of a frame ------------------------------------------------ */

/* view_map.c */
/* Outline of [a, b) across rows (chunk, selection). */
void outline_range(const ctx *c, const pgt_pane_layout *pl, uint64_t a, uint64_t b, int lw,
                   pgt_color col);
void draw_memory_map(ctx *c, int p, size_t step);
/* view_strip.c */
/* Height of one detail strip with its title and two label lines. */
int strip_height(const ctx *c);
/* The pane's detail strips (the pgt_buf / BRK window, the latest table
 * page taken elsewhere) in [x, x + w) x [y, y + h). */
void draw_details(ctx *c, int p, int x, int y, int w, int h, size_t step);
/* view_pane.c */
const char *scheme_short(int scheme);
/* The Xen rule a Xen pane of the old scheme runs, in words, longest first
 * (NULL: no rule to name; view_pane.c). */
const char *const *rule_words(const pgt_view_model *m, const pgt_sim *sim);
void draw_pane(ctx *c, int p, int x, int y, int w, int h);
/* view_diff.c */
void draw_diff(ctx *c, int y, int h);
/* view_chrome.c */
void draw_header(ctx *c, int h);
/* Height the header needs (more on a narrow or short canvas: its title
 * wrapped in the small size). */
int header_height(ctx *c);
/* Height the legend needs at width w (its items wrap onto lines). */
int legend_height(ctx *c, int w);
void draw_legend(ctx *c, int y, int h);
void draw_timeline(ctx *c, int y, int h);
void draw_status(ctx *c, int y, int h);
void draw_tooltip(ctx *c);
void draw_help(ctx *c);
void draw_glossary(ctx *c);
void draw_picker(ctx *c);
/* view_inspect.c */
struct pgt_inspect;
void draw_inspector(ctx *c, const struct pgt_inspect *in);
/* view_check.c */
struct pgt_logcheck;
/* The pane that runs what the check ran (same scheme, version, events), or -1. */
int check_pane(const pgt_view_model *m, const struct pgt_logcheck *lc);
void draw_check(ctx *c, const struct pgt_logcheck *lc);
/* Ticks at the steps of the rows that do not match, across [x, x+w) x [y, y+h). */
void draw_check_ticks(ctx *c, int x, int w, int y, int h);

#endif
