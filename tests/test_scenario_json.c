/*
 * Scenario JSON: reader, writer, shipped files, bad inputs, and the
 * SCENARIO argument of the commands.
 *
 * - Round trips: every built-in, and a scenario that sets every field, are
 *   written and read back equal; writing is stable.
 * - Shipped files: each .json file in scenarios/ loads without a diagnostic, is in
 *   the writer's layout, and describes the same machine as the
 *   built-in of the same name (and every built-in has a file).
 * - Bad inputs: each tests/bad/scenario/NAME.json is loaded and its printed
 *   diagnostics must equal NAME.expect byte for byte (the load must fail iff
 *   an "error:" is expected).  Adding a case is adding those two files;
 *   PGTVIZ_BLESS=1 rewrites the .expect files (review the diff).
 * - Inputs that cannot be files in the repo (16 MiB, 60 errors) are built
 *   here.
 * - app_load_scenario: scenario_arg.c is compiled into this test so its
 *   messages can be checked without running the program.
 */
#include "t.h"

#include "pgtviz/scenario_json.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/app/scenario_arg.c"

#define BAD_DIR PGTVIZ_TEST_DIR "/bad/scenario"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

/* Reads a whole file; NULL if it cannot. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *grown = realloc(buf, cap * 2 + 1);
			if (!grown) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = grown;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

static bool str_eq(const char *a, const char *b)
{
	return (a && b) ? strcmp(a, b) == 0 : a == b;
}

/* The first field in which two scenarios differ, or NULL.  With
 * machine_only, the texts (title, description, notes) are not compared and
 * kernel_start 0 is read as its default, 16 MiB. */
static const char *scenario_diff(const pgt_scenario *a, const pgt_scenario *b, bool machine_only)
{
	uint64_t ks_a = a->kernel_start, ks_b = b->kernel_start;
	if (machine_only) {
		ks_a = ks_a ? ks_a : 0x1000000;
		ks_b = ks_b ? ks_b : 0x1000000;
	}
	if (!str_eq(a->name, b->name))
		return "name";
	if (!machine_only && !str_eq(a->title, b->title))
		return "title";
	if (!machine_only && !str_eq(a->description, b->description))
		return "description";
	if (a->kver != b->kver)
		return "kver";
	if (a->schemes[0] != b->schemes[0] || a->schemes[1] != b->schemes[1])
		return "schemes";
	if (a->cpu.pse != b->cpu.pse || a->cpu.gbpages != b->cpu.gbpages ||
	    a->cpu.debug_pagealloc != b->cpu.debug_pagealloc)
		return "cpu";
	if (a->xen_pv != b->xen_pv || a->xen_rule != b->xen_rule)
		return "xen";
	if (a->kaslr_memory != b->kaslr_memory || a->sizing != b->sizing)
		return "kaslr_memory/sizing";
	if (a->n_e820 != b->n_e820)
		return "e820";
	for (size_t i = 0; i < a->n_e820; i++) /* field by field: structs have padding */
		if (a->e820[i].start != b->e820[i].start || a->e820[i].end != b->e820[i].end ||
		    a->e820[i].type != b->e820[i].type)
			return "e820";
	if (a->n_edits != b->n_edits)
		return "e820_edits";
	for (size_t i = 0; i < a->n_edits; i++)
		if (a->edits[i].start != b->edits[i].start || a->edits[i].end != b->edits[i].end ||
		    a->edits[i].from_type != b->edits[i].from_type ||
		    a->edits[i].to_type != b->edits[i].to_type)
			return "e820_edits";
	if (a->n_resv != b->n_resv)
		return "reservations";
	for (size_t i = 0; i < a->n_resv; i++)
		if (a->resv[i].start != b->resv[i].start || a->resv[i].end != b->resv[i].end ||
		    a->resv[i].kind != b->resv[i].kind ||
		    strcmp(a->resv[i].label, b->resv[i].label))
			return "reservations";
	if (ks_a != ks_b || a->kernel_end != b->kernel_end || a->brk_base != b->brk_base ||
	    a->xen_mapped_end != b->xen_mapped_end)
		return "kernel_start/kernel_end/brk_base/xen_mapped_end";
	if (a->mem_limit != b->mem_limit || a->nogbpages != b->nogbpages ||
	    a->movable_node != b->movable_node || a->reservelow != b->reservelow ||
	    a->crashkernel != b->crashkernel)
		return "cmdline";
	if (a->bits != b->bits || a->pae != b->pae || a->highmem != b->highmem ||
	    a->lowmem_end != b->lowmem_end || a->fixmap_size != b->fixmap_size)
		return "i386";
	if (machine_only)
		return NULL;
	if (a->n_notes != b->n_notes)
		return "notes";
	for (size_t i = 0; i < a->n_notes; i++)
		if (!str_eq(a->notes[i].at, b->notes[i].at) ||
		    !str_eq(a->notes[i].text, b->notes[i].text) ||
		    !str_eq(a->notes[i].brief, b->notes[i].brief))
			return "notes";
	return NULL;
}

