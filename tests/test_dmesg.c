/*
 * Unit tests of the dmesg importer (src/load/dmesg_*.c): every e820 format,
 * edits in order, version, paste damage (prefixes, CRLF, glued and wrapped
 * lines, junk, "# " headers), RAMDISK, BRK base, page sizes, Xen PV, 32-bit
 * and other-architecture detection, and the exact error messages for
 * unusable input.  The real logs in tests/realworld/ are imported too.
 */
#include "t.h"

#include "pgtviz/dmesg.h"
#include "pgtviz/scenario_json.h"

#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define TS "[    0.000000] "

/* A small, valid 3.8-era log; tests append to it. */
#define HEAD                                                                                       \
	TS "Linux version 3.8.0-31-generic (buildd@panlong) (gcc version 4.6.3) #46\n" TS          \
	   "Command line: BOOT_IMAGE=/vmlinuz ro quiet\n" TS                                       \
	   "e820: BIOS-provided physical RAM map:\n"
#define MAP                                                                                        \
	TS "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n" TS                    \
	   "BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\n" TS                  \
	   "BIOS-e820: [mem 0x0000000000100000-0x00000000bfedffff] usable\n" TS                    \
	   "BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] usable\n"
#define AFTER TS "NX (Execute Disable) protection: active\n"
#define BASE  HEAD MAP AFTER

static pgt_diags d;
static pgt_dmesg dm;

static bool imp(const char *text)
{
	pgt_dmesg_free(&dm);
	pgt_diags_free(&d);
	pgt_diags_init(&d, "t.log");
	return pgt_dmesg_import(text, strlen(text), &dm, &d);
}

/* The first diagnostic of a severity, as "line:col: msg". */
static const char *diag(int severity)
{
	static char buf[1200];
	for (size_t i = 0; i < d.n; i++)
		if (d.items[i].severity == severity) {
			snprintf(buf, sizeof(buf), "%d:%d: %s", d.items[i].line, d.items[i].col,
			         d.items[i].msg);
			return buf;
		}
	return "";
}

static const char *line_text(size_t i)
{
	return i < dm.n_lines ? dm.lines[i].text : "(none)";
}

static const pgt_resv *find_resv(int kind)
{
	for (size_t i = 0; i < dm.sc.n_resv; i++)
		if (dm.sc.resv[i].kind == kind)
			return &dm.sc.resv[i];
	return NULL;
}

/* ---- e820 formats ------------------------------------------------------ */

static void test_e820_new_format_inclusive_end(void)
{
	REQUIRE(imp(BASE));
	REQUIRE(dm.sc.n_e820 == 4);
	CHECK_U64(dm.sc.e820[0].start, 0);
	CHECK_U64(dm.sc.e820[0].end, 0x9fc00);
	CHECK_U64(dm.sc.e820[1].type, PGT_E820_RESERVED);
	CHECK_U64(dm.sc.e820[3].start, 0x100000000);
	CHECK_U64(dm.sc.e820[3].end, 0x140000000);
	CHECK_STR(pgt_dmesg_source(&dm, "e820"), "log lines 4-7 (BIOS-e820, 4 entries)");
	CHECK(dm.is_x86);
	CHECK(dm.bits == 64);
}

static void test_e820_old_format_exclusive_end(void)
{
	REQUIRE(imp(TS "Linux version 3.2.0-23-generic (x) #36\n" TS
	               "BIOS-provided physical RAM map:\n" TS
	               " BIOS-e820: 0000000000000000 - 000000000009fc00 (usable)\n" TS
	               " BIOS-e820: 000000000009fc00 - 00000000000a0000 (reserved)\n" TS
	               " BIOS-e820: 0000000000100000 - 00000000afd70000 (usable)\n" TS
	               " BIOS-e820: 00000000afeed000 - 00000000afeff000 (ACPI data)\n" TS
	               " BIOS-e820: 00000000afe58000 - 00000000afebf000 (ACPI NVS)\n" TS
	               " BIOS-e820: 0000000100000000 - 00000001c0000000 (usable)\n" AFTER));
	REQUIRE(dm.sc.n_e820 == 6);
	CHECK_U64(dm.sc.e820[0].end, 0x9fc00);
	CHECK_U64(dm.sc.e820[2].end, 0xafd70000);
	CHECK_U64(dm.sc.e820[3].type, PGT_E820_ACPI);
	CHECK_U64(dm.sc.e820[4].type, PGT_E820_NVS);
	CHECK_U64(dm.sc.e820[5].end, 0x1c0000000);
	CHECK_U64(dm.sc.kver, PGT_KVER(3, 2, 0));
}

static void test_e820_types(void)
{
	REQUIRE(imp(HEAD TS "BIOS-e820: [mem 0x0000000000000000-0x000000000009efff] usable\n" TS
	                    "BIOS-e820: [mem 0x0000000000100000-0x000000003ff25fff] usable\n" TS
	                    "BIOS-e820: [mem 0x000000003ff26000-0x000000003fffefff] type 20\n" TS
	                    "BIOS-e820: [mem 0x000000003ffff000-0x000000003fffffff] unusable\n" TS
	                    "BIOS-e820: [mem 0x0000000040000000-0x000000004fffffff] persistent "
	                    "(type 12)\n" TS
	                    "BIOS-e820: [mem 0x0000000050000000-0x000000005fffffff] type 99\n" TS
	                    " BIOS-e820: 0000000060000000 - 0000000070000000 type 20\n" AFTER));
	REQUIRE(dm.sc.n_e820 == 7);
	CHECK_U64(dm.sc.e820[2].type, 20);
	CHECK_U64(dm.sc.e820[3].type, PGT_E820_UNUSABLE);
	CHECK_U64(dm.sc.e820[4].type, PGT_E820_PRAM);
	CHECK_U64(dm.sc.e820[5].type, 99);
	CHECK_U64(dm.sc.e820[6].type, 20);
	/* an unknown name is a warning and becomes "reserved" */
	REQUIRE(imp(HEAD TS
	            "BIOS-e820: [mem 0x0000000000000000-0x000000000009efff] usable\n" TS
	            "BIOS-e820: [mem 0x0000000000100000-0x000000003fffffff] weird\n" AFTER));
	CHECK_U64(dm.sc.e820[1].type, PGT_E820_RESERVED);
	CHECK_STR(diag(PGT_DIAG_WARNING), "5:71: unknown e820 type 'weird'; treated as reserved");
}

static void test_e820_xen_entries_mean_xen_pv(void)
{
	REQUIRE(imp(TS "Linux version 3.2.0-20-generic (x) #33\n" TS
	               "BIOS-provided physical RAM map:\n" TS
	               " Xen: 0000000000000000 - 00000000000a0000 (usable)\n" TS
	               " Xen: 00000000000a0000 - 0000000000100000 (reserved)\n" TS
	               " Xen: 0000000000100000 - 0000000080800000 (usable)\n" TS
	               "init_memory_mapping: 0000000000000000-0000000080800000\n"));
	CHECK(dm.sc.xen_pv);
	CHECK(dm.sc.n_e820 == 3);
	CHECK_STR(pgt_dmesg_source(&dm, "xen_pv"),
	          "log line 3: the e820 map is printed as 'Xen:' entries");
	CHECK(!dm.sc.cpu.pse);
	REQUIRE(imp(TS "Linux version 6.12.21-gentoo (x) #1\n" TS
	               "Xen: [mem 0x0000000000000000-0x000000000009ffff] usable\n" TS
	               "Xen: [mem 0x0000000000100000-0x0000000078da2fff] usable\n" TS
	               "Xen: [mem 0x00000000795bc000-0x000000007969ffff] unusable\n" AFTER));
	CHECK(dm.sc.xen_pv);
	CHECK_U64(dm.sc.e820[2].type, PGT_E820_UNUSABLE);
}

