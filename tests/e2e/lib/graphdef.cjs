// Frozen GraphDef helpers shared by the generator and the corpus suite:
//  - GraphDef encode/decode with the PROJECT's own .proto files (repo proto/),
//    so the test data is written with the same schema the converter parses;
//  - a small builder for hand-written graphs (attrs as TF writes them);
//  - tfjsRun(): execute a GraphDef with TensorFlow.js (tfjs-converter, cpu
//    backend), an independent implementation of TF's op semantics.
'use strict';
const fs = require('fs');
const path = require('path');
const protobuf = require('protobufjs');

const PROTO_DIR = path.resolve(__dirname, '../../../proto');

let GraphDef = null;
function graphDefType() {
  if (GraphDef) return GraphDef;
  const file = path.join(PROTO_DIR, 'tensorflow/core/framework/graph.proto');
  if (!fs.existsSync(file)) throw new Error(`missing ${file}`);
  const root = new protobuf.Root();
  // Imports are written "tensorflow/core/framework/x.proto": resolve from PROTO_DIR.
  root.resolvePath = (origin, target) =>
    path.isAbsolute(target) ? target : path.join(PROTO_DIR, target);
  root.loadSync(file);
  root.resolveAll();
  GraphDef = root.lookupType('tensorflow.GraphDef');
  return GraphDef;
}

// GraphDef bytes <-> plain object (camelCase fields, enums as names, bytes as
// Buffer, int64 as Number).
function decodeGraphDef(bytes) {
  const T = graphDefType();
  return T.toObject(T.decode(bytes), {enums: String, longs: Number, bytes: Buffer});
}
function encodeGraphDef(obj) {
  const T = graphDefType();
  const msg = T.fromObject(obj);
  const err = T.verify(msg);
  if (err) throw new Error(`GraphDef: ${err}`);
  return Buffer.from(T.encode(msg).finish());
}

// ---- dtypes --------------------------------------------------------------
const DT = {float32: 'DT_FLOAT', int32: 'DT_INT32', int64: 'DT_INT64', bool: 'DT_BOOL',
            float64: 'DT_DOUBLE', uint8: 'DT_UINT8', int8: 'DT_INT8', int16: 'DT_INT16'};
const FROM_DT = Object.fromEntries(Object.entries(DT).map(([k, v]) => [v, k]));

// ---- attr helpers (AttrValue objects) ---------------------------------------
const A = {
  type: (dtype) => ({type: DT[dtype]}),
  types: (dtypes) => ({list: {type: dtypes.map((d) => DT[d])}}),
  i: (v) => ({i: v}),
  f: (v) => ({f: v}),
  b: (v) => ({b: v}),
  s: (v) => ({s: Buffer.from(v)}),
  ints: (v) => ({list: {i: v}}),
  shape: (dims) => ({shape: shapeProto(dims)}),
};
function shapeProto(dims) {
  if (dims == null) return {unknownRank: true};
  return {dim: dims.map((d) => ({size: d}))};
}

// TensorProto for a Const. Small tensors use the typed *_val fields and big
// ones tensor_content, as TF itself writes them.
function tensorProto(dtype, shape, values) {
  const t = {dtype: DT[dtype], tensorShape: shapeProto(shape)};
  const n = shape.reduce((a, b) => a * b, 1);
  if (values.length !== n) throw new Error(`const: ${values.length} values for shape [${shape}]`);
  if (n <= 4 || dtype === 'bool') {
    const field = {float32: 'floatVal', int32: 'intVal', int64: 'int64Val', bool: 'boolVal',
                   float64: 'doubleVal'}[dtype];
    t[field] = Array.from(values, dtype === 'bool' ? Boolean : Number);
  } else {
    const C = {float32: Float32Array, int32: Int32Array, float64: Float64Array}[dtype];
    const arr = dtype === 'int64' ? BigInt64Array.from(values, (v) => BigInt(v)) : C.from(values);
    t.tensorContent = Buffer.from(arr.buffer);
  }
  return t;
}

// TensorProto -> {dtype, shape, values(Array)} following TF's rules:
// tensor_content, else *_val with the last value repeated to fill the shape.
function tensorValues(t) {
  const dtype = FROM_DT[t.dtype];
  const shape = ((t.tensorShape && t.tensorShape.dim) || []).map((d) => Number(d.size));
  const n = shape.reduce((a, b) => a * b, 1);
  const content = t.tensorContent;
  let values;
  if (content && content.length) {
    const buf = Buffer.from(content);
    const C = {float32: Float32Array, int32: Int32Array, int64: BigInt64Array,
               float64: Float64Array, bool: Uint8Array, uint8: Uint8Array,
               int8: Int8Array, int16: Int16Array}[dtype];
    if (!C) throw new Error(`Const dtype ${t.dtype} not supported`);
    const copy = new Uint8Array(buf);   // aligned copy
    values = Array.from(new C(copy.buffer, 0, n), Number);
  } else {
    const field = {float32: 'floatVal', int32: 'intVal', int64: 'int64Val', bool: 'boolVal',
                   float64: 'doubleVal', uint8: 'intVal', int8: 'intVal', int16: 'intVal'}[dtype];
    const vals = (t[field] || []).map(Number);
    values = Array.from({length: n}, (_, i) => (vals.length ? vals[Math.min(i, vals.length - 1)] : 0));
  }
  return {dtype, shape, values};
}

