// SavedModel suite: converts SavedModels with
//   tflite_convert --saved_model_dir=DIR --output_file=OUT [flags]
// and checks the .tflite:
//  - its SignatureDefs have the SavedModel's signature keys, and each one's
//    input/output names are the SavedModel SignatureDef's input/output keys
//    (read from the flatbuffer and as the LiteRT runtime reports them);
//  - each signature, run by name in LiteRT.js, matches a reference computed
//    without the converter (floats: max|d| <= tol*max(1,max|ref|); ints exact);
//  - inputs that must be rejected give a non-zero exit, no output file, and
//    an error naming the signature and the op (or the defect).
//
// Generated cases (tests/saved_model, `make_saved_models DIR`): references come
// from TensorFlow.js running each signature's frozen GraphDef (<key>.frozen.pb);
// int64 outputs from an exact BigInt evaluation of that graph (TF.js has no
// int64). Corpus SavedModels (../shared/corpus): references from the models'
// documented math (MANIFEST) or their checkpoint values.
//
// usage: node saved_model.mjs --converter PATH [--cases DIR] [--filter substr]
//                             [--json RESULT.json] [--keep] [--no-corpus] [--corpus DIR]
// (--cases DIR comes from: make_saved_models DIR; the corpus defaults to
// <repo>/../shared/corpus and is skipped with a SKIP line when absent.)
import fs from 'node:fs';
import path from 'node:path';
import {spawnSync} from 'node:child_process';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import {loadLiteRtNode} from './lib/litert.mjs';
import {errorLine, tempDir, compareTensor, Results, parseArgs} from './lib/harness.mjs';
import gd from './lib/graphdef.cjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const opts = parseArgs(process.argv.slice(2), ['keep', 'no-corpus']);
const corpusDir = path.resolve(opts.corpus || path.join(here, '../../../shared/corpus'));   // <repo>/../shared/corpus
if (!opts.converter) {
  console.error('usage: node saved_model.mjs --converter PATH [--cases DIR] [--filter substr] ' +
                '[--json RESULT.json] [--keep] [--no-corpus] [--corpus DIR]');
  process.exit(2);
}
const converter = path.resolve(opts.converter);
if (!fs.existsSync(converter)) {
  console.error(`converter not found: ${converter}`);
  process.exit(2);
}
const wanted = (name) => !opts.filter || name.includes(opts.filter);

// ---- converter ----------------------------------------------------------------

function convertSavedModel(dir, flags, outFile) {
  const args = [`--saved_model_dir=${dir}`, `--output_file=${outFile}`, ...flags];
  const r = spawnSync(converter, args, {encoding: 'utf8', timeout: 300e3, maxBuffer: 64 << 20});
  const output = `${r.stdout || ''}${r.stderr || ''}${r.error ? r.error.message : ''}`;
  const status = r.status ?? (r.signal ? `signal ${r.signal}` : 'none');
  return {ok: r.status === 0 && fs.existsSync(outFile), status, output, outFile,
          exists: fs.existsSync(outFile), command: [converter, ...args].join(' ')};
}

// A rejection is clean when the exit is non-zero, no file (or temp file) is
// left, nothing crashed, and the message says what it must.
function checkRejected(conv, {match, contains = []}) {
  const text = conv.output;
  if (conv.status === 0) return `converted (exit 0) but must be rejected`;
  if (typeof conv.status !== 'number') return `converter died: ${conv.status}`;
  if (conv.exists) return 'exit non-zero but the output file was written';
  const dir = path.dirname(conv.outFile), base = path.basename(conv.outFile);
  if (fs.readdirSync(dir).some((f) => f.startsWith(`${base}.tmp`))) return 'a temp output file was left behind';
  if (/terminate called|Segmentation|Aborted|internal error/i.test(text)) return `crashed: ${errorLine(text)}`;
  if (match && !new RegExp(match, 'i').test(text)) return `error does not match /${match}/i: ${errorLine(text)}`;
  for (const c of contains) {
    if (!text.toLowerCase().includes(c.toLowerCase())) return `error does not mention '${c}': ${errorLine(text)}`;
  }
  return null;
}

// ---- the .tflite's SignatureDefs (a minimal flatbuffer read) ---------------------
// Model {subgraphs 2, signature_defs 7}; SignatureDef {inputs:[TensorMap] 0,
// outputs 1, signature_key 2, subgraph_index 4}; TensorMap {name 0,
// tensor_index 1}; SubGraph {tensors 0}; Tensor {shape 0, shape_signature 7}.

