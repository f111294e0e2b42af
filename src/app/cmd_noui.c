/*
 * Stand-ins for the window and export commands when pgtviz is built without
 * the SDL2 front end (-DPGTVIZ_UI=OFF): they say so instead of failing.
 */
#include "commands.h"
#include "opts.h"

#include <stdio.h>

#ifndef PGTVIZ_HAVE_UI
int cmd_window(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	app_error("pgtviz", "this build has no window (configured with PGTVIZ_UI=OFF); "
	                    "rebuild with SDL2, SDL2_ttf, SDL2_image and fontconfig installed");
	return 2;
}

int cmd_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	app_error("pgtviz", "this build has no exporter (configured with PGTVIZ_UI=OFF)");
	return 2;
}
#else
typedef int pgtviz_cmd_noui_unused; /* keep the translation unit non-empty */
#endif
