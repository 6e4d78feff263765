"""Small Keras models written by this project (no Keras or TensorFlow needed),
as .keras (Keras 3 zip) and .h5 (Keras 2), with tests/keras/tfjs/write_keras.py."""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "keras", "tfjs"))
import write_keras  # noqa: E402


def _dense(name, units, activation, in_shape=None):
    c = {"name": name, "units": units, "activation": activation, "use_bias": True, "dtype": "float32",
         "trainable": True}
    if in_shape is not None:
        c["batch_input_shape"] = [None] + list(in_shape)
    return {"class_name": "Dense", "config": c}


def _weights(rng, name, n_in, n_out):
    return {"layer": name, "weights": [
        {"name": name + "/kernel", "shape": [n_in, n_out],
         "data": rng.uniform(-1, 1, (n_in, n_out)).astype(np.float32)},
        {"name": name + "/bias", "shape": [n_out], "data": rng.uniform(-0.5, 0.5, n_out).astype(np.float32)}]}


def mlp(seed=0, n_in=16, hidden=32, n_out=4):
    """Sequential Dense(relu) -> Dense(softmax): (topo, layers)."""
    rng = np.random.default_rng(seed)
    topo = {"class_name": "Sequential", "config": {"name": "mlp", "layers": [
        _dense("dense", hidden, "relu", [n_in]), _dense("dense_1", n_out, "softmax")]}}
    return topo, [_weights(rng, "dense", n_in, hidden), _weights(rng, "dense_1", hidden, n_out)]


def two_inputs(seed=1, n=8):
    """Functional: Dense(a) + Dense(b), inputs named 'a' (n floats) and 'b' (2n floats)."""
    rng = np.random.default_rng(seed)

    def inp(name, size):
        return {"class_name": "InputLayer", "name": name, "inbound_nodes": [],
                "config": {"batch_input_shape": [None, size], "dtype": "float32", "sparse": False, "name": name}}

    def node(layer, *srcs):
        layer = dict(layer, name=layer["config"]["name"])
        layer["inbound_nodes"] = [[[s, 0, 0, {}] for s in srcs]]
        return layer

    layers = [inp("a", n), inp("b", 2 * n), node(_dense("da", 4, "relu"), "a"), node(_dense("db", 4, "tanh"), "b"),
              node({"class_name": "Add", "config": {"name": "add", "dtype": "float32", "trainable": True}},
                   "da", "db")]
    topo = {"class_name": "Model", "config": {"name": "two", "layers": layers,
                                              "input_layers": [["a", 0, 0], ["b", 0, 0]],
                                              "output_layers": [["add", 0, 0]]}}
    return topo, [_weights(rng, "da", n, 4), _weights(rng, "db", 2 * n, 4)]


def write(model, path):
    topo, layers = model
    if path.endswith(".keras"):
        write_keras.write_keras(path, topo, layers)
    elif path.endswith(".h5"):
        write_keras.write_h5(path, topo, layers)
    else:
        raise ValueError("write: %s is neither .keras nor .h5" % path)
    return path


class FakeKerasModel:
    """Stands in for a keras.Model: save(path) writes a real Keras 3 .keras file."""

    def __init__(self, model):
        self.model = model
        self.saved = []

    def save(self, path):
        if not str(path).endswith(".keras"):
            raise ValueError("this model only saves .keras files")
        write(self.model, str(path))
        self.saved.append(str(path))
