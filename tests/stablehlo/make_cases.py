#!/usr/bin/python3
# StableHLO modules written here, in the form jax.export prints (pretty
# MLIR, hex dense weights), with NumPy references: an MLP with a softmax,
# a CNN (convolution, bias, relu, a reduce_window max pool, flatten, dense),
# a while loop with a counter and an accumulator, an average pool as
# reduce_window add / count, and a gather (x[idx]) with dynamic_slice.
# Debian's python3 + numpy only.
#   usage: /usr/bin/python3 tests/stablehlo/make_cases.py OUT_DIR
# Writes OUT_DIR/<case>/model.mlir and case.json, read by
# tests/keras/check_layers.mjs.
import json, os, sys
import numpy as np

rng = np.random.default_rng(15)


def t(shape, e='f32'):
    return 'tensor<' + ''.join('%dx' % d for d in shape) + e + '>'


def dense(a):
    a = np.ascontiguousarray(a, dtype=np.float32)
    return 'dense<"0x%s">' % a.tobytes().hex().upper()


def module(args, result, body):
    sig = ', '.join('%%arg%d: %s' % (k, a) for k, a in enumerate(args))
    return ('module @jit_f attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {\n'
            '  func.func public @main(%s) -> (%s {jax.result_info = ""}) {\n%s  }\n}\n') % (sig, result, body)


def mlp():
    x = rng.standard_normal((4, 16)).astype(np.float32)
    w1 = (rng.standard_normal((16, 32)) * 0.3).astype(np.float32)
    b1 = (rng.standard_normal(32) * 0.1).astype(np.float32)
    w2 = (rng.standard_normal((32, 10)) * 0.3).astype(np.float32)
    h = np.maximum(x @ w1 + b1, 0)
    z = h @ w2
    e = np.exp(z - z.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)
    body = f"""    %w1 = stablehlo.constant {dense(w1)} : {t((16, 32))}
    %b1 = stablehlo.constant {dense(b1)} : {t((32,))}
    %w2 = stablehlo.constant {dense(w2)} : {t((32, 10))}
    %zero = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %ninf = stablehlo.constant dense<0xFF800000> : tensor<f32>
    %0 = stablehlo.dot_general %arg0, %w1, contracting_dims = [1] x [0], precision = [DEFAULT, DEFAULT] : ({t((4, 16))}, {t((16, 32))}) -> {t((4, 32))}
    %1 = stablehlo.broadcast_in_dim %b1, dims = [1] : ({t((32,))}) -> {t((4, 32))}
    %2 = stablehlo.add %0, %1 : {t((4, 32))}
    %3 = stablehlo.broadcast_in_dim %zero, dims = [] : (tensor<f32>) -> {t((4, 32))}
    %4 = stablehlo.maximum %2, %3 : {t((4, 32))}
    %5 = stablehlo.dot_general %4, %w2, contracting_dims = [1] x [0], precision = [DEFAULT, DEFAULT] : ({t((4, 32))}, {t((32, 10))}) -> {t((4, 10))}
    %6 = stablehlo.reduce(%5 init: %ninf) applies stablehlo.maximum across dimensions = [1] : ({t((4, 10))}, tensor<f32>) -> {t((4,))}
    %7 = stablehlo.broadcast_in_dim %6, dims = [0] : ({t((4,))}) -> {t((4, 10))}
    %8 = stablehlo.subtract %5, %7 : {t((4, 10))}
    %9 = stablehlo.exponential %8 : {t((4, 10))}
    %10 = stablehlo.reduce(%9 init: %zero) applies stablehlo.add across dimensions = [1] : ({t((4, 10))}, tensor<f32>) -> {t((4,))}
    %11 = stablehlo.broadcast_in_dim %10, dims = [0] : ({t((4,))}) -> {t((4, 10))}
    %12 = stablehlo.divide %9, %11 : {t((4, 10))}
    return %12 : {t((4, 10))}
"""
    return module([t((4, 16))], t((4, 10)), body), [x], y, 1e-5


