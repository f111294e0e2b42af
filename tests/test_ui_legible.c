/*
 * Legible on a projector (issue 12): walks the draw list of gallery frames
 * at 1280x720, 1920x1080 and the narrow 480x720 in every theme, the Xen
 * violation step included, and asserts on what a viewer would see
 * (check_frame, legible.h):
 *   - no text below 16 px on a canvas of 720 px or more (PGT_LEGIBLE_PX);
 *   - no two text boxes overlap, no text is clipped (by the canvas, the
 *     active clip rectangle or its pane) or painted over by a later shape,
 *     and no line (a strip label's leader) crosses a text, before or after;
 *   - every text reaches 4.5:1 against what is painted under it (WCAG 2.1
 *     contrast, colour.h);
 *   - no text ends in an ellipsis (notes and captions wrap) and no
 *     placeholder text is shown;
 *   - the elements that carry the story stay at 720p: the pgt_buf / BRK
 *     strip whenever a buffer is placed, each pane's event number.
 * The panels and the counters: test_ui_panels.c.
 */
#include "legible.h"

#include <dirent.h>

/* Whether a text of dl inside pane p's heading row starts with want. */
static bool heading_has(const pgt_drawlist *dl, const pgt_pane_layout *pl, int fs, const char *want)
{
	for (size_t i = 0; i < dl->n; i++) {
		const pgt_dl_cmd *c = &dl->cmds[i];
		if (c->kind == PGT_DL_TEXT && c->x >= pl->x && c->x <= pl->x + pl->w &&
		    c->y >= pl->y && c->y < pl->y + 2 * fs &&
		    !strncmp(pgt_dl_text(dl, c), want, strlen(want)))
			return true;
	}
	return false;
}

/* The buffer strip is on screen whenever the pane has a buffer (from 520
 * px of height: below, the strips give way to whole texts), and each
 * pane's heading shows its own event number ("event N/M", one numbering
 * with `trace` and --steps PANE:N), at a violation too (the key frame the
 * speaker reads it from; the banner goes beside it or under the heading)
 * -- from 520 px of width: a narrow canvas stacks the
 * panes and gives the texts and the map its room first, docs/window.md
 * "Display scaling". */
static int check_story(const frame_id *f, const pgt_session *s, const pgt_drawlist *dl,
                       const pgt_view_layout *lay, const pgt_viewstate *vs)
{
	int bad = 0;
	if (f->w < 520)
		return 0;
	for (int p = 0; p < s->model.npanes; p++) {
		const pgt_pane_model *pm = &s->model.pane[p];
		size_t ev = pgt_view_pane_at(&s->model, vs, p);
		bool placed = pm->nbufs && pm->bufs[0].placed <= ev;
		if (placed && f->h >= 520 && lay->pane[p].detail[0].w <= 0)
			report(f, &bad, "pane %d: no pgt_buf/BRK strip", p);
		/* A pane that never has a buffer (chunk-end) shows its latest
		 * tables instead, from 520 px of height (at 720p too), by the
		 * end of its run surely; never a "no BRK buffer". */
		bool bufferless = !pm->nbufs && !pm->is_old;
		if (bufferless && f->h >= 520 && pm->nev && ev == pm->nev - 1 &&
		    lay->pane[p].detail[1].w <= 0)
			report(f, &bad, "pane %d: no strip of its latest tables", p);
		if (bufferless && heading_has(dl, &lay->pane[p], lay->pane[p].h, "no BRK buffer"))
			report(f, &bad, "pane %d: \"no BRK buffer\" in a scheme without one", p);
		pgt_event e = pgt_sim_event(pm->sim, ev);
		char want[64];
		snprintf(want, sizeof(want), "event %zu/%zu", ev, pm->nev ? pm->nev - 1 : 0);
		if (pm->nev && !heading_has(dl, &lay->pane[p], f->h * 22 / 1080 + 16, want))
			report(f, &bad, "pane %d: no \"%s\" in its heading", p, want);
		/* and the banner beside it or in the row below */
		if (pm->nev && e.kind == PGT_EV_VIOLATION &&
		    !heading_has(dl, &lay->pane[p], f->h * 44 / 1080 + 32, "VIOLATION"))
			report(f, &bad, "pane %d: no VIOLATION banner under its heading", p);
	}
	return bad;
}

