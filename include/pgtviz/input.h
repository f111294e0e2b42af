/*
 * pgtviz input: the SDL-free command layer.  The window translates SDL
 * events into pgt_input_event (plain data), pgt_input_map() turns those into
 * commands through the binding table (pgt_input_bindings), and
 * pgt_input_apply() applies a command to a pgt_viewstate.  What only the
 * application can do (save a PNG, export, open a file, re-run a pane, change
 * the theme, quit) is returned as a pgt_request; the window and the browser
 * page each act on it in one switch.  All of it runs without a window, so
 * tests drive it directly.
 */
#ifndef PGTVIZ_INPUT_H
#define PGTVIZ_INPUT_H

#include "pgtviz/view.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Keys the viewer knows (the window maps SDL keycodes to these). */
enum pgt_key {
	PGT_KEY_NONE,
	PGT_KEY_SPACE,
	PGT_KEY_LEFT,
	PGT_KEY_RIGHT,
	PGT_KEY_UP,
	PGT_KEY_DOWN,
	PGT_KEY_PAGEUP,
	PGT_KEY_PAGEDOWN,
	PGT_KEY_HOME,
	PGT_KEY_END,
	PGT_KEY_PLUS,
	PGT_KEY_MINUS,
	PGT_KEY_ZERO,
	PGT_KEY_ESCAPE,
	PGT_KEY_QUESTION,
	PGT_KEY_T,
	PGT_KEY_S,
	PGT_KEY_Q,
	PGT_KEY_TAB,
	PGT_KEY_LBRACKET,
	PGT_KEY_RBRACKET,
	PGT_KEY_L,
	PGT_KEY_G,
	PGT_KEY_O, /* also F2 */
	PGT_KEY_ENTER,
	PGT_KEY_E,         /* export the step range */
	PGT_KEY_M,         /* set / clear the export range start */
	PGT_KEY_N,         /* run to the next marker */
	PGT_KEY_C,         /* next scheme in the chosen pane */
	PGT_KEY_V,         /* next version model in the chosen pane */
	PGT_KEY_BACKSPACE, /* erase the last character of a typed path (picker) */
	PGT_KEY_F,         /* camera on / off */
	PGT_KEY_I,         /* table-page inspector */
	PGT_KEY_D,         /* the dmesg log's check panel */
	PGT_KEY_PERIOD,    /* next scenario note */
	PGT_KEY_COMMA,     /* previous scenario note */
};

enum pgt_input_type {
	PGT_IN_KEY,    /* key pressed: key, shift */
	PGT_IN_WHEEL,  /* wheel: x, y (pointer), wheel (+ = zoom in) */
	PGT_IN_DOWN,   /* left button down at x, y */
	PGT_IN_UP,     /* left button up at x, y */
	PGT_IN_MOTION, /* pointer moved to x, y */
	PGT_IN_LEAVE,  /* pointer left the window */
	PGT_IN_TEXT,   /* text typed: text (UTF-8) */
};

typedef struct pgt_input_event {
	int type;      /* enum pgt_input_type */
	int key;       /* enum pgt_key */
	bool shift;    /* Shift held */
	int x, y;      /* pointer, device pixels */
	int wheel;     /* wheel clicks (+ = away from the user) */
	char text[32]; /* PGT_IN_TEXT: the characters typed (UTF-8, NUL-terminated) */
} pgt_input_event;

