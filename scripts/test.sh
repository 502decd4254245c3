#!/usr/bin/env bash
# Set up, build and run the whole test suite: README command (b), and what CI runs.
#   scripts/test.sh            everything
#   FUZZ_SECONDS=N             seconds per fuzz target (default 30)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jobs="$(nproc)"

# The tests read real captures, videos and faces (../shared/data beside the checkout, or
# $EXAMGUARD_SHARED_DATA): without them, say so now rather than after the build.
shared="${EXAMGUARD_SHARED_DATA:-$root/../shared/data}"
if [ ! -d "$shared" ]; then
    echo "test.sh: no test data at $shared; set EXAMGUARD_SHARED_DATA to the shared data directory" >&2
    exit 2
fi

scripts/setup.sh

# ccache: objects are shared between checkouts in different folders (CI builds a fresh clone
# each time): paths under the checkout are hashed relative to it, and the build folder is left
# out of the hash of debug builds. What the compiler sees is still hashed, so nothing stale is
# reused.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=true

echo "== format check"
scripts/check-format.sh

echo "== build (ci preset: warnings as errors, _GLIBCXX_ASSERTIONS)"
cmake --preset ci >/dev/null
cmake --build --preset ci -j"$jobs"

echo "== translations complete"
scripts/check-translations.sh
# lupdate brings the console's catalogue in step with its sources; then nothing may be untranslated.
cmake --build --preset ci --target examguard_console_lupdate >/dev/null
scripts/check-console-translations.sh

echo "== fuzz targets (clang, libFuzzer, bounded time)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$jobs"
scripts/run-fuzzers.sh build/fuzz "${FUZZ_SECONDS:-30}"

echo "== tests"
ctest --preset ci -j"$jobs"
