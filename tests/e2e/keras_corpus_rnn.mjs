// Keras sequence-layer corpus suite: converts the recurrent Keras models in
// ../shared/corpus with tflite_convert and runs them in LiteRT.js.
//   * dl4j_keras_examples/*/*_model.h5: every sample of the matching
//     *_inputs_and_outputs.h5 against Keras' own /predictions/* (its
//     /outputs/* are the training targets when /predictions exists; a file
//     with only /outputs gets the NumPy reference below on its inputs);
//   * dl4j_keras_layers Embedding/LSTM/Bidirectional files: no stored
//     outputs, so a small NumPy forward pass of the Keras 2 formulas (run by
//     Debian's python3) is the reference;
//   * dl4j_tfkeras_h5 rnn_0 (SimpleRNN), rnn_101 (Bidirectional LSTM), rnn_126,
//     misc_0 (Embedding): the NumPy reference too;
//   * synthetic Keras-2-layout H5 files written here with h5py (GRU with and
//     without reset_after, SimpleRNN, go_backwards, TimeDistributed(Dense),
//     Bidirectional sum/ave/mul/concat, Embedding+GRU, LSTM last step and
//     unknown sequence length (run with length 1: runtime2 cannot resize)):
//     the NumPy reference;
//   * keras3_stock_lstm (.keras, no stored outputs): the NumPy reference with
//     the weights read from its model.weights.h5.
// Runtime: a .tflite with variable tensors (UNIDIRECTIONAL_SEQUENCE_LSTM
// state) runs in the second runtime (runtime2/, @tensorflow/tfjs-tflite),
// which LiteRT.js cannot load; the rest in LiteRT.js. The official
// tflm_mnist_lstm_reference/trained_lstm.tflite (no source model) runs in
// runtime2 as a smoke test of that harness.
// Floats pass when max|ours-ref| <= 1e-5 * max(1, max|ref|).
// usage: node keras_corpus_rnn.mjs [--converter PATH] [--filter substr]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execFileSync, spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {createRequire} from 'node:module';
import {runModel as runLiteRt} from './lib/litert.mjs';
const runtime2 = createRequire(import.meta.url)('./runtime2/run.cjs');

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = path.resolve(here, '../../../shared/corpus');
const args = process.argv.slice(2);
const opt = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const converter = path.resolve(opt('--converter', path.resolve(here, '../../build/tflite_convert')));
const filter = opt('--filter', '');
const TOL = 1e-5;
if (!fs.existsSync(corpus)) {
  console.log('SKIP: ../shared/corpus not found');
  process.exit(0);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'krnn-e2e-'));
const python = '/usr/bin/python3';