/* "initial memory mapped" on x86-64 Xen PV: 2.6.31 - 2.6.38 print the last
 * page of the identity map xen_map_identity_early extended by 8 MiB (the
 * builder's end is 8 MiB lower); from 2.6.39-rc1 __pa(mfn_list), which is
 * not the builder's end at all.  Round trip: the 2.6.37 scenario imported
 * from the line prints the same line again. */
#define XEN_E820                                                                                   \
	TS " Xen: 0000000000000000 - 00000000000a0000 (usable)\n" TS                               \
	   " Xen: 00000000000a0000 - 0000000000100000 (reserved)\n" TS                             \
	   " Xen: 0000000000100000 - 0000000080000000 (usable)\n"
static void test_xen_initial_mapping_by_version(void)
{
	REQUIRE(imp(TS "Linux version 2.6.37 (x) #1\n" TS
	               "BIOS-provided physical RAM map:\n" XEN_E820 TS
	               "initial memory mapped : 0 - 02bff000\n"));
	CHECK(dm.sc.xen_pv);
	CHECK_U64(dm.sc.xen_mapped_end, 0x2400000); /* 44 MiB - 8 MiB */
	CHECK(strstr(pgt_dmesg_source(&dm, "xen_mapped_end"), "minus xen_map_identity_early"));
	pgt_run_opts o = pgt_run_opts_default(PGT_SCHEME_PGTBUF);
	o.xen = -1;
	pgt_sim *s = pgt_sim_run(&dm.sc, &o);
	REQUIRE(s);
	bool same = false;
	for (size_t i = 0; i < pgt_sim_log_count(s); i++)
		same = same ||
		       strcmp(pgt_sim_log(s, i)->text, "initial memory mapped : 0 - 02bff000") == 0;
	CHECK(same);
	pgt_sim_free(s);
	/* 2.6.39-rc1 and later: __pa(mfn_list); the builder's end stays the
	 * default */
	REQUIRE(imp(TS "Linux version 3.0.0 (x) #1\n" TS
	               "BIOS-provided physical RAM map:\n" XEN_E820 TS
	               "initial memory mapped : 0 - 01f10000\n"));
	CHECK(dm.sc.xen_pv);
	CHECK_U64(dm.sc.xen_mapped_end, 0);
	CHECK(strstr(pgt_dmesg_source(&dm, "xen_mapped_end"), "__pa(mfn_list)"));
	/* a value whose next page is not 2 MiB-aligned (the domain ended inside
	 * the extension): taken as it is */
	REQUIRE(imp(TS "Linux version 2.6.37 (x) #1\n" TS
	               "BIOS-provided physical RAM map:\n" XEN_E820 TS
	               "initial memory mapped : 0 - 02b00000\n"));
	CHECK_U64(dm.sc.xen_mapped_end, 0x2b00000);
}

static void test_xen_hvm_is_not_pv(void)
{
	REQUIRE(imp(BASE TS "Hypervisor detected: Xen HVM\n" TS
	                    "Booting paravirtualized kernel on Xen HVM\n" TS "Xen version 4.0.\n" TS
	                    "Booting paravirtualized kernel on bare hardware\n"));
	CHECK(!dm.sc.xen_pv);
	REQUIRE(imp(BASE TS "Booting paravirtualized kernel on Xen\n"));
	CHECK(dm.sc.xen_pv);
	CHECK_STR(pgt_dmesg_source(&dm, "xen_pv"),
	          "log line 9: Booting paravirtualized kernel on Xen");
	REQUIRE(imp(BASE TS "Hypervisor detected: Xen PV\n"));
	CHECK(dm.sc.xen_pv);
}

static void test_user_map_replaces_bios_map(void)
{
	REQUIRE(imp(HEAD MAP TS "e820: update [mem 0x11000000-0x11ffffff] usable ==> usable\n" TS
	                        "user-defined physical RAM map:\n" TS
	                        "user: [mem 0x0000000000000000-0x000000000009fbff] usable\n" TS
	                        "user: [mem 0x0000000000100000-0x000000007fffffff] usable\n" TS
	                        "e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n" TS
	                        "e820: remove [mem 0x000a0000-0x000fffff] usable\n"));
	REQUIRE(dm.sc.n_e820 == 2);
	CHECK_U64(dm.sc.e820[1].end, 0x80000000);
	CHECK_STR(pgt_dmesg_source(&dm, "e820"),
	          "log lines 10-11 (user, 2 entries); the user-defined map (mem=/memmap=) "
	          "replaces the firmware map");
	/* the edit printed before the user map is already in it */
	REQUIRE(dm.sc.n_edits == 2);
	CHECK_U64(dm.sc.edits[0].end, 0x1000);
	CHECK_STR(pgt_dmesg_source(&dm, "edits"),
	          "log lines 12-13 (2 e820 update/remove lines, applied in order); 1 printed "
	          "before the map used (already in it)");
}

/* ---- edits -------------------------------------------------------------- */

static void test_edits_in_order_all_formats(void)
{
	REQUIRE(imp(BASE TS "e820: update [mem 0x00000000-0x0000ffff] usable ==> reserved\n" TS
	                    "e820: remove [mem 0x000a0000-0x000fffff] usable\n" TS
	                    "e820 update range: 00000000c8000000 - 0000000100000000 (usable) ==> "
	                    "(reserved)\n" TS
	                    "e820 remove range: 00000000000a0000 - 0000000000100000 (usable)\n" TS
	                    "e820: remove [mem 0x10000000-0x1fffffff]\n"));
	REQUIRE(dm.sc.n_edits == 5);
	CHECK_U64(dm.sc.edits[0].start, 0);
	CHECK_U64(dm.sc.edits[0].end, 0x10000);
	CHECK_U64(dm.sc.edits[0].from_type, PGT_E820_RAM);
	CHECK_U64(dm.sc.edits[0].to_type, PGT_E820_RESERVED);
	CHECK_U64(dm.sc.edits[1].to_type, 0);
	CHECK_U64(dm.sc.edits[1].end, 0x100000);
	CHECK_U64(dm.sc.edits[2].start, 0xc8000000);
	CHECK_U64(dm.sc.edits[2].end, 0x100000000);
	CHECK_U64(dm.sc.edits[3].end, 0x100000);
	CHECK_U64(dm.sc.edits[4].from_type, 0); /* no type printed: any */
	CHECK(dm.debug_visible);
}

/* The 2.6.28 DMI quirk reserves [0, 64K) in e820 without printing a map;
 * a map printed after it already holds the change. */
static void test_bios_low_ram_quirk(void)
{
	REQUIRE(
	    imp(HEAD MAP TS "AMI BIOS detected: BIOS may corrupt low RAM, working it around.\n"));
	REQUIRE(dm.sc.n_edits == 1);
	CHECK_U64(dm.sc.edits[0].start, 0);
	CHECK_U64(dm.sc.edits[0].end, 0x10000);
	CHECK(dm.sc.edits[0].from_type == PGT_E820_RAM);
	CHECK(dm.sc.edits[0].to_type == PGT_E820_RESERVED);
	CHECK_STR(pgt_dmesg_source(&dm, "low64k"),
	          "log line 8: BIOS low-RAM quirk: e820 [0, 64K) usable ==> reserved (no e820 line "
	          "printed for it)");
	REQUIRE(imp(HEAD MAP TS
	            "Phoenix BIOS detected: BIOS may corrupt low RAM, working around it.\n"));
	CHECK(dm.sc.n_edits == 1);
	/* printed after the mapping: too late to matter */
	REQUIRE(imp(BASE TS "RAMDISK: 37d11000 - 37fef3e6\n" TS
	                    "AMI BIOS detected: BIOS may corrupt low RAM, working it around.\n"));
	CHECK(dm.sc.n_edits == 0);
	/* a modified map printed later contains it */
	REQUIRE(imp(HEAD MAP TS
	            "AMI BIOS detected: BIOS may corrupt low RAM, working it around.\n" TS
	            "modified physical RAM map:\n" TS
	            " modified: 0000000000000000 - 0000000000010000 (reserved)\n" TS
	            " modified: 0000000000010000 - 000000000009fc00 (usable)\n" TS
	            " modified: 0000000000100000 - 00000000bfee0000 (usable)\n" AFTER));
	CHECK(dm.sc.n_edits == 0);
	CHECK(dm.sc.n_e820 == 3);
}

