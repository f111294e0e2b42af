/*
 * view_chrome.c: what surrounds the panes -- the title bar, the legend, the
 * timeline scrubber with its markers, the status bar, the tooltip, and the
 * help, glossary and scenario picker overlays.
 */
#include "view_internal.h"

#include "pgtviz/input.h"
#include "pgtviz/narrate.h"
#include "pgtviz/picker.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void draw_header(ctx *c, int h)
{
	const pgt_theme *t = c->t;
	const pgt_scenario *sc = c->m->sc;
	int pad = U(c, 16);
	const char *title = sc && sc->title ? sc->title : sc && sc->name ? sc->name : "pgtviz";
	textf(c, pad, h / 2, PGT_FONT_SANS_BOLD, c->fs_title, PGT_AN_LEFT | PGT_AN_MIDDLE, t->text,
	      "%s", title);
	if (c->vs->overlays & PGT_OV_STEP) {
		char s[96];
		size_t last = c->m->nsteps ? c->m->nsteps - 1 : 0;
		if (c->vs->unlocked)
			snprintf(s, sizeof(s), "panes stepped alone (l: lockstep)");
		else if (c->p->interactive && c->vs->playing)
			snprintf(s, sizeof(s), "step %zu / %zu   playing %.0f/s", c->vs->step, last,
			         c->vs->speed);
		else
			snprintf(s, sizeof(s), "step %zu / %zu", c->vs->step, last);
		dl_text(c->dl, c->lay->width - pad, h / 2, PGT_FONT_MONO, c->fs_head,
		        PGT_AN_RIGHT | PGT_AN_MIDDLE, t->text, s);
	}
}

typedef struct legend_item {
	pgt_color color;
	bool hatch;   /* RO pattern */
	bool outline; /* drawn as a frame */
	const char *label;
} legend_item;

static bool any_xen(const pgt_view_model *m)
{
	for (int p = 0; p < m->npanes; p++)
		if (pgt_sim_xen(m->pane[p].sim))
			return true;
	return false;
}

void draw_legend(ctx *c, int y, int h)
{
	const pgt_theme *t = c->t;
	legend_item items[32];
	int n = 0;
	bool old = false, brk = false;
	for (int p = 0; p < c->m->npanes; p++) {
		old |= c->m->pane[p].is_old;
		brk |= !c->m->pane[p].is_old;
	}
	items[n++] = (legend_item){t->pgd, false, false, "PGD"};
	items[n++] = (legend_item){t->pud, false, false, "PUD"};
	items[n++] = (legend_item){t->pmd, false, false, "PMD"};
	items[n++] = (legend_item){t->pte, false, false, "PTE page"};
	items[n++] = (legend_item){t->ram, false, false, "RAM"};
	items[n++] = (legend_item){t->ram_mapped, false, false, "RAM, direct-mapped"};
	items[n++] = (legend_item){t->mapped_band, false, false, "mapped (top band)"};
	items[n++] = (legend_item){t->reserved, false, false, "reserved"};
	items[n++] = (legend_item){t->acpi, false, false, "ACPI"};
	items[n++] = (legend_item){t->kernel, false, false, "kernel"};
	bool kinds[PGT_RESV_KIND_COUNT] = {false};
	if (c->m->sc)
		for (size_t i = 0; i < c->m->sc->n_resv; i++)
			if (c->m->sc->resv[i].kind >= 0 &&
			    c->m->sc->resv[i].kind < PGT_RESV_KIND_COUNT)
				kinds[c->m->sc->resv[i].kind] = true;
	if (kinds[PGT_RESV_INITRD])
		items[n++] = (legend_item){t->initrd, false, false, "initrd"};
	if (kinds[PGT_RESV_XEN])
		items[n++] = (legend_item){t->resv_xen, false, false, "Xen structures"};
	if (kinds[PGT_RESV_SETUP_DATA] || kinds[PGT_RESV_EBDA] || kinds[PGT_RESV_EFI_BOOT])
		items[n++] = (legend_item){t->resv_fw, false, false, "firmware data"};
	if (kinds[PGT_RESV_OTHER])
		items[n++] = (legend_item){t->resv_other, false, false, "other reservation"};
	bool crash = false;
	for (int p = 0; p < c->m->npanes; p++)
		crash |= c->m->pane[p].crash_ev != SIZE_MAX;
	if (crash)
		items[n++] = (legend_item){t->crashkernel, false, false, "crashkernel (kdump)"};
	if (brk)
		items[n++] = (legend_item){t->brk, false, false, "BRK buffer"};
	if (old) {
		items[n++] = (legend_item){t->pgtbuf_used, false, false, "pgt_buf used"};
		items[n++] = (legend_item){t->pgtbuf_free, false, false, "reserved, unused"};
		items[n++] = (legend_item){t->pgtbuf_returned, false, false, "handed back"};
	}
	items[n++] = (legend_item){t->chunk, false, true, "current range"};
	if (any_xen(c->m))
		items[n++] = (legend_item){t->ro_hatch, true, false, "read-only (Xen)"};
	int pad = U(c, 16), x = pad;
	int sq = c->fs_small;
	int cy = y + h / 2;
	int period = U(c, 5) < 3 ? 3 : U(c, 5);
	for (int i = 0; i < n; i++) {
		int tw = measure(c, PGT_FONT_SANS, c->fs_small, items[i].label);
		if (x + sq + U(c, 6) + tw > c->lay->width - pad)
			break;
		if (items[i].hatch) {
			dl_rect(c->dl, x, cy - sq / 2, sq, sq, t->pmd);
			dl_hatch(c->dl, x, cy - sq / 2, sq, sq, period, (period + 1) / 2,
			         items[i].color);
		} else if (items[i].outline) {
			dl_frame(c->dl, x, cy - sq / 2, sq, sq, U(c, 2), items[i].color);
		} else {
			dl_rect(c->dl, x, cy - sq / 2, sq, sq, items[i].color);
			dl_frame(c->dl, x, cy - sq / 2, sq, sq, U(c, 1), t->grid);
		}
		x += sq + U(c, 6);
		dl_text(c->dl, x, cy, PGT_FONT_SANS, c->fs_small, PGT_AN_LEFT | PGT_AN_MIDDLE,
		        t->text, items[i].label);
		x += tw + U(c, 16);
	}
}

