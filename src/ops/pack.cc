// PACK stacks N same-shaped tensors along a new axis; UNPACK splits one axis
// into num tensors without it.
#include "ops/shape_ops_util.h"

namespace tflc {
namespace {

using PackOptions = tflite::PackOptionsT;
using UnpackOptions = tflite::UnpackOptionsT;

Status infer_pack(Graph& g, Op& op) {
  if (op.inputs.empty()) return invalid_input("PACK needs at least one input");
  const int values_count = opts<PackOptions>(op).values_count;
  if (values_count != static_cast<int>(op.inputs.size()))
    return invalid_input("PACK values_count " + std::to_string(values_count) + " differs from its " +
                         std::to_string(op.inputs.size()) + " inputs");
  const Tensor& x0 = input(g, op, 0);
  if (x0.unknown_rank) return unsupported("not supported yet: PACK of a tensor with unknown rank");
  Shape shape = x0.shape;
  for (size_t i = 1; i < op.inputs.size(); ++i) {
    const Tensor& x = input(g, op, static_cast<int>(i));
    if (x.unknown_rank) return unsupported("not supported yet: PACK of a tensor with unknown rank");
    if (x.dtype != x0.dtype) return invalid_input("PACK inputs have different types");
    if (x.rank() != x0.rank()) return invalid_input("PACK inputs have different ranks");
    if (!merge_known_dims(shape, x.shape))
      return invalid_input("PACK inputs have different shapes: " + shape_str(x0.shape) + " and " +
                           shape_str(x.shape));
  }
  ASSIGN_OR_RETURN(int axis, normalize_axis(opts<PackOptions>(op).axis, x0.rank() + 1));
  shape.insert(shape.begin() + axis, static_cast<int64_t>(op.inputs.size()));
  set_output(g, op, 0, x0.dtype, shape);
  return ok_status();
}

Status eval_pack(Graph& g, Op& op) {
  Tensor& out = output(g, op, 0);
  ASSIGN_OR_RETURN(int elem, eval_elem_size(out.dtype));
  ASSIGN_OR_RETURN(int axis, normalize_axis(opts<PackOptions>(op).axis, out.rank()));
  // Each input is one slice of the new axis.
  AxisRows rows = axis_rows(out.shape, axis, elem);
  std::vector<RowPart> parts;
  for (TensorId id : op.inputs) parts.push_back({g.t(id).data->data(), rows.inner});
  out.data = make_buffer(join_rows(rows.outer, static_cast<int64_t>(parts.size()) * rows.inner, parts));
  return ok_status();
}

TFLC_REGISTER_OP(pack, {.code = OpCode::PACK,
                        .infer = infer_pack,
                        .eval = eval_pack,
                        .options = PackOptions{},
                        .types_unchecked = kNoKernelFacts,
                        // op_version.cc: int8 -> 2, int16 -> 3, uint32 -> 4.
                        .version_by_type = {{DType::kInt8, 2}, {DType::kInt16, 3}, {DType::kUInt32, 4}},
                        .runtime_versions = {"1.11.0", "1.14.0", "2.3.0", "2.13.0"},
                        .quant = {.output = QuantSpec::Output::kSameAsOutput}});

Status infer_unpack(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 1, 1));
  const Tensor& x = input(g, op, 0);
  if (x.unknown_rank) return unsupported("not supported yet: UNPACK of a tensor with unknown rank");
  if (x.rank() == 0) return invalid_input("UNPACK needs an input of rank 1 or more");
  const UnpackOptions& o = opts<UnpackOptions>(op);
  ASSIGN_OR_RETURN(int axis, normalize_axis(o.axis, x.rank()));
  if (x.shape[axis] >= 0 && x.shape[axis] != o.num)
    return invalid_input("UNPACK num " + std::to_string(o.num) + " differs from dim " +
                         std::to_string(axis) + " of " + shape_str(x.shape));
  if (static_cast<int>(op.outputs.size()) != o.num)
    return invalid_input("UNPACK has " + std::to_string(op.outputs.size()) + " outputs for num " +
                         std::to_string(o.num));
  Shape s = x.shape;
  s.erase(s.begin() + axis);
  for (int i = 0; i < o.num; ++i) set_output(g, op, i, x.dtype, s);
  return ok_status();
}

Status eval_unpack(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 0);
  ASSIGN_OR_RETURN(int elem, eval_elem_size(x.dtype));
  ASSIGN_OR_RETURN(int axis, normalize_axis(opts<UnpackOptions>(op).axis, x.rank()));
  AxisRows rows = axis_rows(x.shape, axis, elem);
  const int64_t n = x.shape[axis];
  std::vector<std::string> parts =
      split_rows(x.data->data(), rows.outer, n * rows.inner, std::vector<int64_t>(n, rows.inner));
  for (int64_t i = 0; i < n; ++i) output(g, op, static_cast<int>(i)).data = make_buffer(std::move(parts[i]));
  return ok_status();
}

TFLC_REGISTER_OP(unpack, {.code = OpCode::UNPACK,
                          .infer = infer_unpack,
                          .eval = eval_unpack,
                          .options = UnpackOptions{},
                          .types_unchecked = kNoKernelFacts,
                          // op_version.cc: int8/uint8 -> 2, bool -> 3, int16 -> 4.
                          .version_by_type = {{DType::kInt8, 2}, {DType::kUInt8, 2}, {DType::kBool, 3},
                                              {DType::kInt16, 4}},
                          .runtime_versions = {"1.11.0", "1.14.0", "2.2.0", "2.3.0"},
                          .quant = {.output = QuantSpec::Output::kSameAsInput}});

}  // namespace
}  // namespace tflc