/* Loads text; returns the printed diagnostics (malloc'ed) and *ok. */
static char *load_text(const char *name, const char *text, size_t len, pgt_scenario *sc, bool *ok)
{
	char *out = NULL;
	size_t out_len = 0;
	pgt_diags d;
	pgt_diags_init(&d, name);
	memset(sc, 0, sizeof(*sc));
	*ok = pgt_scenario_from_json(text, len, sc, &d);
	FILE *mem = open_memstream(&out, &out_len);
	if (mem) {
		pgt_diags_print(&d, mem);
		fclose(mem);
	}
	pgt_diags_free(&d);
	return out;
}

/* Writes sc, reads it back, and checks the two are equal. */
static void check_roundtrip(const pgt_scenario *sc, const char *what)
{
	char *text = pgt_scenario_to_json(sc, NULL, 0);
	REQUIRE(text != NULL);
	pgt_scenario back;
	bool ok;
	char *diags = load_text(what, text, strlen(text), &back, &ok);
	CHECK(ok);
	CHECK_STR(diags, "");
	const char *diff = scenario_diff(sc, &back, false);
	if (diff)
		fprintf(stderr, "%s: round trip changes %s\n%s", what, diff, text);
	CHECK(diff == NULL);
	char *again = pgt_scenario_to_json(&back, NULL, 0);
	CHECK_STR(again, text); /* writing is stable */
	free(again);
	free(diags);
	free(text);
	pgt_scenario_clear(&back);
}

/* ------------------------------------------------------------------------ */
/* Round trips and the writer                                               */
/* ------------------------------------------------------------------------ */

static void test_roundtrip_builtins(void)
{
	REQUIRE(pgt_builtin_count() > 0);
	for (size_t i = 0; i < pgt_builtin_count(); i++) {
		pgt_scenario sc;
		memset(&sc, 0, sizeof(sc));
		REQUIRE(pgt_builtin_load(i, &sc));
		check_roundtrip(&sc, pgt_builtin_name(i));
		pgt_scenario_clear(&sc);
	}
}

/* A scenario in which every field differs from its default. */
static void fill_everything(pgt_scenario *sc)
{
	memset(sc, 0, sizeof(*sc));
	pgt_scenario_set_str(&sc->name, "every-field");
	pgt_scenario_set_str(&sc->title, "Quotes \" backslash \\ tab\t and \xc3\xa9\xe2\x82\xac");
	pgt_scenario_set_str(&sc->description, "Two\nlines, a control \x01 char.");
	sc->kver = PGT_KVER(2, 6, 39);
	sc->schemes[0] = PGT_SCHEME_CHUNKEND;
	sc->schemes[1] = PGT_SCHEME_BOTTOMUP;
	sc->cpu = (pgt_cpu){false, true, true};
	sc->xen_pv = true;
	sc->xen_rule = PGT_XEN_RULE_TOP;
	sc->sizing = PGT_SIZING_B;
	sc->kaslr_memory = true;
	pgt_scenario_add_e820(sc, 0x0, 0x9fc00, PGT_E820_RAM);
	pgt_scenario_add_e820(sc, 0x100000, 0x200000, PGT_E820_RESERVED_KERN);
	pgt_scenario_add_e820(sc, 0x200000, 0x300000, PGT_E820_PRAM);
	pgt_scenario_add_e820(sc, 0x300000, 0x400000, PGT_E820_PMEM);
	pgt_scenario_add_e820(sc, 0x400000, 0x500000, PGT_E820_SOFT_RESERVED);
	pgt_scenario_add_e820(sc, 0x500000, 0x600000, 20);
	pgt_scenario_add_e820(sc, 0x600000, 0x700000, PGT_E820_UNUSABLE);
	pgt_scenario_add_e820(sc, 0x100000000, 0x400000000000, PGT_E820_RAM);
	pgt_scenario_add_edit(sc, 0x0, 0x1000, PGT_E820_RAM, PGT_E820_RESERVED);
	pgt_scenario_add_edit(sc, 0xa0000, 0x100000, 0, 0);
	pgt_scenario_add_edit(sc, 0x5000, 0x6000, 20, PGT_E820_NVS);
	pgt_scenario_add_resv(sc, 0x9f000, 0x100000, PGT_RESV_EBDA, NULL);
	pgt_scenario_add_resv(sc, 0x3f6e0000, 0x3fffe000, PGT_RESV_INITRD, "");
	pgt_scenario_add_resv(sc, 0x1000, 0x2000, PGT_RESV_SETUP_DATA, "setup_data #1 (EFI)");
	pgt_scenario_add_resv(sc, 0x3000, 0x4000, PGT_RESV_XEN, "p2m");
	pgt_scenario_add_resv(sc, 0x5000, 0x6000, PGT_RESV_CRASHKERNEL, NULL);
	pgt_scenario_add_resv(sc, 0x6000, 0x7000, PGT_RESV_OTHER,
	                      "0123456789012345678901234567890");
	pgt_scenario_add_resv(sc, 0x7000, 0x8000, PGT_RESV_KERNEL, "kernel");
	sc->kernel_start = 0x2000000;
	sc->kernel_end = 0x2c5f123;
	sc->brk_base = 0x2c60000;
	sc->xen_mapped_end = 0x3000000;
	sc->mem_limit = 0x3ffffffff;
	sc->nogbpages = true;
	sc->movable_node = true;
	sc->reservelow = 0x1000;
	sc->crashkernel = 0x8000000;
	pgt_scenario_add_note(sc, "call:2", "\"Quoted\", \\, \xf0\x9f\x90\xa7 and \u00e9");
	pgt_scenario_add_note(sc, "event:17", "line one\nline two");
	pgt_scenario_add_note(sc, "panic", "x");
	/* a note with a short wording for small canvases */
	pgt_scenario_add_note(sc, "violation", "a long wording");
	pgt_scenario_set_str(&sc->notes[sc->n_notes - 1].brief, "short \"one\"");
}

