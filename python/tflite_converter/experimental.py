"""tf.lite.experimental: the model Analyzer."""

import os

from . import _native


class Analyzer:
    """tf.lite.experimental.Analyzer: prints what tflite_analyze prints."""

    @staticmethod
    def analyze(model_path=None, model_content=None, gpu_compatibility=False, **kwargs):
        if kwargs:
            raise TypeError("analyze() got unexpected arguments: %s" % ", ".join(sorted(kwargs)))
        if (model_path is None) == (model_content is None):
            raise ValueError("analyze() takes exactly one of model_path and model_content")
        if not isinstance(gpu_compatibility, bool):
            raise TypeError("gpu_compatibility must be True or False")
        if model_path is not None:
            if not isinstance(model_path, (str, os.PathLike)):
                raise TypeError("model_path must be a path, got %s" % type(model_path).__name__)
            name = os.fspath(model_path)
            with open(name, "rb") as f:
                content = f.read()
        else:
            if not isinstance(model_content, (bytes, bytearray, memoryview)):
                raise TypeError("model_content must be bytes, got %s" % type(model_content).__name__)
            name, content = "", bytes(model_content)
        report, error = _native.analyze(content, name, gpu_compatibility)
        if report is None:
            raise ValueError(error)
        print(report, end="")
