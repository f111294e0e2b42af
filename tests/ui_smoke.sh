#!/bin/sh
# Smoke test of the real window under Xvfb: start it, take screenshots,
# step with keys, check the picture is not blank and changes; reload on a
# changed file, keep the old scenario on a broken one, export with e, save
# with s, next theme with t, another scheme with c, open a typed path.
# Usage: ui_smoke.sh PGTVIZ_BINARY
#
# No fixed delays: every step polls for what it waits for (the display
# answering, the first drawn frame, a changed picture, a file, an exit)
# every 0.2 s for up to WAIT seconds, so a loaded machine only makes it
# slower, never wrong.
set -u
BIN=$1
WAIT=${PGTVIZ_SMOKE_WAIT:-60}
. "$(dirname "$0")/xvfb.sh"
xvfb_test "window smoke test" import convert compare

colours() { convert "$1" -format %k info: 2>/dev/null || echo 0; }
# drawn FILE: a screenshot with many colours (the window has drawn a frame)
drawn() { shot "$1" && [ "$(colours "$1")" -ge 20 ]; }

poll display_up || { echo "FAIL: Xvfb did not start"; exit 1; }
DISPLAY=$DISP "$BIN" window pc-4g --size 1280x720 >"$DIR/log" 2>&1 &
WPID=$!
# drawn_or_gone: a frame is drawn, or the window exited (said below)
drawn_or_gone() { drawn "$DIR/a.png" || gone $WPID; }
if ! poll drawn_or_gone || gone $WPID; then
	gone $WPID && { echo "FAIL: window exited early"; cat "$DIR/log"; exit 1; }
	echo "FAIL: no frame drawn within $WAIT s ($(colours "$DIR/a.png") colours)"; exit 1
fi
COLORS=$(colours "$DIR/a.png")
for i in 1 2 3 4 5 6 7 8 9 10; do DISPLAY=$DISP xdotool key Right; done
DISPLAY=$DISP xdotool key End
if ! poll changed "$DIR/a.png" "$DIR/b.png"; then
	echo "FAIL: picture did not change when stepping"; exit 1
fi
DIFF=$(pixels_differ "$DIR/a.png" "$DIR/b.png")
DISPLAY=$DISP xdotool key q
if ! poll gone $WPID; then
	echo "FAIL: q did not close the window"; exit 1
fi
WPID=

# Reload on change, export from the window (e), in a directory of our own.
SRC=$(dirname "$0")/../scenarios/qemu-1g.json
mkdir -p "$DIR/work" "$DIR/cfg"
cp "$SRC" "$DIR/work/s.json"
# This window keeps its recent files (the picker's first rows) in $DIR/state.
(cd "$DIR/work" && exec env -u PGTVIZ_NO_PREFS XDG_CONFIG_HOME="$DIR/cfg" \
	XDG_STATE_HOME="$DIR/state" DISPLAY=$DISP "$BIN" window s.json \
	--size 1280x720 >"$DIR/log2" 2>&1) &
WPID=$!
poll drawn "$DIR/c0.png" || { echo "FAIL: second window drew nothing"; cat "$DIR/log2"; exit 1; }
DISPLAY=$DISP xdotool key End
poll changed "$DIR/c0.png" "$DIR/c.png" || { echo "FAIL: End did not step"; exit 1; }
# A new title: the window reloads by itself.
sed 's/"title": "[^"]*"/"title": "RELOADED SCENARIO WITH A MUCH LONGER TITLE THAN BEFORE"/' \
	"$SRC" >"$DIR/work/s.json.new" && mv "$DIR/work/s.json.new" "$DIR/work/s.json"
if ! poll changed "$DIR/c.png" "$DIR/d.png"; then
	echo "FAIL: the window did not reload the changed file"; cat "$DIR/log2"; exit 1
fi
DIFF2=$(pixels_differ "$DIR/c.png" "$DIR/d.png")
# A broken file keeps the old scenario (the window stays) and reports the error.
printf '{ "format": "pgtviz-scenario/1", "name": ' >"$DIR/work/s.json"
if ! poll grep -q "error" "$DIR/log2"; then
	echo "FAIL: no error reported for the broken file"; cat "$DIR/log2"; exit 1
fi
if gone $WPID; then
	echo "FAIL: the window exited on a broken file"; cat "$DIR/log2"; exit 1
