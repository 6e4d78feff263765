"""convert() gives the bytes tflite_convert gives with the same options, for
every corpus model and for the models the project generates, in the float,
dynamic-range, float16 and int8 modes. Where the CLI refuses a model, the
Python API raises with the same message. int8: the Python side streams the
samples from a generator, the CLI reads the same samples from an .npz."""

import os
import re

import numpy as np
import pytest

import tflite_converter as tflc
from conftest import CORPUS, REPO, random_samples, run_cli
from tflite_converter import _native

MODES = ("float", "dynamic", "float16", "int8")
RESULTS = []  # (model, mode, outcome) for the summary table


def _csv_names(d, suffix):
    out = []
    for root, _, files in os.walk(d):
        for f in files:
            if f.endswith(suffix + ".csv"):
                out.append(os.path.relpath(os.path.join(root, f), d)[:-len(suffix) - 4])
    return sorted(out)


def _const_inputs(pbtxt):
    """{name: shape} of the Const nodes named in_N in a dl4j frozen_graph.pbtxt:
    the layer tests keep their inputs as constants, and the end-to-end suite
    (tests/e2e/corpus.mjs) converts them as inputs, which --input_arrays does."""
    with open(pbtxt) as f:
        text = f.read()
    out = {}
    for m in re.finditer(r'^node \{\n  name: "(in_\d+)"\n  op: "Const"\n', text, re.M):
        block = text[m.end():text.find("\n}\n", m.end())]
        i = block.find("tensor_shape {")
        depth, j = 0, i
        while j < len(block):
            depth += {"{": 1, "}": -1}.get(block[j], 0)
            if depth == 0 and block[j] == "}":
                break
            j += 1
        out[m.group(1)] = [int(d) for d in re.findall(r"size: (\d+)", block[i:j])] if i >= 0 else []
    return out


def _read_shape(base):
    """dl4j's <name>.shape; a scalar is written as "0" (one value in the .csv)."""
    with open(base + ".shape") as s:
        shape = [int(x) for x in s.read().split()]
    with open(base + ".csv") as c:
        values = [v for v in re.split(r"[\s,]+", c.read()) if v]
    if int(np.prod(shape)) != len(values) and len(values) == 1:
        shape = []
    return shape


def corpus_models():
    """(id, kind, path, frozen-graph arrays) for every model file in the corpus."""
    if not os.path.isdir(CORPUS):
        return []
    models = []
    for root, dirs, files in sorted(os.walk(CORPUS)):
        dirs.sort()
        rel = os.path.relpath(root, CORPUS)
        if "saved_model.pb" in files:
            # Python's default converts every signature (as TF's does); the
            # CLI's converts serving_default: both forms are compared.
            models.append((rel, "saved_model", root, None))
            models.append((rel + "[serving_default]", "saved_model", root, ["serving_default"]))
            keys = _native.signature_keys(root, ["serve"])[0] or []
            if len(keys) > 1:
                # The SavedModel suite (tests/e2e/saved_model.mjs) converts the
                # signatures that convert, together; each one alone too.
                models += [(rel + "[%s]" % k, "saved_model", root, [k]) for k in keys if k != "serving_default"]
                models.append((rel + "[every signature that converts]", "saved_model", root, CONVERTIBLE))
            dirs[:] = []  # its variables/ and assets/ are part of it
            continue
        for f in sorted(files):
            p = os.path.join(root, f)
            rid = os.path.join(rel, f)
            if f.endswith((".h5", ".keras")):
                models.append((rid, "keras", p, None))
            elif f == "frozen_model.pb" and "dl4j_tf_graphs" in rel:
                ins = _csv_names(root, ".placeholder")
                outs = _csv_names(root, ".prediction")
                shapes = {n: _read_shape(os.path.join(root, n + ".placeholder")) for n in ins}
                models.append((rid, "graph", p, (ins, outs, shapes or None)))
                consts = {} if ins else _const_inputs(os.path.join(root, "frozen_graph.pbtxt"))
                if consts:
                    models.append((rid + "[in_N as inputs]", "graph", p, (sorted(consts), outs, consts)))
            elif f.endswith((".pb", ".pbtxt")) and f not in ("fingerprint.pb", "saved_model.pbtxt"):
                models.append((rid, "graph", p, ([], [], None)))
    for rel, arrays in CORPUS_SUITE_GRAPHS:
        if os.path.isfile(os.path.join(CORPUS, rel)):
            models.append((rel + "[arrays as tests/e2e/corpus.mjs]", "graph", os.path.join(CORPUS, rel), arrays))
    return models


