#!/bin/sh
# Rewrites the picture of the layers in docs/architecture.md from a
# configured build's targets (cmake/arch_picture.cmake).
#   scripts/update-architecture.sh [BUILD_DIR]   (default: build)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
cmake "$build" >/dev/null
cmake -DPICTURE="$build/architecture-picture.md" -DDOC="$top/docs/architecture.md" \
	-DMODE=update -P "$top/cmake/arch_picture_splice.cmake"
