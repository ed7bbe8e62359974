#!/usr/bin/env bash
# Shows that a failed login through bind parameters leaves no password (and no stored hash) in the
# server log, and that the check would catch one: a password spliced into the SQL text of a failing
# statement does reach the log. Also shows what the logging settings named in the README do with bind
# parameters.
#
# Each login is made by use_key.mjs, next to this script. Run inside pg_virtualenv (the PG* variables
# point at the cluster, as a superuser), from anywhere:
#   pg_virtualenv -t -v 15 test/logs/log_secrets.sh
# The server log is found with pg_current_logfile() when the logging collector runs, else with
# pg_lsclusters (the cluster of $PGPORT); set LUCIA_SERVER_LOG to name it yourself.
set -euo pipefail
cd "$(dirname "$0")/../.."

export PGDATABASE=lucia_log_check
scripts/install-deps.sh node >&2   # node-postgres, from interop/node_modules
status=0

admin() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }

log_file() {
  if [ -n "${LUCIA_SERVER_LOG:-}" ]; then
    echo "$LUCIA_SERVER_LOG"
    return
  fi
  local current data
  current=$(admin -Atc "SELECT coalesce(pg_current_logfile(), '')")
  if [ -n "$current" ]; then
    data=$(admin -Atc "SHOW data_directory")
    case "$current" in /*) echo "$current" ;; *) echo "$data/$current" ;; esac
    return
  fi
  pg_lsclusters -h | awk -v port="${PGPORT:-5432}" '$3 == port { print $7; exit }'
}

LOG=$(log_file)
if [ -z "$LOG" ] || [ ! -r "$LOG" ]; then
  echo "cannot find or read the server log (got '${LOG}'); set LUCIA_SERVER_LOG" >&2
  exit 2
fi
echo "server log: $LOG"
BEGIN=$(stat -c %s "$LOG")

admin -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS lucia_log_check" -c "CREATE DATABASE lucia_log_check"
trap 'admin -c "DROP DATABASE IF EXISTS lucia_log_check" >/dev/null 2>&1 || true' EXIT
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION lucia_auth" -c "SELECT lucia_auth.create_tables()" \
  -c "SELECT lucia_auth.create_user('log-user', 'email', 'log@example.com', 'the right password')" >/dev/null

# Passwords that occur nowhere else, so that finding one in the log can only mean it was logged.
marker() { echo "pw-$1-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"; }
WRONG=$(marker wrong)
MISSING=$(marker missing)
SPLICED=$(marker spliced)
ALL_FULL=$(marker logged-with-log-statement-all)
ALL_ZERO=$(marker log-statement-all-length-zero)
ON_ERROR=$(marker log-parameters-on-error)

# Runs use_key(provider_id, provider_user_id, password) with bind parameters, after the given SET
# statements (the session is a superuser's, so it may change the logging settings); the call must fail.
bound_use_key() {
  local sets=$1 provider_user_id=$2 password=$3
  SETS="$sets" UID_ARG="$provider_user_id" PASSWORD="$password" node test/logs/use_key.mjs
}

# Fails the run unless the log written since offset $1 contains (want=yes) or lacks (want=no) $2.
expect_in_log() {
  local from=$1 secret=$2 want=$3 what=$4 found=no
  sleep 0.3
  if tail -c +"$((from + 1))" "$LOG" | grep -qF -- "$secret"; then found=yes; fi
  if [ "$found" = "$want" ]; then
    echo "ok: $what (in the log: $found)"
  else
    echo "FAIL: $what (in the log: $found, expected: $want)"
    status=1
  fi
}

size() { stat -c %s "$LOG"; }

echo "--- default logging: a wrong password and a missing key, as bind parameters"
start=$(size)
bound_use_key "" "log@example.com" "$WRONG" || status=1
bound_use_key "" "nobody@example.com" "$MISSING" || status=1
expect_in_log "$start" "AUTH_INVALID_PASSWORD" yes "the failed login is logged"
expect_in_log "$start" "$WRONG" no "a wrong password passed as a bind parameter is not logged"
expect_in_log "$start" "$MISSING" no "the password of a missing key passed as a bind parameter is not logged"
HASH=$(psql -X -Atc "SELECT hashed_password FROM user_key WHERE id = 'email:log@example.com'")
expect_in_log "$BEGIN" "${HASH##*:}" no "the stored hash is not in the log"

echo "--- control: the same failure with the password spliced into the SQL text"
start=$(size)
psql -X -q -c "SELECT * FROM lucia_auth.use_key('email', 'log@example.com', '$SPLICED')" 2>&1 | sed 's/^/  /' || true
expect_in_log "$start" "$SPLICED" yes "a password in the text of a failing statement is logged (the check can fail)"

echo "--- log_statement = all: bind parameters are logged unless log_parameter_max_length = 0"
start=$(size)
bound_use_key "SET log_statement = 'all'; SET log_parameter_max_length = -1" "log@example.com" "$ALL_FULL" || status=1
expect_in_log "$start" "$ALL_FULL" yes "with log_parameter_max_length = -1 (the default) the password is logged"
start=$(size)
bound_use_key "SET log_statement = 'all'; SET log_parameter_max_length = 0" "log@example.com" "$ALL_ZERO" || status=1
expect_in_log "$start" "$ALL_ZERO" no "with log_parameter_max_length = 0 it is not"

echo "--- log_parameter_max_length_on_error: bind parameters of failing statements"
start=$(size)
bound_use_key "SET log_parameter_max_length_on_error = -1" "log@example.com" "$ON_ERROR" || status=1
expect_in_log "$start" "$ON_ERROR" yes "with log_parameter_max_length_on_error = -1 the password is logged"

if [ "$status" = 0 ]; then
  echo "log secrets check passed"
else
  echo "log secrets check FAILED"
fi
exit $status
