#!/usr/bin/env bash
# The C++ package: cmake --install into a temporary prefix, then a consumer
# project built with find_package(tflite_converter) converts a GraphDef from
# memory (same bytes as tflite_convert) and lists an unsupported op.
# usage: package_test.sh BUILD_DIR REPO_DIR
set -euo pipefail
BUILD="$1"; REPO="$2"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
cmake --install "$BUILD" --prefix "$T/prefix" >/dev/null
# Only the API headers are installed.
headers=$(cd "$T/prefix/include/tflite_converter" && find . -name '*.h' | sort | tr '\n' ' ')
want="./api/converter.h ./ir/dtype.h ./quant/quantize_options.h ./quant/sample_source.h ./support/status.h "
[ "$headers" = "$want" ] || { echo "FAIL installed headers: $headers (want $want)"; exit 1; }
cmake -S "$REPO/tests/package/consumer" -B "$T/consumer" -DCMAKE_PREFIX_PATH="$T/prefix" >/dev/null
cmake --build "$T/consumer" -j2 >/dev/null
"$T/consumer/consumer" "$REPO/examples/mnist_cnn.pb" input probs "$T/lib.tflite" >"$T/errors.txt"
"$BUILD/tflite_convert" --enable_v1_converter --graph_def_file="$REPO/examples/mnist_cnn.pb" \
  --input_arrays=input --output_arrays=probs --output_file="$T/cli.tflite"
cmp "$T/lib.tflite" "$T/cli.tflite" || { echo "FAIL: the library and the CLI give different bytes"; exit 1; }
grep -qx "MyCustomOp y: is neither a custom op nor a flex op" "$T/errors.txt" ||
  { echo "FAIL error list: $(cat "$T/errors.txt")"; exit 1; }
# pkg-config: the same program built from the .pc file's flags.
PKG_CONFIG_PATH="$T/prefix/lib/pkgconfig" pkg-config --exists tflite_converter
g++ -o "$T/consumer_pc" "$REPO/tests/package/consumer/main.cc" \
  $(PKG_CONFIG_PATH="$T/prefix/lib/pkgconfig" pkg-config --cflags --libs tflite_converter) -Wl,-rpath,"$T/prefix/lib"
"$T/consumer_pc" "$REPO/examples/mnist_cnn.pb" input probs "$T/pc.tflite" >/dev/null
cmp "$T/pc.tflite" "$T/cli.tflite"
echo "cpp_package: installed, found with find_package and pkg-config, converted from memory: identical to the CLI"
