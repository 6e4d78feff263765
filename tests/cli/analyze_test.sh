#!/usr/bin/env bash
# Evaluation before converting: `tflite_convert --analyze` and `tflite_analyze
# SOURCE` on generated and in-repo GraphDefs and SavedModels. Each report is
# checked against what the conversion then does, and the GPU check of
# `tflite_analyze --gpu_compatibility` on a converted model.
# usage: analyze_test.sh BUILD_DIR REPO_DIR [SAVED_MODEL_CASES_DIR]
set -u
B="$1"; REPO="$2"; SM="${3:-}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { echo "PASS $1"; pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
CONV="$B/tflite_convert"
PY=/usr/bin/python3
# jq-like field read: jget FILE 'python expression over j'
jget() { "$PY" -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"; }

# --- generated GraphDefs -----------------------------------------------------
cat >"$T/builtin.pbtxt" <<'EOF'
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "shape" value { shape { dim { size: 1 } dim { size: 4 } } } } }
node { name: "w" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 4 } dim { size: 2 } } float_val: 0.5 } } } }
node { name: "mm" op: "MatMul" input: "x" input: "w" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "r" op: "Relu" input: "mm" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "y" op: "Identity" input: "r" attr { key: "T" value { type: DT_FLOAT } } }
EOF
# RFFT (Flex, no builtin) feeding a builtin (ComplexAbs), next to a Relu.
cat >"$T/flex.pbtxt" <<'EOF'
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "shape" value { shape { dim { size: 8 } } } } }
node { name: "n" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { dim { size: 1 } } int_val: 8 } } } }
node { name: "f" op: "RFFT" input: "x" input: "n" attr { key: "Treal" value { type: DT_FLOAT } } attr { key: "Tcomplex" value { type: DT_COMPLEX64 } } }
node { name: "r" op: "Relu" input: "x" attr { key: "T" value { type: DT_FLOAT } } }
EOF
# An op no TF table knows (a user op) next to a Flex op.
cat >"$T/custom.pbtxt" <<'EOF'
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "shape" value { shape { dim { size: 4 } } } } }
node { name: "c" op: "MyFancyOp" input: "x" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "t" op: "Tanh" input: "c" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "u" op: "Unique" input: "x" attr { key: "T" value { type: DT_FLOAT } } attr { key: "out_idx" value { type: DT_INT32 } } }
EOF

A=("$CONV" --analyze --enable_v1_converter)

"${A[@]}" --graph_def_file="$T/builtin.pbtxt" >"$T/b.txt" 2>"$T/err"; rc=$?
if [ $rc -eq 0 ] && [ ! -s "$T/err" ] && grep -qE '^MatMul +1  builtin: FULLY_CONNECTED$' "$T/b.txt" &&
   grep -qE '^Relu +1  builtin: RELU$' "$T/b.txt" && grep -qE '^Placeholder +1  builtin: no op \(a model input\)$' "$T/b.txt" &&
   grep -qF "Converts with the flags given: yes" "$T/b.txt" && grep -qF "Integer quantizable: yes" "$T/b.txt"; then
  ok "builtin model: ops, converts, integer-quantizable"
else bad "builtin model: rc=$rc $(cat "$T/err") $(cat "$T/b.txt")"; fi
if [ -z "$(ls -A "$T" | grep -v -e '\.pbtxt$' -e '^b.txt$' -e '^err$')" ]; then ok "--analyze writes no file"
else bad "--analyze left files: $(ls "$T")"; fi

"${A[@]}" --graph_def_file="$T/flex.pbtxt" >"$T/f.txt" 2>"$T/err"; rc=$?
if [ $rc -eq 0 ] && grep -qE '^RFFT +1  Flex' "$T/f.txt" && grep -qF "Converts with the flags given: no" "$T/f.txt" &&
   grep -qF "To convert, add: --supported_ops=TFLITE_BUILTINS,SELECT_TF_OPS" "$T/f.txt" &&
   grep -qF "(checked: the model then converts)" "$T/f.txt" && grep -qF "Integer quantizable: no; no integer kernel for FlexRFFT" "$T/f.txt"; then
  ok "flex model: RFFT Flex, suggested flag, not integer-quantizable"
