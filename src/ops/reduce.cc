// Reductions over constant axes: MEAN, SUM, REDUCE_MAX, REDUCE_MIN,
// REDUCE_PROD, REDUCE_ANY, REDUCE_ALL (input, int32 axes; keep_dims) and ARG_MAX / ARG_MIN (input,
// scalar axis; int32 or int64 output).
#include <algorithm>
#include <limits>
#include <type_traits>

#include "ops/kernels.h"

namespace tflc {
namespace {

using ReducerOptions = tflite::ReducerOptionsT;

// Marks the reduced dimensions; TFLite accepts negative and repeated axes.
Expected<std::vector<bool>> reduced_dims(const std::vector<int64_t>& axes, int rank) {
  std::vector<bool> reduced(rank, false);
  for (int64_t a : axes) {
    if (rank == 0 && (a == 0 || a == -1)) continue;  // reducing a scalar is the identity
    ASSIGN_OR_RETURN(int d, normalize_axis(a, rank));
    reduced[d] = true;
  }
  return reduced;
}

Status infer_reduce(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  const Tensor& x = input(g, op, 0);
  const Tensor& axis = input(g, op, 1);
  if (x.unknown_rank) return unsupported("not supported yet: reducing a tensor of unknown rank");
  if (axis.dtype != DType::kInt32 && axis.dtype != DType::kInt64)
    return invalid_input("reduction axes must be int32, got " + dtype_name(axis.dtype));
  const int rank = x.rank();
  const bool keep_dims = opts<ReducerOptions>(op).keep_dims;
  Shape out;
  if (axis.is_const()) {
    ASSIGN_OR_RETURN(std::vector<int64_t> axes, const_ints(g, op.inputs[1]));
    ASSIGN_OR_RETURN(std::vector<bool> reduced, reduced_dims(axes, rank));
    for (int d = 0; d < rank; ++d) {
      if (!reduced[d]) out.push_back(x.shape[d]);
      else if (keep_dims) out.push_back(1);
    }
  } else if (keep_dims) {
    out.assign(rank, -1);
  } else if (!axis.unknown_rank && axis.rank() <= 1 && num_elements(axis.shape) >= 0) {
    // Which dimensions go is unknown; assume distinct axes for the rank.
    out.assign(std::max<int64_t>(0, rank - num_elements(axis.shape)), -1);
  } else {
    Tensor& o = output(g, op, 0);
    o.dtype = x.dtype;
    o.shape.clear();
    o.unknown_rank = true;
    return ok_status();
  }
  set_output(g, op, 0, x.dtype, std::move(out));
  return ok_status();
}

// Calls f(in_index, out_index) for every input element in row-major order.
template <typename F>
void for_each_reduced(const Shape& in, const std::vector<bool>& reduced, F&& f) {
  const int rank = static_cast<int>(in.size());
  // Strides of the output as indexed by input dimensions (0 on reduced ones).
  std::vector<int64_t> ostride(rank, 0);
  int64_t s = 1;
  for (int d = rank - 1; d >= 0; --d)
    if (!reduced[d]) {
      ostride[d] = s;
      s *= in[d];
    }
  const int64_t n = num_elements(in);
  std::vector<int64_t> idx(rank, 0);
  int64_t o = 0;
  for (int64_t i = 0; i < n; ++i) {
    f(i, o);
    for (int d = rank - 1; d >= 0; --d) {
      ++idx[d];
      o += ostride[d];
      if (idx[d] < in[d]) break;
      o -= ostride[d] * idx[d];
      idx[d] = 0;
    }
  }
}

enum class Reducer { kMean, kSum, kMax, kMin, kProd };

template <Reducer R>
Status eval_reduce(Graph& g, Op& op) {
  const Tensor& xt = input(g, op, 0);
  Tensor& ot = output(g, op, 0);
  if (xt.dtype != DType::kFloat32 && xt.dtype != DType::kInt32 && xt.dtype != DType::kInt64)
    return unsupported("not supported yet: evaluating " + op_name(op.code) + " on " + dtype_name(xt.dtype));
  ASSIGN_OR_RETURN(std::vector<int64_t> axes, const_ints(g, op.inputs[1]));
  ASSIGN_OR_RETURN(std::vector<bool> reduced, reduced_dims(axes, xt.rank()));
  const int64_t out_n = num_elements(ot.shape);
  const int64_t in_n = xt.num_elements();
  const int64_t count = out_n > 0 ? in_n / out_n : 0;
  return dispatch_numeric(xt.dtype, [&](auto tag) {
    using T = decltype(tag);
    // Integer means accumulate wider and truncate, like TFLite and TF.
    using Acc = std::conditional_t<std::is_floating_point_v<T>, T, int64_t>;
    const T* x = xt.as<T>();
    Acc init{};
    if constexpr (R == Reducer::kMax) init = static_cast<Acc>(std::numeric_limits<T>::lowest());
    if constexpr (R == Reducer::kMin) init = static_cast<Acc>(std::numeric_limits<T>::max());
    if constexpr (R == Reducer::kProd) init = 1;
    std::vector<Acc> acc(static_cast<size_t>(out_n), init);
    for_each_reduced(xt.shape, reduced, [&](int64_t i, int64_t o) {
      Acc v = static_cast<Acc>(x[i]);
      if constexpr (R == Reducer::kMax) acc[o] = std::max(acc[o], v);
      else if constexpr (R == Reducer::kMin) acc[o] = std::min(acc[o], v);
      else if constexpr (R == Reducer::kProd) acc[o] = acc[o] * v;
      else acc[o] = acc[o] + v;
    });
    std::vector<T> r(static_cast<size_t>(out_n));
    for (int64_t o = 0; o < out_n; ++o) {
      if constexpr (R == Reducer::kMean) r[o] = static_cast<T>(count > 0 ? acc[o] / static_cast<Acc>(count) : acc[o]);
      else r[o] = static_cast<T>(acc[o]);
    }
    ot.data = make_buffer(to_bytes(r));
  });
}

// op_version.cc: MEAN, REDUCE_MAX, REDUCE_MIN: int16 -> 3, int8 -> 2.
const std::vector<std::pair<DType, int>> kMeanMaxMinVersions = {{DType::kInt16, 3}, {DType::kInt8, 2}};

TFLC_REGISTER_OP(mean, {.code = OpCode::MEAN,
                        .infer = infer_reduce,
                        .eval = eval_reduce<Reducer::kMean>,
                        .options = ReducerOptions{},
                        .types_unchecked = kNoKernelFacts,
                        .version_by_type = kMeanMaxMinVersions,
                        .runtime_versions = {"1.6.0", "1.14.0", "2.4.0"},
                        .quant = {.output = QuantSpec::Output::kOwnRange, .int16 = true}});
TFLC_REGISTER_OP(sum, {.code = OpCode::SUM,
                       .infer = infer_reduce,
                       .eval = eval_reduce<Reducer::kSum>,
                       .options = ReducerOptions{},
                       .types_unchecked = kNoKernelFacts,
                       // op_version.cc: SUM: int8 -> 2.
                       .version_by_type = {{DType::kInt8, 2}},
                       .runtime_versions = {"1.10.0", "1.15.0"},
                       .quant = {.output = QuantSpec::Output::kOwnRange}});
TFLC_REGISTER_OP(reduce_max, {.code = OpCode::REDUCE_MAX,
                              .infer = infer_reduce,
                              .eval = eval_reduce<Reducer::kMax>,
                              .options = ReducerOptions{},
                              .types_unchecked = kNoKernelFacts,
                              .version_by_type = kMeanMaxMinVersions,
                              .runtime_versions = {"1.11.0", "1.14.0", "2.5.0"},
                              .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});
TFLC_REGISTER_OP(reduce_min, {.code = OpCode::REDUCE_MIN,
                              .infer = infer_reduce,
                              .eval = eval_reduce<Reducer::kMin>,
                              .options = ReducerOptions{},
                              .types_unchecked = kNoKernelFacts,
                              .version_by_type = kMeanMaxMinVersions,
                              .runtime_versions = {"1.11.0", "1.14.0", "2.5.0"},
                              .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});
TFLC_REGISTER_OP(reduce_prod, {.code = OpCode::REDUCE_PROD,
                               .infer = infer_reduce,
                               .eval = eval_reduce<Reducer::kProd>,
                               .options = ReducerOptions{},
                               .types_unchecked = kNoKernelFacts,
                               // op_version.cc: REDUCE_PROD: int8 or int16 -> 2.
                               .version_by_type = {{DType::kInt8, 2}, {DType::kInt16, 2}},
                               .runtime_versions = {"1.11.0", "2.6.0"}});

// ------------------------------------------------- REDUCE_ANY / REDUCE_ALL

// reduce.cc's logical reductions: bool only; op version 1 (op_version.cc
// has no rule); runtime_version.cc: REDUCE_ANY 1.11.0, REDUCE_ALL 2.6.0.
template <bool kAny>
Status eval_reduce_logical(Graph& g, Op& op) {
  const Tensor& xt = input(g, op, 0);
  Tensor& ot = output(g, op, 0);
  if (xt.dtype != DType::kBool) return invalid_input(op_name(op.code) + " takes bool tensors, not " + dtype_name(xt.dtype));
  ASSIGN_OR_RETURN(std::vector<int64_t> axes, const_ints(g, op.inputs[1]));
  ASSIGN_OR_RETURN(std::vector<bool> reduced, reduced_dims(axes, xt.rank()));
  std::vector<uint8_t> acc(static_cast<size_t>(num_elements(ot.shape)), kAny ? 0 : 1);
  const uint8_t* x = xt.as<uint8_t>();
  for_each_reduced(xt.shape, reduced, [&](int64_t i, int64_t o) {
    if (kAny) acc[o] = acc[o] || x[i];
    else acc[o] = acc[o] && x[i];
  });
  ot.data = make_buffer(to_bytes(acc));
  return ok_status();
}

TFLC_REGISTER_OP(reduce_any, {.code = OpCode::REDUCE_ANY,
                              .infer = infer_reduce,
                              .eval = eval_reduce_logical<true>,
                              .options = ReducerOptions{},
                              .types = {{DType::kBool}},
                              .runtime_versions = {"1.11.0"}});
TFLC_REGISTER_OP(reduce_all, {.code = OpCode::REDUCE_ALL,
                              .infer = infer_reduce,
                              .eval = eval_reduce_logical<false>,
                              .options = ReducerOptions{},
                              .types = {{DType::kBool}},
                              .runtime_versions = {"2.6.0"}});

// ------------------------------------------------------- ARG_MAX / ARG_MIN

// The output type from the op's ArgMaxOptions or ArgMinOptions (TensorType
// values equal DType values).
DType arg_output_type(const Op& op) {
  return static_cast<DType>(op.code == OpCode::ARG_MAX ? opts<tflite::ArgMaxOptionsT>(op).output_type
                                                       : opts<tflite::ArgMinOptionsT>(op).output_type);
}

Status infer_arg(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  const Tensor& x = input(g, op, 0);
  const Tensor& axis = input(g, op, 1);
  if (x.unknown_rank) return unsupported("not supported yet: " + op_name(op.code) + " on a tensor of unknown rank");
  if (x.rank() < 1) return invalid_input(op_name(op.code) + " needs an input of rank >= 1");
  DType out = arg_output_type(op);
  if (out != DType::kInt32 && out != DType::kInt64)
    return invalid_input(op_name(op.code) + " output type must be int32 or int64, got " + dtype_name(out));
  if (axis.dtype != DType::kInt32 && axis.dtype != DType::kInt64)
    return invalid_input("axis must be int32 or int64, got " + dtype_name(axis.dtype));
  Shape shape;
  if (axis.is_const()) {
    ASSIGN_OR_RETURN(std::vector<int64_t> a, const_ints(g, op.inputs[1]));
    if (a.size() != 1) return invalid_input("axis must have one element");
    ASSIGN_OR_RETURN(int d, normalize_axis(a[0], x.rank()));
    shape = x.shape;
    shape.erase(shape.begin() + d);
  } else {
    shape.assign(x.rank() - 1, -1);
  }
  set_output(g, op, 0, out, std::move(shape));
  return ok_status();
}

template <bool kMax>
Status eval_arg(Graph& g, Op& op) {
  const Tensor& xt = input(g, op, 0);
  Tensor& ot = output(g, op, 0);
  ASSIGN_OR_RETURN(std::vector<int64_t> a, const_ints(g, op.inputs[1]));
  ASSIGN_OR_RETURN(int axis, normalize_axis(a.at(0), xt.rank()));
  int64_t outer = 1, inner = 1, len = xt.shape[axis];
  for (int d = 0; d < axis; ++d) outer *= xt.shape[d];
  for (int d = axis + 1; d < xt.rank(); ++d) inner *= xt.shape[d];
  if (len == 0) return invalid_input(op_name(op.code) + " over an empty axis");
  std::vector<int64_t> idx(static_cast<size_t>(outer * inner));
  RETURN_IF_ERROR(dispatch_numeric(xt.dtype, [&](auto tag) {
    using T = decltype(tag);
    const T* x = xt.as<T>();
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i) {
        const T* p = x + o * len * inner + i;
        T best = p[0];
        int64_t best_i = 0;
        // Strict comparison keeps the first extreme, as TFLite does.
        for (int64_t k = 1; k < len; ++k) {
          T v = p[k * inner];
          if (kMax ? v > best : v < best) {
            best = v;
            best_i = k;
          }
        }
        idx[o * inner + i] = best_i;
      }
  }));
  if (ot.dtype == DType::kInt32) {
    std::vector<int32_t> r(idx.begin(), idx.end());
    ot.data = make_buffer(to_bytes(r));
  } else {
    ot.data = make_buffer(to_bytes(idx));
  }
  return ok_status();
}

// An op emitted without options keeps the old default output type (none),
// which inference rejects: the TF lowering always sets it.
constexpr auto kNoOutputType = static_cast<tflite::TensorType>(DType::kInvalid);

// op_version.cc: bool -> 3; int8 -> 2.
const std::vector<std::pair<DType, int>> kArgVersions = {{DType::kBool, 3}, {DType::kInt8, 2}};

TFLC_REGISTER_OP(arg_max, {.code = OpCode::ARG_MAX,
                           .infer = infer_arg,
                           .eval = eval_arg<true>,
                           .options = tflite::ArgMaxOptionsT{.output_type = kNoOutputType},
                           .types_unchecked = kNoKernelFacts,
                           .version_by_type = kArgVersions,
                           .runtime_versions = {"1.9.0", "1.14.0", "2.9.0"},
                           .quant = {.output = QuantSpec::Output::kSameAsInput}});
TFLC_REGISTER_OP(arg_min, {.code = OpCode::ARG_MIN,
                           .infer = infer_arg,
                           .eval = eval_arg<false>,
                           .options = tflite::ArgMinOptionsT{.output_type = kNoOutputType},
                           .types_unchecked = kNoKernelFacts,
                           .version_by_type = kArgVersions,
                           .runtime_versions = {"1.9.0", "1.14.0", "2.9.0"},
                           .quant = {.output = QuantSpec::Output::kSameAsInput}});

}  // namespace
}  // namespace tflc
