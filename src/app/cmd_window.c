/*
 * `pgtviz window`: the interactive viewer.
 *
 * Initialization -> loop { poll events -> update -> draw } -> shutdown
 * (raylib's layout).  Events become pgt_input_event values handled by the
 * SDL-free input layer; drawing builds the draw list (view.c), rasterizes it
 * into an ARGB8888 surface of the window's *drawable* size (HiDPI-correct)
 * and uploads that surface as a texture, so the window shows exactly the
 * pixels `pgtviz export` writes.  The simulation runs once per scenario;
 * frames only read its results.
 */
#include "commands.h"
#include "opts.h"

#include "pgtviz/camera.h"
#include "pgtviz/export.h"
#include "pgtviz/input.h"
#include "pgtviz/inspect.h"
#include "pgtviz/logcheck.h"
#include "pgtviz/picker.h"
#include "pgtviz/recent.h"
#include "pgtviz/render.h"
#include "pgtviz/screen.h"

#include <SDL.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Command-line options of the window. */
typedef struct window_opts {
	const char *scenario; /* SCENARIO (default pc-4g) */
	const char *schemes;  /* --schemes */
	const char *kver;     /* --kernel */
	pgt_pane_spec all;    /* --xen, --xen-rule, --sizing, ... for every pane */
	const char *theme;    /* --theme */
	const char *font;     /* --font */
	int w, h;             /* --size (window size in screen coordinates) */
	bool sized;           /* --size was given (else the default fits the screen) */
	float scale;          /* --ui-scale */
	uint64_t view[2];     /* --view START..END (view[1] = 0: none) */
	bool view_done;       /* the first frame applied --view */
	const char *title;    /* --title TEXT (the command line's scenario only) */
} window_opts;

/* --view START..END */
static bool opt_view(void *dest, const char *v, char *msg, size_t size)
{
	uint64_t *r = dest;
	return pgt_cam_parse_range(v, &r[0], &r[1], msg, size);
}

/* Everything the running window owns. */
typedef struct app {
	window_opts o;
	pgt_session *s; /* scenario, runs, view model (on the heap; NULL: none yet) */
	pgt_theme theme;
	pgt_fonts *fonts;
	pgt_drawlist dl;
	pgt_view_layout lay;
	pgt_viewstate vs;
	pgt_pick_list picker;  /* scenario picker rows */
	pgt_pane_spec spec[2]; /* what the panes run (kept across loads) */
	int nspec;             /* 0: from --schemes / the scenario at each load */
	char watch[4096];      /* scenario file reloaded when it changes ("": none) */
	pgt_file_stamp stamp;  /* how it looked when loaded */
	double next_poll;      /* time of the next look at it */
	bool retry_reload;     /* the last reload failed: try once more */
	SDL_Window *win;
	SDL_Renderer *ren;
	pgt_screen screen; /* texture + what changed since the last frame */
	SDL_Surface *surf;
	int dw, dh;         /* drawable size (device pixels) */
	float px_per_pt;    /* drawable / window size */
	double frame_total; /* seconds spent building+rasterizing */
	double frame_max;
	unsigned frames;
	bool quit;           /* a quit request arrived: leave the loop */
	pgt_diags dg;        /* problems of the action under way (settle() reports them) */
	char why[240];       /* the first error of the last settled action */
	pgt_inspect insp;    /* the inspector's data ('i') */
	pgt_dmesg check_log; /* the log the check panel ('d') compares (have_check) */
	pgt_logcheck check;  /* its check (have_check) */
	bool have_check;     /* check_log and check hold the scenario's log */
	pgt_recent recent;   /* recently opened files (the picker's first rows) */
	bool recent_failed;  /* saving them failed once (warned; not tried again) */
} app;

static void usage(FILE *f)
{
	fputs("usage: pgtviz [window] [SCENARIO] [options]\n"
	      "\n"
	      "Opens the interactive viewer (SCENARIO: built-in name, scenario JSON or dmesg\n"
	      "log; default pc-4g).  Press ? in the window for every key binding; s saves a\n"
	      "PNG, e a clip (pgtviz export --help: slides and clips from the command line).\n"
	      "\n"
	      "  --schemes A,B           schemes side by side (default: the scenario's, or\n"
	      "                          old,new), each optionally with a version model:\n"
	      "                          old@3.0,new@3.19\n"
	      "  --kernel VER            version model of the scheme of that era (e.g. 3.8,\n"
	      "                          3.9)\n" APP_PANE_OPTS_USAGE
	      "  --theme NAME            dark | light | cb, or a .theme file (default dark)\n"
	      "  --font PATH             TTF font for all text\n"
	      "  --size WxH|NAME         window size, or 720p, 1080p, 1440p, 4k (default\n"
	      "                          1600x900, less on a smaller screen)\n"
	      "  --ui-scale F            scale text and marks (default 1)\n"
	      "  --view START..END       start zoomed on this address range\n"
	      "                          (0x7e000000..0x7f000000, 2G..3G), camera off\n"
	      "  --title TEXT            the title over the panes while SCENARIO is open\n"
	      "                          ('' for none)\n",
	      f);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The window's size without --size: 1600x900, or less, in the same
 * proportion, where the screen's usable area is smaller (a 1280x720
 * projector as the only display put the window's title bar and edges off
 * screen). */
