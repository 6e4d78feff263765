#!/usr/bin/python3
"""Writes the hostile inputs of hardening_test.sh into DIR: small .keras,
.pbtxt and SavedModel (saved_model.pbtxt) files, each with one defect that
crashed, hung or confused the converter (issue #14). Needs python3-h5py.

usage: /usr/bin/python3 make_inputs.py DIR
"""
import copy
import io
import json
import os
import sys
import zipfile

import h5py
import numpy as np


def ktensor(layer, shape=(None, 4)):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": list(shape), "dtype": "float32", "keras_history": [layer, 0, 0]}}


def layer(cls, name, config, inbound):
    c = {"name": name, "trainable": True, "dtype": "float32"}
    c.update(config)
    return {"module": "keras.layers", "class_name": cls, "config": c, "registered_name": None, "name": name,
            "inbound_nodes": inbound}


def model(layers, inputs, outputs):
    return {"module": "keras", "class_name": "Functional", "registered_name": "Functional",
            "config": {"name": "m", "trainable": True, "layers": layers,
                       "input_layers": [[n, 0, 0] for n in inputs], "output_layers": [[n, 0, 0] for n in outputs]}}


def input_layer(batch_shape=(None, 4), name="x"):
    return layer("InputLayer", name, {"batch_shape": list(batch_shape), "sparse": False}, [])


def call(*refs):
    return [{"args": list(refs), "kwargs": {}}]


# The good model: x[None, 4] -> ReLU. No weights, so model.weights.h5 is empty.
GOOD = model([input_layer(), layer("ReLU", "relu", {}, call(ktensor("x")))], ["x"], ["relu"])


def weights_h5(weights=None):
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        f.create_group("layers")
        for name, arrays in (weights or {}).items():
            for i, a in enumerate(arrays):
                f.create_dataset("layers/%s/vars/%d" % (name, i), data=a)
    return buf.getvalue()


def unwritten_weights_h5():
    """A 4 GB float32 dataset of which nothing is stored: every chunk unwritten."""
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        f.create_dataset("layers/dense/vars/0", shape=(1 << 30,), dtype="float32", chunks=(1 << 16,),
                         compression="gzip")
        f.create_dataset("layers/dense/vars/1", data=np.zeros(3, np.float32))
    return buf.getvalue()


