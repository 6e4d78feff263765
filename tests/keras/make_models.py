#!/usr/bin/python3
# Tiny one-layer Keras 2-style .h5 models for the layers of
# src/frontends/keras/layers/{conv_more,normalization,activations_more,
# reshaping}.cc, each with a seeded input and a reference output computed
# here by explicit numpy formulas (no TensorFlow; the formulas follow the
# Keras layer docs). Debian's python3 + h5py + numpy only.
#   usage: /usr/bin/python3 tests/keras/make_models.py OUT_DIR [--with-activations]
# (--with-activations adds Dense layers with gelu/selu/softplus/softsign/
# hard_sigmoid, which need keras_activation_extra hooked into activation()).
# Writes OUT_DIR/<case>/model.h5 and case.json {input:{shape,data},
# output:{shape,data}, tol}.
import json, math, os, sys
import h5py
import numpy as np

KERAS_VERSION = '2.13.1'
rng = np.random.default_rng(7)


def write_h5(path, layer_cls, layer_cfg, in_shape, weights, batch=None):
    """Sequential [InputLayer, layer] saved the way Keras 2 save_model(h5) does."""
    name = layer_cfg['name']
    cfg = {'class_name': 'Sequential', 'config': {'name': 'seq', 'layers': [
        {'class_name': 'InputLayer', 'config': {'batch_input_shape': [batch] + list(in_shape),
                                                'dtype': 'float32', 'sparse': False, 'name': 'input_1'}},
        {'class_name': layer_cls, 'config': dict(layer_cfg, trainable=True, dtype='float32')}]}}
    with h5py.File(path, 'w') as f:
        f.attrs['keras_version'] = KERAS_VERSION
        f.attrs['backend'] = 'tensorflow'
        f.attrs['model_config'] = json.dumps(cfg)
        mw = f.create_group('model_weights')
        mw.attrs['layer_names'] = np.array([b'input_1', name.encode()])
        mw.attrs['backend'] = 'tensorflow'
        mw.attrs['keras_version'] = KERAS_VERSION
        mw.create_group('input_1').attrs['weight_names'] = np.array([], dtype='S1')
        g = mw.create_group(name)
        g.attrs['weight_names'] = np.array([('%s/%s:0' % (name, wn)).encode() for wn, _ in weights])
        for wn, w in weights:
            g.create_dataset('%s/%s:0' % (name, wn), data=np.asarray(w, np.float32))


# ---- numpy references (NHWC) ----

def same_pads(n, k, s, d=1):
    out = -(-n // s)
    total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
    return total // 2, total - total // 2


def conv2d(x, w, strides=(1, 1), dil=(1, 1), padding='valid'):
    kh, kw, cin, cout = w.shape
    if padding == 'same':
        ph, pw = same_pads(x.shape[1], kh, strides[0], dil[0]), same_pads(x.shape[2], kw, strides[1], dil[1])
        x = np.pad(x, ((0, 0), ph, pw, (0, 0)))
    ekh, ekw = (kh - 1) * dil[0] + 1, (kw - 1) * dil[1] + 1
    oh, ow = (x.shape[1] - ekh) // strides[0] + 1, (x.shape[2] - ekw) // strides[1] + 1
    y = np.zeros((x.shape[0], oh, ow, cout))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * strides[0]:i * strides[0] + ekh:dil[0], j * strides[1]:j * strides[1] + ekw:dil[1], :]
            y[:, i, j, :] = np.einsum('nhwc,hwco->no', patch, w)
    return y


def depthwise(x, w, strides=(1, 1), padding='valid'):
    kh, kw, cin, m = w.shape
    full = np.zeros(w.shape[:2] + (cin, cin * m))
    for c in range(cin):
        full[:, :, c, c * m:(c + 1) * m] = w[:, :, c, :]
    return conv2d(x, full, strides, (1, 1), padding)


