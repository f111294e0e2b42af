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
echo "ok: $COLORS colours, $DIFF pixels changed after stepping"
