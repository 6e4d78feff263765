// RESHAPE, SQUEEZE, EXPAND_DIMS: the data is unchanged, so folding shares the
// input buffer and only shape inference has real work.
#include "ops/shape_ops_util.h"

namespace tflc {
namespace {

void set_unknown_rank(Graph& g, const Op& op, DType dtype) {
  Tensor& t = output(g, op, 0);
  t.dtype = dtype;
  t.shape.clear();
  t.unknown_rank = true;
}

Status eval_share(Graph& g, Op& op) {
  output(g, op, 0).data = input(g, op, 0).data;
  return ok_status();
}

// Resolves one -1 in `want` against the element count of `x` when known.
Expected<Shape> resolve_new_shape(const Tensor& x, Shape want) {
  int unknown = -1;
  int64_t known = 1;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i] == -1) {
      if (unknown >= 0) return invalid_input("the new shape " + shape_str(want) + " has more than one -1");
      unknown = static_cast<int>(i);
    } else if (want[i] < 0) {
      return invalid_input("the new shape " + shape_str(want) + " has a negative dimension");
    } else {
      known *= want[i];
    }
  }
  if (!x.has_static_shape()) return want;
  int64_t n = x.num_elements();
  if (unknown >= 0) {
    if (known == 0 || n % known != 0)
      return invalid_input("cannot reshape " + shape_str(x.shape) + " (" + std::to_string(n) + " elements) to " +
                           shape_str(want));
    want[unknown] = n / known;
  } else if (known != n) {
    return invalid_input("cannot reshape " + shape_str(x.shape) + " (" + std::to_string(n) + " elements) to " +
                         shape_str(want));
  }
  return want;
}

Status infer_reshape(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 1, 2));
  const Tensor& x = input(g, op, 0);
  Shape want;
  if (has_input(op, 1) && input(g, op, 1).is_const()) {
    // An empty shape tensor means a scalar output.
    ASSIGN_OR_RETURN(want, const_ints(g, op.inputs[1]));
  } else if (has_input(op, 1)) {
    const Tensor& s = input(g, op, 1);
    if (s.unknown_rank || s.rank() != 1 || s.shape[0] < 0) {
      set_unknown_rank(g, op, x.dtype);
      return ok_status();
    }
    Shape out(s.shape[0], -1);
    if (out.size() == 1 && x.has_static_shape()) out[0] = x.num_elements();
    // Keras builds shapes as PACK(batch, 36) (maybe then CAST to int32): its
    // constant parts are known.
    TensorId shape_id = op.inputs[1];
    for (const auto& p : g.ops)
      if (!p->dead && p->code == OpCode::CAST && p->outputs.size() == 1 && p->outputs[0] == shape_id &&
          !p->inputs.empty())
        shape_id = p->inputs[0];
    for (const auto& p : g.ops) {
      if (p->dead || p->code != OpCode::PACK || p->outputs.size() != 1 || p->outputs[0] != shape_id) continue;
      if (p->inputs.size() != out.size()) break;
      for (size_t i = 0; i < out.size(); ++i) {
        const Tensor& v = g.t(p->inputs[i]);
        if (!v.is_const()) continue;
        auto vals = const_ints(g, p->inputs[i]);
        if (vals.ok() && vals->size() == 1 && (*vals)[0] >= 0) out[i] = (*vals)[0];
      }
      break;
    }
    set_output(g, op, 0, x.dtype, out);
    return ok_status();
  } else {
    // No shape input: TFLite's kernel reads ReshapeOptions.new_shape. (Our
    // record writes no options, so this only sees the schema default.)
    const std::vector<int32_t>& dims = opts<tflite::ReshapeOptionsT>(op).new_shape;
    want.assign(dims.begin(), dims.end());
  }
  ASSIGN_OR_RETURN(Shape out, resolve_new_shape(x, want));
  set_output(g, op, 0, x.dtype, out);
  return ok_status();
}

// Official converter: tfl.reshape has no options (the shape is input 1).
TFLC_REGISTER_OP(reshape, {.code = OpCode::RESHAPE,
                           .infer = infer_reshape,
                           .eval = eval_share,
                           .types_unchecked = kNoKernelFacts,
                           .runtime_versions = {"1.5.0"},
                           .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});

// Without squeeze_dims and with dynamic dims the output rank is unknown.
Status infer_squeeze(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 1, 1));
  const Tensor& x = input(g, op, 0);
  if (x.unknown_rank) {
    set_unknown_rank(g, op, x.dtype);
    return ok_status();
  }
  int r = x.rank();
  std::vector<bool> drop(r, false);
  const std::vector<int32_t>& squeeze_dims = opts<tflite::SqueezeOptionsT>(op).squeeze_dims;
  if (squeeze_dims.empty()) {
    for (int i = 0; i < r; ++i) {
      // Which dynamic dims are 1 is only known at run time.
      if (x.shape[i] < 0) {
        set_unknown_rank(g, op, x.dtype);
        return ok_status();
      }
      drop[i] = x.shape[i] == 1;
    }
  } else {
    for (int32_t d : squeeze_dims) {
      ASSIGN_OR_RETURN(int a, normalize_axis(d, r));
      if (x.shape[a] > 1 || x.shape[a] == 0)
        return invalid_input("cannot squeeze dim " + std::to_string(d) + " of shape " + shape_str(x.shape) +
                             ": its size is not 1");
      drop[a] = true;
    }
  }
  Shape out;
  for (int i = 0; i < r; ++i)
    if (!drop[i]) out.push_back(x.shape[i]);
  set_output(g, op, 0, x.dtype, out);
  return ok_status();
}

TFLC_REGISTER_OP(squeeze, {.code = OpCode::SQUEEZE,
                           .infer = infer_squeeze,
                           .eval = eval_share,
                           .options = tflite::SqueezeOptionsT{},
                           .types_unchecked = kNoKernelFacts,
                           // op_version.cc: string input -> 2.
                           .version_by_type = {{DType::kString, 2}},
                           .runtime_versions = {"1.6.0", "2.5.0"},
                           .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});

Status infer_expand_dims(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  const Tensor& x = input(g, op, 0);
  if (x.unknown_rank) {
    set_unknown_rank(g, op, x.dtype);
    return ok_status();
  }
  int r = x.rank();
  if (!input(g, op, 1).is_const()) {
    set_output(g, op, 0, x.dtype, Shape(r + 1, -1));
    return ok_status();
  }
  ASSIGN_OR_RETURN(int64_t axis, const_scalar_int(g, op.inputs[1], "the EXPAND_DIMS axis"));
  ASSIGN_OR_RETURN(int a, normalize_axis(axis, r + 1));
  Shape out = x.shape;
  out.insert(out.begin() + a, 1);
  set_output(g, op, 0, x.dtype, out);
  return ok_status();
}

TFLC_REGISTER_OP(expand_dims, {.code = OpCode::EXPAND_DIMS,
                               .infer = infer_expand_dims,
                               .eval = eval_share,
                               .options = tflite::ExpandDimsOptionsT{},
                               .types_unchecked = kNoKernelFacts,
                               .runtime_versions = {"1.10.0"},
                               .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});

}  // namespace
}  // namespace tflc
