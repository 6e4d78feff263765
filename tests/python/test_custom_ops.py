"""allow_custom_ops, _custom_opdefs (the attribute tflite_convert's
--custom_opdefs sets on TF's converter) and
target_spec.experimental_select_user_tf_ops: the same bytes as the CLI, and
TF's checks as ValueError."""

import os

import pytest

import tflite_converter as tflc
from conftest import REPO, run_cli

CUSTOM_ADD = os.path.join(REPO, "tests", "custom_ops", "custom_add.pbtxt")
DEF = ("name: 'CustomAdd' input_arg: {name: 'Input1' type: DT_FLOAT} input_arg: {name: 'Input2' type: DT_FLOAT} "
       "output_arg: {name: 'Output' type: DT_FLOAT}")
CLI = ["--enable_v1_converter", "--graph_def_file=" + CUSTOM_ADD, "--output_arrays=add"]


def converter():
    return tflc.TFLiteConverter.from_frozen_graph(CUSTOM_ADD, ["input"], ["add"])


def test_custom_op_with_opdef_like_the_cli():
    c = converter()
    c.allow_custom_ops = True
    c._custom_opdefs = [DEF]
    got = c.convert()
    want, err = run_cli(CLI + ["--input_arrays=input", "--allow_custom_ops", "--custom_opdefs=" + DEF])
    assert err is None, err
    assert got == want
    assert b"CustomAdd" in got


def test_unknown_op_needs_an_opdef():
    c = converter()
    c.allow_custom_ops = True
    with pytest.raises(tflc.ConverterError) as e:
        c.convert()
    assert "declare it with --custom_opdefs" in str(e.value)
    assert [(x.op_type, x.node_name) for x in e.value.errors] == [("CustomAdd", "add")]


def test_opdefs_need_allow_custom_ops():
    c = converter()
    c._custom_opdefs = [DEF]
    with pytest.raises(ValueError, match="allow_custom_ops"):
        c.convert()


def test_user_op_through_flex_like_the_cli():
    c = converter()
    c.allow_custom_ops = True
    c._custom_opdefs = [DEF]
    c.target_spec.supported_ops = [tflc.OpsSet.TFLITE_BUILTINS, tflc.OpsSet.SELECT_TF_OPS]
    c.target_spec.experimental_select_user_tf_ops = ["CustomAdd"]
    got = c.convert()
    want, err = run_cli(CLI + ["--input_arrays=input", "--allow_custom_ops", "--custom_opdefs=" + DEF,
                               "--experimental_select_user_tf_ops=CustomAdd",
                               "--target_ops=TFLITE_BUILTINS,SELECT_TF_OPS"])
    assert err is None, err
    assert got == want
    assert b"FlexCustomAdd" in got


def test_user_op_without_opdef_is_a_value_error():
    c = converter()
    c.target_spec.supported_ops = [tflc.OpsSet.SELECT_TF_OPS]
    c.target_spec.experimental_select_user_tf_ops = ["MyOp"]
    with pytest.raises(ValueError, match="'MyOp', which has no OpDef"):
        c.convert()
