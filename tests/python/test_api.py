"""The API as tf.lite users know it: constructors, attributes, errors, the
tf drop-in, the Analyzer, threads and the console script."""

import io
import os
import subprocess
import sys
import threading
import contextlib

import numpy as np
import pytest

import tflite_converter as tflc
from conftest import BUILD, CORPUS, REPO, model_gen, run_cli

MNIST = os.path.join(REPO, "examples", "mnist_cnn.pb")
HALF_PLUS_TWO = os.path.join(CORPUS, "serving_saved_model_half_plus_two_tf2_cpu", "00000123")
KERAS_SAVED_MODEL = os.path.join(CORPUS, "tfrust_keras_single_input_saved_model")  # tf.keras model.save()
TWO_SIGNATURES = os.path.join(CORPUS, "tfjs_node_saved_models", "module_with_multiple_signatures")


def test_documented_saved_model_snippet(tmp_path, monkeypatch, corpus):
    """TensorFlow's guide, with only the import line changed."""
    if not os.path.isdir(KERAS_SAVED_MODEL):
        pytest.skip("corpus SavedModel missing: " + KERAS_SAVED_MODEL)
    monkeypatch.chdir(tmp_path)
    saved_model_dir = KERAS_SAVED_MODEL
    from tflite_converter import tf
    converter = tf.lite.TFLiteConverter.from_saved_model(saved_model_dir)
    tflite_model = converter.convert()
    with open('model.tflite', 'wb') as f:
        f.write(tflite_model)
    want, err = run_cli(["--saved_model_dir=" + KERAS_SAVED_MODEL])
    assert err is None
    assert (tmp_path / "model.tflite").read_bytes() == want


def test_from_saved_model_converts_every_signature(corpus):
    """TF's from_saved_model converts all signatures unless signature_keys says otherwise."""
    if not os.path.isdir(TWO_SIGNATURES):
        pytest.skip("corpus SavedModel missing: " + TWO_SIGNATURES)
    from tflite_converter import _native
    assert _native.signature_keys(TWO_SIGNATURES, ["serve"]) == (["serving_default", "timestwo"], "")
    both = tflc.TFLiteConverter.from_saved_model(TWO_SIGNATURES).convert()
    want, _ = run_cli(["--saved_model_dir=" + TWO_SIGNATURES, "--saved_model_signature_key=serving_default,timestwo"])
    assert both == want
    one = tflc.TFLiteConverter.from_saved_model(TWO_SIGNATURES, signature_keys=["timestwo"]).convert()
    want, _ = run_cli(["--saved_model_dir=" + TWO_SIGNATURES, "--saved_model_signature_key=timestwo"])
    assert one == want and one != both
    with pytest.raises(tflc.ConverterError, match="no signature 'nope'"):
        tflc.TFLiteConverter.from_saved_model(TWO_SIGNATURES, signature_keys=["nope"]).convert()


def test_drop_in_names():
    from tflite_converter import tf
    assert tf.lite.Optimize.DEFAULT == "DEFAULT"
    assert tf.lite.OpsSet.TFLITE_BUILTINS_INT8.value == "TFLITE_BUILTINS_INT8"
    assert tf.float16 == np.float16 and tf.int8 == "int8" and tf.uint8 != tf.int8
    assert {tf.int16, tf.float32} == {tflc.int16, tflc.float32}
    assert tf.compat.v1.lite.TFLiteConverter is tflc.TFLiteConverter
    assert tf.lite.experimental.Analyzer is tflc.experimental.Analyzer


def test_keras_object_equals_path(gen_dir):
    model = model_gen.FakeKerasModel(model_gen.mlp())
    got = tflc.TFLiteConverter.from_keras_model(model).convert()
    assert model.saved and model.saved[0].endswith(".keras")
    assert not os.path.exists(model.saved[0]), "the temporary .keras file is left behind"
    assert got == tflc.TFLiteConverter.from_keras_model(str(gen_dir / "mlp.keras")).convert()