static void test_edits_after_mapping_ignored(void)
{
	REQUIRE(imp(BASE TS "e820: update [mem 0xd0000000-0xffffffff] usable ==> reserved\n" TS
	                    "init_memory_mapping: [mem 0x00000000-0x000fffff]\n" TS
	                    "e820: update [mem 0x39d10000-0x39d83fff] usable ==> reserved\n"));
	REQUIRE(dm.sc.n_edits == 1);
	CHECK_U64(dm.sc.edits[0].start, 0xd0000000);
	CHECK_STR(pgt_dmesg_source(&dm, "edits"),
	          "log lines 9-9 (1 e820 update/remove lines, applied in order); 1 printed "
	          "after the mapping (ignored)");
}

static void test_setup_data(void)
{
	REQUIRE(imp(BASE TS "e820: update [mem 0x39259020-0x3926105f] usable ==> usable\n" TS
	                    "e820: update [mem 0x39259020-0x3926105f] usable ==> usable\n" TS
	                    "e820: update [mem 0x39226020-0x3925865f] usable ==> usable\n" TS
	                    "extended physical RAM map:\n" TS
	                    "reserve setup_data: [mem 0x0000000000100000-0x000000003922601f] "
	                    "usable\n"));
	REQUIRE(dm.sc.n_edits == 2); /* the kexec table's duplicate line is dropped */
	CHECK_U64(dm.sc.edits[0].to_type, PGT_E820_RESERVED_KERN);
	CHECK_U64(dm.sc.edits[0].end, 0x39261060);
	const pgt_resv *r = find_resv(PGT_RESV_SETUP_DATA);
	REQUIRE(r != NULL);
	CHECK_U64(r->start, 0x39259020);
	CHECK_U64(r->end, 0x39261060);
	/* without the (KERN_DEBUG) update lines: the extended map's pieces */
	REQUIRE(imp(BASE TS
	            "extended physical RAM map:\n" TS
	            "reserve setup_data: [mem 0x0000000000000000-0x000000000009fbff] "
	            "usable\n" TS "reserve setup_data: [mem 0x0000000000100000-0x000000003916f01f] "
	            "usable\n" TS "reserve setup_data: [mem 0x000000003916f020-0x000000003919e05f] "
	            "usable\n" TS "reserve setup_data: [mem 0x000000003919e060-0x00000000bfedffff] "
	            "usable\n"));
	r = find_resv(PGT_RESV_SETUP_DATA);
	REQUIRE(r != NULL);
	CHECK_U64(r->start, 0x3916f020);
	CHECK_U64(r->end, 0x3919e060);
	CHECK(dm.sc.n_e820 == 4); /* the BIOS map stays the map */
}

/* ---- version ------------------------------------------------------------ */

static void test_version(void)
{
	REQUIRE(imp(BASE));
	CHECK(dm.kver_known);
	CHECK_STR(dm.kernel_release, "3.8.0-31-generic");
	CHECK_U64(dm.sc.kver, PGT_KVER(3, 8, 0));
	CHECK_STR(pgt_dmesg_source(&dm, "kver"), "log line 1: Linux version 3.8.0-31-generic");
	REQUIRE(imp("Linux version 2.6.27-7-server (buildd@yellow) #1 SMP\n" MAP AFTER));
	CHECK_U64(dm.sc.kver, PGT_KVER(2, 6, 27));
	CHECK_STR(dm.kernel_release, "2.6.27-7-server");
	/* a 3.9 merge-window snapshot that already runs the top-down scheme */
	REQUIRE(imp(TS "Linux version 3.8.0-06530-ge8d1955 (kbuild@xian) #1\n" MAP AFTER TS
	               "init_memory_mapping: [mem 0x00000000-0x000fffff]\n" TS
	               " [mem 0x00000000-0x000fffff] page 4k\n" TS
	               "BRK [0x02206000, 0x02206fff] PGTABLE\n"));
	CHECK_U64(dm.kver_log, PGT_KVER(3, 8, 0));
	CHECK_U64(dm.sc.kver, PGT_KVER(3, 9, 0));
	CHECK_STR(pgt_dmesg_source(&dm, "kver"),
	          "log line 1: Linux version 3.8.0-06530-ge8d1955, simulated as 3.9: log line 9 "
	          "shows the 3.9+ top-down scheme (a development snapshot of the next release)");
	CHECK(dm.sc.schemes[0] == PGT_SCHEME_TOPDOWN);
	/* distribution kernels name their upstream stable release */
	REQUIRE(imp(
	    TS
	    "Linux version 5.4.0-86-generic (buildd@lgw01) (gcc version 9.3.0) #97-Ubuntu "
	    "SMP Fri Sep 17 19:19:40 UTC 2021 (Ubuntu 5.4.0-86.97-generic 5.4.133)\n" MAP AFTER));
	CHECK_U64(dm.sc.kver, PGT_KVER(5, 4, 133));
	CHECK_STR(dm.kernel_release, "5.4.0-86-generic");
	CHECK_STR(pgt_dmesg_source(&dm, "kver"), "log line 1: Linux version 5.4.0-86-generic "
	                                         "(upstream 5.4.133, named in the same line)");
	REQUIRE(imp(TS "Linux version 4.19.0-8-amd64 (debian-kernel@lists.debian.org) #1 SMP "
	               "Debian 4.19.98-1 (2020-01-26)\n" MAP AFTER));
	CHECK_U64(dm.sc.kver, PGT_KVER(4, 19, 98));
	/* no version line at all */
	REQUIRE(imp(MAP AFTER));
	CHECK(!dm.kver_known);
	CHECK_U64(dm.sc.kver, 0);
}

/* ---- paste damage -------------------------------------------------------- */