enum { DEFAULT_W = 1600, DEFAULT_H = 900 };

static void fit_default_size(window_opts *o)
{
	SDL_Rect r;
	if (o->sized || SDL_GetDisplayUsableBounds(0, &r) != 0 || r.w <= 0 || r.h <= 0)
		return;
	/* room for the window manager's frame and title bar */
	double sw = r.w * 0.92 / DEFAULT_W, sh = (r.h * 0.92 - 40) / DEFAULT_H;
	double k = sw < sh ? sw : sh;
	if (k >= 1.0)
		return;
	o->w = (int)(DEFAULT_W * k);
	o->h = (int)(DEFAULT_H * k);
	if (o->w < 320 || o->h < 240) {
		o->w = 320;
		o->h = 240;
	}
}

static int parse_args(int argc, char **argv, window_opts *o)
{
	*o = (window_opts){.scenario = "pc-4g", .theme = "dark", .w = 0, .h = 0, .scale = 1.0f};
	const app_opt opts[] = {
	    APP_OPT("--schemes", OPT_STR, &o->schemes),
	    APP_OPT("--kernel", OPT_STR, &o->kver),
	    APP_PANE_OPTS(&o->all),
	    APP_OPT("--theme", OPT_STR, &o->theme),
	    APP_OPT("--font", OPT_STR, &o->font),
	    APP_OPT("--size", OPT_WXH, &o->w, .dest2 = &o->h, .lo = 320, .hi = 16384, .lo2 = 240,
	            .hi2 = 16384),
	    APP_OPT("--ui-scale", OPT_FLOAT, &o->scale, .dlo = 0.25, .dhi = 4),
	    APP_OPT("--view", OPT_CUSTOM, o->view, .fn = opt_view),
	    APP_OPT("--title", OPT_TEXT, &o->title, .hi = PGT_TITLE_MAX),
	};
	/* `pgtviz window ...` says "pgtviz window: error: ...", `pgtviz ...` (the
	 * window without its name, main.c) "pgtviz: error: ...". */
	const char *prefix =
	    argc > 0 && argv[0] && strcmp(argv[0], "window") == 0 ? "pgtviz window" : "pgtviz";
	const app_cmd cmd = {prefix, opts, sizeof(opts) / sizeof(opts[0]), &o->scenario, 1, usage};
	int r = app_parse(&cmd, argc, argv);
	if (r)
		return r == 1 ? 0 : r;
	o->sized = o->w != 0;
	if (!o->sized) {
		o->w = DEFAULT_W;
		o->h = DEFAULT_H;
	}
	char msg[160];
	if (o->kver && !pgt_kver_check(o->kver, msg, sizeof(msg)))
		return app_error(cmd.prefix, "--kernel %s", msg);
	pgt_pane_spec spec[2];
	int n;
	pgt_pane_args pa = {.schemes = o->schemes, .kver = o->kver, .all = o->all};
	if (o->schemes && !app_flush(pgt_parse_panes(&pa, NULL, spec, &n, app_diags())))
		return 2; /* checked before the display is needed */
	return -1;
}

static void set_title(app *a)
{
	char title[600], head[512];
	pgt_view_title(&a->s->model, &a->vs, head, sizeof(head));
	snprintf(title, sizeof(title), "pgtviz - %s",
	         head[0]         ? head
	         : a->s->sc.name ? a->s->sc.name
	                         : "scenario");
	if (a->win)
		SDL_SetWindowTitle(a->win, title);
}

/* The file behind a scenario argument, for reloading ("" for a built-in
 * name or standard input): the path itself, else the scenario directory's
 * NAME.json (the lookup of app_load_scenario). */
static void watch_path(const char *arg, char *out, size_t size)
{
	struct stat st;
	out[0] = '\0';
	if (pgt_builtin_find(arg) >= 0 || strcmp(arg, "-") == 0)
		return;
	if (stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
		snprintf(out, size, "%s", arg);
		return;
	}
	size_t n = strlen(arg);
	bool ext = n > 5 && strcmp(arg + n - 5, ".json") == 0;
	char p[4096];
	int w = snprintf(p, sizeof(p), "%s/%s%s", app_scenario_dir(), arg, ext ? "" : ".json");
	if (!strchr(arg, '/') && w > 0 && (size_t)w < sizeof(p) && stat(p, &st) == 0 &&
	    S_ISREG(st.st_mode))
		snprintf(out, size, "%s", p);
}

/* After an action that collected diagnostics in a->dg: every one goes to
 * the terminal, the first error (and how many there were) is kept in
 * a->why for the status bar, and a->dg is emptied.  Returns ok. */
static bool settle(app *a, bool ok)
{
	pgt_diags_print(&a->dg, stderr);
	char first[200];
	if (pgt_diags_first(&a->dg, PGT_DIAG_ERROR, first, sizeof(first))) {
		if (a->dg.errors > 1)
			snprintf(a->why, sizeof(a->why), "%.190s (and %zu more in the terminal)",
			         first, a->dg.errors - 1);
		else
			snprintf(a->why, sizeof(a->why), "%s", first);
	} else {
		snprintf(a->why, sizeof(a->why), "details in the terminal");
	}
	pgt_diags_free(&a->dg);
	return ok;
}

