#!/usr/bin/env bash
# The whole test suite: unit tests, golden dumps, CLI error cases, and the
# end-to-end suites run in the official LiteRT runtime. Then the same suites
# (but the Python ones) again in a second build under ASan+UBSan, with the
# fuzz targets replaying their regression inputs (TFLC_SKIP_SANITIZE=1 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d tests/e2e/node_modules ] || bash tests/e2e/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"

[ "${TFLC_SKIP_SANITIZE:-0}" = 1 ] && exit 0
echo "== ASan+UBSan build (build-asan, clang, libFuzzer targets)"
start=$(date +%s)
CC=clang CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTFLC_FUZZ=ON >/dev/null
cmake --build build-asan -j"$(nproc)"
# Any report fails the run (-fno-sanitize-recover, halt_on_error); leaks too.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TFLC_SANITIZED=1
# Timed tests (names ending "Fast") measure Release speed, not ASan's.
ctest --test-dir build-asan --output-on-failure -j"$(nproc)" -E "Fast$"
echo "== sanitizer job: $(( $(date +%s) - start )) s"
