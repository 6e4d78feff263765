// SPACE_TO_DEPTH / DEPTH_TO_SPACE (NHWC, DCR order) and SPACE_TO_BATCH_ND /
// BATCH_TO_SPACE_ND. All four are reshape + transpose in disguise, so the
// kernels are strided views of the (padded) input.
#include "ops/shape_ops_util.h"

namespace tflc {
namespace {

Status infer_space_to_depth(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 1, 1));
  const Tensor& x = input(g, op, 0);
  RETURN_IF_ERROR(expect_rank(x, 4, "the SPACE_TO_DEPTH input"));
  int64_t b = opts<tflite::SpaceToDepthOptionsT>(op).block_size;
  if (b < 1) return invalid_input("SPACE_TO_DEPTH block_size must be positive, got " + std::to_string(b));
  Shape out = x.shape;
  for (int d = 1; d <= 2; ++d) {
    if (out[d] < 0) continue;
    if (out[d] % b != 0)
      return invalid_input("SPACE_TO_DEPTH: dim " + std::to_string(d) + " of " + shape_str(x.shape) +
                           " is not a multiple of block_size " + std::to_string(b));
    out[d] /= b;
  }
  out[3] = out[3] < 0 ? -1 : out[3] * b * b;
  set_output(g, op, 0, x.dtype, out);
  return ok_status();
}

Status eval_space_to_depth(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 0);
  Tensor& out = output(g, op, 0);
  ASSIGN_OR_RETURN(int elem, eval_elem_size(x.dtype));
  int64_t n = x.shape[0], h = x.shape[1], w = x.shape[2], c = x.shape[3];
  int64_t b = opts<tflite::SpaceToDepthOptionsT>(op).block_size;
  // out[n, h, w, (i*b + j)*C + c] = in[n, h*b + i, w*b + j, c]
  Shape view = {n, h / b, w / b, b, b, c};
  std::vector<int64_t> st = {h * w * c, b * w * c, b * c, w * c, c, 1};
  out.data = make_buffer(view_bytes(x.data->data(), elem, view, st));
  return ok_status();
}

Status infer_depth_to_space(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 1, 1));
  const Tensor& x = input(g, op, 0);
  RETURN_IF_ERROR(expect_rank(x, 4, "the DEPTH_TO_SPACE input"));
  int64_t b = opts<tflite::DepthToSpaceOptionsT>(op).block_size;
  if (b < 1) return invalid_input("DEPTH_TO_SPACE block_size must be positive, got " + std::to_string(b));
  Shape out = x.shape;
  for (int d = 1; d <= 2; ++d) out[d] = out[d] < 0 ? -1 : out[d] * b;
  if (out[3] >= 0) {
    if (out[3] % (b * b) != 0)
      return invalid_input("DEPTH_TO_SPACE: depth " + std::to_string(out[3]) + " is not a multiple of " +
                           std::to_string(b * b));
    out[3] /= b * b;
  }
  set_output(g, op, 0, x.dtype, out);
  return ok_status();
}

Status eval_depth_to_space(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 0);
  Tensor& out = output(g, op, 0);
  ASSIGN_OR_RETURN(int elem, eval_elem_size(x.dtype));
  int64_t n = x.shape[0], h = x.shape[1], w = x.shape[2], cin = x.shape[3];
  int64_t b = opts<tflite::DepthToSpaceOptionsT>(op).block_size;
  int64_t c = cin / (b * b);
  // out[n, h*b + i, w*b + j, c] = in[n, h, w, (i*b + j)*C + c]
  Shape view = {n, h, b, w, b, c};
  std::vector<int64_t> st = {h * w * cin, w * cin, b * c, cin, c, 1};
  out.data = make_buffer(view_bytes(x.data->data(), elem, view, st));
  return ok_status();
}

// op_version.cc: int8 -> 2.
const std::vector<std::pair<DType, int>> kInt8Version2 = {{DType::kInt8, 2}};

TFLC_REGISTER_OP(space_to_depth, {.code = OpCode::SPACE_TO_DEPTH,
                                  .infer = infer_space_to_depth,
                                  .eval = eval_space_to_depth,
                                  .options = tflite::SpaceToDepthOptionsT{},
                                  .types_unchecked = kNoKernelFacts,
                                  .version_by_type = kInt8Version2,
                                  .runtime_versions = {"1.5.0", "1.14.0"},
                                  .quant = {.output = QuantSpec::Output::kSameAsInput}});

