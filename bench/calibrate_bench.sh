#!/usr/bin/env bash
# Calibration time of the 100 TinyMaix MNIST images on each tinymaix_mnist_*
# model of the corpus (Markdown table on stdout).
# usage: bench/calibrate_bench.sh [BUILD_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
RUNS=${2:-5}
CORPUS=${CORPUS:-../shared/corpus}
[ -d "$CORPUS/tinymaix_scripts/quant_img_mnist" ] || { echo "SKIP: $CORPUS/tinymaix_scripts/quant_img_mnist is absent"; exit 0; }
cmake --build "$BUILD" -j2 --target calibrate_bench >/dev/null
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
/usr/bin/python3 tests/e2e/lib/mnist_bmps_to_npy.py "$CORPUS/tinymaix_scripts/quant_img_mnist" "$WORK/mnist.npz" >/dev/null
"$BUILD/bench/calibrate_bench" "$WORK/mnist.npz" "$RUNS" "$CORPUS"/tinymaix_mnist_*/*.h5
