/*
 * pgtviz clips: which steps an animation shows and for how long.
 *
 * `pgtviz export` turns the steps chosen with --steps into a plan: every
 * step, or every Nth (--stride N), or as many as fit a clip of a given
 * length (--duration SECONDS), always keeping the markers of the timeline,
 * the scenario's notes and the last step, and holding those a little
 * longer (--hold-markers).  The plan is counted in frames of the output's
 * frame rate, so a video writer repeats a frame and a GIF writer turns the
 * counts into delays, and a 30 s plan is a 30 s file.
 *
 * SDL-free and I/O-free.
 */
#ifndef PGTVIZ_CLIP_H
#define PGTVIZ_CLIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the user asked for. */
typedef struct pgt_clip_opts {
	int fps;         /* frames per second of the output (>= 1) */
	double hold;     /* seconds more on markers and the last step */
	size_t stride;   /* 0: every step (or, with duration, as many as fit) */
	double duration; /* seconds; 0: as long as the steps take */
} pgt_clip_opts;

/* The plan: steps[i] is shown for frames[i] frames at opts.fps. */
typedef struct pgt_clip {
	size_t *steps;         /* global steps, in order (owned) */
	uint32_t *frames;      /* frames each is shown (>= 1) (owned) */
	bool *held;            /* a marker, a note or the last step (owned) */
	size_t n;              /* steps shown */
	uint64_t total_frames; /* the clip's length in frames */
	size_t stride;         /* the stride used (1: every step) */
	double hold;           /* seconds held per marker after fitting */
} pgt_clip;

/* Plans a clip over the selected steps sel[0..nsel) (ascending); marks
 * (ascending, may be NULL) are the marker and note steps to keep and hold.
 * Returns false (message in msg) when the options cannot be met (a
 * duration shorter than one frame per kept marker) or memory runs out. */
bool pgt_clip_plan(const size_t *sel, size_t nsel, const size_t *marks, size_t nmarks,
                   const pgt_clip_opts *o, pgt_clip *c, char *msg, size_t size);
void pgt_clip_free(pgt_clip *c);

/* The clip's length in seconds. */
double pgt_clip_seconds(const pgt_clip *c, int fps);

/* The smallest stride that makes the clip last at most `seconds` at these
 * options (markers kept and held); 0 if none does. */
size_t pgt_clip_stride_for(const size_t *sel, size_t nsel, const size_t *marks, size_t nmarks,
                           const pgt_clip_opts *o, double seconds);

#ifdef __cplusplus
}
#endif
#endif
