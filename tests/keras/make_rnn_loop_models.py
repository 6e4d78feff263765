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


def step(cell, cfg, xt, w, u, b, h, c):
    """One step of a Keras cell: the new (h, c)."""
    act, ract = ACT[cfg.get('activation', 'tanh')], ACT[cfg.get('recurrent_activation', 'sigmoid')]
    n = cfg['units']
    xt = xt.astype(np.float64)
    if cell == 'SimpleRNN':
        return act(xt @ w + h @ u + b), c
    if cell == 'LSTM':
        z = xt @ w + h @ u + b
        i, f, g, o = (z[:, k * n:(k + 1) * n] for k in range(4))
        c = ract(f) * c + ract(i) * act(g)
        return ract(o) * act(c), c
    if cfg.get('reset_after'):  # GRU
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
    return z * h + (1 - z) * hh, c


def run(cell, cfg, x, w, u, b, go_backwards=False, mask=None):
    """Keras's step loop; returns (sequence of h in processing order, h, c).
    A masked step (mask [B, T] false) keeps h and c."""
    n = cfg['units']
    steps = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    h = np.zeros((x.shape[0], n)); c = np.zeros((x.shape[0], n)); seq = []
    for t in steps:
        h1, c1 = step(cell, cfg, x[:, t], w, u, b, h, c)
        keep = np.ones((x.shape[0], 1), bool) if mask is None else mask[:, t:t + 1]
        h, c = np.where(keep, h1, h), np.where(keep, c1, c)
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


def write_sequential(path, in_shape, in_dtype, layers):
    """Sequential [InputLayer, layers...] as Keras 2 save_model(h5) writes it;
    layers are (class, config, [(weight name, array)])."""
    import h5py
    cfg = {'class_name': 'Sequential', 'config': {'name': 'seq', 'layers': [
        {'class_name': 'InputLayer', 'config': {'batch_input_shape': [None] + list(in_shape), 'dtype': in_dtype,
                                                'sparse': False, 'name': 'input_1'}}] +
        [{'class_name': c, 'config': dict(cfg, trainable=True, dtype='float32')} for c, cfg, _ in layers]}}
    with h5py.File(path, 'w') as f:
        f.attrs['keras_version'] = '2.13.1'
        f.attrs['backend'] = 'tensorflow'
        f.attrs['model_config'] = json.dumps(cfg)
        mw = f.create_group('model_weights')
        mw.attrs['layer_names'] = np.array([b'input_1'] + [cfg['name'].encode() for _, cfg, _ in layers])
        mw.attrs['backend'] = 'tensorflow'
        mw.attrs['keras_version'] = '2.13.1'
        mw.create_group('input_1').attrs['weight_names'] = np.array([], dtype='S1')
        for _, lc, weights in layers:
            name = lc['name']
            g = mw.create_group(name)
            g.attrs['weight_names'] = np.array([('%s/%s:0' % (name, wn)).encode() for wn, _ in weights], dtype='S')
            for wn, w in weights:
                g.create_dataset('%s/%s:0' % (name, wn), data=np.asarray(w, np.float32))


def masked_cases():
    """Embedding(mask_zero=True) and Masking feeding recurrent layers (last
    output): masked steps keep the state, as Keras's RNN loop does."""
    base = dict(activation='tanh', recurrent_activation='sigmoid', use_bias=True, return_sequences=False,
                return_state=False, go_backwards=False, stateful=False, unroll=False)
    V, E = 6, F
    for name, front, cell, cfg, T, known in [
            ('mask_embedding_lstm_fixed', 'Embedding', 'LSTM', dict(units=4), 6, True),
            ('mask_embedding_gru_unknown', 'Embedding', 'GRU', dict(units=3, reset_after=True), 5, False),
            ('mask_masking_simple_unknown', 'Masking', 'SimpleRNN', dict(units=3), 6, False),
            ('mask_masking_bidir_gru_fixed', 'Masking', 'Bidirectional', dict(units=2, reset_after=True), 5, True)]:
        inner_cell = 'GRU' if cell == 'Bidirectional' else cell
        rcfg = dict(base, name='rnn', **cfg)
        if front == 'Embedding':
            ids = np.array([[3, 1, 0, 2, 0, 5][:T]])
            table = r(V, E)
            x = table[ids]
            mask = ids != 0
            front_layer = ('Embedding', dict(name='emb', input_dim=V, output_dim=E, mask_zero=True), [('embeddings', table)])
            feed, in_shape, in_dtype = ids.astype(np.float64), [T if known else None], 'int32'
        else:
            x = r(1, T, F)
            x[:, [1, T - 1]] = 0.0  # masked steps, one at the end
            mask = np.any(x != 0.0, -1)
            front_layer = ('Masking', dict(name='masking', mask_value=0.0), [])
            feed, in_shape, in_dtype = x, [T if known else None, F], 'float32'
        if cell == 'Bidirectional':
            fw, bw = rnn_weights(inner_cell, rcfg), rnn_weights(inner_cell, rcfg)
            y = np.concatenate([run(inner_cell, rcfg, x, *fw, mask=mask)[1],
                                run(inner_cell, rcfg, x, *bw, go_backwards=True, mask=mask)[1]], -1)
            weights = [('forward_rnn/' + k, v) for k, v in zip(('kernel', 'recurrent_kernel', 'bias'), fw)] + \
                      [('backward_rnn/' + k, v) for k, v in zip(('kernel', 'recurrent_kernel', 'bias'), bw)]
            rnn_layer = ('Bidirectional', dict(name='bidir', layer={'class_name': 'GRU', 'config': rcfg},
                                               merge_mode='concat'), weights)
        else:
            w, u, b = rnn_weights(cell, rcfg)
            y = run(cell, rcfg, x, w, u, b, mask=mask)[1]
            rnn_layer = (cell, rcfg, [('kernel', w), ('recurrent_kernel', u), ('bias', b)])
        yield name, in_shape, in_dtype, [front_layer, rnn_layer], feed, y, not known


