// Run .tflite files with the official LiteRT runtime (LiteRT.js, wasm) in Node.
// Needs ./setup.sh first (patched dist in litert_patched/, CommonJS wasm-cjs/).
//
//   import {runModel} from './lib/litert.mjs';
//   const {outputs} = await runModel('m.tflite', [{name, dtype, shape, data}]);
//   // outputs: [{name, dtype, shape, data: number[]}] in the model's order
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';

const e2eDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const patchedDist = path.join(e2eDir, 'litert_patched/index.mjs');
const wasmDir = path.join(e2eDir, 'wasm-cjs/');

let lrt = null;          // the patched @litertjs/core module, once loaded
let consoleLog = null;   // messages printed by the runtime while we watch

// Node lacks what LiteRT.js's browser loader uses: `self`, importScripts()
// (it evaluates the emscripten glue, which is CommonJS) and navigator.
function installShims() {
  globalThis.self ??= globalThis;
  globalThis.navigator ??= {hardwareConcurrency: os.cpus().length};
  globalThis.importScripts = (url) => {
    const filename = url.toString();
    const fn = vm.compileFunction(fs.readFileSync(filename, 'utf8'),
        ['exports', 'require', 'module', '__filename', '__dirname'], {filename});
    const mod = {exports: {}};
    fn(mod.exports, createRequire(filename), mod, filename, path.dirname(filename));
    globalThis.ModuleFactory = mod.exports;
  };
}

// The runtime reports load/Invoke failures only through its log (emscripten's
// err(), bound to console.error when the glue loads) and run() still resolves.
// So before loading we route console.error/warn through a recorder: inside
// watchConsole() every line is kept for the caller to judge; runtime chatter
// while loading is dropped unless E2E_VERBOSE is set.
let loading = false;
function routeConsole() {
  for (const level of ['error', 'warn']) {
    const orig = console[level].bind(console);
    console[level] = (...m) => {
      if (consoleLog) consoleLog.push(m.map(String).join(' '));
      else if (!loading || process.env.E2E_VERBOSE) orig(...m);
    };
  }
}
function watchConsole(fn) {
  return async (...args) => {
    await loadLiteRtNode();
    consoleLog = [];
    try {
      return await fn(...args);
    } finally {
      consoleLog = null;
    }
  };
}
// INFO/WARNING lines are routine (delegate created, no NPU); others are errors.
const runtimeErrors = () => consoleLog.filter((l) => !/^(INFO|WARNING|VERBOSE):/.test(l));

export async function loadLiteRtNode() {
  if (lrt) return lrt;
  if (!fs.existsSync(patchedDist) || !fs.existsSync(wasmDir)) {
    throw new Error(`LiteRT.js not prepared: run ${path.join(e2eDir, 'setup.sh')}`);
  }
  installShims();
  routeConsole();
  loading = true;
  const mod = await import(patchedDist);
  const liteRt = await mod.loadLiteRt(wasmDir).finally(() => { loading = false; });
  // The JS-side check refuses a concrete buffer for a -1 (dynamic) input dim
  // although the interpreter runs it; we check dtype and shape ourselves.
  liteRt.liteRtWasm.checkTensorBufferCompatible = () => {};
  lrt = mod;
  return lrt;
}

const CTORS = {float32: Float32Array, int32: Int32Array, uint8: Uint8Array,
               int8: Int8Array, int16: Int16Array, float64: Float64Array};

function makeTypedArray(dtype, data) {
  if (ArrayBuffer.isView(data)) return data;  // already typed (exact 64-bit values)
  if (dtype === 'int64') return BigInt64Array.from(data, (v) => BigInt(Math.round(Number(v))));
  if (dtype === 'bool') return lrt.BoolArray.from(data, (v) => (v ? 1 : 0));
  const C = CTORS[dtype];
  if (!C) throw new Error(`cannot feed dtype ${dtype}`);
  return C.from(data, Number);
}

const baseName = (n) => String(n).replace(/:0$/, '');
const sameShape = (want, got) => want.length === got.length &&
    want.every((d, i) => d < 0 || d === got[i]);

// Returns {inputDetails, outputDetails, outputs}. `inputs` are taken in the
// model's input order; when every input has a name and the model's names match
// them (ignoring a ':0' suffix), they are matched by name instead.
export const runModel = watchConsole(async (tflitePath, inputs) => {
  const bytes = new Uint8Array(fs.readFileSync(tflitePath));
  let model;
  try {
    model = await lrt.loadAndCompile(bytes, {accelerator: 'wasm'});
  } catch (e) {
    throw new Error(`LiteRT.js could not load the model: ${e.message}: ${runtimeErrors().join(' | ')}`);
  }
  const tensors = [];
  try {
    const inDetails = model.getInputDetails();
    const outDetails = model.getOutputDetails();
    if (inDetails.length !== inputs.length) {
      throw new Error(`model has ${inDetails.length} inputs ` +
          `[${inDetails.map((d) => d.name)}], case feeds ${inputs.length}`);
    }
    const byName = new Map(inputs.map((x) => [baseName(x.name), x]));
    const useNames = inputs.every((x) => x.name) &&
        inDetails.every((d) => byName.has(baseName(d.name)));
    inDetails.forEach((d, k) => {
      const x = useNames ? byName.get(baseName(d.name)) : inputs[k];
      if (x.dtype && x.dtype !== d.dtype) {
        throw new Error(`input ${d.name}: model dtype ${d.dtype}, case gives ${x.dtype}`);
      }
      if (!sameShape(Array.from(d.shape), x.shape)) {
        throw new Error(`input ${d.name}: model shape [${d.shape}], case gives [${x.shape}]`);
      }
      tensors.push(new lrt.Tensor(makeTypedArray(d.dtype, x.data), x.shape));
    });
    const outs = await model.run(tensors);
    const errors = runtimeErrors();
    if (errors.length) throw new Error(`LiteRT.js run failed: ${errors.join(' | ')}`);
    const outputs = outs.map((t, k) => {
      const raw = t.toTypedArray().slice();
      const data = Array.from(raw, Number);
      const shape = Array.from(t.type.layout.dimensions);
      t.delete();
      return {name: outDetails[k].name, dtype: outDetails[k].dtype, shape, data, raw};
    });
    return {inputDetails: inDetails, outputDetails: outDetails, outputs};
  } finally {
    for (const t of tensors) t.delete();
    model.delete();
  }
});
