#!/usr/bin/env bash
# Builds newskg and runs its tests, for development (CI runs .ci/run).
#   bash scripts/test.sh                 every test, plain build
#   bash scripts/test.sh -L unit         only the unit tests (any ctest arguments)
#   NKG_SANITIZE=1 bash scripts/test.sh  AddressSanitizer + UBSan build
# NKG_BUILD_DIR picks the build folder (default: build, or build-asan).
set -eu -o pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if [ -n "${NKG_SANITIZE:-}" ]; then
  build=${NKG_BUILD_DIR:-build-asan}
  sanitize=ON
else
  build=${NKG_BUILD_DIR:-build}
  sanitize=OFF
fi
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B "$build" -DNEWSKG_WERROR=ON -DNEWSKG_SANITIZE=$sanitize >/dev/null
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure -j "$jobs" "$@"
