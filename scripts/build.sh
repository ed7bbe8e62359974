#!/usr/bin/env bash
# Builds the extension and installs it into the local PostgreSQL 15.
set -euo pipefail
cd "$(dirname "$0")/.."
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
werror=""
[ -n "${CI:-}" ] && werror="LUCIA_WERROR=1"
make -s -j"$(nproc)" $werror PG_CONFIG="$PG_CONFIG"
$sudo make -s install PG_CONFIG="$PG_CONFIG" >/dev/null