static void test_prefixes_and_no_timestamps(void)
{
	/* kern.log */
	REQUIRE(imp("Jun 30 15:56:59 my-pc kernel: imklog 5.8.11, log source = /proc/kmsg "
	            "started.Jun 30 15:56:59 my-pc kernel: [    0.000000] Initializing cgroup\n"
	            "Jun 30 15:56:59 my-pc kernel: [    0.000000] Linux version 3.8.0-26-generic "
	            "(x) #38\n"
	            "Jun 30 15:56:59 my-pc kernel: [    0.000000] BIOS-e820: [mem "
	            "0x0000000000000000-0x000000000009f7ff] usable\n"
	            "Jun 30 15:56:59 my-pc kernel: [    0.000000] BIOS-e820: [mem "
	            "0x0000000000100000-0x00000000cfdeffff] usable\n"
	            "Jun 30 15:56:59 my-pc kernel: [    0.000000]  [mem 0x00000000-0xbfffffff] "
	            "page 1G\n"));
	CHECK(dm.sc.n_e820 == 2);
	CHECK_STR(dm.kernel_release, "3.8.0-26-generic");
	CHECK_STR(line_text(0), " [mem 0x00000000-0xbfffffff] page 1G");
	/* journalctl / syslog without timestamps, <N> and dmesg -x levels */
	REQUIRE(imp("Oct 01 12:00:00 host kernel: Linux version 4.2.0-25-generic (x) #30\n"
	            "<6>BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
	            "kern  :info  : [    0.000000] BIOS-e820: [mem "
	            "0x0000000000100000-0x000000003fffffff] usable\n"
	            "<6>[    0.000000] init_memory_mapping: [mem 0x00000000-0x000fffff]\n"));
	CHECK(dm.sc.n_e820 == 2);
	CHECK_STR(dm.kernel_release, "4.2.0-25-generic");
	CHECK_STR(line_text(0), "init_memory_mapping: [mem 0x00000000-0x000fffff]");
	CHECK(!dm.debug_visible);
	REQUIRE(imp(BASE "<7>[    0.000000] Scanning 1 areas for low memory corruption\n"));
	CHECK(dm.debug_visible);
	REQUIRE(imp(BASE "kern  :debug : [    0.000000] x\n"));
	CHECK(dm.debug_visible);
	/* no timestamps at all: leading spaces are the kernel's own */
	REQUIRE(imp("Linux version 2.6.26-tip (yhlu@linux-zpir) (gcc\n"
	            " BIOS-e820: 0000000000000100 - 0000000000095800 (usable)\n"
	            " BIOS-e820: 0000000000100000 - 00000000d7fa0000 (usable)\n"
	            "init_memory_mapping\n"
	            "Using GB pages for direct mapping\n"
	            " 0000000000 - 00c0000000 page 1G\n"
	            "last_map_addr: d7fa0000 end: d7fa0000\n"));
	REQUIRE(dm.n_lines == 4);
	CHECK_STR(line_text(0), "init_memory_mapping");
	CHECK(dm.lines[0].kind == PGT_DMESG_IMM);
	CHECK(dm.lines[1].kind == PGT_DMESG_GBPAGES);
	CHECK_STR(line_text(2), " 0000000000 - 00c0000000 page 1G");
	CHECK(dm.lines[3].kind == PGT_DMESG_LAST_MAP);
	CHECK_U64(dm.sc.e820[0].start, 0x100);
	/* dmesg -d: the delta since the previous line inside the brackets */
	REQUIRE(imp("[    0.000000 <    0.000000>] Linux version 2.6.32-5-amd64 (x) #1\n"
	            "[    0.000000 <    0.000000>] BIOS-e820: 0000000000000000 - "
	            "000000000009f800 (usable)\n"
	            "[    0.000000 <    0.000000>] BIOS-e820: 0000000000100000 - "
	            "00000000bfee0000 (usable)\n"
	            "[    0.000000 <    0.000000>] init_memory_mapping: "
	            "0000000000000000-00000000bfee0000\n"
	            "[    0.000000 <    0.000000>]  0000000000 - 00bfe00000 page 2M\n"));
	CHECK(dm.sc.n_e820 == 2);
	CHECK_STR(dm.kernel_release, "2.6.32-5-amd64");
	REQUIRE(dm.n_lines == 2);
	CHECK_STR(line_text(0), "init_memory_mapping: 0000000000000000-00000000bfee0000");
	CHECK_STR(line_text(1), " 0000000000 - 00bfe00000 page 2M");
	/* a log quoted in a mail reply, nested quotes and quoted blank lines */
	REQUIRE(imp("> Linux version 2.6.29-xen (x) #1\n"
	            ">\n"
	            "> BIOS-provided physical RAM map:\n"
	            ">  Xen: 0000000000000000 - 00000000000a0000 (usable)\n"
	            "> > Xen: 0000000000100000 - 0000000020000000 (usable)\n"
	            ">> kernel direct mapping tables up to 20000000 @ 7000-8000\n"));
	CHECK(dm.sc.n_e820 == 2);
	CHECK(dm.sc.xen_pv);
	CHECK_U64(dm.sc.e820[1].end, 0x20000000);
	CHECK_STR(dm.kernel_release, "2.6.29-xen");
	REQUIRE(dm.n_lines == 1);
	CHECK_STR(line_text(0), "kernel direct mapping tables up to 20000000 @ 7000-8000");
	/* '>' inside a line is kept */
	REQUIRE(imp(BASE TS "x86: PAT configuration [0-7] ==> 0x1\n"));
	CHECK(dm.sc.n_e820 == 4);
}

static void test_crlf_junk_header_glued_wrapped(void)
{
	REQUIRE(imp(
	    "# source: a forum\r\n# kernel: 4.2\r\n"
	    "[/FONT][/COLOR][    0.000000] Initializing cgroup subsys cpuset[    0.000000] "
	    "Linux version 4.2.0-25-generic (buildd@lcy01-02) (gcc version 5.2.1 "
	    "20151010) #30\r\n"
	    "[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz-4.2.0-25-generic root=UUID=1\r\n"
	    "ro quiet mem=4G\r\n"
	    "\r\n"
	    "[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009c7ff] "
	    "usable[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000007a41dfff] "
	    "usable\r\n"
	    "[    0.000000]  [mem 0x00000000-0x000fffff] page 4k   \r\n"
	    "[    0.000000] \x1b[33m BRK [0x01ff0000, 0x01ff0fff] PGTABLE\x1b[0m\r\n"));
	CHECK_STR(dm.kernel_release, "4.2.0-25-generic");
	CHECK(dm.sc.n_e820 == 2);
	CHECK_U64(dm.sc.e820[1].start, 0x100000);
	CHECK_U64(dm.sc.mem_limit, (uint64_t)4 << 30); /* from the wrapped tail */
	CHECK_STR(pgt_dmesg_source(&dm, "mem_limit"), "log line 4: mem=4G");
	REQUIRE(dm.n_lines == 2);
	CHECK_STR(line_text(0), " [mem 0x00000000-0x000fffff] page 4k");
	CHECK_STR(line_text(1), "BRK [0x01ff0000, 0x01ff0fff] PGTABLE");
	CHECK(dm.lines[0].lineno == 8);
	CHECK_U64(dm.sc.brk_base, 0x01ff0000);
	/* no-break spaces from a forum's HTML */
	REQUIRE(imp("[\xc2\xa0\xc2\xa0\xc2\xa0 0.000000]\xc2\xa0Linux version 3.2.0 (x) #1\n"
	            "[    0.000000]\xc2\xa0"
	            "BIOS-e820:\xc2\xa0[mem "
	            "0x0000000000000000-0x000000000009fbff]\xc2\xa0usable\n"
	            "[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000003fffffff] usable\n"
	            "[    0.000000]\xc2\xa0\xc2\xa0[mem 0x00000000-0x000fffff] page 4k\n"));
	CHECK(dm.sc.n_e820 == 2);
	CHECK_STR(dm.kernel_release, "3.2.0");
	CHECK_STR(line_text(0), " [mem 0x00000000-0x000fffff] page 4k");
	/* a range line whose leading space a paste lost gets it back */
	REQUIRE(imp(BASE TS "[mem 0x00000000-0x000fffff] page 4k\n"));
	CHECK_STR(line_text(0), " [mem 0x00000000-0x000fffff] page 4k");
	/* dmesg -T timestamps and printk caller ids */
	REQUIRE(
	    imp("[Mon Jan  1 12:00:00 2024] Linux version 6.1.0 (x) #1\n"
	        "[Mon Jan  1 12:00:00 2024] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] "
	        "usable\n"
	        "[    0.000000][    T0] BIOS-e820: [mem 0x0000000000100000-0x000000003fffffff] "
	        "usable\n" AFTER));
	CHECK(dm.sc.n_e820 == 2);
	CHECK_STR(dm.kernel_release, "6.1.0");
}

