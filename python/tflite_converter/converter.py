"""TFLiteConverter with tf.lite's names and behaviour, on the C++ converter."""

import enum
import os
import re
import shutil
import tempfile
import warnings

from . import _native
from .dtypes import dtype_name
from .errors import ConverterError, ConverterErrorData


class Optimize(str, enum.Enum):
    """tf.lite.Optimize. OPTIMIZE_FOR_SIZE and OPTIMIZE_FOR_LATENCY are TF's
    deprecated aliases of DEFAULT."""

    DEFAULT = "DEFAULT"
    OPTIMIZE_FOR_SIZE = "OPTIMIZE_FOR_SIZE"
    OPTIMIZE_FOR_LATENCY = "OPTIMIZE_FOR_LATENCY"
    EXPERIMENTAL_SPARSITY = "EXPERIMENTAL_SPARSITY"

    def __str__(self):
        return self.value


class OpsSet(str, enum.Enum):
    """tf.lite.OpsSet."""

    TFLITE_BUILTINS = "TFLITE_BUILTINS"
    SELECT_TF_OPS = "SELECT_TF_OPS"
    TFLITE_BUILTINS_INT8 = "TFLITE_BUILTINS_INT8"
    EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8 = \
        "EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8"

    def __str__(self):
        return self.value


class TargetSpec:
    """tf.lite.TargetSpec: the op sets and types the converted model may use."""

    def __init__(self, supported_ops=None, supported_types=None, experimental_select_user_tf_ops=None):
        self.supported_ops = set(supported_ops) if supported_ops is not None else {OpsSet.TFLITE_BUILTINS}
        self.supported_types = list(supported_types) if supported_types is not None else []
        self.experimental_select_user_tf_ops = (list(experimental_select_user_tf_ops)
                                                if experimental_select_user_tf_ops is not None else [])


class RepresentativeDataset:
    """tf.lite.RepresentativeDataset: wraps a generator function."""

    def __init__(self, input_gen):
        self.input_gen = input_gen


def _is_str_list(v):
    return isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v)


def _enum_values(value, enum_type, attribute, what):
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError("%s must be a list or set of %s values, got %s" % (attribute, what, type(value).__name__))
    out = []
    for v in value:
        if not isinstance(v, str):
            raise TypeError("%s: %r is not a %s value" % (attribute, v, what))
        name = v.value if isinstance(v, enum_type) else v.split(".")[-1]
        if name not in enum_type.__members__:
            raise ValueError("%s: unknown value %r; use one of %s" % (
                attribute, v, ", ".join(what + "." + m for m in enum_type.__members__)))
        out.append(name)
    return out


def _dtype_attr(value, attribute, allowed):
    try:
        name = dtype_name(value)
    except TypeError:
        raise TypeError("%s must be a dtype such as tf.float32, got %s" % (attribute, type(value).__name__)) from None
    except ValueError as e:
        raise ValueError("%s: %s" % (attribute, e)) from None
    if name not in allowed:
        raise ValueError("%s: tf.%s is not accepted; use one of %s" % (
            attribute, name, ", ".join("tf." + a for a in allowed)))
    return name


_FLAG_ATTRIBUTES = {"--optimizations=DEFAULT": "optimizations=[tf.lite.Optimize.DEFAULT]",
                    "--supported_ops": "target_spec.supported_ops",
                    "--supported_types": "target_spec.supported_types",
                    "--saved_model_signature_key": "signature_keys", "--saved_model_tag_set": "tags"}


def _attribute_names(message):
    """The library words usage errors with tflite_convert's flags; a Python
    user set attributes ("--supported_ops" -> "target_spec.supported_ops")."""
    for flag, attribute in _FLAG_ATTRIBUTES.items():
        message = message.replace(flag, attribute)
    return re.sub(r"--([a-z_]+)", r"\1", message)


