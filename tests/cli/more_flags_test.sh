#!/usr/bin/env bash
# The rest of TF's tflite_convert flags and --target_runtime: each flag's
# effect, and each usage error as one stderr line, exit 2 and no output file.
# usage: more_flags_test.sh BUILD_DIR REPO_DIR
set -u
BIN="$1/tflite_convert"
REPO="$2"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { echo "PASS $1"; pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }

# name, expected status, expected stderr text, command... (the output is $T/o.tflite)
err() {
  local name="$1" want_rc="$2" want_text="$3"; shift 3
  rm -f "$T"/o.tflite*
  "$@" >"$T/out" 2>"$T/err"; local rc=$?
  local lines; lines=$(grep -c '' "$T/err")
  if [ "$rc" -ne "$want_rc" ] || ! grep -qF -- "$want_text" "$T/err" || [ "$lines" -ne 1 ] ||
     grep -qiE "terminate called|Segmentation|Aborted" "$T/err"; then
    bad "$name: rc=$rc (want $want_rc), $lines stderr lines: $(head -c 400 "$T/err")"
  elif [ -e "$T/o.tflite" ] || ls "$T"/o.tflite.tmp.* >/dev/null 2>&1; then
    bad "$name: output left behind"
  else ok "$name"; fi
}
run() {  # name, command...: must succeed quietly
  local name="$1"; shift
  "$@" >"$T/out" 2>"$T/err" && [ ! -s "$T/err" ] && ok "$name" || bad "$name: rc=$? $(head -c 300 "$T/err")"
}
same() { cmp -s "$2" "$3" && ok "$1" || bad "$1: $2 and $3 differ"; }

cat >"$T/add.pbtxt" <<'PB'
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "shape" value { shape { dim { size: 1 } dim { size: 3 } } } } }
node { name: "c" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 3 } } float_val: 1 float_val: 2 float_val: 3 } } } }
node { name: "y" op: "AddV2" input: "x" input: "c" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "z" op: "Relu" input: "y" attr { key: "T" value { type: DT_FLOAT } } }
PB
cat >"$T/add64.pbtxt" <<'PB'
node { name: "a" op: "Placeholder" attr { key: "dtype" value { type: DT_INT64 } } attr { key: "shape" value { shape { dim { size: 3 } } } } }
node { name: "b" op: "Placeholder" attr { key: "dtype" value { type: DT_INT64 } } attr { key: "shape" value { shape { dim { size: 3 } } } } }
node { name: "s" op: "AddV2" input: "a" input: "b" attr { key: "T" value { type: DT_INT64 } } }
PB
V1=(--enable_v1_converter)
G=("${V1[@]}" --graph_def_file="$T/add.pbtxt" --output_file="$T/o.tflite")
MNIST=("${V1[@]}" --graph_def_file="$REPO/examples/mnist_cnn.pb" --input_arrays=input --output_arrays=probs)

"$BIN" "${G[@]}" 2>/dev/null && mv "$T/o.tflite" "$T/plain.tflite" || bad "plain conversion"

# --- --target_runtime
err "target_runtime not a version" 2 "--target_runtime='2.x' is not a TFLite runtime version" "$BIN" "${G[@]}" --target_runtime=2.x
err "target_runtime 1.x" 2 "give 2.N or 2.N.P" "$BIN" "${G[@]}" --target_runtime=1.15
err "target_runtime refuses by name" 1 "op ADD ('s') needs version 4 (TFLite 2.6.0); --target_runtime=2.5 has at most version 3 of ADD" \
  "$BIN" "${V1[@]}" --graph_def_file="$T/add64.pbtxt" --output_file="$T/o.tflite" --target_runtime=2.5
run "target_runtime new enough" "$BIN" "${V1[@]}" --graph_def_file="$T/add64.pbtxt" --output_file="$T/t.tflite" --target_runtime=2.6
run "target_runtime on a float model" "$BIN" "${G[@]}" --target_runtime=2.0
same "target_runtime leaves fitting models as they are" "$T/o.tflite" "$T/plain.tflite"

