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
#include "commands.h"

#include "pgtviz/export.h"
#include "pgtviz/picker.h"
#include "pgtviz/render.h"

#include <SDL.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum out_format { FMT_PNG, FMT_PNGSEQ, FMT_GIF, FMT_MP4, FMT_WEBM, FMT_SVG, FMT_COUNT };
static const char *const fmt_names[FMT_COUNT] = {"png", "png-seq", "gif", "mp4", "webm", "svg"};

/* Parsed command line. */
typedef struct export_opts {
	const char *scenario; /* SCENARIO argument */
	const char *out;      /* -o OUT */
	int format;           /* enum out_format, -1 = from OUT */
	int w, h;             /* --size */
	const char *theme;    /* --theme */
	const char *steps;    /* --steps */
	int fps;              /* --fps */
	double hold;          /* --hold-markers seconds */
	const char *schemes;  /* --schemes */
	const char *kver;     /* --kernel */
	const char *font;     /* --font */
	unsigned overlays;    /* enum pgt_overlay bits */
	float scale;          /* --ui-scale */
} export_opts;

static void usage(FILE *f)
{
	fputs("usage: pgtviz export SCENARIO -o OUT [options]\n"
	      "\n"
	      "Renders steps of SCENARIO (a built-in name, scenario JSON or dmesg log).\n"
	      "\n"
	      "  -o, --output OUT        file to write; a directory writes a PNG sequence\n"
	      "  --format FMT            png | png-seq | gif | mp4 | webm | svg\n"
	      "                          (default: from OUT's extension)\n"
	      "  --size WxH              canvas in pixels (default 1920x1080; GIF: <= 800 wide\n"
	      "                          keeps files small)\n"
	      "  --theme NAME|PATH       dark | light | cb, or a .theme file (default light)\n"
	      "  --steps SPEC            N | A..B | all | markers | violation (the first Xen\n"
	      "                          violation; default: last step for\n"
	      "                          png/svg, all for sequences and animations)\n"
	      "  --fps N                 steps per second in GIF/MP4/WebM (default 5)\n"
	      "  --hold-markers SECONDS  hold marker steps this long (default 1)\n"
	      "  --schemes A,B           schemes side by side (old,new)\n"
	      "  --kernel VER            kernel version model (e.g. 3.8, 3.9)\n"
	      "  --font PATH             TTF font for all text\n"
	      "  --ui-scale F            scale text and marks (default 1)\n"
	      "  --no-overlays [LIST]    hide overlays: caption, counters, tree, legend,\n"
	      "                          timeline, step, detail, diff (default: all of them)\n",
	      f);
}

