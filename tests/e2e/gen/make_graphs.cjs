// Generates the e2e op cases: small frozen GraphDefs written with the
// project's own protos, deterministic inputs, and reference outputs computed
// by TensorFlow.js executing the same GraphDef (tfjs-converter, cpu backend).
// usage: node gen/make_graphs.cjs OUT_DIR [--filter substr]
// Writes OUT_DIR/<case>/model.pb and OUT_DIR/<case>/case.json:
//   {input_arrays, output_arrays, input_shapes?, inputs: [{name,dtype,shape,data}],
//    outputs: [{name,dtype,shape,data}], tol?, notes?, ops}
// bool data is written as 0/1.
'use strict';
const fs = require('fs');
const path = require('path');
const {Graph, A, FROM_DT, decodeGraphDef, tfjsRun, rng} = require('../lib/graphdef.cjs');
const {buildExampleCnn} = require('./make_example.cjs');

const F = 'float32', I32 = 'int32', I64 = 'int64', B = 'bool';
const T = (d = F) => ({T: A.type(d)});
const NHWC = A.s('NHWC');
const prod = (s) => s.reduce((a, b) => a * b, 1);

// Every TF op the cases must exercise; the run fails if one is missing.
const REQUIRED_OPS = `Placeholder PlaceholderWithDefault Const Conv2D DepthwiseConv2dNative
  Conv2DBackpropInput Conv3D MatMul BatchMatMul BatchMatMulV2 BatchMatMulV3 BiasAdd Add AddV2
  AddN Sub Mul RealDiv Div FloorDiv FloorMod Maximum Minimum SquaredDifference Pow Relu Relu6
  LeakyRelu Elu Selu Sigmoid Tanh Softmax LogSoftmax Softplus Exp Log Sqrt Rsqrt Square Neg Abs
  Floor Ceil Round Sin Cos Erf MaxPool AvgPool Mean Sum Max Min Prod ArgMax ArgMin Reshape
  Squeeze ExpandDims Transpose ConcatV2 Pack Unpack Split SplitV Slice StridedSlice Pad PadV2
  MirrorPad Tile SpaceToDepth DepthToSpace SpaceToBatchND BatchToSpaceND Cast Fill ZerosLike
  OnesLike Range GatherV2 GatherNd Shape Size Rank ResizeBilinear ResizeNearestNeighbor
  FusedBatchNorm FusedBatchNormV2 FusedBatchNormV3 Less Greater Equal NotEqual LessEqual
  GreaterEqual LogicalAnd LogicalOr LogicalNot Select SelectV2 TopKV2 Identity NoOp
  StopGradient CheckNumerics Snapshot IdentityN`.split(/\s+/);

// ---- op helpers (attrs as TF writes them, defaults included) ----------------
const convAttrs = (strides, padding, dilations = [1, 1, 1, 1]) => ({...T(),
  strides: A.ints(strides), padding: A.s(padding), data_format: NHWC, dilations: A.ints(dilations),
  use_cudnn_on_gpu: A.b(true), explicit_paddings: A.ints([])});
const conv2d = (g, name, x, w, strides = [1, 1, 1, 1], padding = 'SAME', dil) =>
  g.add('Conv2D', name, [x, w], convAttrs(strides, padding, dil));
const biasAdd = (g, name, x, b) => g.add('BiasAdd', name, [x, b], {...T(), data_format: NHWC});
const unary = (g, op, name, x, d = F) => g.add(op, name, [x], T(d));
const binary = (g, op, name, a, b, d = F) => g.add(op, name, [a, b], T(d));
const matmul = (g, name, a, b, ta = false, tb = false) =>
  g.add('MatMul', name, [a, b], {...T(), transpose_a: A.b(ta), transpose_b: A.b(tb)});
const pool = (g, op, name, x, k, s, padding) => g.add(op, name, [x], {...T(),
  ksize: A.ints([1, k, k, 1]), strides: A.ints([1, s, s, 1]), padding: A.s(padding),
  data_format: NHWC, ...(op === 'MaxPool' ? {explicit_paddings: A.ints([])} : {})});
const reduce = (g, op, name, x, axes, keep, d = F) => {
  g.const(`${name}/reduction_indices`, I32, [axes.length], axes);
  return g.add(op, name, [x, `${name}/reduction_indices`],
               {...T(d), Tidx: A.type(I32), keep_dims: A.b(keep)});
};
const stridedSlice = (g, name, x, begin, end, strides, masks = {}, d = F) => {
  for (const [k, v] of [['begin', begin], ['end', end], ['strides', strides]]) {
    g.const(`${name}/${k}`, I32, [v.length], v);
  }
  const m = (k) => A.i(masks[k] || 0);
  return g.add('StridedSlice', name, [x, `${name}/begin`, `${name}/end`, `${name}/strides`],
    {...T(d), Index: A.type(I32), begin_mask: m('begin'), end_mask: m('end'),
     ellipsis_mask: m('ellipsis'), new_axis_mask: m('new_axis'), shrink_axis_mask: m('shrink')});
};
const fbn = (g, op, name, x, c, r, eps = 0.001) => {
  const vals = (lo, hi) => Array.from({length: c}, () => lo + (hi - lo) * r());
  g.const(`${name}/gamma`, F, [c], vals(0.5, 1.5));
  g.const(`${name}/beta`, F, [c], vals(-0.5, 0.5));
  g.const(`${name}/moving_mean`, F, [c], vals(-0.3, 0.3));
  g.const(`${name}/moving_variance`, F, [c], vals(0.2, 1.5));
  return g.add(op, name, [x, `${name}/gamma`, `${name}/beta`, `${name}/moving_mean`,
                          `${name}/moving_variance`],
    {...T(), ...(op === 'FusedBatchNorm' ? {} : {U: A.type(F)}), epsilon: A.f(eps),
     data_format: NHWC, is_training: A.b(false), exponential_avg_factor: A.f(1)});
};
const identity = (g, name, x, d = F) => g.add('Identity', name, [x], T(d));

// ---- cases ------------------------------------------------------------------
// Each builder gets (g, w, r): the graph, w(shape, scale) -> pseudo-random
// weights, r() -> uniform [0,1). It adds nodes and returns
//   {inputs: [{name, dtype, shape, range?|data?, feedShape?}], outputs: [names],
//    input_shapes?, tol?, notes?, rename?, ref?(feeds) -> [{dtype, shape, data}],
//    override?: {output: (feeds) -> {dtype, shape, data}}}
// Output dtypes are TF's, taken from the output node's attrs.
// A placeholder is added for each input unless it sets `exists`.
const CASES = {};
const def = (name, build) => { CASES[name] = build; };

def('conv2d_bias_relu', (g, w) => {
  g.const('conv1/kernel', F, [3, 3, 3, 8], w([3, 3, 3, 8], 0.4));
  g.const('conv1/bias', F, [8], w([8], 0.1));
  conv2d(g, 'conv1/Conv2D', 'x', 'conv1/kernel');
  biasAdd(g, 'conv1/BiasAdd', 'conv1/Conv2D', 'conv1/bias');
  unary(g, 'Relu', 'conv1/Relu', 'conv1/BiasAdd');
  g.const('conv2/kernel', F, [3, 3, 8, 4], w([3, 3, 8, 4], 0.3));
  g.const('conv2/bias', F, [4], w([4], 0.1));
  conv2d(g, 'conv2/Conv2D', 'conv1/Relu', 'conv2/kernel', [1, 2, 2, 1], 'VALID');
  biasAdd(g, 'conv2/BiasAdd', 'conv2/Conv2D', 'conv2/bias');
  unary(g, 'Relu6', 'conv2/Relu6', 'conv2/BiasAdd');
  return {inputs: [{name: 'x', dtype: F, shape: [1, 8, 8, 3], range: [-2, 2]}],
          outputs: ['conv2/Relu6']};
});

