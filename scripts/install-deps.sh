#!/usr/bin/env bash
# The one installer of what lucia_auth needs: the Debian packages of the groups named (those missing
# are installed, after apt-get update), and for group node the npm modules of clients/node/, interop/,
# examples/web/ and test/release/ (npm ci where node_modules is missing or older than the lockfile)
# and the Node client's build (clients/node/dist, compiled by the TypeScript of its lockfile). Runs as
# root (CI) or through sudo; when nothing is missing it changes nothing and needs neither.
#
#   scripts/install-deps.sh [group ...]        (no group: test)
#
#   build     compile and install the extension with PGXS (g++, make, libsodium, server headers)
#   server    PostgreSQL 15 and pg_virtualenv, to run a throwaway cluster
#   core      the core's unit tests and micro-benchmarks (CMake, GoogleTest, Google Benchmark)
#   tap       the TAP tests of test/t (IPC::Run; PgBouncer for the transaction-pooling test)
#   valgrind  the core's unit tests under memcheck
#   node      Node and npm, the Node client (built), and the npm modules of the interop suite, the
#             web example and the checks of the release files
#   browser   Chromium, for the web example's browser test
#   fuzz      the libFuzzer targets of fuzz/ (clang 14)
#   deb       dpkg-buildpackage of debian/ (debhelper, pg_buildext's dh add-on), build and server
#   demo      scripts/demo.sh: build and server
#   bench     make bench: build, server, core, node, and bc
#   cron      pg_cron, for the TAP test of the scheduled sweep
#   test      scripts/test.sh, every suite: build, server, core, tap, valgrind, node, browser, bench, cron
#             and deb
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
npm_modules=no
add_group() {
  case $1 in
    build) packages+=(build-essential g++ make pkg-config libsodium-dev libcrypt-dev libpq-dev postgresql-server-dev-15) ;;
    server) packages+=(postgresql-15 postgresql-contrib) ;;
    core) packages+=(build-essential g++ make pkg-config libsodium-dev libcrypt-dev cmake libgtest-dev libbenchmark-dev) ;;
    tap) packages+=(libipc-run-perl pgbouncer) ;;
    valgrind) packages+=(valgrind) ;;
    cron) packages+=(postgresql-15-cron) ;;
    node)
      # Node may come from outside Debian's packages; what matters is that node and npm run.
      command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
      npm_modules=yes
      ;;
    browser) packages+=(chromium) ;;
    fuzz) packages+=(clang-14 libclang-rt-14-dev pkg-config libsodium-dev libcrypt-dev) ;;
    deb) add_group build && add_group server && packages+=(debhelper dpkg-dev postgresql-server-dev-all) ;;
    demo) add_group build && add_group server ;;
    bench) add_group build && add_group server && add_group core && add_group node && packages+=(bc) ;;
    test)
      for group in build server core tap valgrind node browser bench cron deb; do add_group "$group"; done
      ;;
    *)
      echo "install-deps: unknown group '$1' (build server core tap valgrind node browser cron fuzz deb demo bench test)" >&2
      exit 2
      ;;
  esac
}

[ $# -eq 0 ] && set -- test
for group in "$@"; do add_group "$group"; done

missing=()
for p in $(printf '%s\n' "${packages[@]}" | sort -u); do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$npm_modules" = yes ]; then
  # The Node client first: interop/ and examples/web/ link to it (file:) and import its dist/.
  for dir in clients/node interop examples/web test/release; do
    stamp=$dir/node_modules/.package-lock.json
    if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ] || [ "$dir/package.json" -nt "$stamp" ]; then
      echo "--- npm ci in $dir"
      (cd "$dir" && npm ci --no-audit --no-fund)
    fi
    if [ "$dir" = clients/node ] && { [ ! -f "$dir/dist/index.js" ] ||
      [ -n "$(find "$dir/src" "$dir/package.json" "$dir/tsconfig.json" -newer "$dir/dist/index.js" -print -quit)" ]; }; then
      echo "--- building the Node client (clients/node)"
      (cd "$dir" && npm run --silent build)
    fi
  done
fi
