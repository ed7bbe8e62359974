#!/usr/bin/env bash
# Measures use_key for a key that does not exist against use_key with a wrong password for a key that
# does (default settings: s2 hashes), and fails when their medians differ by more than 25%: timing must
# not tell a caller which keys exist. Also measures, against the same missing key, a password given for
# a key that has none and for a key whose stored hash cannot be read (checked the same way), and an
# empty password (shown only: no hash is computed on either side, so both take well under a
# millisecond and only noise separates them). Then, with Argon2id as the format of new hashes, the first
# use_key of a new connection for a missing key against the first one for a wrong password (checked the
# same way): the dummy hash a missing key is verified against must not be made by hashing at that call.
#
# With lucia_auth in shared_preload_libraries, also throttled attempts (lucia_auth.throttle_key_attempts)
# on a missing key against throttled attempts on an existing one (checked the same way, but as these
# take well under a millisecond, a difference under 0.25 ms is taken as a round trip's noise):
# throttling must not tell which keys exist. Without preloading those two are skipped, with a message.
#
# The measures are taken by key_timing.mjs, next to this script. Run inside pg_virtualenv (the PG*
# variables point at the cluster, as a superuser), from anywhere:
#   pg_virtualenv -t -v 15 -o shared_preload_libraries=lucia_auth test/timing/key_timing.sh
# LUCIA_TIMING_ROUNDS sets the number of samples of each case (default 21, at least 15).
set -euo pipefail
cd "$(dirname "$0")/../.."

export PGDATABASE=lucia_timing_check
scripts/install-deps.sh node >&2   # node-postgres, from interop/node_modules
ROUNDS=${LUCIA_TIMING_ROUNDS:-21}
if [ "$ROUNDS" -lt 15 ]; then ROUNDS=15; fi

admin() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
admin -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS lucia_timing_check" \
  -c "CREATE DATABASE lucia_timing_check"
trap 'admin -c "DROP DATABASE IF EXISTS lucia_timing_check" >/dev/null 2>&1 || true' EXIT
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE EXTENSION lucia_auth;
SELECT lucia_auth.create_tables();
SELECT lucia_auth.create_user('timing-user', 'email', 'user@example.com', 'the right password');
SELECT lucia_auth.create_key('timing-user', 'github', '4242', NULL);
SELECT lucia_auth.create_key('timing-user', 'email', 'throttled@example.com', 'the right password');
SELECT lucia_auth.create_key('timing-user', 'legacy', 'old@example.com', NULL);
UPDATE user_key SET hashed_password = 'not a hash lucia_auth can read' WHERE id = 'legacy:old@example.com';
SQL

ROUNDS=$ROUNDS node test/timing/key_timing.mjs