static pgt_color marker_color(const pgt_theme *t, int kind)
{
	switch (kind) {
	case PGT_MK_CALL:
		return t->marker_call;
	case PGT_MK_BUFFER:
		return t->marker_buf;
	case PGT_MK_STEP:
		return t->marker_step;
	case PGT_MK_FULL:
		return t->marker_full;
	case PGT_MK_VIOLATION:
		return t->violation;
	default:
		return t->panic;
	}
}

static const char *marker_name(int kind)
{
	static const char *const names[PGT_MK_COUNT] = {"call",      "buffer placed", "buffer full",
	                                                "step size", "violation",     "panic"};
	return kind >= 0 && kind < PGT_MK_COUNT ? names[kind] : "?";
}

void draw_timeline(ctx *c, int y, int h)
{
	const pgt_theme *t = c->t;
	int pad = U(c, 16);
	/* The key names the kinds of marker this run has. */
	bool present[PGT_MK_COUNT] = {false};
	present[PGT_MK_CALL] = true;
	for (size_t i = 0; i < c->m->nmarkers; i++)
		present[c->m->markers[i].kind] = true;
	int keyw = U(c, 16);
	for (int k = 0; k < PGT_MK_COUNT; k++)
		if (present[k])
			keyw += U(c, 20) + measure(c, PGT_FONT_SANS, c->fs_tiny, marker_name(k));
	bool two = c->m->npanes == 2;
	const char *expl = "ticks: left pane above the bar, right pane below";
	if (two) {
		int ew = measure(c, PGT_FONT_SANS, c->fs_tiny, expl) + U(c, 16);
		if (ew > keyw)
			keyw = ew;
	}
	if (keyw > c->lay->width / 3)
		keyw = c->lay->width / 3;
	int x = pad, w = c->lay->width - 2 * pad - keyw;
	int bh = h / 3, by = y + (h - bh) / 2;
	c->lay->tl_x = x;
	c->lay->tl_y = y;
	c->lay->tl_w = w;
	c->lay->tl_h = h;
	size_t n = c->m->nsteps ? c->m->nsteps : 1;
	double sx = (double)w / (double)(n > 1 ? n - 1 : 1);
	dl_rect(c->dl, x, by, w, bh, t->timeline);
	int cx = x + (int)((double)c->vs->step * sx);
	dl_rect(c->dl, x, by, cx - x, bh, t->timeline_done);
	/* The export range (window): from the start set with `m`. */
	if (c->p->interactive && c->vs->range_start != SIZE_MAX) {
		int rx =
		    x + (int)((double)(c->vs->range_start < n ? c->vs->range_start : n - 1) * sx);
		int a = rx < cx ? rx : cx, b = rx < cx ? cx : rx;
		dl_frame(c->dl, a, by - U(c, 3), b - a + 1, bh + U(c, 6), U(c, 2), t->highlight);
		dl_rect(c->dl, rx - U(c, 1), y, U(c, 3), h, t->highlight);
	}
	/* Markers: pane A above the bar, pane B below. */
	int mh = (h - bh) / 2 - U(c, 2);
	int last_x[2][PGT_MK_COUNT];
	for (int i = 0; i < 2; i++)
		for (int k = 0; k < PGT_MK_COUNT; k++)
			last_x[i][k] = -1000;
	for (size_t i = 0; i < c->m->nmarkers; i++) {
		const pgt_marker *mk = &c->m->markers[i];
		int mx = x + (int)((double)mk->step * sx);
		if (mx == last_x[mk->pane][mk->kind])
			continue;
		last_x[mk->pane][mk->kind] = mx;
		int mw = mk->kind >= PGT_MK_VIOLATION ? U(c, 3) : U(c, 2);
		int my = mk->pane == 0 ? by - mh : by + bh;
		dl_rect(c->dl, mx - mw / 2, my, mw, mh + (mk->pane == 0 ? bh / 2 : 0),
		        marker_color(t, mk->kind));
	}
	/* Violations on top, full height: they must stand out. */
	for (size_t i = 0; i < c->m->nmarkers; i++) {
		const pgt_marker *mk = &c->m->markers[i];
		if (mk->kind != PGT_MK_VIOLATION)
			continue;
		int mx = x + (int)((double)mk->step * sx);
		dl_rect(c->dl, mx - U(c, 2), y, U(c, 4) < 2 ? 2 : U(c, 4), h, t->violation);
	}
	/* Playhead; when the panes are stepped alone, one per pane too. */
	dl_rect(c->dl, cx - U(c, 2), y, U(c, 4), h, t->text);
	if (c->vs->unlocked)
		for (int p = 0; p < c->m->npanes; p++) {
			size_t g = pgt_view_global_step(c->m, p, pgt_view_pane_at(c->m, c->vs, p));
			int px = x + (int)((double)g * sx);
			dl_rect(c->dl, px - U(c, 3), p == 0 ? y : by + bh, U(c, 6),
			        p == 0 ? by - y : y + h - by - bh, t->highlight);
		}
	/* Key: marker kinds on the first line, which pane is where on the
	 * second (when there is room for two lines). */
	bool lines2 = two && h >= 2 * c->fs_tiny + U(c, 4);
	int ky = lines2 ? y + c->fs_tiny / 2 + U(c, 2) : y + h / 2;
	int kx = x + w + U(c, 16), kend = c->lay->width - pad;
	for (int k = 0; k < PGT_MK_COUNT; k++) {
		if (!present[k])
			continue;
		int nw = measure(c, PGT_FONT_SANS, c->fs_tiny, marker_name(k));
		if (kx + U(c, 8) + nw > kend)
			break;
		dl_rect(c->dl, kx, ky - c->fs_tiny / 2, U(c, 4) < 2 ? 2 : U(c, 4), c->fs_tiny,
		        marker_color(t, k));
		kx += U(c, 8);
		dl_text(c->dl, kx, ky, PGT_FONT_SANS, c->fs_tiny, PGT_AN_LEFT | PGT_AN_MIDDLE,
		        t->text_dim, marker_name(k));
		kx += nw + U(c, 12);
	}
	if (lines2)
		dl_text(c->dl, x + w + U(c, 16), y + h - U(c, 1), PGT_FONT_SANS, c->fs_tiny,
		        PGT_AN_LEFT | PGT_AN_BOTTOM, t->text_dim, expl);
}

