#!/usr/bin/python3
# Cases (check_layers.mjs format) for the corpus models that use the
# layers of make_attention_models.py, with numpy references worked out from
# each file's weights. The model.h5 of each case is a symlink into the
# corpus (nothing is copied). Prints SKIP and writes nothing when the corpus
# is absent.
#   usage: /usr/bin/python3 tests/keras/make_corpus_cases.py OUT_DIR [CORPUS_DIR]
# (issue_9349.hdf5 has a uint16 input, which LiteRT.js cannot load: not here.)
import json, os, sys
import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_attention_models import conv_lstm, local2d, softmax  # noqa: E402


def weights(f, layer):
    g = f['model_weights'][layer]
    return [np.array(g[n]) for n in g.attrs['weight_names']]


def keras_attention(f):
    # Dense(relu) -> Attention([d, d]) -> Concatenate -> Dense(relu) x2; a
    # seed whose output is not cut to 0 by the last relu.
    for seed in range(100):
        x = np.random.default_rng(seed).standard_normal((1, 22)).astype(np.float32)
        k, b = weights(f, 'dense')
        d = np.maximum(x @ k + b, 0)
        c = np.concatenate([d, softmax(d @ d.T) @ d], -1)
        k, b = weights(f, 'dense_1')
        h = np.maximum(c @ k + b, 0)
        k, b = weights(f, 'outputs')
        y = np.maximum(h @ k + b, 0)
        if y.max() > 0:
            return x, y


def tfop_0(f):
    x = np.random.default_rng(1).standard_normal((1, 2, 3)).astype(np.float32)
    k, b = weights(f, 'dense')
    return x, x.reshape(-1, 6) @ k + b


def cnn2d_32(f):
    def block(y, lc):
        k, b = weights(f, lc)
        y = np.tanh(local2d(y, k, b, (3, 3), (1, 1), True))
        # The next layers say channels_last but see the NCHW tensor as NHWC.
        y = np.pad(y, ((0, 0), (3, 3), (3, 3), (0, 0)))
        y = y.repeat(2, 1).repeat(2, 2)[:, 1:-1, 1:-1]
        n, h, w, c = y.shape
        return y[:, :h // 2 * 2, :w // 2 * 2].reshape(n, h // 2, 2, w // 2, 2, c).max((2, 4))
    x = np.random.default_rng(5).standard_normal((1, 3, 10, 10)).astype(np.float32)
    return x, block(block(x, 'locally_connected2d'), 'locally_connected2d_1').max((1, 2))


def convlstm2d_0(f):
    def bi(x, layer):  # forward copy go_backwards=True as configured; backward copy flipped, then reversed
        w = weights(f, layer)
        return np.concatenate([conv_lstm(x, *w[:3], 'same', True, True),
                               conv_lstm(x, *w[3:], 'same', True, False)[:, ::-1]], -1)
    x = np.random.default_rng(5).standard_normal((1, 3, 4, 10, 10)).astype(np.float32)
    return x, bi(bi(x, 'bidirectional'), 'bidirectional_1')


def convlstm2d_1(f):
    x = np.random.default_rng(5).standard_normal((1, 3, 4, 10, 10)).astype(np.float32)
    y = conv_lstm(x, *weights(f, 'conv_lst_m2d_2'), 'same', True, True)
    return x, conv_lstm(y, *weights(f, 'conv_lst_m2d_3'), 'same', True, True)


CASES = [('keras_attention', 'dl4j_keras_layers/keras-attention.h5', keras_attention),
         ('tfop_0', 'dl4j_tfkeras_h5/tfop_0.h5', tfop_0),
         ('cnn2d_32', 'dl4j_tfkeras_h5/cnn2d_32.h5', cnn2d_32),
         ('convlstm2d_0', 'dl4j_tfkeras_h5/convlstm2d_0.h5', convlstm2d_0),
         ('convlstm2d_1', 'dl4j_tfkeras_h5/convlstm2d_1.h5', convlstm2d_1)]


def main():
    out = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    corpus = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, '../../../shared/corpus')
    os.makedirs(out, exist_ok=True)
    if not os.path.isdir(corpus):
        print('SKIP: corpus not found at', corpus)
        return
    n = 0
    for name, rel, fn in CASES:
        src = os.path.join(corpus, rel)
        if not os.path.exists(src):
            print('SKIP: %s not in the corpus' % rel)
            continue
        with h5py.File(src, 'r') as f:
            x, y = fn(f)
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        link = os.path.join(d, 'model.h5')
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(os.path.abspath(src), link)
        enc = {'shape': list(x.shape), 'data': x.ravel().tolist()}
        with open(os.path.join(d, 'case.json'), 'w') as f:
            json.dump({'layer': name, 'input': enc, 'inputs': [enc],
                       'output': {'shape': list(y.shape), 'data': np.asarray(y, np.float64).ravel().tolist()},
                       'tol': 1e-4}, f)
        n += 1
    print('wrote', n, 'cases to', out)


if __name__ == '__main__':
    main()
