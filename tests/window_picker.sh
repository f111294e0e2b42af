#!/bin/sh
# The picker (o) opens on the scenario on screen, and --title titles the
# window while its scenario is open (issue 12).
# Usage: window_picker.sh PGTVIZ_BINARY TESTS_DIR
#
# The window starts on a gallery file with --title; its title is the one
# given.  o, Down, Enter opens the gallery row after the open scenario's
# (the picker highlighted the first row, pc-4g, whatever was open, so Down
# went to qemu-1g); the window is then titled by that scenario, not by
# --title, which named the first one.  No fixed delays: each step polls
# (every 0.2 s, up to WAIT s).  Status 3: the window found no display on
# its Xvfb (tests/window_picker.cmake retries that once).
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
WAIT=${PGTVIZ_SMOKE_WAIT:-60}
. "$(dirname "$0")/xvfb.sh"
xvfb_test "window picker test" import compare
# title_is TEXT: the window's title is "pgtviz - TEXT"
title_is() {
	DISPLAY=$DISP xdotool search --name . getwindowname %@ 2>/dev/null | grep -qxF "pgtviz - $1"
}
# The gallery row after mail-0-1g-4k's: the next scenarios/*.json by file
# name (the picker sorts them with strcmp), and its title.
SCEN=$SRC/../scenarios
NEXT=$(cd "$SCEN" && ls -- *.json | LC_ALL=C sort | grep -A1 -x 'mail-0-1g-4k.json' | sed -n 2p)
[ -n "$NEXT" ] || fail "no gallery file after mail-0-1g-4k.json"
"$BIN" list 2>/dev/null | awk '/^gallery/ { exit } { print }' | grep -q "^ *${NEXT%.json} " &&
	fail "${NEXT%.json} is a built-in: the picker does not list its file; pick another start"
NEXT_TITLE=$(sed -n 's/^ *"title": *"\(.*\)",* *$/\1/p' "$SCEN/$NEXT" | head -n 1)
[ -n "$NEXT_TITLE" ] || fail "no title in $NEXT"

cd "$DIR" || exit 1
poll display_up || { echo "FAIL: Xvfb did not start"; exit 1; }
DISPLAY=$DISP "$BIN" window mail-0-1g-4k --title 'A slide: the mail, 0 to 1 GiB' \
	--size 1280x720 >"$DIR/log" 2>&1 &
WPID=$!
opened() { title_is 'A slide: the mail, 0 to 1 GiB'; }
window_up opened mail-0-1g-4k "the window is not titled by --title"
shot "$DIR/closed.png"
DISPLAY=$DISP xdotool key o
poll changed "$DIR/closed.png" "$DIR/open.png" || fail "o did not open the picker"
DISPLAY=$DISP xdotool key Down Return
poll title_is "$NEXT_TITLE" ||
	fail "o, Down, Enter did not open ${NEXT%.json} (the row after the open scenario)"
gone $WPID && fail "the window died"
DISPLAY=$DISP xdotool key q
poll gone $WPID || fail "q did not close the window"
quit_status
[ $rc -eq 0 ] || fail "exit status $rc"
echo "PASS: --title titles the window; the picker opened on mail-0-1g-4k (Down, Enter: ${NEXT%.json})"
