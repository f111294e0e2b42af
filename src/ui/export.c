/*
 * export.c: writers shared by the exporters and the window.
 *
 * Every output goes to a temporary file next to the destination and is
 * renamed into place only when complete, so a failed or interrupted export
 * leaves nothing behind.  PNG goes through SDL_image, GIF through giflib
 * with a palette fixed from the theme (frames are flat colour, so a fixed
 * palette is exact for fills and close for anti-aliased text); MP4/WebM
 * go through video.c (the system ffmpeg fed raw YUV frames on a pipe).
 */
#define _DEFAULT_SOURCE /* for fileno() and popen() alongside _POSIX_C_SOURCE */
#include "pgtviz/export.h"

#include "pgtviz/camera.h"
#include "pgtviz/inspect.h"
#include "pgtviz/number.h"
#include "pgtviz/safe_out.h"

#include <SDL.h>
#include <SDL_image.h>
#include <errno.h>
#include <fcntl.h>
#include <gif_lib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ======================================================================== */
/* File watching                                                            */
/* ======================================================================== */

pgt_file_stamp pgt_file_stamp_of(const char *path)
{
	pgt_file_stamp st = {0};
	struct stat sb;
	if (!path || stat(path, &sb) != 0)
		return st;
	st.exists = true;
	st.mtime_ns = (long long)sb.st_mtim.tv_sec * 1000000000LL + (long long)sb.st_mtim.tv_nsec;
	st.size = (long long)sb.st_size;
	return st;
}

bool pgt_file_stamp_changed(const pgt_file_stamp *a, const pgt_file_stamp *b)
{
	if (!b->exists)
		return false;
	return !a->exists || a->mtime_ns != b->mtime_ns || a->size != b->size;
}

/* ======================================================================== */
/* PNG (every file goes through the safe-output path, pgtviz/safe_out.h)     */
/* ======================================================================== */

static void say(pgt_diags *dg, const char *msg)
{
	pgt_diags_error(dg, "%s", msg);
}

bool pgt_write_png_checked(const char *path, SDL_Surface *s, const char *const *inputs,
                           pgt_diags *dg)
{
	char msg[600];
	pgt_out o;
	if (!pgt_out_open(&o, path, inputs, msg, sizeof(msg))) {
		say(dg, msg);
		return false;
	}
	/* Drop the alpha channel: PNGs are opaque like the screen. */
	SDL_Surface *rgb = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGB24, 0);
	FILE *f = rgb ? pgt_out_stream(&o) : NULL;
	SDL_RWops *rw = f ? SDL_RWFromFP(f, SDL_FALSE) : NULL;
	int rc = rw ? IMG_SavePNG_RW(rgb, rw, 1) : -1;
	if (rgb)
		SDL_FreeSurface(rgb);
	if (rc != 0) {
		snprintf(msg, sizeof(msg), "cannot write '%s': %s", path,
		         !rgb || !rw ? SDL_GetError() : IMG_GetError());
		pgt_out_abort(&o);
		say(dg, msg);
		return false;
	}
	if (!pgt_out_commit(&o, 0, msg, sizeof(msg))) {
		say(dg, msg);
		return false;
	}
	return true;
}

bool pgt_write_png(const char *path, SDL_Surface *s, pgt_diags *dg)
{
	return pgt_write_png_checked(path, s, NULL, dg);
}

/* ======================================================================== */
/* GIF                                                                      */
/* ======================================================================== */

#define GIF_CACHE 4096 /* colour -> index cache (power of two) */

struct pgt_gif {
	GifFileType *gif;
	pgt_out out; /* the destination (safe output) */
	int w, h;
	GifColorType pal[256];
	int npal;
	uint32_t ckey[GIF_CACHE]; /* 0 = empty, else 0xff000000 | rgb */
	uint8_t cval[GIF_CACHE];
	GifPixelType *line;
	bool ok;
};

static void pal_add(pgt_gif *g, uint32_t rgb)
{
	for (int i = 0; i < g->npal; i++)
		if (g->pal[i].Red == (uint8_t)(rgb >> 16) &&
		    g->pal[i].Green == (uint8_t)(rgb >> 8) && g->pal[i].Blue == (uint8_t)rgb)
			return;
	if (g->npal < 256)
		g->pal[g->npal++] =
		    (GifColorType){(uint8_t)(rgb >> 16), (uint8_t)(rgb >> 8), (uint8_t)rgb};
}