/* Takes over a started session (it stays where it is, on the heap). */
static void adopt_session(app *a, pgt_session *ns)
{
	pgt_session_free(a->s);
	a->s = ns;
	for (int i = 0; i < a->s->nsims; i++)
		a->spec[i] = a->s->spec[i];
	a->nspec = a->s->nsims;
	if (a->vs.focus >= a->s->nsims)
		a->vs.focus = 0;
}

/* Forgets the check of the previous scenario's log. */
static void drop_check(app *a)
{
	if (a->have_check) {
		pgt_logcheck_free(&a->check);
		pgt_dmesg_free(&a->check_log);
	}
	a->have_check = false;
	a->vs.check = NULL;
}

/* The check panel ('d'): checks the scenario's file if it is a dmesg log
 * (once per load); says why not in the status bar otherwise. */
static void do_check(app *a)
{
	if (a->have_check) {
		a->vs.check = &a->check;
		return;
	}
	int r = a->watch[0] ? pgt_logcheck_file(a->watch, &a->check_log, &a->check, &a->dg) : 0;
	settle(a, r >= 0);
	if (r == 1) {
		a->have_check = true;
		a->vs.check = &a->check;
		snprintf(a->vs.status, sizeof(a->vs.status), "check: %zu of %zu %s match",
		         a->check.matched, a->check.n_log, pgt_lc_what(&a->check));
		return;
	}
	a->vs.show_check = false;
	if (r == 0)
		snprintf(a->vs.status, sizeof(a->vs.status),
		         "d compares a dmesg log with the simulation: open a log (o, or drop it)");
	else
		snprintf(a->vs.status, sizeof(a->vs.status), "check failed: %.200s", a->why);
}

/* The picker's recent rows again, each file's state looked at now. */
static void refresh_recent(app *a)
{
	if (!pgt_pick_list_add_recent(&a->picker, &a->recent))
		pgt_diags_error(&a->dg, "out of memory listing recent files");
	a->vs.pick_count = (int)a->picker.n;
}

/* A file opened (not a reload, not a built-in, not one of the gallery's
 * files, which the picker lists anyway) goes first in the recent files. */
static void remember(app *a, const char *path)
{
	const char *dir = app_scenario_dir();
	size_t n = strlen(dir);
	if (!path[0] ||
	    (strncmp(path, dir, n) == 0 && path[n] == '/' && !strchr(path + n + 1, '/')))
		return;
	if (pgt_recent_add(&a->recent, path)) {
		/* an unwritable state directory: one warning, then the list is
		 * kept for this run only */
		if (!a->recent_failed && !pgt_recent_save(&a->recent, NULL, &a->dg))
			a->recent_failed = a->dg.n > 0;
		refresh_recent(a);
	}
}

/* Loads a scenario and runs it; replaces the current session on success.
 * keep: a reload of the same file (keeps the panes' schemes and versions,
 * the position, zoom and selection); else a new scenario starts at step 0
 * with --schemes / --kernel (or the scenario's pair).  Problems go to a->dg
 * (the caller settles them). */
static bool load_session(app *a, const char *arg, bool keep)
{
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	char path[4096];
	watch_path(arg, path, sizeof(path));
	pgt_file_stamp stamp = pgt_file_stamp_of(path[0] ? path : NULL);
	if (!app_load_scenario(arg, &sc, &a->dg))
		return false;
	pgt_scenario_add_file_notes(&sc, app_scenario_dir());
	pgt_pane_args pa = {.schemes = a->o.schemes, .kver = a->o.kver, .all = a->o.all};
	pgt_session *ns = keep && a->nspec ? pgt_session_start_specs(&sc, a->spec, a->nspec, &a->dg)
	                                   : pgt_session_start_args(&sc, &pa, &a->dg);
	if (!ns)
		return false;
	if (!keep && a->s)
		a->vs.title = NULL; /* --title named the command line's scenario */
	size_t old_step = a->vs.step;
	size_t old_last = a->s && a->s->model.nsteps ? a->s->model.nsteps - 1 : 0;
	double old_prog =
	    a->s ? pgt_view_progress(&a->s->model, 0, pgt_view_pane_at(&a->s->model, &a->vs, 0))
	         : 0;
	adopt_session(a, ns);
	snprintf(a->watch, sizeof(a->watch), "%s", path);
	a->stamp = stamp;
	drop_check(a);
	if (!keep)
		remember(a, path);
	if (a->vs.show_check)
		do_check(a); /* a reload, or another log, with the panel open */
	a->vs.playing = false;
	a->vs.run_to_marker = false;
	a->vs.unlocked = false;
	a->vs.flash = 0;
	if (keep) {
		a->vs.step = pgt_session_keep_position(&a->s->model, old_step, old_last, old_prog);
		if (a->vs.sel_pane >= a->s->model.npanes ||
		    (a->vs.sel_pane >= 0 &&
		     a->vs.sel_table >= a->s->model.pane[a->vs.sel_pane].ntab &&
		     a->vs.sel_table != UINT32_MAX)) {
			a->vs.sel_pane = -1;
			a->vs.sel_table = UINT32_MAX;
		}
	} else {
		a->vs.step = 0;
		a->vs.sel_pane = -1;
		a->vs.sel_table = UINT32_MAX;
		a->vs.sel_has_addr = false;
		a->vs.range_start = SIZE_MAX;
		a->vs.pane[0] = a->vs.pane[1] = (pgt_pane_view){0, 0};
	}
	if (a->vs.range_start != SIZE_MAX && a->vs.range_start >= a->s->model.nsteps)
		a->vs.range_start = SIZE_MAX;
	set_title(a);
	return true;
}

