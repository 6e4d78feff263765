#!/usr/bin/python3
"""Writes the fixtures of keras_bad_input.sh into DIR: one good tf.keras H5
and broken variants of it (H5 and .keras zip). Needs python3-h5py, numpy.

usage: /usr/bin/python3 make_bad_keras.py DIR
"""
import io
import json
import os
import struct
import sys
import zipfile

import h5py
import numpy as np


def dense(name, units, inbound, activation="relu"):
    return {"class_name": "Dense", "name": name, "inbound_nodes": [[[inbound, 0, 0, {}]]],
            "config": {"name": name, "trainable": True, "dtype": "float32", "units": units,
                       "activation": activation, "use_bias": True,
                       "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
                       "bias_initializer": {"class_name": "Zeros", "config": {}},
                       "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
                       "kernel_constraint": None, "bias_constraint": None}}


CONFIG = {"class_name": "Functional", "config": {
    "name": "model", "input_layers": [["input_1", 0, 0]], "output_layers": [["dense_1", 0, 0]],
    "layers": [
        {"class_name": "InputLayer", "name": "input_1", "inbound_nodes": [],
         "config": {"batch_input_shape": [None, 4], "dtype": "float32", "sparse": False,
                    "ragged": False, "name": "input_1"}},
        dense("dense", 5, "input_1"),
        dense("dense_1", 3, "dense", "softmax")]}}

rng = np.random.default_rng(1)
WEIGHTS = {"input_1": [],
           "dense": [("dense/kernel:0", rng.standard_normal((4, 5)).astype(np.float32)),
                     ("dense/bias:0", np.zeros(5, np.float32))],
           "dense_1": [("dense_1/kernel:0", rng.standard_normal((5, 3)).astype(np.float32)),
                       ("dense_1/bias:0", np.zeros(3, np.float32))]}


def write_h5(path, config=True, weights=WEIGHTS, layer_names=None, skip_datasets=()):
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = "tensorflow"
        f.attrs["keras_version"] = "2.12.0"
        if config:
            f.attrs["model_config"] = json.dumps(CONFIG)
        # model.save_weights() keeps the layer groups at the root.
        g = f.create_group("model_weights") if config else f
        names = layer_names if layer_names is not None else list(weights)
        g.attrs["layer_names"] = np.array([n.encode() for n in names])
        for n in names:
            lg = g.create_group(n)
            ws = weights.get(n, [])
            lg.attrs["weight_names"] = (np.array([w.encode() for w, _ in ws]) if ws
                                        else np.array([], dtype=np.float64))
            for wname, arr in ws:
                if wname not in skip_datasets:
                    lg.create_dataset(wname, data=arr)


def write_zip(path, entries):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def declare_size(path, entry, size):
    """Rewrites the uncompressed size of `entry` in its local header and in the
    central directory: what a forged archive claims, with the real data intact."""
    data = bytearray(open(path, "rb").read())
    name = entry.encode()
    pos = 0
    while True:
        pos = data.find(b"PK\x03\x04", pos)
        if pos < 0:
            break
        n = struct.unpack_from("<H", data, pos + 26)[0]
        if data[pos + 30:pos + 30 + n] == name:
            struct.pack_into("<I", data, pos + 22, size)
        pos += 4
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        n = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + n] == name:
            struct.pack_into("<I", data, pos + 24, size)
        pos += 4
    open(path, "wb").write(bytes(data))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    p = lambda n: os.path.join(out, n)

    write_h5(p("good.h5"))
    write_h5(p("weights_only.h5"), config=False)
    # Keras 3 model.save_weights(): layers/<name>/vars/<i>, no config.
    with h5py.File(p("weights_only_v3.weights.h5"), "w") as f:
        for i, (_, arr) in enumerate(WEIGHTS["dense"]):
            f.create_dataset("layers/dense/vars/%d" % i, data=arr)
        f.create_group("optimizer/vars")
    # The layer lists a weight whose dataset is absent.
    write_h5(p("missing_weight.h5"), skip_datasets=("dense_1/kernel:0",))
    # A layer of the config with no weights group at all.
    write_h5(p("missing_layer.h5"), layer_names=["input_1", "dense"])
    # Kernel (4, 6) where the config's Dense(5) on a 4-wide input needs (4, 5).
    bad = dict(WEIGHTS)
    bad["dense"] = [("dense/kernel:0", np.ones((4, 6), np.float32)), ("dense/bias:0", np.zeros(5, np.float32))]
    write_h5(p("shape_mismatch.h5"), weights=bad)
    # Kernel (3, 5) on the 4-wide input.
    bad["dense"] = [("dense/kernel:0", np.ones((3, 5), np.float32)), ("dense/bias:0", np.zeros(5, np.float32))]
    write_h5(p("input_mismatch.h5"), weights=bad)

    good = open(p("good.h5"), "rb").read()
    open(p("truncated.h5"), "wb").write(good[:len(good) // 2])
    # HDF5 signature, then garbage: a damaged superblock.
    open(p("garbage.h5"), "wb").write(good[:8] + bytes(range(256)) * 8)
    # Intact superblock, every byte after the first 2 KB overwritten.
    open(p("scrambled.h5"), "wb").write(good[:2048] + bytes((i * 7 + 3) % 256 for i in range(len(good) - 2048)))

    cfg = json.dumps({"class_name": "Functional", "config": {"name": "m", "layers": []}})
    meta = json.dumps({"keras_version": "3.3.3"})
    write_zip(p("traversal.keras"), [("config.json", cfg), ("metadata.json", meta),
                                     ("../../evil.txt", "x"), ("model.weights.h5", good)])
    write_zip(p("absolute.keras"), [("config.json", cfg), ("/tmp/evil.txt", "x"), ("model.weights.h5", good)])
    write_zip(p("oversized.keras"), [("config.json", cfg), ("metadata.json", meta), ("model.weights.h5", good)])
    declare_size(p("oversized.keras"), "config.json", 200 << 20)
    # A real 64 MB of zeros: deflate packs it about 1000:1.
    big = io.BytesIO()
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("config.json", cfg)
        z.writestr("model.weights.h5", bytes(60 << 20))
    open(p("bomb.keras"), "wb").write(big.getvalue())
    open(p("truncated.keras"), "wb").write(open(p("traversal.keras"), "rb").read()[:300])


if __name__ == "__main__":
    main()
