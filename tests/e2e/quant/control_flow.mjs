// Quantization through IF/WHILE bodies. The control-flow GraphDefs of
// tests/control_flow and wide Keras RNNs over an unknown length
// (tests/keras/make_rnn_quant_models.py: a WHILE with FULLY_CONNECTED in its
// body) are converted float, int8 (--optimizations=DEFAULT with a
// representative dataset) and dynamic range (--optimizations=DEFAULT). The
// analyzer's listing must show the body ops quantized:
//   int8:    named ops inside a body subgraph run on int8 tensors (the body
//            keeps float inputs and outputs, QUANTIZE/DEQUANTIZE inside);
//   dynamic: a body FULLY_CONNECTED reads an int8 constant kernel.
//   float16: (the RNNs) body weights are stored as float16.
// Each quantized model then runs in LiteRT.js against the float model run
// there: max|q - float| <= tol * max(1, max|float|), with tol 5e-2 for int8
// and dynamic range (the tolerance of quant/generated.mjs; 1e-1 for the int8
// RNNs, which requantize their state every step; 1e-2 for float16), integer
// outputs exact. int8 inference types are run too, on quantized inputs. The float Keras models also match their NumPy reference (1e-5).
// Integer-only mode (TFLITE_BUILTINS_INT8) must refuse a model whose WHILE
// carries float values with one line naming the op, and write no file.
//   node quant/control_flow.mjs --converter PATH --analyzer PATH KERAS_CASES_DIR
import fs from 'node:fs';
import path from 'node:path';
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {runModel} from '../lib/litert.mjs';
import {resizedCopy} from '../lib/resize.mjs';
import {Results, compareOutputs, compareTensor, convert, errorLine, parseArgs, tempDir} from '../lib/harness.mjs';

const opts = parseArgs(process.argv.slice(2));
const kerasDir = opts._[0];
if (!opts.converter || !opts.analyzer || !kerasDir) {
  console.error('usage: node quant/control_flow.mjs --converter PATH --analyzer PATH KERAS_CASES_DIR');
  process.exit(2);
}
const cfDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../control_flow');
const tmp = tempDir();
const results = new Results();
const TOL = {int8: 5e-2, dynamic: 5e-2};
// The RNNs requantize their state every step (5 steps of 32-wide products):
// int8 error grows with the steps, so 1e-1 there (outputs lie in [-1, 1]).
const RNN_TOL = {int8: 1e-1, dynamic: 5e-2, float16: 1e-2};

// .npy (format 1.0) of `n` samples along axis 0.
const NPY = {float32: ['<f4', Float32Array], int32: ['<i4', Int32Array], bool: ['|b1', Uint8Array]};
function writeNpy(file, dtype, shape, data) {
  const [descr, C] = NPY[dtype];
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(C.from(data, Number).buffer)]));
}

// A small deterministic generator (the datasets need not be random, only varied).
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