static void test_roundtrip_everything(void)
{
	pgt_scenario sc;
	fill_everything(&sc);
	check_roundtrip(&sc, "every-field");
	/* one scheme only */
	sc.schemes[1] = -1;
	check_roundtrip(&sc, "one-scheme");
	/* the i386 block with every key */
	sc.bits = 32;
	sc.pae = true;
	sc.highmem = true;
	sc.lowmem_end = 0x373fe000;
	sc.fixmap_size = 0x116000;
	check_roundtrip(&sc, "i386");
	sc.bits = 0;
	sc.pae = sc.highmem = false;
	sc.lowmem_end = sc.fixmap_size = 0;
	/* no optional parts at all */
	pgt_scenario_clear(&sc);
	pgt_scenario_set_str(&sc.name, "bare");
	pgt_scenario_add_e820(&sc, 0, 0x1000000, PGT_E820_RAM);
	sc.schemes[1] = PGT_SCHEME_TOPDOWN;
	check_roundtrip(&sc, "bare");
	pgt_scenario_clear(&sc);
}

/* The writer's exact layout (what `pgtviz import` produces). */
static void test_writer_layout(void)
{
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	pgt_scenario_set_str(&sc.name, "tiny");
	sc.kver = PGT_KVER(3, 9, 8);
	sc.schemes[0] = PGT_SCHEME_TOPDOWN;
	sc.schemes[1] = -1;
	sc.cpu.pse = true;
	sc.brk_base = 0x1fd7000;
	sc.nogbpages = true;
	sc.reservelow = 0x10000;
	pgt_scenario_add_e820(&sc, 0x0, 0x9fc00, PGT_E820_RAM);
	pgt_scenario_add_e820(&sc, 0x100000, 0x40000000, PGT_E820_RAM);
	pgt_scenario_add_e820(&sc, 0x40000000, 0x40001000, 20);
	pgt_scenario_add_edit(&sc, 0x0, 0x1000, PGT_E820_RAM, PGT_E820_RESERVED);
	pgt_scenario_add_edit(&sc, 0xa0000, 0x100000, 0, 0);
	pgt_scenario_add_resv(&sc, 0x3f000000, 0x3f800000, PGT_RESV_INITRD, NULL);
	pgt_scenario_add_note(&sc, "call:1", "ISA");
	const pgt_source_kv src[] = {{"e820", "log line 12: BIOS-e820: ..."},
	                             {"kver", "log line 1: \"Linux version 3.9.8\""}};
	char *text = pgt_scenario_to_json(&sc, src, 2);
	CHECK_STR(
	    text,
	    "{\n"
	    "  \"format\": \"pgtviz-scenario/1\",\n"
	    "  \"name\": \"tiny\",\n"
	    "  \"kernel\": \"3.9.8\",\n"
	    "  \"schemes\": [\"top-down\"],\n"
	    "  \"cpu\": { \"pse\": true, \"gbpages\": false, \"debug_pagealloc\": false },\n"
	    "  \"xen_pv\": false,\n"
	    "  \"xen_rule\": \"auto\",\n"
	    "  \"sizing\": \"auto\",\n"
	    "  \"kaslr_memory\": false,\n"
	    "  \"brk_base\": \"0x1fd7000\",\n"
	    "  \"cmdline\": { \"nogbpages\": true, \"reservelow\": \"0x10000\" },\n"
	    "  \"e820\": [\n"
	    "    { \"start\": \"0x0\", \"end\": \"0x9fc00\", \"type\": \"usable\" },\n"
	    "    { \"start\": \"0x100000\", \"end\": \"0x40000000\", \"type\": \"usable\" },\n"
	    "    { \"start\": \"0x40000000\", \"end\": \"0x40001000\", \"type\": 20 }\n"
	    "  ],\n"
	    "  \"e820_edits\": [\n"
	    "    { \"start\": \"0x0\", \"end\": \"0x1000\", \"from\": \"usable\", \"to\": "
	    "\"reserved\" },\n"
	    "    { \"start\": \"0xa0000\", \"end\": \"0x100000\", \"to\": \"remove\" }\n"
	    "  ],\n"
	    "  \"reservations\": [\n"
	    "    { \"start\": \"0x3f000000\", \"end\": \"0x3f800000\", \"kind\": \"initrd\" }\n"
	    "  ],\n"
	    "  \"notes\": [\n"
	    "    { \"at\": \"call:1\", \"text\": \"ISA\" }\n"
	    "  ],\n"
	    "  \"source\": {\n"
	    "    \"e820\": \"log line 12: BIOS-e820: ...\",\n"
	    "    \"kver\": \"log line 1: \\\"Linux version 3.9.8\\\"\"\n"
	    "  }\n"
	    "}\n");
	/* the source block is read and ignored */
	pgt_scenario back;
	bool ok;
	char *diags = load_text("tiny.json", text, strlen(text), &back, &ok);
	CHECK(ok);
	CHECK_STR(diags, "");
	CHECK(scenario_diff(&sc, &back, false) == NULL);
	free(diags);
	free(text);
	pgt_scenario_clear(&back);
	pgt_scenario_clear(&sc);
}

