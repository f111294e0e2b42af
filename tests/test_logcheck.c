/*
 * The log check as data (logcheck.h): real logs of tests/realworld and a
 * memblock=debug boot of tests/oracle, as they are and edited (a line
 * changed, removed, added), checked row by row -- status, log line number,
 * and the simulation's event each row belongs to.  The counts are those of
 * tests/realworld/expected.tsv, the file the `realworld` ctests hold
 * `pgtviz check` to.
 */
#include "t.h"

#include "pgtviz/logcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOG_006 PGTVIZ_TEST_DIR "/realworld/006-dell-e6510-3.9.8-brk.log"
#define LOG_612 PGTVIZ_TEST_DIR "/oracle/cases/612-256g.log"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 20);
	*len = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	if (buf)
		buf[*len] = '\0';
	return buf;
}

/* matched / compared / exit of a log in expected.tsv (false: not listed). */
static bool expected_row(const char *file, size_t *m, size_t *n, int *exit_code)
{
	FILE *f = fopen(PGTVIZ_TEST_DIR "/realworld/expected.tsv", "r");
	if (!f)
		return false;
	char line[512], name[256];
	bool found = false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%255s %zu %zu %d", name, m, n, exit_code) == 4 &&
		        strcmp(name, file) == 0;
	fclose(f);
	return found;
}

/* Imports text and runs the check with default options. */
static bool check_text(const char *text, size_t len, pgt_dmesg *dm, pgt_logcheck *r)
{
	pgt_diags d;
	pgt_diags_init(&d, "test");
	memset(dm, 0, sizeof(*dm));
	bool ok = pgt_dmesg_import(text, len, dm, &d);
	pgt_logcheck_opts o = pgt_logcheck_opts_default();
	ok = ok && pgt_logcheck_run(dm, &o, r, &d);
	pgt_diags_print(&d, stderr);
	pgt_diags_free(&d);
	return ok;
}

/* Every row's event: its own predicted line's (a line the run printed at
 * that event, with that text), or the one of the row above. */
static void check_events(const pgt_logcheck *r)
{
	size_t nev = pgt_sim_event_count(r->run);
	uint32_t last = 0;
	for (size_t i = 0; i < r->n_rows; i++) {
		const pgt_lc_row *x = &r->rows[i];
		CHECK(x->event < nev);
		CHECK(x->exact == (x->b >= 0));
		if (x->b < 0) {
			CHECK_U64(x->event, last);
			continue;
		}
		last = x->event;
		const pgt_lc_line *s = &r->sim[x->b];
		CHECK_U64(s->event, x->event);
		bool printed = false;
		for (size_t k = 0; !s->page && k < pgt_sim_log_count(r->run); k++) {
			const pgt_logline *l = pgt_sim_log(r->run, k);
			printed |= l->event == x->event && strcmp(l->text, s->text) == 0;
		}
		CHECK(printed || s->page);
	}
}

static void test_real_log_matches(void)
{
	size_t len, m, n;
	int ex;
	char *text = slurp(LOG_006, &len);
	REQUIRE(text);
	REQUIRE(expected_row("006-dell-e6510-3.9.8-brk.log", &m, &n, &ex));
	pgt_dmesg dm;
	pgt_logcheck r;
	REQUIRE(check_text(text, len, &dm, &r));
	CHECK_U64(r.matched, m);
	CHECK_U64(r.n_log, n);
	CHECK(r.exit == ex);
	CHECK_U64(r.n_rows, n);
	CHECK_U64(pgt_lc_unmatched(&r), 0);
	CHECK(strcmp(pgt_lc_what(&r), "lines") == 0);
	CHECK(strstr(r.model, "top-down 3.9") == r.model);
	for (size_t i = 0; i < r.n_rows; i++) {
		const pgt_lc_row *x = &r.rows[i];
		CHECK(x->status == PGT_LC_MATCH);
		CHECK(x->a == (int)i && x->b == (int)i);
		CHECK(strcmp(r.log[x->a].text, r.sim[x->b].text) == 0);
	}
	/* line numbers are the log's: the first compared line is line 75 */
	CHECK(r.log[0].lineno == 75);
	CHECK(strstr(text, r.log[0].text) != NULL);
	/* events grow with the rows; a header comes before its range line */
	for (size_t i = 1; i < r.n_rows; i++)
		CHECK(r.rows[i].event >= r.rows[i - 1].event);
	CHECK(r.rows[1].event > r.rows[0].event);
	check_events(&r);
	pgt_logcheck_free(&r);
	pgt_dmesg_free(&dm);
	free(text);
}