static void test_second_boot_ignored(void)
{
	REQUIRE(imp(BASE TS
	            "RAMDISK: [mem 0x36104000-0x37079fff]\n" TS "Linux version 5.0.0 (x) #2\n" TS
	            "BIOS-e820: [mem 0x0000000000000000-0x00000000000fffff] usable\n" AFTER));
	CHECK_STR(dm.kernel_release, "3.8.0-31-generic");
	CHECK(dm.sc.n_e820 == 4);
	CHECK_STR(diag(PGT_DIAG_WARNING),
	          "10:1: a second boot starts here ('Linux version' again; the first is at line "
	          "1); only the first boot, before this line, is imported");
	/* no second "Linux version": the timestamps going back tell */
	REQUIRE(imp(BASE "[    5.250000] hello\n" TS
	                 "BIOS-e820: [mem 0x0000000000000000-0x00000000000fffff] usable\n" AFTER));
	CHECK(dm.sc.n_e820 == 4);
	CHECK_STR(diag(PGT_DIAG_WARNING),
	          "10:1: a second boot starts here: the timestamps go back from 5.250000 (line 9) "
	          "to 0.000000; only the first boot, before this line, is imported");
	/* nor timestamps: the firmware map printed again */
	REQUIRE(imp(BASE TS
	            "e820: BIOS-provided physical RAM map:\n" TS
	            "BIOS-e820: [mem 0x0000000000000000-0x00000000000fffff] usable\n" AFTER));
	CHECK(dm.sc.n_e820 == 4);
	CHECK_STR(diag(PGT_DIAG_WARNING),
	          "9:1: a second boot starts here (the firmware map again; the first is at line "
	          "3); only the first boot, before this line, is imported");
	/* two boots interleaved line by line: refused, both lines named */
	CHECK(!imp(TS "Linux version 3.8.0-31-generic (x) #46\n" TS
	              "Linux version 5.0.0 (y) #2\n" TS
	              "e820: BIOS-provided physical RAM map:\n" MAP AFTER));
	CHECK_STR(diag(PGT_DIAG_ERROR),
	          "2:1: a second 'Linux version' line before the first boot's memory map (the "
	          "first is at line 1): the lines of two boots are interleaved, or the first boot "
	          "stops early; pgtviz cannot tell them apart: keep the lines of one boot and "
	          "import again");
	CHECK(d.errors == 1);
}

/* Issue 16's messages: a reversed or wrapping e820 entry says what is wrong
 * (and nothing else), UTF-16 is named, terminal escapes are dropped, a lone
 * CR ends a line, and what the importer builds passes the scenario reader. */
static void test_bad_input_messages(void)
{
	CHECK(!imp(HEAD TS
	           "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n" TS
	           "BIOS-e820: [mem 0x00000000bfedffff-0x0000000000100000] usable\n" TS
	           "BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] usable\n" AFTER TS
	           "e820: last_pfn = 0x140000 max_arch_pfn = 0x400000000\n"));
	CHECK_STR(diag(PGT_DIAG_ERROR),
	          "5:27: e820 entry '[mem 0x00000000bfedffff-0x0000000000100000]' ends before it "
	          "starts");
	CHECK(d.errors == 1);
	CHECK(
	    !imp(HEAD TS "BIOS-e820: [mem 0x0000000000000000-0xffffffffffffffff] usable\n" AFTER));
	CHECK_STR(diag(PGT_DIAG_ERROR),
	          "4:27: e820 entry '[mem 0x0000000000000000-0xffffffffffffffff]' ends at "
	          "0xffffffffffffffff, past the last address");
	REQUIRE(imp(BASE TS "e820: update [mem 0x00001fff-0x00001000] usable ==> reserved\n"));
	CHECK_STR(diag(PGT_DIAG_WARNING),
	          "9:29: e820 update '[mem 0x00001fff-0x00001000]' ends before it starts; ignored");
	CHECK(dm.sc.n_edits == 0);
	/* UTF-16, with and without a byte-order mark */
	static const char le[] = "\xff\xfe[\0 \0 \0 \0 \0]\0";
	pgt_dmesg_free(&dm);
	pgt_diags_free(&d);
	pgt_diags_init(&d, "t.log");
	CHECK(!pgt_dmesg_import(le, sizeof(le) - 1, &dm, &d));
	CHECK_STR(diag(PGT_DIAG_ERROR),
	          "1:1: the file is UTF-16LE text (byte-order mark FF FE), not UTF-8: convert it "
	          "first, e.g. iconv -f UTF-16 -t UTF-8 't.log' > 't.log.utf8'");
	static const char be[] = "\0[\0 \0 \0 \0 \0]\0L\0i";
	pgt_diags_free(&d);
	pgt_diags_init(&d, "t.log");
	CHECK(!pgt_dmesg_import(be, sizeof(be) - 1, &dm, &d));
	CHECK_STR(diag(PGT_DIAG_ERROR),
	          "1:1: the file is UTF-16BE text, not UTF-8: convert it first, e.g. iconv -f "
	          "UTF-16BE -t UTF-8 't.log' > 't.log.utf8'");
	/* OSC (title, hyperlink) and CSI sequences and stray controls are dropped */
	REQUIRE(imp(TS
	            "Linux version \x1b]0;title\x07\x1b]8;;http://x\x1b\\3.8.0-31-generic\x1b[0m "
	            "(x)\x07 #46\n" TS "e820: BIOS-provided physical RAM map:\n" MAP AFTER));
	CHECK_STR(dm.kernel_release, "3.8.0-31-generic");
	CHECK(d.n == 0);
	/* lone CR line ends: the error is on line 5 */
	CHECK(!imp(HEAD TS "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\r" TS
	                   "BIOS-e820: [mem 0x0000000000100000-0x00000000bfedffff usable\r" AFTER));
	CHECK_STR(diag(PGT_DIAG_ERROR),
	          "5:69: malformed e820 entry: expected '[mem 0xSTART-0xEND] TYPE' or 'START - "
	          "END (TYPE)'");
	/* the importer's result must load as a scenario file: BRK beyond 2^46 */
	CHECK(!imp(BASE TS "BRK [0xfffffffffffff000, 0xffffffffffffffff] PGTABLE\n"));
	CHECK_STR(
	    diag(PGT_DIAG_ERROR),
	    "9:1: the scenario made from this log would be refused: /brk_base: brk_base "
	    "0xfffffffffffff000 is beyond the 46-bit physical address limit (0x400000000000)");
}

/* ---- reservations, cpu, command line ------------------------------------ */

static void test_ramdisk_both_formats(void)
{
	REQUIRE(imp(BASE TS "RAMDISK: [mem 0x36104000-0x37079fff]\n" TS
	                    "Allocated new RAMDISK: [mem 0x36c2d000-0x37bfd91b]\n"));
	const pgt_resv *r = find_resv(PGT_RESV_INITRD);
	REQUIRE(r != NULL);
	CHECK_U64(r->start, 0x36104000);
	CHECK_U64(r->end, 0x3707a000);
	CHECK_STR(pgt_dmesg_source(&dm, "initrd"), "log line 9: RAMDISK [0x36104000, 0x3707a000)");
	REQUIRE(imp(BASE TS "RAMDISK: 35942000 - 36c99000\n"));
	r = find_resv(PGT_RESV_INITRD);
	REQUIRE(r != NULL);
	CHECK_U64(r->start, 0x35942000);
	CHECK_U64(r->end, 0x36c99000);
	REQUIRE(imp(BASE));
	CHECK(find_resv(PGT_RESV_INITRD) == NULL);
}