def('conv2d_strides', (g, w) => {
  // SAME with stride 2 on an odd size pads asymmetrically (more at the end).
  g.const('k1', F, [3, 3, 2, 5], w([3, 3, 2, 5], 0.4));
  g.const('b1', F, [5], w([5], 0.1));
  conv2d(g, 'same_s2/Conv2D', 'x', 'k1', [1, 2, 2, 1], 'SAME');
  biasAdd(g, 'same_s2/BiasAdd', 'same_s2/Conv2D', 'b1');
  unary(g, 'Elu', 'same_s2/Elu', 'same_s2/BiasAdd');
  g.const('k2', F, [5, 5, 2, 3], w([5, 5, 2, 3], 0.3));
  conv2d(g, 'valid_s21/Conv2D', 'x', 'k2', [1, 1, 2, 1], 'VALID');
  return {inputs: [{name: 'x', dtype: F, shape: [1, 9, 9, 2]}],
          outputs: ['same_s2/Elu', 'valid_s21/Conv2D']};
});

def('conv2d_dilated', (g, w) => {
  g.const('k', F, [3, 3, 3, 4], w([3, 3, 3, 4], 0.4));
  g.const('b', F, [4], w([4], 0.1));
  conv2d(g, 'dil_same/Conv2D', 'x', 'k', [1, 1, 1, 1], 'SAME', [1, 2, 2, 1]);
  biasAdd(g, 'dil_same/BiasAdd', 'dil_same/Conv2D', 'b');
  unary(g, 'Relu', 'dil_same/Relu', 'dil_same/BiasAdd');
  conv2d(g, 'dil_valid/Conv2D', 'x', 'k', [1, 1, 1, 1], 'VALID', [1, 2, 2, 1]);
  return {inputs: [{name: 'x', dtype: F, shape: [1, 10, 10, 3]}],
          outputs: ['dil_same/Relu', 'dil_valid/Conv2D']};
});

def('atrous_conv_s2b_b2s', (g, w) => {
  // What TF1 emits for tf.nn.atrous_conv2d(rate=2, SAME): SpaceToBatchND ->
  // VALID Conv2D -> BatchToSpaceND (converters usually fuse it to a dilated conv).
  g.const('block_shape', I32, [2], [2, 2]);
  g.const('paddings', I32, [2, 2], [2, 2, 2, 2]);
  g.const('crops', I32, [2, 2], [0, 0, 0, 0]);
  g.add('SpaceToBatchND', 'atrous/SpaceToBatchND', ['x', 'block_shape', 'paddings'],
        {...T(), Tblock_shape: A.type(I32), Tpaddings: A.type(I32)});
  g.const('atrous/kernel', F, [3, 3, 2, 4], w([3, 3, 2, 4], 0.4));
  conv2d(g, 'atrous/Conv2D', 'atrous/SpaceToBatchND', 'atrous/kernel', [1, 1, 1, 1], 'VALID');
  g.add('BatchToSpaceND', 'atrous/BatchToSpaceND', ['atrous/Conv2D', 'block_shape', 'crops'],
        {...T(), Tblock_shape: A.type(I32), Tcrops: A.type(I32)});
  g.const('atrous/bias', F, [4], w([4], 0.1));
  biasAdd(g, 'atrous/BiasAdd', 'atrous/BatchToSpaceND', 'atrous/bias');
  return {inputs: [{name: 'x', dtype: F, shape: [1, 10, 10, 2]}], outputs: ['atrous/BiasAdd']};
});

def('depthwise_conv', (g, w) => {
  const dw = (name, x, k, strides, padding) => g.add('DepthwiseConv2dNative', name, [x, k],
    {...T(), strides: A.ints(strides), padding: A.s(padding), data_format: NHWC,
     dilations: A.ints([1, 1, 1, 1]), explicit_paddings: A.ints([])});
  g.const('dw1/depthwise_kernel', F, [3, 3, 4, 2], w([3, 3, 4, 2], 0.5));  // multiplier 2
  g.const('dw1/bias', F, [8], w([8], 0.1));
  dw('dw1/depthwise', 'x', 'dw1/depthwise_kernel', [1, 1, 1, 1], 'SAME');
  biasAdd(g, 'dw1/BiasAdd', 'dw1/depthwise', 'dw1/bias');
  unary(g, 'Relu6', 'dw1/Relu6', 'dw1/BiasAdd');
  g.const('dw2/depthwise_kernel', F, [3, 3, 8, 1], w([3, 3, 8, 1], 0.5));
  dw('dw2/depthwise', 'dw1/Relu6', 'dw2/depthwise_kernel', [1, 2, 2, 1], 'VALID');
  return {inputs: [{name: 'x', dtype: F, shape: [1, 7, 7, 4], range: [-2, 2]}],
          outputs: ['dw1/Relu6', 'dw2/depthwise']};
});

def('conv2d_transpose', (g, w) => {
  // Keras Conv2DTranspose: Conv2DBackpropInput(input_sizes, filter, out_backprop).
  const bp = (name, sizes, k, x, strides, padding) => {
    g.const(`${name}/input_sizes`, I32, [4], sizes);
    return g.add('Conv2DBackpropInput', name, [`${name}/input_sizes`, k, x],
                 convAttrs(strides, padding));
  };
  g.const('up1/kernel', F, [3, 3, 4, 6], w([3, 3, 4, 6], 0.4));
  g.const('up1/bias', F, [4], w([4], 0.1));
  bp('up1/conv2d_transpose', [1, 8, 8, 4], 'up1/kernel', 'x', [1, 2, 2, 1], 'SAME');
  biasAdd(g, 'up1/BiasAdd', 'up1/conv2d_transpose', 'up1/bias');
  unary(g, 'Relu', 'up1/Relu', 'up1/BiasAdd');
  g.const('up2/kernel', F, [2, 2, 3, 6], w([2, 2, 3, 6], 0.4));
  bp('up2/conv2d_transpose', [1, 5, 5, 3], 'up2/kernel', 'x', [1, 1, 1, 1], 'VALID');
  return {inputs: [{name: 'x', dtype: F, shape: [1, 4, 4, 6]}],
          outputs: ['up1/Relu', 'up2/conv2d_transpose']};
});

def('conv3d', (g, w) => {
  const c3 = (name, x, k, strides, padding) => g.add('Conv3D', name, [x, k], {...T(),
    strides: A.ints(strides), padding: A.s(padding), data_format: A.s('NDHWC'),
    dilations: A.ints([1, 1, 1, 1, 1])});
  g.const('conv3d/kernel', F, [2, 3, 3, 2, 4], w([2, 3, 3, 2, 4], 0.4));
  g.const('conv3d/bias', F, [4], w([4], 0.1));
  c3('conv3d/Conv3D', 'x', 'conv3d/kernel', [1, 1, 2, 2, 1], 'SAME');
  biasAdd(g, 'conv3d/BiasAdd', 'conv3d/Conv3D', 'conv3d/bias');
  unary(g, 'Relu', 'conv3d/Relu', 'conv3d/BiasAdd');
  c3('conv3d_valid/Conv3D', 'x', 'conv3d/kernel', [1, 1, 1, 1, 1], 'VALID');
  return {inputs: [{name: 'x', dtype: F, shape: [1, 4, 6, 6, 2]}],
          outputs: ['conv3d/Relu', 'conv3d_valid/Conv3D']};
});