def masked_sequence_cases():
    """return_sequences on a masked sequence, batch 2 with a different mask per
    row. Keras (backend rnn, CPU): a masked step keeps h and c and outputs the
    carried h, or zeros with zero_output_for_mask, which Bidirectional forces
    to return_sequences; the sequence output passes the mask on, so a stacked
    RNN masks the same steps."""
    base = dict(activation='tanh', recurrent_activation='sigmoid', use_bias=True, return_sequences=True,
                return_state=False, go_backwards=False, stateful=False, unroll=False)
    V, E = 7, F
    ids = np.array([[3, 1, 0, 2, 0, 5, 4], [0, 6, 2, 0, 0, 1, 3]])
    # name, front, [(class, extra config)], T, known length
    specs = [
        ('mask_seq_embedding_simple_fixed', 'Embedding', [('SimpleRNN', dict(units=3))], 6, True),
        ('mask_seq_masking_gru_unknown', 'Masking', [('GRU', dict(units=3, reset_after=True))], 6, False),
        ('mask_seq_stacked_lstm_fixed', 'Embedding',
         [('LSTM', dict(units=4)), ('LSTM', dict(units=3, return_sequences=False))], 7, True),
        ('mask_seq_stacked_lstm_unknown', 'Embedding',
         [('LSTM', dict(units=4)), ('LSTM', dict(units=3, return_sequences=False))], 7, False),
        ('mask_seq_stacked_gru_lstm_seq_unknown', 'Masking',
         [('GRU', dict(units=3, reset_after=False)), ('LSTM', dict(units=2))], 5, False),
        ('mask_seq_zero_output_lstm_backwards_unknown', 'Embedding',
         [('LSTM', dict(units=3, go_backwards=True, zero_output_for_mask=True))], 6, False),
        ('mask_seq_zero_output_simple_last_fixed', 'Masking',
         [('SimpleRNN', dict(units=3, return_sequences=False, zero_output_for_mask=True))], 5, True),
        ('mask_seq_zero_output_gru_last_backwards_unknown', 'Embedding',
         [('GRU', dict(units=2, reset_after=True, return_sequences=False, go_backwards=True,
                       zero_output_for_mask=True))], 5, False),
        ('mask_seq_bidir_gru_fixed', 'Masking', [('Bidirectional', dict(units=2, reset_after=True))], 6, True),
        ('mask_seq_bidir_lstm_unknown', 'Embedding', [('Bidirectional', dict(units=3))], 7, False),
        # Dense passes the mask on (supports_masking), as Keras's Dense does.
        ('mask_seq_lstm_dense_fixed', 'Embedding', [('LSTM', dict(units=4)), ('Dense', dict(units=2))], 6, True),
        ('mask_seq_lstm_dense_gru_unknown', 'Masking',
         [('LSTM', dict(units=3)), ('Dense', dict(units=4)), ('GRU', dict(units=2, reset_after=True))], 6, False),
        ('mask_seq_bidir_then_lstm_unknown', 'Embedding',
         [('Bidirectional', dict(units=2, reset_after=True)), ('LSTM', dict(units=3, return_sequences=False))],
         6, False),
    ]
    for name, front, rnns, T, known in specs:
        if front == 'Embedding':
            tid = ids[:, :T]
            table = r(V, E)
            x = table[tid]
            mask = tid != 0
            layers = [('Embedding', dict(name='emb', input_dim=V, output_dim=E, mask_zero=True),
                       [('embeddings', table)])]
            feed, in_shape, in_dtype = tid.astype(np.float64), [T if known else None], 'int32'
        else:
            x = r(2, T, F)
            x[0, [1, T - 1]] = 0.0  # masked steps, one at the end
            x[1, [0, 2]] = 0.0
            mask = np.any(x != 0.0, -1)
            layers = [('Masking', dict(name='masking', mask_value=0.0), [])]
            feed, in_shape, in_dtype = x, [T if known else None, F], 'float32'
        y = x
        for k, (cls, extra) in enumerate(rnns):
            lname = 'rnn%d' % k
            if cls == 'Dense':
                k_, b_ = r(y.shape[-1], extra['units']), r(extra['units'])
                out = np.tanh(y @ k_ + b_)
                layers.append(('Dense', dict(name=lname, units=extra['units'], activation='tanh', use_bias=True),
                               [('kernel', k_), ('bias', b_)]))
            elif cls == 'Bidirectional':
                # Bidirectional(GRU) for reset_after configs, else Bidirectional(LSTM).
                inner = 'GRU' if 'reset_after' in extra else 'LSTM'
                rcfg = dict(base, name='inner', **extra)
                fw, bw = rnn_weights_in(inner, rcfg, y.shape[-1]), rnn_weights_in(inner, rcfg, y.shape[-1])
                keep = mask[:, :, None]  # zero_output_for_mask = return_sequences
                fseq = run(inner, rcfg, y, *fw, mask=mask)[0]
                bseq = run(inner, rcfg, y, *bw, go_backwards=True, mask=mask)[0][:, ::-1]
                out = np.concatenate([np.where(keep, fseq, 0), np.where(keep, bseq, 0)], -1)
                weights = [('forward_inner/' + n, v) for n, v in zip(('kernel', 'recurrent_kernel', 'bias'), fw)] + \
                          [('backward_inner/' + n, v) for n, v in zip(('kernel', 'recurrent_kernel', 'bias'), bw)]
                layers.append(('Bidirectional', dict(name=lname, layer={'class_name': inner, 'config': rcfg},
                                                     merge_mode='concat'), weights))
            else:
                rcfg = dict(base, name=lname, **extra)
                w, u, b = rnn_weights_in(cls, rcfg, y.shape[-1])
                seq, h, _ = run(cls, rcfg, y, w, u, b, go_backwards=rcfg['go_backwards'], mask=mask)
                zero = rcfg.get('zero_output_for_mask', False)
                order = mask[:, ::-1] if rcfg['go_backwards'] else mask  # seq is in processing order
                if rcfg['return_sequences']:
                    out = np.where(order[:, :, None], seq, 0) if zero else seq
                else:
                    out = np.where(order[:, -1:], h, 0) if zero else h
                layers.append((cls, rcfg, [('kernel', w), ('recurrent_kernel', u), ('bias', b)]))
            y = out
        yield name, in_shape, in_dtype, layers, feed, y, True


