/*
 * The slide's title (issue 12): the header over the panes says what they
 * show.  The scenario's title stays while the panes run what it names; when
 * a pane of its version's scheme runs another version or Xen rule (the fix
 * side by side: old@2.6.39-rc1:xen-end,old@3.0:xen-top), or no pane runs
 * it, the title is the comparison the panes make, from their own runs;
 * --title (pgt_viewstate.title) is drawn as given, "" draws none.  Checked
 * on pgt_view_title and on the draw list of built frames (1280x720,
 * 1920x1080, 480x720, every theme): the header's bold text is exactly the
 * title, it stays left of the step counter, and the counter stays.
 */
#include "scenario_file.h"
#include "t.h"

#include "pgtviz/render.h"
#include "pgtviz/session.h"
#include "pgtviz/view.h"

static pgt_fonts *fonts;

static const char *const themes[] = {"light", "dark", "cb"};
static const int sizes[][2] = {{1280, 720}, {1920, 1080}, {480, 720}};

/* The gallery's scenarios/NAME.json with panes schemes (NULL: its own). */
static pgt_session *start(const char *name, const char *schemes)
{
	pgt_scenario sc;
	if (!t_load_scenario(name, &sc, true))
		return NULL;
	return pgt_session_start(&sc, schemes, NULL, NULL);
}

/* The title pgt_view_title gives scenario name with panes schemes and
 * --title given (NULL: none); own: the scenario's own title. */
static void title_of(const char *name, const char *schemes, const char *given, char *buf,
                     size_t size, char *own, size_t osize)
{
	buf[0] = '\0';
	pgt_session *s = start(name, schemes);
	REQUIRE(s);
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.title = given;
	pgt_view_title(&s->model, &vs, buf, size);
	if (own)
		snprintf(own, osize, "%s", s->sc.title ? s->sc.title : "");
	pgt_session_free(s);
}

static void test_rule(void)
{
	char t[600], own[600];
	/* the scenario's own panes (2.6.39-rc1 against the new scheme): its title */
	title_of("xen-live-patient", NULL, NULL, t, sizeof(t), own, sizeof(own));
	CHECK_STR(t, "Xen PV guest, 2.6.39-rc1: the page tables high, in memory not yet mapped");
	CHECK_STR(t, own);
	/* the fix: two kernels, or one kernel with two rules */
	title_of("xen-live-patient", "old@2.6.39-rc1:xen-end,old@3.0:xen-top", NULL, t, sizeof(t),
	         NULL, 0);
	CHECK_STR(t, "Xen PV guest: 2.6.39-rc1 (RO to pgt_buf_end) against 3.0 (RO to pgt_buf_top "
	             "+ hook)");
	title_of("xen-live-patient", "old@2.6.39-rc1:xen-end,old@2.6.39-rc1:xen-top", NULL, t,
	         sizeof(t), NULL, 0);
	CHECK_STR(t, "Xen PV guest: 2.6.39-rc1 (RO to pgt_buf_end) against 2.6.39-rc1 (RO to "
	             "pgt_buf_top + hook)");
	/* one pane of another version */
	title_of("xen-live-patient", "old@3.0", NULL, t, sizeof(t), NULL, 0);
	CHECK_STR(t, "Xen PV guest: 3.0 (RO to pgt_buf_top + hook)");
	/* no pane of 2.6.39-rc1's scheme: each named with its scheme */
	title_of("xen-live-patient", "new@3.9,bottom-up@3.13", NULL, t, sizeof(t), NULL, 0);
	CHECK_STR(t, "Xen PV guest: top-down 3.9 against bottom-up 3.13");
	/* Xen off: "Xen PV guest" would be false, the scenario's name stands */
	title_of("xen-live-patient", "old@2.6.39-rc1:no-xen", NULL, t, sizeof(t), NULL, 0);
	CHECK_STR(t, "xen-live-patient: 2.6.39-rc1 without Xen");
	/* a one-scheme scenario run at another version next to its own */
	title_of("xen-window-2.6.37", "old@2.6.38,old@2.6.37", NULL, t, sizeof(t), NULL, 0);
	CHECK_STR(t, "Xen PV guest: 2.6.38 (RO to pgt_buf_end) against 2.6.37 (RO to "
	             "pgt_buf_end)");
	/* a title naming no version, or a range ("3.13+"), holds */
	title_of("pc-4g", "old@3.0,new@3.19", NULL, t, sizeof(t), own, sizeof(own));
	CHECK_STR(t, own);
	title_of("movable-node", "bottom-up@3.19,top-down@3.19", NULL, t, sizeof(t), own,
	         sizeof(own));
	CHECK_STR(t, "movable_node: bottom-up mapping from the kernel's end (3.13+)");
	CHECK_STR(t, own);
	/* "Constructed from the code: 3.7-rc2 ...": nothing names the subject
	 * before the version, so the scenario's name does */
	title_of("gbpages-hole-3.7-rc2", "old@3.7-rc2,old@3.7", NULL, t, sizeof(t), NULL, 0);
	CHECK_STR(t, "gbpages-hole-3.7-rc2: 3.7-rc2 against 3.7");
	/* --title wins, whatever the panes run; "" is no title */
	title_of("xen-live-patient", "old@2.6.39-rc1:xen-end,old@3.0:xen-top", "Die Lösung", t,
	         sizeof(t), NULL, 0);
	CHECK_STR(t, "Die Lösung");
	title_of("xen-live-patient", NULL, "", t, sizeof(t), NULL, 0);
	CHECK_STR(t, "");
	/* a buffer too small is cut, never overrun */
	char small[12];
	title_of("xen-live-patient", "old@3.0", NULL, small, sizeof(small), NULL, 0);
	CHECK_STR(small, "Xen PV gues");
}

