#!/usr/bin/python3
# StableHLO modules written here, in the form jax.export prints (pretty
# MLIR, hex dense weights), with NumPy references: an MLP with a softmax,
# a CNN (convolution, bias, relu, a reduce_window max pool, flatten, dense),
# a while loop with a counter and an accumulator, an average pool as
# reduce_window add / count, a gather (x[idx]) with dynamic_slice,
# transposed convolutions (lhs_dilate, as jax.lax.conv_transpose), and the
# expanded softmax, log-softmax, GELU (tanh and erf), logistic, hard-swish
# and layer norm that the fusion passes must turn into builtins (a case's
# 'ops' is the exact op list expected). Debian's python3 + numpy only.
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


def mlp(B=4, I=16, H=32, O=10):
    x = rng.standard_normal((B, I)).astype(np.float32)
    w1 = (rng.standard_normal((I, H)) * 0.3).astype(np.float32)
    b1 = (rng.standard_normal(H) * 0.1).astype(np.float32)
    w2 = (rng.standard_normal((H, O)) * 0.3).astype(np.float32)
    h = np.maximum(x @ w1 + b1, 0)
    z = h @ w2
    e = np.exp(z - z.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)
    body = f"""    %w1 = stablehlo.constant {dense(w1)} : {t((I, H))}
    %b1 = stablehlo.constant {dense(b1)} : {t((H,))}
    %w2 = stablehlo.constant {dense(w2)} : {t((H, O))}
    %zero = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %ninf = stablehlo.constant dense<0xFF800000> : tensor<f32>
    %0 = stablehlo.dot_general %arg0, %w1, contracting_dims = [1] x [0], precision = [DEFAULT, DEFAULT] : ({t((B, I))}, {t((I, H))}) -> {t((B, H))}
    %1 = stablehlo.broadcast_in_dim %b1, dims = [1] : ({t((H,))}) -> {t((B, H))}
    %2 = stablehlo.add %0, %1 : {t((B, H))}
    %3 = stablehlo.broadcast_in_dim %zero, dims = [] : (tensor<f32>) -> {t((B, H))}
    %4 = stablehlo.maximum %2, %3 : {t((B, H))}
    %5 = stablehlo.dot_general %4, %w2, contracting_dims = [1] x [0], precision = [DEFAULT, DEFAULT] : ({t((B, H))}, {t((H, O))}) -> {t((B, O))}
    %6 = stablehlo.reduce(%5 init: %ninf) applies stablehlo.maximum across dimensions = [1] : ({t((B, O))}, tensor<f32>) -> {t((B,))}
    %7 = stablehlo.broadcast_in_dim %6, dims = [0] : ({t((B,))}) -> {t((B, O))}
    %8 = stablehlo.subtract %5, %7 : {t((B, O))}
    %9 = stablehlo.exponential %8 : {t((B, O))}
    %10 = stablehlo.reduce(%9 init: %zero) applies stablehlo.add across dimensions = [1] : ({t((B, O))}, tensor<f32>) -> {t((B,))}
    %11 = stablehlo.broadcast_in_dim %10, dims = [0] : ({t((B,))}) -> {t((B, O))}
    %12 = stablehlo.divide %9, %11 : {t((B, O))}
    return %12 : {t((B, O))}
"""
    return module([t((B, I))], t((B, O)), body), [x], y, 1e-5, ['FULLY_CONNECTED', 'FULLY_CONNECTED', 'SOFTMAX']


