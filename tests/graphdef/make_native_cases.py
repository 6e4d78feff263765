#!/usr/bin/python3
# Frozen GraphDefs (text) for ops that must convert to builtins, not Flex:
# channels-first convolutions (Conv2DBackpropInput, Conv2D, BiasAdd,
# MaxPool with data_format=NCHW), FusedBatchNorm in training mode (batch
# statistics, empty mean/variance) and on half-precision inputs, and
# ResizeBilinear / ResizeNearestNeighbor on integer images. Each case has a
# seeded input and a reference output computed here with NumPy, following
# TensorFlow's kernel definitions. Debian's python3 + numpy only.
#   usage: /usr/bin/python3 tests/graphdef/make_native_cases.py OUT_DIR
# Writes OUT_DIR/<case>/model.pbtxt and case.json, read by
# tests/keras/check_layers.mjs.
import json, math, os, sys
import numpy as np

rng = np.random.default_rng(11)
DT = {'float32': 'DT_FLOAT', 'int32': 'DT_INT32', 'half': 'DT_HALF', 'uint8': 'DT_UINT8'}


def shape_text(shape):
    return 'shape { ' + ' '.join('dim { size: %d }' % d for d in shape) + ' }'


def attr(key, value):
    return 'attr { key: "%s" value { %s } }' % (key, value)


def ints(v):
    return 'list { ' + ' '.join('i: %d' % i for i in v) + ' }'


class Graph:
    def __init__(self):
        self.nodes = []

    def node(self, name, op, inputs=(), **attrs):
        text = 'node { name: "%s" op: "%s" ' % (name, op)
        text += ' '.join('input: "%s"' % i for i in inputs) + ' '
        text += ' '.join(attr(k, v) for k, v in attrs.items())
        self.nodes.append(text + ' }')
        return name

    def placeholder(self, name, dtype, shape):
        return self.node(name, 'Placeholder', dtype='type: %s' % DT[dtype], shape=shape_text(shape))

    def const(self, name, value, dtype='float32'):
        value = np.asarray(value)
        field = {'float32': 'float_val', 'int32': 'int_val'}[dtype]
        vals = ' '.join('%s: %r' % (field, (float(v) if dtype == 'float32' else int(v))) for v in value.ravel())
        tensor = 'tensor { dtype: %s tensor_shape { %s } %s }' % (
            DT[dtype], ' '.join('dim { size: %d }' % d for d in value.shape), vals)
        return self.node(name, 'Const', dtype='type: %s' % DT[dtype], value=tensor)

    def text(self):
        return '\n'.join(self.nodes) + '\n'


def write(out, name, g, x, y, tol, output='y', in_dtype='float32'):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'model.pbtxt'), 'w') as f:
        f.write(g.text())
    case = {'model': 'model.pbtxt',
            'convert_args': ['--enable_v1_converter', '--input_arrays=x', '--output_arrays=' + output],
            'input': {'shape': list(x.shape), 'dtype': in_dtype, 'data': [float(v) for v in x.ravel()]},
            'output': {'shape': list(y.shape), 'data': [float(v) for v in np.asarray(y, np.float64).ravel()]},
            'tol': tol}
    with open(os.path.join(d, 'case.json'), 'w') as f:
        json.dump(case, f)


# ---- NumPy references, NHWC unless named ----

def same_before(n_out, n_in, k, s):
    total = max((n_in - 1) * s + k - n_out, 0)  # the forward conv from n_out to n_in
    return total // 2


def conv_transpose_nhwc(x, w_hwoi, out_hw, s):
    n, h, wd, ci = x.shape
    kh, kw, co, _ = w_hwoi.shape
    oh, ow = out_hw
    pt, pl = same_before(oh, h, kh, s), same_before(ow, wd, kw, s)
    y = np.zeros((n, oh, ow, co))
    for i in range(h):
        for j in range(wd):
            for a in range(kh):
                for b in range(kw):
                    p, q = i * s + a - pt, j * s + b - pl
                    if 0 <= p < oh and 0 <= q < ow:
                        y[:, p, q, :] += x[:, i, j, :] @ w_hwoi[a, b].T
    return y


