"""representative_dataset as TF takes it: a callable returning a generator of
samples (a list by position, or a dict by input name), streamed into
calibration one sample at a time."""

import gc
import tracemalloc
import weakref

import numpy as np
import pytest

import tflite_converter as tflc
from conftest import random_samples, run_cli
from tflite_converter import _native


def int8_converter(path):
    c = tflc.TFLiteConverter.from_keras_model(path)
    c.optimizations = [tflc.Optimize.DEFAULT]
    c.target_spec.supported_ops = [tflc.OpsSet.TFLITE_BUILTINS_INT8]
    return c


def specs_of(path):
    return _native._input_specs(tflc.TFLiteConverter.from_keras_model(path).convert())


def test_generator_equals_npz(gen_dir, tmp_path, cli):
    path = str(gen_dir / "mlp.keras")
    samples = random_samples(specs_of(path), 16, seed=3)
    # The .npz holds the samples without their batch dimension, as datasets
    # usually do; the generator yields them with it, as TF examples do.
    np.savez(str(tmp_path / "d.npz"), np.stack([s[0][0] for s in samples]))
    want, err = run_cli(["--keras_model_file=" + path, "--optimizations=DEFAULT",
                         "--supported_ops=TFLITE_BUILTINS_INT8", "--representative_dataset=" + str(tmp_path / "d.npz")])
    assert err is None, err
    c = int8_converter(path)
    c.representative_dataset = lambda: (list(s) for s in samples)
    assert c.convert() == want
    # A different dataset gives a different model: the samples are used.
    c.representative_dataset = lambda: ([s[0] * 3] for s in samples)
    assert c.convert() != want


def test_dict_by_name_two_inputs(gen_dir, tmp_path, cli):
    path = str(gen_dir / "two_inputs.keras")
    specs = specs_of(path)
    assert len(specs) == 2
    samples = random_samples(specs, 8, seed=5)
    names = [s[0] for s in specs]
    # The .npz names its arrays after the inputs, in reverse order.
    np.savez(str(tmp_path / "d.npz"), **{n: np.stack([s[i] for s in samples]) for i, n in reversed(list(enumerate(names)))})
    want, err = run_cli(["--keras_model_file=" + path, "--optimizations=DEFAULT",
                         "--representative_dataset=" + str(tmp_path / "d.npz")])
    assert err is None, err
    c = tflc.TFLiteConverter.from_keras_model(path)
    c.optimizations = [tflc.Optimize.DEFAULT]
    # Dict keys in the reverse order of the inputs: matched by name.
    c.representative_dataset = lambda: ({n: s[i] for i, n in reversed(list(enumerate(names)))} for s in samples)
    assert c.convert() == want
    c.representative_dataset = lambda: (list(s) for s in samples)  # by position
    assert c.convert() == want
    c.representative_dataset = lambda: (list(reversed(s)) for s in samples)  # wrong order: shapes differ
    with pytest.raises(ValueError, match="representative_dataset sample 0, item 0 for input"):
        c.convert()


def test_dict_by_signature_input_names(gen_dir, tmp_path, cli):
    """A SavedModel signature with inputs x (float32[3]) and y (int32[3]):
    dict samples keyed by the signature's names, as TF takes them."""
    path = str(gen_dir / "saved_models" / "passthrough_output")
    rng = np.random.default_rng(9)
    xs = [rng.uniform(-2, 2, 3).astype(np.float32) for _ in range(6)]
    ys = [rng.integers(-5, 5, 3).astype(np.int32) for _ in range(6)]
    np.savez(str(tmp_path / "d.npz"), y=np.stack(ys), x=np.stack(xs))
    want, err = run_cli(["--saved_model_dir=" + path, "--optimizations=DEFAULT",
                         "--representative_dataset=" + str(tmp_path / "d.npz")])
    assert err is None, err
    c = tflc.TFLiteConverter.from_saved_model(path)
    c.optimizations = [tflc.Optimize.DEFAULT]
    c.representative_dataset = lambda: ({"y": y, "x": x} for x, y in zip(xs, ys))
    assert c.convert() == want
    c.representative_dataset = lambda: ({"y": y, "x": x * 4} for x, y in zip(xs, ys))
    assert c.convert() != want