static void test_brk_base_and_kaslr(void)
{
	REQUIRE(imp(TS "Linux version 5.6.14 (u16@u16-5576) #8\n" MAP AFTER TS
	               "e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n" TS
	               "Using GB pages for direct mapping\n" TS
	               "BRK [0x114201000, 0x114201fff] PGTABLE\n" TS
	               "BRK [0x114202000, 0x114202fff] PGTABLE\n" TS
	               "BRK [0x114203000, 0x114203fff] PGTABLE\n" TS
	               "BRK [0x114204000, 0x114204fff] PGTABLE\n" TS
	               "BRK [0x114205000, 0x114205fff] PGTABLE\n" TS
	               "BRK [0x114206000, 0x114206fff] PGTABLE\n" TS
	               "BRK [0x114207000, 0x114207fff] PGTABLE\n"));
	CHECK_U64(dm.sc.brk_base, 0x114201000);
	CHECK(dm.brk_lines == 7);
	CHECK(dm.sc.kaslr_memory);
	CHECK(dm.sc.cpu.gbpages);
	CHECK_STR(pgt_dmesg_source(&dm, "brk_base"), "log line 9: first BRK page 0x114201000");
	REQUIRE(imp(BASE));
	CHECK_U64(dm.sc.brk_base, 0);
	CHECK_STR(pgt_dmesg_source(&dm, "brk_base"),
	          "not in log; default used (after the kernel image)");
	/* 4.4-5.7 with visible debug lines but no BRK line: a backport removed it */
	REQUIRE(imp(TS "Linux version 5.4.0-86-generic (x) #97\n" MAP AFTER TS
	               "e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n"));
	CHECK(dm.brk_not_printed);
}

static void test_page_sizes(void)
{
	REQUIRE(imp(BASE TS "init_memory_mapping: [mem 0x00000000-0xbfedffff]\n" TS
	                    " [mem 0x00000000-0xbfdfffff] page 2M\n" TS
	                    " [mem 0xbfe00000-0xbfedffff] page 4k\n"));
	CHECK(dm.sc.cpu.pse);
	CHECK(!dm.sc.cpu.gbpages);
	CHECK(!dm.sc.cpu.debug_pagealloc);
	CHECK(dm.debug_visible);
	/* a big range in 4k pages only: DEBUG_PAGEALLOC-style */
	REQUIRE(imp(BASE TS "init_memory_mapping: [mem 0x00000000-0x1fffdfff]\n" TS
	                    " [mem 0x00000000-0x1fffdfff] page 4k\n"));
	CHECK(dm.sc.cpu.debug_pagealloc);
	/* small 4k-only ranges prove nothing */
	REQUIRE(imp(BASE TS "init_memory_mapping: [mem 0x00000000-0x000fffff]\n" TS
	                    " [mem 0x00000000-0x000fffff] page 4k\n"));
	CHECK(!dm.sc.cpu.debug_pagealloc);
	CHECK(dm.sc.cpu.pse);
	/* "page 1G" alone also means GB pages */
	REQUIRE(imp(BASE TS " [mem 0x40000000-0x7fffffff] page 1G\n"));
	CHECK(dm.sc.cpu.gbpages);
}

static void test_cmdline_options(void)
{
	REQUIRE(imp(HEAD MAP TS "Kernel command line: ignored=1\n" AFTER));
	CHECK_STR(pgt_dmesg_source(&dm, "cmdline"), "log line 2: Command line");
	REQUIRE(imp(TS "Linux version 4.13.0 (x) #2\n" TS
	               "Command line: ro mem=2048M nogbpages movable_node reservelow=0x10000 "
	               "crashkernel=384M-:128M memmap=64M$0x20000000\n" MAP AFTER));
	CHECK_U64(dm.sc.mem_limit, (uint64_t)2048 << 20);
	CHECK(dm.sc.nogbpages);
	CHECK(dm.sc.movable_node);
	CHECK_U64(dm.sc.reservelow, 0x10000);
	CHECK_U64(dm.sc.crashkernel, (uint64_t)128 << 20); /* 4 GiB of RAM >= 384M */
	REQUIRE(dm.sc.n_edits == 1);
	CHECK_U64(dm.sc.edits[0].start, 0x20000000);
	CHECK_U64(dm.sc.edits[0].end, 0x24000000);
	CHECK_U64(dm.sc.edits[0].to_type, PGT_E820_RESERVED);
	CHECK(dm.sc.schemes[0] == PGT_SCHEME_BOTTOMUP);
	/* the kernel's own crashkernel line wins over the command line */
	REQUIRE(imp(TS "Linux version 4.13.0 (x) #2\n" TS
	               "Command line: crashkernel=256M\n" MAP AFTER TS
	               "Reserving 128MB of memory at 752MB for crashkernel (System RAM: "
	               "1973MB)\n"));
	CHECK_U64(dm.sc.crashkernel, (uint64_t)128 << 20);
	CHECK(dm.sc.schemes[0] == PGT_SCHEME_TOPDOWN);
	/* 32-bit logs only have "Kernel command line:" */
	REQUIRE(
	    imp(TS "Linux version 3.7.2 (x) #1\n" MAP AFTER TS "Kernel command line: mem=1G\n"));
	CHECK_U64(dm.sc.mem_limit, (uint64_t)1 << 30);
}

/* ---- architecture -------------------------------------------------------- */

static void test_32bit_detection(void)
{
	REQUIRE(imp(TS "Linux version 3.7.2-030702-generic (root@gomeisa) #1\n" MAP TS
	               "e820: last_pfn = 0xbf65c max_arch_pfn = 0x1000000\n"));
	CHECK(dm.bits == 32);
	CHECK(dm.is_x86);
	CHECK_STR(pgt_dmesg_source(&dm, "arch"),
	          "log line 6: max_arch_pfn of a 32-bit kernel: i386 (32-bit)");
	/* the scenario selects the i386 model: PAE from the 36-bit max_arch_pfn */
	CHECK(dm.sc.bits == 32);
	CHECK(dm.sc.pae);
	CHECK(!dm.sc.highmem);
	REQUIRE(imp(TS "Linux version 3.7.2 (x) #1\n" MAP TS
	               "e820: last_pfn = 0xbf65c max_arch_pfn = 0x1000000\n" TS
	               "2170MB HIGHMEM available.\n" TS
	               "  HighMem  [mem 0x37bfe000-0xbf65bfff]\n"));
	CHECK(dm.sc.highmem);
	CHECK_U64(dm.sc.lowmem_end, 0x37bfe000);
	/* 2.6.2x prints the zones in pfns; "empty" says nothing */
	REQUIRE(imp(TS "Linux version 2.6.27 (x) #1\n" MAP TS
	               "last_pfn = 0x3bff0 max_arch_pfn = 0x100000\n" TS "Zone PFN ranges:\n" TS
	               "  HighMem  empty\n" TS "  HighMem  0x000373fe -> 0x0003bff0\n"));
	CHECK_U64(dm.sc.lowmem_end, 0x373fe000);
	CHECK_STR(pgt_dmesg_source(&dm, "lowmem_end"), "log line 9: HighMem starts at 0x373fe000");
	/* the permanent fixmap slots of the memory layout */
	REQUIRE(imp(TS "Linux version 2.6.29-rc1 (x) #1\n" MAP TS
	               "last_pfn = 0x16800 max_arch_pfn = 0x1000000\n" TS
	               "    fixmap  : 0xf56e9000 - 0xf57ff000   (1112 kB)\n"));
	CHECK_U64(dm.sc.fixmap_size, 0x116000);
	CHECK_STR(pgt_dmesg_source(&dm, "fixmap_size"),
	          "log line 7: fixmap of 0x116000 bytes (278 permanent slots)");
	REQUIRE(
	    imp(TS "Linux version 3.10.0 (x) #1\n" MAP TS
	           "Notice: NX (Execute Disable) protection cannot be enabled: non-PAE kernel!\n" TS
	           "initial memory mapped: [mem 0x00000000-0x023fffff]\n"));
	CHECK(dm.sc.bits == 32);
	CHECK(!dm.sc.pae);
	CHECK_U64(dm.sc.initial_mapped, 0x2400000);
	REQUIRE(imp(BASE TS "891MB LOWMEM available.\n"));
	CHECK(dm.bits == 32);
	REQUIRE(imp(BASE TS " [mem 0x00400000-0x07ffffff] page 4M\n"));
	CHECK(dm.bits == 32);
	REQUIRE(imp(BASE TS "e820: last_pfn = 0x140000 max_arch_pfn = 0x400000000\n"));
	CHECK(dm.bits == 64);
}