/* Every check on step of s at every size in every theme. */
static void check_step(pgt_session *s, const char *scen, const char *schemes, size_t step)
{
	for (size_t t = 0; t < 3; t++) {
		pgt_theme th;
		REQUIRE(pgt_theme_load(&th, themes[t], NULL));
		for (size_t k = 0; k < NSIZES; k++) {
			frame_id f = {scen, schemes, themes[t], step, sizes[k][0], sizes[k][1]};
			pgt_drawlist dl;
			pgt_dl_init(&dl);
			pgt_viewstate vs;
			pgt_viewstate_init(&vs);
			vs.step = step;
			pgt_view_layout lay;
			pgt_view_params p = {f.w,   f.h,   &th,  pgt_fonts_measure,
			                     fonts, false, NULL, &s->cache,
			                     NULL,  0};
			pgt_view_build(&dl, &lay, &s->model, &vs, &p);
			REQUIRE(!dl.oom);
			int bad = check_frame(&f, &dl, &lay) + check_story(&f, s, &dl, &lay, &vs);
			CHECK(bad == 0);
			pgt_dl_free(&dl);
		}
	}
}

/* The gallery frames: start, a middle step, every kind of marker's first
 * step, the last step. */
static void check_scenario(const char *scen, const char *schemes, const size_t *extra,
                           size_t nextra)
{
	pgt_session *s = start(scen, schemes);
	REQUIRE(s);
	size_t last = s->model.nsteps ? s->model.nsteps - 1 : 0;
	size_t steps[16], n = 0;
	steps[n++] = 0;
	steps[n++] = last / 2;
	steps[n++] = last;
	for (int k = 0; k < PGT_MK_COUNT; k++) {
		size_t st = first_marker(&s->model, k);
		if (st != SIZE_MAX)
			steps[n++] = st;
	}
	for (size_t i = 0; i < nextra && n < 16; i++)
		if (extra[i] <= last)
			steps[n++] = extra[i];
	for (size_t i = 0; i < n; i++) {
		bool dup = false;
		for (size_t j = 0; j < i; j++)
			dup |= steps[j] == steps[i];
		if (!dup)
			check_step(s, scen, schemes, steps[i]);
	}
	pgt_session_free(s);
}

static void test_xen(void)
{
	check_scenario("xen-live-patient", NULL, NULL, 0);
}

static void test_pc4g(void)
{
	static const size_t extra[] = {17, 33};
	check_scenario("pc-4g", NULL, extra, 2);
	static const size_t twenty[] = {20};
	check_scenario("pc-4g", "chunk-end,bottom-up", twenty, 1);
	check_scenario("pc-4g", "new", NULL, 0);
}

static void test_gallery(void)
{
	static const size_t ten[] = {10};
	check_scenario("mail-0-1g-4k.json", NULL, ten, 1);
	check_scenario("old-panics.json", NULL, NULL, 0);
	check_scenario("kdump-512m-under-768m.json", NULL, NULL, 0);
	check_scenario("qemu-1g-initrd.json", NULL, NULL, 0);
	check_scenario("numa-256g.json", NULL, NULL, 0);
	check_scenario("debug-64g-4k.json", NULL, NULL, 0);
	check_scenario("server-128g-gbpages.json", NULL, NULL, 0);
	check_scenario("gbpages-hole-3.7-rc2.json", "old@3.7-rc2,old@3.7", NULL, 0);
}

/* Builds frame f of session s at f->step in theme th (camera: the frame is
 * built, the camera arrives, and it is built again) and returns what
 * check_frame finds in it. */
