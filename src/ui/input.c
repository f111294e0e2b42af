/*
 * input.c: keys and mouse -> commands -> view state, without SDL.
 *
 * Bindings live in one table (bindings: key, modifiers, mode, command,
 * help text), so docs/window.md, the help overlay and the code agree.
 * Commands change the view state; what needs the application (save,
 * export, open, re-run a pane, next theme, quit) comes back as a
 * pgt_request that the window and the browser page act on in one switch.  Zoom and pan change the
 * visible address window of both panes together (they show the same physical memory, so comparing
 * the schemes stays easy); selection, hover and timeline seeks use
 * pgt_view_hit() on the layout of the last frame.
 */
#include "pgtviz/input.h"

#include "pgtviz/camera.h"
#include "pgtviz/moment.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Every key binding, in the order the help overlay lists them.  A row
 * with keys == NULL adds a binding to the help row above it (or, as the
 * picker's rows, is not listed); a row with key PGT_KEY_NONE is help only
 * (mouse, drop).  To add a key: an enum pgt_key value (input.h) and its
 * row in src/web/web_keys.c's key_enum, its SDL key in cmd_window.c's
 * sdl_keys and its DOM name in web_keys.c's dom_keys (test_ui_web_keys
 * fails without them), a row here, a row in docs/window.md (test_ui_input
 * checks the docs list every help row). */
static const pgt_key_binding bindings[] = {
    {PGT_KEY_SPACE, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_PLAY, 0, "Space",
     "play / pause (stops by itself at a Xen violation and at the next match of a g search)"},
    {PGT_KEY_RIGHT, PGT_MOD_NONE, PGT_BIND_MAIN, PGT_CMD_STEP, 1, "Right / Left (Down / Up)",
     "next / previous step, both panes in lockstep"},
    {PGT_KEY_LEFT, PGT_MOD_NONE, PGT_BIND_MAIN, PGT_CMD_STEP, -1, NULL, NULL},
    {PGT_KEY_DOWN, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_STEP, 1, NULL, NULL},
    {PGT_KEY_UP, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_STEP, -1, NULL, NULL},
    {PGT_KEY_PAGEDOWN, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_MARKER, 1, "PageDown / PageUp",
     "next / previous marker (presentation clickers)"},
    {PGT_KEY_PAGEUP, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_MARKER, -1, NULL, NULL},
    {PGT_KEY_RIGHT, PGT_MOD_SHIFT, PGT_BIND_MAIN, PGT_CMD_MARKER, 1, "Shift + Right / Left",
     "next / previous marker"},
    {PGT_KEY_LEFT, PGT_MOD_SHIFT, PGT_BIND_MAIN, PGT_CMD_MARKER, -1, NULL, NULL},
    {PGT_KEY_G, PGT_MOD_NONE, PGT_BIND_MAIN, PGT_CMD_GOTO, 0, "g",
     "go to: type a step, PANE:EVENT, violation, ro, full, table:pte, alloc>=4G ... Enter"},
    {PGT_KEY_N, PGT_MOD_NONE, PGT_BIND_MAIN, PGT_CMD_REPEAT, 1, "n / Shift+n",
     "next / previous match of the last g search (none yet, or after g off: n runs to the "
     "next marker)"},
    {PGT_KEY_N, PGT_MOD_SHIFT, PGT_BIND_MAIN, PGT_CMD_REPEAT, -1, NULL, NULL},
    {PGT_KEY_PERIOD, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_NOTE, 1, ". / ,",
     "next / previous scenario note"},
    {PGT_KEY_COMMA, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_NOTE, -1, NULL, NULL},
    {PGT_KEY_HOME, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_HOME, 0, "Home / End", "first / last step"},
    {PGT_KEY_END, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_END, 0, NULL, NULL},
    {PGT_KEY_PLUS, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_SPEED, 1, "+ / -", "play faster / slower"},
    {PGT_KEY_MINUS, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_SPEED, -1, NULL, NULL},
    {PGT_KEY_TAB, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_FOCUS, 0, "Tab",
     "choose a pane (for [ ], c, v)"},
    {PGT_KEY_LBRACKET, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_PANE_STEP, -1, "[ / ]",
     "step only that pane, back / forward"},
    {PGT_KEY_RBRACKET, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_PANE_STEP, 1, NULL, NULL},
    {PGT_KEY_L, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_RELOCK, 0, "l",
     "back to lockstep (at that pane's position)"},
    {PGT_KEY_C, PGT_MOD_NONE, PGT_BIND_MAIN, PGT_CMD_SCHEME, 1, "c / Shift+c",
     "that pane: next / previous scheme"},
    {PGT_KEY_C, PGT_MOD_SHIFT, PGT_BIND_MAIN, PGT_CMD_SCHEME, -1, NULL, NULL},
    {PGT_KEY_V, PGT_MOD_NONE, PGT_BIND_MAIN, PGT_CMD_VERSION, 1, "v / Shift+v",
     "that pane: next / previous version model"},
    {PGT_KEY_V, PGT_MOD_SHIFT, PGT_BIND_MAIN, PGT_CMD_VERSION, -1, NULL, NULL},
    {PGT_KEY_ZERO, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_ZOOM_RESET, 0, "mouse wheel, drag, 0",
     "zoom at the pointer, pan, whole map (camera off)"},
    {PGT_KEY_F, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_FOLLOW, 0, "f",
     "camera on / off: each map follows its current event"},
    {PGT_KEY_I, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_INSPECT, 0, "i",
     "the selected table page's entries at this step (ptdump of the page)"},
    {PGT_KEY_D, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_CHECK, 0, "d",
     "a dmesg log: its lines against the simulation's (check), at their steps"},
    {PGT_KEY_NONE, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_NONE, 0, "click (map or tree)",
     "select a table page: its page, parent and mapped range light up"},
    {PGT_KEY_NONE, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_NONE, 0, "click on the timeline",
     "jump to that step (drag scrubs)"},
    {PGT_KEY_G, PGT_MOD_SHIFT, PGT_BIND_MAIN, PGT_CMD_GLOSSARY, 0, "Shift+g",
     "glossary: e820, memblock, PGD ... pinning, real_end"},
    {PGT_KEY_O, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_PICKER, 0, "o or F2", "open another scenario"},
    {PGT_KEY_T, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_THEME, 0, "t",
     "next theme (dark, light, colour-blind)"},
    {PGT_KEY_S, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_SAVE, 0, "s", "save the current view as PNG"},
    {PGT_KEY_M, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_RANGE, 0, "m",
     "mark the start of the export range (again: clear)"},
    {PGT_KEY_E, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_EXPORT, 0, "e",
     "export mark (or last marker) .. this step, last export settings"},
    {PGT_KEY_ESCAPE, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_ESCAPE, 0, "Escape",
     "close an overlay / clear the selection"},
    {PGT_KEY_NONE, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_NONE, 0, "drop a file",
     "load a scenario or dmesg log"},
    {PGT_KEY_QUESTION, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_HELP, 0, "? or F1",
     "show / hide this help"},
    {PGT_KEY_Q, PGT_MOD_ANY, PGT_BIND_MAIN, PGT_CMD_QUIT, 0, "q", "quit"},
    /* The picker takes the navigation keys while it is open. */
    {PGT_KEY_UP, PGT_MOD_ANY, PGT_BIND_PICKER, PGT_CMD_PICK_MOVE, -1, NULL, NULL},
    {PGT_KEY_DOWN, PGT_MOD_ANY, PGT_BIND_PICKER, PGT_CMD_PICK_MOVE, 1, NULL, NULL},
    {PGT_KEY_PAGEUP, PGT_MOD_ANY, PGT_BIND_PICKER, PGT_CMD_PICK_MOVE, -8, NULL, NULL},
    {PGT_KEY_PAGEDOWN, PGT_MOD_ANY, PGT_BIND_PICKER, PGT_CMD_PICK_MOVE, 8, NULL, NULL},
    {PGT_KEY_ENTER, PGT_MOD_ANY, PGT_BIND_PICKER, PGT_CMD_PICK_OPEN, 0, NULL, NULL},
    {PGT_KEY_BACKSPACE, PGT_MOD_ANY, PGT_BIND_PICKER, PGT_CMD_PICK_ERASE, 0, NULL, NULL},
    {PGT_KEY_ESCAPE, PGT_MOD_ANY, PGT_BIND_PICKER, PGT_CMD_ESCAPE, 0, NULL, NULL},
    /* The go-to prompt takes Enter, Backspace and Escape; other keys type. */
    {PGT_KEY_ENTER, PGT_MOD_ANY, PGT_BIND_GOTO, PGT_CMD_GOTO_GO, 0, NULL, NULL},
    {PGT_KEY_BACKSPACE, PGT_MOD_ANY, PGT_BIND_GOTO, PGT_CMD_GOTO_ERASE, 0, NULL, NULL},
    {PGT_KEY_ESCAPE, PGT_MOD_ANY, PGT_BIND_GOTO, PGT_CMD_ESCAPE, 0, NULL, NULL},
};