/* Defaults of a minimal file, and the accepted spellings. */
static void test_minimal_and_spellings(void)
{
	static const char text[] =
	    "\xef\xbb\xbf{ \"format\": \"pgtviz-scenario/1\", \"name\": \"m\",\n"
	    "  \"e820\": [ { \"start\": \"0x0\", \"last\": \"0x9FBFF\", \"type\": \"usable\" },\n"
	    "            { \"start\": \"0X100000\", \"end\": \"0x200000\", \"type\": 1 },\n"
	    "            { \"start\": \"0x200000\", \"end\": \"0x300000\", \"type\": \"type 20\" "
	    "},\n"
	    "            { \"start\": \"0x300000\", \"end\": \"0x400000\",\n"
	    "              \"type\": \"persistent (type 12)\" } ],\n"
	    "  \"e820_edits\": [ { \"start\": \"0x0\", \"end\": \"0x1000\", \"from\": \"any\",\n"
	    "                    \"to\": \"reserved\" } ],\n"
	    "  \"schemes\": [\"old\", \"new\"],\n"
	    "  \"cmdline\": { \"mem\": \"4G\", \"crashkernel\": \"128M\", \"reservelow\": \"64K\" "
	    "} }\n";
	pgt_scenario sc;
	bool ok;
	char *diags = load_text("m.json", text, sizeof(text) - 1, &sc, &ok);
	CHECK(ok);
	CHECK_STR(diags, "");
	CHECK_STR(sc.name, "m");
	CHECK(sc.title == NULL && sc.description == NULL);
	CHECK_U64(sc.kver, 0);
	CHECK(sc.schemes[0] == PGT_SCHEME_PGTBUF && sc.schemes[1] == PGT_SCHEME_TOPDOWN);
	CHECK(sc.cpu.pse && !sc.cpu.gbpages && !sc.cpu.debug_pagealloc);
	CHECK(!sc.xen_pv && sc.xen_rule == PGT_XEN_RULE_AUTO && sc.sizing == PGT_SIZING_AUTO);
	REQUIRE(sc.n_e820 == 4);
	CHECK_U64(sc.e820[0].end, 0x9fc00);
	CHECK_U64(sc.e820[1].start, 0x100000);
	CHECK_U64(sc.e820[2].type, 20);
	CHECK_U64(sc.e820[3].type, 12);
	REQUIRE(sc.n_edits == 1);
	CHECK_U64(sc.edits[0].from_type, 0);
	CHECK_U64(sc.edits[0].to_type, PGT_E820_RESERVED);
	CHECK_U64(sc.mem_limit, 0x100000000);
	CHECK_U64(sc.crashkernel, 0x8000000);
	CHECK_U64(sc.reservelow, 0x10000);
	free(diags);
	pgt_scenario_clear(&sc);
}