// Python helpers: reads H5 datasets / the model config, and the NumPy
// reference for the dl4j_keras_layers files.
const PY = String.raw`
import sys, json, h5py, numpy as np
cmd, path = sys.argv[1], sys.argv[2]
def ds(g):
    out = []
    for k in sorted(g.keys()):
        a = np.asarray(g[k], dtype=np.float64)
        out.append({'name': k, 'shape': list(a.shape), 'data': a.reshape(-1).tolist()})
    return out
def batch_shape(cfg):
    if isinstance(cfg, dict):
        for k in ('batch_input_shape', 'batch_shape'):
            if k in cfg and isinstance(cfg[k], list): return cfg[k]
        for v in cfg.values():
            r = batch_shape(v)
            if r is not None: return r
    if isinstance(cfg, list):
        for v in cfg:
            r = batch_shape(v)
            if r is not None: return r
    return None
if cmd == 'synth':
    # Writes small Keras-2-layout H5 models (config + weight_names) to the given dir.
    import os
    rng = np.random.RandomState(11)
    def rnn(cls, units, **kw):
        c = {'name': kw.pop('name'), 'units': units, 'activation': kw.pop('activation', 'tanh'),
             'recurrent_activation': kw.pop('recurrent_activation', 'sigmoid'), 'use_bias': True,
             'return_sequences': False, 'return_state': False, 'go_backwards': False, 'stateful': False}
        c.update(kw)
        return {'class_name': cls, 'config': c}
    def rnn_w(cls, c, fin):
        g = {'LSTM': 4, 'GRU': 3, 'SimpleRNN': 1}[cls]; u = c['units']
        b = rng.uniform(-.5, .5, (2, g * u) if cls == 'GRU' and c.get('reset_after') else (g * u,))
        return [('kernel', rng.uniform(-.5, .5, (fin, g * u))), ('recurrent_kernel', rng.uniform(-.5, .5, (u, g * u))), ('bias', b)]
    T, I = 5, 3
    models = {
      'gru_reset_after_seq': [rnn('GRU', 4, name='g', reset_after=True, return_sequences=True)],
      'gru_v1_backwards_hard': [rnn('GRU', 4, name='g', reset_after=False, go_backwards=True, recurrent_activation='hard_sigmoid')],
      'simple_rnn_relu_backwards_seq': [rnn('SimpleRNN', 4, name='s', activation='relu', go_backwards=True, return_sequences=True)],
      'lstm_backwards_seq_time_distributed': [rnn('LSTM', 4, name='l', go_backwards=True, return_sequences=True),
          {'class_name': 'TimeDistributed', 'config': {'name': 'td', 'layer': {'class_name': 'Dense', 'config': {'name': 'd', 'units': 2, 'activation': 'linear', 'use_bias': True}}}}],
      'bidirectional_gru_sum_seq': [{'class_name': 'Bidirectional', 'config': {'name': 'bi', 'merge_mode': 'sum', 'layer': rnn('GRU', 4, name='g', reset_after=True, return_sequences=True)}}],
      'bidirectional_simple_rnn_ave': [{'class_name': 'Bidirectional', 'config': {'name': 'bi', 'merge_mode': 'ave', 'layer': rnn('SimpleRNN', 4, name='s')}}],
      'bidirectional_lstm_mul_seq': [{'class_name': 'Bidirectional', 'config': {'name': 'bi', 'merge_mode': 'mul', 'layer': rnn('LSTM', 3, name='l', return_sequences=True)}}],
      'lstm_last_step': [rnn('LSTM', 4, name='l')],
      'lstm_backwards_last_step': [rnn('LSTM', 4, name='l', go_backwards=True)],
      'bidirectional_lstm_concat': [{'class_name': 'Bidirectional', 'config': {'name': 'bi', 'merge_mode': 'concat', 'layer': rnn('LSTM', 3, name='l')}}],
      'lstm_unknown_length': [rnn('LSTM', 4, name='l', return_sequences=True)],
      # weights of 32x32 elements: converted with --optimizations=DEFAULT (hybrid LSTM)
      'lstm_dynamic_range': [rnn('LSTM', 32, name='l', return_sequences=True)],
      'embedding_gru_v1': [{'class_name': 'Embedding', 'config': {'name': 'e', 'input_dim': 7, 'output_dim': I, 'dtype': 'float32'}},
          rnn('GRU', 4, name='g', reset_after=False, return_sequences=True)],
    }
    out = []
    for name, layers in models.items():
        emb = layers[0]['class_name'] == 'Embedding'
        feat = 32 if 'dynamic_range' in name else I
        layers[0]['config']['batch_input_shape'] = [None, T] if emb else [None, None if 'unknown_length' in name else T, feat]
        layers[0]['config']['dtype'] = 'float32'
        fn = os.path.join(path, name + '.h5')
        f = h5py.File(fn, 'w')
        f.attrs['model_config'] = json.dumps({'class_name': 'Sequential', 'config': layers})
        f.attrs['keras_version'] = '2.2.4'; f.attrs['backend'] = 'tensorflow'
        mw = f.create_group('model_weights')
        mw.attrs['layer_names'] = [l['config']['name'].encode() for l in layers]
        fin = feat
        for l in layers:
            c, cls = l['config'], l['class_name']
            if cls == 'Embedding': ws = [('embeddings', rng.uniform(-1, 1, (c['input_dim'], c['output_dim'])))]
            elif cls == 'TimeDistributed':
                ws = [('kernel', rng.uniform(-1, 1, (fin, c['layer']['config']['units']))), ('bias', rng.uniform(-1, 1, (c['layer']['config']['units'],)))]
            elif cls == 'Bidirectional':
                ic = c['layer']['config']
                ws = [('forward_' + ic['name'] + '/' + n, a) for n, a in rnn_w(c['layer']['class_name'], ic, fin)]
                ws += [('backward_' + ic['name'] + '/' + n, a) for n, a in rnn_w(c['layer']['class_name'], ic, fin)]
            else: ws = rnn_w(cls, c, fin)
            if cls in ('LSTM', 'GRU', 'SimpleRNN'): fin = c['units']
            g = mw.create_group(c['name'])
            names = [(c['name'] + '/' + n + ':0') for n, _ in ws]
            g.attrs['weight_names'] = [n.encode() for n in names]
            for n, (_, a) in zip(names, ws): g.create_dataset(n, data=a.astype(np.float32))
        f.close()
        out.append(fn)
    print(json.dumps(out))
    sys.exit(0)
if cmd == 'io':
    # /outputs holds the training targets where /predictions exists too.
    f = h5py.File(path, 'r')
    print(json.dumps({'inputs': ds(f['inputs']), 'outputs': ds(f['predictions']) if 'predictions' in f else None}))
    sys.exit(0)
if path.endswith('.keras'):
    # Keras 3 zip: config.json + model.weights.h5, layers/<key>/vars and
    # layers/<key>/cell/vars (the keys equal the layer names in our file).
    import zipfile, io
    z = zipfile.ZipFile(path)
    cfg = json.loads(z.read('config.json'))
    f = h5py.File(io.BytesIO(z.read('model.weights.h5')), 'r')
else:
    f = h5py.File(path, 'r')
    cfg = json.loads(f.attrs['model_config'] if isinstance(f.attrs['model_config'], str) else f.attrs['model_config'].decode())
if cmd == 'shape':
    print(json.dumps(batch_shape(cfg)))
    sys.exit(0)
# cmd == 'ref': Keras 2 forward pass of Sequential Embedding/LSTM/Bidirectional.
mw = f['model_weights'] if 'model_weights' in f else f
kv3 = path.endswith('.keras')
def weights(name):
    if path.endswith('.keras'):
        g = f['layers'][name]
        g = g['cell/vars'] if 'cell' in g else g['vars']
        return [np.asarray(g[str(i)], dtype=np.float64) for i in range(len(g.keys()))]
    g = mw[name]
    return [np.asarray(g[n.decode() if isinstance(n, bytes) else n], dtype=np.float64) for n in g.attrs['weight_names']]
hs = (lambda x: np.clip(x / 6 + 0.5, 0, 1)) if kv3 else (lambda x: np.clip(0.2 * x + 0.5, 0, 1))
sg = lambda x: 1 / (1 + np.exp(-x))
acts = {'tanh': np.tanh, 'hard_sigmoid': hs, 'sigmoid': sg, 'linear': lambda x: x, 'relu': lambda x: np.maximum(x, 0)}
def lstm(x, c, w, backwards=False):
    if len(w) == 12:  # Keras 1: W, U, b per gate i, c, f, o
        k = np.concatenate([w[0], w[6], w[3], w[9]], 1)
        r = np.concatenate([w[1], w[7], w[4], w[10]], 1)
        b = np.concatenate([w[2], w[8], w[5], w[11]])
    else:
        k, r, b = w
    u = r.shape[0]
    a = acts[c.get('activation', 'tanh')]
    ra = acts[c.get('recurrent_activation', c.get('inner_activation', 'hard_sigmoid'))]
    h = np.zeros((x.shape[0], u)); cc = np.zeros((x.shape[0], u)); seq = []
    ts = range(x.shape[1])[::-1] if backwards else range(x.shape[1])
    for t in ts:
        z = x[:, t] @ k + b + h @ r
        i, fg, g, o = ra(z[:, :u]), ra(z[:, u:2*u]), a(z[:, 2*u:3*u]), ra(z[:, 3*u:])
        cc = fg * cc + i * g
        h = o * a(cc)
        seq.append(h)
    return np.stack(seq, 1), h
def simple_rnn(x, c, w, backwards=False):
    k, r, b = w
    a = acts[c.get('activation', 'tanh')]
    h = np.zeros((x.shape[0], r.shape[0])); seq = []
    for t in (range(x.shape[1])[::-1] if backwards else range(x.shape[1])):
        h = a(x[:, t] @ k + b + h @ r)
        seq.append(h)
    return np.stack(seq, 1), h
def gru(x, c, w, backwards=False):
    k, r, b = w
    u = r.shape[0]
    a, ra = acts[c.get('activation', 'tanh')], acts[c.get('recurrent_activation', 'hard_sigmoid')]
    bi, br = (b[0], b[1]) if b.ndim == 2 else (b, np.zeros_like(b))
    h = np.zeros((x.shape[0], u)); seq = []
    for t in (range(x.shape[1])[::-1] if backwards else range(x.shape[1])):
        xz = x[:, t] @ k + bi
        if c.get('reset_after'):
            hr = h @ r + br
            z = ra(xz[:, :u] + hr[:, :u]); rr = ra(xz[:, u:2*u] + hr[:, u:2*u])
            hh = a(xz[:, 2*u:] + rr * hr[:, 2*u:])
        else:
            z = ra(xz[:, :u] + h @ r[:, :u]); rr = ra(xz[:, u:2*u] + h @ r[:, u:2*u])
            hh = a(xz[:, 2*u:] + (rr * h) @ r[:, 2*u:])
        h = z * h + (1 - z) * hh
        seq.append(h)
    return np.stack(seq, 1), h
cells = {'LSTM': lstm, 'GRU': gru, 'SimpleRNN': simple_rnn}
layers = cfg['config'] if isinstance(cfg['config'], list) else cfg['config']['layers']
bs = batch_shape(cfg)
rng = np.random.RandomState(7)
# An unknown sequence length is fed as 1: runtime2 cannot resize inputs.
shape = [3] + [d if d is not None else 1 for d in bs[1:]]
first_layer = [l for l in layers if l['class_name'] != 'InputLayer'][0]
first = first_layer['class_name']
if len(sys.argv) > 3:  # the stored inputs
    g = h5py.File(sys.argv[3], 'r')['inputs']
    x = np.asarray(g[sorted(g.keys())[0]], dtype=np.float64)
elif first == 'Embedding':
    x = rng.randint(0, first_layer['config']['input_dim'], size=shape).astype(np.float64)
else:
    x = rng.uniform(-1, 1, size=shape)
inp = x.copy()
for l in layers:
    cls, c = l['class_name'], l['config']
    if cls == 'InputLayer': continue
    if cls == 'Embedding':
        x = weights(c['name'])[0][x.astype(np.int64)]
    elif cls in cells:
        seq, h = cells[cls](x, c, weights(c['name']), c.get('go_backwards', False))
        x = seq if c.get('return_sequences') else h
    elif cls == 'TimeDistributed':
        w = weights(c['name'])
        x = acts[c['layer']['config'].get('activation', 'linear')](x @ w[0] + w[1])
    elif cls == 'Activation':
        x = acts[c['activation']](x)
    elif cls == 'RepeatVector':
        x = np.repeat(x[:, None, :], c['n'], 1)
    elif cls == 'Flatten':
        x = x.reshape(x.shape[0], -1)
    elif cls == 'Dense':
        w = weights(c['name'])
        x = acts[c.get('activation', 'linear')](x @ w[0] + (w[1] if len(w) > 1 else 0))
    elif cls == 'Bidirectional':
        w = weights(c['name']); ic = c['layer']['config']; cell = cells[c['layer']['class_name']]
        sf, hf = cell(x, ic, w[:len(w) // 2]); sb, hb = cell(x, ic, w[len(w) // 2:], True)
        if ic.get('return_sequences'): yf, yb = sf, sb[:, ::-1]
        else: yf, yb = hf, hb
        m = c.get('merge_mode', 'concat')
        x = {'concat': lambda: np.concatenate([yf, yb], -1), 'sum': lambda: yf + yb, 'mul': lambda: yf * yb,
             'ave': lambda: (yf + yb) / 2}[m]()
    else:
        raise SystemExit('no reference for ' + cls)
print(json.dumps({'inputs': [{'name': 'x', 'shape': list(inp.shape), 'data': inp.reshape(-1).tolist()}],
                  'outputs': [{'name': 'y', 'shape': list(x.shape), 'data': x.reshape(-1).tolist()}]}))
`;
const py = (...a) => JSON.parse(execFileSync(python, ['-c', PY, ...a], {maxBuffer: 1 << 28}).toString());

