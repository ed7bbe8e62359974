#!/usr/bin/env bash
# The benchmark (make bench): every figure of lucia_auth next to its reference, measured in one run on
# a throwaway PostgreSQL 15 cluster, with their ratio. BENCH_QUICK=1 runs each measure for a second on
# small data, only to show that everything still runs.
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_QUICK=${BENCH_QUICK:-0}

scripts/install-deps.sh bench
scripts/build.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target lucia_core_bench >/dev/null

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(lscpu | sed -n 's/^Model name:[ \t]*//p')"
echo "postgres: $(pg_config --version)"
# lucia_auth preloaded, as the README recommends: the hash cap and throttling need it.
pg_virtualenv -t -v 15 -o 'shared_buffers=512MB' -o 'max_connections=50' -o 'shared_preload_libraries=lucia_auth' \
  bash scripts/bench-in-cluster.sh
