/*
 * Rendering and export figures for `pgtviz bench` (docs/performance.md,
 * "Rendering and export").
 *
 * Scenarios: the ladder's largest maps, built with the core API like
 * pgt_builtin_bench(): 64 TiB with default page sizes and 1 TiB
 * 4k-only (the most table pages: ~262k PTE pages), old and new scheme side
 * by side, at the densest steps (the last ones, where every table page is
 * on screen), played forward one step per frame like the window does.
 *
 * Rendering = build the draw list + rasterize into the ARGB surface +
 * upload it as a texture + present, with SDL's offscreen (or dummy) video
 * driver and the software renderer.  The baseline, measured in the same
 * run, is a bare clear + present of the same size: fill the surface,
 * upload, present.  Export: PNG frames per second (render + encode + write
 * + rename), MP4 frames per second against ffmpeg alone encoding the same
 * number of raw frames of the same size from a pipe.
 */
#define _DEFAULT_SOURCE /* popen, mkdtemp */
#include "pgtviz/bench_ui.h"
#include "pgtviz/vmarena.h"

#include "pgtviz/camera.h"
#include "pgtviz/export.h"
#include "pgtviz/render.h"
#include "pgtviz/screen.h"

#include <SDL.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of this thread (the figure that survives a loaded machine). */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

typedef struct bscene {
	const char *label;
	pgt_scenario sc;
	pgt_sim *sims[2];
	pgt_view_model m;
	pgt_view_cache cache; /* range sets kept from frame to frame */
	bool ok;
} bscene;

static void scene_open(bscene *b, const char *label, uint64_t gib, bool k4)
{
	memset(b, 0, sizeof(*b));
	b->label = label;
	pgt_view_cache_init(&b->cache);
	pgt_builtin_bench(&b->sc, gib, k4);
	pgt_run_opts o = pgt_run_opts_default(PGT_SCHEME_PGTBUF);
	o.kver = pgt_builtin_bench_kver(PGT_SCHEME_PGTBUF);
	o.alloc = pgt_vmarena();
	b->sims[0] = pgt_sim_run(&b->sc, &o);
	o = pgt_run_opts_default(PGT_SCHEME_TOPDOWN);
	o.kver = pgt_builtin_bench_kver(PGT_SCHEME_TOPDOWN);
	o.alloc = pgt_vmarena();
	b->sims[1] = pgt_sim_run(&b->sc, &o);
	b->ok =
	    b->sims[0] && b->sims[1] && pgt_view_model_init(&b->m, &b->sc, b->sims[0], b->sims[1]);
}

static void scene_close(bscene *b)
{
	if (b->ok)
		pgt_view_model_free(&b->m);
	pgt_view_cache_free(&b->cache);
	for (int i = 0; i < 2; i++)
		if (b->sims[i])
			pgt_sim_free(b->sims[i]);
	pgt_scenario_clear(&b->sc);
}

/* A window-like presenter on the offscreen/dummy driver. */
typedef struct presenter {
	SDL_Window *win;
	SDL_Renderer *ren;
	SDL_Texture *tex;  /* the bare baseline: whole upload every frame */
	pgt_screen screen; /* the window's path: only what changed */
} presenter;

/* Name of the renderer the frames went through ("software", "opengl"...). */
static char g_renderer[32] = "?";
/* Share of the pixels uploaded per frame, row by row of the table. */
static char g_upl[1024];

enum { REN_SOFTWARE, REN_WINDOW, REN_ACCELERATED };

static bool present_open_as(presenter *p, int w, int h, int which)
{
	memset(p, 0, sizeof(*p));
	p->win = SDL_CreateWindow("pgtviz bench", 0, 0, w, h, SDL_WINDOW_HIDDEN);
	if (!p->win)
		return false;
	/* the software renderer: the figure that holds on any machine; the
	 * window's own choice (pgt_window_renderer); or SDL's first
	 * accelerated renderer, whatever it runs on.  Without vsync, so that
	 * frames are not paced. */
	p->ren = which == REN_WINDOW ? pgt_window_renderer(p->win, false)
	         : which == REN_ACCELERATED
	             ? SDL_CreateRenderer(p->win, -1, SDL_RENDERER_ACCELERATED)
	             : SDL_CreateRenderer(p->win, -1, SDL_RENDERER_SOFTWARE);
	if (!p->ren)
		return false;
	SDL_RendererInfo info;
	if (which == REN_SOFTWARE && SDL_GetRendererInfo(p->ren, &info) == 0 && info.name)
		snprintf(g_renderer, sizeof(g_renderer), "%s", info.name);
	p->tex =
	    SDL_CreateTexture(p->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, w, h);
	return p->tex != NULL && pgt_screen_open(&p->screen, p->ren, w, h);
}