static void test_other_arch_rejected(void)
{
	CHECK(!imp("[    0.000000] Booting Linux on physical CPU 0x0\n"
	           "[    0.000000] Linux version 5.10.0 (x) #1\n"
	           "[    0.000000] Machine model: Raspberry Pi 4 Model B\n"));
	CHECK_STR(
	    diag(PGT_DIAG_ERROR),
	    "1:16: not an x86 boot log: 'Booting Linux on physical CPU 0x0' comes from an ARM "
	    "kernel (pgtviz reproduces x86 only)");
	CHECK(!imp("Linux version 6.1.0 (x) (aarch64-linux-gnu-gcc 12) #1\nfoo\n"));
	CHECK(d.errors == 1);
}

/* ---- unusable input ------------------------------------------------------- */

static void test_errors(void)
{
	CHECK(!imp(""));
	CHECK_STR(diag(PGT_DIAG_ERROR), "1:1: empty file");
	CHECK(!imp("\n \n\t\n"));
	CHECK_STR(diag(PGT_DIAG_ERROR), "1:1: file has no text (only blank lines)");
	pgt_diags_free(&d);
	pgt_diags_init(&d, "t.log");
	CHECK(!pgt_dmesg_import("ab\ncd\0ef", 8, &dm, &d));
	CHECK_STR(diag(PGT_DIAG_ERROR), "2:3: binary data: NUL byte at offset 5 (not a text log)");
	CHECK(!imp("ok line\nbad \xff byte\n"));
	CHECK_STR(diag(PGT_DIAG_ERROR), "2:5: not UTF-8 text: invalid byte 0xff");
	CHECK(imp(BASE TS "DMI: caf\xc3\xa9 GmbH\n")); /* valid UTF-8 is fine */
	CHECK(!imp(TS "Linux version 3.8.0 (x) #1\n" TS "hello\n"));
	CHECK_STR(diag(PGT_DIAG_ERROR),
	          "1:1: no e820 memory map in the log (expected 'BIOS-e820:', 'Xen:' or 'user:' "
	          "lines after 'BIOS-provided physical RAM map:')");
	CHECK(!imp(HEAD AFTER));
	CHECK_STR(diag(PGT_DIAG_ERROR),
	          "3:1: e820 map header without entries (the paste stops here?)");
	CHECK(!imp(HEAD MAP));
	CHECK_STR(diag(PGT_DIAG_ERROR),
	          "7:1: e820 map truncated: the log ends inside the map (after 4 entries)");
	CHECK(!imp(HEAD TS "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n" TS
	                   "BIOS-e820: [mem 0x0000000000100000-0x00000000bf\n" AFTER));
	CHECK_STR(diag(PGT_DIAG_ERROR),
	          "5:63: cut-short e820 entry: expected '[mem 0xSTART-0xEND] TYPE' or 'START - "
	          "END (TYPE)'");
	CHECK(!imp(HEAD TS "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n" TS
	                   "BIOS-e820: [mem 0x0000000000100000-0x00000000bfedffff usable\n" AFTER));
	CHECK_STR(diag(PGT_DIAG_ERROR),
	          "5:69: malformed e820 entry: expected '[mem 0xSTART-0xEND] TYPE' or 'START - "
	          "END (TYPE)'");
	CHECK(!imp(BASE TS "e820: last_pfn = 0x240000 max_arch_pfn = 0x400000000\n"));
	CHECK_STR(diag(PGT_DIAG_ERROR),
	          "9:1: e820 map truncated: 'last_pfn = 0x240000' lies beyond the last usable "
	          "entry of the map (lines 4-7), which ends at pfn 0x140000");
}

static void test_huge_input_rejected_fast(void)
{
	size_t n = PGT_DMESG_MAX_BYTES + 1;
	char *big = malloc(n);
	REQUIRE(big != NULL);
	memset(big, 'a', n);
	pgt_diags_free(&d);
	pgt_diags_init(&d, "t.log");
	CHECK(!pgt_dmesg_import(big, n, &dm, &d));
	CHECK_STR(diag(PGT_DIAG_ERROR), "1:1: file is 67108865 bytes; logs larger than 64 MiB are "
	                                "rejected (keep only the boot messages)");
	free(big);
	/* a 100 MB file is refused from its size, without reading it */
	char path[] = "/tmp/pgtviz-test-dmesg-XXXXXX";
	int fd = mkstemp(path);
	REQUIRE(fd >= 0);
	CHECK(ftruncate(fd, 100 * 1000 * 1000) == 0);
	close(fd);
	pgt_diags_free(&d);
	pgt_diags_init(&d, path);
	clock_t t0 = clock();
	CHECK(!pgt_dmesg_load_file(path, &dm, &d));
	CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
	CHECK_STR(diag(PGT_DIAG_ERROR), "1:1: file is 100000000 bytes; logs larger than 64 MiB "
	                                "are rejected (keep only the boot messages)");
	unlink(path);
}

/* ---- helpers ------------------------------------------------------------- */

static void test_classify_and_sniff(void)
{
	CHECK(pgt_dmesg_classify("init_memory_mapping: [mem 0x00000000-0x000fffff]") ==
	      PGT_DMESG_IMM);
	CHECK(pgt_dmesg_classify("init_memory_mapping: 0000000000000000-0000000080800000") ==
	      PGT_DMESG_IMM);
	CHECK(pgt_dmesg_classify(" 00afe00000 - 00aff00000 page 4k") == PGT_DMESG_RANGE);
	CHECK(
	    pgt_dmesg_classify("kernel direct mapping tables up to aff00000 @ 1fffb000-20000000") ==
	    PGT_DMESG_TABLES);
	CHECK(pgt_dmesg_classify("xen: setting RW the range 1fffc000 - 20000000") ==
	      PGT_DMESG_XEN_RW);
	CHECK(pgt_dmesg_classify("initial memory mapped : 0 - 20000000") == PGT_DMESG_INITIAL);
	CHECK(pgt_dmesg_classify("  DMA      [mem 0x00010000-0x00ffffff]") == PGT_DMESG_OTHER);
	CHECK(pgt_dmesg_classify("init_memory_mappings") == PGT_DMESG_OTHER);
	CHECK(pgt_dmesg_kind_compared(PGT_DMESG_BRK));
	CHECK(!pgt_dmesg_kind_compared(PGT_DMESG_GBPAGES));
	CHECK(pgt_dmesg_looks_like_log(BASE, strlen(BASE)));
	CHECK(!pgt_dmesg_looks_like_log("{\"name\": \"pc-4g\"}", 17));
	CHECK(pgt_dmesg_looks_like_log("[    0.000000] hello", 20));
	CHECK(pgt_dmesg_scheme_for(PGT_KVER(3, 8, 13), false) == PGT_SCHEME_PGTBUF);
	CHECK(pgt_dmesg_scheme_for(PGT_KVER(3, 9, 0), true) == PGT_SCHEME_TOPDOWN);
	CHECK(pgt_dmesg_scheme_for(PGT_KVER(3, 13, 0), true) == PGT_SCHEME_BOTTOMUP);
}

/* ---- real logs ------------------------------------------------------------ */

static bool load(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/realworld/%s", PGTVIZ_TEST_DIR, name);
	pgt_dmesg_free(&dm);
	pgt_diags_free(&d);
	pgt_diags_init(&d, path);
	bool ok = pgt_dmesg_load_file(path, &dm, &d);
	if (!ok)
		pgt_diags_print(&d, stderr);
	return ok;
}

