#!/bin/sh
# No cycles between the files of src/core (docs/architecture.md, "The
# core's inside"): the core is layered, each file calling only the files
# below it.  Two graphs are checked, each for a cycle:
#
#  1. #include graph: module X (X.c with its X.h) -> module Y when X.c or X.h
#     includes "Y.h" (quoted includes of src/core only; a header without a .c,
#     sim_state.h, is a module of its own).  Also fails on a function
#     prototype written inside a .c file for a function of another file (the
#     way around the headers).
#  2. call graph (when a core library is given): object X.o -> Y.o when X.o
#     uses a function that Y.o defines (nm), so a call that bypasses the
#     headers is caught too.
#
#   sh tests/core_graph.sh SOURCE_DIR [libpgtviz_core.a]
#
# A cycle is printed as the modules on it: "FAIL: ... cycle: a -> b -> a".
set -u
SRC=${1:-$(dirname "$0")/..}
LIB=${2:-}
fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# Prints a cycle of the directed graph on stdin ("from to" lines), if any.
find_cycle() {
	awk '
	{ if ($1 != $2) { adj[$1] = adj[$1] " " $2 }; node[$1] = 1; node[$2] = 1 }
	function dfs(u,   n, vs, i, v, k, p) {
		color[u] = 1; stack[++depth] = u
		n = split(adj[u], vs, " ")
		for (i = 1; i <= n; i++) {
			v = vs[i]
			if (color[v] == 1) {
				p = v
				for (k = depth; k >= 1 && stack[k] != v; k--) ;
				for (k = k + 1; k <= depth; k++) p = p " -> " stack[k]
				print p " -> " v
				found = 1
				return 1
			}
			if (!color[v] && dfs(v)) return 1
		}
		color[u] = 2; depth--
		return 0
	}
	END { for (u in node) if (!color[u] && dfs(u)) exit 0 }'
}

core="$SRC/src/core"
[ -d "$core" ] || { echo "FAIL: no $core"; exit 1; }

# --- 1. include graph -------------------------------------------------------
for f in "$core"/*.c "$core"/*.h; do
	[ -f "$f" ] || continue
	b=$(basename "$f")
	from=${b%.*}
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)\.h".*/\1/p' "$f" |
		while read -r to; do
			[ -f "$core/$to.h" ] && echo "$from $to"
		done
done >"$tmp/inc"
cyc=$(find_cycle <"$tmp/inc")
if [ -n "$cyc" ]; then
	echo "FAIL: src/core #include cycle: $cyc"
	fail=1
fi

# Prototypes in a .c file of functions defined in another core file.
for f in "$core"/*.c; do
	[ -f "$f" ] || continue
	sed -n 's/^[a-z_][a-z0-9_ *]*[ *]\([a-z_][a-z0-9_]*\)(.*;[[:space:]]*$/\1/p' "$f" | sort -u |
		while read -r fn; do
			for g in "$core"/*.c; do
				[ "$g" = "$f" ] && continue
				if grep -qE "^[a-z_][a-z0-9_ *]*[ *]$fn\([^;]*$" "$g"; then
					echo "FAIL: $(basename "$f") declares $fn() of $(basename "$g") itself: include its header"
				fi
			done
		done
done >"$tmp/proto"
# A header declares the functions of its own .c only (else the include graph
# would not be the call graph): X.h's prototypes are defined in X.c.
for h in "$core"/*.h; do
	[ -f "$h" ] || continue
	c=${h%.h}.c
	sed -e 's://.*$::' "$h" | tr '\n' ' ' | sed 's/;/;\n/g' |
		sed -n 's/^.*[ *]\([a-z_][a-z0-9_]*\)([^()]*\(([^()]*)[^()]*\)*)[[:space:]]*;$/\1/p' |
		while read -r fn; do
			if [ ! -f "$c" ] || ! grep -qE "^[a-z_][a-z0-9_ *]*[ *]$fn\(" "$c"; then
				echo "FAIL: $(basename "$h") declares $fn(), which $(basename "$c") does not define"
			fi
		done
done >>"$tmp/proto"
if [ -s "$tmp/proto" ]; then
	cat "$tmp/proto"
	fail=1
fi

# --- 2. call graph from the objects --------------------------------------------
if [ -n "$LIB" ]; then
	if ! nm -A "$LIB" >"$tmp/nm" 2>"$tmp/nm.err"; then
		echo "FAIL: nm $LIB: $(cat "$tmp/nm.err")"
		exit 1
	fi
	# "archive:member.o: [addr] T sym" -> member, type, symbol
	awk '{ n = split($1, p, ":"); m = p[n - 1]; sub(/\.c\.o$|\.o$/, "", m)
	       print m, $(NF - 1), $NF }' "$tmp/nm" >"$tmp/syms"
	awk '$2 == "T" { def[$3] = $1 } $2 == "U" { use[++n] = $1 " " $3 }
	     END { for (i = 1; i <= n; i++) { split(use[i], x, " ")
	                if (x[2] in def) print x[1], def[x[2]] } }' "$tmp/syms" | sort -u >"$tmp/calls"
	if [ ! -s "$tmp/calls" ]; then
		echo "FAIL: no calls between the objects of $LIB (is it the core library?)"
		fail=1
	fi
	cyc=$(find_cycle <"$tmp/calls")
	if [ -n "$cyc" ]; then
		echo "FAIL: src/core call cycle between files: $cyc"
		fail=1
	fi
fi

if [ $fail = 0 ]; then
	echo "ok: no #include cycle$([ -n "$LIB" ] && echo " and no call cycle") between the files of src/core"
fi
exit $fail
