/*
 * pgtviz view: turns simulation results into a draw list.
 *
 * This layer is SDL-free (STYLE.md §A): it reads one or two finished
 * simulations (never re-running them), a view state (step, zoom, selection,
 * hover, overlays) and a theme, and emits a flat list of drawing commands
 * (filled rects, hatched rects, lines, text, clip) in device pixels for a
 * canvas of W x H pixels.  Backends (raster.c for SDL surfaces, svg.c for SVG)
 * draw the list; the window and every exporter use the same list, so what is
 * exported is exactly what the screen shows.
 *
 * Three pieces of state, each plain data:
 *   pgt_view_model  built once per pair of simulations: per-pane caches
 *                   (tables sorted by address, pgt_buf history, lockstep)
 *                   and the merged timeline markers; read-only afterwards
 *                   (what frames keep between them is a pgt_view_cache);
 *   pgt_viewstate   what the user controls (step, zoom/pan, selection...),
 *                   changed by input.c;
 *   pgt_view_layout written by pgt_view_build(): where panes, rows and the
 *                   timeline ended up, so input.c can hit-test clicks.
 */
#ifndef PGTVIZ_VIEW_H
#define PGTVIZ_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pgtviz/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Theme                                                                    */
/* ------------------------------------------------------------------------ */

/* Every colour a theme must define: X(field, "key in the theme file"). */
#define PGT_THEME_COLORS(X)                                                                        \
	X(bg, "background")                                                                        \
	X(panel, "panel")                                                                          \
	X(text, "text")                                                                            \
	X(text_dim, "text-dim")                                                                    \
	X(grid, "grid")                                                                            \
	X(ram, "ram")                                                                              \
	X(ram_mapped, "ram-mapped")                                                                \
	X(reserved, "reserved")                                                                    \
	X(acpi, "acpi")                                                                            \
	X(unusable, "unusable")                                                                    \
	X(hole, "hole")                                                                            \
	X(mapped_band, "mapped-band")                                                              \
	X(kernel, "kernel")                                                                        \
	X(brk, "brk")                                                                              \
	X(initrd, "initrd")                                                                        \
	X(resv_other, "reservation")                                                               \
	X(resv_xen, "reservation-xen")                                                             \
	X(resv_fw, "reservation-firmware")                                                         \
	X(crashkernel, "crashkernel")                                                              \
	X(pgd, "pgd")                                                                              \
	X(pud, "pud")                                                                              \
	X(pmd, "pmd")                                                                              \
	X(pte, "pte")                                                                              \
	X(pgtbuf_used, "pgtbuf-used")                                                              \
	X(pgtbuf_free, "pgtbuf-unused")                                                            \
	X(pgtbuf_returned, "pgtbuf-returned")                                                      \
	X(chunk, "chunk")                                                                          \
	X(pfn_mapped, "pfn-mapped")                                                                \
	X(ro_hatch, "ro-hatch")                                                                    \
	X(violation, "violation")                                                                  \
	X(panic, "panic")                                                                          \
	X(selection, "selection")                                                                  \
	X(highlight, "highlight")                                                                  \
	X(timeline, "timeline")                                                                    \
	X(timeline_done, "timeline-done")                                                          \
	X(marker_call, "marker-call")                                                              \
	X(marker_buf, "marker-buffer")                                                             \
	X(marker_step, "marker-step")                                                              \
	X(marker_full, "marker-full")                                                              \
	X(tooltip_bg, "tooltip-bg")                                                                \
	X(overlay_bg, "overlay-bg")

/* A colour as 0xAARRGGBB. */
typedef uint32_t pgt_color;

typedef struct pgt_theme {
	char name[32]; /* "dark", "light", "cb" */
#define PGT_THEME_FIELD(f, key) pgt_color f;
	PGT_THEME_COLORS(PGT_THEME_FIELD)
#undef PGT_THEME_FIELD
} pgt_theme;

/* ------------------------------------------------------------------------ */
/* Draw list                                                                */
/* ------------------------------------------------------------------------ */

