#!/bin/sh
# Golden frames: exports the frames listed in tests/golden/frames.list with
# the real binary and compares the SHA-256 of every file written with
# tests/golden/frames.sha256.
#
#   sh tests/golden_frames.sh PGTVIZ            compare (the ctest case)
#   sh tests/golden_frames.sh PGTVIZ --update   rewrite frames.sha256
#
# A change that is meant to alter pictures regenerates the hashes with
# scripts/update-golden-frames.sh in the same commit, and its message says
# so; any other change must leave every frame byte-identical.  Set
# GOLDEN_KEEP=DIR to keep the exported files (to look at a difference).
# The hashes depend on the fonts fontconfig picks on the machine (the
# project's test machine: Debian, fonts-dejavu-core).
set -u
PGTVIZ=$1
MODE=${2:-check}
SRC=$(cd "$(dirname "$0")" && pwd)
LIST=$SRC/golden/frames.list
SUMS=$SRC/golden/frames.sha256
SCEN=$(cd "$SRC/../scenarios" && pwd)
export PGTVIZ_NO_PREFS=1
unset PGTVIZ_FONT 2>/dev/null || true

if [ -n "${GOLDEN_KEEP:-}" ]; then
	T=$GOLDEN_KEEP
	rm -rf "$T" && mkdir -p "$T" || exit 1
else
	T=$(mktemp -d "${TMPDIR:-/tmp}/pgtviz-golden.XXXXXX") || exit 1
	trap 'rm -rf "$T"' EXIT INT TERM
fi
out=$T/out
mkdir -p "$out" || exit 1
got=$T/got.sha256
: > "$got"
failed=0
tab=$(printf '\t')
while IFS="$tab" read -r name args; do
	case $name in '#'* | '') continue ;; esac
	# shellcheck disable=SC2086 # the arguments are words
	set -- $(printf '%s\n' "$args" | sed -e "s|OUT|$out/$name|" -e "s|SCEN|$SCEN|")
	if ! "$PGTVIZ" export "$@" >"$T/stdout" 2>"$T/stderr"; then
		echo "golden: export $name failed:"
		cat "$T/stderr"
		failed=1
		continue
	fi
	(cd "$out" && find "$name" -type f | LC_ALL=C sort | xargs sha256sum) >>"$got"
done <"$LIST"
[ "$failed" = 0 ] || exit 1

if [ "$MODE" = --update ]; then
	cp "$got" "$SUMS" && echo "golden: wrote $(wc -l <"$SUMS") hashes to $SUMS"
	exit 0
fi
if [ ! -s "$got" ]; then
	echo "golden: no frame written"
	exit 1
fi
if ! diff -u "$SUMS" "$got" >"$T/diff"; then
	echo "golden: frames differ from tests/golden/frames.sha256 (- recorded, + now):"
	grep '^[-+][0-9a-f]' "$T/diff"
	echo "golden: if the change is meant to alter pictures, run scripts/update-golden-frames.sh"
	echo "golden: and say so in the commit message; GOLDEN_KEEP=DIR keeps the frames to look at."
	exit 1
fi
echo "golden: $(wc -l <"$got") frames byte-identical"
