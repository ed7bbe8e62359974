#!/usr/bin/env bash
# Runs every test suite of lucia_auth: core unit tests, pg_regress, and (where present) the isolation,
# interop and TAP suites. Installs what is missing first. Exits non-zero when any suite fails.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-deps.sh test || exit 1

passed=0
failed=0
failures=()
suite() {
  local name=$1
  shift
  echo "=== $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

core_tests() {
  local werror=OFF
  [ -n "${CI:-}" ] && werror=ON
  cmake -S . -B build -DLUCIA_WERROR=$werror -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
    cmake --build build -j"$(nproc)" >/dev/null &&
    (cd build && ctest --output-on-failure -j"$(nproc)")
}

suite "release files (META.json, versions)" bash test/release/run.sh
suite "core unit tests (CTest)" core_tests
# Memory checking of the core: the same unit tests under valgrind's memcheck.
suite "core unit tests under valgrind" scripts/valgrind-core.sh
if ! scripts/build.sh; then
  echo "the extension did not build"
  echo "0 passed, 1 failed"
  exit 1
fi
# The database suites share one throwaway cluster.
suite "database suites (pg_virtualenv)" pg_virtualenv -t -v 15 bash "$root/scripts/test-in-cluster.sh"
# use_key's timing: a missing key costs what a wrong password costs, throttled or not (throttling needs
# lucia_auth preloaded).
suite "use_key timing (test/timing)" pg_virtualenv -t -v 15 -o shared_preload_libraries=lucia_auth \
  bash "$root/test/timing/key_timing.sh"
# The benchmark command, for a second per measure on small data: it must keep working.
suite "benchmark smoke (BENCH_QUICK=1 make bench)" env BENCH_QUICK=1 scripts/bench.sh
# Citus, for the TAP tests of the auth tables distributed by it: built from the source archive that
# lives beside the repository (../shared/citus), once per machine; without it those tests are skipped.
if [ -x ../shared/citus/build-citus.sh ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo ../shared/citus/build-citus.sh "${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}" >/dev/null ||
    echo "Citus could not be built: its tests will be skipped"
fi
if [ -f test/t/run.sh ]; then
  suite "TAP tests" bash test/t/run.sh
fi
# Last: it replaces the make install with the Debian package for a while, then installs it again.
suite "Debian package (build, dpkg -i, CREATE EXTENSION, dpkg -r)" bash test/deb/deb_package.sh

echo
if [ $failed -gt 0 ]; then
  echo "failed suites: ${failures[*]}"
fi
echo "suites: $passed passed, $failed failed"
[ $failed -eq 0 ]
