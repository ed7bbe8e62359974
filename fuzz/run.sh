#!/usr/bin/env bash
# Builds the libFuzzer targets of the core parsers with AddressSanitizer and UndefinedBehaviorSanitizer
# (clang++-14), then runs each one for a while, starting from its seed corpus in fuzz/corpus/<target>/.
#
#   fuzz/run.sh [seconds per target, default 60] [target ...]
#
# Targets: parse_hash cookie bearer http_date (all by default), each with its dictionary of tokens
# fuzz/<target>.dict where there is one. The build and the corpus that grows
# during the run stay under build-fuzz/; the committed seeds are not modified. A crash, a leak or a
# failed property stops that target, leaves the input in build-fuzz/artifacts/, and makes the script
# exit non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(parse_hash cookie bearer http_date)

CXX=${CXX:-clang++-14}
if ! command -v "$CXX" >/dev/null; then
  scripts/install-deps.sh fuzz
fi

out=$root/build-fuzz
mkdir -p "$out/obj" "$out/artifacts"
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=all"
flags=(-std=c++17 -O1 -g -fno-omit-frame-pointer -I"$root/src" $(pkg-config --cflags libsodium))

# The core, instrumented for coverage and the sanitizers.
objects=()
for src in src/core/*.cpp; do
  obj=$out/obj/$(basename "$src" .cpp).o
  "$CXX" "${flags[@]}" $sanitize -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
  objects+=("$obj")
done

status=0
for target in "${targets[@]}"; do
  "$CXX" "${flags[@]}" $sanitize -fsanitize=fuzzer "fuzz/${target}_fuzzer.cpp" "${objects[@]}" \
    $(pkg-config --libs libsodium libxcrypt) -o "$out/${target}_fuzzer"
  mkdir -p "$out/corpus/$target"
  echo "=== $target: ${seconds}s"
  dict=()
  [ -f "fuzz/$target.dict" ] && dict=(-dict="fuzz/$target.dict")
  # The first directory collects new inputs; the committed seeds are only read.
  if ! "$out/${target}_fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$out/artifacts/${target}-" "${dict[@]}" \
      "$out/corpus/$target" "fuzz/corpus/$target" 2>"$out/$target.log"; then
    status=1
    echo "$target FAILED; the input is in $out/artifacts/, the log in $out/$target.log"
    grep -A30 'ERROR\|==ABORTING\|deadly signal' "$out/$target.log" | head -60 || true
  fi
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE' "$out/$target.log" || true
done
exit $status
