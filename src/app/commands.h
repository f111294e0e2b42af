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
/* The window's rule: app_load_scenario reads regular files (and "-") only,
 * refusing FIFOs, devices and sockets at once instead of waiting. */
void app_inputs_regular_only(bool on);
/* The gallery's directory: PGTVIZ_DATA_DIR/scenarios, an installed
 * PREFIX/share/pgtviz/scenarios, else the source tree's (pgt_data_dir). */
const char *app_scenario_dir(void);

/* The simulation options of log/trace, accepted by the window and export
 * for every pane (each pane may also carry its own in --schemes:
 * "old@3.0:xen-top"): rows of an app_opt table filling a pgt_pane_spec
 * (session.h).  The names of --xen-rule and --sizing values are in
 * opts.c. */
extern const char *const app_xen_rule_names[]; /* "end", "top", "top-nohook" */
extern const char *const app_sizing_names[];   /* "A", "B", "C" */
#define APP_PANE_OPTS(all)                                                                         \
	APP_OPT("--xen", OPT_SET, &(all)->xen, .lo = 1),                                           \
	    APP_OPT("--no-xen", OPT_SET, &(all)->xen, .lo = -1),                                   \
	    APP_OPT("--xen-rule", OPT_CHOICE, &(all)->xen_rule, .lo = PGT_XEN_RULE_END,            \
	            .choices = app_xen_rule_names),                                                \
	    APP_OPT("--sizing", OPT_CHOICE, &(all)->sizing, .lo = PGT_SIZING_A,                    \
	            .choices = app_sizing_names),                                                  \
	    APP_OPT("--no-pse", OPT_TRUE, &(all)->no_pse),                                         \
	    APP_OPT("--all-lines", OPT_TRUE, &(all)->all_lines)
/* Their lines of --help (after --schemes / --kernel). */
#define APP_PANE_OPTS_USAGE                                                                        \
	"  --xen, --no-xen         a Xen PV guest, or not (default: the scenario's)\n"             \
	"  --xen-rule RULE         pgtbuf panes' Xen window: end | top | top-nohook\n"             \
	"                          (default: the version's)\n"                                     \
	"  --sizing V              pgtbuf panes: sizing variant A | B | C\n"                       \
	"  --no-pse                a CPU without PSE: 4 KiB pages only\n"                          \
	"  --all-lines             also the log lines that version hid\n"                          \
	"                          (each pane its own: after ':' in --schemes, as in\n"            \
	"                          old@2.6.39-rc1:xen-end,old@3.0:xen-top)\n"

#endif