/* ------------------------------------------------------------------------ */
/* Shipped scenario files                                                   */
/* ------------------------------------------------------------------------ */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the files in dir ending in ext (malloc'ed). */
static size_t list_dir(const char *dir, const char *ext, char ***out)
{
	DIR *d = opendir(dir);
	size_t n = 0, cap = 0, el = strlen(ext);
	char **names = NULL;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len <= el || strcmp(e->d_name + len - el, ext) != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			char **grown = realloc(names, cap * sizeof(*names));
			if (!grown)
				break;
			names = grown;
		}
		names[n++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	*out = names;
	return n;
}

static void free_list(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void check_shipped_file(const char *dir, const char *file)
{
	char path[1024];
	size_t len;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	char *text = slurp(path, &len);
	REQUIRE(text != NULL);
	pgt_scenario sc;
	bool ok;
	char *diags = load_text(file, text, len, &sc, &ok);
	CHECK(ok);
	CHECK_STR(diags, "");
	/* file name = scenario name, so "pgtviz window NAME" finds it */
	CHECK(sc.name && strlen(file) == strlen(sc.name) + 5 &&
	      strncmp(file, sc.name, strlen(sc.name)) == 0);
	CHECK(sc.title && sc.description && sc.n_notes > 0);
	/* the files are kept in the writer's layout */
	char *canonical = ok ? pgt_scenario_to_json(&sc, NULL, 0) : NULL;
	if (canonical && strcmp(canonical, text) != 0)
		fprintf(stderr, "%s is not in the writer's layout; it writes:\n%s", file,
		        canonical);
	CHECK_STR(canonical, text);
	/* same machine as the built-in */
	int b = sc.name ? pgt_builtin_find(sc.name) : -1;
	if (b >= 0) {
		pgt_scenario bi;
		memset(&bi, 0, sizeof(bi));
		REQUIRE(pgt_builtin_load((size_t)b, &bi));
		const char *diff = scenario_diff(&sc, &bi, true);
		if (diff)
			fprintf(stderr, "%s and built-in %s differ in %s\n", file, sc.name, diff);
		CHECK(diff == NULL);
		pgt_scenario_clear(&bi);
	}
	free(canonical);
	free(diags);
	free(text);
	pgt_scenario_clear(&sc);
}

static void test_shipped_files(void)
{
	char **names;
	size_t n = list_dir(PGTVIZ_SCENARIO_DIR, ".json", &names);
	CHECK(n >= 4);
	for (size_t i = 0; i < n; i++) {
		int before = t_failed;
		check_shipped_file(PGTVIZ_SCENARIO_DIR, names[i]);
		if (t_failed != before)
			fprintf(stderr, "  in scenarios/%s\n", names[i]);
	}
	/* every built-in ships as a file */
	for (size_t i = 0; i < pgt_builtin_count(); i++) {
		char path[1024];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s.json", PGTVIZ_SCENARIO_DIR,
		         pgt_builtin_name(i));
		if (stat(path, &st) != 0)
			fprintf(stderr, "built-in %s has no scenarios/%s.json\n",
			        pgt_builtin_name(i), pgt_builtin_name(i));
		CHECK(stat(path, &st) == 0);
	}
	free_list(names, n);
}

/* ------------------------------------------------------------------------ */
/* Bad inputs: tests/bad/scenario/NAME.json + NAME.expect                   */
/* ------------------------------------------------------------------------ */

static void check_bad_file(const char *file, bool bless)
{
	char path[1024], expect_path[1024];
	size_t len, elen = 0;
	snprintf(path, sizeof(path), "%s/%s", BAD_DIR, file);
	snprintf(expect_path, sizeof(expect_path), "%s/%.*s.expect", BAD_DIR,
	         (int)(strlen(file) - 5), file);
	char *text = slurp(path, &len);
	REQUIRE(text != NULL);
	pgt_scenario sc;
	bool ok;
	char *got = load_text(file, text, len, &sc, &ok);
	REQUIRE(got != NULL);
	if (bless) {
		FILE *f = fopen(expect_path, "wb");
		if (f) {
			fputs(got, f);
			fclose(f);
		}
	}
	char *expect = slurp(expect_path, &elen);
	if (!expect)
		fprintf(stderr, "missing %s\n", expect_path);
	CHECK(expect != NULL);
	if (expect) {
		CHECK_STR(got, expect);
		CHECK(ok == (strstr(expect, ": error: ") == NULL));
	}
	CHECK(got[0] != '\0'); /* every case says something */
	if (!ok)
		CHECK(sc.n_e820 == 0 && sc.name == NULL); /* cleared on failure */
	free(expect);
	free(got);
	free(text);
	pgt_scenario_clear(&sc);
}

static void test_bad_files(void)
{
	char **names;
	const char *bless = getenv("PGTVIZ_BLESS");
	size_t n = list_dir(BAD_DIR, ".json", &names);
	CHECK(n >= 40);
	for (size_t i = 0; i < n; i++) {
		int before = t_failed;
		check_bad_file(names[i], bless && strcmp(bless, "1") == 0);
		if (t_failed != before)
			fprintf(stderr, "  in tests/bad/scenario/%s\n", names[i]);
	}
	free_list(names, n);
	/* every .expect has its .json */
	n = list_dir(BAD_DIR, ".expect", &names);
	for (size_t i = 0; i < n; i++) {
		char path[1024];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%.*s.json", BAD_DIR, (int)(strlen(names[i]) - 7),
		         names[i]);
		CHECK(stat(path, &st) == 0);
	}
	free_list(names, n);
}

