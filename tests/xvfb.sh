# Shared by the window tests under Xvfb (ui_smoke.sh, window_inputs.sh,
# window_picker.sh): sourced, not run.  Needs WAIT (seconds) set by the
# caller.
#
# own_xvfb: starts an Xvfb of our own, never on :0, :57 or :99 (taken on
# shared machines): from a number derived from the PID, the first display
# whose lock file our Xvfb writes (a display another Xvfb holds makes ours
# exit; two tests started together must not end up on one display), that
# answers, and whose Xvfb is still ours after answering (Xvfb writes its lock
# before it listens, and exits if a server elsewhere holds the socket name).
# Sets XPID and DISP; Xvfb's own messages go to $DIR/xvfb.log.
#
# -noreset: by default Xvfb resets when its last client disconnects, and a
# client whose connection arrives in the same wakeup as that disconnect is
# dropped; SDL 2.26 then goes on to its offscreen driver (before the window
# refused that) and the window ran where no test could see it.  The poll
# below disconnects its probe just before the window connects, so every
# test's window met that race (reproduced by stopping Xvfb between the two).
own_xvfb() {
	n=$((100 + $$ % 800))
	XPID=
	while :; do
		case $n in 57 | 99) n=$((n + 1)) ;; esac
		if [ ! -e /tmp/.X$n-lock ]; then
			Xvfb :$n -noreset -nolisten tcp -screen 0 1280x720x24 \
				>"${DIR:-/tmp}/xvfb.log" 2>&1 &
			XPID=$!
			DISP=:$n
			k=$((WAIT * 5))
			while [ $k -gt 0 ] && kill -0 $XPID 2>/dev/null; do
				[ "$(lock_pid $n)" = "$XPID" ] && display_up &&
					kill -0 $XPID 2>/dev/null && return 0
				sleep 0.2
				k=$((k - 1))
			done
			kill $XPID 2>/dev/null
		fi
		n=$((n + 1))
		[ $n -ge 900 ] && n=100
	done
}
lock_pid() { tr -d ' \n' 2>/dev/null </tmp/.X$1-lock; }

# poll CMD...: runs CMD every 0.2 s until it succeeds; fails after WAIT s.
poll() {
	n=$((WAIT * 5))
	while [ $n -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}
display_up() { DISPLAY=$DISP xdotool getdisplaygeometry >/dev/null 2>&1; }
shot() { DISPLAY=$DISP import -window root "$1" 2>/dev/null; }
pixels_differ() { compare -metric AE "$1" "$2" null: 2>&1 | cut -d' ' -f1 | cut -d. -f1; }

# xvfb_test WHAT TOOL...: the common start of a window test.  SKIP (exit 0)
# when Xvfb, xdotool or a TOOL is missing; the environment the test needs,
# whatever the caller exported; DIR, a temporary directory; an Xvfb of our
# own (own_xvfb).  On exit the window ($WPID), the PIDs in $KEEP_PIDS, the
# Xvfb and DIR go.
XVFB_TESTS=$(cd "$(dirname "$0")" && pwd)
xvfb_test() {
	what=$1
	shift
	for tool in Xvfb xdotool "$@"; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "SKIP: $tool not installed, $what not run"
			exit 0
		fi
	done
	unset SDL_VIDEODRIVER SDL_RENDER_DRIVER WAYLAND_DISPLAY
	export PGTVIZ_NO_PREFS=1
	# a sanitized build: libdbus's own allocations (through SDL) are not ours
	export LSAN_OPTIONS="suppressions=$XVFB_TESTS/lsan-system.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
	DIR=$(mktemp -d)
	XPID=
	KEEP_PIDS=
	trap xvfb_cleanup EXIT
	own_xvfb
}
xvfb_cleanup() {
	[ -n "${WPID:-}" ] && kill $WPID 2>/dev/null
	for pid in ${KEEP_PIDS:-}; do kill $pid 2>/dev/null; done
	[ -n "$XPID" ] && kill $XPID 2>/dev/null
	rm -rf "$DIR"
}
gone() { ! kill -0 "$1" 2>/dev/null; }
# changed FROM TO: a new screenshot TO differs from FROM in >= 100 pixels
changed() { shot "$2" && [ "$(pixels_differ "$1" "$2")" -ge 100 ]; }

# fail MSG: says why, with what the display, the window ($DIR/log) and Xvfb
# show, and exits with $FAIL_STATUS (1 unless set).
fail() {
	echo "FAIL: $*"
	echo "--- windows on $DISP: $(DISPLAY=$DISP xdotool search --name . getwindowname %@ 2>&1 | tr '\n' '|')"
	[ -n "${WPID:-}" ] && echo "--- pgtviz: $(ps -o stat=,wchan=,etime= -p $WPID 2>&1)"
	echo "--- window's stderr:"
	cat "$DIR/log"
	echo "--- Xvfb's stderr:"
	tail -n 20 "$DIR/xvfb.log"
	exit ${FAIL_STATUS:-1}
}

# window_up CHECK WHAT [MESSAGE]: polls the command CHECK (the window is up)
# until it holds or the window ($WPID) exits.  Not up: fails (MESSAGE, else
# "the window did not open WHAT").  Exited: fails with status 3 when the
# window found no display on our Xvfb (the callers' ctest command retries
# that once on a new display), else 1.
up_or_gone() { "$1" || gone $WPID; }
window_up() {
	poll up_or_gone "$1" || fail "${3:-the window did not open $2}"
	if gone $WPID; then
		wait $WPID
		rc=$?
		grep -q "no display available" "$DIR/log" && FAIL_STATUS=3
		fail "the window exited with status $rc before it opened $2"
	fi
}

# quit_status: waits for the window ($WPID) that was asked to quit and sets
# rc to its exit status.  Known outside pgtviz (7 Dec 2026, 2 of about 25
# busy runs): at quit, SDL 2.26's X11 backend under Xvfb can get BadWindow
# on an X_SendEvent (likely its wake-up message racing the window's
# destruction, docs/status.md), and Xlib's default error handler exits
# with 1.  That one case is reported, not failed (rc 0); any other status
# (a crash, a signal) stays.
quit_status() {
	wait $WPID
	rc=$?
	WPID=
	if [ $rc -eq 1 ] && tail -6 "$DIR/log" | grep -q "X Error of failed request:  BadWindow" &&
		tail -6 "$DIR/log" | grep -q "X_SendEvent"; then
		echo "note: exit status 1 from Xlib's default error handler at quit (BadWindow on X_SendEvent):"
		tail -6 "$DIR/log"
		rc=0
	fi
}
