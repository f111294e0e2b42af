/*
 * view_pane.c: one pane -- scheme title, narration caption, the memory map
 * (view_map.c), the per-page detail strips (view_strip.c), the counters, the
 * page-table tree, the selection outline and the scenario's notes.
 */
#include "view_internal.h"

#include "pgtviz/moment.h"
#include "pgtviz/narrate.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================== */
/* Counters and tree                                                        */
/* ======================================================================== */

/* Who wrote the boot-time map, the entries present before the first call
 * (docs/kernel-model.md, "The boot-time map"). */
static const char *boot_map_by(const pgt_sim *sim)
{
	return pgt_sim_xen(sim)          ? "the domain builder"
	       : pgt_sim_bits(sim) == 32 ? "head_32.S"
	                                 : "head_64.S";
}

/* " + 1 GiB from head_64.S": the boot-time map's part of what is mapped
 * (empty when it maps nothing, as on x86-64 3.9+). */
static void boot_part(const pgt_pane_model *pm, const pgt_state *st, const char *word, char *buf,
                      size_t size)
{
	char b[32];
	buf[0] = '\0';
	if (st->boot_bytes)
		snprintf(buf, size, " + %s %s %s", pgt_fmt_size_down(st->boot_bytes, b, sizeof(b)),
		         word, boot_map_by(pm->sim));
}

static void draw_counters(ctx *c, int p, int x, int y, int w, size_t step)
{
	const pgt_pane_model *pm = &c->m->pane[p];
	const pgt_theme *t = c->t;
	pgt_state st = c->st[p]; /* with the tables present at boot */
	int lh = c->fs_body * 5 / 4 + U(c, 3);
	char a[32], b[64];
	/* Never run into the tree on the right. */
	dl_clip(c->dl, x, y - U(c, 4), w, 6 * lh);
	uint32_t total = st.tables[1] + st.tables[2] + st.tables[3] + st.tables[4];
	int yy = y;
	/* Line 1: tables per level with colour chips. */
	int xx = x;
	static const int lv[4] = {PGT_PGD, PGT_PUD, PGT_PMD, PGT_PTE};
	for (int i = 0; i < 4; i++) {
		int sq = c->fs_body * 3 / 4;
		dl_rect(c->dl, xx, yy + (c->fs_body - sq) / 2 + U(c, 2), sq, sq,
		        level_color(t, lv[i]));
		xx += sq + U(c, 5);
		char s[48];
		snprintf(s, sizeof(s), "%s %u", pgt_level_name(lv[i]), st.tables[lv[i]]);
		dl_text(c->dl, xx, yy, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT, t->text, s);
		xx += measure(c, PGT_FONT_SANS, c->fs_body, s) + U(c, 14);
	}
	char sum[48];
	snprintf(sum, sizeof(sum), "= %u page%s", total, total == 1 ? "" : "s");
	if (xx + measure(c, PGT_FONT_SANS, c->fs_body, sum) > x + w) /* the sum alone, if */
		snprintf(sum, sizeof(sum), "= %u", total);           /* the room is short */
	dl_text(c->dl, xx, yy, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT, t->text_dim, sum);
	yy += lh;
	if (pm->is_old) {
		uint64_t resv = 0, used = 0, back = 0;
		for (size_t i = 0; i < pm->nbufs; i++) {
			const pgt_bufhist *bh = &pm->bufs[i];
			if (bh->placed > step)
				continue;
			bool done = bh->done <= step;
			uint64_t e = done ? bh->end_pfn : st.pgt_buf_end;
			resv += bh->top_pfn - bh->start_pfn;
			used += e - bh->start_pfn;
			if (done)
				back += bh->top_pfn - e;
		}
		char extra[48] = "";
		if (resv - used - back)
			snprintf(extra, sizeof(extra), ", %" PRIu64 " unused", resv - used - back);
		/* The sum over every call's buffer: named so where the strip
		 * above shows one call's ("call 2's pgt_buf: 1 of 2 pages used"
		 * above "pgt_buf, all calls: 4 of 7 used"); the longest wording
		 * that fits. */
		bool several = pm->nbufs > 1 && pm->bufs[1].placed <= step;
		const char *name = several ? "pgt_buf, all calls" : "pgt_buf";
		char line[160];
		for (int k = 0; k < 3; k++) {
			if (k == 0)
				snprintf(line, sizeof(line),
				         "%s: %" PRIu64 " of %" PRIu64 " used%s, %" PRIu64
				         " handed back",
				         name, used, resv, extra, back);
			else
				snprintf(line, sizeof(line),
				         "%s: %" PRIu64 "/%" PRIu64 " used%s, %" PRIu64 " back",
				         k == 2 && several ? "all pgt_bufs" : name, used, resv,
				         extra, back);
			if (measure(c, PGT_FONT_SANS, c->fs_body, line) <= w)
				break;
		}
		dl_text(c->dl, x, yy, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT, t->text, line);
	} else if (pgt_sim_scheme(pm->sim) == PGT_SCHEME_CHUNKEND) {
		/* hpa's proposal has no BRK buffer and no memblock search: each
		 * table page sits at the end of the chunk just mapped. */
		/* No step size either: the chunk is what one table covers at the
		 * leaf size the walk writes (docs/kernel-model.md, "chunk-end"). */
		a[0] = '\0';
		if (st.map_shift)
			pgt_fmt_size(1ull << (st.map_shift + (st.map_shift == 22 ? 10 : 9)), a,
			             sizeof(a));
		textf(c, x, yy, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT, t->text,
		      "at chunk ends: %u page%s%s%s", st.tables_origin[PGT_ORIGIN_CHUNK],
		      st.tables_origin[PGT_ORIGIN_CHUNK] == 1 ? "" : "s", a[0] ? "   chunk: " : "",
		      a);
	} else {
		uint64_t brk_total = 0;
		const pgt_bufhist *bh = current_buf(pm, step);
		if (bh)
			brk_total = bh->top_pfn - bh->start_pfn;
		textf(c, x, yy, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT, t->text,
		      "BRK: %" PRIu64 "/%" PRIu64 " pages   memblock: %u page%s   step: %s",
		      st.brk_used, brk_total, st.tables_origin[PGT_ORIGIN_MEMBLOCK],
		      st.tables_origin[PGT_ORIGIN_MEMBLOCK] == 1 ? "" : "s",
		      st.step_size ? pgt_fmt_size(st.step_size, a, sizeof(a)) : "-");
	}
	yy += lh;
	/* The same bytes as the heading's share (pane_position): what the
	 * calls built, of what they build in the end, and what the boot-time
	 * map still maps. */
	char mb[32], boot[64], line[200];
	pgt_state fin = pgt_sim_state_at(pm->sim, pm->nev ? pm->nev - 1 : 0);
	uint64_t built = st.mapped_bytes - st.boot_bytes, all = fin.mapped_bytes - fin.boot_bytes;
	b[0] = '\0';
	if (!pgt_sim_panic(pm->sim) && all != built)
		snprintf(b, sizeof(b), " of %s",
		         (fin.boot_bytes ? pgt_fmt_size_down : pgt_fmt_size)(all, a, sizeof(a)));
	/* cut where a part follows: "2.0 GiB built + 36 MiB" overstated a 2 GiB guest */
	(pgt_sim_panic(pm->sim) || built < all || st.boot_bytes ? pgt_fmt_size_down : pgt_fmt_size)(
	    built, mb, sizeof(mb));
	boot_part(pm, &st, "by", boot, sizeof(boot));
	snprintf(line, sizeof(line), "direct-mapped: %s%s built%s", mb, b, boot);
	if (st.boot_bytes) { /* shorter wordings, the longest that fits */
		char bb[32];
		pgt_fmt_size_down(st.boot_bytes, bb, sizeof(bb));
		for (int k = 0; k < 3 && measure(c, PGT_FONT_SANS, c->fs_body, line) > w; k++)
			snprintf(line, sizeof(line), "direct-mapped: %s%s%s + %s%s", mb, b,
			         k == 0 ? " built" : "", bb, k < 2 ? " at boot" : "");
	}
	dl_text(c->dl, x, yy, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT, t->text, line);
	yy += lh;
	textf(c, x, yy, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT, t->text,
	      "max_pfn_mapped: %#" PRIx64, st.max_pfn_mapped);
	yy += lh;
	if (pgt_sim_xen(pm->sim) || st.ro_pages || st.violations)
		textf(c, x, yy, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT,
		      st.violations ? t->violation : t->text,
		      "Xen read-only pages: %u   violations: %u", st.ro_pages, st.violations);
	const pgt_pane_layout *pl = &c->lay->pane[p];
	dl_clip(c->dl, pl->x, pl->y, pl->w, pl->h);
}

