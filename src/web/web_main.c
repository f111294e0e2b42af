/*
 * The browser page's entry points (compiled by emcc only).
 *
 * The page (web/pgtviz.js) is a thin backend: it forwards keys and pointer
 * events here, asks for a frame, and paints the draw list this module
 * leaves in wasm memory on a <canvas>, the way microui's demo renderer
 * paints its command list.  Everything else is the code the window runs:
 * the loaders (scenario JSON or dmesg, with file:line:col errors), the
 * session (scenario + runs + view model), the input layer and the view.
 *
 * One page holds one viewer, so the state is a single static struct.
 * Strings cross the boundary as UTF-8 in wasm memory; the text-measure
 * callback calls back into JavaScript (the browser's font metrics).
 */
#include "web_api.h"
#include "web_keys.h"

#include "pgtviz/camera.h"
#include "pgtviz/dmesg.h"
#include "pgtviz/input.h"
#include "pgtviz/inspect.h"
#include "pgtviz/render.h"
#include "pgtviz/scenario_json.h"
#include "pgtviz/session.h"

#include <emscripten.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Everything the page's viewer owns. */
typedef struct web_app {
	pgt_session *s;  /* scenario, runs, view model (heap; NULL: none yet) */
	pgt_theme theme; /* current colours */
	pgt_drawlist dl; /* the last frame */
	pgt_view_layout lay;
	pgt_viewstate vs;
	char *errors;    /* diagnostics of the last load (malloc'ed, "" if none) */
	char title[256]; /* scenario title */
	char user_title[PGT_TITLE_MAX + 1]; /* --title of the exported page */
	pgt_inspect insp;                   /* the inspector's data ('i') */
} web_app;

static web_app g_app;
static bool g_inited;

/* Width of s in the browser's font (web/pgtviz.js caches the answers). */
EM_JS(int, js_measure, (int font, int px, const char *s),
      { return Module.pgtMeasure(font, px, UTF8ToString(s)); });

/* Widths already measured, by (font, px, text).  The view asks for mostly
 * the same strings every frame; each answer from JavaScript costs a call
 * across the boundary and a string decoded there. */
#define MEASURE_CACHE 4096 /* slots, a power of two; cleared when half full */
typedef struct measured {
	uint32_t hash; /* of (font, px, s) */
	int font, px;  /* face and pixel size */
	int w;         /* the page's width in pixels */
	char *s;       /* owned; NULL = empty slot */
} measured;
static measured g_measured[MEASURE_CACHE];
static size_t g_nmeasured;

