/*
 * view_check.c: the log check panel (`d` when the scenario came from a
 * dmesg log): the log's compared lines against the simulation's, as
 * `pgtviz check` prints them -- '=' same, '!' differs, '-' only in the
 * log, '+' only predicted -- each row with the simulation event it belongs
 * to.  The rows of the latest event at or before the step a pane shows are
 * highlighted, rows the run has not reached yet are dimmed, and the list
 * scrolls to keep the highlighted rows in view.  On the timeline, a tick
 * in the violation colour marks the step of every row that does not
 * match.  Steps are those of the pane that runs what the check ran (same
 * scheme, version and event count); when no pane does, the panel says so
 * and highlights nothing.  The data comes from logcheck.c; this only draws.
 *
 * A row is the log's line (or the predicted line, for '+'); a differing
 * prediction is a second line under it, in the violation colour.
 */
#include "view_internal.h"

#include "pgtviz/logcheck.h"

#include <stdio.h>
#include <string.h>

int check_pane(const pgt_view_model *m, const pgt_logcheck *lc)
{
	if (!lc || !lc->run)
		return -1;
	for (int p = 0; p < m->npanes; p++) {
		const pgt_sim *s = m->pane[p].sim;
		if (pgt_sim_scheme(s) == pgt_sim_scheme(lc->run) &&
		    pgt_sim_kver(s) == pgt_sim_kver(lc->run) &&
		    pgt_sim_event_count(s) == pgt_sim_event_count(lc->run) &&
		    strcmp(pgt_sim_model(s), pgt_sim_model(lc->run)) == 0)
			return p;
	}
	return -1;
}

/* The event whose rows are highlighted at pane event cur: the latest row
 * event at or before it (SIZE_MAX: no row yet). */
static size_t current_row_event(const pgt_logcheck *lc, size_t cur)
{
	size_t best = SIZE_MAX;
	for (size_t i = 0; i < lc->n_rows; i++)
		if (lc->rows[i].event <= cur && (best == SIZE_MAX || lc->rows[i].event > best))
			best = lc->rows[i].event;
	return best;
}

void draw_check_ticks(ctx *c, int x, int w, int y, int h)
{
	const pgt_logcheck *lc = c->vs->check;
	int p = check_pane(c->m, lc);
	if (p < 0)
		return;
	size_t n = c->m->nsteps ? c->m->nsteps : 1;
	double sx = (double)w / (double)(n > 1 ? n - 1 : 1);
	int last = -1000, tw = U(c, 3) < 2 ? 2 : U(c, 3);
	for (size_t i = 0; i < lc->n_rows; i++) {
		if (lc->rows[i].status == PGT_LC_MATCH)
			continue;
		size_t g = pgt_view_global_step(c->m, p, lc->rows[i].event);
		int tx = x + (int)((double)g * sx);
		if (tx == last)
			continue;
		last = tx;
		dl_rect(c->dl, tx - tw / 2, y, tw, h, c->t->violation);
	}
}

/* Geometry of the panel. */
typedef struct panel {
	int x, y, w, h;         /* the box */
	int pad, lh;            /* padding, height of one line of a row */
	int cw;                 /* width of one mono character */
	int col_mark, col_line; /* x of the mark and the log line number */
	int col_text;           /* x of the text */
	int col_ev;             /* right edge of the event column */
	int text_w;             /* width of the text column */
	int rows_y, nlines;     /* top of the rows, lines that fit */
} panel;

static void layout(const ctx *c, int foot_lines, panel *g)
{
	int W = c->p->width, H = c->p->height;
	g->pad = U(c, 16);
	g->lh = c->fs_small + U(c, 8);
	g->w = W - 4 * g->pad;
	g->x = (W - g->w) / 2;
	g->y = 2 * g->pad;
	/* below the title: the panel left its lower half showing under it at
	 * 1280x720 (the title is taller than two pads there) */
	if (c->lay->npanes > 0 && c->lay->pane[0].y > g->y)
		g->y = c->lay->pane[0].y;
	/* above the timeline, whose ticks mark the rows that differ */
	int bottom = c->lay->tl_h > 0 ? c->lay->tl_y - g->pad / 2 : H - 2 * g->pad;
	g->h = bottom - g->y;
	g->cw = measure(c, PGT_FONT_MONO, c->fs_small, "0");
	g->col_mark = g->x + g->pad;
	g->col_line = g->col_mark + 2 * g->cw;
	g->col_text = g->col_line + 7 * g->cw;
	g->col_ev = g->x + g->w - g->pad;
	int evw = measure(c, PGT_FONT_MONO, c->fs_small, "~event 000000");
	g->text_w = g->col_ev - evw - g->cw - g->col_text;
	int head = 2 * (c->fs_body + U(c, 10)) + g->lh;
	int foot = foot_lines * (c->fs_tiny + U(c, 6)) + U(c, 8);
	g->rows_y = g->y + g->pad + head;
	g->nlines = (g->y + g->h - g->pad - foot - g->rows_y) / g->lh;
	if (g->nlines < 2)
		g->nlines = 2;
}