static bool present_open(presenter *p, int w, int h)
{
	return present_open_as(p, w, h, REN_SOFTWARE);
}

static void present(presenter *p, SDL_Surface *s)
{
	SDL_UpdateTexture(p->tex, NULL, s->pixels, s->pitch);
	SDL_RenderClear(p->ren);
	SDL_RenderCopy(p->ren, p->tex, NULL, NULL);
	SDL_RenderPresent(p->ren);
}

static void present_close(presenter *p)
{
	pgt_screen_close(&p->screen);
	if (p->tex)
		SDL_DestroyTexture(p->tex);
	if (p->ren)
		SDL_DestroyRenderer(p->ren);
	if (p->win)
		SDL_DestroyWindow(p->win);
}

typedef struct figure {
	double fps, p99_ms, mean_ms;
	double cpu_ms;   /* mean CPU time of the thread per frame */
	double uploaded; /* share of the frame's pixels uploaded, mean */
} figure;

static figure summarize(double *t, int n)
{
	figure f = {0, 0, 0, 0, 0};
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += t[i];
	qsort(t, (size_t)n, sizeof(*t), cmp_d);
	f.mean_ms = sum / n * 1e3;
	f.fps = sum > 0 ? n / sum : 0;
	int k = (int)(0.99 * (n - 1) + 0.5);
	f.p99_ms = t[k] * 1e3;
	return f;
}

#define NFRAMES 120
static int g_frames = NFRAMES; /* frames per figure (--quick: fewer) */

/* Renders g_frames frames of b (the last g_frames steps, forward) at the
 * surface's size.  camera: the camera follows each pane's event as in the
 * window (one tick of 1/60 s per frame), so the map's window moves and
 * zooms from frame to frame; else the whole map. */
static figure bench_render(bscene *b, pgt_fonts *fonts, const pgt_theme *th, presenter *pr,
                           SDL_Surface *surf, bool do_present, bool camera)
{
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.follow = camera;
	double t[NFRAMES], cpu = 0;
	int nf = g_frames;
	size_t last = b->m.nsteps ? b->m.nsteps - 1 : 0;
	size_t first = last > (size_t)nf ? last - (size_t)nf : 0;
	pgt_view_params p = {surf->w,   surf->h, th, pgt_fonts_measure, fonts, true, NULL,
	                     &b->cache, NULL,    0};
	/* Warm the caches (fonts, range sets) once; the screen starts whole. */
	vs.step = first;
	pgt_view_build(&dl, &lay, &b->m, &vs, &p);
	pgt_raster_draw(surf, &dl, fonts);
	double px = 0;
	if (do_present) {
		pgt_screen_invalidate(&pr->screen);
		pgt_screen_present(&pr->screen, surf);
	}
	for (int i = 0; i < nf; i++) {
		vs.step = first + (size_t)i + 1 <= last ? first + (size_t)i + 1 : last;
		double a = now(), ca = cpu_now();
		if (camera)
			pgt_camera_tick(&vs, &b->m, &lay, 1.0 / 60);
		pgt_view_build(&dl, &lay, &b->m, &vs, &p);
		pgt_raster_draw(surf, &dl, fonts);
		if (do_present)
			px += (double)pgt_screen_present(&pr->screen, surf);
		t[i] = now() - a;
		cpu += cpu_now() - ca;
	}
	pgt_dl_free(&dl);
	figure f = summarize(t, nf);
	f.cpu_ms = cpu / nf * 1e3;
	f.uploaded = px / nf / ((double)surf->w * surf->h);
	return f;
}

