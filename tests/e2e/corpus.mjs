// Corpus suite: converts the real frozen GraphDefs in ../shared/corpus (made
// by TensorFlow, not by this project) and checks the .tflite in LiteRT.js
// against known outputs: TF-computed CSV goldens, the official converter's
// .tflite, TensorFlow.js running the same GraphDef, or values from MANIFEST.
// Graphs with TF1 control flow or a wrong attr must be rejected.
// usage: node corpus.mjs --converter PATH [--filter substr] [--json RESULT.json]
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {runModel} from './lib/litert.mjs';
import {convert, errorLine, tempDir, compareOutputs, Results, parseArgs} from './lib/harness.mjs';
import gd from './lib/graphdef.cjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = path.resolve(here, '../../../shared/corpus');   // <repo>/../shared/corpus
const opts = parseArgs(process.argv.slice(2));
if (!opts.converter) {
  console.error('usage: node corpus.mjs --converter PATH [--filter substr] [--json RESULT.json]');
  process.exit(2);
}
if (!fs.existsSync(corpus)) {
  console.log('SKIP: ../shared/corpus not found');
  process.exit(0);
}
const converter = path.resolve(opts.converter);
if (!fs.existsSync(converter)) {
  console.error(`converter not found: ${converter}`);
  process.exit(2);
}
const C = (...p) => path.join(corpus, ...p);
const CONTROL_FLOW = /\b(Switch|Merge|Enter|Exit|NextIteration|LoopCond)\b/;
const prod = (s) => s.reduce((a, b) => a * b, 1);
const r = gd.rng(20240601);
const uniform = (shape, lo = 0, hi = 1) =>
  Array.from({length: prod(shape)}, () => Math.fround(lo + (hi - lo) * r()));

// ---- the model list -----------------------------------------------------------
// Each entry: {name, graphDef, inputArrays, outputArrays, inputShapes?, feeds,
//   expect: 'golden' (want given) | 'tfjs' | 'tflite' (official .tflite in
//   `official`) | 'reject' (mention: RegExp) | 'convert-only' (skip: reason),
//   want?, check?(want) -> error string, tol?}
const models = [];

// dl4j_tf_graphs: every dir with frozen_model.pb; <in>.placeholder.csv/.shape
// are inputs, <out>.prediction.csv/.shape (possibly in subdirs) the goldens.
function readCsvTensor(base) {
  const data = fs.readFileSync(`${base}.csv`, 'utf8').split(/[\s,]+/).filter(Boolean).map(Number);
  let shape = fs.readFileSync(`${base}.shape`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  if (prod(shape) !== data.length && data.length === 1) shape = [];   // scalars are written as "0"
  return {shape, data};
}
function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, {withFileTypes: true})) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out); else out.push(p);
  }
  return out;
}
if (fs.existsSync(C('dl4j_tf_graphs'))) {
  const dirs = walk(C('dl4j_tf_graphs')).filter((f) => f.endsWith('/frozen_model.pb'))
      .map(path.dirname).sort();
  for (const dir of dirs) {
    const name = `dl4j_tf_graphs/${path.relative(C('dl4j_tf_graphs'), dir)}`;
    const files = walk(dir).map((f) => path.relative(dir, f));
    const ins = files.filter((f) => f.endsWith('.placeholder.csv')).map((f) => f.slice(0, -16)).sort();
    const outs = files.filter((f) => f.endsWith('.prediction.csv')).map((f) => f.slice(0, -15)).sort();
    const m = {name, graphDef: path.join(dir, 'frozen_model.pb'), inputArrays: ins, outputArrays: outs};
    // TF1 control flow (simple_while, simpleif_0) is functionalized into
    // WHILE/IF and checked against the goldens like the rest.
    m.feeds = ins.map((n) => ({name: n, ...readCsvTensor(path.join(dir, `${n}.placeholder`))}));
    m.inputShapes = m.feeds.map((f) => f.shape.join(',')).join(':');
    m.want = outs.map((n) => ({name: n, ...readCsvTensor(path.join(dir, `${n}.prediction`))}));
    models.push({...m, expect: 'golden'});
  }
}

