/*
 * Legible on a projector (issue 12), the panels and the counters: the
 * picker's long rows, the log check panel (`d`) and the table-page
 * inspector pass every frame check of legible.h at 1280x720 and 1920x1080
 * in every theme; the slide of the Xen fix names each pane's rule; the
 * counters agree with each other and with the story: the heading's share
 * mapped with "direct-mapped", no 100% after a panic, the tables present
 * at boot counted at step 0, no BRK/memblock counters on the chunk-end
 * pane, a final caption that sums the run up.
 */
#include "legible.h"

/* Whether s is whole UTF-8 (no sequence cut short, no stray byte). */
static bool utf8_whole(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		int n = *u < 0x80             ? 0
		        : (*u & 0xe0) == 0xc0 ? 1
		        : (*u & 0xf0) == 0xe0 ? 2
		        : (*u & 0xf8) == 0xf0 ? 3
		                              : -1;
		if (n < 0)
			return false;
		u++;
		for (int k = 0; k < n; k++, u++)
			if ((*u & 0xc0) != 0x80)
				return false;
	}
	return true;
}

/* The picker (`o`): a description too long for its row ends in an
 * ellipsis, cut between whole UTF-8 characters, inside the box; a long
 * typed path shows its end; at 1280x720 and 1920x1080 and 480x720. */
static void test_picker_ellipsis(void)
{
	pgt_session *s = start("pc-4g", NULL);
	REQUIRE(s);
	pgt_pick_item items[2];
	memset(items, 0, sizeof(items));
	snprintf(items[0].name, sizeof(items[0].name), "long-one");
	/* 2-byte characters, then 3-byte ones, no spaces near the cut */
	size_t k = 0;
	for (; k + 2 < 120; k += 2)
		memcpy(items[0].desc + k, "\xc3\xa9", 2);
	for (; k + 3 < sizeof(items[0].desc) - 1; k += 3)
		memcpy(items[0].desc + k, "\xe2\x86\x92", 3);
	items[0].desc[k] = '\0';
	items[0].builtin = true;
	snprintf(items[1].name, sizeof(items[1].name), "short");
	snprintf(items[1].desc, sizeof(items[1].desc), "A short one");
	items[1].builtin = true;
	pgt_pick_list l = {items, 2};
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "dark", NULL));
	static const int sz[][2] = {{1280, 720}, {1920, 1080}, {480, 720}};
	for (size_t z = 0; z < 3; z++) {
		pgt_viewstate vs;
		pgt_viewstate_init(&vs);
		vs.show_picker = true;
		vs.pick_count = 2;
		for (int i = 0; i < 200; i++)
			vs.pick_path[i] = (char)('a' + i % 26);
		memcpy(vs.pick_path + 200, "/the-end.json", 14);
		pgt_drawlist dl;
		pgt_dl_init(&dl);
		pgt_view_layout lay;
		pgt_view_params p = {sz[z][0], sz[z][1], &th, pgt_fonts_measure, fonts, true, &l,
		                     NULL,     NULL,     0};
		pgt_view_build(&dl, &lay, &s->model, &vs, &p);
		REQUIRE(!dl.oom);
		/* The picker is drawn last, in the last clip rectangle set. */
		size_t from = 0;
		for (size_t i = 0; i < dl.n; i++)
			if (dl.cmds[i].kind == PGT_DL_CLIP && dl.cmds[i].w > 0)
				from = i;
		const pgt_dl_cmd *pc = &dl.cmds[from];
		REQUIRE(pc->kind == PGT_DL_CLIP);
		box clip = {pc->x, pc->y, pc->x + pc->w, pc->y + pc->h};
		bool desc_seen = false, path_seen = false, short_seen = false;
		int cut = 0;
		for (size_t i = from + 1; i < dl.n; i++) {
			const pgt_dl_cmd *c = &dl.cmds[i];
			if (c->kind != PGT_DL_TEXT)
				continue;
			const char *t = pgt_dl_text(&dl, c);
			box ink = text_ink(&dl, c);
			CHECK(utf8_whole(t));
			if (ink.x1 > ink.x0 && !box_inside(ink, clip)) {
				fprintf(stderr, "  %dx%d: picker text cut by its box: \"%s\"\n",
				        sz[z][0], sz[z][1], t);
				CHECK(false);
			}
			if (!strncmp(t, "\xc3\xa9\xc3\xa9", 4)) {
				desc_seen = true;
				size_t n = strlen(t);
				/* whole, or a prefix of it and an ellipsis */
				CHECK(!strcmp(t, items[0].desc) ||
				      (n > 3 && !strcmp(t + n - 3, "\xe2\x80\xa6") &&
				       !strncmp(t, items[0].desc, n - 3)));
				cut += strcmp(t, items[0].desc) != 0;
			}
			if (strstr(t, "the-end.json_")) {
				path_seen = true;
				CHECK(!strncmp(t, "open: \xe2\x80\xa6", 9));
			}
			short_seen |= !strcmp(t, "A short one");
		}
		if (!(desc_seen && path_seen && short_seen))
			fprintf(stderr, "  %dx%d: %d %d %d\n", sz[z][0], sz[z][1], desc_seen,
			        path_seen, short_seen);
		CHECK(desc_seen && path_seen && short_seen);
		CHECK(cut == (sz[z][0] < 1920)); /* too long for 1280 and 480 wide */
		pgt_dl_free(&dl);
	}
	pgt_session_free(s);
}

/* ---- the log check panel (`d`) ---- */

/* Line 81 of the 3.9.8 log says "page 4k" instead of "page 2M", and a BRK
 * line the kernel did not print follows line 90: two rows differ. */
