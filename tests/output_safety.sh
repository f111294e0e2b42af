#!/bin/sh
# Output safety of every writer (PNG, PNG sequence, GIF, MP4, WebM, SVG,
# HTML, import -o): one ctest case per CASE (tests/output_safety.cmake).
#
#   sh output_safety.sh PGTVIZ CASE
#
# full-FORMAT   on a full disk (a small tmpfs, mounted here: needs root and a
#               kernel that lets this process mount; skipped with the reason
#               otherwise) the command fails with "error:" and a non-zero
#               exit, the previous good file is intact and nothing else is
#               left behind.
# special       -o onto /dev/null, /dev/stdout, a FIFO with a reader, a FIFO
#               without one and '-' (stdout): written in place, never
#               replaced; MP4 into a FIFO is refused up front (it seeks).
# symlink       -o onto a symlink replaces its target, the link stays; a
#               dangling link is refused.
# tmp-excl      every file a writer creates (import, PNG, PNG sequence, GIF,
#               MP4, WebM, SVG, HTML; ffmpeg included) is created with
#               O_EXCL under a random name, so a planted symlink cannot
#               redirect it (strace; skipped without strace).
# same-input    import LOG -o LOG and export X -o X are refused, LOG intact.
# signal-window SIGTERM while the temporary file exists but its handler is
#               not installed yet (strace holds the export there): the file
#               is still removed (skipped without strace).
# interrupt     SIGTERM (GIF, MP4 through ffmpeg) and SIGINT (PNG sequence,
#               import-sized work) during an export leave no file at all; an
#               ignored SIGHUP (nohup) stays ignored and the export completes.
# Exit 77 = skipped (ctest SKIP_RETURN_CODE).
set -u
PGTVIZ=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
CASE=$2
SRC=$(cd "$(dirname "$0")" && pwd)
LOG=$SRC/realworld/006-dell-e6510-3.9.8-brk.log
export PGTVIZ_NO_PREFS=1
T=$(mktemp -d "${TMPDIR:-/tmp}/pgtviz-out.XXXXXX") || exit 1
MNT=
cleanup() {
	[ -n "$MNT" ] && umount "$MNT" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
cd "$T" || exit 1
fail() {
	echo "output_safety $CASE: FAIL: $*"
	exit 1
}
# Runs "$@" (stderr to err.txt) until it stops refusing because no process
# reads the FIFO yet (the reader may not have opened it); fails, naming
# WHAT, on any other error or after 200 tries.
until_fifo_read() {
	what=$1
	shift
	n=0
	until "$@" 2>err.txt; do
		n=$((n + 1))
		[ $n -lt 200 ] || fail "$what with a reader: $(cat err.txt)"
		grep -q 'no process is reading' err.txt || fail "$what: $(cat err.txt)"
	done
}
has_ui() {
	! "$PGTVIZ" export 2>&1 | grep -q 'this build has no exporter'
}
# Runs "$@", which must fail with an error message; stderr in err.txt.
must_fail() {
	"$@" >out.txt 2>err.txt && fail "exit 0 for: $*"
	grep -q 'error:' err.txt || fail "no 'error:' message for: $* (stderr: $(head -c 300 err.txt))"
	[ -s out.txt ] && fail "stdout not empty for: $*"
	return 0
}

# A tmpfs of $1 KiB at $T/m holding good.OUT ("previous good file"), then
# filled so that only $2 KiB remain free.
full_disk() {
	if [ "$(id -u)" != 0 ]; then
		echo "output_safety $CASE: skipped: mounting a small tmpfs needs root"
		exit 77
	fi
	mkdir m
	if ! mount -t tmpfs -o "size=$1k" pgtviz-test "$T/m" 2>mount.err; then
		echo "output_safety $CASE: skipped: cannot mount a tmpfs here ($(cat mount.err))"
		exit 77
	fi
	MNT=$T/m
	dd if=/dev/zero of=m/fill bs=4k 2>/dev/null
	truncate -s "-$2k" m/fill || fail "truncate"
}

case $CASE in
full-*)
	has_ui || [ "$CASE" = full-import ] || {
		echo "output_safety $CASE: skipped: built without the UI"
		exit 77
	}
	fmt=${CASE#full-}
	case $fmt in
	import) out=good.json free=0 ;;
	png) out=good.png free=8 ;;
	svg) out=good.svg free=4 ;;
	gif) out=good.gif free=64 ;;
	mp4 | webm)
		command -v ffmpeg >/dev/null || {
			echo "output_safety $CASE: skipped: no ffmpeg"
			exit 77
		}
		out=good.$fmt free=48
		;;
	html)
		"$PGTVIZ" export pc-4g -o probe.html 2>html.err || {
			echo "output_safety $CASE: skipped: $(head -1 html.err)"
			exit 77
		}
		rm -f probe.html
		out=good.html free=64
		;;
	pngseq-new) out=seq/ free=64 ;;
	pngseq-existing) out=seqdir free=64 ;;
	*) fail "unknown case" ;;
	esac
	full_disk 1024 1024
	if [ "$fmt" = pngseq-existing ]; then
		mkdir m/seqdir
		printf 'previous good frame\n' >m/seqdir/pc-4g_step-0003.png
	elif [ "$fmt" != pngseq-new ]; then
		printf 'previous good file\n' >"m/$out"
	fi
	truncate -s 0 m/fill
	dd if=/dev/zero of=m/fill bs=4k 2>/dev/null
	truncate -s "-${free}k" m/fill
	before=$(cd m && ls -A | sort | tr '\n' ' ')
	if [ "$fmt" = import ]; then
		must_fail "$PGTVIZ" import "$LOG" -o "m/$out"
	else
		must_fail "$PGTVIZ" export pc-4g --size 640x360 -o "m/$out"
	fi
	after=$(cd m && ls -A | sort | tr '\n' ' ')
	[ "$before" = "$after" ] || fail "files before: '$before' after: '$after' ($(cat err.txt))"
	if [ "$fmt" = pngseq-existing ]; then
		[ "$(ls -A m/seqdir)" = pc-4g_step-0003.png ] || fail "seqdir holds $(ls -A m/seqdir)"
		[ "$(cat m/seqdir/pc-4g_step-0003.png)" = "previous good frame" ] ||
			fail "the previous frame was changed"
	elif [ "$fmt" != pngseq-new ]; then
		[ "$(cat "m/$out")" = "previous good file" ] || fail "the previous file was changed"
	fi
	echo "output_safety $CASE: ok: $(head -1 err.txt)"
	;;