static figure bench_bare(presenter *pr, SDL_Surface *surf, const pgt_theme *th)
{
	double t[NFRAMES], cpu = 0;
	for (int i = 0; i < g_frames; i++) {
		double a = now(), ca = cpu_now();
		SDL_FillRect(surf, NULL, th->bg | ((uint32_t)i & 1u));
		present(pr, surf);
		t[i] = now() - a;
		cpu += cpu_now() - ca;
	}
	figure f = summarize(t, g_frames);
	f.cpu_ms = cpu / g_frames * 1e3;
	return f;
}

/* PNG export: render + write N frames into a temporary directory. */
static double bench_png(bscene *b, pgt_fonts *fonts, const pgt_theme *th, int w, int h, int n)
{
	char dir[] = "/tmp/pgtviz-bench-XXXXXX";
	if (!mkdtemp(dir))
		return 0;
	SDL_Surface *surf = pgt_raster_surface(w, h);
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	pgt_view_params p = {w, h, th, pgt_fonts_measure, fonts, false, NULL, &b->cache, NULL, 0};
	size_t last = b->m.nsteps ? b->m.nsteps - 1 : 0;
	double a = now();
	char path[256];
	for (int i = 0; surf && i < n; i++) {
		vs.step = last >= (size_t)(n - i) ? last - (size_t)(n - i) + 1 : last;
		pgt_view_build(&dl, &lay, &b->m, &vs, &p);
		pgt_raster_draw(surf, &dl, fonts);
		snprintf(path, sizeof(path), "%s/f%04d.png", dir, i);
		pgt_write_png(path, surf, NULL);
	}
	double el = now() - a;
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%04d.png", dir, i);
		unlink(path);
	}
	rmdir(dir);
	pgt_dl_free(&dl);
	if (surf)
		SDL_FreeSurface(surf);
	return el > 0 ? n / el : 0;
}

/* MP4: the export path (render + pipe to ffmpeg) against ffmpeg alone fed
 * the same number of raw frames of the same size. */
static bool bench_mp4(bscene *b, pgt_fonts *fonts, const pgt_theme *th, int w, int h, int n,
                      double *fps_export, double *fps_ffmpeg)
{
	char dir[] = "/tmp/pgtviz-bench-XXXXXX";
	if (!mkdtemp(dir))
		return false;
	char out[256], cmd[1024];
	snprintf(out, sizeof(out), "%s/a.mp4", dir);
	SDL_Surface *surf = pgt_raster_surface(w, h);
	if (!surf)
		return false;
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	pgt_view_params p = {w, h, th, pgt_fonts_measure, fonts, false, NULL, &b->cache, NULL, 0};
	size_t last = b->m.nsteps ? b->m.nsteps - 1 : 0;
	double a = now();
	pgt_video *v = pgt_video_open(out, "mp4", w, h, 30, NULL);
	bool ok = v != NULL;
	for (int i = 0; ok && i < n; i++) {
		vs.step = last >= (size_t)(n - i) ? last - (size_t)(n - i) + 1 : last;
		pgt_view_build(&dl, &lay, &b->m, &vs, &p);
		pgt_raster_draw(surf, &dl, fonts);
		ok = pgt_video_frame(v, surf, 1);
	}
	if (v)
		ok = pgt_video_close(v, ok, NULL) && ok;
	double el = now() - a;
	*fps_export = ok && el > 0 ? n / el : 0;
	unlink(out);
	/* ffmpeg alone on the very same frames: render them into a raw file
	 * first (not timed), then time feeding that file through a pipe. */
	char raw[256];
	snprintf(raw, sizeof(raw), "%s/frames.raw", dir);
	FILE *rf = fopen(raw, "w+b");
	bool ok2 = rf != NULL;
	size_t fbytes = pgt_yuv420_size(w, h);
	uint8_t *buf = malloc(fbytes);
	ok2 = ok2 && buf;
	for (int i = 0; ok2 && i < n; i++) {
		vs.step = last >= (size_t)(n - i) ? last - (size_t)(n - i) + 1 : last;
		pgt_view_build(&dl, &lay, &b->m, &vs, &p);
		pgt_raster_draw(surf, &dl, fonts);
		pgt_yuv420_from_surface(surf, buf); /* the frames the export sends */
		ok2 = fwrite(buf, 1, fbytes, rf) == fbytes;
	}
	ok2 = ok2 && buf && fflush(rf) == 0;
	snprintf(out, sizeof(out), "%s/b.mp4", dir);
	pgt_video_cmdline(cmd, sizeof(cmd), "mp4", w, h, 30, out);
	signal(SIGPIPE, SIG_IGN);
	if (ok2)
		rewind(rf);
	a = now();
	FILE *f = ok2 ? popen(cmd, "w") : NULL;
	ok2 = ok2 && f != NULL;
	for (int i = 0; ok2 && i < n; i++)
		ok2 = fread(buf, 1, fbytes, rf) == fbytes && fwrite(buf, 1, fbytes, f) == fbytes;
	if (f)
		ok2 = pclose(f) == 0 && ok2;
	el = now() - a;
	free(buf);
	if (rf)
		fclose(rf);
	unlink(raw);
	*fps_ffmpeg = ok2 && el > 0 ? n / el : 0;
	unlink(out);
	rmdir(dir);
	pgt_dl_free(&dl);
	SDL_FreeSurface(surf);
	return ok && ok2;
}

