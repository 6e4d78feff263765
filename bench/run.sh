#!/usr/bin/env bash
# Process wall time and peak RSS of `tflite_convert` on each corpus GraphDef
# and on synthetic GraphDefs with 10 MB, 100 MB and 1 GB of weights.
# Prints a Markdown table of medians over RUNS runs (default 5): wall time by
# hyperfine (no shell), peak RSS by /usr/bin/time, and `cp` of the same file.
# Then Keras H5 files of the MobileNetV2 and ResNet50 architectures with random
# weights (bench/make_keras_h5.py); --keras runs only those.
# usage: bench/run.sh [RUNS] [--no-1gb] [--keras]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=5
[[ ${1:-} =~ ^[0-9]+$ ]] && RUNS=$1
KERAS_ONLY=0
[[ " $* " == *" --keras "* ]] && KERAS_ONLY=1
BIN=${TFLC_BIN:-build/tflite_convert}  # TFLC_BIN: measure that binary, build nothing
WORK=${BENCH_DIR:-/tmp/tflc-bench}
mkdir -p "$WORK"
command -v hyperfine >/dev/null || { echo "installing hyperfine"; apt-get install -y -qq hyperfine >/dev/null; }
[ -n "${TFLC_BIN:-}" ] || cmake --build build -j"$(nproc)" --target tflite_convert make_synthetic_graph >/dev/null

# Keras: median wall time, mean user+sys CPU time (what the machine's load
# does not inflate) and peak RSS of converting each generated H5.
measure_keras() {
  local name="$1" file="$2"
  local cmd="$BIN --keras_model_file=$file --output_file=$WORK/out.tflite"
  $cmd >/dev/null 2>"$WORK/err.txt" || { echo "| $name | failed: $(head -1 "$WORK/err.txt") |"; return; }
  hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$WORK/hf.json" "$cmd" >/dev/null 2>&1
  local wall cpu
  read -r wall cpu < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]
print("%.1f %.1f" % (r["median"] * 1000, (r["user"] + r["system"]) * 1000))' "$WORK/hf.json")
  local rs=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%M" -o "$WORK/time.txt" $cmd >/dev/null 2>&1
    rs+=("$(awk '{printf "%.1f", $1/1024}' "$WORK/time.txt")")
  done
  local in_mb; in_mb=$(awk -v b="$(stat -c %s "$file")" 'BEGIN{printf "%.2f", b/1048576}')
  echo "| $name | $in_mb | $wall | $cpu | $(printf '%s\n' "${rs[@]}" | median) |"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
run_keras() {
  for arch in mobilenet_v2 resnet50; do
    [ -f "$WORK/keras_${arch}.h5" ] || /usr/bin/python3 bench/make_keras_h5.py "$arch" "$WORK/keras_${arch}.h5" >/dev/null
  done
  echo
  echo "| Keras H5 (random weights) | input MB | wall ms (median of $RUNS) | CPU ms user+sys (mean) | peak RSS MB |"
  echo "|---|---|---|---|---|"
  measure_keras "MobileNetV2 1.0 224 (3.5M params)" "$WORK/keras_mobilenet_v2.h5"
  measure_keras "ResNet50 (25.6M params)" "$WORK/keras_resnet50.h5"
}
if [ "$KERAS_ONLY" = 1 ]; then
  run_keras
  exit 0
fi

sizes=(10 100 1024)
[[ " $* " == *" --no-1gb "* ]] && sizes=(10 100)
for mb in "${sizes[@]}"; do
  [ -f "$WORK/synthetic_${mb}mb.pb" ] || build/bench/make_synthetic_graph "$mb" "$WORK/synthetic_${mb}mb.pb" >/dev/null
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# hyperfine: median wall time of one command over RUNS runs, in ms.
hf_median() {
  hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$WORK/hf.json" "$1" >/dev/null 2>&1 || return 1
  python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["median"]*1000))' "$WORK/hf.json"
}

# measure NAME FILE EXTRA_FLAGS...: median wall ms and peak RSS MB over RUNS runs.
measure() {
  local name="$1" file="$2"; shift 2
  local cmd="$BIN --enable_v1_converter --graph_def_file=$file --output_file=$WORK/out.tflite $*"
  $cmd >/dev/null 2>"$WORK/err.txt" || { echo "| $name | failed: $(head -1 "$WORK/err.txt") |"; return; }
  local wall; wall=$(hf_median "$cmd")
  local rs=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%M" -o "$WORK/time.txt" $cmd >/dev/null 2>&1
    rs+=("$(awk '{printf "%.1f", $1/1024}' "$WORK/time.txt")")
  done
  local in_mb; in_mb=$(awk -v b="$(stat -c %s "$file")" 'BEGIN{printf "%.2f", b/1048576}')
  local cp_ms="-"
  [ "${CP_COMPARE:-0}" = 1 ] && cp_ms=$(hf_median "cp $file $WORK/copy.bin")
  rm -f "$WORK/copy.bin"
  echo "| $name | $in_mb | $wall | $(printf '%s\n' "${rs[@]}" | median) | $cp_ms |"
}

echo "| model | input MB | wall ms (median of $RUNS) | peak RSS MB | cp ms |"
echo "|---|---|---|---|---|"
C=../shared/corpus
if [ -d "$C" ]; then
  for pb in $(find "$C" -name '*.pb' -path '*dl4j_tf_graphs*' | sort) "$C/litert_tflite_testdata/multi_add.pb" \
            "$C/tfrust_addition_graphdef/model.pb" $(find "$C" -name frozen.pb | sort); do
    [ -f "$pb" ] || continue
    case "$pb" in
      *simple_while*|*simpleif_0*) continue ;;  # TF1 control flow: rejected by design
      *tf2onnx_lstm*|*tf2onnx_gru*) measure "${pb#$C/}" "$pb" --input_arrays=X,keep_prob --input_shapes=1,784: --output_arrays=output ;;
      *tf2onnx_regression*) measure "${pb#$C/}" "$pb" --input_arrays=X --input_shapes= --output_arrays=pred ;;
      *) measure "${pb#$C/}" "$pb" ;;
    esac
  done
fi
measure "examples/mnist_cnn.pb" examples/mnist_cnn.pb --input_arrays=input --output_arrays=probs
for mb in "${sizes[@]}"; do
  CP_COMPARE=1 measure "synthetic ${mb} MB" "$WORK/synthetic_${mb}mb.pb"
done

# SavedModels: the largest in the corpus and a generated one with 200 MB of variables.
measure_sm() {
  local name="$1" dir="$2"
  local cmd="$BIN --saved_model_dir=$dir --output_file=$WORK/out.tflite"
  $cmd >/dev/null 2>"$WORK/err.txt" || { echo "| $name | failed: $(head -1 "$WORK/err.txt") |"; return; }
  local wall; wall=$(hf_median "$cmd")
  local rs=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%M" -o "$WORK/time.txt" $cmd >/dev/null 2>&1
    rs+=("$(awk '{printf "%.1f", $1/1024}' "$WORK/time.txt")")
  done
  local in_mb; in_mb=$(du -sm "$dir" | cut -f1)
  echo "| $name (SavedModel) | $in_mb | $wall | $(printf '%s\n' "${rs[@]}" | median) | - |"
}
[ -d "$C" ] && measure_sm "tfrust_keras_single_input_saved_model" "$C/tfrust_keras_single_input_saved_model"
[ -d "$WORK/saved_model_200mb" ] || build/bench/make_synthetic_graph --saved_model 200 "$WORK/saved_model_200mb" >/dev/null
measure_sm "synthetic 200 MB variables" "$WORK/saved_model_200mb"
run_keras
