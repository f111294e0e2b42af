#!/bin/sh
# A DISPLAY that nobody serves: the window says so and exits 2.  SDL 2.26,
# asked for no driver in particular, goes on to its offscreen driver when
# X11 and Wayland refuse; the window then ran where nobody could see it and
# never ended (the `timeout` turns that into a failure here).
# Usage: window_display_refused.sh PGTVIZ_BINARY
set -u
BIN=$1
# a sanitized build: libdbus's own allocations (through SDL) are not ours
SUPP=$(cd "$(dirname "$0")" && pwd)/lsan-system.supp
export LSAN_OPTIONS="suppressions=$SUPP${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
if [ -e /tmp/.X65534-lock ]; then
	echo "SKIP: display :65534 is served on this machine"
	exit 0
fi
out=$(env -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER DISPLAY=:65534 timeout 60 "$BIN" window pc-4g 2>&1)
rc=$?
echo "$out"
[ $rc -eq 2 ] || { echo "FAIL: status $rc, not 2"; exit 1; }
case $out in
*"no display available (could not connect to DISPLAY=:65534"*) ;;
*) echo "FAIL: no message naming DISPLAY=:65534"; exit 1 ;;
esac
case $out in
*"pgtviz export pc-4g -o pc-4g.png"*) ;;
*) echo "FAIL: the export command is not named"; exit 1 ;;
esac
echo "ok: status 2, the message names DISPLAY=:65534 and the export command"
