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
echo "flex_cli: $pass passed, $fail failed (the FlexUnique op itself cannot run: LiteRT.js has no Flex delegate)"
[ $fail -eq 0 ]
