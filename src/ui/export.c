/*
 * export.c: writers shared by the exporters and the window.
 *
 * Every output goes to a temporary file next to the destination and is
 * renamed into place only when complete, so a failed or interrupted export
 * leaves nothing behind.  PNG goes through SDL_image, GIF through giflib
 * with a palette fixed from the theme (frames are flat colour, so a fixed
 * palette is exact for fills and close for anti-aliased text), MP4/WebM
 * through the system ffmpeg fed raw BGRA frames on a pipe.
 */
#define _DEFAULT_SOURCE /* for fileno() and popen() alongside _POSIX_C_SOURCE */
#include "pgtviz/export.h"

#include <SDL.h>
#include <SDL_image.h>
#include <errno.h>
#include <fcntl.h>
#include <gif_lib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
/* Atomic files                                                             */
/* ======================================================================== */

void pgt_tmp_name(const char *path, char *tmp, size_t size)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	snprintf(tmp, size, "%.*s.%.*s.tmp-%ld%s", dirlen, path,
	         (int)(dot ? (size_t)(dot - base) : strlen(base)), base, (long)getpid(),
	         dot ? dot : "");
}

bool pgt_commit_file(const char *tmp, const char *path, FILE *err)
{
	if (rename(tmp, path) != 0) {
		if (err)
			fprintf(err, "pgtviz: error: cannot write '%s': %s\n", path,
			        strerror(errno));
		unlink(tmp);
		return false;
	}
	return true;
}

bool pgt_write_png(const char *path, SDL_Surface *s, FILE *err)
{
	char tmp[4096];
	pgt_tmp_name(path, tmp, sizeof(tmp));
	/* Drop the alpha channel: PNGs are opaque like the screen. */
	SDL_Surface *rgb = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGB24, 0);
	if (!rgb) {
		if (err)
			fprintf(err, "pgtviz: error: %s\n", SDL_GetError());
		return false;
	}
	int rc = IMG_SavePNG(rgb, tmp);
	SDL_FreeSurface(rgb);
	if (rc != 0) {
		if (err)
			fprintf(err, "pgtviz: error: cannot write '%s': %s\n", path,
			        IMG_GetError());
		unlink(tmp);
		return false;
	}
	return pgt_commit_file(tmp, path, err);
}

/* ======================================================================== */
/* GIF                                                                      */
/* ======================================================================== */

#define GIF_CACHE 4096 /* colour -> index cache (power of two) */