/* Reload on change: looks at the scenario file about twice a second and
 * reloads it when its time or size changed.  A file that does not load
 * (half-written, a typo) keeps the old scenario and says why. */
static bool poll_reload(app *a, double now)
{
	if (!a->watch[0] || now < a->next_poll)
		return false;
	a->next_poll = now + 0.5;
	pgt_file_stamp st = pgt_file_stamp_of(a->watch);
	bool retry = a->retry_reload && st.exists;
	a->retry_reload = false;
	if (!pgt_file_stamp_changed(&a->stamp, &st) && !retry)
		return false;
	a->stamp = st; /* after a failure: one more try, then wait for a change */
	char path[4096];
	snprintf(path, sizeof(path), "%s", a->watch);
	if (settle(a, load_session(a, path, true))) {
		snprintf(a->vs.status, sizeof(a->vs.status), "reloaded %.200s (file changed)",
		         path);
	} else {
		/* Caught half-written?  Look once more at the next poll. */
		a->retry_reload = !retry;
		snprintf(a->vs.status, sizeof(a->vs.status),
		         "reload failed, showing the previous version: %.180s", a->why);
	}
	return true;
}

/* Re-runs one pane with another scheme / version model (c, v). */
static void rerun_pane(app *a, const pgt_request *rq)
{
	pgt_pane_spec spec = pgt_session_respec(a->s, rq->pane, rq->scheme, rq->kver);
	if (settle(a, pgt_session_rerun_view(a->s, &a->vs, rq->pane, spec, &a->dg)))
		a->spec[rq->pane] = spec;
	else
		snprintf(a->vs.status, sizeof(a->vs.status), "could not run that model: %.200s",
		         a->why);
}

/* (Re)creates the surface and texture at the drawable size. */
static bool resize(app *a)
{
	int dw, dh, ww, wh;
	SDL_GetRendererOutputSize(a->ren, &dw, &dh);
	SDL_GetWindowSize(a->win, &ww, &wh);
	if (dw == a->dw && dh == a->dh && a->surf)
		return true;
	if (a->surf)
		SDL_FreeSurface(a->surf);
	pgt_screen_close(&a->screen);
	a->dw = dw;
	a->dh = dh;
	a->px_per_pt = ww > 0 ? (float)dw / (float)ww : 1.0f;
	a->surf = pgt_raster_surface(dw, dh);
	return pgt_screen_open(&a->screen, a->ren, dw, dh) && a->surf;
}

static void draw(app *a)
{
	double t0 = now_s();
	pgt_view_params p = {a->dw,    a->dh, &a->theme,  pgt_fonts_measure,
	                     a->fonts, true,  &a->picker, &a->s->cache,
	                     NULL,     0};
	p.help = pgt_input_help(&p.nhelp);
	if (a->vs.show_inspect && a->vs.sel_pane >= 0 && a->vs.sel_table != UINT32_MAX) {
		/* the inspector: the selected page at the step its pane shows */
		size_t ev = pgt_view_pane_at(&a->s->model, &a->vs, a->vs.sel_pane);
		a->vs.inspect =
		    pgt_inspect_update(&a->insp, a->s, a->vs.sel_pane, a->vs.sel_table, ev)
		        ? &a->insp
		        : NULL;
	}
	pgt_view_build(&a->dl, &a->lay, &a->s->model, &a->vs, &p);
	if (a->o.view[1] && !a->o.view_done) {
		/* --view: rows of a round span from START, in this frame's geometry */
		a->o.view_done = true;
		a->vs.follow = false;
		for (int i = 0; i < a->lay.npanes && i < 2; i++)
			a->vs.pane[i] = pgt_cam_fit(&a->lay.pane[i].cam, a->o.view[0], a->o.view[1],
			                            a->s->model.addr_top);
		pgt_view_build(&a->dl, &a->lay, &a->s->model, &a->vs, &p);
	}
	pgt_raster_draw(a->surf, &a->dl, a->fonts);
	double dt = now_s() - t0;
	a->frame_total += dt;
	if (dt > a->frame_max)
		a->frame_max = dt;
	a->frames++;
	pgt_screen_present(&a->screen, a->surf);
}

static void save_png(app *a)
{
	char name[64] = "scenario", path[256];
	const char *n = a->s->sc.name ? a->s->sc.name : "scenario";
	size_t k = 0;
	for (; *n && k + 1 < sizeof(name); n++)
		name[k++] = (*n == '/' || *n == ' ') ? '_' : *n;
	name[k] = '\0';
	snprintf(path, sizeof(path), "pgtviz-%s_step-%04zu.png", name, a->vs.step);
	/* Save what is on screen, without the status line's old message. */
	if (settle(a, pgt_write_png(path, a->surf, &a->dg)))
		snprintf(a->vs.status, sizeof(a->vs.status),
		         "saved %.180s (in the current directory)", path);
	else
		snprintf(a->vs.status, sizeof(a->vs.status), "could not save: %.200s", a->why);
}

