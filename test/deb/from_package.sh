#!/usr/bin/env bash
# Creates lucia_auth from the installed Debian package on a throwaway cluster and uses it: the default
# version, a password hashed and verified by the module, a sign-up, login and session through the
# tables, and each older version of sql/ created and updated to the default one (so every install and
# upgrade script the package ships runs). Run by deb_package.sh inside pg_virtualenv (the PG*
# variables point at the cluster, as a superuser):
#
#   pg_virtualenv -t -v 15 test/deb/from_package.sh <default_version>
set -uo pipefail
cd "$(dirname "$0")/../.."
expected=$1
status=0

sql() { psql -X -At -q -v ON_ERROR_STOP=1 "$@"; }
is() { # is "what" "expected" "actual"
  if [ "$2" = "$3" ]; then
    echo "    ok - $1"
  else
    echo "    not ok - $1: expected '$2', got '$3'"
    status=1
  fi
}

sql -d postgres -c "CREATE DATABASE lucia_deb" -c "CREATE DATABASE lucia_deb_update" || exit 1

is "CREATE EXTENSION lucia_auth makes the default version" "$expected" \
  "$(sql -d lucia_deb -c "CREATE EXTENSION lucia_auth" -c "SELECT extversion FROM pg_extension WHERE extname = 'lucia_auth'")"
is "the functions call the module of \$libdir" "\$libdir/lucia_auth" \
  "$(sql -d lucia_deb -c "SELECT DISTINCT probin FROM pg_proc WHERE pronamespace = 'lucia_auth'::regnamespace AND probin IS NOT NULL")"
is "the module hashes and verifies a password" "s2:|t|f" \
  "$(sql -d lucia_deb -c "SELECT left(h, 3), lucia_auth.verify_password('correct horse', h), lucia_auth.verify_password('wrong horse', h)
                          FROM lucia_auth.hash_password('correct horse') AS h")"
flow=$(sql -d lucia_deb <<'SQL'
SELECT lucia_auth.create_tables();
SELECT user_id FROM lucia_auth.create_user('ada', 'email', 'ada@example.com', 'correct horse');
SELECT user_id FROM lucia_auth.use_key('email', 'ada@example.com', 'correct horse');
SELECT s.state || ' ' || s.user_id FROM lucia_auth.create_session('ada') AS c,
  LATERAL lucia_auth.validate_session(c.session_id) AS s;
SQL
)
is "sign-up, login and a session through the tables" "$(printf '\nada\nada\nactive ada')" "$flow"

for script in sql/lucia_auth--*.sql; do
  version=$(basename "$script" .sql)
  version=${version#lucia_auth--}
  case $version in *--* | "$expected") continue ;; esac
  is "CREATE EXTENSION lucia_auth VERSION '$version', then ALTER EXTENSION UPDATE, gives $expected" \
    "$version $expected" \
    "$(sql -d lucia_deb_update -c "CREATE EXTENSION lucia_auth VERSION '$version'" \
      -c "SELECT extversion FROM pg_extension WHERE extname = 'lucia_auth'" \
      -c "ALTER EXTENSION lucia_auth UPDATE" \
      -c "SELECT extversion FROM pg_extension WHERE extname = 'lucia_auth'" \
      -c "DROP EXTENSION lucia_auth" | tr '\n' ' ' | sed 's/ $//')"
done

sql -d postgres -c "DROP DATABASE lucia_deb" -c "DROP DATABASE lucia_deb_update" || status=1
exit $status