fi
# e: the step range as a GIF (default settings) in the current directory.
DISPLAY=$DISP xdotool key e
gif_written() {
	GIF=$(ls "$DIR/work"/pgtviz-*_steps-*.gif 2>/dev/null | head -1)
	[ -n "$GIF" ] && [ -s "$GIF" ] && ! ls -a "$DIR/work" | grep -q 'tmp-'
}
if ! poll gif_written; then
	echo "FAIL: e wrote no GIF (or left a temporary file)"; ls -la "$DIR/work"; cat "$DIR/log2"
	exit 1
fi
# s: a PNG of the view in the current directory; t: the next theme; c: the
# left pane runs another scheme (each a request the window acts on).
DISPLAY=$DISP xdotool key s
png_written() {
	PNG=$(ls "$DIR/work"/pgtviz-*_step-*.png 2>/dev/null | head -1)
	[ -n "$PNG" ] && [ -s "$PNG" ]
}
poll png_written || { echo "FAIL: s saved no PNG"; ls -la "$DIR/work"; exit 1; }
shot "$DIR/e.png"
DISPLAY=$DISP xdotool key t
poll changed "$DIR/e.png" "$DIR/f.png" || { echo "FAIL: t did not change the theme"; exit 1; }
DISPLAY=$DISP xdotool key c
poll changed "$DIR/f.png" "$DIR/g.png" || { echo "FAIL: c did not re-run the pane"; exit 1; }
# o, then a typed path and Enter: the window opens that file (its title
# says so); the picker takes the letters (q in the path does not quit).
GB=$(cd "$(dirname "$0")/../scenarios" && pwd)/pc-4g-gbpages.json
DISPLAY=$DISP xdotool key o
DISPLAY=$DISP xdotool type --delay 20 "$GB"
DISPLAY=$DISP xdotool key Return
titled() { DISPLAY=$DISP xdotool search --name "The 4 GiB PC with GB pages" >/dev/null 2>&1; }
poll titled || { echo "FAIL: a typed path did not open"; cat "$DIR/log2"; exit 1; }
gone $WPID && { echo "FAIL: the window exited while a path was typed"; exit 1; }
DISPLAY=$DISP xdotool key q
poll gone $WPID || { echo "FAIL: q did not close the second window"; exit 1; }
WPID=
# The file opened from the command line is the first recent file; the
# gallery's own file (typed above) is not listed (the picker shows it anyway).
if [ "$(cat "$DIR/state/pgtviz/recent" 2>/dev/null)" != "$DIR/work/s.json" ]; then
	echo "FAIL: recent files: want just $DIR/work/s.json, got:"
	cat "$DIR/state/pgtviz/recent"
	exit 1
fi
# Without --size, on this 1280x720 screen (a projector as the only
# display), the window fits the screen: its default 1600x900 was placed at
# -160,-90 with its title bar and edges off screen.
DISPLAY=$DISP "$BIN" window qemu-1g >"$DIR/log3" 2>&1 &
WPID=$!
up_or_gone() { DISPLAY=$DISP xdotool search --name "pgtviz - " >/dev/null 2>&1 || gone $WPID; }
poll up_or_gone && ! gone $WPID || { echo "FAIL: the window without --size did not open"; cat "$DIR/log3"; exit 1; }
GEOM=$(DISPLAY=$DISP xdotool search --name "pgtviz - " getwindowgeometry --shell 2>/dev/null)
eval "$(echo "$GEOM" | grep -E '^(X|Y|WIDTH|HEIGHT)=[0-9-]+$')"
if [ -z "${WIDTH:-}" ] || [ "$X" -lt 0 ] || [ "$Y" -lt 0 ] ||
	[ $((X + WIDTH)) -gt 1280 ] || [ $((Y + HEIGHT)) -gt 720 ]; then
	echo "FAIL: the window without --size does not fit the 1280x720 screen:"
	echo "$GEOM"
	exit 1
fi
DISPLAY=$DISP xdotool key q
poll gone $WPID || { echo "FAIL: q did not close the third window"; exit 1; }
WPID=
echo "ok: $COLORS colours, $DIFF pixels changed after stepping; reload changed $DIFF2 pixels;" \
	"exported $(basename "$GIF"), saved $(basename "$PNG"); t and c changed the picture;" \
	"a typed path opened; recent files kept; without --size ${WIDTH}x$HEIGHT at $X,$Y"