static int check_built(const frame_id *f, pgt_session *s, const pgt_theme *th, bool camera)
{
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.step = f->step;
	pgt_view_layout lay;
	pgt_view_params p = {f->w,      f->h, th, pgt_fonts_measure, fonts, false, NULL,
	                     &s->cache, NULL, 0};
	pgt_view_build(&dl, &lay, &s->model, &vs, &p);
	if (camera) {
		pgt_camera_tick(&vs, &s->model, &lay, 0);
		pgt_view_build(&dl, &lay, &s->model, &vs, &p);
	}
	CHECK(!dl.oom);
	int bad = dl.oom ? 1 : check_frame(f, &dl, &lay);
	pgt_dl_free(&dl);
	return bad;
}

/* The buffer strip's labels at every step where a buffer's end moves (a
 * table page taken from pgt_buf or BRK: alloc events with origin pgt_buf or
 * brk), up to 40 of them per scenario spread over the run, at both sizes in
 * the light theme: no leader line through a label, no labels overlapping,
 * wherever pgt_buf_start, pgt_buf_end and pgt_buf_top stand. */
static void sweep_strip(const char *scen, const char *schemes)
{
	pgt_session *s = start(scen, schemes);
	REQUIRE(s);
	const pgt_view_model *m = &s->model;
	size_t *steps = malloc((m->nsteps + 1) * sizeof(*steps)), n = 0;
	REQUIRE(steps);
	for (size_t g = 0; g < m->nsteps; g++) {
		bool moves = false;
		for (int p = 0; p < m->npanes; p++) {
			size_t ev = pgt_view_pane_step(m, p, g);
			if (pgt_view_global_step(m, p, ev) != g)
				continue;
			pgt_event e = pgt_sim_event(m->pane[p].sim, ev);
			moves |= e.kind == PGT_EV_ALLOC || e.kind == PGT_EV_BUF_FOUND;
		}
		if (moves)
			steps[n++] = g;
	}
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "light", NULL));
	size_t every = n > 40 ? n / 40 : 1;
	for (size_t i = 0; i < n; i += every)
		for (size_t k = 0; k < 2; k++) {
			frame_id f = {scen, schemes, "light", steps[i], sizes[k][0], sizes[k][1]};
			CHECK(check_built(&f, s, &th, false) == 0);
		}
	free(steps);
	pgt_session_free(s);
}

/* With the camera on (the window's default, the clips'), the context
 * overview's range label and the zoomed rows' labels are legible too, at
 * every size: the frame is built, the camera arrives, and the frame
 * is built again. */
static void camera_frames(const char *scen, const size_t *steps, size_t n)
{
	pgt_session *s = start(scen, NULL);
	REQUIRE(s);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "light", NULL));
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < NSIZES; k++) {
			if (steps[i] >= s->model.nsteps)
				continue;
			frame_id f = {scen, "camera", "light", steps[i], sizes[k][0], sizes[k][1]};
			CHECK(check_built(&f, s, &th, true) == 0);
		}
	pgt_session_free(s);
}

static void test_camera_frames(void)
{
	static const size_t xen[] = {67, 150, 3000, 7153}, pc[] = {17, 40, 60},
	                    mail[] = {10, 1360, 2000};
	camera_frames("xen-live-patient", xen, 4);
	camera_frames("pc-4g", pc, 3);
	camera_frames("mail-0-1g-4k.json", mail, 3);
}

static void test_strip_labels(void)
{
	sweep_strip("xen-live-patient", NULL);
	sweep_strip("pc-4g", NULL);
	sweep_strip("qemu-1g-initrd.json", NULL);
	sweep_strip("mail-0-1g-4k.json", NULL);
	sweep_strip("old-panics.json", NULL);
}

/* Whether pane p of the frame shows its counters (the "direct-mapped: "
 * line; with the buffer strip, what tells the story at a marker). */