def write_keras(path, config, weights=None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("metadata.json", json.dumps({"keras_version": "3.3.3"})),
                           ("config.json", json.dumps(config)),
                           ("model.weights.h5", weights if isinstance(weights, bytes) else weights_h5(weights))):
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def keras_cases(p):
    write_keras(p("good.keras"), GOOD)
    # parse_ref: a __keras_tensor__ without keras_history, one with no config,
    # a history too short and one whose node index is a string.
    for name, ref in (("ref_no_history", {"class_name": "__keras_tensor__", "config": {"shape": [None, 4]}}),
                      ("ref_no_config", {"class_name": "__keras_tensor__"}),
                      ("ref_short_history", {"class_name": "__keras_tensor__", "config": {"keras_history": ["x"]}}),
                      ("ref_string_index", {"class_name": "__keras_tensor__", "config": {"keras_history": ["x", "0", 0]}}),
                      ("ref_class_number", {"class_name": 7, "config": {}})):
        write_keras(p(name + ".keras"),
                    model([input_layer(), layer("ReLU", "relu", {}, [{"args": [ref], "kwargs": {}}])], ["x"], ["relu"]))
    # Keras 2 form in an inbound node: [name, "0", 0, {}].
    write_keras(p("ref_k2_string_index.keras"),
                model([input_layer(), layer("ReLU", "relu", {}, [[["x", "0", 0, {}]]])], ["x"], ["relu"]))
    # lower_zero_padding2d: pairs that are too short, and a string amount.
    img = input_layer((None, 4, 4, 1))
    for name, pad in (("zero_pad_short", [[1], [2]]), ("zero_pad_empty", [[], []]), ("zero_pad_string", [["1", 1], [1, 1]]),
                      ("zero_pad_negative", -3)):
        write_keras(p(name + ".keras"),
                    model([img, layer("ZeroPadding2D", "pad", {"padding": pad, "data_format": "channels_last"},
                                      call(ktensor("x", (None, 4, 4, 1))))], ["x"], ["pad"]))
    # A layer name with a terminal escape, in an error message.
    write_keras(p("escape_in_layer_name.keras"),
                model([img, layer("ZeroPadding2D", "pad\x1b[2J", {"padding": [[1], [2]], "data_format": "channels_last"},
                                  call(ktensor("x", (None, 4, 4, 1))))], ["x"], ["pad\x1b[2J"]))
    # Dimensions: -7, a string, 2^40.
    for name, shape in (("batch_shape_negative", [None, -7]), ("batch_shape_string", [None, "4"]),
                        ("batch_shape_huge", [None, 1 << 40])):
        write_keras(p(name + ".keras"), model([input_layer(shape), layer("ReLU", "relu", {}, call(ktensor("x")))],
                                              ["x"], ["relu"]))
    # A string where a number belongs, in a field read without a typed getter.
    write_keras(p("relu_string_max.keras"),
                model([input_layer(), layer("ReLU", "relu", {"max_value": "6"}, call(ktensor("x")))], ["x"], ["relu"]))
    # Wrong JSON types in the model's structure (nlohmann's type_error text before).
    def broken(name, edit):
        c = copy.deepcopy(GOOD)
        edit(c)
        write_keras(p(name + ".keras"), c)
    broken("layer_class_number", lambda c: c["config"]["layers"][1].__setitem__("class_name", 5))
    broken("layer_config_name_number", lambda c: c["config"]["layers"][1]["config"].__setitem__("name", 5))
    broken("layer_config_string", lambda c: c["config"]["layers"][1].__setitem__("config", "x"))
    broken("model_config_string", lambda c: c.__setitem__("config", "x"))
    broken("dtype_policy_name_number", lambda c: c["config"]["layers"][0]["config"].__setitem__(
        "dtype", {"class_name": "DTypePolicy", "config": {"name": 5}}))
    broken("sequential_name_number", lambda c: c.update({"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 4], "name": 5}},
        {"class_name": "ReLU", "config": {"name": "r"}}]}}))
    # Dense whose kernel is empty: the weights do not match the config.
    dense = layer("Dense", "dense", {"units": 3, "activation": "linear", "use_bias": True}, call(ktensor("x")))
    write_keras(p("dense_empty_kernel.keras"), model([input_layer(), dense], ["x"], ["dense"]),
                {"dense": [np.zeros((0, 3), np.float32), np.zeros(3, np.float32)]})
    write_keras(p("dense_unwritten_kernel.keras"), model([input_layer(), dense], ["x"], ["dense"]), unwritten_weights_h5())


def const_node(name, dtype, dims, vals_field, vals):
    shape = "".join(" dim { size: %d }" % d for d in dims)
    v = "".join(" %s: %s" % (vals_field, x) for x in vals)
    return ('node { name: "%s" op: "Const" attr { key: "dtype" value { type: %s } }'
            ' attr { key: "value" value { tensor { dtype: %s tensor_shape {%s }%s } } } }\n'
            % (name, dtype, dtype, shape, v))


PLACEHOLDER = ('node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }'
               ' attr { key: "shape" value { shape { dim { size: 1 } dim { size: 4 } } } } }\n')


def graphdef_cases(p):
    relu = 'node { name: "y" op: "Relu" input: "x" attr { key: "T" value { type: DT_FLOAT } } }\n'
    open(p("good.pbtxt"), "w").write(PLACEHOLDER + relu)
    # 400 bytes that ask for 16 GB: shape [4e9], one float_val.
    add = 'node { name: "y" op: "AddV2" input: "x" input: "big" attr { key: "T" value { type: DT_FLOAT } } }\n'
    open(p("splat_4e9.pbtxt"), "w").write(PLACEHOLDER + const_node("big", "DT_FLOAT", [4000000000], "float_val", [1]) + add)
    # No value at all: zeros of 2^40 x 2^20 int32.
    open(p("splat_zeros.pbtxt"), "w").write(
        PLACEHOLDER + const_node("zeros", "DT_INT32", [1 << 40, 1 << 20], "int_val", []) +
        'node { name: "y" op: "Relu" input: "x" attr { key: "T" value { type: DT_FLOAT } } }\n')
    # One string repeated 2^28 times.
    open(p("splat_string.pbtxt"), "w").write(
        PLACEHOLDER + const_node("s", "DT_STRING", [1 << 28], "string_val", ['"%s"' % ("a" * 64)]) + relu)
    # A node name that is not UTF-8 (protobuf logged its own line for it).
    open(p("bad_utf8.pb"), "wb").write(b"\x0a\x03\x0a\x01\xff")
    # An empty op type; an op type and a node name holding control bytes.
    open(p("empty_op.pbtxt"), "w").write(PLACEHOLDER + 'node { name: "y" op: "" input: "x" }\n')
    open(p("control_op.pbtxt"), "w").write(PLACEHOLDER + 'node { name: "y" op: "Foo\\n\\033[31mBar" input: "x" }\n')
    open(p("control_name.pbtxt"), "w").write(
        PLACEHOLDER + 'node { name: "y\\nerror: fake\\033[2J" op: "Relu" input: "x" attr { key: "T" value { type: DT_FLOAT } } }\n')