/* Tree: one row per level, one square per table page, lines to parents. */
static void draw_tree(ctx *c, int p, int x, int y, int w, int h, size_t step)
{
	const pgt_pane_model *pm = &c->m->pane[p];
	const pgt_theme *t = c->t;
	size_t boot = pm->boot_step; /* read-only from step 0 if so by then */
	int rowh = h / 4;
	int sq = rowh * 3 / 5;
	if (sq > U(c, 18))
		sq = U(c, 18);
	int labw = measure(c, PGT_FONT_SANS, c->fs_small, "PGD") + U(c, 8);
	/* Room at the end of a row for "+N", N as large as any level's count. */
	uint32_t most = 0;
	for (int l = 1; l <= 4; l++)
		most = c->st[p].tables[l] > most ? c->st[p].tables[l] : most;
	char plus[24];
	snprintf(plus, sizeof(plus), "+%u", most);
	int plusw = measure(c, PGT_FONT_SANS, c->fs_small, plus) + U(c, 4);
	int cap = (w - labw - plusw) / (sq + U(c, 3)) + 1;
	if (cap < 1)
		cap = 1;
	/* Position of each drawn table (index -> x,y) for parent lines. */
	enum { MAXD = 512 };
	static const int lv[4] = {PGT_PGD, PGT_PUD, PGT_PMD, PGT_PTE};
	int px[MAXD], py[MAXD];
	uint32_t idx[MAXD];
	int nd = 0;
	int period = U(c, 5) < 3 ? 3 : U(c, 5);
	for (int r = 0; r < 4; r++) {
		int ry = y + r * rowh;
		dl_text(c->dl, x, ry + sq / 2, PGT_FONT_SANS, c->fs_small,
		        PGT_AN_LEFT | PGT_AN_MIDDLE, t->text_dim, pgt_level_name(lv[r]));
		int count = 0;
		/* Tables in address order of what they map (va_base). */
		for (size_t q = pm->lvl_start[lv[r]]; q < pm->lvl_start[lv[r] + 1]; q++) {
			size_t k = pm->by_level[q];
			const pgt_table tb_v = pgt_sim_table(pm->sim, k), *tb = &tb_v;
			if (!table_visible(tb, step)) {
				if (pm->vis_prefix) /* the rest of the level comes later */
					break;
				continue;
			}
			if (count >= cap) {
				/* The rest only counts: take it from the state. */
				if (c->st[p].tables[lv[r]] > (uint32_t)count)
					count = (int)c->st[p].tables[lv[r]];
				else
					count++;
				break;
			}
			if (count < cap - 1 || count == cap - 1) {
				int cx = x + labw + count * (sq + U(c, 3));
				if (count == cap - 1) {
					count++;
					continue;
				}
				bool live = tb->hook_event != UINT32_MAX && tb->hook_event <= step;
				if (live || tb->origin == PGT_ORIGIN_STATIC)
					dl_rect(c->dl, cx, ry, sq, sq, level_color(t, tb->level));
				else
					dl_frame(c->dl, cx, ry, sq, sq, U(c, 2),
					         level_color(t, tb->level));
				if (table_ro(tb, step > boot ? step : boot))
					dl_hatch(c->dl, cx, ry, sq, sq, period, (period + 1) / 2,
					         t->ro_hatch);
				if (c->vs->sel_pane == p && c->vs->sel_table == k)
					dl_frame(c->dl, cx - U(c, 3), ry - U(c, 3), sq + U(c, 6),
					         sq + U(c, 6), U(c, 2), t->selection);
				pgt_pane_layout *tpl = &c->lay->pane[p];
				if (tpl->ntree < PGT_VIEW_MAX_TREE) {
					tpl->tree[tpl->ntree].x = cx;
					tpl->tree[tpl->ntree].y = ry;
					tpl->tree[tpl->ntree].s = sq;
					tpl->tree[tpl->ntree++].table = (uint32_t)k;
				}
				if (nd < MAXD) {
					px[nd] = cx + sq / 2;
					py[nd] = ry;
					idx[nd++] = (uint32_t)k;
				}
			}
			count++;
		}
		if (count >= cap)
			textf(c, x + labw + (cap - 1) * (sq + U(c, 3)), ry + sq / 2, PGT_FONT_SANS,
			      c->fs_small, PGT_AN_LEFT | PGT_AN_MIDDLE, t->text_dim, "+%d",
			      count - cap + 1);
	}
	/* Parent links (only when few, to stay readable). */
	if (nd <= 96) {
		for (int i = 0; i < nd; i++) {
			uint32_t par = pgt_sim_table(pm->sim, idx[i]).parent;
			if (par == UINT32_MAX)
				continue;
			for (int j = 0; j < nd; j++)
				if (idx[j] == par) {
					bool sel =
					    c->vs->sel_pane == p && c->vs->sel_table == idx[i];
					dl_line(c->dl, px[i], py[i], px[j], py[j] + sq, U(c, 1),
					        sel ? t->selection : t->grid);
					break;
				}
		}
	}
}