#define NBINDINGS (sizeof(bindings) / sizeof(bindings[0]))

const pgt_key_binding *pgt_input_bindings(size_t *n)
{
	*n = NBINDINGS;
	return bindings;
}

/* The help rows: the table's rows that carry help text, in its order. */
static pgt_help_row help_rows[NBINDINGS];

const pgt_help_row *pgt_input_help(size_t *n)
{
	size_t k = 0;
	for (size_t i = 0; i < NBINDINGS; i++)
		if (bindings[i].keys && bindings[i].help)
			help_rows[k++] = (pgt_help_row){bindings[i].keys, bindings[i].help};
	*n = k;
	return help_rows;
}

/* ---- schemes and version models per pane ---------------------------------- */

const uint32_t *pgt_scheme_versions(int scheme, size_t *n)
{
	const pgt_scheme_info *si = pgt_scheme_get(scheme);
	if (!si)
		si = pgt_scheme_get(PGT_SCHEME_CHUNKEND);
	*n = si->n_models;
	return si->models;
}

void pgt_next_scheme(int scheme, uint32_t kver, int dir, int *out_scheme, uint32_t *out_kver)
{
	(void)kver;
	int s = scheme + (dir < 0 ? -1 : 1);
	s = (s % PGT_SCHEME_COUNT + PGT_SCHEME_COUNT) % PGT_SCHEME_COUNT;
	*out_scheme = s;
	*out_kver = pgt_scheme_default_kver(s);
}