function readSignatureDefs(buf) {
  const u32 = (p) => buf.readUInt32LE(p);
  const table = (p) => ({p, vt: p - buf.readInt32LE(p)});
  const field = (t, k) => {
    const vtSize = buf.readUInt16LE(t.vt);
    const off = 4 + 2 * k < vtSize ? buf.readUInt16LE(t.vt + 4 + 2 * k) : 0;
    return off ? t.p + off : 0;
  };
  const deref = (p) => p + u32(p);
  const str = (t, k) => {
    const f = field(t, k);
    if (!f) return '';
    const s = deref(f);
    return buf.toString('utf8', s + 4, s + 4 + u32(s));
  };
  const vec = (t, k) => {
    const f = field(t, k);
    if (!f) return [];
    const v = deref(f);
    return Array.from({length: u32(v)}, (_, i) => table(deref(v + 4 + 4 * i)));
  };
  const ints = (t, k) => {
    const f = field(t, k);
    if (!f) return null;
    const v = deref(f);
    return Array.from({length: u32(v)}, (_, i) => buf.readInt32LE(v + 4 + 4 * i));
  };
  const model = table(u32(0));
  const subgraphs = vec(model, 2);
  return vec(model, 7).map((s) => {
    const subgraph = field(s, 4) ? u32(field(s, 4)) : 0;
    const tensors = subgraphs[subgraph] ? vec(subgraphs[subgraph], 0) : [];
    // A dynamic dim is 1 in `shape` and -1 in `shape_signature`.
    const shapeOf = (m) => {
      const t = tensors[field(m, 1) ? u32(field(m, 1)) : 0];
      return t ? (ints(t, 7) || ints(t, 0) || []) : null;
    };
    return {
      key: str(s, 2),
      inputs: vec(s, 0).map((m) => str(m, 0)),
      outputs: vec(s, 1).map((m) => str(m, 0)),
      inputShapes: Object.fromEntries(vec(s, 0).map((m) => [str(m, 0), shapeOf(m)])),
      subgraph,
    };
  });
}

const sortedEq = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

// ---- LiteRT.js: run signatures by key ----------------------------------------------

const CTORS = {float32: Float32Array, int32: Int32Array, uint8: Uint8Array,
               int8: Int8Array, int16: Int16Array, float64: Float64Array};

// The runtime reports load and Invoke failures only through its log (the
// wasm glue writes to stdout/stderr with console functions it bound when it
// loaded), and run() still resolves. So while it works we take over both
// streams: INFO/WARNING lines are dropped (shown with E2E_VERBOSE), anything
// else is kept as an error of the current run.
function captureStreams() {
  const log = [];
  const orig = {out: process.stdout.write, err: process.stderr.write};
  const sink = (chunk, enc, cb) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      if (/^(INFO|WARNING|VERBOSE):/.test(line)) {
        if (process.env.E2E_VERBOSE) orig.err.call(process.stderr, `${line}\n`);
      } else {
        log.push(line);
      }
    }
    if (typeof enc === 'function') enc();
    else if (typeof cb === 'function') cb();
    return true;
  };
  process.stdout.write = sink;
  process.stderr.write = sink;
  return {log, restore: () => { process.stdout.write = orig.out; process.stderr.write = orig.err; }};
}

// Loads the model once and runs each requested signature by its key. Returns
// {keys (as the runtime sees them), results: Map(key -> {outputs} | {error})}.
async function runSignatures(tflitePath, runs, defs = []) {
  const cap = captureStreams();
  const log = cap.log;
  const errors = () => log.slice();
  let lrt;
  try {
    lrt = await loadLiteRtNode();
  } catch (e) {
    cap.restore();
    throw e;
  }
  const results = new Map();
  let model = null;
  try {
    try {
      model = await lrt.loadAndCompile(new Uint8Array(fs.readFileSync(tflitePath)), {accelerator: 'wasm'});
    } catch (e) {
      throw new Error(`LiteRT.js could not load the model: ${e.message} ${errors().join(' | ')}`);
    }
    const keys = Object.keys(model.signatures);
    for (const {key, inputs} of runs) {
      const runner = model.signatures[key];
      if (!runner) {
        results.set(key, {error: `the runtime has no signature '${key}' (it has ${JSON.stringify(keys)})`});
        continue;
      }
      const tensors = [];
      log.length = 0;
      try {
        const byName = new Map(inputs.map((x) => [x.name, x]));
        for (const d of runner.getInputDetails()) {
          const x = byName.get(d.name);
          if (!x) throw new Error(`signature input '${d.name}' has no data (case gives ${[...byName.keys()]})`);
          if (x.dtype !== d.dtype) throw new Error(`input ${d.name}: model dtype ${d.dtype}, case gives ${x.dtype}`);
          const declared = (defs.find((s) => s.key === key) || {inputShapes: {}}).inputShapes[d.name];
          const ms = declared || Array.from(d.shape);
          const fits = ms.length === x.shape.length && ms.every((v, i) => v < 0 || v === x.shape[i]);
          if (!fits) throw new Error(`input ${d.name}: model shape [${ms}], case gives [${x.shape}]`);
          let arr;
          if (x.dtype === 'int64') arr = BigInt64Array.from(x.data, (v) => BigInt(v));
          else if (x.dtype === 'bool') arr = lrt.BoolArray.from(x.data, (v) => (v ? 1 : 0));
          else if (CTORS[x.dtype]) arr = CTORS[x.dtype].from(x.data, Number);
          else throw new Error(`cannot feed dtype ${x.dtype}`);
          tensors.push(new lrt.Tensor(arr, x.shape));
        }
        const outDetails = runner.getOutputDetails();
        const outs = await runner.run(tensors);
        if (errors().length) throw new Error(`LiteRT.js run failed: ${errors().join(' | ')}`);
        const outputs = outs.map((t, k) => {
          const data = Array.from(t.toTypedArray(), Number);
          const shape = Array.from(t.type.layout.dimensions);
          t.delete();
          return {name: outDetails[k].name, dtype: outDetails[k].dtype, shape, data};
        });
        results.set(key, {outputs, inputNames: runner.getInputDetails().map((d) => d.name),
                          outputNames: outDetails.map((d) => d.name)});
      } catch (e) {
        results.set(key, {error: e.message.split('\n')[0]});
      } finally {
        for (const t of tensors) t.delete();
      }
    }
    return {keys, results};
  } finally {
    if (model) model.delete();
    cap.restore();
  }
}