/* ======================================================================== */
/* Panes                                                                    */
/* ======================================================================== */

static const char *scheme_label(int scheme)
{
	switch (scheme) {
	case PGT_SCHEME_PGTBUF:
		return "Old: linear pgt_buf";
	case PGT_SCHEME_TOPDOWN:
		return "New: BRK, then memblock";
	case PGT_SCHEME_BOTTOMUP:
		return "New, bottom-up";
	case PGT_SCHEME_CHUNKEND:
		return "Tables at chunk end (hpa)";
	default:
		return "?";
	}
}

const char *scheme_short(int scheme)
{
	switch (scheme) {
	case PGT_SCHEME_PGTBUF:
		return "Old";
	case PGT_SCHEME_TOPDOWN:
		return "New";
	case PGT_SCHEME_BOTTOMUP:
		return "Bottom-up";
	default:
		return "Chunk-end";
	}
}

static void draw_selection(ctx *c, int p, size_t step)
{
	const pgt_viewstate *vs = c->vs;
	if (vs->sel_pane != p)
		return;
	const pgt_pane_model *pm = &c->m->pane[p];
	const pgt_pane_layout *pl = &c->lay->pane[p];
	if (vs->sel_table != UINT32_MAX && vs->sel_table < pm->ntab) {
		const pgt_table tb_v = pgt_sim_table(pm->sim, vs->sel_table), *tb = &tb_v;
		if (!table_visible(tb, step))
			return;
		/* What it maps, then where it lives, then its parent. */
		uint64_t span = level_span(tb->level);
		uint64_t end = tb->va_base + span < tb->va_base ? UINT64_MAX : tb->va_base + span;
		outline_range(c, pl, tb->va_base, end, U(c, 2), c->t->highlight);
		outline_range(c, pl, tb->pa, tb->pa + PAGE, U(c, 3), c->t->selection);
		if (tb->parent != UINT32_MAX) {
			const pgt_table par_v = pgt_sim_table(pm->sim, tb->parent), *par = &par_v;
			outline_range(c, pl, par->pa, par->pa + PAGE, U(c, 2), c->t->highlight);
		}
	} else if (vs->sel_has_addr) {
		outline_range(c, pl, vs->sel_addr & ~(uint64_t)(PAGE - 1),
		              (vs->sel_addr & ~(uint64_t)(PAGE - 1)) + PAGE, U(c, 2),
		              c->t->selection);
	}
}

/* A scenario note for the pane's current event, boxed above the memory
 * map so it cannot be missed (brief: in its short wording); false when
 * there is none. */
