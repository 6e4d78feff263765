#!/usr/bin/env bash
# Process wall time and peak RSS of `tflite_convert` on each corpus GraphDef
# and on synthetic GraphDefs with 10 MB, 100 MB and 1 GB of weights.
# Prints a Markdown table of medians over RUNS runs (default 5).
# usage: bench/run.sh [RUNS] [--no-1gb]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
BIN=build/tflite_convert
WORK=${BENCH_DIR:-/tmp/tflc-bench}
mkdir -p "$WORK"
cmake --build build -j"$(nproc)" --target tflite_convert make_synthetic_graph >/dev/null

sizes=(10 100 1024)
[[ " $* " == *" --no-1gb "* ]] && sizes=(10 100)
for mb in "${sizes[@]}"; do
  [ -f "$WORK/synthetic_${mb}mb.pb" ] || build/bench/make_synthetic_graph "$mb" "$WORK/synthetic_${mb}mb.pb" >/dev/null
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# measure NAME FILE EXTRA_FLAGS...: median wall ms and peak RSS MB over RUNS runs.
measure() {
  local name="$1" file="$2"; shift 2
  local ts=() rs=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$BIN" --enable_v1_converter --graph_def_file="$file" \
      --output_file="$WORK/out.tflite" "$@" >/dev/null 2>"$WORK/err.txt" || { echo "| $name | failed: $(head -1 "$WORK/err.txt") |"; return; }
    read -r secs kb <"$WORK/time.txt"
    ts+=("$(awk -v s="$secs" 'BEGIN{print s*1000}')"); rs+=("$(awk -v k="$kb" 'BEGIN{printf "%.1f", k/1024}')")
  done
  local in_mb; in_mb=$(awk -v b="$(stat -c %s "$file")" 'BEGIN{printf "%.2f", b/1048576}')
  local cp_ms=""
  if [ "${CP_COMPARE:-0}" = 1 ]; then
    local cs=()
    for _ in $(seq "$RUNS"); do
      sync; /usr/bin/time -f "%e" -o "$WORK/time.txt" cp "$file" "$WORK/copy.bin"; cs+=("$(awk '{print $1*1000}' "$WORK/time.txt")")
    done
    cp_ms=$(printf '%s\n' "${cs[@]}" | median); rm -f "$WORK/copy.bin"
  fi
  echo "| $name | $in_mb | $(printf '%s\n' "${ts[@]}" | median) | $(printf '%s\n' "${rs[@]}" | median) | ${cp_ms:--} |"
}

echo "| model | input MB | wall ms (median of $RUNS) | peak RSS MB | cp ms |"
echo "|---|---|---|---|---|"
C=../shared/corpus
if [ -d "$C" ]; then
  for pb in $(find "$C" -name '*.pb' -path '*dl4j_tf_graphs*' | sort) "$C/litert_tflite_testdata/multi_add.pb" \
            "$C/tfrust_addition_graphdef/model.pb" $(find "$C" -name frozen.pb | sort); do
    [ -f "$pb" ] && measure "${pb#$C/}" "$pb"
  done
fi
measure "examples/mnist_cnn.pb" examples/mnist_cnn.pb --input_arrays=input --output_arrays=probs
for mb in "${sizes[@]}"; do
  CP_COMPARE=1 measure "synthetic ${mb} MB" "$WORK/synthetic_${mb}mb.pb"
done
