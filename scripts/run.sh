#!/bin/sh
# The main job: set up, build, and open the window on the default scenario.
# With no display available it exports the default scenario's frames instead
# and says where they went.  Extra arguments go to pgtviz (e.g. a scenario).
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >build-configure.log 2>&1 || {
	cat build-configure.log >&2
	echo "pgtviz: error: cmake configuration failed (see above)" >&2
	exit 2
}
rm -f build-configure.log
cmake --build build -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
	exec build/pgtviz window "$@"
fi
echo "pgtviz: no display (DISPLAY and WAYLAND_DISPLAY are unset): exporting instead." >&2
mkdir -p out
scenario=${1:-pc-4g}
build/pgtviz export "$scenario" -o out/ --steps markers
build/pgtviz export "$scenario" -o "out/$scenario.gif" --size 800x450 --duration 30
echo "pgtviz: frames are in $(pwd)/out/ (one PNG per marked step, and $scenario.gif)."
echo "pgtviz: to see the window, run this again on a desktop, or: build/pgtviz window $scenario"