static void set_status(app *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Sets the status bar message (cut to fit). */
static void set_status(app *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->vs.status, sizeof(a->vs.status), fmt, ap);
	va_end(ap);
}

/* `e`: exports the step range with the settings of the last `pgtviz
 * export` (default GIF 800x450, light) into the current directory. */
static void export_range(app *a)
{
	size_t from, to;
	pgt_input_export_range(&a->vs, &a->s->model, &from, &to);
	pgt_export_prefs pr;
	pgt_export_prefs_default(&pr);
	pgt_export_prefs_load(&pr, &a->dg);
	char note[96] = "";
	if (pgt_export_format_single(pr.format)) {
		pr.format = PGT_FMT_PNGSEQ; /* a range: one PNG per step */
		snprintf(note, sizeof(note), " (a range: PNG sequence)");
	}
	if ((pr.format == PGT_FMT_MP4 || pr.format == PGT_FMT_WEBM) &&
	    !pgt_have_program("ffmpeg")) {
		pr.format = PGT_FMT_GIF;
		snprintf(note, sizeof(note), " (no ffmpeg: GIF)");
	}
	pgt_theme th;
	if (!pgt_theme_load(&th, pr.theme, &a->dg)) {
		pgt_theme_load(&th, "light", &a->dg);
		snprintf(pr.theme, sizeof(pr.theme), "light");
	}
	char name[64], out[512], cwd[4096];
	pgt_export_safe_name(&a->s->sc, a->o.scenario, name, sizeof(name));
	static const char *const ext[PGT_FMT_COUNT] = {".png", "", ".gif", ".mp4", ".webm", ".svg"};
	snprintf(out, sizeof(out), "pgtviz-%s_steps-%04zu-%04zu%s", name, from, to, ext[pr.format]);
	size_t n = to - from + 1;
	size_t *steps = malloc(n * sizeof(*steps));
	if (!steps) {
		snprintf(a->vs.status, sizeof(a->vs.status), "export: out of memory");
		return;
	}
	for (size_t i = 0; i < n; i++)
		steps[i] = from + i;
	pgt_export_job j = {.out = out,
	                    .format = pr.format,
	                    .w = pr.w,
	                    .h = pr.h,
	                    .theme = &th,
	                    .fonts = a->fonts,
	                    .base = &a->vs,
	                    .fps = pr.fps,
	                    .hold = 1.0,
	                    .steps = steps,
	                    .nsteps = n,
	                    .name = name,
	                    .progress = false};
	bool ok = settle(a, pgt_export_run(&j, &a->s->model, &a->dg));
	free(steps);
	if (!getcwd(cwd, sizeof(cwd)))
		snprintf(cwd, sizeof(cwd), ".");
	const char *tb = strrchr(pr.theme, '/') ? strrchr(pr.theme, '/') + 1 : pr.theme;
	if (ok)
		set_status(a,
		           "exported steps %zu..%zu (%zu frames, %s %dx%d, %s theme%s) to %s/%s%s",
		           from, to, n, pgt_export_format_name(pr.format), pr.w, pr.h, tb, note,
		           cwd, out, pr.format == PGT_FMT_PNGSEQ ? "/" : "");
	else
		snprintf(a->vs.status, sizeof(a->vs.status),
		         "export of steps %zu..%zu failed: %.200s", from, to, a->why);
}

static void cycle_theme(app *a)
{
	int next = (a->vs.theme_index + 1) % PGT_THEME_COUNT;
	pgt_theme t;
	if (settle(a, pgt_theme_load(&t, pgt_theme_name(next), &a->dg))) {
		a->theme = t;
		a->vs.theme_index = next;
		snprintf(a->vs.status, sizeof(a->vs.status), "theme: %s", t.name);
	}
}

