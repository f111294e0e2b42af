/*
 * video.c: MP4/WebM through the system ffmpeg (docs/export.md, "MP4 and
 * WebM"; docs/performance.md, "Export").
 *
 * Frames go to ffmpeg as raw planar YUV 4:2:0 (BT.709, limited range, the
 * format x264 and libvpx encode), converted here from the ARGB8888 canvas:
 * ffmpeg then has no pixel-format conversion to do, and a 1080p frame is
 * 3.1 MB on the pipe instead of 8.3 MB.  A writer thread feeds the pipe
 * while the caller draws the next frame, so drawing overlaps encoding.
 * The conversion is integer arithmetic: the same frames give the same
 * bytes on every machine.
 */
#define _DEFAULT_SOURCE /* for fileno() and popen() alongside _POSIX_C_SOURCE */
#include "pgtviz/export.h"

#include "pgtviz/safe_out.h"

#include <SDL.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

bool pgt_have_program(const char *name)
{
	const char *path = getenv("PATH");
	if (!path)
		return false;
	char buf[4096];
	for (const char *p = path; *p;) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, p, name);
		if (access(buf, X_OK) == 0)
			return true;
		p += n + (colon ? 1 : 0);
	}
	return false;
}

/* ------------------------------------------------------------------------ */
/* ARGB8888 -> planar YUV 4:2:0                                             */
/* ------------------------------------------------------------------------ */

/* BT.709 (Kr 0.2126, Kb 0.0722), limited range (Y 16..235, Cb/Cr
 * 16..240), coefficients in 1/65536: Y = 16 + (YR R + YG G + YB B) / 65536;
 * the chroma rows sum to zero, so a grey has Cb = Cr = 128 exactly. */
enum {
	YR = 11966,
	YG = 40254,
	YB = 4064, /* 0.2126, 0.7152, 0.0722 x 219/255 */
	UR = -6596,
	UG = -22188,
	UB = 28784, /* Cb: (B - Y) / 1.8556 x 224/255 */
	VR = 28784,
	VG = -26145,
	VB = -2639 /* Cr: (R - Y) / 1.5748 x 224/255 */
};

size_t pgt_yuv420_size(int w, int h)
{
	size_t w2 = (size_t)(w + 1) / 2 * 2, h2 = (size_t)(h + 1) / 2 * 2;
	return w2 * h2 + 2 * (w2 / 2) * (h2 / 2);
}

static inline uint8_t luma(uint32_t p)
{
	int r = (int)(p >> 16 & 0xff), g = (int)(p >> 8 & 0xff), b = (int)(p & 0xff);
	return (uint8_t)(16 + ((YR * r + YG * g + YB * b + 32768) >> 16));
}

/* Cb and Cr of a 2x2 block: the sums of its four pixels' channels, / 4
 * and / 65536 in one shift, rounded. */
static inline void chroma(uint32_t a, uint32_t b, uint32_t d, uint32_t e, uint8_t *u, uint8_t *v)
{
	int R = (int)((a >> 16 & 0xff) + (b >> 16 & 0xff) + (d >> 16 & 0xff) + (e >> 16 & 0xff));
	int G = (int)((a >> 8 & 0xff) + (b >> 8 & 0xff) + (d >> 8 & 0xff) + (e >> 8 & 0xff));
	int B = (int)((a & 0xff) + (b & 0xff) + (d & 0xff) + (e & 0xff));
	*u = (uint8_t)(128 + ((UR * R + UG * G + UB * B + (1 << 17)) >> 18));
	*v = (uint8_t)(128 + ((VR * R + VG * G + VB * B + (1 << 17)) >> 18));
}

