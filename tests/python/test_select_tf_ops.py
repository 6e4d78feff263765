"""target_spec.supported_ops with SELECT_TF_OPS writes Flex ops, as the CLI
does; without it the op is named in TF's wording."""

import os

import pytest

import tflite_converter as tflc
from conftest import REPO, run_cli

UNIQUE_RELU = os.path.join(REPO, "tests", "flex", "unique_relu.pbtxt")


def test_select_tf_ops_writes_flex_op_like_the_cli():
    c = tflc.TFLiteConverter.from_frozen_graph(UNIQUE_RELU, ["x"], ["idx", "r"])
    c.target_spec.supported_ops = [tflc.OpsSet.TFLITE_BUILTINS, tflc.OpsSet.SELECT_TF_OPS]
    got = c.convert()
    want, err = run_cli(["--enable_v1_converter", "--graph_def_file=" + UNIQUE_RELU, "--input_arrays=x",
                         "--output_arrays=idx,r", "--supported_ops=TFLITE_BUILTINS,SELECT_TF_OPS"])
    assert err is None, err
    assert got == want
    assert b"FlexUnique" in got


def test_without_select_tf_ops_the_op_is_named():
    c = tflc.TFLiteConverter.from_frozen_graph(UNIQUE_RELU, ["x"], ["idx", "r"])
    with pytest.raises(tflc.ConverterError) as e:
        c.convert()
    assert "TF Select ops: Unique" in str(e.value)