else bad "flex model: rc=$rc $(cat "$T/err") $(cat "$T/f.txt")"; fi
# ... and the claims hold: it fails without the flag, converts with it.
"$CONV" --enable_v1_converter --graph_def_file="$T/flex.pbtxt" --output_file="$T/f1.tflite" 2>"$T/err"; rc1=$?
"$CONV" --enable_v1_converter --graph_def_file="$T/flex.pbtxt" --supported_ops=TFLITE_BUILTINS,SELECT_TF_OPS \
  --output_file="$T/f2.tflite" 2>/dev/null; rc2=$?
if [ $rc1 -ne 0 ] && grep -qF "TF Select ops: RFFT" "$T/err" && [ $rc2 -eq 0 ]; then ok "flex model: conversion agrees"
else bad "flex model conversion: rc1=$rc1 rc2=$rc2 $(head -c 300 "$T/err")"; fi
"${A[@]}" --graph_def_file="$T/flex.pbtxt" --supported_ops=TFLITE_BUILTINS,SELECT_TF_OPS >"$T/f2.txt" 2>&1
if grep -qF "Converts with the flags given: yes" "$T/f2.txt" && ! grep -qF "To convert, add" "$T/f2.txt"; then
  ok "flex model with SELECT_TF_OPS: converts, nothing to add"
else bad "flex model with SELECT_TF_OPS: $(cat "$T/f2.txt")"; fi

"${A[@]}" --graph_def_file="$T/custom.pbtxt" --json >"$T/c.json" 2>"$T/err"; rc=$?
if [ $rc -eq 0 ] && [ "$(jget "$T/c.json" "[(o['op'],o['mapping']) for o in j['ops'] if o['op'] in ('MyFancyOp','Unique','Tanh')]")" = \
     "[('MyFancyOp', 'custom'), ('Tanh', 'unchecked'), ('Unique', 'flex')]" ] &&
   [ "$(jget "$T/c.json" "j['converts'], j['converts_with_suggested_flags'], j['counts']['custom'], j['counts']['flex']")" = "False False 1 1" ] &&
   [ "$(jget "$T/c.json" "'--allow_custom_ops' in j['suggested_flags']")" = "True" ]; then
  ok "custom model (JSON): custom, Flex, unchecked downstream"
else bad "custom model: rc=$rc $(cat "$T/err") $(head -c 600 "$T/c.json")"; fi
"$CONV" --enable_v1_converter --graph_def_file="$T/custom.pbtxt" --output_file="$T/c.tflite" 2>"$T/err"; rc=$?
if [ $rc -eq 1 ] && grep -qF "tf.MyFancyOp" "$T/err" && grep -qF "tf.Unique" "$T/err" && ! grep -qF "tf.Tanh" "$T/err"; then
  ok "custom model: conversion fails naming the same ops"
else bad "custom model conversion: rc=$rc $(head -c 300 "$T/err")"; fi

# Custom ops (--allow_custom_ops): Sinh, in the Flex allowlist, becomes a
# custom op when SELECT_TF_OPS is off, as the conversion does.
"${A[@]}" --graph_def_file="$REPO/tests/custom_ops/sinh.pbtxt" --allow_custom_ops >"$T/s.txt" 2>&1
"$CONV" --enable_v1_converter --graph_def_file="$REPO/tests/custom_ops/sinh.pbtxt" --allow_custom_ops --output_file="$T/s.tflite" 2>/dev/null; rc=$?
if grep -qE "^Sinh +1  custom: " "$T/s.txt" && grep -qF "Converts with the flags given: yes" "$T/s.txt" && [ $rc -eq 0 ]; then
  ok "sinh with --allow_custom_ops: custom, converts"
else bad "sinh --allow_custom_ops: rc=$rc $(cat "$T/s.txt")"; fi
"${A[@]}" --graph_def_file="$REPO/tests/custom_ops/custom_add.pbtxt" >"$T/ca.txt" 2>&1
if grep -qE "^CustomAdd +1  custom: " "$T/ca.txt" && grep -qF -- "--allow_custom_ops" "$T/ca.txt" &&
   grep -qF "it still fails" "$T/ca.txt" && grep -qF -- "--custom_opdefs" "$T/ca.txt"; then
  ok "custom_add: custom, needs --custom_opdefs (checked)"
