/*
 * `pgtviz export`: renders steps of a scenario offscreen and writes them as
 * PNG, a PNG sequence, GIF, MP4, WebM or SVG.
 *
 * The frames are built by exactly the code the window uses (view.c ->
 * raster.c), only without the status bar and tooltip, so an exported PNG of
 * step N equals the window at step N.  Every option is checked before any
 * rendering starts; errors print one message and exit 2 with nothing
 * written.  Outputs appear atomically (temporary file + rename).
 */
#define _DEFAULT_SOURCE /* realpath() alongside _POSIX_C_SOURCE */
#include "commands.h"
#include "export_html.h"
#include "opts.h"

#include "pgtviz/camera.h"
#include "pgtviz/clip.h"
#include "pgtviz/export.h"
#include "pgtviz/moment.h"
#include "pgtviz/picker.h"
#include "pgtviz/render.h"
#include "pgtviz/safe_out.h"

#include <SDL.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Parsed command line. */
typedef struct export_opts {
	const char *scenario; /* SCENARIO argument */
	const char *out;      /* -o OUT */
	int format;           /* enum pgt_export_format, -1 = from OUT */
	int w, h;             /* --size */
	const char *theme;    /* --theme */
	const char *steps;    /* --steps */
	int fps;              /* --fps */
	double hold;          /* --hold-markers seconds */
	int stride_i;         /* --stride N (0: not given) */
	double duration;      /* --duration SECONDS (0: not given) */
	bool long_ok;         /* --long: write a clip longer than the limits */
	const char *schemes;  /* --schemes */
	const char *kver;     /* --kernel */
	pgt_pane_spec all;    /* --xen, --xen-rule, --sizing, ... for every pane */
	const char *font;     /* --font */
	unsigned overlays;    /* enum pgt_overlay bits */
	float scale;          /* --ui-scale */
	bool html;            /* a self-contained HTML lesson (export_html.c) */
	int camera;           /* --camera on|off: enum pgt_export_camera */
	uint64_t view[2];     /* --view START..END (view[1] = 0: none) */
	const char *inspect;  /* --inspect [PANE:]N (NULL: none) */
	const char *title;    /* --title TEXT (NULL: from the scenario and the panes) */
} export_opts;

/* --format html: not a frame format of export.c; the page writer's. */
#define FMT_HTML PGT_FMT_COUNT