def conv_same_nhwc(x, w_hwio, s):
    n, h, wd, ci = x.shape
    kh, kw, _, co = w_hwio.shape
    oh, ow = -(-h // s), -(-wd // s)
    pt, pl = same_before(h, oh, kh, s), same_before(wd, ow, kw, s)
    ph, pw = max((oh - 1) * s + kh - h, 0), max((ow - 1) * s + kw - wd, 0)
    xp = np.pad(x, ((0, 0), (pt, ph - pt), (pl, pw - pl), (0, 0)))
    y = np.zeros((n, oh, ow, co))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, i * s:i * s + kh, j * s:j * s + kw, :]
            y[:, i, j, :] = np.tensordot(patch, w_hwio, axes=([1, 2, 3], [0, 1, 2]))
    return y


def nearest_index(n_in, n_out, align, half):
    scale = (n_in - 1) / (n_out - 1) if align and n_out > 1 else n_in / n_out
    scale = np.float32(scale)
    idx = []
    for o in range(n_out):
        v = (np.float32(o) + np.float32(0.5)) * scale if half else np.float32(o) * scale
        i = int(math.floor(v + 0.5)) if align else int(math.floor(v))  # roundf: half away from zero (v >= 0)
        idx.append(min(max(i, 0), n_in - 1))
    return idx


def bilinear_half_pixel(x, oh, ow):
    n, h, w, c = x.shape
    y = np.zeros((n, oh, ow, c))
    for i in range(oh):
        fy = (i + 0.5) * h / oh - 0.5
        y0 = int(math.floor(fy)); dy = fy - y0
        a0, a1 = min(max(y0, 0), h - 1), min(max(y0 + 1, 0), h - 1)
        for j in range(ow):
            fx = (j + 0.5) * w / ow - 0.5
            x0 = int(math.floor(fx)); dx = fx - x0
            b0, b1 = min(max(x0, 0), w - 1), min(max(x0 + 1, 0), w - 1)
            y[:, i, j] = ((1 - dy) * ((1 - dx) * x[:, a0, b0] + dx * x[:, a0, b1]) +
                          dy * ((1 - dx) * x[:, a1, b0] + dx * x[:, a1, b1]))
    return y