enum pgt_cmd_kind {
	PGT_CMD_NONE,
	PGT_CMD_STEP,       /* step by arg (+1 / -1) */
	PGT_CMD_MARKER,     /* next (+1) / previous (-1) marker */
	PGT_CMD_HOME,       /* first step */
	PGT_CMD_END,        /* last step */
	PGT_CMD_SEEK,       /* go to step arg */
	PGT_CMD_PLAY,       /* toggle play/pause */
	PGT_CMD_SPEED,      /* faster (+1) / slower (-1) */
	PGT_CMD_ZOOM,       /* zoom by arg clicks around (x, y) */
	PGT_CMD_ZOOM_RESET, /* whole address space */
	PGT_CMD_PAN,        /* pan by (dx, dy) from drag at (x, y); arg 1: drag ended */
	PGT_CMD_SELECT,     /* select what is at (x, y) */
	PGT_CMD_HOVER,      /* pointer at (x, y) */
	PGT_CMD_LEAVE,      /* pointer left */
	PGT_CMD_THEME,      /* next theme */
	PGT_CMD_HELP,       /* toggle help */
	PGT_CMD_ESCAPE,     /* close help, else clear selection */
	PGT_CMD_SAVE,       /* save a PNG of the view */
	PGT_CMD_QUIT,
	PGT_CMD_FOCUS,      /* next pane for `[`/`]` */
	PGT_CMD_PANE_STEP,  /* step only the focused pane by arg (+1 / -1) */
	PGT_CMD_RELOCK,     /* back to lockstep at the focused pane's position */
	PGT_CMD_GLOSSARY,   /* toggle the glossary */
	PGT_CMD_PICKER,     /* toggle the scenario picker */
	PGT_CMD_PICK_MOVE,  /* move the picker highlight by arg */
	PGT_CMD_PICK_OPEN,  /* load the highlighted scenario */
	PGT_CMD_EXPORT,     /* export the step range (app) */
	PGT_CMD_RANGE,      /* set / clear the range start at the current step */
	PGT_CMD_RUN_TO,     /* play until the next marker */
	PGT_CMD_SCHEME,     /* next (+1) / previous (-1) scheme in the chosen pane */
	PGT_CMD_VERSION,    /* next (+1) / previous (-1) version model in the chosen pane */
	PGT_CMD_PICK_TEXT,  /* append text to the picker's typed path */
	PGT_CMD_PICK_ERASE, /* erase the typed path's last character */
	PGT_CMD_FOLLOW,     /* camera on / off (camera.h) */
	PGT_CMD_INSPECT,    /* the selected table page's entries on / off */
	PGT_CMD_CHECK,      /* the log check panel on / off */
	PGT_CMD_NOTE,       /* next (+1) / previous (-1) scenario note */
	PGT_CMD_GOTO,       /* open the go-to prompt */
	PGT_CMD_GOTO_TEXT,  /* append text to the go-to prompt */
	PGT_CMD_GOTO_ERASE, /* erase the prompt's last character */
	PGT_CMD_GOTO_GO,    /* go to the moment typed */
	PGT_CMD_REPEAT,     /* next (+1) / previous (-1) match of the last g search */
};

/* What the application must do after a command (pgt_input_apply). */
enum pgt_request_kind {
	PGT_REQ_NONE,   /* nothing: the view state has changed, redraw */
	PGT_REQ_QUIT,   /* close the viewer */
	PGT_REQ_THEME,  /* switch to the next theme */
	PGT_REQ_SAVE,   /* save the current view as a PNG */
	PGT_REQ_EXPORT, /* export pgt_input_export_range() with the last export settings */
	PGT_REQ_OPEN,   /* open `path`, else picker row `row` */
	PGT_REQ_RERUN,  /* run pane `pane` again with `scheme` at `kver` */
	PGT_REQ_CHECK,  /* show_check was turned on: compute vs->check if not yet done */
};

typedef struct pgt_request {
	int kind;         /* enum pgt_request_kind */
	const char *path; /* OPEN: a file or scenario name (NULL: picker row) */
	int row;          /* OPEN: picker row */
	int pane;         /* RERUN: pane index (0 or 1) */
	int scheme;       /* RERUN: enum pgt_scheme */
	uint32_t kver;    /* RERUN: version model */
} pgt_request;

