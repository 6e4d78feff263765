// PAD (zeros), PADV2 (a scalar constant) and MIRROR_PAD (REFLECT excludes the
// border element, SYMMETRIC repeats it). Paddings are an [rank, 2] tensor.
#include <cstring>

#include "ops/shape_ops_util.h"

namespace tflc {
namespace {

using MirrorOptions = tflite::MirrorPadOptionsT;

Expected<std::vector<int64_t>> read_paddings(const Graph& g, const Op& op, int rank) {
  const Tensor& p = input(g, op, 1);
  if (p.rank() != 2 || p.shape[0] != rank || p.shape[1] != 2)
    return invalid_input("paddings must have shape [" + std::to_string(rank) + ",2], got " + shape_str(p.shape));
  ASSIGN_OR_RETURN(std::vector<int64_t> v, const_ints(g, op.inputs[1]));
  for (int64_t x : v)
    if (x < 0) return invalid_input("paddings must be non-negative, got " + std::to_string(x));
  return v;
}

Status infer_pad_common(Graph& g, Op& op, bool mirror) {
  const Tensor& x = input(g, op, 0);
  if (x.unknown_rank) return unsupported("not supported yet: padding a tensor with unknown rank");
  int r = x.rank();
  if (!input(g, op, 1).is_const()) {
    set_output(g, op, 0, x.dtype, Shape(r, -1));
    return ok_status();
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> p, read_paddings(g, op, r));
  Shape out(r);
  for (int i = 0; i < r; ++i) {
    int64_t dim = x.shape[i];
    if (mirror && dim >= 0) {
      int64_t limit = opts<MirrorOptions>(op).mode == MirrorMode::REFLECT ? dim - 1 : dim;
      if (p[2 * i] > limit || p[2 * i + 1] > limit)
        return invalid_input("MIRROR_PAD paddings " + std::to_string(p[2 * i]) + "," + std::to_string(p[2 * i + 1]) +
                             " exceed " + std::to_string(limit) + " for dim " + std::to_string(i) + " of " +
                             shape_str(x.shape));
    }
    out[i] = dim < 0 ? -1 : dim + p[2 * i] + p[2 * i + 1];
  }
  set_output(g, op, 0, x.dtype, out);
  return ok_status();
}

Status infer_pad(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  return infer_pad_common(g, op, false);
}

Status infer_padv2(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 3, 3));
  const Tensor& c = input(g, op, 2);
  if (c.dtype != input(g, op, 0).dtype) return invalid_input("PADV2 constant type differs from the input type");
  if (!c.unknown_rank && num_elements(c.shape) != 1 && c.has_static_shape())
    return invalid_input("PADV2 constant must be a scalar, got " + shape_str(c.shape));
  return infer_pad_common(g, op, false);
}

Status infer_mirror_pad(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  return infer_pad_common(g, op, true);
}

struct PadWalk {
  const char* src;
  char* dst;
  int elem;
  const char* pad_value;
  std::vector<std::vector<int64_t>> map;  // per dim: input index or -1
  std::vector<int64_t> in_st;

  void run(size_t d, int64_t off, bool pad) {
    const std::vector<int64_t>& m = map[d];
    if (d + 1 == map.size()) {
      for (int64_t i : m) {
        std::memcpy(dst, pad || i < 0 ? pad_value : src + (off + i) * elem, elem);
        dst += elem;
      }
      return;
    }
    for (int64_t i : m) run(d + 1, i < 0 ? off : off + i * in_st[d], pad || i < 0);
  }
};

Status eval_pad_common(Graph& g, Op& op, bool mirror) {
  const Tensor& x = input(g, op, 0);
  Tensor& out = output(g, op, 0);
  ASSIGN_OR_RETURN(int elem, eval_elem_size(x.dtype));
  int r = x.rank();
  ASSIGN_OR_RETURN(std::vector<int64_t> p, read_paddings(g, op, r));
  std::string zero(elem, '\0');
  PadWalk w;
  w.src = x.data->data();
  w.elem = elem;
  w.pad_value = op.code == OpCode::PADV2 ? input(g, op, 2).data->data() : zero.data();
  w.in_st = strides_of(x.shape);
  for (int d = 0; d < r; ++d) {
    int64_t dim = x.shape[d], before = p[2 * d];
    std::vector<int64_t> m(out.shape[d]);
    for (int64_t o = 0; o < out.shape[d]; ++o) {
      int64_t i = o - before;
      if (mirror) {
        bool reflect = opts<MirrorOptions>(op).mode == MirrorMode::REFLECT;
        if (i < 0) i = reflect ? -i : -i - 1;
        else if (i >= dim) i = reflect ? 2 * (dim - 1) - i : 2 * dim - 1 - i;
      } else if (i >= dim) {
        i = -1;
      }
      m[o] = i;
    }
    w.map.push_back(std::move(m));
  }
  std::string bytes(static_cast<size_t>(num_elements(out.shape)) * elem, '\0');
  w.dst = bytes.data();
  if (r == 0) std::memcpy(w.dst, w.src, elem);
  else if (!bytes.empty()) w.run(0, 0, false);
  out.data = make_buffer(std::move(bytes));
  return ok_status();
}

// op_version.cc (PAD and PADV2): bool -> 5, rank > 4 -> 4, int16 -> 3, int8 -> 2.
int version_pad(const Graph& g, const Op& op) {
  const Tensor& x = input(g, op, 0);
  if (x.dtype == DType::kBool) return 5;
  if (x.rank() > 4) return 4;
  if (x.dtype == DType::kInt16) return 3;
  if (x.dtype == DType::kInt8) return 2;
  return 1;
}

TFLC_REGISTER_OP(pad, {.code = OpCode::PAD,
                       .infer = infer_pad,
                       .eval = [](Graph& g, Op& op) { return eval_pad_common(g, op, false); },
                       .options = tflite::PadOptionsT{},
                       .types_unchecked = kNoKernelFacts,
                       .version = version_pad,
                       .runtime_versions = {"1.5.0", "1.14.0", "2.4.0", "2.6.0"},
                       .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});

TFLC_REGISTER_OP(padv2, {.code = OpCode::PADV2,
                         .infer = infer_padv2,
                         .eval = [](Graph& g, Op& op) { return eval_pad_common(g, op, false); },
                         .options = tflite::PadV2OptionsT{},
                         .types_unchecked = kNoKernelFacts,
                         .version = version_pad,
                         .runtime_versions = {"1.9.0", "1.14.0", "2.4.0", "2.6.0"},
                         .quant = {.output = QuantSpec::Output::kSameAsOutput, .int16 = true}});

TFLC_REGISTER_OP(mirror_pad,
                 {.code = OpCode::MIRROR_PAD,
                  .infer = infer_mirror_pad,
                  .eval = [](Graph& g, Op& op) { return eval_pad_common(g, op, true); },
                  .options = MirrorOptions{},
                  .types_unchecked = kNoKernelFacts,
                  // op_version.cc: int16 -> 3, int8 -> 2.
                  .version_by_type = {{DType::kInt16, 3}, {DType::kInt8, 2}},
                  .runtime_versions = {"1.13.1", "2.3.0", "2.12.0"},
                  .quant = {.output = QuantSpec::Output::kSameAsInput}});

}  // namespace
}  // namespace tflc