/* SDL keys -> enum pgt_key (what the bindings of input.c are written in). */
static const struct {
	SDL_Keycode sdl; /* SDL key */
	bool shift;      /* only with Shift */
	int key;         /* enum pgt_key */
} sdl_keys[] = {
    {SDLK_SPACE, false, PGT_KEY_SPACE},
    {SDLK_LEFT, false, PGT_KEY_LEFT},
    {SDLK_RIGHT, false, PGT_KEY_RIGHT},
    {SDLK_UP, false, PGT_KEY_UP},
    {SDLK_DOWN, false, PGT_KEY_DOWN},
    {SDLK_PAGEUP, false, PGT_KEY_PAGEUP},
    {SDLK_PAGEDOWN, false, PGT_KEY_PAGEDOWN},
    {SDLK_HOME, false, PGT_KEY_HOME},
    {SDLK_END, false, PGT_KEY_END},
    {SDLK_PLUS, false, PGT_KEY_PLUS},
    {SDLK_KP_PLUS, false, PGT_KEY_PLUS},
    {SDLK_EQUALS, false, PGT_KEY_PLUS},
    {SDLK_MINUS, false, PGT_KEY_MINUS},
    {SDLK_KP_MINUS, false, PGT_KEY_MINUS},
    {SDLK_0, false, PGT_KEY_ZERO},
    {SDLK_KP_0, false, PGT_KEY_ZERO},
    {SDLK_ESCAPE, false, PGT_KEY_ESCAPE},
    {SDLK_QUESTION, false, PGT_KEY_QUESTION},
    {SDLK_SLASH, true, PGT_KEY_QUESTION},
    {SDLK_F1, false, PGT_KEY_QUESTION},
    {SDLK_t, false, PGT_KEY_T},
    {SDLK_s, false, PGT_KEY_S},
    {SDLK_q, false, PGT_KEY_Q},
    {SDLK_TAB, false, PGT_KEY_TAB},
    {SDLK_LEFTBRACKET, false, PGT_KEY_LBRACKET},
    {SDLK_RIGHTBRACKET, false, PGT_KEY_RBRACKET},
    {SDLK_l, false, PGT_KEY_L},
    {SDLK_g, false, PGT_KEY_G},
    {SDLK_o, false, PGT_KEY_O},
    {SDLK_F2, false, PGT_KEY_O},
    {SDLK_RETURN, false, PGT_KEY_ENTER},
    {SDLK_KP_ENTER, false, PGT_KEY_ENTER},
    {SDLK_e, false, PGT_KEY_E},
    {SDLK_m, false, PGT_KEY_M},
    {SDLK_n, false, PGT_KEY_N},
    {SDLK_c, false, PGT_KEY_C},
    {SDLK_v, false, PGT_KEY_V},
    {SDLK_BACKSPACE, false, PGT_KEY_BACKSPACE},
    {SDLK_f, false, PGT_KEY_F},
    {SDLK_i, false, PGT_KEY_I},
    {SDLK_d, false, PGT_KEY_D},
    {SDLK_PERIOD, false, PGT_KEY_PERIOD},
    {SDLK_COMMA, false, PGT_KEY_COMMA},
};

static int map_key(SDL_Keycode k, uint16_t mod)
{
	for (size_t i = 0; i < sizeof(sdl_keys) / sizeof(sdl_keys[0]); i++)
		if (sdl_keys[i].sdl == k && (!sdl_keys[i].shift || (mod & KMOD_SHIFT)))
			return sdl_keys[i].key;
	return PGT_KEY_NONE;
}

/* Saves the current view without tooltip or status message. */
static void save_view(app *a)
{
	bool hv = a->vs.hover;
	a->vs.hover = false;
	a->vs.status[0] = '\0';
	pgt_view_params p = {a->dw,    a->dh, &a->theme,  pgt_fonts_measure,
	                     a->fonts, true,  &a->picker, &a->s->cache,
	                     NULL,     0};
	p.help = pgt_input_help(&p.nhelp);
	pgt_view_build(&a->dl, &a->lay, &a->s->model, &a->vs, &p);
	pgt_raster_draw(a->surf, &a->dl, a->fonts);
	save_png(a);
	a->vs.hover = hv;
}

/* Opens a file (drop, typed path) or a picker row. */
static void open_request(app *a, const pgt_request *rq)
{
	if (rq->path) {
		char path[4096];
		bool typed = rq->path == a->vs.pick_path;
		if (strlen(rq->path) >= sizeof(path)) { /* a dropped path: never cut */
			snprintf(a->vs.status, sizeof(a->vs.status),
			         "could not load a path of %zu bytes: longer than the system's "
			         "%zu-byte limit (PATH_MAX)",
			         strlen(rq->path), sizeof(path) - 1);
			return;
		}
		snprintf(path, sizeof(path), "%s", rq->path); /* may be pick_path itself */
		if (settle(a, load_session(a, path, false))) {
			snprintf(a->vs.status, sizeof(a->vs.status), "loaded %.200s", path);
			if (typed) {
				a->vs.pick_path[0] = '\0';
				a->vs.pick_path_cut = false;
			}
		} else {
			snprintf(a->vs.status, sizeof(a->vs.status), "could not load %.60s: %.170s",
			         path, a->why);
			a->vs.show_picker = typed; /* the typed path stays, to be corrected */
		}
		return;
	}
	int i = rq->row;
	if (i < 0 || (size_t)i >= a->picker.n)
		return;
	const pgt_pick_item *it = &a->picker.v[i];
	if (it->recent && pgt_recent_state_of(it->arg) != PGT_RECENT_OK) {
		/* a recent file that moved: say so, the picker stays open */
		bool gone = pgt_recent_state_of(it->arg) == PGT_RECENT_MISSING;
		snprintf(a->vs.status, sizeof(a->vs.status), "%.60s %s: %.150s", it->name,
		         gone ? "is no longer there" : "cannot be read", it->arg);
		refresh_recent(a);
		a->vs.show_picker = true;
		return;
	}
	char arg[sizeof(it->arg)], name[sizeof(it->name)];
	snprintf(arg, sizeof(arg), "%s", it->arg);
	snprintf(name, sizeof(name), "%s", it->name); /* the load reorders the rows */
	if (settle(a, load_session(a, arg, false)))
		snprintf(a->vs.status, sizeof(a->vs.status), "opened %.200s", name);
	else
		snprintf(a->vs.status, sizeof(a->vs.status), "could not open %.60s: %.170s", arg,
		         a->why);
}