def cnn(C=3, F=4, O=5):
    x = rng.standard_normal((1, 8, 8, C)).astype(np.float32)
    k = (rng.standard_normal((3, 3, C, F)) * 0.3).astype(np.float32)
    b = (rng.standard_normal(F) * 0.1).astype(np.float32)
    w = (rng.standard_normal((16 * F, O)) * 0.2).astype(np.float32)
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    conv = np.zeros((1, 8, 8, F), np.float32)
    for i in range(8):
        for j in range(8):
            conv[0, i, j] = np.tensordot(xp[0, i:i + 3, j:j + 3, :], k, axes=3)
    r = np.maximum(conv + b, 0)
    pool = r.reshape(1, 4, 2, 4, 2, F).max(axis=(2, 4))
    y = pool.reshape(1, 16 * F) @ w
    body = f"""    %k = stablehlo.constant {dense(k)} : {t((3, 3, C, F))}
    %b = stablehlo.constant {dense(b)} : {t((F,))}
    %w = stablehlo.constant {dense(w)} : {t((16 * F, O))}
    %zero = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %ninf = stablehlo.constant dense<0xFF800000> : tensor<f32>
    %0 = stablehlo.convolution(%arg0, %k) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {{stride = [1, 1], pad = [[1, 1], [1, 1]], rhs_dilate = [1, 1]}} {{batch_group_count = 1 : i64, feature_group_count = 1 : i64}} : ({t((1, 8, 8, C))}, {t((3, 3, C, F))}) -> {t((1, 8, 8, F))}
    %1 = stablehlo.broadcast_in_dim %b, dims = [3] : ({t((F,))}) -> {t((1, 8, 8, F))}
    %2 = stablehlo.add %0, %1 : {t((1, 8, 8, F))}
    %3 = stablehlo.broadcast_in_dim %zero, dims = [] : (tensor<f32>) -> {t((1, 8, 8, F))}
    %4 = stablehlo.maximum %2, %3 : {t((1, 8, 8, F))}
    %5 = "stablehlo.reduce_window"(%4, %ninf) <{{window_dimensions = array<i64: 1, 2, 2, 1>, window_strides = array<i64: 1, 2, 2, 1>}}> ({{
    ^bb0(%a: tensor<f32>, %c: tensor<f32>):
      %m = stablehlo.maximum %a, %c : tensor<f32>
      stablehlo.return %m : tensor<f32>
    }}) : ({t((1, 8, 8, F))}, tensor<f32>) -> {t((1, 4, 4, F))}
    %6 = stablehlo.reshape %5 : ({t((1, 4, 4, F))}) -> {t((1, 16 * F))}
    %7 = stablehlo.dot_general %6, %w, contracting_dims = [1] x [0] : ({t((1, 16 * F))}, {t((16 * F, O))}) -> {t((1, O))}
    return %7 : {t((1, O))}
"""
    return module([t((1, 8, 8, C))], t((1, O)), body), [x], y, 1e-5, ['CONV_2D', 'MAX_POOL_2D', 'RESHAPE', 'FULLY_CONNECTED']


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
    return module([t((1, 6, 6, 2))], t((1, 3, 3, 2)), body), [x], y, 1e-6, ['AVERAGE_POOL_2D']


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



# Activation and normalization forms as jax.export writes them (JAX's own
# jax.nn definitions, scalar constants broadcast with broadcast_in_dim);
# each must become the one builtin named in 'ops' (checked exactly).
def unary_case(shape, lines, out, ref, ops, tol):
    """lines: StableHLO body lines reading %arg0 and writing `out`."""
    x = (rng.standard_normal(shape) * 3).astype(np.float32)
    body = ''.join('    %s\n' % l for l in lines) + '    return %s : %s\n' % (out, t(shape))
    return module([t(shape)], t(shape), body), [x], ref(x.astype(np.float64)), tol, ops


def bcast(name, value, shape):
    return ['%%%s_s = stablehlo.constant dense<%s> : tensor<f32>' % (name, repr(float(np.float32(value)))),
            '%%%s = stablehlo.broadcast_in_dim %%%s_s, dims = [] : (tensor<f32>) -> %s' % (name, name, t(shape))]


