#!/bin/sh
# The examples of `pgtviz export --help` ("For a talk") work as printed:
#
#   sh export_help.sh PGTVIZ
#
# Every command line of the help that starts with "pgtviz export" (with its
# continuation lines) is run in a temporary directory; each must exit 0 and
# write its output (a file, or a directory of PNGs), and there must be at
# least five of them.
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
echo "export_help: ok ($n examples)"