static uint32_t mix(uint32_t a, uint32_t b, int k, int n)
{
	uint32_t out = 0;
	for (int sh = 0; sh <= 16; sh += 8) {
		int ca = (int)((a >> sh) & 0xff), cb = (int)((b >> sh) & 0xff);
		out |= (uint32_t)((ca * (n - k) + cb * k) / n) << sh;
	}
	return out;
}

/* Theme colours, text/background ramps, then a 5x5x5 cube for the rest. */
static void gif_palette(pgt_gif *g, const pgt_theme *t)
{
	const pgt_color *cols = &t->bg;
	size_t ncol = (sizeof(*t) - offsetof(pgt_theme, bg)) / sizeof(pgt_color);
	for (size_t i = 0; i < ncol; i++)
		pal_add(g, cols[i] & 0xffffff);
	const pgt_color fg[] = {t->text, t->text_dim};
	const pgt_color bgs[] = {t->bg, t->panel};
	for (int f = 0; f < 2; f++)
		for (int b = 0; b < 2; b++)
			for (int k = 1; k < 8; k++)
				pal_add(g, mix(bgs[b] & 0xffffff, fg[f] & 0xffffff, k, 8));
	for (int r = 0; r < 5; r++)
		for (int gg = 0; gg < 5; gg++)
			for (int b = 0; b < 5; b++)
				pal_add(g, (uint32_t)(r * 255 / 4) << 16 |
				               (uint32_t)(gg * 255 / 4) << 8 |
				               (uint32_t)(b * 255 / 4));
	while (g->npal < 256)
		g->pal[g->npal++] = (GifColorType){0, 0, 0};
}

static uint8_t gif_index(pgt_gif *g, uint32_t px)
{
	uint32_t key = 0xff000000u | (px & 0xffffff);
	uint32_t hsh = (key * 2654435761u) >> 20 & (GIF_CACHE - 1);
	if (g->ckey[hsh] == key)
		return g->cval[hsh];
	int r = (int)((px >> 16) & 0xff), gr = (int)((px >> 8) & 0xff), b = (int)(px & 0xff);
	int best = 0, bd = 1 << 30;
	for (int i = 0; i < g->npal; i++) {
		int dr = r - g->pal[i].Red, dg = gr - g->pal[i].Green, db = b - g->pal[i].Blue;
		int d = 2 * dr * dr + 4 * dg * dg + 3 * db * db;
		if (d < bd) {
			bd = d;
			best = i;
		}
	}
	g->ckey[hsh] = key;
	g->cval[hsh] = (uint8_t)best;
	return (uint8_t)best;
}

/* giflib's output function: every byte through the safe output, so a
 * failed write (ENOSPC) is seen at once and counted for the final check. */
static int gif_out(GifFileType *gf, const GifByteType *buf, int n)
{
	pgt_gif *g = gf->UserData;
	return n > 0 && pgt_out_write(&g->out, buf, (size_t)n) ? n : 0;
}

pgt_gif *pgt_gif_open_checked(const char *path, int w, int h, const pgt_theme *theme,
                              const char *const *inputs, pgt_diags *dg)
{
	pgt_gif *g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->w = w;
	g->h = h;
	char msg[600];
	if (!pgt_out_open(&g->out, path, inputs, msg, sizeof(msg))) {
		say(dg, msg);
		free(g);
		return NULL;
	}
	g->line = malloc((size_t)w);
	int e = 0;
	g->gif = g->line ? EGifOpen(g, gif_out, &e) : NULL;
	if (!g->gif) {
		pgt_diags_error(dg, "cannot write '%s': %s", path,
		                g->line ? GifErrorString(e) : "out of memory");
		pgt_out_abort(&g->out);
		free(g->line);
		free(g);
		return NULL;
	}
	gif_palette(g, theme);
	ColorMapObject *cmap = GifMakeMapObject(256, g->pal);
	EGifSetGifVersion(g->gif, true);
	g->ok = cmap && EGifPutScreenDesc(g->gif, w, h, 8, 0, cmap) == GIF_OK;
	GifFreeMapObject(cmap);
	/* Loop forever (NETSCAPE2.0). */
	static const GifByteType loop[] = {1, 0, 0};
	g->ok = g->ok && EGifPutExtensionLeader(g->gif, APPLICATION_EXT_FUNC_CODE) == GIF_OK &&
	        EGifPutExtensionBlock(g->gif, 11, "NETSCAPE2.0") == GIF_OK &&
	        EGifPutExtensionBlock(g->gif, 3, loop) == GIF_OK &&
	        EGifPutExtensionTrailer(g->gif) == GIF_OK;
	return g;
}

