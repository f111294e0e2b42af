#!/bin/sh
# expect.sh PGTVIZ EXIT LAST SUBSTRING ARGS...: runs `PGTVIZ ARGS...`, checks the
# exit status, that the last line starts with LAST, and that SUBSTRING occurs.
set -u
bin=$1 want=$2 last=$3 sub=$4
shift 4
out=$("$bin" "$@" 2>&1)
rc=$?
l=$(printf '%s\n' "$out" | tail -n 1)
ok=1
[ "$rc" -eq "$want" ] || { echo "FAIL: exit $rc, expected $want"; ok=0; }
case "$l" in "$last"*) ;; *) echo "FAIL: last line '$l', expected '$last...'"; ok=0 ;; esac
case "$out" in *"$sub"*) ;; *) echo "FAIL: output lacks '$sub'"; ok=0 ;; esac
[ "$ok" -eq 1 ] || { printf '%s\n' "$out"; exit 1; }
echo "ok"
