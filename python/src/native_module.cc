// tflite_converter._native: the converter library for Python. The Python
// layer (tflite_converter/converter.py) checks the attributes and builds the
// keyword arguments; this file only moves data across the boundary.
// Nothing thrown in C++ reaches Python: failures come back as values.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <new>
#include <optional>
#include <string>
#include <vector>

#include "api/converter.h"
#include "tflite/analyzer.h"
#include "tflite_schema_generated.h"

namespace py = pybind11;

namespace {

// The samples of TF's representative_dataset: a callable returning an
// iterable whose items are a list (by position) or a dict (by input name) of
// arrays. Pulled one at a time with the GIL held only inside the calls.
class GeneratorSource : public tflc::SampleSource {
 public:
  explicit GeneratorSource(py::object dataset) : dataset_(std::move(dataset)) {}

  tflc::Status rewind() override {
    py::gil_scoped_acquire gil;
    held_.clear();
    n_ = 0;
    py::object samples;
    try {
      samples = dataset_();
    } catch (py::error_already_set& e) {
      return keep(e, "calling representative_dataset() failed");  // the user's own exception
    }
    PyObject* it = PyObject_GetIter(samples.ptr());
    if (!it) {
      PyErr_Clear();
      return type_error("representative_dataset() returned a " + type_name(samples) +
                        ", not an iterable; return a generator of samples");
    }
    iter_ = py::reinterpret_steal<py::object>(it);
    return tflc::ok_status();
  }

  tflc::Expected<bool> next(std::vector<tflc::SampleArray>& sample) override {
    py::gil_scoped_acquire gil;
    held_.clear();  // the previous sample's arrays are no longer read
    sample.clear();
    try {
      PyObject* raw = PyIter_Next(iter_.ptr());
      if (!raw) {
        if (PyErr_Occurred()) throw py::error_already_set();
        return false;
      }
      py::object item = py::reinterpret_steal<py::object>(raw);
      std::string where = "representative_dataset sample " + std::to_string(n_);
      if (py::isinstance<py::dict>(item)) {
        for (auto [k, v] : py::reinterpret_borrow<py::dict>(item)) {
          if (!py::isinstance<py::str>(k))
            return type_error(where + ": dict keys must be input names (str), got " + type_name(k));
          std::string key = k.cast<std::string>();
          RETURN_IF_ERROR(add(sample, where + ", key '" + key + "'", key, py::reinterpret_borrow<py::object>(v)));
        }
      } else if (py::isinstance<py::list>(item) || py::isinstance<py::tuple>(item)) {
        size_t i = 0;
        for (py::handle v : item)
          RETURN_IF_ERROR(add(sample, where + ", item " + std::to_string(i++), "", py::reinterpret_borrow<py::object>(v)));
      } else {
        return type_error(where + " is a " + type_name(item) +
                          "; yield a list of arrays (one per input) or a dict of arrays by input name");
      }
      if (sample.empty()) return value_error(where + " is empty; yield one array per model input");
      ++n_;
      return true;
    } catch (py::error_already_set& e) {
      return keep(e, "representative_dataset raised an exception");
    }
  }

  std::string subject() const override { return "representative_dataset sample " + std::to_string(n_ - 1); }
  std::string label(size_t i, const tflc::SampleArray& a) const override {
    return subject() + (a.key.empty() ? ", item " + std::to_string(i) : ", key '" + a.key + "'");
  }

  // A Python exception from the generator (or a TypeError we raised), to
  // re-raise once the conversion has returned.
  std::optional<py::error_already_set> error;

 private:
  static std::string type_name(py::handle h) { return py::str(py::type::handle_of(h).attr("__name__")); }

  tflc::Status keep(py::error_already_set& e, const std::string& what) {
    if (!error) error.emplace(std::move(e));
    return tflc::invalid_input(what);
  }
  tflc::Status raise(PyObject* type, const std::string& message) {
    PyErr_SetString(type, message.c_str());
    error.emplace();
    return tflc::invalid_input(message);
  }
  tflc::Status type_error(const std::string& m) { return raise(PyExc_TypeError, m); }
  tflc::Status value_error(const std::string& m) { return raise(PyExc_ValueError, m); }

