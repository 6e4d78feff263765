// Inference latency of one Keras LSTM and one GRU in each form the converter
// gives them (bench/make_rnn_bench_models.py): fused
// UNIDIRECTIONAL_SEQUENCE_LSTM, unrolled per-step ops, and the WHILE loop of
// an unknown length (a copy resized to the length, tests/e2e/lib/resize.mjs).
// Each model is loaded once; then `--warmup` runs and the median of `--runs`
// timed runs of one inference on the same input, in LiteRT.js (wasm, one
// thread) and in the second runtime (tests/e2e/runtime2, @tensorflow/tfjs-tflite,
// one thread), which loads the fused LSTM's variable tensors where LiteRT.js
// cannot. Every form's output is compared with the unrolled one's. The
// LiteRT.js load column is one loadAndCompile of the file (the second one).
//   node bench/rnn_bench.mjs --converter build/tflite_convert [--runs 21] [--lengths 16,64,256] [DIR]
// Needs tests/e2e/setup.sh (or the node_modules links of the notes) and
// /usr/bin/python3 with h5py + numpy. Prints a Markdown table.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execFileSync} from 'node:child_process';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import {loadLiteRtNode} from '../tests/e2e/lib/litert.mjs';
import {resizedCopy} from '../tests/e2e/lib/resize.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const runtime2 = createRequire(import.meta.url)('../tests/e2e/runtime2/run.cjs');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : def;
};
const converter = opt('--converter', 'build/tflite_convert');
const runs = Number(opt('--runs', '21'));
const warmup = Number(opt('--warmup', '3'));
const lengths = opt('--lengths', '16,64,256').split(',').map(Number);
const dir = args[0] || fs.mkdtempSync(path.join(os.tmpdir(), 'tflc-rnn-bench-'));
const U = 64, F = 32;

execFileSync('/usr/bin/python3', [path.join(here, 'make_rnn_bench_models.py'), dir, lengths.join(',')],
             {stdio: ['ignore', 'ignore', 'inherit']});
const convert = (name) => {
  const out = path.join(dir, name + '.tflite');
  if (!fs.existsSync(out))
    execFileSync(converter, [`--keras_model_file=${path.join(dir, name + '.h5')}`, `--output_file=${out}`],
                 {stdio: ['ignore', 'ignore', 'inherit']});
  return out;
};
// The WHILE model at length T: a copy whose input and output declare
// [1, T, F] and [1, U] (or [1, T, U] for a sequence output).
const whileAt = (name, T, seq) => {
  const out = path.join(dir, `${name}_${T}.tflite`);
  fs.writeFileSync(out, resizedCopy(fs.readFileSync(convert(name)), [[1, T, F]], [seq ? [1, T, U] : [1, U]]));
  return out;
};

// The runtimes' log lines (INFO, load errors, tfjs's Node banner) are kept
// out of the table; the last one explains a failed load.
let lastLog = '';
for (const level of ['log', 'warn', 'error', 'info']) console[level] = (...m) => { lastLog = m.map(String).join(' '); };
const print = (line) => process.stdout.write(line + '\n');

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[s.length >> 1]; };

async function timeLiteRt(file, x, T) {
  const lrt = await loadLiteRtNode();
  let model, l0;
  try {
    // The second load is timed: the first one of a process also pays one-time setup.
    for (let k = 0; k < 2; ++k) {
      if (model) model.delete();
      l0 = performance.now();
      model = await lrt.loadAndCompile(new Uint8Array(fs.readFileSync(file)),
                                       {accelerator: 'wasm', cpuOptions: {numThreads: 1}});
    }
  } catch (e) {
    return {error: lastLog.replace(/^ERROR: \[[^\]]*\] /, '') || String(e.message).split('\n')[0]};
  }
  const loadMs = performance.now() - l0;
  const input = new lrt.Tensor(x, [1, T, F]);
  let y = null;
  const times = [];
  try {
    for (let k = 0; k < warmup + runs; ++k) {
      const t0 = performance.now();
      const outs = await model.run([input]);
      const dt = performance.now() - t0;
      if (k >= warmup) times.push(dt);
      if (!y) y = outs[0].toTypedArray().slice();
      for (const o of outs) o.delete();
    }
  } finally {
    input.delete();
    model.delete();
  }
  return {ms: median(times), loadMs, y};
}

async function timeRuntime2(file, x, T) {
  let loaded;
  try {
    loaded = await runtime2.load(file);
  } catch (e) {
    return {error: String(e.message).split('\n')[0]};
  }
  const {model, tf} = loaded;
  const input = tf.tensor(x, [1, T, F], 'float32');
  let y = null;
  const times = [];
  try {
    for (let k = 0; k < warmup + runs; ++k) {
      const t0 = performance.now();
      const out = model.predict(input);
      const data = out.dataSync();
      const dt = performance.now() - t0;
      if (k >= warmup) times.push(dt);
      if (!y) y = data.slice();  // the first run: the fused op's state starts at zero
      out.dispose();
    }
  } finally {
    input.dispose();
    model.modelRunner.cleanUp();
  }
  return {ms: median(times), y};
}

const maxDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
// A time whose output is off by more than 1e-4 is marked wrong.
const cell = (r, ref) => {
  if (r.error) return `cannot load: ${r.error}`;
  const d = ref && r !== ref ? maxDiff(r.y, ref.y) : null;
  return (d !== null && !(d <= 1e-4) ? `**wrong output** ${r.ms.toFixed(3)}` : `${r.ms.toFixed(3)}`) +
         (d !== null ? ` (Δ ${d.toExponential(1)})` : '');
};

await loadLiteRtNode();  // the wasm runtime itself, before any load is timed
print(`| model | T | form | LiteRT.js ms | runtime2 ms | LiteRT.js loadAndCompile ms | file KB |`);
print(`|---|---|---|---|---|---|---|`);
let seed = 1;
for (const T of lengths) {
  const x = Float32Array.from({length: T * F}, () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1);
  for (const [cellName, forms] of [false, true].flatMap((seq) => {
    const s = seq ? '_seq' : '', what = seq ? ', return_sequences' : '';
    return [[`LSTM${what}`, [['unrolled', convert(`lstm${s}_unrolled_${T}`)], ['fused', convert(`lstm${s}_fused_${T}`)],
                              ['WHILE', whileAt(`lstm${s}_while`, T, seq)]]],
            [`GRU${what}`, [['unrolled', convert(`gru${s}_unrolled_${T}`)], ['WHILE', whileAt(`gru${s}_while`, T, seq)]]]];
  })) {
    let refL = null, ref2 = null;
    for (const [form, file] of forms) {
      const l = await timeLiteRt(file, x, T);
      const r2 = await timeRuntime2(file, x, T);
      if (form === 'unrolled') refL = l, ref2 = r2;
      const kb = (fs.statSync(file).size / 1024).toFixed(0);
      print(`| ${cellName} | ${T} | ${form} | ${cell(l, refL)} | ${cell(r2, ref2)} | ${l.error ? '-' : l.loadMs.toFixed(1)} | ${kb} |`);
    }
  }
}
print(`\n${U} units, ${F} features, batch 1; median of ${runs} runs after ${warmup} warm-up runs; Δ = max |y - y(unrolled)| in the same runtime; ` +
            `load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}; models in ${dir}`);