def shifted_exp_sum(s, r):
    """jax.nn.(log_)softmax's common part over the last axis of s: %3 = x - max
    (with initial=-inf), %4 = exp(%3), %6 = sum(%4) broadcast back to r."""
    return ['%ninf = stablehlo.constant dense<0xFF800000> : tensor<f32>',
            '%zero = stablehlo.constant dense<0.000000e+00> : tensor<f32>',
            '%%0 = stablehlo.reduce(%%arg0 init: %%ninf) applies stablehlo.maximum across dimensions = [1] : (%s, tensor<f32>) -> tensor<3xf32>' % t(s),
            '%ninf3 = stablehlo.broadcast_in_dim %ninf, dims = [] : (tensor<f32>) -> tensor<3xf32>',
            '%m = stablehlo.maximum %0, %ninf3 : tensor<3xf32>',
            '%1 = stablehlo.broadcast_in_dim %m, dims = [0] : (tensor<3xf32>) -> ' + t(r),
            '%%2 = stablehlo.broadcast_in_dim %%1, dims = [0, 1] : (%s) -> %s' % (t(r), t(s)),
            '%3 = stablehlo.subtract %arg0, %2 : ' + t(s),
            '%4 = stablehlo.exponential %3 : ' + t(s),
            '%%5 = stablehlo.reduce(%%4 init: %%zero) applies stablehlo.add across dimensions = [1] : (%s, tensor<f32>) -> tensor<3xf32>' % t(s),
            '%6 = stablehlo.broadcast_in_dim %5, dims = [0] : (tensor<3xf32>) -> ' + t(r)]


def softmax_jax():
    # jax.nn.softmax(x, axis=-1): exp(x - stop_gradient(max(x, initial=-inf))) / sum, keepdims
    s, r = (3, 8), (3, 1)
    lines = shifted_exp_sum(s, r) + [
        '%%7 = stablehlo.broadcast_in_dim %%6, dims = [0, 1] : (%s) -> %s' % (t(r), t(s)),
        '%8 = stablehlo.divide %4, %7 : ' + t(s)]
    def ref(x):
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    return unary_case(s, lines, '%8', ref, ['SOFTMAX'], 1e-5)


def log_softmax_jax():
    # jax.nn.log_softmax: shifted - log(sum(exp(shifted), keepdims)), max with initial=-inf
    s, r = (3, 8), (3, 1)
    lines = shifted_exp_sum(s, r) + [
        '%7 = stablehlo.log %6 : ' + t(r),
        '%%8 = stablehlo.broadcast_in_dim %%7, dims = [0, 1] : (%s) -> %s' % (t(r), t(s)),
        '%9 = stablehlo.subtract %3, %8 : ' + t(s)]
    def ref(x):
        sh = x - x.max(axis=-1, keepdims=True)
        return sh - np.log(np.exp(sh).sum(axis=-1, keepdims=True))
    return unary_case(s, lines, '%9', ref, ['LOG_SOFTMAX'], 1e-5)


def gelu_tanh_jax():
    # jax.nn.gelu(x, approximate=True): x * 0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))
    s = (4, 16)
    lines = (bcast('c', 0.044715, s) + bcast('k', np.sqrt(2 / np.pi), s) + bcast('one', 1.0, s) + bcast('half', 0.5, s) +
             ['%0 = stablehlo.multiply %arg0, %arg0 : ' + t(s),
              '%1 = stablehlo.multiply %0, %arg0 : ' + t(s),
              '%2 = stablehlo.multiply %c, %1 : ' + t(s),
              '%3 = stablehlo.add %arg0, %2 : ' + t(s),
              '%4 = stablehlo.multiply %k, %3 : ' + t(s),
              '%5 = stablehlo.tanh %4 : ' + t(s),
              '%6 = stablehlo.add %one, %5 : ' + t(s),
              '%7 = stablehlo.multiply %half, %6 : ' + t(s),
              '%8 = stablehlo.multiply %arg0, %7 : ' + t(s)])
    ref = lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))
    return unary_case(s, lines, '%8', ref, ['GELU'], 1e-5)


def gelu_erf_jax():
    # jax.nn.gelu(x, approximate=False): x * (erf(x / sqrt(2)) + 1) / 2
    s = (4, 16)
    lines = (bcast('r2', np.sqrt(2), s) + bcast('one', 1.0, s) + bcast('two', 2.0, s) +
             ['%0 = stablehlo.divide %arg0, %r2 : ' + t(s),
              '%%1 = chlo.erf %%0 : %s -> %s' % (t(s), t(s)),
              '%2 = stablehlo.add %1, %one : ' + t(s),
              '%3 = stablehlo.multiply %arg0, %2 : ' + t(s),
              '%4 = stablehlo.divide %3, %two : ' + t(s)])
    from math import erf
    ref = lambda x: x * (np.vectorize(erf)(x / np.sqrt(2)) + 1) / 2
    return unary_case(s, lines, '%4', ref, ['GELU'], 1e-5)