void pgt_next_version(int scheme, uint32_t kver, int dir, uint32_t *out_kver)
{
	size_t n;
	const uint32_t *v = pgt_scheme_versions(scheme, &n);
	if (dir >= 0) {
		for (size_t i = 0; i < n; i++)
			if (v[i] > kver) {
				*out_kver = v[i];
				return;
			}
		*out_kver = v[0];
	} else {
		for (size_t i = n; i-- > 0;)
			if (v[i] < kver) {
				*out_kver = v[i];
				return;
			}
		*out_kver = v[n - 1];
	}
}

/* The first binding of mode `mode` that matches the key and Shift. */
static const pgt_key_binding *find_binding(const pgt_input_event *ev, int mode)
{
	for (size_t i = 0; i < NBINDINGS; i++) {
		const pgt_key_binding *b = &bindings[i];
		if (b->mode == mode && b->key != PGT_KEY_NONE && b->key == ev->key &&
		    (b->mods == PGT_MOD_ANY ||
		     b->mods == (ev->shift ? PGT_MOD_SHIFT : PGT_MOD_NONE)))
			return b;
	}
	return NULL;
}

static pgt_cmd map_key(const pgt_viewstate *vs, const pgt_input_event *ev)
{
	pgt_cmd c = {0};
	const pgt_key_binding *b = find_binding(ev, vs->show_picker ? PGT_BIND_PICKER
	                                            : vs->show_goto ? PGT_BIND_GOTO
	                                                            : PGT_BIND_MAIN);
	if (b) {
		c.kind = b->cmd;
		c.arg = b->arg;
	}
	return c;
}

pgt_cmd pgt_input_map(pgt_viewstate *vs, const pgt_view_layout *lay, const pgt_input_event *ev)
{
	pgt_cmd c = {0};
	c.x = ev->x;
	c.y = ev->y;
	switch (ev->type) {
	case PGT_IN_KEY:
		c = map_key(vs, ev);
		break;
	case PGT_IN_TEXT:
		if (vs->show_picker || vs->show_goto) {
			c.kind = vs->show_picker ? PGT_CMD_PICK_TEXT : PGT_CMD_GOTO_TEXT;
			c.text = ev->text;
		}
		break;
	case PGT_IN_WHEEL:
		c.kind = PGT_CMD_ZOOM;
		c.arg = ev->wheel;
		break;
	case PGT_IN_DOWN:
		vs->dragging = true;
		vs->drag_moved = false;
		vs->drag_x = ev->x;
		vs->drag_y = ev->y;
		vs->drag_timeline = lay && lay->tl_w > 0 && ev->x >= lay->tl_x &&
		                    ev->x < lay->tl_x + lay->tl_w && ev->y >= lay->tl_y &&
		                    ev->y < lay->tl_y + lay->tl_h;
		if (vs->drag_timeline)
			c.kind = PGT_CMD_SELECT; /* seeks */
		break;
	case PGT_IN_UP:
		if (vs->dragging && !vs->drag_moved && !vs->drag_timeline)
			c.kind = PGT_CMD_SELECT;
		else if (vs->dragging && !vs->drag_timeline) {
			c.kind = PGT_CMD_PAN; /* the drag ends: round the labels */
			c.arg = 1;
		}
		vs->dragging = false;
		vs->drag_timeline = false;
		break;
	case PGT_IN_MOTION:
		if (vs->dragging) {
			int dx = ev->x - vs->drag_x, dy = ev->y - vs->drag_y;
			int slop = lay ? (int)(lay->unit * 4.0f) : 4;
			if (!vs->drag_moved && dx * dx + dy * dy < slop * slop)
				break;
			vs->drag_moved = true;
			vs->drag_x = ev->x;
			vs->drag_y = ev->y;
			if (vs->drag_timeline) {
				c.kind = PGT_CMD_SELECT;
			} else {
				c.kind = PGT_CMD_PAN;
				c.dx = dx;
				c.dy = dy;
			}
		} else {
			c.kind = PGT_CMD_HOVER;
		}
		break;
	case PGT_IN_LEAVE:
		c.kind = PGT_CMD_LEAVE;
		break;
	default:
		break;
	}
	return c;
}

static size_t last_step(const pgt_view_model *m)
{
	return m->nsteps ? m->nsteps - 1 : 0;
}

static void seek(pgt_viewstate *vs, const pgt_view_model *m, long long s)
{
	if (s < 0)
		s = 0;
	if ((unsigned long long)s > last_step(m))
		s = (long long)last_step(m);
	vs->step = (size_t)s;
	vs->play_acc = 0;
}

void pgt_input_export_range(const pgt_viewstate *vs, const pgt_view_model *m, size_t *a, size_t *b)
{
	size_t cur = vs->step, last = last_step(m);
	if (cur > last)
		cur = last;
	size_t start = 0;
	if (vs->range_start != SIZE_MAX) {
		start = vs->range_start > last ? last : vs->range_start;
	} else {
		for (size_t i = 0; i < m->nmarkers; i++)
			if (m->markers[i].step < cur)
				start = m->markers[i].step;
	}
	*a = start < cur ? start : cur;
	*b = start < cur ? cur : start;
}

size_t pgt_input_relock_step(const pgt_viewstate *vs, const pgt_view_model *m)
{
	if (!vs->unlocked)
		return vs->step;
	int p = vs->focus >= 0 && vs->focus < m->npanes ? vs->focus : 0;
	return pgt_view_global_step(m, p, pgt_view_pane_at(m, vs, p));
}

