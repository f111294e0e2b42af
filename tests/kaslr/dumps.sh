#!/bin/sh
# dumps.sh PGTVIZ: the dumps print the virtual addresses of a measured
# direct-map base (tests/kaslr/pc-4g-kaslr-base.json: 0xffff8c7f80000000,
# physical 0 in entry 510 of PGD slot 280's PUD page) -- ptdump, ptdump
# --table, trace, the inspector drawn by export -- and --direct-map-base
# overrides the scenario's base.
set -u
bin=$1
dir=$(dirname "$0")
sc=$dir/pc-4g-kaslr-base.json
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
has() { # WHAT FILE STRING
	if ! grep -qF -- "$3" "$2"; then
		echo "FAIL: $1 lacks '$3'"
		sed -n 1,12p "$2"
		fail=1
	fi
}
lacks() { # WHAT FILE STRING
	if grep -qF -- "$3" "$2"; then
		echo "FAIL: $1 has '$3'"
		fail=1
	fi
}
run() { # OUT ARGS...
	out=$1
	shift
	if ! "$bin" "$@" >"$tmp/$out" 2>"$tmp/$out.err"; then
		echo "FAIL: pgtviz $* exited non-zero"
		cat "$tmp/$out.err"
		fail=1
	fi
}
run ptdump ptdump "$sc"
has ptdump "$tmp/ptdump" "0xffff8c7f80000000-0xffff8c7f80200000"
has ptdump "$tmp/ptdump" "0xffff8c8080000000-0xffff8c80c0000000           1G     RW"
lacks ptdump "$tmp/ptdump" "0xffff888"
run root ptdump "$sc" --table 0
has "ptdump --table 0" "$tmp/root" "entries 280-407 of 512"
has "ptdump --table 0" "$tmp/root" " 281       -> PUD table"
run pud ptdump "$sc" --table 1
has "ptdump --table 1" "$tmp/pud" "covers 0xffff8c0000000000-0xffff8c8000000000"
has "ptdump --table 1" "$tmp/pud" " 510       -> PMD table #2 at 0x1f01000 (covers 0xffff8c7f80000000-"
run trace trace "$sc"
has trace "$tmp/trace" "hook PUD #1 @0x1f00000 into #0[280]"
has trace "$tmp/trace" "hook PMD #2 @0x1f01000 into #1[510]"
has trace "$tmp/trace" "into #0[281]"
run over ptdump "$sc" --direct-map-base 0xffff9a0000000000
has "ptdump --direct-map-base" "$tmp/over" "0xffff9a0000000000-0xffff9a0000200000"
run inspect export "$sc" --inspect 1 --schemes top-down -o "$tmp/inspect.svg"
has "export --inspect 1" "$tmp/inspect.svg" "0xffff8c0000000000"
has "export --inspect 1" "$tmp/inspect.svg" "0xffff8c7f80000000"
[ "$fail" -eq 0 ] && echo ok
exit "$fail"
