#!/usr/bin/env bash
# Select TF ops on the command line: with SELECT_TF_OPS the Unique node of
# unique_relu.pbtxt becomes FlexUnique (one stderr line says the model needs
# the Flex delegate), the output is deterministic, and without it the
# conversion fails in TF's wording. The cut builtin branch runs in LiteRT.js.
# usage: flex_cli_test.sh BUILD_DIR REPO_DIR
set -u
B="$1"; REPO="$2"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { echo "PASS $1"; pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
C=("$B/tflite_convert" --enable_v1_converter --graph_def_file="$REPO/tests/flex/unique_relu.pbtxt")

"${C[@]}" --output_arrays=idx,r --supported_ops=TFLITE_BUILTINS,SELECT_TF_OPS --output_file="$T/a.tflite" 2>"$T/err"
rc=$?
if [ $rc -eq 0 ] && [ "$(grep -c '' "$T/err")" -eq 1 ] &&
   grep -qF "needs to link Flex delegate" "$T/err" && grep -qF "1 Select TF op(s): FlexUnique" "$T/err"; then
  ok "flex conversion, one stderr line"
else bad "flex conversion: rc=$rc $(head -c 300 "$T/err")"; fi
"$B/tflite_analyze" "$T/a.tflite" >"$T/an" 2>&1
if grep -qF "FlexUnique(T#0) -> [T#1, T#2]" "$T/an" && grep -qF "RELU(T#0)" "$T/an"; then ok "analyzer shows FlexUnique and RELU"
else bad "analyzer: $(head -c 300 "$T/an")"; fi
"${C[@]}" --output_arrays=idx,r --supported_ops=TFLITE_BUILTINS,SELECT_TF_OPS --output_file="$T/b.tflite" 2>/dev/null
if cmp -s "$T/a.tflite" "$T/b.tflite"; then ok "deterministic"; else bad "two runs differ"; fi

"${C[@]}" --output_arrays=idx,r --output_file="$T/c.tflite" 2>"$T/err"
rc=$?
if [ $rc -ne 0 ] && grep -qF "TF Select ops: Unique" "$T/err" && [ ! -e "$T/c.tflite" ]; then ok "without SELECT_TF_OPS: TF's message"
else bad "without SELECT_TF_OPS: rc=$rc $(head -c 300 "$T/err")"; fi

"${C[@]}" --output_arrays=r --supported_ops=TFLITE_BUILTINS,SELECT_TF_OPS --output_file="$T/cut.tflite" 2>"$T/err"
rc=$?
if [ $rc -eq 0 ] && [ ! -s "$T/err" ]; then ok "cut branch converts without Flex"; else bad "cut: rc=$rc $(head -c 300 "$T/err")"; fi
if [ -d "$REPO/tests/e2e/node_modules/@litertjs" ]; then
  if node "$REPO/tests/e2e/flex_cut.mjs" "$T/cut.tflite"; then ok "cut branch runs in LiteRT.js"; else bad "cut branch in LiteRT.js"; fi
else
  echo "SKIP LiteRT.js run: tests/e2e/node_modules missing (bash tests/e2e/setup.sh)"
fi

# Quantization with Flex ops. Calibration cannot run a Flex op (only the
# runtime can): the Flex ops and the ops computed from their outputs stay
# float with no range, the builtin branch becomes int8, one stderr line says so.
PY=/usr/bin/python3
"$PY" -c "import numpy as np; np.random.seed(0); np.save('$T/rep.npy', np.random.randn(8,4).astype(np.float32)); np.random.seed(1); np.save('$T/rep2.npy', np.random.uniform(-1.2,1.2,(16,1,4)).astype(np.float32))"
Q=(--optimizations=DEFAULT --representative_dataset="$T/rep.npy")
"${C[@]}" --output_arrays=idx,r --supported_ops=TFLITE_BUILTINS,SELECT_TF_OPS "${Q[@]}" --output_file="$T/q.tflite" 2>"$T/err"
rc=$?
"$B/tflite_analyze" "$T/q.tflite" >"$T/an" 2>&1
if [ $rc -eq 0 ] && [ "$(grep -c '' "$T/err")" -eq 2 ] &&
   grep -qF "calibration cannot run the Flex/custom op FlexUnique (only the runtime can), so it stays float and no other op depends on its outputs" "$T/err" &&
   grep -qF "FlexUnique(T#0) -> [T#1, T#2]" "$T/an" && grep -qF "QUANTIZE(T#0) -> [T#3]" "$T/an" &&
   grep -qF "RELU(T#3) -> [T#4]" "$T/an" && grep -qF "DEQUANTIZE(T#4) -> [T#5]" "$T/an" &&
   grep -qE "T#0\(x\) shape:\[4\], type:FLOAT32$" "$T/an" && grep -qE "T#4\(r_int8\) .*type:INT8, quant" "$T/an"; then
  ok "int8 with FlexUnique: RELU int8, FlexUnique float, one calibration line"
else bad "int8 with FlexUnique: rc=$rc $(head -c 400 "$T/err") $(grep -E 'Op#|T#' "$T/an" | head -12)"; fi
"${C[@]}" --output_arrays=idx,r --supported_ops=TFLITE_BUILTINS,SELECT_TF_OPS "${Q[@]}" --output_file="$T/q2.tflite" 2>/dev/null
if cmp -s "$T/q.tflite" "$T/q2.tflite"; then ok "int8 with Flex deterministic"; else bad "int8 with Flex: two runs differ"; fi

TB=("$B/tflite_convert" --enable_v1_converter --graph_def_file="$REPO/tests/flex/tan_branches.pbtxt")
"${TB[@]}" --output_arrays=y,mix,z --supported_ops=TFLITE_BUILTINS,SELECT_TF_OPS --optimizations=DEFAULT \
  --representative_dataset="$T/rep2.npy" --output_file="$T/tb.tflite" 2>"$T/err"
rc=$?
"$B/tflite_analyze" "$T/tb.tflite" >"$T/an" 2>&1
# t (FlexTan's output) and everything from it stay float without ranges; h
# (int8, from RELU) is dequantized in front of the float add.
if [ $rc -eq 0 ] && [ "$(grep -c '' "$T/err")" -eq 2 ] &&
   grep -qF "so do the 1 op(s) that depend on their outputs (RELU), which have no recorded range" "$T/err" &&
   grep -qE "T#[0-9]+\(t\) .*type:FLOAT32$" "$T/an" && grep -qE "T#[0-9]+\(rt\) .*type:FLOAT32$" "$T/an" &&
   grep -qE "T#[0-9]+\(h\) .*type:INT8, quant" "$T/an" && grep -qE "T#[0-9]+\(y_int8\) .*type:INT8, quant" "$T/an" &&
   grep -qE "FULLY_CONNECTED\(" "$T/an" && grep -qE "DEQUANTIZE\(T#6\) -> \[T#10\]" "$T/an" &&
   grep -qE "T#10\(h_dequantized\) .*FLOAT32" "$T/an" && grep -qE "FlexAddV2\(T#10, T#1\)" "$T/an"; then
  ok "int8 with a Flex op feeding builtins: dependents float, DEQUANTIZE before them"
else bad "tan_branches int8: rc=$rc $(head -c 400 "$T/err") $(grep -E 'Op#|T#' "$T/an" | head -20)"; fi
# An int8 model output computed from a Flex op's value has no range: one
# line that says why, and what to keep.
"${TB[@]}" --output_arrays=rt --supported_ops=TFLITE_BUILTINS,SELECT_TF_OPS --optimizations=DEFAULT \
  --representative_dataset="$T/rep2.npy" --inference_output_type=INT8 --output_file="$T/tbo.tflite" >/dev/null 2>"$T/err"
rc=$?
if [ $rc -ne 0 ] && [ "$(grep -c 'error' "$T/err")" -eq 1 ] && grep -qF "model output 'rt' has no recorded range: calibration cannot run the Flex/custom op FlexTan" "$T/err" &&
   grep -qF -- "keep --inference_output_type=float32" "$T/err" && [ ! -e "$T/tbo.tflite" ]; then
  ok "int8 output fed by a Flex op: refused, naming the Flex op"
else bad "int8 output from Flex: rc=$rc $(cat "$T/err")"; fi
# The int8 builtin branch matches the same branch converted alone (no Flex op):
# the Flex op changes no range of the tensors it does not feed.
"${TB[@]}" --output_arrays=y --optimizations=DEFAULT --representative_dataset="$T/rep2.npy" --output_file="$T/tby.tflite" 2>/dev/null
"$B/tflite_analyze" "$T/tby.tflite" >"$T/any" 2>&1
qp() { grep -E "\((h|y_int8|x_quantized)\) " "$1" | sed -E 's/^ *T#[0-9]+//' | sort; }
if [ -n "$(qp "$T/an")" ] && [ "$(qp "$T/an")" = "$(qp "$T/any")" ]; then ok "builtin branch qparams equal the branch converted alone"
else bad "branch qparams differ: $(qp "$T/an") vs $(qp "$T/any")"; fi
if [ -d "$REPO/tests/e2e/node_modules/@litertjs" ]; then
  if node "$REPO/tests/e2e/flex_int8_cut.mjs" "$T/tby.tflite"; then ok "int8 builtin branch matches float in LiteRT.js (tolerance 0.05)"
  else bad "int8 builtin branch in LiteRT.js"; fi
else
  echo "SKIP LiteRT.js int8 run: tests/e2e/node_modules missing"
fi

"${TB[@]}" --output_arrays=y,mix,z --supported_ops=TFLITE_BUILTINS_INT8,SELECT_TF_OPS --inference_input_type=int8 --optimizations=DEFAULT \
  --representative_dataset="$T/rep2.npy" --output_file="$T/o.tflite" 2>/dev/null
[ $? -eq 0 ] && ok "SELECT_TF_OPS allows float (lite.py), also with TFLITE_BUILTINS_INT8" || bad "INT8+SELECT_TF_OPS"

# Dynamic range and float16 with a Flex op. Dynamic range leaves the 12
# weights float (TF quantizes weights of 1024 elements or more).
"${TB[@]}" --output_arrays=y,mix,z --supported_ops=TFLITE_BUILTINS,SELECT_TF_OPS --optimizations=DEFAULT --output_file="$T/dr.tflite" 2>"$T/err"
rc=$?
"$B/tflite_analyze" "$T/dr.tflite" >"$T/an" 2>&1
if [ $rc -eq 0 ] && [ "$(grep -c '' "$T/err")" -eq 1 ] && grep -qF "FlexTan(T#0)" "$T/an" && grep -qF "FULLY_CONNECTED(" "$T/an" && ! grep -q "INT8" "$T/an"; then
  ok "dynamic range with Flex: converts, FlexTan kept, small weights float"
else bad "dynamic range with Flex: rc=$rc $(head -c 300 "$T/err")"; fi
"${TB[@]}" --output_arrays=y,mix,z --supported_ops=TFLITE_BUILTINS,SELECT_TF_OPS --optimizations=DEFAULT --supported_types=float16 --output_file="$T/f16.tflite" 2>"$T/err"
rc=$?
"$B/tflite_analyze" "$T/f16.tflite" >"$T/an" 2>&1
if [ $rc -eq 0 ] && [ "$(grep -c '' "$T/err")" -eq 1 ] && grep -qF "FlexTan(T#0)" "$T/an" && grep -qE "type:FLOAT16 RO" "$T/an"; then
  ok "float16 with Flex: float16 weights, FlexTan kept"
else bad "float16 with Flex: rc=$rc $(head -c 300 "$T/err")"; fi

# A custom op (--allow_custom_ops): float fallback keeps it float; integer-only names it.
DEF="name: 'CustomAdd' input_arg: {name: 'Input1' type: DT_FLOAT} input_arg: {name: 'Input2' type: DT_FLOAT} output_arg: {name: 'Output' type: DT_FLOAT}"
"$PY" -c "import numpy as np; np.random.seed(2); np.save('$T/rep3.npy', np.random.randn(2,1,16,16,3).astype(np.float32))"
CA=("$B/tflite_convert" --enable_v1_converter --graph_def_file="$REPO/tests/custom_ops/custom_add.pbtxt" --output_arrays=add
    --allow_custom_ops --custom_opdefs="$DEF" --optimizations=DEFAULT --representative_dataset="$T/rep3.npy")
"${CA[@]}" --output_file="$T/ca.tflite" 2>"$T/err"
rc=$?
"$B/tflite_analyze" "$T/ca.tflite" >"$T/an" 2>&1
if [ $rc -eq 0 ] && grep -qF "calibration cannot run the Flex/custom op CustomAdd" "$T/err" && grep -qF "CustomAdd(T#0, T#0) -> [T#1]" "$T/an" &&
   ! grep -q "INT8" "$T/an"; then ok "custom op int8 float fallback: CustomAdd float"
else bad "custom op float fallback: rc=$rc $(head -c 300 "$T/err")"; fi
rm -f "$T/o.tflite"
"${CA[@]}" --target_ops=TFLITE_BUILTINS_INT8 --output_file="$T/o.tflite" 2>"$T/err"
rc=$?
if [ $rc -eq 1 ] && [ ! -e "$T/o.tflite" ] && [ "$(grep -c 'error' "$T/err")" -eq 1 ] &&
   grep -qF "Quantization not yet supported for op: 'CustomAdd' (calibration cannot run the Flex/custom op CustomAdd" "$T/err"; then
  ok "integer only with a custom op: one error line naming it"
else bad "integer only custom: rc=$rc $(head -c 300 "$T/err")"; fi
echo "flex_cli: $pass passed, $fail failed (the FlexUnique op itself cannot run: LiteRT.js has no Flex delegate)"
[ $fail -eq 0 ]