TFLC_REGISTER_OP(depth_to_space, {.code = OpCode::DEPTH_TO_SPACE,
                                  .infer = infer_depth_to_space,
                                  .eval = eval_depth_to_space,
                                  .options = tflite::DepthToSpaceOptionsT{},
                                  .types_unchecked = kNoKernelFacts,
                                  .version_by_type = kInt8Version2,
                                  .runtime_versions = {"2.1.0", "2.5.0"},
                                  .quant = {.output = QuantSpec::Output::kSameAsInput}});

// Block shape [M] and the [M, 2] paddings (or crops) of the batch ops.
struct BlockArgs {
  std::vector<int64_t> block, pads;
};

Expected<BlockArgs> read_block_args(const Graph& g, const Op& op, int rank, const char* pads_name) {
  BlockArgs a;
  ASSIGN_OR_RETURN(a.block, const_ints(g, op.inputs[1]));
  ASSIGN_OR_RETURN(a.pads, const_ints(g, op.inputs[2]));
  int m = static_cast<int>(a.block.size());
  if (m < 1 || m + 1 > rank)
    return invalid_input("block_shape has " + std::to_string(m) + " entries for a rank-" + std::to_string(rank) +
                         " input");
  if (static_cast<int>(a.pads.size()) != 2 * m)
    return invalid_input(std::string(pads_name) + " must have shape [" + std::to_string(m) + ",2]");
  for (int64_t b : a.block)
    if (b < 1) return invalid_input("block_shape values must be positive, got " + std::to_string(b));
  for (int64_t p : a.pads)
    if (p < 0) return invalid_input(std::string(pads_name) + " must be non-negative, got " + std::to_string(p));
  return a;
}

// Inference of both batch ops: the block arguments (an output of unknown
// dims while they are not constant), then `dim` maps each known block dim i
// of the input and `batch` the known batch, given the product of the block.
template <class DimFn, class BatchFn>
Status infer_batch_op(Graph& g, Op& op, const char* pads_name, DimFn dim, BatchFn batch) {
  RETURN_IF_ERROR(expect_inputs(op, 3, 3));
  const Tensor& x = input(g, op, 0);
  if (x.unknown_rank) return unsupported("not supported yet: " + op_name(op.code) + " of a tensor with unknown rank");
  if (!input(g, op, 1).is_const() || !input(g, op, 2).is_const()) {
    set_output(g, op, 0, x.dtype, Shape(x.rank(), -1));
    return ok_status();
  }
  ASSIGN_OR_RETURN(BlockArgs a, read_block_args(g, op, x.rank(), pads_name));
  Shape out = x.shape;
  int64_t prod = 1;
  for (size_t i = 0; i < a.block.size(); ++i) {
    prod *= a.block[i];
    if (out[1 + i] >= 0) RETURN_IF_ERROR(dim(a, i, out[1 + i]));
  }
  if (out[0] >= 0) RETURN_IF_ERROR(batch(prod, out[0]));
  set_output(g, op, 0, x.dtype, out);
  return ok_status();
}

Status infer_space_to_batch(Graph& g, Op& op) {
  auto dim = [](const BlockArgs& a, size_t i, int64_t& d) {
    d += a.pads[2 * i] + a.pads[2 * i + 1];
    if (d % a.block[i] != 0)
      return invalid_input("SPACE_TO_BATCH_ND: padded dim " + std::to_string(1 + i) + " (" + std::to_string(d) +
                           ") is not a multiple of block " + std::to_string(a.block[i]));
    d /= a.block[i];
    return ok_status();
  };
  auto batch = [](int64_t prod, int64_t& n) {
    n *= prod;
    return ok_status();
  };
  return infer_batch_op(g, op, "paddings", dim, batch);
}

Status eval_space_to_batch(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 0);
  Tensor& out = output(g, op, 0);
  ASSIGN_OR_RETURN(int elem, eval_elem_size(x.dtype));
  ASSIGN_OR_RETURN(BlockArgs a, read_block_args(g, op, x.rank(), "paddings"));
  int r = x.rank(), m = static_cast<int>(a.block.size());
  std::vector<int64_t> before(r, 0), after(r, 0);
  Shape padded = x.shape;
  for (int i = 0; i < m; ++i) {
    before[1 + i] = a.pads[2 * i];
    after[1 + i] = a.pads[2 * i + 1];
    padded[1 + i] += before[1 + i] + after[1 + i];
  }
  std::string p = zero_pad_bytes(x.data->data(), elem, x.shape, before, after);
  std::vector<int64_t> pst = strides_of(padded);
  // View [b1..bM, N, P1/b1..PM/bM, rest...] of the padded input.
  Shape view;
  std::vector<int64_t> st;
  for (int i = 0; i < m; ++i) view.push_back(a.block[i]), st.push_back(pst[1 + i]);
  view.push_back(x.shape[0]), st.push_back(pst[0]);
  for (int i = 0; i < m; ++i) view.push_back(padded[1 + i] / a.block[i]), st.push_back(a.block[i] * pst[1 + i]);
  for (int d = m + 1; d < r; ++d) view.push_back(x.shape[d]), st.push_back(pst[d]);
  out.data = make_buffer(view_bytes(p.data(), elem, view, st));
  return ok_status();
}