enum pgt_dl_kind {
	PGT_DL_RECT,  /* filled rect x,y,w,h in color */
	PGT_DL_HATCH, /* rect x,y,w,h: diagonal stripes of color every `size` px,
	                 stripe width `width` (background not filled) */
	PGT_DL_FRAME, /* rect outline x,y,w,h, line width `width` */
	PGT_DL_LINE,  /* line (x,y) -> (x+w, y+h), width `width` */
	PGT_DL_TEXT,  /* text at (x,y) with anchor, font, pixel size `size` */
	PGT_DL_CLIP,  /* clip following commands to x,y,w,h (w = 0: no clip) */
};

enum pgt_font { PGT_FONT_SANS, PGT_FONT_MONO, PGT_FONT_SANS_BOLD, PGT_FONT_COUNT };

/* Text anchor: horizontal (left/centre/right) x vertical (top/middle/bottom). */
enum pgt_anchor {
	PGT_AN_LEFT = 0,
	PGT_AN_CENTER = 1,
	PGT_AN_RIGHT = 2,
	PGT_AN_TOP = 0,
	PGT_AN_MIDDLE = 4,
	PGT_AN_BOTTOM = 8,
};

typedef struct pgt_dl_cmd {
	uint8_t kind;    /* enum pgt_dl_kind */
	uint8_t font;    /* enum pgt_font (text) */
	uint8_t anchor;  /* enum pgt_anchor bits (text) */
	uint8_t pad_;    /* unused */
	int32_t x, y;    /* top-left (rects), start (lines), anchor point (text) */
	int32_t w, h;    /* size (rects), delta (lines) */
	int32_t size;    /* text pixel size; hatch period */
	int32_t width;   /* line / frame / stripe width */
	pgt_color color; /* 0xAARRGGBB */
	uint32_t text;   /* offset of the NUL-terminated text in pgt_drawlist.text */
} pgt_dl_cmd;

typedef struct pgt_drawlist {
	int width, height; /* canvas size in device pixels */
	pgt_color clear;   /* background colour */
	pgt_dl_cmd *cmds;  /* commands in painting order (owned) */
	size_t n, cap;
	char *text; /* text pool (owned) */
	size_t text_len, text_cap;
	bool oom; /* an allocation failed; the list is incomplete */
} pgt_drawlist;

void pgt_dl_init(pgt_drawlist *dl);
void pgt_dl_reset(pgt_drawlist *dl, int width, int height, pgt_color clear);
void pgt_dl_free(pgt_drawlist *dl);
const char *pgt_dl_text(const pgt_drawlist *dl, const pgt_dl_cmd *c);
/* Every byte of s outside a well-formed UTF-8 sequence becomes '?', in
 * place (the draw list keeps its text that way: file names in another
 * encoding, sequences cut by a byte count). */
void pgt_utf8_clean(char *s);

/* Text measuring callback: width in pixels of s in font at size px.  The
 * raster backend provides the real one; NULL uses an estimate. */
typedef int (*pgt_measure_fn)(void *ctx, int font, int px, const char *s);

/* ------------------------------------------------------------------------ */
/* Model: per-simulation caches                                             */
/* ------------------------------------------------------------------------ */

enum pgt_marker_kind {
	PGT_MK_CALL,      /* init_memory_mapping call begins */
	PGT_MK_BUFFER,    /* pgt_buf placed */
	PGT_MK_FULL,      /* the pgt_buf / BRK buffer is used up (its last page taken) */
	PGT_MK_STEP,      /* step size changes */
	PGT_MK_VIOLATION, /* Xen violation */
	PGT_MK_PANIC,     /* kernel panic */
	PGT_MK_NOTE,      /* a scenario note appears (moment.h) */
	PGT_MK_COUNT
};

typedef struct pgt_marker {
	size_t step;  /* global step */
	uint8_t kind; /* enum pgt_marker_kind */
	uint8_t pane; /* 0 or 1 */
} pgt_marker;

typedef struct pgt_range {
	uint64_t a, b; /* half-open */
} pgt_range;

/* One pgt_buf placement (old scheme) or the BRK buffer (new scheme). */
/* A sorted set of disjoint ranges, as of one step, updated incrementally
 * from the event list (direct-mapped ranges; Xen read-only pages). */
