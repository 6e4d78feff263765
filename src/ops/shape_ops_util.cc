#include "ops/shape_ops_util.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <thread>

namespace tflc {

Expected<int> eval_elem_size(DType t) {
  int n = dtype_size(t);
  if (n <= 0) return unsupported("not supported yet: evaluating " + dtype_name(t) + " tensors");
  return n;
}

namespace {

// Strided inner loop on a fixed-size element type.
template <typename T>
void strided_row(const char* src, char* dst, int64_t n, int64_t stride) {
  const T* s = reinterpret_cast<const T*>(src);
  T* d = reinterpret_cast<T*>(dst);
  for (int64_t j = 0; j < n; ++j) std::memcpy(d + j, s + j * stride, sizeof(T));
}

void strided_row_any(const char* src, char* dst, int elem, int64_t n, int64_t stride) {
  switch (elem) {
    case 1: strided_row<uint8_t>(src, dst, n, stride); return;
    case 2: strided_row<uint16_t>(src, dst, n, stride); return;
    case 4: strided_row<uint32_t>(src, dst, n, stride); return;
    case 8: strided_row<uint64_t>(src, dst, n, stride); return;
    default:
      for (int64_t j = 0; j < n; ++j) std::memcpy(dst + j * elem, src + j * stride * elem, elem);
  }
}

}  // namespace

void copy_view(const char* src, char* dst, int elem, const Shape& shape, const std::vector<int64_t>& strides,
               int64_t base) {
  // Size-1 dims do not move anything; adjacent dims that are contiguous in
  // the source merge into one, so a plain slice becomes a few memcpys.
  Shape dims;
  std::vector<int64_t> st;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 0) return;
    if (shape[d] == 1) continue;
    if (!dims.empty() && st.back() == strides[d] * shape[d]) {
      dims.back() *= shape[d];
      st.back() = strides[d];
    } else {
      dims.push_back(shape[d]);
      st.push_back(strides[d]);
    }
  }
  src += base * elem;
  if (dims.empty()) {
    std::memcpy(dst, src, elem);
    return;
  }
  int n = static_cast<int>(dims.size());
  int64_t inner = dims[n - 1], inner_stride = st[n - 1];
  int64_t row_bytes = inner * elem;

  // A transpose whose innermost output dim walks the source with a large
  // stride reads one cache line per element; when some outer dim is
  // contiguous in the source, copy in 2-D tiles so both sides stay cached.
  int unit = -1;
  if (inner_stride != 1)
    for (int d = 0; d < n - 1; ++d)
      if (st[d] == 1) unit = d;
  if (unit >= 0 && inner >= 16 && dims[unit] >= 16) {
    std::vector<int64_t> out_strides(n, 1);
    for (int d = n - 2; d >= 0; --d) out_strides[d] = out_strides[d + 1] * dims[d + 1];
    // Odometer over every dim except `unit` and the innermost.
    std::vector<int> outer;
    for (int d = 0; d < n - 1; ++d)
      if (d != unit) outer.push_back(d);
    std::vector<int64_t> idx(outer.size(), 0);
    int64_t src_off = 0, dst_off = 0;
    const int64_t kTile = 32;
    // Tiles of `unit` rows [ub, ue): independent, so a large transpose
    // (a big filter folded at import) splits across two threads.
    auto tiles = [&](int64_t ub, int64_t ue, int64_t so, int64_t dof) {
      for (int64_t u0 = ub; u0 < ue; u0 += kTile) {
        int64_t u1 = std::min(ue, u0 + kTile);
        for (int64_t i0 = 0; i0 < inner; i0 += kTile) {
          int64_t i1 = std::min(inner, i0 + kTile);
          for (int64_t u = u0; u < u1; ++u) {
            const char* s = src + (so + u * st[unit] + i0 * inner_stride) * elem;
            char* d = dst + (dof + u * out_strides[unit] + i0) * elem;
            strided_row_any(s, d, elem, i1 - i0, inner_stride);
          }
        }
      }
    };
    const int64_t kParallelBytes = int64_t{2} << 20;
    bool parallel = dims[unit] * inner * elem >= kParallelBytes && std::thread::hardware_concurrency() > 1;
    while (true) {
      if (parallel) {
        int64_t mid = dims[unit] / 2 / kTile * kTile;
        std::thread helper(tiles, mid, dims[unit], src_off, dst_off);
        tiles(0, mid, src_off, dst_off);
        helper.join();
      } else {
        tiles(0, dims[unit], src_off, dst_off);
      }
      int k = static_cast<int>(outer.size()) - 1;
      for (; k >= 0; --k) {
        int d = outer[k];
        ++idx[k];
        src_off += st[d];
        dst_off += out_strides[d];
        if (idx[k] < dims[d]) break;
        src_off -= st[d] * idx[k];
        dst_off -= out_strides[d] * idx[k];
        idx[k] = 0;
      }
      if (k < 0) break;
    }
    return;
  }

  std::vector<int64_t> idx(n - 1, 0);
  int64_t off = 0;
  while (true) {
    if (inner_stride == 1) std::memcpy(dst, src + off * elem, row_bytes);
    else strided_row_any(src + off * elem, dst, elem, inner, inner_stride);
    dst += row_bytes;
    int d = n - 2;
    for (; d >= 0; --d) {
      ++idx[d];
      off += st[d];
      if (idx[d] < dims[d]) break;
      off -= st[d] * idx[d];
      idx[d] = 0;
    }
    if (d < 0) break;
  }
}