def conv_transpose2d(x, w, s, padding, op=None):
    """Scatter-add of kernel copies, then Keras' output size (deconv_output_length)
    cut from it with TF's SAME split (the excess at the end)."""
    kh, kw, cout, cin = w.shape
    n, h, wd, _ = x.shape
    full = np.zeros((n, (h - 1) * s[0] + kh + s[0], (wd - 1) * s[1] + kw + s[1], cout))
    for i in range(h):
        for j in range(wd):
            full[:, i * s[0]:i * s[0] + kh, j * s[1]:j * s[1] + kw, :] += np.einsum('nc,hwoc->nhwo', x[:, i, j, :], w)
    def length(n_in, k, st, o):
        if o is None:
            return n_in * st + max(k - st, 0) if padding == 'valid' else n_in * st
        return (n_in - 1) * st + k - 2 * (k // 2 if padding == 'same' else 0) + o
    oh, ow = length(h, kh, s[0], op and op[0]), length(wd, kw, s[1], op and op[1])
    if padding == 'valid':
        return full[:, :oh, :ow, :]
    th, tw = max((h - 1) * s[0] + kh - oh, 0), max((wd - 1) * s[1] + kw - ow, 0)
    return full[:, th // 2:th // 2 + oh, tw // 2:tw // 2 + ow, :]


def pool1d(x, k, s, padding, op):
    if padding == 'same':
        lo, hi = same_pads(x.shape[1], k, s)
        x = np.pad(x, ((0, 0), (lo, hi), (0, 0)), constant_values=np.nan)
    out = (x.shape[1] - k) // s + 1
    return np.stack([op(x[:, t * s:t * s + k, :], axis=1) for t in range(out)], axis=1)


def pool3d(x, k, s, padding, op):
    if padding == 'same':
        pads = [same_pads(x.shape[1 + i], k[i], s[i]) for i in range(3)]
        x = np.pad(x, [(0, 0)] + pads + [(0, 0)], constant_values=np.nan)
    out = [(x.shape[1 + i] - k[i]) // s[i] + 1 for i in range(3)]
    y = np.zeros([x.shape[0]] + out + [x.shape[4]])
    for a in range(out[0]):
        for b in range(out[1]):
            for c in range(out[2]):
                win = x[:, a * s[0]:a * s[0] + k[0], b * s[1]:b * s[1] + k[1], c * s[2]:c * s[2] + k[2]]
                y[:, a, b, c] = op(win.reshape(x.shape[0], -1, x.shape[4]), axis=1)
    return y


def bilinear_half_pixel(x, oh, ow):
    def coords(o, n_in, n_out):
        src = max((o + 0.5) * n_in / n_out - 0.5, 0.0)
        lo = int(math.floor(src))
        return lo, min(lo + 1, n_in - 1), src - lo
    y = np.zeros((x.shape[0], oh, ow, x.shape[3]))
    for i in range(oh):
        i0, i1, fi = coords(i, x.shape[1], oh)
        for j in range(ow):
            j0, j1, fj = coords(j, x.shape[2], ow)
            top = x[:, i0, j0] * (1 - fj) + x[:, i0, j1] * fj
            bot = x[:, i1, j0] * (1 - fj) + x[:, i1, j1] * fj
            y[:, i, j] = top * (1 - fi) + bot * fi
    return y


def r(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def cases():
    # Conv1D, causal with dilation, relu: pad left (k-1)*d.
    x, w, b = r(1, 8, 2), r(3, 2, 3), r(3)
    y = conv2d(np.pad(x, ((0, 0), (4, 0), (0, 0)))[:, None], w[None], (1, 1), (1, 2))[:, 0] + b
    yield 'conv1d_causal', 'Conv1D', dict(filters=3, kernel_size=[3], padding='causal', dilation_rate=[2],
                                          activation='relu'), x, [('kernel', w), ('bias', b)], np.maximum(y, 0)
    x, w, b = r(1, 9, 2), r(3, 2, 4), r(4)
    yield 'conv1d_same_s2', 'Conv1D', dict(filters=4, kernel_size=[3], strides=[2], padding='same'), x, \
        [('kernel', w), ('bias', b)], conv2d(x[:, None], w[None], (1, 2), (1, 1), 'same')[:, 0] + b
    x, w, b = r(1, 4, 4, 2), r(3, 3, 3, 2), r(3)
    yield 'conv2d_transpose_valid', 'Conv2DTranspose', dict(filters=3, kernel_size=[3, 3], strides=[2, 2],
                                                            padding='valid'), x, [('kernel', w), ('bias', b)], \
        conv_transpose2d(x, w, (2, 2), 'valid') + b
    x, w, b = r(1, 3, 5, 2), r(3, 3, 2, 2), r(2)
    yield 'conv2d_transpose_same', 'Conv2DTranspose', dict(filters=2, kernel_size=[3, 3], strides=[2, 2],
                                                           padding='same'), x, [('kernel', w), ('bias', b)], \
        conv_transpose2d(x, w, (2, 2), 'same') + b
    x, w, b = r(1, 3, 4, 2), r(3, 3, 2, 2), r(2)
    yield 'conv2d_transpose_same_op', 'Conv2DTranspose', dict(filters=2, kernel_size=[3, 3], strides=[2, 2],
                                                              padding='same', output_padding=[1, 0]), x, \
        [('kernel', w), ('bias', b)], conv_transpose2d(x, w, (2, 2), 'same', (1, 0)) + b
    yield 'conv2d_transpose_valid_op', 'Conv2DTranspose', dict(filters=2, kernel_size=[3, 3], strides=[2, 3],
                                                               padding='valid', output_padding=[1, 2]), x, \
        [('kernel', w), ('bias', b)], conv_transpose2d(x, w, (2, 3), 'valid', (1, 2)) + b
    x, dw, pw, b = r(1, 5, 5, 3), r(3, 3, 3, 2), r(1, 1, 6, 4), r(4)
    yield 'separable_conv2d', 'SeparableConv2D', dict(filters=4, kernel_size=[3, 3], padding='same',
                                                      depth_multiplier=2), x, \
        [('depthwise_kernel', dw), ('pointwise_kernel', pw), ('bias', b)], \
        conv2d(depthwise(x, dw, padding='same'), pw) + b
    x, dw, pw, b = r(1, 7, 2), r(3, 2, 1), r(1, 2, 3), r(3)
    yield 'separable_conv1d', 'SeparableConv1D', dict(filters=3, kernel_size=[3], padding='valid'), x, \
        [('depthwise_kernel', dw), ('pointwise_kernel', pw), ('bias', b)], \
        conv2d(depthwise(x[:, None], dw[None]), pw[None])[:, 0] + b
    x, w, b = r(1, 5, 2), r(3, 3, 2), r(3)
    yield 'conv1d_transpose_same', 'Conv1DTranspose', dict(filters=3, kernel_size=[3], strides=[2], padding='same'), \
        x, [('kernel', w), ('bias', b)], conv_transpose2d(x[:, None], w[None], (1, 2), 'same')[:, 0] + b
    x, w, b = r(1, 6, 2), r(3, 2, 2), r(4)
    yield 'depthwise_conv1d', 'DepthwiseConv1D', dict(kernel_size=[3], depth_multiplier=2, padding='same'), x, \
        [('kernel', w), ('bias', b)], depthwise(x[:, None], w[None], padding='same')[:, 0] + b
    x, w, b = r(1, 3, 4, 4, 2), r(2, 2, 2, 2, 3), r(3)
    y = np.zeros((1, 2, 3, 3, 3))
    for d in range(2):
        for i in range(3):
            for j in range(3):
                y[:, d, i, j] = np.einsum('ndhwc,dhwco->no', x[:, d:d + 2, i:i + 2, j:j + 2], w)
    yield 'conv3d', 'Conv3D', dict(filters=3, kernel_size=[2, 2, 2], padding='valid'), x, \
        [('kernel', w), ('bias', b)], y + b
    x, g, b = r(1, 3, 6), r(6), r(6)
    m, v = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    yield 'layer_norm', 'LayerNormalization', dict(axis=[-1], epsilon=1e-3), x, [('gamma', g), ('beta', b)], \
        (x - m) / np.sqrt(v + 1e-3) * g + b
    x, mean, var = r(1, 4), r(4), np.abs(r(4)) + 0.5
    yield 'normalization', 'Normalization', dict(axis=[-1]), x, \
        [('mean', mean), ('variance', var), ('count', np.array(10.0))], (x - mean) / np.sqrt(var)
    x, a = r(1, 3, 4), r(1, 4)
    yield 'prelu', 'PReLU', dict(shared_axes=[1]), x, [('alpha', a)], np.maximum(x, 0) + a * np.minimum(x, 0)
    x = r(1, 5)
    yield 'elu', 'ELU', dict(alpha=0.5), x, [], np.where(x > 0, x, 0.5 * (np.exp(x) - 1))
    yield 'thresholded_relu', 'ThresholdedReLU', dict(theta=0.3), x, [], np.where(x > 0.3, x, 0)
    x = r(1, 2, 3, 4)
    yield 'permute', 'Permute', dict(dims=[3, 1, 2]), x, [], x.transpose(0, 3, 1, 2)
    x = r(1, 5)
    yield 'repeat_vector', 'RepeatVector', dict(n=3), x, [], np.repeat(x[:, None], 3, axis=1)
    x = r(1, 4, 3)
    yield 'upsampling1d', 'UpSampling1D', dict(size=3), x, [], np.repeat(x, 3, axis=1)
    x = r(1, 3, 2, 2)
    yield 'upsampling2d_nearest', 'UpSampling2D', dict(size=[2, 3], interpolation='nearest'), x, [], \
        np.repeat(np.repeat(x, 2, axis=1), 3, axis=2)
    yield 'upsampling2d_bilinear', 'UpSampling2D', dict(size=[2, 2], interpolation='bilinear'), x, [], \
        bilinear_half_pixel(x, 6, 4)
    x = r(1, 2, 3, 2, 2)
    yield 'upsampling3d', 'UpSampling3D', dict(size=[2, 1, 3]), x, [], np.repeat(np.repeat(x, 2, axis=1), 3, axis=3)
    x = r(1, 4, 3)
    yield 'zero_padding1d', 'ZeroPadding1D', dict(padding=[1, 2]), x, [], np.pad(x, ((0, 0), (1, 2), (0, 0)))
    yield 'cropping1d', 'Cropping1D', dict(cropping=[1, 2]), x, [], x[:, 1:2]
    x = r(1, 4, 5, 3)
    yield 'cropping2d', 'Cropping2D', dict(cropping=[[1, 0], [2, 1]]), x, [], x[:, 1:, 2:4]
    x = r(1, 3, 4, 2, 2)
    yield 'zero_padding3d', 'ZeroPadding3D', dict(padding=[[1, 0], [0, 2], [1, 1]]), x, [], \
        np.pad(x, ((0, 0), (1, 0), (0, 2), (1, 1), (0, 0)))
    yield 'cropping3d', 'Cropping3D', dict(cropping=[[1, 0], [1, 2], [0, 0]]), x, [], x[:, 1:, 1:2, :]
    yield 'global_avg_pool3d', 'GlobalAveragePooling3D', dict(), x, [], x.mean((1, 2, 3))
    x = r(1, 4, 5, 6, 2)
    yield 'max_pool3d', 'MaxPooling3D', dict(pool_size=[2, 2, 2], strides=[2, 2, 2], padding='valid'), x, [], \
        pool3d(x, (2, 2, 2), (2, 2, 2), 'valid', np.max)
    yield 'avg_pool3d_same', 'AveragePooling3D', dict(pool_size=[2, 3, 2], strides=[1, 2, 2], padding='same'), x, [], \
        pool3d(x, (2, 3, 2), (1, 2, 2), 'same', np.nanmean)
    x = r(1, 7, 3)
    yield 'max_pool1d_same', 'MaxPooling1D', dict(pool_size=[2], strides=[2], padding='same'), x, [], \
        pool1d(x, 2, 2, 'same', np.nanmax)
    yield 'avg_pool1d', 'AveragePooling1D', dict(pool_size=[3], strides=[1], padding='valid'), x, [], \
        pool1d(x, 3, 1, 'valid', np.mean)
    yield 'global_avg_pool1d', 'GlobalAveragePooling1D', dict(), x, [], x.mean(1)
    yield 'global_max_pool1d', 'GlobalMaxPooling1D', dict(keepdims=True), x, [], x.max(1, keepdims=True)


def activation_cases():
    erf = np.vectorize(math.erf)
    acts = {
        'gelu': lambda v: 0.5 * v * (1 + erf(v / math.sqrt(2))),
        'selu': lambda v: 1.0507009873554805 * np.where(v > 0, v, 1.6732632423543772 * (np.exp(v) - 1)),
        'softplus': lambda v: np.logaddexp(0, v),
        'softsign': lambda v: v / (1 + np.abs(v)),
        'hard_sigmoid': lambda v: np.clip(0.2 * v + 0.5, 0, 1),  # Keras 2 (the file says 2.13.1)
        'mish': lambda v: v * np.tanh(np.logaddexp(0, v)),
        'log_sigmoid': lambda v: -np.logaddexp(0, -v),
        'log_softmax': lambda v: v - np.log(np.exp(v).sum(-1, keepdims=True)),
        'hard_tanh': lambda v: np.clip(v, -1, 1),
        'tanh_shrink': lambda v: v - np.tanh(v),
        'squareplus': lambda v: (v + np.sqrt(v * v + 4)) / 2,
        'soft_shrink': lambda v: v - np.clip(v, -0.5, 0.5),
        'hard_shrink': lambda v: np.where(np.abs(v) > 0.5, v, 0),
    }
    for a, f in acts.items():
        x, w, b = 3 * r(1, 4), r(4, 6), r(6)
        yield 'act_' + a, 'Dense', dict(units=6, activation=a), x, [('kernel', w), ('bias', b)], f(x @ w + b)


def main():
    out = sys.argv[1]
    n = 0
    todo = list(cases())
    if '--with-activations' in sys.argv:
        todo += list(activation_cases())
    for case, cls, cfg, x, weights, y in todo:
        d = os.path.join(out, case)
        os.makedirs(d, exist_ok=True)
        # Conv2DTranspose with a dynamic batch reads its output shape at run
        # time, and LiteRT.js returns zeros behind run-time shapes: fix it.
        batch = 1 if cls.endswith('Transpose') else None
        write_h5(os.path.join(d, 'model.h5'), cls, dict(cfg, name=case), x.shape[1:], weights, batch)
        with open(os.path.join(d, 'case.json'), 'w') as f:
            json.dump({'layer': cls,
                       'input': {'shape': list(x.shape), 'data': x.astype(np.float32).ravel().tolist()},
                       'output': {'shape': list(y.shape), 'data': np.asarray(y, np.float64).ravel().tolist()},
                       'tol': 1e-4}, f)
        n += 1
    print('wrote', n, 'cases to', out)


if __name__ == "__main__":
    main()