void draw_status(ctx *c, int y, int h)
{
	const pgt_theme *t = c->t;
	int pad = U(c, 16);
	static const char *const hints[] = {
	    "Space play/pause   <- -> step   Shift+<- -> marker   n run to marker   "
	    "Tab pane: [ ] step, c scheme, v version   o open   s PNG   m/e export   ? all keys",
	    "Space play   <- -> step   n next marker   Tab c v pane scheme/version   e export   "
	    "? all keys",
	    "Space play   <- -> step   ? all keys"};
	const char *msg = c->vs->status;
	if (!msg[0])
		for (size_t i = 0; i < 3; i++) {
			msg = hints[i];
			if (measure(c, PGT_FONT_SANS, c->fs_small, msg) <= c->lay->width - 2 * pad)
				break;
		}
	dl_text(c->dl, pad, y + h / 2, PGT_FONT_SANS, c->fs_small, PGT_AN_LEFT | PGT_AN_MIDDLE,
	        c->vs->status[0] ? t->text : t->text_dim, msg);
}

static const char *owner_of(const ctx *c, const pgt_pane_model *pm, uint64_t a, size_t step,
                            char *buf, size_t size)
{
	const pgt_scenario *sc = c->m->sc;
	if (sc)
		for (size_t i = 0; i < sc->n_resv; i++)
			if (a >= sc->resv[i].start && a < sc->resv[i].end) {
				snprintf(buf, size, "%s%s%s", pgt_resv_kind_name(sc->resv[i].kind),
				         sc->resv[i].label[0] ? ": " : "", sc->resv[i].label);
				return buf;
			}
	if (pm->crash_ev != SIZE_MAX && pm->crash_ev <= step) {
		const pgt_event *e = &pgt_sim_events(pm->sim)[pm->crash_ev];
		if (a >= e->a && a < e->b) {
			char sz[32];
			snprintf(buf, size, "crashkernel= (kdump), %s reserved at step %zu",
			         pgt_fmt_size(e->b - e->a, sz, sizeof(sz)),
			         pgt_view_global_step(c->m, (int)(pm - c->m->pane), pm->crash_ev));
			return buf;
		}
	}
	for (size_t i = 0; i < pm->nbufs; i++) {
		const pgt_bufhist *b = &pm->bufs[i];
		if (b->placed > step || a < b->start_pfn << 12 || a >= b->top_pfn << 12)
			continue;
		snprintf(buf, size, "%s", pm->is_old ? "pgt_buf" : "BRK page-table buffer");
		return buf;
	}
	return NULL;
}

