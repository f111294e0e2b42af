#!/bin/sh
# Clip length and thinning of `pgtviz export` (--duration, --stride, --long),
# measured on the files written:
#
#   sh clip_length.sh PGTVIZ CASE
#
# CASE gif:    --duration 12 GIF; ffprobe must read 12.00 s.
# CASE mp4:    --duration 7.5 at 30 fps; ffprobe: 7.50 s and 225 frames.
# CASE stride: --stride 50 PNG sequence; the files are every 50th step of
#              the range plus its markers, notes and last step (the steps
#              `--steps markers` lists), nothing else.
# CASE long:   a 701 s GIF is refused without --long (exit 2, nothing
#              written) and written with it (ffprobe: 701 s).
# CASE end:    a camera clip of a completed run (the mail's example,
#              chunk-end) ends on the whole map: its last GIF frame is the
#              frame of `--steps end --camera on` (no window still travelling
#              there); needs ImageMagick's convert and compare.
# Exit 77 = skipped (no ffprobe / ffmpeg / ImageMagick).
set -u
PGTVIZ=$1
CASE=$2
export PGTVIZ_NO_PREFS=1
command -v ffprobe >/dev/null || {
	echo "clip_length $CASE: skipped: no ffprobe"
	exit 77
}
T=$(mktemp -d "${TMPDIR:-/tmp}/pgtviz-clip.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
fail() {
	echo "clip_length $CASE: FAIL: $*"
	exit 1
}
# seconds FILE -> the container's duration
seconds() {
	ffprobe -v error -show_entries format=duration -of csv=p=0 "$1"
}
# near A B: |A - B| < 0.011
near() {
	awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < 0.011) }'
}
S=xen-live-patient
case $CASE in
gif)
	"$PGTVIZ" export $S -o "$T/x.gif" --size 320x180 --duration 12 || fail "export failed"
	d=$(seconds "$T/x.gif")
	near "$d" 12 || fail "the GIF lasts $d s, not 12"
	;;
mp4)
	command -v ffmpeg >/dev/null || {
		echo "clip_length mp4: skipped: no ffmpeg"
		exit 77
	}
	"$PGTVIZ" export $S -o "$T/x.mp4" --size 320x180 --fps 30 --duration 7.5 ||
		fail "export failed"
	d=$(seconds "$T/x.mp4")
	near "$d" 7.5 || fail "the MP4 lasts $d s, not 7.5"
	n=$(ffprobe -v error -select_streams v:0 -count_packets \
		-show_entries stream=nb_read_packets -of csv=p=0 "$T/x.mp4")
	[ "$n" = 225 ] || fail "the MP4 has $n frames, not 225"
	;;
stride)
	"$PGTVIZ" export $S -o "$T/seq/" --size 320x180 --steps 0..400 --stride 50 ||
		fail "export failed"
	"$PGTVIZ" export $S -o "$T/marks/" --size 160x120 --steps markers || fail "markers failed"
	got=$(ls "$T/seq" | sed 's/.*step-0*\([0-9]\)/\1/; s/\.png$//' | sort -n | tr '\n' ' ')
	want=$({
		seq 0 50 400
		ls "$T/marks" | sed 's/.*step-0*\([0-9]\)/\1/; s/\.png$//' |
			awk '$1 <= 400'
	} | sort -n -u | tr '\n' ' ')
	[ "$got" = "$want" ] || fail "wrote steps [$got], expected [$want]"
	;;
long)
	if "$PGTVIZ" export $S -o "$T/l.gif" --size 160x120 --steps 0..700 --fps 1 \
		--hold-markers 0 2>"$T/err"; then
		fail "a 701 s GIF was written without --long"
	fi
	grep -q "would last 11 min 41 s" "$T/err" || fail "message: $(cat "$T/err")"
	[ ! -e "$T/l.gif" ] || fail "the refused GIF was written"
	"$PGTVIZ" export $S -o "$T/l.gif" --size 160x120 --steps 0..700 --fps 1 \
		--hold-markers 0 --long || fail "--long export failed"
	d=$(seconds "$T/l.gif")
	near "$d" 701 || fail "the GIF lasts $d s, not 701"
	;;
end)
	command -v convert >/dev/null && command -v compare >/dev/null || {
		echo "clip_length end: skipped: no ImageMagick"
		exit 77
	}
	M=mail-0-1g-4k
	"$PGTVIZ" export $M -o "$T/c.gif" --schemes chunk-end --size 640x360 --duration 6 ||
		fail "export failed"
	"$PGTVIZ" export $M -o "$T/e.gif" --schemes chunk-end --size 640x360 --steps end \
		--camera on || fail "end export failed"
	convert "$T/c.gif" -coalesce "$T/c-%03d.png" || fail "convert failed"
	convert "$T/e.gif" -coalesce "$T/e-%03d.png" || fail "convert failed"
	last=$(ls "$T"/c-*.png | tail -n 1)
	ae=$(compare -metric AE "$last" "$T/e-000.png" "$T/d.png" 2>&1)
	[ "$ae" = 0 ] || fail "the clip's last frame differs from the whole map in $ae pixels"
	;;
*)
	fail "unknown case"
	;;
esac
echo "clip_length $CASE: ok"