def cases(out):
    # Conv2DBackpropInput + BiasAdd, both NCHW: 2 -> 3 channels, 4x4 -> 8x8.
    x = rng.standard_normal((1, 2, 4, 4)).astype(np.float32)
    w = rng.standard_normal((3, 3, 3, 2)).astype(np.float32)  # HWOI
    bias = rng.standard_normal(3).astype(np.float32)
    g = Graph()
    g.placeholder('x', 'float32', x.shape)
    g.const('sizes', [1, 3, 8, 8], 'int32')
    g.const('w', w)
    g.const('b', bias)
    g.node('deconv', 'Conv2DBackpropInput', ['sizes', 'w', 'x'], T='type: DT_FLOAT', strides=ints([1, 1, 2, 2]),
           padding='s: "SAME"', data_format='s: "NCHW"')
    g.node('y', 'BiasAdd', ['deconv', 'b'], T='type: DT_FLOAT', data_format='s: "NCHW"')
    ref = conv_transpose_nhwc(x.transpose(0, 2, 3, 1), w, (8, 8), 2) + bias
    write(out, 'conv2d_backprop_input_nchw', g, x, ref.transpose(0, 3, 1, 2), 1e-4)

    # Conv2D (stride 2, SAME) then MaxPool 2x2, NCHW.
    x = rng.standard_normal((1, 3, 8, 8)).astype(np.float32)
    w = rng.standard_normal((3, 3, 3, 4)).astype(np.float32)  # HWIO
    g = Graph()
    g.placeholder('x', 'float32', x.shape)
    g.const('w', w)
    g.node('conv', 'Conv2D', ['x', 'w'], T='type: DT_FLOAT', strides=ints([1, 1, 2, 2]), padding='s: "SAME"',
           data_format='s: "NCHW"')
    g.node('y', 'MaxPool', ['conv'], T='type: DT_FLOAT', ksize=ints([1, 1, 2, 2]), strides=ints([1, 1, 2, 2]),
           padding='s: "VALID"', data_format='s: "NCHW"')
    c = conv_same_nhwc(x.transpose(0, 2, 3, 1), w, 2)
    ref = c.reshape(1, 2, 2, 2, 2, 4).max(axis=(2, 4))
    write(out, 'conv2d_maxpool_nchw', g, x, ref.transpose(0, 3, 1, 2), 1e-4)

    # FusedBatchNormV3, is_training=true, empty mean/variance: batch statistics.
    for fmt in ('NHWC', 'NCHW'):
        x = (rng.standard_normal((2, 3, 3, 4)) * 2 + 1).astype(np.float32)
        scale, offset = rng.standard_normal(4).astype(np.float32), rng.standard_normal(4).astype(np.float32)
        g = Graph()
        xin = x if fmt == 'NHWC' else x.transpose(0, 3, 1, 2)
        g.placeholder('x', 'float32', xin.shape)
        g.const('scale', scale)
        g.const('offset', offset)
        g.const('empty', np.zeros((0,), np.float32))
        g.node('bn', 'FusedBatchNormV3', ['x', 'scale', 'offset', 'empty', 'empty'], T='type: DT_FLOAT',
               U='type: DT_FLOAT', epsilon='f: 0.001', is_training='b: true', data_format='s: "%s"' % fmt)
        mean = x.mean(axis=(0, 1, 2))
        var = ((x - mean) ** 2).mean(axis=(0, 1, 2))
        y = (x - mean) / np.sqrt(var + 0.001) * scale + offset
        write(out, 'fused_batch_norm_training_' + fmt.lower(), g, xin, y if fmt == 'NHWC' else y.transpose(0, 3, 1, 2),
              1e-4, output='bn')
        # Output 2: the running variance, with Bessel's correction (n = 18).
        if fmt == 'NHWC':
            write(out, 'fused_batch_norm_training_variance', g, xin, var * 18 / 17, 1e-4, output='bn:2')

    # FusedBatchNormV3 on half inputs (T=half, U=float), inference mode.
    x = rng.standard_normal((1, 2, 2, 3)).astype(np.float32)
    p = [rng.standard_normal(3).astype(np.float32) for _ in range(3)] + [rng.uniform(0.5, 2, 3).astype(np.float32)]
    g = Graph()
    g.placeholder('x', 'float32', x.shape)
    g.node('xh', 'Cast', ['x'], SrcT='type: DT_FLOAT', DstT='type: DT_HALF')
    for n, v in zip(('scale', 'offset', 'mean', 'var'), p):
        g.const(n, v)
    g.node('bn', 'FusedBatchNormV3', ['xh', 'scale', 'offset', 'mean', 'var'], T='type: DT_HALF', U='type: DT_FLOAT',
           epsilon='f: 0.001', is_training='b: false')
    g.node('y', 'Cast', ['bn'], SrcT='type: DT_HALF', DstT='type: DT_FLOAT')
    xh = x.astype(np.float16).astype(np.float32)
    y = ((xh - p[2]) / np.sqrt(p[3] + 0.001) * p[0] + p[1]).astype(np.float16).astype(np.float32)
    write(out, 'fused_batch_norm_half', g, x, y, 1e-3)

    # ResizeBilinear on int32 images (TF returns float32), half-pixel centers.
    x = rng.integers(-1000, 1000, (1, 3, 4, 2)).astype(np.int32)
    g = Graph()
    g.placeholder('x', 'int32', x.shape)
    g.const('size', [5, 7], 'int32')
    g.node('y', 'ResizeBilinear', ['x', 'size'], T='type: DT_INT32', half_pixel_centers='b: true')
    write(out, 'resize_bilinear_int32', g, x, bilinear_half_pixel(x.astype(np.float64), 5, 7), 1e-5, in_dtype='int32')

    # ResizeNearestNeighbor on int32 beyond float32's exact range: GATHERs.
    for align, half in ((False, True), (True, False), (False, False)):
        x = rng.integers(-2**31, 2**31 - 1, (1, 3, 5, 2)).astype(np.int32)
        g = Graph()
        g.placeholder('x', 'int32', x.shape)
        g.const('size', [7, 4], 'int32')
        g.node('y', 'ResizeNearestNeighbor', ['x', 'size'], T='type: DT_INT32', align_corners='b: %s' % str(align).lower(),
               half_pixel_centers='b: %s' % str(half).lower())
        ref = x[:, nearest_index(3, 7, align, half)][:, :, nearest_index(5, 4, align, half)]
        write(out, 'resize_nearest_int32_%s' % ('align' if align else 'half' if half else 'legacy'), g, x, ref, 0,
              in_dtype='int32')


if __name__ == '__main__':
    cases(sys.argv[1])
