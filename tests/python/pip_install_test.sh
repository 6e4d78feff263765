#!/usr/bin/env bash
# `pip install --no-build-isolation .` offline in a fresh venv (Debian's
# setuptools, wheel and numpy through --system-site-packages), reusing the
# module this build made; then the installed package and the tflite_convert
# console script give the same bytes as build/tflite_convert.
# usage: pip_install_test.sh BUILD_DIR REPO_DIR PYTHON
set -euo pipefail
BUILD="$1"; REPO="$2"; PY="$3"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
if ! "$PY" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "SKIP: $PY has no venv/ensurepip (apt-get install python3-venv)"; exit 0
fi
# A copy of what pip needs, so the build leaves nothing in the checkout.
mkdir "$T/src"
cp -r "$REPO/pyproject.toml" "$REPO/setup.py" "$REPO/README.md" "$REPO/python" "$T/src/"
"$PY" -m venv --system-site-packages "$T/venv"
TFLITE_CONVERTER_BUILD_DIR="$BUILD" "$T/venv/bin/pip" install --no-build-isolation --no-index -q "$T/src"
cd "$T"
"$T/venv/bin/tflite_convert" --enable_v1_converter --graph_def_file="$REPO/examples/mnist_cnn.pb" \
  --input_arrays=input --output_arrays=probs --output_file="$T/script.tflite"
"$BUILD/tflite_convert" --enable_v1_converter --graph_def_file="$REPO/examples/mnist_cnn.pb" \
  --input_arrays=input --output_arrays=probs --output_file="$T/cli.tflite"
cmp "$T/script.tflite" "$T/cli.tflite"
"$T/venv/bin/python" - "$REPO/examples/mnist_cnn.pb" "$T/cli.tflite" <<'PYEOF'
import sys, tflite_converter
from tflite_converter import tf
assert "/venv/" in tflite_converter.__file__, tflite_converter.__file__
c = tf.lite.TFLiteConverter.from_frozen_graph(sys.argv[1], ["input"], ["probs"])
assert c.convert() == open(sys.argv[2], "rb").read()
PYEOF
set +e
"$T/venv/bin/tflite_convert" --output_file="$T/x.tflite" 2>"$T/err"; rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "exactly one of" "$T/err" || { echo "FAIL: console script exit $rc: $(cat "$T/err")"; exit 1; }
echo "pip_install: installed offline; module and console script match build/tflite_convert"