static uint32_t measure_hash(int font, int px, const char *s)
{
	uint32_t h = 2166136261u ^ (uint32_t)font ^ ((uint32_t)px << 8);
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int measure(void *ctx, int font, int px, const char *s)
{
	(void)ctx;
	uint32_t h = measure_hash(font, px, s);
	size_t i = h & (MEASURE_CACHE - 1);
	for (; g_measured[i].s; i = (i + 1) & (MEASURE_CACHE - 1)) {
		const measured *m = &g_measured[i];
		if (m->hash == h && m->font == font && m->px == px && strcmp(m->s, s) == 0)
			return m->w;
	}
	int w = js_measure(font, px, s);
	if (g_nmeasured >= MEASURE_CACHE / 2) {
		for (size_t k = 0; k < MEASURE_CACHE; k++)
			free(g_measured[k].s);
		memset(g_measured, 0, sizeof(g_measured));
		g_nmeasured = 0;
		i = h & (MEASURE_CACHE - 1);
	}
	char *copy = strdup(s);
	if (copy) {
		g_measured[i] = (measured){h, font, px, w, copy};
		g_nmeasured++;
	}
	return w;
}

static void init_once(void)
{
	if (g_inited)
		return;
	memset(&g_app, 0, sizeof(g_app));
	pgt_dl_init(&g_app.dl);
	pgt_viewstate_init(&g_app.vs);
	g_inited = true;
}

/* Replaces the error text (takes ownership of text). */
static void set_errors(char *text)
{
	free(g_app.errors);
	g_app.errors = text;
}

/* The diagnostics as the page's error box shows them: the printer's lines
 * (malloc'ed; NULL if out of memory). */
static char *diags_text(const pgt_diags *dg)
{
	char *buf = NULL;
	size_t blen = 0;
	FILE *f = open_memstream(&buf, &blen);
	if (!f)
		return NULL;
	pgt_diags_print(dg, f);
	fclose(f);
	return buf;
}

/* Parses text as a dmesg log or scenario JSON, as `pgtviz SCENARIO` does;
 * diagnostics (file:line:col: error: ...) go to dg. */
static bool parse_input(const char *text, size_t len, const char *name, pgt_scenario *out,
                        pgt_diags *dg)
{
	pgt_diags d;
	pgt_diags_init(&d, name);
	bool ok;
	if (pgt_dmesg_looks_like_log(text, len)) {
		pgt_dmesg dm;
		memset(&dm, 0, sizeof(dm));
		ok = pgt_dmesg_import(text, len, &dm, &d);
		if (ok) {
			*out = dm.sc;
			memset(&dm.sc, 0, sizeof(dm.sc));
		}
		pgt_dmesg_free(&dm);
	} else {
		ok = pgt_scenario_from_json(text, len, out, &d);
	}
	pgt_diags_append(dg, &d);
	pgt_diags_free(&d);
	return ok;
}

/* Loads a scenario (JSON or dmesg text of len bytes; name for messages) and
 * runs it with schemes/kver ("" = the scenario's pair, as --schemes and
 * --kernel).  Returns 1 on success; on failure the current scenario stays
 * and pgw_errors() tells why. */
EMSCRIPTEN_KEEPALIVE int pgw_load(const char *text, int len, const char *name, const char *schemes,
                                  const char *kver)
{
	init_once();
	pgt_diags dg;
	pgt_diags_init(&dg, NULL);
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	bool ok = len >= 0 && parse_input(text, (size_t)len, name, &sc, &dg);
	pgt_session *ns = NULL;
	if (ok)
		ns = pgt_session_start(&sc, schemes && schemes[0] ? schemes : NULL,
		                       kver && kver[0] ? kver : NULL, &dg);
	set_errors(diags_text(&dg));
	pgt_diags_free(&dg);
	if (!ns)
		return 0;
	pgt_session_free(g_app.s);
	g_app.s = ns; /* on the heap: the model's pointers into it stay valid */
	int ti = g_app.vs.theme_index;
	float scale = g_app.vs.ui_scale;
	pgt_viewstate_init(&g_app.vs);
	g_app.vs.theme_index = ti;
	g_app.vs.ui_scale = scale;
	snprintf(g_app.title, sizeof(g_app.title), "%s",
	         g_app.s->sc.title  ? g_app.s->sc.title
	         : g_app.s->sc.name ? g_app.s->sc.name
	                            : name);
	return 1;
}

/* The page's --title over the scenario just loaded ('' for none), as the
 * window's --title: a later load (a file the user picks) drops it. */
EMSCRIPTEN_KEEPALIVE void pgw_set_title(const char *text)
{
	snprintf(g_app.user_title, sizeof(g_app.user_title), "%s", text ? text : "");
	g_app.vs.title = g_app.user_title;
	if (g_app.user_title[0])
		snprintf(g_app.title, sizeof(g_app.title), "%s", g_app.user_title);
}

/* Diagnostics of the last pgw_load ("" if none). */
EMSCRIPTEN_KEEPALIVE const char *pgw_errors(void)
{
	return g_app.errors ? g_app.errors : "";
}

EMSCRIPTEN_KEEPALIVE const char *pgw_title(void)
{
	return g_app.title;
}

/* Sets the colours from theme text (key = #rrggbb lines); index is the
 * page's theme number (for cycling with t).  Returns 1 on success. */
EMSCRIPTEN_KEEPALIVE int pgw_theme(const char *text, const char *name, int index)
{
	init_once();
	pgt_diags dg;
	pgt_diags_init(&dg, NULL);
	pgt_theme t;
	bool ok = pgt_theme_parse(&t, text, name, &dg);
	if (ok) {
		g_app.theme = t;
		g_app.vs.theme_index = index;
	} else {
		set_errors(diags_text(&dg));
	}
	pgt_diags_free(&dg);
	return ok;
}

/* One input event (enum pgt_input_type, enum pgt_key, pointer in device
 * pixels, wheel clicks).  Acts on the request it makes where the C side
 * can (re-running a pane with c / v) and returns what is left for the page
 * (web/pgtviz.js, the same switch as the window's do_request):
 * PGT_REQ_THEME (next theme), PGT_REQ_SAVE (download a PNG), else
 * PGT_REQ_NONE.  Open, export and quit have no meaning in the page (it has
 * its own file picker) and are dropped.  -1: nothing is loaded. */
EMSCRIPTEN_KEEPALIVE int pgw_event(int type, int key, int shift, int x, int y, int wheel)
{
	if (!g_app.s)
		return -1;
	pgt_input_event in = {
	    .type = type, .key = key, .shift = shift != 0, .x = x, .y = y, .wheel = wheel};
	if (type == PGT_IN_KEY)
		g_app.vs.status[0] = '\0';
	pgt_request rq = pgt_input_handle(&g_app.vs, &g_app.s->model, &g_app.lay, &in);
	switch (rq.kind) {
	case PGT_REQ_THEME:
	case PGT_REQ_SAVE:
		return rq.kind;
	case PGT_REQ_RERUN: {
		pgt_diags dg;
		pgt_diags_init(&dg, NULL);
		pgt_pane_spec spec = pgt_session_respec(g_app.s, rq.pane, rq.scheme, rq.kver);
		char why[200];
		if (!pgt_session_rerun_view(g_app.s, &g_app.vs, rq.pane, spec, &dg)) {
			pgt_diags_first(&dg, PGT_DIAG_ERROR, why, sizeof(why));
			snprintf(g_app.vs.status, sizeof(g_app.vs.status),
			         "could not run that model: %s", why);
		}
		pgt_diags_free(&dg);
		return PGT_REQ_NONE;
	}
	default:
		return PGT_REQ_NONE;
	}
}

/* Text typed while the go-to prompt is open (UTF-8; the page sends each
 * printable key here instead of pgw_event). */
EMSCRIPTEN_KEEPALIVE void pgw_type(const char *text)
{
	if (!g_app.s || !text)
		return;
	pgt_input_event in = {.type = PGT_IN_TEXT};
	snprintf(in.text, sizeof(in.text), "%s", text);
	pgt_input_handle(&g_app.vs, &g_app.s->model, &g_app.lay, &in);
}

/* 1 while a prompt takes typed text (the go-to prompt of `g`). */
EMSCRIPTEN_KEEPALIVE int pgw_typing(void)
{
	return g_app.vs.show_goto;
}

/* Advances playback and the camera by dt seconds; 1 if the frame changed. */
EMSCRIPTEN_KEEPALIVE int pgw_tick(double dt)
{
	if (!g_app.s)
		return 0;
	bool moved = pgt_input_tick(&g_app.vs, &g_app.s->model, dt);
	moved |= pgt_camera_tick(&g_app.vs, &g_app.s->model, &g_app.lay, dt);
	return moved;
}

/* Goes to a global step (clamped), as the scrubber does. */
EMSCRIPTEN_KEEPALIVE void pgw_seek(double step)
{
	if (!g_app.s || step < 0)
		return;
	pgt_cmd c = {.kind = PGT_CMD_SEEK, .arg = (long long)step};
	pgt_input_apply(&g_app.vs, &g_app.s->model, &g_app.lay, &c);
}

EMSCRIPTEN_KEEPALIVE double pgw_step(void)
{
	return (double)g_app.vs.step;
}

EMSCRIPTEN_KEEPALIVE double pgw_nsteps(void)
{
	return g_app.s ? (double)g_app.s->model.nsteps : 0;
}

EMSCRIPTEN_KEEPALIVE int pgw_playing(void)
{
	return g_app.vs.playing;
}

/* Sets the status bar text (e.g. "loaded FILE"). */
EMSCRIPTEN_KEEPALIVE void pgw_status(const char *text)
{
	snprintf(g_app.vs.status, sizeof(g_app.vs.status), "%s", text);
}

/* Builds the frame at w x h device pixels; interactive: the window's
 * look (tooltip, status bar), else exactly `pgtviz export`'s.  Returns the
 * number of commands (-1: nothing loaded or out of memory). */
EMSCRIPTEN_KEEPALIVE int pgw_frame(int w, int h, int interactive)
{
	if (!g_app.s)
		return -1;
	pgt_viewstate vs = g_app.vs;
	if (!interactive) {
		/* What the exporter draws: no hover, no status bar, and a still's
		 * default camera (off: the whole map, or the user's zoom). */
		vs.hover = false;
		vs.status[0] = '\0';
		if (g_app.vs.follow) {
			g_app.vs.follow = false;
			g_app.vs.pane[0] = g_app.vs.pane[1] = (pgt_pane_view){0, 0};
			vs = g_app.vs;
			vs.hover = false;
			vs.status[0] = '\0';
		}
	}
	pgt_view_params p = {
	    w, h, &g_app.theme, measure, NULL, interactive != 0, NULL, &g_app.s->cache, NULL, 0};
	p.help = pgw_help_rows(&p.nhelp); /* without q, e, m: the window's only */
	vs.inspect = NULL;
	if (interactive && vs.show_inspect && vs.sel_pane >= 0 && vs.sel_table != UINT32_MAX &&
	    pgt_inspect_update(&g_app.insp, g_app.s, vs.sel_pane, vs.sel_table,
	                       pgt_view_pane_at(&g_app.s->model, &vs, vs.sel_pane)))
		vs.inspect = &g_app.insp;
	pgt_view_build(&g_app.dl, &g_app.lay, &g_app.s->model, &vs, &p);
	if (g_app.dl.oom)
		return -1;
	return (int)g_app.dl.n;
}

/* The last frame's commands (pgt_dl_cmd[], 36 bytes each), text pool and
 * background colour. */
EMSCRIPTEN_KEEPALIVE const pgt_dl_cmd *pgw_cmds(void)
{
	return g_app.dl.cmds;
}

EMSCRIPTEN_KEEPALIVE const char *pgw_text(void)
{
	return g_app.dl.text;
}

EMSCRIPTEN_KEEPALIVE unsigned pgw_clear(void)
{
	return g_app.dl.clear;
}

/* Whether the last frame's pointer position is over something with a
 * tooltip (the page shows a pointer cursor there). */
EMSCRIPTEN_KEEPALIVE int pgw_hit_pane(int x, int y)
{
	if (!g_app.s)
		return -1;
	pgt_hit h = pgt_view_hit(&g_app.s->model, &g_app.lay, &g_app.vs, x, y);
	return h.timeline ? 2 : h.pane;
}

/* The page's key names and the enums it passes (web_keys.c), as JSON:
 * web/pgtviz.js numbers no key itself. */
EMSCRIPTEN_KEEPALIVE const char *pgw_constants(void)
{
	const char *j = pgw_constants_json();
	return j ? j : "{}";
}

/* Layout size of pgt_dl_cmd, so the page can check its reading of it. */
EMSCRIPTEN_KEEPALIVE int pgw_cmd_size(void)
{
	return (int)sizeof(pgt_dl_cmd);
}