/* Lines a row takes: a differing prediction goes under the log's line. */
static int row_lines(const pgt_lc_row *r)
{
	return r->status == PGT_LC_DIFFERS ? 2 : 1;
}

/* First row shown: the first highlighted row a third of the way down, the
 * list ending at the panel's bottom when it can. */
static size_t first_row(const pgt_logcheck *lc, size_t hl, int nlines)
{
	size_t at = 0;
	for (size_t i = 0; hl != SIZE_MAX && i < lc->n_rows; i++)
		if (lc->rows[i].event == hl) {
			at = i;
			break;
		}
	size_t top = at;
	int used = 0;
	while (top > 0 && used + row_lines(&lc->rows[top - 1]) <= nlines / 3)
		used += row_lines(&lc->rows[--top]);
	int below = 0; /* lines from top to the end */
	for (size_t i = top; i < lc->n_rows && below <= nlines; i++)
		below += row_lines(&lc->rows[i]);
	while (top > 0 && below + row_lines(&lc->rows[top - 1]) <= nlines)
		below += row_lines(&lc->rows[--top]);
	return top;
}

/* Draws row i at y; returns the lines it took. */
static int draw_row(const ctx *c, const panel *g, const pgt_logcheck *lc, size_t i, int y,
                    size_t hl, size_t cur)
{
	const pgt_theme *t = c->t;
	const pgt_lc_row *r = &lc->rows[i];
	int nl = row_lines(r);
	bool now = hl != SIZE_MAX && r->event == hl;
	bool ahead = cur != SIZE_MAX && r->event > cur;
	if (now)
		dl_rect(c->dl, g->x + g->pad / 2, y, g->w - g->pad, nl * g->lh, t->panel);
	pgt_color tc = ahead ? t->text_dim : t->text;
	pgt_color bad = r->status == PGT_LC_MATCH ? tc : t->violation;
	int px = c->fs_small, an = PGT_AN_LEFT | PGT_AN_MIDDLE, my = y + g->lh / 2;
	char m[2] = {pgt_lc_mark(r->status), 0}, buf[512];
	dl_text(c->dl, g->col_mark, my, PGT_FONT_MONO, px, an, bad, m);
	if (r->a >= 0) {
		snprintf(buf, sizeof(buf), "%5d", lc->log[r->a].lineno);
		dl_text(c->dl, g->col_line, my, PGT_FONT_MONO, px, an, t->text_dim, buf);
	}
	const char *first = r->a >= 0 ? lc->log[r->a].text : lc->sim[r->b].text;
	dl_text(c->dl, g->col_text, my, PGT_FONT_MONO, px, an,
	        r->status == PGT_LC_SIM_ONLY || r->status == PGT_LC_LOG_ONLY ? bad : tc,
	        text_fit(c, PGT_FONT_MONO, px, first, g->text_w, buf, sizeof(buf)));
	if (r->status == PGT_LC_DIFFERS)
		dl_text(c->dl, g->col_text, my + g->lh, PGT_FONT_MONO, px, an, bad,
		        text_fit(c, PGT_FONT_MONO, px, lc->sim[r->b].text, g->text_w, buf,
		                 sizeof(buf)));
	snprintf(buf, sizeof(buf), "%sevent %u", r->exact ? "" : "~", r->event);
	dl_text(c->dl, g->col_ev, my, PGT_FONT_MONO, px, PGT_AN_RIGHT | PGT_AN_MIDDLE, t->text_dim,
	        buf);
	return nl;
}

