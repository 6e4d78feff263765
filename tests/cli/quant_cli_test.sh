#!/usr/bin/env bash
# Representative dataset errors on the command line: each is one clear line
# on stderr, a non-zero exit status, and no output file.
# usage: quant_cli_test.sh BUILD_DIR REPO_DIR
set -u
BIN="$1/tflite_convert"
REPO="$2"
PY=/usr/bin/python3
if ! "$PY" -c 'import numpy' 2>/dev/null; then
  echo "SKIP: $PY with numpy is needed to write the test datasets (apt-get install python3-numpy)"; exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0

check() {  # name, expected status, expected text in stderr, command...
  local name="$1" want_rc="$2" want_text="$3"; shift 3
  "$@" >"$T/out" 2>"$T/err"; local rc=$?
  local lines; lines=$(grep -c '' "$T/err")
  if [ "$rc" -ne "$want_rc" ] || ! grep -qF -- "$want_text" "$T/err" || [ "$lines" -ne 1 ] ||
     grep -qiE "terminate called|Segmentation|Aborted" "$T/err"; then
    echo "FAIL $name: rc=$rc (want $want_rc), $lines stderr lines: $(head -c 400 "$T/err")"; fail=$((fail+1))
  else
    echo "PASS $name"; pass=$((pass+1))
  fi
  if [ -e "$T/o.tflite" ] || ls "$T"/o.tflite.tmp.* >/dev/null 2>&1; then
    echo "FAIL $name: output left behind"; fail=$((fail+1)); rm -f "$T"/o.tflite*
  fi
}

# x: [1, 3] float32; y = x + [1, 2, 3]
cat >"$T/add.pbtxt" <<'PB'
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "shape" value { shape { dim { size: 1 } dim { size: 3 } } } } }
node { name: "c" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 3 } } float_val: 1 float_val: 2 float_val: 3 } } } }
node { name: "y" op: "AddV2" input: "x" input: "c" attr { key: "T" value { type: DT_FLOAT } } }
PB
"$PY" - "$T" <<'PYEOF'
import sys, numpy as np, os
t = sys.argv[1]
np.savez(f"{t}/good.npz", x=np.random.RandomState(0).rand(8, 3).astype(np.float32))
np.savez_compressed(f"{t}/good_f64.npz", np.random.RandomState(1).rand(8, 3))
np.savez(f"{t}/shape.npz", x=np.zeros((8, 5), np.float32))
np.savez(f"{t}/dtype.npz", x=np.zeros((8, 3), np.int32))
np.savez(f"{t}/zero.npz", x=np.zeros((0, 3), np.float32))
os.mkdir(f"{t}/trunc"); np.save(f"{t}/trunc/x.npy", np.zeros((8, 3), np.float32))
with open(f"{t}/trunc/x.npy", "r+b") as f: f.truncate(100)
np.save(f"{t}/fortran.npy", np.asfortranarray(np.arange(24, dtype=np.float32).reshape(8, 3)))
PYEOF

Q=(--enable_v1_converter --graph_def_file="$T/add.pbtxt" --output_file="$T/o.tflite" --optimizations=DEFAULT)
INT8=(--supported_ops=TFLITE_BUILTINS_INT8)
check "int8 without a dataset" 2 "For full integer quantization, a \`representative_dataset\` must be specified." \
  "$BIN" "${Q[@]}" "${INT8[@]}"
check "missing dataset file" 1 "cannot open representative dataset '$T/none.npz'" \
  "$BIN" "${Q[@]}" --representative_dataset="$T/none.npz"
check "wrong sample shape" 1 "array 'x' for input 'x': samples have shape [5]" \
  "$BIN" "${Q[@]}" --representative_dataset="$T/shape.npz"
check "wrong dtype" 1 "the array is int32, the input is float32" \
  "$BIN" "${Q[@]}" --representative_dataset="$T/dtype.npz"
check "zero samples" 1 "holds zero samples" \
  "$BIN" "${Q[@]}" --representative_dataset="$T/zero.npz"
check "truncated npy" 1 "is truncated" \
  "$BIN" "${Q[@]}" --representative_dataset="$T/trunc"
check "fortran order" 1 "Fortran order" \
  "$BIN" "${Q[@]}" --representative_dataset="$T/fortran.npy"
check "not a dataset" 1 "neither an .npz archive nor an .npy file" \
  "$BIN" "${Q[@]}" --representative_dataset="$T/add.pbtxt"

# A good dataset calibrates; the run then either converts (full integer
# quantization implemented) or stops right after calibration.
for ds in good.npz good_f64.npz; do
  "$BIN" "${Q[@]}" --representative_dataset="$T/$ds" >"$T/out" 2>"$T/err"; rc=$?
  if { [ "$rc" -eq 0 ] && [ -s "$T/o.tflite" ]; } || grep -qF "not supported yet: full integer quantization" "$T/err"; then
    echo "PASS good dataset $ds (rc=$rc)"; pass=$((pass+1))
  else
    echo "FAIL good dataset $ds: rc=$rc: $(head -c 400 "$T/err")"; fail=$((fail+1))
  fi
  rm -f "$T"/o.tflite*
done

echo "quant_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