std::string view_bytes(const char* src, int elem, const Shape& shape, const std::vector<int64_t>& strides,
                       int64_t base) {
  std::string out(static_cast<size_t>(num_elements(shape)) * elem, '\0');
  if (!out.empty()) copy_view(src, out.data(), elem, shape, strides, base);
  return out;
}

AxisRows axis_rows(const Shape& shape, int axis, int elem) {
  AxisRows r{1, elem};
  for (int d = 0; d < axis; ++d) r.outer *= shape[d];
  for (int d = axis + 1; d < static_cast<int>(shape.size()); ++d) r.inner *= shape[d];
  return r;
}

std::string join_rows(int64_t outer, int64_t row_bytes, const std::vector<RowPart>& parts) {
  std::string out(static_cast<size_t>(outer * row_bytes), '\0');
  int64_t col = 0;
  for (const RowPart& p : parts) {
    for (int64_t o = 0; o < outer; ++o)
      std::memcpy(out.data() + o * row_bytes + col, p.data + o * p.row_bytes, p.row_bytes);
    col += p.row_bytes;
  }
  return out;
}

std::vector<std::string> split_rows(const char* src, int64_t outer, int64_t row_bytes,
                                    const std::vector<int64_t>& part_row_bytes) {
  std::vector<std::string> parts;
  int64_t col = 0;
  for (int64_t row : part_row_bytes) {
    std::string bytes(static_cast<size_t>(outer * row), '\0');
    for (int64_t o = 0; o < outer; ++o) std::memcpy(bytes.data() + o * row, src + o * row_bytes + col, row);
    parts.push_back(std::move(bytes));
    col += row;
  }
  return parts;
}

std::string zero_pad_bytes(const char* src, int elem, const Shape& shape, const std::vector<int64_t>& before,
                           const std::vector<int64_t>& after) {
  int r = static_cast<int>(shape.size());
  Shape padded(r);
  for (int d = 0; d < r; ++d) padded[d] = shape[d] + before[d] + after[d];
  std::string out(static_cast<size_t>(num_elements(padded)) * elem, '\0');
  if (num_elements(shape) == 0) return out;
  if (r == 0) {
    std::memcpy(out.data(), src, elem);
    return out;
  }
  std::vector<int64_t> pst = strides_of(padded);
  int64_t off = 0;
  for (int d = 0; d < r; ++d) off += before[d] * pst[d];
  // Copy each input row (the last dim) to its place in the padded layout.
  int64_t row = shape[r - 1] * elem;
  std::vector<int64_t> idx(r, 0);
  while (true) {
    std::memcpy(out.data() + off * elem, src, row);
    src += row;
    int d = r - 2;
    for (; d >= 0; --d) {
      ++idx[d];
      off += pst[d];
      if (idx[d] < shape[d]) break;
      off -= pst[d] * idx[d];
      idx[d] = 0;
    }
    if (d < 0) break;
  }
  return out;
}

Expected<int64_t> const_scalar_int(const Graph& g, TensorId id, const char* what) {
  ASSIGN_OR_RETURN(std::vector<int64_t> v, const_ints(g, id));
  if (v.size() != 1)
    return invalid_input(std::string(what) + " must hold one value, got " + std::to_string(v.size()));
  return v[0];
}

Expected<std::vector<int32_t>> to_int32(const std::vector<int64_t>& v, const char* what) {
  std::vector<int32_t> out;
  out.reserve(v.size());
  for (int64_t x : v) {
    if (x < std::numeric_limits<int32_t>::min() || x > std::numeric_limits<int32_t>::max())
      return invalid_input(std::string(what) + " value " + std::to_string(x) + " does not fit in int32");
    out.push_back(static_cast<int32_t>(x));
  }
  return out;
}

Shape StridedSlicePlan::processing_shape() const {
  Shape s;
  for (const auto& d : dims)
    if (!d.shrink) s.push_back(d.count);
  return s;
}