# The input/output arrays and shapes tests/e2e/corpus.mjs converts these
# GraphDefs with (the rows without brackets let the converter find them).
CORPUS_SUITE_GRAPHS = [
    ("litert_tflite_testdata/multi_add.pb", (["a", "b", "c", "d"], ["x", "y"], None)),
    ("tfrust_addition_graphdef/model.pb", (["x", "y"], ["z"], None)),
    ("tf2onnx_regression/graphdef/frozen.pb", (["X"], ["pred"], {"X": [1]})),
    ("tf2onnx_fc-layers/frozen.pb", (["X"], ["output"], {"X": [1, 784]})),
    ("tf2onnx_ae0/frozen.pb", (["X"], ["output"], {"X": [1, 784]})),
    ("tf2onnx_lstm/frozen.pb", (["X", "keep_prob"], ["output"], {"X": [1, 784], "keep_prob": []})),
    ("tf2onnx_gru/frozen.pb", (["X", "keep_prob"], ["output"], {"X": [1, 784], "keep_prob": []})),
    ("litert_python_testdata/permute.pbtxt", (["input"], ["output"], None)),
    ("litert_python_testdata/gather.pbtxt", (["input", "indices"], ["output"], None)),
    ("litert_python_testdata/gather_0d.pbtxt", (["indices"], ["output"], None)),
    ("litert_python_testdata/control_flow_v1.pbtxt",
     (["a", "b", "c", "d"], ["Merge"], {"a": [1], "b": [1], "c": [1], "d": [1]})),
] + [("litert_debuginfo_mobilenet_part/v1_1.0_224_frozen.wrong_attr.%s.part.pbtxt" % v,
      (["input"], ["MobilenetV1/MobilenetV1/Conv2d_0/BatchNorm/FusedBatchNorm"], {"input": [1, 224, 224, 3]}))
     for v in ("line", "stack")]


def generated_models(gen_dir):
    mnist = os.path.join(REPO, "examples", "mnist_cnn.pb")
    models = [("generated/mlp.keras", "keras", str(gen_dir / "mlp.keras"), None),
              ("generated/mlp.h5", "keras", str(gen_dir / "mlp.h5"), None),
              ("generated/two_inputs.keras", "keras", str(gen_dir / "two_inputs.keras"), None),
              ("examples/mnist_cnn.pb", "graph", mnist, (["input"], ["probs"], None))]
    sm = gen_dir / "saved_models"
    if sm.is_dir():
        for d in sorted(os.listdir(sm)):
            if (sm / d / "saved_model.pb").is_file():
                models.append(("generated/saved_model/" + d, "saved_model", str(sm / d), None))
        if (sm / "two_signatures").is_dir():  # both signatures, chosen by key
            models.append(("generated/saved_model/two_signatures[add_one,scale]", "saved_model",
                           str(sm / "two_signatures"), ["add_one", "scale"]))
    return models


CONVERTIBLE = "every signature that converts"
_convertible = {}


def convertible_keys(path):
    """The signatures tflite_convert converts alone, in float."""
    if path not in _convertible:
        keys = _native.signature_keys(path, ["serve"])[0]
        _convertible[path] = [k for k in keys if run_cli(["--saved_model_dir=" + path,
                                                          "--saved_model_signature_key=" + k])[0] is not None]
    return _convertible[path]


def make_converter(kind, path, arrays):
    if kind == "saved_model" and arrays == CONVERTIBLE:
        arrays = convertible_keys(path)
    if kind == "keras":
        return tflc.TFLiteConverter.from_keras_model(path), ["--keras_model_file=" + path]
    if kind == "saved_model":
        if arrays:  # signature keys
            return (tflc.TFLiteConverter.from_saved_model(path, signature_keys=arrays),
                    ["--saved_model_dir=" + path, "--saved_model_signature_key=" + ",".join(arrays)])
        keys, _ = _native.signature_keys(path, ["serve"])
        args = ["--saved_model_dir=" + path]
        if keys:  # what from_saved_model converts by default: every signature
            args.append("--saved_model_signature_key=" + ",".join(keys))
        return tflc.TFLiteConverter.from_saved_model(path), args
    ins, outs, shapes = arrays
    args = ["--enable_v1_converter", "--graph_def_file=" + path]
    if ins:
        args.append("--input_arrays=" + ",".join(ins))
    if outs:
        args.append("--output_arrays=" + ",".join(outs))
    if shapes:
        args.append("--input_shapes=" + ":".join(",".join(str(d) for d in shapes[n]) for n in ins))
    return tflc.TFLiteConverter.from_frozen_graph(path, ins, outs, shapes), args