/* Line 81 "... page 2M" changed to "page 4k", line 86 removed, a made-up
 * BRK line added after line 90. */
static void test_edited_log(void)
{
	size_t len;
	char *text = slurp(LOG_006, &len);
	REQUIRE(text);
	char *l81 = strstr(text, " [mem 0x22fe00000-0x22fffffff] page 2M");
	REQUIRE(l81);
	memcpy(strstr(l81, "page 2M") + 5, "4k", 2);
	char *l86 = strstr(text, "  [mem 0x200000000-0x22bffffff] page 2M");
	REQUIRE(l86);
	char *bol = l86;
	while (bol > text && bol[-1] != '\n')
		bol--;
	char *eol = strchr(l86, '\n');
	REQUIRE(eol);
	memmove(bol, eol + 1, strlen(eol + 1) + 1);
	len = strlen(text);
	char *l90 = strstr(text, " [mem 0xcf600000-0xcf65efff] page 4k\n");
	REQUIRE(l90);
	const char *extra = "[    0.000000] BRK [0x01f70000, 0x01f70fff] PGTABLE\n";
	char *ed = malloc(len + strlen(extra) + 1);
	REQUIRE(ed);
	size_t at = (size_t)(strchr(l90, '\n') + 1 - text);
	memcpy(ed, text, at);
	strcpy(ed + at, extra);
	strcpy(ed + at + strlen(extra), text + at);

	pgt_dmesg dm;
	pgt_logcheck r;
	REQUIRE(check_text(ed, strlen(ed), &dm, &r));
	CHECK(r.exit == 1);
	size_t differs = 0, log_only = 0, sim_only = 0;
	for (size_t i = 0; i < r.n_rows; i++) {
		const pgt_lc_row *x = &r.rows[i];
		if (x->status == PGT_LC_DIFFERS) {
			differs++;
			CHECK(r.log[x->a].lineno == 81);
			CHECK(strstr(r.log[x->a].text, "page 4k") != NULL);
			CHECK(strstr(r.sim[x->b].text, "page 2M") != NULL);
			CHECK(x->exact);
		} else if (x->status == PGT_LC_SIM_ONLY) {
			sim_only++;
			CHECK(strcmp(r.sim[x->b].text, " [mem 0x200000000-0x22bffffff] page 2M") ==
			      0);
			CHECK(x->a < 0);
		} else if (x->status == PGT_LC_LOG_ONLY) {
			log_only++;
			CHECK(strstr(r.log[x->a].text, "0x01f70000") != NULL);
			CHECK(r.log[x->a].lineno == 90); /* line 86 is gone: the 4k line is 89 */
			CHECK(!x->exact);
			REQUIRE(i > 0 && r.rows[i - 1].b >= 0);
			CHECK_U64(x->event, r.sim[r.rows[i - 1].b].event);
		}
		CHECK(pgt_lc_mark(x->status) == "=!-+"[x->status]);
	}
	CHECK_U64(differs, 1);
	CHECK_U64(sim_only, 1);
	CHECK_U64(log_only, 1);
	CHECK_U64(pgt_lc_unmatched(&r), 3);
	CHECK_U64(r.matched, r.n_log - 2);
	check_events(&r);
	pgt_logcheck_free(&r);
	pgt_dmesg_free(&dm);
	free(ed);
	free(text);
}

