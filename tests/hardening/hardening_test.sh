#!/usr/bin/env bash
# Hostile inputs from issue #14 (hardening): each once crashed, hung, asked
# for gigabytes or printed a library's text. Each must now give exit status
# 1 or 2, exactly one stderr line matching its pattern, and no output file
# (an existing one is untouched). Fixtures: make_inputs.py, at test time.
# usage: hardening_test.sh BUILD_DIR REPO_DIR
set -u
# A libhdf5 loop is cut after 2 s of CPU time instead of 60.
export TFLC_KERAS_READ_CPU_SECONDS=2
BIN="$(cd "$1" && pwd)/tflite_convert"
REPO="$2"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0

/usr/bin/python3 "$REPO/tests/hardening/make_inputs.py" "$T" || { echo "FAIL: cannot generate the fixtures"; exit 1; }

# Memory is capped so that a declared size which slips through fails fast
# instead of swapping; a hang is cut at 60 s.
# Under ASan (TFLC_SANITIZED, set by ctest in a TFLC_SANITIZE build) the
# shadow memory needs a huge address space; its allocator cap stands in.
if [ -n "${TFLC_SANITIZED:-}" ]; then
  export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}malloc_limit_mb=4000:allocator_may_return_null=1"
  run() { ( cd "$T" && timeout 60 "$BIN" "$@" ); }
else
  run() { ( ulimit -v 4000000; cd "$T" && timeout 60 "$BIN" "$@" ); }
fi

# case_ NAME WANT_RC PATTERN ARGS... (PATTERN: extended regex, case-insensitive)
case_() {
  local name="$1" want_rc="$2" pattern="$3" why=""
  shift 3
  run "$@" --output_file="$T/new.tflite" >"$T/out" 2>"$T/err"; local rc=$?
  local lines; lines=$(wc -l <"$T/err")
  [ "$rc" -eq "$want_rc" ] || why+=" rc=$rc (want $want_rc);"
  [ "$lines" -eq 1 ] || why+=" $lines stderr lines (want 1);"
  grep -qiE -- "$pattern" "$T/err" || why+=" message does not match /$pattern/;"
  grep -qiE "json\.exception|libprotobuf|terminate called|Segmentation|Aborted|sanitizer|out of memory" "$T/err" &&
    why+=" library text or crash;"
  LC_ALL=C grep -q $'\x1b' "$T/err" && why+=" raw control bytes;"
  [ -s "$T/out" ] && why+=" wrote to stdout;"
  { [ -e "$T/new.tflite" ] || ls "$T"/new.tflite.* >/dev/null 2>&1; } && why+=" left an output file;"
  rm -f "$T/new.tflite"*
  printf 'previous output' >"$T/old.tflite"
  run "$@" --output_file="$T/old.tflite" >/dev/null 2>&1
  [ "$(cat "$T/old.tflite")" = "previous output" ] || why+=" overwrote an existing output;"
  rm -f "$T/old.tflite"*
  if [ -n "$why" ]; then
    echo "FAIL $name:$why stderr: $(head -c 400 "$T/err")"; fail=$((fail+1))
  else
    echo "PASS $name: $(cat "$T/err")"; pass=$((pass+1))
  fi
}

ok_() {  # ok_ NAME ARGS...: converts, exit 0
  local name="$1"; shift
  if run "$@" --output_file="$T/ok.tflite" 2>"$T/err" && [ -s "$T/ok.tflite" ]; then
    echo "PASS $name: converts"; pass=$((pass+1))
  else
    echo "FAIL $name: does not convert: $(head -c 400 "$T/err")"; fail=$((fail+1))
  fi
  rm -f "$T/ok.tflite"
}

G="--enable_v1_converter --graph_def_file"
ok_ good_keras --keras_model_file=good.keras
ok_ good_pbtxt $G=good.pbtxt
ok_ good_saved_model --saved_model_dir=sm_good
ok_ good_calibration $G=good.pbtxt --optimizations=DEFAULT --representative_dataset=calib_good.npz