/* More than 16 MiB: refused before anything else is looked at. */
static void test_huge_input(void)
{
	size_t len = ((size_t)16 << 20) + 1;
	char *text = malloc(len);
	REQUIRE(text != NULL);
	memset(text, ' ', len);
	text[0] = '{';
	text[len - 1] = '}';
	pgt_scenario sc;
	bool ok;
	char *got = load_text("huge.json", text, len, &sc, &ok);
	CHECK(!ok);
	CHECK_STR(got,
	          "huge.json: error: file is too large (16777217 bytes; the limit is 16 MiB)\n");
	free(got);
	free(text);
}

/* After 50 errors the rest are counted, not listed. */
static void test_error_cap(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	REQUIRE(f != NULL);
	fprintf(f, "{\"format\": \"pgtviz-scenario/1\", \"name\": \"many\", \"e820\": [\n");
	for (int i = 0; i < 60; i++)
		fprintf(f, "%s{\"start\": \"0x2000\", \"end\": \"0x1000\", \"type\": \"usable\"}\n",
		        i ? "," : "");
	fprintf(f, "]}\n");
	fclose(f);
	pgt_scenario sc;
	bool ok;
	char *got = load_text("many.json", text, len, &sc, &ok);
	CHECK(!ok);
	REQUIRE(got != NULL);
	size_t lines = 0;
	for (const char *p = got; *p; p++)
		lines += *p == '\n';
	if (lines != 51 || strncmp(got, "many.json:2:", 12) != 0)
		fprintf(stderr, "%s", got);
	CHECK(lines == 51);
	CHECK(
	    strstr(got, "many.json:2:28: error: /e820/0/end: end 0x1000 is below start 0x2000\n") ==
	    got);
	CHECK(strstr(got, "many.json:51:29: error: /e820/49/end:") != NULL);
	CHECK(strstr(got, "many.json: note: 10 more errors not shown\n") != NULL);
	free(got);
	free(text);
}

/* ------------------------------------------------------------------------ */
/* app_load_scenario (scenario_arg.c)                                       */
/* ------------------------------------------------------------------------ */

/* Runs load_scenario() and returns its diagnostics as printed (malloc'ed). */
static char *arg_load(const char *arg, pgt_scenario *sc, bool *ok)
{
	char *out = NULL;
	size_t len = 0;
	pgt_diags dg;
	pgt_diags_init(&dg, NULL);
	*ok = load_scenario(arg, sc, &dg, PGTVIZ_SCENARIO_DIR);
	FILE *f = open_memstream(&out, &len);
	if (f) {
		pgt_diags_print(&dg, f);
		fclose(f);
	}
	pgt_diags_free(&dg);
	return out;
}

/* A temporary file with the given contents; path in buf.  (No suffix: the
 * loader tells logs from JSON by their contents.) */
static bool temp_file(char *buf, size_t size, const char *text, size_t len)
{
	snprintf(buf, size, "/tmp/pgtviz-test-XXXXXX");
	int fd = mkstemp(buf);
	if (fd < 0)
		return false;
	bool ok = write(fd, text, len) == (ssize_t)len;
	close(fd);
	return ok;
}

static void test_arg_builtin_and_names(void)
{
	pgt_scenario sc;
	bool ok;
	char *msg = arg_load("qemu-1g", &sc, &ok);
	CHECK(ok);
	CHECK_STR(msg, "");
	CHECK_STR(sc.name, "qemu-1g");
	free(msg);
	pgt_scenario_clear(&sc);
	/* not a built-in, not in the current directory: the shipped file */
	msg = arg_load("pc-4g.json", &sc, &ok);
	CHECK(ok);
	CHECK_STR(msg, "");
	CHECK_STR(sc.name, "pc-4g");
	CHECK(sc.n_notes > 0); /* read from the file, not the built-in */
	free(msg);
	pgt_scenario_clear(&sc);
}