/* The imported scenario survives `import -o` + loading the JSON back. */
static void check_round_trip(const char *name)
{
	char *json = pgt_scenario_to_json(&dm.sc, dm.source, dm.n_source);
	REQUIRE(json != NULL);
	pgt_scenario back;
	memset(&back, 0, sizeof(back));
	pgt_diags jd;
	pgt_diags_init(&jd, name);
	bool ok = pgt_scenario_from_json(json, strlen(json), &back, &jd);
	if (!ok)
		pgt_diags_print(&jd, stderr);
	CHECK(ok);
	if (ok) {
		CHECK(back.n_e820 == dm.sc.n_e820);
		CHECK(back.n_edits == dm.sc.n_edits);
		CHECK(back.n_resv == dm.sc.n_resv);
		CHECK(back.kver == dm.sc.kver);
		CHECK(back.brk_base == dm.sc.brk_base);
		CHECK(back.xen_pv == dm.sc.xen_pv);
		CHECK(back.cpu.gbpages == dm.sc.cpu.gbpages);
	}
	pgt_scenario_clear(&back);
	pgt_diags_free(&jd);
	free(json);
}

static void test_real_logs(void)
{
	static const char *const logs[] = {"001-hp-pavilion-dm1-3.8-1g.log",
	                                   "003-hp-dv7-3.2-oldfmt.log",
	                                   "004-asus-m5a78l-3.2-1g.log",
	                                   "006-dell-e6510-3.9.8-brk.log",
	                                   "007-xen-dom0-msi890fxa-5.16.1.log",
	                                   "008-qci-qssc-s4r-128g-3.14-1g-numa.log",
	                                   "010-dell-studio1535-3.7.2-i386-pae.log",
	                                   "011-compal-khlb2-3.5-i386-pae-5g.log",
	                                   "012-virtualbox-6.17-ubuntu24.04.log",
	                                   "013-dell-inspiron5576-5.6.14-brk-only.log",
	                                   "016-qemu-kvm-3.10-rc6-i386-nonpae-brk.log",
	                                   "017-qemu-kvm-3.6-rc4-x86_64-4k-only.log",
	                                   "018-sun-x4600m2-256g-2.6.26-1g-noTS.log",
	                                   "020-hyperv-azure-codespaces-5.15.log",
	                                   "022-lenovo-u310-3.13-brk-snbgfx.log",
	                                   "023-intel-s2600cp-32g-3.9mw-srat-first-1g.log",
	                                   "024-xen-domU-3.2-opteron-console.log",
	                                   "025-xen-domU-2.6.27-ubuntu8.10-console.log",
	                                   "026-gigabyte-h67a-3.0-topdown-tables.log",
	                                   "028-kvmtool-65g-3.5-next-memblock-debug-4k.log",
	                                   "029-rdp-thinbook-atom-4.13-brk-only.log",
	                                   "030-dell-inspiron13-7353-4.2-brk-1g.log",
	                                   "033-dell-r750xs-128g-5.4-efi-setup-data.log",
	                                   "034-xen-pv-domU-6.12-96g-e820host.log",
	                                   "035-dell-xps13-9370-5.7rc3-brk-type20.log",
	                                   "037-xen-hvm-domU-3.0-vps-512m.log",
	                                   "039-qemu-kvm-q35-6.1-16g-1tib-reserved.log",
	                                   "040-asrock-b250m-4.13-brk-1g-type20.log",
	                                   "042-xhyve-bhyve-3.16-tinycore-1g-console.log",
	                                   "044-gigabyte-78lmt-3.8-kernlog-1g.log"};
	for (size_t i = 0; i < sizeof(logs) / sizeof(logs[0]); i++) {
		bool ok = load(logs[i]);
		if (!ok)
			fprintf(stderr, "  cannot import %s\n", logs[i]);
		CHECK(ok);
		CHECK(dm.is_x86);
		CHECK(dm.kver_known);
		CHECK(dm.sc.n_e820 > 0);
		if (ok)
			check_round_trip(logs[i]);
	}
}

static void test_real_log_details(void)
{
	REQUIRE(load("001-hp-pavilion-dm1-3.8-1g.log"));
	CHECK(dm.sc.n_e820 == 16 && dm.sc.n_edits == 2);
	CHECK(dm.sc.cpu.gbpages && dm.sc.cpu.pse && !dm.sc.xen_pv);
	CHECK(dm.n_lines == 9);
	REQUIRE(load("003-hp-dv7-3.2-oldfmt.log"));
	CHECK_STR(line_text(2), " 0000000000 - 00afe00000 page 2M");
	CHECK_U64(find_resv(PGT_RESV_INITRD)->end, 0x36c99000);
	REQUIRE(load("007-xen-dom0-msi890fxa-5.16.1.log"));
	CHECK(dm.sc.xen_pv);
	CHECK(dm.sc.n_e820 == 12);
	CHECK_U64(dm.sc.e820[2].end, 0x80000000); /* user: map, not the Xen: one */
	CHECK_U64(dm.sc.mem_limit, (uint64_t)2048 << 20);
	REQUIRE(load("013-dell-inspiron5576-5.6.14-brk-only.log"));
	CHECK_STR(dm.kernel_release, "5.6.14"); /* hard-wrapped Linux version line */
	CHECK(dm.brk_lines == 8);
	REQUIRE(load("018-sun-x4600m2-256g-2.6.26-1g-noTS.log"));
	CHECK_U64(dm.sc.kernel_start, 0x200000);
	CHECK_U64(dm.sc.kver, PGT_KVER(2, 6, 26));
	REQUIRE(load("025-xen-domU-2.6.27-ubuntu8.10-console.log"));
	CHECK(dm.sc.xen_pv && !dm.debug_visible);
	REQUIRE(load("030-dell-inspiron13-7353-4.2-brk-1g.log"));
	CHECK_U64(dm.sc.brk_base, 0x01ff0000);
	REQUIRE(load("033-dell-r750xs-128g-5.4-efi-setup-data.log"));
	CHECK(find_resv(PGT_RESV_SETUP_DATA) != NULL);
	CHECK(dm.brk_not_printed);
	REQUIRE(load("037-xen-hvm-domU-3.0-vps-512m.log"));
	CHECK(!dm.sc.xen_pv);
	REQUIRE(load("042-xhyve-bhyve-3.16-tinycore-1g-console.log"));
	CHECK(!dm.debug_visible);
	CHECK(!dm.sc.xen_pv); /* "Booting paravirtualized kernel on bare hardware" */
	REQUIRE(load("044-gigabyte-78lmt-3.8-kernlog-1g.log"));
	CHECK_STR(dm.kernel_release, "3.8.0-26-generic");
	CHECK(dm.n_lines == 10);
	REQUIRE(load("016-qemu-kvm-3.10-rc6-i386-nonpae-brk.log"));
	CHECK(dm.bits == 32);
}

int main(void)
{
	RUN(test_e820_new_format_inclusive_end);
	RUN(test_e820_old_format_exclusive_end);
	RUN(test_e820_types);
	RUN(test_e820_xen_entries_mean_xen_pv);
	RUN(test_xen_initial_mapping_by_version);
	RUN(test_xen_hvm_is_not_pv);
	RUN(test_user_map_replaces_bios_map);
	RUN(test_edits_in_order_all_formats);
	RUN(test_bios_low_ram_quirk);
	RUN(test_edits_after_mapping_ignored);
	RUN(test_setup_data);
	RUN(test_version);
	RUN(test_prefixes_and_no_timestamps);
	RUN(test_crlf_junk_header_glued_wrapped);
	RUN(test_second_boot_ignored);
	RUN(test_bad_input_messages);
	RUN(test_ramdisk_both_formats);
	RUN(test_brk_base_and_kaslr);
	RUN(test_page_sizes);
	RUN(test_cmdline_options);
	RUN(test_32bit_detection);
	RUN(test_other_arch_rejected);
	RUN(test_errors);
	RUN(test_huge_input_rejected_fast);
	RUN(test_classify_and_sniff);
	RUN(test_real_logs);
	RUN(test_real_log_details);
	pgt_dmesg_free(&dm);
	pgt_diags_free(&d);
	return t_report();
}
