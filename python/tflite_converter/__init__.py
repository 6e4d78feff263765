"""TensorFlow -> TensorFlow Lite conversion without TensorFlow, with
tf.lite.TFLiteConverter's names and behaviour.

    from tflite_converter import tf
    converter = tf.lite.TFLiteConverter.from_saved_model("my_model/")
    tflite_model = converter.convert()
"""

from . import experimental
from .converter import (Optimize, OpsSet, RepresentativeDataset, TargetSpec, TFLiteConverter,
                        TFLiteConverterV2)
from .dtypes import float16, float32, int8, int16, uint8
from .errors import ConverterError, ConverterErrorData
from . import tf

__all__ = ["ConverterError", "ConverterErrorData", "Optimize", "OpsSet", "RepresentativeDataset", "TargetSpec",
           "TFLiteConverter", "TFLiteConverterV2", "experimental", "tf", "float16", "float32", "int8", "int16",
           "uint8"]