def test_keras_object_saving_only_h5(gen_dir):
    """Older tf.keras objects save .h5: tried when .keras fails."""
    class H5Only:
        def save(self, path):
            if not path.endswith(".h5"):
                raise ValueError("unknown format")
            model_gen.write(model_gen.mlp(), path)

    got = tflc.TFLiteConverter.from_keras_model(H5Only()).convert()
    assert got == tflc.TFLiteConverter.from_keras_model(str(gen_dir / "mlp.h5")).convert()


def test_keras_object_that_cannot_save():
    class NoSave:
        def save(self, path):
            raise OSError("disk full")

    with pytest.raises(ValueError, match="disk full"):
        tflc.TFLiteConverter.from_keras_model(NoSave())
    with pytest.raises(TypeError, match="from_keras_model takes a Keras model"):
        tflc.TFLiteConverter.from_keras_model(42)


def test_frozen_graph_path_and_bytes(cli):
    with open(MNIST, "rb") as f:
        content = f.read()
    a = tflc.TFLiteConverter.from_frozen_graph(MNIST, ["input"], ["probs"]).convert()
    b = tflc.TFLiteConverter.from_frozen_graph(content, ["input"], ["probs"]).convert()
    want, _ = run_cli(["--enable_v1_converter", "--graph_def_file=" + MNIST, "--input_arrays=input",
                       "--output_arrays=probs"])
    assert a == b == want

    class GraphDefMessage:  # what tf.compat.v1.GraphDef offers
        def SerializeToString(self):
            return content

    assert tflc.TFLiteConverter.from_frozen_graph(GraphDefMessage(), ["input"], ["probs"]).convert() == want
    with pytest.raises(ConverterErrorOrValue, match="neither a binary nor a text GraphDef") as e:
        tflc.TFLiteConverter.from_frozen_graph(b"\xff\x00garbage", ["input"], ["probs"]).convert()
    assert "\n" not in str(e.value)


ConverterErrorOrValue = (tflc.ConverterError, ValueError)

UNSUPPORTED_PBTXT = """
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "shape" value { shape { dim { size: 1 } dim { size: 3 } } } } }
node { name: "fft" op: "FFT" input: "x" attr { key: "Tcomplex" value { type: DT_FLOAT } } }
node { name: "my_op" op: "MyCustomOp" input: "x" }
node { name: "y" op: "AddV2" input: "fft" input: "my_op" attr { key: "T" value { type: DT_FLOAT } } }
"""


def test_converter_error_lists_each_op(tmp_path, cli):
    p = tmp_path / "bad.pbtxt"
    p.write_text(UNSUPPORTED_PBTXT)
    c = tflc.TFLiteConverter.from_frozen_graph(str(p), ["x"], ["y"])
    with pytest.raises(tflc.ConverterError) as e:
        c.convert()
    _, cli_error = run_cli(["--enable_v1_converter", "--graph_def_file=" + str(p), "--input_arrays=x",
                            "--output_arrays=y"])
    assert str(e.value) == cli_error
    errors = {(x.op_type, x.node_name) for x in e.value.errors}
    assert ("MyCustomOp", "my_op") in errors, e.value.errors
    assert len(e.value.errors) >= 2, e.value.errors
    custom = [x for x in e.value.errors if x.op_type == "MyCustomOp"][0]
    assert custom.reason == "is neither a custom op nor a flex op"
    assert custom.operator.name == "tf.MyCustomOp"


def test_converter_error_other_failures(tmp_path):
    with pytest.raises(tflc.ConverterError) as e:
        tflc.TFLiteConverter.from_saved_model(str(tmp_path / "nothing")).convert()
    assert len(e.value.errors) == 1 and e.value.errors[0].op_type == ""
    assert e.value.errors[0].reason == str(e.value)