pgt_gif *pgt_gif_open(const char *path, int w, int h, const pgt_theme *theme, pgt_diags *dg)
{
	return pgt_gif_open_checked(path, w, h, theme, NULL, dg);
}

bool pgt_gif_frame(pgt_gif *g, SDL_Surface *s, int delay_cs)
{
	if (!g->ok)
		return false;
	GraphicsControlBlock gcb = {DISPOSE_DO_NOT, false, delay_cs, NO_TRANSPARENT_COLOR};
	GifByteType ext[4];
	EGifGCBToExtension(&gcb, ext);
	if (EGifPutExtension(g->gif, GRAPHICS_EXT_FUNC_CODE, 4, ext) != GIF_OK ||
	    EGifPutImageDesc(g->gif, 0, 0, g->w, g->h, false, NULL) != GIF_OK) {
		g->ok = false;
		return false;
	}
	for (int y = 0; y < g->h; y++) {
		const uint32_t *row =
		    (const uint32_t *)(const void *)((const uint8_t *)s->pixels +
		                                     (size_t)y * (size_t)s->pitch);
		for (int x = 0; x < g->w; x++)
			g->line[x] = gif_index(g, row[x]);
		if (EGifPutLine(g->gif, g->line, g->w) != GIF_OK) {
			g->ok = false;
			return false;
		}
	}
	return true;
}

bool pgt_gif_close(pgt_gif *g, bool commit, pgt_diags *dg)
{
	int e = 0;
	bool ok = EGifCloseFile(g->gif, &e) == GIF_OK && g->ok && !g->out.err;
	char msg[600];
	if (ok && commit) {
		ok = pgt_out_commit(&g->out, 0, msg, sizeof(msg));
		if (!ok)
			say(dg, msg);
	} else {
		if (!ok && !pgt_out_interrupted()) {
			if (g->out.err)
				pgt_diags_error(dg,
				                "writing '%s' failed: %s (nothing was "
				                "changed)",
				                g->out.path, strerror(g->out.err));
			else
				pgt_diags_error(dg, "cannot write '%s': %s", g->out.path,
				                GifErrorString(e ? e : E_GIF_ERR_WRITE_FAILED));
		}
		pgt_out_abort(&g->out);
		ok = ok && !commit;
	}
	free(g->line);
	free(g);
	return ok;
}

/* ======================================================================== */
/* Export runs                                                              */
/* ======================================================================== */

static const char *const fmt_names[PGT_FMT_COUNT] = {"png", "png-seq", "gif", "mp4", "webm", "svg"};

const char *pgt_export_format_name(int format)
{
	return format >= 0 && format < PGT_FMT_COUNT ? fmt_names[format] : "?";
}