void pgt_yuv420_from_surface(const SDL_Surface *s, uint8_t *dst)
{
	int w = s->w, h = s->h;
	int w2 = (w + 1) / 2 * 2, h2 = (h + 1) / 2 * 2, cw = w2 / 2;
	uint8_t *py = dst, *pu = dst + (size_t)w2 * (size_t)h2;
	uint8_t *pv = pu + (size_t)cw * (size_t)(h2 / 2);
	/* An odd width or height is padded by repeating the last column or
	 * row (the encoders need even sizes). */
	for (int y = 0; y < h2; y += 2) {
		const uint32_t *r0 = (const uint32_t *)(const void *)((const uint8_t *)s->pixels +
		                                                      (size_t)y * (size_t)s->pitch);
		const uint32_t *r1 =
		    y + 1 < h ? (const uint32_t *)(const void *)((const uint8_t *)s->pixels +
		                                                 (size_t)(y + 1) * (size_t)s->pitch)
		              : r0;
		uint8_t *y0 = py + (size_t)y * (size_t)w2, *y1 = y0 + w2;
		uint8_t *u = pu + (size_t)(y / 2) * (size_t)cw,
		        *v = pv + (size_t)(y / 2) * (size_t)cw;
		size_t rb = (size_t)w * 4;
		if (y >= 2 && y + 1 < h && memcmp(r0, r0 - 2 * s->pitch / 4, rb) == 0 &&
		    memcmp(r1, r1 - 2 * s->pitch / 4, rb) == 0) {
			/* rows like the two above: their values */
			memcpy(y0, y0 - 2 * w2, 2 * (size_t)w2);
			memcpy(u, u - cw, (size_t)cw);
			memcpy(v, v - cw, (size_t)cw);
			continue;
		}
		/* Frames are flat colour: a 2x2 block like the one before it
		 * (two 8-byte compares) takes its values. */
		int full = w / 2;
		uint64_t pa = 0, pb = 0;
		uint8_t ya = 0, yb = 0, yc = 0, yd = 0, uu = 0, vv = 0;
		bool have = false;
		for (int c = 0; c < full; c++) {
			uint64_t qa, qb;
			memcpy(&qa, r0 + 2 * c, 8);
			memcpy(&qb, r1 + 2 * c, 8);
			if (!have || qa != pa || qb != pb) {
				ya = luma(r0[2 * c]);
				yb = luma(r0[2 * c + 1]);
				yc = luma(r1[2 * c]);
				yd = luma(r1[2 * c + 1]);
				chroma(r0[2 * c], r0[2 * c + 1], r1[2 * c], r1[2 * c + 1], &uu,
				       &vv);
				pa = qa;
				pb = qb;
				have = true;
			}
			y0[2 * c] = ya;
			y0[2 * c + 1] = yb;
			y1[2 * c] = yc;
			y1[2 * c + 1] = yd;
			u[c] = uu;
			v[c] = vv;
		}
		if (w2 > w) { /* the odd last column, repeated */
			y0[w - 1] = y0[w] = luma(r0[w - 1]);
			y1[w - 1] = y1[w] = luma(r1[w - 1]);
		}
		if (full < cw)
			chroma(r0[w - 1], r0[w - 1], r1[w - 1], r1[w - 1], &u[full], &v[full]);
	}
}

/* ------------------------------------------------------------------------ */
/* The writer                                                               */
/* ------------------------------------------------------------------------ */

/* Converted frames waiting for the pipe: the caller fills a free slot and
 * queues it; the writer thread writes queued slots in order (`repeat`
 * times each) and frees them.  Two slots: one being written while the
 * next is converted. */
#define NSLOT 2

struct pgt_video {
	FILE *pipe;
	int fd;          /* the pipe's descriptor (written by the thread) */
	pgt_out out;     /* the destination (safe output) */
	uint64_t frames; /* frames queued for ffmpeg */
	size_t frame_bytes;
	int w, h;
	uint8_t *slot[NSLOT];
	int repeat[NSLOT];
	int head, count; /* queue: slots head .. head+count-1 (mod NSLOT) */
	bool done;       /* no more frames: the thread ends after the queue */
	bool drop;       /* the export was abandoned: queued frames are dropped */
	bool failed;     /* a write failed (set by the thread) */
	int err;         /* its errno */
	SDL_mutex *mu;
	SDL_cond *cv;
	SDL_Thread *thread;
	bool ok;
};

static bool write_all(int fd, const uint8_t *p, size_t n, int *err)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR && !pgt_out_interrupted())
			continue;
		if (k <= 0) {
			*err = k < 0 ? errno : EIO;
			return false;
		}
		p += k;
		n -= (size_t)k;
	}
	return true;
}

static int writer_main(void *arg)
{
	pgt_video *v = arg;
	SDL_LockMutex(v->mu);
	for (;;) {
		while (!v->count && !v->done)
			SDL_CondWait(v->cv, v->mu);
		if (!v->count)
			break;
		int i = v->head, n = v->repeat[i];
		bool failed = v->failed, skip = failed || v->drop;
		SDL_UnlockMutex(v->mu);
		int err = 0;
		for (int r = 0; r < n && !skip && !failed; r++)
			failed = !write_all(v->fd, v->slot[i], v->frame_bytes, &err);
		SDL_LockMutex(v->mu);
		if (failed && !v->failed) {
			v->failed = true;
			v->err = err;
		}
		v->head = (v->head + 1) % NSLOT;
		v->count--;
		SDL_CondBroadcast(v->cv);
	}
	SDL_UnlockMutex(v->mu);
	return 0;
}

