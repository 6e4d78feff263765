#!/usr/bin/env bash
# Custom ops on the command line, with TF's flags and checks:
# --allow_custom_ops, --custom_opdefs (TF's own CustomAdd test graph) and
# --experimental_select_user_tf_ops; the Sinh custom op against the bytes of
# TF's custom_sinh.bin; and the SSD post-processing op run in LiteRT.js.
# usage: custom_ops_cli_test.sh BUILD_DIR REPO_DIR
set -u
B="$1"; REPO="$2"
D="$REPO/tests/custom_ops"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { echo "PASS $1"; pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
DEF="name: 'CustomAdd' input_arg: {name: 'Input1' type: DT_FLOAT} input_arg: {name: 'Input2' type: DT_FLOAT} output_arg: {name: 'Output' type: DT_FLOAT}"
C=("$B/tflite_convert" --enable_v1_converter --graph_def_file="$D/custom_add.pbtxt" --output_arrays=add)

# expect NAME RC PATTERN ARGS...: exit RC, one stderr line matching PATTERN,
# no output file. expect_report: the same, but TF's multi-line report of
# unsupported ops (errors, then "Details:").
expect() { lines=1 check "$@"; }
expect_report() { lines=99 check "$@"; }
check() {
  local name="$1" want="$2" pat="$3"; shift 3
  rm -f "$T/o.tflite"
  "$@" --output_file="$T/o.tflite" 2>"$T/err" >/dev/null
  local rc=$?
  if [ $rc -eq "$want" ] && [ "$(grep -c '' "$T/err")" -le "$lines" ] && grep -qF -- "$pat" "$T/err" && [ ! -e "$T/o.tflite" ]; then
    ok "$name"
  else bad "$name: rc=$rc $(head -c 300 "$T/err")"; fi
}

"${C[@]}" --allow_custom_ops --custom_opdefs="$DEF" --output_file="$T/a.tflite" 2>"$T/err"
rc=$?
"$B/tflite_analyze" "$T/a.tflite" >"$T/an" 2>&1
if [ $rc -eq 0 ] && [ "$(grep -c '' "$T/err")" -eq 1 ] && grep -qF "The model contains 1 custom op(s): CustomAdd;" "$T/err" &&
   grep -qF "CustomAdd(T#0, T#0) -> [T#1]" "$T/an"; then ok "CustomAdd with its OpDef, one stderr line"
else bad "CustomAdd: rc=$rc $(head -c 300 "$T/err") $(grep -i custom "$T/an" | head -3)"; fi
"${C[@]}" --allow_custom_ops --custom_opdefs="$DEF" --output_file="$T/b.tflite" 2>/dev/null
if cmp -s "$T/a.tflite" "$T/b.tflite"; then ok "deterministic"; else bad "two runs differ"; fi

# TF's testEnsureCustomOpdefsFlag and its flag checks.
"${C[@]}" --allow_custom_ops --output_file="$T/o.tflite" 2>"$T/err" >/dev/null
rc=$?
if [ $rc -eq 1 ] && grep -qF "'tf.CustomAdd' op (node 'add') is not a TensorFlow op: declare it with --custom_opdefs" "$T/err" &&
   [ ! -e "$T/o.tflite" ]; then ok "allow_custom_ops alone: the op needs an OpDef"
else bad "allow_custom_ops alone: rc=$rc $(head -c 300 "$T/err")"; fi
expect "custom_opdefs needs allow_custom_ops" 2 "--custom_opdefs must be used with --allow_custom_ops" \
  "${C[@]}" --custom_opdefs="$DEF"
expect "invalid OpDef (TF's testSavedModelWithInvalidCustomOpdefsFlag)" 1 "has 2 inputs, but its OpDef declares 1" \
  "${C[@]}" --allow_custom_ops --custom_opdefs="name: 'CustomAdd' input_arg: {name: 'Input1' type: DT_FLOAT} output_arg: {name: 'Output' type: DT_FLOAT}"
expect "OpDef text that does not parse" 2 "--custom_opdefs: not an OpDef (line 1 column" \
  "${C[@]}" --allow_custom_ops --custom_opdefs="name: 'CustomAdd' input_arg: {"
expect "OpDef of a TF op" 2 "which TensorFlow already defines" \
  "${C[@]}" --allow_custom_ops --custom_opdefs="name: 'AddV2'"
expect "user ops need SELECT_TF_OPS" 2 "--experimental_select_user_tf_ops can only be set if --target_ops contains SELECT_TF_OPS" \
  "${C[@]}" --experimental_select_user_tf_ops=CustomAdd
expect "user ops need an OpDef" 2 "names 'CustomAdd', which has no OpDef" \
  "${C[@]}" --experimental_select_user_tf_ops=CustomAdd --target_ops=TFLITE_BUILTINS,SELECT_TF_OPS

# TF's testSavedModelWithFlex: a declared user op through Flex.
"${C[@]}" --allow_custom_ops --custom_opdefs="$DEF" --experimental_select_user_tf_ops=CustomAdd \
  --target_ops=TFLITE_BUILTINS,SELECT_TF_OPS --output_file="$T/f.tflite" 2>"$T/err"
rc=$?
"$B/tflite_analyze" "$T/f.tflite" >"$T/an" 2>&1
if [ $rc -eq 0 ] && grep -qF "FlexCustomAdd(T#0, T#0)" "$T/an" && grep -qF "needs to link Flex delegate" "$T/err"; then
  ok "user op through Flex"
else bad "user op through Flex: rc=$rc $(head -c 300 "$T/err")"; fi

# The same graph as a TF1 SavedModel, as TF's own tests convert it.
if command -v protoc >/dev/null; then
  mkdir -p "$T/sm"
  if protoc --encode=tensorflow.SavedModel -I "$REPO/proto" "$REPO/proto/tensorflow/core/protobuf/saved_model.proto" \
       < "$D/custom_add_saved_model.pbtxt" > "$T/sm/saved_model.pb"; then
    SM=("$B/tflite_convert" --saved_model_dir="$T/sm")
    "${SM[@]}" --allow_custom_ops --custom_opdefs="$DEF" --output_file="$T/sm.tflite" 2>"$T/err"
    rc=$?
    "$B/tflite_analyze" "$T/sm.tflite" >"$T/an" 2>&1
    if [ $rc -eq 0 ] && grep -qF "CustomAdd(T#0, T#0) -> [T#1]" "$T/an"; then ok "SavedModel: CustomAdd (TF's testSavedModelWithCustomOpdefsFlag)"
    else bad "SavedModel CustomAdd: rc=$rc $(head -c 300 "$T/err")"; fi
    expect_report "SavedModel without --custom_opdefs (TF's testEnsureCustomOpdefsFlag)" 1 \
      "is not a TensorFlow op: declare it with --custom_opdefs" "${SM[@]}" --allow_custom_ops
    "${SM[@]}" --allow_custom_ops --custom_opdefs="$DEF" --experimental_select_user_tf_ops=CustomAdd \
      --target_ops=TFLITE_BUILTINS,SELECT_TF_OPS --output_file="$T/smf.tflite" 2>"$T/err"
    rc=$?
    "$B/tflite_analyze" "$T/smf.tflite" >"$T/an" 2>&1
    if [ $rc -eq 0 ] && grep -qF "FlexCustomAdd(T#0, T#0)" "$T/an"; then ok "SavedModel: user op through Flex (TF's testSavedModelWithFlex)"
    else bad "SavedModel user op through Flex: rc=$rc $(head -c 300 "$T/err")"; fi
  else bad "protoc could not encode custom_add_saved_model.pbtxt"; fi
else echo "SKIP SavedModel cases: protoc is not installed"; fi

# Sinh: allow_custom_ops alone gives the custom op TF wrote in custom_sinh.bin.
S=("$B/tflite_convert" --enable_v1_converter --graph_def_file="$D/sinh.pbtxt" --output_arrays=sinh)
"${S[@]}" --allow_custom_ops --output_file="$T/s.tflite" 2>"$T/err"
rc=$?
REF="$REPO/../shared/reference/flex/custom_sinh.bin"
if [ $rc -ne 0 ]; then bad "Sinh custom op: rc=$rc $(head -c 300 "$T/err")"
elif [ ! -f "$REF" ]; then echo "SKIP Sinh bytes: ../shared/reference/flex/custom_sinh.bin is absent"
else
  if /usr/bin/python3 - "$T/s.tflite" "$REF" <<'PY'
import sys
# custom_options of the only CUSTOM op, found by its FlexBuffer map bytes:
# read both files' operator tables through a tiny FlatBuffer walk.
import struct
def custom(path):
    b = open(path, 'rb').read()
    u32 = lambda o: struct.unpack_from('<I', b, o)[0]
    i32 = lambda o: struct.unpack_from('<i', b, o)[0]
    def table(o):
        vt = o - i32(o)
        n = struct.unpack_from('<H', b, vt)[0]
        return lambda f: (o + struct.unpack_from('<H', b, vt + 4 + 2 * f)[0]) if 4 + 2 * f < n and struct.unpack_from('<H', b, vt + 4 + 2 * f)[0] else None
    def vec(o):
        o += u32(o); return [o + 4 + 4 * i + u32(o + 4 + 4 * i) for i in range(u32(o))]
    def bytes_vec(o):
        o += u32(o); return b[o + 4:o + 4 + u32(o)]
    def string(o):
        o += u32(o); return b[o + 4:o + 4 + u32(o)].decode()
    model = table(u32(0))
    codes = [table(c) for c in vec(model(1))]
    sub = table(vec(model(2))[0])
    out = []
    for op in vec(sub(3)):
        t = table(op)
        code = codes[struct.unpack_from('<I', b, t(0))[0] if t(0) else 0]
        if code(1) is not None:  # custom ops only
            out.append((string(code(1)), bytes_vec(t(5)) if t(5) else b''))
    return out
ours, official = custom(sys.argv[1]), custom(sys.argv[2])
sys.exit(0 if ours and ours == official else 'ours %r, official %r' % (ours, official))
PY
  then ok "Sinh: custom_code and custom_options equal custom_sinh.bin's"
  else bad "Sinh custom op differs from custom_sinh.bin"; fi
fi
expect_report "Sinh without allow_custom_ops: TF's message" 1 "TF Select ops: Sinh" "${S[@]}"

# The SSD post-processing op, run by LiteRT's own kernel.
if /usr/bin/python3 "$D/make_detection.py" "$T/det" >/dev/null; then
  if [ -d "$REPO/tests/e2e/node_modules/@litertjs" ]; then
    if node "$D/detection.mjs" --converter "$B/tflite_convert" "$T/det"; then ok "TFLite_Detection_PostProcess in LiteRT.js"
    else bad "TFLite_Detection_PostProcess in LiteRT.js"; fi
  else echo "SKIP LiteRT.js run: tests/e2e/node_modules missing (bash tests/e2e/setup.sh)"; fi
  expect_report "TFLite_Detection_PostProcess without allow_custom_ops" 1 "Custom ops: TFLite_Detection_PostProcess" \
    "$B/tflite_convert" --enable_v1_converter --graph_def_file="$T/det/model.pbtxt" \
    --output_arrays=TFLite_Detection_PostProcess
else bad "make_detection.py"; fi
echo "custom_ops_cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
