#!/usr/bin/env bash
# The demo's steps; run by scripts/demo.sh inside pg_virtualenv (PG* variables point at the cluster,
# lucia_auth is installed). Builds scripts/bind-query.c, the small libpq client that sends passwords and
# session ids as bind parameters, into a temporary directory that is removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
${CC:-cc} -O2 -o "$work/bind-query" scripts/bind-query.c \
  -I"$("$PG_CONFIG" --includedir)" -L"$("$PG_CONFIG" --libdir)" -lpq
export DEMO_QUERY=$work/bind-query
export DEMO_PASSWORD='correct horse battery staple'
export DEMO_WRONG_PASSWORD='Tr0ub4dor&3'
psql -X -v ON_ERROR_STOP=1 -f scripts/demo.sql
