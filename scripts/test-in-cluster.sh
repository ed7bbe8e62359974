#!/usr/bin/env bash
# The suites that need a running server; run inside pg_virtualenv (PG* variables point at the cluster).
set -uo pipefail
cd "$(dirname "$0")/.."
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
status=0

echo "--- pg_regress and isolation (make installcheck)"
rm -rf results regression.diffs regression.out
# TAP_TESTS= : the TAP suites run in their own stage of scripts/test.sh, as an unprivileged user.
if ! make -s installcheck PG_CONFIG="$PG_CONFIG" TAP_TESTS=; then
  [ -f regression.diffs ] && cat regression.diffs
  status=1
fi

if [ -f interop/run.sh ]; then
  echo "--- interop (Lucia v2 on Node)"
  bash interop/run.sh || status=1
fi
if [ -d interop/node_modules ]; then
  echo "--- secrets in the server log (test/logs)"
  bash test/logs/log_secrets.sh || status=1
fi
exit $status