// Grouped convolution (filter in-channels 2 of the input's 4: two groups).
// tfjs has no grouped Conv2D: reference is an explicit JS loop.
def('conv2d_grouped', (g, w) => {
  const k = w([3, 3, 2, 6], 0.4), b = w([6], 0.1);
  g.const('grouped/kernel', F, [3, 3, 2, 6], k);
  g.const('grouped/bias', F, [6], b);
  conv2d(g, 'grouped/Conv2D', 'x', 'grouped/kernel');
  biasAdd(g, 'grouped/BiasAdd', 'grouped/Conv2D', 'grouped/bias');
  unary(g, 'Relu', 'grouped/Relu', 'grouped/BiasAdd');
  const ref = ([x]) => {
    const [N, H, W, C] = x.shape, O = 6, Cg = 2, perGroup = O / (C / Cg);
    const data = new Array(N * H * W * O).fill(0);
    for (let n = 0; n < N; n++) for (let h = 0; h < H; h++) for (let v = 0; v < W; v++) {
      for (let o = 0; o < O; o++) {
        const grp = Math.floor(o / perGroup);
        let s = 0;
        for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
          const y = h + i - 1, u = v + j - 1;
          if (y < 0 || y >= H || u < 0 || u >= W) continue;
          for (let c = 0; c < Cg; c++) {
            s += x.data[((n * H + y) * W + u) * C + grp * Cg + c] * k[((i * 3 + j) * Cg + c) * O + o];
          }
        }
        data[((n * H + h) * W + v) * O + o] = Math.max(0, s + b[o]);
      }
    }
    return [{dtype: F, shape: [N, H, W, O], data}];
  };
  return {inputs: [{name: 'x', dtype: F, shape: [1, 6, 6, 4]}], outputs: ['grouped/Relu'], ref,
          notes: 'tfjs lacks grouped Conv2D: reference is an explicit JS loop (SAME, stride 1).'};
});

// Transposes of rank 5 and 6 whose moved axes stay neighbours (and a size-1
// axis): --target_runtime below 2.3 / 2.12 re-lowers them to rank 3.
def('transpose_rank5_rank6', (g) => {
  g.const('perm5', I32, [5], [0, 3, 4, 1, 2]);
  g.add('Transpose', 'tr5', ['x', 'perm5'], {...T(), Tperm: A.type(I32)});
  g.const('perm6', I32, [6], [0, 1, 4, 5, 2, 3]);
  g.add('Transpose', 'tr6', ['y', 'perm6'], {...T(), Tperm: A.type(I32)});
  return {inputs: [{name: 'x', dtype: F, shape: [2, 3, 4, 5, 2]}, {name: 'y', dtype: F, shape: [2, 1, 3, 2, 2, 3]}],
          outputs: ['tr5', 'tr6']};
});

def('dense_relu6_softmax', (g, w) => {
  g.const('dense/kernel', F, [16, 8], w([16, 8], 0.5));
  g.const('dense/bias', F, [8], w([8], 0.2));
  matmul(g, 'dense/MatMul', 'x', 'dense/kernel');
  biasAdd(g, 'dense/BiasAdd', 'dense/MatMul', 'dense/bias');
  unary(g, 'Relu6', 'dense/Relu6', 'dense/BiasAdd');
  g.const('logits/kernel_t', F, [4, 8], w([4, 8], 0.5));   // stored transposed
  g.const('logits/bias', F, [4], w([4], 0.2));
  matmul(g, 'logits/MatMul', 'dense/Relu6', 'logits/kernel_t', false, true);
  biasAdd(g, 'logits/BiasAdd', 'logits/MatMul', 'logits/bias');
  unary(g, 'Softmax', 'probs', 'logits/BiasAdd');
  return {inputs: [{name: 'x', dtype: F, shape: [2, 16], range: [-3, 3]}], outputs: ['probs']};
});

def('matmul_transpose', (g, w) => {
  matmul(g, 'mm_ta', 'a', 'b', true, false);                  // a^T b: [3,5]
  g.const('c', F, [4, 3], w([4, 3]));
  matmul(g, 'mm_tb', 'a', 'c', false, true);                  // a c^T: [6,4]
  g.const('d', F, [4, 6], w([4, 6]));
  matmul(g, 'mm_tab', 'a', 'd', true, true);                  // a^T d^T: [3,4]
  return {inputs: [{name: 'a', dtype: F, shape: [6, 3]}, {name: 'b', dtype: F, shape: [6, 5]}],
          outputs: ['mm_ta', 'mm_tb', 'mm_tab']};
});

def('batch_matmul_v1', (g) => {
  const bmm = (name, a, b, adjX, adjY) => g.add('BatchMatMul', name, [a, b],
    {...T(), adj_x: A.b(adjX), adj_y: A.b(adjY)});
  bmm('bmm_adj_y', 'x', 'y', false, true);    // [2,3,4] x [2,5,4]^T -> [2,3,5]
  bmm('bmm_adj_x', 'x', 'z', true, false);    // [2,3,4]^T x [2,3,6] -> [2,4,6]
  return {inputs: [{name: 'x', dtype: F, shape: [2, 3, 4]}, {name: 'y', dtype: F, shape: [2, 5, 4]},
                   {name: 'z', dtype: F, shape: [2, 3, 6]}],
          outputs: ['bmm_adj_y', 'bmm_adj_x']};
});

def('attention_batch_matmul_v2_v3', (g, w) => {
  g.add('BatchMatMulV2', 'attn/scores', ['q', 'k'], {...T(), adj_x: A.b(false), adj_y: A.b(true)});
  g.const('attn/scale', F, [], [1 / Math.sqrt(8)]);
  binary(g, 'Mul', 'attn/scaled', 'attn/scores', 'attn/scale');
  unary(g, 'Softmax', 'attn/probs', 'attn/scaled');
  const v3 = (name, a, b, adjX) => g.add('BatchMatMulV3', name, [a, b],
    {Ta: A.type(F), Tb: A.type(F), Tout: A.type(F), adj_x: A.b(adjX), adj_y: A.b(false)});
  v3('ctx', 'attn/probs', 'v', false);                        // [2,4,6] x [2,6,8]
  g.const('proj/kernel', F, [8, 3], w([8, 3], 0.5));
  g.add('BatchMatMulV2', 'proj', ['ctx', 'proj/kernel'],      // batch broadcast
        {...T(), adj_x: A.b(false), adj_y: A.b(false)});
  v3('kv', 'k', 'v', true);                                   // [2,6,8]^T x [2,6,8]
  return {inputs: [{name: 'q', dtype: F, shape: [2, 4, 8]}, {name: 'k', dtype: F, shape: [2, 6, 8]},
                   {name: 'v', dtype: F, shape: [2, 6, 8]}],
          outputs: ['ctx', 'proj', 'kv'], rename: {BatchMatMulV3: 'BatchMatMulV2'},
          notes: 'tfjs lacks BatchMatMulV3; the reference runs it as BatchMatMulV2 (same math for float32).'};
});

def('binary_arith_broadcast', (g, w) => {
  g.const('b', F, [3, 4], w([3, 4]));
  g.const('c', F, [4], w([4]));
  g.const('half', F, [], [0.5]);
  binary(g, 'Add', 'add', 'x', 'b');
  binary(g, 'AddV2', 'addv2', 'x', 'c');
  binary(g, 'Sub', 'sub', 'b', 'x');
  binary(g, 'Mul', 'mul', 'x', 'half');
  binary(g, 'AddV2', 'iadd', 'i', 'j', I32);
  binary(g, 'Sub', 'isub', 'i', 'j', I32);
  binary(g, 'Mul', 'imul', 'i', 'j', I32);
  return {inputs: [{name: 'x', dtype: F, shape: [2, 3, 4]}, {name: 'i', dtype: I32, shape: [2, 3]},
                   {name: 'j', dtype: I32, shape: [3]}],
          outputs: ['add', 'addv2', 'sub', 'mul', 'iadd', 'isub', 'imul']};
});

def('binary_div_mod', (g, w, r) => {
  // Divisors keep away from 0; int divisors are non-zero with mixed signs.
  const away = (n) => Array.from({length: n}, () => (r() < 0.5 ? -1 : 1) * (0.5 + 1.5 * r()));
  const nz = (n) => Array.from({length: n}, () => (r() < 0.5 ? -1 : 1) * (1 + Math.floor(4 * r())));
  binary(g, 'RealDiv', 'realdiv', 'x', 'y');
  binary(g, 'Div', 'div', 'x', 'y');
  g.const('four', F, [], [4]);
  binary(g, 'Mul', 'x4', 'x', 'four');
  binary(g, 'FloorDiv', 'floordiv', 'x4', 'y');
  binary(g, 'FloorMod', 'floormod', 'x4', 'y');
  binary(g, 'FloorDiv', 'ifloordiv', 'i', 'j', I32);
  binary(g, 'FloorMod', 'ifloormod', 'i', 'j', I32);
  return {inputs: [{name: 'x', dtype: F, shape: [2, 3, 4]},
                   {name: 'y', dtype: F, shape: [3, 4], data: away(12)},
                   {name: 'i', dtype: I32, shape: [2, 6], range: [-20, 20]},
                   {name: 'j', dtype: I32, shape: [6], data: nz(6)}],
          outputs: ['realdiv', 'div', 'floordiv', 'floormod', 'ifloordiv', 'ifloormod'],
          notes: 'Div is float32 only: for ints TF truncates but tfjs floors.'};
});