static void test_arg_errors(void)
{
	pgt_scenario sc;
	bool ok;
	char expect[1024] = "pgtviz: error: 'no-such-scenario' is neither a built-in scenario (";
	for (size_t i = 0; i < pgt_builtin_count(); i++) {
		strcat(expect, i ? ", " : "");
		strcat(expect, pgt_builtin_name(i));
	}
	strcat(expect, ") nor a readable file\n");
	char *msg = arg_load("no-such-scenario", &sc, &ok);
	CHECK(!ok);
	CHECK_STR(msg, expect);
	free(msg);

	msg = arg_load(PGTVIZ_TEST_DIR, &sc, &ok);
	CHECK(!ok);
	snprintf(expect, sizeof(expect),
	         "pgtviz: error: '%s' is a directory, not a scenario file or a log\n",
	         PGTVIZ_TEST_DIR);
	CHECK_STR(msg, expect);
	free(msg);

	/* a file that is neither JSON nor a log */
	char path[256];
	REQUIRE(temp_file(path, sizeof(path), "hello world\n", 12));
	msg = arg_load(path, &sc, &ok);
	CHECK(!ok);
	snprintf(
	    expect, sizeof(expect),
	    "%s:1:1: error: (root): unexpected word 'hello' (JSON literals are true, false and "
	    "null; strings need double quotes)\n"
	    "pgtviz: note: '%s' was read as scenario JSON: it does not look like a dmesg log "
	    "either\n",
	    path, path);
	CHECK_STR(msg, expect);
	free(msg);

	/* larger than any input may be: refused without reading */
	int fd = open(path, O_WRONLY);
	REQUIRE(fd >= 0);
	CHECK(ftruncate(fd, (off_t)65 << 20) == 0);
	close(fd);
	msg = arg_load(path, &sc, &ok);
	CHECK(!ok);
	snprintf(expect, sizeof(expect),
	         "pgtviz: error: '%s' is too large (68157440 bytes; the limit is 64 MiB)\n", path);
	CHECK_STR(msg, expect);
	free(msg);

	/* unreadable (root reads everything, so only checked as a user) */
	if (geteuid() != 0 && chmod(path, 0) == 0) {
		msg = arg_load(path, &sc, &ok);
		CHECK(!ok);
		snprintf(expect, sizeof(expect), "pgtviz: error: cannot read '%s': %s\n", path,
		         strerror(EACCES));
		CHECK_STR(msg, expect);
		free(msg);
	}
	unlink(path);
}

static void test_arg_files(void)
{
	static const char json[] = "{\"format\": \"pgtviz-scenario/1\", \"name\": \"t\",\n"
	                           " \"e820\": [{\"start\": \"0x0\", \"end\": \"0x100000\", "
	                           "\"type\": \"usable\"}],\n \"xen_pv\": 1}\n";
	static const char log[] =
	    "[    0.000000] Linux version 3.9.8-030908-generic (apw@gomeisa) (gcc version 4.6.3) "
	    "#201306271449 SMP Thu Jun 27 18:50:53 UTC 2013\n"
	    "[    0.000000] e820: BIOS-provided physical RAM map:\n"
	    "[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
	    "[    0.000000] BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\n"
	    "[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000003fffdfff] usable\n"
	    "[    0.000000] NX (Execute Disable) protection: active\n";
	char path[256], expect[1024];
	pgt_scenario sc;
	bool ok;
	REQUIRE(temp_file(path, sizeof(path), json, sizeof(json) - 1));
	char *msg = arg_load(path, &sc, &ok);
	CHECK(!ok);
	snprintf(expect, sizeof(expect),
	         "%s:3:12: error: /xen_pv: expected true or false, got a number\n", path);
	CHECK_STR(msg, expect);
	free(msg);
	unlink(path);

	REQUIRE(temp_file(path, sizeof(path), log, sizeof(log) - 1));
	msg = arg_load(path, &sc, &ok);
	if (!ok)
		fprintf(stderr, "%s", msg);
	CHECK(ok);
	CHECK(sc.n_e820 == 3);
	if (sc.n_e820 == 3)
		CHECK_U64(sc.e820[2].end, 0x3fffe000);
	free(msg);
	pgt_scenario_clear(&sc);
	unlink(path);
}