/* MP4: x264 "veryfast" with "-tune animation" (flat colours, sharp edges:
 * more reference frames and deblocking suited to drawings) at crf 20 on all
 * cores (docs/export.md, "MP4 and WebM", says why these). */
void pgt_video_cmdline(char *buf, size_t size, const char *fmt, int w, int h, int fps,
                       const char *out)
{
	bool webm = strcmp(fmt, "webm") == 0;
	/* glibc's malloc would mmap and unmap ffmpeg's frame-sized buffers for
	 * every frame, and the kernel zero fresh (huge) pages each time: with
	 * a high mmap threshold they are reused (a third less system time;
	 * docs/performance.md).  A GLIBC_TUNABLES of the user's is kept. */
	const char *tun = getenv("GLIBC_TUNABLES") ? ""
	                                           : "GLIBC_TUNABLES="
	                                             "glibc.malloc.mmap_threshold=268435456:"
	                                             "glibc.malloc.trim_threshold=268435456 ";
	snprintf(buf, size,
	         "%sffmpeg -hide_banner -loglevel error -nostdin -y -f rawvideo -pix_fmt yuv420p "
	         "-s %dx%d -r %d -i - %s -colorspace bt709 -color_primaries bt709 "
	         "-color_trc bt709 -color_range tv -f %s '%s'",
	         tun, (w + 1) / 2 * 2, (h + 1) / 2 * 2, fps,
	         webm ? "-c:v libvpx-vp9 -b:v 0 -crf 30 -row-mt 1"
	              : "-c:v libx264 -preset veryfast -tune animation -crf 20 -threads 0 "
	                "-movflags +faststart",
	         webm ? "webm" : "mp4", out);
}

static void video_free(pgt_video *v)
{
	for (int i = 0; i < NSLOT; i++)
		free(v->slot[i]);
	if (v->cv)
		SDL_DestroyCond(v->cv);
	if (v->mu)
		SDL_DestroyMutex(v->mu);
	free(v);
}

pgt_video *pgt_video_open_checked(const char *path, const char *fmt, int w, int h, int fps,
                                  const char *const *inputs, pgt_diags *dg)
{
	if (!pgt_have_program("ffmpeg")) {
		pgt_diags_error(dg,
		                "%s export needs the 'ffmpeg' program, which is not on "
		                "PATH; install ffmpeg or export a GIF or PNG sequence instead",
		                fmt);
		return NULL;
	}
	pgt_video *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->w = w;
	v->h = h;
	v->frame_bytes = pgt_yuv420_size(w, h);
	for (int i = 0; i < NSLOT; i++)
		v->slot[i] = malloc(v->frame_bytes);
	v->mu = SDL_CreateMutex();
	v->cv = SDL_CreateCond();
	if (!v->slot[NSLOT - 1] || !v->slot[0] || !v->mu || !v->cv) {
		pgt_diags_error(dg, "out of memory for %dx%d video frames", w, h);
		video_free(v);
		return NULL;
	}
	char msg[600];
	if (!pgt_out_open(&v->out, path, inputs, msg, sizeof(msg))) {
		if (dg)
			pgt_diags_error(dg, "%s", msg);
		video_free(v);
		return NULL;
	}
	/* ffmpeg writes through an inherited descriptor of the file we created
	 * (/dev/fd/N), never by name: no second open of a guessable path, and
	 * no quoting of the user's path on the shell command line. */
	int fd = pgt_out_dup(&v->out, true);
	if (fd >= 0 && strcmp(fmt, "webm") != 0 && lseek(fd, 0, SEEK_CUR) < 0 && errno == ESPIPE) {
		/* the MP4 muxer goes back to write its index: ffmpeg would fail */
		pgt_diags_error(dg,
		                "MP4 cannot be written into a pipe or FIFO ('%s'): the format "
		                "is finished by seeking back; write a file, or use --format webm",
		                path);
		close(fd);
		pgt_out_abort(&v->out);
		video_free(v);
		return NULL;
	}
	char cmd[1200], dev[32];
	snprintf(dev, sizeof(dev), "/dev/fd/%d", fd);
	pgt_video_cmdline(cmd, sizeof(cmd), fmt, w, h, fps, dev);
	signal(SIGPIPE, SIG_IGN);
	v->pipe = fd >= 0 ? popen(cmd, "w") : NULL;
	int e = errno;
	if (fd >= 0)
		close(fd);
	if (v->pipe) {
		v->fd = fileno(v->pipe);
#ifdef __linux__
		/* a 1 MiB pipe (F_SETPIPE_SZ, Linux 2.6.35+) instead of 64 KiB: far
		 * fewer context switches per frame; harmless if refused */
		(void)fcntl(v->fd, 1031 /* F_SETPIPE_SZ */, 1 << 20);
#endif
		v->thread = SDL_CreateThread(writer_main, "pgtviz-video", v);
		if (!v->thread) {
			pclose(v->pipe);
			v->pipe = NULL;
			e = ENOMEM;
		}
	}
	if (!v->pipe) {
		pgt_diags_error(dg, "cannot start ffmpeg: %s", strerror(e));
		pgt_out_abort(&v->out);
		video_free(v);
		return NULL;
	}
	v->ok = true;
	return v;
}

