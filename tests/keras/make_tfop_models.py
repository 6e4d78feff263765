#!/usr/bin/python3
# Keras 2-style functional .h5 models whose layers are TFOpLambda (tf.* calls
# traced by tf.keras 2.x), for src/frontends/keras/layers/tf_op_lambda.cc,
# with seeded inputs and numpy reference outputs. Debian python3 + h5py + numpy.
#   usage: /usr/bin/python3 tests/keras/make_tfop_models.py OUT_DIR
# Writes OUT_DIR/<case>/model.h5 and case.json in tests/keras/check_layers.mjs'
# format ("input" for one input, "inputs" for several).
#
# The layer JSON follows tf.keras 2.x's Node.serialize for TFOpLambda: config
# {"name": "tf.math.multiply", "trainable": true, "dtype": "float32",
# "function": "math.multiply"}; each inbound node is the first positional
# argument as [layer, node, index, kwargs] (a list of them when the argument
# is a list, as in tf.concat), where kwargs holds the other arguments by the
# TF parameter name, tensors as [layer, node, index].
# The k3_* cases are Keras 3 functional models calling keras.ops.* (operation
# nodes with "module": "keras.src.ops.numpy"..., arguments in the config).
import json, math, os, sys
import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_models as mm  # noqa: E402  (KERAS_VERSION)

rng = np.random.default_rng(23)


