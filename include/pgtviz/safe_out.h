/*
 * Safe output: what the user asked to write is written whole, or not at all,
 * and nothing else is touched.  Every writer of pgtviz (PNG, PNG sequence,
 * GIF, MP4/WebM through ffmpeg, SVG, `import -o`, the export preferences)
 * goes through this one API.
 *
 *   - A regular file (or a path that does not exist yet) is written to a
 *     temporary file made with mkostemp() (O_CREAT|O_EXCL: a planted symlink
 *     cannot redirect it) in the destination's directory, flushed with
 *     fsync(), checked (its size is the number of bytes written), and only
 *     then renamed over the destination; until then the previous file is
 *     intact.  A symlink to a regular file is followed: the target is
 *     replaced, the link stays.
 *   - A character device, a FIFO or "-" (stdout) is written directly, never
 *     replaced; a FIFO with no reader is an error instead of a hang.
 *     Directories, block devices and sockets are refused.
 *   - An output that is one of the command's inputs is refused.
 *   - While a temporary file exists, SIGINT/SIGTERM/SIGHUP remove it before
 *     the signal takes effect (the previous handlers are restored when the
 *     last output is closed, and a caught signal is then re-raised).  A
 *     signal ignored when the first output opens (nohup's SIGHUP, SIGINT in
 *     a shell's background job) stays ignored.
 *
 * Errors are returned as a one-line message (without "pgtviz: error: ") in
 * the caller's buffer, so each command prints them on its own diagnostics
 * path.  POSIX + libc only; no SDL.
 */
#ifndef PGTVIZ_SAFE_OUT_H
#define PGTVIZ_SAFE_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

enum pgt_out_kind {
	PGT_OUT_REPLACE, /* temporary file renamed over the destination */
	PGT_OUT_DIRECT   /* character device, FIFO or stdout: written in place */
};

typedef struct pgt_out {
	char path[4096];  /* destination (a symlink's target when one was given) */
	char tmp[4096];   /* the temporary file (PGT_OUT_REPLACE), else "" */
	int fd;           /* where the bytes go; -1 when closed */
	int kind;         /* enum pgt_out_kind */
	FILE *stream;     /* pgt_out_stream()'s FILE on a dup of fd, or NULL */
	uint64_t written; /* bytes passed to pgt_out_write */
	int err;          /* first errno of a failed write (0: none) */
	int mode;         /* permissions of the new file */
} pgt_out;

/* Opens `path` for writing.  `inputs` (NULL-terminated, may be NULL) are
 * the command's input files: writing onto one of them is refused.  On
 * failure returns false with a message in msg. */
bool pgt_out_open(pgt_out *o, const char *path, const char *const *inputs, char *msg,
                  size_t msgsize);

/* Writes all of buf (retrying short writes and EINTR).  A failure is kept
 * and reported by pgt_out_commit. */
bool pgt_out_write(pgt_out *o, const void *buf, size_t n);

/* A stdio stream on the output for libraries that want a FILE (closed by
 * commit/abort; its errors are reported by commit). */
FILE *pgt_out_stream(pgt_out *o);

/* A descriptor for another writer (a library that closes what it is given,
 * or a child process): a dup of the output, without FD_CLOEXEC when
 * `inherit` is true.  The caller closes it. */
int pgt_out_dup(pgt_out *o, bool inherit);

/* Flushes, fsyncs and checks the output, then renames the temporary file
 * over the destination.  `expect` is the size the file must have (0: the
 * bytes written through this API or the stream's position).  On failure
 * the temporary file is removed, the destination is untouched, and msg
 * says what failed. */
bool pgt_out_commit(pgt_out *o, uint64_t expect, char *msg, size_t msgsize);

/* Discards the output: the temporary file is removed. */
void pgt_out_abort(pgt_out *o);

/* A directory made next to `final` under a unique temporary name (for a PNG
 * sequence), removed on a signal if still empty; committed with rename. */
bool pgt_out_tmpdir(const char *final, char *dir, size_t size, char *msg, size_t msgsize);
void pgt_out_tmpdir_done(const char *dir);

/* True once SIGINT/SIGTERM/SIGHUP arrived while an output was open: long
 * writers stop at the next frame and abort. */
bool pgt_out_interrupted(void);

/* Same file (device and inode) as an existing path; false if either is
 * missing. */
bool pgt_out_same_file(const char *a, const char *b);

/* NULL when fd is a regular file, else what it is ("a directory", "a FIFO
 * (named pipe)", "a character device", ...), for messages. */
const char *pgt_fd_kind(int fd);

/* Regular-file check and size cap for small input files (themes, fonts,
 * preferences): opens with O_NONBLOCK (a FIFO never blocks), refuses
 * anything but a regular file of at most `cap` bytes, and reads it whole
 * (NUL-terminated, *len without the NUL).  Returns NULL with the reason
 * ("not a regular file (a FIFO (named pipe))", "too large (...)",
 * strerror) in msg.  Also what the window reads (logs for the check
 * panel): nothing it opens can block it. */
char *pgt_read_small_file(const char *path, size_t cap, size_t *len, char *msg, size_t msgsize);

/* Opens an input file for reading without hanging: a FIFO with no writer
 * is waited for at most PGT_FIFO_WAIT_MS, then fails with errno ETIMEDOUT.
 * Returns a blocking descriptor, or -1 with errno. */
#define PGT_FIFO_WAIT_MS 5000
int pgt_open_input(const char *path);

#ifdef __cplusplus
}
#endif
#endif
