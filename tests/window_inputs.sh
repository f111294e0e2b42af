#!/bin/sh
# What the window reads after it started (issue 16): paths typed into the
# picker (o, a path, Enter) and the check panel's log (d), attacked with
# what must not hang or crash the window: a FIFO whose writer never
# closes, a FIFO without a writer, /dev/zero, a directory, a symlink loop,
# an over-long path, a binary file, a UTF-16 log, a 60 MB log; and the
# opened log replaced by a FIFO under the window.  Each must leave its own
# message on stderr, and the window must still answer (the next path
# opens, q quits with status 0).
# Usage: window_inputs.sh PGTVIZ_BINARY TESTS_DIR
#
# No fixed delays: each step polls for what it waits for (the picker drawn
# before typing, a message in the log, the window's title, an exit) every
# 0.2 s for up to WAIT s.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
WAIT=${PGTVIZ_SMOKE_WAIT:-60}
. "$(dirname "$0")/xvfb.sh"
xvfb_test "window input test" iconv import compare
said() { grep -qF -- "$1" "$DIR/log"; }
# titled TEXT: the window's title holds TEXT (a log's title names its kernel)
titled() { DISPLAY=$DISP xdotool search --name "$1" >/dev/null 2>&1; }

cd "$DIR" || exit 1
cp "$SRC/realworld/006-dell-e6510-3.9.8-brk.log" good.log
cp "$SRC/realworld/022-lenovo-u310-3.13-brk-snbgfx.log" other.log
mkfifo held.fifo nowriter.fifo
# a writer that holds the FIFO open and never closes (opening it for
# writing blocks until a reader comes, so it runs in the background)
(exec 3>held.fifo; printf 'not yet\n' >&3; sleep 100000) &
HOLD=$!
KEEP_PIDS="$KEEP_PIDS $HOLD"
mkdir adir
ln -s loop loop
printf '\211PNG\r\n\032\n\0\0\0\rIHDR' > binary.bin
iconv -f UTF-8 -t UTF-16LE good.log > utf16.log
(cat "$SRC/realworld/044-gigabyte-78lmt-3.8-kernlog-1g.log"; awk 'BEGIN { l = "[    1.000000] ACPI: Local APIC address 0xfee00000 and some more text to fill the line"; for (i = 0; i < 700000; i++) print l }') > big60.log
LONG=$DIR/$(printf '%01100d' 0 | tr 0 a).log

poll display_up || { echo "FAIL: Xvfb did not start"; exit 1; }
DISPLAY=$DISP "$BIN" window good.log --size 1280x720 >"$DIR/log" 2>&1 &
WPID=$!
# The window not reaching its display is not what this test is about:
# status 3, which tests/ui.cmake retries once on a new display.  (Until
# 8 Dec 2026 Xvfb's reset race, see tests/xvfb.sh, made the window run on
# SDL's offscreen driver, invisible; it now says "no display available" and
# exits 2.)  Any other early exit is a failure.
opened() { titled "Linux 3.9.8-030908"; }
window_up opened good.log

# type PATH into the picker and press Enter
typed() {
	shot "$DIR/closed.png"
	# (keys typed before the picker is drawn would go to the viewer)
	DISPLAY=$DISP xdotool key o
	poll changed "$DIR/closed.png" "$DIR/open.png" || fail "o did not open the picker"
	DISPLAY=$DISP xdotool type --delay 5 "$1"
	DISPLAY=$DISP xdotool key Return
}
# after a failed open the picker stays open with the path: erase it, close
erase() {
	DISPLAY=$DISP xdotool key --delay 2 --repeat $((${#1} + 4)) BackSpace
	shot "$DIR/erased.png"
	DISPLAY=$DISP xdotool key Escape
	poll changed "$DIR/erased.png" "$DIR/shut.png" || fail "Escape did not close the picker"
}
# check_typed PATH MESSAGE: the typed path gets MESSAGE on stderr, the
# window lives
check_typed() {
	typed "$1"
	poll said "$2" || fail "typed '$1': no message '$2'"
	gone $WPID && fail "typed '$1': the window died"
	erase "$1"
}
check_typed "$DIR/held.fifo" "'$DIR/held.fifo' is a FIFO (named pipe), not a regular file: the window opens regular files only"
check_typed "$DIR/nowriter.fifo" "'$DIR/nowriter.fifo' is a FIFO (named pipe), not a regular file"
check_typed /dev/zero "'/dev/zero' is a character device, not a regular file"
check_typed "$DIR/adir" "'$DIR/adir' is a directory, not a scenario file or a log"
check_typed "$DIR/loop" "cannot read '$DIR/loop': Too many levels of symbolic links"
check_typed "$DIR/binary.bin" "binary.bin:3:1: error: file contains a NUL byte"
check_typed "$DIR/utf16.log" "the file is UTF-16LE text"
typed "$LONG"
gone $WPID && fail "a long typed path killed the window"
grep -q "aaaaaaaaaaaaaaaaaaaa" "$DIR/log" && fail "a cut path was opened"
erase "$LONG"
# the 60 MB log opens (a regular file under 64 MiB)
typed "$DIR/big60.log"
poll titled "Linux 3.8.0-26" || fail "the 60 MB log did not open"
# and the window still opens the next file
typed "$DIR/other.log"
poll titled "Linux 3.13" || fail "the window stopped opening files"
# that log replaced by a FIFO whose writer never closes: the reload and
# the check panel (d) say so, nothing waits
rm other.log
mkfifo other.log
(exec 3>other.log; printf 'not yet\n' >&3; sleep 100000) &
HOLD2=$!
KEEP_PIDS="$KEEP_PIDS $HOLD2"
poll said "'$DIR/other.log' is a FIFO (named pipe), not a regular file: the window opens regular files only" ||
	{ kill $HOLD2; fail "the replaced log: no message from the reload"; }
DISPLAY=$DISP xdotool key d
poll said "cannot read '$DIR/other.log': not a regular file (a FIFO (named pipe))" ||
	{ kill $HOLD2; fail "the replaced log: no message from the check panel"; }
gone $WPID && { kill $HOLD2; fail "the replaced log killed the window"; }
DISPLAY=$DISP xdotool key q
poll gone $WPID || { kill $HOLD2; fail "q did not close the window (it hangs)"; }
quit_status # every input case above has passed by now
kill $HOLD2 2>/dev/null
[ $rc -eq 0 ] || fail "exit status $rc"
echo "PASS: typed FIFO (held, no writer), /dev/zero, directory, symlink loop, binary, UTF-16, an over-long path, a 60 MB log; an opened log replaced by a FIFO (reload, check panel)"