def cnn():
    x = rng.standard_normal((1, 8, 8, 3)).astype(np.float32)
    k = (rng.standard_normal((3, 3, 3, 4)) * 0.3).astype(np.float32)
    b = (rng.standard_normal(4) * 0.1).astype(np.float32)
    w = (rng.standard_normal((64, 5)) * 0.2).astype(np.float32)
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    conv = np.zeros((1, 8, 8, 4), np.float32)
    for i in range(8):
        for j in range(8):
            conv[0, i, j] = np.tensordot(xp[0, i:i + 3, j:j + 3, :], k, axes=3)
    r = np.maximum(conv + b, 0)
    pool = r.reshape(1, 4, 2, 4, 2, 4).max(axis=(2, 4))
    y = pool.reshape(1, 64) @ w
    body = f"""    %k = stablehlo.constant {dense(k)} : {t((3, 3, 3, 4))}
    %b = stablehlo.constant {dense(b)} : {t((4,))}
    %w = stablehlo.constant {dense(w)} : {t((64, 5))}
    %zero = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %ninf = stablehlo.constant dense<0xFF800000> : tensor<f32>
    %0 = stablehlo.convolution(%arg0, %k) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {{stride = [1, 1], pad = [[1, 1], [1, 1]], rhs_dilate = [1, 1]}} {{batch_group_count = 1 : i64, feature_group_count = 1 : i64}} : ({t((1, 8, 8, 3))}, {t((3, 3, 3, 4))}) -> {t((1, 8, 8, 4))}
    %1 = stablehlo.broadcast_in_dim %b, dims = [3] : ({t((4,))}) -> {t((1, 8, 8, 4))}
    %2 = stablehlo.add %0, %1 : {t((1, 8, 8, 4))}
    %3 = stablehlo.broadcast_in_dim %zero, dims = [] : (tensor<f32>) -> {t((1, 8, 8, 4))}
    %4 = stablehlo.maximum %2, %3 : {t((1, 8, 8, 4))}
    %5 = "stablehlo.reduce_window"(%4, %ninf) <{{window_dimensions = array<i64: 1, 2, 2, 1>, window_strides = array<i64: 1, 2, 2, 1>}}> ({{
    ^bb0(%a: tensor<f32>, %c: tensor<f32>):
      %m = stablehlo.maximum %a, %c : tensor<f32>
      stablehlo.return %m : tensor<f32>
    }}) : ({t((1, 8, 8, 4))}, tensor<f32>) -> {t((1, 4, 4, 4))}
    %6 = stablehlo.reshape %5 : ({t((1, 4, 4, 4))}) -> {t((1, 64))}
    %7 = stablehlo.dot_general %6, %w, contracting_dims = [1] x [0] : ({t((1, 64))}, {t((64, 5))}) -> {t((1, 5))}
    return %7 : {t((1, 5))}
"""
    return module([t((1, 8, 8, 3))], t((1, 5)), body), [x], y, 1e-5


def while_loop():
    # acc = x; for i in range(5): acc = acc * 0.5 + i
    x = rng.standard_normal((3, 4)).astype(np.float32)
    acc = x.copy()
    for i in range(5):
        acc = (acc * np.float32(0.5) + np.float32(i)).astype(np.float32)
    body = f"""    %c0 = stablehlo.constant dense<0> : tensor<i32>
    %0:2 = stablehlo.while(%iterArg = %c0, %iterArg_0 = %arg0) : tensor<i32>, {t((3, 4))}
     cond {{
      %n = stablehlo.constant dense<5> : tensor<i32>
      %1 = stablehlo.compare  LT, %iterArg, %n,  SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
      stablehlo.return %1 : tensor<i1>
    }} do {{
      %half = stablehlo.constant dense<5.000000e-01> : tensor<f32>
      %one = stablehlo.constant dense<1> : tensor<i32>
      %1 = stablehlo.broadcast_in_dim %half, dims = [] : (tensor<f32>) -> {t((3, 4))}
      %2 = stablehlo.multiply %iterArg_0, %1 : {t((3, 4))}
      %3 = stablehlo.convert %iterArg : (tensor<i32>) -> tensor<f32>
      %4 = stablehlo.broadcast_in_dim %3, dims = [] : (tensor<f32>) -> {t((3, 4))}
      %5 = stablehlo.add %2, %4 : {t((3, 4))}
      %6 = stablehlo.add %iterArg, %one : tensor<i32>
      stablehlo.return %6, %5 : tensor<i32>, {t((3, 4))}
    }}
    return %0#1 : {t((3, 4))}
"""
    return module([t((3, 4))], t((3, 4)), body), [x], acc, 1e-6