@pytest.mark.parametrize("attr,value,exc,text", [
    ("optimizations", tflc.Optimize.DEFAULT, TypeError, "optimizations must be a list"),
    ("optimizations", ["FAST"], ValueError, "optimizations: unknown value 'FAST'"),
    ("optimizations", [3], TypeError, "optimizations: 3 is not"),
    ("inference_input_type", "int4", ValueError, "inference_input_type"),
    ("inference_input_type", 8, TypeError, "inference_input_type must be a dtype"),
    ("inference_output_type", tflc.float16, ValueError, "inference_output_type: tf.float16 is not accepted"),
    ("allow_custom_ops", "yes", TypeError, "allow_custom_ops must be True or False"),
    ("exclude_conversion_metadata", 1, TypeError, "exclude_conversion_metadata"),
    ("experimental_new_converter", None, TypeError, "experimental_new_converter"),
    ("target_spec.supported_ops", {"TFLITE_BUILTINZ"}, ValueError, "target_spec.supported_ops: unknown value"),
    ("target_spec.supported_ops", "TFLITE_BUILTINS", TypeError, "target_spec.supported_ops must be a list"),
    ("target_spec.supported_types", [np.int32], ValueError, "target_spec.supported_types: tf.int32"),
    ("target_spec.supported_types", [object()], TypeError, "target_spec.supported_types must be a dtype"),
    ("target_spec.experimental_select_user_tf_ops", ["MyOp"], ValueError, "needs tf.lite.OpsSet.SELECT_TF_OPS"),
    ("target_spec", None, TypeError, "target_spec must be a tf.lite.TargetSpec"),
    ("experimental_memory_budget_mb", "4G", TypeError, "experimental_memory_budget_mb must be an int"),
    ("experimental_memory_budget_mb", 0, ValueError, "experimental_memory_budget_mb must be between"),
])
def test_bad_attributes(attr, value, exc, text):
    c = tflc.TFLiteConverter.from_frozen_graph(MNIST, ["input"], ["probs"])
    obj = c
    parts = attr.split(".")
    for p in parts[:-1]:
        obj = getattr(obj, p)
    setattr(obj, parts[-1], value)
    with pytest.raises(exc) as e:
        c.convert()
    assert text in str(e.value)


def test_memory_budget_names_the_attribute(tmp_path):
    path = str(tmp_path / "wide.h5")
    model_gen.write(model_gen.mlp(n_in=1024, hidden=1024, n_out=8), path)  # a 4 MB kernel
    c = tflc.TFLiteConverter.from_keras_model(path)
    assert len(c.convert()) > 4_000_000
    c.experimental_memory_budget_mb = 1
    with pytest.raises(tflc.ConverterError) as e:
        c.convert()
    assert "over the 1 MB memory budget" in str(e.value)
    assert "experimental_memory_budget_mb" in str(e.value)


def test_mode_errors_are_value_errors():
    c = tflc.TFLiteConverter.from_frozen_graph(MNIST, ["input"], ["probs"])
    c.inference_input_type = tflc.int8  # without integer quantization, as TF says
    with pytest.raises(ValueError, match="must be tf.float32"):
        c.convert()
    c = tflc.TFLiteConverter.from_frozen_graph(MNIST, ["input"], ["probs"])
    c.optimizations = [tflc.Optimize.DEFAULT]
    c.target_spec.supported_ops = {tflc.OpsSet.TFLITE_BUILTINS_INT8}
    with pytest.raises(ValueError, match="a `representative_dataset` must be specified"):
        c.convert()


def test_usage_errors_name_attributes():
    c = tflc.TFLiteConverter.from_frozen_graph(MNIST, ["input"], ["probs"])
    c.representative_dataset = lambda: iter([[np.zeros((1, 28, 28, 1), np.float32)]])
    with pytest.raises(ValueError) as e:
        c.convert()
    assert str(e.value) == "representative_dataset needs optimizations=[tf.lite.Optimize.DEFAULT]"
    c = tflc.TFLiteConverter.from_saved_model(HALF_PLUS_TWO, signature_keys=["serving_default"])
    c._source["input_shapes"] = "1"
    with pytest.raises(ValueError, match="^input_arrays, output_arrays and input_shapes go with graph_def_file"):
        c.convert()