struct pgt_gif {
	GifFileType *gif;
	char path[4096], tmp[4096];
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

pgt_gif *pgt_gif_open(const char *path, int w, int h, const pgt_theme *theme, FILE *err)
{
	pgt_gif *g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->w = w;
	g->h = h;
	snprintf(g->path, sizeof(g->path), "%s", path);
	pgt_tmp_name(path, g->tmp, sizeof(g->tmp));
	g->line = malloc((size_t)w);
	int e = 0;
	g->gif = g->line ? EGifOpenFileName(g->tmp, false, &e) : NULL;
	if (!g->gif) {
		if (err)
			fprintf(err, "pgtviz: error: cannot write '%s': %s\n", path,
			        g->line ? GifErrorString(e) : "out of memory");
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

bool pgt_gif_close(pgt_gif *g, bool commit, FILE *err)
{
	int e = 0;
	bool ok = g->ok && EGifCloseFile(g->gif, &e) == GIF_OK;
	if (!g->ok)
		EGifCloseFile(g->gif, &e);
	if (ok && commit) {
		/* giflib creates files 0600; give it the usual permissions. */
		mode_t mask = umask(0);
		umask(mask);
		chmod(g->tmp, 0666 & ~mask);
		ok = pgt_commit_file(g->tmp, g->path, err);
	} else {
		if (commit && err)
			fprintf(err, "pgtviz: error: cannot write '%s'\n", g->path);
		unlink(g->tmp);
		ok = ok && !commit ? true : false;
	}
	free(g->line);
	free(g);
	return ok;
}

/* ======================================================================== */
/* Video through ffmpeg                                                     */
/* ======================================================================== */

struct pgt_video {
	FILE *pipe;
	char path[4096], tmp[4096];
	size_t frame_bytes;
	int w, h;
	bool ok;
};

bool pgt_have_program(const char *name)
{
	const char *path = getenv("PATH");
	if (!path)
		return false;
	char buf[4096];
	for (const char *p = path; *p;) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, p, name);
		if (access(buf, X_OK) == 0)
			return true;
		p += n + (colon ? 1 : 0);
	}
	return false;
}

void pgt_video_cmdline(char *buf, size_t size, const char *fmt, int w, int h, int fps,
                       const char *out)
{
	bool webm = strcmp(fmt, "webm") == 0;
	snprintf(buf, size,
	         "ffmpeg -hide_banner -loglevel error -nostdin -y -f rawvideo -pix_fmt bgra "
	         "-s %dx%d -r %d -i - -vf 'pad=ceil(iw/2)*2:ceil(ih/2)*2' %s -f %s '%s'",
	         w, h, fps,
	         webm ? "-c:v libvpx-vp9 -b:v 0 -crf 30 -row-mt 1 -pix_fmt yuv420p"
	              : "-c:v libx264 -preset medium -crf 18 -pix_fmt yuv420p -movflags +faststart",
	         webm ? "webm" : "mp4", out);
}

pgt_video *pgt_video_open(const char *path, const char *fmt, int w, int h, int fps, FILE *err)
{
	if (!pgt_have_program("ffmpeg")) {
		if (err)
			fprintf(
			    err,
			    "pgtviz: error: %s export needs the 'ffmpeg' program, which is not on "
			    "PATH; install ffmpeg or export a GIF or PNG sequence instead\n",
			    fmt);
		return NULL;
	}
	pgt_video *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->w = w;
	v->h = h;
	v->frame_bytes = (size_t)w * (size_t)h * 4;
	snprintf(v->path, sizeof(v->path), "%s", path);
	pgt_tmp_name(path, v->tmp, sizeof(v->tmp));
	char cmd[9000];
	/* The tmp name is ours (no quotes in it unless the user's path has them). */
	pgt_video_cmdline(cmd, sizeof(cmd), fmt, w, h, fps, v->tmp);
	if (strchr(v->tmp, '\'')) {
		if (err)
			fprintf(err, "pgtviz: error: output path must not contain a quote: %s\n",
			        path);
		free(v);
		return NULL;
	}
	signal(SIGPIPE, SIG_IGN);
	v->pipe = popen(cmd, "w");
	if (v->pipe) {
		setvbuf(v->pipe, NULL, _IOFBF, 1 << 20);
#ifdef __linux__
		/* a 1 MiB pipe (F_SETPIPE_SZ, Linux 2.6.35+) instead of 64 KiB: far
		 * fewer context switches per 8 MiB frame; harmless if refused */
		(void)fcntl(fileno(v->pipe), 1031 /* F_SETPIPE_SZ */, 1 << 20);
#endif
	}
	if (!v->pipe) {
		if (err)
			fprintf(err, "pgtviz: error: cannot start ffmpeg: %s\n", strerror(errno));
		free(v);
		return NULL;
	}
	v->ok = true;
	return v;
}

bool pgt_video_frame(pgt_video *v, SDL_Surface *s, int repeat)
{
	size_t row_bytes = (size_t)v->w * 4;
	for (int r = 0; r < repeat && v->ok && (size_t)s->pitch == row_bytes; r++)
		/* Contiguous rows: the whole frame in one write. */
		v->ok = fwrite(s->pixels, row_bytes, (size_t)v->h, v->pipe) == (size_t)v->h;
	for (int r = 0; r < repeat && v->ok && (size_t)s->pitch != row_bytes; r++)
		for (int y = 0; y < v->h && v->ok; y++) {
			const uint8_t *row =
			    (const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch;
			if (fwrite(row, 4, (size_t)v->w, v->pipe) != (size_t)v->w)
				v->ok = false;
		}
	return v->ok;
}

bool pgt_video_close(pgt_video *v, bool commit, FILE *err)
{
	int rc = pclose(v->pipe);
	bool ok = v->ok && rc == 0;
	if (ok && commit) {
		ok = pgt_commit_file(v->tmp, v->path, err);
	} else {
		if (commit && err)
			fprintf(err, "pgtviz: error: ffmpeg failed writing '%s' (exit status %d)\n",
			        v->path, rc);
		unlink(v->tmp);
		if (commit)
			ok = false;
	}
	free(v);
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
	pgt_view_model *m;
	FILE *err;
	pgt_drawlist dl;
	pgt_view_layout lay;
	pgt_viewstate vs;
	SDL_Surface *surf;
} exporter;

static void build_step(exporter *e, size_t step)
{
	e->vs.step = step;
	pgt_view_params p = {e->j->w,     e->j->h, e->j->theme, pgt_fonts_measure,
	                     e->j->fonts, false,   NULL};
	pgt_view_build(&e->dl, &e->lay, e->m, &e->vs, &p);
}

static void render_step(exporter *e, size_t step)
{
	build_step(e, step);
	pgt_raster_draw(e->surf, &e->dl, e->j->fonts);
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
	build_step(e, step);
	char tmp[4096];
	pgt_tmp_name(e->j->out, tmp, sizeof(tmp));
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		fprintf(e->err, "pgtviz: error: cannot write '%s': %s\n", e->j->out,
		        strerror(errno));
		return false;
	}
	bool ok = pgt_svg_write(f, &e->dl, e->j->fonts);
	ok = fclose(f) == 0 && ok;
	if (!ok) {
		fprintf(e->err, "pgtviz: error: writing '%s'\n", e->j->out);
		unlink(tmp);
		return false;
	}
	return pgt_commit_file(tmp, e->j->out, e->err);
}

/* Removes dir/NAME_step-*.png written so far and, if made, the directory. */
static void seq_cleanup(exporter *e, const char *dir, int digits, size_t upto, bool made)
{
	char path[4096];
	for (size_t i = 0; i < upto; i++) {
		int n = snprintf(path, sizeof(path), "%s/%s_step-%0*zu.png", dir, e->j->name,
		                 digits, e->j->steps[i]);
		if (n > 0 && (size_t)n < sizeof(path))
			unlink(path);
	}
	if (made)
		rmdir(dir);
}

static bool write_sequence(exporter *e)
{
	const pgt_export_job *j = e->j;
	/* A new directory is built under a temporary name and renamed into
	 * place when complete; an existing one receives the files one by one
	 * (each atomically). */
	char final[4096], dir[4096];
	snprintf(final, sizeof(final), "%s", j->out);
	size_t fl = strlen(final);
	while (fl > 1 && final[fl - 1] == '/')
		final[--fl] = '\0';
	bool fresh = !is_dir(final);
	if (fresh) {
		pgt_tmp_name(final, dir, sizeof(dir));
		if (mkdir(dir, 0777) != 0) {
			fprintf(e->err, "pgtviz: error: cannot create directory '%s': %s\n", final,
			        strerror(errno));
			return false;
		}
	} else {
		snprintf(dir, sizeof(dir), "%s", final);
	}
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
		render_step(e, j->steps[done]);
		int n = snprintf(path, sizeof(path), "%s/%s_step-%0*zu.png", dir, j->name, digits,
		                 j->steps[done]);
		if (n < 0 || (size_t)n >= sizeof(path)) {
			fprintf(e->err, "pgtviz: error: output path too long: '%s'\n", final);
			ok = false;
		} else {
			ok = pgt_write_png(path, e->surf, e->err);
		}
		pgt_progress_update(&pr, done + 1);
	}
	pgt_progress_end(&pr);
	if (ok && fresh && rename(dir, final) != 0) {
		fprintf(e->err, "pgtviz: error: cannot create directory '%s': %s\n", final,
		        strerror(errno));
		ok = false;
		done++;
	}
	if (!ok)
		seq_cleanup(e, dir, digits, done ? done - 1 : 0, fresh);
	return ok;
}