def logistic_expanded():
    # 1 / (1 + exp(-x)), as written by hand (jax.nn.sigmoid itself is stablehlo.logistic)
    s = (4, 16)
    lines = (bcast('one', 1.0, s) +
             ['%0 = stablehlo.negate %arg0 : ' + t(s),
              '%1 = stablehlo.exponential %0 : ' + t(s),
              '%2 = stablehlo.add %one, %1 : ' + t(s),
              '%3 = stablehlo.divide %one, %2 : ' + t(s)])
    return unary_case(s, lines, '%3', lambda x: 1 / (1 + np.exp(-x)), ['LOGISTIC'], 1e-5)


def hard_swish_jax():
    # jax.nn.hard_swish: x * (relu6(x + 3) / 6), relu6 = minimum(maximum(x, 0), 6)
    s = (4, 16)
    lines = (bcast('three', 3.0, s) + bcast('zero', 0.0, s) + bcast('six', 6.0, s) +
             ['%0 = stablehlo.add %arg0, %three : ' + t(s),
              '%1 = stablehlo.maximum %0, %zero : ' + t(s),
              '%2 = stablehlo.minimum %1, %six : ' + t(s),
              '%3 = stablehlo.divide %2, %six : ' + t(s),
              '%4 = stablehlo.multiply %arg0, %3 : ' + t(s)])
    return unary_case(s, lines, '%4', lambda x: x * np.clip(x + 3, 0, 6) / 6, ['HARD_SWISH'], 1e-5)


def layer_norm_jax():
    # (x - mean) * rsqrt(var + eps) * gamma + beta over the last axis, with
    # jnp.mean / jnp.var as JAX writes them (reduce add, then divide by n).
    # TFLite has no layer-norm builtin; sum/n becomes MEAN (keep_dims).
    s, r, n = (4, 16), (4, 1), 16
    gamma = (rng.standard_normal(n) * 0.5 + 1).astype(np.float32)
    beta = (rng.standard_normal(n) * 0.1).astype(np.float32)
    lines = (['%zero = stablehlo.constant dense<0.000000e+00> : tensor<f32>',
              '%%g = stablehlo.constant %s : %s' % (dense(gamma), t((n,))),
              '%%b = stablehlo.constant %s : %s' % (dense(beta), t((n,))),
              '%%0 = stablehlo.reduce(%%arg0 init: %%zero) applies stablehlo.add across dimensions = [1] : (%s, tensor<f32>) -> tensor<4xf32>' % t(s)] +
             bcast('n', float(n), (4,)) +
             ['%1 = stablehlo.divide %0, %n : tensor<4xf32>',
              '%2 = stablehlo.broadcast_in_dim %1, dims = [0] : (tensor<4xf32>) -> ' + t(r),
              '%%3 = stablehlo.broadcast_in_dim %%2, dims = [0, 1] : (%s) -> %s' % (t(r), t(s)),
              '%4 = stablehlo.subtract %arg0, %3 : ' + t(s),
              '%5 = stablehlo.multiply %4, %4 : ' + t(s),
              '%%6 = stablehlo.reduce(%%5 init: %%zero) applies stablehlo.add across dimensions = [1] : (%s, tensor<f32>) -> tensor<4xf32>' % t(s),
              '%7 = stablehlo.divide %6, %n : tensor<4xf32>'] +
             bcast('eps', 1e-6, (4,)) +
             ['%8 = stablehlo.add %7, %eps : tensor<4xf32>',
              '%9 = stablehlo.rsqrt %8 : tensor<4xf32>',
              '%10 = stablehlo.broadcast_in_dim %9, dims = [0] : (tensor<4xf32>) -> ' + t(r),
              '%%11 = stablehlo.broadcast_in_dim %%10, dims = [0, 1] : (%s) -> %s' % (t(r), t(s)),
              '%12 = stablehlo.multiply %4, %11 : ' + t(s),
              '%%13 = stablehlo.broadcast_in_dim %%g, dims = [1] : (%s) -> %s' % (t((n,)), t(s)),
              '%14 = stablehlo.multiply %12, %13 : ' + t(s),
              '%%15 = stablehlo.broadcast_in_dim %%b, dims = [1] : (%s) -> %s' % (t((n,)), t(s)),
              '%16 = stablehlo.add %14, %15 : ' + t(s)])
    def ref(x):
        m = x.mean(axis=-1, keepdims=True)
        v = ((x - m) ** 2).mean(axis=-1, keepdims=True)
        return (x - m) / np.sqrt(v + 1e-6) * gamma + beta
    return unary_case(s, lines, '%16', ref,
                      ['MEAN', 'SUB', 'MUL', 'MEAN', 'ADD', 'RSQRT', 'MUL', 'MUL', 'ADD'], 1e-5)


