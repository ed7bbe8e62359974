#!/usr/bin/env bash
# Runs the Node suites against the PostgreSQL server the PG* variables point at, e.g. from inside
# `pg_virtualenv -t -v 15`: the Node client's tests (clients/node/), the interop suite (interop/),
# and the web example's tests (examples/web/), its browser test included (skipped without Chromium).
# lucia_auth must be installed in that server (`make install`); the role must be a superuser. Exits
# non-zero if anything fails.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

# Node and npm when missing, and npm ci where node_modules is missing or stale.
if ! "$root/scripts/install-deps.sh" node; then
  echo "interop: installing Node or the npm modules failed" >&2
  exit 1
fi
if [ "$(node -p 'Number(process.versions.node.split(".")[0])')" -lt 20 ]; then
  echo "interop: Node 20 or later is required, found $(node --version)" >&2
  exit 1
fi
if [ -z "${PGHOST:-}${PGPORT:-}${PGDATABASE:-}" ]; then
  echo "interop: no PG* variables set; connecting with libpq defaults" >&2
fi

status=0
run_suite() {
  local name=$1 dir=$2
  echo "--- $name"
  if ! (cd "$dir" && npm test --silent); then
    echo "interop: $name failed" >&2
    status=1
  fi
}

run_suite "Node client (clients/node)" "$root/clients/node"
run_suite "Lucia v2 interop suite" "$here"
run_suite "web example, with its browser test (examples/web)" "$root/examples/web"
exit $status