static void usage(FILE *f)
{
	fputs("usage: pgtviz export SCENARIO -o OUT [options]\n"
	      "\n"
	      "Renders steps of SCENARIO (a built-in name, scenario JSON or dmesg log) as\n"
	      "the window draws them: a PNG or SVG of one moment, a GIF, MP4 or WebM clip,\n"
	      "a PNG per step, or (OUT.html) one self-contained page that runs the lesson\n"
	      "in a browser (--schemes, --kernel and --theme apply; see docs/web.md).\n"
	      "\n"
	      "For a talk (docs/export.md has more):\n"
	      "  # a 1280x720 slide of one moment (light theme: white, for projectors)\n"
	      "  pgtviz export xen-live-patient -o crash.png --size 720p --steps violation\n"
	      "  # the Xen failure and its fix side by side, zoomed on the buffer's top,\n"
	      "  # without the long notes (the maps get the room), titled your way\n"
	      "  pgtviz export xen-live-patient -o fix.png --size 720p --steps violation \\\n"
	      "      --schemes old@2.6.39-rc1:xen-end,old@3.0:xen-top --title 'The fix' \\\n"
	      "      --view 0x7ee00000..0x7f000000 --no-overlays caption,timeline\n"
	      "  # one slide per marker (calls, buffer placed and full, violations, notes)\n"
	      "  pgtviz export pc-4g -o chapters/ --size 720p --steps markers\n"
	      "  # any run as a 30 s clip; the camera follows each new table\n"
	      "  pgtviz export mail-0-1g-4k -o mail.mp4 --size 720p --duration 30\n"
	      "  # a small GIF for a chat or a README\n"
	      "  pgtviz export xen-live-patient -o xen.gif --size 800x450 --duration 20\n"
	      "\n"
	      "What to write:\n"
	      "  -o, --output OUT        file to write; a directory writes a PNG sequence\n"
	      "  --format FMT            png | png-seq | gif | mp4 | webm | svg | html\n"
	      "                          (default: from OUT's extension)\n"
	      "  --size WxH|NAME         canvas in pixels, or 720p (1280x720, a projector),\n"
	      "                          1080p (the default), 1440p, 4k; a GIF <= 800 wide\n"
	      "                          keeps files small (800x450)\n"
	      "  --theme NAME|PATH       light | dark | cb (colour-blind safe), or a .theme\n"
	      "                          file (default light)\n"
	      "  --title TEXT            the title over the panes (default: the scenario's,\n"
	      "                          or what the panes compare when they run another\n"
	      "                          version than it names); '' for none\n"
	      "  --font PATH             TTF font for all text\n"
	      "  --ui-scale F            scale text and marks (default 1)\n"
	      "\n"
	      "Which moments, how long:\n"
	      "  --steps SPEC            a moment or A..B of moments, all, markers, notes:\n"
	      "                          N, old:3042 (an event as `trace` numbers it), end,\n"
	      "                          violation, call:2, note:1, 100..full, ...\n"
	      "                          (default: last step for png/svg, all for\n"
	      "                          sequences and animations)\n"
	      "  --duration SECONDS      fit the steps into a clip this long\n"
	      "  --stride N              every Nth step (markers, notes, last step kept)\n"
	      "  --fps N                 frames per second in GIF/MP4/WebM (default 5; one\n"
	      "                          step per frame without --duration)\n"
	      "  --hold-markers SECONDS  hold markers, notes and the last step (default 1)\n"
	      "  --long                  write a clip over 10 min or 2 GB, or over 10000 PNGs\n"
	      "\n"
	      "What the panes run:\n"
	      "  --schemes A,B           schemes side by side (old,new), each optionally\n"
	      "                          with a version model: old@3.0,new@3.19\n"
	      "  --kernel VER            kernel version model of the scheme of that "
	      "era\n" APP_PANE_OPTS_USAGE "\n"
	      "What the frames show:\n"
	      "  --camera on|off         the maps follow each pane's current event (zoomed,\n"
	      "                          with an overview); default: on for gif/mp4/webm,\n"
	      "                          off for png/png-seq/svg\n"
	      "  --view START..END       show this address range (0x7e000000..0x7f000000,\n"
	      "                          2G..3G) in both panes; the camera is then off\n"
	      "  --inspect [PANE:]N      draw the table-page inspector of table N (as\n"
	      "                          ptdump --table N) of the left pane, or of PANE\n"
	      "                          (left, right, old, new, ...), into every frame\n"
	      "  --no-overlays [LIST]    hide overlays: caption, counters, tree, legend,\n"
	      "                          timeline, step, detail, diff (alone: all of them)\n",
	      f);
}

/* Parses "caption,timeline" into overlay bits; 0 if any name is unknown. */
static unsigned parse_overlays(const char *s)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {
	    {"caption", PGT_OV_CAPTION}, {"counters", PGT_OV_COUNTERS}, {"tree", PGT_OV_TREE},
	    {"legend", PGT_OV_LEGEND},   {"timeline", PGT_OV_TIMELINE}, {"step", PGT_OV_STEP},
	    {"detail", PGT_OV_DETAIL},   {"diff", PGT_OV_DIFF},         {"all", PGT_OV_ALL}};
	unsigned bits = 0;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
		unsigned b = 0;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcmp(tok, names[i].name) == 0)
				b = names[i].bit;
		if (!b)
			return 0;
		bits |= b;
	}
	return bits;
}

/* --format NAME */
static bool opt_format(void *dest, const char *v, char *msg, size_t size)
{
	int f = strcmp(v, "html") == 0 ? FMT_HTML : pgt_export_format_parse(v);
	if (f < 0) {
		snprintf(msg, size,
		         "'%.64s' is not a format (png, png-seq, gif, mp4, webm, svg or html)", v);
		return false;
	}
	*(int *)dest = f;
	return true;
}

/* --view START..END */
static bool opt_view(void *dest, const char *v, char *msg, size_t size)
{
	uint64_t *r = dest;
	return pgt_cam_parse_range(v, &r[0], &r[1], msg, size);
}

