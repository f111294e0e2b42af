#!/bin/sh
# Checks (and, as root with apt-get, installs) the Debian packages pgtviz needs.
# usage: scripts/deps.sh build|test
# Prints what is missing and exits 2 when it cannot install it.
set -eu

BUILD_PKGS="gcc make cmake pkg-config libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libcjson-dev libfontconfig-dev libgif-dev fonts-dejavu-core"
TEST_PKGS="xvfb xdotool imagemagick ffmpeg clang-format qemu-system-x86"

want=$BUILD_PKGS
[ "${1:-build}" = test ] && want="$BUILD_PKGS $TEST_PKGS"

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "pgtviz: this set-up script expects a Debian-like system (dpkg-query not found)." >&2
	echo "pgtviz: install by hand: $want" >&2
	exit 2
fi

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "pgtviz: missing Debian packages:$missing" >&2
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "pgtviz: installing them with apt-get ..." >&2
	export DEBIAN_FRONTEND=noninteractive
	if apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
		echo "pgtviz: installed:$missing" >&2
		exit 0
	fi
	echo "pgtviz: error: apt-get could not install:$missing" >&2
	exit 2
fi
echo "pgtviz: error: run this as root, or install them yourself:" >&2
echo "    sudo apt-get install$missing" >&2
exit 2
