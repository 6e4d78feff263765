#include "ops/op_util.h"

namespace tflc {

Status expect_inputs(const Op& op, int min, int max) {
  int n = static_cast<int>(op.inputs.size());
  if (n < min || n > max)
    return invalid_input("expected " + std::to_string(min) + (min == max ? "" : ".." + std::to_string(max)) +
                         " inputs, got " + std::to_string(n));
  return ok_status();
}

Status expect_rank(const Tensor& t, int rank, const char* what) {
  if (t.unknown_rank) return unsupported(std::string("not supported yet: unknown rank for ") + what);
  if (t.rank() != rank)
    return invalid_input(std::string(what) + " must have rank " + std::to_string(rank) + ", got " +
                         shape_str(t.shape));
  return ok_status();
}

Expected<Shape> broadcast_shapes(const Shape& a, const Shape& b) {
  size_t r = std::max(a.size(), b.size());
  Shape out(r);
  for (size_t i = 0; i < r; ++i) {
    int64_t da = i < r - a.size() ? 1 : a[i - (r - a.size())];
    int64_t db = i < r - b.size() ? 1 : b[i - (r - b.size())];
    if (da == db) out[i] = da;
    else if (da == 1) out[i] = db;
    else if (db == 1) out[i] = da;
    else if (da < 0 || db < 0) out[i] = std::max(da, db) > 1 ? std::max(da, db) : -1;
    else return invalid_input("shapes " + shape_str(a) + " and " + shape_str(b) + " do not broadcast");
  }
  return out;
}

int64_t num_elements(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) {
    if (d < 0) return -1;
    n *= d;
  }
  return n;
}

bool merge_known_dims(Shape& into, const Shape& s, int skip) {
  for (int d = 0; d < static_cast<int>(into.size()); ++d) {
    if (d == skip) continue;
    if (into[d] < 0) into[d] = s[d];
    else if (s[d] >= 0 && s[d] != into[d]) return false;
  }
  return true;
}

std::vector<int64_t> strides_of(const Shape& s) {
  std::vector<int64_t> st(s.size(), 1);
  for (int i = static_cast<int>(s.size()) - 2; i >= 0; --i) st[i] = st[i + 1] * s[i + 1];
  return st;
}

Expected<int> normalize_axis(int64_t axis, int rank) {
  if (axis < -rank || axis >= std::max(rank, 1))
    return invalid_input("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

Expected<std::vector<int64_t>> const_ints(const Graph& g, TensorId id) {
  const Tensor& t = g.t(id);
  if (!t.is_const()) return unsupported("not supported yet: non-constant " + t.name + " where a constant is needed");
  std::vector<int64_t> out;
  if (t.dtype == DType::kInt32) {
    for (int32_t v : const_values<int32_t>(t)) out.push_back(v);
  } else if (t.dtype == DType::kInt64) {
    out = const_values<int64_t>(t);
  } else {
    return invalid_input(t.name + " must be int32 or int64, got " + dtype_name(t.dtype));
  }
  return out;
}

Expected<std::vector<double>> const_doubles(const Graph& g, TensorId id) {
  const Tensor& t = g.t(id);
  if (!t.is_const()) return unsupported("not supported yet: non-constant " + t.name + " where a constant is needed");
  std::vector<double> out;
  Status st = dispatch_numeric(t.dtype, [&](auto tag) {
    using T = decltype(tag);
    for (T v : const_values<T>(t)) out.push_back(static_cast<double>(v));
  });
  if (!st.ok()) return st;
  return out;
}

std::string shape_str(const Shape& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? "," : "") + std::to_string(s[i]);
  return out + "]";
}

Expected<ShapeOperand> read_shape_operand(const Graph& g, const Op& op, int i, const std::string& what) {
  const Tensor& t = input(g, op, i);
  if (t.dtype != DType::kInt32 && t.dtype != DType::kInt64)
    return invalid_input(what + " must be int32 or int64, got " + dtype_name(t.dtype));
  if (!t.unknown_rank && t.rank() != 1) return invalid_input(what + " must be a vector, got " + shape_str(t.shape));
  ShapeOperand s;
  if (t.is_const()) {
    ASSIGN_OR_RETURN(s.dims, const_ints(g, op.inputs[i]));
    for (int64_t d : s.dims)
      if (d < 0) return invalid_input(what + " must be non-negative, got " + shape_str(s.dims));
    s.known = true;
  } else if (t.unknown_rank || t.shape[0] < 0) {
    s.unknown_rank = true;
  } else {
    s.dims.assign(static_cast<size_t>(t.shape[0]), -1);
  }
  return s;
}

void set_output_shape(Graph& g, const Op& op, int i, DType dtype, const ShapeOperand& s) {
  set_output(g, op, i, dtype, s.dims);
  output(g, op, i).unknown_rank = s.unknown_rank;
}

}  // namespace tflc
