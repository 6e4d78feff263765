"""The dtypes tf.lite.TFLiteConverter's attributes take (tf.float16, tf.int8...)."""

import numpy as _np


class DType:
    """A TensorFlow-style dtype: compares equal to itself, its name and the numpy type."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "tf." + self.name

    def __eq__(self, other):
        try:
            return dtype_name(other) == self.name
        except (TypeError, ValueError):
            return NotImplemented

    def __hash__(self):
        return hash(self.name)

    @property
    def as_numpy_dtype(self):
        return _np.dtype(self.name).type


float16 = DType("float16")
float32 = DType("float32")
float64 = DType("float64")
int8 = DType("int8")
uint8 = DType("uint8")
int16 = DType("int16")
int32 = DType("int32")
int64 = DType("int64")
bool_ = DType("bool")

_NAMES = {"float16", "float32", "float64", "int8", "uint8", "int16", "int32", "int64", "bool"}


def dtype_name(value):
    """'float16' for tf.float16, numpy.float16, numpy.dtype('float16') or 'float16'.

    Raises TypeError for something that is not a dtype at all and ValueError
    for a dtype name nobody knows.
    """
    if isinstance(value, DType):
        return value.name
    name = getattr(value, "name", None)  # a real tf.DType
    if isinstance(name, str) and type(value).__name__ == "DType":
        return name
    if isinstance(value, str):
        name = value[3:] if value.startswith("tf.") else value
        if name not in _NAMES:
            raise ValueError("unknown dtype '%s'" % value)
        return name
    if isinstance(value, type) and issubclass(value, _np.generic) or isinstance(value, _np.dtype):
        return _np.dtype(value).name
    raise TypeError("expected a dtype such as tf.float32, got %s" % type(value).__name__)