/* The user's command itself: `pgtviz export SCENARIO --duration SECS --fps
 * 30 --size 1920x1080 -o X.mp4` run by this very program (/proc/self/exe),
 * timed from start to the finished file; the CPU time is the export's and
 * ffmpeg's together (wait4's rusage counts the children it waited for).
 * PGTVIZ_NO_PREFS keeps it from saving the user's export settings. */
static bool bench_clip(const char *scenario, int secs, double *wall, double *cpu)
{
	char dir[] = "/tmp/pgtviz-bench-XXXXXX";
	if (!mkdtemp(dir))
		return false;
	char out[256], dur[16], errf[256];
	snprintf(out, sizeof(out), "%s/clip.mp4", dir);
	snprintf(errf, sizeof(errf), "%s/err.txt", dir);
	snprintf(dur, sizeof(dur), "%d", secs);
	/* the environment plus PGTVIZ_NO_PREFS=1, made before fork() */
	extern char **environ;
	size_t ne = 0;
	while (environ[ne])
		ne++;
	char **env = calloc(ne + 2, sizeof(*env));
	if (env) {
		memcpy(env, environ, ne * sizeof(*env));
		static char no_prefs[] = "PGTVIZ_NO_PREFS=1";
		env[ne] = no_prefs;
	}
	/* execve wants writable strings: the arguments copied into buffers */
	const char *const args[] = {"pgtviz", "export", scenario, "--duration", dur,
	                            "--fps",  "30",     "--size", "1920x1080",  "--theme",
	                            "dark",   "-o",     out};
	enum { NARG = sizeof(args) / sizeof(args[0]) };
	char abuf[NARG][256], *argv[NARG + 1];
	for (size_t i = 0; i < NARG; i++) {
		snprintf(abuf[i], sizeof(abuf[i]), "%s", args[i]);
		argv[i] = abuf[i];
	}
	argv[NARG] = NULL;
	double a = now();
	pid_t pid = env ? fork() : -1;
	if (pid == 0) {
		int fd = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execve("/proc/self/exe", argv, env);
		_exit(127);
	}
	int st = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof(ru));
	bool ok =
	    pid > 0 && wait4(pid, &st, 0, &ru) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
	*wall = now() - a;
	*cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
	free(env);
	unlink(out);
	unlink(errf);
	rmdir(dir);
	return ok;
}

