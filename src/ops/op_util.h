// Small helpers shared by the op records: typed access to constant data,
// broadcasting, and dtype dispatch for the reference kernels.
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "ops/registry.h"
#include "support/status.h"

namespace tflc {

using Shape = std::vector<int64_t>;

inline Tensor& input(Graph& g, const Op& op, int i) { return g.t(op.inputs.at(i)); }
inline const Tensor& input(const Graph& g, const Op& op, int i) { return g.t(op.inputs.at(i)); }
inline Tensor& output(Graph& g, const Op& op, int i) { return g.t(op.outputs.at(i)); }
inline const Tensor& output(const Graph& g, const Op& op, int i) { return g.t(op.outputs.at(i)); }
inline bool has_input(const Op& op, int i) { return i < static_cast<int>(op.inputs.size()) && op.inputs[i] >= 0; }

inline void set_output(Graph& g, const Op& op, int i, DType dtype, Shape shape) {
  Tensor& t = output(g, op, i);
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.unknown_rank = false;
}

Status expect_inputs(const Op& op, int min, int max);
Status expect_rank(const Tensor& t, int rank, const char* what);

// NumPy-style broadcast of two shapes (-1 dims stay dynamic).
Expected<Shape> broadcast_shapes(const Shape& a, const Shape& b);
int64_t num_elements(const Shape& s);  // -1 if dynamic
// Fills the unknown dims of `into` from `s` (same rank), except dim `skip`;
// false at the first dim known in both with different extents.
bool merge_known_dims(Shape& into, const Shape& s, int skip = -1);
std::vector<int64_t> strides_of(const Shape& s);
// Normalizes a possibly negative axis; error if out of range.
Expected<int> normalize_axis(int64_t axis, int rank);

// Reads a constant integer tensor (int32 or int64) as int64 values.
Expected<std::vector<int64_t>> const_ints(const Graph& g, TensorId id);
// Reads a constant numeric tensor as doubles.
Expected<std::vector<double>> const_doubles(const Graph& g, TensorId id);

// A shape given by a 1-D int32/int64 operand (FILL's dims, BROADCAST_TO's
// shape). `known`: the values, checked non-negative. Otherwise `dims` holds
// -1 per element, or `unknown_rank` is set when the length is unknown too.
struct ShapeOperand {
  Shape dims;
  bool known = false;
  bool unknown_rank = false;
};
Expected<ShapeOperand> read_shape_operand(const Graph& g, const Op& op, int i, const std::string& what);
// Sets output `i` to `s` (dims, or unknown rank).
void set_output_shape(Graph& g, const Op& op, int i, DType dtype, const ShapeOperand& s);

template <typename T>
std::vector<T> const_values(const Tensor& t) {
  // A tensor without bytes (a constant a file left empty) reads as no values, never a null read.
  if (!t.data || t.data->size() < sizeof(T)) return {};
  std::vector<T> v(t.data->size() / sizeof(T));
  std::memcpy(v.data(), t.data->data(), v.size() * sizeof(T));
  return v;
}

template <typename T>
std::string to_bytes(const std::vector<T>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

// bool is stored as one byte per element.
inline std::string to_bytes(const std::vector<bool>& v) {
  std::string s(v.size(), '\0');
  for (size_t i = 0; i < v.size(); ++i) s[i] = v[i] ? 1 : 0;
  return s;
}

template <typename T>
void set_output_data(Graph& g, const Op& op, int i, const std::vector<T>& v) {
  output(g, op, i).data = make_buffer(to_bytes(v));
}

// Calls f(T{}) with the C++ type of a numeric dtype. Bool maps to uint8_t.
template <typename F>
Status dispatch_numeric(DType t, F&& f) {
  switch (t) {
    case DType::kFloat32: f(float{}); return ok_status();
    case DType::kInt32: f(int32_t{}); return ok_status();
    case DType::kInt64: f(int64_t{}); return ok_status();
    case DType::kUInt8: f(uint8_t{}); return ok_status();
    case DType::kInt8: f(int8_t{}); return ok_status();
    case DType::kInt16: f(int16_t{}); return ok_status();
    case DType::kFloat64: f(double{}); return ok_status();
    case DType::kBool: f(uint8_t{}); return ok_status();
    default: return unsupported("not supported yet: evaluating " + dtype_name(t) + " tensors");
  }
}

// Walks every output index of a broadcast binary op, giving flat input indices.
template <typename F>
void for_each_broadcast(const Shape& a, const Shape& b, const Shape& out, F&& f) {
  int r = static_cast<int>(out.size());
  auto padded = [r](const Shape& s) {
    Shape p(r - s.size(), 1);
    p.insert(p.end(), s.begin(), s.end());
    return p;
  };
  Shape pa = padded(a), pb = padded(b);
  std::vector<int64_t> sa = strides_of(pa), sb = strides_of(pb);
  for (int d = 0; d < r; ++d) {
    if (pa[d] == 1) sa[d] = 0;
    if (pb[d] == 1) sb[d] = 0;
  }
  int64_t n = num_elements(out);
  std::vector<int64_t> idx(r, 0);
  int64_t ia = 0, ib = 0;
  for (int64_t k = 0; k < n; ++k) {
    f(k, ia, ib);
    for (int d = r - 1; d >= 0; --d) {
      ++idx[d];
      ia += sa[d];
      ib += sb[d];
      if (idx[d] < out[d]) break;
      ia -= sa[d] * idx[d];
      ib -= sb[d] * idx[d];
      idx[d] = 0;
    }
  }
}

std::string shape_str(const Shape& s);  // "[1,28,28,3]"

}  // namespace tflc
