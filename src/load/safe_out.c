/*
 * safe_out.c: the one output path of pgtviz (see include/pgtviz/safe_out.h).
 *
 * Design: a destination is classified once, at open.  Regular files (and
 * new paths) get a temporary sibling from mkostemp(), which the commit
 * flushes, fsyncs, size-checks and renames; everything the kernel can
 * report (ENOSPC, EIO, EDQUOT) surfaces at write, fflush, fsync or close,
 * and any of them leaves the old file in place.  Special files are written
 * in place.  Pending temporary files (and temporary directories) are kept
 * in a small fixed table that the signal handler walks with unlink/rmdir
 * only (both async-signal-safe).
 */
#define _GNU_SOURCE /* mkostemp */
#include "pgtviz/safe_out.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- temporary files removed on a signal -------------------------------- */

#define MAX_PENDING 16

static struct pending {
	volatile sig_atomic_t used; /* 1 while path names a temporary file/dir */
	bool dir;                   /* rmdir instead of unlink */
	char path[4096];            /* the temporary path */
} pending[MAX_PENDING];

static int n_registered;             /* entries in use */
static volatile sig_atomic_t caught; /* the signal that arrived, or 0 */
static struct sigaction old_act[3];  /* handlers before the first output */
static const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};

static void on_signal(int sig)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (pending[i].used) {
			if (pending[i].dir)
				rmdir(pending[i].path);
			else
				unlink(pending[i].path);
		}
	if (caught) { /* a second signal: stop now */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	caught = sig;
}

static int register_tmp(const char *path, bool dir)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (!pending[i].used) {
			snprintf(pending[i].path, sizeof(pending[i].path), "%s", path);
			pending[i].dir = dir;
			if (n_registered++ == 0) {
				caught = 0;
				struct sigaction sa;
				memset(&sa, 0, sizeof(sa));
				sa.sa_handler =
				    on_signal; /* no SA_RESTART: blocked writes return */
				sigemptyset(&sa.sa_mask);
				/* an ignored signal stays ignored: `nohup pgtviz
				 * export` must survive SIGHUP, a shell's `&` job
				 * SIGINT */
				for (int k = 0; k < 3; k++)
					if (sigaction(sigs[k], NULL, &old_act[k]) == 0 &&
					    old_act[k].sa_handler != SIG_IGN)
						sigaction(sigs[k], &sa, NULL);
			}
			pending[i].used = 1;
			return i;
		}
	return -1;
}

/* The temporary file or directory exists from mkostemp / mkdtemp on, but
 * the handler that removes it is installed by register_tmp: the three
 * signals are held (this thread's mask) from before the one to after the
 * other, so a signal in between is delivered once the handler is there
 * (it was left behind: output_safety_interrupt, 2 of about 15 busy runs on
 * 7 Dec 2026). */
