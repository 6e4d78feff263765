// Builds small varied Keras models with TensorFlow.js layers (pure JS, cpu
// backend), gives them deterministic sin()-pattern weights, runs seeded
// inputs through model.predict and saves, per model, OUT/<name>/:
//   model.json  Keras topology JSON exactly as tfjs toJSON writes it
//   layers.json [{layer, class_name, weights:[{name, shape}]}] in layer order
//   weights.bin float32 values of those weights, in that order
//   case.json   {inputs:[{name,dtype,shape,data}], outputs:[...], tol, skip}
// write_keras.py turns each into model.h5 (Keras 2) and model.keras (Keras 3).
//   node tests/keras/tfjs/make_models.cjs OUT_DIR
const fs = require('fs');
const path = require('path');
const NM = path.join(__dirname, '../../e2e/node_modules/');
const tf = require(NM + '@tensorflow/tfjs-core');
require(NM + '@tensorflow/tfjs-backend-cpu');
const tfl = require(NM + '@tensorflow/tfjs-layers');
const L = tfl.layers;

// Orthogonal (the RNN default) needs tfjs' chained ops, absent from the node
// bundle; the weights are overwritten anyway.
const RZ = {recurrentInitializer: 'zeros'};

function seq(layers) {
  const m = tfl.sequential();
  for (const l of layers) m.add(l);
  return m;
}
const dense = (units, extra = {}) => L.dense(Object.assign({units}, extra));

// Each case: build() -> model; inputs: one [dims..., dtype?, vocab?] per input;
// skip: {h5|keras: reason} for a format the model cannot be written in.
const cases = [];
const add = (name, build, inputs, extra = {}) => cases.push(Object.assign({name, build, inputs}, extra));

// One model per activation string (Dense -> Activation).
for (const act of ['linear', 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'tanh', 'softmax', 'swish', 'gelu', 'elu',
                   'selu', 'softplus', 'softsign']) {
  add(`act_${act}`, () => seq([dense(8, {inputShape: [6], name: 'fc'}), L.activation({activation: act, name: 'act'})]),
      [[6]], act === 'hardSigmoid'
          ? {skip: {keras: "Keras 3 redefined 'hard_sigmoid' as relu6(x+3)/6; tfjs computes Keras 2's clip(0.2x+0.5)"}}
          : {});
}
add('dense_dropouts', () => seq([
  dense(10, {inputShape: [7], activation: 'relu', name: 'fc1'}), L.dropout({rate: 0.3, name: 'drop'}),
  L.gaussianNoise({stddev: 0.2, name: 'gnoise'}), L.gaussianDropout({rate: 0.2, name: 'gdrop'}),
  L.alphaDropout({rate: 0.1, name: 'adrop'}), dense(4, {useBias: false, name: 'fc2'})]), [[7]]);
add('activation_layers', () => seq([
  dense(12, {inputShape: [5], name: 'fc'}), L.prelu({name: 'prelu'}), dense(12, {name: 'fc2'}),
  L.elu({name: 'elu'}), L.leakyReLU({alpha: 0.2, name: 'lrelu'}), L.reLU({name: 'relu'}),
  dense(6, {name: 'fc3'}), L.softmax({name: 'smax'})]), [[5]]);
add('relu6_layer', () => seq([dense(8, {inputShape: [4], name: 'fc'}), L.reLU({maxValue: 6, name: 'relu6'})]), [[4]],
    {scaleIn: 6});
add('relu_max_value', () => seq([dense(8, {inputShape: [4], name: 'fc'}), L.reLU({maxValue: 0.5, name: 'rmax'})]), [[4]]);
// Written as ThresholdedReLU in .h5 and as ReLU(threshold) in .keras (Keras 3 dropped the class).
add('relu_threshold', () => seq([dense(8, {inputShape: [4], name: 'fc'}), L.thresholdedReLU({theta: 0.3, name: 'thr'})]),
    [[4]]);
