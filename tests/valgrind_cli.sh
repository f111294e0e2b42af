#!/bin/sh
# valgrind_cli: runs pgtviz log, check, import and export (one PNG of a
# built-in), and a few error paths (malformed and whitespace-only scenario
# files, a refused export option), under valgrind --leak-check=full; any
# memory error or definite/possible leak fails the test.  Exit 77 (ctest: skipped) with a message when
# valgrind is missing or the binary was built with sanitizers.
#
#   sh valgrind_cli.sh PGTVIZ SRCDIR SANITIZED(ON/OFF) UI(ON/OFF)
set -u
PGTVIZ=$1
SRC=$2
SANITIZED=$3
UI=$4
if ! command -v valgrind > /dev/null 2>&1; then
	echo "valgrind_cli: SKIPPED: valgrind is not installed (apt-get install valgrind)"
	exit 77
fi
case "$SANITIZED" in
ON | on | 1 | TRUE | true)
	echo "valgrind_cli: SKIPPED: this build uses ASan/UBSan, which cannot run under valgrind"
	exit 77
	;;
esac
T=$(mktemp -d "${TMPDIR:-/tmp}/pgtviz-vg.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
status=0
# run NAME EXPECTED-EXIT ARGS...
run() {
	name=$1
	want=$2
	shift 2
	valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,possible \
		--track-origins=yes --quiet --log-file="$T/$name.vg" "$PGTVIZ" "$@" > "$T/$name.out" 2> "$T/$name.err"
	rc=$?
	if [ $rc = 99 ] || [ -s "$T/$name.vg" ]; then
		echo "FAIL $name: valgrind reports errors (pgtviz $*):"
		head -n 60 "$T/$name.vg"
		status=1
	elif [ $rc != "$want" ]; then
		echo "FAIL $name: pgtviz $* exited $rc, expected $want:"
		head -n 5 "$T/$name.err"
		status=1
	else
		echo "ok $name: pgtviz $*: no valgrind errors, no leaks ($(wc -l < "$T/$name.out") lines out)"
	fi
}
run log 0 log pc-4g --scheme top-down
run check 0 check "$SRC/realworld/006-dell-e6510-3.9.8-brk.log"
run import 0 import "$SRC/realworld/039-qemu-kvm-q35-6.1-16g-1tib-reserved.log" -o "$T/imported.json"
run bad-json 2 log "$SRC/bad/scenario/syntax-missing-comma.json"
printf '  \n\t\n' > "$T/blank.json"
run blank-file 2 log "$T/blank.json"
case "$UI" in
ON | on | 1 | TRUE | true)
	run export 0 export pc-4g -o "$T/pc-4g.png" --steps end --size 320x180
	# an error path: the scenario is loaded, then an option is refused
	run export-bad-kernel 2 export pc-4g -o "$T/bad.png" --kernel abc
	if [ -f "$T/pc-4g.png" ]; then
		echo "   export wrote $(wc -c < "$T/pc-4g.png") bytes of PNG"
	else
		echo "FAIL export: no PNG written"
		status=1
	fi
	;;
*) echo "valgrind_cli: export not run: this build has no UI (PGTVIZ_UI=OFF)" ;;
esac
exit $status
