#!/bin/sh
# Rebuilds every figure and the GIF of docs/tutorial.md into
# docs/media/tutorial/.  The steps are found from `pgtviz trace`, not
# hard-coded, so the figures follow the simulation when it changes.
#
#   scripts/make-tutorial-media.sh [PGTVIZ]    (default: build/pgtviz)
set -eu
cd "$(dirname "$0")/.."
PGTVIZ=${1:-build/pgtviz}
OUT=docs/media/tutorial
[ -x "$PGTVIZ" ] || { echo "make-tutorial-media: $PGTVIZ not found; build first (cmake --build build)" >&2; exit 2; }
mkdir -p "$OUT"

SIZE=1600x900

# First event of a trace matching a pattern (its number is the step of a
# single-pane export).
first_event() { # SCENARIO SCHEME PATTERN [extra trace options]
	sc=$1 scheme=$2 pat=$3
	shift 3
	"$PGTVIZ" trace "scenarios/$sc.json" --scheme "$scheme" "$@" 2>/dev/null |
		awk -v p="$pat" '$0 ~ p { print $1; exit }'
}

png() { # NAME SCENARIO [export options]
	name=$1 sc=$2
	shift 2
	echo "  $OUT/$name.png"
	"$PGTVIZ" export "scenarios/$sc.json" -o "$OUT/$name.png" --size "$SIZE" "$@"
}

echo "make-tutorial-media: writing $OUT"

# 1. The reference PC, both schemes, at the end.
png 01-pc-4g pc-4g

# 1b. Tables high (2.6.39-3.0, good_end = end) next to back below 512 MiB
#     (3.1-3.8), at the end of both runs.
png 13-tables-high-vs-low pc-4g --schemes old@3.0,old@3.8

# 1c. 3.9+ native: the first table linked into a reachable parent, with the
#     caption that says the CPU does not use it until load_cr3().
s=$(first_event pc-4g top-down 'hook .*[(](live|reachable from the root)[)]')
png 14-new-not-live-yet pc-4g --schemes new --steps "$s"

# 2. The mail's example: chunk-end a few chunks in (PTE page #12 allocated),
#    zoomed on the first 32 MiB so each PTE page at the top of its chunk is
#    a mark of its own, and the linear buffer of the same machine at the
#    same moment (the whole map: the buffer is below 512 MiB).
s=$(first_event mail-0-1g-4k chunk-end 'alloc PTE #12 ')
png 02-mail-chunk-end mail-0-1g-4k --schemes chunk-end --steps "$s" --view 0x0..0x2000000
s=$(first_event mail-0-1g-4k pgtbuf 'alloc PTE #12 ')
png 03-mail-pgtbuf mail-0-1g-4k --schemes old --steps "$s"

# 3. The live patient: the first violation under the pgt_buf_end rule.
s=$(first_event xen-live-patient pgtbuf 'VIOLATION')
png 04-xen-violation xen-live-patient --schemes old --steps "$s"

# 4. kdump: the end of both runs (3.8 fails, 3.9 reserves 512 MiB at 384 MiB),
#    and 3.8 next to 5.8 (below 4 GiB by default from 5.2).
png 05-kdump kdump-512m-under-768m
png 15-kdump-5.8 kdump-512m-under-768m --schemes old@3.8,new@5.8

# 5. The old scheme panics; the new one boots.
png 06-old-panics old-panics --schemes old
png 07-old-panics-new old-panics --schemes new

# 5b. 3.7-rc2 (1bbbbe779aab before 844ab6f993b1) at its panic next to 3.7
#     (the fix), on a map constructed from the code.
png 17-gbpages-hole-3.7-rc2 gbpages-hole-3.7-rc2 --schemes old@3.7-rc2,old@3.7

# 6. The largest pgt_buf: end of the 4k-only 64 GiB run.
png 08-debug-64g-4k debug-64g-4k

# 7. An initrd at the top of RAM: the first top-down chunk, zoomed on the
#    top 128 MiB of RAM (the chunk, the initrd above it).
s=$(first_event initrd-top top-down 'call 3 ')
png 09-initrd-top initrd-top --schemes new --steps "$s" --view 0x78000000..0x80000000

# 8. movable_node: bottom-up next to top-down, at the end.
png 10-movable-node movable-node

# 9. Servers: GB pages and a two-node box.
png 11-server-128g server-128g-gbpages
png 12-numa-256g numa-256g

# The GIF: the 3.9 top-down scheme building a 1 GiB guest, every step, the
# camera following each event; 1280x720, where captions and notes wrap
# whole (below 520 px of height they are cut).
echo "  $OUT/qemu-1g-top-down.gif"
"$PGTVIZ" export scenarios/qemu-1g.json -o "$OUT/qemu-1g-top-down.gif" --schemes new \
	--size 1280x720 --fps 4 --hold-markers 1

# 10. A slide (issue 12): the Xen failure and its fix side by side, 1280x720,
#     zoomed on the top of the buffer, at the refused pin; the long notes and
#     the timeline are left out so the maps get the room.
echo "  $OUT/16-xen-fix-slide.png"
"$PGTVIZ" export scenarios/xen-live-patient.json -o "$OUT/16-xen-fix-slide.png" \
	--schemes old@2.6.39-rc1:xen-end,old@3.0:xen-top --steps violation \
	--size 1280x720 --view 0x7ee00000..0x7f000000 --no-overlays caption,timeline

# 11. A 30 s clip of the mail's example: chunk-end, the camera following each
#     new table to the end of the chunk just mapped.
echo "  $OUT/mail-chunk-end-30s.mp4"
"$PGTVIZ" export scenarios/mail-0-1g-4k.json -o "$OUT/mail-chunk-end-30s.mp4" \
	--schemes chunk-end --duration 30 --size 1280x720

echo "make-tutorial-media: done"