typedef struct pgt_rangeset {
	pgt_range *r; /* sorted, disjoint (owned) */
	size_t n, cap;
	size_t step; /* step the set is for (SIZE_MAX: none yet) */
	size_t pos;  /* events applied so far (index into the event list) */
} pgt_rangeset;

typedef struct pgt_bufhist {
	size_t placed;      /* event index of placement */
	size_t done;        /* event index of the call end (SIZE_MAX: not yet) */
	uint64_t start_pfn; /* pgt_buf_start */
	uint64_t top_pfn;   /* pgt_buf_top */
	uint64_t end_pfn;   /* pgt_buf_end when the call ended */
} pgt_bufhist;

typedef struct pgt_pane_model {
	const pgt_sim *sim; /* not owned */
	size_t nev;         /* event count */
	uint32_t *by_pa;    /* table indices sorted by physical address */
	size_t ntab;        /* table count */
	size_t *map_ev;     /* indices of MAP/CLEAR events, in order */
	size_t nmap;
	pgt_bufhist *bufs; /* pgt_buf placements, in order */
	size_t nbufs;
	size_t *log_at;      /* per event: log line index printed at or before it
	                        (SIZE_MAX: none yet) */
	size_t *call_at;     /* per event: 1 + index of the CALL_BEGIN whose call
	                        is running (0: between calls) */
	size_t boot_step;    /* the last event before the first call (0: none),
	                        where the boot-time map (head_64.S's, head_32.S's,
	                        Xen's builder's) is whole; the view shows it so
	                        from step 0 */
	uint64_t addr_top;   /* end of the highest thing worth showing */
	bool is_old;         /* pgt_buf scheme (linear buffer) */
	double *progress;    /* per event: mapping progress 0..1 (lockstep key) */
	uint32_t *by_level;  /* table indices grouped by level, each in index order */
	size_t lvl_start[6]; /* by_level[lvl_start[l] .. lvl_start[l + 1]) = level l */
	size_t *viol;        /* event indices of Xen violations, in order */
	size_t nviol;
	size_t crash_ev;      /* event reserving crashkernel= (SIZE_MAX: none) */
	size_t crash_fail_ev; /* event logging "crashkernel reservation failed" (SIZE_MAX) */
	/* The table pages as a frame reads them (view_tables.c): */
	struct pgt_tab_entry *tabs;  /* compact entries in by_pa's order */
	struct pgt_tab_block *tblk;  /* summaries of blocks of tabs */
	struct pgt_origin_sum *osum; /* per origin sums of tables [0, 4096 j) */
	pgt_range *other;            /* runs of memblock/chunk-end table indices */
	size_t nother;
	bool vis_prefix;           /* the tables drawn at any step are a prefix of the index */
	struct pgt_note_at *notes; /* scenario notes shown in this pane, by event
	                              (owned; pgt_note_index, moment.h) */
	size_t nnotes;             /* how many */
} pgt_pane_model;

typedef struct pgt_view_model {
	const pgt_scenario *sc; /* not owned */
	int npanes;             /* 1 or 2 */
	pgt_pane_model pane[2];
	size_t nsteps;       /* global step count: max over panes */
	pgt_marker *markers; /* sorted by step (owned) */
	size_t nmarkers;
	/* Lockstep (two panes): global step g shows event sync[p][g] of pane p;
	 * gstep[p][i] is the first global step at which pane p shows event i.
	 * NULL with one pane (global step = event index). */
	uint32_t *sync[2];
	uint32_t *gstep[2];
	const pgt_e820_entry *e820; /* effective map of pane 0 */
	size_t ne820;
	uint64_t addr_top;             /* whole-view end address */
	uint64_t kernel_lo, kernel_hi; /* kernel image drawn in the map (hi = 0: none) */
	uint64_t id;                   /* unique per pgt_view_model_init (caches key on it) */
} pgt_view_model;

/* What building frames keeps from one frame to the next, apart from the
 * model so that building a frame reads the model const: the range sets of
 * each pane at the step last drawn (brought forward incrementally, rebuilt
 * when going back) and a binning buffer.  A cache follows one model at a
 * time; given another model (another id) it starts over. */