# Near misses that must stay expanded (and still compute the right values):
# GELU's tanh form with sqrt(2/pi) rounded to 0.79, and a softmax over axis 0
# (TFLite's SOFTMAX works on the last axis only).
def near_gelu():
    s = (4, 16)
    lines = (bcast('c', 0.044715, s) + bcast('k', 0.79, s) + bcast('one', 1.0, s) + bcast('half', 0.5, s) +
             ['%0 = stablehlo.multiply %arg0, %arg0 : ' + t(s),
              '%1 = stablehlo.multiply %0, %arg0 : ' + t(s),
              '%2 = stablehlo.multiply %c, %1 : ' + t(s),
              '%3 = stablehlo.add %arg0, %2 : ' + t(s),
              '%4 = stablehlo.multiply %k, %3 : ' + t(s),
              '%5 = stablehlo.tanh %4 : ' + t(s),
              '%6 = stablehlo.add %one, %5 : ' + t(s),
              '%7 = stablehlo.multiply %half, %6 : ' + t(s),
              '%8 = stablehlo.multiply %arg0, %7 : ' + t(s)])
    ref = lambda x: 0.5 * x * (1 + np.tanh(np.float32(0.79) * (x + 0.044715 * x ** 3)))
    return unary_case(s, lines, '%8', ref, ['MUL', 'MUL', 'MUL', 'ADD', 'MUL', 'TANH', 'ADD', 'MUL', 'MUL'], 1e-5)


def softmax_axis0():
    s, r = (3, 8), (1, 8)
    lines = ['%ninf = stablehlo.constant dense<0xFF800000> : tensor<f32>',
             '%zero = stablehlo.constant dense<0.000000e+00> : tensor<f32>',
             '%0 = stablehlo.reduce(%arg0 init: %ninf) applies stablehlo.maximum across dimensions = [0] : (' + t(s) + ', tensor<f32>) -> tensor<8xf32>',
             '%1 = stablehlo.broadcast_in_dim %0, dims = [1] : (tensor<8xf32>) -> ' + t(s),
             '%2 = stablehlo.subtract %arg0, %1 : ' + t(s),
             '%3 = stablehlo.exponential %2 : ' + t(s),
             '%4 = stablehlo.reduce(%3 init: %zero) applies stablehlo.add across dimensions = [0] : (' + t(s) + ', tensor<f32>) -> tensor<8xf32>',
             '%5 = stablehlo.broadcast_in_dim %4, dims = [1] : (tensor<8xf32>) -> ' + t(s),
             '%6 = stablehlo.divide %3, %5 : ' + t(s)]
    def ref(x):
        e = np.exp(x - x.max(axis=0, keepdims=True))
        return e / e.sum(axis=0, keepdims=True)
    return unary_case(s, lines, '%6', ref, ['REDUCE_MAX', 'SUB', 'EXP', 'SUM', 'DIV'], 1e-5)


