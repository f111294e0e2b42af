/*
 * pgtviz camera: where a pane's memory map looks (SDL-free, no clock).
 *
 * A zoomed memory map is nrows rows of equal span laid out from the
 * window's first address: row k shows [lo + k * span, lo + (k + 1) *
 * span), drawn to scale across the row (no hole compression, no alignment),
 * so the address under any pixel is an affine function of the window.  That
 * is what makes pointer-anchored zoom and one-to-one drag exact.  The
 * whole-map view (window length 0) keeps the view's own plan of
 * power-of-two rows with compressed holes.
 *
 * The camera follows the event a pane shows: each event kind that moves
 * the story to a place (a call's chunk, a table page placed, pgt_buf
 * placed, a page turning read-only, a violation, the crashkernel
 * reservation) gives a focus; the focus gives a target window (a page is at
 * least page_px pixels wide; a range fills the rows); the window moves
 * towards the target smoothly (zooming out while it travels far).  Steps
 * 0 and the pane's last event frame the whole map.
 *
 * Everything here is a pure function of its arguments, shared by the
 * window, `pgtviz export` and the browser page (tests/test_ui_camera.c).
 */
#ifndef PGTVIZ_CAMERA_H
#define PGTVIZ_CAMERA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pgtviz/view.h"

#ifdef __cplusplus
extern "C" {
#endif

/* pgt_cam_geom (the zoomed rows' geometry) is declared in view.h. */

/* Smallest row span the camera or the user can zoom to: 16 pages. */
#define PGT_CAM_MIN_SPAN (16ull * 4096ull)

/* Row span of a zoomed window of len bytes over g->nrows rows
 * (ceil(len / nrows), at least 1). */
uint64_t pgt_cam_span(const pgt_cam_geom *g, uint64_t len);

/* Writes the rows of the zoomed window [lo, lo + len) (at most max);
 * returns how many.  Rows carry pixels and addresses like the view's. */
int pgt_cam_rows(const pgt_cam_geom *g, uint64_t lo, uint64_t len, pgt_strip_row *rows, int max);

/* Address at pixel (x, y) of the zoomed window; false between rows or
 * outside the map. */
bool pgt_cam_addr_at(const pgt_cam_geom *g, uint64_t lo, uint64_t len, int x, int y,
                     uint64_t *addr);

/* The window of row span about `span` that shows address addr at pixel
 * (x, y) (a pointer between rows counts for the nearest row), kept inside
 * [0, addr_top) -- where that is not possible the anchor gives way.  Row
 * labels stay round: the span is rounded to a sixteenth of its power of
 * two, the first row to a power of two of at most two pixels' worth of
 * bytes (addr moves by at most a pixel).  A window that covers the whole
 * map is returned as len 0 (the whole-map view). */
pgt_pane_view pgt_cam_anchor(const pgt_cam_geom *g, uint64_t addr, int x, int y, uint64_t span,
                             uint64_t addr_top);

/* Zoom by `clicks` wheel clicks (1.5x each; + = in) keeping the address
 * under (x, y) there.  cur_span is the span of the row under the pointer
 * now (the whole-map view's rows differ from zoomed ones), addr the address
 * under it (pgt_view_hit). */
pgt_pane_view pgt_cam_zoom(const pgt_cam_geom *g, uint64_t addr, int x, int y, uint64_t cur_span,
                           int clicks, uint64_t addr_top);

/* The window that shows [lo, hi) from lo on, with rows of a power-of-two
 * span (round row labels); len 0 if that covers the whole map. */
pgt_pane_view pgt_cam_fit(const pgt_cam_geom *g, uint64_t lo, uint64_t hi, uint64_t addr_top);

/* Pan a zoomed window by dx pixels along the rows and drows whole rows
 * (a drag: what was under the pointer moves with it). */
pgt_pane_view pgt_cam_pan(const pgt_cam_geom *g, pgt_pane_view v, int dx, int drows,
                          uint64_t addr_top);

/* A window dragged by hand, its first address rounded as pgt_cam_anchor
 * rounds it (at most a pixel's move), for round row labels when the drag
 * ends (rounding each motion would add up). */
pgt_pane_view pgt_cam_snap(const pgt_cam_geom *g, pgt_pane_view v, uint64_t addr_top);

/* What the camera frames for one event. */
enum pgt_cam_focus_kind {
	PGT_CAM_WHOLE, /* the whole map */
	PGT_CAM_PAGE,  /* page a (and page b when b != a: both if they fit) */
	PGT_CAM_RANGE, /* the range [a, b) */
};

typedef struct pgt_cam_focus {
	int kind;      /* enum pgt_cam_focus_kind */
	uint64_t a, b; /* page(s) or range */
	size_t event;  /* the event that gave the focus (SIZE_MAX: none) */
} pgt_cam_focus;

/* The focus for pane p showing its event ev: the latest event at or
 * before ev that moves the story somewhere (CALL_BEGIN: the chunk;
 * BUF_FOUND: the buffer; ALLOC: the table page; MARK_RO: the page;
 * MARK_RW: the pages; VIOLATION: the page and, for a refused pin, the PTE
 * page holding the writable alias; crashkernel RESERVE: the reservation).
 * Event 0 and the pane's last event: the whole map. */
pgt_cam_focus pgt_cam_focus_at(const pgt_view_model *m, int p, size_t ev);

/* The target window for a focus (len 0: the whole map).  A page gets at
 * least g->page_px pixels (rows of a power-of-two span, the page's row in
 * the middle); a range fills the rows (power-of-two span, aligned). */
pgt_pane_view pgt_cam_frame(const pgt_cam_geom *g, const pgt_cam_focus *f, uint64_t addr_top);

/* Moves window *v towards target t for dt seconds (dt <= 0: arrives at
 * once).  Centre and log(span) approach with a time constant of
 * PGT_CAM_TAU seconds; a far target is reached zoomed out (the centre moves
 * at most about a window per time constant).  Returns true if *v changed. */
#define PGT_CAM_TAU 0.22
bool pgt_cam_approach(const pgt_cam_geom *g, pgt_pane_view *v, pgt_pane_view t, uint64_t addr_top,
                      double dt);

/* One camera tick for every pane of the view state: when vs->follow is
 * set, each pane's window moves towards the frame of its current event
 * (lay: the last frame's layout, for the geometry; NULL or a pane without
 * geometry: nothing moves).  Returns true if a window changed (redraw). */
bool pgt_camera_tick(pgt_viewstate *vs, const pgt_view_model *m, const pgt_view_layout *lay,
                     double dt);

/* The camera of one frame of an animation: vs->step, shown for `frames`
 * frames of dt seconds, after a frame that showed step prev (SIZE_MAX:
 * the first frame, which arrives at once).  As pgt_camera_tick, except
 * that a frame shown once after skipped steps (a --duration or --stride
 * clip) gets no time to travel: where easing would leave its focus out of
 * the window or at less than half the target's scale, the window arrives
 * at the target at once (mail-0-1g-4k's 30 s clip passes about 14 events
 * and 3 table pages a frame: each frame shows its own page).  A held frame
 * (a marker) still travels through its hold. */
bool pgt_camera_clip_tick(pgt_viewstate *vs, const pgt_view_model *m, const pgt_view_layout *lay,
                          double dt, size_t prev, uint32_t frames);

/* Parses an address range "START..END" (each a number: decimal, 0x hex,
 * or with a K/M/G/T suffix, binary units: 2G..3G).  END > START.  On
 * error writes one message (without the option name) and returns false. */
bool pgt_cam_parse_range(const char *text, uint64_t *lo, uint64_t *hi, char *msg, size_t size);

#ifdef __cplusplus
}
#endif
#endif