// ---- references -------------------------------------------------------------------

// Exact int64 evaluation of a frozen graph (Placeholder, Const, Identity,
// Cast, Add/AddV2/Sub/Mul with broadcasting): TF.js computes int64 as int32.
function bigintEval(graph, feeds, outName) {
  const nodes = new Map(graph.node.map((n) => [n.name, n]));
  const memo = new Map();
  const prod = (s) => s.reduce((a, b) => a * b, 1);
  const big = (v) => BigInt(Math.round(Number(v)));
  function broadcast(a, b, f) {
    const rank = Math.max(a.shape.length, b.shape.length);
    const pad = (s) => [...Array(rank - s.length).fill(1), ...s];
    const sa = pad(a.shape), sb = pad(b.shape);
    const shape = sa.map((d, i) => {
      if (d !== sb[i] && d !== 1 && sb[i] !== 1) throw new Error(`bigint: cannot broadcast [${a.shape}] [${b.shape}]`);
      return Math.max(d, sb[i]);
    });
    const idx = (s, coord) => coord.reduce((acc, c, i) => acc * s[i] + (s[i] === 1 ? 0 : c), 0);
    const values = [];
    for (let flat = 0; flat < prod(shape); flat++) {
      const coord = [];
      let r = flat;
      for (let i = rank - 1; i >= 0; i--) { coord[i] = r % shape[i]; r = Math.floor(r / shape[i]); }
      values.push(f(a.values[idx(sa, coord)], b.values[idx(sb, coord)]));
    }
    return {shape, values};
  }
  const ops = {Add: (x, y) => x + y, AddV2: (x, y) => x + y, Sub: (x, y) => x - y, Mul: (x, y) => x * y};
  function ev(ref) {
    const name = ref.replace(/:0$/, '');
    if (memo.has(name)) return memo.get(name);
    const n = nodes.get(name);
    if (!n) throw new Error(`bigint: no node ${name}`);
    let r;
    if (n.op === 'Placeholder') {
      const f = feeds.find((x) => x.name === name);
      if (!f) throw new Error(`bigint: no feed for ${name}`);
      r = {shape: f.shape, values: f.data.map(big)};
    } else if (n.op === 'Const') {
      const t = gd.tensorValues(n.attr.value.tensor);
      r = {shape: t.shape, values: t.values.map(big)};
    } else if (n.op === 'Identity' || n.op === 'Cast') {
      r = ev(n.input[0]);
    } else if (ops[n.op]) {
      r = broadcast(ev(n.input[0]), ev(n.input[1]), ops[n.op]);
    } else {
      throw new Error(`bigint reference: op ${n.op} not supported`);
    }
    memo.set(name, r);
    return r;
  }
  const r = ev(outName);
  const wrap = (v) => BigInt.asIntN(64, v);   // int64 arithmetic wraps
  return {shape: r.shape, data: r.values.map((v) => Number(wrap(v)))};
}

