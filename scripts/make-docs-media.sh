#!/bin/sh
# Regenerates the pictures the docs show, with the program itself:
#   docs/media/pc-4g-light.png        light theme, 1920x1080, pc-4g at a telling step
#   docs/media/xen-violation-dark.png dark theme, xen-live-patient at its first violation
#   docs/media/window.png             the window (under Xvfb when available)
#   docs/media/pc-4g.gif              a small animation (800 px wide)
# and docs/glossary.md from the glossary table.
# Usage: scripts/make-docs-media.sh [BUILD_DIR]   (default: build)
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
P=$B/pgtviz
if [ ! -x "$P" ]; then
	echo "make-docs-media: $P not found; build first (cmake -S . -B $B && cmake --build $B)" >&2
	exit 2
fi
M=docs/media
mkdir -p "$M"
# pc-4g: step 86 is the new scheme's last call taking its tables from memblock
# at the top of RAM while the old scheme's second pgt_buf sits below 3 GiB.
"$P" export pc-4g -o "$M/pc-4g-light.png" --theme light --size 1920x1080 --steps 86
"$P" export xen-live-patient -o "$M/xen-violation-dark.png" --theme dark --size 1920x1080 \
	--steps violation
# The chapters only (each call, buffer, step-size change): small enough for a README.
"$P" export pc-4g -o "$M/pc-4g.gif" --size 800x450 --steps markers --fps 1 --hold-markers 0 \
	--theme light
if command -v Xvfb >/dev/null && command -v xdotool >/dev/null && command -v import >/dev/null; then
	D=:$((150 + $$ % 50))
	Xvfb "$D" -screen 0 1600x900x24 >/dev/null 2>&1 &
	XPID=$!
	trap 'kill $XPID 2>/dev/null || true' EXIT
	sleep 1
	if ! kill -0 $XPID 2>/dev/null; then
		echo "make-docs-media: could not start Xvfb on $D" >&2
		exit 1
	fi
	DISPLAY=$D "$P" window pc-4g --size 1600x900 --theme dark >/dev/null 2>&1 &
	WPID=$!
	WID=$(DISPLAY=$D xdotool search --sync --onlyvisible --name '^pgtviz' | head -n 1)
	DISPLAY=$D xdotool windowmove "$WID" 0 0 windowfocus "$WID"
	sleep 1
	for i in $(seq 1 86); do DISPLAY=$D xdotool key Right; done
	# Hover the new scheme's memblock table page (top of RAM) for the tooltip.
	DISPLAY=$D xdotool mousemove 1570 432
	sleep 1
	DISPLAY=$D import -window root "$M/window.png"
	DISPLAY=$D xdotool key q
	wait $WPID 2>/dev/null || true
else
	echo "make-docs-media: Xvfb/xdotool/ImageMagick missing: window.png is an export" >&2
	"$P" export pc-4g -o "$M/window.png" --theme dark --size 1600x900 --steps 40
fi
if [ -x "$B/tests/test_ui_narrate" ]; then
	"$B/tests/test_ui_narrate" --write-glossary docs/glossary.md
fi
ls -l "$M"/pc-4g-light.png "$M"/xen-violation-dark.png "$M"/window.png "$M"/pc-4g.gif
