#!/usr/bin/env bash
# make bench-citus: validate_session through a Citus coordinator with two workers, next to one node,
# all on this machine. Four throwaway clusters (one node without Citus; a coordinator and two workers
# with the tables laid out as the README's "Scaling out" section says), the same data as make bench
# (bench/sql/setup.sql), pgbench with prepared statements. Reports:
#   - throughput of validate_session with 4 clients, through the coordinator and on one node, and of
#     the same join written by hand (a router query);
#   - the latency one call gains by the hop to a worker (one client, through the coordinator minus on
#     one node), next to the hop of a plain router query, the same join written by hand: lucia_auth
#     makes one router query per validation, so the goal is a hop no longer than 1.5 times that one;
#   - for comparison, the hop of Citus's function call delegation, through a wrapper made only here
#     (lucia_auth does not distribute its functions: see the README).
# BENCH_QUICK=1 runs each measure for a second on small data, only to show that it still runs.
# PG_CONFIG names the PostgreSQL 15 to use (default the system's); the extension and Citus are
# installed into it as make bench installs the extension.
set -euo pipefail
cd "$(dirname "$0")/.."
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
quick=${BENCH_QUICK:-0}
if [ "$quick" = 1 ]; then
  seconds=1 rounds=1 users=1000 sessions=10000
else
  seconds=${BENCH_SECONDS:-5} rounds=${BENCH_ROUNDS:-4} users=10000 sessions=100000
fi
clients=4

scripts/install-deps.sh build server
command -v bc >/dev/null || scripts/install-deps.sh bench
scripts/build.sh
if [ ! -f "$("$PG_CONFIG" --pkglibdir)/citus.so" ]; then
  if [ -x ../shared/citus/build-citus.sh ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo ../shared/citus/build-citus.sh "$PG_CONFIG"
  else
    echo "bench-citus: Citus is not installed, and ../shared/citus/build-citus.sh is not there to build it" >&2
    exit 1
  fi
fi

bin=$("$PG_CONFIG" --bindir)
export PATH=$bin:$PATH
dir=$(mktemp -d /tmp/lucia_bench_citus.XXXXXX)
chmod 777 "$dir"
as=()
[ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
nodes=()
cleanup() {
  for node in "${nodes[@]}"; do "${as[@]}" pg_ctl -D "$dir/$node" -m immediate stop >/dev/null 2>&1 || true; done
  rm -rf "$dir"
}
trap cleanup EXIT

# Each node listens on a socket in $dir only, so no port of the machine is taken.
start_node() {  # name port [shared_preload_libraries]
  "${as[@]}" initdb -A trust -U postgres -D "$dir/$1" >/dev/null
  cat >>"$dir/$1/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
port = $2
max_connections = 60
shared_buffers = 256MB
fsync = off
shared_preload_libraries = '${3:-}'
EOF
  "${as[@]}" pg_ctl -D "$dir/$1" -l "$dir/$1.log" -w start >/dev/null
  nodes+=("$1")
}
export PGHOST=$dir PGUSER=postgres PGDATABASE=postgres
single=5432 coordinator=5433 worker1=5434 worker2=5435
start_node single $single
start_node coordinator $coordinator citus
start_node worker1 $worker1 citus
start_node worker2 $worker2 citus

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(uptime | sed 's/.*load/load/')"
echo "--- data: $users users, $sessions sessions; one node, and Citus (32 shards over 2 workers)"
for port in $worker1 $worker2; do psql -qX -p $port -c "CREATE EXTENSION citus"; done
psql -qX -p $coordinator -v ON_ERROR_STOP=1 >/dev/null <<EOF
CREATE EXTENSION citus;
SELECT citus_set_coordinator_host('$dir', $coordinator);
SELECT citus_add_node('$dir', $worker1);
SELECT citus_add_node('$dir', $worker2);
EOF
for port in $single $coordinator; do
  psql -qX -p $port -v ON_ERROR_STOP=1 -v users="$users" -v sessions="$sessions" -f bench/sql/setup.sql >/dev/null
done
psql -qX -p $coordinator -v ON_ERROR_STOP=1 >/dev/null <<'EOF'
SET client_min_messages = warning;
SELECT create_reference_table('auth_user');
SELECT create_distributed_table('user_session', 'id');
SELECT create_distributed_table('user_key', 'id', colocate_with => 'user_session');
SELECT truncate_local_data_after_distributing_table('user_session');
SELECT truncate_local_data_after_distributing_table('user_key');
VACUUM ANALYZE;
-- Function call delegation, for comparison only: a wrapper distributed by its session id. Citus ships
-- the call to the worker as SQL text with the session id written in it, which lucia_auth's own
-- functions never allow (see the README).
CREATE SCHEMA bench;
CREATE FUNCTION bench.validate_delegated(session_id text) RETURNS SETOF lucia_auth.session_record
  LANGUAGE plpgsql AS $$ BEGIN RETURN QUERY SELECT * FROM lucia_auth.validate_session(session_id); END $$;
SELECT create_distributed_function('bench.validate_delegated(text)', 'session_id', colocate_with => 'user_session');
EOF
cat >"$dir/delegated.sql" <<'EOF'
\set n random(1, :sessions)
SELECT * FROM bench.validate_delegated(:n);
EOF
chmod a+r "$dir/delegated.sql"

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
run() {  # port script clients field: tps or the average latency in ms of one run
  local out
  out=$(pgbench -n -M prepared -p "$1" -c "$3" -j "$(($3 < 2 ? 1 : 2))" -T "$seconds" -D users="$users" \
    -D sessions="$sessions" -f "$2" 2>&1) || { echo "$out" >&2; return 1; }
  if [ "$4" = tps ]; then
    echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p'
  else
    echo "$out" | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p'
  fi
}

# Rounds alternate the order of the runs, so that a drift of the machine falls on all of them.
declare -A values
measure() {  # key port script clients field
  values[$1]+="$(run "$2" "$3" "$4" "$5") "
}
echo "--- pgbench, prepared, ${seconds}s runs, $rounds rounds alternated"
for ((round = 0; round < rounds; round++)); do
  order=(a b c d e f g h i)
  ((round % 2)) && order=(i h g f e d c b a)
  for step in "${order[@]}"; do
    case $step in
      a) measure tps_single $single bench/sql/validate.sql $clients tps ;;
      b) measure tps_citus $coordinator bench/sql/validate.sql $clients tps ;;
      c) measure ms_single $single bench/sql/validate.sql 1 latency ;;
      d) measure ms_citus $coordinator bench/sql/validate.sql 1 latency ;;
      e) measure ms_join_single $single bench/sql/raw_join.sql 1 latency ;;
      f) measure ms_join_citus $coordinator bench/sql/raw_join.sql 1 latency ;;
      g) measure ms_delegated $coordinator "$dir/delegated.sql" 1 latency ;;
      h) measure tps_join_single $single bench/sql/raw_join.sql $clients tps ;;
      i) measure tps_join_citus $coordinator bench/sql/raw_join.sql $clients tps ;;
    esac
  done