static char *edited_log(size_t *n)
{
	char *text = slurp(PGTVIZ_TEST_DIR "/realworld/006-dell-e6510-3.9.8-brk.log", n);
	char *l81 = text ? strstr(text, " [mem 0x22fe00000-0x22fffffff] page 2M") : NULL;
	char *l89 = text ? strstr(text, " [mem 0xcf600000-0xcf65efff] page 4k\n") : NULL;
	const char *extra = "[    0.000000] BRK [0x01f70000, 0x01f70fff] PGTABLE\n";
	char *ed = l81 && l89 ? malloc(*n + strlen(extra) + 1) : NULL;
	if (ed) {
		memcpy(strstr(l81, "page 2M") + 5, "4k", 2);
		size_t at = (size_t)(strchr(l89, '\n') + 1 - text);
		memcpy(ed, text, at);
		strcpy(ed + at, extra);
		strcpy(ed + at + strlen(extra), text + at);
		*n = strlen(ed);
	}
	free(text);
	return ed;
}

/* The log imported twice: once checked (lc's texts point into dm), once
 * moved into the session. */
static pgt_session *start_log(const char *text, size_t n, pgt_dmesg *dm, pgt_logcheck *lc)
{
	pgt_dmesg two;
	memset(dm, 0, sizeof(*dm));
	memset(&two, 0, sizeof(two));
	pgt_logcheck_opts o = pgt_logcheck_opts_default();
	pgt_diags d;
	pgt_diags_init(&d, "log");
	bool ok = pgt_dmesg_import(text, n, dm, &d) && pgt_logcheck_run(dm, &o, lc, &d) &&
	          pgt_dmesg_import(text, n, &two, &d);
	pgt_diags_print(&d, stderr);
	pgt_diags_free(&d);
	if (!ok)
		return NULL;
	pgt_scenario sc = two.sc;
	memset(&two.sc, 0, sizeof(two.sc));
	pgt_dmesg_free(&two);
	return pgt_session_start(&sc, NULL, NULL, NULL);
}

/* Builds the panel at step in every theme and size and runs every frame
 * check on the panel's commands (the frame under it is checked by the
 * tests above); leaves the last frame built (1920x1080 cb) in dl. */
static void check_panel_step(pgt_session *s, const pgt_logcheck *lc, const char *name, size_t step,
                             pgt_drawlist *dl, pgt_view_layout *lay)
{
	for (size_t t = 0; t < 3; t++) {
		pgt_theme th;
		REQUIRE(pgt_theme_load(&th, themes[t], NULL));
		for (size_t k = 0; k < 2; k++) {
			frame_id f = {name, "check panel", themes[t],
			              step, sizes[k][0],   sizes[k][1]};
			pgt_viewstate vs;
			pgt_viewstate_init(&vs);
			vs.step = step;
			vs.check = lc;
			pgt_view_params p = {f.w,   f.h,   &th,  pgt_fonts_measure,
			                     fonts, false, NULL, &s->cache,
			                     NULL,  0};
			/* the panel is what comes after the frame without it */
			vs.show_check = false;
			pgt_view_build(dl, lay, &s->model, &vs, &p);
			size_t under = dl->n;
			vs.show_check = true;
			pgt_view_build(dl, lay, &s->model, &vs, &p);
			REQUIRE(!dl->oom && dl->n > under);
			pgt_drawlist panel = *dl;
			panel.cmds = dl->cmds + under;
			panel.n = dl->n - under;
			pgt_view_layout no_panes = *lay;
			no_panes.npanes = 0;
			CHECK(check_frame(&f, &panel, &no_panes) == 0);
			/* the panel leaves the title whole: nothing of it above
			 * the panes' top */
			REQUIRE(lay->npanes > 0);
			for (size_t i = 0; i < panel.n; i++)
				CHECK(panel.cmds[i].kind == PGT_DL_CLIP ||
				      panel.cmds[i].y >= lay->pane[0].y);
		}
	}
}

static bool dl_has(const pgt_drawlist *dl, const char *needle)
{
	for (size_t i = 0; i < dl->n; i++)
		if (dl->cmds[i].kind == PGT_DL_TEXT &&
		    strstr(pgt_dl_text(dl, &dl->cmds[i]), needle))
			return true;
	return false;
}

/* Rects of colour col inside the timeline. */
static int timeline_rects(const pgt_drawlist *dl, const pgt_view_layout *lay, pgt_color col)
{
	int n = 0;
	for (size_t i = 0; i < dl->n; i++) {
		const pgt_dl_cmd *c = &dl->cmds[i];
		n += c->kind == PGT_DL_RECT && c->color == col && c->y >= lay->tl_y &&
		     c->y + c->h <= lay->tl_y + lay->tl_h && c->w <= 8;
	}
	return n;
}

