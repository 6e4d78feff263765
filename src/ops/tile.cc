// TILE: repeats the input multiples[d] times along each dim d.
#include <cstring>

#include "ops/shape_ops_util.h"

namespace tflc {
namespace {

Expected<std::vector<int64_t>> read_multiples(const Graph& g, const Op& op, int rank) {
  ASSIGN_OR_RETURN(std::vector<int64_t> m, const_ints(g, op.inputs[1]));
  if (static_cast<int>(m.size()) != rank)
    return invalid_input("TILE multiples has " + std::to_string(m.size()) + " entries for rank " +
                         std::to_string(rank));
  for (int64_t v : m)
    if (v < 0) return invalid_input("TILE multiples must be non-negative, got " + std::to_string(v));
  return m;
}

Status infer_tile(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  const Tensor& x = input(g, op, 0);
  if (x.unknown_rank) return unsupported("not supported yet: TILE of a tensor with unknown rank");
  int r = x.rank();
  if (!input(g, op, 1).is_const()) {
    set_output(g, op, 0, x.dtype, Shape(r, -1));
    return ok_status();
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> m, read_multiples(g, op, r));
  Shape out(r);
  for (int i = 0; i < r; ++i) out[i] = x.shape[i] < 0 ? -1 : x.shape[i] * m[i];
  set_output(g, op, 0, x.dtype, out);
  return ok_status();
}

// Writes the tiled block of dims [d, rank) and returns its byte size: each
// input row is tiled first, then the finished block is copied m[d]-1 times.
int64_t tile_block(const char* src, char* dst, const Shape& in, const std::vector<int64_t>& m, size_t d,
                   int64_t elem, const std::vector<int64_t>& in_bytes_stride) {
  int64_t written = 0;
  if (d + 1 == in.size()) {
    written = in[d] * elem;
    std::memcpy(dst, src, written);
  } else {
    for (int64_t i = 0; i < in[d]; ++i)
      written += tile_block(src + i * in_bytes_stride[d], dst + written, in, m, d + 1, elem, in_bytes_stride);
  }
  for (int64_t k = 1; k < m[d]; ++k) std::memcpy(dst + k * written, dst, written);
  return written * m[d];
}

Status eval_tile(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 0);
  Tensor& out = output(g, op, 0);
  ASSIGN_OR_RETURN(int elem, eval_elem_size(x.dtype));
  ASSIGN_OR_RETURN(std::vector<int64_t> m, read_multiples(g, op, x.rank()));
  std::string bytes(static_cast<size_t>(num_elements(out.shape)) * elem, '\0');
  if (x.rank() == 0) {
    std::memcpy(bytes.data(), x.data->data(), elem);
  } else if (!bytes.empty()) {
    std::vector<int64_t> st = strides_of(x.shape);
    for (int64_t& s : st) s *= elem;
    tile_block(x.data->data(), bytes.data(), x.shape, m, 0, elem, st);
  }
  out.data = make_buffer(std::move(bytes));
  return ok_status();
}

// Official converter: tfl.tile has no options.
TFLC_REGISTER_OP(tile, {.code = OpCode::TILE,
                        .infer = infer_tile,
                        .eval = eval_tile,
                        .types_unchecked = kNoKernelFacts,
                        // op_version.cc: int8 -> 3, string -> 2.
                        .version_by_type = {{DType::kInt8, 3}, {DType::kString, 2}},
                        .runtime_versions = {"1.10.1", "2.2.0", "2.8.0"},
                        .quant = {.output = QuantSpec::Output::kSameAsInput}});

}  // namespace
}  // namespace tflc
