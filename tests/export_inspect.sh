#!/bin/sh
# `pgtviz export --inspect [PANE:]N` draws the table-page inspector into the
# frames it writes:
#
#   sh export_inspect.sh PGTVIZ
#
# An SVG of the Xen violation (2.6.39-rc1) with PTE table #1019 inspected
# holds the panel's title, its counts and the alias line; the same frame
# without --inspect holds none of them.  A short GIF and a PNG sequence with
# --inspect are written (every frame shows the page's entries at that step;
# frames before the table exists have no panel).
set -u
PGTVIZ=$1
export PGTVIZ_NO_PREFS=1
T=$(mktemp -d "${TMPDIR:-/tmp}/pgtviz-inspect.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
fail() {
	echo "export_inspect: FAIL: $*"
	exit 1
}
X="xen-live-patient --schemes old@2.6.39-rc1 --steps violation --size 1280x720"
# shellcheck disable=SC2086
"$PGTVIZ" export $X --inspect 1019 -o "$T/with.svg" || fail "export --inspect 1019 (svg)"
# shellcheck disable=SC2086
"$PGTVIZ" export $X -o "$T/without.svg" || fail "export without --inspect (svg)"
for want in "PTE table #1019 at" "512 of 512 entries present" "WRITABLE: the alias" \
	"--table 1019 --step"; do
	grep -qF -- "$want" "$T/with.svg" || fail "the panel lacks \"$want\""
	! grep -qF -- "$want" "$T/without.svg" || fail "\"$want\" without --inspect"
done
! grep -qF "Escape closes" "$T/with.svg" || fail "an exported frame says how to close it"
# the pane by the scheme it runs, in a clip and a sequence
"$PGTVIZ" export qemu-1g --inspect new:1 --steps 0..10 --size 640x360 -o "$T/c.gif" ||
	fail "export --inspect new:1 (gif)"
[ -s "$T/c.gif" ] || fail "no GIF written"
"$PGTVIZ" export qemu-1g --inspect right:1 --steps 58..61 --size 640x360 --format png-seq -o "$T/seq" ||
	fail "export --inspect right:1 (png-seq)"
[ "$(ls "$T/seq" | wc -l)" -eq 4 ] || fail "png-seq: want 4 files, got $(ls "$T/seq")"
echo "export_inspect: ok"
