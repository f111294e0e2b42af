#!/bin/sh
# Smoke test of the real window under Xvfb: start it, take screenshots,
# step with keys, check the picture is not blank and changes.
# Usage: ui_smoke.sh PGTVIZ_BINARY
set -u
BIN=$1
for tool in Xvfb xdotool import convert; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "SKIP: $tool not installed, window smoke test not run"
		exit 0
	fi
done
DIR=$(mktemp -d)
DISP=:$((90 + $$ % 100))
Xvfb $DISP -screen 0 1280x720x24 >/dev/null 2>&1 &
XPID=$!
cleanup() {
	[ -n "${WPID:-}" ] && kill $WPID 2>/dev/null
	kill $XPID 2>/dev/null
	rm -rf "$DIR"
}
trap cleanup EXIT
sleep 1
DISPLAY=$DISP "$BIN" window pc-4g --size 1280x720 >"$DIR/log" 2>&1 &
WPID=$!
sleep 2
if ! kill -0 $WPID 2>/dev/null; then
	echo "FAIL: window exited early"; cat "$DIR/log"; exit 1
fi
DISPLAY=$DISP import -window root "$DIR/a.png"
for i in 1 2 3 4 5 6 7 8 9 10; do DISPLAY=$DISP xdotool key Right; done
DISPLAY=$DISP xdotool key End
sleep 0.5
DISPLAY=$DISP import -window root "$DIR/b.png"
# Not blank: many distinct colours.
COLORS=$(convert "$DIR/a.png" -format %k info:)
if [ "$COLORS" -lt 20 ]; then
	echo "FAIL: first screenshot looks blank ($COLORS colours)"; exit 1
fi
# Stepping changed the picture.
DIFF=$(compare -metric AE "$DIR/a.png" "$DIR/b.png" null: 2>&1 | cut -d' ' -f1)
if [ "${DIFF%.*}" -lt 100 ]; then
	echo "FAIL: picture did not change when stepping ($DIFF pixels)"; exit 1
fi
DISPLAY=$DISP xdotool key q
sleep 0.5
if kill -0 $WPID 2>/dev/null; then
	echo "FAIL: q did not close the window"; exit 1
fi
WPID=

# Reload on change, export from the window (e), in a directory of our own.
SRC=$(dirname "$0")/../scenarios/qemu-1g.json
mkdir -p "$DIR/work" "$DIR/cfg"
cp "$SRC" "$DIR/work/s.json"
(cd "$DIR/work" && XDG_CONFIG_HOME="$DIR/cfg" DISPLAY=$DISP "$BIN" window s.json --size 1280x720 \
	>"$DIR/log2" 2>&1) &
WPID=$!
sleep 2
DISPLAY=$DISP xdotool key End
sleep 0.3
DISPLAY=$DISP import -window root "$DIR/c.png"
# A new title: the window reloads by itself within a second or so.
sed 's/"title": "[^"]*"/"title": "RELOADED SCENARIO WITH A MUCH LONGER TITLE THAN BEFORE"/' \
	"$SRC" >"$DIR/work/s.json.new" && mv "$DIR/work/s.json.new" "$DIR/work/s.json"
sleep 1.5
DISPLAY=$DISP import -window root "$DIR/d.png"
DIFF2=$(compare -metric AE "$DIR/c.png" "$DIR/d.png" null: 2>&1 | cut -d' ' -f1)
if [ "${DIFF2%.*}" -lt 100 ]; then
	echo "FAIL: the window did not reload the changed file ($DIFF2 pixels)"; cat "$DIR/log2"; exit 1
fi
# A broken file keeps the old scenario (the window stays) and reports the error.
printf '{ "format": "pgtviz-scenario/1", "name": ' >"$DIR/work/s.json"
sleep 1.5
if ! kill -0 $WPID 2>/dev/null; then
	echo "FAIL: the window exited on a broken file"; cat "$DIR/log2"; exit 1
fi
if ! grep -q "error" "$DIR/log2"; then
	echo "FAIL: no error reported for the broken file"; cat "$DIR/log2"; exit 1
fi
# e: the step range as a GIF (default settings) in the current directory.
DISPLAY=$DISP xdotool key e
sleep 2
GIF=$(ls "$DIR/work"/pgtviz-*_steps-*.gif 2>/dev/null | head -1)
if [ -z "$GIF" ] || [ ! -s "$GIF" ]; then
	echo "FAIL: e wrote no GIF"; ls -la "$DIR/work"; cat "$DIR/log2"; exit 1
fi
if ls -a "$DIR/work" | grep -q 'tmp-'; then
	echo "FAIL: a temporary file was left behind"; ls -la "$DIR/work"; exit 1
fi
DISPLAY=$DISP xdotool key q
sleep 0.5
WPID=
echo "ok: $COLORS colours, $DIFF pixels changed after stepping; reload changed $DIFF2 pixels;" \
	"exported $(basename "$GIF")"
