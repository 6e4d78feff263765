"""`from tflite_converter import tf`: the parts of TensorFlow's namespace that
conversion scripts use (tf.lite.*, tf.compat.v1.lite.*, converter dtypes)."""

import types as _types

from . import experimental as _experimental
from .converter import Optimize, OpsSet, RepresentativeDataset, TargetSpec, TFLiteConverter
from .dtypes import DType, bool_ as bool, float16, float32, float64, int8, int16, int32, int64, uint8  # noqa: A001

lite = _types.SimpleNamespace(
    TFLiteConverter=TFLiteConverter, Optimize=Optimize, OpsSet=OpsSet, TargetSpec=TargetSpec,
    RepresentativeDataset=RepresentativeDataset, experimental=_types.SimpleNamespace(Analyzer=_experimental.Analyzer))
compat = _types.SimpleNamespace(v1=_types.SimpleNamespace(lite=lite))
dtypes = _types.SimpleNamespace(DType=DType, float16=float16, float32=float32, float64=float64, int8=int8,
                                int16=int16, int32=int32, int64=int64, uint8=uint8, bool=bool)