/* Leaves "stepped alone" mode at the focused pane's position. */
static void relock(pgt_viewstate *vs, const pgt_view_model *m)
{
	if (!vs->unlocked)
		return;
	vs->step = pgt_input_relock_step(vs, m);
	vs->unlocked = false;
}

static void pane_step(pgt_viewstate *vs, const pgt_view_model *m, long long d)
{
	int p = vs->focus >= 0 && vs->focus < m->npanes ? vs->focus : 0;
	if (!vs->unlocked) {
		for (int i = 0; i < m->npanes; i++)
			vs->pane_step[i] = pgt_view_pane_step(m, i, vs->step);
		vs->unlocked = true;
	}
	size_t n = m->pane[p].nev;
	long long s = (long long)vs->pane_step[p] + d;
	if (s < 0)
		s = 0;
	if (n && (size_t)s >= n)
		s = (long long)n - 1;
	vs->pane_step[p] = (size_t)s;
	vs->playing = false;
	snprintf(vs->status, sizeof(vs->status),
	         "stepping the %s pane alone: [ ] step it, Tab switches pane, l or an arrow key "
	         "returns to lockstep",
	         p == 0 ? "left" : "right");
}

/* To the next (dir > 0) or previous marker of a kind (-1: any), else to
 * the last / first step (any kind) or, for one kind, nowhere (false). */
static bool jump_marker(pgt_viewstate *vs, const pgt_view_model *m, long long dir, int kind)
{
	if (dir > 0) {
		for (size_t i = 0; i < m->nmarkers; i++)
			if (m->markers[i].step > vs->step &&
			    (kind < 0 || m->markers[i].kind == kind)) {
				seek(vs, m, (long long)m->markers[i].step);
				return true;
			}
		if (kind < 0)
			seek(vs, m, (long long)last_step(m));
	} else {
		for (size_t i = m->nmarkers; i-- > 0;)
			if (m->markers[i].step < vs->step &&
			    (kind < 0 || m->markers[i].kind == kind)) {
				seek(vs, m, (long long)m->markers[i].step);
				return true;
			}
		if (kind < 0)
			seek(vs, m, 0);
	}
	return kind < 0;
}

/* The pane under (x, y) (side by side, or stacked on a narrow canvas),
 * else pane 0. */
static int pane_at(const pgt_view_layout *lay, int x, int y)
{
	for (int p = 0; p < lay->npanes; p++)
		if (x >= lay->pane[p].x && x < lay->pane[p].x + lay->pane[p].w &&
		    y >= lay->pane[p].y && y < lay->pane[p].y + lay->pane[p].h)
			return p;
	return 0;
}

static void camera_off(pgt_viewstate *vs)
{
	if (!vs->follow)
		return;
	vs->follow = false;
	snprintf(vs->status, sizeof(vs->status),
	         "camera off (you zoomed or panned): f follows the current event again");
}

static void reset_zoom(pgt_viewstate *vs)
{
	vs->pane[0] = vs->pane[1] = (pgt_pane_view){0, 0};
}

/* Wheel: zoom the pane under the pointer keeping the address under the
 * pointer where it is (camera.h); the other pane shows the same window. */
static void zoom(pgt_viewstate *vs, const pgt_view_model *m, const pgt_view_layout *lay,
                 const pgt_cmd *c)
{
	camera_off(vs);
	if (!lay || lay->npanes == 0)
		return;
	int p = pane_at(lay, c->x, c->y);
	const pgt_pane_layout *pl = &lay->pane[p];
	if (pl->cam.nrows < 1 || pl->nrows < 1)
		return;
	pgt_hit h = pgt_view_hit(m, lay, vs, c->x, c->y);
	uint64_t at = pl->view_lo + pl->view_len / 2, span = pl->rows[0].span;
	int x = c->x, y = c->y;
	if (h.has_addr && h.pane == p && !h.tree) {
		at = h.addr;
		for (int i = 0; i < pl->nrows; i++)
			if (!pl->rows[i].gap && at >= pl->rows[i].lo &&
			    at < pl->rows[i].lo + pl->rows[i].span)
				span = pl->rows[i].span;
	} else {
		x = pl->cam.x + pl->cam.w / 2;
		y = pl->cam.y + (pl->cam.nrows / 2) * pl->cam.pitch + pl->cam.row_h / 2;
	}
	/* The rounded window moved the address under the pointer by up to a
	 * pixel: a further click at the same place zooms at the address kept
	 * before, so the picture does not drift click after click. */
	if (vs->zoom_kept && x == vs->zoom_x && y == vs->zoom_y &&
	    (at > vs->zoom_addr ? at - vs->zoom_addr : vs->zoom_addr - at) <= vs->zoom_slack)
		at = vs->zoom_addr;
	pgt_pane_view v = pgt_cam_zoom(&pl->cam, at, x, y, span, (int)c->arg, m->addr_top);
	vs->pane[0] = vs->pane[1] = v;
	vs->zoom_kept = v.len != 0;
	vs->zoom_x = x;
	vs->zoom_y = y;
	vs->zoom_addr = at;
	/* a pixel of the new window, and a page (hits snap to table pages) */
	uint64_t px = pl->cam.w > 0 ? pgt_cam_span(&pl->cam, v.len) / (uint64_t)pl->cam.w + 1 : 0;
	vs->zoom_slack = px + 4096;
}