def test_bad_constructor_arguments():
    with pytest.raises(TypeError, match="input_arrays must be a list of str"):
        tflc.TFLiteConverter.from_frozen_graph(MNIST, "input", ["probs"])
    with pytest.raises(ValueError, match="input_shapes has no shape for input 'input'"):
        tflc.TFLiteConverter.from_frozen_graph(MNIST, ["input"], ["probs"], {"other": [1]})
    with pytest.raises(ValueError, match=r"input_shapes\['input'\]"):
        tflc.TFLiteConverter.from_frozen_graph(MNIST, ["input"], ["probs"], {"input": [None, 28, 28, 1]})
    with pytest.raises(TypeError, match="saved_model_dir must be a path"):
        tflc.TFLiteConverter.from_saved_model(7)
    with pytest.raises(TypeError, match="tags must be a set of str"):
        tflc.TFLiteConverter.from_saved_model("x", tags="serve")


def test_optimize_aliases_and_sparsity():
    base = tflc.TFLiteConverter.from_frozen_graph(MNIST, ["input"], ["probs"])
    base.optimizations = [tflc.Optimize.DEFAULT]
    want = base.convert()
    for alias in (tflc.Optimize.OPTIMIZE_FOR_SIZE, tflc.Optimize.OPTIMIZE_FOR_LATENCY):
        c = tflc.TFLiteConverter.from_frozen_graph(MNIST, ["input"], ["probs"])
        c.optimizations = [alias]
        with pytest.warns(DeprecationWarning):
            assert c.convert() == want
    c.optimizations = [tflc.Optimize.EXPERIMENTAL_SPARSITY]
    with pytest.raises(tflc.ConverterError, match="not supported yet"):
        c.convert()


def test_exclude_conversion_metadata():
    c = tflc.TFLiteConverter.from_frozen_graph(MNIST, ["input"], ["probs"])
    with_md = c.convert()
    c.exclude_conversion_metadata = True
    without = c.convert()
    assert b"CONVERSION_METADATA" in with_md and b"CONVERSION_METADATA" not in without
    assert b"min_runtime_version" in without
    c.experimental_new_converter = False  # accepted, as TF accepts it
    c.allow_custom_ops = True
    assert c.convert() == without


def test_from_concrete_functions_without_tensorflow():
    try:
        import tensorflow  # noqa: F401
        pytest.skip("TensorFlow is installed here")
    except ImportError:
        pass
    with pytest.raises(ImportError, match="from_saved_model"):
        tflc.TFLiteConverter.from_concrete_functions([lambda x: x])


def test_analyzer_prints_what_tflite_analyze_prints(tmp_path, capsys):
    model = tflc.TFLiteConverter.from_frozen_graph(MNIST, ["input"], ["probs"]).convert()
    p = tmp_path / "m.tflite"
    p.write_bytes(model)
    want = subprocess.run([os.path.join(BUILD, "tflite_analyze"), str(p)], capture_output=True, text=True).stdout
    tflc.experimental.Analyzer.analyze(model_path=str(p))
    assert capsys.readouterr().out == want
    tflc.experimental.Analyzer.analyze(model_content=model)
    out = capsys.readouterr().out
    # TF's heading for a buffer; the rest is tflite_analyze's report.
    assert out == want.replace("=== %s ===" % p, "=== TFLite ModelAnalyzer ===", 1)
    assert "Subgraph#0" in out or "subgraph" in out.lower()
    # gpu_compatibility=True: TF's GPU delegate check, as tflite_analyze --gpu_compatibility.
    want = subprocess.run([os.path.join(BUILD, "tflite_analyze"), "--gpu_compatibility", str(p)],
                          capture_output=True, text=True).stdout
    tflc.experimental.Analyzer.analyze(model_path=str(p), gpu_compatibility=True)
    got = capsys.readouterr().out
    assert got == want
    assert "GPU" in got
    with pytest.raises(ValueError, match="exactly one"):
        tflc.experimental.Analyzer.analyze()
    with pytest.raises(ValueError):
        tflc.experimental.Analyzer.analyze(model_content=b"not a model")


