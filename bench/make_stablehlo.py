#!/usr/bin/python3
# StableHLO modules of about 10 MB of float32 weights, in jax.export's
# printed form, for bench/convert_bench's StableHLO cases:
#   mlp_10mb.mlir: 1024 -> 1280 -> 1280 -> 10 dense layers with relu;
#   cnn_10mb.mlir: four 3x3 convolutions of 256 channels (SAME, relu).
#   usage: /usr/bin/python3 bench/make_stablehlo.py OUT_DIR
import os, sys
import numpy as np

rng = np.random.default_rng(0)


def t(shape):
    return 'tensor<' + ''.join('%dx' % d for d in shape) + 'f32>'


def dense(a):
    return 'dense<"0x%s">' % np.ascontiguousarray(a, np.float32).tobytes().hex().upper()


def mlp():
    dims = [1024, 1280, 1280, 10]
    lines, x, shape = [], '%arg0', (1, 1024)
    for k in range(3):
        w = (rng.standard_normal((dims[k], dims[k + 1])) * 0.03).astype(np.float32)
        out = (1, dims[k + 1])
        lines.append(f'    %w{k} = stablehlo.constant {dense(w)} : {t(w.shape)}')
        lines.append(f'    %d{k} = stablehlo.dot_general {x}, %w{k}, contracting_dims = [1] x [0] : ({t(shape)}, {t(w.shape)}) -> {t(out)}')
        x, shape = f'%d{k}', out
        if k < 2:
            lines.append(f'    %z{k} = stablehlo.constant dense<0.000000e+00> : {t(out)}')
            lines.append(f'    %r{k} = stablehlo.maximum {x}, %z{k} : {t(out)}')
            x = f'%r{k}'
    return (f'module @jit_mlp {{\n  func.func public @main(%arg0: {t((1, 1024))}) -> {t(shape)} {{\n' + '\n'.join(lines) +
            f'\n    return {x} : {t(shape)}\n  }}\n}}\n')


def cnn():
    lines, x, shape = [], '%arg0', (1, 32, 32, 256)
    for k in range(4):
        w = (rng.standard_normal((3, 3, 256, 256)) * 0.02).astype(np.float32)
        lines.append(f'    %k{k} = stablehlo.constant {dense(w)} : {t(w.shape)}')
        lines.append(f'    %c{k} = stablehlo.convolution({x}, %k{k}) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], '
                     f'window = {{stride = [1, 1], pad = [[1, 1], [1, 1]]}} {{batch_group_count = 1 : i64, feature_group_count = 1 : i64}} '
                     f': ({t(shape)}, {t(w.shape)}) -> {t(shape)}')
        lines.append(f'    %z{k} = stablehlo.constant dense<0.000000e+00> : {t(shape)}')
        lines.append(f'    %r{k} = stablehlo.maximum %c{k}, %z{k} : {t(shape)}')
        x = f'%r{k}'
    return (f'module @jit_cnn {{\n  func.func public @main(%arg0: {t(shape)}) -> {t(shape)} {{\n' + '\n'.join(lines) +
            f'\n    return {x} : {t(shape)}\n  }}\n}}\n')


out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name, text in [('mlp_10mb.mlir', mlp()), ('cnn_10mb.mlir', cnn())]:
    with open(os.path.join(out, name), 'w') as f:
        f.write(text)