typedef struct pgt_view_cache {
	uint64_t model_id;      /* pgt_view_model.id the sets are for (0: none) */
	pgt_rangeset mapped[2]; /* per pane: direct-mapped ranges at mapped[p].step */
	pgt_rangeset ro[2];     /* per pane: Xen read-only pages at ro[p].step */
	uint8_t *bins;          /* binning buffer of the table markers (owned) */
	size_t bins_cap;
} pgt_view_cache;

void pgt_view_cache_init(pgt_view_cache *c);
void pgt_view_cache_free(pgt_view_cache *c);

/* Builds caches for one or two finished simulations (simB may be NULL).
 * Returns false on allocation failure. */
bool pgt_view_model_init(pgt_view_model *m, const pgt_scenario *sc, const pgt_sim *simA,
                         const pgt_sim *simB);
void pgt_view_model_free(pgt_view_model *m);
/* Event index shown by pane p at global step (clamped to its last event).
 * Lockstep by progress: both panes advance through their own events in the
 * order of the fraction of their final direct map they have mapped, one
 * event per global step (docs/window.md, "Lockstep"). */
size_t pgt_view_pane_step(const pgt_view_model *m, int p, size_t step);
/* First global step at which pane p shows its event ev. */
size_t pgt_view_global_step(const pgt_view_model *m, int p, size_t ev);
/* Mapping progress of pane p after its event ev, 0..1 (bytes newly
 * direct-mapped by init_memory_mapping calls / their final total). */
double pgt_view_progress(const pgt_view_model *m, int p, size_t ev);

/* ------------------------------------------------------------------------ */
/* View state (changed by input.c)                                          */
/* ------------------------------------------------------------------------ */

/* Overlays that --no-overlays can switch off. */
enum pgt_overlay {
	PGT_OV_CAPTION = 1u << 0,  /* narration caption */
	PGT_OV_COUNTERS = 1u << 1, /* counters per pane */
	PGT_OV_TREE = 1u << 2,     /* page-table tree */
	PGT_OV_LEGEND = 1u << 3,   /* legend */
	PGT_OV_TIMELINE = 1u << 4, /* timeline scrubber */
	PGT_OV_STEP = 1u << 5,     /* step counter */
	PGT_OV_DETAIL = 1u << 6,   /* per-page detail strips */
	PGT_OV_DIFF = 1u << 7,     /* difference lane between the panes */
	PGT_OV_ALL = 0xff
};

typedef struct pgt_pane_view {
	uint64_t lo;  /* first visible address */
	uint64_t len; /* visible length; 0 = the whole address space */
} pgt_pane_view;

