#!/bin/sh
# Architecture checks (docs/architecture.md), run by ctest:
#
#  1. src/core (and its public header include/pgtviz/core.h) is C11 + libc
#     only: no SDL, no cJSON, no stdio file functions (string formatting
#     with snprintf is allowed), no clocks, no other file or process I/O.
#  2. The SDL-free view library (pgtviz_view: the files cmake/view_sources.cmake
#     lists) includes no SDL, SDL_ttf, SDL_image, giflib or fontconfig header,
#     neither directly nor through the headers of src/ui and include/pgtviz
#     it includes, and CMakeLists.txt links it to none of them.
#  3. No source file is longer than 1,200 lines.  Files still over the limit
#     are listed in OVER below with their issue; the check fails if any other
#     file is too long, and also when a listed one is back under the limit
#     (so the list only shrinks).
#  4. No cycle between the files of src/core, by #include and (given the
#     core library) by calls: tests/core_graph.sh.
#  5. Inside the view library, the frame (view.c, view_*.c, drawlist.c,
#     camera.c) sits below input, the session and the inspector: it includes
#     neither input.h nor session.h and calls no function those headers or
#     inspect.h declare (what it needs from them, e.g. the help rows, comes
#     in through pgt_view_params).
#  6. One error path: outside the printer (src/load/diag.c) no C string in
#     src or web spells out a message's shape (": error: ", ": warning: ",
#     ": note: "); messages go through pgt_diags (app_error, app_note,
#     pgt_diags_add) and come out of pgt_diags_print in one shape.
#
#   sh tests/layers.sh SOURCE_DIR [libpgtviz_core.a]
set -u
SRC=${1:-$(dirname "$0")/..}
LIB=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$SRC" || exit 1
fail=0

# Known files over the limit, waiting for their split (issue 13).
OVER=""

core_files=$(ls src/core/*.c src/core/*.h include/pgtviz/core.h)
# Forbidden includes.
bad=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](SDL|cjson/|cJSON|time\.h|sys/time\.h|sys/stat\.h|fcntl\.h|unistd\.h|dirent\.h|pthread\.h)' \
	$core_files)
if [ -n "$bad" ]; then
	echo "FAIL: src/core includes a header outside C11 + libc computation:"
	echo "$bad"
	fail=1
fi
# Forbidden calls (comments stripped first; snprintf/vsnprintf are fine).
calls='\b(fopen|fdopen|freopen|fclose|fread|fwrite|fgets|fputs|fputc|fprintf|vfprintf|printf|vprintf|puts|putchar|getchar|fflush|fseek|ftell|rewind|tmpfile|remove|rename|perror|FILE|stdin|stdout|stderr|clock|clock_gettime|gettimeofday|time|getenv|system|popen|exit|abort)[[:space:]]*\('
for f in $core_files; do
	hits=$(sed -e 's://.*$::' "$f" | awk '
		{ line = $0
		  while (1) {
			if (incom) { e = index(line, "*/"); if (!e) { line = ""; break }
				line = substr(line, e + 2); incom = 0 }
			s = index(line, "/*"); if (!s) break
			out = out substr(line, 1, s - 1); line = substr(line, s + 2); incom = 1 }
		  print NR ": " out line; out = "" }' | grep -E "$calls" | grep -vE '\b(v?snprintf)[[:space:]]*\(' || true)
	# FILE as a type (FILE *) is caught without the parenthesis too
	hits2=$(sed -e 's://.*$::' "$f" | grep -nE '\bFILE[[:space:]]*\*' || true)
	if [ -n "$hits$hits2" ]; then
		echo "FAIL: $f uses I/O or a clock:"
		printf '%s\n%s\n' "$hits" "$hits2" | sed '/^$/d'
		fail=1
	fi
done

# The SDL-free view library.
view_names=$(sed -n '/^set(PGTVIZ_VIEW_NAMES/,/)/p' cmake/view_sources.cmake |
	sed -e 's/set(PGTVIZ_VIEW_NAMES//' -e 's/)//')
if [ -z "$view_names" ]; then
	echo "FAIL: no PGTVIZ_VIEW_NAMES list in cmake/view_sources.cmake"
	fail=1
fi
sdl_inc='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](SDL|SDL2/|gif_lib|fontconfig/)'
# Files to look at: the list, then every project header they include (closure).
todo=""
for n in $view_names; do
	if [ ! -f "src/ui/$n" ]; then
		echo "FAIL: cmake/view_sources.cmake names src/ui/$n, which does not exist"
		fail=1
	fi
	todo="$todo src/ui/$n"
done
seen=""
while [ -n "$todo" ]; do
	set -- $todo
	f=$1
	shift
	todo="$*"
	case " $seen " in *" $f "*) continue ;; esac
	[ -f "$f" ] || continue
	seen="$seen $f"
	bad=$(grep -nE "$sdl_inc" "$f" || true)
	if [ -n "$bad" ]; then
		echo "FAIL: $f is part of the SDL-free view library but includes a backend header:"
		echo "$bad"
		fail=1
	fi
	for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		for d in include src/ui; do
			[ -f "$d/$h" ] && todo="$todo $d/$h"
		done
	done
