// Keras corpus against TensorFlow.js: every H5 in ../shared/corpus/
// dl4j_keras_layers, dl4j_tfkeras_h5 and dl4j_keras_examples/masking that our converter converts is also
// loaded into tfjs-layers 4.22.0 (via lib/h5_to_tfjs.py) and both predict on
// the same deterministic input; our .tflite runs in LiteRT.js.
// Tolerance: max|ours - tfjs| <= 1e-4 * max(1, max|tfjs|) over every output.
// Models TF.js cannot load or run are SKIPped with the reason; models our
// converter refuses must be in EXPECTED_REFUSALS (else FAIL), and .tflite files
// with variable tensors are SKIPped (LiteRT.js cannot load them).
// usage: node keras_corpus_tfjs.mjs --converter PATH [--analyzer PATH]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createRequire} from 'node:module';
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (k) => (args.includes(k) ? path.resolve(args[args.indexOf(k) + 1]) : null);
const converter = arg('--converter');
if (!converter) {
  console.error('usage: node keras_corpus_tfjs.mjs --converter PATH [--analyzer PATH]');
  process.exit(2);
}
const analyzer = arg('--analyzer') || path.join(path.dirname(converter), 'tflite_analyze');
const corpus = path.resolve(here, '../../../shared/corpus');
const dirs = ['dl4j_keras_layers', 'dl4j_tfkeras_h5', 'dl4j_keras_examples/masking'].map((d) => path.join(corpus, d));
if (!dirs.some((d) => fs.existsSync(d))) {
  console.log(`SKIP: ${dirs.join(' and ')} not found (/work/shared is absent)`);
  process.exit(0);
}
if (!fs.existsSync(analyzer)) {
  console.log(`FAIL: ${analyzer} not found (build the tflite_analyze target)`);
  process.exit(1);
}

// Files our converter refuses on purpose, and why.
const EXPECTED_REFUSALS = {
  'space_to_depth_graph_tensorflow_2.h5': 'Lambda layer: Python bytecode, no portable meaning',
};
const TOL = 1e-4;

const require = createRequire(path.join(here, 'package.json'));
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfl = require('@tensorflow/tfjs-layers');
await tf.setBackend('cpu');
const {runModel} = await import('./lib/litert.mjs');