def test_samples_are_streamed(gen_dir):
    """When sample n is asked for, the arrays of sample n-2 are already freed."""
    path = str(gen_dir / "mlp.keras")
    (_, _, shape), = specs_of(path)
    refs = []
    max_alive = [0]

    def gen():
        for i in range(200):
            gc.collect()
            max_alive[0] = max(max_alive[0], sum(r() is not None for r in refs))
            a = np.full([1 if d < 0 else d for d in shape], i / 200.0, np.float32)
            refs.append(weakref.ref(a))
            yield [a]
            del a

    c = int8_converter(path)
    c.representative_dataset = gen
    c.convert()
    assert max_alive[0] <= 1, "%d samples held at once" % max_alive[0]


def test_no_copy_for_contiguous_arrays(gen_dir):
    """The converter reads the generator's array in place: a view of a larger
    buffer gives the same model as a fresh copy of its values."""
    path = str(gen_dir / "mlp.keras")
    (_, _, shape), = specs_of(path)
    rng = np.random.default_rng(0)
    big = rng.uniform(-1, 1, (4, 1, shape[1])).astype(np.float32)
    strided = rng.uniform(-1, 1, (4, 1, shape[1] * 2)).astype(np.float32)[:, :, ::2]  # not contiguous: copied
    c = int8_converter(path)
    c.representative_dataset = lambda: ([big[i]] for i in range(4))
    a = c.convert()
    c.representative_dataset = lambda: ([np.array(big[i])] for i in range(4))
    assert c.convert() == a
    c.representative_dataset = lambda: ([strided[i]] for i in range(4))
    b = c.convert()
    c.representative_dataset = lambda: ([np.ascontiguousarray(strided[i])] for i in range(4))
    assert c.convert() == b


def test_float64_and_python_lists(gen_dir):
    path = str(gen_dir / "mlp.keras")
    (_, _, shape), = specs_of(path)
    rng = np.random.default_rng(1)
    xs = [rng.uniform(-1, 1, [1, shape[1]]) for _ in range(4)]
    c = int8_converter(path)
    c.representative_dataset = lambda: ([x.astype(np.float32)] for x in xs)
    want = c.convert()
    c.representative_dataset = lambda: ([x] for x in xs)  # float64, cast as the .npz path casts
    assert c.convert() == want
    c.representative_dataset = lambda: ([x.astype(np.float32).tolist()] for x in xs)
    assert c.convert() == want


@pytest.mark.parametrize("dataset,exc,text", [
    (lambda: iter([np.zeros((1, 16), np.float32)]), TypeError, "representative_dataset sample 0 is a ndarray"),
    (lambda: iter([["text"]]), TypeError, "has dtype <U4"),
    (lambda: iter([[np.zeros((1, 5), np.float32)]]), ValueError, "samples have shape [1,5]"),
    (lambda: iter([[np.zeros((1, 16), np.int32)]]), ValueError, "the array is int32, the input is float32"),
    (lambda: iter([]), ValueError, "yielded no samples"),
    (lambda: iter([[]]), ValueError, "representative_dataset sample 0 is empty"),
    (lambda: iter([{1: np.zeros((1, 16), np.float32)}]), TypeError, "dict keys must be input names"),
    (lambda: 42, TypeError, "representative_dataset() returned a int, not an iterable"),
])
def test_bad_samples(gen_dir, dataset, exc, text):
    c = int8_converter(str(gen_dir / "mlp.keras"))
    c.representative_dataset = dataset
    with pytest.raises(exc) as e:
        c.convert()
    if text:
        assert text in str(e.value)
    assert "representative_dataset" in str(e.value), "the message does not name the attribute"
    assert "\n" not in str(e.value)