  // Views a C-contiguous, aligned, native-order array in place; other
  // layouts are copied once by numpy.ascontiguousarray, into native byte
  // order (the converter reads the bytes as native values).
  tflc::Status add(std::vector<tflc::SampleArray>& sample, const std::string& who, std::string key, py::object v) {
    py::array a = py::array::ensure(v);
    if (!a) return type_error(who + " is a " + type_name(v) + ", not an array");
    constexpr int kInPlace =
        static_cast<int>(py::array::c_style) | static_cast<int>(py::detail::npy_api::NPY_ARRAY_ALIGNED_);
    bool native = a.dtype().attr("isnative").cast<bool>();
    if ((a.flags() & kInPlace) != kInPlace || !native)
      a = py::module_::import("numpy").attr("ascontiguousarray")(
          a, py::arg("dtype") = native ? py::object(a.dtype()) : a.dtype().attr("newbyteorder")("="));
    char kind = a.dtype().kind();
    ssize_t size = a.dtype().itemsize();
    tflc::DType t = tflc::DType::kInvalid;
    if (kind == 'f' && size == 4) t = tflc::DType::kFloat32;
    else if (kind == 'f' && size == 8) t = tflc::DType::kFloat64;
    else if (kind == 'i' && size == 1) t = tflc::DType::kInt8;
    else if (kind == 'i' && size == 2) t = tflc::DType::kInt16;
    else if (kind == 'i' && size == 4) t = tflc::DType::kInt32;
    else if (kind == 'i' && size == 8) t = tflc::DType::kInt64;
    else if (kind == 'u' && size == 1) t = tflc::DType::kUInt8;
    else if (kind == 'b' && size == 1) t = tflc::DType::kBool;
    if (t == tflc::DType::kInvalid)
      return type_error(who + " has dtype " + std::string(py::str(a.dtype())) +
                        "; use float32, float64, int8, int16, int32, int64, uint8 or bool");
    tflc::SampleArray s;
    s.key = std::move(key);
    s.dtype = t;
    for (ssize_t d = 0; d < a.ndim(); ++d) s.shape.push_back(a.shape(d));
    s.bytes = std::string_view(static_cast<const char*>(a.data()), static_cast<size_t>(a.nbytes()));
    sample.push_back(std::move(s));
    held_.push_back(std::move(a));
    return tflc::ok_status();
  }