static void hold_signals(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (int k = 0; k < 3; k++)
		sigaddset(&set, sigs[k]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void release_signals(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

static void unregister_tmp(const char *path)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (pending[i].used && strcmp(pending[i].path, path) == 0) {
			pending[i].used = 0;
			if (--n_registered == 0) {
				int sig = caught;
				for (int k = 0; k < 3; k++)
					sigaction(sigs[k], &old_act[k], NULL);
				caught = 0;
				if (sig) /* the previous disposition decides now */
					raise(sig);
			}
			return;
		}
}

bool pgt_out_interrupted(void)
{
	return caught != 0;
}

/* ---- helpers -------------------------------------------------------------- */

bool pgt_out_same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (!a || !b || stat(a, &sa) != 0 || stat(b, &sb) != 0)
		return false;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* "DIR/.BASE.tmp-XXXXXX" next to path. */
static bool tmp_template(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	int n = snprintf(buf, size, "%.*s.%s.tmp-XXXXXX", dirlen, path, base);
	return n > 0 && (size_t)n < size;
}

static const char *kind_name(mode_t m)
{
	return S_ISDIR(m)    ? "a directory"
	       : S_ISBLK(m)  ? "a block device"
	       : S_ISSOCK(m) ? "a socket"
	                     : "not a regular file";
}

static bool open_direct(pgt_out *o, const char *path, mode_t m, char *msg, size_t msgsize)
{
	int fd;
	if (S_ISFIFO(m)) {
		/* O_NONBLOCK: ENXIO instead of waiting forever for a reader */
		fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0 && errno == ENXIO) {
			snprintf(msg, msgsize, "cannot write '%s': no process is reading the FIFO",
			         path);
			return false;
		}
		if (fd >= 0)
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	} else {
		fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	}
	if (fd < 0) {
		snprintf(msg, msgsize, "cannot write '%s': %s", path, strerror(errno));
		return false;
	}
	o->fd = fd;
	o->kind = PGT_OUT_DIRECT;
	return true;
}

/* The descriptor a path names without naming a file: "-" and /dev/stdout
 * (1), /dev/stderr (2), /dev/fd/N and /proc/self/fd/N (N); -1 otherwise.
 * Written through the descriptor the shell opened, at its offset, as `cat`
 * would: resolving the link would rename a new file over a redirected one
 * (losing `>>`'s earlier content) and would refuse a socket. */
static int fd_alias(const char *path)
{
	if (!strcmp(path, "-") || !strcmp(path, "/dev/stdout"))
		return STDOUT_FILENO;
	if (!strcmp(path, "/dev/stderr"))
		return STDERR_FILENO;
	const char *n = !strncmp(path, "/dev/fd/", 8)          ? path + 8
	                : !strncmp(path, "/proc/self/fd/", 14) ? path + 14
	                                                       : NULL;
	if (!n || !*n || strlen(n) > 6 || (n[0] == '0' && n[1]))
		return -1;
	int fd = 0;
	for (; *n; n++) {
		if (*n < '0' || *n > '9')
			return -1;
		fd = fd * 10 + (*n - '0');
	}
	return fd;
}

/* ---- the API ------------------------------------------------------------ */

bool pgt_out_open(pgt_out *o, const char *path, const char *const *inputs, char *msg,
                  size_t msgsize)
{
	memset(o, 0, sizeof(*o));
	o->fd = -1;
	if (!path || !path[0]) {
		snprintf(msg, msgsize, "empty output file name");
		return false;
	}
	if (strlen(path) + 32 >= sizeof(o->path)) {
		snprintf(msg, msgsize, "output path too long: '%.200s...'", path);
		return false;
	}
	snprintf(o->path, sizeof(o->path), "%s", path);
	int alias = fd_alias(path);
	if (alias >= 0) {
		o->fd = fcntl(alias, F_DUPFD_CLOEXEC, 3);
		o->kind = PGT_OUT_DIRECT;
		if (o->fd < 0)
			snprintf(msg, msgsize, "cannot write to %s: %s",
			         alias == STDOUT_FILENO ? "stdout" : path, strerror(errno));
		return o->fd >= 0;
	}
	for (size_t i = 0; inputs && inputs[i]; i++)
		if (pgt_out_same_file(path, inputs[i])) {
			snprintf(msg, msgsize,
			         "'%s' is also an input of this command ('%s'); refusing to "
			         "overwrite it",
			         path, inputs[i]);
			return false;
		}
	struct stat st, lst;
	mode_t umask_now = umask(0);
	umask(umask_now);
	o->mode = 0666 & ~umask_now;
	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
				return open_direct(o, path, st.st_mode, msg, msgsize);
			snprintf(msg, msgsize, "cannot write '%s': it is %s", path,
			         kind_name(st.st_mode));
			return false;
		}
		o->mode = st.st_mode & 07777;
		if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
			char real[PATH_MAX];
			if (!realpath(path, real) || strlen(real) + 32 >= sizeof(o->path)) {
				snprintf(msg, msgsize, "cannot resolve the link '%s'", path);
				return false;
			}
			snprintf(o->path, sizeof(o->path), "%s", real);
		}
	} else if (errno != ENOENT) {
		snprintf(msg, msgsize, "cannot write '%s': %s", path, strerror(errno));
		return false;
	} else if (lstat(path, &lst) == 0) {
		snprintf(msg, msgsize, "cannot write '%s': it is a link to a missing file", path);
		return false;
	}
	if (!tmp_template(o->path, o->tmp, sizeof(o->tmp))) {
		snprintf(msg, msgsize, "output path too long: '%.200s...'", path);
		return false;
	}
	sigset_t held;
	hold_signals(&held);
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0) {
		snprintf(msg, msgsize, "cannot write '%s': %s", path, strerror(errno));
		o->tmp[0] = '\0';
		release_signals(&held);
		return false;
	}
	if (register_tmp(o->tmp, false) < 0) {
		snprintf(msg, msgsize, "too many outputs open at once");
		close(o->fd);
		unlink(o->tmp);
		o->fd = -1;
		o->tmp[0] = '\0';
		release_signals(&held);
		return false;
	}
	release_signals(&held);
	(void)fchmod(o->fd, (mode_t)o->mode);
	o->kind = PGT_OUT_REPLACE;
	return true;
}

