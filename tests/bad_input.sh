#!/bin/sh
# Runs one row of tests/bad_input.tsv against the real pgtviz binary:
#
#   sh bad_input.sh PGTVIZ TSV ID
#
# The row gives the exit status and the exact first line of stderr that the
# command must produce.  The command runs in a fresh temporary directory that
# holds the fixtures below (so messages name short relative paths); it must
# write nothing: stdout stays empty and no file appears in the directory.
# A row whose command reads big.log (100 MB, made here, never committed)
# checks that the size is refused (no timing: speed is the benchmark's job).
#
# Fixtures: empty.json (0 bytes), blank.log (blank lines), binary.json (a NUL
# byte), random.bin (a PNG header), notes.txt ("hello"), arm.log (an arm64 boot log head),
# bad.json (a JSON syntax error), badfield.json (a bad field), dir/ (a
# directory), good.log (a real x86 log), big.log (100 MB of log text, only
# when the command names it), nowriter.fifo (a FIFO nobody writes to, only when
# named), xen46.json (Xen PV, no PSE, RAM to 2^46), sparse46.json (1 GiB low,
# 16 MiB under 2^46), xen1t.log (a real Xen PV log with RAM made to reach 1 TiB).  Tokens in the command and the expected line:
# @SRC@ = tests/ in the source tree; @BIGSTDIN@ = '-' with big.log piped to
# stdin (the 64 MiB limit must stop the read, not the end of the pipe).
set -u
PGTVIZ=$1
TSV=$2
ID=$3
SRC=$(cd "$(dirname "$0")" && pwd)

row=$(awk -F '\t' -v id="$ID" '$1 == id { print; found = 1 } END { if (!found) exit 1 }' "$TSV") || {
	echo "bad_input: no row '$ID' in $TSV"
	exit 1
}
needs=$(printf '%s\n' "$row" | cut -f 2)
want_rc=$(printf '%s\n' "$row" | cut -f 3)
want_err=$(printf '%s\n' "$row" | cut -f 4 | sed "s|@SRC@|$SRC|g")
cmd=$(printf '%s\n' "$row" | cut -f 5 | sed "s|@SRC@|$SRC|g")

if [ "$needs" = ui ] && "$PGTVIZ" export 2>&1 | grep -q 'this build has no exporter'; then
	echo "bad_input: $ID skipped: this pgtviz was built without the UI (PGTVIZ_UI=OFF)"
	exit 0
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/pgtviz-bad.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
cd "$T" || exit 1
: > empty.json
printf '\n\n   \n\n' > blank.log
printf '{\n  "format": "pgtviz-scenario/1",\000\n}\n' > binary.json
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\001\000' > random.bin
printf 'hello\n' > notes.txt
cat > arm.log <<'EOF'
[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x410fd083]
[    0.000000] Linux version 5.10.0-8-arm64 (debian-kernel@lists.debian.org) (gcc-10 (Debian 10.2.1-6) 10.2.1 20210110) #1 SMP Debian 5.10.46-4 (2021-08-03)
[    0.000000] Machine model: Raspberry Pi 4 Model B Rev 1.4
[    0.000000] efi: UEFI not found.
[    0.000000] Zone ranges:
[    0.000000]   DMA      [mem 0x0000000000000000-0x000000003fffffff]
EOF
printf '{\n  "format": "pgtviz-scenario/1",\n  "name": "x"\n  "e820": []\n}\n' > bad.json
printf '{ "format": "pgtviz-scenario/1", "name": "x",\n  "e820": [ { "start": "0x0", "end": 4096, "type": "usable" } ] }\n' > badfield.json
# the adversarial pass's 200-byte scenario: Xen PV, no PSE, RAM to 2^46
printf '{ "format": "pgtviz-scenario/1", "name": "xen46", "xen_pv": true,\n  "cpu": { "pse": false },\n  "e820": [ { "start": "0x0", "end": "0x9f000", "type": "usable" },\n    { "start": "0x100000", "end": "0x400000000000", "type": "usable" } ] }\n' > xen46.json
# 1 GiB low and 16 MiB under 2^46: the old scheme maps the holes between
printf '{ "format": "pgtviz-scenario/1", "name": "sparse46", "cpu": { "pse": false },\n  "e820": [ { "start": "0x0", "end": "0x9f000", "type": "usable" },\n    { "start": "0x100000", "end": "0x40000000", "type": "usable" },\n    { "start": "0x3fffff000000", "end": "0x400000000000", "type": "usable" } ] }\n' > sparse46.json
# a real Xen PV log whose last usable entry is made to end at 1 TiB
sed 's/^Xen: \[mem 0x0000000100000000-0x000000188725cfff\] usable/Xen: [mem 0x0000000100000000-0x000000ffffffffff] usable/' \
	"$SRC/realworld/034-xen-pv-domU-6.12-96g-e820host.log" > xen1t.log
