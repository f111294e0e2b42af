#!/bin/sh
# Checks (and, as root with apt-get, installs) the Debian packages pgtviz needs.
# usage: scripts/deps.sh build|test|web
#   build  the compiler, SDL2, cJSON, fonts ...
#   test   build + what the tests run (Xvfb, ImageMagick, ffmpeg ...) + web
#   web    build + the browser build and its tests: Emscripten, node-acorn,
#          Chromium, fontTools (font subsets), and Debian's cJSON *source*
#          (Debian has no wasm cJSON, so the wasm build compiles Debian's own
#          source package, fetched with `apt-get source` into $CJSON_SRC_DIR)
# Prints what is missing and exits 2 when it cannot install it.  The web
# part is optional: without it the build still works, `export -o X.html`
# says what is missing and the browser tests are skipped.
set -eu

BUILD_PKGS="gcc make cmake pkg-config libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libcjson-dev libfontconfig-dev libgif-dev fonts-dejavu-core"
TEST_PKGS="xvfb xdotool imagemagick ffmpeg clang-format qemu-system-x86 ovmf"
WEB_PKGS="emscripten node-acorn chromium python3-fonttools python3-brotli dpkg-dev"
# Where Debian's cJSON source is unpacked for the wasm build (CMake looks here).
CJSON_SRC_DIR=${PGTVIZ_CJSON_SRC_DIR:-/usr/local/src/pgtviz}

want=$BUILD_PKGS
case "${1:-build}" in
test) want="$BUILD_PKGS $TEST_PKGS $WEB_PKGS" ;;
web) want="$BUILD_PKGS $WEB_PKGS" ;;
esac

# Debian's cjson source package, the same version as the installed
# libcjson-dev, unpacked (with Debian's patches) into $CJSON_SRC_DIR.  Uses a
# private apt source list, so the system's apt configuration is untouched.
cjson_source() {
	ls "$CJSON_SRC_DIR"/cjson-*/cJSON.c >/dev/null 2>&1 && return 0
	ver=$(dpkg-query -W -f='${source:Version}' libcjson-dev 2>/dev/null || true)
	if [ "$(id -u)" != 0 ] || [ -z "$ver" ] || ! command -v apt-get >/dev/null 2>&1; then
		echo "pgtviz: note: no cJSON source for the browser build in $CJSON_SRC_DIR;" >&2
		echo "pgtviz: note: run 'scripts/deps.sh web' as root to fetch Debian's (optional)" >&2
		return 0
	fi
	tmp=$(mktemp -d)
	mkdir -p "$tmp/lists/partial" "$CJSON_SRC_DIR"
	for l in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[ -f "$l" ] || continue
		# one-line and deb822 formats: the same archives, as deb-src
		sed -n 's/^deb \(.*\)$/deb-src \1/p' "$l"
		awk '/^Types:/{print "deb-src"; next} /^URIs:/{print "URI " $2} /^Suites:/{$1=""; print "SUITES" $0} /^Components:/{$1=""; print "COMP" $0} /^Signed-By:/{print "KEY " $2} /^$/{print "END"} END{print "END"}' "$l" |
			awk '/^URI /{u=$2} /^SUITES/{$1=""; s=$0} /^COMP/{$1=""; c=$0} /^KEY /{k=$2} /^END/{ if (u != "") { n=split(s, a, " "); for (i=1;i<=n;i++) print "deb-src" (k != "" ? " [signed-by=" k "]" : "") " " u " " a[i] c }; u=""; s=""; c=""; k="" }'
	done | sort -u >"$tmp/sources.list"
	opts="-o Dir::Etc::SourceList=$tmp/sources.list -o Dir::Etc::SourceParts=- -o Dir::State::Lists=$tmp/lists -o Dir::Cache=$tmp/cache -o APT::Sandbox::User=root"
	echo "pgtviz: fetching Debian's cjson $ver source for the browser build ..." >&2
	# shellcheck disable=SC2086
	if apt-get $opts update -qq >/dev/null 2>&1 &&
		(cd "$CJSON_SRC_DIR" && apt-get $opts source -qq "cjson=$ver" >/dev/null 2>&1); then
		echo "pgtviz: unpacked into $CJSON_SRC_DIR" >&2
	else
		echo "pgtviz: warning: could not fetch Debian's cjson source; the browser build is off" >&2
	fi
	rm -rf "$tmp"
	return 0
}

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "pgtviz: this set-up script expects a Debian-like system (dpkg-query not found)." >&2
	echo "pgtviz: install by hand: $want" >&2
	exit 2
fi

# The oracle's i386 boots fetch Debian's 32-bit kernel with apt-get, which
# knows i386 packages only once the architecture is added (as root).
i386_arch() {
	[ "${1:-build}" = test ] || return 0
	dpkg --print-foreign-architectures 2>/dev/null | grep -qx i386 && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "pgtviz: adding the i386 architecture to dpkg (the oracle's 32-bit kernel) ..." >&2
		dpkg --add-architecture i386 && apt-get update -qq >/dev/null ||
			echo "pgtviz: warning: could not add i386; the oracle's i386 boots will be skipped" >&2
	else
		echo "pgtviz: note: 'dpkg --add-architecture i386 && apt-get update' (as root) lets the oracle boot i386 kernels" >&2
	fi
}
i386_arch "${1:-build}"

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	[ "${1:-build}" = build ] || cjson_source
	exit 0
fi

echo "pgtviz: missing Debian packages:$missing" >&2
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "pgtviz: installing them with apt-get ..." >&2
	export DEBIAN_FRONTEND=noninteractive
	if apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
		echo "pgtviz: installed:$missing" >&2
		[ "${1:-build}" = build ] || cjson_source
		exit 0
	fi
	echo "pgtviz: error: apt-get could not install:$missing" >&2
	exit 2
fi
echo "pgtviz: error: run this as root, or install them yourself:" >&2
echo "    sudo apt-get install$missing" >&2
exit 2
