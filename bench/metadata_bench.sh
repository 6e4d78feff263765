#!/usr/bin/env bash
# Wall time of whole tflite_metadata / tflite_convert runs (process start
# included), median of N runs:
#   bash bench/metadata_bench.sh BUILD_DIR [N]
# The MobileNet model comes from ../shared (skipped when absent).
set -uo pipefail
B=$1; N=${2:-21}
S=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
median() {  # command...
  for _ in $(seq "$N"); do
    s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000 ))
  done | sort -n | awk '{a[NR]=$1} END {printf "%.1f ms\n", a[int((NR+1)/2)]/1000}'
}
printf 'a\nb\n' > "$W/labels.txt"
M=$S/../shared/reference/metadata/mobilenet_v1_0.25_224_1_default_1.tflite
if [ -f "$M" ]; then
  echo "write image_classifier metadata, MobileNet 1.9 MB: $(median "$B/tflite_metadata" write --task image_classifier \
    --labels "$W/labels.txt" --norm_mean 127.5 --norm_std 127.5 "$M" -o "$W/m.tflite")"
  echo "show it as JSON: $(median "$B/tflite_metadata" show "$W/m.tflite")"
else
  echo "SKIP MobileNet: $M absent"
fi
echo "convert tests/control_flow/functional_while.pbtxt (WHILE with a nested IF): $(median "$B/tflite_convert" \
  --enable_v1_converter --graph_def_file="$S/tests/control_flow/functional_while.pbtxt" --output_file="$W/w.tflite" \
  --input_arrays=x,n --output_arrays=i,acc)"
echo "convert tests/control_flow/tf1_while.pbtxt (TF1 loop, functionalized): $(median "$B/tflite_convert" \
  --enable_v1_converter --graph_def_file="$S/tests/control_flow/tf1_while.pbtxt" --output_file="$W/t.tflite" \
  --input_arrays=x,n --output_arrays=while/Exit,while/Exit_1)"