# --- --output_format
run "output_format=GRAPHVIZ_DOT" "$BIN" "${G[@]}" --output_format=GRAPHVIZ_DOT
head -c 7 "$T/o.tflite" | grep -q digraph && grep -q "ADD v1" "$T/o.tflite" && grep -q "output z" "$T/o.tflite" &&
  ok "the .dot names the ops and outputs" || bad "the .dot names the ops and outputs"
run "output_format lower case" "$BIN" "${G[@]}" --output_format=graphviz_dot
run "output_format=TFLITE" "$BIN" "${G[@]}" --output_format=TFLITE
same "output_format=TFLITE is the default" "$T/o.tflite" "$T/plain.tflite"
err "output_format bad choice" 2 "argument --output_format: invalid choice: 'PNG' (choose from 'TFLITE', 'GRAPHVIZ_DOT')" \
  "$BIN" "${G[@]}" --output_format=PNG
err "output_format is a v1 flag" 2 "--output_format is a TensorFlow 1.X flag; add --enable_v1_converter" \
  "$BIN" --keras_model_file="$T/none.h5" --output_file="$T/o.tflite" --output_format=TFLITE

# --- --dump_graphviz_dir / --dump_graphviz_video
run "dump_graphviz_dir" "$BIN" "${G[@]}" --dump_graphviz_dir="$T/dots"
[ -s "$T/dots/toco_AT_IMPORT.dot" ] && [ -s "$T/dots/toco_AFTER_TRANSFORMATIONS.dot" ] && [ -s "$T/o.tflite" ] &&
  ok "before and after .dot files, and the model" || bad "before and after .dot files: $(ls "$T/dots")"
# Import has a separate RELU; the passes fuse it into ADD.
grep -q "RELU v1" "$T/dots/toco_AT_IMPORT.dot" && ! grep -q "RELU v1" "$T/dots/toco_AFTER_TRANSFORMATIONS.dot" &&
  ok "the dumps show the graph before and after fusion" || bad "the dumps show the graph before and after fusion"
same "dump_graphviz_dir leaves the model as it is" "$T/o.tflite" "$T/plain.tflite"
run "dump_graphviz_video" "$BIN" "${G[@]}" --dump_graphviz_dir="$T/video" --dump_graphviz_video
n=$(ls "$T/video"/toco_video_*.dot 2>/dev/null | wc -l)
[ "$n" -eq 4 ] && [ -s "$T/video/toco_video_01_AFTER_PASSES.dot" ] && ok "one .dot per stage ($n)" || bad "one .dot per stage: $(ls "$T/video")"
err "dump_graphviz_video alone" 2 "--dump_graphviz_video must be used with --dump_graphviz_dir" "$BIN" "${G[@]}" --dump_graphviz_video
echo x >"$T/afile"
err "dump_graphviz_dir is a file" 1 "cannot create the --dump_graphviz_dir folder" "$BIN" "${G[@]}" --dump_graphviz_dir="$T/afile"

# --- --conversion_summary_dir
run "conversion_summary_dir" "$BIN" "${G[@]}" --conversion_summary_dir="$T/summary"
H="$T/summary/toco_conversion_summary.html"
grep -q "<td>ADD v1</td><td>1</td>" "$H" && grep -q "<td>y</td><td>ADD v1</td>" "$H" && grep -q "digraph" "$H" &&
  grep -q "AT_IMPORT" "$H" && ok "summary: op counts, mapping, graphs" || bad "summary: op counts, mapping, graphs"
[ -s "$T/summary/toco_tf_graph.dot" ] && [ -s "$T/summary/toco_tflite_graph.dot" ] && grep -q "Status: <b class=\"ok\">Success" "$H" &&
  grep -q "Ops at import: 2; after conversion: 1" "$H" && ok "summary: TF's file names, status, ops before and after" ||
  bad "summary: TF's file names, status, ops before and after"
