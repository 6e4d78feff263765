"""TFLiteConverter.experimental_from_stablehlo (MLIR text, a path, bytes or a
jax.export.Exported) and experimental_from_jax (JAX is not installed here)."""

import os
import pathlib

import numpy as np
import pytest

import tflite_converter as tflc
from conftest import run_cli

# A dense layer and a second function, as jax.export prints them.
MLP = """module @jit_f {
  func.func public @main(%arg0: tensor<2x4xf32>) -> (tensor<2x3xf32> {jax.result_info = ""}) {
    %w = stablehlo.constant dense<WEIGHTS> : tensor<4x3xf32>
    %b = stablehlo.constant dense<[0.5, -1.0, 2.0]> : tensor<3xf32>
    %0 = stablehlo.dot_general %arg0, %w, contracting_dims = [1] x [0] : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
    %1 = stablehlo.broadcast_in_dim %b, dims = [1] : (tensor<3xf32>) -> tensor<2x3xf32>
    %2 = stablehlo.add %0, %1 : tensor<2x3xf32>
    return %2 : tensor<2x3xf32>
  }
  func.func public @other(%arg0: tensor<3xi32>) -> tensor<3xi32> {
    %0 = stablehlo.shift_left %arg0, %arg0 : tensor<3xi32>
    return %0 : tensor<3xi32>
  }
}
""".replace("WEIGHTS", str((np.arange(12, dtype=np.float32).reshape(4, 3) / 8).tolist()))


@pytest.fixture()
def mlir_file(tmp_path):
    p = tmp_path / "model.mlir"
    p.write_text(MLP)
    return p


def test_text_path_bytes_and_cli_agree(mlir_file, cli):
    want, err = run_cli(["--stablehlo_file=" + str(mlir_file)])
    assert err is None, err
    for source in (MLP, MLP.encode(), str(mlir_file), mlir_file, pathlib.Path(str(mlir_file))):
        got = tflc.TFLiteConverter.experimental_from_stablehlo(source).convert()
        assert got == want, type(source).__name__


def test_entry_function_and_exported_objects(mlir_file, cli):
    want, err = run_cli(["--stablehlo_file=" + str(mlir_file), "--entry_function=other"])
    assert err is None, err
    got = tflc.TFLiteConverter.experimental_from_stablehlo(MLP, entry_function="other").convert()
    assert got == want

    class Exported:  # jax.export.Exported's one method the converter reads
        def mlir_module(self):
            return MLP

    main, _ = run_cli(["--stablehlo_file=" + str(mlir_file)])
    assert tflc.TFLiteConverter.experimental_from_stablehlo(Exported()).convert() == main


def test_quantization_options_apply():
    c = tflc.TFLiteConverter.experimental_from_stablehlo(MLP)
    plain = c.convert()
    c.optimizations = [tflc.Optimize.DEFAULT]
    c.target_spec.supported_types = [tflc.float16]
    half = c.convert()
    assert half != plain


def test_errors():
    bad = MLP.replace("stablehlo.add %0, %1", "stablehlo.cholesky %0, %1")
    with pytest.raises(tflc.ConverterError, match="stablehlo.cholesky"):
        tflc.TFLiteConverter.experimental_from_stablehlo(bad).convert()
    with pytest.raises(tflc.ConverterError, match="no function @nope"):
        tflc.TFLiteConverter.experimental_from_stablehlo(MLP, entry_function="nope").convert()
    with pytest.raises(tflc.ConverterError, match="missing.mlir"):
        tflc.TFLiteConverter.experimental_from_stablehlo("missing.mlir").convert()
    with pytest.raises(TypeError, match="StableHLO MLIR text"):
        tflc.TFLiteConverter.experimental_from_stablehlo(42)
    with pytest.raises(TypeError, match="entry_function"):
        tflc.TFLiteConverter.experimental_from_stablehlo(MLP, entry_function=None)
    with pytest.raises(ValueError, match="empty"):
        tflc.TFLiteConverter.experimental_from_stablehlo(b"  \n")
    with pytest.raises(ValueError, match="UTF-8"):
        tflc.TFLiteConverter.experimental_from_stablehlo(b"\xff\xfe")


def test_from_jax_without_jax():
    try:
        import jax  # noqa: F401
        pytest.skip("JAX is installed here")
    except ImportError:
        pass
    with pytest.raises(ImportError, match="experimental_from_stablehlo"):
        tflc.TFLiteConverter.experimental_from_jax(lambda x: x, [np.zeros(2, np.float32)])
    # The tf drop-in namespace has it too.
    from tflite_converter import tf
    with pytest.raises(ImportError, match="JAX is not installed"):
        tf.lite.TFLiteConverter.experimental_from_jax(lambda x: x, [np.zeros(2, np.float32)])
