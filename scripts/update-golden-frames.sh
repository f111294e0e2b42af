#!/bin/sh
# Regenerates tests/golden/frames.sha256 from the frames the current build
# exports.  Only for a change that is MEANT to alter pictures: look at the
# frames first (GOLDEN_KEEP=DIR sh tests/golden_frames.sh BIN keeps them),
# commit the new hashes with the change, and say in the commit message that
# pictures change and why.
#
#   scripts/update-golden-frames.sh [BUILD_DIR]   (default: build)
set -eu
cd "$(dirname "$0")/.."
bin=${1:-build}/pgtviz
[ -x "$bin" ] || { echo "update-golden-frames: no binary at $bin (build first)" >&2; exit 2; }
sh tests/golden_frames.sh "$bin" --update
