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
#include <gif_lib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ======================================================================== */
/* Session                                                                  */
/* ======================================================================== */

static bool parse_schemes(const char *arg, int out[2], int *n, FILE *err)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", arg);
	*n = 0;
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
		int s = pgt_scheme_parse(tok);
		if (s < 0) {
			fprintf(
			    err,
			    "pgtviz: unknown scheme '%s' (use old, new, bottom-up, chunk-end)\n",
			    tok);
			return false;
		}
		if (*n == 2) {
			fprintf(err, "pgtviz: --schemes takes at most two schemes\n");
			return false;
		}
		out[(*n)++] = s;
	}
	if (*n == 0) {
		fprintf(err, "pgtviz: --schemes needs a scheme name\n");
		return false;
	}
	return true;
}

bool pgt_session_start(pgt_session *s, pgt_scenario *sc, const char *schemes, const char *kver,
                       FILE *err)
{
	memset(s, 0, sizeof(*s));
	s->sc = *sc;
	memset(sc, 0, sizeof(*sc));
	int sch[2] = {s->sc.schemes[0], s->sc.schemes[1]};
	int n = sch[0] == sch[1] ? 1 : 2;
	if (n == 1 && !schemes) {
		sch[0] = PGT_SCHEME_PGTBUF;
		sch[1] = PGT_SCHEME_TOPDOWN;
		n = 2;
	}
	if (schemes && !parse_schemes(schemes, sch, &n, err))
		return false;
	uint32_t kv = 0;
	if (kver) {
		kv = pgt_kver_parse(kver);
		if (!kv) {
			fprintf(err, "pgtviz: cannot parse kernel version '%s' (e.g. 3.8, 3.9.8)\n",
			        kver);
			return false;
		}
	}
	for (int i = 0; i < n; i++) {
		pgt_run_opts o = pgt_run_opts_default(sch[i]);
		/* A version only applies to the scheme of its era. */
		bool old_era = kv && kv < PGT_KVER(3, 9, 0);
		if (kv && (sch[i] == PGT_SCHEME_PGTBUF) == old_era)
			o.kver = kv;
		s->sims[i] = pgt_sim_run(&s->sc, &o);
		if (!s->sims[i]) {
			fprintf(err, "pgtviz: out of memory running the simulation\n");
			pgt_session_free(s);
			return false;
		}
		s->nsims++;
	}
	if (!pgt_view_model_init(&s->model, &s->sc, s->sims[0], n > 1 ? s->sims[1] : NULL)) {
		fprintf(err, "pgtviz: out of memory\n");
		pgt_session_free(s);
		return false;
	}
	return true;
}

void pgt_session_free(pgt_session *s)
{
	pgt_view_model_free(&s->model);
	for (int i = 0; i < 2; i++)
		if (s->sims[i])
			pgt_sim_free(s->sims[i]);
	pgt_scenario_clear(&s->sc);
	memset(s, 0, sizeof(*s));
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
			fprintf(err, "pgtviz: cannot write '%s': %s\n", path, strerror(errno));
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
			fprintf(err, "pgtviz: %s\n", SDL_GetError());
		return false;
	}
	int rc = IMG_SavePNG(rgb, tmp);
	SDL_FreeSurface(rgb);
	if (rc != 0) {
		if (err)
			fprintf(err, "pgtviz: cannot write '%s': %s\n", path, IMG_GetError());
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
			fprintf(err, "pgtviz: cannot write '%s': %s\n", path,
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
			fprintf(err, "pgtviz: cannot write '%s'\n", g->path);
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
			fprintf(err,
			        "pgtviz: %s export needs the 'ffmpeg' program, which is not on "
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
			fprintf(err, "pgtviz: output path must not contain a quote: %s\n", path);
		free(v);
		return NULL;
	}
	signal(SIGPIPE, SIG_IGN);
	v->pipe = popen(cmd, "w");
	if (v->pipe)
		setvbuf(v->pipe, NULL, _IOFBF, 1 << 20);
	if (!v->pipe) {
		if (err)
			fprintf(err, "pgtviz: cannot start ffmpeg: %s\n", strerror(errno));
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
			fprintf(err, "pgtviz: ffmpeg failed writing '%s' (exit status %d)\n",
			        v->path, rc);
		unlink(v->tmp);
		if (commit)
			ok = false;
	}
	free(v);
	return ok;
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