mkdir dir
cp "$SRC/realworld/006-dell-e6510-3.9.8-brk.log" good.log
case " $cmd " in
*nowriter.fifo*) mkfifo nowriter.fifo ;;
esac
# Logs derived from good.log (and other checked-in logs), made only when named:
# reversed.log (an e820 entry whose end is below its start), wraps.log (an
# entry ending at 2^64-1), lone-cr.log (old Mac line ends, a malformed entry on
# line 22), utf16le.log / utf16be.log / utf16bom.json, osc.log (OSC escapes in
# an unreadable version line), two-boots.log (good.log twice), interleaved.log
# (two boots line by line), brk-high.log (BRK at 0xfffffffffffff000),
# kernel-end-high.log (a 2.6.26 'TEXT DATA BSS' ending at 2^64-1),
# memblock-high.log (a 6.1 memblock=debug region ending at 2^64-1),
# e820-x-max.json (a 3.8 scenario whose 3,200 one-page edits, one a line
# from line 6, leave 3,201 RAM ranges above 4 GiB: one over E820_X_MAX),
# e820-x-max-topdown.json (the same listing only the top-down scheme),
# edit-types.json (61 one-page edits to types 100..160, one a line from
# line 5: with the trims' usable and reserved, 63 types, one over the
# bound of the edit tree).
RW=$SRC/realworld
E22='0x00000000cf65f000-0x00000000cf67efff'
for f in $cmd; do
	case $f in
	reversed.log) sed "22s/$E22/0x00000000cf67efff-0x00000000cf65f000/" good.log > $f ;;
	wraps.log) sed "22s/$E22/0x00000000cf65f000-0xffffffffffffffff/" good.log > $f ;;
	lone-cr.log) sed "22s/$E22\]/$E22/" good.log | tr '\n' '\r' > $f ;;
	utf16le.log) iconv -f UTF-8 -t UTF-16LE good.log > $f ;;
	utf16be.log) iconv -f UTF-8 -t UTF-16BE good.log > $f ;;
	utf16bom.json) printf '{ "format": "pgtviz-scenario/1" }\n' | iconv -f UTF-8 -t UTF-16 > $f ;;
	osc.log) sed '11s/Linux version 3\.9\.8-030908-generic/Linux version \x1b]0;pwned\x07\x1b]8;;http:\/\/x\x1b\\custom-kernel/' good.log > $f ;;
	two-boots.log) cat good.log good.log > $f ;;
	interleaved.log)
		grep -v '^#' good.log > a.tmp
		grep -v '^#' "$RW/044-gigabyte-78lmt-3.8-kernlog-1g.log" > b.tmp
		paste -d '\n' a.tmp b.tmp | grep -v '^$' > $f
		rm -f a.tmp b.tmp
		;;
	brk-high.log) sed '77s/BRK \[0x01f61000, 0x01f61fff\]/BRK [0xfffffffffffff000, 0xffffffffffffffff]/' good.log > $f ;;
	kernel-end-high.log) sed '147s/\[0000200000 - 0001077c64\]    TEXT/[0000200000 - ffffffffffffffff]    TEXT/' "$RW/018-sun-x4600m2-256g-2.6.26-1g-noTS.log" > $f ;;
	e820-x-max.json | e820-x-max-topdown.json)
		case $f in *topdown*) sch=', "schemes": ["top-down"]' ;; *) sch='' ;; esac
		awk -v sch="$sch" 'BEGIN {
			printf "{ \"format\": \"pgtviz-scenario/1\", \"name\": \"x\", \"kernel\": \"3.8\"%s,\n", sch
			printf "  \"e820\": [ { \"start\": \"0x0\", \"end\": \"0x9f000\", \"type\": \"usable\" },\n"
			printf "    { \"start\": \"0x100000\", \"end\": \"0xc0000000\", \"type\": \"usable\" },\n"
			printf "    { \"start\": \"0x100000000\", \"end\": \"0x200000000\", \"type\": \"usable\" } ],\n"
			printf "  \"e820_edits\": [\n"
			for (i = 0; i < 3200; i++)
				printf "    { \"start\": \"0x1%08x\", \"end\": \"0x1%08x\", \"from\": \"usable\", \"to\": \"reserved\" }%s\n", i * 8192 + 4096, i * 8192 + 8192, i < 3199 ? "," : ""
			printf "  ] }\n"
		}' > $f
		;;
	edit-types.json)
		awk 'BEGIN {
			printf "{ \"format\": \"pgtviz-scenario/1\", \"name\": \"t\", \"kernel\": \"3.13\",\n"
			printf "  \"e820\": [ { \"start\": \"0x0\", \"end\": \"0x9f000\", \"type\": \"usable\" },\n"
			printf "    { \"start\": \"0x100000\", \"end\": \"0x40000000\", \"type\": \"usable\" } ],\n"
			printf "  \"e820_edits\": [\n"
			for (i = 0; i < 61; i++)
				printf "    { \"start\": \"0x%x\", \"end\": \"0x%x\", \"from\": \"usable\", \"to\": %d }%s\n", 268435456 + i * 8192, 268439552 + i * 8192, 100 + i, i < 60 ? "," : ""
			printf "  ] }\n"
		}' > $f
		;;
	memblock-high.log) sed "37s/\[0x000000019fa00000-0x00000001a2210fff\]/[0x000000019fa00000-0xffffffffffffffff]/" "$SRC/oracle/cases/kaslr-brk-above-4g.log" > $f ;;
	esac