special)
	"$PGTVIZ" import "$LOG" -o /dev/null 2>err.txt || fail "import -o /dev/null: $(cat err.txt)"
	[ -c /dev/null ] || fail "/dev/null is no longer a character device"
	"$PGTVIZ" import "$LOG" -o - >stdout.json 2>err.txt || fail "import -o -"
	grep -q '"format": "pgtviz-scenario/1"' stdout.json || fail "import -o - wrote no JSON"
	mkfifo ff
	must_fail "$PGTVIZ" import "$LOG" -o ff
	grep -q 'no process is reading the FIFO' err.txt || fail "FIFO without reader: $(cat err.txt)"
	cat ff >fifo.json &
	reader=$!
	# the reader may not have opened the FIFO yet: retry until it has
	until_fifo_read "FIFO" "$PGTVIZ" import "$LOG" -o ff
	wait $reader
	[ -p ff ] || fail "the FIFO was replaced"
	grep -q '"format": "pgtviz-scenario/1"' fifo.json || fail "nothing came through the FIFO"
	if has_ui; then
		"$PGTVIZ" export pc-4g --size 320x180 --format svg -o - >s.svg 2>err.txt ||
			fail "export -o -: $(cat err.txt)"
		grep -q '<svg' s.svg || fail "export -o - wrote no SVG"
		"$PGTVIZ" export pc-4g --size 320x180 --format png -o /dev/null 2>err.txt ||
			fail "export -o /dev/null: $(cat err.txt)"
		[ -c /dev/null ] || fail "/dev/null replaced by export"
		"$PGTVIZ" export pc-4g --size 320x180 --steps 0..3 -o /dev/stdout --format gif \
			>s.gif 2>err.txt || fail "export -o /dev/stdout: $(cat err.txt)"
		[ "$(head -c 6 s.gif)" = GIF89a ] || fail "export -o /dev/stdout wrote no GIF"
		cat ff >fifo.gif &
		reader=$!
		until_fifo_read "export into a FIFO" \
			"$PGTVIZ" export pc-4g --size 320x180 --steps 0..3 --format gif -o ff
		wait $reader
		[ -p ff ] || fail "the FIFO was replaced by export"
		[ "$(head -c 6 fifo.gif)" = GIF89a ] || fail "no GIF came through the FIFO"
		if command -v ffmpeg >/dev/null; then
			cat ff >/dev/null &
			reader=$!
			must_fail "$PGTVIZ" export pc-4g --size 320x180 --steps 0..3 --format mp4 -o ff
			grep -q 'MP4 cannot be written into a pipe or FIFO' err.txt ||
				grep -q 'no process is reading' err.txt || fail "mp4 into a FIFO: $(cat err.txt)"
			kill $reader 2>/dev/null
			wait $reader 2>/dev/null
			[ -p ff ] || fail "the FIFO was replaced by the MP4 export"
		fi
	fi
	"$PGTVIZ" import "$LOG" -o /dev/stdout >stdout2.json 2>err.txt ||
		fail "import -o /dev/stdout: $(cat err.txt)"
	grep -q '"format": "pgtviz-scenario/1"' stdout2.json || fail "import -o /dev/stdout wrote no JSON"
	mkdir d
	must_fail "$PGTVIZ" import "$LOG" -o d
	echo "output_safety $CASE: ok"
	;;