def check_identical(name, kind, path, arrays, mode, tmp_path):
    if arrays == CONVERTIBLE and not convertible_keys(path):
        RESULTS.append((name, mode, "n/a: no signature converts alone (rows above)"))
        return
    conv, args = make_converter(kind, path, arrays)
    if mode != "float":
        conv.optimizations = [tflc.Optimize.DEFAULT]
        args.append("--optimizations=DEFAULT")
    if mode == "float16":
        conv.target_spec.supported_types = [tflc.float16]
        args.append("--supported_types=float16")
    if mode == "int8":
        float_conv, _ = make_converter(kind, path, arrays)
        try:
            specs = _native._input_specs(float_conv.convert())
        except (tflc.ConverterError, ValueError):
            specs = [("x", "FLOAT32", [1])]  # import fails first, on both sides
        if not specs:
            # Nothing to calibrate: both sides refuse a dataset, each in its words.
            np.savez(str(tmp_path / "empty.npz"))
            _, cli_error = run_cli(args + ["--representative_dataset=" + str(tmp_path / "empty.npz")])
            conv.representative_dataset = lambda: iter([[]])
            with pytest.raises(ValueError, match="representative_dataset sample 0 is empty"):
                conv.convert()
            assert cli_error and "holds no arrays" in cli_error, cli_error
            RESULTS.append((name, mode, "n/a: no inputs, both refuse a dataset"))
            return
        samples = random_samples(specs, 2)
        if samples is None:
            types = ", ".join(sorted({s[1] for s in specs})) or "no"
            RESULTS.append((name, mode, "skipped: %s input" % types))
            pytest.skip("int8: the model has an input no dataset can hold (%s)" % types)
        names = [s[0] for s in specs]
        np.savez(str(tmp_path / "data.npz"), **{n: np.stack([s[i] for s in samples]) for i, n in enumerate(names)})
        conv.representative_dataset = lambda: ({n: a for n, a in zip(names, s)} for s in samples)
        args.append("--representative_dataset=" + str(tmp_path / "data.npz"))
    want, want_error = run_cli(args)
    try:
        got, got_error = conv.convert(), None
    except (tflc.ConverterError, ValueError) as e:
        got, got_error = None, str(e)
    if want is not None:
        RESULTS.append((name, mode, "identical" if got == want else "DIFFERENT"))
        assert got_error is None, "the CLI converts; convert() raised: " + got_error
        assert got == want, "convert() and tflite_convert give different bytes"
    else:
        RESULTS.append((name, mode, "same error" if got_error == want_error else "DIFFERENT"))
        assert got is None, "the CLI fails (%s); convert() returned a model" % want_error
        assert got_error == want_error


_CORPUS = corpus_models()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("model", _CORPUS or [None], ids=[m[0] for m in _CORPUS] or ["corpus-absent"])
def test_corpus_model_identical(model, mode, tmp_path, cli):
    if model is None:
        pytest.skip("corpus not found at %s: the corpus byte-identity cases need ../shared/corpus" % CORPUS)
    check_identical(model[0], model[1], model[2], model[3], mode, tmp_path)


@pytest.mark.parametrize("mode", MODES)
def test_generated_models_identical(gen_dir, mode, tmp_path_factory, cli):
    models = generated_models(gen_dir)
    assert len(models) >= 5, "the SavedModel fixtures were not generated"
    for name, kind, path, arrays in models:
        try:
            check_identical(name, kind, path, arrays, mode, tmp_path_factory.mktemp("gen"))
        except pytest.skip.Exception:
            pass
    converted = [r for r in RESULTS if r[1] == mode and r[0].startswith(("generated/", "examples/"))
                 and r[2] == "identical"]
    assert len(converted) >= 4, "too few generated models convert in mode %s: %s" % (mode, RESULTS)


def test_write_identity_table():
    """Writes the model x mode table to $TFLC_IDENTITY_TABLE (for docs); runs last in this file."""
    path = os.environ.get("TFLC_IDENTITY_TABLE")
    if not path:
        pytest.skip("set TFLC_IDENTITY_TABLE=FILE to write the byte-identity table")
    by_model = {}
    for name, mode, outcome in RESULTS:
        by_model.setdefault(name, {})[mode] = outcome
    with open(path, "w") as f:
        f.write("| model | " + " | ".join(MODES) + " |\n|---|" + "---|" * len(MODES) + "\n")
        for name in sorted(by_model):
            f.write("| %s | %s |\n" % (name, " | ".join(by_model[name].get(m, "-") for m in MODES)))