def('binary_minmax_pow', (g, w, r) => {
  binary(g, 'Maximum', 'maximum', 'a', 'b');
  binary(g, 'Minimum', 'minimum', 'a', 'b');
  binary(g, 'SquaredDifference', 'sqdiff', 'a', 'b');
  g.const('exponents', F, [5], Array.from({length: 5}, () => -1.5 + 4 * r()));
  binary(g, 'Pow', 'pow', 'p', 'exponents');                    // broadcast [2,5]^[5]
  g.const('two', F, [], [2]);
  binary(g, 'Pow', 'pow2', 'a', 'two');
  return {inputs: [{name: 'a', dtype: F, shape: [2, 5]}, {name: 'b', dtype: F, shape: [5]},
                   {name: 'p', dtype: F, shape: [2, 5], range: [0.2, 2]}],
          outputs: ['maximum', 'minimum', 'sqdiff', 'pow', 'pow2']};
});

def('addn', (g) => {
  g.add('AddN', 'sum3', ['a', 'b', 'c'], {N: A.i(3), ...T()});
  unary(g, 'Relu', 'out', 'sum3');
  return {inputs: ['a', 'b', 'c'].map((name) => ({name, dtype: F, shape: [2, 3, 4]})),
          outputs: ['out']};
});

def('activations', (g) => {
  unary(g, 'Relu', 'relu', 'x');
  unary(g, 'Relu6', 'relu6', 'x');
  g.add('LeakyRelu', 'leaky', ['x'], {...T(), alpha: A.f(0.1)});
  g.add('LeakyRelu', 'leaky_default', ['x'], {...T(), alpha: A.f(0.2)});
  unary(g, 'Elu', 'elu', 'x');
  unary(g, 'Selu', 'selu', 'x');
  return {inputs: [{name: 'x', dtype: F, shape: [2, 3, 8], range: [-4, 8]}],
          outputs: ['relu', 'relu6', 'leaky', 'leaky_default', 'elu', 'selu']};
});

def('sigmoid_tanh_softplus', (g) => {
  unary(g, 'Sigmoid', 'sigmoid', 'x');
  unary(g, 'Tanh', 'tanh', 'x');
  unary(g, 'Softplus', 'softplus', 'x');
  binary(g, 'Mul', 'gated', 'sigmoid', 'tanh');   // an LSTM-style gate
  return {inputs: [{name: 'x', dtype: F, shape: [2, 12], range: [-6, 6]}],
          outputs: ['sigmoid', 'tanh', 'softplus', 'gated']};
});

def('softmax_logsoftmax', (g, w) => {
  g.const('w', F, [10, 10], w([10, 10], 0.8));
  matmul(g, 'logits', 'x', 'w');
  unary(g, 'Softmax', 'softmax', 'logits');
  unary(g, 'LogSoftmax', 'log_softmax', 'logits');
  unary(g, 'Softmax', 'softmax3d', 'y');
  return {inputs: [{name: 'x', dtype: F, shape: [3, 10], range: [-2, 2]},
                   {name: 'y', dtype: F, shape: [2, 3, 5], range: [-3, 3]}],
          outputs: ['softmax', 'log_softmax', 'softmax3d']};
});

def('unary_math', (g) => {
  unary(g, 'Exp', 'exp', 'x');
  unary(g, 'Neg', 'neg', 'x');
  unary(g, 'Abs', 'abs', 'x');
  unary(g, 'Square', 'square', 'x');
  g.const('eps', F, [], [0.1]);
  binary(g, 'AddV2', 'pos', 'abs', 'eps');
  unary(g, 'Log', 'log', 'pos');
  unary(g, 'Sqrt', 'sqrt', 'pos');
  unary(g, 'Rsqrt', 'rsqrt', 'pos');
  return {inputs: [{name: 'x', dtype: F, shape: [2, 3, 5], range: [-2, 2]}],
          outputs: ['exp', 'neg', 'abs', 'square', 'log', 'sqrt', 'rsqrt']};
});

def('floor_ceil_round', (g, w, r) => {
  unary(g, 'Floor', 'floor', 'x');
  unary(g, 'Ceil', 'ceil', 'x');
  unary(g, 'Round', 'round', 'x');
  // Exact halves check round-half-to-even; the rest are random.
  const halves = [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, -3.5];
  const data = halves.concat(Array.from({length: 16}, () => Math.fround(-4 + 8 * r())));
  return {inputs: [{name: 'x', dtype: F, shape: [4, 6], data}],
          outputs: ['floor', 'ceil', 'round'],
          notes: 'Round is banker\'s rounding (half to even) in TF, tfjs and TFLite.'};
});

def('trig_erf_gelu', (g) => {
  unary(g, 'Sin', 'sin', 'x');
  unary(g, 'Cos', 'cos', 'x');
  // GELU as TF writes it: 0.5 * x * (1 + erf(x / sqrt(2)))
  g.const('gelu/rsqrt2', F, [], [Math.SQRT1_2]);
  binary(g, 'Mul', 'gelu/scaled', 'x', 'gelu/rsqrt2');
  unary(g, 'Erf', 'erf', 'gelu/scaled');
  g.const('gelu/one', F, [], [1]);
  binary(g, 'AddV2', 'gelu/add', 'erf', 'gelu/one');
  g.const('gelu/half', F, [], [0.5]);
  binary(g, 'Mul', 'gelu/mul', 'x', 'gelu/half');
  binary(g, 'Mul', 'gelu', 'gelu/mul', 'gelu/add');
  return {inputs: [{name: 'x', dtype: F, shape: [2, 8], range: [-3, 3]}],
          outputs: ['sin', 'cos', 'erf', 'gelu']};
});

def('pooling', (g) => {
  pool(g, 'MaxPool', 'max_2x2_valid', 'x', 2, 2, 'VALID');
  pool(g, 'AvgPool', 'avg_3x3_same', 'x', 3, 1, 'SAME');
  pool(g, 'MaxPool', 'max_3x3_s2_same', 'x', 3, 2, 'SAME');
  pool(g, 'AvgPool', 'avg_2x2_valid', 'x', 2, 2, 'VALID');
  return {inputs: [{name: 'x', dtype: F, shape: [1, 8, 8, 3], range: [-2, 2]}],
          outputs: ['max_2x2_valid', 'avg_3x3_same', 'max_3x3_s2_same', 'avg_2x2_valid']};
});

def('reductions', (g) => {
  reduce(g, 'Mean', 'gap', 'x', [1, 2], true);          // global average pool
  reduce(g, 'Mean', 'mean_last', 'x', [-1], false);
  reduce(g, 'Sum', 'sum', 'x', [1], false);
  reduce(g, 'Max', 'max', 'x', [-1], true);
  reduce(g, 'Min', 'min', 'x', [0, 2], false);
  reduce(g, 'Prod', 'prod', 'p', [1], true);
  reduce(g, 'Prod', 'prod_flat', 'p', [0, 1], false);
  reduce(g, 'Sum', 'isum', 'i', [0], false, I32);
  reduce(g, 'Max', 'imax', 'i', [1], true, I32);
  return {inputs: [{name: 'x', dtype: F, shape: [2, 4, 5, 3]},
                   {name: 'p', dtype: F, shape: [3, 4], range: [0.5, 1.5]},
                   {name: 'i', dtype: I32, shape: [3, 4], range: [-9, 9]}],
          outputs: ['gap', 'mean_last', 'sum', 'max', 'min', 'prod', 'prod_flat', 'isum', 'imax']};
});