/* Line ends: "\n", "\r\n" and a lone "\r" all count; UTF-16 is named. */
static void test_line_ends_and_utf16(void)
{
	static const char *const texts[] = {
	    "{\n  \"format\": \"pgtviz-scenario/1\",\n  \"name\": \"x\"\n  \"e820\": []\n}\n",
	    "{\r\n  \"format\": \"pgtviz-scenario/1\",\r\n  \"name\": \"x\"\r\n  \"e820\": "
	    "[]\r\n}\r\n",
	    "{\r  \"format\": \"pgtviz-scenario/1\",\r  \"name\": \"x\"\r  \"e820\": []\r}\r",
	};
	pgt_scenario sc;
	bool ok;
	for (size_t i = 0; i < 3; i++) {
		char *diags = load_text("t.json", texts[i], strlen(texts[i]), &sc, &ok);
		CHECK(!ok);
		CHECK_STR(diags,
		          "t.json:4:3: error: (root): expected ',' or '}' after the value of "
		          "'name', found '\"' (missing comma?)\n");
		free(diags);
	}
	static const char u16[] = "\xfe\xff\0{\0\n\0 \0 \0\"";
	char *diags = load_text("t.json", u16, sizeof(u16) - 1, &sc, &ok);
	CHECK(!ok);
	CHECK_STR(diags,
	          "t.json:1:1: error: the file is UTF-16BE text (byte-order mark FE FF), not "
	          "UTF-8: convert it first, e.g. iconv -f UTF-16 -t UTF-8 't.json' > "
	          "'t.json.utf8'\n");
	free(diags);
}

/* The one printer: the same shape for a position in a file, a file, and
 * the program; copies keep their file; the first error is found. */
static void test_diag_shapes(void)
{
	pgt_diags a, b;
	pgt_diags_init(&a, "x.json");
	pgt_diags_init(&b, NULL);
	pgt_diags_add(&a, PGT_DIAG_WARNING, 3, 7, "odd value %d", 5);
	pgt_diags_add(&a, PGT_DIAG_ERROR, 4, 0, "bad line");
	pgt_diags_add_in(&b, "t.theme", PGT_DIAG_ERROR, 0, 0, "missing key 'bg'");
	pgt_diags_error(&b, "out of memory");
	pgt_diags_add_in(&b, NULL, PGT_DIAG_NOTE, 0, 0, "see %s", "there");
	pgt_diags_append(&b, &a);
	CHECK(b.n == 5 && b.errors == 3);
	char line[200];
	CHECK_STR(pgt_diags_format(&b, 0, line, sizeof(line)), "t.theme: error: missing key 'bg'");
	CHECK_STR(pgt_diags_format(&b, 1, line, sizeof(line)), "pgtviz: error: out of memory");
	CHECK_STR(pgt_diags_format(&b, 2, line, sizeof(line)), "pgtviz: note: see there");
	CHECK_STR(pgt_diags_format(&b, 3, line, sizeof(line)), "x.json:3:7: warning: odd value 5");
	CHECK_STR(pgt_diags_format(&b, 4, line, sizeof(line)), "x.json:4: error: bad line");
	CHECK(pgt_diags_first(&a, PGT_DIAG_ERROR, line, sizeof(line)));
	CHECK_STR(line, "x.json:4: error: bad line");
	CHECK(!pgt_diags_first(&a, PGT_DIAG_NOTE, line, sizeof(line)) && line[0] == '\0');
	/* a quoted argument or file name never carries a terminal escape
	 * through (--schemes 'o\033]0;pwn\007ld' was printed raw) */
	pgt_diags c;
	pgt_diags_init(&c, NULL);
	pgt_diags_add_in(&c, "a\033[2Jb", PGT_DIAG_ERROR, 0, 0, "'o\033]0;pwn\007ld\177' x\ty");
	CHECK_STR(pgt_diags_format(&c, 0, line, sizeof(line)),
	          "a?[2Jb: error: 'o?]0;pwn?ld?' x\ty");
	pgt_diags_free(&c);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	REQUIRE(f);
	pgt_diags_print(&b, f);
	fclose(f);
	CHECK(strstr(out, "pgtviz: note: see there\nx.json:3:7: warning: odd value 5\n") != NULL);
	free(out);
	pgt_diags_error(NULL, "dropped"); /* a NULL list takes nothing */
	pgt_diags_free(&a);
	pgt_diags_free(&b);
}

int main(void)
{
	RUN(test_roundtrip_builtins);
	RUN(test_roundtrip_everything);
	RUN(test_writer_layout);
	RUN(test_minimal_and_spellings);
	RUN(test_shipped_files);
	RUN(test_bad_files);
	RUN(test_huge_input);
	RUN(test_line_ends_and_utf16);
	RUN(test_error_cap);
	RUN(test_diag_shapes);
	RUN(test_arg_builtin_and_names);
	RUN(test_arg_errors);
	RUN(test_arg_files);
	return t_report();
}