static bool draw_note(ctx *c, int p, size_t step, int x, int y, int w, bool brief)
{
	char note[1200];
	if (!(brief ? pgt_note_current_short(c->m, p, step, note, sizeof(note))
	            : pgt_note_current(c->m, p, step, NULL, note, sizeof(note))))
		return false; /* a note stays until the pane's next one (moment.c) */
	const pgt_theme *t = c->t;
	int pad = U(c, 10), lh = c->fs_body * 5 / 4 + U(c, 2);
	int maxl = 40; /* whole: the layout makes room (draw_pane) */
	/* Measure the lines first with a dry run into a scratch list. */
	size_t n0 = c->dl->n;
	int nl = text_wrapped(c, x + pad, y + pad, w - 2 * pad - U(c, 4), PGT_FONT_SANS, c->fs_body,
	                      lh, t->text, note, maxl); /* the width it is drawn at */
	c->dl->n = n0;
	int bh = nl * lh + 2 * pad;
	dl_rect(c->dl, x, y, w, bh, t->overlay_bg);
	dl_frame(c->dl, x, y, w, bh, U(c, 2), t->highlight);
	dl_rect(c->dl, x, y, U(c, 6), bh, t->highlight);
	text_wrapped(c, x + pad + U(c, 4), y + pad, w - 2 * pad - U(c, 4), PGT_FONT_SANS,
	             c->fs_body, lh, t->text, note, maxl);
	return true;
}

/* Height of the note box of pane p at its event (0: no note), wrapped at
 * width w -- all of it (brief: its short wording; 0 when it has none);
 * *fresh: the note appears at this very event (else it stays from an
 * earlier one). */
static int note_height(ctx *c, int p, size_t step, int w, bool brief, bool *fresh)
{
	char note[1200];
	size_t since = SIZE_MAX;
	*fresh = false;
	if (!pgt_note_current(c->m, p, step, &since, note, sizeof(note)) ||
	    (brief && !pgt_note_current_short(c->m, p, step, note, sizeof(note))))
		return 0;
	*fresh = since == step;
	int pad = U(c, 10), lh = c->fs_body * 5 / 4 + U(c, 2);
	size_t n0 = c->dl->n;
	int nl = text_wrapped(c, 0, 0, w - 2 * pad - U(c, 4), PGT_FONT_SANS, c->fs_body, lh,
	                      c->t->text, note, 40);
	c->dl->n = n0;
	return nl * lh + 2 * pad + U(c, 8);
}

/* The Xen rule a Xen pane of the old scheme runs, in words for its
 * heading, longest first (NULL: no rule to name -- not Xen, another scheme,
 * or a model before 2.6.37 running its own rule: those kernels had no
 * mask_rw_pte window, docs/kernel-model.md "Xen PV"). */
const char *const *rule_words(const pgt_view_model *m, const pgt_sim *sim)
{
	static const char *const end[] = {"Xen RO to pgt_buf_end", "RO to pgt_buf_end", "xen-end",
	                                  NULL};
	static const char *const top[] = {"Xen RO to pgt_buf_top + pagetable_reserve hook",
	                                  "Xen RO to pgt_buf_top + hook",
	                                  "RO to pgt_buf_top + hook", "xen-top", NULL};
	static const char *const nohook[] = {"Xen RO to pgt_buf_top, no hook",
	                                     "RO to pgt_buf_top, no hook", "xen-top-nohook", NULL};
	if (!pgt_sim_xen(sim) || pgt_sim_scheme(sim) != PGT_SCHEME_PGTBUF)
		return NULL;
	int own =
	    m->sc && m->sc->xen_rule ? m->sc->xen_rule : pgt_xen_rule_for_kver(pgt_sim_kver(sim));
	int rule = pgt_sim_xen_rule(sim);
	if (rule == own && pgt_sim_kver(sim) < PGT_KVER(2, 6, 37))
		return NULL;
	return rule == PGT_XEN_RULE_END ? end : rule == PGT_XEN_RULE_TOP ? top : nohook;
}

/* The pane's heading: what it simulates -- scheme and version, and under
 * Xen the rule (2.6.39-rc1's pgt_buf_end window next to 3.0's pgt_buf_top
 * and hook must not read alike) -- the longest wording that leaves
 * `reserve` pixels of the width w free; false: none does (buf is then the
 * shortest).  Next to a pane of another scheme the scheme's name stays
 * as long as the rule can be read ("Old"); next to one of the same scheme
 * the rule goes first. */
static bool pane_heading(const ctx *c, int p, int w, int reserve, bool long_only, char *buf,
                         size_t size)
{
	const pgt_sim *sim = c->m->pane[p].sim;
	int scheme = pgt_sim_scheme(sim);
	char kv[24];
	pgt_kver_format(pgt_sim_kver(sim), kv, sizeof(kv));
	const char *const *words = rule_words(c->m, sim);
	if (!words) { /* the scheme's name, else (unless long_only) its short name */
		snprintf(buf, size, "%s · %s", scheme_label(scheme), kv);
		if (measure(c, PGT_FONT_SANS_BOLD, c->fs_head, buf) + reserve <= w)
			return true;
		snprintf(buf, size, "%s · %s", scheme_short(scheme), kv);
		if (!long_only && measure(c, PGT_FONT_SANS_BOLD, c->fs_head, buf) + reserve <= w)
			return true;
		snprintf(buf, size, "%s · %s", scheme_label(scheme), kv);
		return false;
	}
	bool same = c->m->npanes == 2 && pgt_sim_scheme(c->m->pane[1 - p].sim) == scheme;
	int n = 0;
	while (words[n])
		n++;
	/* the scheme's name, with the rule's wordings [0, upto) */
	const struct {
		const char *name;
		int upto;
	} tries[] = {{scheme_label(scheme), same ? 1 : n - 1},
	             {scheme_short(scheme), same ? 0 : n - 1},
	             {NULL, n}};
	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++)
		for (int k = 0; k < tries[i].upto; k++) {
			if (tries[i].name)
				snprintf(buf, size, "%s · %s · %s", tries[i].name, kv, words[k]);
			else
				snprintf(buf, size, "%s · %s", kv, words[k]);
			if (measure(c, PGT_FONT_SANS_BOLD, c->fs_head, buf) + reserve <= w)
				return true;
		}
	return false;
}