bool pgt_out_write(pgt_out *o, const void *buf, size_t n)
{
	const char *p = buf;
	while (n && !o->err) {
		ssize_t w = write(o->fd, p, n);
		if (w < 0 && errno == EINTR && !caught)
			continue;
		if (w <= 0) {
			o->err = w < 0 ? errno : EIO;
			break;
		}
		p += w;
		n -= (size_t)w;
		o->written += (uint64_t)w;
	}
	return !o->err;
}

FILE *pgt_out_stream(pgt_out *o)
{
	if (o->stream)
		return o->stream;
	int fd = fcntl(o->fd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return NULL;
	o->stream = fdopen(fd, "wb");
	if (!o->stream)
		close(fd);
	return o->stream;
}

int pgt_out_dup(pgt_out *o, bool inherit)
{
	return fcntl(o->fd, inherit ? F_DUPFD : F_DUPFD_CLOEXEC, 3);
}

static void close_all(pgt_out *o)
{
	if (o->stream)
		fclose(o->stream);
	o->stream = NULL;
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
}

void pgt_out_abort(pgt_out *o)
{
	close_all(o);
	if (o->tmp[0]) {
		unlink(o->tmp);
		unregister_tmp(o->tmp);
		o->tmp[0] = '\0';
	}
}

static bool fail(pgt_out *o, char *msg, size_t msgsize, const char *what, int e)
{
	snprintf(msg, msgsize, "%s '%s' failed: %s%s", what, o->path, strerror(e),
	         o->kind == PGT_OUT_REPLACE ? " (nothing was changed)" : "");
	pgt_out_abort(o);
	return false;
}

/* Makes the rename itself durable (best effort: some filesystems refuse). */
static void sync_dir(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

bool pgt_out_commit(pgt_out *o, uint64_t expect, char *msg, size_t msgsize)
{
	if (caught)
		return fail(o, msg, msgsize, "writing", EINTR);
	bool counted = o->written > 0;
	if (o->stream) {
		if (fflush(o->stream) != 0 || ferror(o->stream))
			return fail(o, msg, msgsize, "writing", errno ? errno : EIO);
		off_t pos = ftello(o->stream);
		if (pos > 0 && o->kind == PGT_OUT_REPLACE) {
			o->written = (uint64_t)pos;
			counted = true;
		}
		int rc = fclose(o->stream);
		o->stream = NULL;
		if (rc != 0)
			return fail(o, msg, msgsize, "writing", errno);
	}
	if (o->err)
		return fail(o, msg, msgsize, "writing", o->err);
	if (o->kind == PGT_OUT_DIRECT) {
		int rc = close(o->fd);
		o->fd = -1;
		if (rc != 0 && errno != EINTR) {
			snprintf(msg, msgsize, "writing '%s' failed: %s", o->path, strerror(errno));
			return false;
		}
		return true;
	}
	if (fsync(o->fd) != 0)
		return fail(o, msg, msgsize, "writing", errno);
	struct stat st;
	if (fstat(o->fd, &st) != 0)
		return fail(o, msg, msgsize, "checking", errno);
	uint64_t want = expect ? expect : o->written;
	if (((expect || counted) && (uint64_t)st.st_size != want) || st.st_size == 0) {
		snprintf(
		    msg, msgsize,
		    "writing '%s' failed: the file has %lld bytes instead of %llu (nothing was "
		    "changed)",
		    o->path, (long long)st.st_size, (unsigned long long)want);
		pgt_out_abort(o);
		return false;
	}
	int rc = close(o->fd);
	o->fd = -1;
	if (rc != 0)
		return fail(o, msg, msgsize, "writing", errno);
	if (caught)
		return fail(o, msg, msgsize, "writing", EINTR);
	if (rename(o->tmp, o->path) != 0)
		return fail(o, msg, msgsize, "replacing", errno);
	unregister_tmp(o->tmp);
	o->tmp[0] = '\0';
	sync_dir(o->path);
	return true;
}

bool pgt_out_tmpdir(const char *final, char *dir, size_t size, char *msg, size_t msgsize)
{
	if (!tmp_template(final, dir, size)) {
		snprintf(msg, msgsize, "output path too long: '%.200s...'", final);
		return false;
	}
	sigset_t held;
	hold_signals(&held);
	if (!mkdtemp(dir)) {
		snprintf(msg, msgsize, "cannot create directory '%s': %s", final, strerror(errno));
		release_signals(&held);
		return false;
	}
	if (register_tmp(dir, true) < 0) {
		rmdir(dir);
		snprintf(msg, msgsize, "too many outputs open at once");
		release_signals(&held);
		return false;
	}
	release_signals(&held);
	return true;
}

void pgt_out_tmpdir_done(const char *dir)
{
	unregister_tmp(dir);
}

/* ---- small input files ------------------------------------------------------ */

const char *pgt_fd_kind(int fd)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return "unreadable";
	if (S_ISREG(st.st_mode))
		return NULL;
	return S_ISDIR(st.st_mode)    ? "a directory"
	       : S_ISFIFO(st.st_mode) ? "a FIFO (named pipe)"
	       : S_ISCHR(st.st_mode)  ? "a character device"
	       : S_ISBLK(st.st_mode)  ? "a block device"
	       : S_ISSOCK(st.st_mode) ? "a socket"
	                              : "not a file";
}

/* "the limit is 64 KiB" / "64 MiB" */
static void size_limit(char *out, size_t size, size_t cap)
{
	if (cap >= (1u << 20))
		snprintf(out, size, "%zu MiB", cap >> 20);
	else
		snprintf(out, size, "%zu KiB", cap >> 10);
}

char *pgt_read_small_file(const char *path, size_t cap, size_t *len, char *msg, size_t msgsize)
{
	msg[0] = '\0';
	char lim[32];
	size_limit(lim, sizeof(lim), cap);
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(msg, msgsize, "%s", strerror(errno));
		return NULL;
	}
	const char *kind = pgt_fd_kind(fd);
	if (kind) {
		snprintf(msg, msgsize, "not a regular file (%s)", kind);
		close(fd);
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && (uint64_t)st.st_size > cap) {
		snprintf(msg, msgsize, "too large (%lld bytes; the limit is %s)",
		         (long long)st.st_size, lim);
		close(fd);
		return NULL;
	}
	char *buf = malloc(cap + 2);
	size_t n = 0;
	while (buf && n <= cap) {
		ssize_t r = read(fd, buf + n, cap + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(msg, msgsize, "%s", strerror(errno));
			free(buf);
			buf = NULL;
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (!buf) {
		if (!msg[0])
			snprintf(msg, msgsize, "out of memory");
		return NULL;
	}
	if (n > cap) { /* grew while read */
		snprintf(msg, msgsize, "too large (the limit is %s)", lim);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* ---- input files that must not hang ------------------------------------------ */

int pgt_open_input(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode)) {
		/* a FIFO: wait a bounded time for a writer (Linux reports no
		 * hang-up on a FIFO that never had one, so poll waits for it) */
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int r;
		do
			r = poll(&p, 1, PGT_FIFO_WAIT_MS);
		while (r < 0 && errno == EINTR);
		if (r <= 0) {
			close(fd);
			errno = r == 0 ? ETIMEDOUT : errno;
			return -1;
		}
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}
