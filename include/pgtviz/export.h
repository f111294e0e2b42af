/*
 * pgtviz export helpers shared by `pgtviz export` and the window's "save
 * PNG": atomic file writes, PNG/GIF/video writers fed with ARGB8888
 * surfaces from the rasterizer and a terminal progress bar.  The "session"
 * (scenario + simulations + view model) is in session.h.
 */
#ifndef PGTVIZ_EXPORT_H
#define PGTVIZ_EXPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "pgtviz/render.h"
#include "pgtviz/session.h"
#include "pgtviz/view.h"

#ifdef __cplusplus
extern "C" {
#endif

struct SDL_Surface;

/* ---- file watching --------------------------------------------------------- */

/* What a file looked like (for "reload on change"). */
typedef struct pgt_file_stamp {
	bool exists;
	long long mtime_ns; /* modification time */
	long long size;     /* bytes */
} pgt_file_stamp;

pgt_file_stamp pgt_file_stamp_of(const char *path);
/* Whether b differs from a.  A file that is (momentarily) missing does not
 * count as a change: editors that save by rename come back at once. */
bool pgt_file_stamp_changed(const pgt_file_stamp *a, const pgt_file_stamp *b);

/* ---- writers -------------------------------------------------------------- */
/* Every writer goes through pgtviz/safe_out.h: a regular file is replaced
 * only when the new one is complete and checked; character devices, FIFOs
 * and "-" are written in place; `inputs` (NULL-terminated, may be NULL) are
 * files the output must not be. */

/* The largest export settings file read (bytes). */
#define PGT_PREFS_MAX (64 * 1024)

/* Writes an ARGB8888 surface as PNG atomically.  Deterministic bytes. */
bool pgt_write_png(const char *path, struct SDL_Surface *s, pgt_diags *dg);
bool pgt_write_png_checked(const char *path, struct SDL_Surface *s, const char *const *inputs,
                           pgt_diags *dg);

typedef struct pgt_gif pgt_gif;
/* Opens an animated GIF (palette fixed from the theme) writing to a temp
 * file; pgt_gif_close(commit = true) renames it into place. */
pgt_gif *pgt_gif_open(const char *path, int w, int h, const pgt_theme *theme, pgt_diags *dg);
pgt_gif *pgt_gif_open_checked(const char *path, int w, int h, const pgt_theme *theme,
                              const char *const *inputs, pgt_diags *dg);
bool pgt_gif_frame(pgt_gif *g, struct SDL_Surface *s, int delay_cs);
bool pgt_gif_close(pgt_gif *g, bool commit, pgt_diags *dg);

typedef struct pgt_video pgt_video;
/* Pipes raw frames to the system ffmpeg (src/ui/video.c); fmt "mp4" or
 * "webm".  pgt_video_frame converts the frame to YUV 4:2:0 and queues it
 * `repeat` times for a writer thread: the surface is the caller's again
 * when it returns. */
pgt_video *pgt_video_open(const char *path, const char *fmt, int w, int h, int fps, pgt_diags *dg);
pgt_video *pgt_video_open_checked(const char *path, const char *fmt, int w, int h, int fps,
                                  const char *const *inputs, pgt_diags *dg);
bool pgt_video_frame(pgt_video *v, struct SDL_Surface *s, int repeat);
bool pgt_video_close(pgt_video *v, bool commit, pgt_diags *dg);
/* The ffmpeg command line the video writer runs (raw YUV 4:2:0 frames of
 * pgt_yuv420_from_surface on stdin), so benchmarks can run the same encoder
 * alone. */
void pgt_video_cmdline(char *buf, size_t size, const char *fmt, int w, int h, int fps,
                       const char *out);
/* Bytes of one planar YUV 4:2:0 frame of a w x h canvas (sizes rounded up
 * to even: an odd last row or column is repeated). */
size_t pgt_yuv420_size(int w, int h);
/* An ARGB8888 surface as planar YUV 4:2:0 (BT.709, limited range; chroma
 * the mean of each 2x2 block) into dst of pgt_yuv420_size bytes. */
void pgt_yuv420_from_surface(const struct SDL_Surface *s, uint8_t *dst);
/* Whether an executable is on PATH. */
bool pgt_have_program(const char *name);

/* ---- export runs (shared by `pgtviz export` and the window's `e`) ------- */

enum pgt_export_format {
	PGT_FMT_PNG,
	PGT_FMT_PNGSEQ,
	PGT_FMT_GIF,
	PGT_FMT_MP4,
	PGT_FMT_WEBM,
	PGT_FMT_SVG,
	PGT_FMT_COUNT
};
const char *pgt_export_format_name(int format); /* "png", "png-seq", ... */
int pgt_export_format_parse(const char *s);     /* -1 if unknown */
/* From OUT: a directory (existing or ending in '/') is png-seq, else the
 * extension; -1 if neither tells. */
int pgt_export_format_from_path(const char *out);
/* Whether the format writes one step only (png, svg). */
bool pgt_export_format_single(int format);

/* One export: the steps of a view model written to out. */
typedef struct pgt_export_job {
	const char *out;                   /* file, or directory for png-seq */
	int format;                        /* enum pgt_export_format */
	int w, h;                          /* canvas in pixels */
	const pgt_theme *theme;            /* colours */
	pgt_fonts *fonts;                  /* text */
	const pgt_viewstate *base;         /* view to draw from (zoom, selection, overlays,
	                                      UI scale); NULL: defaults */
	unsigned overlays;                 /* used when base is NULL */
	float ui_scale;                    /* used when base is NULL (0 = 1) */
	int fps;                           /* GIF/MP4/WebM steps per second */
	double hold;                       /* seconds more on marker steps and the last frame */
	const size_t *steps;               /* global steps, in order */
	size_t nsteps;                     /* how many (single formats: the first) */
	const uint32_t *frames;            /* GIF/MP4/WebM: frames at fps each step is shown
	                                      (a clip plan, clip.h); NULL: one, and
	                                      hold seconds more on markers and the last */
	const char *name;                  /* file-name-safe scenario name (png-seq) */
	bool progress;                     /* terminal progress bar on stderr */
	const char *const *inputs;         /* files the output must not overwrite (NULL-
	                                      terminated: scenario, theme, font); may be NULL */
	int camera;                        /* when base is NULL: PGT_CAMERA_AUTO (on for gif,
	                                      mp4, webm; off for png, png-seq, svg), _ON, _OFF */
	pgt_pane_view view;                /* when base is NULL: both panes show this window
	                                      (--view; len 0: none; the camera is then off) */
	const struct pgt_session *inspect; /* --inspect: the run whose table page
	                              inspect_table of pane inspect_pane every frame
	                              shows in the inspector (NULL: none) */
	int inspect_pane;                  /* its pane */
	const char *title;                 /* when base is NULL: the frames' title (--title;
	                                      "": none; NULL: pgt_view_title's) */
	uint32_t inspect_table;            /* its table index */
} pgt_export_job;

enum pgt_export_camera { PGT_CAMERA_AUTO, PGT_CAMERA_ON, PGT_CAMERA_OFF };

/* Renders the job's steps exactly as the window draws them (without status
 * bar and tooltip) and writes them atomically: single files and animations
 * through a temporary file + rename; a png-seq into a new directory is
 * written to a temporary directory renamed into place at the end, into an
 * existing directory file by file.  A failure leaves nothing behind.
 * Adds one message to dg and returns false on failure. */
bool pgt_export_run(const pgt_export_job *j, const pgt_view_model *m, pgt_diags *dg);

/* File-name-safe scenario name ("pc-4g"; fallback: arg's base name). */
void pgt_export_safe_name(const pgt_scenario *sc, const char *arg, char *buf, size_t size);

/* ---- remembered export settings --------------------------------------------- */

/* The settings of the last successful `pgtviz export`, reused by the
 * window's `e`: $XDG_CONFIG_HOME/pgtviz/export.conf (else
 * ~/.config/pgtviz/export.conf), lines "key = value". */
typedef struct pgt_export_prefs {
	int format;      /* enum pgt_export_format */
	int w, h;        /* canvas */
	char theme[512]; /* theme name or file */
	int fps;         /* steps per second */
} pgt_export_prefs;

/* GIF, 800x450, light, 5 steps per second. */
void pgt_export_prefs_default(pgt_export_prefs *p);
/* The settings file's path; false when neither XDG_CONFIG_HOME nor HOME is set. */
bool pgt_export_prefs_path(char *buf, size_t size);
/* Reads the file over *p (keys missing or bad keep their value); false if
 * there is no file. */
bool pgt_export_prefs_load(pgt_export_prefs *p, pgt_diags *dg);
/* Writes the file atomically (creating its directory); false on failure. */
bool pgt_export_prefs_save(const pgt_export_prefs *p, pgt_diags *dg);

/* ---- progress ------------------------------------------------------------- */

typedef struct pgt_progress {
	bool enabled; /* stderr is a terminal */
	size_t total; /* units of work */
	double t0;    /* start time (seconds) */
	double last;  /* last redraw */
} pgt_progress;

void pgt_progress_start(pgt_progress *p, size_t total);
void pgt_progress_update(pgt_progress *p, size_t done);
void pgt_progress_end(pgt_progress *p);

#ifdef __cplusplus
}
#endif
#endif