/* The VIOLATION banner's wordings, longest first ("!" at the least). */
static const char *banner_msg(const pgt_event *e, int k)
{
	static const char *const live[] = {"VIOLATION: a live page table is writable",
	                                   "VIOLATION: live table writable", "VIOLATION", "!"};
	static const char *const pin[] = {"VIOLATION: Xen refused to pin a PTE page",
	                                  "VIOLATION: pin refused", "VIOLATION", "!"};
	return (e && (e->flags & 1) ? pin : live)[k];
}

/* Width of the banner with wording k. */
static int banner_width(const ctx *c, const pgt_event *e, int k)
{
	return measure(c, PGT_FONT_SANS_BOLD, c->fs_head, banner_msg(e, k)) + U(c, 24);
}

/* The VIOLATION banner's text for the room there is ("!" at the least). */
static const char *banner_text(const ctx *c, const pgt_event *e, int room)
{
	for (int k = 0; k < 3; k++)
		if (banner_width(c, e, k) <= room)
			return banner_msg(e, k);
	return banner_msg(e, 3);
}

/* How a run that did not finish ended: Xen crashing the domain (the lines
 * of a38647837a4's crash log end with "(XEN) Domain ...") or the kernel
 * stopping itself. */
static bool xen_crashed(const char *panic)
{
	return panic && strncmp(panic, "(XEN) ", 6) == 0;
}

/* now of all as a share that never rounds up to a whole: "100%" only when
 * everything is mapped (1022 MiB of 1 GiB is "99.8%", not "100%"), "0%"
 * only when nothing is ("<1%" before that). */
static void share_text(uint64_t now, uint64_t all, char *buf, size_t size)
{
	if (!all || now >= all) {
		snprintf(buf, size, "100%%");
		return;
	}
	double pct = 100.0 * (double)now / (double)all;
	if (now == 0)
		snprintf(buf, size, "0%%");
	else if (pct < 1.0)
		snprintf(buf, size, "<1%%");
	else if (pct >= 99.0)
		snprintf(buf, size, "%.1f%%", floor(pct * 10.0) / 10.0); /* 99.0 .. 99.9 */
	else
		snprintf(buf, size, "%.0f%%", floor(pct));
}

/* The pane's position for its heading: its own event and how much of its
 * direct map the calls have built -- the same bytes the counters call
 * "direct-mapped ... built", as a share of what the calls build in the
 * end -- and what the boot-time map still maps beside it; a run that
 * panics has no such end, so it gets bytes, and "panicked" once it has. */
static void pane_position(const ctx *c, int p, size_t step, char *buf, size_t size, char *ev,
                          size_t ev_size)
{
	const pgt_pane_model *pm = &c->m->pane[p];
	size_t last = pm->nev ? pm->nev - 1 : 0;
	pgt_state fin = pgt_sim_state_at(pm->sim, last);
	const pgt_state *st = &c->st[p];
	uint64_t built = st->mapped_bytes - st->boot_bytes,
	         total = fin.mapped_bytes - fin.boot_bytes;
	char now[32], all[32], boot[64];
	pgt_fmt_size_down(built, now, sizeof(now)); /* panicked runs only */
	/* beside a boot-time part, cut like the counters' */
	(fin.boot_bytes ? pgt_fmt_size_down : pgt_fmt_size)(total, all, sizeof(all));
	boot_part(pm, st, "from", boot, sizeof(boot));
	const char *alone = c->vs->unlocked ? " (alone)" : "";
	/* the short form: the event number, and how a run that panicked
	 * ended at its last event */
	snprintf(ev, ev_size, "event %zu/%zu%s", step, last,
	         !pgt_sim_panic(pm->sim) || step != last ? ""
	         : xen_crashed(pgt_sim_panic(pm->sim))   ? ", crashed"
	                                                 : ", panicked");
	if (pgt_sim_panic(pm->sim))
		snprintf(buf, size, "event %zu/%zu, %s%s built%s%s", step, last,
		         step != last                          ? ""
		         : xen_crashed(pgt_sim_panic(pm->sim)) ? "crashed, "
		                                               : "panicked, ",
		         now, boot, alone);
	else {
		char pct[16];
		share_text(built, total, pct, sizeof(pct));
		snprintf(buf, size, "event %zu/%zu, %s of %s built%s%s", step, last, pct, all, boot,
		         alone);
	}
}