# 3x3 stride-2 pools on 1x9x9x2, as jax's reduce_window pools write them:
# max with SAME padding (-inf), the mean over the window (VALID), and the
# mean over the in-bounds part of a SAME window (count_include_pad=False,
# counts as a reduce_window of ones). Each must become one pool builtin.
def pool_case(kind):
    x = rng.standard_normal((1, 9, 9, 2)).astype(np.float32)
    same = kind != 'avg_valid'
    pad = np.array([[0, 0], [1, 1], [1, 1], [0, 0]]) if same else np.zeros((4, 2), int)
    o = 5 if same else 4
    init = '0xFF800000' if kind == 'max_same' else '0.000000e+00'
    op = 'maximum' if kind == 'max_same' else 'add'
    attrs = ('padding = dense<%s> : tensor<4x2xi64>, ' % pad.tolist() if same else '') + \
        'window_dimensions = array<i64: 1, 3, 3, 1>, window_strides = array<i64: 1, 2, 2, 1>'
    def rw(v, name):
        return (f'    %{name} = "stablehlo.reduce_window"({v}, %init) <{{{attrs}}}> ({{\n'
                f'    ^bb0(%a: tensor<f32>, %c: tensor<f32>):\n'
                f'      %m = stablehlo.{op} %a, %c : tensor<f32>\n'
                f'      stablehlo.return %m : tensor<f32>\n'
                f'    }}) : ({t((1, 9, 9, 2))}, tensor<f32>) -> {t((1, o, o, 2))}\n')
    body = f'    %init = stablehlo.constant dense<{init}> : tensor<f32>\n' + rw('%arg0', 's')
    fill = -np.inf if kind == 'max_same' else 0.0
    xp = np.pad(x.astype(np.float64), pad, constant_values=fill)
    win = np.stack([xp[:, i:i + 2 * o - 1:2, j:j + 2 * o - 1:2, :] for i in range(3) for j in range(3)])
    if kind == 'max_same':
        return module([t((1, 9, 9, 2))], t((1, o, o, 2)), body + f'    return %s : {t((1, o, o, 2))}\n'), [x], \
            win.max(axis=0), 1e-6, ['MAX_POOL_2D']
    if kind == 'avg_valid':
        body += f'    %nine = stablehlo.constant dense<9.000000e+00> : {t((1, o, o, 2))}\n'
        body += f'    %y = stablehlo.divide %s, %nine : {t((1, o, o, 2))}\n'
        return module([t((1, 9, 9, 2))], t((1, o, o, 2)), body + f'    return %y : {t((1, o, o, 2))}\n'), [x], \
            win.sum(axis=0) / 9, 1e-5, ['AVERAGE_POOL_2D']
    ones = np.pad(np.ones((1, 9, 9, 2)), pad)
    cnt = np.stack([ones[:, i:i + 2 * o - 1:2, j:j + 2 * o - 1:2, :] for i in range(3) for j in range(3)]).sum(axis=0)
    body += f'    %one = stablehlo.constant dense<1.000000e+00> : {t((1, 9, 9, 2))}\n' + rw('%one', 'n')
    body += f'    %y = stablehlo.divide %s, %n : {t((1, o, o, 2))}\n'
    return module([t((1, 9, 9, 2))], t((1, o, o, 2)), body + f'    return %y : {t((1, o, o, 2))}\n'), [x], \
        win.sum(axis=0) / cnt, 1e-5, ['AVERAGE_POOL_2D']