/* The window's one switch over what the input layer asks of it. */
static void do_request(app *a, const pgt_request *rq)
{
	switch (rq->kind) {
	case PGT_REQ_NONE:
		break;
	case PGT_REQ_QUIT:
		a->quit = true;
		break;
	case PGT_REQ_THEME:
		cycle_theme(a);
		break;
	case PGT_REQ_SAVE:
		save_view(a);
		break;
	case PGT_REQ_EXPORT: {
		size_t from, to;
		pgt_input_export_range(&a->vs, &a->s->model, &from, &to);
		set_status(a, "exporting steps %zu..%zu ...", from, to);
		draw(a); /* shows it while the export runs */
		export_range(a);
		break;
	}
	case PGT_REQ_OPEN:
		open_request(a, rq);
		break;
	case PGT_REQ_RERUN:
		rerun_pane(a, rq);
		break;
	case PGT_REQ_CHECK:
		do_check(a);
		break;
	default:
		break;
	}
}

/* Translates one SDL event; returns true if the frame must be redrawn. */
static bool handle_event(app *a, const SDL_Event *e)
{
	pgt_input_event in = {0};
	float s = a->px_per_pt;
	switch (e->type) {
	case SDL_QUIT: {
		pgt_request rq = {.kind = PGT_REQ_QUIT};
		do_request(a, &rq);
		return false;
	}
	case SDL_KEYDOWN:
		in.type = PGT_IN_KEY;
		in.key = map_key(e->key.keysym.sym, e->key.keysym.mod);
		in.shift = (e->key.keysym.mod & KMOD_SHIFT) != 0;
		if (in.key == PGT_KEY_NONE)
			return false;
		a->vs.status[0] = '\0';
		break;
	case SDL_TEXTINPUT:
		in.type = PGT_IN_TEXT;
		snprintf(in.text, sizeof(in.text), "%s", e->text.text);
		break;
	case SDL_MOUSEWHEEL: {
		int mx, my;
		SDL_GetMouseState(&mx, &my);
		in = (pgt_input_event){.type = PGT_IN_WHEEL,
		                       .x = (int)((float)mx * s),
		                       .y = (int)((float)my * s),
		                       .wheel = e->wheel.y};
		if (e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED)
			in.wheel = -in.wheel;
		break;
	}
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		if (e->button.button != SDL_BUTTON_LEFT)
			return false;
		in = (pgt_input_event){.type =
		                           e->type == SDL_MOUSEBUTTONDOWN ? PGT_IN_DOWN : PGT_IN_UP,
		                       .x = (int)((float)e->button.x * s),
		                       .y = (int)((float)e->button.y * s)};
		break;
	case SDL_MOUSEMOTION:
		in = (pgt_input_event){.type = PGT_IN_MOTION,
		                       .x = (int)((float)e->motion.x * s),
		                       .y = (int)((float)e->motion.y * s)};
		break;
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_LEAVE) {
			in.type = PGT_IN_LEAVE;
			break;
		}
		if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
		    e->window.event == SDL_WINDOWEVENT_EXPOSED) {
			pgt_screen_invalidate(&a->screen); /* the next frame goes up whole */
			return resize(a) || true;
		}
		return false;
	case SDL_DROPFILE: {
		pgt_request rq = {.kind = PGT_REQ_OPEN, .path = e->drop.file};
		do_request(a, &rq);
		SDL_free(e->drop.file);
		return true;
	}
	default:
		return false;
	}
	bool picker_was_open = a->vs.show_picker, goto_was_open = a->vs.show_goto;
	pgt_request rq = pgt_input_handle(&a->vs, &a->s->model, &a->lay, &in);
	/* The key that opened the picker or the go-to prompt also queued its
	 * text ("o", "g"): not part of what is typed. */
	if (a->vs.show_goto && !goto_was_open)
		SDL_FlushEvent(SDL_TEXTINPUT);
	if (a->vs.show_picker && !picker_was_open) {
		SDL_FlushEvent(SDL_TEXTINPUT);
		refresh_recent(a); /* files may have moved since the list was built */
		/* the highlighted row is the scenario on screen */
		int row = pgt_pick_list_find(&a->picker, a->s->sc.name, a->watch);
		if (row >= 0)
			a->vs.pick_index = row;
		else if (a->vs.pick_index >= a->vs.pick_count)
			a->vs.pick_index = 0;
	}
	do_request(a, &rq);
	return true;
}

static bool no_display(void)
{
	const char *drv = getenv("SDL_VIDEODRIVER");
	if (drv && *drv)
		return false;
	return !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY");
}

/* SDL 2.26, asked for no driver in particular, goes on to its offscreen
 * driver when the X11 and Wayland servers named by DISPLAY and
 * WAYLAND_DISPLAY refuse the connection: the window would run where nobody
 * can see it, and never end.  Unless SDL_VIDEODRIVER chose the driver, the
 * window needs X11 or Wayland; anything else is "no display". */
static bool display_driver_ok(char *why, size_t size)
{
	const char *want = getenv("SDL_VIDEODRIVER");
	const char *got = SDL_GetCurrentVideoDriver();
	if ((want && *want) || (got && (strcmp(got, "x11") == 0 || strcmp(got, "wayland") == 0)))
		return true;
	const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
	snprintf(why, size, "could not connect to %s%s%s%s%s; SDL found only its '%s' driver",
	         x && *x ? "DISPLAY=" : "", x && *x ? x : "", x && *x && wl && *wl ? " or " : "",
	         wl && *wl ? "WAYLAND_DISPLAY=" : "", wl && *wl ? wl : "", got ? got : "none");
	return false;
}

