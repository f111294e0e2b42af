/*
 * Replays inputs through a fuzz target's LLVMFuzzerTestOneInput without
 * libFuzzer (gcc builds, ctest): every argument is a file or a directory
 * whose regular files are replayed in name order.
 *
 * Each input runs in a child process, so that one crash or broken
 * invariant (abort) does not hide the others: every failing file is named,
 * and the exit status is 1 if any failed.  The input is placed at the very
 * end of a mapping followed by an inaccessible guard page, so that reading
 * past its end faults even without AddressSanitizer.  A missing or empty
 * directory is an error too, so a corpus cannot silently disappear.
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Reads a whole file; NULL on failure (message printed). */
static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		uint8_t *grown = realloc(buf, cap * 2);
		if (!grown) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = grown;
		cap *= 2;
	}
	bool err = ferror(f) != 0;
	fclose(f);
	if (!buf || err) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* Runs one input with a guard page right after its last byte. */
static void run_guarded(const uint8_t *data, size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t span = (n + page - 1) / page * page;
	/* /dev/zero rather than MAP_ANONYMOUS, which POSIX.1-2008 lacks */
	int zero = open("/dev/zero", O_RDWR);
	uint8_t *map = zero < 0
	                   ? MAP_FAILED
	                   : mmap(NULL, span + page, PROT_READ | PROT_WRITE, MAP_PRIVATE, zero, 0);
	if (zero >= 0)
		close(zero);
	if (map == MAP_FAILED || mprotect(map + span, page, PROT_NONE) != 0) {
		fprintf(stderr, "replay: mmap failed: %s\n", strerror(errno));
		_exit(3);
	}
	uint8_t *at = map + span - n;
	if (n)
		memcpy(at, data, n);
	LLVMFuzzerTestOneInput(at, n);
	munmap(map, span + page);
}

/* Replays one file in a child process; 0 if it passed. */
static int replay_file(const char *path)
{
	size_t n = 0;
	uint8_t *data = read_file(path, &n);
	if (!data)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "replay: fork failed: %s\n", strerror(errno));
		free(data);
		return -1;
	}
	if (pid == 0) {
		run_guarded(data, n);
		fflush(NULL);
		_exit(0);
	}
	free(data);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "replay: waitpid failed: %s\n", strerror(errno));
			return -1;
		}
	}
	if (WIFSIGNALED(st)) {
		fprintf(stderr, "FAIL %s: killed by signal %d (%s)\n", path, WTERMSIG(st),
		        WTERMSIG(st) == SIGABRT   ? "abort: sanitizer report or broken invariant"
		        : WTERMSIG(st) == SIGSEGV ? "segmentation fault: e.g. a read past the input"
		                                  : "crash");
		return -1;
	}
	if (WEXITSTATUS(st) != 0) {
		fprintf(stderr, "FAIL %s: exit status %d\n", path, WEXITSTATUS(st));
		return -1;
	}
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays the files of a directory in name order; returns how many, or -1. */
static long replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "replay: cannot open directory %s: %s\n", dir, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **grown = realloc(names, cap * sizeof(*names));
			if (!grown)
				break;
			names = grown;
		}
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		names[n] = malloc(len);
		if (!names[n])
			break;
		snprintf(names[n], len, "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	long done = 0, failed = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(names[i]) != 0)
				failed++;
			else
				done++;
		}
		free(names[i]);
	}
	free(names);
	if (failed)
		fprintf(stderr, "replay: %ld of %ld inputs in %s failed\n", failed, failed + done,
		        dir);
	return failed ? -1 : done;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	long total = 0;
	int status = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		long n =
		    S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : (replay_file(argv[i]) ? -1 : 1);
		if (n <= 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], n ? "failed" : "no inputs");
			status = 1;
			continue;
		}
		printf("replayed %ld input%s from %s\n", n, n == 1 ? "" : "s", argv[i]);
		total += n;
	}
	printf("%ld inputs replayed\n", total);
	return status;
}