else bad "custom_add: $(cat "$T/ca.txt")"; fi

# JSON and text agree, and tflite_analyze SOURCE gives the same report.
"${A[@]}" --graph_def_file="$T/flex.pbtxt" --json >"$T/f.json" 2>&1
"$B/tflite_analyze" "$T/flex.pbtxt" >"$T/fa.txt" 2>&1
"$B/tflite_analyze" --json "$T/flex.pbtxt" >"$T/fa.json" 2>&1
if cmp -s "$T/f.txt" "$T/fa.txt" && cmp -s "$T/f.json" "$T/fa.json"; then ok "tflite_analyze SOURCE = tflite_convert --analyze"
else bad "tflite_analyze SOURCE differs from tflite_convert --analyze"; fi
if [ "$(jget "$T/f.json" "sorted((o['op'],o['mapping'],o['count']) for o in j['ops'])")" = \
     "[('Const', 'builtin', 1), ('Placeholder', 'builtin', 1), ('RFFT', 'flex', 1), ('Relu', 'builtin', 1)]" ]; then
  ok "JSON ops of the Flex model"
else bad "JSON report: $(head -c 600 "$T/f.json")"; fi
"${A[@]}" --graph_def_file="$T/flex.pbtxt" --json >"$T/f2.json" 2>&1
if cmp -s "$T/f.json" "$T/f2.json"; then ok "deterministic report"; else bad "two reports differ"; fi

# --- in-repo models ------------------------------------------------------------
for f in "$REPO"/tests/golden/*.pbtxt "$REPO"/tests/flex/*.pbtxt "$REPO"/tests/control_flow/*.pbtxt "$REPO"/examples/*.pb; do
  name=$(basename "$f")
  "${A[@]}" --graph_def_file="$f" --json >"$T/r.json" 2>"$T/err"; rc=$?
  if [ $rc -ne 0 ]; then bad "$name: --analyze rc=$rc $(head -c 200 "$T/err")"; continue; fi
  "$CONV" --enable_v1_converter --graph_def_file="$f" --output_file="$T/r.tflite" 2>"$T/cerr"; crc=$?
  verdict=$(jget "$T/r.json" "j['converts']")
  if { [ "$verdict" = True ] && [ $crc -eq 0 ]; } || { [ "$verdict" = False ] && [ $crc -ne 0 ]; }; then
    ok "$name: report (converts=$verdict) agrees with conversion"
  else bad "$name: report converts=$verdict, conversion rc=$crc $(head -c 200 "$T/cerr")"; fi
done
# An op the lowering refuses, with its reason; the conversion fails naming it.
"${A[@]}" --graph_def_file="$REPO/tests/control_flow/bad_while_body.pbtxt" >"$T/u.txt" 2>&1
"$CONV" --enable_v1_converter --graph_def_file="$REPO/tests/control_flow/bad_while_body.pbtxt" --output_file="$T/u.tflite" 2>"$T/uerr"; rc=$?
if grep -qE "^StatelessWhile +1  unsupported: StatelessWhile node 'loop': While body 'short_body' returns 1 values" "$T/u.txt" &&
   grep -qF "Neither SELECT_TF_OPS nor --allow_custom_ops makes it convert." "$T/u.txt" && [ $rc -eq 1 ] && grep -qF "StatelessWhile node 'loop'" "$T/uerr"; then
  ok "bad_while_body: StatelessWhile unsupported with the reason the conversion gives"
else bad "bad_while_body: rc=$rc $(cat "$T/u.txt") $(cat "$T/uerr")"; fi
"${A[@]}" --graph_def_file="$REPO/tests/golden/conv_bias_relu.pbtxt" >"$T/g.txt" 2>&1
if grep -qE '^Conv2D +1  builtin: CONV_2D$' "$T/g.txt" && grep -qE '^BiasAdd +1  builtin: ' "$T/g.txt"; then ok "conv_bias_relu: Conv2D -> CONV_2D"
else bad "conv_bias_relu: $(cat "$T/g.txt")"; fi
"${A[@]}" --graph_def_file="$REPO/tests/control_flow/functional_while.pbtxt" >"$T/w.txt" 2>&1
if grep -qE '^(While|StatelessWhile) +1  builtin: WHILE$' "$T/w.txt"; then ok "functional_while: While -> WHILE, body ops listed"
else bad "functional_while: $(cat "$T/w.txt")"; fi

# --- SavedModels (tests/saved_model fixtures) ---------------------------------------
if [ -n "$SM" ] && [ -d "$SM" ]; then
  n=0
  for d in "$SM"/*/; do
    [ -f "$d/saved_model.pb" ] || continue
    name=$(basename "$d")
    "$CONV" --analyze --saved_model_dir="$d" --json >"$T/s.json" 2>"$T/err"; rc=$?
    if [ $rc -ne 0 ]; then
      # Usage-level problems (no serving_default...) fail the same way in conversion.
      "$CONV" --saved_model_dir="$d" --output_file="$T/s.tflite" 2>/dev/null && bad "$name: --analyze failed, conversion did not: $(head -c 200 "$T/err")"
      continue
    fi
    "$CONV" --saved_model_dir="$d" --output_file="$T/s.tflite" 2>/dev/null; crc=$?
    verdict=$(jget "$T/s.json" "j['converts']")
    if { [ "$verdict" = True ] && [ $crc -eq 0 ]; } || { [ "$verdict" = False ] && [ $crc -ne 0 ]; }; then n=$((n+1))
    else bad "saved model $name: report converts=$verdict, conversion rc=$crc"; fi
  done
  ok "$n SavedModel fixtures: report agrees with conversion"
