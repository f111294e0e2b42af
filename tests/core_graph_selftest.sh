#!/bin/sh
# Shows that tests/core_graph.sh can fail: it is run on small made-up
# src/core trees, each with one fault, and must reject every one of them
# (and accept the clean one).  Needs a C compiler and ar for the call-graph
# case.
#
#   sh tests/core_graph_selftest.sh [CC]
set -u
here=$(cd "$(dirname "$0")" && pwd)
CC=${1:-cc}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# tree NAME: an empty made-up source tree, prints its src/core
tree() {
	mkdir -p "$tmp/$1/src/core"
	echo "$tmp/$1/src/core"
}
# expect WANT NAME [LIB]: runs the check, WANT is ok or FAIL, with the text
# the FAIL line must hold
expect() {
	want=$1 text=$2 name=$3
	shift 3
	out=$(sh "$here/core_graph.sh" "$tmp/$name" "$@" 2>&1)
	rc=$?
	if [ "$want" = ok ] && [ $rc = 0 ]; then
		echo "ok: $name accepted"
	elif [ "$want" = FAIL ] && [ $rc != 0 ] && printf '%s\n' "$out" | grep -q "$text"; then
		echo "ok: $name rejected: $(printf '%s\n' "$out" | grep "$text" | head -1)"
	else
		echo "FAIL: $name: wanted $want ($text), got exit $rc:"
		printf '%s\n' "$out"
		fail=1
	fi
}

# clean: low.c below high.c
d=$(tree clean)
printf 'int low(int x);\n' >"$d/low.h"
printf '#include "low.h"\nint low(int x)\n{\n\treturn x + 1;\n}\n' >"$d/low.c"
printf '#include "low.h"\nint high(int x);\n' >"$d/high.h"
printf '#include "high.h"\nint high(int x)\n{\n\treturn low(x) * 2;\n}\n' >"$d/high.c"
expect ok "" clean

# include cycle: low.h includes high.h
cp -r "$tmp/clean" "$tmp/inc"
printf '#include "high.h"\nint low(int x);\n' >"$tmp/inc/src/core/low.h"
expect FAIL "#include cycle" inc

# a prototype of another file's function written in a .c file
cp -r "$tmp/clean" "$tmp/proto"
printf '#include "low.h"\nint high(int x);\nint low(int x)\n{\n\treturn x ? high(x - 1) : 0;\n}\n' \
	>"$tmp/proto/src/core/low.c"
expect FAIL "declares high() of high.c itself" proto

# a header that declares another file's function
cp -r "$tmp/clean" "$tmp/hdr"
printf 'int low(int x);\nint high(int x);\n' >"$tmp/hdr/src/core/low.h"
expect FAIL "low.h declares high()" hdr

# call cycle in the objects (the headers say nothing of it)
cp -r "$tmp/proto" "$tmp/calls"
rm -f "$tmp/calls/src/core/low.c"
printf '#include "low.h"\nint low(int x)\n{\n\treturn x;\n}\n' >"$tmp/calls/src/core/low.c"
if command -v "$CC" >/dev/null 2>&1 && command -v ar >/dev/null 2>&1; then
	o="$tmp/obj"
	mkdir -p "$o"
	printf 'int high(int x);\nint low(int x)\n{\n\treturn x ? high(x - 1) : 0;\n}\n' >"$o/low.c"
	printf 'int low(int x);\nint high(int x)\n{\n\treturn low(x) * 2;\n}\n' >"$o/high.c"
	(cd "$o" && "$CC" -c low.c -o low.c.o && "$CC" -c high.c -o high.c.o &&
		ar rc libcore.a low.c.o high.c.o) || { echo "FAIL: cannot build the objects"; exit 1; }
	expect ok "" calls
	expect FAIL "call cycle" calls "$o/libcore.a"
else
	echo "FAIL: no C compiler ($CC) or ar for the call-graph case"
	fail=1
fi

[ $fail = 0 ] && echo "ok: core_graph.sh rejects every faulty tree"
exit $fail