class TFLiteConverter:
    """Converts a TensorFlow model into TensorFlow Lite, as tf.lite.TFLiteConverter does.

    Make one with from_saved_model, from_keras_model, from_frozen_graph,
    from_concrete_functions or experimental_from_stablehlo (experimental_from_jax
    when JAX is installed), set the attributes, then call convert().
    """

    def __init__(self, _source):
        self._source = dict(_source)
        self.optimizations = []
        self.target_spec = TargetSpec()
        self.representative_dataset = None
        self.inference_input_type = None
        self.inference_output_type = None
        self.allow_custom_ops = False
        # tflite_convert's --custom_opdefs sets this attribute of TF's converter.
        self._custom_opdefs = None
        self.exclude_conversion_metadata = False
        self.experimental_new_converter = True
        self.experimental_new_quantizer = True
        # Ours (tflite_convert --memory_budget_mb): the most memory, in MB, one
        # object the input declares may take (a constant, weights, a dataset).
        self.experimental_memory_budget_mb = 4096

    # --- constructors ---------------------------------------------------
    @classmethod
    def from_saved_model(cls, saved_model_dir, signature_keys=None, tags=None):
        saved_model_dir = os.fspath(saved_model_dir) if hasattr(saved_model_dir, "__fspath__") else saved_model_dir
        if not isinstance(saved_model_dir, str):
            raise TypeError("saved_model_dir must be a path, got %s" % type(saved_model_dir).__name__)
        if signature_keys is not None and not _is_str_list(list(signature_keys) if isinstance(
                signature_keys, (set, frozenset)) else signature_keys):
            raise TypeError("signature_keys must be a list of str")
        if tags is not None and (isinstance(tags, str) or not all(isinstance(t, str) for t in tags)):
            raise TypeError("tags must be a set of str, such as {'serve'}")
        # None: every signature, as TF converts them (read when converting).
        if isinstance(signature_keys, (set, frozenset)):
            signature_keys = sorted(signature_keys)
        elif signature_keys is not None:
            signature_keys = list(signature_keys)
        return cls({"saved_model_dir": saved_model_dir, "signature_keys": signature_keys,
                    "tags": sorted(tags) if tags is not None else ["serve"]})

    @classmethod
    def from_keras_model(cls, model):
        """`model`: a path to an .h5/.keras file, or a Keras model object (anything
        with .save(path)), saved to a temporary .keras (or .h5) file and read back."""
        if isinstance(model, (str, os.PathLike)):
            return cls({"keras_model_file": os.fspath(model)})
        if not callable(getattr(model, "save", None)):
            raise TypeError("from_keras_model takes a Keras model (an object with .save(path)) or the path of an "
                            ".h5/.keras file, got %s" % type(model).__name__)
        errors = []
        with tempfile.TemporaryDirectory(prefix="tflite_converter_") as d:
            for name in ("model.keras", "model.h5"):
                path = os.path.join(d, name)
                try:
                    model.save(path)
                except Exception as e:  # the model's own saver: try the other format
                    errors.append("%s: %s" % (name, e))
                    continue
                if os.path.isfile(path):
                    with open(path, "rb") as f:
                        return cls({"keras_model_content": f.read()})
                errors.append("%s: save() wrote no file" % name)
        raise ValueError("from_keras_model: model.save() did not write a .keras or .h5 file (%s)" % "; ".join(errors))

    @classmethod
    def from_keras_model_file(cls, model_file, input_arrays=None, input_shapes=None, output_arrays=None):
        """TF 1.x (tf.compat.v1.lite.TFLiteConverter) spelling of from_keras_model(path)."""
        if input_arrays or input_shapes or output_arrays:
            raise ValueError("from_keras_model_file: input_arrays, input_shapes and output_arrays are not supported; "
                             "the Keras model names its inputs and outputs")
        return cls.from_keras_model(os.fspath(model_file))

    @classmethod
    def from_frozen_graph(cls, graph_def_file, input_arrays, output_arrays, input_shapes=None):
        """TF 1.x form: a frozen GraphDef (.pb/.pbtxt path, its bytes, or a GraphDef
        message). Empty input_arrays/output_arrays: the Placeholders and the sinks."""
        if not _is_str_list(input_arrays):
            raise TypeError("input_arrays must be a list of str")
        if not _is_str_list(output_arrays):
            raise TypeError("output_arrays must be a list of str")
        source = {"input_arrays": list(input_arrays), "output_arrays": list(output_arrays)}
        if callable(getattr(graph_def_file, "SerializeToString", None)):  # a tf.compat.v1.GraphDef
            graph_def_file = graph_def_file.SerializeToString()
        if isinstance(graph_def_file, (bytes, bytearray)):
            source["graph_def_content"] = bytes(graph_def_file)
        elif isinstance(graph_def_file, (str, os.PathLike)):
            source["graph_def_file"] = os.fspath(graph_def_file)
        else:
            raise TypeError("graph_def_file must be a path or the GraphDef's bytes, got %s"
                            % type(graph_def_file).__name__)
        if input_shapes is not None:
            if not isinstance(input_shapes, dict):
                raise TypeError("input_shapes must be a dict from input name to shape, such as {'x': [1, 28, 28, 1]}")
            shapes = []
            for name in input_arrays:
                if name not in input_shapes:
                    raise ValueError("input_shapes has no shape for input '%s'" % name)
                dims = input_shapes[name]
                if not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in dims):
                    raise ValueError("input_shapes['%s'] = %r: give every dimension as a non-negative int"
                                     % (name, dims))
                shapes.append(",".join(str(d) for d in dims))
            extra = set(input_shapes) - set(input_arrays)
            if extra:
                raise ValueError("input_shapes names %s, which input_arrays does not list" % sorted(extra))
            source["input_shapes"] = ":".join(shapes)
        return cls(source)

    @classmethod
    def from_concrete_functions(cls, funcs, trackable_obj=None):
        """Needs TensorFlow to trace the functions: they are saved as a SavedModel
        with their signatures and converted from there, as TF's converter does
        (one function: 'serving_default'; several: each keyed by func.graph.name)."""
        try:
            import tensorflow as tf  # noqa: F401 (only this constructor needs it)
        except ImportError:
            raise ImportError(
                "from_concrete_functions needs TensorFlow to save the functions, and TensorFlow is not installed. "
                "Save them with tf.saved_model.save(obj, path, signatures=...) where TensorFlow is installed and "
                "use TFLiteConverter.from_saved_model(path), or pass a Keras model to from_keras_model.") from None
        if not isinstance(funcs, (list, tuple)) or not funcs:
            raise TypeError("funcs must be a non-empty list of concrete functions")
        for f in funcs:
            if getattr(getattr(f, "graph", None), "name", None) is None:
                message = "funcs: This function takes in a list of ConcreteFunction."
                if callable(getattr(f, "get_concrete_function", None)):
                    message += " To get the ConcreteFunction from a Function, call get_concrete_function."
                raise ValueError(message)
        if len(funcs) == 1:
            signatures = {"serving_default": funcs[0]}
        else:
            signatures = {}
            for f in funcs:
                if f.graph.name in signatures:
                    raise ValueError("funcs: two functions are named '%s'; each becomes the signature of that name"
                                     % f.graph.name)
                signatures[f.graph.name] = f
        module = trackable_obj if trackable_obj is not None else tf.Module()
        converter_dir = tempfile.mkdtemp(prefix="tflite_converter_sm_")
        try:
            tf.saved_model.save(module, converter_dir, signatures=signatures)
        except BaseException:
            shutil.rmtree(converter_dir, ignore_errors=True)
            raise
        c = cls.from_saved_model(converter_dir, signature_keys=list(signatures))
        c._tmpdir = converter_dir
        return c

    @classmethod
    def experimental_from_stablehlo(cls, text_or_path, entry_function="main"):
        """A StableHLO module as MLIR text (jax.export(...).mlir_module(), or a
        module's str()): the text itself (str or bytes), the path of a file
        holding it, or an object with .mlir_module() (a jax.export.Exported).
        `entry_function` names the function that becomes the signature."""
        if callable(getattr(text_or_path, "mlir_module", None)):
            text_or_path = text_or_path.mlir_module()
        if not isinstance(entry_function, str) or not entry_function:
            raise TypeError("entry_function must be a function name (str), such as 'main'")
        source = {"entry_function": entry_function}
        if isinstance(text_or_path, (bytes, bytearray)):
            try:
                source["stablehlo_content"] = bytes(text_or_path).decode("utf-8")
            except UnicodeDecodeError:
                raise ValueError("experimental_from_stablehlo: the bytes are not UTF-8 MLIR text (a serialized "
                                 "jax.export artifact is not read yet; pass exported.mlir_module())") from None
        elif isinstance(text_or_path, os.PathLike):
            source["stablehlo_file"] = os.fspath(text_or_path)
        elif isinstance(text_or_path, str):
            # MLIR text holds "func.func"; anything else is a path.
            if "func.func" in text_or_path or "\n" in text_or_path:
                source["stablehlo_content"] = text_or_path
            else:
                source["stablehlo_file"] = text_or_path
        else:
            raise TypeError("experimental_from_stablehlo takes StableHLO MLIR text (str or bytes), a file path or a "
                            "jax.export.Exported, got %s" % type(text_or_path).__name__)
        if "stablehlo_content" in source and not source["stablehlo_content"].strip():
            raise ValueError("experimental_from_stablehlo: the StableHLO text is empty")
        return cls(source)

    @classmethod
    def experimental_from_jax(cls, fn, example_args):
        """Exports `fn` with jax.export at the shapes and dtypes of `example_args`
        (a list of arrays or jax.ShapeDtypeStruct) and converts its StableHLO."""
        try:
            import jax
            from jax import export as jax_export
        except ImportError:
            raise ImportError(
                "experimental_from_jax needs JAX to export the function to StableHLO, and JAX is not installed "
                "(pip install jax). Or export it where JAX is installed, with "
                "jax.export.export(jax.jit(fn))(*example_args).mlir_module(), and pass that text to "
                "TFLiteConverter.experimental_from_stablehlo.") from None
        if not isinstance(example_args, (list, tuple)):
            raise TypeError("example_args must be a list of example inputs (arrays or jax.ShapeDtypeStruct)")
        exported = jax_export.export(jax.jit(fn))(*example_args)
        return cls.experimental_from_stablehlo(exported.mlir_module())

    def __del__(self):
        d = getattr(self, "_tmpdir", None)
        if d:
            shutil.rmtree(d, ignore_errors=True)

    # --- conversion -----------------------------------------------------
    def _check_bool(self, name):
        v = getattr(self, name)
        if not isinstance(v, bool):
            raise TypeError("%s must be True or False, got %s" % (name, type(v).__name__))
        return v

    def _arguments(self):
        opts = _enum_values(self.optimizations, Optimize, "optimizations", "tf.lite.Optimize")
        if "EXPERIMENTAL_SPARSITY" in opts:
            raise ConverterError("not supported yet: optimizations=[tf.lite.Optimize.EXPERIMENTAL_SPARSITY]")
        for alias in ("OPTIMIZE_FOR_SIZE", "OPTIMIZE_FOR_LATENCY"):
            if alias in opts:
                warnings.warn("Optimize.%s is deprecated; use Optimize.DEFAULT" % alias, DeprecationWarning,
                              stacklevel=3)
        spec = self.target_spec
        if not isinstance(spec, TargetSpec):
            raise TypeError("target_spec must be a tf.lite.TargetSpec, got %s" % type(spec).__name__)
        ops = _enum_values(spec.supported_ops, OpsSet, "target_spec.supported_ops", "tf.lite.OpsSet")
        if isinstance(spec.supported_types, (str, bytes)) or not hasattr(spec.supported_types, "__iter__"):
            raise TypeError("target_spec.supported_types must be a list of dtypes, such as [tf.float16]")
        types = [_dtype_attr(t, "target_spec.supported_types", ("float16", "int8")) for t in spec.supported_types]
        user_ops = spec.experimental_select_user_tf_ops
        if isinstance(user_ops, str) or not _is_str_list(list(user_ops)):
            raise TypeError("target_spec.experimental_select_user_tf_ops must be a list of op names (str)")
        if user_ops:
            if "SELECT_TF_OPS" not in ops:
                raise ValueError("target_spec.experimental_select_user_tf_ops needs "
                                 "tf.lite.OpsSet.SELECT_TF_OPS in target_spec.supported_ops")
        dataset = self.representative_dataset
        if isinstance(dataset, RepresentativeDataset):
            dataset = dataset.input_gen
        if dataset is not None and not callable(dataset):
            raise TypeError("representative_dataset must be a callable that returns a generator of samples "
                            "(a list of arrays, or a dict by input name), got %s" % type(dataset).__name__)
        io_types = ("float32", "int8", "uint8", "int16")
        in_type = "float32" if self.inference_input_type is None else \
            _dtype_attr(self.inference_input_type, "inference_input_type", io_types)
        out_type = "float32" if self.inference_output_type is None else \
            _dtype_attr(self.inference_output_type, "inference_output_type", io_types)
        allow_custom_ops = self._check_bool("allow_custom_ops")
        opdefs = self._custom_opdefs or []
        if isinstance(opdefs, str) or not _is_str_list(list(opdefs)):
            raise TypeError("_custom_opdefs must be a list of OpDef texts (str)")
        if opdefs and not allow_custom_ops:
            raise ValueError("_custom_opdefs needs allow_custom_ops = True")
        self._check_bool("experimental_new_converter")
        exclude = self._check_bool("exclude_conversion_metadata")
        budget = self.experimental_memory_budget_mb
        if isinstance(budget, bool) or not isinstance(budget, int):
            raise TypeError("experimental_memory_budget_mb must be an int (MB), got %s" % type(budget).__name__)
        if not 1 <= budget <= 1 << 40:
            raise ValueError("experimental_memory_budget_mb must be between 1 and 2**40 MB, got %d" % budget)
        s = self._source
        signature_keys = s.get("signature_keys") or []
        if "saved_model_dir" in s and s.get("signature_keys") is None:
            signature_keys, error = _native.signature_keys(s["saved_model_dir"], s["tags"])
            if signature_keys is None:
                raise ConverterError(error, [ConverterErrorData("", "", error)])
            if not signature_keys:
                raise ValueError("Only support at least one signature key: the SavedModel has no signatures")
        return dict(
            graph_def_file=s.get("graph_def_file", ""), graph_def_content=s.get("graph_def_content", b""),
            saved_model_dir=s.get("saved_model_dir", ""), keras_model_file=s.get("keras_model_file", ""),
            keras_model_content=s.get("keras_model_content", b""), input_arrays=s.get("input_arrays", []),
            output_arrays=s.get("output_arrays", []), input_shapes=s.get("input_shapes"),
            tags=s.get("tags", ["serve"]), signature_keys=signature_keys, optimize=bool(opts),
            supported_types=types, supported_ops=ops, inference_input_type=in_type, inference_output_type=out_type,
            dataset_file="", dataset=dataset, exclude_conversion_metadata=exclude,
            allow_custom_ops=allow_custom_ops, custom_opdefs=list(opdefs), select_user_tf_ops=list(user_ops),
            stablehlo_file=s.get("stablehlo_file", ""), stablehlo_content=s.get("stablehlo_content", ""),
            entry_function=s.get("entry_function", ""), memory_budget_mb=budget)

    def convert(self):
        """Returns the .tflite model as bytes; raises ConverterError when the model
        cannot be converted and TypeError/ValueError for a bad attribute."""
        model, message, kind, errors = _native.convert(**self._arguments())
        if model is not None:
            return model
        if kind == "usage" or "representative_dataset" in message:
            raise ValueError(_attribute_names(message))
        raise ConverterError(message, [ConverterErrorData(*e) for e in errors])


TFLiteConverterV2 = TFLiteConverter
