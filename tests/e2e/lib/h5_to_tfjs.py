#!/usr/bin/python3
"""Turns a Keras 2.x / tf.keras H5 (model.save() layout) into a TensorFlow.js
layers model: OUT_DIR/model.json (the H5's model_config as modelTopology, plus
a weights manifest) and OUT_DIR/weights.bin (float32, little-endian).

Weights are listed in the H5's own order (layer_names, then each layer's
weight_names) under their Keras names without the ":0" suffix, which is how
tfjs-layers' loadLayersModel matches them to its variables.

usage: /usr/bin/python3 h5_to_tfjs.py MODEL.h5 OUT_DIR
Exits 3 with one line on stderr when the file has no model_config.
"""
import json
import os
import sys

import h5py
import numpy as np


def text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


# Layers tfjs-layers lacks that are the identity at inference: their nearest
# tfjs equivalent (the prediction does not change).
INFERENCE_SAME = {"SpatialDropout1D": "Dropout", "SpatialDropout2D": "Dropout", "SpatialDropout3D": "Dropout"}
# Config keys older tf.keras wrote that tfjs-layers rejects and that change
# nothing at inference.
DROP_KEYS = {"SeparableConv1D": ("kernel_initializer", "kernel_regularizer", "kernel_constraint"),
             "SeparableConv2D": ("kernel_initializer", "kernel_regularizer", "kernel_constraint")}


def normalize(node):
    """Rewrites layer records in place (see INFERENCE_SAME and DROP_KEYS)."""
    if isinstance(node, list):
        for x in node:
            normalize(x)
    elif isinstance(node, dict):
        cls = node.get("class_name")
        cfg = node.get("config")
        if isinstance(cls, str) and isinstance(cfg, dict):
            for k in DROP_KEYS.get(cls, ()):
                cfg.pop(k, None)
            if cls in INFERENCE_SAME:
                node["class_name"] = INFERENCE_SAME[cls]
                cfg.pop("data_format", None)
        for x in node.values():
            normalize(x)


def main():
    src, out = sys.argv[1], sys.argv[2]
    with h5py.File(src, "r") as f:
        if "model_config" not in f.attrs:
            sys.stderr.write("no model_config (weights-only file)\n")
            sys.exit(3)
        topology = json.loads(text(f.attrs["model_config"]))
        normalize(topology)
        topology_wrapped = {"class_name": topology["class_name"], "config": topology["config"],
                            "keras_version": text(f.attrs.get("keras_version", "")),
                            "backend": text(f.attrs.get("backend", "tensorflow"))}
        group = f["model_weights"] if "model_weights" in f else f
        specs, blobs = [], []
        for layer in group.attrs.get("layer_names", []):
            lg = group[text(layer)]
            for wname in lg.attrs.get("weight_names", []):
                wname = text(wname)
                arr = np.asarray(lg[wname], dtype="<f4")
                name = wname[:-2] if wname.endswith(":0") else wname
                # tfjs names a variable "<layer>/<weight>"; a model built twice
                # in Python saved "<layer>_1/<weight>": use the layer's name.
                parts = name.split("/")
                if len(parts) == 2 and parts[0] != text(layer):
                    name = text(layer) + "/" + parts[1]
                specs.append({"name": name, "shape": list(arr.shape), "dtype": "float32"})
                blobs.append(arr.tobytes())
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "weights.bin"), "wb") as w:
        for b in blobs:
            w.write(b)
    with open(os.path.join(out, "model.json"), "w") as j:
        json.dump({"format": "layers-model", "generatedBy": "h5_to_tfjs.py", "convertedBy": None,
                   "modelTopology": topology_wrapped,
                   "weightsManifest": [{"paths": ["weights.bin"], "weights": specs}]}, j)


if __name__ == "__main__":
    main()
