#!/usr/bin/python3
# The Keras models of bench/rnn_bench.mjs: one LSTM and one GRU (random
# weights, units U over F features, batch 1, last output), each in the
# forms the converter gives them, once with the last output and once with
# return_sequences (names with _seq):
#   lstm_fused_T     fixed length T: one UNIDIRECTIONAL_SEQUENCE_LSTM
#   lstm_unrolled_T  the same LSTM with return_state=True (a Functional model
#                    that outputs only the sequence output), which the fused op
#                    cannot express: unrolled per-step ops
#   lstm_while       that LSTM over an unknown length: a WHILE loop
#   gru_unrolled_T   fixed length: unrolled (TFLite has no fused GRU)
#   gru_while        unknown length: a WHILE loop
# The same weights in every form of a cell. Debian's python3 + h5py + numpy.
#   usage: /usr/bin/python3 bench/make_rnn_bench_models.py OUT_DIR [T,T,...]
import os, sys
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, '..', 'tests', 'keras'))
from make_models import write_h5  # noqa: E402
from make_attention_models import write_functional  # noqa: E402

U, F = 64, 32


def main():
    out = sys.argv[1]
    lengths = [int(t) for t in (sys.argv[2] if len(sys.argv) > 2 else '16,64,256').split(',')]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(5)
    base = dict(activation='tanh', recurrent_activation='sigmoid', use_bias=True, return_sequences=False,
                return_state=False, go_backwards=False, stateful=False, unroll=False, units=U)
    for cell, g, extra in [('LSTM', 4, {}), ('GRU', 3, dict(reset_after=True))]:
        w = (rng.standard_normal((F, g * U)) / np.sqrt(F)).astype(np.float32)
        u = (rng.standard_normal((U, g * U)) / np.sqrt(U)).astype(np.float32)
        b = (rng.standard_normal((2, g * U) if cell == 'GRU' else (g * U,)) * 0.1).astype(np.float32)
        weights = [('kernel', w), ('recurrent_kernel', u), ('bias', b)]
        for seq in (False, True):
            name = cell.lower() + ('_seq' if seq else '')
            cfg = dict(base, name=cell.lower(), return_sequences=seq, **extra)
            p = lambda form: os.path.join(out, '%s_%s.h5' % (name, form))  # noqa: E731
            if cell == 'LSTM':
                scfg = dict(cfg, return_state=True)
                write_functional(p('while'), [('x', [None, F], 'float32')], ('LSTM', scfg, [['x', 0, 0, {}]]),
                                 weights, batch=1)
                for t in lengths:
                    write_h5(p('fused_%d' % t), 'LSTM', cfg, [t, F], weights, batch=1)
                    write_functional(p('unrolled_%d' % t), [('x', [t, F], 'float32')],
                                     ('LSTM', scfg, [['x', 0, 0, {}]]), weights, batch=1)
            else:
                write_h5(p('while'), 'GRU', cfg, [None, F], weights, batch=1)
                for t in lengths:
                    write_h5(p('unrolled_%d' % t), 'GRU', cfg, [t, F], weights, batch=1)
    print('make_rnn_bench_models.py: U=%d F=%d lengths %s -> %s' % (U, F, lengths, out))


if __name__ == '__main__':
    main()