cat >"$T/cumprod.pbtxt" <<'PB'
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "shape" value { shape { dim { size: 2 } } } } }
node { name: "axis" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: 0 } } } }
node { name: "c" op: "Cumprod" input: "x" input: "axis" attr { key: "T" value { type: DT_FLOAT } } }
PB
rm -f "$T"/o.tflite*
"$BIN" "${V1[@]}" --graph_def_file="$T/cumprod.pbtxt" --output_file="$T/o.tflite" --conversion_summary_dir="$T/failed" 2>/dev/null
rc=$?
[ "$rc" -eq 1 ] && [ ! -e "$T/o.tflite" ] && grep -q "Status: <b class=\"fail\">Fail" "$T/failed/toco_conversion_summary.html" &&
  grep -q "TF Select ops: Cumprod" "$T/failed/toco_conversion_summary.html" && ok "a failed conversion gets a Fail summary, as TF" ||
  bad "a failed conversion gets a Fail summary (rc=$rc)"
"$BIN" "${G[@]}" --conversion_summary_dir="$T/summary2" --experimental_new_converter=false >/dev/null 2>"$T/err"
[ ! -e "$T/summary2" ] && grep -q "Conversion summary will only be generated when enabling the new converter" "$T/err" &&
  ok "no summary with the old converter, as TF" || bad "no summary with the old converter"

# --- --default_ranges_min / --default_ranges_max (dummy quantization)
err "int8 needs ranges" 2 "representative_dataset" "$BIN" "${G[@]}" --inference_type=INT8
run "default ranges quantize" "$BIN" "${G[@]}" --inference_type=INT8 --default_ranges_min=-4 --default_ranges_max=8
"$BIN" "${G[@]}" --inference_type=QUANTIZED_UINT8 --default_ranges_min=0 --default_ranges_max=6 2>/dev/null &&
  "$1/tflite_analyze" "$T/o.tflite" >"$T/an.txt" 2>&1 && grep -q "T#0(x) shape:\[1, 3\], type:UINT8, quant: scale=0.0235294 zero_point=0" "$T/an.txt" &&
  grep -q "(z_int8) shape:\[1, 3\], type:INT8, quant: scale=0.0235294 zero_point=-128" "$T/an.txt" &&
  ok "uint8 model from default ranges [0, 6] (scale 6/255)" ||
  bad "uint8 model from default ranges: $(head -c 300 "$T/an.txt")"
err "default_ranges_min alone" 2 "--default_ranges_min and --default_ranges_max must be used together" \
  "$BIN" "${G[@]}" --inference_type=INT8 --default_ranges_min=-4
err "default_ranges not a float" 2 "argument --default_ranges_max: invalid float value: 'six'" \
  "$BIN" "${G[@]}" --inference_type=INT8 --default_ranges_min=-4 --default_ranges_max=six
err "default_ranges need integer inference" 2 "--default_ranges_min and --default_ranges_max go with an integer --inference_type" \
  "$BIN" "${G[@]}" --default_ranges_min=-4 --default_ranges_max=4
err "default_ranges min < max" 2 "--default_ranges_min must be less than --default_ranges_max" \
  "$BIN" "${G[@]}" --inference_type=INT8 --default_ranges_min=4 --default_ranges_max=-4

# --- --quantize_weights (deprecated alias)
"$BIN" "${MNIST[@]}" --output_file="$T/float.tflite" 2>/dev/null
"$BIN" "${MNIST[@]}" --output_file="$T/ptq.tflite" --post_training_quantize 2>/dev/null
run "quantize_weights" "$BIN" "${MNIST[@]}" --output_file="$T/qw.tflite" --quantize_weights
same "quantize_weights is --post_training_quantize" "$T/qw.tflite" "$T/ptq.tflite"
cmp -s "$T/qw.tflite" "$T/float.tflite" && bad "quantize_weights changes the model" || ok "quantize_weights changes the model"
"$BIN" "${MNIST[@]}" --output_file="$T/ptq8.tflite" --post_training_quantize --inference_type=QUANTIZED_UINT8 >/dev/null 2>"$T/err"
grep -q "Overriding inference_type to FLOAT" "$T/err" && cmp -s "$T/ptq8.tflite" "$T/ptq.tflite" &&
  ok "post_training_quantize overrides an integer inference_type, as TF" || bad "post_training_quantize override: $(cat "$T/err")"

# --- TF 1.x graph flags: accepted, same model
for f in --drop_control_dependency --reorder_across_fake_quant --change_concat_input_ranges=TRUE \
         --change_concat_input_ranges=false --experimental_new_converter --experimental_new_converter=True \
         --experimental_new_converter=false --experimental_new_quantizer --experimental_new_quantizer=false; do
  run "accepts $f" "$BIN" "${G[@]}" "$f"
  same "$f leaves the model as it is" "$T/o.tflite" "$T/plain.tflite"
