#!/usr/bin/python3
# Keras 2-style .h5 recurrent models over a sequence of unknown length, wide
# enough (32 features, 32 units) that their kernels reach TF's 1024-element
# minimum for weight quantization. They convert to a WHILE whose body holds
# FULLY_CONNECTED ops with constant kernels, for tests/e2e/quant/control_flow.mjs.
# The cells and the reference loop are make_rnn_loop_models.py's.
#   usage: /usr/bin/python3 tests/keras/make_rnn_quant_models.py OUT_DIR
# Writes OUT_DIR/<case>/model.h5, case.json (a test input and its NumPy
# reference) and calib.npy (calibration samples, [N, T, 32]).
import json, os, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_models import write_h5  # noqa: E402
from make_rnn_loop_models import run  # noqa: E402

F, UNITS, T = 32, 32, 5
rng = np.random.default_rng(41)


def r(*shape, scale=0.3):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def main():
    out = sys.argv[1]
    base = dict(name='rnn', activation='tanh', recurrent_activation='sigmoid', use_bias=True, return_sequences=False,
                return_state=False, go_backwards=False, stateful=False, unroll=False, units=UNITS)
    for name, cell, extra, gates in [('wide_simple_rnn', 'SimpleRNN', {}, 1),
                                     ('wide_gru', 'GRU', dict(reset_after=True), 3)]:
        cfg = dict(base, **extra)
        w, u = r(F, gates * UNITS, scale=1 / np.sqrt(F)), r(UNITS, gates * UNITS, scale=1 / np.sqrt(UNITS))
        b = r(2, gates * UNITS, scale=0.1) if cfg.get('reset_after') else r(gates * UNITS, scale=0.1)
        x = r(1, T, F, scale=1.0)
        _, h, _ = run(cell, cfg, x, w, u, b)
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        write_h5(os.path.join(d, 'model.h5'), cell, cfg, [None, F],
                 [('kernel', w), ('recurrent_kernel', u), ('bias', b)])
        np.save(os.path.join(d, 'calib.npy'), r(16, T, F, scale=1.0))
        with open(os.path.join(d, 'case.json'), 'w') as f:
            json.dump({'input': {'shape': list(x.shape), 'data': [float(v) for v in x.ravel()]},
                       'output': {'shape': list(h.shape), 'data': [float(v) for v in h.ravel()]}}, f)
    print('make_rnn_quant_models.py: 2 cases')


if __name__ == '__main__':
    main()