def('argmax_argmin', (g) => {
  const arg = (op, name, x, dim, outType) => {
    g.const(`${name}/dimension`, I32, [], [dim]);
    return g.add(op, name, [x, `${name}/dimension`],
                 {...T(), Tidx: A.type(I32), output_type: A.type(outType)});
  };
  arg('ArgMax', 'argmax', 'x', 1, I32);
  arg('ArgMin', 'argmin', 'x', 0, I64);        // TF's default output_type is int64
  arg('ArgMax', 'argmax3d', 'y', -1, I64);
  return {inputs: [{name: 'x', dtype: F, shape: [3, 7]}, {name: 'y', dtype: F, shape: [2, 3, 4]}],
          outputs: ['argmax', 'argmin', 'argmax3d'],
          notes: 'int64 outputs: tfjs computes them as int32; the case keeps TF\'s int64.'};
});

def('reshape_squeeze_expand_transpose', (g) => {
  g.const('shape1', I32, [2], [4, 6]);
  g.add('Reshape', 'reshape', ['x', 'shape1'], {...T(), Tshape: A.type(I32)});
  g.const('shape2', I64, [3], [-1, 2, 6]);     // Keras often writes int64 shapes
  g.add('Reshape', 'reshape_i64', ['x', 'shape2'], {...T(), Tshape: A.type(I64)});
  g.const('axis1', I32, [], [1]);
  g.add('ExpandDims', 'expand', ['x', 'axis1'], {...T(), Tdim: A.type(I32)});
  g.add('Squeeze', 'squeeze', ['expand'], {...T(), squeeze_dims: A.ints([1])});
  g.add('Squeeze', 'squeeze_all', ['y'], {...T(), squeeze_dims: A.ints([])});
  g.const('perm', I32, [3], [2, 0, 1]);
  g.add('Transpose', 'transpose', ['squeeze', 'perm'], {...T(), Tperm: A.type(I32)});
  return {inputs: [{name: 'x', dtype: F, shape: [2, 3, 4]}, {name: 'y', dtype: F, shape: [1, 3, 1, 4]}],
          outputs: ['reshape', 'reshape_i64', 'expand', 'squeeze_all', 'transpose']};
});

def('concat_pack_unpack', (g) => {
  g.const('axis', I32, [], [-1]);
  g.add('ConcatV2', 'concat', ['a', 'b', 'c', 'axis'], {N: A.i(3), ...T(), Tidx: A.type(I32)});
  g.const('axis0', I32, [], [0]);
  g.add('ConcatV2', 'concat0', ['a', 'a', 'axis0'], {N: A.i(2), ...T(), Tidx: A.type(I32)});
  unary(g, 'Neg', 'neg_a', 'a');
  g.add('Pack', 'stack', ['a', 'neg_a'], {N: A.i(2), ...T(), axis: A.i(1)});
  g.add('Unpack', 'unstack', ['a'], {...T(), num: A.i(2), axis: A.i(0)});
  identity(g, 'row0', 'unstack');
  identity(g, 'row1', 'unstack:1');
  return {inputs: [{name: 'a', dtype: F, shape: [2, 3]}, {name: 'b', dtype: F, shape: [2, 4]},
                   {name: 'c', dtype: F, shape: [2, 1]}],
          outputs: ['concat', 'concat0', 'stack', 'row0', 'row1']};
});

def('split_splitv', (g) => {
  g.const('split/split_dim', I32, [], [1]);
  g.add('Split', 'split', ['split/split_dim', 'x'], {...T(), num_split: A.i(3)});
  binary(g, 'AddV2', 'split_sum', 'split', 'split:2');
  identity(g, 'split_mid', 'split:1');
  g.const('splitv/sizes', I32, [3], [2, -1, 3]);
  g.const('splitv/axis', I32, [], [1]);
  g.add('SplitV', 'splitv', ['x', 'splitv/sizes', 'splitv/axis'],
        {...T(), Tlen: A.type(I32), num_split: A.i(3)});
  identity(g, 'splitv0', 'splitv');
  identity(g, 'splitv1', 'splitv:1');
  identity(g, 'splitv2', 'splitv:2');
  return {inputs: [{name: 'x', dtype: F, shape: [2, 9, 4]}],
          outputs: ['split_sum', 'split_mid', 'splitv0', 'splitv1', 'splitv2']};
});

def('slice_strided_slice', (g) => {
  g.const('slice/begin', I32, [3], [1, 0, 2]);
  g.const('slice/size', I32, [3], [2, -1, 2]);
  g.add('Slice', 'slice', ['x', 'slice/begin', 'slice/size'], {...T(), Index: A.type(I32)});
  stridedSlice(g, 'ss_basic', 'x', [0, 1, 0], [3, 5, 5], [1, 2, 1]);        // x[:, 1:5:2, :]
  return {inputs: [{name: 'x', dtype: F, shape: [3, 6, 5]}], outputs: ['slice', 'ss_basic']};
});

def('strided_slice_masks', (g) => {
  // x[1:, 2:, :3] via begin_mask/end_mask
  stridedSlice(g, 'ss_masks', 'x', [1, 2, 0], [0, 0, 3], [1, 1, 1], {begin: 4, end: 3});
  // x[..., 1:3]
  stridedSlice(g, 'ss_ellipsis', 'x', [0, 1], [0, 3], [1, 1], {ellipsis: 1});
  // x[:, tf.newaxis, :]
  stridedSlice(g, 'ss_newaxis', 'x', [0, 0, 0], [0, 0, 0], [1, 1, 1],
               {begin: 5, end: 5, new_axis: 2});
  // x[1, :, 2]
  stridedSlice(g, 'ss_shrink', 'x', [1, 0, 2], [2, 6, 3], [1, 1, 1], {begin: 2, end: 2, shrink: 5});
  return {inputs: [{name: 'x', dtype: F, shape: [3, 6, 5]}],
          outputs: ['ss_masks', 'ss_ellipsis', 'ss_newaxis', 'ss_shrink']};
});

def('strided_slice_negative', (g) => {
  // x[::-1, 1:5:2, ::-2]
  stridedSlice(g, 'ss_reverse', 'x', [0, 1, 0], [0, 5, 0], [-1, 2, -2], {begin: 5, end: 5});
  // x[2:0:-1, -1, 3:]
  stridedSlice(g, 'ss_neg_begin', 'x', [2, -1, 3], [0, 0, 0], [-1, 1, 1], {end: 4, shrink: 2});
  // x[-2:, -4:-1]
  stridedSlice(g, 'ss_neg_index', 'x', [-2, -4], [0, -1], [1, 1], {end: 1});
  // tfjs 4.22 throws on ss_neg_begin ("out of range element"): explicit formula.
  const negBegin = ([x]) => {
    const at = (i, j, k) => x.data[(i * 6 + j) * 5 + k];
    return {dtype: F, shape: [2, 2], data: [at(2, 5, 3), at(2, 5, 4), at(1, 5, 3), at(1, 5, 4)]};
  };
  return {inputs: [{name: 'x', dtype: F, shape: [3, 6, 5]}],
          outputs: ['ss_reverse', 'ss_neg_begin', 'ss_neg_index'],
          override: {ss_neg_begin: negBegin},
          notes: 'ss_neg_begin = x[2:0:-1, -1, 3:] by explicit formula (tfjs fails on it).'};
});

def('pad_mirrorpad', (g) => {
  const pads = (name, p) => g.const(name, I32, [4, 2], p.flat());
  pads('pad/paddings', [[0, 0], [1, 2], [2, 1], [0, 0]]);
  g.add('Pad', 'pad', ['x', 'pad/paddings'], {...T(), Tpaddings: A.type(I32)});
  pads('padv2/paddings', [[0, 0], [1, 1], [0, 0], [0, 1]]);
  g.const('padv2/constant_values', F, [], [1.5]);
  g.add('PadV2', 'padv2', ['x', 'padv2/paddings', 'padv2/constant_values'],
        {...T(), Tpaddings: A.type(I32)});
  pads('reflect/paddings', [[0, 0], [2, 1], [1, 2], [0, 0]]);
  g.add('MirrorPad', 'reflect', ['x', 'reflect/paddings'],
        {...T(), Tpaddings: A.type(I32), mode: A.s('REFLECT')});
  pads('symmetric/paddings', [[0, 0], [1, 3], [2, 0], [0, 0]]);
  g.add('MirrorPad', 'symmetric', ['x', 'symmetric/paddings'],
        {...T(), Tpaddings: A.type(I32), mode: A.s('SYMMETRIC')});
  return {inputs: [{name: 'x', dtype: F, shape: [1, 4, 5, 2]}],
          outputs: ['pad', 'padv2', 'reflect', 'symmetric']};
});