const analyzer = path.join(path.dirname(converter), 'tflite_analyze');
// True when the model has variable tensors (tflite_analyze marks them).
function hasVariables(tfl) {
  if (!fs.existsSync(analyzer)) throw new Error(`${analyzer} not found: build the tflite_analyze target`);
  const r = spawnSync(analyzer, [tfl], {encoding: 'utf8', maxBuffer: 1 << 28});
  if (r.status !== 0) throw new Error(`tflite_analyze failed: ${(r.stderr || '').trim()}`);
  return /type:\w+, variable/.test(r.stdout);
}

function convert(model, name, extra = []) {
  const out = path.join(tmp, name.replace(/[^\w.-]/g, '_') + '.tflite');
  const r = spawnSync(converter, [`--keras_model_file=${model}`, `--output_file=${out}`, ...extra], {encoding: 'utf8'});
  if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`convert failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
  return out;
}

// Runs `feed` (all samples) in chunks of the model's static batch (if any);
// returns the first output's data, concatenated.
async function runAll(tfl, feed, batch, runModel) {
  const n = feed.shape[0];
  const step = batch > 0 ? batch : n;
  const per = feed.data.length / n;
  const data = [];
  let shape = null;
  for (let s = 0; s < n; s += step) {
    if (s + step > n) throw new Error(`${n} samples do not fill batches of ${step}`);
    const {outputs} = await runModel(tfl, [{dtype: 'float32', shape: [step, ...feed.shape.slice(1)],
                                            data: feed.data.slice(s * per, (s + step) * per)}]);
    for (const v of outputs[0].data) data.push(v);
    shape = [n, ...outputs[0].shape.slice(1)];
  }
  return {shape, data};
}

function maxDiff(got, want) {
  if (got.data.length !== want.data.length) throw new Error(`output has ${got.data.length} values, reference ${want.data.length}`);
  let d = 0, m = 0;
  for (let i = 0; i < got.data.length; ++i) {
    if (!Number.isFinite(got.data[i])) throw new Error(`non-finite output at ${i}`);
    d = Math.max(d, Math.abs(got.data[i] - want.data[i]));
    m = Math.max(m, Math.abs(want.data[i]));
  }
  if (m === 0) throw new Error('reference is all zeros');
  return {d, m};
}

const cases = [];
const ex = path.join(corpus, 'dl4j_keras_examples');
if (fs.existsSync(ex)) {
  for (const dir of fs.readdirSync(ex).sort()) {
    const p = path.join(ex, dir);
    if (!fs.statSync(p).isDirectory()) continue;
    for (const f of fs.readdirSync(p).sort().filter((f) => f.endsWith('_model.h5'))) {
      const io = path.join(p, f.replace(/_model\.h5$/, '_inputs_and_outputs.h5'));
      if (fs.existsSync(io)) cases.push({name: `dl4j_keras_examples/${f}`, model: path.join(p, f), io});
    }
  }
}
for (const f of ['embedding_lstm_tensorflow_2.h5', 'lstm_tensorflow_2.h5', 'bidirectional_lstm_tensorflow_2.h5']) {
  const m = path.join(corpus, 'dl4j_keras_layers', f);
  if (fs.existsSync(m)) cases.push({name: `dl4j_keras_layers/${f}`, model: m, numpyRef: true});
}
// tf.keras 2.2.4 layer zoo: the SimpleRNN, Bidirectional(LSTM), LSTM+RepeatVector+LSTM
// and Embedding models. (rnn_150, a hard_sigmoid LSTM over an unknown length,
// becomes a WHILE loop; keras_corpus_tfjs.mjs checks it against TF.js.)
for (const f of ['rnn_0.h5', 'rnn_101.h5', 'rnn_126.h5', 'misc_0.h5']) {
  const m = path.join(corpus, 'dl4j_tfkeras_h5', f);
  if (fs.existsSync(m)) cases.push({name: `dl4j_tfkeras_h5/${f}`, model: m, numpyRef: true});
}
const k3 = path.join(corpus, 'keras3_stock_lstm');
if (fs.existsSync(k3))
  for (const f of fs.readdirSync(k3).filter((f) => f.endsWith('.keras')))
    cases.push({name: `keras3_stock_lstm/${f}`, model: path.join(k3, f), numpyRef: true});

// Synthetic Keras 2 H5 models (GRU both ways, SimpleRNN, go_backwards,
// TimeDistributed, Bidirectional merges), written by h5py into the temp dir.
for (const m of py('synth', tmp)) cases.push({name: `synthetic/${path.basename(m)}`, model: m, numpyRef: true});

let passed = 0, failed = 0, maxAll = 0;
const byRuntime = {'LiteRT.js': 0, runtime2: 0};

// Smoke test of runtime2 on the official UNIDIRECTIONAL_SEQUENCE_LSTM model:
// it must load and give a probability vector for sample digit images.
const tflm = path.join(corpus, 'tflm_mnist_lstm_reference/trained_lstm.tflite');
if (fs.existsSync(tflm) && (!filter || 'tflm_mnist_lstm_reference'.includes(filter))) {
  try {
    const x = Array.from({length: 28 * 28}, (_, i) => ((i * 37) % 255) / 255);
    const {outputs} = await runtime2.runModel(tflm, [{dtype: 'float32', shape: [1, 28, 28], data: x}]);
    const y = outputs[0].data;
    const sum = y.reduce((a, b) => a + b, 0);
    const ok = outputs[0].shape.join() === '1,10' && y.every((v) => v >= 0 && v <= 1) && Math.abs(sum - 1) < 1e-4 &&
        y.some((v) => v !== y[0]);
    console.log(`${ok ? 'PASS' : 'FAIL'} tflm_mnist_lstm_reference/trained_lstm.tflite (runtime2 smoke: softmax sum ${sum.toFixed(6)})`);
    ok ? ++passed : ++failed;
    if (ok) ++byRuntime.runtime2;
  } catch (e) {
    console.log(`FAIL tflm_mnist_lstm_reference/trained_lstm.tflite: ${e.message.split('\n')[0]}`);
    ++failed;
  }
}

for (const c of cases) {
  if (filter && !c.name.includes(filter)) continue;
  try {
    // Dynamic-range cases: int8 weights with the hybrid LSTM kernel (v3);
    // tolerance 5e-2 * max(1, max|ref|), as for the other weight-only checks.
    const dynamic = c.name.includes('dynamic_range');
    const tfl = convert(c.model, c.name, dynamic ? ['--optimizations=DEFAULT'] : []);
    if (dynamic) {
      const text = spawnSync(analyzer, ['--no-buffers', tfl], {encoding: 'utf8'}).stdout || '';
      if (!/UNIDIRECTIONAL_SEQUENCE_LSTM v3/.test(text) || !/type:INT8/.test(text))
        throw new Error('the LSTM did not get int8 weights and its hybrid kernel (v3)');
    }
    let ref = c.io ? py('io', c.io) : py('ref', c.model);
    let refKind = c.io ? 'Keras predictions' : 'NumPy reference';
    if (c.io && !ref.outputs) {  // no stored predictions: NumPy on the stored inputs
      ref = py('ref', c.model, c.io);
      refKind = 'NumPy reference on stored inputs';
    }
    const bshape = py('shape', c.model);
    // A dynamic batch comes out of the converter as 1 (as TF's converter does).
    const batch = bshape && bshape[0] !== null ? bshape[0] : 1;
    const rt = hasVariables(tfl) ? 'runtime2' : 'LiteRT.js';
    const got = await runAll(tfl, ref.inputs[0], batch, rt === 'runtime2' ? runtime2.runModel : runLiteRt);
    const {d, m} = maxDiff(got, ref.outputs[0]);
    const ok = d <= (dynamic ? 5e-2 : TOL) * Math.max(1, m);
    console.log(`${ok ? 'PASS' : 'FAIL'} ${c.name} (${rt}, ${ref.inputs[0].shape[0]} samples vs ${refKind}, max diff ${d.toExponential(2)}, max|ref| ${m.toPrecision(3)})`);
    if (!dynamic) maxAll = Math.max(maxAll, d / Math.max(1, m));
    ok ? ++passed : ++failed;
    if (ok) ++byRuntime[rt];
  } catch (e) {
    console.log(`FAIL ${c.name}: ${e.message.split('\n')[0]}`);
    ++failed;
  }
}
fs.rmSync(tmp, {recursive: true, force: true});
console.log(`${passed} passed, ${failed} failed (LiteRT.js ${byRuntime['LiteRT.js']}, runtime2 ${byRuntime.runtime2}); ` +
            `max diff ${maxAll.toExponential(2)} (relative to max(1, max|ref|))`);
process.exit(failed ? 1 : 0);
