// REVERSE_V2: flips a tensor along the axes in a constant int32 vector
// (Keras go_backwards before a sequence LSTM).
#include <cstring>

#include "ops/shape_ops_util.h"

namespace tflc {
namespace {

Expected<std::vector<int>> read_axes(const Graph& g, const Op& op, int rank) {
  ASSIGN_OR_RETURN(std::vector<int64_t> a, const_ints(g, op.inputs[1]));
  std::vector<int> axes;
  for (int64_t v : a) {
    ASSIGN_OR_RETURN(int ax, normalize_axis(v, rank));
    axes.push_back(ax);
  }
  return axes;
}

Status infer_reverse(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  const Tensor& x = input(g, op, 0);
  if (x.unknown_rank) return unsupported("not supported yet: REVERSE_V2 of a tensor with unknown rank");
  if (input(g, op, 1).is_const()) {
    ASSIGN_OR_RETURN(std::vector<int> axes, read_axes(g, op, x.rank()));
    (void)axes;
  }
  set_output(g, op, 0, x.dtype, x.shape);
  return ok_status();
}

Status eval_reverse(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 0);
  if (!x.has_static_shape()) return unsupported("not supported yet: evaluating REVERSE_V2 of dynamic shape");
  ASSIGN_OR_RETURN(int elem, eval_elem_size(x.dtype));
  ASSIGN_OR_RETURN(std::vector<int> axes, read_axes(g, op, x.rank()));
  std::vector<bool> flip(x.rank(), false);
  for (int a : axes) flip[a] = true;
  const int64_t n = num_elements(x.shape);
  std::vector<int64_t> st = strides_of(x.shape);
  std::string bytes(static_cast<size_t>(n) * elem, '\0');
  std::vector<int64_t> idx(x.rank(), 0);
  for (int64_t k = 0; k < n; ++k) {
    int64_t src = 0;
    for (int d = 0; d < x.rank(); ++d) src += (flip[d] ? x.shape[d] - 1 - idx[d] : idx[d]) * st[d];
    std::memcpy(bytes.data() + k * elem, x.data->data() + src * elem, elem);
    for (int d = x.rank() - 1; d >= 0; --d) {
      if (++idx[d] < x.shape[d]) break;
      idx[d] = 0;
    }
  }
  output(g, op, 0).data = make_buffer(std::move(bytes));
  return ok_status();
}

TFLC_REGISTER_OP(reverse_v2, {.code = OpCode::REVERSE_V2,
                              .infer = infer_reverse,
                              .eval = eval_reverse,
                              .options = tflite::ReverseV2OptionsT{},
                              .types_unchecked = kNoKernelFacts,
                              // op_version.cc: int8 -> 3, bool -> 2.
                              .version_by_type = {{DType::kInt8, 3}, {DType::kBool, 2}},
                              .runtime_versions = {"1.14.0", "2.2.0", "2.5.0"},
                              .quant = {.output = QuantSpec::Output::kSameAsInput}});

}  // namespace
}  // namespace tflc