add('cnn_basic', () => seq([
  L.conv2d({inputShape: [10, 10, 3], filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1'}),
  L.batchNormalization({name: 'bn'}), L.maxPooling2d({poolSize: 2, name: 'mp'}),
  L.conv2d({filters: 4, kernelSize: 2, strides: 2, padding: 'valid', name: 'c2'}),
  L.flatten({name: 'flat'}), dense(5, {activation: 'softmax', name: 'out'})]), [[10, 10, 3]]);
add('cnn_depthwise', () => seq([
  L.depthwiseConv2d({inputShape: [9, 9, 4], kernelSize: 3, depthMultiplier: 2, padding: 'same', name: 'dw'}),
  L.separableConv2d({filters: 5, kernelSize: 3, depthMultiplier: 1, padding: 'valid', activation: 'relu', name: 'sep'}),
  L.averagePooling2d({poolSize: 2, strides: 2, padding: 'same', name: 'ap'}),
  L.globalMaxPooling2d({name: 'gmp'})]), [[9, 9, 4]]);
add('cnn_transpose', () => seq([
  L.conv2dTranspose({inputShape: [5, 5, 3], filters: 4, kernelSize: 3, strides: 2, padding: 'same', name: 'ct'}),
  L.cropping2D({cropping: [[1, 0], [0, 2]], name: 'crop'}),
  L.zeroPadding2d({padding: [[1, 2], [0, 1]], name: 'zpad'}),
  L.upSampling2d({size: [2, 1], name: 'up'}),
  L.globalAveragePooling2d({name: 'gap'})]), [[5, 5, 3]]);
add('conv1d_pools', () => {
  const x = tfl.input({shape: [16, 3], name: 'seq_in'});
  let h = L.conv1d({filters: 6, kernelSize: 3, padding: 'same', activation: 'tanh', name: 'c1'}).apply(x);
  h = L.conv1d({filters: 5, kernelSize: 2, strides: 1, dilationRate: 2, padding: 'valid', name: 'c2'}).apply(h);
  h = L.spatialDropout1d({rate: 0.2, name: 'sdrop'}).apply(h);
  const a = L.maxPooling1d({poolSize: 2, name: 'mp'}).apply(h);
  const b = L.averagePooling1d({poolSize: 3, strides: 2, padding: 'same', name: 'ap'}).apply(h);
  const ga = L.globalAveragePooling1d({name: 'gap'}).apply(a);
  const gm = L.globalMaxPooling1d({name: 'gmp'}).apply(b);
  return tfl.model({inputs: x, outputs: [ga, gm]});
}, [[16, 3]]);
add('conv3d', () => seq([
  L.conv3d({inputShape: [5, 6, 6, 2], filters: 3, kernelSize: [2, 3, 3], padding: 'valid', activation: 'relu', name: 'c3'}),
  L.flatten({name: 'flat'}), dense(3, {name: 'fc'})]), [[5, 6, 6, 2]]);
add('layer_norm', () => seq([
  dense(8, {inputShape: [3, 6], name: 'fc'}), L.layerNormalization({epsilon: 1e-3, name: 'ln'})]),
    [[3, 6]]);
add('bn_axis1', () => seq([
  dense(8, {inputShape: [3, 6], name: 'fc'}), L.batchNormalization({axis: 1, name: 'bn_axis1'})]), [[3, 6]]);
add('reshaping', () => seq([
  L.reshape({inputShape: [12], targetShape: [3, 4], name: 'rs'}), L.permute({dims: [2, 1], name: 'perm'}),
  L.flatten({name: 'flat'}), L.repeatVector({n: 3, name: 'rep'}), L.reshape({targetShape: [6, -1], name: 'rs2'})]),
    [[12]]);
add('merge_shared', () => {
  const a = tfl.input({shape: [8], name: 'in_a'});
  const b = tfl.input({shape: [8], name: 'in_b'});
  const shared = dense(6, {activation: 'tanh', name: 'shared'});
  const sa = shared.apply(a), sb = shared.apply(b);
  const add_ = L.add({name: 'add'}).apply([sa, sb]);
  const mul = L.multiply({name: 'mul'}).apply([sa, sb]);
  const avg = L.average({name: 'avg'}).apply([sa, sb, add_]);
  const mx = L.maximum({name: 'max'}).apply([sa, sb]);
  const mn = L.minimum({name: 'min'}).apply([sa, sb]);
  const cat = L.concatenate({axis: -1, name: 'cat'}).apply([add_, mul, avg, mx, mn]);
  const out2 = dense(3, {name: 'head'}).apply(cat);
  return tfl.model({inputs: [a, b], outputs: [cat, out2]});
}, [[8], [8]]);
add('embedding_lstm', () => seq([
  L.embedding({inputDim: 11, outputDim: 4, inputShape: [5], name: 'emb'}),
  L.lstm(Object.assign({units: 6, recurrentActivation: 'sigmoid', name: 'lstm'}, RZ)), dense(2, {name: 'fc'})]),
    [[5, 'int32', 11]]);
add('simple_rnn_seq', () => seq([
  L.simpleRNN(Object.assign({inputShape: [4, 3], units: 5, returnSequences: true, name: 'rnn'}, RZ)),
  L.timeDistributed({layer: dense(2, {name: 'td_fc'}), name: 'td'})]), [[4, 3]]);
add('lstm_states', () => {
  const x = tfl.input({shape: [5, 3], name: 'x'});
  const [y, h, c] = L.lstm(Object.assign({units: 4, returnState: true, returnSequences: true,
                                          recurrentActivation: 'sigmoid', name: 'lstm'}, RZ)).apply(x);
  return tfl.model({inputs: x, outputs: [y, h, c]});
}, [[5, 3]]);
add('gru_backwards', () => seq([
  L.gru(Object.assign({inputShape: [6, 2], units: 4, goBackwards: true, recurrentActivation: 'sigmoid', name: 'gru'}, RZ)),
  dense(2, {name: 'fc'})]), [[6, 2]]);
add('bidi_lstm', () => seq([
  L.bidirectional({inputShape: [4, 3], layer: L.lstm(Object.assign({units: 3, returnSequences: true,
                                                                    recurrentActivation: 'sigmoid', name: 'lstm'}, RZ)),
                   mergeMode: 'concat', name: 'bidi'}),
  L.globalAveragePooling1d({name: 'gap'})]), [[4, 3]]);
add('bidi_gru_sum', () => seq([
  L.bidirectional({inputShape: [5, 2], layer: L.gru(Object.assign({units: 3, recurrentActivation: 'sigmoid',
                                                                   name: 'gru'}, RZ)),
                   mergeMode: 'sum', name: 'bidi'})]), [[5, 2]]);
add('rescaling', () => seq([
  L.rescaling({inputShape: [6], scale: 1 / 127.5, offset: -1, name: 'rescale'}), dense(3, {name: 'fc'})]), [[6]],
    {scaleIn: 127});
add('nested_model', () => {
  const inner = seq([dense(5, {inputShape: [4], activation: 'relu', name: 'inner_fc'}), dense(3, {name: 'inner_fc2'})]);
  inner.name = 'inner';
  const x = tfl.input({shape: [4], name: 'x'});
  const y = dense(2, {name: 'head'}).apply(inner.apply(x));
  return tfl.model({inputs: x, outputs: y});
}, [[4]]);

// Deterministic weights: sin patterns scaled by fan-in; BatchNorm gets
// non-trivial moving statistics (variance kept positive).
function weightValues(className, wname, shape, k) {
  const n = shape.reduce((a, b) => a * b, 1);
  const base = wname.split('/').pop();
  const fan = shape.length >= 2 ? shape.slice(0, -1).reduce((a, b) => a * b, 1) : 1;
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const s = Math.sin(0.7 * i + 1.3 * k + 0.5);
    if (base === 'moving_variance') v[i] = 0.5 + 0.4 * Math.abs(s);
    else if (base === 'moving_mean') v[i] = 0.3 * s;
    else if (base === 'gamma') v[i] = 1 + 0.25 * s;
    else if (base === 'alpha') v[i] = 0.2 + 0.1 * s;
    else if (base === 'embeddings') v[i] = 0.8 * s;
    else if (shape.length === 1) v[i] = 0.1 * s;
    else v[i] = 1.2 * s / Math.sqrt(fan);
  }
  return v;
}

// spec: the shape without batch, optionally followed by a dtype and a vocabulary size.
function inputData(spec, k, scale = 1.5) {
  const di = spec.findIndex((e) => typeof e === 'string');
  const shape = di < 0 ? spec : spec.slice(0, di);
  const dtype = di < 0 ? 'float32' : spec[di], vocab = di < 0 ? 0 : spec[di + 1];
  const n = shape.reduce((a, b) => a * b, 1);
  const data = [];
  for (let i = 0; i < n; i++)
    data.push(dtype === 'int32' ? (i * 7 + k * 3) % vocab : Math.fround(scale * Math.sin(0.37 * i + 1.1 * k + 0.2)));
  return {dtype, shape: [1, ...shape], data};
}

async function main() {
  const out = process.argv[2];
  if (!out) throw new Error('usage: node make_models.cjs OUT_DIR');
  await tf.setBackend('cpu');
  for (const c of cases) {
    const model = c.build();
    const dir = path.join(out, c.name);
    fs.mkdirSync(dir, {recursive: true});
    const layers = [], chunks = [];
    let k = 0;
    for (const layer of model.layers) {
      const ws = [];
      for (const w of layer.weights) {
        const vals = weightValues(layer.getClassName(), w.originalName, w.shape, k++);
        w.write(tf.tensor(vals, w.shape));
        ws.push({name: w.originalName, shape: w.shape});
        chunks.push(Buffer.from(vals.buffer));
      }
      layers.push({layer: layer.name, class_name: layer.getClassName(), weights: ws});
    }
    let topology = null;
    await model.save(tf.io.withSaveHandler(async (a) => {
      topology = a.modelTopology;
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    }));
    // Embedding's Keras input is float32 holding integer ids.
    const inputs = c.inputs.map((s, i) => Object.assign(inputData(s, i, c.scaleIn),
                                                        {name: model.inputNames[i], dtype: model.inputs[i].dtype}));
    const xs = inputs.map((x) => tf.tensor(x.data, x.shape, x.dtype));
    let ys = model.predict(xs.length === 1 ? xs[0] : xs);
    if (!Array.isArray(ys)) ys = [ys];
    const outputs = ys.map((y, i) => ({name: model.outputNames[i], dtype: y.dtype, shape: y.shape,
                                       data: Array.from(y.dataSync())}));
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(topology));
    fs.writeFileSync(path.join(dir, 'layers.json'), JSON.stringify(layers));
    fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.concat(chunks));
    fs.writeFileSync(path.join(dir, 'case.json'), JSON.stringify({inputs, outputs, tol: 1e-4, skip: c.skip || {}}));
  }
  console.log(`wrote ${cases.length} models to ${out}`);
}
main().catch((e) => { console.error(e); process.exit(1); });
