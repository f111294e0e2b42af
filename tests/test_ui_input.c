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
	pgt_view_params p = {1920, 1080, &th, NULL, NULL, true, NULL};
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

/* Lockstep by progress: one pane advances per global step, every event of
 * each pane is visited in order, and the panes never drift further apart
 * in mapping progress than one event's worth. */
static void test_lockstep(void)
{
	const pgt_view_model *m = &sess.model;
	size_t na = m->pane[0].nev, nb = m->pane[1].nev;
	REQUIRE(m->npanes == 2 && na > 1 && nb > 1);
	CHECK_U64(m->nsteps, na + nb - 1);
	CHECK_U64(pgt_view_pane_step(m, 0, 0), 0);
	CHECK_U64(pgt_view_pane_step(m, 1, 0), 0);
	CHECK_U64(pgt_view_pane_step(m, 0, m->nsteps - 1), na - 1);
	CHECK_U64(pgt_view_pane_step(m, 1, m->nsteps - 1), nb - 1);
	double maxjump[2] = {0, 0};
	for (int p = 0; p < 2; p++)
		for (size_t i = 1; i < m->pane[p].nev; i++) {
			double d = pgt_view_progress(m, p, i) - pgt_view_progress(m, p, i - 1);
			CHECK(d >= 0); /* progress never goes back */
			if (d > maxjump[p])
				maxjump[p] = d;
		}
	double bound = maxjump[0] > maxjump[1] ? maxjump[0] : maxjump[1];
	int bad_adv = 0, bad_drift = 0, bad_back = 0;
	for (size_t g = 1; g < m->nsteps; g++) {
		size_t a0 = pgt_view_pane_step(m, 0, g - 1), a1 = pgt_view_pane_step(m, 0, g);
		size_t b0 = pgt_view_pane_step(m, 1, g - 1), b1 = pgt_view_pane_step(m, 1, g);
		bad_adv += (a1 - a0) + (b1 - b0) != 1;
		double d = pgt_view_progress(m, 0, a1) - pgt_view_progress(m, 1, b1);
		bad_drift += d > bound + 1e-9 || -d > bound + 1e-9;
		bad_back +=
		    pgt_view_global_step(m, 0, a1) > g || pgt_view_global_step(m, 1, b1) > g;
	}
	CHECK(bad_adv == 0);
	CHECK(bad_drift == 0);
	CHECK(bad_back == 0);
	/* The old scheme maps [1 GiB, 2 GiB) in call 1 (its first new bytes);
	 * at that global step the new scheme has mapped something, not nothing. */
	const pgt_event *ev = pgt_sim_events(m->pane[0].sim);
	size_t first_map = 0;
	for (size_t i = 0; i < na; i++)
		if (ev[i].kind == PGT_EV_MAP && pgt_view_progress(m, 0, i) > 0) {
			first_map = i;
			break;
		}
	REQUIRE(first_map > 0);
	size_t g = pgt_view_global_step(m, 0, first_map);
	CHECK(pgt_view_progress(m, 1, pgt_view_pane_step(m, 1, g)) > 0);
	/* Markers carry global steps at which their pane shows the event. */
	for (size_t i = 0; i < m->nmarkers; i++) {
		const pgt_marker *mk = &m->markers[i];
		const pgt_event *e = &pgt_sim_events(
		    m->pane[mk->pane].sim)[pgt_view_pane_step(m, mk->pane, mk->step)];
		CHECK(e->kind == PGT_EV_CALL_BEGIN || e->kind == PGT_EV_BUF_FOUND ||
		      e->kind == PGT_EV_STEP_SIZE || e->kind == PGT_EV_VIOLATION ||
		      e->kind == PGT_EV_PANIC);
	}
}

