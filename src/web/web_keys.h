/*
 * The browser page's key names and constants, owned by the C side.
 *
 * web/pgtviz.js numbers nothing itself: it asks the wasm module for
 * pgw_constants() (web_main.c), a JSON text made here from the enums of
 * include/pgtviz/input.h, and maps a DOM KeyboardEvent.key through it.
 * Plain C (no Emscripten), so tests/test_ui_web_keys.c checks the table
 * natively against the bindings of src/ui/input.c.
 */
#ifndef PGTVIZ_WEB_KEYS_H
#define PGTVIZ_WEB_KEYS_H

#include "pgtviz/view.h"

#include <stddef.h>

/* One DOM key name and the enum pgt_key it sends. */
typedef struct pgw_key_name {
	const char *dom; /* KeyboardEvent.key ("ArrowRight", " ", "t", ...) */
	int key;         /* enum pgt_key */
} pgw_key_name;

/* One enumerator by its name without prefix ("PAGEDOWN", "KEY", "THEME"). */
typedef struct pgw_enum_name {
	const char *name; /* identifier after PGT_KEY_ / PGT_IN_ / PGT_REQ_ */
	int value;        /* its value */
} pgw_enum_name;

/* The page's DOM key names (n: how many). */
const pgw_key_name *pgw_dom_keys(size_t *n);
/* Every enum pgt_key, enum pgt_input_type and enum pgt_request_kind value
 * by name. */
const pgw_enum_name *pgw_key_enum(size_t *n);
const pgw_enum_name *pgw_input_enum(size_t *n);
const pgw_enum_name *pgw_request_enum(size_t *n);
/* Keys of the window that the page does not send, with why (NULL: the
 * page sends key). */
const char *pgw_key_left_out(int key);
/* The '?' overlay's rows for the page: the window's (pgt_input_help()),
 * without those of the keys the page leaves out. */
const pgt_help_row *pgw_help_rows(size_t *n);
/* All of the above as one JSON object (static storage, built once):
 * {"dom":{name:key,...},"key":{...},"input":{...},"request":{...}}.
 * NULL if out of memory. */
const char *pgw_constants_json(void);

#endif
