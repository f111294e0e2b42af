#!/bin/sh
# The examples of `pgtviz export --help` ("For a talk") work as printed:
#
#   sh export_help.sh PGTVIZ
#
# Every command line of the help that starts with "pgtviz export" (with its
# continuation lines) is run in a temporary directory; each must exit 0 and
# write its output (a file, or a directory of PNGs), and there must be at
# least five of them.  The named sizes: 720p is 1280x720, 4k 3840x2160.
set -u
PGTVIZ=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
export PGTVIZ_NO_PREFS=1
T=$(mktemp -d "${TMPDIR:-/tmp}/pgtviz-help.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
fail() {
	echo "export_help: FAIL: $*"
	exit 1
}
"$PGTVIZ" export --help > "$T/help.txt" || fail "export --help exited $?"
# one example a line: continuation lines joined
awk '/^  pgtviz export / { cmd = $0; while (cmd ~ /\\$/ && (getline line) > 0) { sub(/\\$/, "", cmd); cmd = cmd line }; print cmd }' \
	"$T/help.txt" > "$T/examples.txt"
n=$(wc -l < "$T/examples.txt")
[ "$n" -ge 5 ] || fail "only $n examples in export --help"
if ! command -v ffmpeg >/dev/null 2>&1; then
	echo "export_help: note: no ffmpeg, MP4/WebM examples not run"
fi
cd "$T" || exit 1
while IFS= read -r cmd; do
	out=$(printf '%s\n' "$cmd" | sed -n 's/.* -o \([^ ]*\).*/\1/p')
	[ -n "$out" ] || fail "no -o in: $cmd"
	case $out in *.mp4 | *.webm) command -v ffmpeg >/dev/null 2>&1 || continue ;; esac
	cmd=$(printf '%s\n' "$cmd" | sed 's/^ *pgtviz /"$PGTVIZ" /')
	eval "$cmd" 2> err.txt || fail "exit $?: $cmd: $(cat err.txt)"
	[ -s "$out" ] || [ -n "$(ls -A "$out" 2>/dev/null)" ] || fail "nothing written to $out: $cmd"
	echo "ok: $out"
done < "$T/examples.txt"
# --size 720p is 1280x720 (the PNG's IHDR)
png_size() {
	od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d", (($1 * 256 + $2) * 256 + $3) * 256 + $4, (($5 * 256 + $6) * 256 + $7) * 256 + $8 }'
}
grep -q -- '-o crash.png --size 720p' "$T/examples.txt" || fail "no 720p slide among the examples"
[ "$(png_size crash.png)" = 1280x720 ] || fail "--size 720p wrote $(png_size crash.png), not 1280x720"
"$PGTVIZ" export pc-4g -o big.png --size 4k --steps 0 || fail "--size 4k"
[ "$(png_size big.png)" = 3840x2160 ] || fail "--size 4k wrote $(png_size big.png), not 3840x2160"
echo "export_help: ok ($n examples)"
