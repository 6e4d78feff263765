#!/usr/bin/python3
"""Writes a tf.keras 2.x H5 (model.save() layout) of the MobileNetV2 (alpha 1.0,
224x224) or ResNet50 architecture of keras.applications, with random weights.

The model_config follows keras.applications layer for layer (names, classes,
configs as tf.keras 2.12 writes them) so the converter sees what a real
`tf.keras.applications.MobileNetV2().save("m.h5")` gives, minus the trained
weights. Needs only Debian's python3-h5py and python3-numpy.

usage: /usr/bin/python3 bench/make_keras_h5.py {mobilenet_v2|resnet50} OUT.h5 [SEED]
"""
import json
import sys

import h5py
import numpy as np

KERAS_VERSION = "2.12.0"


def _zeros():
    return {"class_name": "Zeros", "config": {}}


def _ones():
    return {"class_name": "Ones", "config": {}}


def _glorot():
    return {"class_name": "GlorotUniform", "config": {"seed": None}}


class Builder:
    """Collects layer configs (Functional format) and weights per layer."""

    def __init__(self, rng):
        self.rng = rng
        self.layers = []
        self.weights = {}  # layer name -> [(weight name, array)]
        self.channels = {}  # layer name -> output channels (static, NHWC)

    def _add(self, cls, name, config, inputs, weights=(), channels=None):
        cfg = {"name": name, "trainable": True, "dtype": "float32"}
        cfg.update(config)
        self.layers.append({
            "class_name": cls, "config": cfg, "name": name,
            "inbound_nodes": [[[i, 0, 0, {}] for i in inputs]] if inputs else [],
        })
        self.weights[name] = list(weights)
        self.channels[name] = channels if channels is not None else self.channels[inputs[0]]
        return name

    def input(self, name, shape):
        self.layers.append({
            "class_name": "InputLayer",
            "config": {"batch_input_shape": [None] + list(shape), "dtype": "float32",
                       "sparse": False, "ragged": False, "name": name},
            "name": name, "inbound_nodes": []})
        self.weights[name] = []
        self.channels[name] = shape[-1]
        return name

    def _he(self, shape, fan_in):
        # He-normal keeps activations O(1) through the deep stacks, so the
        # softmax output stays well-conditioned.
        return (self.rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)

    def conv(self, x, name, filters, k, strides=1, padding="valid", use_bias=True):
        cin = self.channels[x]
        w = [(name + "/kernel:0", self._he((k, k, cin, filters), k * k * cin))]
        if use_bias:
            w.append((name + "/bias:0", (self.rng.standard_normal(filters) * 0.01).astype(np.float32)))
        return self._add("Conv2D", name, {
            "filters": filters, "kernel_size": [k, k], "strides": [strides, strides],
            "padding": padding, "data_format": "channels_last", "dilation_rate": [1, 1],
            "groups": 1, "activation": "linear", "use_bias": use_bias,
            "kernel_initializer": _glorot(), "bias_initializer": _zeros(),
            "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
            "kernel_constraint": None, "bias_constraint": None}, [x], w, filters)

    def depthwise(self, x, name, strides, padding):
        cin = self.channels[x]
        w = [(name + "/depthwise_kernel:0", self._he((3, 3, cin, 1), 9))]
        return self._add("DepthwiseConv2D", name, {
            "kernel_size": [3, 3], "strides": [strides, strides], "padding": padding,
            "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1,
            "activation": "linear", "use_bias": False, "bias_initializer": _zeros(),
            "bias_regularizer": None, "activity_regularizer": None, "bias_constraint": None,
            "depth_multiplier": 1, "depthwise_initializer": _glorot(),
            "depthwise_regularizer": None, "depthwise_constraint": None}, [x], w)

    def bn(self, x, name, epsilon, momentum, gamma=1.0):
        c = self.channels[x]
        r = self.rng
        w = [(name + "/gamma:0", (gamma * r.uniform(0.8, 1.2, c)).astype(np.float32)),
             (name + "/beta:0", r.uniform(-0.1, 0.1, c).astype(np.float32)),
             (name + "/moving_mean:0", r.uniform(-0.1, 0.1, c).astype(np.float32)),
             (name + "/moving_variance:0", r.uniform(0.5, 1.5, c).astype(np.float32))]
        return self._add("BatchNormalization", name, {
            "axis": [3], "momentum": momentum, "epsilon": epsilon, "center": True, "scale": True,
            "beta_initializer": _zeros(), "gamma_initializer": _ones(),
            "moving_mean_initializer": _zeros(), "moving_variance_initializer": _ones(),
            "beta_regularizer": None, "gamma_regularizer": None,
            "beta_constraint": None, "gamma_constraint": None}, [x], w)

    def relu6(self, x, name):
        return self._add("ReLU", name, {"max_value": 6.0, "negative_slope": 0.0, "threshold": 0.0}, [x])

    def activation(self, x, name, fn):
        return self._add("Activation", name, {"activation": fn}, [x])

    def zero_pad(self, x, name, pad):
        return self._add("ZeroPadding2D", name, {"padding": pad, "data_format": "channels_last"}, [x])

    def max_pool(self, x, name, k, s):
        return self._add("MaxPooling2D", name, {"pool_size": [k, k], "padding": "valid",
                                                 "strides": [s, s], "data_format": "channels_last"}, [x])

    def add(self, a, b, name):
        return self._add("Add", name, {}, [a, b])

    def gap(self, x, name):
        return self._add("GlobalAveragePooling2D", name, {"data_format": "channels_last", "keepdims": False}, [x])

    def dense(self, x, name, units, activation):
        cin = self.channels[x]
        w = [(name + "/kernel:0", (self.rng.standard_normal((cin, units)) * np.sqrt(1.0 / cin)).astype(np.float32)),
             (name + "/bias:0", (self.rng.standard_normal(units) * 0.01).astype(np.float32))]
        return self._add("Dense", name, {
            "units": units, "activation": activation, "use_bias": True,
            "kernel_initializer": _glorot(), "bias_initializer": _zeros(),
            "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
            "kernel_constraint": None, "bias_constraint": None}, [x], w, units)


