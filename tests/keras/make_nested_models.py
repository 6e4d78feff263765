#!/usr/bin/python3
# Keras 2 .h5 models whose nested-model weights must be matched by Keras's
# own loading order (hdf5_format.load_weights_from_hdf5_group): a Functional
# inside a Sequential whose saved weight names do not match its layer names,
# with BatchNormalization and Conv2D inside (legacy order: every layer's
# trainable weights, then every layer's non-trainable ones); top-level layer
# names holding '/'; and broken files that must be refused in one line.
# References by numpy formulas. Writes OUT_DIR/<case>/{model.h5,case.json}
# for tests/keras/check_layers.mjs.
#   usage: /usr/bin/python3 tests/keras/make_nested_models.py OUT_DIR
import json, os, sys
import h5py
import numpy as np

rng = np.random.default_rng(11)
BAD = "the file's weights do not follow the model's layers"


def r(*s):
    return rng.standard_normal(s).astype(np.float32)


def layer(cls, name, inbound=None, **cfg):
    e = {'class_name': cls, 'name': name, 'config': dict(cfg, name=name, trainable=True, dtype='float32')}
    if inbound is not None:
        e['inbound_nodes'] = [[[inbound, 0, 0, {}]]] if inbound else []
    return e


def functional(name, in_shape, layers):
    """Functional `name`: InputLayer then `layers` chained in order."""
    ls = [layer('InputLayer', name + '_in', '', batch_input_shape=[None] + list(in_shape), sparse=False)]
    prev = name + '_in'
    for cls, lname, cfg in layers:
        ls.append(layer(cls, lname, prev, **cfg))
        prev = lname
    return {'class_name': 'Functional', 'config': {'name': name, 'layers': ls, 'input_layers': [[name + '_in', 0, 0]],
                                                   'output_layers': [[prev, 0, 0]]}}


def write(path, model_cfg, groups):
    """groups: [(group name, [(weight name, array)])] in layer order."""
    with h5py.File(path, 'w') as f:
        f.attrs['keras_version'] = '2.13.1'
        f.attrs['backend'] = 'tensorflow'
        f.attrs['model_config'] = json.dumps(model_cfg)
        mw = f.create_group('model_weights')
        mw.attrs['layer_names'] = np.array([g.encode() for g, _ in groups])
        for g, ws in groups:
            grp = mw.create_group(g)  # a '/' in g makes nested groups, as h5py does for Keras
            grp.attrs['weight_names'] = np.array([n.encode() for n, _ in ws], dtype='S') if ws else np.array([], 'S1')
            for n, w in ws:
                grp.create_dataset(n, data=w)


def bn(x, g, b, m, v, eps=1e-3):
    return g * (x - m) / np.sqrt(v + eps) + b


def conv_valid(x, k, bias):
    n, h, w, c = x.shape
    kh, kw, _, f = k.shape
    y = np.zeros((n, h - kh + 1, w - kw + 1, f), np.float64)
    for i in range(h - kh + 1):
        for j in range(w - kw + 1):
            y[:, i, j, :] = np.tensordot(x[:, i:i + kh, j:j + kw, :], k, axes=([1, 2, 3], [0, 1, 2]))
    return y + bias


def seq(layers, in_shape):
    return {'class_name': 'Sequential', 'config': {'name': 'sequential', 'layers': [
        {'class_name': 'InputLayer', 'config': {'batch_input_shape': [None] + list(in_shape), 'dtype': 'float32',
                                                'sparse': False, 'name': 'input_1'}}] + layers}}