def('tile', (g) => {
  g.const('multiples', I32, [2], [2, 3]);
  g.add('Tile', 'tile', ['x', 'multiples'], {...T(), Tmultiples: A.type(I32)});
  g.const('multiples3', I32, [3], [1, 2, 2]);
  g.add('Tile', 'itile', ['i', 'multiples3'], {...T(I32), Tmultiples: A.type(I32)});
  return {inputs: [{name: 'x', dtype: F, shape: [2, 3]}, {name: 'i', dtype: I32, shape: [2, 1, 3]}],
          outputs: ['tile', 'itile']};
});

def('depth_to_space', (g) => {
  g.add('DepthToSpace', 'd2s', ['x'], {...T(), block_size: A.i(2), data_format: NHWC});
  unary(g, 'Relu', 'out', 'd2s');
  return {inputs: [{name: 'x', dtype: F, shape: [1, 3, 3, 8]}], outputs: ['out']};
});

def('space_to_depth', (g) => {
  g.add('SpaceToDepth', 's2d', ['x'], {...T(), block_size: A.i(2), data_format: NHWC});
  // tfjs has no SpaceToDepth: out[n,h,w,(i*bs+j)*C+c] = x[n,h*bs+i,w*bs+j,c]
  const ref = ([x]) => {
    const [N, H, W, C] = x.shape, bs = 2, oh = H / bs, ow = W / bs, oc = C * bs * bs;
    const data = new Array(N * H * W * C);
    for (let n = 0; n < N; n++) for (let h = 0; h < oh; h++) for (let v = 0; v < ow; v++) {
      for (let i = 0; i < bs; i++) for (let j = 0; j < bs; j++) for (let c = 0; c < C; c++) {
        data[((n * oh + h) * ow + v) * oc + (i * bs + j) * C + c] =
            x.data[((n * H + h * bs + i) * W + v * bs + j) * C + c];
      }
    }
    return [{dtype: F, shape: [N, oh, ow, oc], data}];
  };
  return {inputs: [{name: 'x', dtype: F, shape: [1, 4, 6, 3]}], outputs: ['s2d'], ref,
          notes: 'tfjs lacks SpaceToDepth: reference is an explicit JS loop (NHWC, DCR order).'};
});

def('space_batch_nd', (g, w) => {
  g.const('block', I32, [2], [2, 2]);
  g.const('paddings', I32, [2, 2], [1, 1, 0, 2]);
  g.add('SpaceToBatchND', 's2b', ['x', 'block', 'paddings'],
        {...T(), Tblock_shape: A.type(I32), Tpaddings: A.type(I32)});
  g.const('scale', F, [3], w([3]));
  binary(g, 'Mul', 's2b_scaled', 's2b', 'scale');
  g.add('BatchToSpaceND', 'b2s', ['s2b_scaled', 'block', 'paddings'],
        {...T(), Tblock_shape: A.type(I32), Tcrops: A.type(I32)});
  g.const('crops', I32, [2, 2], [0, 1, 1, 0]);
  g.add('BatchToSpaceND', 'b2s_crop', ['y', 'block', 'crops'],
        {...T(), Tblock_shape: A.type(I32), Tcrops: A.type(I32)});
  return {inputs: [{name: 'x', dtype: F, shape: [2, 6, 4, 3]}, {name: 'y', dtype: F, shape: [4, 3, 3, 2]}],
          outputs: ['s2b', 'b2s', 'b2s_crop']};
});

def('cast_fill_like_range', (g) => {
  const cast = (name, x, src, dst) => g.add('Cast', name, [x],
    {SrcT: A.type(src), DstT: A.type(dst), Truncate: A.b(false)});
  cast('to_int', 'x', F, I32);                 // truncates toward zero
  cast('to_float', 'to_int', I32, F);
  cast('to_bool', 'to_int', I32, B);
  reduce(g, 'Max', 'xmax', 'x', [0, 1], false);
  g.const('fill/dims', I32, [2], [2, 3]);
  g.add('Fill', 'fill', ['fill/dims', 'xmax'], {...T(), index_type: A.type(I32)});
  unary(g, 'ZerosLike', 'zeros', 'x');
  unary(g, 'OnesLike', 'ones', 'x');
  binary(g, 'Mul', 'x_zeros', 'x', 'zeros');
  binary(g, 'AddV2', 'zeros_ones', 'x_zeros', 'ones');
  g.const('range/start', F, [], [0]);
  g.const('range/limit', F, [], [1]);
  g.const('range/delta', F, [], [0.2]);
  g.add('Range', 'range', ['range/start', 'range/limit', 'range/delta'], {Tidx: A.type(F)});
  binary(g, 'AddV2', 'x_plus_range', 'x', 'range');
  g.const('irange/start', I32, [], [1]);
  g.const('irange/limit', I32, [], [11]);
  g.const('irange/delta', I32, [], [2]);
  g.add('Range', 'irange', ['irange/start', 'irange/limit', 'irange/delta'], {Tidx: A.type(I32)});
  binary(g, 'Mul', 'int_times_range', 'to_int', 'irange', I32);
  return {inputs: [{name: 'x', dtype: F, shape: [2, 5], range: [-3, 3]}],
          outputs: ['to_float', 'to_bool', 'fill', 'zeros_ones', 'x_plus_range', 'int_times_range']};
});

def('gather', (g) => {
  const gv2 = (name, params, ids, axis, tind = I32) => {
    g.const(`${name}/axis`, I32, [], [axis]);
    return g.add('GatherV2', name, [params, ids, `${name}/axis`],
      {Tparams: A.type(F), Tindices: A.type(tind), Taxis: A.type(I32), batch_dims: A.i(0)});
  };
  gv2('embedding_lookup', 'table', 'ids', 0);              // [3,2] ids -> [3,2,4]
  g.const('cols', I64, [2], [3, 0]);
  gv2('gather_cols', 'table', 'cols', 1, I64);
  g.const('nd_idx', I32, [3, 2], [1, 2, 5, 0, 3, 3]);
  g.add('GatherNd', 'gather_nd', ['table', 'nd_idx'], {Tparams: A.type(F), Tindices: A.type(I32)});
  g.const('nd_rows', I32, [2, 1], [2, 4]);
  g.add('GatherNd', 'gather_nd_rows', ['table', 'nd_rows'], {Tparams: A.type(F), Tindices: A.type(I32)});
  return {inputs: [{name: 'table', dtype: F, shape: [6, 4]},
                   {name: 'ids', dtype: I32, shape: [3, 2], range: [0, 5]}],
          outputs: ['embedding_lookup', 'gather_cols', 'gather_nd', 'gather_nd_rows']};
});

def('shape_size_rank', (g) => {
  g.add('Shape', 'shape', ['x'], {...T(), out_type: A.type(I32)});
  g.add('Size', 'size', ['x'], {...T(), out_type: A.type(I32)});
  g.add('Rank', 'rank', ['x'], T());
  // reduce_sum(x) over all axes as TF writes it for unknown rank: Range(0, Rank)
  g.const('zero', I32, [], [0]);
  g.const('one', I32, [], [1]);
  g.add('Range', 'all_axes', ['zero', 'rank', 'one'], {Tidx: A.type(I32)});
  g.add('Sum', 'sum_all', ['x', 'all_axes'], {...T(), Tidx: A.type(I32), keep_dims: A.b(false)});
  g.add('Pack', 'flat_shape', ['size'], {N: A.i(1), ...T(I32), axis: A.i(0)});
  g.add('Reshape', 'flat', ['x', 'flat_shape'], {...T(), Tshape: A.type(I32)});
  g.add('Cast', 'shape_f', ['shape'], {SrcT: A.type(I32), DstT: A.type(F), Truncate: A.b(false)});
  binary(g, 'Mul', 'shape_times_sum', 'shape_f', 'sum_all');
  return {inputs: [{name: 'x', dtype: F, shape: [2, 3, 5]}],
          outputs: ['sum_all', 'flat', 'shape_times_sum']};
});