void draw_tooltip(ctx *c)
{
	const pgt_viewstate *vs = c->vs;
	if (!vs->hover || vs->dragging || vs->show_help || vs->show_glossary || vs->show_picker)
		return;
	pgt_hit hit = pgt_view_hit(c->m, c->lay, vs, vs->hover_x, vs->hover_y);
	if (hit.pane < 0 || !hit.has_addr)
		return;
	const pgt_pane_model *pm = &c->m->pane[hit.pane];
	size_t step = pgt_view_pane_at(c->m, vs, hit.pane);
	char lines[8][160];
	int n = 0;
	char tn[48], own[80], sz[32];
	snprintf(lines[n++], 160, "physical %#018" PRIx64, hit.addr);
	const char *type = "hole (no e820 entry)";
	for (size_t i = 0; i < c->m->ne820; i++)
		if (hit.addr >= c->m->e820[i].start && hit.addr < c->m->e820[i].end)
			type = pgt_e820_type_name(c->m->e820[i].type, tn, sizeof(tn));
	snprintf(lines[n++], 160, "e820: %s", type);
	if (hit.table != UINT32_MAX) {
		const pgt_table *tb = &pgt_sim_tables(pm->sim)[hit.table];
		snprintf(lines[n++], 160, "%s table page at %#" PRIx64 " (%s)",
		         pgt_level_name(tb->level), tb->pa, pgt_origin_name(tb->origin));
		uint64_t span = level_span(tb->level);
		snprintf(lines[n++], 160, "maps VA %#" PRIx64 " .. +%s (physical %#" PRIx64 "..)",
		         (uint64_t)(0xffff880000000000ull + tb->va_base),
		         pgt_fmt_size(span, sz, sizeof(sz)), tb->va_base);
		if (tb->origin == PGT_ORIGIN_STATIC)
			snprintf(lines[n++], 160, "static: present from the start");
		else
			snprintf(lines[n++], 160, "allocated at step %zu (event %u of this pane)%s",
			         pgt_view_global_step(c->m, hit.pane, tb->alloc_event),
			         tb->alloc_event,
			         tb->ro_event != UINT32_MAX ? ", read-only under Xen" : "");
		if (hit.ntables > 1)
			snprintf(lines[n++], 160, "+%u more table pages here: zoom in",
			         hit.ntables - 1);
	} else {
		const char *o = owner_of(c, pm, hit.addr, step, own, sizeof(own));
		if (o)
			snprintf(lines[n++], 160, "owner: %s", o);
	}
	pgt_translation tr = pgt_sim_translate(pm->sim, hit.addr, step);
	if (tr.mapped)
		snprintf(lines[n++], 160, "direct-mapped with a %s page%s",
		         tr.leaf_level == PGT_PUD   ? "1G"
		         : tr.leaf_level == PGT_PMD ? "2M"
		                                    : "4k",
		         tr.writable ? "" : ", read-only");
	else
		snprintf(lines[n++], 160, "not direct-mapped yet");
	int lh = c->fs_small + U(c, 4), tw = 0;
	for (int i = 0; i < n; i++) {
		int mw = measure(c, i == 0 ? PGT_FONT_MONO : PGT_FONT_SANS, c->fs_small, lines[i]);
		if (mw > tw)
			tw = mw;
	}
	int pad = U(c, 8);
	int bw = tw + 2 * pad, bh = n * lh + 2 * pad;
	int bx = vs->hover_x + U(c, 18), by = vs->hover_y + U(c, 18);
	if (bx + bw > c->lay->width)
		bx = vs->hover_x - bw - U(c, 10);
	if (by + bh > c->lay->height)
		by = vs->hover_y - bh - U(c, 10);
	dl_rect(c->dl, bx, by, bw, bh, c->t->tooltip_bg);
	dl_frame(c->dl, bx, by, bw, bh, U(c, 1), c->t->grid);
	for (int i = 0; i < n; i++)
		dl_text(c->dl, bx + pad, by + pad + i * lh, i == 0 ? PGT_FONT_MONO : PGT_FONT_SANS,
		        c->fs_small, PGT_AN_LEFT, c->t->text, lines[i]);
}

