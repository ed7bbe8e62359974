#!/usr/bin/env bash
# Runs the TAP tests (test/t/*.pl) against the installed extension. Each test makes its own throwaway
# clusters with PostgreSQL::Test::Cluster; initdb refuses to run as root, so as root the tests run as
# user postgres from a copy of test/t/ that postgres owns.
#
#   make && sudo make install && bash test/t/run.sh [t/001_crash.pl ...]
#
# PROVE_FLAGS is passed to prove, as in PGXS (PROVE_FLAGS=-v shows every test's output).
#
# This runs prove as PGXS's prove_installcheck does (`make installcheck` with TAP_TESTS = 1, for a
# user other than root): PG_REGRESS, TESTDIR and the server's bin directory on PATH.
set -euo pipefail
cd "$(dirname "$0")/../.."

PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
bindir=$("$PG_CONFIG" --bindir)
# The top of the PGXS tree: <pkglibdir>/pgxs, which has src/test/perl and src/test/regress/pg_regress.
pgxs_top=$(cd "$(dirname "$("$PG_CONFIG" --pgxs)")/../.." && pwd)
perl_lib=$pgxs_top/src/test/perl
pg_regress=$pgxs_top/src/test/regress/pg_regress

if ! perl -MIPC::Run -e 1 2>/dev/null; then
  scripts/install-deps.sh tap
fi
if [ ! -f "$("$PG_CONFIG" --pkglibdir)/lucia_auth.so" ]; then
  echo "lucia_auth is not installed: run make && make install first" >&2
  exit 1
fi

# Test names as given (test/t/x.pl or t/x.pl), run from the copy as t/x.pl.
tests=("${@#test/}")
[ ${#tests[@]} -eq 0 ] && tests=($(cd test && echo t/*.pl))

work=$(mktemp -d /tmp/lucia_auth_tap.XXXXXX)
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
cp -r test/t "$work/t"

# One port reservation directory for every run on this machine, so that concurrent runs never pick
# the same port for their servers.
ports=/tmp/lucia_auth_tap_ports
mkdir -p "$ports" && chmod 1777 "$ports" 2>/dev/null || true

run_as=()
if [ "$(id -u)" -eq 0 ]; then
  chown -R postgres: "$work"
  run_as=(runuser -u postgres --)
fi

status=0
# The Node client (clients/node), for the tests that drive it against their clusters.
node_client=$(pwd)/clients/node
# The interop suite (interop/), which the Citus cluster test runs against its coordinator.
interop=$(pwd)/interop
(cd "$work" && "${run_as[@]}" env PATH="$bindir:$PATH" PG_REGRESS="$pg_regress" TESTDIR="$work" \
  PG_TEST_PORT_DIR="$ports" LUCIA_NODE_CLIENT="$node_client" LUCIA_INTEROP="$interop" \
  prove ${PROVE_FLAGS:-} -I "$perl_lib" "${tests[@]}") || status=$?
if [ $status -ne 0 ]; then
  # The logs of the failed run: each test's own log and the servers' logs.
  shopt -s nullglob
  for log in "$work"/tmp_check/log/*; do
    echo "----- $(basename "$log") (last 80 lines)"
    tail -n 80 "$log"
  done
fi
exit $status
