#!/usr/bin/env bash
# The checks of the release files: META.json against the PGXN Meta Spec, and the version of the
# control file, META.json, CHANGELOG.md, debian/changelog and the scripts of sql/ against each other.
#
#   bash test/release/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d test/release/node_modules ] || scripts/install-deps.sh node
cd test/release
exec node --test --test-reporter=spec ./*.test.mjs
