#!/usr/bin/env bash
# The main job: install what is missing, build, and convert the bundled
# example model, then print a summary of the .tflite produced.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(cmake g++ make protobuf-compiler libprotobuf-dev flatbuffers-compiler libflatbuffers-dev
              libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev
              libhdf5-dev libzip-dev nlohmann-json3-dev zlib1g-dev pkg-config python3-h5py python3-numpy
              unzip pybind11-dev python3-dev python3-pytest python3-setuptools python3-wheel python3-venv
              clang libclang-rt-14-dev)  # clang + its sanitizer and libFuzzer runtimes: the ASan job in scripts/test.sh
# Node 20 usually comes with the machine; Debian's nodejs only if there is none.
command -v node >/dev/null && command -v npm >/dev/null || APT_PACKAGES+=(nodejs npm)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== installing test tools (npm, pinned)"
bash tests/e2e/setup.sh

echo "== building"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"

echo "== converting examples/mnist_cnn.pb"
./build/tflite_convert --enable_v1_converter --graph_def_file=examples/mnist_cnn.pb \
  --output_file=build/mnist_cnn.tflite --input_arrays=input --output_arrays=probs
./build/tflite_analyze build/mnist_cnn.tflite

echo "== installing the Python package into .venv (pip, offline, the module built above)"
# --system-site-packages: Debian's numpy; --no-build-isolation: Debian's setuptools and wheel.
[ -x .venv/bin/python ] || /usr/bin/python3 -m venv --system-site-packages .venv
TFLITE_CONVERTER_BUILD_DIR=build .venv/bin/pip install --no-build-isolation --no-index -q .
PY_EXAMPLE='from tflite_converter import tf; c = tf.lite.TFLiteConverter.from_frozen_graph("examples/mnist_cnn.pb", ["input"], ["probs"]); c.optimizations = [tf.lite.Optimize.DEFAULT]; print(len(c.convert()), "bytes")'
echo "Python: .venv/bin/python -c '$PY_EXAMPLE'"
.venv/bin/python -c "$PY_EXAMPLE"