# Damaged files of every kind: truncated, flipped, empty, wrong type, deep,
# cyclic, zip tricks (make_inputs.py damaged_cases).
case_ empty_keras          1 "empty.keras' is empty" --keras_model_file=empty.keras
case_ empty_h5             1 "empty.h5' is empty" --keras_model_file=empty.h5
case_ empty_pb             1 "the GraphDef has no nodes" $G=empty.pb
case_ trunc_keras          1 "trunc.keras" --keras_model_file=trunc.keras
case_ trunc_h5             1 "trunc.h5" --keras_model_file=trunc.h5
case_ flipped_h5           1 "flipped.h5" --keras_model_file=flipped.h5
case_ trunc_pb             1 "trunc.pb' is not a valid GraphDef" $G=trunc.pb
case_ trunc_pbtxt          1 "trunc.pbtxt' is not a valid text GraphDef" $G=trunc.pbtxt
case_ garbage_pb           1 "garbage.pb' is not a valid GraphDef" $G=garbage.pb
case_ wrong_type_npz       1 "calib_good.npz' is a zip archive without config.json" --keras_model_file=calib_good.npz
case_ wrong_type_pbtxt_as_keras 1 "good.pbtxt' is neither an HDF5" --keras_model_file=good.pbtxt
case_ traversal_zip        1 "\.\./\.\./evil/config.json" --keras_model_file=traversal.keras
case_ absolute_zip         1 "/etc/config.json" --keras_model_file=absolute.keras
case_ zip_bomb             1 "model.weights.h5" --keras_model_file=bomb.keras
case_ zip_no_config        1 "config.json" --keras_model_file=no_config.keras
case_ config_not_json      1 "config.json is not valid JSON \(parse error at line 1" --keras_model_file=config_not_json.keras
case_ config_list          1 "not a Keras model config" --keras_model_file=config_list.keras
case_ deep_json            1 "nested deeper than 512 levels" --keras_model_file=deep.keras
case_ cyclic_keras         1 "relu" --keras_model_file=cyclic.keras
case_ self_loop_graphdef   1 "'a'" $G=self_loop.pbtxt --input_arrays=x --output_arrays=a
case_ sm_empty_pb          1 "no MetaGraph with tags 'serve'" --saved_model_dir=sm_empty_pb
case_ calib_huge           1 "x.npy" $G=good.pbtxt --optimizations=DEFAULT --representative_dataset=calib_huge.npz
# libhdf5 1.10.8 loops (H5HG_read) and overreads on these fuzzer-found files;
# the reader's child process turns that into one line (tests/fuzz_regressions).
FR="$REPO/tests/fuzz_regressions"
case_ h5_hdf5_loop         1 "did not finish within 2 s of CPU time" --keras_model_file="$FR/keras_h5_hdf5_loop.h5"
case_ h5_hdf5_addr         1 "addr overflow" --keras_model_file="$FR/h5_hdf5_addr_overflow.h5"