/* The header as drawn: the bold texts above the panes in drawing order,
 * joined by a space (a long title wraps onto two lines), their right end,
 * and the left end of the step counter (INT32_MAX: none). */
static void header(const pgt_drawlist *dl, const pgt_view_layout *lay, char *buf, size_t size,
                   int *title_right, int *counter_left)
{
	int top = lay->pane[0].y;
	for (int p = 1; p < lay->npanes; p++)
		if (lay->pane[p].y < top)
			top = lay->pane[p].y;
	size_t n = 0;
	buf[0] = '\0';
	*title_right = 0;
	*counter_left = INT32_MAX;
	for (size_t i = 0; i < dl->n; i++) {
		const pgt_dl_cmd *c = &dl->cmds[i];
		if (c->kind != PGT_DL_TEXT || c->y >= top)
			continue;
		const char *s = pgt_dl_text(dl, c);
		int w = pgt_fonts_measure(fonts, c->font, c->size, s);
		if (strncmp(s, "step ", 5) == 0 && c->font == PGT_FONT_MONO) {
			*counter_left = (c->anchor & PGT_AN_RIGHT) ? c->x - w : c->x;
			continue;
		}
		if (c->font != PGT_FONT_SANS_BOLD)
			continue;
		if (c->x + w > *title_right)
			*title_right = c->x + w;
		int k = snprintf(buf + n, size - n, "%s%s", n ? " " : "", s);
		if (k < 0 || (size_t)k >= size - n)
			return;
		n += (size_t)k;
	}
}

/* Built frames of the fix slide: the header's text is the title asked for
 * (the comparison; a given one; none), left of the step counter. */
static void test_drawn(void)
{
	pgt_session *s = start("xen-live-patient", "old@2.6.39-rc1:xen-end,old@3.0:xen-top");
	REQUIRE(s);
	size_t viol = SIZE_MAX;
	for (size_t i = 0; i < s->model.nmarkers && viol == SIZE_MAX; i++)
		if (s->model.markers[i].kind == PGT_MK_VIOLATION)
			viol = s->model.markers[i].step;
	REQUIRE(viol != SIZE_MAX);
	static const char *const given[] = {NULL, "The fix: read-only up to pgt_buf_top", ""};
	static const char *const want[] = {
	    "Xen PV guest: 2.6.39-rc1 (RO to pgt_buf_end) against 3.0 (RO to pgt_buf_top + hook)",
	    "The fix: read-only up to pgt_buf_top", ""};
	for (size_t g = 0; g < 3; g++)
		for (size_t t = 0; t < 3; t++) {
			pgt_theme th;
			REQUIRE(pgt_theme_load(&th, themes[t], NULL));
			for (size_t k = 0; k < 3; k++) {
				int w = sizes[k][0], h = sizes[k][1];
				pgt_drawlist dl;
				pgt_dl_init(&dl);
				pgt_viewstate vs;
				pgt_viewstate_init(&vs);
				vs.step = viol;
				vs.title = given[g];
				pgt_view_layout lay;
				pgt_view_params vp = {w,     h,     &th,  pgt_fonts_measure,
				                      fonts, false, NULL, &s->cache,
				                      NULL,  0};
				pgt_view_build(&dl, &lay, &s->model, &vs, &vp);
				REQUIRE(!dl.oom);
				char got[600];
				int right, counter;
				header(&dl, &lay, got, sizeof(got), &right, &counter);
				if (strcmp(got, want[g]) != 0)
					fprintf(stderr, "%s %dx%d: header \"%s\"\n", themes[t], w,
					        h, got);
				CHECK_STR(got, want[g]);
				CHECK(counter != INT32_MAX); /* the step counter stays */
				if (right > counter)
					fprintf(stderr,
					        "%s %dx%d: title ends at %d, counter at %d\n",
					        themes[t], w, h, right, counter);
				CHECK(right <= counter);
				pgt_dl_free(&dl);
			}
		}
	pgt_session_free(s);
}

int main(void)
{
	fonts = pgt_fonts_open(NULL, NULL);
	if (!fonts)
		return 1;
	RUN(test_rule);
	RUN(test_drawn);
	pgt_fonts_close(fonts);
	return t_report();
}
