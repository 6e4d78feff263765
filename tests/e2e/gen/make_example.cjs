// Writes the README's example model: a small MNIST-shaped CNN as a frozen
// GraphDef (~30 KB of deterministic weights).
//   input [1,28,28,1] -> Conv2D+BiasAdd+Relu -> MaxPool -> Conv2D+FusedBatchNorm
//   +Relu -> MaxPool -> Reshape -> MatMul+BiasAdd -> Softmax -> probs [1,10]
// usage: node gen/make_example.cjs OUT.pb
'use strict';
const fs = require('fs');
const {Graph, A, rng} = require('../lib/graphdef.cjs');

// Adds the example CNN to graph g; returns the output node name.
function buildExampleCnn(g, seed = 2024) {
  const r = rng(seed);
  // Uniform He-style init so activations stay in a sensible range.
  const w = (n, fanIn) => Array.from({length: n}, () => (r() * 2 - 1) * Math.sqrt(6 / fanIn));
  const T = A.type('float32');
  const conv = (name, x, wname) => g.add('Conv2D', name, [x, wname], {T,
    strides: A.ints([1, 1, 1, 1]), padding: A.s('SAME'), data_format: A.s('NHWC'),
    dilations: A.ints([1, 1, 1, 1]), use_cudnn_on_gpu: A.b(true), explicit_paddings: A.ints([])});
  const pool = (name, x) => g.add('MaxPool', name, [x], {T, ksize: A.ints([1, 2, 2, 1]),
    strides: A.ints([1, 2, 2, 1]), padding: A.s('VALID'), data_format: A.s('NHWC'),
    explicit_paddings: A.ints([])});

  g.placeholder('input', 'float32', [1, 28, 28, 1]);
  g.const('conv1/kernel', 'float32', [3, 3, 1, 8], w(72, 9));
  g.const('conv1/bias', 'float32', [8], w(8, 64));
  conv('conv1/Conv2D', 'input', 'conv1/kernel');
  g.add('BiasAdd', 'conv1/BiasAdd', ['conv1/Conv2D', 'conv1/bias'], {T, data_format: A.s('NHWC')});
  g.add('Relu', 'conv1/Relu', ['conv1/BiasAdd'], {T});
  pool('pool1/MaxPool', 'conv1/Relu');

  g.const('conv2/kernel', 'float32', [3, 3, 8, 12], w(864, 72));
  conv('conv2/Conv2D', 'pool1/MaxPool', 'conv2/kernel');
  g.const('bn2/gamma', 'float32', [12], Array.from({length: 12}, () => 0.8 + 0.4 * r()));
  g.const('bn2/beta', 'float32', [12], Array.from({length: 12}, () => 0.2 * r() - 0.1));
  g.const('bn2/moving_mean', 'float32', [12], Array.from({length: 12}, () => 0.2 * r() - 0.1));
  g.const('bn2/moving_variance', 'float32', [12], Array.from({length: 12}, () => 0.5 + r()));
  g.add('FusedBatchNorm', 'bn2/FusedBatchNorm',
        ['conv2/Conv2D', 'bn2/gamma', 'bn2/beta', 'bn2/moving_mean', 'bn2/moving_variance'],
        {T, epsilon: A.f(0.001), data_format: A.s('NHWC'), is_training: A.b(false),
         exponential_avg_factor: A.f(1)});
  g.add('Relu', 'bn2/Relu', ['bn2/FusedBatchNorm'], {T});
  pool('pool2/MaxPool', 'bn2/Relu');

  g.const('flatten/shape', 'int32', [2], [-1, 588]);
  g.add('Reshape', 'flatten/Reshape', ['pool2/MaxPool', 'flatten/shape'], {T, Tshape: A.type('int32')});
  g.const('dense/kernel', 'float32', [588, 10], w(5880, 588));
  g.const('dense/bias', 'float32', [10], w(10, 100));
  g.add('MatMul', 'dense/MatMul', ['flatten/Reshape', 'dense/kernel'],
        {T, transpose_a: A.b(false), transpose_b: A.b(false)});
  g.add('BiasAdd', 'dense/BiasAdd', ['dense/MatMul', 'dense/bias'], {T, data_format: A.s('NHWC')});
  return g.add('Softmax', 'probs', ['dense/BiasAdd'], {T});
}

module.exports = {buildExampleCnn};

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node gen/make_example.cjs OUT.pb');
    process.exit(2);
  }
  const g = new Graph();
  buildExampleCnn(g);
  const bytes = g.encode();
  fs.writeFileSync(out, bytes);
  console.log(`wrote ${out} (${bytes.length} bytes): input "input" [1,28,28,1] -> output "probs" [1,10]`);
}