static int parse_format(const char *s)
{
	for (int i = 0; i < FMT_COUNT; i++)
		if (strcmp(s, fmt_names[i]) == 0)
			return i;
	if (strcmp(s, "png-sequence") == 0 || strcmp(s, "pngs") == 0)
		return FMT_PNGSEQ;
	return -1;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int format_from_path(const char *out)
{
	size_t n = strlen(out);
	if (n && out[n - 1] == '/')
		return FMT_PNGSEQ;
	if (is_dir(out))
		return FMT_PNGSEQ;
	const char *dot = strrchr(out, '.');
	const char *slash = strrchr(out, '/');
	if (!dot || (slash && dot < slash))
		return -1;
	return parse_format(dot + 1);
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

static bool parse_size(const char *s, int *w, int *h)
{
	char *end;
	long a = strtol(s, &end, 10);
	if (end == s || (*end != 'x' && *end != 'X'))
		return false;
	const char *p = end + 1;
	long b = strtol(p, &end, 10);
	if (end == p || *end)
		return false;
	*w = (int)(a > 100000 ? 100000 : a);
	*h = (int)(b > 100000 ? 100000 : b);
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
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_VALUE                                                                                 \
	do {                                                                                       \
		if (!v) {                                                                          \
			fprintf(stderr, "pgtviz export: %s needs a value\n", a);                   \
			return 2;                                                                  \
		}                                                                                  \
		i++;                                                                               \
	} while (0)
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			NEED_VALUE;
			o->out = v;
		} else if (strcmp(a, "--format") == 0) {
			NEED_VALUE;
			o->format = parse_format(v);
			if (o->format < 0) {
				fprintf(
				    stderr,
				    "pgtviz export: unknown format '%s' (use png, png-seq, gif, "
				    "mp4, webm or svg)\n",
				    v);
				return 2;
			}
		} else if (strcmp(a, "--size") == 0) {
			NEED_VALUE;
			if (!parse_size(v, &o->w, &o->h)) {
				fprintf(stderr,
				        "pgtviz export: --size wants WxH, e.g. 1920x1080\n");
				return 2;
			}
		} else if (strcmp(a, "--theme") == 0) {
			NEED_VALUE;
			o->theme = v;
		} else if (strcmp(a, "--steps") == 0 || strcmp(a, "--step") == 0) {
			NEED_VALUE;
			o->steps = v;
		} else if (strcmp(a, "--fps") == 0) {
			NEED_VALUE;
			o->fps = atoi(v);
			if (o->fps < 1 || o->fps > 120) {
				fprintf(stderr, "pgtviz export: --fps must be 1..120\n");
				return 2;
			}
		} else if (strcmp(a, "--hold-markers") == 0) {
			NEED_VALUE;
			char *end;
			o->hold = strtod(v, &end);
			if (end == v || *end || o->hold < 0 || o->hold > 60) {
				fprintf(stderr,
				        "pgtviz export: --hold-markers wants 0..60 seconds\n");
				return 2;
			}
		} else if (strcmp(a, "--schemes") == 0) {
			NEED_VALUE;
			o->schemes = v;
		} else if (strcmp(a, "--kernel") == 0) {
			NEED_VALUE;
			o->kver = v;
		} else if (strcmp(a, "--font") == 0) {
			NEED_VALUE;
			o->font = v;
		} else if (strcmp(a, "--ui-scale") == 0) {
			NEED_VALUE;
			o->scale = (float)atof(v);
			if (o->scale < 0.25f || o->scale > 4.0f) {
				fprintf(stderr, "pgtviz export: --ui-scale must be 0.25..4\n");
				return 2;
			}
		} else if (strcmp(a, "--no-overlays") == 0) {
			unsigned bits = v ? parse_overlays(v) : 0;
			if (bits) {
				i++;
				o->overlays &= ~bits;
			} else {
				o->overlays = 0;
			}
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "pgtviz export: unknown option '%s' (see --help)\n", a);
			return 2;
		} else if (!o->scenario) {
			o->scenario = a;
		} else {
			fprintf(stderr, "pgtviz export: unexpected argument '%s'\n", a);
			return 2;
		}
#undef NEED_VALUE
	}
	if (!o->scenario || !o->out) {
		usage(stderr);
		return 2;
	}
	return -1;
}