Shape StridedSlicePlan::output_shape() const {
  Shape s;
  for (int i : final_dims) s.push_back(i < 0 ? 1 : dims[i].count);
  return s;
}

Expected<StridedSlicePlan> plan_strided_slice(const Shape& input_shape, const std::vector<int64_t>& begin,
                                              const std::vector<int64_t>& end,
                                              const std::vector<int64_t>& strides, int begin_mask, int end_mask,
                                              int ellipsis_mask, int new_axis_mask, int shrink_axis_mask,
                                              bool offset) {
  int n = static_cast<int>(begin.size());
  if (static_cast<int>(end.size()) != n || static_cast<int>(strides.size()) != n)
    return invalid_input("begin, end and strides have different lengths (" + std::to_string(n) + ", " +
                         std::to_string(end.size()) + ", " + std::to_string(strides.size()) + ")");
  if (n > 31) return invalid_input("a strided slice spec has at most 31 entries, got " + std::to_string(n));
  auto bit = [](int mask, int i) { return i < 32 && ((static_cast<uint32_t>(mask) >> i) & 1u) != 0; };
  uint32_t used = n == 0 ? 0u : (n >= 32 ? ~0u : (1u << n) - 1);
  uint32_t ell = static_cast<uint32_t>(ellipsis_mask) & used;
  if (std::popcount(ell) > 1) return invalid_input("multiple ellipses in a strided slice spec are not allowed");

  // Sparse spec; without an ellipsis TF appends one so trailing dims are kept.
  int sparse_dims = n;
  if (ell == 0) {
    ell = 1u << n;
    sparse_dims = n + 1;
  }
  int add_after_ellipsis = 0;
  bool seen = false;
  for (int i = 0; i < n; ++i) {
    if (seen && bit(new_axis_mask, i)) ++add_after_ellipsis;
    if ((ell >> i) & 1u) seen = true;
  }

  int r = static_cast<int>(input_shape.size());
  StridedSlicePlan plan;
  plan.dims.resize(r);
  int full = 0;
  for (int i = 0; i < sparse_dims; ++i) {
    if ((ell >> i) & 1u) {
      int next = std::min(r - (sparse_dims - i) + 1 + add_after_ellipsis, r);
      for (; full < next; ++full) {
        StridedSliceDim& d = plan.dims[full];
        d.begin_masked = d.end_masked = true;
        plan.final_dims.push_back(full);
      }
    } else if (bit(new_axis_mask, i)) {
      plan.final_dims.push_back(-1);
    } else {
      if (full >= r)
        return invalid_input("strided slice spec has more entries than the input rank " + std::to_string(r));
      StridedSliceDim& d = plan.dims[full];
      d.begin = begin[i];
      d.end = end[i];
      d.stride = strides[i];
      d.begin_masked = bit(begin_mask, i);
      d.end_masked = bit(end_mask, i);
      d.shrink = bit(shrink_axis_mask, i);
      if (!d.shrink) plan.final_dims.push_back(full);
      ++full;
    }
  }

  for (int i = 0; i < r; ++i) {
    StridedSliceDim& d = plan.dims[i];
    if (d.stride == 0) return invalid_input("strides[" + std::to_string(i) + "] must be non-zero");
    if (d.shrink && d.stride <= 0) return invalid_input("only stride 1 allowed on non-range indexing");
    int64_t dim = input_shape[i];
    if (dim < 0) {
      d.count = d.shrink ? 1 : -1;
      continue;
    }
    if (d.shrink) {
      int64_t x = d.begin < 0 ? dim + d.begin : d.begin;
      if (x < 0 || x >= dim)
        return invalid_input("slice index " + std::to_string(d.begin) + " of dimension " + std::to_string(i) +
                             " is out of bounds");
      d.start = x;
      d.count = 1;
      continue;
    }
    int64_t lo = d.stride > 0 ? 0 : -1, hi = d.stride > 0 ? dim : dim - 1;
    auto canonical = [&](int64_t x, bool masked, bool is_end) -> int64_t {
      if (masked) return d.stride > 0 ? (is_end ? hi : lo) : (is_end ? lo : hi);
      int64_t f = x < 0 ? dim + x : x;
      return std::clamp(f, lo, hi);
    };
    int64_t b = canonical(d.begin, d.begin_masked, false);
    int64_t e = offset && !d.end_masked ? canonical(b + d.end, false, true) : canonical(d.end, d.end_masked, true);
    int64_t len = e - b;
    int64_t count = 0;
    if (len != 0 && (len < 0) == (d.stride < 0)) count = len / d.stride + (len % d.stride != 0 ? 1 : 0);
    d.start = b;
    d.count = count;
  }
  return plan;
}

bool same_shape(const Shape& a, const Shape& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] < 0 || a[i] != b[i]) return false;
  return true;
}

}  // namespace tflc