typedef struct pgt_viewstate {
	size_t step;         /* global step (lockstep position) */
	bool unlocked;       /* panes stepped alone: pane_step[] rules */
	size_t pane_step[2]; /* per-pane event while unlocked */
	int focus;           /* pane that `[`/`]` step alone (0 or 1) */
	bool playing;        /* auto-advance */
	double speed;        /* steps per second while playing */
	double play_acc;     /* fractional steps accumulated */
	pgt_pane_view pane[2];
	unsigned overlays;    /* enum pgt_overlay bits */
	bool show_help;       /* '?' overlay */
	bool show_glossary;   /* Shift+g overlay */
	bool show_goto;       /* 'g': the go-to prompt is open (keys type into goto_text) */
	char goto_text[96];   /* the moment typed there (moment.h) */
	char goto_err[200];   /* why the last Enter did not go there ("" = none) */
	char goto_last[96];   /* the last searching form gone to: n / Shift+n repeat it, and
	                         playing breaks (pauses) at its next match ("g off" clears it) */
	size_t break_from;    /* a cache of that match: from any step in [break_from, */
	size_t break_at;      /* break_at) the next one is break_at (SIZE_MAX: none);
	                         break_from SIZE_MAX: not computed */
	const char *title;    /* the header's title (--title; not owned): NULL: the
	                         scenario's (pgt_view_title), "": none */
	bool show_picker;     /* 'o' / F2 scenario picker */
	int pick_index;       /* highlighted picker row */
	int pick_count;       /* rows in the picker (set by the app) */
	char pick_path[1024]; /* a path typed into the picker ("" = open the highlighted row) */
	bool pick_path_cut;   /* typed text did not fit in pick_path: Enter refuses it */
	int flash;            /* frames left of the violation flash (window) */
	bool hover;           /* mouse is over the canvas */
	int hover_x, hover_y; /* mouse position in device pixels */
	int sel_pane;         /* pane of the selection (-1: none) */
	uint32_t sel_table;   /* selected table (UINT32_MAX: none) */
	uint64_t sel_addr;    /* selected address when no table */
	bool sel_has_addr;
	bool dragging;                     /* left button held */
	bool drag_moved;                   /* the drag moved (so it is not a click) */
	int drag_x, drag_y;                /* last drag position */
	bool drag_timeline;                /* the drag started on the timeline (scrub) */
	bool zoom_kept;                    /* the last wheel zoom kept zoom_addr at ... */
	int zoom_x, zoom_y;                /* ... this pointer: a next click there zooms */
	uint64_t zoom_addr, zoom_slack;    /* at it if the pixel's is within zoom_slack */
	pgt_pane_view cam_goal[2];         /* the camera's target (camera.c) ... */
	double cam_age[2];                 /* ... held this long (seconds) */
	bool cam_rush[2];                  /* playing outruns the camera: it arrives at once */
	int theme_index;                   /* index into the app's theme list */
	size_t range_start;                /* export range start set with `m` (SIZE_MAX: none) */
	bool run_to_marker;                /* playing until the next marker (`n`) */
	size_t run_target;                 /* ... which is this global step */
	bool follow;                       /* the camera follows each pane's event (camera.h) */
	bool show_inspect;                 /* 'i': the selected table page's entries (inspect.h) */
	const struct pgt_inspect *inspect; /* their data (the app sets it; NULL: none) */
	bool show_check;                   /* 'd': the log check panel (logcheck.h) */
	const struct pgt_logcheck *check;  /* its data: the app sets it once computed (NULL:
	                                      none); the timeline ticks its unmatched rows */
	float ui_scale;                    /* user UI scale (1 = default) */
	char status[256];                  /* status bar message */
} pgt_viewstate;

void pgt_viewstate_init(pgt_viewstate *vs);

/* The frame's title, as the header shows it: vs->title when set (--title;
 * "" is no title), else the scenario's title (else its name), unless that
 * title names the scenario's kernel version (docs/export.md, "The slide's
 * title") and the panes do not run it as the scenario does -- a pane of
 * that version's scheme at another version, another Xen rule or Xen on /
 * off, or no pane of it at all: then the comparison the panes make, from
 * their own runs ("Xen PV guest: 2.6.39-rc1 (RO to pgt_buf_end) against 3.0
 * (RO to pgt_buf_top + hook)").  vs may be NULL. */
void pgt_view_title(const pgt_view_model *m, const pgt_viewstate *vs, char *buf, size_t size);
/* The longest title --title takes, in bytes. */
#define PGT_TITLE_MAX 200

/* ------------------------------------------------------------------------ */
/* Layout (output of pgt_view_build, input of hit tests)                    */
/* ------------------------------------------------------------------------ */

#define PGT_VIEW_MAX_ROWS 64
#define PGT_VIEW_MAX_TREE 256 /* clickable squares per pane tree */

typedef struct pgt_strip_row {
	int x, y, w, h;    /* row rectangle (device pixels) */
	uint64_t lo, span; /* addresses [lo, lo + span) across w pixels */
	bool gap;          /* a compressed hole (not to scale) */
	uint64_t gap_end;  /* for a gap: end of the hole */
} pgt_strip_row;

/* Geometry of a pane's zoomed memory map (written by the view into
 * pgt_pane_layout.cam every frame, zoomed or not). */
typedef struct pgt_cam_geom {
	int x, y, w;      /* left and top of the first row; row width (pixels) */
	int row_h, pitch; /* row height; distance between the tops of two rows */
	int nrows;        /* rows of a zoomed window (>= 1) */
	int page_px;      /* width a framed 4 KiB page gets at least (pixels) */
} pgt_cam_geom;