symlink)
	printf 'old\n' >target.json
	ln -s target.json link.json
	"$PGTVIZ" import "$LOG" -o link.json 2>err.txt || fail "import onto a link: $(cat err.txt)"
	[ -L link.json ] || fail "the link was replaced"
	grep -q pgtviz-scenario target.json || fail "the target was not written"
	ln -s missing.json dangling.json
	must_fail "$PGTVIZ" import "$LOG" -o dangling.json
	[ -e missing.json ] && fail "a dangling link was followed"
	[ "$(ls -A | grep -c tmp)" = 0 ] || fail "temporary files left: $(ls -A)"
	echo "output_safety $CASE: ok"
	;;
tmp-excl)
	command -v strace >/dev/null || {
		echo "output_safety $CASE: skipped: no strace"
		exit 77
	}
	strace -f -qq -e trace=openat -o probe.trace true 2>/dev/null || {
		echo "output_safety $CASE: skipped: strace cannot trace here"
		exit 77
	}
	# every file created under $T (the output directory) by pgtviz or by a
	# program it runs (ffmpeg, ffprobe) must be created with O_EXCL; ffmpeg
	# writes through an inherited /dev/fd/N
	run_traced() {
		# LeakSanitizer cannot run under ptrace: no leak check while traced
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
			strace -f -qq -e trace=open,openat,creat -o w.trace "$@" >/dev/null 2>err.txt ||
			fail "$*: $(head -3 err.txt)"
		grep 'O_CREAT' w.trace | grep -v 'O_EXCL' |
			grep "(AT_FDCWD, \"\([^/]\|$T/\)" >bad.trace
		[ -s bad.trace ] && fail "created without O_EXCL by '$*': $(head -3 bad.trace)"
		return 0
	}
	run_traced "$PGTVIZ" import "$LOG" -o out.json
	if has_ui; then
		run_traced "$PGTVIZ" export pc-4g --size 320x180 --steps 3 -o a.png
		run_traced "$PGTVIZ" export pc-4g --size 320x180 --steps 3 -o a.svg
		run_traced "$PGTVIZ" export pc-4g --size 320x180 --steps 0..3 -o a.gif
		# a new sequence directory, then frames into the existing one
		run_traced "$PGTVIZ" export pc-4g --size 320x180 --steps 0..3 -o frames/
		run_traced "$PGTVIZ" export pc-4g --size 320x180 --steps 0..3 -o frames/
		if command -v ffmpeg >/dev/null; then
			run_traced "$PGTVIZ" export pc-4g --size 320x180 --steps 0..3 -o a.mp4
			run_traced "$PGTVIZ" export pc-4g --size 320x180 --steps 0..3 -o a.webm
			grep -q '/dev/fd/' w.trace || fail "ffmpeg did not write through /dev/fd/N"
		fi
		if "$PGTVIZ" export pc-4g -o probe.html 2>/dev/null; then
			rm -f probe.html
			run_traced "$PGTVIZ" export pc-4g -o a.html
		fi
	fi
	[ -z "$(ls -A | grep '\.tmp-')" ] || fail "temporary files left: $(ls -A)"
	echo "output_safety $CASE: ok"
	;;