void ui_bench(FILE *out, bool json, bool quick)
{
	/* The software renderer draws into the window surface; SDL's default
	 * on Linux puts that surface on a GL texture (Mesa's llvmpipe where
	 * there is no GPU), a whole-frame upload and draw per present.  The
	 * bench measures the driver's own framebuffer instead (the environment
	 * variable SDL_FRAMEBUFFER_ACCELERATION overrides; the line printed
	 * says which). */
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	/* Offscreen first (no display needed), dummy as a fallback. */
	const char *drv = getenv("SDL_VIDEODRIVER");
	bool inited = false;
	if (!drv || !*drv) {
		static const char *const drivers[] = {"offscreen", "dummy"};
		for (size_t i = 0; i < 2 && !inited; i++) {
			setenv("SDL_VIDEODRIVER", drivers[i], 1);
			inited = SDL_Init(SDL_INIT_VIDEO) == 0;
		}
	} else {
		inited = SDL_Init(SDL_INIT_VIDEO) == 0;
	}
	pgt_theme th;
	pgt_diags dg; /* why rendering cannot be measured (to the terminal) */
	pgt_diags_init(&dg, NULL);
	pgt_fonts *fonts = inited ? pgt_fonts_open(NULL, &dg) : NULL;
	bool themed = fonts && pgt_theme_load(&th, "dark", &dg);
	pgt_diags_print(&dg, stderr);
	pgt_diags_free(&dg);
	if (!inited || !themed) {
		if (json)
			fprintf(out,
			        "  \"rendering\": {\"error\": \"SDL video or fonts unavailable\"}");
		else
			fprintf(
			    out,
			    "Rendering/export: not measured (SDL video or fonts unavailable)\n");
		if (fonts)
			pgt_fonts_close(fonts);
		if (inited)
			SDL_Quit();
		return;
	}
	const char *video = SDL_GetCurrentVideoDriver();
	const char *fb_accel = SDL_GetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION);
	fb_accel = fb_accel ? fb_accel : "(SDL default)";
	static const struct {
		const char *label;
		uint64_t gib;
		bool k4;
	} scenes[] = {{"64 TiB, default pages", 65536, false}, {"1 TiB, 4k only", 1024, true}};
	static const int sizes[][2] = {{1920, 1080}, {3840, 2160}};
	g_frames = quick ? 40 : NFRAMES;
	g_upl[0] = '\0';
	if (!json) {
		fprintf(out,
		        "Rendering (software rasterizer + texture upload + present, %s driver;\n"
		        "old and new scheme side by side, the last %d steps played forward;\n"
		        "camera: off = the whole map, moving = following each event as the "
		        "window does)\n",
		        video ? video : "?", g_frames);
		fprintf(out, "%-22s %-10s %-6s %7s %8s %8s %8s %8s %7s %8s %8s %8s\n", "scenario",
		        "size", "camera", "fps", "p99 ms", "mean ms", "cpu ms", "bare ms", "ratio",
		        "draw ms", "draw cpu", "draw p99");
	} else {
		fprintf(out,
		        "  \"rendering\": {\n    \"video_driver\": \"%s\",\n    \"frames\": [\n",
		        video ? video : "?");
	}
	bscene big;
	scene_open(&big, scenes[0].label, scenes[0].gib, scenes[0].k4);
	bool first_row = true;
	for (size_t s = 0; s < 2; s++) {
		bscene sc;
		bscene *b = s == 0 ? &big : &sc;
		if (s)
			scene_open(&sc, scenes[s].label, scenes[s].gib, scenes[s].k4);
		for (size_t z = 0; z < 2 && b->ok; z++) {
			int w = sizes[z][0], h = sizes[z][1];
			presenter pr;
			SDL_Surface *surf = pgt_raster_surface(w, h);
			if (!surf || !present_open(&pr, w, h)) {
				if (surf)
					SDL_FreeSurface(surf);
				present_close(&pr);
				continue;
			}
			figure bare = bench_bare(&pr, surf, &th);
			for (int cam = 0; cam < 2; cam++) {
				figure r = bench_render(b, fonts, &th, &pr, surf, true, cam);
				figure d = bench_render(b, fonts, &th, &pr, surf, false, cam);
				double ratio = bare.mean_ms > 0 ? r.mean_ms / bare.mean_ms : 0;
				if (json)
					fprintf(
					    out,
					    "%s      {\"scenario\": \"%s\", \"tables\": %zu, "
					    "\"width\": %d, \"height\": %d, \"camera\": \"%s\", "
					    "\"fps\": %.1f, \"p99_ms\": %.2f, \"mean_ms\": %.2f, "
					    "\"cpu_ms\": %.2f, \"bare_mean_ms\": %.2f, "
					    "\"bare_cpu_ms\": %.2f, \"ratio_to_bare\": %.2f, "
					    "\"draw_only_mean_ms\": %.2f, \"draw_only_cpu_ms\": "
					    "%.2f, "
					    "\"draw_only_p99_ms\": %.2f, \"uploaded_share\": %.4f}",
					    first_row ? "" : ",\n", b->label,
					    pgt_sim_table_count(b->sims[0]) +
					        pgt_sim_table_count(b->sims[1]),
					    w, h, cam ? "moving" : "off", r.fps, r.p99_ms,
					    r.mean_ms, r.cpu_ms, bare.mean_ms, bare.cpu_ms, ratio,
					    d.mean_ms, d.cpu_ms, d.p99_ms, r.uploaded);
				else
					fprintf(out,
					        "%-22s %4dx%-5d %-6s %7.1f %8.2f %8.2f %8.2f %8.2f "
					        "%6.2fx "
					        "%8.2f %8.2f %8.2f\n",
					        b->label, w, h, cam ? "moving" : "off", r.fps,
					        r.p99_ms, r.mean_ms, r.cpu_ms, bare.mean_ms, ratio,
					        d.mean_ms, d.cpu_ms, d.p99_ms);
				first_row = false;
				size_t ul = strlen(g_upl);
				snprintf(g_upl + ul, sizeof(g_upl) - ul, "%s%s %dx%d %s %.1f%%",
				         ul ? "; " : "", s ? "1 TiB 4k" : "64 TiB", w, h,
				         cam ? "moving" : "off", r.uploaded * 100);
			}
			present_close(&pr);
			SDL_FreeSurface(surf);
		}
		if (s)
			scene_close(&sc);
	}
	/* The renderer the window takes on this machine; and SDL's first
	 * accelerated renderer, with one figure through it (64 TiB at
	 * 1920x1080, camera moving) when it is not the software renderer. */
	char win_ren[32] = "none", acc_ren[32] = "none", acc_gl[128] = "";
	figure ar = {0, 0, 0, 0, 0};
	for (int which = REN_WINDOW; which <= REN_ACCELERATED; which++) {
		presenter pr;
		SDL_Surface *surf = pgt_raster_surface(1920, 1080);
		if (surf && big.ok && present_open_as(&pr, 1920, 1080, which)) {
			SDL_RendererInfo info;
			char *name = which == REN_WINDOW ? win_ren : acc_ren;
			if (SDL_GetRendererInfo(pr.ren, &info) == 0 && info.name)
				snprintf(name, 32, "%s", info.name);
			if (which == REN_ACCELERATED) {
				pgt_renderer_gl_name(pr.ren, acc_gl, sizeof(acc_gl));
				if (strcmp(acc_ren, g_renderer) != 0)
					ar = bench_render(&big, fonts, &th, &pr, surf, true, true);
			}
		}
		present_close(&pr);
		if (surf)
			SDL_FreeSurface(surf);
	}
	/* Export figures on the largest scenario at 1920x1080. */
	double png = big.ok ? bench_png(&big, fonts, &th, 1920, 1080, 30) : 0;
	double fe = 0, ff = 0;
	bool have_ffmpeg = pgt_have_program("ffmpeg");
	bool mp4 = have_ffmpeg && big.ok && bench_mp4(&big, fonts, &th, 1920, 1080, 60, &fe, &ff);
	/* issue 15's export target as the user runs it: a 30 s 1080p clip (10 s
	 * with --quick) of the gallery scenario whose frames cost the most */
	static const char clip_scn[] = "xen-live-patient";
	int clip_s = quick ? 10 : 30;
	double cw = 0, cc = 0;
	bool clip = have_ffmpeg && bench_clip(clip_scn, clip_s, &cw, &cc);
	if (json) {
		fprintf(out, "\n    ],\n    \"renderer\": \"%s\",", g_renderer);
		fprintf(out, "\n    \"framebuffer_acceleration\": \"%s\",", fb_accel);
		fprintf(out,
		        "\n    \"window_renderer\": \"%s\",\n    \"accelerated_renderer\": "
		        "{\"name\": \"%s\", \"gl_renderer\": \"%s\", "
		        "\"fps_64tib_1920x1080_moving\": %.1f, \"cpu_ms\": %.2f},",
		        win_ren, acc_ren, acc_gl, ar.fps, ar.cpu_ms);
		fprintf(out, "\n    \"export_1920x1080\": {\"png_fps\": %.1f", png);
		if (mp4)
			fprintf(
			    out,
			    ", \"mp4_fps\": %.1f, \"ffmpeg_only_fps\": %.1f, \"mp4_ratio\": %.2f}",
			    fe, ff, ff > 0 ? fe / ff : 0);
		else
			fprintf(out, ", \"mp4\": \"skipped: %s\"}",
			        have_ffmpeg ? "ffmpeg failed" : "ffmpeg not on PATH");
		if (clip)
			fprintf(out,
			        ",\n    \"mp4_clip\": {\"scenario\": \"%s\", \"seconds\": %d, "
			        "\"fps\": 30, \"width\": 1920, \"height\": 1080, \"frames\": %d, "
			        "\"wall_s\": %.2f, \"cpu_s\": %.2f}",
			        clip_scn, clip_s, clip_s * 30, cw, cc);
		else
			fprintf(out, ",\n    \"mp4_clip\": \"skipped: %s\"",
			        have_ffmpeg ? "export failed" : "ffmpeg not on PATH");
		fprintf(out, "\n  }");
	} else {
		fprintf(out,
		        "cpu: CPU time of the drawing thread per frame (wall time on a loaded\n"
		        "machine is mostly waiting); bare: clear + upload + present alone\n"
		        "(the whole frame; rendered frames upload only what changed);\n"
		        "ratio: mean frame time / mean bare time of the same size;\n"
		        "draw: building the draw list + rasterizing, without upload and present\n");
		fprintf(out, "SDL renderer measured: %s\n", g_renderer);
		fprintf(out, "The window's renderer on this machine: %s\n", win_ren);
		fprintf(out, "SDL's first accelerated renderer here: %s%s%s%s", acc_ren,
		        acc_gl[0] ? " (GL: " : "", acc_gl, acc_gl[0] ? ")" : "");
		if (ar.fps > 0)
			fprintf(out,
			        "; 64 TiB 1920x1080 moving through it: %.1f fps, cpu %.2f ms\n",
			        ar.fps, ar.cpu_ms);
		else
			fprintf(out, "\n");
		fprintf(out,
		        "Window surface: SDL_FRAMEBUFFER_ACCELERATION=%s (0: the video driver's "
		        "own framebuffer, no GL texture in between)\n",
		        fb_accel);
		fprintf(out,
		        "Uploaded per frame (only the changed rectangles; share of the frame's "
		        "pixels):\n%s\n",
		        g_upl);
		fprintf(out, "\nExport, 64 TiB scenario at 1920x1080\n");
		fprintf(out, "PNG frames (render + encode + write): %.1f frames/s\n", png);
		if (mp4)
			fprintf(
			    out,
			    "MP4 (render + YUV + pipe to ffmpeg, libx264 veryfast): %.1f frames/s; "
			    "ffmpeg "
			    "alone on the same YUV frames from a pipe: %.1f frames/s; ratio %.2f\n",
			    fe, ff, ff > 0 ? fe / ff : 0);
		else
			fprintf(out, "MP4: skipped (%s)\n",
			        have_ffmpeg ? "ffmpeg failed" : "ffmpeg not on PATH");
		if (clip)
			fprintf(out,
			        "MP4 clip as the user runs it (`pgtviz export %s --duration %d "
			        "--fps 30 --size 1920x1080`, %d frames): %.2f s wall, %.2f s CPU "
			        "(pgtviz + ffmpeg; target: a 30 s clip in < 30 s wall)\n",
			        clip_scn, clip_s, clip_s * 30, cw, cc);
		else
			fprintf(out, "MP4 clip: skipped (%s)\n",
			        have_ffmpeg ? "the export failed" : "ffmpeg not on PATH");
	}
	scene_close(&big);
	pgt_fonts_close(fonts);
	SDL_Quit();
}