int pgt_export_format_parse(const char *s)
{
	for (int i = 0; i < PGT_FMT_COUNT; i++)
		if (strcmp(s, fmt_names[i]) == 0)
			return i;
	if (strcmp(s, "png-sequence") == 0 || strcmp(s, "pngs") == 0)
		return PGT_FMT_PNGSEQ;
	return -1;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int pgt_export_format_from_path(const char *out)
{
	size_t n = strlen(out);
	if (n && out[n - 1] == '/')
		return PGT_FMT_PNGSEQ;
	if (is_dir(out))
		return PGT_FMT_PNGSEQ;
	const char *dot = strrchr(out, '.');
	const char *slash = strrchr(out, '/');
	if (!dot || (slash && dot < slash))
		return -1;
	return pgt_export_format_parse(dot + 1);
}

bool pgt_export_format_single(int format)
{
	return format == PGT_FMT_PNG || format == PGT_FMT_SVG;
}

void pgt_export_safe_name(const pgt_scenario *sc, const char *arg, char *buf, size_t size)
{
	const char *src = sc && sc->name && sc->name[0] ? sc->name : arg ? arg : "";
	const char *slash = strrchr(src, '/');
	if (slash)
		src = slash + 1;
	size_t n = 0;
	for (; *src && *src != '.' && n + 1 < size; src++)
		buf[n++] = (char)((*src >= 'a' && *src <= 'z') || (*src >= 'A' && *src <= 'Z') ||
		                          (*src >= '0' && *src <= '9') || *src == '-' || *src == '_'
		                      ? *src
		                      : '_');
	buf[n] = '\0';
	if (!n)
		snprintf(buf, size, "scenario");
}

/* Everything one export run needs. */
typedef struct exporter {
	const pgt_export_job *j;
	const pgt_view_model *m;
	pgt_view_cache cache; /* range sets kept from frame to frame */
	pgt_diags *dg;        /* where problems go */
	pgt_drawlist dl;
	pgt_view_layout lay;
	pgt_viewstate vs;
	bool have_layout; /* lay holds a frame (its camera geometry) */
	SDL_Surface *surf;
	pgt_inspect *insp; /* --inspect: the page's entries (NULL: none) */
	bool insp_oom;     /* pgt_inspect_update ran out of memory */
	bool insp_said;    /* ... and that was reported */
} exporter;

/* --inspect: the page's entries at the event its pane shows at this step
 * (the panel is left out while the table does not exist yet). */
static void inspect_step(exporter *e)
{
	const pgt_export_job *j = e->j;
	size_t ev = pgt_view_pane_at(e->m, &e->vs, j->inspect_pane);
	if (!pgt_inspect_update(e->insp, j->inspect, j->inspect_pane, j->inspect_table, ev))
		e->insp_oom = true;
	e->vs.show_inspect = true;
	e->vs.inspect = e->insp->valid ? e->insp : NULL;
	e->vs.sel_pane = j->inspect_pane;
	e->vs.sel_table = j->inspect_table;
}

static void build_step(exporter *e, size_t step)
{
	e->vs.step = step;
	if (e->insp)
		inspect_step(e);
	pgt_view_params p = {e->j->w,     e->j->h, e->j->theme, pgt_fonts_measure,
	                     e->j->fonts, false,   NULL,        &e->cache,
	                     NULL,        0};
	pgt_view_build(&e->dl, &e->lay, e->m, &e->vs, &p);
}

/* The camera (camera.h) moves towards pane events of `step` for dt seconds
 * (0: arrives); the geometry comes from the last frame built (one is built
 * first if there is none).  Returns true if it moved. */
static bool camera_to(exporter *e, size_t step, double dt)
{
	if (!e->vs.follow)
		return false;
	if (!e->have_layout) {
		build_step(e, step);
		e->have_layout = true;
	}
	e->vs.step = step;
	return pgt_camera_tick(&e->vs, e->m, &e->lay, dt);
}

/* The same for frame `step` of an animation after one that showed prev
 * (SIZE_MAX: none), shown for `frames` frames (pgt_camera_clip_tick). */
static void camera_clip(exporter *e, size_t step, double dt, size_t prev, int frames)
{
	if (!e->vs.follow)
		return;
	if (!e->have_layout) {
		build_step(e, step);
		e->have_layout = true;
	}
	e->vs.step = step;
	pgt_camera_clip_tick(&e->vs, e->m, &e->lay, dt, prev, frames > 0 ? (uint32_t)frames : 1);
}

static void render_step(exporter *e, size_t step)
{
	build_step(e, step);
	pgt_raster_draw(e->surf, &e->dl, e->j->fonts);
}

/* False (with the message) once --inspect ran out of memory: no frame is
 * written without the panel it was asked for. */
static bool frame_ok(exporter *e)
{
	if (e->insp_oom && !e->insp_said) {
		pgt_diags_error(e->dg, "out of memory reading the inspected table page");
		e->insp_said = true;
	}
	return !e->insp_oom;
}

static bool is_marker(const pgt_view_model *m, size_t step)
{
	for (size_t i = 0; i < m->nmarkers; i++)
		if (m->markers[i].step == step)
			return true;
	return false;
}

static bool write_svg(exporter *e, size_t step)
{
	camera_to(e, step, 0);
	build_step(e, step);
	if (!frame_ok(e))
		return false;
	char msg[600];
	pgt_out o;
	if (!pgt_out_open(&o, e->j->out, e->j->inputs, msg, sizeof(msg))) {
		say(e->dg, msg);
		return false;
	}
	FILE *f = pgt_out_stream(&o);
	if (!f || !pgt_svg_write(f, &e->dl, e->j->fonts)) {
		snprintf(msg, sizeof(msg), "writing '%s' failed: %s (nothing was changed)",
		         e->j->out, strerror(errno ? errno : EIO));
		pgt_out_abort(&o);
		say(e->dg, msg);
		return false;
	}
	if (!pgt_out_commit(&o, 0, msg, sizeof(msg))) {
		say(e->dg, msg);
		return false;
	}
	return true;
}

/* dir/NAME_step-NNNN.png of the i-th exported step. */
static bool seq_path(exporter *e, const char *dir, int digits, size_t i, char *path, size_t size)
{
	int n =
	    snprintf(path, size, "%s/%s_step-%0*zu.png", dir, e->j->name, digits, e->j->steps[i]);
	return n > 0 && (size_t)n < size;
}

/* Removes the first `upto` files of the staging directory, then it. */
static void seq_cleanup(exporter *e, const char *dir, int digits, size_t upto)
{
	char path[4096];
	for (size_t i = 0; i < upto && i < e->j->nsteps; i++)
		if (seq_path(e, dir, digits, i, path, sizeof(path)))
			unlink(path);
	rmdir(dir);
}

/* Moves the staged files into an existing directory (renames within one
 * filesystem: no new space needed, so this cannot run out of disk). */
static bool seq_move(exporter *e, const char *dir, const char *final, int digits)
{
	char from[4096], to[4096];
	for (size_t i = 0; i < e->j->nsteps; i++) {
		if (!seq_path(e, dir, digits, i, from, sizeof(from)) ||
		    !seq_path(e, final, digits, i, to, sizeof(to)) || rename(from, to) != 0) {
			pgt_diags_error(e->dg, "cannot move '%s' into '%s': %s", from, final,
			                strerror(errno));
			return false;
		}
	}
	return true;
}

static bool write_sequence(exporter *e)
{
	const pgt_export_job *j = e->j;
	/* Every file is written into a staging directory: a new directory is
	 * the staging directory renamed into place at the end; an existing one
	 * gets a hidden staging directory inside it whose files are renamed in
	 * at the end.  A failure removes the staging directory and touches no
	 * file that was there before. */
	char final[4096], dir[4096], msg[600];
	snprintf(final, sizeof(final), "%s", j->out);
	size_t fl = strlen(final);
	while (fl > 1 && final[fl - 1] == '/')
		final[--fl] = '\0';
	bool fresh = !is_dir(final);
	char stage_at[4096];
	snprintf(stage_at, sizeof(stage_at), fresh ? "%s" : "%s/%s", final, j->name);
	if (!pgt_out_tmpdir(stage_at, dir, sizeof(dir), msg, sizeof(msg))) {
		say(e->dg, msg);
		return false;
	}
	mode_t mask = umask(0);
	umask(mask);
	(void)chmod(dir, 0777 & ~mask); /* mkdtemp makes it 0700 */
	int digits = 4;
	for (size_t n = e->m->nsteps; n >= 10000; n /= 10)
		digits++;
	pgt_progress pr;
	pgt_progress_start(&pr, j->nsteps);
	pr.enabled = pr.enabled && j->progress;
	size_t done = 0;
	bool ok = true;
	char path[4096];
	for (; done < j->nsteps && ok; done++) {
		if (pgt_out_interrupted()) {
			ok = false;
			break;
		}
		camera_to(e, j->steps[done], 0); /* each frame stands alone */
		render_step(e, j->steps[done]);
		if (!seq_path(e, dir, digits, done, path, sizeof(path))) {
			pgt_diags_error(e->dg, "output path too long: '%s'", final);
			ok = false;
		} else {
			ok = frame_ok(e) && pgt_write_png_checked(path, e->surf, j->inputs, e->dg);
		}
		pgt_progress_update(&pr, done + 1);
	}
	pgt_progress_end(&pr);
	if (ok && fresh && rename(dir, final) != 0) {
		pgt_diags_error(e->dg, "cannot create directory '%s': %s", final, strerror(errno));
		ok = false;
	} else if (ok && !fresh) {
		ok = seq_move(e, dir, final, digits);
		rmdir(dir);
	}
	if (!ok)
		seq_cleanup(e, dir, digits, done + 1);
	pgt_out_tmpdir_done(dir);
	return ok;
}

static bool write_animation(exporter *e)
{
	const pgt_export_job *j = e->j;
	pgt_gif *gif = NULL;
	pgt_video *vid = NULL;
	int fps = j->fps > 0 ? j->fps : 5;
	if (j->format == PGT_FMT_GIF)
		gif = pgt_gif_open_checked(j->out, j->w, j->h, j->theme, j->inputs, e->dg);
	else
		vid = pgt_video_open_checked(j->out, fmt_names[j->format], j->w, j->h, fps,
		                             j->inputs, e->dg);
	if (!gif && !vid)
		return false;
	pgt_progress pr;
	pgt_progress_start(&pr, j->nsteps);
	pr.enabled = pr.enabled && j->progress;
	bool ok = true;
	int delay = (100 + fps / 2) / fps;
	double dt = 1.0 / fps;
	uint64_t shown = 0, f = (uint64_t)fps; /* frames so far (a plan's GIF delays) */
	for (size_t i = 0; i < j->nsteps && ok; i++) {
		if (pgt_out_interrupted()) {
			ok = false;
			break;
		}
		size_t step = j->steps[i];
		bool hold = j->nsteps > 1 && (is_marker(e->m, step) || i + 1 == j->nsteps);
		int total_n = 1 + (hold ? (int)(j->hold * fps + 0.5) : 0);
		int total_cs = delay + (hold ? (int)(j->hold * 100.0 + 0.5) : 0);
		if (j->frames) { /* the clip plan: delays that add up to its length */
			uint64_t next = shown + j->frames[i];
			total_cs = (int)((next * 100 + f / 2) / f - (shown * 100 + f / 2) / f);
			total_n = (int)j->frames[i];
			shown = next;
		}
		/* A frame shown once after skipped steps gets no time to travel:
		 * its camera arrives where easing would lag (a held frame still
		 * travels through its hold). */
		camera_clip(e, step, dt, i ? j->steps[i - 1] : SIZE_MAX, total_n);
		render_step(e, step);
		int extra_n = total_n - 1, left_cs = total_cs;
		/* Through a hold the camera keeps moving: a markers-only clip
		 * still travels from one place to the next, and arrives on the
		 * hold's last frame (a far travel takes longer than a hold). */
		while (ok && extra_n > 0 && left_cs > delay &&
		       camera_to(e, step, extra_n == 1 || left_cs - delay <= delay ? 0 : dt)) {
			ok = gif ? pgt_gif_frame(gif, e->surf, delay)
			         : pgt_video_frame(vid, e->surf, 1);
			render_step(e, step);
			extra_n--;
			left_cs -= delay;
		}
		/* A clip ends on the camera's own last place (the whole map after a
		 * run that completed), not on a window still travelling there. */
		if (i + 1 == j->nsteps && camera_to(e, step, 0))
			render_step(e, step);
		ok = ok && frame_ok(e);
		if (!ok)
			break;
		if (gif)
			ok = pgt_gif_frame(gif, e->surf, left_cs);
		else
			ok = pgt_video_frame(vid, e->surf, 1 + extra_n);
		pgt_progress_update(&pr, i + 1);
	}
	pgt_progress_end(&pr);
	if (gif)
		return pgt_gif_close(gif, ok, e->dg) && ok;
	return pgt_video_close(vid, ok, e->dg) && ok;
}

bool pgt_export_run(const pgt_export_job *j, const pgt_view_model *m, pgt_diags *dg)
{
	exporter e = {.j = j, .m = m, .dg = dg};
	pgt_view_cache_init(&e.cache);
	if (!j->nsteps || j->format < 0 || j->format >= PGT_FMT_COUNT) {
		pgt_diags_error(dg, "nothing to export");
		return false;
	}
	pgt_dl_init(&e.dl);
	if (j->base) {
		e.vs = *j->base;
		/* What the window shows around the picture is not exported. */
		e.vs.hover = e.vs.dragging = false;
		e.vs.show_help = e.vs.show_glossary = e.vs.show_picker = false;
		e.vs.show_inspect = false;
		e.vs.playing = false;
		e.vs.unlocked = false;
		e.vs.flash = 0;
		e.vs.status[0] = '\0';
	} else {
		pgt_viewstate_init(&e.vs);
		e.vs.overlays = j->overlays;
		e.vs.title = j->title;
		e.vs.ui_scale = j->ui_scale > 0 ? j->ui_scale : 1.0f;
		e.vs.follow = j->camera == PGT_CAMERA_ON ||
		              (j->camera == PGT_CAMERA_AUTO &&
		               !pgt_export_format_single(j->format) && j->format != PGT_FMT_PNGSEQ);
		if (j->view.len) {
			/* rows of a round span from START (the layout's geometry) */
			e.vs.follow = false;
			build_step(&e, j->steps[0]);
			for (int p = 0; p < 2; p++)
				e.vs.pane[p] =
				    pgt_cam_fit(&e.lay.pane[p < e.lay.npanes ? p : 0].cam,
				                j->view.lo, j->view.lo + j->view.len, m->addr_top);
		}
	}
	bool ok = true;
	if (j->inspect) {
		e.insp = calloc(1, sizeof(*e.insp));
		if (!e.insp) {
			pgt_diags_error(dg, "out of memory for the inspector");
			ok = false;
		}
	}
	if (ok && j->format != PGT_FMT_SVG) {
		e.surf = pgt_raster_surface(j->w, j->h);
		if (!e.surf) {
			pgt_diags_error(dg, "out of memory for a %dx%d canvas", j->w, j->h);
			ok = false;
		}
	}
	if (ok && j->format == PGT_FMT_PNG) {
		camera_to(&e, j->steps[0], 0);
		render_step(&e, j->steps[0]);
		ok = frame_ok(&e) && pgt_write_png_checked(j->out, e.surf, j->inputs, dg);
	} else if (ok && j->format == PGT_FMT_SVG) {
		ok = write_svg(&e, j->steps[0]);
	} else if (ok && j->format == PGT_FMT_PNGSEQ) {
		ok = write_sequence(&e);
	} else if (ok) {
		ok = write_animation(&e);
	}
	free(e.insp);
	if (e.surf)
		SDL_FreeSurface(e.surf);
	pgt_dl_free(&e.dl);
	pgt_view_cache_free(&e.cache);
	return ok;
}

/* ======================================================================== */
/* Remembered export settings                                               */
/* ======================================================================== */

void pgt_export_prefs_default(pgt_export_prefs *p)
{
	memset(p, 0, sizeof(*p));
	p->format = PGT_FMT_GIF;
	p->w = 800;
	p->h = 450;
	snprintf(p->theme, sizeof(p->theme), "light");
	p->fps = 5;
}

bool pgt_export_prefs_path(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;
	if (xdg && xdg[0] == '/')
		n = snprintf(buf, size, "%s/pgtviz/export.conf", xdg);
	else if (home && home[0])
		n = snprintf(buf, size, "%s/.config/pgtviz/export.conf", home);
	else
		return false;
	return n > 0 && (size_t)n < size;
}

/* size = WxH of the saved settings: two strict whole numbers within the
 * export's limits (pgtviz/number.h, as --size). */
static bool prefs_size(const char *v, int *w, int *h)
{
	char buf[64];
	const char *x = strchr(v, 'x');
	long long lw, lh;
	if (!x || (size_t)(x - v) >= sizeof(buf))
		return false;
	memcpy(buf, v, (size_t)(x - v));
	buf[x - v] = '\0';
	if (!pgt_parse_whole(buf, 160, 7680, &lw) || !pgt_parse_whole(x + 1, 120, 4320, &lh))
		return false;
	*w = (int)lw;
	*h = (int)lh;
	return true;
}

/* One line of the saved settings ("key = value", '#' comments, blank
 * lines).  A line that cannot be used is skipped with a warning at its
 * file:line:col: the settings are a convenience and never stop an export,
 * but a value is never guessed (atoi read "1e2" as 1 and "0800" as 800). */
static void prefs_line(pgt_export_prefs *p, pgt_diags *dg, const char *path, int lineno, char *line)
{
	char *k = line;
	while (*k == ' ' || *k == '\t')
		k++;
	char *eq = strchr(k, '=');
	if (k[0] == '#' || k[0] == '\0')
		return;
	if (!eq) {
		pgt_diags_add_in(dg, path, PGT_DIAG_WARNING, lineno, (int)(k - line) + 1,
		                 "not a 'key = value' line; ignored");
		return;
	}
	char *v = eq + 1;
	*eq = '\0';
	for (char *t = eq - 1; t >= k && (*t == ' ' || *t == '\t'); t--)
		*t = '\0';
	while (*v == ' ' || *v == '\t')
		v++;
	for (char *t = v + strlen(v); t > v && (t[-1] == ' ' || t[-1] == '\t'); t--)
		t[-1] = '\0';
	int col = (int)(v - line) + 1, w, h, fmt;
	long long fps;
	char shown[80];
	snprintf(shown, sizeof(shown), "%.64s%s", v, strlen(v) > 64 ? "..." : "");
	if (strcmp(k, "format") == 0) {
		if ((fmt = pgt_export_format_parse(v)) >= 0)
			p->format = fmt;
		else
			pgt_diags_add_in(dg, path, PGT_DIAG_WARNING, lineno, col,
			                 "format '%s' is not an export format; ignored", shown);
	} else if (strcmp(k, "size") == 0) {
		if (prefs_size(v, &w, &h)) {
			p->w = w;
			p->h = h;
		} else {
			pgt_diags_add_in(dg, path, PGT_DIAG_WARNING, lineno, col,
			                 "size '%s' is not WIDTHxHEIGHT from 160x120 to 7680x4320 "
			                 "(whole numbers without leading zeros); ignored",
			                 shown);
		}
	} else if (strcmp(k, "theme") == 0) {
		if (v[0])
			snprintf(p->theme, sizeof(p->theme), "%s", v);
		else
			pgt_diags_add_in(dg, path, PGT_DIAG_WARNING, lineno, col,
			                 "theme is empty; ignored");
	} else if (strcmp(k, "fps") == 0) {
		if (pgt_parse_whole(v, 1, 120, &fps))
			p->fps = (int)fps;
		else
			pgt_diags_add_in(dg, path, PGT_DIAG_WARNING, lineno, col,
			                 "fps '%s' is not a whole number from 1 to 120; ignored",
			                 shown);
	} else {
		pgt_diags_add_in(dg, path, PGT_DIAG_WARNING, lineno, (int)(k - line) + 1,
		                 "unknown setting '%.40s' (format, size, theme, fps); ignored", k);
	}
}

bool pgt_export_prefs_load(pgt_export_prefs *p, pgt_diags *dg)
{
	char path[4096], msg[600];
	if (!pgt_export_prefs_path(path, sizeof(path)))
		return false;
	struct stat st;
	if (stat(path, &st) != 0)
		return false; /* no settings saved yet */
	/* a regular file of at most 64 KiB: a FIFO or device never blocks or
	 * floods an export */
	char *text = pgt_read_small_file(path, PGT_PREFS_MAX, NULL, msg, sizeof(msg));
	if (!text) {
		pgt_diags_add_in(dg, NULL, PGT_DIAG_WARNING, 0, 0,
		                 "ignoring the saved export settings '%s': %s", path, msg);
		return false;
	}
	int lineno = 1;
	for (char *line = text, *next; line && *line; line = next, lineno++) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		prefs_line(p, dg, path, lineno, line);
	}
	free(text);
	return true;
}

