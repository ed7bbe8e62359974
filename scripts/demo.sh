#!/usr/bin/env bash
# The demo: a throwaway PostgreSQL 15 cluster with lucia_auth installed, walking through what the
# extension does and printing each step. Nothing is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh demo
scripts/build.sh
pg_virtualenv -t -v 15 psql -X -q -v ON_ERROR_STOP=1 -f scripts/demo.sql
