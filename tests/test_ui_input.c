/*
 * The SDL-free command layer: keys and mouse events applied to a view
 * state over a real simulation, checked without a window.
 */
#include "t.h"

#include "pgtviz/export.h"
#include "pgtviz/input.h"

static pgt_session sess;

static void key(pgt_viewstate *vs, int k, bool shift)
{
	pgt_input_event ev = {.type = PGT_IN_KEY, .key = k, .shift = shift};
	pgt_input_handle(vs, &sess.model, NULL, &ev);
}

static void test_stepping(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	size_t last = sess.model.nsteps - 1;
	key(&vs, PGT_KEY_RIGHT, false);
	CHECK_U64(vs.step, 1);
	key(&vs, PGT_KEY_LEFT, false);
	key(&vs, PGT_KEY_LEFT, false);
	CHECK_U64(vs.step, 0); /* clamped */
	key(&vs, PGT_KEY_END, false);
	CHECK_U64(vs.step, last);
	key(&vs, PGT_KEY_RIGHT, false);
	CHECK_U64(vs.step, last);
	key(&vs, PGT_KEY_HOME, false);
	CHECK_U64(vs.step, 0);
}

static void test_markers(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	REQUIRE(sess.model.nmarkers > 1);
	key(&vs, PGT_KEY_PAGEDOWN, false);
	size_t first = vs.step;
	CHECK(first > 0);
	bool is_marker = false;
	for (size_t i = 0; i < sess.model.nmarkers; i++)
		is_marker |= sess.model.markers[i].step == first;
	CHECK(is_marker);
	key(&vs, PGT_KEY_RIGHT, true); /* Shift+Right = next marker */
	CHECK(vs.step > first);
	key(&vs, PGT_KEY_LEFT, true);
	CHECK_U64(vs.step, first);
	key(&vs, PGT_KEY_PAGEUP, false);
	CHECK(vs.step < first);
}

static void test_play(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	key(&vs, PGT_KEY_SPACE, false);
	CHECK(vs.playing);
	double speed = vs.speed;
	key(&vs, PGT_KEY_PLUS, false);
	CHECK(vs.speed > speed);
	key(&vs, PGT_KEY_MINUS, false);
	key(&vs, PGT_KEY_MINUS, false);
	CHECK(vs.speed < speed);
	vs.speed = 10;
	CHECK(pgt_input_tick(&vs, &sess.model, 0.35));
	CHECK_U64(vs.step, 3);
	pgt_input_tick(&vs, &sess.model, 1e6);
	CHECK_U64(vs.step, sess.model.nsteps - 1);
	CHECK(!vs.playing); /* stops at the end */
	key(&vs, PGT_KEY_SPACE, false);
	CHECK(vs.playing);
	CHECK_U64(vs.step, 0); /* replays from the start */
}

static void test_toggles(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	key(&vs, PGT_KEY_QUESTION, false);
	CHECK(vs.show_help);
	key(&vs, PGT_KEY_ESCAPE, false);
	CHECK(!vs.show_help);
	key(&vs, PGT_KEY_T, false);
	CHECK(vs.theme_cycle == 1);
	key(&vs, PGT_KEY_S, false);
	CHECK(vs.want_save);
	key(&vs, PGT_KEY_Q, false);
	CHECK(vs.quit);
}