def('resize', (g) => {
  const rs = (op, name, size, ac, hp) => {
    g.const(`${name}/size`, I32, [2], size);
    return g.add(op, name, ['x', `${name}/size`],
                 {...T(), align_corners: A.b(ac), half_pixel_centers: A.b(hp)});
  };
  rs('ResizeBilinear', 'bilinear_align', [8, 8], true, false);
  rs('ResizeBilinear', 'bilinear_half_pixel', [7, 5], false, true);
  rs('ResizeBilinear', 'bilinear_legacy', [6, 6], false, false);
  rs('ResizeNearestNeighbor', 'nearest_align', [8, 8], true, false);
  rs('ResizeNearestNeighbor', 'nearest_half_pixel', [6, 10], false, true);
  rs('ResizeNearestNeighbor', 'nearest_legacy', [6, 6], false, false);
  return {inputs: [{name: 'x', dtype: F, shape: [1, 4, 4, 2]}],
          outputs: ['bilinear_align', 'bilinear_half_pixel', 'bilinear_legacy', 'nearest_align',
                    'nearest_half_pixel', 'nearest_legacy']};
});

def('fused_batch_norm', (g, w, r) => {
  g.const('conv/kernel', F, [3, 3, 3, 4], w([3, 3, 3, 4], 0.4));
  conv2d(g, 'conv/Conv2D', 'x', 'conv/kernel');
  fbn(g, 'FusedBatchNormV3', 'bn/FusedBatchNormV3', 'conv/Conv2D', 4, r);
  unary(g, 'Relu', 'bn/Relu', 'bn/FusedBatchNormV3');
  fbn(g, 'FusedBatchNorm', 'bn_v1', 'y', 4, r, 1e-5);
  fbn(g, 'FusedBatchNormV2', 'bn_v2', 'y', 4, r);
  return {inputs: [{name: 'x', dtype: F, shape: [1, 6, 6, 3]}, {name: 'y', dtype: F, shape: [2, 3, 3, 4]}],
          outputs: ['bn/Relu', 'bn_v1', 'bn_v2']};
});

def('comparisons', (g) => {
  binary(g, 'Less', 'less', 'a', 'b');
  binary(g, 'Greater', 'greater', 'a', 'b');
  // small ints so that equal values occur
  g.add('Equal', 'equal', ['i', 'j'], {...T(I32), incompatible_shape_error: A.b(true)});
  g.add('NotEqual', 'not_equal', ['i', 'j'], {...T(I32), incompatible_shape_error: A.b(true)});
  binary(g, 'LessEqual', 'less_equal', 'i', 'j', I32);
  binary(g, 'GreaterEqual', 'greater_equal', 'i', 'j', I32);
  return {inputs: [{name: 'a', dtype: F, shape: [2, 6]}, {name: 'b', dtype: F, shape: [6]},
                   {name: 'i', dtype: I32, shape: [2, 6], range: [-2, 2]},
                   {name: 'j', dtype: I32, shape: [6], range: [-2, 2]}],
          outputs: ['less', 'greater', 'equal', 'not_equal', 'less_equal', 'greater_equal']};
});

def('logical_select', (g) => {
  // TF's v1 Select with a [N] condition and [N,...] operands picks whole rows.
  const selectRows = ([, , rows, x, y]) => ({dtype: F, shape: [2, 5],
    data: x.data.map((v, i) => (rows.data[Math.floor(i / 5)] ? v : y.data[i]))});
  g.add('LogicalAnd', 'and', ['p', 'q']);
  g.add('LogicalOr', 'or', ['p', 'q']);
  g.add('LogicalNot', 'not', ['p']);
  g.add('Select', 'select', ['p', 'x', 'y'], T());
  g.add('Select', 'select_rows', ['rows', 'x', 'y'], T());     // rank-1 condition
  g.const('zero', F, [], [0]);
  g.add('SelectV2', 'selectv2', ['and', 'x', 'zero'], T());    // broadcast scalar
  g.add('Greater', 'positive', ['x', 'zero'], T());
  g.const('slope', F, [], [0.1]);
  binary(g, 'Mul', 'x_slope', 'x', 'slope');
  g.add('SelectV2', 'leaky_select', ['positive', 'x', 'x_slope'], T());
  return {inputs: [{name: 'p', dtype: B, shape: [2, 5]}, {name: 'q', dtype: B, shape: [2, 5]},
                   {name: 'rows', dtype: B, shape: [2], data: [1, 0]},
                   {name: 'x', dtype: F, shape: [2, 5]}, {name: 'y', dtype: F, shape: [2, 5]}],
          outputs: ['and', 'or', 'not', 'select', 'select_rows', 'selectv2', 'leaky_select'],
          override: {select_rows: selectRows},
          notes: 'select_rows (Select with a rank-1 condition picking rows) by explicit formula: ' +
                 'tfjs where() only broadcasts.'};
});

def('topk', (g) => {
  g.const('k', I32, [], [3]);
  g.add('TopKV2', 'top_k', ['x', 'k'], {...T(), sorted: A.b(true)});
  identity(g, 'values', 'top_k');
  identity(g, 'indices', 'top_k:1', I32);
  return {inputs: [{name: 'x', dtype: F, shape: [2, 10]}], outputs: ['values', 'indices']};
});

def('identity_noop_control', (g) => {
  // Pass-through ops a converter must drop, plus control edges (^node) and an
  // unfed PlaceholderWithDefault (its default is used).
  g.const('scale/default', F, [], [2]);
  g.add('PlaceholderWithDefault', 'scale', ['scale/default'], {dtype: A.type(F), shape: A.shape([])});
  identity(g, 'id', 'x');
  unary(g, 'StopGradient', 'stop_gradient', 'id');
  g.add('CheckNumerics', 'check', ['stop_gradient'], {...T(), message: A.s('x has NaN or Inf')});
  unary(g, 'Snapshot', 'snapshot', 'check');
  g.add('IdentityN', 'idn', ['snapshot', 'x'], {T: A.types([F, F])});
  g.add('NoOp', 'deps', ['^check', '^id']);
  g.add('Mul', 'scaled', ['idn', 'scale', '^deps'], T());
  g.add('AddV2', 'sum', ['scaled', 'idn:1'], T());
  g.add('Relu', 'out', ['sum', '^x'], T());
  return {inputs: [{name: 'x', dtype: F, shape: [2, 4]}], outputs: ['out'],
          rename: {CheckNumerics: 'Identity'},
          notes: 'tfjs lacks CheckNumerics: the reference runs it as Identity (inputs are finite).'};
});

def('placeholder_with_default_input', (g) => {
  // A PlaceholderWithDefault named in input_arrays is a real input.
  g.const('x/default', F, [2, 3], [0, 0, 0, 0, 0, 0]);
  g.add('PlaceholderWithDefault', 'x', ['x/default'], {dtype: A.type(F), shape: A.shape([2, 3])});
  g.const('two', F, [], [2]);
  binary(g, 'Mul', 'double', 'x', 'two');
  g.const('bias', F, [3], [0.5, -1, 0.25]);
  binary(g, 'AddV2', 'out', 'double', 'bias');
  return {inputs: [{name: 'x', dtype: F, shape: [2, 3], exists: true}], outputs: ['out']};
});