/* memblock=debug: the table pages compared are the run's memblock pages,
 * each row at the event that took it. */
static void test_memblock_pages(void)
{
	size_t len;
	char *text = slurp(LOG_612, &len);
	REQUIRE(text);
	pgt_dmesg dm;
	pgt_logcheck r;
	REQUIRE(check_text(text, len, &dm, &r));
	REQUIRE(dm.pages_shown);
	CHECK(dm.n_pages > 100);
	CHECK_U64(r.n_pages, dm.n_pages);
	CHECK(strcmp(pgt_lc_what(&r), "table pages") == 0);
	CHECK_U64(r.matched, r.n_log);
	CHECK(r.exit == 0);
	size_t pages = 0;
	for (size_t i = 0; i < r.n_rows; i++) {
		const pgt_lc_row *x = &r.rows[i];
		REQUIRE(x->b >= 0 && x->a >= 0);
		CHECK(r.sim[x->b].page && r.log[x->a].page);
		CHECK(r.log[x->a].lineno == dm.pages[pages].lineno);
		/* the table page the run allocated at that event has that address */
		bool found = false;
		for (size_t t = 0; t < pgt_sim_table_count(r.run) && !found; t++) {
			pgt_table tb = pgt_sim_table(r.run, t);
			char want[40];
			snprintf(want, sizeof(want), "table page 0x%llx",
			         (unsigned long long)tb.pa);
			found = tb.alloc_event == x->event && strcmp(want, r.sim[x->b].text) == 0;
		}
		CHECK(found);
		pages++;
	}
	CHECK_U64(pages, dm.n_pages);
	check_events(&r);
	pgt_logcheck_free(&r);
	pgt_dmesg_free(&dm);
	free(text);
}

/* A run over the cost bound fails with one message, nothing kept. */
static void test_refused(void)
{
	size_t len;
	char *text = slurp(LOG_006, &len);
	REQUIRE(text);
	pgt_diags d;
	pgt_diags_init(&d, "test");
	pgt_dmesg dm;
	memset(&dm, 0, sizeof(dm));
	REQUIRE(pgt_dmesg_import(text, len, &dm, &d));
	dm.sc.cpu.pse = dm.sc.cpu.gbpages = false;
	dm.sc.e820[dm.sc.n_e820 - 1].end = (uint64_t)1 << 46; /* 64 TiB in 4k pages */
	pgt_logcheck_opts o = pgt_logcheck_opts_default();
	pgt_logcheck r;
	CHECK(!pgt_logcheck_run(&dm, &o, &r, &d));
	CHECK_U64(d.errors, 1);
	CHECK(r.run == NULL && r.rows == NULL && r.n_rows == 0);
	pgt_diags_free(&d);
	pgt_dmesg_free(&dm);
	free(text);
}

/* pgt_logcheck_file -> -1 with a message containing `want` (no hang: a
 * blocking read would stop the test here, under ctest's timeout). */
static void refused_with(const char *path, const char *want)
{
	pgt_diags d;
	pgt_diags_init(&d, "test");
	pgt_dmesg dm;
	pgt_logcheck r;
	CHECK(pgt_logcheck_file(path, &dm, &r, &d) == -1);
	char first[300] = "";
	pgt_diags_first(&d, PGT_DIAG_ERROR, first, sizeof(first));
	if (!strstr(first, want))
		printf("%s: got '%s', want '%s'\n", path, first, want);
	CHECK(strstr(first, want) != NULL);
	CHECK(dm.lines == NULL && r.rows == NULL);
	pgt_diags_free(&d);
}

/* What the window's check panel ('d') may find where its log was (issue
 * 16): a FIFO without a writer and one whose writer never closes, a
 * device, a directory, a symlink loop, a file over 64 MiB, a 60 MB log, a
 * binary file, a UTF-16 log.  Nothing blocks; each gets its own message. */