// The analyzer's listing as subgraphs of ops and tensors.
function analyze(file) {
  const out = spawnSync(opts.analyzer, ['--no-buffers', file], {encoding: 'utf8'}).stdout || '';
  const subgraphs = [];
  let cur = null;
  for (const line of out.split('\n')) {
    let m;
    if ((m = /^Subgraph#(\d+) /.exec(line))) {
      cur = {index: Number(m[1]), ops: [], tensors: new Map()};
      subgraphs.push(cur);
    } else if (cur && (m = /^\s+Op#\d+ (\w+)\((.*)\) -> \[(.*)\]$/.exec(line))) {
      const ids = (s) => s.match(/T#[\d_]+/g) || [];
      cur.ops.push({name: m[1], inputs: ids(m[2]), outputs: ids(m[3])});
    } else if (cur && (m = /^\s+(T#[\d_]+)\(.*\) shape:.*?\btype:(\w+)(.*)$/.exec(line))) {
      const q = /scale=([-\d.e+]+) zero_point=(-?\d+)/.exec(m[3]);
      cur.tensors.set(m[1], {type: m[2], constant: /\bRO\b/.test(m[3]),
                             scale: q ? Number(q[1]) : null, zeroPoint: q ? Number(q[2]) : null});
    }
  }
  return subgraphs;
}

// Body ops (subgraph > 0) whose activations are int8.
function int8BodyOps(subgraphs) {
  const found = new Set();
  for (const g of subgraphs.filter((s) => s.index > 0))
    for (const op of g.ops) {
      if (op.name === 'QUANTIZE' || op.name === 'DEQUANTIZE') continue;
      const t = (id) => g.tensors.get(id) || {};
      if ([...op.inputs, ...op.outputs].some((id) => t(id).type === 'INT8' && !t(id).constant)) found.add(op.name);
    }
  return found;
}

// Body FULLY_CONNECTED ops with an int8 constant kernel and a float input (hybrid).
function hybridBodyFullyConnected(subgraphs) {
  let n = 0;
  for (const g of subgraphs.filter((s) => s.index > 0))
    for (const op of g.ops) {
      if (op.name !== 'FULLY_CONNECTED') continue;
      const [x, w] = op.inputs.map((id) => g.tensors.get(id) || {});
      if (x.type === 'FLOAT32' && w.type === 'INT8' && w.constant) n++;
    }
  return n;
}

const f32 = (n, lo = -2, hi = 2) => Array.from({length: n}, () => lo + (hi - lo) * rand());
const ints = (n, lo, hi) => Array.from({length: n}, () => lo + Math.floor((hi - lo + 1) * rand()));
const bools = (n) => Array.from({length: n}, (_, k) => k % 2);

// Each case: its inputs (name, dtype, per-sample shape, sampler of n values),
// the body ops that int8 mode must quantize, and the feeds compared.
const N = 16;
const x2 = {name: 'x', dtype: 'float32', shape: [2], gen: (n) => f32(2 * n)};
const cases = [
  {file: 'functional_while.pbtxt', outputs: ['i', 'acc'], int8Ops: ['MUL', 'ADD'],
   inputs: [x2, {name: 'n', dtype: 'int32', shape: [], gen: (n) => ints(n, 0, 3)}]},
  {file: 'functional_if.pbtxt', outputs: ['y'], int8Ops: ['MUL', 'SUB'],
   inputs: [x2, {name: 'p', dtype: 'bool', shape: [], gen: bools}]},
  {file: 'functional_case.pbtxt', outputs: ['y'], int8Ops: ['MUL', 'SUB'],
   inputs: [x2, {name: 'i', dtype: 'int32', shape: [], gen: (n) => ints(n, -1, 3)}]},
  {file: 'tf1_cond.pbtxt', outputs: ['cond/Merge'], int8Ops: ['MUL', 'SUB'],
   inputs: [x2, {name: 'p', dtype: 'bool', shape: [], gen: bools}]},
  {file: 'tf1_while.pbtxt', outputs: ['while/Exit', 'while/Exit_1'], int8Ops: ['MUL'],
   inputs: [x2, {name: 'n', dtype: 'int32', shape: [], gen: (n) => ints(n, 0, 4)}]},
  {file: 'tensor_list_while.pbtxt', outputs: ['y', 'len'], int8Ops: ['MUL'],
   inputs: [{name: 'x', dtype: 'float32', shape: [4, 2], gen: (n) => f32(8 * n)}]},
];

async function compareRuns(label, floatFile, quantFile, feeds, tol) {
  for (const [k, feed] of feeds.entries()) {
    try {
      const want = (await runModel(floatFile, feed)).outputs;
      const got = (await runModel(quantFile, feed)).outputs;
      const r = compareOutputs(got, want, tol);
      results.add(`${label} feed ${k}`, r.ok ? 'PASS' : 'FAIL',
                  r.ok ? `max|diff| ${r.maxDiff.toExponential(2)} (tol ${tol} x max(1, max|float|))` : r.reason);
    } catch (e) {
      results.add(`${label} feed ${k}`, 'FAIL', e.message.split('\n')[0]);
    }
  }
}

for (const c of cases) {
  const base = c.file.replace('.pbtxt', '');
  const data = path.join(tmp, `${base}_data`);
  fs.mkdirSync(data);
  const samples = c.inputs.map((x) => x.gen(N));
  c.inputs.forEach((x, k) => writeNpy(path.join(data, `${x.name}.npy`), x.dtype, [N, ...x.shape], samples[k]));
  // Feeds: the first three samples (inside the calibrated range).
  const per = (x) => x.shape.reduce((a, b) => a * b, 1);
  const feeds = [0, 1, 2].map((s) => c.inputs.map((x, k) => ({
    name: x.name, dtype: x.dtype, shape: x.shape,
    data: samples[k].slice(s * per(x), (s + 1) * per(x)).map((v) => (x.dtype === 'bool' ? Boolean(v) : v))})));
  const files = {};
  for (const [mode, extra] of [['float', []], ['int8', ['--optimizations=DEFAULT', `--representative_dataset=${data}`]],
                               ['dynamic', ['--optimizations=DEFAULT']]]) {
    files[mode] = path.join(tmp, `${base}_${mode}.tflite`);
    const conv = convert(opts.converter, {graphDef: path.join(cfDir, c.file), outFile: files[mode],
                                          inputArrays: c.inputs.map((x) => x.name), outputArrays: c.outputs,
                                          extraArgs: extra});
    if (!conv.ok) {
      results.add(`${c.file} [${mode}] converts`, 'FAIL', errorLine(conv.output));
      files[mode] = null;
    }
  }
  if (!files.float) continue;
  if (files.int8) {
    const found = int8BodyOps(analyze(files.int8));
    const lacking = c.int8Ops.filter((op) => !found.has(op));
    results.add(`${c.file} [int8] quantizes body ops ${c.int8Ops}`, lacking.length ? 'FAIL' : 'PASS',
                lacking.length ? `not int8 in any body: ${lacking} (int8 body ops: ${[...found]})` : `int8 body ops: ${[...found]}`);
    await compareRuns(`${c.file} [int8]`, files.float, files.int8, feeds, TOL.int8);
  }
  if (files.dynamic) await compareRuns(`${c.file} [dynamic]`, files.float, files.dynamic, feeds, TOL.dynamic);
}

// Integer-only: the WHILE carries float values, which TF's quantizer leaves
// float, so the model cannot be integer-only.
{
  const outFile = path.join(tmp, 'int8_only.tflite');
  const data = path.join(tmp, 'functional_while_data');
  const conv = convert(opts.converter, {graphDef: path.join(cfDir, 'functional_while.pbtxt'), outFile,
                                        inputArrays: ['x', 'n'], outputArrays: ['i', 'acc'],
                                        extraArgs: ['--optimizations=DEFAULT', `--representative_dataset=${data}`,
                                                    '--supported_ops=TFLITE_BUILTINS_INT8']});
  const lines = conv.output.trim().split('\n');
  const good = conv.status === 1 && lines.length === 1 && /Quantization not yet supported for op: .*'WHILE'/.test(lines[0]) &&
               !fs.existsSync(outFile);
  results.add('functional_while.pbtxt [integer only] is refused naming WHILE', good ? 'PASS' : 'FAIL',
              good ? lines[0] : `exit ${conv.status}: ${conv.output.trim()}`);
}

// int8 inference types with float fallback: the model's float input and
// output become int8 at the main subgraph; the bodies stay quantized inside.
// Fed the quantized sample, its dequantized output must match the float model.
{
  const data = path.join(tmp, 'functional_while_data');
  const outFile = path.join(tmp, 'int8_io.tflite');
  const conv = convert(opts.converter, {graphDef: path.join(cfDir, 'functional_while.pbtxt'), outFile,
                                        inputArrays: ['x', 'n'], outputArrays: ['acc'],
                                        extraArgs: ['--optimizations=DEFAULT', `--representative_dataset=${data}`,
                                                    '--inference_input_type=INT8', '--inference_output_type=INT8']});
  if (!conv.ok) {
    results.add('functional_while.pbtxt [int8 io] converts', 'FAIL', errorLine(conv.output));
  } else {
    const sg = analyze(outFile);
    const tensor = (k) => sg[0].tensors.get(`T#${k}`);
    const main = sg[0].ops, inQ = tensor(0), outId = main.find((o) => o.name === 'QUANTIZE')?.outputs[0];
    const outQ = outId && sg[0].tensors.get(outId);
    const bodyOps = int8BodyOps(sg);
    const shaped = inQ?.type === 'INT8' && outQ?.type === 'INT8' && bodyOps.has('MUL');
    results.add('functional_while.pbtxt [int8 io] has int8 x and acc, int8 body MUL', shaped ? 'PASS' : 'FAIL',
                `x ${inQ?.type}, acc ${outQ?.type}, int8 body ops: ${[...bodyOps]}`);
    if (shaped) {
      const floatFile = path.join(tmp, 'int8_io_float.tflite');
      convert(opts.converter, {graphDef: path.join(cfDir, 'functional_while.pbtxt'), outFile: floatFile,
                               inputArrays: ['x', 'n'], outputArrays: ['acc']});
      for (const [x, n] of [[[1.5, -0.75], 2], [[-1.2, 0.4], 3]]) {
        const q = x.map((v) => Math.max(-128, Math.min(127, Math.round(v / inQ.scale) + inQ.zeroPoint)));
        const xq = q.map((v) => (v - inQ.zeroPoint) * inQ.scale);  // what the int8 model sees
        const nFeed = {name: 'n', dtype: 'int32', shape: [], data: [n]};
        try {
          const want = (await runModel(floatFile, [{name: 'x', dtype: 'float32', shape: [2], data: xq}, nFeed])).outputs[0];
          const got = (await runModel(outFile, [{name: 'x', dtype: 'int8', shape: [2], data: q}, nFeed])).outputs[0];
          const deq = {dtype: 'float32', shape: got.shape, data: got.data.map((v) => (v - outQ.zeroPoint) * outQ.scale)};
          const r = compareTensor(deq, {dtype: 'float32', shape: want.shape, data: want.data}, TOL.int8);
          results.add(`functional_while.pbtxt [int8 io] x=${JSON.stringify(x)} n=${n}`, r.ok ? 'PASS' : 'FAIL',
                      r.ok ? `max|diff| ${r.maxDiff.toExponential(2)} (tol ${TOL.int8} x max(1, max|float|))` : r.reason);
        } catch (e) {
          results.add(`functional_while.pbtxt [int8 io] x=${JSON.stringify(x)} n=${n}`, 'FAIL', e.message.split('\n')[0]);
        }
      }
    }
  }
}

// Keras RNNs over an unknown length: WHILE with FULLY_CONNECTED in its body.
for (const name of fs.readdirSync(kerasDir).sort()) {
  const d = path.join(kerasDir, name);
  if (!fs.existsSync(path.join(d, 'case.json'))) continue;
  const c = JSON.parse(fs.readFileSync(path.join(d, 'case.json'), 'utf8'));
  const feed = [{dtype: 'float32', shape: c.input.shape, data: c.input.data}];
  const files = {};
  for (const [mode, extra] of [['float', []], ['int8', ['--optimizations=DEFAULT', `--representative_dataset=${path.join(d, 'calib.npy')}`]],
                               ['dynamic', ['--optimizations=DEFAULT']],
                               ['float16', ['--optimizations=DEFAULT', '--supported_types=float16']]]) {
    const out = path.join(tmp, `${name}_${mode}.tflite`);
    const r = spawnSync(opts.converter, [`--keras_model_file=${path.join(d, 'model.h5')}`, `--output_file=${out}`, ...extra],
                        {encoding: 'utf8'});
    if (r.status !== 0 || !fs.existsSync(out)) {
      results.add(`${name} [${mode}] converts`, 'FAIL', errorLine(`${r.stdout}${r.stderr}`));
      continue;
    }
    // LiteRT.js runs the file's static shapes: declare the sequence length.
    files[mode] = path.join(tmp, `${name}_${mode}.resized.tflite`);
    fs.writeFileSync(files[mode], resizedCopy(fs.readFileSync(out), [c.input.shape], [c.output.shape]));
    const sg = analyze(out);
    if (mode === 'int8') {
      const found = int8BodyOps(sg);
      results.add(`${name} [int8] quantizes the body FULLY_CONNECTED`, found.has('FULLY_CONNECTED') ? 'PASS' : 'FAIL',
                  `int8 body ops: ${[...found]}`);
    } else if (mode === 'dynamic') {
      const n = hybridBodyFullyConnected(sg);
      results.add(`${name} [dynamic] body FULLY_CONNECTED has int8 weights`, n > 0 ? 'PASS' : 'FAIL', `${n} hybrid`);
    } else if (mode === 'float16') {
      const n = sg.filter((g) => g.index > 0).reduce((k, g) => k + [...g.tensors.values()]
          .filter((t) => t.type === 'FLOAT16' && t.constant).length, 0);
      results.add(`${name} [float16] body weights are float16`, n > 0 ? 'PASS' : 'FAIL', `${n} float16 constants in bodies`);
    }
  }
  if (!files.float) continue;
  try {
    const y = (await runModel(files.float, feed)).outputs[0];
    const r = compareTensor(y, {dtype: 'float32', shape: c.output.shape, data: c.output.data}, 1e-5);
    results.add(`${name} [float] vs NumPy`, r.ok ? 'PASS' : 'FAIL', r.ok ? `max|diff| ${r.maxDiff.toExponential(2)}` : r.reason);
  } catch (e) {
    results.add(`${name} [float] vs NumPy`, 'FAIL', e.message.split('\n')[0]);
  }
  for (const mode of ['int8', 'dynamic', 'float16'])
    if (files[mode]) await compareRuns(`${name} [${mode}]`, files.float, files[mode], [feed], RNN_TOL[mode]);
}

fs.rmSync(tmp, {recursive: true, force: true});
process.exit(results.summary());
