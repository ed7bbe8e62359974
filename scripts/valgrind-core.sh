#!/usr/bin/env bash
# Runs the core unit tests (build/lucia_core_tests) under valgrind's memcheck: any invalid read or
# write, use of uninitialised memory, or leak (definite, indirect or possible) fails the run.
# Builds the tests first when build/ has none.
#
#   scripts/valgrind-core.sh [--gtest_filter=...]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh core valgrind

if [ ! -x build/lucia_core_tests ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j"$(nproc)" --target lucia_core_tests >/dev/null
fi

exec valgrind --tool=memcheck --error-exitcode=1 --leak-check=full \
  --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
  --num-callers=30 --quiet \
  build/lucia_core_tests --gtest_brief=1 "$@"