static void draw_head(const ctx *c, const panel *g, const pgt_logcheck *lc, int p, size_t cur)
{
	const pgt_theme *t = c->t;
	char line[512], buf[512];
	int tw = g->w - 2 * g->pad, lh = c->fs_body + U(c, 10);
	snprintf(line, sizeof(line), "check: %zu of %zu %s match (model %s)", lc->matched,
	         lc->n_log, pgt_lc_what(lc), lc->model);
	dl_text(c->dl, g->x + g->pad, g->y + g->pad, PGT_FONT_SANS_BOLD, c->fs_body, PGT_AN_LEFT,
	        lc->exit ? t->violation : t->text,
	        text_fit(c, PGT_FONT_SANS_BOLD, c->fs_body, line, tw, buf, sizeof(buf)));
	size_t bad = pgt_lc_unmatched(lc);
	char rows[64];
	if (bad)
		snprintf(rows, sizeof(rows), "%zu row%s differ%s", bad, bad == 1 ? "" : "s",
		         bad == 1 ? "s" : "");
	else
		snprintf(rows, sizeof(rows), "every row matches");
	if (p < 0)
		snprintf(line, sizeof(line),
		         "%s; the events are those of the check's run, which no pane shows", rows);
	else
		snprintf(line, sizeof(line), "%s; pane %c shows this run, at event %zu", rows,
		         'A' + p, cur);
	dl_text(c->dl, g->x + g->pad, g->y + g->pad + lh, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT,
	        t->text, text_fit(c, PGT_FONT_SANS, c->fs_body, line, tw, buf, sizeof(buf)));
	int hy = g->rows_y - g->lh / 2 - U(c, 2), an = PGT_AN_LEFT | PGT_AN_MIDDLE;
	dl_text(c->dl, g->col_line, hy, PGT_FONT_SANS, c->fs_small, an, t->text_dim, " line");
	dl_text(c->dl, g->col_text, hy, PGT_FONT_SANS, c->fs_small, an, t->text_dim,
	        "the log's line (a differing prediction under it)");
	dl_text(c->dl, g->col_ev, hy, PGT_FONT_SANS, c->fs_small, PGT_AN_RIGHT | PGT_AN_MIDDLE,
	        t->text_dim, "event");
}

void draw_check(ctx *c, const pgt_logcheck *lc)
{
	const pgt_theme *t = c->t;
	panel g;
	int foot_lines = lc->note[0] ? 4 : 2;
	layout(c, foot_lines, &g);
	int p = check_pane(c->m, lc);
	size_t cur = p >= 0 ? pgt_view_pane_at(c->m, c->vs, p) : SIZE_MAX;
	size_t hl = p >= 0 ? current_row_event(lc, cur) : SIZE_MAX;
	dl_rect(c->dl, g.x, g.y, g.w, g.h, t->bg);
	dl_rect(c->dl, g.x, g.y, g.w, g.h, t->overlay_bg);
	dl_frame(c->dl, g.x, g.y, g.w, g.h, U(c, 2), t->highlight);
	draw_head(c, &g, lc, p, cur);
	size_t top = first_row(lc, hl, g.nlines), end = top;
	int used = 0;
	while (end < lc->n_rows && used + row_lines(&lc->rows[end]) <= g.nlines)
		used += draw_row(c, &g, lc, end++, g.rows_y + used * g.lh, hl, cur);
	int th = c->fs_tiny + U(c, 6);
	int fy = g.y + g.h - g.pad - foot_lines * th;
	char line[600];
	snprintf(line, sizeof(line),
	         "rows %zu-%zu of %zu.  = same, ! differs, - only in the log, + only predicted; "
	         "~event: the row above's.  Highlighted: this step's rows; dim: not reached yet",
	         lc->n_rows ? top + 1 : 0, end, lc->n_rows);
	int fl = text_wrapped(c, g.x + g.pad, fy, g.w - 2 * g.pad, PGT_FONT_SANS, c->fs_tiny, th,
	                      t->text_dim, line, 2);
	if (lc->note[0])
		text_wrapped(c, g.x + g.pad, fy + fl * th, g.w - 2 * g.pad, PGT_FONT_SANS,
		             c->fs_tiny, th, t->text_dim, lc->note, foot_lines - fl);
}
