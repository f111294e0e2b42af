#!/bin/sh
# Regenerates the pictures the docs show, with the program itself:
#   docs/media/pc-4g-light.png        light theme, 1920x1080, pc-4g at a telling step
#   docs/media/xen-violation-dark.png dark theme, xen-live-patient at its first violation
#   docs/media/window.png             the window (under Xvfb when available)
#   docs/media/pc-4g.gif              the chapters of pc-4g, one frame a second
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
# pc-4g: at step 86 the old scheme has mapped all RAM below 4 GiB from its
# buffer below 512 MiB, the new one maps low RAM last with its tables from
# memblock at the top of RAM.
"$P" export pc-4g -o "$M/pc-4g-light.png" --theme light --size 1920x1080 --steps 86
"$P" export xen-live-patient -o "$M/xen-violation-dark.png" --theme dark --size 1920x1080 \
	--steps violation
# The chapters only (each call, buffer, step-size change, note), the whole
# map (camera off: a frame a second is too short to follow a zoom), at
# 1280x720, where captions and notes wrap whole (at 800x450 they were cut).
"$P" export pc-4g -o "$M/pc-4g.gif" --size 1280x720 --steps markers --fps 1 --hold-markers 0 \
	--theme light --camera off
if command -v Xvfb >/dev/null && command -v xdotool >/dev/null && command -v import >/dev/null; then
	D=:$((100 + $$ % 800))
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
	# The camera has zoomed each pane on its event; hover the new scheme's
	# memblock PMD page at the top of RAM (0x13ffff000) for the tooltip.
	DISPLAY=$D xdotool mousemove 1535 300
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