async function frozenReferences(frozenPath, inputs, outputs) {
  const graph = gd.decodeGraphDef(fs.readFileSync(frozenPath));
  const refs = new Map();
  const viaTfjs = outputs.filter((o) => o.reference !== 'bigint');
  if (viaTfjs.length) {
    const res = await gd.tfjsRun(graph, inputs, viaTfjs.map((o) => o.name));
    res.forEach((r, k) => refs.set(viaTfjs[k].name, {...r, name: viaTfjs[k].name, dtype: viaTfjs[k].dtype}));
  }
  for (const o of outputs.filter((x) => x.reference === 'bigint')) {
    refs.set(o.name, {name: o.name, dtype: o.dtype, ...bigintEval(graph, inputs, o.name)});
  }
  return outputs.map((o) => refs.get(o.name));
}

// ---- checkpoint reader (corpus references only) -------------------------------------
// variables.index is a LevelDB table (blocks of prefix-compressed entries,
// index block located by the 48-byte footer); each entry is a
// BundleEntryProto locating the bytes in a data shard. Uncompressed tables only.

let BundleEntry = null;
function bundleEntryType() {
  if (BundleEntry) return BundleEntry;
  const protobuf = require('protobufjs');
  const root = new protobuf.Root();
  root.resolvePath = (o, t) => (path.isAbsolute(t) ? t : path.join(gd.PROTO_DIR, t));
  root.loadSync(path.join(gd.PROTO_DIR, 'tensorflow/core/protobuf/tensor_bundle.proto'));
  root.resolveAll();
  BundleEntry = root.lookupType('tensorflow.BundleEntryProto');
  return BundleEntry;
}

function readCheckpoint(prefix) {
  const idx = fs.readFileSync(`${prefix}.index`);
  const varint = (b, p) => {
    let v = 0, mul = 1;
    for (;;) {
      const x = b[p.i++];
      v += (x & 0x7f) * mul;
      if (!(x & 0x80)) return v;
      mul *= 128;
    }
  };
  const block = (off, size) => {
    if (idx[off + size] !== 0) throw new Error(`${prefix}.index: compressed blocks are not supported here`);
    const b = idx.subarray(off, off + size);
    const restarts = b.readUInt32LE(b.length - 4);
    const end = b.length - 4 * (restarts + 1);
    const out = [];
    const p = {i: 0};
    let key = Buffer.alloc(0);
    while (p.i < end) {
      const shared = varint(b, p), own = varint(b, p), len = varint(b, p);
      key = Buffer.concat([key.subarray(0, shared), b.subarray(p.i, p.i + own)]);
      p.i += own;
      out.push([key.toString('latin1'), b.subarray(p.i, p.i + len)]);
      p.i += len;
    }
    return out;
  };
  const foot = {i: 0};
  const footer = idx.subarray(idx.length - 48);
  varint(footer, foot); varint(footer, foot);             // metaindex handle
  const io = varint(footer, foot), is = varint(footer, foot);
  const T = bundleEntryType();
  const vars = new Map();
  const shards = new Map();
  for (const [, handle] of block(io, is)) {
    const h = {i: 0};
    const o = varint(handle, h), s = varint(handle, h);
    for (const [key, value] of block(o, s)) {
      if (!key) continue;   // the header
      const e = T.toObject(T.decode(value), {enums: String, longs: Number});
      const C = {DT_FLOAT: Float32Array, DT_INT32: Int32Array, DT_DOUBLE: Float64Array}[e.dtype];
      if (!C) continue;
      const shard = e.shardId || 0;
      const files = fs.readdirSync(path.dirname(prefix))
          .filter((f) => f.startsWith(`${path.basename(prefix)}.data-`)).sort();
      if (!shards.has(shard)) shards.set(shard, fs.readFileSync(path.join(path.dirname(prefix), files[shard])));
      const bytes = new Uint8Array(shards.get(shard).subarray(e.offset || 0, (e.offset || 0) + (e.size || 0)));
      vars.set(key, {shape: ((e.shape && e.shape.dim) || []).map((d) => Number(d.size)),
                     values: Array.from(new C(bytes.buffer), Number)});
    }
  }
  return vars;
}

// ---- generated cases -------------------------------------------------------------

const results = new Results();
const work = tempDir();
const tol = (c) => c.tol ?? 1e-4;

function findCases(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, {withFileTypes: true})) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findCases(p));
    else if (e.name === 'case.json') out.push(dir);
  }
  return out.sort();
}