/* Checks output and size before anything runs; returns 2 on error. */
static int check_output(export_opts *o)
{
	if (o->format < 0)
		o->format = format_from_path(o->out);
	if (o->format < 0) {
		fprintf(stderr,
		        "pgtviz export: cannot tell the format of '%s'; use an extension (.png, "
		        ".gif, .mp4, .webm, .svg), a directory, or --format\n",
		        o->out);
		return 2;
	}
	if (o->w < 160 || o->h < 120 || o->w > 7680 || o->h > 4320) {
		fprintf(stderr, "pgtviz export: size %dx%d out of range (160x120 .. 7680x4320)\n",
		        o->w, o->h);
		return 2;
	}
	/* The directory that will receive the file(s) must be writable. */
	char dir[4096];
	if (o->format == FMT_PNGSEQ && is_dir(o->out)) {
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
	if (access(dir, W_OK) != 0) {
		fprintf(stderr, "pgtviz export: cannot write to directory '%s': %s\n", dir,
		        strerror(errno));
		return 2;
	}
	if (o->format == FMT_MP4 || o->format == FMT_WEBM) {
		if (!pgt_have_program("ffmpeg")) {
			fprintf(stderr,
			        "pgtviz export: %s needs the 'ffmpeg' program, which is not on "
			        "PATH; install ffmpeg or use --format gif / png-seq\n",
			        fmt_names[o->format]);
			return 2;
		}
	}
	return 0;
}

/* Step list from --steps. */
typedef struct step_list {
	size_t *v;
	size_t n;
} step_list;

static bool parse_step_number(const char *s, const char *end, size_t last, size_t *out)
{
	if (end - s == 3 && strncmp(s, "end", 3) == 0) {
		*out = last;
		return true;
	}
	if (s == end)
		return false;
	size_t v = 0;
	for (const char *p = s; p < end; p++) {
		if (*p < '0' || *p > '9' || v > SIZE_MAX / 20)
			return false;
		v = v * 10 + (size_t)(*p - '0');
	}
	*out = v;
	return true;
}

static int make_steps(const export_opts *o, const pgt_view_model *m, step_list *sl)
{
	size_t last = m->nsteps ? m->nsteps - 1 : 0;
	bool single = o->format == FMT_PNG || o->format == FMT_SVG;
	const char *spec = o->steps ? o->steps : single ? "end" : "all";
	sl->v = malloc((m->nsteps + m->nmarkers + 2) * sizeof(size_t));
	sl->n = 0;
	if (!sl->v)
		return 2;
	if (strcmp(spec, "all") == 0) {
		for (size_t i = 0; i <= last; i++)
			sl->v[sl->n++] = i;
	} else if (strcmp(spec, "violation") == 0) {
		for (size_t i = 0; i < m->nmarkers && !sl->n; i++)
			if (m->markers[i].kind == PGT_MK_VIOLATION)
				sl->v[sl->n++] = m->markers[i].step;
		if (!sl->n) {
			fprintf(stderr, "pgtviz export: --steps violation: this run has no Xen "
			                "violation\n");
			return 2;
		}
	} else if (strcmp(spec, "markers") == 0) {
		sl->v[sl->n++] = 0;
		for (size_t i = 0; i < m->nmarkers; i++)
			if (m->markers[i].step != sl->v[sl->n - 1])
				sl->v[sl->n++] = m->markers[i].step;
		if (sl->v[sl->n - 1] != last)
			sl->v[sl->n++] = last;
	} else {
		const char *dots = strstr(spec, "..");
		size_t a, b;
		const char *end = spec + strlen(spec);
		bool ok = dots ? parse_step_number(spec, dots, last, &a) &&
		                     parse_step_number(dots + 2, end, last, &b)
		               : parse_step_number(spec, end, last, &a);
		if (!dots)
			b = a;
		if (!ok) {
			fprintf(stderr,
			        "pgtviz export: --steps wants N, A..B, all or markers (got '%s')\n",
			        spec);
			return 2;
		}
		if (a > b || b > last) {
			fprintf(stderr,
			        "pgtviz export: steps %s out of range: this run has steps 0..%zu\n",
			        spec, last);
			return 2;
		}
		for (size_t i = a; i <= b; i++)
			sl->v[sl->n++] = i;
	}
	if (single && sl->n > 1) {
		fprintf(stderr,
		        "pgtviz export: %s writes one step but --steps selects %zu; use --steps N, "
		        "or --format png-seq / a directory for one file per step\n",
		        fmt_names[o->format], sl->n);
		return 2;
	}
	return 0;
}

static bool is_marker(const pgt_view_model *m, size_t step)
{
	for (size_t i = 0; i < m->nmarkers; i++)
		if (m->markers[i].step == step)
			return true;
	return false;
}

/* File-name-safe scenario name. */
static void safe_name(const pgt_scenario *sc, const char *arg, char *buf, size_t size)
{
	const char *src = sc->name && sc->name[0] ? sc->name : arg;
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
	export_opts *o;
	pgt_session *s;
	pgt_theme theme;
	pgt_fonts *fonts;
	pgt_drawlist dl;
	pgt_view_layout lay;
	pgt_viewstate vs;
	SDL_Surface *surf;
} exporter;

static void render_step(exporter *e, size_t step)
{
	e->vs.step = step;
	pgt_view_params p = {e->o->w, e->o->h, &e->theme, pgt_fonts_measure, e->fonts, false, NULL};
	pgt_view_build(&e->dl, &e->lay, &e->s->model, &e->vs, &p);
	pgt_raster_draw(e->surf, &e->dl, e->fonts);
}

static bool write_svg(exporter *e, size_t step)
{
	e->vs.step = step;
	pgt_view_params p = {e->o->w, e->o->h, &e->theme, pgt_fonts_measure, e->fonts, false, NULL};
	pgt_view_build(&e->dl, &e->lay, &e->s->model, &e->vs, &p);
	char tmp[4096];
	pgt_tmp_name(e->o->out, tmp, sizeof(tmp));
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		fprintf(stderr, "pgtviz export: cannot write '%s': %s\n", e->o->out,
		        strerror(errno));
		return false;
	}
	bool ok = pgt_svg_write(f, &e->dl, e->fonts);
	ok = fclose(f) == 0 && ok;
	if (!ok) {
		fprintf(stderr, "pgtviz export: error writing '%s'\n", e->o->out);
		unlink(tmp);
		return false;
	}
	return pgt_commit_file(tmp, e->o->out, stderr);
}