def _make_divisible(v, divisor=8):
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def mobilenet_v2(b):
    """keras.applications.MobileNetV2(alpha=1.0, input_shape=(224, 224, 3))."""
    x = b.input("input_1", (224, 224, 3))
    x = b.conv(x, "Conv1", 32, 3, strides=2, padding="same", use_bias=False)
    x = b.bn(x, "bn_Conv1", 1e-3, 0.999)
    x = b.relu6(x, "Conv1_relu")

    def block(x, filters, stride, expansion, block_id):
        inputs, cin = x, b.channels[x]
        pointwise = _make_divisible(int(filters * 1.0), 8)
        prefix = "block_%d_" % block_id
        if block_id:
            x = b.conv(x, prefix + "expand", expansion * cin, 1, padding="same", use_bias=False)
            x = b.bn(x, prefix + "expand_BN", 1e-3, 0.999)
            x = b.relu6(x, prefix + "expand_relu")
        else:
            prefix = "expanded_conv_"
        if stride == 2:
            # imagenet_utils.correct_pad of an even-sized 3x3 input.
            x = b.zero_pad(x, prefix + "pad", [[0, 1], [0, 1]])
        x = b.depthwise(x, prefix + "depthwise", stride, "same" if stride == 1 else "valid")
        x = b.bn(x, prefix + "depthwise_BN", 1e-3, 0.999)
        x = b.relu6(x, prefix + "depthwise_relu")
        x = b.conv(x, prefix + "project", pointwise, 1, padding="same", use_bias=False)
        x = b.bn(x, prefix + "project_BN", 1e-3, 0.999)
        if cin == pointwise and stride == 1:
            return b.add(inputs, x, prefix + "add")
        return x

    plan = [(16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6),
            (64, 2, 6), (64, 1, 6), (64, 1, 6), (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6),
            (160, 2, 6), (160, 1, 6), (160, 1, 6), (320, 1, 6)]
    for i, (f, s, e) in enumerate(plan):
        x = block(x, f, s, e, i)
    x = b.conv(x, "Conv_1", 1280, 1, use_bias=False)
    x = b.bn(x, "Conv_1_bn", 1e-3, 0.999)
    x = b.relu6(x, "out_relu")
    x = b.gap(x, "global_average_pooling2d")
    x = b.dense(x, "predictions", 1000, "softmax")
    return "mobilenetv2_1.00_224", "input_1", x