def avg_pool():
    x = rng.standard_normal((1, 6, 6, 2)).astype(np.float32)
    y = x.reshape(1, 3, 2, 3, 2, 2).sum(axis=(2, 4)) / np.float32(4)
    body = f"""    %zero = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %four = stablehlo.constant dense<4.000000e+00> : tensor<f32>
    %0 = "stablehlo.reduce_window"(%arg0, %zero) <{{window_dimensions = array<i64: 1, 2, 2, 1>, window_strides = array<i64: 1, 2, 2, 1>}}> ({{
    ^bb0(%a: tensor<f32>, %c: tensor<f32>):
      %s = stablehlo.add %a, %c : tensor<f32>
      stablehlo.return %s : tensor<f32>
    }}) : ({t((1, 6, 6, 2))}, tensor<f32>) -> {t((1, 3, 3, 2))}
    %1 = stablehlo.broadcast_in_dim %four, dims = [] : (tensor<f32>) -> {t((1, 3, 3, 2))}
    %2 = stablehlo.divide %0, %1 : {t((1, 3, 3, 2))}
    return %2 : {t((1, 3, 3, 2))}
"""
    return module([t((1, 6, 6, 2))], t((1, 3, 3, 2)), body), [x], y, 1e-6


def gather_slice():
    # y = table[idx] (jnp.take) then a dynamic_slice of rows [start, start+2).
    table = rng.standard_normal((10, 4)).astype(np.float32)
    idx = np.array([3, 0, 9, 12], np.int32)  # 12 is clamped to 9, as StableHLO clamps
    g = table[np.clip(idx, 0, 9)]
    y = g[1:3]
    body = f"""    %table = stablehlo.constant {dense(table)} : {t((10, 4))}
    %start = stablehlo.constant dense<1> : tensor<i32>
    %zero = stablehlo.constant dense<0> : tensor<i32>
    %i = stablehlo.reshape %arg0 : ({t((4,), 'i32')}) -> {t((4, 1), 'i32')}
    %0 = "stablehlo.gather"(%table, %i) <{{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, slice_sizes = array<i64: 1, 4>}}> : ({t((10, 4))}, {t((4, 1), 'i32')}) -> {t((4, 4))}
    %1 = stablehlo.dynamic_slice %0, %start, %zero, sizes = [2, 4] : ({t((4, 4))}, tensor<i32>, tensor<i32>) -> {t((2, 4))}
    return %1 : {t((2, 4))}
"""
    return module([t((4,), 'i32')], t((2, 4)), body), [idx], y, 0


def main():
    out = sys.argv[1]
    for name, make in [('mlp', mlp), ('cnn', cnn), ('while_loop', while_loop), ('avg_pool', avg_pool),
                       ('gather_slice', gather_slice)]:
        text, inputs, y, tol = make()
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, 'model.mlir'), 'w') as f:
            f.write(text)
        case = {'format': 'stablehlo', 'model': 'model.mlir', 'tol': tol,
                'inputs': [{'dtype': str(a.dtype), 'shape': list(a.shape), 'data': a.ravel().tolist()} for a in inputs],
                'output': {'shape': list(y.shape), 'data': np.asarray(y, np.float64).ravel().tolist()}}
        with open(os.path.join(d, 'case.json'), 'w') as f:
            json.dump(case, f)
    print('wrote 5 cases to', out)


main()