/* What the run did, for the caption after its last event. */
static void final_caption(const ctx *c, int p, char *buf, size_t size, pgt_color *col)
{
	const pgt_pane_model *pm = &c->m->pane[p];
	const pgt_theme *t = c->t;
	pgt_state st = c->st[p];
	char crash[200] = "", sz[32], at[32], from[200] = "", mb[32];
	*col = t->text;
	if (pm->crash_fail_ev != SIZE_MAX) {
		snprintf(crash, sizeof(crash),
		         " But crashkernel= FAILED: \"crashkernel reservation failed - No "
		         "suitable area found.\" (kdump is unavailable).");
		*col = t->violation;
	} else if (pm->crash_ev != SIZE_MAX) {
		const pgt_event ce_v = pgt_sim_event(pm->sim, pm->crash_ev), *ce = &ce_v;
		snprintf(crash, sizeof(crash), " crashkernel=: %s reserved at %s.",
		         pgt_fmt_size(ce->b - ce->a, sz, sizeof(sz)),
		         pgt_fmt_size(ce->a, at, sizeof(at)));
	}
	uint32_t total = st.tables[1] + st.tables[2] + st.tables[3] + st.tables[4];
	size_t len = 0;
	for (int o = 0; o < PGT_ORIGIN_COUNT && len < sizeof(from); o++) {
		uint32_t n = st.tables_origin[o];
		if (!n)
			continue;
		const char *name =
		    o == PGT_ORIGIN_STATIC || o == PGT_ORIGIN_XEN
		        ? (o == PGT_ORIGIN_XEN ? "built by Xen" : "in the kernel image")
		        : pgt_origin_name(o);
		len += (size_t)snprintf(
		    from + len, sizeof(from) - len, "%s%u %s%s", len ? ", " : "", n,
		    o == PGT_ORIGIN_STATIC || o == PGT_ORIGIN_XEN ? "" : "from ", name);
	}
	const char *panic = pgt_sim_panic(pm->sim);
	/* A panicked run's bytes are cut as its counters cut them (1.9 GiB, not
	 * "2.0 GiB" under "direct-mapped: 1.9 GiB"); a complete run's are all. */
	if (panic)
		pgt_fmt_size_down(st.mapped_bytes, mb, sizeof(mb));
	else
		pgt_fmt_size(st.mapped_bytes, mb, sizeof(mb));
	char boot[96] = "", bb[32];
	if (st.boot_bytes)
		snprintf(boot, sizeof(boot), " %s of it is still %s's boot-time map.",
		         pgt_fmt_size_down(st.boot_bytes, bb, sizeof(bb)), boot_map_by(pm->sim));
	if (panic)
		*col = t->violation;
	snprintf(buf, size,
	         "Finished at event %zu: %s %s direct-mapped, %u page-table page%s (%s).%s%s",
	         pm->nev - 1,
	         xen_crashed(panic) ? "Xen crashed the domain with"
	         : panic            ? "the kernel panicked with"
	                            : "the direct mapping is complete:",
	         mb, total, total == 1 ? "" : "s", from, boot, crash);
}