  py::object dataset_;
  py::object iter_;
  std::vector<py::array> held_;  // keeps the viewed arrays alive
  int64_t n_ = 0;
};

const char* kind_name(tflc::ErrorKind k) {
  switch (k) {
    case tflc::ErrorKind::kOk: return "ok";
    case tflc::ErrorKind::kUsage: return "usage";
    case tflc::ErrorKind::kInvalidInput: return "invalid_input";
    case tflc::ErrorKind::kUnsupported: return "unsupported";
    case tflc::ErrorKind::kInternal: return "internal";
  }
  return "internal";
}

tflc::Expected<tflc::DType> dtype_arg(const std::string& s, const char* attribute) {
  auto t = tflc::parse_inference_type(s);
  if (!t.ok()) return tflc::usage_error(std::string(attribute) + ": " + t.status().message());
  return t;
}

// Returns (model bytes or None, message, error kind, [(op type, node, reason)]).
py::tuple convert(const std::string& graph_def_file, py::bytes graph_def_content, const std::string& saved_model_dir,
                  const std::string& keras_model_file, py::bytes keras_model_content,
                  const std::vector<std::string>& input_arrays, const std::vector<std::string>& output_arrays,
                  std::optional<std::string> input_shapes, const std::vector<std::string>& tags,
                  const std::vector<std::string>& signature_keys, bool optimize,
                  const std::vector<std::string>& supported_types, const std::vector<std::string>& supported_ops,
                  const std::string& inference_input_type, const std::string& inference_output_type,
                  const std::string& dataset_file, py::object dataset, bool exclude_conversion_metadata,
                  bool allow_custom_ops, const std::vector<std::string>& custom_opdefs,
                  const std::vector<std::string>& select_user_tf_ops, const std::string& stablehlo_file,
                  const std::string& stablehlo_content, const std::string& entry_function,
                  uint64_t memory_budget_mb) {
  tflc::ConvertOptions o;
  o.memory_budget_mb = memory_budget_mb;
  o.stablehlo_file = stablehlo_file;
  o.stablehlo_content = stablehlo_content;
  if (!entry_function.empty()) o.entry_function = entry_function;
  o.graph_def_file = graph_def_file;
  o.graph_def_content = graph_def_content;
  o.saved_model_dir = saved_model_dir;
  o.keras_model_file = keras_model_file;
  o.keras_model_content = keras_model_content;
  o.input_arrays = input_arrays;
  o.output_arrays = output_arrays;
  o.input_shapes = input_shapes;
  o.saved_model_tags = tags;
  o.signature_keys = signature_keys;
  o.quantize.optimize = optimize;
  o.quantize.supported_types = supported_types;
  o.quantize.supported_ops = supported_ops;
  o.quantize.representative_dataset = dataset_file;
  o.exclude_conversion_metadata = exclude_conversion_metadata;
  o.allow_custom_ops = allow_custom_ops;
  o.custom_opdefs = custom_opdefs;
  o.select_user_tf_ops = select_user_tf_ops;
  std::shared_ptr<GeneratorSource> source;
  if (!dataset.is_none()) o.quantize.dataset_source = source = std::make_shared<GeneratorSource>(dataset);

  tflc::Status st;
  std::string model;
  auto in = dtype_arg(inference_input_type, "inference_input_type");
  auto out = dtype_arg(inference_output_type, "inference_output_type");
  if (!in.ok()) st = in.status();
  else if (!out.ok()) st = out.status();
  if (st.ok()) {
    o.quantize.inference_input_type = *in;
    o.quantize.inference_output_type = *out;
    py::gil_scoped_release release;  // the dataset source takes it back per sample
    try {
      auto r = tflc::convert(o);
      if (r.ok()) model = std::move(r).value();
      else st = r.status();
    } catch (const std::bad_alloc&) {
      st = tflc::invalid_input("out of memory; the model is too large for this machine");
    } catch (const std::exception& e) {
      st = tflc::internal_error(e.what());
    }
  }
  if (source && source->error) {
    py::error_already_set e = std::move(*source->error);
    source->error.reset();
    throw e;  // the generator's own exception, as TF lets it through
  }
  if (st.ok()) return py::make_tuple(py::bytes(model), "", "ok", py::list());
  py::list errors;
  for (const auto& e : tflc::conversion_errors(st)) errors.append(py::make_tuple(e.op_type, e.node_name, e.reason));
  return py::make_tuple(py::none(), st.message(), kind_name(st.kind()), errors);
}

// Returns (report or None, error message).
py::tuple analyze(py::bytes content, const std::string& name, bool gpu_compatibility) {
  std::string bytes = content;
  tflc::AnalyzeOptions opt;
  opt.name = name;
  opt.gpu_compatibility = gpu_compatibility;
  tflc::Expected<std::string> r = tflc::invalid_input("not analyzed");
  {
    py::gil_scoped_release release;
    try {
      r = tflc::analyze_tflite(bytes, opt);
    } catch (const std::exception& e) {
      r = tflc::internal_error(e.what());
    }
  }
  if (!r.ok()) return py::make_tuple(py::none(), r.status().message());
  return py::make_tuple(py::str(*r), "");
}

// Returns (sorted signature keys or None, error message).
py::tuple signature_keys(const std::string& dir, const std::vector<std::string>& tags) {
  tflc::Expected<std::vector<std::string>> r = tflc::invalid_input("not read");
  {
    py::gil_scoped_release release;
    try {
      r = tflc::saved_model_signature_keys(dir, tags);
    } catch (const std::exception& e) {
      r = tflc::internal_error(e.what());
    }
  }
  if (!r.ok()) return py::make_tuple(py::none(), r.status().message());
  return py::make_tuple(py::cast(*r), "");
}

// The first subgraph's inputs as [(name, dtype name, shape)]: tests build
// representative datasets from a converted float model with it.
py::list input_specs(py::bytes content) {
  std::string bytes = content;
  flatbuffers::Verifier v(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  if (!tflite::VerifyModelBuffer(v)) throw py::value_error("not a valid .tflite model");
  const tflite::Model* m = tflite::GetModel(bytes.data());
  py::list out;
  if (!m->subgraphs() || m->subgraphs()->size() == 0) return out;
  const tflite::SubGraph* g = m->subgraphs()->Get(0);
  if (!g->inputs() || !g->tensors()) return out;
  for (int32_t i : *g->inputs()) {
    if (i < 0 || static_cast<uint32_t>(i) >= g->tensors()->size()) throw py::value_error("input index out of range");
    const tflite::Tensor* t = g->tensors()->Get(static_cast<uint32_t>(i));
    std::vector<int64_t> shape;
    const auto* dims = t->shape_signature() ? t->shape_signature() : t->shape();
    if (dims)
      for (int32_t d : *dims) shape.push_back(d);
    out.append(py::make_tuple(t->name() ? t->name()->str() : "", tflite::EnumNameTensorType(t->type()), shape));
  }
  return out;
}

}  // namespace

PYBIND11_MODULE(_native, m) {
  m.doc() = "The tflite_converter C++ library (use the tflite_converter package, not this module).";
  m.def("convert", &convert, py::arg("graph_def_file"), py::arg("graph_def_content"), py::arg("saved_model_dir"),
        py::arg("keras_model_file"), py::arg("keras_model_content"), py::arg("input_arrays"),
        py::arg("output_arrays"), py::arg("input_shapes"), py::arg("tags"), py::arg("signature_keys"),
        py::arg("optimize"), py::arg("supported_types"), py::arg("supported_ops"), py::arg("inference_input_type"),
        py::arg("inference_output_type"), py::arg("dataset_file"), py::arg("dataset"),
        py::arg("exclude_conversion_metadata"), py::arg("allow_custom_ops"), py::arg("custom_opdefs"),
        py::arg("select_user_tf_ops"), py::arg("stablehlo_file") = "", py::arg("stablehlo_content") = "",
        py::arg("entry_function") = "", py::arg("memory_budget_mb") = tflc::ConvertOptions{}.memory_budget_mb);
  m.def("analyze", &analyze, py::arg("content"), py::arg("name"), py::arg("gpu_compatibility") = false);
  m.def("signature_keys", &signature_keys, py::arg("saved_model_dir"), py::arg("tags"));
  m.def("_input_specs", &input_specs, py::arg("content"));
}