def('dynamic_batch_flatten', (g, w) => {
  // Keras-style flatten on a [-1,...] input: Shape -> StridedSlice -> Pack ->
  // Reshape. Converted with --input_shapes=2,6,6,2 (so it can be folded).
  g.const('conv/kernel', F, [3, 3, 2, 4], w([3, 3, 2, 4], 0.4));
  g.const('conv/bias', F, [4], w([4], 0.1));
  conv2d(g, 'conv/Conv2D', 'x', 'conv/kernel');
  biasAdd(g, 'conv/BiasAdd', 'conv/Conv2D', 'conv/bias');
  unary(g, 'Relu', 'conv/Relu', 'conv/BiasAdd');
  pool(g, 'MaxPool', 'pool/MaxPool', 'conv/Relu', 2, 2, 'VALID');
  g.add('Shape', 'flatten/Shape', ['pool/MaxPool'], {...T(), out_type: A.type(I32)});
  stridedSlice(g, 'flatten/strided_slice', 'flatten/Shape', [0], [1], [1], {shrink: 1}, I32);
  g.const('flatten/Reshape/shape/1', I32, [], [36]);
  g.add('Pack', 'flatten/Reshape/shape', ['flatten/strided_slice', 'flatten/Reshape/shape/1'],
        {N: A.i(2), ...T(I32), axis: A.i(0)});
  g.add('Reshape', 'flatten/Reshape', ['pool/MaxPool', 'flatten/Reshape/shape'],
        {...T(), Tshape: A.type(I32)});
  g.const('dense/kernel', F, [36, 5], w([36, 5], 0.4));
  g.const('dense/bias', F, [5], w([5], 0.1));
  matmul(g, 'dense/MatMul', 'flatten/Reshape', 'dense/kernel');
  biasAdd(g, 'dense/BiasAdd', 'dense/MatMul', 'dense/bias');
  unary(g, 'Softmax', 'probs', 'dense/BiasAdd');
  return {inputs: [{name: 'x', dtype: F, shape: [-1, 6, 6, 2], feedShape: [2, 6, 6, 2]}],
          input_shapes: '2,6,6,2', outputs: ['probs']};
});

def('two_inputs_two_outputs', (g) => {
  // Names with ':0'; output_arrays order differs from the graph's node order.
  unary(g, 'Sigmoid', 'gate', 'b');
  binary(g, 'AddV2', 'out_sum', 'a', 'gate');
  unary(g, 'Tanh', 'tanh_a', 'a');
  binary(g, 'Mul', 'out_prod', 'tanh_a', 'b');
  return {inputs: [{name: 'a:0', dtype: F, shape: [1, 6]}, {name: 'b:0', dtype: F, shape: [1, 6]}],
          outputs: ['out_prod:0', 'out_sum']};
});

def('example_cnn', (g) => {
  const out = buildExampleCnn(g);
  return {inputs: [{name: 'input', dtype: F, shape: [1, 28, 28, 1], range: [0, 1], exists: true}],
          outputs: [out], notes: 'same graph as gen/make_example.cjs (the README example)'};
});

// ---- driver -----------------------------------------------------------------
function seedOf(name) {          // per-case seed: adding a case changes no other
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

// TF's dtype of output `idx` of `node`, from its attrs: the case keeps TF's
// dtype where tfjs differs (no int64; FloorDiv on floats answers int32).
const BOOL_OPS = /^(Less|Greater|Equal|NotEqual|LessEqual|GreaterEqual|Logical(And|Or|Not))$/;
function tfDtype(node, idx) {
  const a = (k) => node.attr[k] && FROM_DT[node.attr[k].type];
  if (BOOL_OPS.test(node.op)) return B;
  if (node.op === 'TopKV2' && idx === 1) return I32;
  if (node.op === 'Rank') return I32;
  if (node.op === 'IdentityN') return FROM_DT[node.attr.T.list.type[idx]];
  return a('DstT') || a('output_type') || a('out_type') || a('Tout') || a('Tparams') ||
         a('dtype') || a('T') || a('Tidx');     // Range has only Tidx
}

function makeData(spec, r) {
  if (spec.data) return spec.data.map(Number);
  const n = prod(spec.feedShape || spec.shape);
  if (spec.dtype === B) return Array.from({length: n}, () => (r() < 0.5 ? 1 : 0));
  const [lo, hi] = spec.range || (spec.dtype === F ? [-1, 1] : [-5, 5]);
  if (spec.dtype === F) return Array.from({length: n}, () => Math.fround(lo + (hi - lo) * r()));
  return Array.from({length: n}, () => lo + Math.floor((hi - lo + 1) * r()));
}

async function buildCase(name, outDir) {
  const r = rng(seedOf(name));
  const w = (shape, scale = 1) => Array.from({length: prod(shape)}, () => scale * (2 * r() - 1));
  const g = new Graph();
  const spec = CASES[name](g, w, r);
  // Placeholders go first, as TF writes them.
  const placeholders = spec.inputs.filter((x) => !x.exists).map((x) => ({
    name: x.name.replace(/:0$/, ''), op: 'Placeholder', input: [],
    attr: {dtype: A.type(x.dtype), shape: A.shape(x.shape)}}));
  g.node.unshift(...placeholders);
  const bytes = g.encode();
  const inputs = spec.inputs.map((x) => ({name: x.name, dtype: x.dtype,
                                          shape: x.feedShape || x.shape, data: makeData(x, r)}));
  // Reference: tfjs runs the bytes we wrote (decoded again), unless the case
  // gives an explicit formula.
  let ref;
  if (spec.ref) {
    ref = spec.ref(inputs);
  } else {
    const own = spec.override || {};   // outputs where tfjs is wrong: JS formula
    const viaTfjs = spec.outputs.filter((o) => !own[o]);
    const got = await tfjsRun(decodeGraphDef(bytes), inputs, viaTfjs, spec.rename);
    ref = spec.outputs.map((o) => (own[o] ? own[o](inputs) : got[viaTfjs.indexOf(o)]));
  }
  const outputs = ref.map((o, k) => {
    const oname = spec.outputs[k];
    const base = oname.replace(/:0$/, '');
    if (o.data.some((v) => !Number.isFinite(v))) throw new Error(`${name}: ${oname} is not finite`);
    const [node, idx] = [g.node.find((n) => n.name === base.replace(/:\d+$/, '')),
                         Number((base.match(/:(\d+)$/) || [0, 0])[1])];
    const dtype = tfDtype(node, idx);
    if (!dtype) throw new Error(`${name}: no TF dtype for ${oname}`);
    return {name: oname, dtype, shape: o.shape, data: o.data};
  });
  const ops = [...new Set(g.node.map((n) => n.op))].sort();
  const caseJson = {input_arrays: spec.inputs.map((x) => x.name), output_arrays: spec.outputs,
                    ...(spec.input_shapes ? {input_shapes: spec.input_shapes} : {}),
                    inputs, outputs, ...(spec.tol ? {tol: spec.tol} : {}),
                    ...(spec.notes ? {notes: spec.notes} : {}), ops};
  const dir = path.join(outDir, name);
  fs.mkdirSync(dir, {recursive: true});
  fs.writeFileSync(path.join(dir, 'model.pb'), bytes);
  fs.writeFileSync(path.join(dir, 'case.json'), JSON.stringify(caseJson, null, 1) + '\n');
  return {ops, ref: spec.ref ? 'js formula' : spec.override ? 'tfjs + js formula' : 'tfjs'};
}

async function main() {
  const args = process.argv.slice(2);
  const fi = args.indexOf('--filter');
  const filter = fi >= 0 ? args.splice(fi, 2)[1] : '';
  const outDir = args[0];
  if (!outDir) {
    console.error('usage: node gen/make_graphs.cjs OUT_DIR [--filter substr]');
    process.exit(2);
  }
  const covered = new Set();
  let n = 0;
  for (const name of Object.keys(CASES).filter((c) => c.includes(filter))) {
    const {ops, ref} = await buildCase(name, outDir);
    ops.forEach((op) => covered.add(op));
    console.log(`${name}: ${ref} reference; ops ${ops.join(' ')}`);
    n++;
  }
  console.log(`wrote ${n} cases to ${outDir}`);
  const missing = REQUIRED_OPS.filter((op) => !covered.has(op));
  if (!filter && missing.length) {
    console.error(`required ops not covered: ${missing.join(' ')}`);
    process.exit(1);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
