#!/bin/sh
# Prepare the e2e harness: npm deps (pinned by package-lock.json), a patched
# LiteRT.js dist with more I/O dtypes, and a CommonJS copy of its wasm folder.
# Idempotent: does nothing that is already up to date. Needs node >= 20 + npm.
set -e
cd "$(dirname "$0")"

# npm ci only when node_modules is missing or was installed from another lock.
want=$(sha256sum package-lock.json | cut -d' ' -f1)
have=$(cat node_modules/.e2e-lock.sha256 2>/dev/null || true)
if [ "$want" != "$have" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > node_modules/.e2e-lock.sha256
fi

# litert_patched/index.mjs: @litertjs/core dist + int8/int16/int64/float64/bool.
src=node_modules/@litertjs/core/dist/index.js
if [ ! -f litert_patched/index.mjs ] || [ "$src" -nt litert_patched/index.mjs ] ||
   [ lib/patch_litert.mjs -nt litert_patched/index.mjs ]; then
  node lib/patch_litert.mjs "$src" litert_patched/index.mjs
fi

# wasm-cjs/: the package is "type":"module"; the emscripten glue (and its
# pthread workers) must be loaded as CommonJS, so give it its own package.json.
if [ ! -f wasm-cjs/package.json ] || [ "$src" -nt wasm-cjs/package.json ]; then
  rm -rf wasm-cjs && mkdir -p wasm-cjs
  cp node_modules/@litertjs/core/wasm/* wasm-cjs/
  echo '{"type":"commonjs"}' > wasm-cjs/package.json
fi

# runtime2/: the second TFLite runtime (@tensorflow/tfjs-tflite, runs models
# with variable tensors), with its own pinned lock; same idempotence rule.
want2=$(sha256sum runtime2/package-lock.json | cut -d' ' -f1)
have2=$(cat runtime2/node_modules/.e2e-lock.sha256 2>/dev/null || true)
if [ "$want2" != "$have2" ]; then
  (cd runtime2 && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want2" > runtime2/node_modules/.e2e-lock.sha256
fi