same-input)
	cp "$LOG" in.log
	sum=$(cksum <in.log)
	must_fail "$PGTVIZ" import in.log -o in.log
	grep -q 'also an input' err.txt || fail "$(cat err.txt)"
	ln -s in.log alias.log
	must_fail "$PGTVIZ" import alias.log -o in.log
	[ "$(cksum <in.log)" = "$sum" ] || fail "the input was changed"
	if has_ui; then
		"$PGTVIZ" import in.log -o sc.json 2>/dev/null || fail "import"
		must_fail "$PGTVIZ" export sc.json --format svg -o sc.json
		grep -q pgtviz-scenario sc.json || fail "the scenario was overwritten"
	fi
	echo "output_safety $CASE: ok"
	;;
interrupt)
	has_ui || {
		echo "output_safety $CASE: skipped: built without the UI"
		exit 77
	}
	# A shell starts background jobs with SIGINT ignored; env resets it so
	# that the export sees SIGINT as a terminal's ^C would deliver it.
	env --default-signal=INT true 2>/dev/null || {
		echo "output_safety $CASE: skipped: env has no --default-signal (coreutils < 8.31)"
		exit 77
	}
	for run in gif:TERM seq:INT mp4:TERM webm:INT; do
		fmt=${run%:*}
		sig=${run#*:}
		out=anim.$fmt
		[ $fmt = seq ] && out=frames/
		case $fmt in mp4 | webm) command -v ffmpeg >/dev/null || continue ;; esac
		env --default-signal=INT "$PGTVIZ" export pc-4g --size 1280x720 -o "$out" 2>err.txt &
		pid=$!
		# wait until the export has created its temporary output, then stop it
		n=0
		while [ -z "$(ls -A)" ] || [ "$(ls -A)" = err.txt ]; do
			n=$((n + 1))
			[ $n -lt 3000 ] || break
			kill -0 $pid 2>/dev/null || break
			sleep 0.01 2>/dev/null || sleep 1
		done
		kill -0 $pid 2>/dev/null || fail "$fmt: the export ended before it could be interrupted: $(cat err.txt)"
		[ -n "$(ls -A | grep -v '^err.txt$')" ] || fail "$fmt: no temporary output appeared"
		kill -$sig $pid 2>/dev/null
		wait $pid
		rc=$?
		left=$(ls -A | grep -v '^err.txt$')
		[ -n "$left" ] && fail "$fmt: left behind after SIG$sig (exit $rc): $left"
		[ $rc -ne 0 ] || fail "$fmt: exit 0 after SIG$sig"
	done
	# nohup: an ignored SIGHUP stays ignored, the export completes
	(
		trap '' HUP
		exec "$PGTVIZ" export pc-4g --size 640x360 --steps 0..40 -o kept.gif 2>err.txt
	) &
	pid=$!
	n=0
	while [ -z "$(ls -A | grep '\.tmp-')" ]; do
		n=$((n + 1))
		[ $n -lt 3000 ] || break
		kill -0 $pid 2>/dev/null || break
		sleep 0.01 2>/dev/null || sleep 1
	done
	kill -HUP $pid 2>/dev/null
	wait $pid || fail "nohup: exit $? after an ignored SIGHUP: $(cat err.txt)"
	[ "$(head -c 6 kept.gif)" = GIF89a ] || fail "nohup: no GIF written"
	echo "output_safety $CASE: ok"
	;;
