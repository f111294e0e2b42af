/*
 * datadir.c: the directories of the files pgtviz ships (pgtviz/datadir.h).
 *
 * An installed binary sits in PREFIX/bin and its data in
 * PREFIX/share/pgtviz (the FHS layout Debian packages use), so the data is
 * found relative to the binary's own path, which Linux gives in
 * /proc/self/exe; PGTVIZ_DATA_DIR overrides that, and the build tree's
 * paths (compiled in) are the last resort, so a binary run from its build
 * directory keeps using the source tree.
 */
#include "pgtviz/datadir.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether path is a directory. */
static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* PREFIX/share/pgtviz/SUB for the running binary PREFIX/bin/NAME, if the
 * binary's path can be read and ends in a bin/ directory. */
static bool next_to_binary(const char *sub, char *buf, size_t size)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0 || (size_t)n >= sizeof(exe) - 1)
		return false;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0'; /* PREFIX/bin */
	slash = strrchr(exe, '/');
	if (!slash || strcmp(slash + 1, "bin") != 0)
		return false;
	*slash = '\0'; /* PREFIX ("" for /bin) */
	int w = snprintf(buf, size, "%s/share/pgtviz/%s", exe, sub);
	return w > 0 && (size_t)w < size && is_dir(buf);
}

const char *pgt_data_dir(const char *sub, const char *built_in, char *buf, size_t size)
{
	const char *env = getenv("PGTVIZ_DATA_DIR");
	if (env && env[0]) {
		int w = snprintf(buf, size, "%s/%s", env, sub);
		if (w > 0 && (size_t)w < size)
			return buf;
	} else if (next_to_binary(sub, buf, size)) {
		return buf;
	}
	snprintf(buf, size, "%s", built_in);
	return buf;
}
