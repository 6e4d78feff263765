#!/usr/bin/python3
# Keras 2-style .h5 recurrent models over a sequence of unknown length
# (batch_input_shape [None, None, features]): SimpleRNN, GRU (both
# reset_after forms), LSTMs the fused sequence op cannot express
# (hard_sigmoid, return_state), go_backwards, and Bidirectional. They
# convert to a WHILE loop. Each case feeds a sequence of some length and has
# a reference computed here with NumPy, step by step as Keras defines the
# cells. Debian's python3 + h5py + numpy only.
#   usage: /usr/bin/python3 tests/keras/make_rnn_loop_models.py OUT_DIR
# Writes OUT_DIR/<case>/model.h5 and case.json, read by check_layers.mjs.
import json, os, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_models import write_h5  # noqa: E402

rng = np.random.default_rng(23)
F = 3


def r(*shape):
    return (rng.standard_normal(shape) * 0.5).astype(np.float32)


ACT = {'tanh': np.tanh, 'sigmoid': lambda v: 1 / (1 + np.exp(-v)), 'relu': lambda v: np.maximum(v, 0),
       'hard_sigmoid': lambda v: np.clip(0.2 * v + 0.5, 0, 1), 'linear': lambda v: v}


def run(cell, cfg, x, w, u, b, go_backwards=False):
    """Keras's step loop; returns (sequence of h in processing order, h, c)."""
    act, ract = ACT[cfg.get('activation', 'tanh')], ACT[cfg.get('recurrent_activation', 'sigmoid')]
    n = cfg['units']
    steps = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    h = np.zeros((x.shape[0], n)); c = np.zeros((x.shape[0], n)); seq = []
    for t in steps:
        xt = x[:, t].astype(np.float64)
        if cell == 'SimpleRNN':
            h = act(xt @ w + h @ u + b)
        elif cell == 'LSTM':
            z = xt @ w + h @ u + b
            i, f, g, o = (z[:, k * n:(k + 1) * n] for k in range(4))
            c = ract(f) * c + ract(i) * act(g)
            h = ract(o) * act(c)
        else:  # GRU
            if cfg.get('reset_after'):
                xz = xt @ w + b[0]
                hz = h @ u + b[1]
                z = ract(xz[:, :n] + hz[:, :n])
                rr = ract(xz[:, n:2 * n] + hz[:, n:2 * n])
                hh = act(xz[:, 2 * n:] + rr * hz[:, 2 * n:])
            else:
                xz = xt @ w + b
                z = ract(xz[:, :n] + h @ u[:, :n])
                rr = ract(xz[:, n:2 * n] + h @ u[:, n:2 * n])
                hh = act(xz[:, 2 * n:] + (rr * h) @ u[:, 2 * n:])
            h = z * h + (1 - z) * hh
        seq.append(h)
    return np.stack(seq, 1), h, c


def rnn_weights(cell, cfg):
    n, g = cfg['units'], {'SimpleRNN': 1, 'GRU': 3, 'LSTM': 4}[cell]
    w, u = r(F, g * n), r(n, g * n)
    b = r(2, g * n) if cell == 'GRU' and cfg.get('reset_after') else r(g * n)
    return w, u, b


def cases():
    specs = [
        ('simple_rnn_seq', 'SimpleRNN', dict(units=4, return_sequences=True)),
        ('simple_rnn_last_relu', 'SimpleRNN', dict(units=3, activation='relu')),
        ('gru_reset_after', 'GRU', dict(units=4, reset_after=True, return_sequences=True)),
        ('gru_v1_last', 'GRU', dict(units=3, reset_after=False, recurrent_activation='hard_sigmoid')),
        ('gru_backwards_seq', 'GRU', dict(units=3, reset_after=True, go_backwards=True, return_sequences=True)),
        ('lstm_hard_sigmoid_seq', 'LSTM', dict(units=4, recurrent_activation='hard_sigmoid', return_sequences=True)),
        ('lstm_backwards_last', 'LSTM', dict(units=3, recurrent_activation='hard_sigmoid', go_backwards=True)),
    ]
    for name, cell, cfg in specs:
        cfg = dict(dict(name='rnn', activation='tanh', recurrent_activation='sigmoid', use_bias=True,
                        return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                        unroll=False), **cfg)
        w, u, b = rnn_weights(cell, cfg)
        T = {0: 5, 1: 7, 2: 3}[len(name) % 3]
        x = r(1, T, F)
        seq, h, _ = run(cell, cfg, x, w, u, b, cfg['go_backwards'])
        y = seq if cfg['return_sequences'] else h
        yield name, cell, cfg, x, [('kernel', w), ('recurrent_kernel', u), ('bias', b)], y


def bidirectional_cases():
    """Bidirectional(GRU/SimpleRNN), merge_mode concat: the backward copy runs
    go_backwards and its sequence is flipped back to input order."""
    for name, cell, inner, T in [('bidirectional_gru_seq', 'GRU', dict(units=3, reset_after=True,
                                                                         return_sequences=True), 4),
                                 ('bidirectional_simple_last', 'SimpleRNN', dict(units=2), 6)]:
        inner = dict(dict(name='rnn', activation='tanh', recurrent_activation='sigmoid', use_bias=True,
                          return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                          unroll=False), **inner)
        x = r(1, T, F)
        fw, bw = rnn_weights(cell, inner), rnn_weights(cell, inner)
        fseq, fh, _ = run(cell, inner, x, *fw)
        bseq, bh, _ = run(cell, inner, x, *bw, go_backwards=True)
        y = np.concatenate([fseq, bseq[:, ::-1]], -1) if inner['return_sequences'] else np.concatenate([fh, bh], -1)
        weights = [('forward_rnn/' + k, v) for k, v in zip(('kernel', 'recurrent_kernel', 'bias'), fw)] + \
                  [('backward_rnn/' + k, v) for k, v in zip(('kernel', 'recurrent_kernel', 'bias'), bw)]
        cfg = dict(name='bidir', layer={'class_name': cell, 'config': inner}, merge_mode='concat')
        yield name, 'Bidirectional', cfg, x, weights, y


def main():
    out = sys.argv[1]
    n = 0
    for name, cell, cfg, x, weights, y in list(cases()) + list(bidirectional_cases()):
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        write_h5(os.path.join(d, 'model.h5'), cell, cfg, [None, F], weights)
        with open(os.path.join(d, 'case.json'), 'w') as f:
            json.dump({'input': {'shape': list(x.shape), 'data': [float(v) for v in x.ravel()]},
                       'output': {'shape': list(y.shape), 'data': [float(v) for v in np.ravel(y)]},
                       'tol': 1e-5, 'resize': True}, f)
        n += 1
    print('make_rnn_loop_models.py: %d cases' % n)


if __name__ == '__main__':
    main()
