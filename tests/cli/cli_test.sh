#!/usr/bin/env bash
# Command-line behaviour of tflite_convert on bad input: one clear line,
# the right exit status, and no output file (an existing one is untouched).
# usage: cli_test.sh BUILD_DIR REPO_DIR
set -u
BIN="$1/tflite_convert"
REPO="$2"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0

check() {  # name, expected status, expected text in stderr, command...
  local name="$1" want_rc="$2" want_text="$3"; shift 3
  "$@" >"$T/out" 2>"$T/err"; local rc=$?
  if [ "$rc" -ne "$want_rc" ] || { [ -n "$want_text" ] && ! grep -qF -- "$want_text" "$T/err"; } || grep -qiE "terminate called|Segmentation|Aborted|stack" "$T/err"; then
    echo "FAIL $name: rc=$rc (want $want_rc), stderr: $(head -c 400 "$T/err")"; fail=$((fail+1))
  else
    echo "PASS $name"; pass=$((pass+1))
  fi
}
no_output() {  # name, path
  if [ -e "$2" ] || ls "$2".tmp.* >/dev/null 2>&1; then echo "FAIL $1: output left behind"; fail=$((fail+1));
  else echo "PASS $1"; pass=$((pass+1)); fi
}

cat >"$T/add.pbtxt" <<'PB'
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "shape" value { shape { dim { size: -1 } dim { size: 3 } } } } }
node { name: "y" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 3 } } float_val: 1 float_val: 2 float_val: 3 } } } }
node { name: "z" op: "AddV2" input: "x" input: "y" attr { key: "T" value { type: DT_FLOAT } } }
PB
cat >"$T/cycle.pbtxt" <<'PB'
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "shape" value { shape { dim { size: 1 } } } } }
node { name: "a" op: "AddV2" input: "x" input: "b" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "b" op: "AddV2" input: "a" input: "x" attr { key: "T" value { type: DT_FLOAT } } }
PB
cat >"$T/unsupported.pbtxt" <<'PB'
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "shape" value { shape { dim { size: 2 } dim { size: 3 } } } } }
node { name: "axis" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: 0 } } } }
node { name: "c" op: "Cumprod" input: "x" input: "axis" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "f" op: "MyFancyOp" input: "c" attr { key: "T" value { type: DT_FLOAT } } }
PB
V1=(--enable_v1_converter)

check "converts a text GraphDef" 0 "" "$BIN" "${V1[@]}" --graph_def_file="$T/add.pbtxt" --output_file="$T/ok.tflite"
[ -s "$T/ok.tflite" ] && { echo "PASS output written"; pass=$((pass+1)); } || { echo "FAIL output written"; fail=$((fail+1)); }
"$BIN" "${V1[@]}" --graph_def_file="$T/add.pbtxt" --output_file="$T/ok2.tflite" 2>/dev/null
cmp -s "$T/ok.tflite" "$T/ok2.tflite" && { echo "PASS deterministic bytes"; pass=$((pass+1)); } || { echo "FAIL deterministic bytes"; fail=$((fail+1)); }

check "missing file" 1 "cannot open" "$BIN" "${V1[@]}" --graph_def_file="$T/nope.pb" --output_file="$T/o1.tflite"
no_output "missing file leaves no output" "$T/o1.tflite"

head -c 100 "$REPO/examples/mnist_cnn.pb" >"$T/trunc.pb"
check "truncated protobuf" 1 "not a valid GraphDef" "$BIN" "${V1[@]}" --graph_def_file="$T/trunc.pb" --output_file="$T/o2.tflite"
no_output "truncated protobuf leaves no output" "$T/o2.tflite"

printf '\x0a\xff\xff\xff\xff\x0f\x01\x02' >"$T/corrupt.pb"
check "corrupt protobuf" 1 "not a valid GraphDef" "$BIN" "${V1[@]}" --graph_def_file="$T/corrupt.pb" --output_file="$T/o3.tflite"

check "cyclic graph" 1 "cycle" "$BIN" "${V1[@]}" --graph_def_file="$T/cycle.pbtxt" --output_file="$T/o4.tflite" --output_arrays=b
no_output "cyclic graph leaves no output" "$T/o4.tflite"

check "unknown flag" 2 "--frobnicate" "$BIN" "${V1[@]}" --graph_def_file="$T/add.pbtxt" --output_file="$T/o5.tflite" --frobnicate
check "graph_def_file needs v1 flag" 2 "--enable_v1_converter" "$BIN" --graph_def_file="$T/add.pbtxt" --output_file="$T/o5.tflite"
check "missing output_file" 2 "output_file" "$BIN" "${V1[@]}" --graph_def_file="$T/add.pbtxt"
check "bad input_shapes syntax" 2 "--input_shapes" "$BIN" "${V1[@]}" --graph_def_file="$T/add.pbtxt" --output_file="$T/o6.tflite" --input_arrays=x --input_shapes=1,a
check "input_shapes disagree" 1 "--input_shapes gives [2,4]" "$BIN" "${V1[@]}" --graph_def_file="$T/add.pbtxt" --output_file="$T/o6.tflite" --input_arrays=x --input_shapes=2,4
check "input_shapes fix dynamic dim" 0 "" "$BIN" "${V1[@]}" --graph_def_file="$T/add.pbtxt" --output_file="$T/o7.tflite" --input_arrays=x --input_shapes=5,3
check "unknown output array" 1 "not a node of the graph" "$BIN" "${V1[@]}" --graph_def_file="$T/add.pbtxt" --output_file="$T/o8.tflite" --output_arrays=nope
check "unknown input array" 1 "not a node of the graph" "$BIN" "${V1[@]}" --graph_def_file="$T/add.pbtxt" --output_file="$T/o8.tflite" --input_arrays=nope

check "flex op listed" 1 "TF Select ops: Cumprod" "$BIN" "${V1[@]}" --graph_def_file="$T/unsupported.pbtxt" --output_file="$T/o9.tflite"
check "non-TF op named" 1 "'tf.MyFancyOp' op is neither a custom op nor a flex op" "$BIN" "${V1[@]}" --graph_def_file="$T/unsupported.pbtxt" --output_file="$T/o9.tflite"
check "details give shapes" 1 "tf.Cumprod(tensor<2x3xf32>, tensor<i32>)" "$BIN" "${V1[@]}" --graph_def_file="$T/unsupported.pbtxt" --output_file="$T/o9.tflite"
no_output "unsupported ops leave no output" "$T/o9.tflite"

echo "keep me" >"$T/existing.tflite"
check "failure keeps existing output" 1 "" "$BIN" "${V1[@]}" --graph_def_file="$T/unsupported.pbtxt" --output_file="$T/existing.tflite"
grep -q "keep me" "$T/existing.tflite" && { echo "PASS existing file untouched"; pass=$((pass+1)); } || { echo "FAIL existing file untouched"; fail=$((fail+1)); }

check "folder without a SavedModel" 1 "holds no saved_model.pb" "$BIN" --saved_model_dir="$T" --output_file="$T/o10.tflite"
no_output "no SavedModel leaves no output" "$T/o10.tflite"
check "not a Keras file" 1 "add.pbtxt" "$BIN" --keras_model_file="$T/add.pbtxt" --output_file="$T/o11.tflite"
no_output "bad Keras file leaves no output" "$T/o11.tflite"
check "help" 0 "" "$BIN" --help

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