// ---- builder ----------------------------------------------------------------
class Graph {
  constructor() { this.node = []; }
  add(op, name, inputs = [], attr = {}) {
    if (this.node.some((n) => n.name === name)) throw new Error(`duplicate node ${name}`);
    this.node.push({name, op, input: inputs, attr});
    return name;
  }
  placeholder(name, dtype, shape) {
    return this.add('Placeholder', name, [], {dtype: A.type(dtype), shape: A.shape(shape)});
  }
  const(name, dtype, shape, values) {
    return this.add('Const', name, [], {dtype: A.type(dtype),
                                        value: {tensor: tensorProto(dtype, shape, values)}});
  }
  toObject() { return {node: this.node, versions: {producer: 1205, minConsumer: 0}}; }
  encode() { return encodeGraphDef(this.toObject()); }
}

// Deterministic pseudo-random numbers (mulberry32).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- TensorFlow.js reference executor ---------------------------------------
let tf = null;
function loadTfjs() {
  if (tf) return tf;
  tf = require('@tensorflow/tfjs-core');
  require('@tensorflow/tfjs-backend-cpu');
  tf.env().set('PROD', true);   // silences tfjs's console advice (tfjs-node, execute())
  tf.converter = require('@tensorflow/tfjs-converter');
  return tf;
}

// Executes a decoded GraphDef (see decodeGraphDef) with tfjs-converter.
//   feeds:  [{name, dtype, shape, data}] (name may end in ':0')
//   outputs: tensor names ('node' or 'node:1')
//   rename: {TfOp: 'TfjsOp'} ops to substitute for tfjs only (same semantics)
// Returns [{name, dtype, shape, data}]. tfjs has no int64: int64 tensors are
// computed as int32 (callers keep TF's dtype in the case file).
async function tfjsRun(gd, feeds, outputs, rename = {}) {
  loadTfjs();
  await tf.setBackend('cpu');
  const weightSpecs = [];
  const chunks = [];
  const nodes = gd.node.map((n) => {
    const node = {...n, op: rename[n.op] || n.op, attr: {}};
    for (const [k, v] of Object.entries(n.attr || {})) node.attr[k] = jsonAttr(v);
    if (n.op === 'Const') {
      // tfjs takes Const values from the weights manifest.
      const {dtype, shape, values} = tensorValues(n.attr.value.tensor);
      const jsDtype = {float32: 'float32', float64: 'float32', int32: 'int32',
                       int64: 'int32', bool: 'bool'}[dtype];
      if (!jsDtype) throw new Error(`tfjs: Const ${n.name} has dtype ${dtype}`);
      const C = {float32: Float32Array, int32: Int32Array, bool: Uint8Array}[jsDtype];
      const arr = C.from(values);
      weightSpecs.push({name: n.name, dtype: jsDtype, shape});
      chunks.push(Buffer.from(arr.buffer));
      node.attr.value = {tensor: {dtype: n.attr.value.tensor.dtype,
                                  tensorShape: jsonShape(n.attr.value.tensor.tensorShape)}};
    }
    return node;
  });
  const wd = Buffer.concat(chunks);
  const model = await tf.converter.loadGraphModel(tf.io.fromMemory({
    modelTopology: {node: nodes, versions: gd.versions || {producer: 1}},
    weightSpecs,
    weightData: wd.buffer.slice(wd.byteOffset, wd.byteOffset + wd.byteLength)}));
  const feedDict = {};
  for (const x of feeds) {
    const dtype = x.dtype === 'int64' ? 'int32' : x.dtype === 'float64' ? 'float32' : x.dtype;
    feedDict[x.name.replace(/:0$/, '')] = tf.tensor(x.data, x.shape, dtype);
  }
  const names = outputs.map((o) => o.replace(/:0$/, ''));
  let res;
  try {
    res = [].concat(model.execute(feedDict, names));
  } catch (e) {             // graphs with dynamic ops need the async executor
    if (!/executeAsync/.test(e.message)) throw e;
    res = [].concat(await model.executeAsync(feedDict, names));
  }
  const out = [];
  for (let k = 0; k < res.length; k++) {
    out.push({name: outputs[k], dtype: res[k].dtype, shape: res[k].shape,
              data: Array.from(await res[k].data(), Number)});
  }
  tf.dispose(res);
  tf.dispose(Object.values(feedDict));
  model.dispose();
  return out;
}

// protobufjs object -> the proto3-JSON form tfjs reads (bytes as base64).
function jsonAttr(v) {
  return JSON.parse(JSON.stringify(v, (k, x) => {
    if (x && x.type === 'Buffer' && Array.isArray(x.data)) return Buffer.from(x.data).toString('base64');
    return x;
  }));
}
const jsonShape = (s) => jsonAttr(s || {});

module.exports = {PROTO_DIR, graphDefType, decodeGraphDef, encodeGraphDef, Graph, A,
                  DT, FROM_DT, tensorProto, tensorValues, tfjsRun, loadTfjs, rng};