static void test_check_panel(void)
{
	size_t n;
	char *text = edited_log(&n);
	REQUIRE(text);
	pgt_dmesg dm;
	pgt_logcheck lc;
	pgt_session *s = start_log(text, n, &dm, &lc);
	REQUIRE(s);
	REQUIRE(pgt_lc_unmatched(&lc) == 2);
	REQUIRE(lc.matched == 18 && lc.n_log == 20);
	size_t last = s->model.nsteps - 1, diff_step = 0;
	for (size_t i = 0; i < lc.n_rows; i++)
		if (lc.rows[i].status == PGT_LC_DIFFERS)
			diff_step = pgt_view_global_step(&s->model, 0, lc.rows[i].event);
	CHECK(diff_step > 0);
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	const size_t steps[] = {0, diff_step, last / 2, last};
	for (size_t i = 0; i < 4; i++)
		check_panel_step(s, &lc, "006 edited", steps[i], &dl, &lay);
	/* at the differing row's step: both texts, the header's count */
	check_panel_step(s, &lc, "006 edited", diff_step, &dl, &lay);
	CHECK(dl_has(&dl, "check: 18 of 20 lines match"));
	CHECK(dl_has(&dl, "[mem 0x22fe00000-0x22fffffff] page 4k"));
	CHECK(dl_has(&dl, "[mem 0x22fe00000-0x22fffffff] page 2M"));
	CHECK(dl_has(&dl, "BRK [0x01f70000, 0x01f70fff] PGTABLE"));
	/* a tick on the timeline per step with a differing row (cb theme) */
	pgt_theme cb;
	REQUIRE(pgt_theme_load(&cb, "cb", NULL));
	CHECK(timeline_rects(&dl, &lay, cb.violation) >= 2);
	pgt_dl_free(&dl);
	pgt_session_free(s);
	pgt_logcheck_free(&lc);
	pgt_dmesg_free(&dm);
	free(text);

	/* 243 memblock table pages: the list scrolls to the step's rows */
	text = slurp(PGTVIZ_TEST_DIR "/oracle/cases/612-256g.log", &n);
	REQUIRE(text);
	s = start_log(text, n, &dm, &lc);
	REQUIRE(s);
	pgt_dl_init(&dl);
	last = s->model.nsteps - 1;
	check_panel_step(s, &lc, "612-256g", last, &dl, &lay);
	CHECK(dl_has(&dl, lc.log[lc.n_log - 1].text));
	CHECK(!dl_has(&dl, lc.log[0].text));
	check_panel_step(s, &lc, "612-256g", 0, &dl, &lay);
	CHECK(dl_has(&dl, lc.log[0].text));
	CHECK(!dl_has(&dl, lc.log[lc.n_log - 1].text));
	CHECK(dl_has(&dl, "check: 243 of 243 table pages match"));
	pgt_dl_free(&dl);
	pgt_session_free(s);
	pgt_logcheck_free(&lc);
	pgt_dmesg_free(&dm);
	free(text);
}

/* ---- counters agree with each other and with the story ---- */

/* Bytes of "1.5 GiB", "512 MiB", "0 bytes" at s (0 when not a size). */
static double parse_size(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s)
		return -1;
	while (*end == ' ')
		end++;
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
	for (int k = 0; k < 6; k++)
		if (strncmp(end, units[k], strlen(units[k])) == 0)
			return v * pow(1024.0, k);
	return -1;
}

/* Texts of one frame inside pane p (all of them for p < 0). */
static int pane_texts(const pgt_drawlist *dl, const pgt_view_layout *lay, int p, const char **out,
                      int cap)
{
	int n = 0;
	for (size_t i = 0; i < dl->n && n < cap; i++) {
		const pgt_dl_cmd *c = &dl->cmds[i];
		if (c->kind != PGT_DL_TEXT)
			continue;
		if (p >= 0) {
			const pgt_pane_layout *pl = &lay->pane[p];
			if (c->x < pl->x || c->x >= pl->x + pl->w || c->y < pl->y ||
			    c->y >= pl->y + pl->h)
				continue;
		}
		out[n++] = pgt_dl_text(dl, c);
	}
	return n;
}

static const char *find_text(const char **t, int n, const char *needle)
{
	for (int i = 0; i < n; i++)
		if (strstr(t[i], needle))
			return t[i];
	return NULL;
}

/* The slide of the Xen failure and its fix (docs/tutorial.md,
 * 16-xen-fix-slide.png): each pane's heading says what that pane runs --
 * 2.6.39-rc1 with the pgt_buf_end window, 3.0 with the pgt_buf_top window
 * and the hook -- whole and clear of the VIOLATION banner, at both sizes,
 * zoomed on the buffer's top without caption and timeline as the slide is,
 * and with everything on. */
static void test_xen_fix_slide(void)
{
	const char *schemes = "old@2.6.39-rc1:xen-end,old@3.0:xen-top";
	pgt_session *s = start("xen-live-patient", schemes);
	REQUIRE(s);
	size_t viol = first_marker(&s->model, PGT_MK_VIOLATION);
	REQUIRE(viol != SIZE_MAX);
	static const char *const want[2][3] = {{"2.6.39-rc1 ", "pgt_buf_end", NULL},
	                                       {"3.0 ", "pgt_buf_top", "hook"}};
	for (size_t t = 0; t < 3; t++) {
		pgt_theme th;
		REQUIRE(pgt_theme_load(&th, themes[t], NULL));
		for (size_t k = 0; k < 2; k++)
			for (int slide = 0; slide < 2; slide++) {
				frame_id f = {"xen-live-patient", schemes,    themes[t], viol,
				              sizes[k][0],        sizes[k][1]};
				pgt_drawlist dl;
				pgt_dl_init(&dl);
				pgt_viewstate vs;
				pgt_viewstate_init(&vs);
				vs.step = viol;
				if (slide) {
					vs.overlays &=
					    ~(unsigned)(PGT_OV_CAPTION | PGT_OV_TIMELINE);
					for (int p = 0; p < 2; p++)
						vs.pane[p] = (pgt_pane_view){0x7ee00000, 0x200000};
				}
				pgt_view_layout lay;
				pgt_view_params vp = {f.w,   f.h,   &th,  pgt_fonts_measure,
				                      fonts, false, NULL, &s->cache,
				                      NULL,  0};
				pgt_view_build(&dl, &lay, &s->model, &vs, &vp);
				REQUIRE(!dl.oom);
				CHECK(check_frame(&f, &dl, &lay) == 0);
				for (int p = 0; p < 2; p++) {
					/* the heading: the pane's first text */
					const char *t1[400];
					int n = pane_texts(&dl, &lay, p, t1, 400);
					REQUIRE(n > 0);
					const char *head = t1[0];
					for (int w = 0; w < 3; w++)
						if (want[p][w] && !strstr(head, want[p][w])) {
							fprintf(stderr,
							        "%s %dx%d pane %d heading \"%s\" "
							        "lacks \"%s\"\n",
							        themes[t], f.w, f.h, p, head,
							        want[p][w]);
							CHECK(strstr(head, want[p][w]) != NULL);
						}
				}
				/* the refused pin is on the left, under its banner */
				const char *tl[400];
				int n = pane_texts(&dl, &lay, 0, tl, 400);
				CHECK(find_text(tl, n, "VIOLATION") != NULL);
				pgt_dl_free(&dl);
			}
	}
	pgt_session_free(s);
}

