/*
 * pgtviz: one binary, subcommands dispatched here.  With no subcommand (or a
 * scenario as the first argument) it opens the window.
 */
#include "commands.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: pgtviz [COMMAND] [ARGS...]\n"
	        "\n"
	        "Shows how the x86-64 Linux kernel builds its direct-mapping page tables at boot.\n"
	        "\n"
	        "commands:\n"
	        "  window [SCENARIO]   the interactive window (default; pc-4g when no scenario)\n"
	        "  export SCENARIO     frames and clips for talks (PNG, GIF, MP4, WebM, SVG)\n"
	        "  log SCENARIO        the kernel lines this map prints (init_memory_mapping ...)\n"
	        "  trace SCENARIO      the event trace, one line per event\n"
	        "  ptdump SCENARIO     the final direct map, like /sys/kernel/debug/page_tables\n"
	        "  import LOG          turn a dmesg into a scenario file\n"
	        "  check LOG           replay a dmesg and compare the mapping lines\n"
	        "  list                built-in scenarios, schemes and version models\n"
	        "  bench               simulation, rendering and export figures\n"
	        "\n"
	        "SCENARIO is a built-in name (pgtviz list), a scenario .json file or a dmesg log.\n"
	        "'pgtviz COMMAND --help' describes each command.  pgtviz --version prints the "
	        "version.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return cmd_window(argc, argv);
	const char *c = argv[1];
	if (!strcmp(c, "--help") || !strcmp(c, "-h") || !strcmp(c, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(c, "--version")) {
		printf("pgtviz %s\n", PGTVIZ_VERSION);
		return 0;
	}
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {{"log", cmd_log},       {"trace", cmd_trace},   {"ptdump", cmd_ptdump},
	            {"list", cmd_list},     {"import", cmd_import}, {"check", cmd_check},
	            {"window", cmd_window}, {"export", cmd_export}, {"bench", cmd_bench}};
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(c, cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	/* `pgtviz SCENARIO [options]` and `pgtviz --option ...` open the window:
	 * its option table alone says what an option is (an unknown one is
	 * "pgtviz: error: unknown option '--bogus'", cmd_window.c). */
	return cmd_window(argc, argv);
}
