# Shared by the window tests under Xvfb (ui_smoke.sh, window_inputs.sh):
# sourced, not run.  Needs WAIT (seconds) set by the caller.
#
# own_xvfb: starts an Xvfb of our own, never on :0, :57 or :99 (taken on
# shared machines): from a number derived from the PID, the first display
# whose lock file our Xvfb writes (a display another Xvfb holds makes ours
# exit; two tests started together must not end up on one display).  Sets
# XPID and DISP.
own_xvfb() {
	n=$((100 + $$ % 800))
	XPID=
	while :; do
		case $n in 57 | 99) n=$((n + 1)) ;; esac
		if [ ! -e /tmp/.X$n-lock ]; then
			Xvfb :$n -screen 0 1280x720x24 >/dev/null 2>&1 &
			XPID=$!
			k=$((WAIT * 5))
			while [ $k -gt 0 ] && kill -0 $XPID 2>/dev/null &&
				[ "$(tr -d ' \n' </tmp/.X$n-lock 2>/dev/null)" != "$XPID" ]; do
				sleep 0.2
				k=$((k - 1))
			done
			[ "$(tr -d ' \n' </tmp/.X$n-lock 2>/dev/null)" = "$XPID" ] && break
			kill $XPID 2>/dev/null
		fi
		n=$((n + 1))
		[ $n -ge 900 ] && n=100
	done
	DISP=:$n
}

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