/* --no-overlays [LIST]: a list hides those overlays; alone (v NULL), all. */
static bool opt_overlays(void *dest, const char *v, char *msg, size_t size)
{
	(void)msg;
	(void)size;
	unsigned *ov = dest;
	unsigned bits = v ? parse_overlays(v) : 0;
	if (v && !bits)
		return false;
	*ov = v ? *ov & ~bits : 0;
	return true;
}

static int parse_args(int argc, char **argv, export_opts *o)
{
	*o = (export_opts){.format = -1,
	                   .w = 1920,
	                   .h = 1080,
	                   .theme = "light",
	                   .fps = 5,
	                   .hold = 1.0,
	                   .overlays = PGT_OV_ALL,
	                   .scale = 1.0f};
	static const char *const on_off[] = {"on", "off", NULL};
	const app_opt opts[] = {
	    APP_OPT("-o|--output", OPT_STR, &o->out),
	    APP_OPT("--format", OPT_CUSTOM, &o->format, .fn = opt_format),
	    APP_OPT("--size", OPT_WXH, &o->w, .dest2 = &o->h, .lo = 160, .hi = 7680, .lo2 = 120,
	            .hi2 = 4320),
	    APP_OPT("--theme", OPT_STR, &o->theme),
	    APP_OPT("--steps|--step", OPT_STR, &o->steps),
	    APP_OPT("--fps", OPT_INT, &o->fps, .lo = 1, .hi = 120),
	    APP_OPT("--hold-markers", OPT_DOUBLE, &o->hold, .dlo = 0, .dhi = 60),
	    APP_OPT("--stride", OPT_INT, &o->stride_i, .lo = 1, .hi = 1000000000),
	    APP_OPT("--duration", OPT_DOUBLE, &o->duration, .dlo = 0.5, .dhi = 3600),
	    APP_OPT("--long", OPT_TRUE, &o->long_ok),
	    APP_OPT("--schemes", OPT_STR, &o->schemes),
	    APP_OPT("--kernel", OPT_STR, &o->kver),
	    APP_PANE_OPTS(&o->all),
	    APP_OPT("--font", OPT_STR, &o->font),
	    APP_OPT("--ui-scale", OPT_FLOAT, &o->scale, .dlo = 0.25, .dhi = 4),
	    APP_OPT("--no-overlays", OPT_CUSTOM, &o->overlays, .fn = opt_overlays,
	            .optional = true),
	    APP_OPT("--camera", OPT_CHOICE, &o->camera, .lo = PGT_CAMERA_ON, .choices = on_off),
	    APP_OPT("--view", OPT_CUSTOM, o->view, .fn = opt_view),
	    APP_OPT("--inspect", OPT_STR, &o->inspect),
	    APP_OPT("--title", OPT_TEXT, &o->title, .hi = PGT_TITLE_MAX),
	};
	const app_cmd cmd = {"pgtviz export", opts, sizeof(opts) / sizeof(opts[0]),
	                     &o->scenario,    1,    usage};
	int r = app_parse(&cmd, argc, argv);
	if (r)
		return r == 1 ? 0 : r;
	if (o->view[1] && o->camera == PGT_CAMERA_ON)
		return app_error(cmd.prefix, "--view frames a fixed range: it cannot go with "
		                             "--camera on");
	char msg[160];
	if (o->kver && !pgt_kver_check(o->kver, msg, sizeof(msg)))
		return app_error("pgtviz export", "--kernel %s", msg);
	if (!o->scenario || !o->out) {
		app_error(cmd.prefix, "%s",
		          !o->scenario ? "no scenario given" : "no output given (-o OUT)");
		usage(stderr);
		return 2;
	}
	return -1;
}

