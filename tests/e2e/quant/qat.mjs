// Quantization-aware-trained GraphDefs: FakeQuantWithMinMaxArgs/Vars/
// VarsPerChannel and QuantizeAndDequantizeV2 on weights and activations.
// Reference: TensorFlow.js ops with TF's FakeQuant nudging applied in JS
// (tfjs has no FakeQuant op). Checks, in LiteRT.js:
//  - float conversion keeps the fake quantization (FAKE_QUANT ops);
//  - --optimizations=DEFAULT gives an int8 model with no dataset;
//  - integer I/O (--inference_input_type/--inference_output_type=int8).
// usage: node quant/qat.mjs --converter PATH [--analyzer PATH]
import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';
import {spawnSync} from 'node:child_process';
import {runModel} from '../lib/litert.mjs';
import {Results, parseArgs, tempDir, errorLine} from '../lib/harness.mjs';

const require = createRequire(import.meta.url);
const {Graph, A, rng} = require('../lib/graphdef.cjs');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');

const opts = parseArgs(process.argv.slice(2));
if (!opts.converter) { console.error('usage: qat.mjs --converter PATH [--analyzer PATH]'); process.exit(2); }
const analyzer = opts.analyzer || path.join(path.dirname(opts.converter), 'tflite_analyze');

// TF's FakeQuant (fake_quant_ops_functor.h), in float32 like the kernel.
const f32 = Math.fround;
function nudge(min, max, bits = 8, narrow = false) {
  const qmin = narrow ? 1 : 0, qmax = (1 << bits) - 1;
  const scale = f32(f32(max - min) / (qmax - qmin));
  const zpFromMin = f32(qmin - f32(min / scale));
  const zp = zpFromMin < qmin ? qmin : zpFromMin > qmax ? qmax : Math.round(zpFromMin);
  return {min: f32((qmin - zp) * scale), max: f32((qmax - zp) * scale), scale};
}
function fq(values, r) {
  return values.map((x) => {
    const c = f32(Math.min(Math.max(x, r.min), r.max) - r.min);
    return f32(f32(Math.floor(f32(c / r.scale) + 0.5) * r.scale) + r.min);
  });
}
// QuantizeAndDequantizeV2, signed, narrow, range from the data.
function qdqRange(values, bits = 8) {
  let lo = 0, hi = 0;
  for (const v of values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const qmin = -(2 ** (bits - 1)) + 1, qmax = 2 ** (bits - 1) - 1;
  const s = Math.min(qmin * lo > 0 ? qmin / lo : Infinity, qmax * hi > 0 ? qmax / hi : Infinity);
  return nudge(qmin / s, qmax / s, bits, true);
}

function buildCase() {
  const r = rng(7);
  const w = (n, s) => Array.from({length: n}, () => (r() * 2 - 1) * s);
  const g = new Graph();
  const F = {T: A.type('float32')};
  g.placeholder('x', 'float32', [1, 8, 8, 3]);
  g.add('FakeQuantWithMinMaxArgs', 'x_fq', ['x'], {...F, min: A.f(-1), max: A.f(1), num_bits: A.i(8),
                                                   narrow_range: A.b(false)});
  const wv = w(3 * 3 * 3 * 4, 0.5);
  const wmins = [-0.5, -0.3, -0.4, -0.2], wmaxs = [0.5, 0.4, 0.3, 0.25];
  g.const('w', 'float32', [3, 3, 3, 4], wv);
  g.const('w_min', 'float32', [4], wmins);
  g.const('w_max', 'float32', [4], wmaxs);
  g.add('FakeQuantWithMinMaxVarsPerChannel', 'w_fq', ['w', 'w_min', 'w_max'], {num_bits: A.i(8), narrow_range: A.b(true)});
  g.add('Conv2D', 'conv', ['x_fq', 'w_fq'], {...F, strides: A.ints([1, 1, 1, 1]), padding: A.s('SAME'),
                                             data_format: A.s('NHWC'), dilations: A.ints([1, 1, 1, 1])});
  const bv = w(4, 0.2);
  g.const('b', 'float32', [4], bv);
  g.add('BiasAdd', 'bias', ['conv', 'b'], {...F, data_format: A.s('NHWC')});
  g.add('Relu', 'relu', ['bias'], F);
  g.const('r_min', 'float32', [], [0]);
  g.const('r_max', 'float32', [], [6]);
  g.add('FakeQuantWithMinMaxVars', 'relu_fq', ['relu', 'r_min', 'r_max'], {num_bits: A.i(8), narrow_range: A.b(false)});
  g.add('MaxPool', 'pool', ['relu_fq'], {...F, ksize: A.ints([1, 2, 2, 1]), strides: A.ints([1, 2, 2, 1]),
                                          padding: A.s('VALID'), data_format: A.s('NHWC')});
  g.const('shape', 'int32', [2], [1, 64]);
  g.add('Reshape', 'flat', ['pool', 'shape'], {...F, Tshape: A.type('int32')});
  const w2v = w(64 * 5, 0.3);
  g.const('w2', 'float32', [64, 5], w2v);
  g.const('w2_lo', 'float32', [], [0]);
  g.const('w2_hi', 'float32', [], [0]);
  g.add('QuantizeAndDequantizeV2', 'w2_qdq', ['w2', 'w2_lo', 'w2_hi'],
        {...F, signed_input: A.b(true), num_bits: A.i(8), range_given: A.b(false), narrow_range: A.b(true)});
  g.add('MatMul', 'mm', ['flat', 'w2_qdq'], {...F, transpose_a: A.b(false), transpose_b: A.b(false)});
  const b2v = w(5, 0.2);
  g.const('b2', 'float32', [5], b2v);
  g.add('BiasAdd', 'mm_bias', ['mm', 'b2'], {...F, data_format: A.s('NHWC')});
  g.const('o_min', 'float32', [], [-4]);
  g.const('o_max', 'float32', [], [4]);
  g.add('FakeQuantWithMinMaxVars', 'out', ['mm_bias', 'o_min', 'o_max'], {num_bits: A.i(8), narrow_range: A.b(false)});

  // Inputs and the reference.
  const xs = Array.from({length: 8 * 8 * 3}, (_, i) => 1.2 * Math.sin(0.37 * i + 0.5));
  const xq = fq(xs, nudge(-1, 1));
  const wq = new Array(wv.length);
  const wr = wmins.map((lo, c) => nudge(lo, wmaxs[c], 8, true));
  wv.forEach((v, i) => { wq[i] = fq([v], wr[i % 4])[0]; });
  const w2q = fq(w2v, qdqRange(w2v));
  const y = tf.tidy(() => {
    let t = tf.conv2d(tf.tensor4d(xq, [1, 8, 8, 3]), tf.tensor4d(wq, [3, 3, 3, 4]), 1, 'same');
    t = tf.relu(tf.add(t, tf.tensor1d(bv)));
    t = tf.tensor(fq(Array.from(t.dataSync()), nudge(0, 6)), t.shape);
    t = tf.reshape(tf.maxPool(t, 2, 2, 'valid'), [1, 64]);
    t = tf.add(tf.matMul(t, tf.tensor2d(w2q, [64, 5])), tf.tensor1d(b2v));
    return Array.from(t.dataSync());
  });
  return {graph: g.encode(), x: xs, want: fq(y, nudge(-4, 4)), outStep: nudge(-4, 4).scale, outRange: nudge(-4, 4), inRange: nudge(-1, 1)};
}

function convert(pb, out, extra) {
  const args = ['--enable_v1_converter', `--graph_def_file=${pb}`, `--output_file=${out}`,
                '--input_arrays=x', '--output_arrays=out', ...extra];
  const r = spawnSync(opts.converter, args, {encoding: 'utf8'});
  return {ok: r.status === 0 && fs.existsSync(out), text: `${r.stdout}${r.stderr}`};
}
function ops(file) {
  const r = spawnSync(analyzer, ['--no-buffers', file], {encoding: 'utf8'});
  return r.stdout || '';
}
const maxDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

const results = new Results();
const dir = tempDir();
const c = buildCase();
const pb = path.join(dir, 'qat.pb');
fs.writeFileSync(pb, c.graph);

// Float: fake quantization kept, so outputs match TF's to float rounding; a
// value on a rounding boundary may move by one output step.
{
  const out = path.join(dir, 'float.tflite');
  const r = convert(pb, out, []);
  if (!r.ok) results.add('qat float', 'FAIL', errorLine(r.text));
  else {
    const got = (await runModel(out, [{name: 'x', dtype: 'float32', shape: [1, 8, 8, 3], data: c.x}])).outputs[0].data;
    const d = maxDiff(got, c.want), off = got.filter((v, i) => Math.abs(v - c.want[i]) > 1e-4).length;
    const hasFq = /FAKE_QUANT/.test(ops(out));
    const ok = hasFq && d <= c.outStep * 1.01;
    results.add('qat float', ok ? 'PASS' : 'FAIL',
                `max diff ${d.toExponential(2)} (${off}/${got.length} values off by > 1e-4; allowed 1 step ${c.outStep.toFixed(4)})` +
                (hasFq ? '' : ' — no FAKE_QUANT op in the file'));
  }
}

// int8 from the trained ranges, no dataset. Tolerance: 3 output steps.
// TF 1.x spelling: --inference_type=INT8 with quantized_input_stats (mean 0,
// std 127: the input grid is 1/127 with zero point 0).
const v1Grid = {scale: 1 / 127, zp: 0};
for (const [label, extra, grid] of [
  ['qat int8 (float I/O)', []],
  ['qat int8 (int8 I/O)', ['--inference_input_type=int8', '--inference_output_type=int8']],
  ['qat int8 (v1 --inference_type=INT8 --mean_values --std_dev_values)',
   ['--inference_type=INT8', '--mean_values=0', '--std_dev_values=127'], v1Grid]]) {
  const out = path.join(dir, `${label.replace(/\W+/g, '_')}.tflite`);
  const r = convert(pb, out, grid ? extra : ['--optimizations=DEFAULT', ...extra]);
  if (!r.ok) { results.add(label, 'FAIL', errorLine(r.text)); continue; }
  const text = ops(out);
  const intIo = extra.length > 0;
  let feed = {name: 'x', dtype: 'float32', shape: [1, 8, 8, 3], data: c.x};
  if (intIo) {
    // The input takes the trained input range's grid: scale, zero point -128 - min/scale.
    const s = grid ? grid.scale : c.inRange.scale, zp = grid ? grid.zp : Math.round(-128 - c.inRange.min / s);
    feed = {name: 'x', dtype: 'int8', shape: [1, 8, 8, 3],
            data: c.x.map((v) => Math.max(-128, Math.min(127, Math.round(v / s) + zp)))};
  }
  let got;
  try {
    got = (await runModel(out, [feed])).outputs[0];
  } catch (e) { results.add(label, 'FAIL', e.message); continue; }
  let vals = got.data;
  if (intIo) {
    if (got.dtype !== 'int8') { results.add(label, 'FAIL', `output dtype ${got.dtype}, want int8`); continue; }
    const s = c.outStep, zp = Math.round(-128 - c.outRange.min / s);  // the trained output range
    vals = got.data.map((q) => (q - zp) * s);
  }
  const d = maxDiff(vals, c.want);
  const quantized = /CONV_2D/.test(text) && /int8/.test(text);
  const ok = quantized && d <= 3 * c.outStep && !/FAKE_QUANT/.test(text);
  results.add(label, ok ? 'PASS' : 'FAIL', `max diff ${d.toFixed(4)} (allowed 3 steps = ${(3 * c.outStep).toFixed(4)})` +
              (quantized ? '' : ' — the model is not int8'));
}

// Bad ranges get one clear line.
{
  const g = new Graph();
  g.placeholder('x', 'float32', [1, 4]);
  g.add('FakeQuantWithMinMaxArgs', 'out', ['x'], {T: A.type('float32'), min: A.f(1), max: A.f(2), num_bits: A.i(8)});
  const bad = path.join(dir, 'bad.pb');
  fs.writeFileSync(bad, g.encode());
  const out = path.join(dir, 'bad.tflite');
  const r = convert(bad, out, []);
  const ok = !r.ok && !fs.existsSync(out) && /must contain 0/.test(r.text);
  results.add('qat range without zero is refused', ok ? 'PASS' : 'FAIL', errorLine(r.text));
}

fs.rmSync(dir, {recursive: true, force: true});
process.exit(results.summary());