done
links=$(sed -n '/target_link_libraries(pgtviz_view/,/)/p' CMakeLists.txt)
if [ -z "$links" ] || printf '%s\n' "$links" | grep -qiE 'SDL|GIF|fontconfig'; then
	echo "FAIL: CMakeLists.txt must link pgtviz_view to no backend library: $links"
	fail=1
fi

# The frame calls nothing above it in the view library.
frame_files=$(ls src/ui/view.c src/ui/view_*.c src/ui/view_internal.h src/ui/drawlist.c \
	src/ui/camera.c 2>/dev/null)
above=""
for h in input session inspect; do
	above="$above $(grep -oE '\bpgt_[a-z0-9_]+[[:space:]]*\(' include/pgtviz/$h.h | tr -d ' (')"
done
above=$(printf '%s\n' $above | sort -u | tr '\n' '|' | sed 's/|$//')
bad=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"pgtviz/(input|session)\.h"' \
	$frame_files || true)
calls=""
if [ -n "$above" ]; then
	calls=$(grep -nE "\b($above)[[:space:]]*\(" $frame_files || true)
fi
if [ -n "$bad$calls" ]; then
	echo "FAIL: the view's frame reaches up into input / session / inspector" \
		"(pass what it needs in pgt_view_params):"
	printf '%s\n%s\n' "$bad" "$calls" | sed '/^$/d'
	fail=1
fi

# One error path (comments stripped first; one awk over every file).
msg_files=$(git ls-files 'src/*.c' 'src/*.h' 'web/*.c' 2>/dev/null || find src -name '*.[ch]')
msg_files=$(for f in $msg_files; do [ -f "$f" ] && [ "$f" != src/load/diag.c ] && echo "$f"; done)
hits=$(awk '
	FNR == 1 { incom = 0 }
	{ line = $0; out = ""
	  while (1) {
		if (incom) { e = index(line, "*/"); if (!e) { line = ""; break }
			line = substr(line, e + 2); incom = 0 }
		s = index(line, "/*"); c = index(line, "//")
		if (c && (!s || c < s)) { line = substr(line, 1, c - 1); break }
		if (!s) break
		out = out substr(line, 1, s - 1); line = substr(line, s + 2); incom = 1 }
	  text = out line
	  if (text ~ /"[^"]*: (error|warning|note): /) print FILENAME ":" FNR ": " text }' $msg_files)
if [ -n "$hits" ]; then
	echo "FAIL: a message shape spelled out; add it to a pgt_diags list (app_error," \
		"app_note, pgt_diags_add) so the one printer writes it:"
	printf '%s\n' "$hits"
	fail=1
fi

# File length.
for f in $(git ls-files 'src/*.c' 'src/*.h' 'include/*.h' 'tests/*.c' 'tests/*.h' 'web/*.c' \
	'web/*.h' 2>/dev/null || find src include tests -name '*.[ch]'); do
	[ -f "$f" ] || continue
	n=$(wc -l <"$f")
	listed=0
	for o in $OVER; do [ "$o" = "$f" ] && listed=1; done
	if [ "$n" -gt 1200 ] && [ $listed = 0 ]; then
		echo "FAIL: $f has $n lines (the limit is 1,200): split it along its seams"
		fail=1
	elif [ "$n" -le 1200 ] && [ $listed = 1 ]; then
		echo "FAIL: $f is down to $n lines: remove it from OVER in tests/layers.sh"
		fail=1
	fi
done
# No cycles between the files of the core.
sh "$HERE/core_graph.sh" "$SRC" $LIB || fail=1

[ $fail = 0 ] && echo "ok: src/core is libc-only computation; the view library ($(echo $seen | wc -w) files) is SDL-free and its frame calls nothing above it; every message goes through the one printer; no file over 1,200 lines${OVER:+ (except: $OVER)}"
exit $fail