typedef struct pgt_cmd {
	int kind;         /* enum pgt_cmd_kind */
	long long arg;    /* step count, marker direction, zoom clicks, seek step */
	int x, y;         /* pointer */
	int dx, dy;       /* pan delta */
	const char *text; /* PICK_TEXT, GOTO_TEXT: what was typed (the event's; NULL otherwise) */
} pgt_cmd;

/* Maps one input event to a command given the state (drag tracking lives in
 * vs and is updated here). */
pgt_cmd pgt_input_map(pgt_viewstate *vs, const pgt_view_layout *lay, const pgt_input_event *ev);
/* Applies a command; returns what the application must do (kind
 * PGT_REQ_NONE: nothing beyond a redraw). */
pgt_request pgt_input_apply(pgt_viewstate *vs, const pgt_view_model *m, const pgt_view_layout *lay,
                            const pgt_cmd *cmd);
/* Convenience: map then apply. */
pgt_request pgt_input_handle(pgt_viewstate *vs, const pgt_view_model *m, const pgt_view_layout *lay,
                             const pgt_input_event *ev);
/* Advances playback by dt seconds; returns true if the step changed.
 * Playback stops on a step where a Xen violation happens (and sets
 * vs->flash so the window can flash it). */
bool pgt_input_tick(pgt_viewstate *vs, const pgt_view_model *m, double dt);

/* The export range of `e`: from the start set with `m` (if any), else
 * from the last timeline marker before the current step (else step 0), to
 * the current step; *a <= *b. */
void pgt_input_export_range(const pgt_viewstate *vs, const pgt_view_model *m, size_t *a, size_t *b);

/* The version models the window cycles through for a scheme (`v`): a few
 * versions where a rule changed.  *n receives the count (>= 1). */
const uint32_t *pgt_scheme_versions(int scheme, size_t *n);

/* What `c` and `v` pick for a pane that runs (scheme, kver): `c` the next
 * (dir +1) or previous (-1) scheme at its default version model, `v` the
 * next / previous listed version of the same scheme (wrapping around; a
 * version not in the list goes to its neighbour in that direction). */
void pgt_next_scheme(int scheme, uint32_t kver, int dir, int *out_scheme, uint32_t *out_kver);
void pgt_next_version(int scheme, uint32_t kver, int dir, uint32_t *out_kver);

/* Modifiers a binding asks for. */
enum pgt_key_mods {
	PGT_MOD_ANY = -1,  /* with or without Shift */
	PGT_MOD_NONE = 0,  /* without Shift */
	PGT_MOD_SHIFT = 1, /* with Shift */
};

/* Where a binding applies. */
enum pgt_bind_mode {
	PGT_BIND_MAIN,   /* the viewer */
	PGT_BIND_PICKER, /* while the picker is open (instead of the viewer's: typing a
	                  * path must not step or quit) */
	PGT_BIND_GOTO,   /* while the go-to prompt is open (the same reason) */
};

/* One row of the binding table. */
typedef struct pgt_key_binding {
	int key;          /* enum pgt_key; PGT_KEY_NONE: a help row only (mouse) */
	int mods;         /* enum pgt_key_mods */
	int mode;         /* enum pgt_bind_mode */
	int cmd;          /* enum pgt_cmd_kind */
	long long arg;    /* command argument */
	const char *keys; /* help: the keys as shown (NULL: part of the row above) */
	const char *help; /* help: what they do */
} pgt_key_binding;

/* The binding table, in the help overlay's order. */
const pgt_key_binding *pgt_input_bindings(size_t *n);

/* The help overlay's and docs/window.md's rows (from the binding table):
 * key text, action.  Whoever builds a frame passes them to the view in
 * pgt_view_params.help / nhelp. */
const pgt_help_row *pgt_input_help(size_t *n);

/* Global step at which the panes line up again after stepping alone: the
 * first global step at which the focused pane shows its current event. */
size_t pgt_input_relock_step(const pgt_viewstate *vs, const pgt_view_model *m);

#ifdef __cplusplus
}
#endif
#endif