# Keras inbound nodes (parse_ref read past a missing keras_history).
case_ ref_no_history       1 "layer 'relu'.*inbound.*keras_history" --keras_model_file=ref_no_history.keras
case_ ref_no_config        1 "layer 'relu'.*inbound.*keras_history" --keras_model_file=ref_no_config.keras
case_ ref_short_history    1 "layer 'relu'.*inbound.*keras_history" --keras_model_file=ref_short_history.keras
case_ ref_string_index     1 "layer 'relu'.*inbound.*keras_history" --keras_model_file=ref_string_index.keras
case_ ref_class_number     1 "relu" --keras_model_file=ref_class_number.keras
case_ ref_k2_string_index  1 "layer 'relu'.*inbound node" --keras_model_file=ref_k2_string_index.keras
# ZeroPadding2D read p[0][0] of an empty pair.
case_ zero_pad_short       1 "ZeroPadding2D layer 'pad': config 'padding' is \[\[1\],\[2\]\]" --keras_model_file=zero_pad_short.keras
case_ zero_pad_empty       1 "ZeroPadding2D layer 'pad'.*padding" --keras_model_file=zero_pad_empty.keras
case_ zero_pad_string      1 "ZeroPadding2D layer 'pad'.*padding" --keras_model_file=zero_pad_string.keras
case_ zero_pad_negative    1 "ZeroPadding2D layer 'pad'.*(padding|negative)" --keras_model_file=zero_pad_negative.keras
case_ escape_in_layer_name 1 "ZeroPadding2D layer 'pad\\\\x1b\\[2J'" --keras_model_file=escape_in_layer_name.keras
# Dimensions: must be null, -1 or 0..2^31-1; a string is our message, not nlohmann's.
case_ batch_shape_negative 1 "input 'x'.*batch_shape.*dimension 1 = -7" --keras_model_file=batch_shape_negative.keras
case_ batch_shape_string   1 "input 'x'.*batch_shape.*dimension 1 = \"4\"" --keras_model_file=batch_shape_string.keras
case_ batch_shape_huge     1 "input 'x'.*(batch_shape|2\^31)" --keras_model_file=batch_shape_huge.keras
case_ relu_string_max      1 "relu.*max_value.*number" --keras_model_file=relu_string_max.keras
case_ layer_class_number   1 "model layer #1: field 'class_name' is 5 \(a number\), expected a string" --keras_model_file=layer_class_number.keras
case_ layer_config_name_number 1 "model layer #1 config: field 'name' is 5" --keras_model_file=layer_config_name_number.keras
case_ layer_config_string  1 "model layer #1 \('ReLU'\): field 'config' is a string, expected an object" --keras_model_file=layer_config_string.keras
case_ model_config_string  1 "model config's field 'config' is a string" --keras_model_file=model_config_string.keras
case_ dtype_policy_name_number 1 "input 'x' of dtype" --keras_model_file=dtype_policy_name_number.keras
case_ sequential_name_number 1 "Sequential layer #0 config: field 'name' is 5" --keras_model_file=sequential_name_number.keras
case_ dense_unwritten_kernel 1 "layer 'dense': dataset '0' declares 4294967296 bytes but the file stores 0" --keras_model_file=dense_unwritten_kernel.keras
case_ dense_empty_kernel   1 "dense.*kernel.*\[0, 3\]" --keras_model_file=dense_empty_kernel.keras

# GraphDef: splats checked before they are expanded.
case_ splat_4e9            1 "Const node 'big'.*float32 constant of shape \[4000000000\] declares 16000000000 bytes from 1 stored value.*2 GB" $G=splat_4e9.pbtxt
case_ splat_zeros          1 "Const node 'zeros'.*int32 constant of shape.*2 GB" $G=splat_zeros.pbtxt --output_arrays=zeros
case_ splat_string         1 "Const node 's'.*string constant.*2 GB" $G=splat_string.pbtxt --output_arrays=s
case_ bad_utf8_pb          1 "bad_utf8.pb' is not a valid GraphDef" $G=bad_utf8.pb
case_ empty_op             1 "node 'y' has no op type" $G=empty_op.pbtxt
case_ control_op           1 "node 'y' has op type 'Foo\\\\x0a\\\\x1b\[31mBar'" $G=control_op.pbtxt
case_ control_name         1 "node 'y\\\\x0aerror: fake\\\\x1b\[2J' has control characters" $G=control_name.pbtxt

# SavedModels: a signature with no inputs or no outputs; a constant splat.
case_ sm_no_inputs         1 "signature 'serving_default'.*lists 0 inputs.*read 1 Placeholders" --saved_model_dir=sm_no_inputs
case_ sm_no_outputs        1 "signature 'serving_default'.*no outputs" --saved_model_dir=sm_no_outputs
case_ sm_no_signature_io   1 "signature 'serving_default'.*no outputs" --saved_model_dir=sm_no_signature_io
case_ sm_const_no_data     1 "Const node 'c'" --saved_model_dir=sm_const_no_data
case_ sm_bad_text          1 "saved_model.pbtxt' is not a valid text SavedModel \(line 1:22: .*no field named \"garbage\"" --saved_model_dir=sm_bad_text
case_ sm_splat             1 "Const node 'big'.*float32 constant of shape \[8589934592\].*2 GB" --saved_model_dir=sm_splat

# The memory budget (--memory_budget_mb, default 4096): each input converts
# by default and is refused, naming the object and the flag, under 1 MB.
B="over the 1 MB memory budget.*raise the budget with --memory_budget_mb"
ok_ budget_splat_default   $G=budget_splat.pbtxt
case_ budget_splat         1 "Const node 'big'.*float32 constant of shape \[250000, 4\] declares 4\.0 MB, $B" \
  $G=budget_splat.pbtxt --memory_budget_mb=1