/* Drag: the picture moves with the pointer, along the rows pixel for pixel
 * and across them a whole row per row pitch (the rest of a vertical move
 * is kept for the next motion). */
static void pan(pgt_viewstate *vs, const pgt_view_model *m, const pgt_view_layout *lay,
                const pgt_cmd *c)
{
	if (!lay || lay->npanes == 0)
		return;
	int p = pane_at(lay, c->x, c->y);
	const pgt_cam_geom *g = &lay->pane[p].cam;
	if (!vs->pane[p].len || g->pitch < 1)
		return;
	if (c->arg == 1) { /* the drag ended */
		if (!vs->follow)
			vs->pane[0] = vs->pane[1] = pgt_cam_snap(g, vs->pane[p], m->addr_top);
		return;
	}
	camera_off(vs);
	int drows = c->dy / g->pitch;
	vs->drag_y -= c->dy - drows * g->pitch;
	pgt_pane_view v = pgt_cam_pan(g, vs->pane[p], c->dx, drows, m->addr_top);
	vs->pane[0] = vs->pane[1] = v;
}

/* Appends typed text to a line of size bytes (the picker's path, the go-to
 * prompt), control characters dropped.  A chunk that does not fit whole is
 * not taken at all (no cut path, no half UTF-8 sequence): false. */
static bool line_type(char *line, size_t size, const char *t)
{
	size_t n = strlen(line), add = 0;
	for (const char *p = t; p && *p; p++)
		add += (unsigned char)*p >= 0x20 && *p != 0x7f;
	if (n + add + 1 > size)
		return false;
	for (; t && *t; t++)
		if ((unsigned char)*t >= 0x20 && *t != 0x7f)
			line[n++] = *t;
	line[n] = '\0';
	return true;
}

/* Erases the last character (a whole UTF-8 sequence) of a typed line. */
static void line_erase(char *line)
{
	size_t n = strlen(line);
	while (n > 0 && ((unsigned char)line[n - 1] & 0xc0) == 0x80)
		n--; /* continuation bytes */
	if (n > 0)
		n--;
	line[n] = '\0';
}