bool pgt_export_prefs_save(const pgt_export_prefs *p, pgt_diags *dg)
{
	char path[4096], msg[600];
	if (!pgt_export_prefs_path(path, sizeof(path)))
		return false;
	/* Create the directory (and ~/.config) if needed. */
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return false;
	*slash = '\0';
	char *parent = strrchr(dir, '/');
	if (parent && parent != dir) {
		*parent = '\0';
		mkdir(dir, 0777);
		*parent = '/';
	}
	mkdir(dir, 0777);
	char text[1024];
	int n = snprintf(text, sizeof(text),
	                 "# pgtviz: the settings of the last `pgtviz export`, reused by the "
	                 "window's `e` key\n"
	                 "format = %s\nsize = %dx%d\ntheme = %s\nfps = %d\n",
	                 pgt_export_format_name(p->format), p->w, p->h, p->theme, p->fps);
	if (n < 0 || (size_t)n >= sizeof(text))
		return false;
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		pgt_diags_add_in(dg, NULL, PGT_DIAG_WARNING, 0, 0,
		                 "not saving the export settings: '%s' is not a regular file",
		                 path);
		return false;
	}
	pgt_out o;
	if (!pgt_out_open(&o, path, NULL, msg, sizeof(msg))) {
		pgt_diags_add_in(dg, NULL, PGT_DIAG_WARNING, 0, 0,
		                 "not saving the export settings: %s", msg);
		return false;
	}
	pgt_out_write(&o, text, (size_t)n);
	if (!pgt_out_commit(&o, (uint64_t)n, msg, sizeof(msg))) {
		pgt_diags_add_in(dg, NULL, PGT_DIAG_WARNING, 0, 0,
		                 "not saving the export settings: %s", msg);
		return false;
	}
	return true;
}

/* ======================================================================== */
/* Progress bar                                                             */
/* ======================================================================== */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void pgt_progress_start(pgt_progress *p, size_t total)
{
	p->enabled = isatty(fileno(stderr)) != 0;
	p->total = total ? total : 1;
	p->t0 = now_s();
	p->last = 0;
}

void pgt_progress_update(pgt_progress *p, size_t done)
{
	if (!p->enabled)
		return;
	double t = now_s();
	if (done < p->total && t - p->last < 0.1)
		return;
	p->last = t;
	double f = (double)done / (double)p->total;
	int bar = 30, filled = (int)(f * bar);
	char b[64];
	for (int i = 0; i < bar; i++)
		b[i] = i < filled ? '#' : '-';
	b[bar] = '\0';
	double el = t - p->t0;
	double eta = done ? el / (double)done * (double)(p->total - done) : 0;
	fprintf(stderr, "\r[%s] %zu/%zu  %3.0f%%  ETA %4.0fs ", b, done, p->total, f * 100, eta);
	fflush(stderr);
}

void pgt_progress_end(pgt_progress *p)
{
	if (p->enabled) {
		fprintf(stderr, "\r%*s\r", 70, "");
		fflush(stderr);
	}
}