def conv_transpose(layout, s, pad, reverse_kernel, ops, N=1, H=5, W=4, C=3, F=2, KH=3, KW=2):
    # jax.lax.conv_transpose's form: lhs_dilate = stride, the given padding;
    # the reference is the dilated-input convolution done directly.
    x = rng.standard_normal((N, H, W, C)).astype(np.float32)  # NHWC
    k = (rng.standard_normal((KH, KW, C, F)) * 0.5).astype(np.float32)  # HWIO
    xd = np.zeros((N, (H - 1) * s[0] + 1, (W - 1) * s[1] + 1, C), np.float32)
    xd[:, ::s[0], ::s[1], :] = x
    kk = k[::-1, ::-1] if reverse_kernel else k  # the kernel the convolution sees
    lo = [pad[0][0], pad[1][0]]
    hi = [pad[0][1], pad[1][1]]
    xp = np.pad(xd, ((0, 0), (max(lo[0], 0), max(hi[0], 0)), (max(lo[1], 0), max(hi[1], 0)), (0, 0)))
    xp = xp[:, max(-lo[0], 0):xp.shape[1] - max(-hi[0], 0), max(-lo[1], 0):xp.shape[2] - max(-hi[1], 0)]
    OH, OW = xp.shape[1] - KH + 1, xp.shape[2] - KW + 1
    y = np.zeros((N, OH, OW, F), np.float64)
    for i in range(OH):
        for j in range(OW):
            y[:, i, j] = np.tensordot(xp[:, i:i + KH, j:j + KW, :], kk, axes=3)
    if layout == 'nchw':  # input NCHW, kernel OIHW, output NCHW
        xin, kin, yout = x.transpose(0, 3, 1, 2), k.transpose(3, 2, 0, 1), y.transpose(0, 3, 1, 2)
        dn, rdims = '[b, f, 0, 1]x[o, i, 0, 1]->[b, f, 0, 1]', '2, 3'
    else:
        xin, kin, yout = x, k, y
        dn, rdims = '[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]', '0, 1'
    xin, kin = np.ascontiguousarray(xin), np.ascontiguousarray(kin)
    body = f'    %k = stablehlo.constant {dense(kin)} : {t(kin.shape)}\n'
    kname = '%k'
    if reverse_kernel:
        body += f'    %kr = stablehlo.reverse %k, dims = [{rdims}] : {t(kin.shape)}\n'
        kname = '%kr'
    body += (f'    %0 = stablehlo.convolution(%arg0, {kname}) dim_numbers = {dn}, window = {{stride = [1, 1], '
             f'pad = [[{lo[0]}, {hi[0]}], [{lo[1]}, {hi[1]}]], lhs_dilate = [{s[0]}, {s[1]}], rhs_dilate = [1, 1]}} '
             f'{{batch_group_count = 1 : i64, feature_group_count = 1 : i64}} : ({t(xin.shape)}, {t(kin.shape)}) -> {t(yout.shape)}\n'
             f'    return %0 : {t(yout.shape)}\n')
    return module([t(xin.shape)], t(yout.shape), body), [xin], yout.astype(np.float32), 1e-4, ops


def leaky_case(form, alpha, ops):
    # jax.nn.leaky_relu: jnp.where(x >= 0, x, a * x); also max(x, a * x),
    # and near misses that must stay expanded (a > 1, a threshold not 0)
    s = (4, 16)
    b = 'tensor<4x16xi1>'
    lines = bcast('a', alpha, s) + bcast('zero', 1.0 if form == 'gt_one' else 0.0, s) + [
        '%0 = stablehlo.multiply %a, %arg0 : ' + t(s)]
    if form == 'max':
        lines.append('%1 = stablehlo.maximum %arg0, %0 : ' + t(s))
        ref = lambda x: np.maximum(x, np.float32(alpha) * x)
    elif form == 'lt':
        lines += ['%%c = stablehlo.compare LT, %%arg0, %%zero, FLOAT : (%s, %s) -> %s' % (t(s), t(s), b),
                  '%1 = stablehlo.select %c, %0, %arg0 : ' + '%s, %s' % (b, t(s))]
        ref = lambda x: np.where(x < 0, np.float32(alpha) * x, x)
    else:
        thr = 1.0 if form == 'gt_one' else 0.0
        lines += ['%%c = stablehlo.compare GE, %%arg0, %%zero, FLOAT : (%s, %s) -> %s' % (t(s), t(s), b),
                  '%1 = stablehlo.select %c, %arg0, %0 : ' + '%s, %s' % (b, t(s))]
        ref = lambda x: np.where(x >= thr, x, np.float32(alpha) * x)
    return unary_case(s, lines, '%1', ref, ops, 1e-6)