// Checks the .tflite's signatures against `want` ({key: {inputs, outputs}}
// names), runs each in LiteRT.js and compares with the references.
async function checkConverted(label, tflite, want, extraKeys = []) {
  let defs;
  try {
    defs = readSignatureDefs(fs.readFileSync(tflite));
  } catch (e) {
    results.add(label, 'FAIL', `cannot read the .tflite's SignatureDefs: ${e.message}`);
    return;
  }
  const wantKeys = [...Object.keys(want), ...extraKeys];
  const haveKeys = defs.map((d) => d.key);
  if (!sortedEq(wantKeys, haveKeys)) {
    results.add(`${label}`, 'FAIL', `TFLite signature keys ${JSON.stringify(haveKeys)}, want ` +
                `${JSON.stringify(wantKeys)}`);
  }
  const runs = Object.entries(want).filter(([, s]) => s.inputs).map(([key, s]) => ({key, inputs: s.inputs}));
  let ran;
  try {
    ran = await runSignatures(tflite, runs, defs);
  } catch (e) {
    for (const {key} of runs) results.add(`${label}/${key}`, 'FAIL', e.message.split('\n')[0]);
    return;
  }
  if (!sortedEq(ran.keys, haveKeys)) {
    results.add(label, 'FAIL', `LiteRT.js sees signatures ${JSON.stringify(ran.keys)}, the file has ` +
                `${JSON.stringify(haveKeys)}`);
  }
  for (const [key, s] of Object.entries(want)) {
    const name = `${label}/${key}`;
    const def = defs.find((d) => d.key === key);
    if (!def) {
      results.add(name, 'FAIL', `no TFLite signature '${key}' (have ${JSON.stringify(haveKeys)})`);
      continue;
    }
    const inKeys = s.inputs.map((x) => x.name), outKeys = s.outputs.map((x) => x.name);
    if (!sortedEq(def.inputs, inKeys) || !sortedEq(def.outputs, outKeys)) {
      results.add(name, 'FAIL', `signature names in [${def.inputs}] out [${def.outputs}], want in [${inKeys}] ` +
                  `out [${outKeys}]`);
      continue;
    }
    const badShape = s.inputs.filter((x) => x.signature_shape &&
        JSON.stringify(def.inputShapes[x.name]) !== JSON.stringify(x.signature_shape));
    if (badShape.length) {
      const x = badShape[0];
      results.add(name, 'FAIL', `input ${x.name}: TFLite shape_signature [${def.inputShapes[x.name]}], ` +
                  `the SavedModel declares [${x.signature_shape}]`);
      continue;
    }
    const r = ran.results.get(key);
    if (r.error) {
      results.add(name, 'FAIL', r.error);
      continue;
    }
    let worst = 0, failure = null;
    for (const w of s.outputs) {
      const got = r.outputs.find((o) => o.name === w.name);
      if (!got) {
        failure = `no output '${w.name}' (runtime gives ${r.outputs.map((o) => o.name)})`;
        break;
      }
      const c = w.check ? w.check(got) : compareTensor(got, w, s.tol ?? 1e-4);
      if (!c.ok) {
        failure = c.reason;
        break;
      }
      worst = Math.max(worst, c.maxDiff || 0);
    }
    results.add(name, failure ? 'FAIL' : 'PASS', failure || `max|diff| ${worst.toExponential(2)}`, {maxDiff: worst});
  }
}

async function runGeneratedCase(dir) {
  const c = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8'));
  const label = `gen/${c.name}`;
  const modelDir = path.resolve(dir, c.saved_model_dir);
  const outFile = path.join(work, `${c.name.replace(/\//g, '_')}.tflite`);
  const conv = convertSavedModel(modelDir, c.flags, outFile);
  if (c.expect === 'error') {
    const why = checkRejected(conv, {match: c.error_match, contains: c.error_contains});
    results.add(label, why ? 'FAIL' : 'PASS', why || `rejected: ${errorLine(conv.output)}`);
    return;
  }
  if (!conv.ok) {
    results.add(label, 'FAIL', `converter exit ${conv.status}: ${errorLine(conv.output)}`);
    return;
  }
  const want = {};
  for (const [key, s] of Object.entries(c.signatures)) {
    try {
      const refs = await frozenReferences(path.join(dir, s.frozen_graph), s.inputs, s.outputs);
      refs.forEach((r, k) => {
        if (JSON.stringify(r.shape) !== JSON.stringify(s.outputs[k].shape)) {
          throw new Error(`reference ${r.name} has shape [${r.shape}], case says [${s.outputs[k].shape}]`);
        }
      });
      want[key] = {inputs: s.inputs, outputs: refs, tol: tol(c)};
    } catch (e) {
      results.add(`${label}/${key}`, 'FAIL', `reference: ${e.message.split('\n')[0]}`);
    }
  }
  await checkConverted(label, outFile, want);
}

// ---- corpus ------------------------------------------------------------------------
// Per model: `pass` signatures are converted together and must match;
// `flex` ones (unknown-rank inputs, constant outputs) are converted alone and
// may either convert (then they must match) or be rejected with an error naming
// the signature; `fail` ones are converted alone and must be rejected with an
// error naming the signature and the op.

// signature_shape: the SavedModel's declared input shape, which the .tflite
// input's shape_signature must keep (-1 = dynamic; fed as 1, see RunSpec in
// tests/saved_model/make_saved_models.cc).
const f32 = (name, shape, data, signature_shape) =>
  ({name, dtype: 'float32', shape, data: data.map(Math.fround), ...(signature_shape ? {signature_shape} : {})});