def resnet50(b):
    """keras.applications.ResNet50(input_shape=(224, 224, 3))."""
    eps = 1.001e-5
    x = b.input("input_1", (224, 224, 3))
    x = b.zero_pad(x, "conv1_pad", [[3, 3], [3, 3]])
    x = b.conv(x, "conv1_conv", 64, 7, strides=2)
    x = b.bn(x, "conv1_bn", eps, 0.99)
    x = b.activation(x, "conv1_relu", "relu")
    x = b.zero_pad(x, "pool1_pad", [[1, 1], [1, 1]])
    x = b.max_pool(x, "pool1_pool", 3, 2)

    def block1(x, filters, stride, conv_shortcut, name):
        if conv_shortcut:
            shortcut = b.conv(x, name + "_0_conv", 4 * filters, 1, strides=stride)
            shortcut = b.bn(shortcut, name + "_0_bn", eps, 0.99)
        else:
            shortcut = x
        x = b.conv(x, name + "_1_conv", filters, 1, strides=stride)
        x = b.bn(x, name + "_1_bn", eps, 0.99)
        x = b.activation(x, name + "_1_relu", "relu")
        x = b.conv(x, name + "_2_conv", filters, 3, padding="same")
        x = b.bn(x, name + "_2_bn", eps, 0.99)
        x = b.activation(x, name + "_2_relu", "relu")
        x = b.conv(x, name + "_3_conv", 4 * filters, 1)
        # A small last gamma per residual block keeps the random activations from
        # growing block after block (as zero-init-gamma training recipes do).
        x = b.bn(x, name + "_3_bn", eps, 0.99, gamma=0.2)
        x = b.add(shortcut, x, name + "_add")
        return b.activation(x, name + "_out", "relu")

    for name, filters, blocks, stride1 in [("conv2", 64, 3, 1), ("conv3", 128, 4, 2),
                                           ("conv4", 256, 6, 2), ("conv5", 512, 3, 2)]:
        x = block1(x, filters, stride1, True, name + "_block1")
        for i in range(2, blocks + 1):
            x = block1(x, filters, 1, False, name + "_block" + str(i))
    x = b.gap(x, "avg_pool")
    x = b.dense(x, "predictions", 1000, "softmax")
    return "resnet50", "input_1", x


def write(path, builder, model_name, input_name, output_name):
    config = {"class_name": "Functional", "config": {
        "name": model_name, "layers": builder.layers,
        "input_layers": [[input_name, 0, 0]], "output_layers": [[output_name, 0, 0]]}}
    names = [l["name"] for l in builder.layers]
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = "tensorflow"
        f.attrs["keras_version"] = KERAS_VERSION
        f.attrs["model_config"] = json.dumps(config)
        g = f.create_group("model_weights")
        g.attrs["backend"] = "tensorflow"
        g.attrs["keras_version"] = KERAS_VERSION
        g.attrs["layer_names"] = np.array([n.encode() for n in names])
        for n in names:
            lg = g.create_group(n)
            ws = builder.weights[n]
            lg.attrs["weight_names"] = np.array([w.encode() for w, _ in ws]) if ws else np.array([], dtype=np.float64)
            for wname, arr in ws:
                lg.create_dataset(wname, data=arr)
    return sum(a.size for ws in builder.weights.values() for _, a in ws)


def main():
    if len(sys.argv) not in (3, 4) or sys.argv[1] not in ("mobilenet_v2", "resnet50"):
        sys.exit(__doc__.strip().splitlines()[-1])
    seed = int(sys.argv[3]) if len(sys.argv) == 4 else 0
    b = Builder(np.random.default_rng(seed))
    model_name, inp, out = (mobilenet_v2 if sys.argv[1] == "mobilenet_v2" else resnet50)(b)
    params = write(sys.argv[2], b, model_name, inp, out)
    print("%s: %d layers, %d parameters" % (sys.argv[2], len(b.layers), params))


if __name__ == "__main__":
    main()