// Layer tests without placeholders read a frozen variable `in_N` (a Const). We
// convert a copy where each in_N Const is a Placeholder and feed its value, so
// the model has real inputs and the goldens still apply.
function constInputsToPlaceholders(m, work) {
  if (m.expect !== 'golden' || m.inputArrays.length) return m;
  const g = gd.decodeGraphDef(fs.readFileSync(m.graphDef));
  const feeds = [];
  for (const n of g.node) {
    if (n.op !== 'Const' || !/^in_\d+$/.test(n.name)) continue;
    const t = gd.tensorValues(n.attr.value.tensor);
    feeds.push({name: n.name, shape: t.shape, data: t.values});
    n.op = 'Placeholder';
    n.attr = {dtype: {type: n.attr.value.tensor.dtype}, shape: {shape: n.attr.value.tensor.tensorShape}};
  }
  if (!feeds.length) return m;
  const file = path.join(work, `${m.name.replace(/\W+/g, '_')}.pb`);
  fs.writeFileSync(file, gd.encodeGraphDef(g));
  return {...m, graphDef: file, inputArrays: feeds.map((f) => f.name), feeds,
          note: `in_N consts fed as placeholders`};
}

// The official converter's output for the same graph.
if (fs.existsSync(C('litert_tflite_testdata/multi_add.pb'))) {
  models.push({name: 'litert_tflite_testdata/multi_add', graphDef: C('litert_tflite_testdata/multi_add.pb'),
    inputArrays: ['a', 'b', 'c', 'd'], outputArrays: ['x', 'y'], expect: 'tflite',
    official: C('litert_tflite_testdata/multi_add.bin'),
    feeds: ['a', 'b', 'c', 'd'].map((name) => ({name, dtype: 'float32', shape: [1, 8, 8, 3],
                                               data: uniform([1, 8, 8, 3], -1, 1)}))});
}
models.push({name: 'tfrust_addition_graphdef', graphDef: C('tfrust_addition_graphdef/model.pb'),
  inputArrays: ['x', 'y'], outputArrays: ['z'], expect: 'tfjs',
  feeds: [{name: 'x', dtype: 'int32', shape: [], data: [40]},
          {name: 'y', dtype: 'int32', shape: [], data: [2]}]});
models.push({name: 'tf2onnx_regression', graphDef: C('tf2onnx_regression/graphdef/frozen.pb'),
  inputArrays: ['X'], outputArrays: ['pred'], inputShapes: '1', expect: 'tfjs',
  feeds: [{name: 'X', dtype: 'float32', shape: [1], data: [5]}],
  check: (want) => (Math.abs(want[0].data[0] - 2.1193342) < 1e-5 ? '' :
                    `reference ${want[0].data[0]} is not MANIFEST's 2.1193342`)});
for (const [name, extra] of [['fc-layers', false], ['ae0', false], ['lstm', true], ['gru', true]]) {
  // lstm/gru have a dropout keep_prob input: 1.0 makes them deterministic.
  const feeds = [{name: 'X', dtype: 'float32', shape: [1, 784], data: uniform([1, 784])}];
  if (extra) feeds.push({name: 'keep_prob', dtype: 'float32', shape: [], data: [1]});
  models.push({name: `tf2onnx_${name}`, graphDef: C(`tf2onnx_${name}/frozen.pb`),
    inputArrays: feeds.map((f) => f.name), outputArrays: ['output'],
    inputShapes: extra ? '1,784:' : '1,784', expect: 'tfjs', feeds});
}

// litert_python_testdata: text-format GraphDefs (TF's converter reads both).
const lpt = (f) => C('litert_python_testdata', f);
models.push({name: 'litert_python_testdata/permute.pbtxt', graphDef: lpt('permute.pbtxt'),
  inputArrays: ['input'], outputArrays: ['output'], expect: 'golden',
  feeds: [{name: 'input', dtype: 'float32', shape: [1, 4], data: [1, 2, 3, 4]}],
  want: [{name: 'output', dtype: 'float32', shape: [1, 4], data: [4, 3, 2, 1]}]});   // MANIFEST