/* A centred overlay box of w x h (clamped to the canvas); returns its rect. */
static void overlay_box(ctx *c, int *x, int *y, int *w, int *h, const char *title)
{
	const pgt_theme *t = c->t;
	int m = U(c, 12);
	if (*w > c->lay->width - 2 * m)
		*w = c->lay->width - 2 * m;
	if (*h > c->lay->height - 2 * m)
		*h = c->lay->height - 2 * m;
	*x = (c->lay->width - *w) / 2;
	*y = (c->lay->height - *h) / 2;
	dl_rect(c->dl, *x, *y, *w, *h, t->overlay_bg);
	dl_frame(c->dl, *x, *y, *w, *h, U(c, 2), t->grid);
	dl_text(c->dl, *x + U(c, 24), *y + U(c, 16), PGT_FONT_SANS_BOLD, c->fs_head, PGT_AN_LEFT,
	        t->text, title);
	dl_clip(c->dl, *x, *y, *w, *h);
}

void draw_help(ctx *c)
{
	size_t n;
	const pgt_binding_help *rows = pgt_input_help(&n);
	const pgt_theme *t = c->t;
	int lh = c->fs_body + U(c, 8);
	int keyw = 0, textw = 0;
	for (size_t i = 0; i < n; i++) {
		int kw = measure(c, PGT_FONT_MONO, c->fs_body, rows[i].keys);
		int tw = measure(c, PGT_FONT_SANS, c->fs_body, rows[i].action);
		keyw = kw > keyw ? kw : keyw;
		textw = tw > textw ? tw : textw;
	}
	int top = c->fs_head + U(c, 36);
	int w = keyw + textw + U(c, 80), h = (int)n * lh + top + U(c, 20), x, y;
	overlay_box(c, &x, &y, &w, &h, "Keys and mouse");
	for (size_t i = 0; i < n; i++) {
		int ry = y + top + (int)i * lh;
		dl_text(c->dl, x + U(c, 24), ry, PGT_FONT_MONO, c->fs_body, PGT_AN_LEFT, t->text,
		        rows[i].keys);
		dl_text(c->dl, x + U(c, 48) + keyw, ry, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT,
		        t->text, rows[i].action);
	}
	dl_clip(c->dl, 0, 0, 0, 0);
}