/* Checks output and size before anything runs; returns 2 on error. */
static int check_output(export_opts *o)
{
	size_t olen = strlen(o->out);
	if (o->format == FMT_HTML ||
	    (o->format < 0 && ((olen > 5 && strcmp(o->out + olen - 5, ".html") == 0) ||
	                       (olen > 4 && strcmp(o->out + olen - 4, ".htm") == 0)))) {
		o->html = true;
		o->format = PGT_FMT_PNG; /* the directory checks below */
		char why[512];
		if (!pgt_html_available(why, sizeof(why))) {
			app_error("pgtviz export", "%s", why);
			return 2;
		}
	}
	if (o->format < 0)
		o->format = pgt_export_format_from_path(o->out);
	if (o->format < 0) {
		app_error("pgtviz export",
		          "cannot tell the format of '%s'; use an extension (.png, "
		          ".gif, .mp4, .webm, .svg), a directory, or --format",
		          o->out);
		return 2;
	}
	const char *ins[] = {o->scenario, o->theme, o->font};
	for (size_t i = 0; i < 3; i++)
		if (pgt_out_same_file(o->out, ins[i])) {
			app_error("pgtviz export",
			          "'%s' is also an input of this command ('%s'); "
			          "refusing to overwrite it",
			          o->out, ins[i]);
			return 2;
		}
	if (o->w < 160 || o->h < 120 || o->w > 7680 || o->h > 4320) {
		app_error("pgtviz export", "size %dx%d out of range (160x120 .. 7680x4320)", o->w,
		          o->h);
		return 2;
	}
	/* The directory that will receive the file(s) must be writable. */
	char dir[4096];
	struct stat st;
	if (o->format == PGT_FMT_PNGSEQ && stat(o->out, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(dir, sizeof(dir), "%s", o->out);
	} else {
		snprintf(dir, sizeof(dir), "%s", o->out);
		size_t n = strlen(dir);
		while (n > 1 && dir[n - 1] == '/')
			dir[--n] = '\0';
		char *slash = strrchr(dir, '/');
		if (slash == dir)
			dir[1] = '\0';
		else if (slash)
			*slash = '\0';
		else
			snprintf(dir, sizeof(dir), ".");
	}
	struct stat ds;
	if (stat(dir, &ds) == 0 && !S_ISDIR(ds.st_mode)) {
		app_error("pgtviz export", "cannot write to directory '%s': %s", dir,
		          strerror(ENOTDIR));
		return 2;
	}
	if (access(dir, W_OK) != 0) {
		app_error("pgtviz export", "cannot write to directory '%s': %s", dir,
		          strerror(errno));
		return 2;
	}
	if (o->format == PGT_FMT_MP4 || o->format == PGT_FMT_WEBM) {
		if (!pgt_have_program("ffmpeg")) {
			app_error("pgtviz export",
			          "%s needs the 'ffmpeg' program, which is not on "
			          "PATH; install ffmpeg or use --format gif / png-seq",
			          pgt_export_format_name(o->format));
			return 2;
		}
	}
	return 0;
}

/* Step list from --steps, and for animations and PNG sequences the clip
 * plan (stride, duration, holds: clip.h). */
typedef struct step_list {
	size_t *v; /* steps chosen by --steps */
	size_t n;
	pgt_clip clip; /* what is written (clip.n == 0: v as it is) */
} step_list;

static void step_list_free(step_list *sl)
{
	free(sl->v);
	pgt_clip_free(&sl->clip);
}

/* "20 min 26 s", "9.5 s". */
static const char *fmt_seconds(double s, char *buf, size_t size)
{
	if (s < 60)
		snprintf(buf, size, "%.3g s", s);
	else
		snprintf(buf, size, "%d min %d s", (int)(s / 60), (int)s % 60);
	return buf;
}

/* Rough bytes per pixel of one distinct frame, measured on gallery runs
 * (GIF 800x450 ~ 0.08, PNG 1920x1080 ~ 0.06, MP4 1080p crf 20 ~ 0.008),
 * rounded up: enough to tell a 2 GB export from a small one. */
static double bytes_per_pixel(int format)
{
	return format == PGT_FMT_GIF ? 0.1 : format == PGT_FMT_PNGSEQ ? 0.08 : 0.01;
}

/* "7.0 GB", "380 MB", "12 kB": the estimate's own precision. */
static const char *fmt_bytes(double b, char *buf, size_t size)
{
	if (b >= 1e9)
		snprintf(buf, size, "%.1f GB", b / 1e9);
	else if (b >= 1e6)
		snprintf(buf, size, "%.0f MB", b / 1e6);
	else
		snprintf(buf, size, "%.0f kB", b / 1e3);
	return buf;
}

#define LEN_MAX_SECONDS 600   /* 10 minutes */
#define LEN_MAX_BYTES   2e9   /* about 2 GB */
#define LEN_MAX_PNG_SEQ 10000 /* files of a PNG sequence */

/* What would cut the export down, appended to the message: --duration when
 * time is the problem (a --duration over the limit: a shorter one), a
 * --stride that meets every limit, a shorter --hold-markers when the
 * holds alone are over 10 minutes (no stride helps then). */
static void length_advice(const export_opts *o, bool anim, double secs, size_t st_time, size_t st,
                          char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	if (anim && secs > LEN_MAX_SECONDS) {
		if (o->duration > LEN_MAX_SECONDS)
			n += (size_t)snprintf(buf + n, size - n, "a --duration of at most %d s, ",
			                      LEN_MAX_SECONDS);
		else
			n += (size_t)snprintf(
			    buf + n, size - n,
			    "--duration SECONDS (--duration 30 fits them into 30 s), ");
		if (!st_time && !(o->duration > LEN_MAX_SECONDS) && n < size)
			n += (size_t)snprintf(
			    buf + n, size - n,
			    "a shorter --hold-markers (markers, notes and the last "
			    "step are each held %g s: no stride brings that under "
			    "10 minutes), ",
			    o->hold);
	}
	if (st > 1 && n < size)
		snprintf(buf + n, size - n,
		         "--stride %zu (one step in %zu; markers, notes and the last step kept), ",
		         st, st);
}

/* Refuses an export longer than 10 minutes, larger than about 2 GB or, for
 * a PNG sequence, of more than 10,000 files, unless --long was given (issue
 * 16): says what it would be and what would cut it down. */
static int check_length(const export_opts *o, const step_list *sl, const size_t *marks, size_t nm)
{
	const pgt_clip *c = &sl->clip;
	bool anim = o->format != PGT_FMT_PNGSEQ;
	double secs = anim ? pgt_clip_seconds(c, o->fps) : 0;
	double bytes = (double)c->n * o->w * o->h * bytes_per_pixel(o->format);
	bool files = !anim && c->n > LEN_MAX_PNG_SEQ;
	if (o->long_ok || (secs <= LEN_MAX_SECONDS && bytes <= LEN_MAX_BYTES && !files))
		return 0;
	/* the stride that meets every limit: 10 minutes (0: none does), 2 GB
	 * and the file count (kept steps shrink about as 1 / stride) */
	pgt_clip_opts co = {.fps = o->fps, .hold = o->hold};
	size_t st_time = 1, st = 1;
	if (secs > LEN_MAX_SECONDS && !(o->duration > 0))
		st_time = pgt_clip_stride_for(sl->v, sl->n, marks, nm, &co, LEN_MAX_SECONDS);
	else if (secs > LEN_MAX_SECONDS)
		st_time = 0; /* the length is --duration's */
	if (st_time > st)
		st = st_time;
	/* 10 % to spare: the marks are kept whatever the stride */
	if (bytes > LEN_MAX_BYTES && (size_t)ceil(1.1 * bytes / LEN_MAX_BYTES) > st)
		st = (size_t)ceil(1.1 * bytes / LEN_MAX_BYTES);
	if (files && (size_t)ceil(1.1 * (double)c->n / LEN_MAX_PNG_SEQ) > st)
		st = (size_t)ceil(1.1 * (double)c->n / LEN_MAX_PNG_SEQ);
	char t[32], b[32], what[200], advice[400];
	if (anim)
		snprintf(what, sizeof(what),
		         "animation would last %s (%zu steps, %d frames per "
		         "second) and take about %s",
		         fmt_seconds(secs, t, sizeof(t)), c->n, o->fps,
		         fmt_bytes(bytes, b, sizeof(b)));
	else
		snprintf(what, sizeof(what), "PNG sequence would be %zu files, about %s", c->n,
		         fmt_bytes(bytes, b, sizeof(b)));
	length_advice(o, anim, secs, st_time, st, advice, sizeof(advice));
	app_error("pgtviz export",
	          "this %s, more than %s; choose fewer steps with %sor give --long to write it "
	          "anyway",
	          what,
	          secs > LEN_MAX_SECONDS  ? "10 minutes"
	          : bytes > LEN_MAX_BYTES ? "2 GB"
	                                  : "10000 files",
	          advice);
	return 2;
}

static int make_steps(const export_opts *o, pgt_view_model *m, step_list *sl)
{
	bool single = pgt_export_format_single(o->format);
	const char *spec = o->steps ? o->steps : single ? "end" : "all";
	char msg[1200];
	memset(sl, 0, sizeof(*sl));
	if (!pgt_moment_steps(m, spec, &sl->v, &sl->n, msg, sizeof(msg))) {
		app_error("pgtviz export", "--steps %s", msg);
		return 2;
	}
	if (single && sl->n > 1) {
		app_error("pgtviz export",
		          "%s writes one step but --steps selects %zu; use "
		          "--steps N, "
		          "or --format png-seq / a directory for one file per step",
		          pgt_export_format_name(o->format), sl->n);
		return 2;
	}
	if (single)
		return 0;
	size_t nm = 0;
	size_t *marks = pgt_moment_marker_steps(m, &nm);
	pgt_clip_opts co = {
	    .fps = o->fps, .hold = o->hold, .stride = (size_t)o->stride_i, .duration = o->duration};
	int rc = 0;
	if (!pgt_clip_plan(sl->v, sl->n, marks, nm, &co, &sl->clip, msg, sizeof(msg))) {
		app_error("pgtviz export", "%s", msg);
		rc = 2;
	} else {
		rc = check_length(o, sl, marks, nm);
	}
	free(marks);
	return rc;
}

/* --stride and --duration only where they mean something. */
static int check_clip_options(const export_opts *o)
{
	const char *name = pgt_export_format_name(o->format);
	if ((o->stride_i || o->duration > 0) && pgt_export_format_single(o->format)) {
		app_error("pgtviz export",
		          "%s applies to animations (gif, mp4, webm) and "
		          "PNG sequences; %s writes one step",
		          o->stride_i ? "--stride" : "--duration", name);
		return 2;
	}
	if (o->duration > 0 && o->format == PGT_FMT_PNGSEQ) {
		app_error("pgtviz export", "--duration applies to animations (gif, mp4, "
		                           "webm); a PNG sequence has no length: use --stride N\n");
		return 2;
	}
	return 0;
}

static int run_export(export_opts *o, pgt_session *s)
{
	step_list sl = {0};
	int rc = make_steps(o, &s->model, &sl);
	if (rc) {
		step_list_free(&sl);
		return rc;
	}
	pgt_theme theme;
	if (!app_flush(pgt_theme_load(&theme, o->theme, app_diags()))) {
		step_list_free(&sl);
		return 2;
	}
	pgt_fonts *fonts = pgt_fonts_open(o->font, app_diags());
	app_flush(true);
	if (!fonts) {
		step_list_free(&sl);
		return 2;
	}
	bool planned = sl.clip.n > 0;
	char name[64];
	pgt_export_safe_name(&s->sc, o->scenario, name, sizeof(name));
	const char *inputs[] = {o->scenario, o->theme, o->font, NULL};
	if (o->view[1] && o->view[0] >= s->model.addr_top) {
		free(sl.v);
		return app_error("pgtviz export",
		                 "--view %#llx..%#llx starts past the end of the map (%#llx)",
		                 (unsigned long long)o->view[0], (unsigned long long)o->view[1],
		                 (unsigned long long)s->model.addr_top);
	}
	int ipane = 0;
	uint32_t itable = 0;
	char msg[300];
	if (o->inspect &&
	    !pgt_moment_table(&s->model, o->inspect, &ipane, &itable, msg, sizeof(msg))) {
		step_list_free(&sl);
		pgt_fonts_close(fonts);
		return app_error("pgtviz export", "--inspect %s", msg);
	}
	pgt_export_job j = {.out = o->out,
	                    .inspect = o->inspect ? s : NULL,
	                    .inspect_pane = ipane,
	                    .inspect_table = itable,
	                    .title = o->title,
	                    .camera = o->camera,
	                    .view = {o->view[0], o->view[1] - o->view[0]},
	                    .inputs = inputs, /* a NULL font ends the list early */
	                    .format = o->format,
	                    .w = o->w,
	                    .h = o->h,
	                    .theme = &theme,
	                    .fonts = fonts,
	                    .overlays = o->overlays,
	                    .ui_scale = o->scale,
	                    .fps = o->fps,
	                    .hold = o->hold,
	                    .steps = planned ? sl.clip.steps : sl.v,
	                    .nsteps = planned ? sl.clip.n : sl.n,
	                    .frames = planned ? sl.clip.frames : NULL,
	                    .name = name,
	                    .progress = true};
	bool ok = app_flush(pgt_export_run(&j, &s->model, app_diags()));
	pgt_fonts_close(fonts);
	step_list_free(&sl);
	if (ok) {
		/* Remembered for the window's `e` (best effort, silent). */
		pgt_export_prefs pr;
		pgt_export_prefs_default(&pr);
		pgt_export_prefs_load(&pr, app_diags());
		pr.format = o->format;
		pr.w = o->w;
		pr.h = o->h;
		pr.fps = o->fps;
		char abs[4096];
		const char *th = o->theme;
		if (pgt_theme_find(th) < 0 && realpath(th, abs))
			th = abs; /* a theme file: usable from any directory */
		int n = snprintf(pr.theme, sizeof(pr.theme), "%s", th);
		if (n > 0 && (size_t)n < sizeof(pr.theme) && !getenv("PGTVIZ_NO_PREFS"))
			pgt_export_prefs_save(&pr, app_diags());
		app_flush(true);
	}
	return ok ? 0 : 2;
}

/* The HTML lesson: the scenario and options go into the page, which runs
 * the simulations itself; they are checked here first (a bad --schemes
 * fails now, not in the reader's browser). */
static int export_html(const export_opts *o, pgt_scenario *sc)
{
	pgt_pane_spec spec[2];
	int n = 0;
	pgt_pane_args pa = {.schemes = o->schemes, .kver = o->kver, .all = o->all};
	bool ok = app_flush(pgt_parse_panes(&pa, sc, spec, &n, app_diags()));
	char panes[256];
	pgt_pane_specs_text(spec, n, panes, sizeof(panes));
	bool global =
	    o->all.xen || o->all.xen_rule || o->all.sizing || o->all.no_pse || o->all.all_lines;
	if (ok) {
		char name[64];
		pgt_export_safe_name(sc, o->scenario, name, sizeof(name));
		html_job j = {.out = o->out,
		              .sc = sc,
		              .arg = o->scenario,
		              .name = name,
		              /* global simulation options: written out per pane */
		              .schemes = global ? panes : o->schemes,
		              .kver = global ? NULL : o->kver,
		              .theme = o->theme,
		              .title = o->title};
		ok = app_flush(pgt_html_export(&j, app_diags()));
	}
	pgt_scenario_clear(sc);
	return ok ? 0 : 2;
}

int cmd_export(int argc, char **argv)
{
	export_opts o;
	int rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	rc = check_output(&o);
	if (!rc && o.html && o.inspect)
		rc = app_error("pgtviz export", "--inspect draws into frames; the page (.html) has "
		                                "its own inspector (select a table page, press i)");
	if (!rc && !o.html)
		rc = check_clip_options(&o);
	if (rc)
		return rc;
	pgt_theme probe;
	if (!app_flush(pgt_theme_load(&probe, o.theme, app_diags())))
		return 2;
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	if (!app_flush(app_load_scenario(o.scenario, &sc, app_diags())))
		return 2;
	pgt_scenario_add_file_notes(&sc, app_scenario_dir());
	if (o.html)
		return export_html(&o, &sc);
	pgt_pane_args pa = {.schemes = o.schemes, .kver = o.kver, .all = o.all};
	pgt_session *s = pgt_session_start_args(&sc, &pa, app_diags());
	if (!app_flush(s != NULL))
		return 2;
	rc = run_export(&o, s);
	pgt_session_free(s);
	return rc;
}
