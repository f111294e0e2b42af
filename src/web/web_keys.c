/*
 * The browser page's key names and constants (see web_keys.h).
 *
 * The enums of include/pgtviz/input.h are listed here by their
 * identifiers (E(KEY, PAGEDOWN) expands to "PAGEDOWN", PGT_KEY_PAGEDOWN),
 * so a renumbered or renamed enumerator changes or breaks this file, never
 * a copy of the numbers in JavaScript.  The DOM names follow
 * KeyboardEvent.key; the page lower-cases a single letter before looking
 * it up, and passes Shift separately (Shift+c is "c" with shift), as the
 * window's SDL table does (src/app/cmd_window.c, sdl_keys).
 */
#include "web_keys.h"

#include "pgtviz/input.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define E(pfx, id)                                                                                 \
	{                                                                                          \
#id, PGT_##pfx##_##id                                                              \
	}
#define N(arr) (sizeof(arr) / sizeof((arr)[0]))

static const pgw_key_name dom_keys[] = {
    {" ", PGT_KEY_SPACE},
    {"ArrowLeft", PGT_KEY_LEFT},
    {"ArrowRight", PGT_KEY_RIGHT},
    {"ArrowUp", PGT_KEY_UP},
    {"ArrowDown", PGT_KEY_DOWN},
    {"PageUp", PGT_KEY_PAGEUP},
    {"PageDown", PGT_KEY_PAGEDOWN},
    {"Home", PGT_KEY_HOME},
    {"End", PGT_KEY_END},
    {"+", PGT_KEY_PLUS},
    {"=", PGT_KEY_PLUS},
    {"-", PGT_KEY_MINUS},
    {"0", PGT_KEY_ZERO},
    {"Escape", PGT_KEY_ESCAPE},
    {"?", PGT_KEY_QUESTION},
    {"F1", PGT_KEY_QUESTION},
    {"t", PGT_KEY_T},
    {"s", PGT_KEY_S},
    {"Tab", PGT_KEY_TAB},
    {"[", PGT_KEY_LBRACKET},
    {"]", PGT_KEY_RBRACKET},
    {"l", PGT_KEY_L},
    {"g", PGT_KEY_G},
    {"o", PGT_KEY_O}, /* the page opens its file picker (pgtviz.js) */
    {"F2", PGT_KEY_O},
    {"Enter", PGT_KEY_ENTER},
    {"n", PGT_KEY_N},
    {"c", PGT_KEY_C},
    {"v", PGT_KEY_V},
    {"Backspace", PGT_KEY_BACKSPACE},
    {"f", PGT_KEY_F},
    {"i", PGT_KEY_I},
    {".", PGT_KEY_PERIOD},
    {",", PGT_KEY_COMMA},
};

static const pgw_enum_name key_enum[] = {
    E(KEY, NONE),      E(KEY, SPACE),  E(KEY, LEFT),     E(KEY, RIGHT),  E(KEY, UP),
    E(KEY, DOWN),      E(KEY, PAGEUP), E(KEY, PAGEDOWN), E(KEY, HOME),   E(KEY, END),
    E(KEY, PLUS),      E(KEY, MINUS),  E(KEY, ZERO),     E(KEY, ESCAPE), E(KEY, QUESTION),
    E(KEY, T),         E(KEY, S),      E(KEY, Q),        E(KEY, TAB),    E(KEY, LBRACKET),
    E(KEY, RBRACKET),  E(KEY, L),      E(KEY, G),        E(KEY, O),      E(KEY, ENTER),
    E(KEY, E),         E(KEY, M),      E(KEY, N),        E(KEY, C),      E(KEY, V),
    E(KEY, BACKSPACE), E(KEY, F),      E(KEY, I),        E(KEY, D),      E(KEY, PERIOD),
    E(KEY, COMMA),
};

static const pgw_enum_name input_enum[] = {
    E(IN, KEY), E(IN, WHEEL), E(IN, DOWN), E(IN, UP), E(IN, MOTION), E(IN, LEAVE), E(IN, TEXT),
};

static const pgw_enum_name request_enum[] = {
    E(REQ, NONE),   E(REQ, QUIT), E(REQ, THEME), E(REQ, SAVE),
    E(REQ, EXPORT), E(REQ, OPEN), E(REQ, RERUN), E(REQ, CHECK),
};

const pgw_key_name *pgw_dom_keys(size_t *n)
{
	*n = N(dom_keys);
	return dom_keys;
}

const pgw_enum_name *pgw_key_enum(size_t *n)
{
	*n = N(key_enum);
	return key_enum;
}

const pgw_enum_name *pgw_input_enum(size_t *n)
{
	*n = N(input_enum);
	return input_enum;
}

const pgw_enum_name *pgw_request_enum(size_t *n)
{
	*n = N(request_enum);
	return request_enum;
}

const char *pgw_key_left_out(int key)
{
	switch (key) {
	case PGT_KEY_Q:
		return "q quits the window; a page cannot close its tab";
	case PGT_KEY_E:
		return "e exports a step range through the command line's exporter; the page saves "
		       "single frames with s";
	case PGT_KEY_M:
		return "m marks the start of the range e exports";
	case PGT_KEY_D:
		return "d checks a dmesg log file with the simulation (pgt_logcheck_file); the "
		       "page "
		       "keeps no file to read again";
	default:
		return NULL;
	}
}

const pgt_help_row *pgw_help_rows(size_t *n)
{
	static pgt_help_row rows[128];
	static size_t nrows;
	static bool made;
	if (!made) {
		size_t nb;
		const pgt_key_binding *b = pgt_input_bindings(&nb);
		for (size_t i = 0; i < nb && nrows < sizeof(rows) / sizeof(rows[0]); i++)
			if (b[i].keys && b[i].help &&
			    (b[i].key == PGT_KEY_NONE || !pgw_key_left_out(b[i].key)))
				rows[nrows++] = (pgt_help_row){b[i].keys, b[i].help};
		made = true;
	}
	*n = nrows;
	return rows;
}

/* Writes "name":value, with name as a JSON string (quotes and backslashes
 * escaped; the names are printable ASCII). */
static void put_pair(FILE *f, const char *name, int value, bool first)
{
	fputs(first ? "\"" : ",\"", f);
	for (const char *p = name; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', f);
		fputc(*p, f);
	}
	fprintf(f, "\":%d", value);
}

static void put_enum(FILE *f, const char *label, const pgw_enum_name *e, size_t n)
{
	fprintf(f, ",\"%s\":{", label);
	for (size_t i = 0; i < n; i++)
		put_pair(f, e[i].name, e[i].value, i == 0);
	fputc('}', f);
}

const char *pgw_constants_json(void)
{
	static char *json;
	if (json)
		return json;
	size_t len = 0;
	FILE *f = open_memstream(&json, &len);
	if (!f)
		return NULL;
	fputs("{\"dom\":{", f);
	for (size_t i = 0; i < N(dom_keys); i++)
		put_pair(f, dom_keys[i].dom, dom_keys[i].key, i == 0);
	fputc('}', f);
	put_enum(f, "key", key_enum, N(key_enum));
	put_enum(f, "input", input_enum, N(input_enum));
	put_enum(f, "request", request_enum, N(request_enum));
	fputc('}', f);
	if (fclose(f) != 0) {
		free(json);
		json = NULL;
	}
	return json;
}