void draw_glossary(ctx *c)
{
	size_t n;
	const pgt_gloss *g = pgt_glossary(&n);
	const pgt_theme *t = c->t;
	int w = c->lay->width * 92 / 100, h = c->lay->height * 90 / 100, x, y;
	overlay_box(c, &x, &y, &w, &h, "Glossary (g or Escape closes; also docs/glossary.md)");
	int ncol = w > U(c, 1200) ? 2 : 1;
	int gap = U(c, 24), top = y + c->fs_head + U(c, 32), bottom = y + h - U(c, 12);
	int colw = (w - gap * (ncol + 1)) / ncol;
	int termw = 0;
	for (size_t i = 0; i < n; i++) {
		int tw = measure(c, PGT_FONT_SANS_BOLD, c->fs_small, g[i].term);
		termw = tw > termw ? tw : termw;
	}
	if (termw > colw / 3)
		termw = colw / 3;
	int lh = c->fs_small + U(c, 4);
	int col = 0, yy = top;
	for (size_t i = 0; i < n; i++) {
		int cx = x + gap + col * (colw + gap);
		char text[600];
		snprintf(text, sizeof(text), "%s%s%s%s", g[i].text,
		         g[i].section[0] ? " (kernel-model.md: " : "", g[i].section,
		         g[i].section[0] ? ")" : "");
		/* Dry run to count lines, then place (next column when full). */
		size_t n0 = c->dl->n;
		int nl = text_wrapped(c, 0, 0, colw - termw - U(c, 12), PGT_FONT_SANS, c->fs_small,
		                      lh, t->text, text, 6);
		c->dl->n = n0;
		if (yy + nl * lh > bottom) {
			if (++col >= ncol) {
				dl_text(c->dl, x + w - U(c, 16), y + h - U(c, 6), PGT_FONT_SANS,
				        c->fs_small, PGT_AN_RIGHT | PGT_AN_BOTTOM, t->text_dim,
				        "more in docs/glossary.md");
				break;
			}
			yy = top;
			cx = x + gap + col * (colw + gap);
		}
		dl_text(c->dl, cx, yy, PGT_FONT_SANS_BOLD, c->fs_small, PGT_AN_LEFT, t->highlight,
		        g[i].term);
		text_wrapped(c, cx + termw + U(c, 12), yy, colw - termw - U(c, 12), PGT_FONT_SANS,
		             c->fs_small, lh, t->text, text, 6);
		yy += nl * lh + U(c, 8);
	}
	dl_clip(c->dl, 0, 0, 0, 0);
}

void draw_picker(ctx *c)
{
	const pgt_theme *t = c->t;
	const pgt_pick_list *pl = c->p->picker;
	int n = pl ? (int)pl->n : 0;
	int lh = c->fs_body + U(c, 10);
	int top = c->fs_head + U(c, 36);
	int w = U(c, 1300), h = n * lh + top + c->fs_small + U(c, 40), x, y;
	overlay_box(c, &x, &y, &w, &h, "Open a scenario (Up/Down, Enter; Escape closes)");
	int namew = 0;
	for (int i = 0; i < n; i++) {
		int nw = measure(c, PGT_FONT_MONO, c->fs_body, pl->v[i].name);
		namew = nw > namew ? nw : namew;
	}
	int rows = (h - top - c->fs_small - U(c, 30)) / lh;
	if (rows < 1)
		rows = 1;
	int first = c->vs->pick_index >= rows ? c->vs->pick_index - rows + 1 : 0;
	for (int i = first; i < n && i < first + rows; i++) {
		int ry = y + top + (i - first) * lh;
		bool sel = i == c->vs->pick_index;
		if (sel)
			dl_rect(c->dl, x + U(c, 12), ry - U(c, 4), w - U(c, 24), lh, t->timeline);
		textf(c, x + U(c, 24), ry, PGT_FONT_MONO, c->fs_body, PGT_AN_LEFT,
		      sel ? t->highlight : t->text, "%s", pl->v[i].name);
		textf(c, x + U(c, 48) + namew, ry, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT,
		      pl->v[i].builtin ? t->text : t->text_dim, "%s%s", pl->v[i].desc,
		      pl->v[i].builtin ? "" : "  (file)");
	}
	if (n == 0)
		dl_text(c->dl, x + U(c, 24), y + top, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT,
		        t->text_dim, "no scenarios found");
	dl_text(c->dl, x + U(c, 24), y + h - U(c, 12), PGT_FONT_SANS, c->fs_small,
	        PGT_AN_LEFT | PGT_AN_BOTTOM, t->text_dim,
	        "Built-in scenarios, then the files in scenarios/. Drop any scenario file or "
	        "dmesg log on the window to open it.");
	dl_clip(c->dl, 0, 0, 0, 0);
}
