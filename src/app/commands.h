/*
 * The pgtviz subcommands.  main.c dispatches argv[1] to one of these; each
 * parses its own options, prints its own --help, and returns the process
 * exit status (0 ok, 1 "differs"/failed check, 2 bad input or usage).
 */
#ifndef PGTVIZ_APP_COMMANDS_H
#define PGTVIZ_APP_COMMANDS_H

#include "pgtviz/core.h"
#include "pgtviz/diag.h"

int cmd_log(int argc, char **argv);    /* cmd_sim.c */
int cmd_trace(int argc, char **argv);  /* cmd_sim.c */
int cmd_ptdump(int argc, char **argv); /* cmd_sim.c */
int cmd_list(int argc, char **argv);   /* cmd_sim.c */
int cmd_import(int argc, char **argv); /* cmd_import.c */
int cmd_check(int argc, char **argv);  /* cmd_check.c */
int cmd_window(int argc, char **argv); /* cmd_window.c (UI) */
int cmd_export(int argc, char **argv); /* cmd_export.c (UI) */
int cmd_bench(int argc, char **argv);  /* cmd_bench.c */

/*
 * Loads SCENARIO as given on the command line: a built-in name ("pc-4g"),
 * a scenario JSON file, or a dmesg log (imported on the fly).  On failure
 * adds precise "file:line:col: error: ..." diagnostics to dg (the command
 * line prints app_diags(), the window shows them) and returns false.
 * (scenario_arg.c)
 */
bool app_load_scenario(const char *arg, pgt_scenario *out, pgt_diags *dg);
/* The gallery's directory: PGTVIZ_DATA_DIR/scenarios, an installed
 * PREFIX/share/pgtviz/scenarios, else the source tree's (pgt_data_dir). */
const char *app_scenario_dir(void);

#endif
