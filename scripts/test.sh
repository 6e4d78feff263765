#!/usr/bin/env bash
# The whole test suite: unit tests, golden dumps, CLI error cases, and the
# end-to-end suites run in the official LiteRT runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d tests/e2e/node_modules ] || bash tests/e2e/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"