done
m() { printf '%s\n' ${values[$1]} | median; }
hop_validate=$(echo "$(m ms_citus) - $(m ms_single)" | bc -l)
hop_join=$(echo "$(m ms_join_citus) - $(m ms_join_single)" | bc -l)
hop_delegated=$(echo "$(m ms_delegated) - $(m ms_single)" | bc -l)
for key in "${!values[@]}"; do echo "  $key: ${values[$key]}"; done | sort

echo
[ "$quick" = 1 ] && echo "Smoke run (BENCH_QUICK=1): the figures are not measurements, and the goal is not judged." && echo
echo "| measure | Citus (coordinator + 2 workers) | one node | |"
echo "|---|---|---|---|"
printf '| validate_session, %d clients | %.0f tps | %.0f tps | %.2f× |\n' $clients "$(m tps_citus)" "$(m tps_single)" \
  "$(echo "$(m tps_citus) / $(m tps_single)" | bc -l)"
printf '| the same join by hand (router query), %d clients | %.0f tps | %.0f tps | %.2f× |\n' $clients \
  "$(m tps_join_citus)" "$(m tps_join_single)" "$(echo "$(m tps_join_citus) / $(m tps_join_single)" | bc -l)"
printf '| validate_session, 1 client | %.3f ms | %.3f ms | hop %+.3f ms |\n' "$(m ms_citus)" "$(m ms_single)" "$hop_validate"
printf '| the same join by hand (router query), 1 client | %.3f ms | %.3f ms | hop %+.3f ms |\n' "$(m ms_join_citus)" \
  "$(m ms_join_single)" "$hop_join"
printf '| validate_session delegated (wrapper, comparison only), 1 client | %.3f ms | %.3f ms | hop %+.3f ms |\n' \
  "$(m ms_delegated)" "$(m ms_single)" "$hop_delegated"
echo
ratio=$(echo "$hop_validate / $hop_join" | bc -l)
verdict=$(echo "$ratio <= 1.5" | bc -l)
[ "$quick" = 1 ] && verdict=x
printf 'hop of validate_session / hop of a router query: %.2f (goal <= 1.5: %s)\n' "$ratio" \
  "$(case $verdict in 1) echo met ;; 0) echo '**missed**' ;; *) echo 'not judged' ;; esac)"