def saved_model(sig_inputs, sig_outputs, nodes):
    def tinfo(key, name):
        return ' %s { key: "%s" value { name: "%s" dtype: DT_FLOAT tensor_shape { dim { size: 1 } dim { size: 4 } } } }' % (
            "inputs" if key.startswith("in") else "outputs", key.split(":", 1)[1], name)
    sig = "".join(tinfo("in:" + k, v) for k, v in sig_inputs) + "".join(tinfo("out:" + k, v) for k, v in sig_outputs)
    return ('saved_model_schema_version: 1\nmeta_graphs {\n meta_info_def { tags: "serve" }\n graph_def {\n%s }\n'
            ' signature_def { key: "serving_default" value {%s method_name: "tensorflow/serving/predict" } }\n}\n'
            % (nodes, sig))


def saved_model_cases(p):
    relu = 'node { name: "y" op: "Relu" input: "x" attr { key: "T" value { type: DT_FLOAT } } }\n'
    cases = {
        "sm_good": saved_model([("x", "x:0")], [("y", "y:0")], PLACEHOLDER + relu),
        "sm_no_outputs": saved_model([("x", "x:0")], [], PLACEHOLDER + relu),
        "sm_no_inputs": saved_model([], [("y", "y:0")], PLACEHOLDER + relu),
        "sm_no_signature_io": saved_model([], [], PLACEHOLDER + relu),
        # A constant with no data at all (no dtype, shape or values).
        "sm_const_no_data": saved_model([("x", "x:0")], [("y", "y:0")], PLACEHOLDER +
                                        'node { name: "c" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }'
                                        ' attr { key: "value" value { tensor { } } } }\n'
                                        'node { name: "y" op: "AddV2" input: "x" input: "c"'
                                        ' attr { key: "T" value { type: DT_FLOAT } } }\n'),
        "sm_splat": saved_model([("x", "x:0")], [("y", "y:0")], PLACEHOLDER +
                                const_node("big", "DT_FLOAT", [1 << 33], "float_val", [2]) +
                                'node { name: "y" op: "AddV2" input: "x" input: "big"'
                                ' attr { key: "T" value { type: DT_FLOAT } } }\n'),
    }
    cases["sm_bad_text"] = "meta_graphs { garbage: 1 }\n"
    for name, text in cases.items():
        os.makedirs(p(name), exist_ok=True)
        open(os.path.join(p(name), "saved_model.pbtxt"), "w").write(text)


def dataset_cases(p):
    x = np.ones((3, 1, 4), np.float32)
    np.savez(p("calib_good.npz"), x=x)
    bad = x.copy()
    bad[2, 0, 1] = np.nan
    np.savez(p("calib_nan.npz"), x=bad)
    bad = x.astype(np.float64)
    bad[1, 0, 3] = -np.inf
    np.savez(p("calib_inf.npz"), x=bad)