static bool pane_has_counters(const pgt_drawlist *dl, const pgt_pane_layout *pl)
{
	for (size_t i = 0; i < dl->n; i++) {
		const pgt_dl_cmd *c = &dl->cmds[i];
		if (c->kind == PGT_DL_TEXT && c->x >= pl->x && c->x < pl->x + pl->w &&
		    c->y >= pl->y && c->y < pl->y + pl->h &&
		    !strncmp(pgt_dl_text(dl, c), "direct-mapped: ", 15))
			return true;
	}
	return false;
}

/* One frame of test_marker_frames: every frame check, and each pane's
 * counters. */
static void check_marker_frame(pgt_session *s, const pgt_theme *th, const char *scen, size_t step,
                               int w, int h, bool counters)
{
	const pgt_view_model *m = &s->model;
	frame_id f = {scen, "markers", "light", step, w, h};
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.step = step;
	pgt_view_layout lay;
	pgt_view_params vp = {f.w,       f.h,  th, pgt_fonts_measure, fonts, false, NULL,
	                      &s->cache, NULL, 0};
	pgt_view_build(&dl, &lay, m, &vs, &vp);
	REQUIRE(!dl.oom);
	int bad = check_frame(&f, &dl, &lay) + check_story(&f, s, &dl, &lay, &vs);
	for (int p = 0; p < m->npanes && counters; p++)
		if (!pane_has_counters(&dl, &lay.pane[p]))
			report(&f, &bad, "pane %d: no counters", p);
	CHECK(bad == 0);
	pgt_dl_free(&dl);
}

/* Every gallery scenario (every file in scenarios/, its own schemes) at
 * every frame `--steps markers` exports (step 0, each marker and note, the
 * last step), at 1280x720, 1920x1080, 800x450 and common projector and
 * laptop sizes (1024x768, 1366x768, 1280x800, 1280x1024, 1440x900, 1280x760,
 * where the audit of 7 Dec saw overlaps) in the
 * light theme: every frame check and, at every size from 720 px of height,
 * each pane keeps its counters -- a long note at a marker wraps whole and
 * the map gives it room, rather than pushing the counters out
 * (xen-live-patient at its violation did; at 1024x768 its note takes its
 * short wording). */
static void test_marker_frames(void)
{
	DIR *dir = opendir(PGTVIZ_SCENARIO_DIR);
	REQUIRE(dir);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "light", NULL));
	struct dirent *de;
	int files = 0;
	while ((de = readdir(dir))) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".json"))
			continue;
		pgt_session *s = start(de->d_name, NULL);
		CHECK(s != NULL);
		if (!s)
			continue;
		files++;
		const pgt_view_model *m = &s->model;
		size_t last = m->nsteps ? m->nsteps - 1 : 0, prev = SIZE_MAX;
		for (size_t i = 0; i <= m->nmarkers + 1; i++) {
			size_t step = i == 0 ? 0 : i <= m->nmarkers ? m->markers[i - 1].step : last;
			if (step == prev || step > last)
				continue;
			prev = step;
			/* 720p, 1080p and 800x450 (no counters below 520 px of
			 * height), then projector and laptop sizes */
			static const int at[][3] = {
			    {1280, 720, 1},  {1920, 1080, 1}, {800, 450, 0},
			    {1024, 768, 1},  {1366, 768, 1},  {1280, 800, 1},
			    {1280, 1024, 1}, {1440, 900, 1},  {1280, 760, 1}};
			for (size_t k = 0; k < sizeof(at) / sizeof(at[0]); k++)
				check_marker_frame(s, &th, de->d_name, step, at[k][0], at[k][1],
				                   at[k][2] != 0);
		}
		pgt_session_free(s);
	}
	closedir(dir);
	CHECK(files >= 16);
}

int main(void)
{
	fonts = pgt_fonts_open(NULL, NULL);
	if (!fonts)
		return 1;
	RUN(test_xen);
	RUN(test_pc4g);
	RUN(test_gallery);
	RUN(test_strip_labels);
	RUN(test_camera_frames);
	RUN(test_marker_frames);
	pgt_fonts_close(fonts);
	fprintf(stderr, "%d problems shown\n", problems);
	return t_report();
}