typedef struct frame {
	pgt_drawlist dl;
	pgt_view_layout lay;
} frame;

static void build(frame *f, pgt_session *s, size_t step, int w, int h)
{
	pgt_theme th;
	pgt_theme_load(&th, "light", NULL);
	pgt_dl_init(&f->dl);
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.step = step;
	pgt_view_params p = {w, h, &th, pgt_fonts_measure, fonts, false, NULL, &s->cache, NULL, 0};
	pgt_view_build(&f->dl, &f->lay, &s->model, &vs, &p);
}

/* The precision a size is printed with: one unit of its last digit
 * ("1.9 GiB": 0.1 GiB, "336 MiB": 1 MiB). */
static double size_ulp(const char *s)
{
	double v = parse_size(s), whole = strtod(s, NULL);
	if (v <= 0 || whole <= 0)
		return 0;
	const char *dot = strchr(s, '.');
	const char *sp = strchr(s, ' ');
	double step = dot && sp && dot < sp ? 0.1 : 1.0;
	return v / whole * step;
}

/* The heading's share built is the counters' "direct-mapped: A of B
 * built": A is cut and B rounded to the digits shown, so the share must
 * lie within what the printed digits allow. */
static void check_share(pgt_session *s, size_t step, int p)
{
	frame f;
	build(&f, s, step, 1920, 1080);
	const char *t[400];
	int n = pane_texts(&f.dl, &f.lay, p, t, 400);
	const char *head = find_text(t, n, "% of ");
	const char *dm = find_text(t, n, "direct-mapped: ");
	CHECK(head && dm);
	if (head && dm) {
		const char *pc = strstr(head, ", ");
		double share = strtod(pc ? pc + 2 : head, NULL);
		const char *as = dm + strlen("direct-mapped: ");
		double a = parse_size(as), ua = size_ulp(as);
		const char *of = strstr(dm, " of ");
		double b = of ? parse_size(of + 4) : a, ub = of ? size_ulp(of + 4) / 2 : ua;
		CHECK(a >= 0 && b > 0);
		/* A in [a, a + ua), B in [b - ub, b + ub]; the share is floored */
		double lo = 100.0 * a / (b + ub) - 1.0, hi = 100.0 * (a + ua) / (b - ub) + 0.1;
		bool ok = b > 0 && share >= lo && share <= hi;
		if (!ok)
			fprintf(stderr, "step %zu pane %d: \"%s\" vs \"%s\" (%.1f..%.1f)\n", step,
			        p, head, dm, lo, hi);
		CHECK(ok);
		/* and "100%" only next to all of it ("direct-mapped: 1 GiB built") */
		if (of && strstr(head, " 100%"))
			fprintf(stderr, "step %zu pane %d: \"%s\" vs \"%s\"\n", step, p, head, dm);
		CHECK(!(of && strstr(head, " 100%")));
	}
	pgt_dl_free(&f.dl);
}

