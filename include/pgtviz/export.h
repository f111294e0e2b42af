/*
 * pgtviz export helpers shared by `pgtviz export` and the window's "save
 * PNG": atomic file writes, PNG/GIF/video writers fed with ARGB8888
 * surfaces from the rasterizer, a terminal progress bar, and the "session"
 * (scenario + simulations + view model) both commands set up the same way.
 */
#ifndef PGTVIZ_EXPORT_H
#define PGTVIZ_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "pgtviz/render.h"
#include "pgtviz/view.h"

#ifdef __cplusplus
extern "C" {
#endif

struct SDL_Surface;

/* ---- session ------------------------------------------------------------ */

typedef struct pgt_session {
	pgt_scenario sc;  /* the loaded scenario (owned) */
	pgt_sim *sims[2]; /* one or two runs (owned) */
	int nsims;
	pgt_view_model model; /* caches over the runs */
} pgt_session;

/* Runs the simulations for an already loaded scenario (taken over: sc is
 * moved into the session).  schemes: "A,B", "A" or NULL (scenario's);
 * kver: "3.9" or NULL.  Prints a message and returns false on bad input. */
bool pgt_session_start(pgt_session *s, pgt_scenario *sc, const char *schemes, const char *kver,
                       FILE *err);
void pgt_session_free(pgt_session *s);

/* ---- atomic files --------------------------------------------------------- */

/* A temporary name next to path ("dir/.name.tmp-PID.ext"). */
void pgt_tmp_name(const char *path, char *tmp, size_t size);
/* rename(tmp, path), or unlink(tmp) on failure; false + message on error. */
bool pgt_commit_file(const char *tmp, const char *path, FILE *err);

/* ---- writers -------------------------------------------------------------- */

/* Writes an ARGB8888 surface as PNG atomically.  Deterministic bytes. */
bool pgt_write_png(const char *path, struct SDL_Surface *s, FILE *err);

typedef struct pgt_gif pgt_gif;
/* Opens an animated GIF (palette fixed from the theme) writing to a temp
 * file; pgt_gif_close(commit = true) renames it into place. */
pgt_gif *pgt_gif_open(const char *path, int w, int h, const pgt_theme *theme, FILE *err);
bool pgt_gif_frame(pgt_gif *g, struct SDL_Surface *s, int delay_cs);
bool pgt_gif_close(pgt_gif *g, bool commit, FILE *err);

typedef struct pgt_video pgt_video;
/* Pipes raw frames to the system ffmpeg; fmt "mp4" or "webm". */
pgt_video *pgt_video_open(const char *path, const char *fmt, int w, int h, int fps, FILE *err);
bool pgt_video_frame(pgt_video *v, struct SDL_Surface *s, int repeat);
bool pgt_video_close(pgt_video *v, bool commit, FILE *err);
/* The ffmpeg command line the video writer runs (raw BGRA frames on
 * stdin), so benchmarks can run the same encoder alone. */
void pgt_video_cmdline(char *buf, size_t size, const char *fmt, int w, int h, int fps,
                       const char *out);
/* Whether an executable is on PATH. */
bool pgt_have_program(const char *name);

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
