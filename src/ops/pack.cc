// PACK stacks N same-shaped tensors along a new axis; UNPACK splits one axis
// into num tensors without it.
#include <cstring>

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
    for (int d = 0; d < x.rank(); ++d) {
      if (shape[d] < 0) shape[d] = x.shape[d];
      else if (x.shape[d] >= 0 && x.shape[d] != shape[d])
        return invalid_input("PACK inputs have different shapes: " + shape_str(x0.shape) + " and " +
                             shape_str(x.shape));
    }
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
  int64_t outer = 1, inner = elem;
  for (int d = 0; d < axis; ++d) outer *= out.shape[d];
  for (int d = axis + 1; d < out.rank(); ++d) inner *= out.shape[d];
  int64_t n = static_cast<int64_t>(op.inputs.size());
  std::string bytes(static_cast<size_t>(outer * n * inner), '\0');
  for (int64_t i = 0; i < n; ++i) {
    const char* src = input(g, op, static_cast<int>(i)).data->data();
    for (int64_t o = 0; o < outer; ++o) std::memcpy(bytes.data() + (o * n + i) * inner, src + o * inner, inner);
  }
  out.data = make_buffer(std::move(bytes));
  return ok_status();
}

// op_version.cc: int8 -> 2, int16 -> 3, uint32 -> 4.
int version_pack(const Graph& g, const Op& op) {
  switch (input(g, op, 0).dtype) {
    case DType::kInt8: return 2;
    case DType::kInt16: return 3;
    case DType::kUInt32: return 4;
    default: return 1;
  }
}

TFLC_REGISTER_OP(pack, {.code = OpCode::PACK,
                        .infer = infer_pack,
                        .eval = eval_pack,
                        .options = PackOptions{},
                        .version = version_pack,
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
  int64_t outer = 1, inner = elem, n = x.shape[axis];
  for (int d = 0; d < axis; ++d) outer *= x.shape[d];
  for (int d = axis + 1; d < x.rank(); ++d) inner *= x.shape[d];
  for (int64_t i = 0; i < n; ++i) {
    std::string bytes(static_cast<size_t>(outer * inner), '\0');
    for (int64_t o = 0; o < outer; ++o)
      std::memcpy(bytes.data() + o * inner, x.data->data() + (o * n + i) * inner, inner);
    output(g, op, static_cast<int>(i)).data = make_buffer(std::move(bytes));
  }
  return ok_status();
}

// op_version.cc: int8/uint8 -> 2, bool -> 3, int16 -> 4.
int version_unpack(const Graph& g, const Op& op) {
  switch (input(g, op, 0).dtype) {
    case DType::kInt8: case DType::kUInt8: return 2;
    case DType::kBool: return 3;
    case DType::kInt16: return 4;
    default: return 1;
  }
}

TFLC_REGISTER_OP(unpack, {.code = OpCode::UNPACK,
                          .infer = infer_unpack,
                          .eval = eval_unpack,
                          .options = UnpackOptions{},
                          .version = version_unpack,
                          .runtime_versions = {"1.11.0", "1.14.0", "2.2.0", "2.3.0"},
                          .quant = {.output = QuantSpec::Output::kSameAsInput}});

}  // namespace
}  // namespace tflc