done
stdin=/dev/null
case " $cmd " in
*@BIGSTDIN@*)
	# the command reads '-' from a pipe carrying big.log
	cmd=$(printf '%s\n' "$cmd" | sed 's|@BIGSTDIN@|-|')
	stdin=big.log
	;;
esac
case " $cmd $stdin " in
*big.log*)
	# 100 MB of plausible log text (the limit for inputs is 64 MiB)
	awk 'BEGIN { l = "[    0.000000] ACPI: Local APIC address 0xfee00000 and some more text to fill the line"; n = 100000000 / (length(l) + 1); for (i = 0; i <= n; i++) print l }' | head -c 100000000 > big.log
	;;
esac
before=$(find . | sort | tr '\n' ' ')

# shellcheck disable=SC2086 # the command is split into words on purpose
cat "$stdin" | env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$PGTVIZ" $cmd > "$T/.stdout" 2> "$T/.stderr"
rc=$?
got_err=$(head -n 1 "$T/.stderr")
after=$(find . | grep -v '^\./\.std' | sort | tr '\n' ' ')

fail=0
if [ "$rc" != "$want_rc" ]; then
	echo "FAIL $ID: exit status $rc, expected $want_rc"
	fail=1
fi
if [ "$got_err" != "$want_err" ]; then
	echo "FAIL $ID: stderr first line differs"
	echo "  got:      $got_err"
	echo "  expected: $want_err"
	fail=1
fi
if [ -s "$T/.stdout" ]; then
	echo "FAIL $ID: wrote $(wc -c < "$T/.stdout") bytes to stdout:"
	head -n 3 "$T/.stdout"
	fail=1
fi
if [ "$before" != "$after" ]; then
	echo "FAIL $ID: files changed in the working directory: before '$before', after '$after'"
	fail=1
fi
if [ $fail = 0 ]; then
	echo "ok $ID: exit $rc, $got_err"
else
	echo "  command: pgtviz $cmd"
	echo "  full stderr:"
	sed 's/^/    /' "$T/.stderr" | head -n 10
fi
exit $fail