const i32 = (name, shape, data) => ({name, dtype: 'int32', shape, data});
const sig = (inputs, outputs, extra = {}) => ({inputs, outputs, ...extra});
const EXAMPLE_OPS = 'ParseExample|ParseExampleV2';

function corpusModels() {
  const C = (...p) => path.join(corpusDir, ...p);
  const models = [];
  const tfjs = (m) => C('tfjs_node_saved_models', m);
  models.push({
    name: 'serving_saved_model_half_plus_two_tf2_cpu', dir: C('serving_saved_model_half_plus_two_tf2_cpu/00000123'),
    note: 'y = 0.5x+2, x2 -> 0.5x+3 (c); tf.Example signatures use ParseExampleV2',
    pass: {
      serving_default: sig([f32('x', [1], [3], [1])], [f32('y', [1], [3.5])]),
      regress_x2_to_y3: sig([f32('inputs', [1], [4])], [f32('outputs', [1], [5])]),
      classify_x2_to_y3: sig([f32('inputs', [1], [-2])], [f32('scores', [1], [2])]),
    },
    fail: {classify_x_to_y: EXAMPLE_OPS, regress_x_to_y: EXAMPLE_OPS, regress_x_to_y2: EXAMPLE_OPS},
  });
  models.push({
    name: 'serving_saved_model_half_plus_two_cpu', dir: C('serving_saved_model_half_plus_two_cpu/00000123'),
    note: 'TF1 (snappy checkpoint index): y = 0.5x+2, y3 = 0.5x2+3',
    pass: {
      serving_default: sig([f32('x', [1, 1], [5], [-1, 1])], [f32('y', [1, 1], [4.5])]),
      regress_x2_to_y3: sig([f32('inputs', [1, 1], [4], [-1, 1])], [f32('outputs', [1, 1], [5])]),
    },
    fail: {classify_x_to_y: EXAMPLE_OPS, regress_x_to_y: EXAMPLE_OPS, regress_x_to_y2: EXAMPLE_OPS},
  });
  models.push({
    name: 'serving_saved_model_half_plus_two_mkl', dir: C('serving_saved_model_half_plus_two_mkl/00000123'),
    note: 'TF1 + resource variables; a conv of zeros (bias 0) is added: y = 0.5x+2, y3 = 0.5x2+3 over [1,10,10,1]',
    pass: {
      serving_default: sig([f32('x', [1, 1], [3], [-1, 1])], [f32('y', [1, 1], [3.5])]),
      regress_x2_to_y3: sig([f32('inputs', [1, 1], [2], [-1, 1])],
                            [f32('outputs', [1, 10, 10, 1], Array(100).fill(4))]),
    },
    fail: {classify_x_to_y: EXAMPLE_OPS, regress_x_to_y: EXAMPLE_OPS, regress_x_to_y2: EXAMPLE_OPS},
  });
  models.push({
    name: 'serving_saved_model_half_plus_three', dir: C('serving_saved_model_half_plus_three/00000123'),
    note: 'TF1, x of unknown rank: y = 0.5x+3',
    flex: {serving_default: sig([f32('x', [1, 1], [5])], [f32('y', [1, 1], [5.5])])},
    fail: {'tensorflow/serving/regress': EXAMPLE_OPS},
  });
  models.push({
    name: 'serving_matrix_half_plus_two', dir: C('serving_matrix_half_plus_two/1'),
    note: 'no variables/ folder; y = 0.5x+2 elementwise',
    pass: {serving_default: sig([f32('x', [1, 3, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8], [-1, 3, 3])],
                                [f32('y', [1, 3, 3], [2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6])])},
  });
  models.push({
    name: 'serving_saved_model_counter', dir: C('serving_saved_model_counter/00000123'),
    note: 'stateful counter (VariableV2 + Assign/AssignAdd); get_counter only reads it (saved value 0)',
    flex: {get_counter: sig([], [f32('output', [], [0])])},
    fail: {incr_counter: 'AssignAdd', incr_counter_by: 'AssignAdd', reset_counter: 'Assign'},
  });
  models.push({
    name: 'tf2onnx_regression', dir: C('tf2onnx_regression/saved_model'),
    note: 'TF1, X of unknown rank: pred = W*X + b, X=5 -> 2.1193342 (MANIFEST)',
    flex: {serving_default: sig([f32('X', [1], [5])], [f32('pred', [1], [2.1193342])])},
  });
  models.push({
    name: 'tf2onnx_saved_model_with_redundant_inputs', dir: C('tf2onnx_saved_model_with_redundant_inputs'),
    note: 'z = x + 1; input y is unused but stays a signature input',
    pass: {serving_default: sig([f32('x', [1, 10], [...Array(10).keys()]), f32('y', [1, 10], Array(10).fill(7))],
                                [f32('z', [1, 10], [...Array(10).keys()].map((v) => v + 1))])},
  });
  models.push({
    name: 'tfexamples_saved_model_v2_mini', dir: C('tfexamples_saved_model_v2_mini'),
    note: 'x of unknown rank: output_0 = x + 1 (stateless PartitionedCall)',
    flex: {serving_default: sig([f32('x', [2], [1, 2])], [f32('output_0', [2], [2, 3])])},
  });
  models.push({
    name: 'tfjava_saved_model_using_python', dir: C('tfjava_saved_model_using_python/model'),
    note: 'unknown-rank signatures: add(a,b)=a+b; get_const_* = captured zeros + input; get_variable = 2.0',
    flex: {
      add: sig([f32('a', [2], [1, 2]), f32('b', [2], [10, 20])], [f32('output_0', [2], [11, 22])]),
      get_const_scalar: sig([f32('input', [3], [1, 2, 3])], [f32('output_0', [3], [1, 2, 3])]),
      get_const_vector: sig([f32('input', [3], [1, 2, 3])], [f32('output_0', [3], [1, 2, 3])]),
      get_const_matrix: sig([f32('input', [2, 3], [1, 2, 3, 4, 5, 6])], [f32('output_0', [2, 3], [1, 2, 3, 4, 5, 6])]),
      get_variable: sig([f32('dummy', [1], [0])], [f32('output_0', [], [2])]),
    },
  });
  models.push({name: 'tfjs_node/times_three_float', dir: tfjs('times_three_float'), note: 'x*3 (v=3)',
               pass: {serving_default: sig([f32('x', [], [4])], [f32('output_0', [], [12])])}});
  models.push({name: 'tfjs_node/times_two_int', dir: tfjs('times_two_int'), note: 'int32 x*2',
               pass: {serving_default: sig([i32('x', [], [7])], [i32('output_0', [], [14])])}});
  models.push({name: 'tfjs_node/int64_multiply', dir: tfjs('int64_multiply'), note: 'int64 x*v1*v2 = 6x',
               pass: {serving_default: sig([{name: 'x', dtype: 'int64', shape: [2], data: [3, -1500000000]}],
                                           [{name: 'output_0', dtype: 'int64', shape: [2], data: [18, -9000000000]}])}});
  models.push({name: 'tfjs_node/uint8_multiply', dir: tfjs('uint8_multiply'), note: 'int32(x uint8)*3*2',
               pass: {serving_default: sig([{name: 'x', dtype: 'uint8', shape: [1], data: [7]}],
                                           [i32('output_0', [1], [42])])}});
  models.push({name: 'tfjs_node/model_multi_output', dir: tfjs('model_multi_output'), note: '(x*2, y)',
               pass: {serving_default: sig([i32('x', [], [5]), i32('y', [], [9])],
                                           [i32('output_0', [], [10]), i32('output_1', [], [9])])}});
  models.push({name: 'tfjs_node/model_single_input_multi_output', dir: tfjs('model_single_input_multi_output'),
               note: '(x*2, x)', pass: {serving_default: sig([i32('x', [], [5])],
                                                             [i32('output_0', [], [10]), i32('output_1', [], [5])])}});
  models.push({name: 'tfjs_node/module_with_multiple_signatures', dir: tfjs('module_with_multiple_signatures'),
               note: '__call__: x*v (3); timestwo: x*two (2)',
               pass: {serving_default: sig([f32('x', [], [1.5])], [f32('output_0', [], [4.5])]),
                      timestwo: sig([f32('x', [], [1.5])], [f32('output_0', [], [3])])}});
  {
    // Keras Sequential Dense(5,relu) -> Dense(5,relu) -> Dense(1,sigmoid);
    // weights from the checkpoint (layer_with_weights-N/{kernel,bias}).
    const dir = C('tfrust_keras_single_input_saved_model');
    const x = [0.1, 0.2, 0.3, 0.4, 0.5];
    let want = null, note = '';
    try {
      const ck = readCheckpoint(path.join(dir, 'variables/variables'));
      const layer = (n) => [ck.get(`layer_with_weights-${n}/kernel/.ATTRIBUTES/VARIABLE_VALUE`),
                            ck.get(`layer_with_weights-${n}/bias/.ATTRIBUTES/VARIABLE_VALUE`)];
      const dense = (rows, [k, b], act) => rows.map((row) => {
        const [nin, nout] = k.shape;
        return Array.from({length: nout}, (_, j) => {
          let s = b.values[j];
          for (let i = 0; i < nin; i++) s += row[i] * k.values[i * nout + j];
          return act(s);
        });
      });
      const relu = (v) => Math.max(0, v), sigmoid = (v) => 1 / (1 + Math.exp(-v));
      let h = [x];
      h = dense(dense(dense(h, layer(0), relu), layer(1), relu), layer(2), sigmoid);
      want = [f32('test_out', [1, 1], h.flat())];
    } catch (e) {
      note = `reference unavailable: ${e.message}`;
    }
    models.push({name: 'tfrust_keras_single_input_saved_model', dir,
                 note: note || 'reference from the checkpoint weights (relu, relu, sigmoid)',
                 pass: want ? {serving_default: sig([f32('test_in_input', [1, 5], x, [-1, 5])], want)} : {},
                 skip: want ? null : note});
  }
  {
    const dir = C('tfrust_regression_savedmodel');
    let pass = {}, note = 'w and b return their variables; train updates them (must fail)';
    try {
      const ck = readCheckpoint(path.join(dir, 'variables/variables'));
      const v = (k) => ck.get(`${k}/.ATTRIBUTES/VARIABLE_VALUE`);
      pass = {w: sig([], [f32('output', v('w').shape, v('w').values)]),
              b: sig([], [f32('output', v('b').shape, v('b').values)])};
    } catch (e) {
      note = `reference unavailable: ${e.message}`;
    }
    models.push({name: 'tfrust_regression_savedmodel', dir, note, pass,
                 fail: {train: 'ResourceApplyGradientDescent|AssignAddVariableOp|AssignSubVariableOp|AssignVariableOp'}});
  }
  models.push({
    name: 'litert_python_testdata/control_flow_v1_saved_model', dir: C('litert_python_testdata/control_flow_v1_saved_model'),
    note: 'TF1 control flow (Merge/Switch) must be rejected',
    fail: {serving_default: 'Merge|Switch|control flow'},
  });
  return models;
}