void draw_pane(ctx *c, int p, int x, int y, int w, int h)
{
	pgt_pane_layout *pl = &c->lay->pane[p];
	const pgt_pane_model *pm = &c->m->pane[p];
	const pgt_theme *t = c->t;
	size_t step = pgt_view_pane_at(c->m, c->vs, p);
	const pgt_event e_v = pgt_sim_event(pm->sim, step), *e = pm->nev ? &e_v : NULL;
	bool violation = e && e->kind == PGT_EV_VIOLATION;
	c->st[p] = pgt_sim_state_at(pm->sim, step);
	state_with_boot(pm, step, &c->st[p]);
	pl->x = x;
	pl->y = y;
	pl->w = w;
	pl->h = h;
	dl_rect(c->dl, x, y, w, h, t->panel);
	int pad = U(c, 14);
	int ix = x + pad, iw = w - 2 * pad, yy = y + U(c, 10);
	/* Heading: scheme; on the right the pane's own event and progress, and
	 * the kernel model actually run (whatever fits) -- or, at a violation,
	 * the banner. */
	int lw = U(c, 5);
	char head[160], pos[160], ev[160], lean[160];
	/* ev: "event N/M" without the share built (the counters below give
	 * it too), what every pane's heading keeps -- one numbering with
	 * `trace` and --steps PANE:N.  lean: pos without the boot-time map's
	 * part. */
	pane_position(c, p, step, pos, sizeof(pos), ev, sizeof(ev));
	snprintf(lean, sizeof(lean), "%s", pos);
	char *plus = strstr(lean, " + ");
	if (plus)
		snprintf(plus, sizeof(lean) - (size_t)(plus - lean), "%s",
		         c->vs->unlocked ? " (alone)" : "");
	/* Every heading keeps its event number, a violation's too (the
	 * speaker reads it on the key frame to type --steps PANE:N).  Other
	 * headings keep room for the event number or the share built,
	 * whichever is longer, else for the event number, else for nothing. */
	int ev_w = measure(c, PGT_FONT_SANS, c->fs_small, ev);
	char bare[160]; /* "event N/M" without how the run ended */
	snprintf(bare, sizeof(bare), "%s", ev);
	if (strstr(bare, ", "))
		*strstr(bare, ", ") = '\0';
	int bare_w = measure(c, PGT_FONT_SANS, c->fs_small, bare);
	const char *comma = strstr(lean, ", ");
	int share_w = measure(c, PGT_FONT_SANS, c->fs_small, comma ? comma + 2 : lean);
	/* At a violation the heading row holds, in this order of precedence,
	 * the heading, the event number and the banner ("VIOLATION" at the
	 * least), then a longer banner, then the share; where the three do
	 * not fit side by side (a pane of a 1024-px canvas) the banner takes
	 * a row of its own under the heading.  vt: the event text beside the
	 * banner in the heading row. */
	int gap = U(c, 12), banner_room = w - lw - (ix - x) - gap;
	bool banner_below = false;
	const char *vt = NULL;
	if (violation) {
		int least = banner_width(c, e, 2) + gap;
		if (pane_heading(c, p, banner_room, least + ev_w, false, head, sizeof(head)))
			vt = ev;
		else if (pane_heading(c, p, banner_room, least + bare_w, false, head, sizeof(head)))
			vt = bare;
		else
			banner_below = true;
	}
	if (!violation || banner_below) {
		/* The scheme's full name with the event number goes before its
		 * short name with the share too. */
		const int reserves[] = {ev_w > share_w ? ev_w : share_w, ev_w, bare_w};
		bool done = false;
		for (int pass = 0; pass < 2 && !done; pass++)
			for (int k = 0; k < 3 && !done; k++)
				done = pane_heading(c, p, iw - U(c, 20), reserves[k], pass == 0,
				                    head, sizeof(head));
		if (!done)
			pane_heading(c, p, iw, 0, false, head, sizeof(head));
	}
	const char *model = pgt_sim_model(pm->sim);
	bool chosen = c->p->interactive && c->m->npanes == 2 && c->vs->focus == p;
	dl_text(c->dl, ix, yy, PGT_FONT_SANS_BOLD, c->fs_head, PGT_AN_LEFT,
	        chosen ? t->highlight : t->text, head);
	int head_w = measure(c, PGT_FONT_SANS_BOLD, c->fs_head, head);
	pgt_color pos_col = c->vs->unlocked && c->vs->focus == p ? t->highlight : t->text_dim;
	const char *msg = NULL; /* the banner's wording */
	if (vt) {
		/* the longest banner beside the event number, then the longest
		 * position beside that banner */
		int room = banner_room - head_w - gap;
		msg = banner_text(c, e, room - measure(c, PGT_FONT_SANS, c->fs_small, vt));
		int left = room - measure(c, PGT_FONT_SANS_BOLD, c->fs_head, msg) - U(c, 24);
		if (measure(c, PGT_FONT_SANS, c->fs_small, pos) <= left)
			vt = pos;
		else if (measure(c, PGT_FONT_SANS, c->fs_small, lean) <= left)
			vt = lean;
		dl_text(c->dl,
		        x + w - lw - measure(c, PGT_FONT_SANS_BOLD, c->fs_head, msg) - U(c, 24) -
		            gap,
		        yy + (c->fs_head - c->fs_small), PGT_FONT_SANS, c->fs_small, PGT_AN_RIGHT,
		        pos_col, vt);
	} else {
		char right[400];
		snprintf(right, sizeof(right), "%s   %s", pos, model);
		int room = iw - head_w - U(c, 20);
		const char *rt = measure(c, PGT_FONT_SANS, c->fs_small, right) <= room  ? right
		                 : measure(c, PGT_FONT_SANS, c->fs_small, pos) <= room  ? pos
		                 : measure(c, PGT_FONT_SANS, c->fs_small, lean) <= room ? lean
		                 : ev_w <= room                                         ? ev
		                 : bare_w <= room                                       ? bare
		                                                                        : "";
		dl_text(c->dl, ix + iw, yy + (c->fs_head - c->fs_small), PGT_FONT_SANS, c->fs_small,
		        PGT_AN_RIGHT, pos_col, rt);
	}
	yy += c->fs_head * 5 / 4 + U(c, 10);
	/* The banner's own row, under the heading, at the pane's right. */
	int bh = c->fs_head * 5 / 4 + U(c, 8), banner_y = y + lw;
	if (banner_below) {
		msg = banner_text(c, e, iw);
		banner_y = yy - U(c, 6);
		yy = banner_y + bh + U(c, 8);
	}
	/* What the parts below the texts take. */
	int bottom = y + h - pad;
	bool show_counters = (c->vs->overlays & PGT_OV_COUNTERS) && c->compact < 2 && !c->narrow;
	bool show_tree = (c->vs->overlays & PGT_OV_TREE) && !c->compact && !c->narrow;
	int clh = c->fs_body * 5 / 4 + U(c, 3);
	/* Four lines of counters, five when a pane runs under Xen (the same
	 * in both panes, so their maps line up). */
	int nlines = 4;
	for (int q = 0; q < c->m->npanes; q++)
		if (pgt_sim_xen(c->m->pane[q].sim))
			nlines = 5;
	int counters_h = show_counters || show_tree ? nlines * clh + U(c, 8) : 0;
	int details_h = 0;
	if ((c->vs->overlays & PGT_OV_DETAIL) && c->compact < 2)
		details_h = c->compact ? strip_height(c) + U(c, 8)
		                       : (U(c, 176) > 2 * strip_height(c) ? U(c, 176)
		                                                          : 2 * strip_height(c)) +
		                             U(c, 8);
	/* A pane without a buffer (chunk-end) has one strip, its latest tables
	 * (draw_details): the map takes the second one's room. */
	if (details_h && !pm->nbufs && !pm->is_old)
		details_h = strip_height(c) + U(c, 8);
	/* Narration caption and scenario note, each whole (wrapped, never cut).
	 * When both do not fit above a memory map of a few rows, the note --
	 * written for this moment by the scenario's author -- takes the
	 * caption's place at its own event; a note staying on from an earlier
	 * event gives way to the caption instead. */
	char nar[1200];
	pgt_color col = t->text;
	int lh = c->fs_body * 5 / 4 + U(c, 3), cap_h = 0, note_h = 0;
	bool caption = (c->vs->overlays & PGT_OV_CAPTION) != 0, brief = false;
	if (caption) {
		narration_at(c->m, p, step, nar, sizeof(nar));
		if (e && (e->kind == PGT_EV_VIOLATION || e->kind == PGT_EV_PANIC ||
		          step == pm->crash_fail_ev))
			col = t->violation;
		size_t gend = pgt_view_global_step(c->m, p, pm->nev ? pm->nev - 1 : 0);
		/* once past the pane's last event, and at the last step for the
		 * pane that ends last (both panes sum their run up there) */
		if (pm->nev && step == pm->nev - 1 && !c->vs->unlocked &&
		    (c->vs->step > gend || c->vs->step + 1 >= c->m->nsteps))
			final_caption(c, p, nar, sizeof(nar), &col);
		size_t n0 = c->dl->n;
		int need = text_wrapped(c, ix, yy, iw, PGT_FONT_SANS, c->fs_body, lh, col, nar, 40);
		c->dl->n = n0;
		int base = c->compact >= 2 ? 2 : 3;
		cap_h = (need > base ? need : base) * lh + U(c, 6);
		int cap_full = cap_h;
		bool fresh;
		note_h = note_height(c, p, step, iw, false, &fresh);
		int room = bottom - yy - counters_h - details_h - U(c, 150);
		if (note_h && cap_h + note_h > room) {
			if (fresh)
				cap_h = 0;
			else
				note_h = 0;
		}
		/* A stacked pane (narrow canvas) or a canvas below 520 px of
		 * height has little height: when the texts still leave no room
		 * for a few rows of the map, the strip gives way, then a note too
		 * tall for the pane gives way to the (shorter) caption; texts are
		 * never cut. */
		bool small = c->narrow || c->compact >= 2;
		int few = 3 * c->fs_tiny * 5 / 4 + U(c, 30);
		if (small && cap_h + note_h > bottom - yy - details_h - few)
			details_h = 0;
		if (small && note_h && !cap_h && note_h > bottom - yy - few && cap_full < note_h) {
			note_h = 0;
			cap_h = cap_full;
		}
		/* A note that would push the counters out even once the second
		 * strip gave way (below) takes its short wording, where the
		 * scenario gives one ("short": the Xen violation's note at
		 * 1024x768). */
		int one = strip_height(c) + U(c, 8);
		int strips = details_h && !c->compact && one < details_h ? one : details_h;
		if (note_h && counters_h &&
		    bottom - yy - cap_h - note_h - counters_h - strips < few) {
			bool again;
			int sh = note_height(c, p, step, iw, true, &again);
			if (sh && sh < note_h) {
				note_h = sh;
				brief = true;
			}
		}
	}
	if (cap_h)
		text_wrapped(c, ix, yy, iw, PGT_FONT_SANS, c->fs_body, lh, col, nar, 40);
	yy += cap_h;
	int note_y = yy;
	yy += note_h;
	int map_h = bottom - yy - counters_h - details_h;
	/* Still no room for one row of the map (a long note on a small
	 * canvas): the counters give way, then the tree. */
	int min_map = 3 * c->fs_tiny * 5 / 4 + U(c, 30);
	/* A pane that draws only the buffer strip (an old-scheme pane has no
	 * memblock strip) first gives up the second strip's room: the
	 * counters are what a refused pin's long note must not push out when
	 * that room stands empty (xen-live-patient at its violation). */
	/* On a canvas between 760 and 1080 px of height (1366x768) any pane's
	 * second strip gives way before its counters. */
	if (map_h < min_map && counters_h && details_h && !c->compact &&
	    ((pm->is_old && table_latest_other(pm, step) == UINT32_MAX) || c->lay->height < 1080)) {
		int one = strip_height(c) + U(c, 8);
		if (one < details_h) {
			map_h += details_h - one;
			details_h = one;
		}
	}
	if (map_h < min_map && counters_h) {
		map_h += counters_h;
		counters_h = 0;
		show_counters = show_tree = false;
	}
	pl->mx = ix;
	pl->my = yy;
	pl->mw = iw;
	pl->mh = map_h;
	dl_clip(c->dl, x, y, w, h);
	/* A stacked pane or a small canvas whose texts leave no room for a
	 * row: no map at all (rather than rows drawn over the pane's edge). */
	if ((c->narrow || c->compact >= 2) && map_h < min_map) {
		pl->mh = 0;
		pl->nrows = 0;
		pl->cam = (pgt_cam_geom){0};
	} else {
		draw_memory_map(c, p, step);
		draw_selection(c, p, step);
	}
	if (note_h)
		draw_note(c, p, step, ix, note_y, iw, brief);
	if (details_h)
		draw_details(c, p, ix, yy + map_h + U(c, 8), iw, details_h - U(c, 8), step);
	int cy = bottom - counters_h + U(c, 6);
	int tree_x = ix + iw * 64 / 100;
	/* Counters too long for their place left of the tree (a pane of a
	 * 1024-px canvas): the tree gives way, the counters take the width. */
	if (show_counters && show_tree) {
		size_t n0 = c->dl->n;
		int limit = tree_x - U(c, 12);
		draw_counters(c, p, ix, cy, limit - ix, step);
		for (const pgt_dl_cmd *d = c->dl->cmds + n0; d < c->dl->cmds + c->dl->n; d++)
			show_tree &=
			    d->kind != PGT_DL_TEXT ||
			    d->x + measure(c, d->font, d->size, pgt_dl_text(c->dl, d)) <= limit;
		c->dl->n = n0;
	}
	if (show_counters)
		draw_counters(c, p, ix, cy, (show_tree ? tree_x - U(c, 12) : ix + iw) - ix, step);
	if (show_tree)
		draw_tree(c, p, tree_x, cy, ix + iw - tree_x, counters_h - U(c, 8), step);
	dl_clip(c->dl, 0, 0, 0, 0);
	/* A violation cannot be missed: the pane is framed in red (flashing in
	 * the window) with a banner at the top right, beside the event number
	 * and never over the scheme name (or in a row of its own under them):
	 * a shorter text when the pane is narrow (the red caption below says
	 * the rest). */
	if (violation) {
		bool on = c->vs->flash <= 0 || (c->vs->flash % 2) == 0;
		if (on)
			dl_frame(c->dl, x, y, w, h, lw, t->violation);
		int tw = measure(c, PGT_FONT_SANS_BOLD, c->fs_head, msg) + U(c, 24);
		dl_rect(c->dl, x + w - tw - lw, banner_y, tw, bh, t->violation);
		dl_text(c->dl, x + w - lw - U(c, 12), banner_y + bh / 2, PGT_FONT_SANS_BOLD,
		        c->fs_head, PGT_AN_RIGHT | PGT_AN_MIDDLE, t->bg, msg);
	} else if (c->vs->unlocked && c->vs->focus == p && c->m->npanes == 2) {
		dl_frame(c->dl, x, y, w, h, U(c, 2), t->highlight);
	}
}