def damaged_cases(p):
    """Truncated, flipped, empty, deep, cyclic and archive-trick inputs of every kind."""
    good_keras = open(p("good.keras"), "rb").read()
    good_pbtxt = open(p("good.pbtxt"), "rb").read()
    open(p("empty.keras"), "wb").close()
    open(p("empty.pb"), "wb").close()
    open(p("empty.h5"), "wb").close()
    open(p("trunc.keras"), "wb").write(good_keras[: len(good_keras) // 2])
    open(p("trunc.pbtxt"), "wb").write(good_pbtxt[: len(good_pbtxt) // 2])
    # A binary GraphDef cut inside a field, and one with a flipped length byte.
    open(p("trunc.pb"), "wb").write(b"\x0a\x20\x0a\x01x\x12\x0bPlaceholder")
    open(p("garbage.pb"), "wb").write(bytes(range(256)) * 4)
    # HDF5: a valid .h5 cut after the superblock, and one with a flipped superblock version byte.
    h5 = io.BytesIO()
    with h5py.File(h5, "w") as f:
        f.attrs["model_config"] = json.dumps(GOOD)
        f.create_group("model_weights").attrs["layer_names"] = np.array([], dtype="S1")
    h5 = h5.getvalue()
    open(p("trunc.h5"), "wb").write(h5[:700])
    flipped = bytearray(h5)
    flipped[8] ^= 0xFF  # the superblock version
    open(p("flipped.h5"), "wb").write(bytes(flipped))
    # Zip tricks: a traversal name, an absolute name, a bomb, no config.json, config.json not JSON.
    def zip_with(path, entries, comp=zipfile.ZIP_DEFLATED):
        with zipfile.ZipFile(path, "w", comp) as z:
            for n, d in entries:
                z.writestr(n, d)
    zip_with(p("traversal.keras"), [("../../evil/config.json", json.dumps(GOOD)), ("config.json", json.dumps(GOOD)),
                                    ("model.weights.h5", weights_h5())])
    zip_with(p("absolute.keras"), [("/etc/config.json", "{}"), ("config.json", json.dumps(GOOD)),
                                   ("model.weights.h5", weights_h5())])
    zip_with(p("bomb.keras"), [("config.json", json.dumps(GOOD)), ("model.weights.h5", b"\0" * (200 << 20))])
    zip_with(p("no_config.keras"), [("model.weights.h5", weights_h5())])
    zip_with(p("config_not_json.keras"), [("config.json", "{not json"), ("model.weights.h5", weights_h5())])
    zip_with(p("config_list.keras"), [("config.json", "[1, 2]"), ("model.weights.h5", weights_h5())])
    # JSON nested 100000 deep, and a layer graph with a cycle (relu <- relu2 <- relu).
    zip_with(p("deep.keras"), [("config.json", "[" * 100000 + "]" * 100000), ("model.weights.h5", weights_h5())])
    cyc = model([input_layer(), layer("ReLU", "relu", {}, call(ktensor("relu2"))),
                 layer("ReLU", "relu2", {}, call(ktensor("relu")))], ["x"], ["relu2"])
    write_keras(p("cyclic.keras"), cyc)
    # A GraphDef whose node is its own input.
    open(p("self_loop.pbtxt"), "w").write(
        'node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }\n'
        'node { name: "a" op: "Relu" input: "a" attr { key: "T" value { type: DT_FLOAT } } }\n')
    # An empty saved_model.pb and a wrong-type input (a .npz given as the model).
    os.makedirs(p("sm_empty_pb"), exist_ok=True)
    open(os.path.join(p("sm_empty_pb"), "saved_model.pb"), "wb").close()
    # A .npy given as the dataset with a header that declares 10^12 elements.
    hdr = b"{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }"
    hdr += b" " * (63 - len(hdr) % 64) + b"\n"
    with zipfile.ZipFile(p("calib_huge.npz"), "w") as z:
        z.writestr("x.npy", b"\x93NUMPY\x01\x00" + len(hdr).to_bytes(2, "little") + hdr + b"\0" * 16)


def budget_cases(p):
    """Inputs that are fine but bigger than a 1 MB --memory_budget_mb."""
    add = 'node { name: "y" op: "AddV2" input: "x" input: "big" attr { key: "T" value { type: DT_FLOAT } } }\n'
    open(p("budget_splat.pbtxt"), "w").write(PLACEHOLDER + const_node("big", "DT_FLOAT", [250000, 4], "float_val", [1]) + add)
    rng = np.random.default_rng(0)
    dense = layer("Dense", "dense", {"units": 100000, "activation": "linear", "use_bias": True}, call(ktensor("x")))
    write_keras(p("budget_dense.keras"), model([input_layer(), dense], ["x"], ["dense"]),
                {"dense": [rng.standard_normal((4, 100000)).astype(np.float32), np.zeros(100000, np.float32)]})
    np.savez(p("budget_calib.npz"), x=rng.standard_normal((80000, 1, 4)).astype(np.float32))
    open(p("budget_splat.mlir"), "w").write(
        "func.func @main(%arg0: tensor<250000x4xf32>) -> tensor<250000x4xf32> {\n"
        "  %0 = stablehlo.constant dense<1.0> : tensor<250000x4xf32>\n"
        "  %1 = stablehlo.add %arg0, %0 : tensor<250000x4xf32>\n"
        "  return %1 : tensor<250000x4xf32>\n}\n")


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    p = lambda n: os.path.join(out, n)
    keras_cases(p)
    graphdef_cases(p)
    saved_model_cases(p)
    dataset_cases(p)
    damaged_cases(p)
    budget_cases(p)


if __name__ == "__main__":
    main()
