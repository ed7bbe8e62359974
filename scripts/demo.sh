#!/usr/bin/env bash
# The demo: a throwaway PostgreSQL 15 cluster with lucia_auth installed, walking through what the
# extension does and printing each step. Installs only what the demo needs (the build tools, PostgreSQL
# 15 with its server headers and libpq, libsodium), builds and installs the extension, then runs
# scripts/demo-in-cluster.sh in the throwaway cluster. Nothing else is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh demo
scripts/build.sh
pg_virtualenv -t -v 15 scripts/demo-in-cluster.sh
