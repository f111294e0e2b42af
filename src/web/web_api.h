/*
 * The functions the page (web/pgtviz.js) calls in the wasm build; see
 * web_main.c for what each does.  Exported with EMSCRIPTEN_KEEPALIVE.
 */
#ifndef PGTVIZ_WEB_API_H
#define PGTVIZ_WEB_API_H

#include "pgtviz/view.h"

int pgw_load(const char *text, int len, const char *name, const char *schemes, const char *kver);
const char *pgw_errors(void);
const char *pgw_title(void);
void pgw_set_title(const char *text);
int pgw_theme(const char *text, const char *name, int index);
int pgw_event(int type, int key, int shift, int x, int y, int wheel);
void pgw_type(const char *text);
int pgw_typing(void);
int pgw_tick(double dt);
void pgw_seek(double step);
double pgw_step(void);
double pgw_nsteps(void);
int pgw_playing(void);
void pgw_status(const char *text);
int pgw_frame(int w, int h, int interactive);
const pgt_dl_cmd *pgw_cmds(void);
const char *pgw_text(void);
unsigned pgw_clear(void);
int pgw_hit_pane(int x, int y);
int pgw_cmd_size(void);
const char *pgw_constants(void);

#endif