ok_ budget_keras_default   --keras_model_file=budget_dense.keras
case_ budget_keras         1 "budget_dense.keras': entry 'model.weights.h5' declares 2\.[0-9] MB, $B" \
  --keras_model_file=budget_dense.keras --memory_budget_mb=1
ok_ budget_calib_default   $G=good.pbtxt --optimizations=DEFAULT --representative_dataset=budget_calib.npz
case_ budget_calib         1 "representative dataset file 'budget_calib.npz' declares 1\.3 MB, $B" \
  $G=good.pbtxt --optimizations=DEFAULT --representative_dataset=budget_calib.npz --memory_budget_mb=1
ok_ budget_stablehlo_default --stablehlo_file=budget_splat.mlir
case_ budget_stablehlo     1 "budget_splat.mlir:2.*constant of type tensor<250000x4xf32> declares 4\.0 MB, $B" \
  --stablehlo_file=budget_splat.mlir --memory_budget_mb=1
# A bigger budget does not lift the 2 GB a .tflite can hold.
case_ budget_no_bypass     1 "Const node 'big'.*float32 constant of shape \[8589934592\].*2 GB" \
  --saved_model_dir=sm_splat --memory_budget_mb=1000000

# Calibration samples must be finite.
case_ calib_nan 1 "representative dataset.*sample 2 of array 'x' holds NaN" \
  $G=good.pbtxt --optimizations=DEFAULT --representative_dataset=calib_nan.npz
case_ calib_inf 1 "representative dataset.*sample 1 of array 'x' holds -inf" \
  $G=good.pbtxt --optimizations=DEFAULT --representative_dataset=calib_inf.npz

# An empty flag value is a usage error (CLI11 took the next argument as the value).
usage_() {  # usage_ NAME PATTERN ARGS...
  local name="$1" pattern="$2" why=""; shift 2
  (cd "$T" && "$BIN" "$@" >"$T/out" 2>"$T/err"); local rc=$?
  [ "$rc" -eq 2 ] || why+=" rc=$rc (want 2);"
  [ "$(wc -l <"$T/err")" -eq 1 ] || why+=" $(wc -l <"$T/err") stderr lines;"
  grep -qiE -- "$pattern" "$T/err" || why+=" message does not match /$pattern/;"
  ls "$T" | grep -q -- "^--" && why+=" wrote a file named after a flag;"
  if [ -n "$why" ]; then echo "FAIL $name:$why stderr: $(head -c 400 "$T/err")"; fail=$((fail+1))
  else echo "PASS $name: $(cat "$T/err")"; pass=$((pass+1)); fi
  rm -f "$T"/--*
}
usage_ empty_output_file   "--output_file= has an empty value" $G=good.pbtxt --output_file= --post_training_quantize
usage_ empty_optimizations "--optimizations= has an empty value" $G=good.pbtxt --optimizations= --output_file=x.tflite
usage_ empty_output_quoted "--output_file has an empty value" $G=good.pbtxt --output_file ""
usage_ budget_zero         "--memory_budget_mb: Value 0 not in range" $G=good.pbtxt --memory_budget_mb=0 --output_file=x.tflite
usage_ budget_text         "--memory_budget_mb: Value lots" $G=good.pbtxt --memory_budget_mb=lots --output_file=x.tflite
rm -f "$T/x.tflite"

# A FIFO (like /dev/stdout or a device) is written in place, never renamed over.
mkfifo "$T/fifo"
timeout 60 cat "$T/fifo" >"$T/fifo.out" &
reader=$!
run $G=good.pbtxt --output_file="$T/fifo" 2>"$T/err"; rc=$?
wait "$reader"
if [ "$rc" -eq 0 ] && [ -p "$T/fifo" ] && [ -s "$T/fifo.out" ] && ! ls "$T"/fifo.tmp.* >/dev/null 2>&1; then
  echo "PASS fifo_output: written through the pipe, which is still a FIFO"; pass=$((pass+1))
else
  echo "FAIL fifo_output: rc=$rc, fifo still a FIFO: $([ -p "$T/fifo" ] && echo yes || echo no), bytes read: $(wc -c <"$T/fifo.out"), stderr: $(head -c 300 "$T/err")"
  fail=$((fail+1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