def rnn_weights_in(cell, cfg, fin):
    n, g = cfg['units'], {'SimpleRNN': 1, 'GRU': 3, 'LSTM': 4}[cell]
    w, u = r(fin, g * n), r(n, g * n)
    b = r(2, g * n) if cell == 'GRU' and cfg.get('reset_after') else r(g * n)
    return w, u, b


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
    for name, in_shape, in_dtype, layers, x, y, resize in list(masked_cases()) + list(masked_sequence_cases()):
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        write_sequential(os.path.join(d, 'model.h5'), in_shape, in_dtype, layers)
        with open(os.path.join(d, 'case.json'), 'w') as f:
            json.dump({'input': {'shape': list(x.shape), 'dtype': in_dtype, 'data': [float(v) for v in x.ravel()]},
                       'output': {'shape': list(y.shape), 'data': [float(v) for v in np.ravel(y)]},
                       'tol': 1e-5, 'resize': resize}, f)
        n += 1
    # Refused, not approximated: a masked sequence into a layer that ignores
    # masks here.
    emb = ('Embedding', dict(name='emb', input_dim=4, output_dim=F, mask_zero=True), [('embeddings', r(4, F))])
    for name, layer, want in [
            ('refuse_masked_flatten', ('Flatten', dict(name='flat'), []), 'a Flatten layer on a masked sequence')]:
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        write_sequential(os.path.join(d, 'model.h5'), [3], 'int32', [emb, layer])
        with open(os.path.join(d, 'case.json'), 'w') as f:
            json.dump({'expect_error': want}, f)
        n += 1
    print('make_rnn_loop_models.py: %d cases' % n)


if __name__ == '__main__':
    main()