static bool write_animation(exporter *e)
{
	const pgt_export_job *j = e->j;
	pgt_gif *gif = NULL;
	pgt_video *vid = NULL;
	int fps = j->fps > 0 ? j->fps : 5;
	if (j->format == PGT_FMT_GIF)
		gif = pgt_gif_open(j->out, j->w, j->h, j->theme, e->err);
	else
		vid = pgt_video_open(j->out, fmt_names[j->format], j->w, j->h, fps, e->err);
	if (!gif && !vid)
		return false;
	pgt_progress pr;
	pgt_progress_start(&pr, j->nsteps);
	pr.enabled = pr.enabled && j->progress;
	bool ok = true;
	int delay = (100 + fps / 2) / fps;
	for (size_t i = 0; i < j->nsteps && ok; i++) {
		size_t step = j->steps[i];
		render_step(e, step);
		bool hold = j->nsteps > 1 && (is_marker(e->m, step) || i + 1 == j->nsteps);
		if (gif)
			ok = pgt_gif_frame(gif, e->surf,
			                   delay + (hold ? (int)(j->hold * 100.0 + 0.5) : 0));
		else
			ok = pgt_video_frame(vid, e->surf,
			                     1 + (hold ? (int)(j->hold * fps + 0.5) : 0));
		pgt_progress_update(&pr, i + 1);
	}
	pgt_progress_end(&pr);
	if (gif)
		return pgt_gif_close(gif, ok, e->err) && ok;
	return pgt_video_close(vid, ok, e->err) && ok;
}