Status infer_batch_to_space(Graph& g, Op& op) {
  auto dim = [&](const BlockArgs& a, size_t i, int64_t& d) {
    d = d * a.block[i] - a.pads[2 * i] - a.pads[2 * i + 1];
    if (d < 0)
      return invalid_input("BATCH_TO_SPACE_ND crops exceed dim " + std::to_string(1 + i) + " of " +
                           shape_str(input(g, op, 0).shape));
    return ok_status();
  };
  auto batch = [](int64_t prod, int64_t& n) {
    if (n % prod != 0)
      return invalid_input("BATCH_TO_SPACE_ND: batch " + std::to_string(n) + " is not a multiple of " +
                           std::to_string(prod));
    n /= prod;
    return ok_status();
  };
  return infer_batch_op(g, op, "crops", dim, batch);
}

Status eval_batch_to_space(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 0);
  Tensor& out = output(g, op, 0);
  ASSIGN_OR_RETURN(int elem, eval_elem_size(x.dtype));
  ASSIGN_OR_RETURN(BlockArgs a, read_block_args(g, op, x.rank(), "crops"));
  int r = x.rank(), m = static_cast<int>(a.block.size());
  std::vector<int64_t> ist = strides_of(x.shape);
  int64_t prod = 1;
  for (int64_t b : a.block) prod *= b;
  int64_t batch = x.shape[0] / prod;
  // Uncropped view [N, S1, b1, ..., SM, bM, rest...]; input batch index is
  // (j1*b2*...*bM + ... + jM) * N + n.
  Shape view = {batch};
  std::vector<int64_t> st = {ist[0]};
  Shape full = {batch};
  int64_t later = 1;
  std::vector<int64_t> block_stride(m);
  for (int i = m - 1; i >= 0; --i) {
    block_stride[i] = later * batch * ist[0];
    later *= a.block[i];
  }
  for (int i = 0; i < m; ++i) {
    view.push_back(x.shape[1 + i]), st.push_back(ist[1 + i]);
    view.push_back(a.block[i]), st.push_back(block_stride[i]);
    full.push_back(x.shape[1 + i] * a.block[i]);
  }
  for (int d = m + 1; d < r; ++d) {
    view.push_back(x.shape[d]), st.push_back(ist[d]);
    full.push_back(x.shape[d]);
  }
  std::string uncropped = view_bytes(x.data->data(), elem, view, st);
  std::vector<int64_t> fst = strides_of(full);
  int64_t base = 0;
  for (int i = 0; i < m; ++i) base += a.pads[2 * i] * fst[1 + i];
  out.data = make_buffer(view_bytes(uncropped.data(), elem, out.shape, fst, base));
  return ok_status();
}

// op_version.cc (both): int16 -> 4, rank != 4 -> 3, int8 -> 2.
int version_batch_space(const Graph& g, const Op& op) {
  const Tensor& x = input(g, op, 0);
  if (x.dtype == DType::kInt16) return 4;
  if (x.rank() != 4) return 3;
  if (x.dtype == DType::kInt8) return 2;
  return 1;
}

// Official converter: neither batch op has options.
TFLC_REGISTER_OP(space_to_batch_nd, {.code = OpCode::SPACE_TO_BATCH_ND,
                                     .infer = infer_space_to_batch,
                                     .eval = eval_space_to_batch,
                                     .types_unchecked = kNoKernelFacts,
                                     .version = version_batch_space,
                                     .runtime_versions = {"1.6.0", "1.14.0", "2.3.0", "2.12.0"},
                                     .quant = {.output = QuantSpec::Output::kSameAsInput}});

TFLC_REGISTER_OP(batch_to_space_nd, {.code = OpCode::BATCH_TO_SPACE_ND,
                                     .infer = infer_batch_to_space,
                                     .eval = eval_batch_to_space,
                                     .types_unchecked = kNoKernelFacts,
                                     .version = version_batch_space,
                                     .runtime_versions = {"1.6.0", "1.14.0", "2.3.0", "2.12.0"},
                                     .quant = {.output = QuantSpec::Output::kSameAsInput}});

}  // namespace
}  // namespace tflc