async function runCorpusModel(m) {
  const label = `corpus/${m.name}`;
  if (!fs.existsSync(m.dir)) {
    results.add(label, 'SKIP', `${path.relative(corpusDir, m.dir)} not in the corpus`);
    return;
  }
  if (m.skip) {
    results.add(label, 'SKIP', m.skip);
    return;
  }
  const base = m.name.replace(/\//g, '_');
  const pass = m.pass || {};
  if (Object.keys(pass).length) {
    // All convertible signatures in one file, one TFLite signature each.
    const out = path.join(work, `${base}.tflite`);
    const conv = convertSavedModel(m.dir, [`--saved_model_signature_key=${Object.keys(pass).join(',')}`], out);
    if (!conv.ok) {
      results.add(label, 'FAIL', `converter exit ${conv.status}: ${errorLine(conv.output)}`);
    } else {
      await checkConverted(label, out, pass);
    }
  }
  for (const [key, s] of Object.entries(m.flex || {})) {
    const out = path.join(work, `${base}.${key.replace(/\//g, '_')}.tflite`);
    const conv = convertSavedModel(m.dir, [`--saved_model_signature_key=${key}`], out);
    if (conv.ok) {
      await checkConverted(label, out, {[key]: s});
    } else {
      const why = checkRejected(conv, {contains: [key]});
      results.add(`${label}/${key}`, why ? 'FAIL' : 'PASS', why || `rejected (allowed): ${errorLine(conv.output)}`);
    }
  }
  for (const [key, op] of Object.entries(m.fail || {})) {
    const out = path.join(work, `${base}.${key.replace(/\//g, '_')}.tflite`);
    const conv = convertSavedModel(m.dir, [`--saved_model_signature_key=${key}`], out);
    const why = checkRejected(conv, {match: op, contains: [key]});
    results.add(`${label}/${key}`, why ? 'FAIL' : 'PASS', why || `rejected: ${errorLine(conv.output)}`);
  }
}

// ---- main -------------------------------------------------------------------------

if (opts.cases) {
  const root = path.resolve(opts.cases);
  if (!fs.existsSync(root)) {
    console.error(`no cases folder ${root} (make it with: make_saved_models ${opts.cases})`);
    process.exit(2);
  }
  for (const dir of findCases(root)) {
    if (!wanted(`gen/${path.relative(root, dir)}`)) continue;
    await runGeneratedCase(dir);
  }
}
if (!opts['no-corpus']) {
  if (!fs.existsSync(corpusDir)) {
    console.log(`SKIP: corpus not found (${corpusDir})`);
  } else {
    for (const m of corpusModels()) {
      if (wanted(`corpus/${m.name}`)) await runCorpusModel(m);
    }
  }
}
if (opts.keep) console.log(`converted models kept in ${work}`);
else fs.rmSync(work, {recursive: true, force: true});
process.exit(results.summary(opts.json));