def test_generator_exception_propagates(gen_dir):
    def gen():
        yield [np.zeros((1, 16), np.float32)]
        raise KeyError("from the user's generator")

    c = int8_converter(str(gen_dir / "mlp.keras"))
    c.representative_dataset = gen
    with pytest.raises(KeyError, match="from the user's generator"):
        c.convert()


def test_representative_dataset_wrapper_and_not_callable(gen_dir):
    c = int8_converter(str(gen_dir / "mlp.keras"))
    c.representative_dataset = [np.zeros((1, 16), np.float32)]
    with pytest.raises(TypeError, match="representative_dataset must be a callable"):
        c.convert()
    c.representative_dataset = tflc.RepresentativeDataset(lambda: iter([[np.zeros((1, 16), np.float32)]]))
    assert c.convert()[4:8] == b"TFL3"


def test_big_endian_samples(gen_dir):
    """Non-native byte order is copied into native order, not read as is."""
    path = str(gen_dir / "mlp.keras")
    rng = np.random.default_rng(2)
    xs = [rng.uniform(-1, 1, (1, 16)).astype(np.float32) for _ in range(6)]
    c = int8_converter(path)
    c.representative_dataset = lambda: ([x] for x in xs)
    want = c.convert()
    c.representative_dataset = lambda: ([x.astype(">f4")] for x in xs)
    assert c.convert() == want


RELU_PBTXT = """
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "shape" value { shape { dim { size: 1 } dim { size: %d } } } } }
node { name: "y" op: "Relu" input: "x" attr { key: "T" value { type: DT_FLOAT } } }
"""


def test_arrays_are_read_in_place(tmp_path):
    """No numpy allocation while converting when the samples are C-contiguous,
    aligned and native-order (numpy reports its buffers to tracemalloc); a
    strided sample costs one copy of itself, which shows the check can see one."""
    n = 1 << 20  # 4 MB samples
    p = tmp_path / "relu.pbtxt"
    p.write_text(RELU_PBTXT % n)
    rng = np.random.default_rng(0)
    samples = rng.uniform(-1, 1, (3, 1, n)).astype(np.float32)
    wide = rng.uniform(-1, 1, (3, 1, 2 * n)).astype(np.float32)

    def peak_while_converting(dataset):
        c = tflc.TFLiteConverter.from_frozen_graph(str(p), ["x"], ["y"])
        c.optimizations = [tflc.Optimize.DEFAULT]
        c.representative_dataset = dataset
        tracemalloc.start()
        try:
            model = c.convert()
            return tracemalloc.get_traced_memory()[1], model
        finally:
            tracemalloc.stop()

    in_place, a = peak_while_converting(lambda: ([samples[i]] for i in range(3)))
    copied, b = peak_while_converting(lambda: ([wide[i][:, ::2]] for i in range(3)))
    assert in_place < n, "%d bytes allocated by numpy for contiguous samples" % in_place
    assert copied >= 4 * n, "the strided samples were not copied (%d bytes)?" % copied
    assert a[4:8] == b[4:8] == b"TFL3"


def test_peak_rss_flat_for_10000_samples(tmp_path):
    """bench/python_dataset_memory.py's measurement (docs/BENCHMARKS.md): the
    peak RSS of a 10,000-sample generator is that of 100 samples; the same
    10,000 samples held in a list (160 MB) show that the measurement sees them."""
    import importlib.util
    import os
    from conftest import REPO
    spec = importlib.util.spec_from_file_location("python_dataset_memory",
                                                  os.path.join(REPO, "bench", "python_dataset_memory.py"))
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path = str(tmp_path / "mlp4096.keras")
    bench.write_model(path)
    small = bench.peak_rss_mb(100, "generator", path)
    large = bench.peak_rss_mb(10000, "generator", path)
    held = bench.peak_rss_mb(10000, "list", path)
    assert large - small < 8, "peak RSS grew from %.1f MB (100 samples) to %.1f MB (10,000)" % (small, large)
    assert held - large > 100, "the list of samples did not show (%.1f vs %.1f MB)" % (held, large)