static void test_window_file_reading(void)
{
	char dir[] = "/tmp/pgtviz-logcheck-XXXXXX";
	REQUIRE(mkdtemp(dir));
	char p[256];
	pgt_diags d;
	pgt_dmesg dm;
	pgt_logcheck r;

	snprintf(p, sizeof(p), "%s/nowriter.fifo", dir);
	REQUIRE(mkfifo(p, 0600) == 0);
	refused_with(p, "cannot read '");
	refused_with(p, "not a regular file (a FIFO (named pipe))");
	int hold = open(p, O_RDWR | O_NONBLOCK); /* a writer that never closes */
	REQUIRE(hold >= 0);
	REQUIRE(write(hold, "[    0.000000] Linux version 3.9.8\n", 35) == 35);
	refused_with(p, "not a regular file (a FIFO (named pipe))");
	close(hold);
	unlink(p);

	refused_with("/dev/zero",
	             "cannot read '/dev/zero': not a regular file (a character device)");
	refused_with(dir, "not a regular file (a directory)");

	snprintf(p, sizeof(p), "%s/loop", dir);
	REQUIRE(symlink(p, p) == 0);
	refused_with(p, strerror(ELOOP));
	unlink(p);

	/* over 64 MiB: refused from its size (sparse: nothing is read) */
	snprintf(p, sizeof(p), "%s/huge.log", dir);
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	REQUIRE(fd >= 0);
	REQUIRE(ftruncate(fd, 70 << 20) == 0);
	close(fd);
	refused_with(p, "too large (73400320 bytes; the limit is 64 MiB)");
	unlink(p);

	/* 60 MB: a real log and 700,000 more lines, checked like the log */
	size_t len;
	char *text = slurp(LOG_006, &len);
	REQUIRE(text);
	snprintf(p, sizeof(p), "%s/big.log", dir);
	FILE *f = fopen(p, "wb");
	REQUIRE(f);
	fwrite(text, 1, len, f);
	static const char filler[] = "[    1.000000] ACPI: Local APIC address 0xfee00000 and some "
	                             "more text to fill the line\n";
	for (int i = 0; i < 700000; i++)
		fputs(filler, f);
	REQUIRE(fclose(f) == 0);
	pgt_diags_init(&d, "test");
	CHECK(pgt_logcheck_file(p, &dm, &r, &d) == 1);
	CHECK_U64(r.n_log, 19);
	CHECK_U64(r.matched, 19);
	pgt_logcheck_free(&r);
	pgt_dmesg_free(&dm);
	pgt_diags_free(&d);
	unlink(p);

	/* UTF-16: named, with the conversion to run */
	snprintf(p, sizeof(p), "%s/utf16.log", dir);
	f = fopen(p, "wb");
	REQUIRE(f);
	fputc(0xff, f);
	fputc(0xfe, f);
	for (size_t i = 0; i < len && i < 4096; i++) {
		fputc(text[i], f);
		fputc(0, f);
	}
	REQUIRE(fclose(f) == 0);
	refused_with(p, "UTF-16LE");
	unlink(p);

	/* binary: not a dmesg log (0: the panel says to open a log) */
	snprintf(p, sizeof(p), "%s/binary.bin", dir);
	f = fopen(p, "wb");
	REQUIRE(f);
	fwrite("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 1, 16, f);
	REQUIRE(fclose(f) == 0);
	pgt_diags_init(&d, "test");
	CHECK(pgt_logcheck_file(p, &dm, &r, &d) == 0);
	CHECK_U64(d.errors, 0);
	pgt_diags_free(&d);
	unlink(p);

	free(text);
	rmdir(dir);
}

int main(void)
{
	test_real_log_matches();
	test_edited_log();
	test_memblock_pages();
	test_refused();
	test_window_file_reading();
	printf("%d passed, %d failed\n", t_passed, t_failed);
	return t_failed != 0;
}