for (const [f, ins] of [['gather.pbtxt', ['input', 'indices']], ['gather_0d.pbtxt', ['indices']]]) {
  models.push({name: `litert_python_testdata/${f}`, graphDef: lpt(f), inputArrays: ins,
    outputArrays: ['output'], expect: 'convert-only',
    skip: 'string tensors: LiteRT.js cannot feed or read them (conversion itself is checked)'});
}
models.push({name: 'litert_python_testdata/control_flow_v1.pbtxt', graphDef: lpt('control_flow_v1.pbtxt'),
  inputArrays: ['a', 'b', 'c', 'd'], outputArrays: ['Merge'], inputShapes: '1:1:1:1', expect: 'reject',
  mention: CONTROL_FLOW, why: 'a Merge with no Switch: TF cannot functionalize it either'});
for (const v of ['line', 'stack']) {
  models.push({name: `litert_debuginfo_mobilenet_part/${v}`,
    graphDef: C('litert_debuginfo_mobilenet_part', `v1_1.0_224_frozen.wrong_attr.${v}.part.pbtxt`),
    inputArrays: ['input'], outputArrays: ['MobilenetV1/MobilenetV1/Conv2d_0/BatchNorm/FusedBatchNorm'],
    inputShapes: '1,224,224,3', expect: 'reject', mention: /data_format|NDHWC|Conv2D/,
    why: 'Conv2D with data_format NDHWC (deliberately wrong attr)'});
}

// ---- run ------------------------------------------------------------------------
const results = new Results();
const work = tempDir();
for (let m of models.filter((x) => !opts.filter || x.name.includes(opts.filter))) {
  if (!fs.existsSync(m.graphDef)) {
    results.add(m.name, 'SKIP', `${path.relative(corpus, m.graphDef)} not in corpus`);
    continue;
  }
  try {
    m = constInputsToPlaceholders(m, work);
    const outFile = path.join(work, `${m.name.replace(/\W+/g, '_')}.tflite`);
    fs.rmSync(outFile, {force: true});
    const conv = convert(converter, {graphDef: m.graphDef, outFile, inputArrays: m.inputArrays,
                                     outputArrays: m.outputArrays, inputShapes: m.inputShapes});
    if (m.expect === 'reject') {
      // Must fail cleanly: non-zero exit, no .tflite, and say what is unsupported.
      const fail = conv.status === 0 ? `converter accepted it; expected a rejection: ${m.why}`
        : typeof conv.status !== 'number' ? `converter crashed (${conv.status})`
        : fs.existsSync(outFile) ? `exit ${conv.status} but it wrote ${outFile}`
        : !m.mention.test(conv.output) ? `rejected, but the error does not name the problem ` +
                                         `(${m.why}): ${errorLine(conv.output)}`
        : '';
      results.add(m.name, fail ? 'FAIL' : 'PASS', fail || `rejected as expected: ${errorLine(conv.output)}`);
      continue;
    }
    if (!conv.ok) {
      results.add(m.name, 'FAIL', `converter exit ${conv.status}: ${errorLine(conv.output)}`);
      continue;
    }
    if (m.expect === 'convert-only') {
      results.add(m.name, 'SKIP', `converted; not run: ${m.skip}`);
      continue;
    }
    let want = m.want;
    if (m.expect === 'tfjs') {
      want = await gd.tfjsRun(gd.decodeGraphDef(fs.readFileSync(m.graphDef)), m.feeds, m.outputArrays);
    } else if (m.expect === 'tflite') {
      want = (await runModel(m.official, m.feeds)).outputs;
    }
    const bad = m.check && m.check(want);
    if (bad) {
      results.add(m.name, 'FAIL', bad);
      continue;
    }
    // CSV goldens carry no dtype (and some graphs are float64): values only.
    const expected = want.map((w, k) => ({name: m.outputArrays[k], shape: w.shape, data: w.data,
                                          ...(m.expect !== 'golden' ? {dtype: w.dtype} : {})}));
    const {outputs} = await runModel(outFile, m.feeds);
    const res = compareOutputs(outputs, expected, m.tol ?? 1e-4);
    results.add(m.name, res.ok ? 'PASS' : 'FAIL', res.ok
      ? `max|diff| ${res.maxDiff.toExponential(2)} vs ${m.expect}${m.note ? ` (${m.note})` : ''}`
      : res.reason);
  } catch (e) {
    results.add(m.name, 'FAIL', e.message.split('\n')[0]);
  }
}
fs.rmSync(work, {recursive: true, force: true});
process.exit(results.summary(opts.json));
