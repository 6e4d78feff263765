// TRANSPOSE: permutes dims. Every conv filter (HWIO -> OHWI) is folded
// through this kernel, so it copies raw bytes with a tiled strided view.
#include "ops/shape_ops_util.h"

namespace tflc {
namespace {

Expected<std::vector<int>> read_perm(const Graph& g, const Op& op, int rank) {
  ASSIGN_OR_RETURN(std::vector<int64_t> p, const_ints(g, op.inputs[1]));
  if (static_cast<int>(p.size()) != rank)
    return invalid_input("the permutation has " + std::to_string(p.size()) + " entries for a rank-" +
                         std::to_string(rank) + " input");
  std::vector<int> perm(rank);
  std::vector<bool> seen(rank, false);
  for (int i = 0; i < rank; ++i) {
    int64_t v = p[i] < 0 ? p[i] + rank : p[i];
    if (v < 0 || v >= rank || seen[v]) return invalid_input("the permutation is not a permutation of 0.." +
                                                            std::to_string(rank - 1));
    seen[v] = true;
    perm[i] = static_cast<int>(v);
  }
  return perm;
}

Status infer_transpose(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  const Tensor& x = input(g, op, 0);
  if (x.unknown_rank) return unsupported("not supported yet: TRANSPOSE of a tensor with unknown rank");
  int r = x.rank();
  if (!input(g, op, 1).is_const()) {
    set_output(g, op, 0, x.dtype, Shape(r, -1));
    return ok_status();
  }
  ASSIGN_OR_RETURN(std::vector<int> perm, read_perm(g, op, r));
  Shape out(r);
  for (int i = 0; i < r; ++i) out[i] = x.shape[perm[i]];
  set_output(g, op, 0, x.dtype, out);
  return ok_status();
}

Status eval_transpose(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 0);
  ASSIGN_OR_RETURN(int elem, eval_elem_size(x.dtype));
  ASSIGN_OR_RETURN(std::vector<int> perm, read_perm(g, op, x.rank()));
  std::vector<int64_t> in_strides = strides_of(x.shape), st(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) st[i] = in_strides[perm[i]];
  Tensor& out = output(g, op, 0);
  out.data = make_buffer(view_bytes(x.data->data(), elem, out.shape, st));
  return ok_status();
}

// op_version.cc: int4 -> 7, rank > 5 -> 6, int16 -> 5, rank > 4 -> 4,
// bool -> 3, int8 -> 2.
int version_transpose(const Graph& g, const Op& op) {
  const Tensor& x = input(g, op, 0);
  if (x.dtype == DType::kInt4) return 7;
  if (x.rank() > 5) return 6;
  if (x.dtype == DType::kInt16) return 5;
  if (x.rank() > 4) return 4;
  if (x.dtype == DType::kBool) return 3;
  if (x.dtype == DType::kInt8) return 2;
  return 1;
}

// Official converter: tfl.transpose has no options.
TFLC_REGISTER_OP(transpose, {.code = OpCode::TRANSPOSE,
                             .infer = infer_transpose,
                             .eval = eval_transpose,
                             .types_unchecked = kNoKernelFacts,
                             .version = version_transpose,
                             .runtime_versions = {"1.6.0", "1.14.0", "1.15.0", "2.3.0", "2.4.0", "2.12.0",
                                                  "2.14.4"},
                             .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});

}  // namespace
}  // namespace tflc