/* Mouse: needs a layout, so build one frame (no fonts: estimated text). */
static void test_mouse(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "light", stderr));
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	pgt_view_params p = {1920, 1080, &th, NULL, NULL, true};
	vs.step = sess.model.nsteps - 1;
	pgt_view_build(&dl, &lay, &sess.model, &vs, &p);
	REQUIRE(lay.npanes == 2 && lay.pane[0].nrows > 0);

	/* Click on a table page selects it. */
	const pgt_pane_model *pm = &sess.model.pane[0];
	const pgt_table *tab = pgt_sim_tables(pm->sim);
	uint32_t want = UINT32_MAX;
	for (size_t i = 0; i < pm->ntab; i++)
		if (tab[i].origin == PGT_ORIGIN_PGTBUF)
			want = (uint32_t)i;
	REQUIRE(want != UINT32_MAX);
	const pgt_strip_row *row = NULL;
	for (int i = 0; i < lay.pane[0].nrows; i++) {
		const pgt_strip_row *r = &lay.pane[0].rows[i];
		if (!r->gap && tab[want].pa >= r->lo && tab[want].pa < r->lo + r->span)
			row = r;
	}
	REQUIRE(row != NULL);
	int x = row->x + (int)((double)(tab[want].pa - row->lo) * row->w / (double)row->span);
	if (x > row->x + row->w - lay.marker_w)
		x = row->x + row->w - lay.marker_w;
	x += lay.marker_w / 2;
	int y = row->y + row->h * 2 / 3;
	pgt_input_event down = {.type = PGT_IN_DOWN, .x = x, .y = y};
	pgt_input_event up = {.type = PGT_IN_UP, .x = x, .y = y};
	pgt_input_handle(&vs, &sess.model, &lay, &down);
	pgt_input_handle(&vs, &sess.model, &lay, &up);
	CHECK(vs.sel_pane == 0);
	CHECK(vs.sel_table != UINT32_MAX);
	if (vs.sel_table != UINT32_MAX)
		CHECK_U64(tab[vs.sel_table].pa >> 21, tab[want].pa >> 21);

	/* Wheel zooms in around the pointer, 0 resets. */
	pgt_input_event wh = {.type = PGT_IN_WHEEL, .x = x, .y = y, .wheel = 3};
	pgt_input_handle(&vs, &sess.model, &lay, &wh);
	CHECK(vs.pane[0].len > 0 && vs.pane[0].len < sess.model.addr_top);
	CHECK(vs.pane[0].lo <= tab[want].pa && tab[want].pa <= vs.pane[0].lo + vs.pane[0].len);
	CHECK(vs.pane[1].len == vs.pane[0].len);
	/* Drag pans (zoomed). */
	pgt_view_build(&dl, &lay, &sess.model, &vs, &p);
	uint64_t lo = vs.pane[0].lo;
	pgt_input_event d0 = {.type = PGT_IN_DOWN, .x = x, .y = y};
	pgt_input_event mv = {.type = PGT_IN_MOTION, .x = x - 200, .y = y};
	pgt_input_event d1 = {.type = PGT_IN_UP, .x = x - 200, .y = y};
	pgt_input_handle(&vs, &sess.model, &lay, &d0);
	pgt_input_handle(&vs, &sess.model, &lay, &mv);
	pgt_input_handle(&vs, &sess.model, &lay, &d1);
	CHECK(vs.pane[0].lo > lo);
	CHECK(vs.sel_table != UINT32_MAX); /* a drag is not a click */
	key(&vs, PGT_KEY_ZERO, false);
	CHECK(vs.pane[0].len == 0);

	/* Clicking the timeline seeks. */
	pgt_input_event t0 = {.type = PGT_IN_DOWN, .x = lay.tl_x + 1, .y = lay.tl_y + lay.tl_h / 2};
	pgt_input_handle(&vs, &sess.model, &lay, &t0);
	pgt_input_event t1 = t0;
	t1.type = PGT_IN_UP;
	pgt_input_handle(&vs, &sess.model, &lay, &t1);
	CHECK_U64(vs.step, 0);
	pgt_dl_free(&dl);
}

int main(void)
{
	pgt_scenario sc = {0};
	int i = pgt_builtin_find("pc-4g");
	if (i < 0 || !pgt_builtin_load((size_t)i, &sc)) {
		fprintf(stderr, "cannot load pc-4g\n");
		return 1;
	}
	if (!pgt_session_start(&sess, &sc, "old,new", NULL, stderr))
		return 1;
	RUN(test_stepping);
	RUN(test_markers);
	RUN(test_play);
	RUN(test_toggles);
	RUN(test_mouse);
	pgt_session_free(&sess);
	return t_report();
}