else
  echo "SKIP SavedModel fixtures: no cases directory given"
fi

# --- StableHLO: one row per op, every refusal listed --------------------------
cat >"$T/hlo_ok.mlir" <<'EOF'
func.func @main(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = stablehlo.constant dense<0.5> : tensor<4x3xf32>
  %0 = stablehlo.dot_general %x, %w, contracting_dims = [1] x [0] : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  %1 = stablehlo.tanh %0 : tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}
EOF
# Two ops without a lowering, one after an op fed by the first: both named.
cat >"$T/hlo_bad.mlir" <<'EOF'
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = stablehlo.abs %x : tensor<4xf32>
  %1 = stablehlo.no_such_op %0 : tensor<4xf32>
  %2 = stablehlo.add %1, %0 : tensor<4xf32>
  %3 = stablehlo.other_missing_op %2 : tensor<4xf32>
  return %3 : tensor<4xf32>
}
EOF
"$CONV" --stablehlo_file="$T/hlo_ok.mlir" --analyze --json >"$T/h1.json" 2>"$T/err"; rc=$?
if [ $rc -eq 0 ] && [ "$(jget "$T/h1.json" '",".join("%s=%s:%s" % (o["op"], o["mapping"], "+".join(o["builtins"])) for o in j["ops"])')" = \
     "stablehlo.constant=builtin:,stablehlo.dot_general=builtin:FULLY_CONNECTED,stablehlo.tanh=builtin:TANH" ] &&
   [ "$(jget "$T/h1.json" 'j["converts"], j["counts"]["builtin"]')" = "True 3" ]; then
  ok "StableHLO MLP: one row per op with its builtin, converts"
else bad "StableHLO MLP: rc=$rc $(head -c 600 "$T/h1.json") $(cat "$T/err")"; fi
"$CONV" --stablehlo_file="$T/hlo_bad.mlir" --analyze --json >"$T/h2.json" 2>"$T/err"; rc=$?
if [ $rc -eq 0 ] && [ "$(jget "$T/h2.json" '",".join("%s=%s" % (o["op"], o["mapping"]) for o in j["ops"])')" = \
     "stablehlo.abs=builtin,stablehlo.no_such_op=unsupported,stablehlo.add=unchecked,stablehlo.other_missing_op=unsupported" ] &&
   [ "$(jget "$T/h2.json" 'j["converts"], j["counts"]["unsupported"], j["counts"]["unchecked"], j["ops"][1]["nodes"]')" = "False 2 1 ['%1 at 3:3']" ]; then
  ok "StableHLO refusals: each op with its location, the op after them unchecked"