bool pgt_export_run(const pgt_export_job *j, pgt_view_model *m, FILE *err)
{
	exporter e = {.j = j, .m = m, .err = err};
	if (!j->nsteps || j->format < 0 || j->format >= PGT_FMT_COUNT) {
		fprintf(err, "pgtviz: error: nothing to export\n");
		return false;
	}
	pgt_dl_init(&e.dl);
	if (j->base) {
		e.vs = *j->base;
		/* What the window shows around the picture is not exported. */
		e.vs.hover = e.vs.dragging = false;
		e.vs.show_help = e.vs.show_glossary = e.vs.show_picker = false;
		e.vs.playing = false;
		e.vs.unlocked = false;
		e.vs.flash = 0;
		e.vs.status[0] = '\0';
	} else {
		pgt_viewstate_init(&e.vs);
		e.vs.overlays = j->overlays;
		e.vs.ui_scale = j->ui_scale > 0 ? j->ui_scale : 1.0f;
	}
	bool ok = true;
	if (j->format != PGT_FMT_SVG) {
		e.surf = pgt_raster_surface(j->w, j->h);
		if (!e.surf) {
			fprintf(err, "pgtviz: error: out of memory for a %dx%d canvas\n", j->w,
			        j->h);
			ok = false;
		}
	}
	if (ok && j->format == PGT_FMT_PNG) {
		render_step(&e, j->steps[0]);
		ok = pgt_write_png(j->out, e.surf, err);
	} else if (ok && j->format == PGT_FMT_SVG) {
		ok = write_svg(&e, j->steps[0]);
	} else if (ok && j->format == PGT_FMT_PNGSEQ) {
		ok = write_sequence(&e);
	} else if (ok) {
		ok = write_animation(&e);
	}
	if (e.surf)
		SDL_FreeSurface(e.surf);
	pgt_dl_free(&e.dl);
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

bool pgt_export_prefs_load(pgt_export_prefs *p)
{
	char path[4096], line[1024];
	if (!pgt_export_prefs_path(path, sizeof(path)))
		return false;
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		char *eq = strchr(line, '=');
		if (line[0] == '#' || !eq)
			continue;
		char *k = line, *v = eq + 1;
		*eq = '\0';
		while (*k == ' ' || *k == '\t')
			k++;
		for (char *t = eq - 1; t >= k && (*t == ' ' || *t == '\t'); t--)
			*t = '\0';
		while (*v == ' ' || *v == '\t')
			v++;
		int w, h, fmt, fps;
		if (strcmp(k, "format") == 0 && (fmt = pgt_export_format_parse(v)) >= 0)
			p->format = fmt;
		else if (strcmp(k, "size") == 0 && sscanf(v, "%dx%d", &w, &h) == 2 && w >= 160 &&
		         h >= 120 && w <= 7680 && h <= 4320) {
			p->w = w;
			p->h = h;
		} else if (strcmp(k, "theme") == 0 && v[0])
			snprintf(p->theme, sizeof(p->theme), "%s", v);
		else if (strcmp(k, "fps") == 0 && (fps = atoi(v)) >= 1 && fps <= 120)
			p->fps = fps;
	}
	fclose(f);
	return true;
}

bool pgt_export_prefs_save(const pgt_export_prefs *p)
{
	char path[4096], tmp[4096];
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
	pgt_tmp_name(path, tmp, sizeof(tmp));
	FILE *f = fopen(tmp, "w");
	if (!f)
		return false;
	fprintf(f,
	        "# pgtviz: the settings of the last `pgtviz export`, reused by the window's "
	        "`e` key\n"
	        "format = %s\nsize = %dx%d\ntheme = %s\nfps = %d\n",
	        pgt_export_format_name(p->format), p->w, p->h, p->theme, p->fps);
	if (fclose(f) != 0) {
		unlink(tmp);
		return false;
	}
	return pgt_commit_file(tmp, path, NULL);
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