typedef struct pgt_pane_layout {
	int x, y, w, h;     /* pane rectangle */
	int mx, my, mw, mh; /* memory map area */
	pgt_strip_row rows[PGT_VIEW_MAX_ROWS];
	int nrows;
	pgt_strip_row detail[2]; /* per-page detail strips (w = 0: none) */
	int ntree;               /* table squares drawn in the tree */
	struct {
		int x, y, s;    /* square (s x s pixels) */
		uint32_t table; /* table index */
	} tree[PGT_VIEW_MAX_TREE];
	uint64_t view_lo, view_len; /* effective visible window */
	pgt_cam_geom cam;           /* rows of a zoomed window here (camera.h) */
} pgt_pane_layout;

typedef struct pgt_view_layout {
	int width, height;
	float unit;   /* one "design pixel" (1/1080 of the height x ui scale) */
	int marker_w; /* minimum width of a table-page marker (pixels) */
	int npanes;
	pgt_pane_layout pane[2];
	int tl_x, tl_y, tl_w, tl_h; /* timeline scrubber */
} pgt_view_layout;

/* What is under a point. */
typedef struct pgt_hit {
	int pane;       /* -1: not over a memory map */
	bool timeline;  /* over the scrubber */
	size_t tl_step; /* step under the pointer on the scrubber */
	bool has_addr;
	uint64_t addr;    /* physical address under the pointer */
	uint32_t table;   /* table page under the pointer (UINT32_MAX: none) */
	uint32_t ntables; /* table pages within the pointer's pixel */
	bool tree;        /* over a square of the page-table tree (table set) */
} pgt_hit;

pgt_hit pgt_view_hit(const pgt_view_model *m, const pgt_view_layout *lay, const pgt_viewstate *vs,
                     int x, int y);

/* ------------------------------------------------------------------------ */
/* Building a frame                                                         */
/* ------------------------------------------------------------------------ */

/* One row of the '?' overlay: the keys as shown and what they do.  The rows
 * come from the binding table one layer up (pgt_input_help(), input.h) and
 * reach the view through pgt_view_params, so the view calls nothing above
 * it (tests/layers.sh). */
typedef struct pgt_help_row {
	const char *keys;   /* "Left / Right" */
	const char *action; /* "step back / forward" */
} pgt_help_row;

typedef struct pgt_view_params {
	int width, height;      /* canvas in device pixels */
	const pgt_theme *theme; /* colours */
	pgt_measure_fn measure; /* text width (NULL: estimate) */
	void *measure_ctx;
	bool interactive;                   /* window: show tooltip, status bar hints */
	const struct pgt_pick_list *picker; /* scenario list for the picker overlay */
	pgt_view_cache *cache;    /* kept between frames (NULL: a temporary one, slower) */
	const pgt_help_row *help; /* rows of the '?' overlay (pgt_input_help()) */
	size_t nhelp;             /* how many (0: the overlay is an empty box) */
} pgt_view_params;

/* Event index pane p shows in this view state (lockstep or alone). */
size_t pgt_view_pane_at(const pgt_view_model *m, const pgt_viewstate *vs, int p);

/* Smallest text size in pixels at any canvas size or UI scale. */
#define PGT_MIN_FONT_PX 11
/* Smallest text size on a canvas of 720 px of height or more (legible on
 * a projector at 1280x720; docs/window.md "Display scaling"). */
#define PGT_LEGIBLE_PX 16

/* Builds the frame for vs->step into dl (reset first) and writes lay.  What
 * is kept between frames lives in p->cache, not in the model. */
void pgt_view_build(pgt_drawlist *dl, pgt_view_layout *lay, const pgt_view_model *m,
                    const pgt_viewstate *vs, const pgt_view_params *p);

/* The narration sentence for pane p at global step (into buf). */
char *pgt_view_narration(const pgt_view_model *m, int p, size_t step, char *buf, size_t size);

/* Human size: "4 KiB", "2 MiB", "3.5 GiB" into buf. */
char *pgt_fmt_size(uint64_t bytes, char *buf, size_t size);
/* The same, a part of a total: never rounded up; below 10 units cut to two
 * decimals where one would lose a hundredth ("1.98 GiB" for 1.985 GiB,
 * "1.5 GiB"), from 10 units on to one ("63.9 GiB"). */
char *pgt_fmt_size_down(uint64_t bytes, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
