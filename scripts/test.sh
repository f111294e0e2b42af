#!/bin/sh
# The test command: set up, build with warnings as errors, run every test;
# then build again with AddressSanitizer + UndefinedBehaviorSanitizer and run
# every test again.  Exit status 0 only if both pass.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh test
# the oracle's kernel (Debian's current cloud kernel, into ~/.cache/pgtviz-oracle)
scripts/oracle.sh --setup || echo "pgtviz: the oracle's kernel could not be fetched; its boots will be skipped" >&2
scripts/oracle.sh --arch i386 --setup || echo "pgtviz: the oracle's i386 kernel could not be fetched; its boots will be skipped" >&2
jobs=$(nproc 2>/dev/null || echo 2)
# exports from the tests must not touch the user's saved export settings
export PGTVIZ_NO_PREFS=1

echo "== build (-Werror) and test"
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPGTVIZ_WERROR=ON >/dev/null
cmake --build build-test -j"$jobs"
(cd build-test && ctest --output-on-failure -j"$jobs")

echo "== build with ASan+UBSan and test"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPGTVIZ_WERROR=ON -DPGTVIZ_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	ctest --output-on-failure -j"$jobs")
echo "pgtviz: all tests passed (plain and sanitized builds)"
