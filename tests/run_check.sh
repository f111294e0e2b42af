#!/bin/sh
# Drives one real-log test case (see tests/realworld.cmake):
#   run_check.sh PGTVIZ LOG MATCHED COMPARED EXIT
# 1. `PGTVIZ import LOG` must exit 0;
# 2. `PGTVIZ check LOG` must exit EXIT and its last line must start with
#    "check: MATCHED of COMPARED lines match (model ".
# On failure the whole output is shown.  POSIX sh only.
set -u
if [ "$#" -ne 5 ]; then
	echo "usage: run_check.sh PGTVIZ LOG MATCHED COMPARED EXIT" >&2
	echo "(no row for this log in tests/realworld/expected.tsv?)" >&2
	exit 2
fi
bin=$1 log=$2 matched=$3 compared=$4 want=$5

out=$("$bin" import "$log" 2>&1 >/dev/null)
rc=$?
if [ "$rc" -ne 0 ]; then
	printf '%s\n' "$out" >&2
	echo "FAIL: 'pgtviz import $log' exited $rc (expected 0)" >&2
	exit 1
fi

out=$("$bin" check "$log" 2>&1)
rc=$?
last=$(printf '%s\n' "$out" | tail -n 1)
expect="check: $matched of $compared lines match (model "
case "$last" in
"$expect"*) line_ok=1 ;;
*) line_ok=0 ;;
esac
if [ "$line_ok" -ne 1 ] || [ "$rc" -ne "$want" ]; then
	printf '%s\n' "$out" >&2
	echo "FAIL: expected exit $want and a last line starting with '$expect'" >&2
	echo "      got exit $rc and '$last'" >&2
	exit 1
fi
echo "ok: $last (exit $rc)"
exit 0