done
run "bare --experimental_new_converter takes no value" "$BIN" --experimental_new_converter "${G[@]}"
err "change_concat_input_ranges bad" 2 "argument --change_concat_input_ranges: invalid choice: 'maybe' (choose from 'TRUE', 'FALSE')" \
  "$BIN" "${G[@]}" --change_concat_input_ranges=maybe
err "experimental_new_converter bad" 2 "Invalid --experimental_new_converter argument." \
  "$BIN" "${G[@]}" --experimental_new_converter=yes
err "experimental_new_quantizer bad" 2 "Invalid --experimental_new_quantizer argument." \
  "$BIN" "${G[@]}" --experimental_new_quantizer=2
for f in --drop_control_dependency --reorder_across_fake_quant --change_concat_input_ranges=TRUE \
         --dump_graphviz_dir="$T/d" --conversion_summary_dir="$T/s" --default_ranges_min=0; do
  err "${f%%=*} needs --enable_v1_converter" 2 "${f%%=*} is a TensorFlow 1.X flag; add --enable_v1_converter" \
    "$BIN" --saved_model_dir="$T" --output_file="$T/o.tflite" "$f"
done

# --- TF's own usage errors
err "input flags exclude each other" 2 "argument --saved_model_dir: not allowed with argument --graph_def_file" \
  "$BIN" "${G[@]}" --saved_model_dir="$T"
err "keras and saved model" 2 "argument --keras_model_file: not allowed with argument --saved_model_dir" \
  "$BIN" --saved_model_dir="$T" --keras_model_file="$T/m.h5" --output_file="$T/o.tflite"
err "TOCO's --input_file" 2 "Use --graph_def_file instead of --input_file" "$BIN" --input_file="$T/add.pbtxt" --output_file="$T/o.tflite"
err "TOCO's --savedmodel_directory" 2 "Use --saved_model_dir instead of --savedmodel_directory" \
  "$BIN" --savedmodel_directory="$T" --output_file="$T/o.tflite"
err "TOCO's --batch_size" 2 "Use --input_shapes instead of --batch_size" "$BIN" "${G[@]}" --batch_size=4
err "TOCO's --std_value" 2 "Use --std_dev_values instead of --std_value" "$BIN" "${G[@]}" --std_value=127
err "TOCO's --dump_graphviz" 2 "Use --dump_graphviz_dir instead of --dump_graphviz" "$BIN" "${G[@]}" --dump_graphviz="$T"
err "input_shapes and input_arrays counts" 2 "--input_shapes and --input_arrays must have the same number of items" \
  "$BIN" "${G[@]}" --input_arrays=x --input_shapes=1,3:1,3
err "graph_def_file without v1" 2 "--graph_def_file is a TensorFlow 1.X flag; add --enable_v1_converter" \
  "$BIN" --graph_def_file="$T/add.pbtxt" --output_file="$T/o.tflite"
err "no input" 2 "exactly one of --graph_def_file, --saved_model_dir, --keras_model_file or --stablehlo_file is required" \
  "$BIN" --output_file="$T/o.tflite"
err "inference_type bad" 2 "Unsupported value for \`inference_type\` flag. Expected FLOAT, INT8, UINT8, or QUANTIZED_UINT8 instead got INT4." \
  "$BIN" "${G[@]}" --inference_type=INT4
err "inference_input_type bad" 2 "Unsupported value for \`inference_input_type\` flag." \
  "$BIN" "${G[@]}" --inference_input_type=bf16
err "target_ops bad" 2 "Invalid value for --target_ops. Options: TFLITE_BUILTINS,SELECT_TF_OPS,TFLITE_BUILTINS_INT8" \
  "$BIN" "${G[@]}" --target_ops=TFLITE_BUILTINS,FLEX
"$BIN" --help | grep -q -- "--target_runtime" && "$BIN" --help | grep -q -- "--conversion_summary_dir" &&
  ok "help lists the flags" || bad "help lists the flags"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