static bool write_sequence(exporter *e, const step_list *sl)
{
	bool made_dir = false;
	if (!is_dir(e->o->out)) {
		if (mkdir(e->o->out, 0777) != 0) {
			fprintf(stderr, "pgtviz export: cannot create directory '%s': %s\n",
			        e->o->out, strerror(errno));
			return false;
		}
		made_dir = true;
	}
	char name[64];
	safe_name(&e->s->sc, e->o->scenario, name, sizeof(name));
	int digits = 4;
	for (size_t n = e->s->model.nsteps; n >= 10000; n /= 10)
		digits++;
	pgt_progress pr;
	pgt_progress_start(&pr, sl->n);
	size_t done = 0;
	bool ok = true;
	char path[4096];
	for (; done < sl->n && ok; done++) {
		render_step(e, sl->v[done]);
		snprintf(path, sizeof(path), "%s/%s_step-%0*zu.png", e->o->out, name, digits,
		         sl->v[done]);
		ok = pgt_write_png(path, e->surf, stderr);
		pgt_progress_update(&pr, done + 1);
	}
	pgt_progress_end(&pr);
	if (!ok) {
		/* Leave nothing behind. */
		for (size_t i = 0; i + 1 < done; i++) {
			snprintf(path, sizeof(path), "%s/%s_step-%0*zu.png", e->o->out, name,
			         digits, sl->v[i]);
			unlink(path);
		}
		if (made_dir)
			rmdir(e->o->out);
	}
	return ok;
}

static bool write_animation(exporter *e, const step_list *sl)
{
	pgt_gif *gif = NULL;
	pgt_video *vid = NULL;
	if (e->o->format == FMT_GIF)
		gif = pgt_gif_open(e->o->out, e->o->w, e->o->h, &e->theme, stderr);
	else
		vid = pgt_video_open(e->o->out, fmt_names[e->o->format], e->o->w, e->o->h,
		                     e->o->fps, stderr);
	if (!gif && !vid)
		return false;
	pgt_progress pr;
	pgt_progress_start(&pr, sl->n);
	bool ok = true;
	int delay = (100 + e->o->fps / 2) / e->o->fps;
	for (size_t i = 0; i < sl->n && ok; i++) {
		size_t step = sl->v[i];
		render_step(e, step);
		bool hold = sl->n > 1 && (is_marker(&e->s->model, step) || i + 1 == sl->n);
		if (gif)
			ok = pgt_gif_frame(gif, e->surf,
			                   delay + (hold ? (int)(e->o->hold * 100.0 + 0.5) : 0));
		else
			ok = pgt_video_frame(vid, e->surf,
			                     1 + (hold ? (int)(e->o->hold * e->o->fps + 0.5) : 0));
		pgt_progress_update(&pr, i + 1);
	}
	pgt_progress_end(&pr);
	if (gif)
		return pgt_gif_close(gif, ok, stderr) && ok;
	return pgt_video_close(vid, ok, stderr) && ok;
}

static int run_export(export_opts *o, pgt_session *s)
{
	exporter e = {.o = o, .s = s};
	step_list sl = {0};
	int rc = make_steps(o, &s->model, &sl);
	if (rc) {
		free(sl.v);
		return rc;
	}
	if (!pgt_theme_load(&e.theme, o->theme, stderr)) {
		free(sl.v);
		return 2;
	}
	e.fonts = pgt_fonts_open(o->font, stderr);
	if (!e.fonts) {
		free(sl.v);
		return 2;
	}
	e.surf = pgt_raster_surface(o->w, o->h);
	pgt_dl_init(&e.dl);
	pgt_viewstate_init(&e.vs);
	e.vs.overlays = o->overlays;
	e.vs.ui_scale = o->scale;
	bool ok = e.surf != NULL;
	if (!ok)
		fprintf(stderr, "pgtviz export: out of memory for a %dx%d canvas\n", o->w, o->h);
	else if (o->format == FMT_PNG) {
		render_step(&e, sl.v[0]);
		ok = pgt_write_png(o->out, e.surf, stderr);
	} else if (o->format == FMT_SVG) {
		ok = write_svg(&e, sl.v[0]);
	} else if (o->format == FMT_PNGSEQ) {
		ok = write_sequence(&e, &sl);
	} else {
		ok = write_animation(&e, &sl);
	}
	if (e.surf)
		SDL_FreeSurface(e.surf);
	pgt_dl_free(&e.dl);
	pgt_fonts_close(e.fonts);
	free(sl.v);
	return ok ? 0 : 2;
}

int cmd_export(int argc, char **argv)
{
	export_opts o;
	int rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	rc = check_output(&o);
	if (rc)
		return rc;
	pgt_theme probe;
	if (!pgt_theme_load(&probe, o.theme, stderr))
		return 2;
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	if (!app_load_scenario(o.scenario, &sc))
		return 2;
	pgt_scenario_add_file_notes(&sc, PGTVIZ_SCENARIO_DIR);
	pgt_session s;
	if (!pgt_session_start(&s, &sc, o.schemes, o.kver, stderr)) {
		pgt_scenario_clear(&sc);
		return 2;
	}
	rc = run_export(&o, &s);
	pgt_session_free(&s);
	return rc;
}