def r(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def pos(*shape):
    return rng.uniform(0.5, 2.0, shape).astype(np.float32)


def write_model(path, inputs, ops):
    """inputs: [(name, array)] (batch dim dynamic); ops: [(function, inbound
    node)] applied in order, layer k named tf_op_k; the last is the output."""
    layers = [{'class_name': 'InputLayer', 'name': n,
               'config': {'batch_input_shape': [None] + list(a.shape[1:]), 'dtype': 'float32',
                          'sparse': False, 'ragged': False, 'name': n},
               'inbound_nodes': []} for n, a in inputs]
    for k, (fn, node) in enumerate(ops):
        name = 'tf_op_%d' % k
        layers.append({'class_name': 'TFOpLambda', 'name': name,
                       'config': {'name': name, 'trainable': True, 'dtype': 'float32', 'function': fn},
                       'inbound_nodes': [node]})
    model = {'class_name': 'Functional', 'config': {
        'name': 'model', 'layers': layers,
        'input_layers': [[n, 0, 0] for n, _ in inputs], 'output_layers': [[layers[-1]['name'], 0, 0]]}}
    with h5py.File(path, 'w') as f:
        f.attrs['keras_version'] = mm.KERAS_VERSION
        f.attrs['backend'] = 'tensorflow'
        f.attrs['model_config'] = json.dumps(model)
        mw = f.create_group('model_weights')
        mw.attrs['layer_names'] = np.array([l['name'].encode() for l in layers])
        mw.attrs['backend'] = 'tensorflow'
        mw.attrs['keras_version'] = mm.KERAS_VERSION
        for l in layers:
            mw.create_group(l['name']).attrs['weight_names'] = np.array([], dtype='S1')


def kt(name):
    """A Keras 3 node argument naming layer `name`'s output."""
    return {'class_name': '__keras_tensor__',
            'config': {'shape': None, 'dtype': 'float32', 'keras_history': [name, 0, 0]}}


def write_keras3_model(path, inputs, ops):
    """Keras 3's form of the same: ops [(module, class, config, n_inputs)]
    each called on the previous result (and the next model inputs when
    n_inputs > 1), serialized as Keras 3 operation nodes {args, kwargs}."""
    layers = [{'module': 'keras.layers', 'class_name': 'InputLayer', 'registered_name': None, 'name': n,
               'config': {'batch_shape': [None] + list(a.shape[1:]), 'dtype': 'float32', 'sparse': False,
                          'name': n},
               'inbound_nodes': []} for n, a in inputs]
    prev, extra = inputs[0][0], [n for n, _ in inputs[1:]]
    for k, (module, cls, cfg, n_in) in enumerate(ops):
        name = 'op_%d' % k
        if isinstance(n_in, list):  # explicit args: 'x' is the previous result, numbers stay numbers
            args = [kt(prev) if a == 'x' else a for a in n_in]
        else:
            args = [kt(prev)] + [kt(extra.pop(0)) for _ in range(n_in - 1)]
        layers.append({'module': module, 'class_name': cls, 'registered_name': cls, 'name': name,
                       'config': dict(cfg, name=name), 'inbound_nodes': [{'args': args, 'kwargs': {}}]})
        prev = name
    model = {'module': 'keras', 'class_name': 'Functional', 'registered_name': 'Functional', 'config': {
        'name': 'model', 'trainable': True, 'layers': layers,
        'input_layers': [[n, 0, 0] for n, _ in inputs], 'output_layers': [[prev, 0, 0]]}}
    with h5py.File(path, 'w') as f:
        f.attrs['keras_version'] = KERAS3_VERSION
        f.attrs['backend'] = 'tensorflow'
        f.attrs['model_config'] = json.dumps(model)
        mw = f.create_group('model_weights')
        mw.attrs['layer_names'] = np.array([l['name'].encode() for l in layers])
        mw.attrs['backend'] = 'tensorflow'
        mw.attrs['keras_version'] = KERAS3_VERSION
        for l in layers:
            mw.create_group(l['name']).attrs['weight_names'] = np.array([], dtype='S1')


KERAS3_VERSION = '3.5.0'
NP, NN = 'keras.src.ops.numpy', 'keras.src.ops.nn'


def keras3_cases():
    """(case, inputs, [(module, class, config, n_inputs)], reference)."""
    x, y = r(1, 3, 4), r(1, 3, 4)
    p = pos(1, 3, 4)
    xi = [('x', x)]
    for cls, mod, inp, ref in [('Relu', NN, x, np.maximum(x, 0)), ('Relu6', NN, 4 * x, np.clip(4 * x, 0, 6)),
                               ('Sigmoid', NN, x, 1 / (1 + np.exp(-x))), ('Tanh', NP, x, np.tanh(x)),
                               ('Exp', NP, x, np.exp(x)), ('Log', NP, p, np.log(p)), ('Sqrt', NP, p, np.sqrt(p)),
                               ('Rsqrt', 'keras.src.ops.math', p, 1 / np.sqrt(p)), ('Absolute', NP, x, np.abs(x)),
                               ('Negative', NP, x, -x), ('Square', NP, x, x * x),
                               ('Silu', NN, x, x / (1 + np.exp(-x)))]:
        yield 'k3_' + cls.lower(), [('x', inp)], [(mod, cls, {}, 1)], ref
    yield 'k3_gelu_default', xi, [(NN, 'Gelu', {'approximate': True}, 1)], \
        0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
    yield 'k3_gelu_exact', xi, [(NN, 'Gelu', {'approximate': False}, 1)], 0.5 * x * (1 + erf(x / math.sqrt(2)))
    yield 'k3_divide', [('x', x), ('p', p)], [(NP, 'Divide', {}, 2)], x / p
    yield 'k3_true_divide', [('x', x), ('p', p)], [(NP, 'TrueDivide', {}, 2)], x / p
    yield 'k3_power', [('p', p), ('y', y)], [(NP, 'Power', {}, 2)], p ** y
    b = r(1, 4, 5)
    yield 'k3_matmul', [('x', x), ('b', b)], [(NP, 'Matmul', {}, 2)], x @ b
    # number operands, as ops.add(x, 1.5) / ops.subtract(2.0, x) / ops.power(p, 2.0) record them
    yield 'k3_add_number', xi, [(NP, 'Add', {}, ['x', 1.5])], x + 1.5
    yield 'k3_subtract_from_number', xi, [(NP, 'Subtract', {}, [2.0, 'x'])], 2.0 - x
    yield 'k3_multiply_number', xi, [(NP, 'Multiply', {}, ['x', -3.0])], x * -3.0
    yield 'k3_power_number', [('p', p)], [(NP, 'Power', {}, ['x', 2.0])], p ** 2.0
    yield 'k3_divide_number', xi, [(NP, 'Divide', {}, ['x', 4.0])], x / 4.0
    yield 'k3_mean', xi, [(NP, 'Mean', {'axis': [1], 'keepdims': True}, 1)], x.mean(1, keepdims=True)
    yield 'k3_sum_all_but_batch', xi, [(NP, 'Sum', {'axis': [1, 2], 'keepdims': False}, 1)], x.sum((1, 2))
    yield 'k3_max', xi, [(NP, 'Max', {'axis': -1, 'keepdims': False, 'initial': None}, 1)], x.max(-1)
    yield 'k3_min', xi, [(NP, 'Min', {'axis': [2], 'keepdims': True, 'initial': None}, 1)], x.min(2, keepdims=True)
    yield 'k3_transpose', xi, [(NP, 'Transpose', {'axes': [0, 2, 1]}, 1)], x.transpose(0, 2, 1)
    yield 'k3_expand_dims', xi, [(NP, 'ExpandDims', {'axis': 1}, 1)], x[:, None]
    x1 = r(1, 3, 1, 4)
    yield 'k3_squeeze', [('x', x1)], [(NP, 'Squeeze', {'axis': [2]}, 1)], x1[:, :, 0]
    yield 'k3_clip', xi, [(NP, 'Clip', {'x_min': -0.5, 'x_max': 0.25}, 1)], np.clip(x, -0.5, 0.25)
    yield 'k3_chain', xi, [(NP, 'Absolute', {}, 1), (NP, 'Sqrt', {}, 1), (NP, 'Mean', {'axis': [-1], 'keepdims': False}, 1)], \
        np.sqrt(np.abs(x)).mean(-1)


def node(src, **kw):
    """One call's node: first positional argument `src`, other args `kw`
    (tensors given as layer names wrapped in T())."""
    kw = {k: ([v.name, 0, 0] if isinstance(v, T) else v) for k, v in kw.items()}
    kw.setdefault('name', None)
    return [src, 0, 0, kw]


class T:
    def __init__(self, name):
        self.name = name


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


erf = np.vectorize(math.erf)


def cases():
    """(case, [(input name, array)], [(function, node)], reference)."""
    x, y = r(1, 3, 4), r(1, 3, 4)
    p = pos(1, 3, 4)
    xi = [('x', x)]
    two = [('x', x), ('y', y)]
    # binary, with a number, a list constant or a second tensor
    yield 'multiply_const', xi, [('math.multiply', node('x', y=2.0))], x * 2
    yield 'multiply_tensor', two, [('math.multiply', node('x', y=T('y')))], x * y
    yield 'add_tensor', two, [('math.add', node('x', y=T('y')))], x + y
    yield 'operators_add_tensor', two, [('__operators__.add', node('x', y=T('y')))], x + y
    yield 'operators_add_const', xi, [('__operators__.add', node('x', y=1.5))], x + 1.5
    vec = [0.5, -1.0, 2.0, 0.25]
    yield 'add_vector_const', xi, [('math.add', node('x', y=vec))], x + np.float32(vec)
    yield 'subtract_const', xi, [('math.subtract', node('x', y=0.75))], x - 0.75
    yield 'operators_sub_tensor', two, [('__operators__.sub', node('x', y=T('y')))], x - y
    yield 'operators_mul_const', xi, [('__operators__.mul', node('x', y=-3.0))], x * -3
    yield 'truediv_const', xi, [('math.truediv', node('x', y=4.0))], x / 4
    yield 'operators_truediv_tensor', [('x', x), ('p', p)], [('__operators__.truediv', node('x', y=T('p')))], x / p
    yield 'maximum_const', xi, [('math.maximum', node('x', y=0.1))], np.maximum(x, 0.1)
    yield 'minimum_tensor', two, [('math.minimum', node('x', y=T('y')))], np.minimum(x, y)
    yield 'pow_const', [('p', p)], [('math.pow', node('p', y=1.5))], p ** 1.5
    # a constant first operand (2.0 - x), as tf.keras writes it
    yield 'subtract_from_const', xi, [('math.subtract', ['_CONSTANT_VALUE', -1, 2.0, {'y': ['x', 0, 0], 'name': None}])], 2 - x
    yield 'truediv_from_int_const', [('p', p)], [('math.truediv', ['_CONSTANT_VALUE', -1, 3, {'y': ['p', 0, 0], 'name': None}])], 3 / p
    # unary
    un = [('nn.relu', np.maximum(x, 0)), ('nn.relu6', np.clip(x, 0, 6)),
          ('math.sigmoid', 1 / (1 + np.exp(-x))), ('nn.sigmoid', 1 / (1 + np.exp(-x))),
          ('math.tanh', np.tanh(x)), ('nn.tanh', np.tanh(x)), ('math.exp', np.exp(x)),
          ('math.abs', np.abs(x)), ('math.negative', -x), ('math.square', x * x),
          ('nn.silu', x / (1 + np.exp(-x))), ('nn.swish', x / (1 + np.exp(-x))),
          ('nn.gelu', 0.5 * x * (1 + erf(x / math.sqrt(2))))]
    for fn, ref in un:
        yield 'unary_' + fn.replace('.', '_'), xi, [(fn, node('x'))], ref
    for fn, ref in [('math.log', np.log(p)), ('math.sqrt', np.sqrt(p)), ('math.rsqrt', 1 / np.sqrt(p))]:
        yield 'unary_' + fn.replace('.', '_'), [('p', p)], [(fn, node('p'))], ref
    yield 'relu6_wide', [('x', 4 * x)], [('nn.relu6', node('x'))], np.clip(4 * x, 0, 6)
    yield 'gelu_approximate', xi, [('nn.gelu', node('x', approximate=True))], \
        0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
    yield 'softmax_last', xi, [('nn.softmax', node('x'))], softmax(x)
    yield 'softmax_axis1', xi, [('nn.softmax', node('x', axis=1))], softmax(x, 1)
    # shapes
    yield 'reshape', xi, [('reshape', node('x', shape=[-1, 12]))], x.reshape(-1, 12)
    yield 'transpose_perm', xi, [('transpose', node('x', perm=[0, 2, 1], conjugate=False))], x.transpose(0, 2, 1)
    yield 'compat_v1_transpose', xi, [('compat.v1.transpose', node('x', perm=[0, 2, 1]))], x.transpose(0, 2, 1)
    yield 'expand_dims', xi, [('expand_dims', node('x', axis=2))], x[:, :, None, :]
    x1 = r(1, 3, 1, 4)
    yield 'squeeze_axis', [('x', x1)], [('squeeze', node('x', axis=[2]))], x1[:, :, 0, :]
    concat_node = [['x', 0, 0, {'axis': -1, 'name': None}], ['y', 0, 0, {'axis': -1, 'name': None}]]
    yield 'concat_last', two, [('concat', concat_node)], np.concatenate([x, y], -1)
    concat_node = [['x', 0, 0, {'axis': 1, 'name': None}], ['y', 0, 0, {'axis': 1, 'name': None}]]
    yield 'concat_axis1', two, [('concat', concat_node)], np.concatenate([x, y], 1)
    # reductions
    yield 'reduce_mean_keep', xi, [('math.reduce_mean', node('x', axis=[1], keepdims=True))], x.mean(1, keepdims=True)
    yield 'reduce_sum_last', xi, [('math.reduce_sum', node('x', axis=-1, keepdims=False))], x.sum(-1)
    yield 'reduce_max_axis1', xi, [('math.reduce_max', node('x', axis=1))], x.max(1)
    yield 'reduce_min_12', xi, [('math.reduce_min', node('x', axis=[1, 2], keepdims=False))], x.min((1, 2))
    yield 'clip_by_value', xi, [('clip_by_value', node('x', clip_value_min=-0.5, clip_value_max=0.5))], \
        np.clip(x, -0.5, 0.5)
    # matmul: two tensors, and a constant right operand (transposed)
    b = r(1, 4, 5)
    yield 'matmul_tensors', [('x', x), ('b', b)], [('linalg.matmul', node('x', b=T('b')))], x @ b
    w = r(5, 4)
    yield 'matmul_const_transpose_b', xi, \
        [('linalg.matmul', node('x', b=w.tolist(), transpose_a=False, transpose_b=True))], x @ w.T
    # a chain: tf.math.reduce_mean(tf.nn.relu(x * 2.0 + y), axis=-1)
    yield 'chain', two, [('math.multiply', node('x', y=2.0)),
                         ('__operators__.add', node('tf_op_0', y=T('y'))),
                         ('nn.relu', node('tf_op_1')),
                         ('math.reduce_mean', node('tf_op_2', axis=-1))], np.maximum(2 * x + y, 0).mean(-1)


def main():
    out = sys.argv[1]
    n = 0
    todo = [(c, i, o, f, write_model) for c, i, o, f in cases()]
    todo += [(c, i, o, f, write_keras3_model) for c, i, o, f in keras3_cases()]
    for case, inputs, ops, ref, writer in todo:
        d = os.path.join(out, case)
        os.makedirs(d, exist_ok=True)
        writer(os.path.join(d, 'model.h5'), inputs, ops)
        c = {'layer': str(ops[-1][:2]),
             'output': {'shape': list(ref.shape), 'data': np.asarray(ref, np.float64).ravel().tolist()},
             'tol': 1e-4}
        ins = [{'shape': list(a.shape), 'data': a.astype(np.float32).ravel().tolist()} for _, a in inputs]
        if len(ins) == 1:
            c['input'] = ins[0]
        else:
            c['inputs'] = ins
        with open(os.path.join(d, 'case.json'), 'w') as f:
            json.dump(c, f)
        n += 1
    print('wrote', n, 'cases to', out)


if __name__ == '__main__':
    main()
