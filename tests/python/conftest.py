"""Shared fixtures: the build tree (TFLC_BUILD_DIR), the CLI, the corpus at
<repo>/../shared/corpus, and models this project generates itself."""

import os
import subprocess
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
BUILD = os.path.abspath(os.environ.get("TFLC_BUILD_DIR", os.path.join(REPO, "build")))
CORPUS = os.path.abspath(os.path.join(REPO, "..", "shared", "corpus"))
CLI = os.path.join(BUILD, "tflite_convert")

import model_gen  # noqa: E402


def run_cli(args):
    """(bytes or None, error message as convert() raises it) from tflite_convert."""
    out = args_out = None
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        args_out = os.path.join(d, "o.tflite")
        p = subprocess.run([CLI, "--output_file=" + args_out] + args, capture_output=True, text=True)
        if p.returncode == 0:
            with open(args_out, "rb") as f:
                out = f.read()
            return out, None
    err = p.stderr.rstrip("\n")
    prefix = "tflite_convert: error: "
    return None, err[len(prefix):] if err.startswith(prefix) else err


@pytest.fixture(scope="session")
def cli():
    if not os.access(CLI, os.X_OK):
        pytest.fail("tflite_convert not built at %s (set TFLC_BUILD_DIR)" % CLI)
    return CLI


@pytest.fixture(scope="session")
def corpus():
    if not os.path.isdir(CORPUS):
        pytest.skip("corpus not found at %s (the corpus tests need ../shared/corpus)" % CORPUS)
    return CORPUS


@pytest.fixture(scope="session")
def gen_dir(tmp_path_factory):
    """Models the project writes itself: Keras files and the SavedModel fixtures."""
    d = tmp_path_factory.mktemp("generated")
    model_gen.write(model_gen.mlp(), str(d / "mlp.keras"))
    model_gen.write(model_gen.mlp(), str(d / "mlp.h5"))
    model_gen.write(model_gen.two_inputs(), str(d / "two_inputs.keras"))
    tool = os.path.join(BUILD, "tests", "saved_model", "make_saved_models")
    if os.access(tool, os.X_OK):
        subprocess.run([tool, str(d / "saved_models")], check=True, capture_output=True)
    return d


def random_samples(specs, n, seed=0):
    """n samples (lists of arrays, batch dimension included) for inputs [(name, dtype, shape)];
    None when an input's type cannot be in a dataset (string, float16...)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        sample = []
        for _, dtype, shape in specs:
            shape = [1 if d < 0 else d for d in shape]
            if dtype in ("FLOAT32", "FLOAT64"):
                sample.append(rng.uniform(-1, 1, shape).astype(dtype.lower()))
            elif dtype in ("INT32", "INT64", "INT8", "UINT8", "INT16"):
                sample.append(rng.integers(0, 4, shape).astype(dtype.lower()))
            elif dtype == "BOOL":
                sample.append(rng.integers(0, 2, shape).astype(bool))
            else:
                return None
        out.append(sample)
    return out
