// Helpers shared by the data-movement op records (reshape, transpose, slice,
// pad, gather...). Kernels work on raw element bytes, so every fixed-size
// dtype (float32, int32, int64, bool, int8...) goes through the same code.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ops/op_util.h"

namespace tflc {

// Bytes per element for evaluation; an error for types without a fixed size
// (strings are never folded: try_fold skips them).
Expected<int> eval_elem_size(DType t);

// dst (dense, shape `shape`) = src[base + sum(i_d * strides[d])], strides in
// elements and possibly negative or zero. Handles any element size; merges
// dims and uses memcpy for contiguous runs, so large transposes stay fast.
void copy_view(const char* src, char* dst, int elem, const Shape& shape, const std::vector<int64_t>& strides,
               int64_t base);

// copy_view into a new dense buffer of `shape`'s size.
std::string view_bytes(const char* src, int elem, const Shape& shape, const std::vector<int64_t>& strides,
                       int64_t base = 0);

// A dense tensor seen around `axis`: `outer` rows (the product of the dims
// before it), each `shape[axis]` slices of `inner` bytes (elem times the
// product of the dims after it).
struct AxisRows {
  int64_t outer = 1, inner = 1;
};
AxisRows axis_rows(const Shape& shape, int axis, int elem);

// Rows of several tensors side by side (CONCATENATION, PACK): row o of the
// result, `row_bytes` long, is row o of each part in turn.
struct RowPart {
  const char* data;
  int64_t row_bytes;
};
std::string join_rows(int64_t outer, int64_t row_bytes, const std::vector<RowPart>& parts);
// The inverse (SPLIT, SPLIT_V, UNPACK): cuts each `row_bytes` row of src into
// consecutive pieces of part_row_bytes[i], one tensor per piece.
std::vector<std::string> split_rows(const char* src, int64_t outer, int64_t row_bytes,
                                    const std::vector<int64_t>& part_row_bytes);

// Returns `src` (dense, shape `shape`) zero-padded by before/after per dim.
std::string zero_pad_bytes(const char* src, int elem, const Shape& shape, const std::vector<int64_t>& before,
                           const std::vector<int64_t>& after);

// Reads a constant int32/int64 tensor that must have at most one element
// (scalars and [1] vectors both pass).
Expected<int64_t> const_scalar_int(const Graph& g, TensorId id, const char* what);

// Constant integer values of a tensor as int32, failing when out of range.
Expected<std::vector<int32_t>> to_int32(const std::vector<int64_t>& v, const char* what);

// Output dims of TFLite/TF strided slicing. One entry per dense (input) dim.
struct StridedSliceDim {
  int64_t begin = 0, end = 0, stride = 1;  // the spec values, not normalized
  bool begin_masked = false, end_masked = false, shrink = false;
  // Resolved against a known dim: first index, element count.
  int64_t start = 0, count = -1;
};

struct StridedSlicePlan {
  std::vector<StridedSliceDim> dims;  // one per input dim
  // Output dims in order: an input dim index, or -1 for a new axis of size 1.
  std::vector<int> final_dims;
  Shape processing_shape() const;  // per input dim, shrunk dims dropped
  Shape output_shape() const;
};

// Builds the dense spec exactly as TensorFlow does (ellipsis expansion, new
// axes, implicit trailing full ranges) and resolves each dim against
// `input_shape` (-1 dims stay unknown). `offset` is TFLite's end-is-a-size mode.
Expected<StridedSlicePlan> plan_strided_slice(const Shape& input_shape, const std::vector<int64_t>& begin,
                                              const std::vector<int64_t>& end,
                                              const std::vector<int64_t>& strides, int begin_mask, int end_mask,
                                              int ellipsis_mask, int new_axis_mask, int shrink_axis_mask,
                                              bool offset = false);

// True when both shapes are static and equal.
bool same_shape(const Shape& a, const Shape& b);

}  // namespace tflc