static void test_counters(void)
{
	pgt_session *s = start("pc-4g", NULL);
	REQUIRE(s);
	size_t last = s->model.nsteps - 1;
	for (size_t k = 1; k < 8; k++)
		for (int p = 0; p < 2; p++)
			check_share(s, last * k / 8, p);
	/* The final caption sums the run up, in both panes at the last step
	 * (the pane that ends last too). */
	frame f;
	build(&f, s, last, 1920, 1080);
	const char *t[400];
	for (int p = 0; p < 2; p++) {
		int n = pane_texts(&f.dl, &f.lay, p, t, 400);
		const char *fin = find_text(t, n, "Finished at event");
		CHECK(fin && find_text(t, n, "direct-mapped,") && find_text(t, n, "page-table"));
	}
	pgt_dl_free(&f.dl);
	pgt_session_free(s);

	/* Two panes of one scheme: the difference lane names them by version. */
	s = start("gbpages-hole-3.7-rc2.json", "old@3.7-rc2,old@3.7");
	REQUIRE(s);
	build(&f, s, s->model.nsteps - 1, 1920, 1080);
	int n = pane_texts(&f.dl, &f.lay, -1, t, 400);
	CHECK(find_text(t, n, "3.7-rc2 above") != NULL);
	CHECK(find_text(t, n, "Old above") == NULL);
	pgt_dl_free(&f.dl);
	pgt_session_free(s);

	/* Sizes never round up to a whole unit they do not reach: qemu-1g
	 * maps 1023.96 MiB, not "1024.0 MiB". */
	char sz[32];
	CHECK(strcmp(pgt_fmt_size(0x3fff6000, sz, sizeof(sz)), "1023.9 MiB") == 0);
	CHECK(strcmp(pgt_fmt_size(3ull << 29, sz, sizeof(sz)), "1.5 GiB") == 0);
	CHECK(strcmp(pgt_fmt_size(1ull << 30, sz, sizeof(sz)), "1 GiB") == 0);
	/* A part of a total is cut, not rounded up: 1.984 GiB of 2 GiB (99%)
	 * is not "2.0 GiB", and below 10 units not "1.9 GiB" either (a
	 * hundredth is kept where one decimal would lose it). */
	CHECK(strcmp(pgt_fmt_size_down(0x7f000000, sz, sizeof(sz)), "1.98 GiB") == 0);
	CHECK(strcmp(pgt_fmt_size_down(0x7d800000, sz, sizeof(sz)), "1.96 GiB") == 0);
	CHECK(strcmp(pgt_fmt_size_down(0x7999a000, sz, sizeof(sz)), "1.9 GiB") == 0);
	CHECK(strcmp(pgt_fmt_size_down(0xffe00000ull * 16, sz, sizeof(sz)), "63.9 GiB") == 0);
	CHECK(strcmp(pgt_fmt_size_down(3ull << 29, sz, sizeof(sz)), "1.5 GiB") == 0);
	CHECK(strcmp(pgt_fmt_size_down(2ull << 30, sz, sizeof(sz)), "2 GiB") == 0);
	CHECK(strcmp(pgt_fmt_size_down(0x3fff6000, sz, sizeof(sz)), "1023.9 MiB") == 0);
	CHECK(strcmp(pgt_fmt_size_down(4095, sz, sizeof(sz)), "3.99 KiB") == 0);

	/* The mail's example near its end: 1022 MiB of 1 GiB is not "100%". */
	s = start("mail-0-1g-4k.json", NULL);
	REQUIRE(s);
	static const size_t near_end[] = {4000, 4110};
	for (size_t k = 0; k < 2; k++)
		for (int p = 0; p < 2; p++)
			check_share(s, near_end[k], p);
	pgt_session_free(s);

	/* No "100%" once a run panicked; it says so. */
	s = start("old-panics.json", NULL);
	REQUIRE(s);
	build(&f, s, s->model.nsteps - 1, 1920, 1080);
	n = pane_texts(&f.dl, &f.lay, 0, t, 400);
	CHECK(!find_text(t, n, "100%"));
	CHECK(find_text(t, n, "panicked") != NULL);
	pgt_dl_free(&f.dl);
	pgt_session_free(s);

	/* 2.6.39-rc1 under Xen: the hypervisor crashes the domain; the kernel
	 * does not panic (the crash log in a38647837a4's message). */
	s = start("xen-live-patient", NULL);
	REQUIRE(s);
	build(&f, s, s->model.nsteps - 1, 1920, 1080);
	n = pane_texts(&f.dl, &f.lay, 0, t, 400);
	CHECK(find_text(t, n, ", crashed") != NULL); /* the heading */
	CHECK(find_text(t, n, "Xen crashed the domain with") != NULL);
	CHECK(!find_text(t, n, "panicked"));
	pgt_dl_free(&f.dl);
	pgt_session_free(s);

	/* At the refused pin, at 1920x1080, the old pane's long note leaves
	 * its counters on screen (the empty memblock strip's room gives way
	 * first): "violations: 1" is there, in the pane that has it. */
	s = start("xen-live-patient", NULL);
	REQUIRE(s);
	REQUIRE(s->model.pane[0].nviol > 0);
	build(&f, s, pgt_view_global_step(&s->model, 0, s->model.pane[0].viol[0]), 1920, 1080);
	n = pane_texts(&f.dl, &f.lay, 0, t, 400);
	CHECK(find_text(t, n, "violations: 1") != NULL);
	CHECK(find_text(t, n, "direct-mapped: ") != NULL);
	pgt_dl_free(&f.dl);
	pgt_session_free(s);

	/* The tables Xen's domain builder made are counted at step 0, as the
	 * map draws them. */
	s = start("xen-live-patient", NULL);
	REQUIRE(s);
	build(&f, s, 0, 1920, 1080);
	n = pane_texts(&f.dl, &f.lay, 0, t, 400);
	uint32_t boot = 0;
	const pgt_table *tab = pgt_sim_tables(s->model.pane[0].sim);
	for (size_t i = 0; i < s->model.pane[0].ntab; i++)
		boot += tab[i].origin == PGT_ORIGIN_XEN || tab[i].origin == PGT_ORIGIN_STATIC;
	char want[48];
	snprintf(want, sizeof(want), "= %u pages", boot);
	CHECK(boot > 1 && find_text(t, n, want) != NULL);
	pgt_dl_free(&f.dl);
	pgt_session_free(s);

	/* The chunk-end pane has no BRK or memblock counters. */
	s = start("pc-4g", "chunk-end,new");
	REQUIRE(s);
	build(&f, s, s->model.nsteps / 2, 1920, 1080);
	n = pane_texts(&f.dl, &f.lay, 0, t, 400);
	CHECK(!find_text(t, n, "BRK:") && !find_text(t, n, "memblock:"));
	CHECK(find_text(t, n, "at chunk ends") != NULL);
	n = pane_texts(&f.dl, &f.lay, 1, t, 400);
	CHECK(find_text(t, n, "BRK:") != NULL);
	pgt_dl_free(&f.dl);
	pgt_session_free(s);
}

/* The old pane's pgt_buf strip shows one call's buffer, its counter the sum
 * over all calls' buffers: on pc-4g's last frame they name what each is
 * ("call 2's pgt_buf: 1 of 2 pages used" above "pgt_buf, all calls: 4 of 7
 * used"), with the figures of the model's buffers, at 1280x720 and
 * 1920x1080; while one buffer is placed, both say "pgt_buf". */