pgt_video *pgt_video_open(const char *path, const char *fmt, int w, int h, int fps, pgt_diags *dg)
{
	return pgt_video_open_checked(path, fmt, w, h, fps, NULL, dg);
}

bool pgt_video_frame(pgt_video *v, SDL_Surface *s, int repeat)
{
	if (s->w != v->w || s->h != v->h)
		v->ok = false;
	if (!v->ok || repeat <= 0)
		return v->ok;
	SDL_LockMutex(v->mu);
	while (v->count == NSLOT)
		SDL_CondWait(v->cv, v->mu);
	v->ok = !v->failed;
	int i = (v->head + v->count) % NSLOT;
	SDL_UnlockMutex(v->mu);
	if (!v->ok)
		return false;
	/* The slot is the caller's until it is queued. */
	pgt_yuv420_from_surface(s, v->slot[i]);
	SDL_LockMutex(v->mu);
	v->repeat[i] = repeat;
	v->count++;
	SDL_CondBroadcast(v->cv);
	SDL_UnlockMutex(v->mu);
	v->frames += (uint64_t)repeat;
	return true;
}

/* Waits for the writer thread to write what is queued (or, when the
 * export is abandoned, to drop it) and end; false if a write failed. */
static bool writer_finish(pgt_video *v, bool drop)
{
	SDL_LockMutex(v->mu);
	v->drop = drop; /* queued frames are released, not written */
	v->done = true;
	SDL_CondBroadcast(v->cv);
	SDL_UnlockMutex(v->mu);
	SDL_WaitThread(v->thread, NULL);
	return !v->failed;
}

/* Video packets in what ffmpeg wrote (ffprobe, reading through an inherited
 * descriptor), or -1 if that cannot be told (no ffprobe). */
static long long probe_packets(pgt_out *o)
{
	if (!pgt_have_program("ffprobe"))
		return -1;
	int fd = pgt_out_dup(o, true);
	if (fd < 0)
		return -1;
	char cmd[400];
	snprintf(cmd, sizeof(cmd),
	         "ffprobe -v error -select_streams v:0 -count_packets -show_entries "
	         "stream=nb_read_packets -of csv=p=0 /dev/fd/%d </dev/null",
	         fd);
	FILE *p = popen(cmd, "r");
	close(fd);
	if (!p)
		return -1;
	long long n = -1;
	if (fscanf(p, "%lld", &n) != 1)
		n = 0;
	pclose(p);
	return n;
}

bool pgt_video_close(pgt_video *v, bool commit, pgt_diags *dg)
{
	bool wrote = writer_finish(v, !(commit && v->ok));
	int rc = pclose(v->pipe);
	bool ok = v->ok && wrote && rc == 0;
	char msg[600];
	if (ok && commit && v->out.kind == PGT_OUT_REPLACE) {
		/* ffmpeg's WebM muxer exits 0 on a full disk: count what it wrote */
		long long got = probe_packets(&v->out);
		if (got >= 0 && (uint64_t)got != v->frames) {
			pgt_diags_error(dg,
			                "ffmpeg wrote %lld of %llu frames to '%s' (disk "
			                "full?); nothing was changed",
			                got, (unsigned long long)v->frames, v->out.path);
			ok = false;
		}
	}
	if (ok && commit) {
		ok = pgt_out_commit(&v->out, 0, msg, sizeof(msg));
		if (!ok && dg)
			pgt_diags_error(dg, "%s", msg);
	} else {
		if ((rc != 0 || !v->ok || !wrote) && !pgt_out_interrupted())
			pgt_diags_error(dg,
			                "ffmpeg failed writing '%s' (exit status %d); nothing "
			                "was changed",
			                v->out.path, WIFEXITED(rc) ? WEXITSTATUS(rc) : rc);
		pgt_out_abort(&v->out);
		if (commit)
			ok = false;
	}
	video_free(v);
	return ok;
}