def round_afz():
    # halves away from zero (ROUND, half to even, would give 2 for 2.5),
    # and the float just below 0.5, which |x| + 0.5 would round up
    s = (2, 8)
    x = np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997, -0.49999997,
                  3.7, -3.2, 0.0, -0.0, 1e8, -1e8, 12345.5, 8388607.5], np.float32).reshape(s)
    body = '    %%0 = stablehlo.round_nearest_afz %%arg0 : %s\n    return %%0 : %s\n' % (t(s), t(s))
    ref = np.sign(x.astype(np.float64)) * np.floor(np.abs(x.astype(np.float64)) + 0.5)
    return module([t(s)], t(s), body), [x], ref, 0, None


def main():
    out = sys.argv[1]
    cases = [('mlp', mlp), ('cnn', cnn), ('while_loop', while_loop), ('avg_pool', avg_pool),
             ('gather_slice', gather_slice), ('softmax_jax', softmax_jax), ('log_softmax_jax', log_softmax_jax),
             ('gelu_tanh_jax', gelu_tanh_jax), ('gelu_erf_jax', gelu_erf_jax), ('logistic_expanded', logistic_expanded),
             ('hard_swish_jax', hard_swish_jax), ('layer_norm_jax', layer_norm_jax),
             ('near_gelu', near_gelu), ('softmax_axis0', softmax_axis0),
             ('pool_max_same', lambda: pool_case('max_same')), ('pool_avg_valid', lambda: pool_case('avg_valid')),
             ('pool_avg_same', lambda: pool_case('avg_same')),
             ('round_afz', round_afz),
             ('leaky_relu_jax', lambda: leaky_case('ge', 0.01, ['LEAKY_RELU'])),
             ('leaky_relu_lt', lambda: leaky_case('lt', 0.2, ['LEAKY_RELU'])),
             ('leaky_relu_max', lambda: leaky_case('max', 0.1, ['LEAKY_RELU'])),
             ('near_leaky_max', lambda: leaky_case('max', 1.5, ['MUL', 'MAXIMUM'])),
             ('near_leaky_threshold', lambda: leaky_case('gt_one', 0.1, ['MUL', 'GREATER_EQUAL', 'SELECT_V2'])),
             # transposed convolutions: kernel flipped by stablehlo.reverse or not,
             # SAME-like, VALID-like, asymmetric and over-wide (zero rows) padding
             ('conv_t_same_rev', lambda: conv_transpose('nhwc', (2, 2), ((2, 1), (1, 1)), True, ['TRANSPOSE_CONV'])),
             ('conv_t_valid', lambda: conv_transpose('nhwc', (2, 2), ((2, 2), (1, 1)), False, ['TRANSPOSE_CONV'])),
             ('conv_t_nchw', lambda: conv_transpose('nchw', (2, 3), ((1, 2), (0, 1)), True, ['TRANSPOSE', 'TRANSPOSE_CONV', 'SLICE', 'TRANSPOSE'])),
             ('conv_t_crop_pad', lambda: conv_transpose('nhwc', (3, 1), ((0, 3), (2, -1)), False, ['TRANSPOSE_CONV', 'SLICE', 'PAD'])),
             # for tests/stablehlo/check_quant.mjs: weights of >= 1024 elements,
             # which the quantizer quantizes (as TF's, smaller ones stay float)
             ('quant_mlp', lambda: mlp(B=4, I=64, H=128, O=10)), ('quant_cnn', lambda: cnn(C=8, F=16, O=10))]
    for name, make in cases:
        text, inputs, y, tol, *ops = make()
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, 'model.mlir'), 'w') as f:
            f.write(text)
        case = {'format': 'stablehlo', 'model': 'model.mlir', 'tol': tol, 'ops': ops[0] if ops else None,
                'inputs': [{'dtype': str(a.dtype), 'shape': list(a.shape), 'data': a.ravel().tolist()} for a in inputs],
                'output': {'shape': list(y.shape), 'data': np.asarray(y, np.float64).ravel().tolist()}}
        with open(os.path.join(d, 'case.json'), 'w') as f:
            json.dump(case, f)
    print('wrote %d cases to' % len(cases), out)


main()