static void check_pgtbuf_names(pgt_session *s, size_t step, int w, int h)
{
	const pgt_pane_model *pm = &s->model.pane[0];
	size_t ev = pgt_view_pane_step(&s->model, 0, step);
	uint64_t used = 0, resv = 0, back = 0;
	size_t nplaced = 0;
	const pgt_bufhist *last = NULL;
	for (size_t i = 0; i < pm->nbufs; i++) {
		const pgt_bufhist *b = &pm->bufs[i];
		if (b->placed > ev)
			continue;
		REQUIRE(b->done <= ev); /* the frames checked are after each call */
		nplaced++;
		last = b;
		resv += b->top_pfn - b->start_pfn;
		used += b->end_pfn - b->start_pfn;
		back += b->top_pfn - b->end_pfn;
	}
	REQUIRE(last);
	unsigned call = 0; /* the call that placed the last buffer */
	for (size_t i = 0; i <= last->placed; i++)
		call += pgt_sim_event(pm->sim, i).kind == PGT_EV_CALL_BEGIN;
	frame f;
	build(&f, s, step, w, h);
	const char *t[400];
	int n = pane_texts(&f.dl, &f.lay, 0, t, 400);
	/* the strip's title ("... pages used") and the counter, by prefix */
	char want[96];
	if (nplaced > 1)
		snprintf(want, sizeof(want), "call %u's pgt_buf", call);
	else
		snprintf(want, sizeof(want), "pgt_buf");
	const char *sp = nplaced > 1 ? "pgt_buf, all calls: " : "pgt_buf: ";
	const char *title = NULL, *sum = NULL;
	for (int i = 0; i < n; i++) {
		bool pages = strstr(t[i], " pages used") != NULL;
		if (pages && !strncmp(t[i], want, strlen(want)))
			title = t[i];
		if (!pages && !strncmp(t[i], sp, strlen(sp)))
			sum = t[i];
		CHECK(!pages || nplaced > 1 || strncmp(t[i], "call ", 5));
	}
	if (!title || !sum)
		fprintf(stderr, "%dx%d step %zu: no \"%s\" title or \"%s\" counter\n", w, h, step,
		        want, sp);
	CHECK(title && sum);
	snprintf(want, sizeof(want), " %" PRIu64 " of %" PRIu64 " pages used",
	         last->end_pfn - last->start_pfn, last->top_pfn - last->start_pfn);
	CHECK(title && strstr(title, want));
	snprintf(want, sizeof(want), ": %" PRIu64 " of %" PRIu64 " used", used, resv);
	CHECK(sum && strstr(sum, want));
	snprintf(want, sizeof(want), ", %" PRIu64 " handed back", back);
	CHECK(sum && strstr(sum, want));
	pgt_dl_free(&f.dl);
}

static void test_pgtbuf_names(void)
{
	pgt_session *s = start("pc-4g", NULL);
	REQUIRE(s);
	const pgt_pane_model *pm = &s->model.pane[0];
	REQUIRE(pm->nbufs >= 2);
	/* the step after the first call, and the last */
	size_t first = pgt_view_global_step(&s->model, 0, pm->bufs[0].done);
	size_t last = s->model.nsteps - 1;
	CHECK(pm->bufs[1].placed > pm->bufs[0].done);
	for (int k = 0; k < 2; k++) {
		check_pgtbuf_names(s, first, k ? 1920 : 1280, k ? 1080 : 720);
		check_pgtbuf_names(s, last, k ? 1920 : 1280, k ? 1080 : 720);
	}
	pgt_session_free(s);
}

/* The split of the heading and the counters (docs/window.md, "Counters"):
 * what the calls built grows from 0, apart from what the boot-time map
 * (head_64.S, head_32.S, the domain builder) maps; the bytes shown are the
 * state's, and the boot-time part is whole from step 0. */
static void check_boot_part(pgt_session *s, size_t step, int p, const char *by)
{
	frame f;
	build(&f, s, step, 1920, 1080);
	const char *t[400];
	int n = pane_texts(&f.dl, &f.lay, p, t, 400);
	const pgt_pane_model *pm = &s->model.pane[p];
	size_t ev = pgt_view_pane_step(&s->model, p, step);
	pgt_state st = pgt_sim_state_at(pm->sim, ev);
	/* before the first call, the map as that call finds it */
	size_t c = 0;
	while (c < pm->nev && pgt_sim_event(pm->sim, c).kind != PGT_EV_CALL_BEGIN)
		c++;
	if (ev + 1 < c)
		st = pgt_sim_state_at(pm->sim, c - 1);
	const char *dm = find_text(t, n, "direct-mapped: ");
	CHECK(dm != NULL);
	if (dm && st.boot_bytes) {
		char want[96], sz[32];
		snprintf(want, sizeof(want), " + %s",
		         pgt_fmt_size_down(st.boot_bytes, sz, sizeof(sz)));
		if (!strstr(dm, want))
			fprintf(stderr, "step %zu pane %d: \"%s\" lacks \"%s\"\n", step, p, dm,
			        want);
		CHECK(strstr(dm, want) != NULL);
		/* the heading names who made it, where it has the room */
		const char *head = find_text(t, n, "% of ");
		if (head && strstr(head, " + ") && !strstr(head, by))
			fprintf(stderr, "step %zu pane %d: \"%s\" lacks \"%s\"\n", step, p, head,
			        by);
		if (head && strstr(head, " + "))
			CHECK(strstr(head, by) != NULL);
	} else if (dm) {
		CHECK(strstr(dm, " + ") == NULL);
	}
	pgt_dl_free(&f.dl);
}