/* Copies src into dst of size bytes, cut if it does not fit. */
static void copy_cut(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* `n` without a g search: play to the next marker and stop there. */
static void run_to_marker(pgt_viewstate *vs, const pgt_view_model *m)
{
	size_t target = last_step(m);
	for (size_t i = 0; i < m->nmarkers; i++)
		if (m->markers[i].step > vs->step) {
			target = m->markers[i].step;
			break;
		}
	if (target <= vs->step) {
		snprintf(vs->status, sizeof(vs->status), "no marker after step %zu", vs->step);
		return;
	}
	vs->playing = true;
	vs->play_acc = 0;
	vs->run_to_marker = true;
	vs->run_target = target;
	snprintf(vs->status, sizeof(vs->status),
	         "running to the next marker (step %zu); Space stops", target);
}

/* The go-to prompt's Enter: the moment typed (moment.h), resolved from the
 * current step -- the forms that search look after it, the others name one
 * step wherever it is.  A searching form is kept for n / Shift+n.  A form
 * that does not resolve keeps the prompt open with the reason. */
static void goto_go(pgt_viewstate *vs, const pgt_view_model *m)
{
	char text[sizeof(vs->goto_text)];
	const char *t = vs->goto_text;
	while (*t == ' ')
		t++;
	copy_cut(text, sizeof(text), t);
	for (size_t n = strlen(text); n > 0 && text[n - 1] == ' ';)
		text[--n] = '\0';
	if (!text[0]) {
		vs->show_goto = false;
		return;
	}
	if (!strcmp(text, "off")) { /* no break condition any more */
		vs->show_goto = false;
		vs->goto_err[0] = '\0';
		vs->goto_last[0] = '\0';
		vs->break_from = SIZE_MAX;
		snprintf(vs->status, sizeof(vs->status),
		         "no break condition: playing runs on (n runs to the next marker)");
		return;
	}
	size_t from = vs->step, g;
	char msg[640];
	if (!pgt_moment_find(m, text, from, &g, msg, sizeof(msg))) {
		char *use = strstr(msg, ": use "); /* the forms: listed in the box */
		if (use)
			snprintf(use, sizeof(msg) - (size_t)(use - msg),
			         " (the forms are listed below)");
		copy_cut(vs->goto_err, sizeof(vs->goto_err), msg);
		return;
	}
	vs->show_goto = false;
	vs->goto_err[0] = '\0';
	vs->playing = false;
	seek(vs, m, (long long)g);
	if (pgt_moment_searches(m, text)) {
		copy_cut(vs->goto_last, sizeof(vs->goto_last), text);
		vs->break_from = SIZE_MAX;
		snprintf(
		    vs->status, sizeof(vs->status),
		    "step %zu: the next '%s' after step %zu   (n / Shift+n: the next / previous "
		    "one; playing breaks at each)",
		    g, vs->goto_last, from);
	} else {
		snprintf(vs->status, sizeof(vs->status), "step %zu: '%.90s'", g, text);
	}
}

/* n / Shift+n: the next / previous match of the last searching g form;
 * without one, n runs to the next marker. */
static void repeat_search(pgt_viewstate *vs, const pgt_view_model *m, long long dir)
{
	if (!vs->goto_last[0]) {
		if (dir > 0)
			run_to_marker(vs, m);
		else
			snprintf(vs->status, sizeof(vs->status),
			         "Shift+n repeats a g search backwards: press g and type one first "
			         "(ro, full, table:pte, alloc>=4G ...)");
		return;
	}
	vs->playing = false;
	size_t from = vs->step, g;
	char msg[640];
	bool ok = dir > 0 ? pgt_moment_find(m, vs->goto_last, from, &g, msg, sizeof(msg))
	                  : pgt_moment_find_before(m, vs->goto_last, from, &g, msg, sizeof(msg));
	if (!ok) {
		copy_cut(vs->status, sizeof(vs->status), msg);
		return;
	}
	seek(vs, m, (long long)g);
	snprintf(vs->status, sizeof(vs->status), "step %zu: the %s '%s' %s step %zu", g,
	         dir > 0 ? "next" : "previous", vs->goto_last, dir > 0 ? "after" : "before", from);
}

static void select_at(pgt_viewstate *vs, const pgt_view_model *m, const pgt_view_layout *lay,
                      const pgt_cmd *c)
{
	if (!lay)
		return;
	pgt_hit h = pgt_view_hit(m, lay, vs, c->x, c->y);
	if (h.timeline) {
		seek(vs, m, (long long)h.tl_step);
		return;
	}
	vs->sel_pane = h.pane;
	vs->sel_table = h.table;
	vs->sel_has_addr = h.has_addr && h.table == UINT32_MAX;
	vs->sel_addr = h.addr;
	if (h.pane < 0 || !h.has_addr)
		vs->sel_pane = -1;
	if (vs->sel_pane >= 0 && h.table != UINT32_MAX && h.table < m->pane[h.pane].ntab) {
		const pgt_table t_v = pgt_sim_table(m->pane[h.pane].sim, h.table), *t = &t_v;
		static const uint64_t span[5] = {0, 1ull << 21, 1ull << 30, 1ull << 39, 1ull << 48};
		uint64_t sp = span[t->level <= 4 ? t->level : 4];
		snprintf(vs->status, sizeof(vs->status),
		         "selected the %s table page at %#llx (%s): its page is framed in the map, "
		         "the range it maps [%#llx, %#llx) outlined%s",
		         pgt_level_name(t->level), (unsigned long long)t->pa,
		         pgt_origin_name(t->origin), (unsigned long long)t->va_base,
		         (unsigned long long)(t->va_base + sp),
		         t->parent != UINT32_MAX ? ", its parent too" : "");
	}
}

pgt_request pgt_input_apply(pgt_viewstate *vs, const pgt_view_model *m, const pgt_view_layout *lay,
                            const pgt_cmd *c)
{
	pgt_request rq = {.kind = PGT_REQ_NONE};
	/* Any step command on the shared timeline brings the panes back into
	 * lockstep first (at the focused pane's position). */
	switch (c->kind) {
	case PGT_CMD_STEP:
	case PGT_CMD_MARKER:
	case PGT_CMD_NOTE:
	case PGT_CMD_GOTO_GO:
	case PGT_CMD_REPEAT:
	case PGT_CMD_HOME:
	case PGT_CMD_END:
	case PGT_CMD_SEEK:
	case PGT_CMD_PLAY:
	case PGT_CMD_RELOCK:
		relock(vs, m);
		break;
	case PGT_CMD_SELECT:
		if (lay && lay->tl_w > 0 && c->x >= lay->tl_x && c->x < lay->tl_x + lay->tl_w &&
		    c->y >= lay->tl_y && c->y < lay->tl_y + lay->tl_h)
			vs->unlocked = false;
		break;
	default:
		break;
	}
	switch (c->kind) {
	case PGT_CMD_FOCUS:
		vs->focus = m->npanes > 1 ? (vs->focus + 1) % m->npanes : 0;
		snprintf(vs->status, sizeof(vs->status), "[ and ] now step the %s pane alone",
		         vs->focus == 0 ? "left" : "right");
		break;
	case PGT_CMD_PANE_STEP:
		pane_step(vs, m, c->arg);
		break;
	case PGT_CMD_RELOCK:
		snprintf(vs->status, sizeof(vs->status),
		         "lockstep: both panes follow the timeline");
		break;
	case PGT_CMD_GLOSSARY:
		vs->show_glossary = !vs->show_glossary;
		vs->show_help = vs->show_picker = vs->show_goto = false;
		break;
	case PGT_CMD_PICKER:
		vs->show_picker = !vs->show_picker;
		vs->show_help = vs->show_glossary = false;
		break;
	case PGT_CMD_PICK_MOVE: {
		long long i = vs->pick_index + c->arg;
		if (i >= vs->pick_count)
			i = vs->pick_count - 1;
		if (i < 0)
			i = 0;
		vs->pick_index = (int)i;
		break;
	}
	case PGT_CMD_PICK_OPEN:
		if (vs->pick_path_cut) { /* not the path typed: open nothing */
			snprintf(
			    vs->status, sizeof(vs->status),
			    "not opened: the typed path is longer than the picker's %zu bytes; "
			    "drop the file on the window instead",
			    sizeof(vs->pick_path) - 1);
			break;
		}
		if (vs->pick_path[0])
			rq = (pgt_request){.kind = PGT_REQ_OPEN, .path = vs->pick_path, .row = -1};
		else if (vs->pick_index >= 0 && vs->pick_index < vs->pick_count)
			rq = (pgt_request){.kind = PGT_REQ_OPEN, .row = vs->pick_index};
		vs->show_picker = false;
		break;
	case PGT_CMD_PICK_TEXT:
		if (!line_type(vs->pick_path, sizeof(vs->pick_path), c->text)) {
			vs->pick_path_cut = true;
			snprintf(
			    vs->status, sizeof(vs->status),
			    "the path is too long for the picker (at most %zu bytes): the last "
			    "characters were not added; drop the file on the window instead",
			    sizeof(vs->pick_path) - 1);
		}
		break;
	case PGT_CMD_PICK_ERASE:
		line_erase(vs->pick_path);
		vs->pick_path_cut = false; /* edited: what is shown is what opens */
		break;
	case PGT_CMD_GOTO:
		vs->show_goto = true;
		vs->goto_text[0] = vs->goto_err[0] = '\0';
		vs->show_help = vs->show_glossary = vs->show_picker = false;
		vs->playing = false;
		break;
	case PGT_CMD_GOTO_TEXT:
		if (!line_type(vs->goto_text, sizeof(vs->goto_text), c->text))
			snprintf(vs->goto_err, sizeof(vs->goto_err),
			         "the moment is too long (at most %zu bytes)",
			         sizeof(vs->goto_text) - 1);
		else
			vs->goto_err[0] = '\0';
		break;
	case PGT_CMD_GOTO_ERASE:
		line_erase(vs->goto_text);
		vs->goto_err[0] = '\0';
		break;
	case PGT_CMD_GOTO_GO:
		goto_go(vs, m);
		break;
	case PGT_CMD_REPEAT:
		repeat_search(vs, m, c->arg);
		break;
	case PGT_CMD_STEP:
		seek(vs, m, (long long)vs->step + c->arg);
		vs->playing = false;
		break;
	case PGT_CMD_MARKER:
		jump_marker(vs, m, c->arg, -1);
		vs->playing = false;
		break;
	case PGT_CMD_NOTE:
		if (!jump_marker(vs, m, c->arg, PGT_MK_NOTE))
			snprintf(vs->status, sizeof(vs->status), "no scenario note %s step %zu",
			         c->arg > 0 ? "after" : "before", vs->step);
		vs->playing = false;
		break;
	case PGT_CMD_HOME:
		seek(vs, m, 0);
		break;
	case PGT_CMD_END:
		seek(vs, m, (long long)last_step(m));
		vs->playing = false;
		break;
	case PGT_CMD_SEEK:
		seek(vs, m, c->arg);
		break;
	case PGT_CMD_PLAY:
		vs->run_to_marker = false;
		if (!vs->playing && vs->step >= last_step(m))
			seek(vs, m, 0); /* play again from the start */
		vs->playing = !vs->playing;
		vs->play_acc = 0;
		vs->break_from = SIZE_MAX;
		if (vs->playing && vs->goto_last[0])
			snprintf(vs->status, sizeof(vs->status),
			         "playing; breaks at the next '%s' (g off: no break)",
			         vs->goto_last);
		break;
	case PGT_CMD_SPEED:
		vs->speed *= c->arg > 0 ? 1.5 : 1.0 / 1.5;
		if (vs->speed < 0.5)
			vs->speed = 0.5;
		if (vs->speed > 5000)
			vs->speed = 5000;
		snprintf(vs->status, sizeof(vs->status), "speed: %.1f steps per second", vs->speed);
		break;
	case PGT_CMD_ZOOM:
		zoom(vs, m, lay, c);
		break;
	case PGT_CMD_ZOOM_RESET:
		camera_off(vs);
		reset_zoom(vs);
		break;
	case PGT_CMD_PAN:
		pan(vs, m, lay, c);
		break;
	case PGT_CMD_INSPECT:
		if (!vs->show_inspect && (vs->sel_pane < 0 || vs->sel_table == UINT32_MAX)) {
			snprintf(vs->status, sizeof(vs->status),
			         "select a table page first (click it on the map or the "
			         "tree), then i");
			break;
		}
		vs->show_inspect = !vs->show_inspect;
		break;
	case PGT_CMD_CHECK:
		vs->show_check = !vs->show_check;
		if (vs->show_check)
			rq.kind = PGT_REQ_CHECK;
		break;
	case PGT_CMD_FOLLOW:
		vs->follow = !vs->follow;
		snprintf(vs->status, sizeof(vs->status), "%s",
		         vs->follow ? "camera on: each map follows its current event (f: off)"
		                    : "camera off: the map stays where it is (f: on)");
		break;
	case PGT_CMD_SELECT:
		select_at(vs, m, lay, c);
		break;
	case PGT_CMD_HOVER:
		vs->hover = true;
		vs->hover_x = c->x;
		vs->hover_y = c->y;
		break;
	case PGT_CMD_LEAVE:
		vs->hover = false;
		break;
	case PGT_CMD_THEME:
		rq.kind = PGT_REQ_THEME;
		break;
	case PGT_CMD_HELP:
		vs->show_help = !vs->show_help;
		vs->show_glossary = vs->show_picker = false;
		break;
	case PGT_CMD_ESCAPE:
		if (vs->show_goto) { /* cancels the prompt only */
			vs->show_goto = false;
			vs->goto_err[0] = '\0';
		} else if (vs->show_help || vs->show_glossary || vs->show_picker ||
		           vs->show_inspect || vs->show_check) {
			vs->show_help = vs->show_glossary = vs->show_picker = false;
			vs->show_inspect = vs->show_check = false;
		} else {
			vs->sel_pane = -1;
			vs->sel_table = UINT32_MAX;
			vs->sel_has_addr = false;
		}
		break;
	case PGT_CMD_SAVE:
		rq.kind = PGT_REQ_SAVE;
		break;
	case PGT_CMD_EXPORT:
		rq.kind = PGT_REQ_EXPORT;
		break;
	case PGT_CMD_RANGE:
		if (vs->range_start == vs->step) {
			vs->range_start = SIZE_MAX;
			snprintf(vs->status, sizeof(vs->status),
			         "range start cleared: e exports from the last marker");
		} else {
			vs->range_start = vs->step;
			snprintf(vs->status, sizeof(vs->status),
			         "export range starts at step %zu: go to the last step you "
			         "want, "
			         "then press e",
			         vs->step);
		}
		break;
	case PGT_CMD_RUN_TO:
		run_to_marker(vs, m);
		break;
	case PGT_CMD_SCHEME:
	case PGT_CMD_VERSION: {
		int p = vs->focus >= 0 && vs->focus < m->npanes ? vs->focus : 0;
		if (!m->npanes || !m->pane[p].sim)
			break;
		int sch = pgt_sim_scheme(m->pane[p].sim);
		uint32_t kv = pgt_sim_kver(m->pane[p].sim);
		int ns = sch;
		uint32_t nk = kv;
		if (c->kind == PGT_CMD_SCHEME)
			pgt_next_scheme(sch, kv, (int)c->arg, &ns, &nk);
		else
			pgt_next_version(sch, kv, (int)c->arg, &nk);
		if (ns == sch && nk == kv) {
			char v[24];
			snprintf(vs->status, sizeof(vs->status),
			         "%s has one version model here (%s)", pgt_scheme_name(sch),
			         pgt_kver_format(kv, v, sizeof(v)));
			break;
		}
		rq = (pgt_request){.kind = PGT_REQ_RERUN, .pane = p, .scheme = ns, .kver = nk};
		break;
	}
	case PGT_CMD_QUIT:
		rq.kind = PGT_REQ_QUIT;
		break;
	default:
		break;
	}
	return rq;
}

pgt_request pgt_input_handle(pgt_viewstate *vs, const pgt_view_model *m, const pgt_view_layout *lay,
                             const pgt_input_event *ev)
{
	pgt_cmd c = pgt_input_map(vs, lay, ev);
	if (ev->type == PGT_IN_MOTION && c.kind != PGT_CMD_HOVER) {
		vs->hover_x = ev->x;
		vs->hover_y = ev->y;
	}
	return pgt_input_apply(vs, m, lay, &c);
}

/* The break condition's next match after step `from` (SIZE_MAX: none):
 * the first match of the last searching g form.  Cached: from any step
 * between the one it was searched from and the match, the next match is the
 * same, so playing searches once per match, not once per frame. */
static size_t break_step(pgt_viewstate *vs, const pgt_view_model *m, size_t from)
{
	if (vs->break_from != SIZE_MAX && from >= vs->break_from && from < vs->break_at)
		return vs->break_at;
	size_t g;
	char msg[640];
	if (!pgt_moment_find(m, vs->goto_last, from, &g, msg, sizeof(msg)))
		g = SIZE_MAX;
	vs->break_from = from;
	vs->break_at = g;
	return g;
}

bool pgt_input_tick(pgt_viewstate *vs, const pgt_view_model *m, double dt)
{
	if (!vs->playing) {
		vs->run_to_marker = false;
		vs->break_from = SIZE_MAX; /* the model may change while paused */
		return false;
	}
	vs->play_acc += dt * vs->speed;
	if (vs->play_acc < 1.0)
		return false;
	double whole = floor(vs->play_acc);
	vs->play_acc -= whole;
	size_t before = vs->step;
	size_t target = vs->step + (size_t)whole;
	if (target >= last_step(m)) {
		target = last_step(m);
		vs->playing = false;
	}
	if (vs->run_to_marker && target >= vs->run_target) {
		target = vs->run_target;
		vs->playing = false;
		vs->run_to_marker = false;
		snprintf(vs->status, sizeof(vs->status), "at the next marker: step %zu", target);
	}
	/* Break (pause) where the last searching g form matches next. */
	if (vs->goto_last[0]) {
		size_t at = break_step(vs, m, before);
		if (at <= target) {
			target = at;
			vs->playing = false;
			vs->run_to_marker = false;
			snprintf(vs->status, sizeof(vs->status),
			         "break: the next '%s' at step %zu (Space plays on; g off: "
			         "no break)",
			         vs->goto_last, target);
		}
	}
	/* Stop at the first violation on the way, and flash it. */
	for (size_t i = 0; i < m->nmarkers; i++) {
		const pgt_marker *mk = &m->markers[i];
		if (mk->kind != PGT_MK_VIOLATION || mk->step <= before)
			continue;
		if (mk->step <= target) {
			target = mk->step;
			vs->playing = false;
			vs->flash = 8;
			snprintf(vs->status, sizeof(vs->status),
			         "stopped: Xen violation at step %zu (Space plays on)", target);
		}
		break;
	}
	vs->step = target;
	return vs->step != before;
}