/* Tab chooses a pane, [ ] step it alone, l (or an arrow) relocks there. */
static void test_step_alone(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	const pgt_view_model *m = &sess.model;
	vs.step = 20;
	size_t a = pgt_view_pane_at(m, &vs, 0), b = pgt_view_pane_at(m, &vs, 1);
	key(&vs, PGT_KEY_RBRACKET, false);
	key(&vs, PGT_KEY_RBRACKET, false);
	key(&vs, PGT_KEY_RBRACKET, false);
	CHECK(vs.unlocked);
	CHECK_U64(pgt_view_pane_at(m, &vs, 0), a + 3);
	CHECK_U64(pgt_view_pane_at(m, &vs, 1), b);
	key(&vs, PGT_KEY_TAB, false);
	CHECK(vs.focus == 1);
	key(&vs, PGT_KEY_LBRACKET, false);
	CHECK_U64(pgt_view_pane_at(m, &vs, 1), b - 1);
	CHECK_U64(pgt_view_pane_at(m, &vs, 0), a + 3);
	key(&vs, PGT_KEY_L, false);
	CHECK(!vs.unlocked);
	CHECK_U64(pgt_view_pane_at(m, &vs, 1), b - 1);
	CHECK_U64(vs.step, pgt_view_global_step(m, 1, b - 1));
	/* An arrow key also relocks (at the focused pane), then steps. */
	key(&vs, PGT_KEY_TAB, false);
	key(&vs, PGT_KEY_RBRACKET, false);
	size_t a2 = pgt_view_pane_at(m, &vs, 0);
	key(&vs, PGT_KEY_RIGHT, false);
	CHECK(!vs.unlocked);
	CHECK_U64(vs.step, pgt_view_global_step(m, 0, a2) + 1);
}

/* Playback stops on a Xen violation and asks for a flash. */
static void test_violation_stops_play(void)
{
	pgt_scenario sc = {0};
	int i = pgt_builtin_find("xen-live-patient");
	REQUIRE(i >= 0 && pgt_builtin_load((size_t)i, &sc));
	pgt_session xs;
	REQUIRE(pgt_session_start(&xs, &sc, NULL, NULL, stderr));
	size_t first = SIZE_MAX;
	for (size_t k = 0; k < xs.model.nmarkers; k++)
		if (xs.model.markers[k].kind == PGT_MK_VIOLATION) {
			first = xs.model.markers[k].step;
			break;
		}
	REQUIRE(first != SIZE_MAX);
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.playing = true;
	vs.speed = 5000;
	for (int k = 0; k < 100 && vs.playing; k++)
		pgt_input_tick(&vs, &xs.model, 1.0);
	CHECK(!vs.playing);
	CHECK_U64(vs.step, first);
	CHECK(vs.flash > 0);
	const pgt_event *e =
	    &pgt_sim_events(xs.model.pane[0].sim)[pgt_view_pane_step(&xs.model, 0, vs.step)];
	CHECK(e->kind == PGT_EV_VIOLATION);
	pgt_session_free(&xs);
}

/* The picker overlay takes Up/Down/Enter while it is open. */
static void test_picker_keys(void)
{
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.pick_count = 3;
	key(&vs, PGT_KEY_O, false);
	CHECK(vs.show_picker);
	size_t step = vs.step;
	key(&vs, PGT_KEY_DOWN, false);
	key(&vs, PGT_KEY_DOWN, false);
	key(&vs, PGT_KEY_DOWN, false);
	CHECK(vs.pick_index == 2);
	CHECK_U64(vs.step, step); /* the timeline did not move */
	key(&vs, PGT_KEY_ENTER, false);
	CHECK(!vs.show_picker);
	CHECK(vs.want_pick == 3);
	key(&vs, PGT_KEY_G, false);
	CHECK(vs.show_glossary);
	key(&vs, PGT_KEY_ESCAPE, false);
	CHECK(!vs.show_glossary);
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
	RUN(test_lockstep);
	RUN(test_step_alone);
	RUN(test_violation_stops_play);
	RUN(test_picker_keys);
	pgt_session_free(&sess);
	return t_report();
}