static void test_boot_time_map(void)
{
	/* The mail's example: head_64.S's 2 MiB entries map the whole GiB from
	 * the start; the 4k run replaces them one by one.  Early on, neither
	 * pane reads "done". */
	pgt_session *s = start("mail-0-1g-4k.json", NULL);
	REQUIRE(s);
	for (size_t k = 0; k < 8; k++)
		for (int p = 0; p < 2; p++) {
			size_t step = (s->model.nsteps - 1) * k / 8;
			check_boot_part(s, step, p, "head_64.S");
			if (k)
				check_share(s, step, p);
		}
	frame f;
	const char *t[400];
	for (size_t step = 0; step < 40; step += 13) {
		build(&f, s, step, 1280, 720);
		for (int p = 0; p < 2; p++) {
			int n = pane_texts(&f.dl, &f.lay, p, t, 400);
			CHECK(!find_text(t, n, "100%") && !find_text(t, n, "99."));
			CHECK(find_text(t, n, "% of 1 GiB built") != NULL);
		}
		pgt_dl_free(&f.dl);
	}
	pgt_session_free(s);

	/* Xen PV: the domain builder's map, whole from step 0 (the builder
	 * made it before the kernel ran). */
	s = start("xen-live-patient", NULL);
	REQUIRE(s);
	for (int p = 0; p < 2; p++) {
		check_boot_part(s, 0, p, "the domain builder");
		check_boot_part(s, s->model.nsteps / 3, p, "the domain builder");
	}
	/* and its tables are read-only from step 0 (pinned before the kernel
	 * runs; the captions say "read-only from the start"): as many as the
	 * run has made read-only when its first call begins */
	frame f0;
	build(&f0, s, 0, 1920, 1080);
	for (int p = 0; p < 2; p++) {
		const pgt_pane_model *pm = &s->model.pane[p];
		size_t c = 0;
		while (c < pm->nev && pgt_sim_event(pm->sim, c).kind != PGT_EV_CALL_BEGIN)
			c++;
		REQUIRE(c > 0 && c < pm->nev);
		uint32_t ro = pgt_sim_state_at(pm->sim, c - 1).ro_pages;
		CHECK(ro > 0);
		char want[64];
		snprintf(want, sizeof(want), "Xen read-only pages: %u ", ro);
		const char *t0[400];
		int n0 = pane_texts(&f0.dl, &f0.lay, p, t0, 400);
		CHECK(find_text(t0, n0, want) != NULL);
	}
	pgt_dl_free(&f0.dl);
	pgt_session_free(s);

	/* 3.9+ x86-64 starts from an empty init_level4_pgt: no boot-time part. */
	s = start("pc-4g", "new");
	REQUIRE(s);
	check_boot_part(s, 3, 0, "head_64.S");
	pgt_session_free(s);
}

/* The final caption sums the run up, in every pane of every gallery
 * scenario, at both sizes: how it ended, what is mapped, how many table
 * pages from where; never "complete" or "100%" after a panic. */
static void test_final_captions(void)
{
	static const char *const gallery[] = {"debug-64g-4k.json",
	                                      "gbpages-hole-3.7-rc2.json",
	                                      "initrd-top.json",
	                                      "kdump-512m-under-768m.json",
	                                      "mail-0-1g-4k.json",
	                                      "movable-node.json",
	                                      "numa-256g.json",
	                                      "old-panics.json",
	                                      "server-128g-gbpages.json",
	                                      "xen-invariant-2.6.27.json",
	                                      "xen-live-patient.json",
	                                      "xen-window-2.6.37.json",
	                                      "pc-4g.json",
	                                      "qemu-1g.json",
	                                      "qemu-1g-initrd.json",
	                                      "pc-4g-gbpages.json"};
	for (size_t g = 0; g < sizeof(gallery) / sizeof(gallery[0]); g++) {
		pgt_session *s = start(gallery[g], NULL);
		if (!s)
			fprintf(stderr, "cannot start %s\n", gallery[g]);
		CHECK(s != NULL);
		if (!s)
			continue;
		for (int z = 0; z < 2; z++) {
			frame f;
			int w = z ? 1920 : 1280, h = z ? 1080 : 720;
			build(&f, s, s->model.nsteps - 1, w, h);
			for (int p = 0; p < s->model.npanes; p++) {
				const char *t[400];
				int n = pane_texts(&f.dl, &f.lay, p, t, 400);
				bool panicked = pgt_sim_panic(s->model.pane[p].sim) != NULL;
				/* the caption wraps: its first line says how it ended */
				const char *fin = find_text(t, n, "Finished at event");
				if (!fin)
					fprintf(stderr, "%s %dx%d pane %d: no final caption\n",
					        gallery[g], w, h, p);
				CHECK(fin != NULL);
				CHECK(find_text(t, n, panicked ? "with" : "complete") != NULL);
				CHECK(find_text(t, n, "page-table") != NULL);
				if (panicked) {
					CHECK(!find_text(t, n, "complete"));
					CHECK(!find_text(t, n, "100%"));
				}
			}
			pgt_dl_free(&f.dl);
		}
		pgt_session_free(s);
	}
}

/* The tooltip agrees with the map: at xen-live-patient's crash the old
 * pane draws the second GiB direct-mapped (its entries are written) while
 * the PMD page holding them is not linked; the tooltip said "not
 * direct-mapped yet" there. */
static void test_tooltip_unlinked(void)
{
	pgt_session *s = start("xen-live-patient.json", NULL);
	REQUIRE(s);
	size_t last = s->model.nsteps - 1;
	const pgt_pane_model *pm = &s->model.pane[0];
	REQUIRE(pgt_sim_panic(pm->sim) != NULL);
	uint64_t addr = 0x71500000; /* second GiB, below the buffer */
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.step = last;
	REQUIRE(!pgt_sim_translate(pm->sim, addr, pgt_view_pane_at(&s->model, &vs, 0)).mapped);
	pgt_theme th;
	pgt_theme_load(&th, "light", NULL);
	pgt_view_params p = {1920,      1080, &th, pgt_fonts_measure, fonts, true, NULL,
	                     &s->cache, NULL, 0};
	frame f;
	pgt_dl_init(&f.dl);
	pgt_view_build(&f.dl, &f.lay, &s->model, &vs, &p);
	const pgt_strip_row *row = NULL;
	for (int i = 0; i < f.lay.pane[0].nrows; i++) {
		const pgt_strip_row *r = &f.lay.pane[0].rows[i];
		if (!r->gap && r->lo <= addr && addr < r->lo + r->span)
			row = r;
	}
	REQUIRE(row);
	vs.hover = true;
	vs.hover_x = row->x + (int)((double)(addr - row->lo) / (double)row->span * row->w);
	vs.hover_y = row->y + row->h / 2;
	pgt_view_build(&f.dl, &f.lay, &s->model, &vs, &p);
	CHECK(dl_has(&f.dl, "entry written, not live yet"));
	CHECK(!dl_has(&f.dl, "not direct-mapped yet"));
	pgt_dl_free(&f.dl);
	pgt_session_free(s);
}

