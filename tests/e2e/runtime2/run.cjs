// The second TFLite runtime for the e2e tests: @tensorflow/tfjs-tflite
// (an older TFLite interpreter in wasm) in plain Node. Unlike LiteRT.js it
// loads models with variable tensors (e.g. UNIDIRECTIONAL_SEQUENCE_LSTM state).
// Needs `npm ci` here (../setup.sh does it).
//
//   const {runModel} = require('./runtime2/run.cjs');   // or import from .mjs
//   const {outputs} = await runModel('m.tflite', [{dtype, shape, data}]);
//   // outputs: [{name, dtype, shape, data: number[]}] in the model's order
//
// Every call loads the model afresh, so variable tensors start at zero (the
// interpreter keeps them across invocations of one model).
// usage as a tool: node run.cjs model.tflite   (prints I/O and a run on zeros)
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const wasmDir = path.join(__dirname, 'node_modules/@tensorflow/tfjs-tflite/wasm/');
let tf = null, tflite = null;

// The package's emscripten loader expects a Web Worker: importScripts() and
// self.location. We evaluate the single-threaded SIMD glue ourselves (the
// threaded build needs browser Workers) and hand it the wasm bytes, as Node's
// fetch cannot read file:// URLs.
function installShims() {
  globalThis.self = globalThis;
  globalThis.navigator ??= {hardwareConcurrency: 1, userAgent: 'node'};
  globalThis.location = {origin: '', href: 'file://' + wasmDir};
  globalThis.importScripts = (url) => {
    const file = url.toString().replace(/^file:\/\//, '')
        .replace('_simd_threaded.js', '_simd.js').replace('_threaded.js', '.js');
    vm.runInThisContext(fs.readFileSync(file, 'utf8'), {filename: file});
    const name = 'tflite_web_api_ModuleFactory';
    const factory = globalThis[name];
    if (typeof factory !== 'function') throw new Error(`${file} did not define ${name}`);
    const wasmBinary = fs.readFileSync(file.replace(/\.js$/, '.wasm'));
    globalThis[name] = (args = {}) => factory({...args, wasmBinary});
  };
}

async function init() {
  if (tflite) return;
  if (!fs.existsSync(wasmDir)) throw new Error(`${wasmDir} missing: run tests/e2e/setup.sh`);
  installShims();
  tf = require('@tensorflow/tfjs-core');
  require('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  tflite = require('@tensorflow/tfjs-tflite');
  tflite.setWasmPath(wasmDir);
}

const kTypedArray = {float32: Float32Array, int32: Int32Array, bool: Uint8Array};

async function runModel(modelPath, inputs) {
  await init();
  const buf = fs.readFileSync(modelPath);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const model = await tflite.loadTFLiteModel(ab, {numThreads: 1});
  try {
    if (inputs.length !== model.inputs.length)
      throw new Error(`model has ${model.inputs.length} inputs, got ${inputs.length}`);
    const ts = inputs.map((x, k) => {
      const want = model.inputs[k].shape.map((d) => (d < 0 ? 1 : d));
      // This runtime cannot resize inputs: the fed shape must be the stored one.
      if (want.length !== x.shape.length || want.some((d, i) => d !== x.shape[i]))
        throw new Error(`input ${k}: runtime2 cannot resize [${want}] to [${x.shape}]`);
      const T = kTypedArray[x.dtype];
      if (!T) throw new Error(`input ${k}: dtype ${x.dtype} not supported by runtime2`);
      return tf.tensor(T.from(x.data), x.shape, x.dtype);
    });
    const out = model.predict(ts.length === 1 ? ts[0] : ts);
    const list = out instanceof tf.Tensor ? [out] : model.outputs.map((o) => out[o.name]);
    const outputs = list.map((t, k) => ({
      name: model.outputs[k].name,
      dtype: t.dtype,
      shape: t.shape,
      data: Array.from(t.dataSync()),
    }));
    ts.forEach((t) => t.dispose());
    list.forEach((t) => t.dispose());
    return {outputs};
  } finally {
    model.modelRunner.cleanUp();
  }
}

async function describe(modelPath) {
  await init();
  const buf = fs.readFileSync(modelPath);
  const model = await tflite.loadTFLiteModel(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const r = {inputs: model.inputs.map((i) => ({name: i.name, dtype: i.dtype, shape: i.shape})),
             outputs: model.outputs.map((o) => ({name: o.name, dtype: o.dtype, shape: o.shape}))};
  model.modelRunner.cleanUp();
  return r;
}

// A model kept loaded, for repeated runs (bench/rnn_bench.mjs): {model, tf};
// the caller calls model.modelRunner.cleanUp().
async function load(modelPath) {
  await init();
  const buf = fs.readFileSync(modelPath);
  const model = await tflite.loadTFLiteModel(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength),
                                             {numThreads: 1});
  return {model, tf};
}

module.exports = {runModel, describe, load};

if (require.main === module) {
  (async () => {
    const p = process.argv[2];
    const d = await describe(p);
    console.log(JSON.stringify(d));
    const ins = d.inputs.map((i) => {
      const shape = i.shape.map((x) => (x < 0 ? 1 : x));
      return {dtype: i.dtype, shape, data: new Array(shape.reduce((a, b) => a * b, 1)).fill(0)};
    });
    const {outputs} = await runModel(p, ins);
    for (const o of outputs) console.log(o.name, o.dtype, JSON.stringify(o.shape), o.data.slice(0, 8));
  })().catch((e) => { console.error('FAILED:', e.message); process.exit(1); });
}