def cases():
    # (1) dense + BN + dense inside a Functional "encoder" in a Sequential;
    # weights saved under other names ("dense_7/...", a rebuilt model).
    x = r(1, 4)
    k1, b1, g, be, mm, mv, k2, b2, k3, b3 = r(4, 5), r(5), r(5), r(5), r(5), np.abs(r(5)) + 0.5, r(5, 3), r(3), r(3, 2), r(2)
    inner = functional('encoder', [4], [('Dense', 'fc', {'units': 5, 'activation': 'relu', 'use_bias': True}),
                                        ('BatchNormalization', 'norm', {'axis': -1, 'epsilon': 1e-3, 'center': True,
                                                                        'scale': True}),
                                        ('Dense', 'proj', {'units': 3, 'activation': 'linear', 'use_bias': True})])
    cfg = seq([inner, {'class_name': 'Dense', 'config': {'name': 'head', 'units': 2, 'activation': 'linear',
                                                         'use_bias': True, 'trainable': True, 'dtype': 'float32'}}], [4])
    enc = [('dense_7/kernel:0', k1), ('dense_7/bias:0', b1), ('batch_normalization_3/gamma:0', g),
           ('batch_normalization_3/beta:0', be), ('dense_8/kernel:0', k2), ('dense_8/bias:0', b2),
           ('batch_normalization_3/moving_mean:0', mm), ('batch_normalization_3/moving_variance:0', mv)]
    y = bn(np.maximum(x @ k1 + b1, 0), g, be, mm, mv) @ k2 + b2
    y = y @ k3 + b3
    groups = [('input_1', []), ('encoder', enc), ('head', [('head/kernel:0', k3), ('head/bias:0', b3)])]
    yield 'nested_renamed_dense_bn', cfg, groups, x, y, None
    # (4) the same with a kernel of another shape, and with a weight missing.
    bad = list(enc)
    bad[4] = ('dense_8/kernel:0', r(3, 5))
    yield 'nested_renamed_bad_shape', cfg, [groups[0], ('encoder', bad), groups[2]], x, y, BAD
    yield 'nested_renamed_bad_count', cfg, [groups[0], ('encoder', enc[:-1]), groups[2]], x, y, BAD
    # (2) Conv2D + BN + Flatten + Dense inside, names under TF's name scope.
    x = r(1, 5, 5, 2)
    kc, bc, g, be, mm, mv, kd, bd = r(3, 3, 2, 3), r(3), r(3), r(3), r(3), np.abs(r(3)) + 0.5, r(27, 4), r(4)
    inner = functional('block', [5, 5, 2], [
        ('Conv2D', 'conv', {'filters': 3, 'kernel_size': [3, 3], 'strides': [1, 1], 'padding': 'valid',
                            'data_format': 'channels_last', 'dilation_rate': [1, 1], 'groups': 1,
                            'activation': 'linear', 'use_bias': True}),
        ('BatchNormalization', 'bn', {'axis': 3, 'epsilon': 1e-3, 'center': True, 'scale': True}),
        ('Flatten', 'flat', {'data_format': 'channels_last'}),
        ('Dense', 'out', {'units': 4, 'activation': 'linear', 'use_bias': True})])
    cfg = seq([inner], [5, 5, 2])
    blk = [('model/conv2d/kernel:0', kc), ('model/conv2d/bias:0', bc), ('model/batch_normalization/gamma:0', g),
           ('model/batch_normalization/beta:0', be), ('model/dense/kernel:0', kd), ('model/dense/bias:0', bd),
           ('model/batch_normalization/moving_mean:0', mm), ('model/batch_normalization/moving_variance:0', mv)]
    y = bn(conv_valid(x, kc, bc), g, be, mm, mv).reshape(1, -1) @ kd + bd
    yield 'nested_scoped_conv_bn', cfg, [('input_1', []), ('block', blk)], x, y, None
    # (5) Conv1D + LayerNormalization + GRU + Dense inside, renamed as a
    # rebuilt model saves them (every weight trainable: layer order).
    x = r(1, 6, 2)
    kc, bc, g, be = r(2, 2, 3), r(3), r(3), r(3)
    kl, rl, bl, kd, bd = r(3, 12) * 0.5, r(4, 12) * 0.5, r(2, 12) * 0.5, r(4, 2), r(2)
    inner = functional('seqenc', [6, 2], [
        ('Conv1D', 'conv', {'filters': 3, 'kernel_size': [2], 'strides': [1], 'padding': 'valid',
                            'data_format': 'channels_last', 'dilation_rate': [1], 'groups': 1,
                            'activation': 'linear', 'use_bias': True}),
        ('LayerNormalization', 'ln', {'axis': [2], 'epsilon': 1e-3, 'center': True, 'scale': True}),
        ('GRU', 'rnn', {'units': 4, 'activation': 'tanh', 'recurrent_activation': 'sigmoid', 'use_bias': True,
                         'return_sequences': False, 'return_state': False, 'go_backwards': False,
                        'stateful': False, 'unroll': False, 'time_major': False, 'reset_after': True,
                        'implementation': 2}),
        ('Dense', 'out', {'units': 2, 'activation': 'linear', 'use_bias': True})])
    cfg = seq([inner], [6, 2])
    ws = [('conv1d_5/kernel:0', kc), ('conv1d_5/bias:0', bc), ('layer_normalization_2/gamma:0', g),
          ('layer_normalization_2/beta:0', be), ('gru_3/gru_cell_3/kernel:0', kl),
          ('gru_3/gru_cell_3/recurrent_kernel:0', rl), ('gru_3/gru_cell_3/bias:0', bl),
          ('dense_9/kernel:0', kd), ('dense_9/bias:0', bd)]
    xs = x[0].astype(np.float64)
    c1 = np.stack([xs[t] @ kc[0] + xs[t + 1] @ kc[1] for t in range(5)]) + bc
    mu, var = c1.mean(-1, keepdims=True), c1.var(-1, keepdims=True)
    ln = (c1 - mu) / np.sqrt(var + 1e-3) * g + be
    sig = lambda v: 1 / (1 + np.exp(-v))
    h = np.zeros(4)
    for t in range(5):
        xi, hi = ln[t] @ kl + bl[0], h @ rl + bl[1]
        z, rr = sig(xi[:4] + hi[:4]), sig(xi[4:8] + hi[4:8])
        h = z * h + (1 - z) * np.tanh(xi[8:] + rr * hi[8:])
    yield 'nested_renamed_conv1d_ln_gru', cfg, [('input_1', []), ('seqenc', ws)], x, (h @ kd + bd)[None], None
    # (3) top-level layer names with '/'.
    x = r(1, 4)
    k1, b1, k2, b2 = r(4, 6), r(6), r(6, 2), r(2)
    d = lambda n, u, a: {'class_name': 'Dense', 'config': {'name': n, 'units': u, 'activation': a, 'use_bias': True,
                                                           'trainable': True, 'dtype': 'float32'}}
    cfg = seq([d('block/fc', 6, 'relu'), d('block/out', 2, 'linear')], [4])
    groups = [('input_1', []), ('block/fc', [('block/fc/kernel:0', k1), ('block/fc/bias:0', b1)]),
              ('block/out', [('block/out/kernel:0', k2), ('block/out/bias:0', b2)])]
    yield 'slash_layer_names', cfg, groups, x, np.maximum(x @ k1 + b1, 0) @ k2 + b2, None


def main():
    out = sys.argv[1]
    n = 0
    for name, cfg, groups, x, y, err in cases():
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        write(os.path.join(d, 'model.h5'), cfg, groups)
        c = {'input': {'shape': list(x.shape), 'data': x.astype(np.float32).ravel().tolist()},
             'output': {'shape': list(y.shape), 'data': np.asarray(y, np.float64).ravel().tolist()}, 'tol': 1e-4}
        if err:
            c['expect_error'] = err
        with open(os.path.join(d, 'case.json'), 'w') as f:
            json.dump(c, f)
        n += 1
    print('wrote', n, 'cases to', out)


if __name__ == '__main__':
    main()
