#!/usr/bin/python3
# Keras 2-style .h5 models for the layers of src/frontends/keras/layers/
# {attention,locally_connected,tf_op_layer,conv_recurrent}.cc, each with
# seeded inputs and a reference output from explicit numpy formulas that
# follow the Keras layer code (no TensorFlow). Debian's python3 + h5py + numpy.
#   usage: /usr/bin/python3 tests/keras/make_attention_models.py OUT_DIR
# Writes OUT_DIR/<case>/model.h5 and case.json in check_layers.mjs' format,
# plus "inputs": [{shape, data}, ...] for models with several inputs (read by
# tests/keras/check_layers.mjs).
import json, os, sys
import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_models as mm  # noqa: E402  (conv2d, same_pads, KERAS_VERSION)

rng = np.random.default_rng(11)


def r(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def write_functional(path, inputs, layer, weights, extra_layers=(), version=mm.KERAS_VERSION, batch=None):
    """Functional model: InputLayers `inputs` [(name, shape, dtype)] (batch
    dim `batch`, None = dynamic), then
    `layer` = (class, config, inbound) where inbound is the Keras 2 node
    list [[name, 0, 0, kwargs], ...]; its output is the model output.
    weights: [(weight name, array)] of that layer."""
    cls, cfg, inbound = layer
    name = cfg['name']
    layers = [{'class_name': 'InputLayer', 'name': n,
               'config': {'batch_input_shape': [batch] + list(s), 'dtype': dt, 'sparse': False, 'name': n},
               'inbound_nodes': []} for n, s, dt in inputs]
    layers += list(extra_layers)
    layers.append({'class_name': cls, 'name': name, 'config': dict(cfg, trainable=True, dtype='float32'),
                   'inbound_nodes': [inbound]})
    model = {'class_name': 'Functional', 'config': {
        'name': 'model', 'layers': layers,
        'input_layers': [[n, 0, 0] for n, _, _ in inputs], 'output_layers': [[name, 0, 0]]}}
    with h5py.File(path, 'w') as f:
        f.attrs['keras_version'] = version
        f.attrs['backend'] = 'tensorflow'
        f.attrs['model_config'] = json.dumps(model)
        mw = f.create_group('model_weights')
        mw.attrs['layer_names'] = np.array([l['name'].encode() for l in layers])
        mw.attrs['backend'] = 'tensorflow'
        mw.attrs['keras_version'] = version
        for l in layers[:-1]:
            mw.create_group(l['name']).attrs['weight_names'] = np.array([], dtype='S1')
        g = mw.create_group(name)
        g.attrs['weight_names'] = np.array([('%s/%s:0' % (name, wn)).encode() for wn, _ in weights])
        for wn, w in weights:
            g.create_dataset('%s/%s:0' % (name, wn), data=np.asarray(w, np.float32))


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def ref(n):
    return [n, 0, 0, {}]


# ---------------------------------------------------------------- Attention

def attention_cases():
    q, v = r(1, 3, 4), r(1, 5, 4)
    s = np.float32(0.7)
    yield 'attention_dot_scale', [('q', q), ('v', v)], \
        ('Attention', dict(name='att', use_scale=True, score_mode='dot', dropout=0.0), [ref('q'), ref('v')]), \
        [('scale', s)], softmax(s * q @ v.transpose(0, 2, 1)) @ v
    k = r(1, 5, 4)
    sc = q @ k.transpose(0, 2, 1) + np.where(np.arange(5)[None] <= np.arange(3)[:, None], 0, -1e9)
    yield 'attention_key_causal', [('q', q), ('v', v), ('k', k)], \
        ('Attention', dict(name='att', use_scale=False, score_mode='dot'),
         [ref('q'), ref('v'), ['k', 0, 0, {'use_causal_mask': True}]]), [], softmax(sc) @ v
    cw = np.float32(1.3)
    sc = cw * np.tanh(s * (q[:, :, None, :] + v[:, None, :, :])).sum(-1)
    yield 'attention_concat', [('q', q), ('v', v)], \
        ('Attention', dict(name='att', use_scale=True, score_mode='concat'), [ref('q'), ref('v')]), \
        [('scale', s), ('concat_score_weight', cw)], softmax(sc) @ v
    sv = r(4)
    sc = (sv * np.tanh(q[:, :, None, :] + k[:, None, :, :])).sum(-1)
    yield 'additive_attention', [('q', q), ('v', v), ('k', k)], \
        ('AdditiveAttention', dict(name='att', use_scale=True), [ref('q'), ref('v'), ref('k')]), \
        [('scale', sv)], softmax(sc) @ v
    # Rank 2 (as in dl4j's keras-attention.h5): the scores mix the batch.
    x = r(3, 6)
    yield 'attention_rank2', [('x', x)], \
        ('Attention', dict(name='att', use_scale=False), [ref('x'), ref('x')]), [], softmax(x @ x.T) @ x


# ------------------------------------------------------- MultiHeadAttention

def mha_weights(dq, dk, dv, heads, key_dim, value_dim, dout, bias=True):
    w = [('query/kernel', r(dq, heads, key_dim)), ('query/bias', r(heads, key_dim)),
         ('key/kernel', r(dk, heads, key_dim)), ('key/bias', r(heads, key_dim)),
         ('value/kernel', r(dv, heads, value_dim)), ('value/bias', r(heads, value_dim)),
         ('attention_output/kernel', r(heads, value_dim, dout)), ('attention_output/bias', r(dout))]
    return [x for x in w if bias or not x[0].endswith('bias')]


def mha_ref(q, v, k, w, key_dim, mask=None):
    d = dict(w)
    z = lambda n: d.get(n + '/bias', 0)
    Q = np.einsum('btd,dhk->bthk', q, d['query/kernel']) + z('query')
    K = np.einsum('bsd,dhk->bshk', k, d['key/kernel']) + z('key')
    V = np.einsum('bsd,dhk->bshk', v, d['value/kernel']) + z('value')
    Q = Q / np.sqrt(key_dim)
    sc = np.einsum('bthk,bshk->bhts', Q, K)
    if mask is not None:
        sc = sc + (1.0 - mask[:, None]) * -1e9
    p = softmax(sc)
    o = np.einsum('bhts,bshk->bthk', p, V)
    return np.einsum('bthk,hko->bto', o, d['attention_output/kernel']) + z('attention_output')


def mha_cases():
    x = r(1, 4, 6)
    w = mha_weights(6, 6, 6, 2, 3, 3, 6)
    cfg = dict(name='mha', num_heads=2, key_dim=3, value_dim=3, dropout=0.0, use_bias=True,
               output_shape=None, attention_axes=None)
    yield 'mha_self', [('x', x)], ('MultiHeadAttention', cfg, [['x', 0, 0, {'value': ['x', 0, 0]}]]), w, \
        mha_ref(x, x, x, w, 3)
    q, v, k = r(1, 3, 6), r(1, 5, 4), r(1, 5, 5)
    w = mha_weights(6, 5, 4, 2, 4, 3, 7)
    cfg2 = dict(cfg, key_dim=4, value_dim=3, output_shape=7)
    yield 'mha_cross_key', [('q', q), ('v', v), ('k', k)], \
        ('MultiHeadAttention', cfg2, [['q', 0, 0, {'value': ['v', 0, 0], 'key': ['k', 0, 0]}]]), w, \
        mha_ref(q, v, k, w, 4)
    w = mha_weights(6, 6, 6, 3, 2, 2, 6, bias=False)
    causal = np.tril(np.ones((4, 4), np.float32))[None]
    yield 'mha_causal_nobias', [('x', x)], \
        ('MultiHeadAttention', dict(cfg, num_heads=3, key_dim=2, value_dim=None, use_bias=False),
         [['x', 0, 0, {'value': ['x', 0, 0], 'use_causal_mask': True}]]), w, mha_ref(x, x, x, w, 2, causal)
    m = (rng.random((1, 3, 5)) > 0.4).astype(np.float32)
    m[:, :, 0] = 1  # every query sees something
    w = mha_weights(6, 4, 4, 2, 4, 3, 7)
    yield 'mha_attention_mask', [('q', q), ('v', v), ('m', m)], \
        ('MultiHeadAttention', cfg2, [['q', 0, 0, {'value': ['v', 0, 0], 'attention_mask': ['m', 0, 0]}]]), w, \
        mha_ref(q, v, v, w, 4, m)


# ---------------------------------------------------- LocallyConnected1D/2D

def local2d(x, kern, bias, ks, st, cf):
    """Keras 2 local_conv: patch flattened in the input's layout order, one
    kernel per position; channels_first reshapes the (r, c, F) bias to (F, r, c)."""
    xs = x if not cf else x.transpose(0, 2, 3, 1)
    h, w = xs.shape[1:3]
    oh, ow = (h - ks[0]) // st[0] + 1, (w - ks[1]) // st[1] + 1
    y = np.zeros((x.shape[0], oh, ow, kern.shape[2]))
    for i in range(oh):
        for j in range(ow):
            if cf:
                patch = x[:, :, i * st[0]:i * st[0] + ks[0], j * st[1]:j * st[1] + ks[1]]
            else:
                patch = x[:, i * st[0]:i * st[0] + ks[0], j * st[1]:j * st[1] + ks[1], :]
            y[:, i, j] = patch.reshape(x.shape[0], -1) @ kern[i * ow + j]
    if cf:
        return y.transpose(0, 3, 1, 2) + bias.reshape(kern.shape[2], oh, ow)
    return y + bias


def local_cases():
    x = r(1, 5, 6, 2)
    k, b = r(2 * 3, 3 * 2 * 2, 3), r(2, 3, 3)
    yield 'local2d_s2', [('x', x)], ('LocallyConnected2D', dict(
        name='lc', filters=3, kernel_size=[3, 2], strides=[2, 2], padding='valid', data_format='channels_last',
        activation='tanh', use_bias=True, implementation=1), [ref('x')]), [('kernel', k), ('bias', b)], \
        np.tanh(local2d(x, k, b, (3, 2), (2, 2), False))
    x = r(1, 3, 5, 4)
    k, b = r(3 * 2, 3 * 3 * 3, 4), r(3, 2, 4)
    yield 'local2d_channels_first', [('x', x)], ('LocallyConnected2D', dict(
        name='lc', filters=4, kernel_size=[3, 3], strides=[1, 1], padding='valid', data_format='channels_first',
        activation='linear', use_bias=True, implementation=1), [ref('x')]), [('kernel', k), ('bias', b)], \
        local2d(x, k, b, (3, 3), (1, 1), True)
    x = r(1, 7, 3)
    k, b = r(3, 3 * 3, 2), r(3, 2)
    y = local2d(x[:, None], k, b[None], (1, 3), (1, 2), False)[:, 0]
    yield 'local1d_s2', [('x', x)], ('LocallyConnected1D', dict(
        name='lc', filters=2, kernel_size=[3], strides=[2], padding='valid', data_format='channels_last',
        activation='linear', use_bias=True, implementation=1), [ref('x')]), [('kernel', k), ('bias', b)], y


# -------------------------------------------------------- TensorFlowOpLayer

def tf_op_cases():
    x = r(1, 2, 3)
    node = {'name': 'Reshape', 'op': 'Reshape', 'input': ['x', 'Reshape/shape'],
            'attr': {'T': {'type': 'DT_FLOAT'}, 'Tshape': {'type': 'DT_INT32'}}}
    yield 'tf_op_reshape', [('x', x)], ('TensorFlowOpLayer', dict(name='tf_op_layer_Reshape', node_def=node,
                                                                  constants={'1': [-1, 6]}), [ref('x')]), [], \
        x.reshape(-1, 6)
    # An integer constant of a float op: it must become a float32 constant.
    node = {'name': 'Mul', 'op': 'Mul', 'input': ['x', 'Mul/y'], 'attr': {'T': {'type': 'DT_FLOAT'}}}
    yield 'tf_op_mul_int_const', [('x', x)], ('TensorFlowOpLayer', dict(name='tf_op_layer_Mul', node_def=node,
                                                                        constants={'1': 3}), [ref('x')]), [], x * 3


# ---------------------------------------------------------------- ConvLSTM2D

def hard_sigmoid(v):  # Keras 2
    return np.clip(0.2 * v + 0.5, 0, 1)


def conv_lstm(x, k, rk, b, padding, cf, backwards):
    """Keras 2 ConvLSTMCell, gates i f c o; outputs in processing order."""
    if cf:
        x = x.transpose(0, 1, 3, 4, 2)
    steps = list(range(x.shape[1]))[::-1] if backwards else range(x.shape[1])
    h = c = None
    hs = []
    for t in steps:
        z = mm.conv2d(x[:, t], k, padding=padding) + b
        if h is None:
            h = np.zeros(z.shape[:3] + (k.shape[3] // 4,))
            c = np.zeros_like(h)
        z = z + mm.conv2d(h, rk, padding='same')
        zi, zf, zc, zo = np.split(z, 4, axis=-1)
        c = hard_sigmoid(zf) * c + hard_sigmoid(zi) * np.tanh(zc)
        h = hard_sigmoid(zo) * np.tanh(c)
        hs.append(h.transpose(0, 3, 1, 2) if cf else h)
    return np.stack(hs, 1)


def conv_lstm_cases():
    base = dict(name='clstm', filters=3, kernel_size=[3, 3], strides=[1, 1], dilation_rate=[1, 1],
                activation='tanh', recurrent_activation='hard_sigmoid', use_bias=True, return_state=False,
                stateful=False)
    x = r(1, 3, 5, 4, 2)
    k, rk, b = r(3, 3, 2, 12) * 0.5, r(3, 3, 3, 12) * 0.5, r(12)
    yield 'conv_lstm2d_seq_same', [('x', x)], ('ConvLSTM2D', dict(
        base, padding='same', data_format='channels_last', return_sequences=True, go_backwards=False),
        [ref('x')]), [('kernel', k), ('recurrent_kernel', rk), ('bias', b)], conv_lstm(x, k, rk, b, 'same', False, False)
    x = r(1, 4, 2, 6, 5)
    y = conv_lstm(x, k, rk, b, 'valid', True, True)[:, -1]
    yield 'conv_lstm2d_cf_backwards_valid', [('x', x)], ('ConvLSTM2D', dict(
        base, padding='valid', data_format='channels_first', return_sequences=False, go_backwards=True),
        [ref('x')]), [('kernel', k), ('recurrent_kernel', rk), ('bias', b)], y
    # Bidirectional: the forward copy as configured, the backward copy with
    # go_backwards flipped and its sequence reversed, concatenated on axis -1.
    x = r(1, 3, 4, 5, 2)
    k2, rk2, b2 = r(3, 3, 2, 12) * 0.5, r(3, 3, 3, 12) * 0.5, r(12)
    inner = dict(base, name='clstm', padding='same', data_format='channels_last', return_sequences=True,
                 go_backwards=False)
    y = np.concatenate([conv_lstm(x, k, rk, b, 'same', False, False),
                        conv_lstm(x, k2, rk2, b2, 'same', False, True)[:, ::-1]], -1)
    yield 'bidirectional_conv_lstm2d', [('x', x)], ('Bidirectional', dict(
        name='bi', layer={'class_name': 'ConvLSTM2D', 'config': inner}, merge_mode='concat'), [ref('x')]), \
        [('forward_clstm/kernel', k), ('forward_clstm/recurrent_kernel', rk), ('forward_clstm/bias', b),
         ('backward_clstm/kernel', k2), ('backward_clstm/recurrent_kernel', rk2), ('backward_clstm/bias', b2)], y


def all_cases():
    yield from attention_cases()
    yield from mha_cases()
    yield from local_cases()
    yield from tf_op_cases()
    yield from conv_lstm_cases()


def main():
    out = sys.argv[1]
    n = 0
    for case, ins, layer, weights, y in all_cases():
        d = os.path.join(out, case)
        os.makedirs(d, exist_ok=True)
        # The converter gives a dynamic batch size 1; a rank-2 Attention mixes
        # the batch, so that case fixes its batch in the file.
        batch = ins[0][1].shape[0] if ins[0][1].ndim == 2 else None
        write_functional(os.path.join(d, 'model.h5'), [(nm, a.shape[1:], 'float32') for nm, a in ins], layer, weights,
                         batch=batch)
        enc = lambda a: {'shape': list(a.shape), 'data': np.asarray(a, np.float32).ravel().tolist()}
        with open(os.path.join(d, 'case.json'), 'w') as f:
            json.dump({'layer': layer[0], 'input': enc(ins[0][1]), 'inputs': [enc(a) for _, a in ins],
                       'output': {'shape': list(y.shape), 'data': np.asarray(y, np.float64).ravel().tolist()},
                       'tol': 1e-4}, f)
        n += 1
    print('wrote', n, 'cases to', out)


if __name__ == '__main__':
    main()