else bad "StableHLO refusals: rc=$rc $(head -c 900 "$T/h2.json") $(cat "$T/err")"; fi
"$CONV" --stablehlo_file="$T/hlo_bad.mlir" --output_file="$T/h.tflite" >/dev/null 2>"$T/err"; rc=$?
if [ $rc -eq 1 ] && [ "$(grep -c '' "$T/err")" -eq 1 ] && grep -qF "2 StableHLO ops: stablehlo.no_such_op at $T/hlo_bad.mlir:3:3; stablehlo.other_missing_op at $T/hlo_bad.mlir:5:3" "$T/err" &&
   [ ! -e "$T/h.tflite" ]; then
  ok "StableHLO conversion names both ops the report lists"
else bad "StableHLO conversion: rc=$rc $(cat "$T/err")"; fi

# --- usage --------------------------------------------------------------------
"${A[@]}" --graph_def_file="$T/builtin.pbtxt" --output_file="$T/x.tflite" >/dev/null 2>"$T/err"; rc=$?
if [ $rc -eq 2 ] && [ "$(grep -c '' "$T/err")" -eq 1 ] && [ ! -e "$T/x.tflite" ]; then ok "--analyze with --output_file: usage error"
else bad "--analyze --output_file: rc=$rc $(cat "$T/err")"; fi
"$CONV" --enable_v1_converter --graph_def_file="$T/builtin.pbtxt" --json >/dev/null 2>"$T/err"; rc=$?
if [ $rc -eq 2 ] && grep -qF -- "--json goes with --analyze" "$T/err"; then ok "--json alone: usage error"; else bad "--json alone: rc=$rc $(cat "$T/err")"; fi
"$CONV" --enable_v1_converter --graph_def_file="$T/builtin.pbtxt" >/dev/null 2>"$T/err"; rc=$?
if [ $rc -eq 2 ] && grep -qF -- "--output_file is required" "$T/err"; then ok "no --output_file: usage error"; else bad "no --output_file: rc=$rc $(cat "$T/err")"; fi
"$CONV" --analyze >/dev/null 2>"$T/err"; rc=$?
if [ $rc -eq 2 ] && [ "$(grep -c '' "$T/err")" -eq 1 ]; then ok "--analyze without a model: usage error"; else bad "--analyze alone: rc=$rc $(cat "$T/err")"; fi
"$B/tflite_analyze" "$T/nonexistent.pb" >/dev/null 2>"$T/err"; rc=$?
if [ $rc -eq 1 ] && [ "$(grep -c '' "$T/err")" -eq 1 ]; then ok "tflite_analyze missing source: one line, rc 1"; else bad "missing source: rc=$rc $(cat "$T/err")"; fi

# --- GPU compatibility of a converted model ----------------------------------------
"$CONV" --enable_v1_converter --graph_def_file="$REPO/tests/golden/conv_bias_relu.pbtxt" --output_file="$T/g.tflite" 2>/dev/null
"$B/tflite_analyze" --gpu_compatibility "$T/g.tflite" >"$T/gpu.txt" 2>&1; rc=$?
if [ $rc -eq 0 ] && grep -qF "Your model looks compatible with GPU delegate" "$T/gpu.txt" && ! grep -qF "GPU COMPATIBILITY WARNING" "$T/gpu.txt"; then
  ok "conv model: GPU compatible"
else bad "conv model GPU: rc=$rc $(head -c 400 "$T/gpu.txt")"; fi
"$B/tflite_analyze" --gpu_compatibility "$T/f2.tflite" >"$T/gpu2.txt" 2>&1; rc=$?
if [ $rc -eq 0 ] && grep -qF "GPU COMPATIBILITY WARNING: Not supported custom op FlexRFFT" "$T/gpu2.txt" &&
   grep -qF "GPU COMPATIBILITY WARNING: Subgraph#0 has GPU delegate compatibility issues at nodes" "$T/gpu2.txt"; then
  ok "Flex model: FlexRFFT falls back to the CPU"
else bad "Flex model GPU: rc=$rc $(head -c 600 "$T/gpu2.txt")"; fi
"$B/tflite_analyze" --gpu_compatibility "$T/flex.pbtxt" >/dev/null 2>"$T/err"; rc=$?
if [ $rc -eq 2 ] && [ "$(grep -c '' "$T/err")" -eq 1 ]; then ok "--gpu_compatibility on a source model: usage error"
else bad "--gpu_compatibility on source: rc=$rc $(cat "$T/err")"; fi

echo "analyze_test: $pass passed, $fail failed"
[ $fail -eq 0 ]