def test_four_threads_at_once(gen_dir):
    """Four conversions in parallel threads (the GIL is released), each equal to its serial result."""
    def make(i):
        if i == 0:
            return tflc.TFLiteConverter.from_frozen_graph(MNIST, ["input"], ["probs"])
        if i == 1:
            c = tflc.TFLiteConverter.from_keras_model(str(gen_dir / "mlp.keras"))
            c.optimizations = [tflc.Optimize.DEFAULT]
            c.representative_dataset = lambda: ([np.full((1, 16), k / 50, np.float32)] for k in range(50))
            return c
        if i == 2:
            c = tflc.TFLiteConverter.from_keras_model(str(gen_dir / "two_inputs.keras"))
            c.optimizations = [tflc.Optimize.DEFAULT]
            c.target_spec.supported_types = [tflc.float16]
            return c
        c = tflc.TFLiteConverter.from_frozen_graph(MNIST, ["input"], ["probs"])
        c.optimizations = [tflc.Optimize.DEFAULT]
        return c

    serial = [make(i).convert() for i in range(4)]
    for _ in range(3):
        results = [None] * 4
        barrier = threading.Barrier(4)

        def work(i):
            c = make(i)
            barrier.wait()
            results[i] = c.convert()

        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == serial


def test_console_script_runs_the_cli(tmp_path):
    out = tmp_path / "m.tflite"
    p = subprocess.run([sys.executable, "-m", "tflite_converter.cli", "--enable_v1_converter",
                        "--graph_def_file=" + MNIST, "--output_file=" + str(out), "--input_arrays=input",
                        "--output_arrays=probs"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert out.read_bytes() == tflc.TFLiteConverter.from_frozen_graph(MNIST, ["input"], ["probs"]).convert()
    p = subprocess.run([sys.executable, "-m", "tflite_converter.cli", "--output_file=x"], capture_output=True,
                       text=True)
    assert p.returncode == 2 and "exactly one of" in p.stderr, p.stderr


def test_gil_released_while_converting(tmp_path):
    """Python keeps running in another thread while a conversion is in C++.
    With the GIL held, this loop could only turn in the one switch interval
    (5 ms) before the call, however long the conversion takes."""
    import time
    path = str(tmp_path / "big.keras")
    model_gen.write(model_gen.mlp(n_in=2048, hidden=2048, n_out=2048), path)  # ~0.3 s to quantize
    c = tflc.TFLiteConverter.from_keras_model(path)
    c.optimizations = [tflc.Optimize.DEFAULT]
    started = threading.Event()
    took = []

    def work():
        started.set()
        t0 = time.monotonic()
        model = c.convert()
        took.append(time.monotonic() - t0)
        assert model[4:8] == b"TFL3"

    t = threading.Thread(target=work)
    t.start()
    started.wait()
    first = last = time.monotonic()
    while t.is_alive():
        last = time.monotonic()
    t.join()
    assert took and took[0] > 0.05, "the conversion was too quick to tell (%r)" % took
    assert last - first > 0.5 * took[0], "the main thread ran for %.3f s of a %.3f s conversion" % (
        last - first, took[0])


def test_convert_returns_bytes():
    model = tflc.TFLiteConverter.from_frozen_graph(MNIST, ["input"], ["probs"]).convert()
    assert type(model) is bytes and model[4:8] == b"TFL3"


def test_tf_namespace_is_the_package():
    """`from tflite_converter import tf`: tf.lite.* are the package's own classes."""
    from tflite_converter import tf
    assert tf.lite.TFLiteConverter is tflc.TFLiteConverter
    assert tf.lite.Optimize is tflc.Optimize and tf.lite.OpsSet is tflc.OpsSet
    assert tf.lite.TargetSpec is tflc.TargetSpec
    for name in ("float16", "int8", "uint8", "int16", "float32"):
        assert getattr(tf, name) is getattr(tflc, name) and getattr(tf, name) == np.dtype(name)


def test_tags_reach_the_loader(tmp_path):
    c = tflc.TFLiteConverter.from_saved_model(_passthrough_saved_model(tmp_path), tags={"serve"})
    assert c.convert() == tflc.TFLiteConverter.from_saved_model(_passthrough_saved_model(tmp_path)).convert()
    c = tflc.TFLiteConverter.from_saved_model(_passthrough_saved_model(tmp_path), tags={"train"},
                                              signature_keys=["serving_default"])
    with pytest.raises(tflc.ConverterError) as e:
        c.convert()
    _, want = run_cli(["--saved_model_dir=" + _passthrough_saved_model(tmp_path), "--saved_model_tag_set=train"])
    assert want and str(e.value) == want
    # Without signature_keys the tags are read first, for the key list: same message.
    with pytest.raises(tflc.ConverterError) as e:
        tflc.TFLiteConverter.from_saved_model(_passthrough_saved_model(tmp_path), tags={"train"}).convert()
    assert str(e.value) == want


def _passthrough_saved_model(tmp_path):
    """A TF2 SavedModel the project writes itself (tests/saved_model/make_saved_models)."""
    d = tmp_path / "sm"
    if not d.is_dir():
        tool = os.path.join(BUILD, "tests", "saved_model", "make_saved_models")
        if not os.access(tool, os.X_OK):
            pytest.fail("make_saved_models not built at %s" % tool)
        subprocess.run([tool, str(d)], check=True, capture_output=True)
    return str(d / "passthrough_output")


def test_supported_types_int8_asks_for_integer_quantization(gen_dir, tmp_path):
    """TF: supported_types == [tf.int8] requires integer quantization (a dataset),
    as TFLITE_BUILTINS_INT8 does; float ops stay allowed with TFLITE_BUILTINS."""
    path = str(gen_dir / "mlp.keras")
    rng = np.random.default_rng(4)
    xs = [rng.uniform(-1, 1, (1, 16)).astype(np.float32) for _ in range(8)]
    np.savez(str(tmp_path / "d.npz"), np.concatenate(xs))
    c = tflc.TFLiteConverter.from_keras_model(path)
    c.optimizations = [tflc.Optimize.DEFAULT]
    dynamic = c.convert()  # no dataset, no int8 target: dynamic range
    c.target_spec.supported_types = [tflc.int8]
    with pytest.raises(ValueError, match="a `representative_dataset` must be specified"):
        c.convert()
    c.representative_dataset = lambda: ([x] for x in xs)
    got = c.convert()
    want, err = run_cli(["--keras_model_file=" + path, "--optimizations=DEFAULT", "--supported_types=int8",
                         "--representative_dataset=" + str(tmp_path / "d.npz")])
    assert err is None, err
    assert got == want and got != dynamic
    c.target_spec.supported_types = [np.int8]  # numpy's type is a dtype too
    assert c.convert() == want


@pytest.mark.parametrize("in_type,out_type,ops", [
    ("int8", "int8", "TFLITE_BUILTINS_INT8"),
    ("uint8", "uint8", "TFLITE_BUILTINS_INT8"),
    ("int8", "float32", "TFLITE_BUILTINS_INT8"),
    ("int16", "int16", "EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8"),
])
def test_inference_types_like_the_cli(gen_dir, tmp_path, in_type, out_type, ops):
    path = str(gen_dir / "mlp.keras")
    rng = np.random.default_rng(6)
    xs = [rng.uniform(-1, 1, (1, 16)).astype(np.float32) for _ in range(8)]
    np.savez(str(tmp_path / "d.npz"), np.concatenate(xs))
    c = tflc.TFLiteConverter.from_keras_model(path)
    c.optimizations = [tflc.Optimize.DEFAULT]
    c.target_spec.supported_ops = [getattr(tflc.OpsSet, ops)]
    c.representative_dataset = lambda: ([x] for x in xs)
    c.inference_input_type = getattr(tflc, in_type)
    c.inference_output_type = getattr(tflc, out_type)
    got = c.convert()
    want, err = run_cli(["--keras_model_file=" + path, "--optimizations=DEFAULT", "--supported_ops=" + ops,
                         "--representative_dataset=" + str(tmp_path / "d.npz"),
                         "--inference_input_type=" + in_type, "--inference_output_type=" + out_type])
    assert err is None, err
    assert got == want
    from tflite_converter import _native
    assert _native._input_specs(got)[0][1] == in_type.upper()


def _fake_tensorflow(saved, source_dir):
    """A stand-in `tensorflow` module whose saved_model.save records the
    signatures and writes a SavedModel the project generates (two signatures
    add_one and scale), as tf.saved_model.save would write the traced functions."""
    import shutil
    import types

    def save(obj, export_dir, signatures=None):
        saved.append((obj, dict(signatures)))
        shutil.copytree(source_dir, export_dir, dirs_exist_ok=True)

    return types.SimpleNamespace(Module=lambda: "module", saved_model=types.SimpleNamespace(save=save))


class _ConcreteFunction:
    def __init__(self, name):
        self.graph = type("FuncGraph", (), {"name": name})()


def test_from_concrete_functions_with_tensorflow(gen_dir, monkeypatch):
    sm = gen_dir / "saved_models" / "two_signatures"
    assert sm.is_dir(), "the SavedModel fixtures were not generated"
    saved = []
    monkeypatch.setitem(sys.modules, "tensorflow", _fake_tensorflow(saved, str(sm)))
    funcs = [_ConcreteFunction("add_one"), _ConcreteFunction("scale")]
    c = tflc.TFLiteConverter.from_concrete_functions(funcs, trackable_obj="my_module")
    assert saved == [("my_module", {"add_one": funcs[0], "scale": funcs[1]})]  # TF's keys: func.graph.name
    tmp = c._tmpdir
    assert c.convert() == tflc.TFLiteConverter.from_saved_model(str(sm), signature_keys=["add_one", "scale"]).convert()
    del c
    import gc
    gc.collect()
    assert not os.path.exists(tmp), "the temporary SavedModel is left behind"
    # One function: serving_default, saved on a fresh tf.Module when no trackable_obj is given.
    saved.clear()
    c = tflc.TFLiteConverter.from_concrete_functions([_ConcreteFunction("f")])
    assert saved[0][0] == "module" and list(saved[0][1]) == ["serving_default"]
    assert c._source["signature_keys"] == ["serving_default"]

    class TfFunction:  # a tf.function, not its concrete function
        def get_concrete_function(self):
            pass

    with pytest.raises(ValueError, match="call get_concrete_function"):
        tflc.TFLiteConverter.from_concrete_functions([TfFunction()])
    with pytest.raises(TypeError, match="non-empty list"):
        tflc.TFLiteConverter.from_concrete_functions([])


@pytest.mark.parametrize("make", [
    lambda b: tflc.TFLiteConverter.from_frozen_graph(b, [], []),
    lambda b: tflc.TFLiteConverter.from_keras_model(_Saves(b)),
    lambda b: tflc.TFLiteConverter.experimental_from_stablehlo(b.hex() + "\nfunc.func"),
])
@pytest.mark.parametrize("seed", range(4))
def test_garbage_never_crashes(make, seed):
    """Random bytes as a GraphDef, a .keras file or StableHLO text: an exception
    with one line, never a crash or a C++ exception's text."""
    data = np.random.default_rng(seed).integers(0, 256, 2000, dtype=np.uint8).tobytes()
    with pytest.raises((tflc.ConverterError, ValueError)) as e:
        make(data).convert()
    assert "\n" not in str(e.value) and "std::" not in str(e.value)


class _Saves:
    def __init__(self, data):
        self.data = data

    def save(self, path):
        with open(path, "wb") as f:
            f.write(self.data)


def test_garbage_saved_model_never_crashes(tmp_path):
    for seed in range(4):
        d = tmp_path / str(seed)
        (d / "variables").mkdir(parents=True)
        rng = np.random.default_rng(seed)
        (d / "saved_model.pb").write_bytes(rng.integers(0, 256, 3000, dtype=np.uint8).tobytes())
        for keys in (None, ["serving_default"]):
            with pytest.raises((tflc.ConverterError, ValueError)) as e:
                tflc.TFLiteConverter.from_saved_model(str(d), signature_keys=keys).convert()
            assert "\n" not in str(e.value)