// Inputs and variable-ness of a .tflite, from tflite_analyze's listing.
function describe(file) {
  const r = spawnSync(analyzer, [file], {encoding: 'utf8'});
  if (r.status !== 0) throw new Error(`tflite_analyze: ${(r.stderr || '').trim().split('\n')[0]}`);
  const text = r.stdout;
  const sig = text.match(/Subgraph#0 \w*\(([^)]*)\)/);
  const ids = sig ? [...sig[1].matchAll(/T#(\d+)/g)].map((m) => m[1]) : [];
  const inputs = ids.map((id) => {
    const m = text.match(new RegExp(`^\\s+T#${id}\\(([^)]*)\\) shape:\\[([^\\]]*)\\][^\\n]*type:(\\w+)`, 'm'));
    if (!m) throw new Error(`tflite_analyze: no line for input T#${id}`);
    const shape = m[2].trim() ? m[2].split(',').map((s) => Math.max(1, Number(s))) : [];
    return {name: m[1], shape, type: m[3]};
  });
  return {inputs, variable: /type:\w+, variable/.test(text)};
}

// Smallest Embedding vocabulary in a config (integer inputs must stay below it).
function vocab(node) {
  let v = Infinity;
  if (Array.isArray(node)) for (const x of node) v = Math.min(v, vocab(x));
  else if (node && typeof node === 'object') {
    if (node.class_name === 'Embedding' && node.config && node.config.input_dim) v = node.config.input_dim;
    for (const x of Object.values(node)) v = Math.min(v, vocab(x));
  }
  return v;
}

function firstLine(s) {
  return String(s || '').trim().split('\n')[0];
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-tfjs-'));
const counts = {PASS: 0, FAIL: 0, SKIP: 0, REFUSED: 0};
const say = (kind, name, text) => {
  counts[kind]++;
  console.log(`${kind.padEnd(7)} ${name}: ${text}`);
};

const files = dirs.filter((d) => fs.existsSync(d)).flatMap((d) =>
  fs.readdirSync(d).filter((f) => /\.(h5|hdf5)$/.test(f)).sort().map((f) => path.join(d, f)));
for (const file of files) {
  const name = `${path.basename(path.dirname(file))}/${path.basename(file)}`;
  const base = path.basename(file);
  const out = path.join(tmp, base + '.tflite');
  const conv = spawnSync(converter, [`--keras_model_file=${file}`, `--output_file=${out}`], {encoding: 'utf8'});
  if (conv.status !== 0) {
    const why = EXPECTED_REFUSALS[base];
    if (why) say('REFUSED', name, `expected (${why}): ${firstLine(conv.stderr)}`);
    else say('FAIL', name, `converter refused: ${firstLine(conv.stderr)}`);
    continue;
  }
  if (EXPECTED_REFUSALS[base]) {
    console.log(`NOTE    ${name}: now converts; remove it from EXPECTED_REFUSALS`);
  }

  // The TF.js reference.
  const jsDir = path.join(tmp, base + '.tfjs');
  const py = spawnSync('/usr/bin/python3', [path.join(here, 'lib/h5_to_tfjs.py'), file, jsDir], {encoding: 'utf8'});
  if (py.status !== 0) {
    say('SKIP', name, `h5_to_tfjs.py: ${firstLine(py.stderr)}`);
    continue;
  }
  const mj = JSON.parse(fs.readFileSync(path.join(jsDir, 'model.json'), 'utf8'));
  const wb = fs.readFileSync(path.join(jsDir, 'weights.bin'));
  let model;
  try {
    model = await tfl.loadLayersModel(tf.io.fromMemory({
      modelTopology: mj.modelTopology, weightSpecs: mj.weightsManifest[0].weights,
      weightData: wb.buffer.slice(wb.byteOffset, wb.byteOffset + wb.byteLength)}));
  } catch (e) {
    say('SKIP', name, `TF.js cannot load it: ${firstLine(e.message)}`);
    continue;
  }

  let info;
  try {
    info = describe(out);
  } catch (e) {
    say('FAIL', name, e.message);
    continue;
  }
  if (info.variable) {
    say('SKIP', name, 'the .tflite has variable tensors (stateful LSTM), which LiteRT.js cannot load');
    continue;
  }

  // Deterministic input: sines in (-1, 1), or integers below the vocabulary.
  const v = vocab(mj.modelTopology);
  const feeds = info.inputs.map((inp, i) => {
    const n = inp.shape.reduce((a, b) => a * b, 1);
    const data = Number.isFinite(v) ? Array.from({length: n}, (_, k) => (k * 7 + i * 3) % v)
                                    : Array.from({length: n}, (_, k) => Math.sin(0.37 * k + i));
    return {name: inp.name, dtype: inp.type === 'INT32' ? 'int32' : 'float32', shape: inp.shape, data};
  });

  let ref;
  try {
    // tfjs orders inputs as the config's input_layers; match ours by name when we can.
    const names = (model.inputLayers || []).map((l) => l.name);  // empty for a Sequential
    const ordered = names.length === feeds.length && names.every((n) => feeds.some((f) => f.name === n))
      ? names.map((n) => feeds.find((f) => f.name === n)) : feeds;
    const xs = ordered.map((f) => tf.tensor(f.data, f.shape, f.dtype === 'int32' ? 'int32' : 'float32'));
    let ys = model.predict(xs.length === 1 ? xs[0] : xs);
    if (!Array.isArray(ys)) ys = [ys];
    ref = ys.map((y) => ({shape: y.shape, data: Array.from(y.dataSync())}));
  } catch (e) {
    say('SKIP', name, `TF.js cannot run it: ${firstLine(e.message)}`);
    continue;
  }

  let got;
  try {
    got = (await runModel(out, feeds)).outputs;
  } catch (e) {
    say('FAIL', name, `LiteRT.js: ${firstLine(e.message)}`);
    continue;
  }
  if (got.length !== ref.length) {
    say('FAIL', name, `${got.length} outputs, TF.js has ${ref.length}`);
    continue;
  }
  let worst = 0, refMax = 0, bad = '';
  for (let k = 0; k < ref.length; k++) {
    const a = got[k].data, b = ref[k].data;
    if (a.length !== b.length) {
      bad = `output ${k}: ${a.length} values [${got[k].shape}], TF.js ${b.length} [${ref[k].shape}]`;
      break;
    }
    let m = 0, mx = 0;
    for (let j = 0; j < b.length; j++) {
      m = Math.max(m, Math.abs(a[j] - b[j]));
      mx = Math.max(mx, Math.abs(b[j]));
    }
    if (!(m <= TOL * Math.max(1, mx))) bad = `output ${k}: max|diff| ${m.toExponential(2)} > ${TOL} * max(1, ${mx.toPrecision(3)})`;
    worst = Math.max(worst, Number.isNaN(m) ? Infinity : m);
    refMax = Math.max(refMax, mx);
  }
  if (bad) say('FAIL', name, bad);
  else say('PASS', name, `max|diff| ${worst.toExponential(2)} (max|ref| ${refMax.toPrecision(3)}) over ${ref.length} output(s)`);
}
fs.rmSync(tmp, {recursive: true, force: true});
console.log(`${files.length} models: ${counts.PASS} passed, ${counts.FAIL} failed, ${counts.SKIP} skipped, ` +
            `${counts.REFUSED} refused as expected (tolerance ${TOL} * max(1, max|ref|))`);
process.exit(counts.FAIL ? 1 : 0);