signal-window)
	# A signal between the temporary file's creation and the handler that
	# removes it: strace holds the export at its first rt_sigaction (the
	# handler's installation, right after mkostemp) for 5 s, the temporary
	# file is there, SIGTERM arrives.  The signals are held across that
	# window, so the handler still runs and removes the file (it was left
	# behind: interrupt, 2 of about 15 busy runs on 7 Dec 2026).
	has_ui || {
		echo "output_safety $CASE: skipped: built without the UI"
		exit 77
	}
	command -v strace >/dev/null || {
		echo "output_safety $CASE: skipped: no strace"
		exit 77
	}
	strace -qq -e trace=rt_sigaction -e inject=rt_sigaction:delay_enter=1:when=1 -o /dev/null \
		true 2>/dev/null || {
		echo "output_safety $CASE: skipped: strace cannot inject delays here"
		exit 77
	}
	strace -qq -o /dev/null -e trace=rt_sigaction \
		-e inject=rt_sigaction:delay_enter=5000000:when=1 \
		"$PGTVIZ" export pc-4g --size 640x360 -o held.gif 2>err.txt &
	spid=$!
	n=0
	while [ -z "$(ls -A | grep '\.tmp-')" ]; do
		n=$((n + 1))
		[ $n -lt 3000 ] || fail "no temporary output appeared: $(cat err.txt)"
		kill -0 $spid 2>/dev/null || fail "the export ended first: $(cat err.txt)"
		sleep 0.01 2>/dev/null || sleep 1
	done
	pid=$(pgrep -P $spid | head -n 1)
	[ -n "$pid" ] || fail "no export process under strace"
	kill -TERM $pid
	wait $spid
	rc=$?
	left=$(ls -A | grep -v '^err.txt$')
	[ -n "$left" ] && fail "left behind after SIGTERM in the handler's window (exit $rc): $left"
	[ $rc -ne 0 ] || fail "exit 0 after SIGTERM"
	echo "output_safety $CASE: ok"
	;;
prefs-fifo)
	has_ui || {
		echo "output_safety $CASE: skipped: built without the UI"
		exit 77
	}
	# a FIFO (no writer) as the saved export settings: ignored with a warning,
	# never a hang (ctest's TIMEOUT catches one), never replaced
	mkdir -p cfg/pgtviz
	mkfifo cfg/pgtviz/export.conf
	unset PGTVIZ_NO_PREFS
	XDG_CONFIG_HOME=$T/cfg "$PGTVIZ" export pc-4g --size 320x180 -o p.png 2>err.txt ||
		fail "export with a FIFO as settings: $(cat err.txt)"
	grep -q "warning: ignoring the saved export settings .*not a regular file" err.txt ||
		fail "no warning: $(cat err.txt)"
	[ -p cfg/pgtviz/export.conf ] || fail "the FIFO was replaced"
	echo "output_safety $CASE: ok"
	;;
*)
	fail "unknown case"
	;;
esac
exit 0
