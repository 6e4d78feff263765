#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each, at most JOBS (default 2) at a time,
# at the lowest CPU priority, and prints a table: target, seconds, executions,
# crash/timeout/oom artifacts. Needs a -DTFLC_FUZZ=ON build (default build-asan,
# scripts/test.sh's; BUILD=dir to change). Corpora grow in WORK (default
# BUILD/fuzz-work/<target>), seeded once by fuzz/collect_seeds.py.
#   usage: fuzz/run_all.sh SECONDS [TARGET...]
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:?usage: fuzz/run_all.sh SECONDS [TARGET...]}; shift
BUILD=${BUILD:-build-asan}
WORK=${WORK:-$BUILD/fuzz-work}
JOBS=${JOBS:-2}
NICE=${NICE:-19}  # the lowest priority by default: other work comes first
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(fuzz_graphdef_binary fuzz_graphdef_text fuzz_saved_model fuzz_tensor_bundle
  fuzz_keras_h5 fuzz_keras_zip fuzz_h5_image fuzz_keras_config fuzz_dataset fuzz_tflite_analyze fuzz_metadata fuzz_stablehlo)
mkdir -p "$WORK"
[ -d "$WORK/seeds" ] || /usr/bin/python3 fuzz/collect_seeds.py "$WORK/seeds" >/dev/null

run_one() {
  local t=$1 dir="$WORK/$t"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  # libhdf5 itself crashes, loops and over-allocates on damaged files (we
  # contain that with a child process in the CLI). Fork mode keeps the HDF5
  # targets going past those; every artifact is then replayed and triaged.
  local extra=() t0=$SECONDS
  case $t in fuzz_keras_h5|fuzz_h5_image) extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1) ;; esac
  # -timeout: an input over 10 s is a hang; -rss_limit_mb: an OOM.
  nice -n "$NICE" "$BUILD/fuzz/$t" "$dir/corpus" "$WORK/seeds/$t" -max_total_time="$SECONDS_EACH" \
    -timeout=10 -rss_limit_mb=2560 -max_len=262144 -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
    "${extra[@]}" >"$dir/log" 2>&1
  echo $? >"$dir/rc"
  echo $((SECONDS - t0)) >"$dir/wall"
}
running=0
for t in "${TARGETS[@]}"; do
  [ -x "$BUILD/fuzz/$t" ] || { echo "missing $BUILD/fuzz/$t (cmake -DTFLC_FUZZ=ON)"; exit 1; }
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
done
wait
printf '%-22s %8s %8s %12s %9s %s\n' target seconds wall execs artifacts rc
for t in "${TARGETS[@]}"; do
  d="$WORK/$t"
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$d/log" | grep -o '[0-9]*$' | tail -1)
  # Fork mode prints no final stats: take the last "#N:" status line.
  [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*:' "$d/log" | tr -d '#:' | tail -1)
  secs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$d/log" | awk '{print $5}' | tail -1)
  printf '%-22s %8s %8s %12s %9s %s\n' "$t" "${secs:-?}" "$(cat "$d/wall")" "${execs:-?}" "$(ls "$d/artifacts" | wc -l)" "$(cat "$d/rc")"
done