static void print_no_display(const window_opts *o, const char *why)
{
	app_error("pgtviz", "no display available (%s), so the window cannot open.", why);
	/* The output name: the scenario's file name without its directory or
	 * extension ("scenarios/xen.json" -> "xen.png"). */
	const char *base = strrchr(o->scenario, '/');
	base = base ? base + 1 : o->scenario;
	const char *dot = strrchr(base, '.');
	int stem = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
	app_note("pgtviz",
	         "to render without a window, export instead: pgtviz export %s -o %.*s.png",
	         o->scenario, stem, base);
	app_note("pgtviz",
	         "or one PNG per marker and note: pgtviz export %s -o frames/ --steps markers",
	         o->scenario);
}

static int run(app *a)
{
	if (!app_flush(pgt_theme_load(&a->theme, a->o.theme, app_diags())))
		return 2;
	int ti = pgt_theme_find(a->theme.name);
	a->vs.theme_index = ti >= 0 ? ti : 0;
	pgt_recent_load(&a->recent, NULL, &a->dg);
	a->vs.title = a->o.title;
	if (!settle(a, load_session(a, a->o.scenario, false)))
		return 2;
	/* the command line's file may be a pipe (pgtviz <(dmesg)); what the
	 * window opens later (typed, dropped, picked, reloaded) must not block
	 * it: regular files only */
	app_inputs_regular_only(true);
	a->fonts = pgt_fonts_open(a->o.font, app_diags());
	app_flush(true);
	if (!a->fonts)
		return 2;
	fit_default_size(&a->o);
	a->win = SDL_CreateWindow("pgtviz", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, a->o.w,
	                          a->o.h, SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
	if (!a->win) {
		print_no_display(&a->o, SDL_GetError());
		return 2;
	}
	set_title(a);
	a->ren = pgt_window_renderer(a->win, true);
	if (!a->ren || !resize(a)) {
		return app_error("pgtviz", "cannot create a renderer: %s", SDL_GetError());
	}
	SDL_EventState(SDL_DROPFILE, SDL_ENABLE);
	pgt_pick_list_free(&a->picker); /* the first load listed its recent rows */
	if (!pgt_pick_list_build(&a->picker, app_scenario_dir()) ||
	    !pgt_pick_list_add_recent(&a->picker, &a->recent))
		app_error("pgtviz", "out of memory listing scenarios");
	a->vs.pick_count = (int)a->picker.n;
	bool dirty = true, moving = false; /* moving: the camera is on its way */
	double last = now_s(), last_flash = last;
	while (!a->quit) {
		SDL_Event e;
		int timeout = a->vs.playing || a->vs.flash > 0 || moving ? 8 : 100;
		if (SDL_WaitEventTimeout(&e, timeout)) {
			dirty |= handle_event(a, &e);
			while (SDL_PollEvent(&e))
				dirty |= handle_event(a, &e);
		}
		double t = now_s();
		dirty |= poll_reload(a, t);
		dirty |= pgt_input_tick(&a->vs, &a->s->model, t - last);
		moving = pgt_camera_tick(&a->vs, &a->s->model, &a->lay, t - last);
		dirty |= moving;
		last = t;
		/* A violation flashes the pane frame a few times. */
		if (a->vs.flash > 0 && t - last_flash > 0.15) {
			a->vs.flash--;
			last_flash = t;
			dirty = true;
		}
		if (dirty && !a->quit) {
			draw(a);
			dirty = false;
		}
	}
	if (getenv("PGTVIZ_FRAME_STATS") && a->frames)
		fprintf(stderr,
		        "pgtviz: %u frames at %dx%d, build+raster avg %.2f ms, max %.2f ms\n",
		        a->frames, a->dw, a->dh, a->frame_total / a->frames * 1000.0,
		        a->frame_max * 1000.0);
	return 0;
}

int cmd_window(int argc, char **argv)
{
	app a;
	memset(&a, 0, sizeof(a));
	int rc = parse_args(argc, argv, &a.o);
	if (rc >= 0)
		return rc;
	if (no_display()) {
		print_no_display(&a.o, "DISPLAY and WAYLAND_DISPLAY are not set");
		return 2;
	}
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		print_no_display(&a.o, SDL_GetError());
		return 2;
	}
	char why[256];
	if (!display_driver_ok(why, sizeof(why))) {
		SDL_Quit();
		print_no_display(&a.o, why);
		return 2;
	}
	pgt_dl_init(&a.dl);
	pgt_viewstate_init(&a.vs);
	a.vs.ui_scale = a.o.scale;
	rc = run(&a);
	pgt_screen_close(&a.screen);
	if (a.surf)
		SDL_FreeSurface(a.surf);
	if (a.ren)
		SDL_DestroyRenderer(a.ren);
	if (a.win)
		SDL_DestroyWindow(a.win);
	pgt_fonts_close(a.fonts);
	pgt_dl_free(&a.dl);
	pgt_pick_list_free(&a.picker);
	pgt_session_free(a.s);
	drop_check(&a);
	SDL_Quit();
	return rc;
}
