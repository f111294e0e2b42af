/*
 * clip.c: which steps an animation shows and for how long (clip.h).
 *
 * A plan keeps every `stride`-th selected step plus the marks (timeline
 * markers and scenario notes) and the last step.  Without a duration each
 * kept step is one frame and a held one gets round(hold * fps) more.  With
 * a duration D the clip has exactly F = round(D * fps) frames: the held
 * steps get their hold (at most half of F between them), the smallest
 * stride whose kept steps fit the rest is chosen (unless --stride says
 * one), and the remaining frames are shared evenly, so a short range plays
 * slower and a long one is thinned.  Plain C11, no SDL, no I/O.
 */
#include "pgtviz/clip.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Counts of a stride: kept steps and held ones. */
typedef struct counts {
	size_t kept, held;
} counts;

/* Walks sel with stride s; force: the marks are kept and held.  With
 * keep/held non-NULL, marks each selected index. */
static counts walk(const size_t *sel, size_t n, const size_t *marks, size_t nmarks, size_t s,
                   bool force, bool *keep, bool *held)
{
	counts c = {0, 0};
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		while (j < nmarks && marks[j] < sel[i])
			j++;
		bool mark = force && j < nmarks && marks[j] == sel[i];
		bool last = i + 1 == n;
		bool k = i % s == 0 || last || mark;
		bool h = k && n > 1 && (mark || last);
		c.kept += k;
		c.held += h;
		if (keep)
			keep[i] = k;
		if (held)
			held[i] = h;
	}
	return c;
}

/* Frames a stride takes without a duration. */
static uint64_t plain_frames(counts c, uint64_t hold_frames)
{
	return c.kept + c.held * hold_frames;
}

/* The smallest stride whose kept steps (plus holds of hold_frames) fit in
 * `budget` frames; 0 if none. */
static size_t fit_stride(const size_t *sel, size_t n, const size_t *marks, size_t nmarks,
                         bool force, uint64_t hold_frames, uint64_t budget)
{
	size_t lo = 1, hi = n ? n : 1, best = 0;
	while (lo <= hi) {
		size_t mid = lo + (hi - lo) / 2;
		counts c = walk(sel, n, marks, nmarks, mid, force, NULL, NULL);
		if (plain_frames(c, hold_frames) <= budget) {
			best = mid;
			if (mid == 1)
				break;
			hi = mid - 1;
		} else {
			lo = mid + 1;
		}
	}
	return best;
}

size_t pgt_clip_stride_for(const size_t *sel, size_t nsel, const size_t *marks, size_t nmarks,
                           const pgt_clip_opts *o, double seconds)
{
	int fps = o->fps > 0 ? o->fps : 5;
	uint64_t hf = (uint64_t)llround(o->hold * fps);
	return fit_stride(sel, nsel, marks, nmarks, true, hf, (uint64_t)floor(seconds * fps));
}

void pgt_clip_free(pgt_clip *c)
{
	free(c->steps);
	free(c->frames);
	free(c->held);
	memset(c, 0, sizeof(*c));
}

double pgt_clip_seconds(const pgt_clip *c, int fps)
{
	return (double)c->total_frames / (fps > 0 ? fps : 5);
}

/* Fills c from the keep/held marks: frames for the moving part are shared
 * evenly (rest frames over kept steps), held steps get hold_frames more. */
static bool fill(pgt_clip *c, const size_t *sel, size_t n, const bool *keep, const bool *held,
                 counts cn, uint64_t rest, uint64_t hold_frames)
{
	c->steps = malloc(cn.kept * sizeof(*c->steps));
	c->frames = malloc(cn.kept * sizeof(*c->frames));
	c->held = malloc(cn.kept * sizeof(*c->held));
	if (!c->steps || !c->frames || !c->held)
		return false;
	uint64_t given = 0;
	for (size_t i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		size_t k = c->n++;
		uint64_t upto = rest * (k + 1) / cn.kept; /* even shares, rounded down */
		uint64_t f = upto - given + (held[i] ? hold_frames : 0);
		given = upto;
		c->steps[k] = sel[i];
		c->frames[k] = f > UINT32_MAX ? UINT32_MAX : (uint32_t)f;
		c->held[k] = held[i];
		c->total_frames += c->frames[k];
	}
	return true;
}

bool pgt_clip_plan(const size_t *sel, size_t nsel, const size_t *marks, size_t nmarks,
                   const pgt_clip_opts *o, pgt_clip *c, char *msg, size_t size)
{
	memset(c, 0, sizeof(*c));
	int fps = o->fps > 0 ? o->fps : 5;
	uint64_t hf = (uint64_t)llround(o->hold * fps);
	bool force = true;
	size_t s = o->stride ? o->stride : 1;
	uint64_t rest = 0;
	if (o->duration > 0 && nsel) {
		uint64_t total = (uint64_t)llround(o->duration * fps);
		if (total < 1)
			total = 1;
		counts h = walk(sel, nsel, marks, nmarks, nsel, true, NULL, NULL);
		if (h.kept > total / 2 && !o->stride) {
			force = false; /* more marks than frames: thin them like any step */
			h = walk(sel, nsel, marks, nmarks, nsel, false, NULL, NULL);
		}
		if (h.held && hf * h.held > total / 2)
			hf = total / 2 / h.held; /* holds take at most half the clip */
		if (!o->stride) {
			s = fit_stride(sel, nsel, marks, nmarks, force, 0, total - hf * h.held);
			if (!s)
				s = nsel;
		}
		counts cn = walk(sel, nsel, marks, nmarks, s, force, NULL, NULL);
		if (cn.kept > total) {
			snprintf(
			    msg, size,
			    "--duration %g is %llu frames at %d per second, fewer than the %zu "
			    "steps --stride %zu keeps; use a larger --stride or leave it out",
			    o->duration, (unsigned long long)total, fps, cn.kept, s);
			return false;
		}
		if (cn.held && cn.kept + hf * cn.held > total)
			hf = (total - cn.kept) / cn.held;
		rest = total - hf * cn.held;
	}
	bool *keep = malloc((nsel ? nsel : 1) * sizeof(bool));
	bool *held = malloc((nsel ? nsel : 1) * sizeof(bool));
	bool ok = keep && held;
	if (ok) {
		counts cn = walk(sel, nsel, marks, nmarks, s, force, keep, held);
		if (!(o->duration > 0))
			rest = cn.kept;
		ok = fill(c, sel, nsel, keep, held, cn, rest, hf);
	}
	free(keep);
	free(held);
	if (!ok) {
		pgt_clip_free(c);
		snprintf(msg, size, "out of memory planning the clip");
		return false;
	}
	c->stride = s;
	c->hold = (double)hf / fps;
	return true;
}
