/*
 * The pgtviz subcommands.  main.c dispatches argv[1] to one of these; each
 * parses its own options, prints its own --help, and returns the process
 * exit status (0 ok, 1 "differs"/failed check, 2 bad input or usage).
 */
#ifndef PGTVIZ_APP_COMMANDS_H
#define PGTVIZ_APP_COMMANDS_H

#include "pgtviz/core.h"

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
 * prints precise "file:line:col: error: ..." diagnostics to stderr and
 * returns false.  (scenario_arg.c)
 */
bool app_load_scenario(const char *arg, pgt_scenario *out);
/* The same without diagnostics (listing the gallery). */
bool app_load_scenario_quiet(const char *arg, pgt_scenario *out);

#endif