/* The table-page inspector (window `i`, export --inspect): the Xen alias
 * page at the violation, the panel's commands at 1280x720, 1920x1080 and
 * 1280x629 (where its title once ran past the box) in every theme; as the
 * export draws it (no pointer, no "i closes") and as the window does with
 * the pointer on the alias entry. */
static void test_inspector(void)
{
	pgt_scenario sc = {0};
	REQUIRE(pgt_builtin_load((size_t)pgt_builtin_find("xen-live-patient"), &sc));
	pgt_session *s = pgt_session_start(&sc, "old@2.6.39-rc1", NULL, NULL);
	REQUIRE(s);
	const pgt_pane_model *pm = &s->model.pane[0];
	REQUIRE(pm->nviol > 0);
	pgt_event ve = pgt_sim_event(pm->sim, pm->viol[pm->nviol - 1]);
	static pgt_inspect in;
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.step = s->model.nsteps - 1;
	REQUIRE(pgt_inspect_update(&in, s, 0, (uint32_t)ve.b, pgt_view_pane_at(&s->model, &vs, 0)));
	REQUIRE(in.valid && in.alias < in.n);
	static const int isz[][2] = {{1280, 720}, {1920, 1080}, {1280, 629}};
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	for (size_t t = 0; t < 3; t++) {
		pgt_theme th;
		REQUIRE(pgt_theme_load(&th, themes[t], NULL));
		for (size_t k = 0; k < 3; k++)
			for (int inter = 0; inter < 2; inter++) {
				frame_id f = {
				    "xen-live-patient", inter ? "inspector, window" : "inspector",
				    themes[t],          vs.step,
				    isz[k][0],          isz[k][1]};
				pgt_view_params p = {f.w,   f.h,        &th,  pgt_fonts_measure,
				                     fonts, inter != 0, NULL, &s->cache,
				                     NULL,  0};
				vs.sel_pane = 0;
				vs.sel_table = in.table;
				vs.inspect = &in;
				vs.show_inspect = false;
				pgt_view_build(&dl, &lay, &s->model, &vs, &p);
				size_t under = dl.n;
				vs.show_inspect = true;
				pgt_view_build(&dl, &lay, &s->model, &vs, &p);
				REQUIRE(!dl.oom && dl.n > under);
				if (inter) {
					/* the pointer on the alias entry: its square is the
					 * one framed in the violation colour */
					for (size_t i = under; i < dl.n; i++)
						if (dl.cmds[i].kind == PGT_DL_FRAME &&
						    dl.cmds[i].color == th.violation) {
							vs.hover = true;
							vs.hover_x =
							    dl.cmds[i].x + dl.cmds[i].w / 2;
							vs.hover_y =
							    dl.cmds[i].y + dl.cmds[i].h / 2;
						}
					REQUIRE(vs.hover);
					pgt_view_build(&dl, &lay, &s->model, &vs, &p);
				}
				pgt_drawlist panel = dl;
				panel.cmds = dl.cmds + under;
				panel.n = dl.n - under;
				pgt_view_layout no_panes = lay;
				no_panes.npanes = 0;
				CHECK(check_frame(&f, &panel, &no_panes) == 0);
				/* the whole title, over one or two lines */
				char words[1024] = "";
				for (size_t i = 0; i < panel.n; i++)
					if (panel.cmds[i].kind == PGT_DL_TEXT &&
					    strlen(words) + 200 < sizeof(words)) {
						strcat(words, pgt_dl_text(&panel, &panel.cmds[i]));
						strcat(words, " ");
					}
				char want[96];
				snprintf(want, sizeof(want), "PTE table #%u at", in.table);
				CHECK(strstr(words, want) != NULL);
				CHECK(strstr(words, "(2 MiB)") != NULL);
				snprintf(want, sizeof(want), "--table %u --step %zu", in.table,
				         in.event);
				CHECK(strstr(words, want) != NULL);
				CHECK((strstr(words, "Escape closes") != NULL) == (inter != 0));
				snprintf(want, sizeof(want), "entry %zu: maps", in.alias);
				CHECK((strstr(words, want) != NULL) == (inter != 0));
				CHECK(strstr(words, "point at an entry") == NULL);
				vs.hover = false;
			}
	}
	pgt_dl_free(&dl);
	pgt_session_free(s);
}

int main(void)
{
	fonts = pgt_fonts_open(NULL, NULL);
	if (!fonts)
		return 1;
	RUN(test_xen_fix_slide);
	RUN(test_picker_ellipsis);
	RUN(test_counters);
	RUN(test_pgtbuf_names);
	RUN(test_boot_time_map);
	RUN(test_final_captions);
	RUN(test_check_panel);
	RUN(test_inspector);
	RUN(test_tooltip_unlinked);
	pgt_fonts_close(fonts);
	fprintf(stderr, "%d problems shown\n", problems);
	return t_report();
}
