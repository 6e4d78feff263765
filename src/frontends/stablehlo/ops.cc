// StableHLO op records: one entry per op name, lowering it to classic
// TFLite builtins the way TF's StableHLO->TFLite legalization
// (tensorflow/compiler/mlir/lite/stablehlo/transforms/legalize_hlo*) does.
// A form a record does not handle is refused by name, never approximated.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "frontends/stablehlo/hlo_context.h"
#include "ops/erf.h"
#include "ops/op_util.h"

namespace tflc {
namespace {

using Outs = Expected<std::vector<TensorId>>;
using Ints = std::vector<int64_t>;

Outs one(Expected<TensorId> t) {
  if (!t.ok()) return t.status();
  return std::vector<TensorId>{*t};
}

std::vector<int32_t> i32(const Ints& v) { return {v.begin(), v.end()}; }

bool static_shape(const std::vector<int64_t>& s) {
  return std::all_of(s.begin(), s.end(), [](int64_t d) { return d >= 0; });
}

Status need_static(HloContext& ctx) {
  for (int k = 0; k < ctx.num_in(); ++k)
    if (ctx.in_t(k).unknown_rank || !static_shape(ctx.in_t(k).shape)) return ctx.refuse("dynamic shapes");
  for (int k = 0; k < ctx.num_results(); ++k)
    if (!ctx.op().result_types[k].ranked || !static_shape(ctx.result_shape(k))) return ctx.refuse("dynamic shapes");
  return ok_status();
}

// ---------------------------------------------------------------- elementwise

bool narrow_int(DType t) { return t == DType::kInt8 || t == DType::kUInt8 || t == DType::kInt16 || t == DType::kUInt16; }

// uint64, which no TFLite kernel takes, as the int64 of the same bits
// (BITCAST): add, subtract and multiply give the same bits, and unsigned
// order is signed order flipped where the two signs differ.
Expected<TensorId> bits64(HloContext& ctx, TensorId x) {
  if (ctx.graph().t(x).dtype != DType::kUInt64) return x;
  return ctx.bitcast(x, DType::kInt64);
}

Expected<TensorId> unsigned_less64(HloContext& ctx, TensorId a, TensorId b) {
  TensorId zero = ctx.scalar(DType::kInt64, 0, "zero");
  ASSIGN_OR_RETURN(TensorId lt, ctx.emit1(OpCode::LESS, {a, b}));
  ASSIGN_OR_RETURN(TensorId na, ctx.emit1(OpCode::LESS, {a, zero}));
  ASSIGN_OR_RETURN(TensorId nb, ctx.emit1(OpCode::LESS, {b, zero}));
  ASSIGN_OR_RETURN(TensorId differ, ctx.emit1(OpCode::NOT_EQUAL, {na, nb}));
  return ctx.emit1(OpCode::NOT_EQUAL, {lt, differ});
}

// `code` with unsigned 64-bit meaning on int64 bit views.
Expected<TensorId> bits64_op(HloContext& ctx, OpCode code, std::vector<TensorId> ins) {
  switch (code) {
    case OpCode::ADD: case OpCode::SUB: case OpCode::MUL: case OpCode::SELECT_V2:
      return ctx.emit1(code, ins);
    case OpCode::MAXIMUM: case OpCode::MINIMUM: {
      if (ins.size() != 2) break;
      ASSIGN_OR_RETURN(TensorId lt, unsigned_less64(ctx, ins[0], ins[1]));
      return code == OpCode::MAXIMUM ? ctx.emit1(OpCode::SELECT_V2, {lt, ins[1], ins[0]})
                                     : ctx.emit1(OpCode::SELECT_V2, {lt, ins[0], ins[1]});
    }
    default: break;
  }
  return ctx.refuse(op_name(code) + " on uint64 tensors");
}

// Integer arithmetic wraps in StableHLO; on a narrow type TFLite's kernels
// lack (or, for reductions, read as quantized), compute in int32 and CAST
// back, which wraps the same way. `force` widens without trying first.
// uint32 goes through int64 the same way (its values fit; the low 32 bits
// of the result are the same).
Expected<TensorId> modular(HloContext& ctx, OpCode code, std::vector<TensorId> ins, OpOptions o = {}, bool force = false) {
  const DType dt = ctx.graph().t(ins.back()).dtype;
  if (dt == DType::kUInt64) {
    for (TensorId& i : ins) {
      if (i < 0) continue;
      ASSIGN_OR_RETURN(i, bits64(ctx, i));
    }
    ASSIGN_OR_RETURN(TensorId r, bits64_op(ctx, code, ins));
    return ctx.bitcast(r, DType::kUInt64);
  }
  const bool widens = narrow_int(dt) || dt == DType::kUInt32;
  if (!force || !widens) {
    auto r = ctx.emit1(code, ins, o);
    if (r.ok() || !widens || r.status().kind() != ErrorKind::kUnsupported) return r;
  }
  const DType wide = dt == DType::kUInt32 ? DType::kInt64 : DType::kInt32;
  for (TensorId& i : ins) {
    if (i < 0 || ctx.graph().t(i).dtype != dt) continue;
    ASSIGN_OR_RETURN(i, ctx.cast(i, wide));
  }
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(code, ins, o));
  return ctx.cast(y, dt);
}

HloLowering unary(OpCode code, bool float_only = true) {
  return [code, float_only](HloContext& ctx) -> Outs {
    RETURN_IF_ERROR(ctx.expect_operands(1));
    if (float_only && !dtype_is_float(ctx.in_t(0).dtype))
      return ctx.refuse("on " + dtype_name(ctx.in_t(0).dtype) + " tensors");
    return one(modular(ctx, code, {ctx.in(0)}));
  };
}

// broadcast_in_dim makes operands full-size; TFLite's binary kernels
// broadcast themselves. So an operand that is a BROADCAST_TO emitted just
// before, or a constant repeated along some dims, is taken at its smaller
// shape (dead-op elimination then drops the BROADCAST_TO). A [C] bias then
// stays [C], which the bias fusion pass needs.
TensorId unbroadcast(HloContext& ctx, TensorId id) {
  Graph& g = ctx.graph();
  const Tensor& t = g.t(id);
  if (t.unknown_rank || !t.has_static_shape()) return id;
  if (t.is_const()) {
    const int r = t.rank();
    const int64_t es = dtype_size(t.dtype);
    if (r == 0 || es == 0 || t.num_elements() <= 1) return id;
    const Shape strides = strides_of(t.shape);
    Shape small = t.shape;
    const std::string& bytes = *t.data;
    for (int d = 0; d < r; ++d) {
      if (t.shape[d] == 1) continue;
      bool uniform = true;
      for (int64_t k = 0; uniform && k < t.num_elements(); ++k)
        if ((k / strides[d]) % t.shape[d] != 0)
          uniform = bytes.compare(k * es, es, bytes, (k - ((k / strides[d]) % t.shape[d]) * strides[d]) * es, es) == 0;
      if (uniform) small[d] = 1;
    }
    if (small == t.shape) return id;
    // Gather the kept elements, then drop leading 1s.
    const int64_t n = num_elements(small);
    const Shape sstrides = strides_of(small);
    std::string out(static_cast<size_t>(n * es), '\0');
    for (int64_t k = 0; k < n; ++k) {
      int64_t src = 0;
      for (int d = 0; d < r; ++d) src += ((k / sstrides[d]) % small[d]) * strides[d];
      out.replace(k * es, es, bytes, src * es, es);
    }
    while (!small.empty() && small.front() == 1) small.erase(small.begin());
    return ctx.constant(t.dtype, small, std::move(out), "unbroadcast");
  }
  int seen = 0;
  for (auto it = g.ops.rbegin(); it != g.ops.rend() && seen < 16; ++it, ++seen) {
    const Op& op = **it;
    if (op.dead || op.outputs.empty() || op.outputs[0] != id) continue;
    if (op.code == OpCode::BROADCAST_TO) return op.inputs[0];
    break;
  }
  return id;
}

HloLowering binary(OpCode code) {
  return [code](HloContext& ctx) -> Outs {
    RETURN_IF_ERROR(ctx.expect_operands(2));
    TensorId a = ctx.in(0), b = ctx.in(1);
    if (ctx.in_t(0).dtype == DType::kBool) {
      // On i1, add and maximum are logical or; multiply and minimum, and.
      if (code == OpCode::ADD || code == OpCode::MAXIMUM) return one(ctx.emit1(OpCode::LOGICAL_OR, {a, b}));
      if (code == OpCode::MUL || code == OpCode::MINIMUM) return one(ctx.emit1(OpCode::LOGICAL_AND, {a, b}));
      return ctx.refuse("on i1 tensors");
    }
    const Shape out = ctx.result_shape(0);
    // Only one side is narrowed, so the result keeps its shape.
    TensorId nb = unbroadcast(ctx, b);
    if (nb != b && ctx.graph().t(a).shape == out) b = nb;
    else {
      TensorId na = unbroadcast(ctx, a);
      if (na != a && ctx.graph().t(b).shape == out) a = na;
    }
    // max(x, 0) is RELU, which the fusion passes fold into the producer.
    if (code == OpCode::MAXIMUM && ctx.graph().t(a).dtype == DType::kFloat32) {
      for (int side = 0; side < 2; ++side) {
        TensorId c = side ? a : b, x = side ? b : a;
        const Tensor& ct = ctx.graph().t(c);
        if (ct.is_const() && ct.num_elements() == 1 && ct.as<float>()[0] == 0.0f && ctx.graph().t(x).shape == out)
          return one(ctx.emit1(OpCode::RELU, {x}));
      }
    }
    return one(modular(ctx, code, {a, b}));
  };
}

HloLowering float_binary(OpCode code) {
  return [code](HloContext& ctx) -> Outs {
    RETURN_IF_ERROR(ctx.expect_operands(2));
    if (!dtype_is_float(ctx.in_t(0).dtype)) return ctx.refuse("on " + dtype_name(ctx.in_t(0).dtype) + " tensors");
    return one(ctx.emit1(code, {ctx.in(0), ctx.in(1)}));
  };
}

// Integer division truncates in both; TFLite's kernel traps on a zero
// divisor (StableHLO gives -1), so only constant divisors without 0 pass.
Outs lower_divide(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(2));
  if (!dtype_is_float(ctx.in_t(0).dtype)) {
    auto d = const_doubles(ctx.graph(), ctx.in(1));
    if (!d.ok() || std::any_of(d->begin(), d->end(), [](double v) { return v == 0 || v == -1; }))
      return ctx.refuse("integer division by a divisor that is not a constant without 0 and -1");
  }
  return binary(OpCode::DIV)(ctx);
}

// and/or/xor/not: logical on i1; xor on 8-32 bit integers is BITWISE_XOR.
// TFLite has no bitwise AND/OR.
Outs lower_bitwise(HloContext& ctx, bool is_or);
Outs lower_bitwise_not(HloContext& ctx);

HloLowering logical(OpCode bool_code, const char* name) {
  return [bool_code, name](HloContext& ctx) -> Outs {
    const DType dt = ctx.in_t(0).dtype;
    if (bool_code == OpCode::NOT_EQUAL && dt != DType::kBool && dt != DType::kInt64 && dt != DType::kUInt64) {
      RETURN_IF_ERROR(ctx.expect_operands(2));
      return one(ctx.emit1(OpCode::BITWISE_XOR, {ctx.in(0), ctx.in(1)}));
    }
    if (dt != DType::kBool) {
      if (bool_code == OpCode::LOGICAL_AND || bool_code == OpCode::LOGICAL_OR)
        return lower_bitwise(ctx, bool_code == OpCode::LOGICAL_OR);
      if (bool_code == OpCode::LOGICAL_NOT) return lower_bitwise_not(ctx);
      return ctx.refuse(std::string("bitwise ") + name + " on " + dtype_name(dt) + " (TFLite has no such builtin)");
    }
    if (bool_code == OpCode::LOGICAL_NOT) {
      RETURN_IF_ERROR(ctx.expect_operands(1));
      return one(ctx.emit1(bool_code, {ctx.in(0)}));
    }
    RETURN_IF_ERROR(ctx.expect_operands(2));
    return one(ctx.emit1(bool_code, {ctx.in(0), ctx.in(1)}));
  };
}

// remainder: the sign follows the dividend (C's fmod); FLOOR_MOD's follows
// the divisor, so r - y where the two disagree.
Outs lower_remainder(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(2));
  DType dt = ctx.in_t(0).dtype;
  if (dt != DType::kFloat32 && dt != DType::kInt32 && dt != DType::kInt64) return ctx.refuse("on " + dtype_name(dt) + " tensors");
  if (!dtype_is_float(dt)) {
    auto d = const_doubles(ctx.graph(), ctx.in(1));
    if (!d.ok() || std::any_of(d->begin(), d->end(), [](double v) { return v == 0; }))
      return ctx.refuse("integer remainder by a divisor that is not a constant without 0");
  }
  TensorId x = ctx.in(0), y = ctx.in(1);
  ASSIGN_OR_RETURN(TensorId r, ctx.emit1(OpCode::FLOOR_MOD, {x, y}));
  TensorId zero = ctx.scalar(dt, 0, "zero");
  ASSIGN_OR_RETURN(TensorId r_neg, ctx.emit1(OpCode::LESS, {r, zero}));
  ASSIGN_OR_RETURN(TensorId x_neg, ctx.emit1(OpCode::LESS, {x, zero}));
  ASSIGN_OR_RETURN(TensorId r_nonzero, ctx.emit1(OpCode::NOT_EQUAL, {r, zero}));
  ASSIGN_OR_RETURN(TensorId differ, ctx.emit1(OpCode::NOT_EQUAL, {r_neg, x_neg}));
  ASSIGN_OR_RETURN(TensorId fix, ctx.emit1(OpCode::LOGICAL_AND, {r_nonzero, differ}));
  ASSIGN_OR_RETURN(TensorId shifted, ctx.emit1(OpCode::SUB, {r, y}));
  return one(ctx.emit1(OpCode::SELECT_V2, {fix, shifted, r}));
}

Outs lower_clamp(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(3));
  ASSIGN_OR_RETURN(TensorId lo, modular(ctx, OpCode::MAXIMUM, {ctx.in(1), ctx.in(0)}));
  return one(modular(ctx, OpCode::MINIMUM, {lo, ctx.in(2)}));
}

Outs lower_select(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(3));
  return one(modular(ctx, OpCode::SELECT_V2, {ctx.in(0), ctx.in(1), ctx.in(2)}));
}

// The last identifier of a #stablehlo<name X> attribute, or a bare keyword.
std::string enum_attr(const HloContext& ctx, const std::string& key, int keyword) {
  if (const mlir::Attr* a = ctx.op().attr(key)) {
    if (!a->items.empty()) return a->items.back().s;
    return a->s;
  }
  std::vector<std::string> kw = ctx.op().keywords();
  return keyword < static_cast<int>(kw.size()) ? kw[keyword] : "";
}

Outs lower_compare(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(2));
  const std::string dir = enum_attr(ctx, "comparison_direction", 0);
  const std::string type = enum_attr(ctx, "compare_type", 1);
  if (type == "TOTALORDER") return ctx.refuse("comparisons in TOTALORDER");
  static const std::map<std::string, OpCode> kDir = {{"EQ", OpCode::EQUAL},         {"NE", OpCode::NOT_EQUAL},
                                                     {"LT", OpCode::LESS},          {"LE", OpCode::LESS_EQUAL},
                                                     {"GT", OpCode::GREATER},       {"GE", OpCode::GREATER_EQUAL}};
  auto it = kDir.find(dir);
  if (it == kDir.end()) return ctx.bad("has no comparison direction (EQ, NE, LT, LE, GT, GE)");
  TensorId a = ctx.in(0), b = ctx.in(1);
  if (ctx.in_t(0).dtype == DType::kUInt64) {
    ASSIGN_OR_RETURN(a, bits64(ctx, a));
    ASSIGN_OR_RETURN(b, bits64(ctx, b));
    const OpCode c = it->second;
    if (c == OpCode::EQUAL || c == OpCode::NOT_EQUAL) return one(ctx.emit1(c, {a, b}));
    const bool swap = c == OpCode::GREATER || c == OpCode::LESS_EQUAL;
    ASSIGN_OR_RETURN(TensorId lt, unsigned_less64(ctx, swap ? b : a, swap ? a : b));
    if (c == OpCode::LESS || c == OpCode::GREATER) return std::vector<TensorId>{lt};
    return one(ctx.emit1(OpCode::LOGICAL_NOT, {lt}));  // LE: !(b < a), GE: !(a < b)
  }
  if (ctx.in_t(0).dtype == DType::kBool && it->second != OpCode::EQUAL && it->second != OpCode::NOT_EQUAL) {
    // false < true: compare as int32.
    ASSIGN_OR_RETURN(a, ctx.cast(a, DType::kInt32));
    ASSIGN_OR_RETURN(b, ctx.cast(b, DType::kInt32));
  }
  return one(ctx.emit1(it->second, {a, b}));
}

Outs lower_convert(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(1));
  DType to = ctx.result_dtype(0);
  const Tensor& x = ctx.in_t(0);
  if (x.dtype == to) return std::vector<TensorId>{ctx.in(0)};
  TensorId in = ctx.in(0);
  if (x.dtype == DType::kUInt64) {
    // Integer targets keep the low bits of the same bits read as int64.
    if (dtype_is_float(to)) return ctx.refuse("a convert from uint64 to " + dtype_name(to));
    ASSIGN_OR_RETURN(in, bits64(ctx, in));
    if (to == DType::kInt64) return std::vector<TensorId>{in};
  }
  if (to == DType::kBool) {
    // Nonzero is true (CAST agrees, but says so here).
    const DType t = ctx.graph().t(in).dtype;
    return one(ctx.emit1(OpCode::NOT_EQUAL, {in, ctx.scalar(t, 0, "zero")}));
  }
  if (to == DType::kUInt64) {
    // Integers extend to int64 (sign or zero, as the modular conversion does).
    if (dtype_is_float(x.dtype)) return ctx.refuse("a convert from " + dtype_name(x.dtype) + " to uint64");
    ASSIGN_OR_RETURN(in, ctx.cast(in, DType::kInt64));
    return one(ctx.bitcast(in, DType::kUInt64));
  }
  return one(ctx.cast(in, to));
}

// ---------------------------------------------------------------- structure

Outs lower_constant(HloContext& ctx) {
  const mlir::Attr* v = ctx.op().attr("value");
  if (!v || ctx.num_results() != 1) return ctx.bad("has no value");
  const mlir::Type& t = ctx.op().result_types[0];
  ASSIGN_OR_RETURN(std::string bytes, dense_bytes(*v, t, ctx.source()));
  return std::vector<TensorId>{ctx.constant(hlo_dtype(t.element), t.dims, std::move(bytes), "value")};
}

Outs lower_iota(HloContext& ctx) {
  RETURN_IF_ERROR(need_static(ctx));
  int64_t dim = ctx.op().attr("dim") ? *ctx.int_attr("dim") : -1;
  if (dim < 0 && ctx.op().attr("iota_dimension")) {
    ASSIGN_OR_RETURN(dim, ctx.int_attr("iota_dimension"));
  }
  const Ints& shape = ctx.result_shape(0);
  if (dim < 0 || dim >= static_cast<int64_t>(shape.size())) return ctx.bad("has no valid iota dimension");
  const DType dt = ctx.result_dtype(0);
  const int64_t n = num_elements(shape);
  if (n * dtype_size(dt) > ctx.fold_budget() * 16) return ctx.refuse("an iota larger than the constant budget");
  const Ints strides = strides_of(shape);
  std::vector<double> v(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) v[k] = static_cast<double>((k / strides[dim]) % shape[dim]);
  std::string bytes;
  Status s = dispatch_numeric(dt, [&](auto tag) {
    using T = decltype(tag);
    std::vector<T> w(v.begin(), v.end());
    bytes = to_bytes(w);
  });
  if (!s.ok()) return ctx.refuse("an iota of " + dtype_name(dt));
  return std::vector<TensorId>{ctx.constant(dt, shape, std::move(bytes), "iota")};
}

Outs lower_broadcast_in_dim(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(1));
  RETURN_IF_ERROR(need_static(ctx));
  Ints dims = ctx.op().attr("dims") ? *ctx.ints("dims") : ctx.ints_or("broadcast_dimensions", {});
  const Tensor& x = ctx.in_t(0);
  const Ints& out = ctx.result_shape(0);
  if (static_cast<int>(dims.size()) != x.rank()) return ctx.bad("needs one broadcast dimension per operand dimension");
  Ints order(dims.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return dims[a] < dims[b]; });
  Ints xshape = x.shape;
  ASSIGN_OR_RETURN(TensorId y, ctx.transpose(ctx.in(0), order));
  Ints shape1(out.size(), 1);
  for (size_t k = 0; k < order.size(); ++k) {
    int64_t d = dims[order[k]];
    if (d < 0 || d >= static_cast<int64_t>(out.size())) return ctx.bad("has a broadcast dimension out of range");
    shape1[d] = xshape[order[k]];
    if (shape1[d] != 1 && shape1[d] != out[d]) return ctx.bad("broadcasts a dimension that is neither 1 nor the result's");
  }
  ASSIGN_OR_RETURN(y, ctx.reshape(y, shape1));
  if (shape1 == out) return std::vector<TensorId>{y};
  const DType dt = ctx.graph().t(y).dtype;
  ASSIGN_OR_RETURN(y, bits64(ctx, y));
  ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::BROADCAST_TO, {y, ctx.const_i32(i32(out), "shape")}));
  return one(ctx.bitcast(y, dt));
}

Outs lower_reshape(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(1));
  RETURN_IF_ERROR(need_static(ctx));
  return one(ctx.reshape(ctx.in(0), ctx.result_shape(0)));
}

Outs lower_transpose(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(1));
  Ints perm = ctx.op().attr("dims") ? *ctx.ints("dims") : ctx.ints_or("permutation", {});
  if (static_cast<int>(perm.size()) != ctx.in_t(0).rank()) return ctx.bad("needs a permutation of every dimension");
  return one(ctx.transpose(ctx.in(0), perm));
}

Outs lower_slice(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(1));
  RETURN_IF_ERROR(need_static(ctx));
  Ints start, limit, stride;
  if (const mlir::Attr* r = ctx.op().attr("slice_ranges")) {
    for (const auto& range : r->items) {
      start.push_back(range.items[0].i);
      limit.push_back(range.items[1].i);
      stride.push_back(range.items.size() > 2 ? range.items[2].i : 1);
    }
  } else {
    ASSIGN_OR_RETURN(start, ctx.ints("start_indices"));
    ASSIGN_OR_RETURN(limit, ctx.ints("limit_indices"));
    stride = ctx.ints_or("strides", Ints(start.size(), 1));
  }
  const Tensor& x = ctx.in_t(0);
  if (static_cast<int>(start.size()) != x.rank() || limit.size() != start.size() || stride.size() != start.size())
    return ctx.bad("needs a start, limit and stride per dimension");
  for (int d = 0; d < x.rank(); ++d)
    if (start[d] < 0 || limit[d] < start[d] || limit[d] > x.shape[d] || stride[d] < 1) return ctx.bad("has a slice range out of bounds");
  if (std::all_of(stride.begin(), stride.end(), [](int64_t s) { return s == 1; })) {
    Ints size(start.size());
    for (size_t d = 0; d < start.size(); ++d) size[d] = limit[d] - start[d];
    return one(ctx.emit1(OpCode::SLICE, {ctx.in(0), ctx.const_i32(i32(start), "begin"), ctx.const_i32(i32(size), "size")}));
  }
  tflite::StridedSliceOptionsT o;
  return one(ctx.emit1(OpCode::STRIDED_SLICE, {ctx.in(0), ctx.const_i32(i32(start), "begin"), ctx.const_i32(i32(limit), "end"),
                                               ctx.const_i32(i32(stride), "strides")},
                       o));
}

Outs lower_concatenate(HloContext& ctx) {
  int64_t dim = ctx.op().attr("dim") ? *ctx.int_attr("dim") : -1;
  if (dim < 0) {
    ASSIGN_OR_RETURN(dim, ctx.int_attr("dimension"));
  }
  if (ctx.num_in() == 1) return std::vector<TensorId>{ctx.in(0)};
  tflite::ConcatenationOptionsT o;
  o.axis = static_cast<int32_t>(dim);
  return one(ctx.emit1(OpCode::CONCATENATION, ctx.ins(), o));
}

// StableHLO's pad of x (static shape) with `value`: interior padding, then
// the edges (a negative edge cuts).
Expected<TensorId> pad_with(HloContext& ctx, TensorId x_id, TensorId value, const Ints& low, const Ints& high,
                            const Ints& interior) {
  const Shape xshape = ctx.graph().t(x_id).shape;
  const int r = static_cast<int>(xshape.size());
  if (static_cast<int>(low.size()) != r || static_cast<int>(high.size()) != r) return ctx.bad("needs low and high padding per dimension");
  if (static_cast<int>(interior.size()) != r && !interior.empty()) return ctx.bad("needs interior padding per dimension");
  TensorId y = x_id;
  Shape cur = xshape;
  // Interior padding of dim d by i: [.., n, ..] -> [.., n, 1, ..] padded to
  // [.., n, 1 + i, ..] with the pad value, flattened to n * (1 + i) and the
  // last i cut: n + (n - 1) i, the elements i apart.
  for (int d = 0; d < static_cast<int>(interior.size()); ++d) {
    const int64_t i = interior[d];
    if (i < 0) return ctx.bad("has negative interior padding");
    if (i == 0 || cur[d] == 0) continue;
    Shape split = cur;
    split.insert(split.begin() + d + 1, 1);
    ASSIGN_OR_RETURN(y, ctx.reshape(y, split));
    std::vector<int32_t> p(2 * split.size(), 0);
    p[2 * (d + 1) + 1] = static_cast<int32_t>(i);
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::PADV2, {y, ctx.constant(DType::kInt32, {static_cast<int64_t>(split.size()), 2}, to_bytes(p), "interior"), value}));
    Shape flat = cur;
    flat[d] = cur[d] * (1 + i);
    ASSIGN_OR_RETURN(y, ctx.reshape(y, flat));
    Shape size = cur;
    size[d] = cur[d] + (cur[d] - 1) * i;
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::SLICE, {y, ctx.const_i32(std::vector<int32_t>(r, 0), "begin"), ctx.const_i32(i32(size), "size")}));
    cur = size;
  }
  std::vector<int32_t> pads;
  bool any_pad = false, any_cut = false;
  for (int d = 0; d < r; ++d) {
    pads.push_back(static_cast<int32_t>(std::max<int64_t>(0, low[d])));
    pads.push_back(static_cast<int32_t>(std::max<int64_t>(0, high[d])));
    any_pad = any_pad || low[d] > 0 || high[d] > 0;
    any_cut = any_cut || low[d] < 0 || high[d] < 0;
  }
  Shape padded = cur;
  if (any_pad) {
    TensorId p = ctx.constant(DType::kInt32, {r, 2}, to_bytes(pads), "paddings");
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::PADV2, {y, p, value}));
    for (int d = 0; d < r; ++d) padded[d] += pads[2 * d] + pads[2 * d + 1];
  }
  if (any_cut) {
    Ints begin(r), size(r);
    for (int d = 0; d < r; ++d) {
      begin[d] = std::max<int64_t>(0, -low[d]);
      size[d] = padded[d] - begin[d] - std::max<int64_t>(0, -high[d]);
      if (size[d] < 0) return ctx.bad("cuts more than the operand holds");
    }
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::SLICE, {y, ctx.const_i32(i32(begin), "begin"), ctx.const_i32(i32(size), "size")}));
  }
  return y;
}

Outs lower_pad(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(2));
  RETURN_IF_ERROR(need_static(ctx));
  Ints low = ctx.op().attr("low") ? *ctx.ints("low") : ctx.ints_or("edge_padding_low", {});
  Ints high = ctx.op().attr("high") ? *ctx.ints("high") : ctx.ints_or("edge_padding_high", {});
  Ints interior = ctx.op().attr("interior") ? *ctx.ints("interior") : ctx.ints_or("interior_padding", {});
  return one(pad_with(ctx, ctx.in(0), ctx.in(1), low, high, interior));
}

Outs lower_reverse(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(1));
  Ints dims = ctx.op().attr("dims") ? *ctx.ints("dims") : ctx.ints_or("dimensions", {});
  TensorId y = ctx.in(0);
  // One axis per op: REVERSE_V2 takes several only from version 3.
  for (int64_t d : dims) {
    if (ctx.in_t(0).rank() > 0 && ctx.in_t(0).shape[d] == 1) continue;
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::REVERSE_V2, {y, ctx.const_i32({static_cast<int32_t>(d)}, "axis")}));
  }
  return std::vector<TensorId>{y};
}

Outs lower_identity(HloContext& ctx) { return ctx.ins(); }

// reduce_precision to at least the type's own bits changes nothing.
Outs lower_reduce_precision(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(1));
  int64_t e = -1, m = -1;
  if (const mlir::Attr* f = ctx.op().attr("format"); f && f->kind == mlir::Attr::kIdent) {
    if (std::sscanf(f->s.c_str(), "e%ldm%ld", &e, &m) != 2) e = m = -1;
  } else {
    auto ee = ctx.int_attr("exponent_bits");
    auto mm = ctx.int_attr("mantissa_bits");
    if (ee.ok() && mm.ok()) e = *ee, m = *mm;
  }
  DType dt = ctx.in_t(0).dtype;
  if (dt == DType::kFloat32 && e >= 8 && m >= 23) return std::vector<TensorId>{ctx.in(0)};
  return ctx.refuse("reduce_precision that rounds (" + std::to_string(e) + " exponent, " + std::to_string(m) + " mantissa bits)");
}

// ---------------------------------------------------------------- dynamic slices

// Start indices clamped so the window fits, as StableHLO defines, as one
// int32 vector.
Expected<TensorId> clamped_starts(HloContext& ctx, int first, const Ints& sizes) {
  const Tensor& x = ctx.in_t(0);
  std::vector<TensorId> parts;
  for (int d = 0; d < x.rank(); ++d) {
    ASSIGN_OR_RETURN(TensorId i, ctx.cast(ctx.in(first + d), DType::kInt32));
    ASSIGN_OR_RETURN(i, ctx.reshape(i, {1}));
    parts.push_back(i);
  }
  TensorId v;
  if (parts.size() == 1) {
    v = parts[0];
  } else {
    tflite::ConcatenationOptionsT o;
    ASSIGN_OR_RETURN(v, ctx.emit1(OpCode::CONCATENATION, parts, o));
  }
  std::vector<int32_t> hi;
  for (int d = 0; d < x.rank(); ++d) hi.push_back(static_cast<int32_t>(x.shape[d] - sizes[d]));
  ASSIGN_OR_RETURN(v, ctx.emit1(OpCode::MINIMUM, {v, ctx.const_i32(hi, "max_start")}));
  return ctx.emit1(OpCode::MAXIMUM, {v, ctx.const_i32_scalar(0, "zero")});
}

Outs lower_dynamic_slice(HloContext& ctx) {
  RETURN_IF_ERROR(need_static(ctx));
  const int r = ctx.in_t(0).rank();
  RETURN_IF_ERROR(ctx.expect_operands(1 + r));
  Ints sizes = ctx.op().attr("sizes") ? *ctx.ints("sizes") : ctx.ints_or("slice_sizes", {});
  if (static_cast<int>(sizes.size()) != r) return ctx.bad("needs a size per dimension");
  ASSIGN_OR_RETURN(TensorId begin, clamped_starts(ctx, 1, sizes));
  return one(ctx.emit1(OpCode::SLICE, {ctx.in(0), begin, ctx.const_i32(i32(sizes), "size")}));
}

Outs lower_dynamic_update_slice(HloContext& ctx) {
  RETURN_IF_ERROR(need_static(ctx));
  const int r = ctx.in_t(0).rank();
  RETURN_IF_ERROR(ctx.expect_operands(2 + r));
  if (!find_op(OpCode::DYNAMIC_UPDATE_SLICE)) return ctx.refuse("DYNAMIC_UPDATE_SLICE has no record yet");
  ASSIGN_OR_RETURN(TensorId begin, clamped_starts(ctx, 2, ctx.in_t(1).shape));
  // The kernel builds take float32, bool and 8/32/64-bit integers (LiteRT.js
  // refuses uint32): others as int32/int64 values or uint64 bits, and back.
  const DType dt = ctx.in_t(0).dtype;
  TensorId x = ctx.in(0), u = ctx.in(1);
  DType ct = dt;
  if (dt == DType::kUInt8 || dt == DType::kInt16 || dt == DType::kUInt16) ct = DType::kInt32;
  if (dt == DType::kUInt32) ct = DType::kInt64;
  if (dt == DType::kUInt64) {
    ASSIGN_OR_RETURN(x, bits64(ctx, x));
    ASSIGN_OR_RETURN(u, bits64(ctx, u));
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::DYNAMIC_UPDATE_SLICE, {x, u, begin}));
    return one(ctx.bitcast(y, dt));
  }
  if (ct != dt && !dtype_is_float(dt)) {
    ASSIGN_OR_RETURN(x, ctx.cast(x, ct));
    ASSIGN_OR_RETURN(u, ctx.cast(u, ct));
  }
  if (dt != DType::kFloat32 && dtype_is_float(dt)) return ctx.refuse("on " + dtype_name(dt) + " tensors");
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::DYNAMIC_UPDATE_SLICE, {x, u, begin}));
  return one(ctx.cast(y, dt));
}

// ---------------------------------------------------------------- dot_general

struct DotDims {
  Ints lb, rb, lc, rc;
};

Expected<DotDims> dot_dims(HloContext& ctx) {
  DotDims d;
  auto pair = [&](const char* key, Ints& l, Ints& r) -> Status {
    const mlir::Attr* a = ctx.op().attr(key);
    if (!a) return ok_status();
    if (a->s != "group" || a->items.size() != 2) return ctx.bad(std::string("'") + key + "' must be [..] x [..]");
    auto get = [&](const mlir::Attr& list, Ints& out) {
      for (const auto& i : list.items) out.push_back(i.i);
    };
    get(a->items[0], l);
    get(a->items[1], r);
    return ok_status();
  };
  if (const mlir::Attr* dn = ctx.op().attr("dot_dimension_numbers")) {
    auto get = [&](const char* key, Ints& out) {
      if (const mlir::Attr* a = dn->get(key))
        for (const auto& i : a->items) out.push_back(i.i);
    };
    get("lhs_batching_dimensions", d.lb);
    get("rhs_batching_dimensions", d.rb);
    get("lhs_contracting_dimensions", d.lc);
    get("rhs_contracting_dimensions", d.rc);
  } else {
    RETURN_IF_ERROR(pair("batching_dims", d.lb, d.rb));
    RETURN_IF_ERROR(pair("contracting_dims", d.lc, d.rc));
  }
  if (d.lb.size() != d.rb.size() || d.lc.size() != d.rc.size()) return ctx.bad("has unpaired batching or contracting dimensions");
  return d;
}

Ints free_dims(int rank, const Ints& a, const Ints& b) {
  Ints out;
  for (int k = 0; k < rank; ++k)
    if (std::find(a.begin(), a.end(), k) == a.end() && std::find(b.begin(), b.end(), k) == b.end()) out.push_back(k);
  return out;
}

int64_t prod(const Shape& s, const Ints& dims) {
  int64_t p = 1;
  for (int64_t d : dims) p *= s[d];
  return p;
}

Ints concat(std::initializer_list<Ints> parts) {
  Ints out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// dot_general -> FULLY_CONNECTED (no batch dims, constant weights) or BATCH_MATMUL, with
// TRANSPOSE/RESHAPE to [M, K] x [K, N] (folded when constant).
Outs lower_dot_general(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(2));
  RETURN_IF_ERROR(need_static(ctx));
  ASSIGN_OR_RETURN(DotDims d, dot_dims(ctx));
  const Tensor& l = ctx.in_t(0);
  const Tensor& r = ctx.in_t(1);
  const DType dt = l.dtype;
  if (r.dtype != dt || ctx.result_dtype(0) != dt)
    return ctx.refuse("a dot_general of " + dtype_name(dt) + " and " + dtype_name(r.dtype) + " giving " +
                      dtype_name(ctx.result_dtype(0)));
  const bool integer = dtype_is_integer(dt) && dt != DType::kBool;
  if (dt != DType::kFloat32 && !integer) return ctx.refuse("on " + dtype_name(dt) + " tensors");
  const Shape ls = l.shape, rs = r.shape;
  const Ints lf = free_dims(l.rank(), d.lb, d.lc), rf = free_dims(r.rank(), d.rb, d.rc);
  const int64_t B = prod(ls, d.lb), M = prod(ls, lf), K = prod(ls, d.lc), N = prod(rs, rf);
  if (K != prod(rs, d.rc) || B != prod(rs, d.rb)) return ctx.bad("contracts or batches dimensions of different sizes");
  Shape out;
  for (int64_t k : d.lb) out.push_back(ls[k]);
  for (int64_t k : lf) out.push_back(ls[k]);
  for (int64_t k : rf) out.push_back(rs[k]);
  ASSIGN_OR_RETURN(TensorId x, ctx.transpose(ctx.in(0), concat({d.lb, lf, d.lc})));
  if (integer) {
    // No integer matmul kernel: [B, M, K, 1] * [B, 1, K, N] summed over K,
    // exact (products and sums wrap as StableHLO's do).
    if (B * M * K * N > (int64_t{1} << 22)) return ctx.refuse("an integer dot_general of more than 2^22 products");
    ASSIGN_OR_RETURN(x, ctx.reshape(x, {B, M, K, 1}));
    ASSIGN_OR_RETURN(TensorId y, ctx.transpose(ctx.in(1), concat({d.rb, d.rc, rf})));
    ASSIGN_OR_RETURN(y, ctx.reshape(y, {B, 1, K, N}));
    // uint32 and uint64 in int64 (values, or the same bits), the rest as
    // int32 or themselves.
    const DType wide = narrow_int(dt) ? DType::kInt32 : dt == DType::kUInt32 ? DType::kInt64 : dt;
    if (dt == DType::kUInt64) {
      ASSIGN_OR_RETURN(x, bits64(ctx, x));
      ASSIGN_OR_RETURN(y, bits64(ctx, y));
    } else {
      ASSIGN_OR_RETURN(x, ctx.cast(x, wide));
      ASSIGN_OR_RETURN(y, ctx.cast(y, wide));
    }
    ASSIGN_OR_RETURN(TensorId p, ctx.emit1(OpCode::MUL, {x, y}));
    tflite::ReducerOptionsT ro;
    ro.keep_dims = false;
    ASSIGN_OR_RETURN(TensorId z, ctx.emit1(OpCode::SUM, {p, ctx.const_i32({2}, "axis")}, ro));
    if (dt == DType::kUInt64) {
      ASSIGN_OR_RETURN(z, ctx.bitcast(z, dt));
    } else {
      ASSIGN_OR_RETURN(z, ctx.cast(z, dt));
    }
    return one(ctx.reshape(z, out));
  }
  // FULLY_CONNECTED when the weights are constant (their [N, K] transpose
  // folds); otherwise BATCH_MATMUL, which reads [K, N] as it is, as TF's
  // legalization does.
  if (d.lb.empty() && ctx.in_t(1).is_const()) {
    ASSIGN_OR_RETURN(x, ctx.reshape(x, {M, K}));
    ASSIGN_OR_RETURN(TensorId w, ctx.transpose(ctx.in(1), concat({rf, d.rc})));
    ASSIGN_OR_RETURN(w, ctx.reshape(w, {N, K}));
    tflite::FullyConnectedOptionsT o;
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::FULLY_CONNECTED, {x, w, kNoTensor}, o));
    return one(ctx.reshape(y, out));
  }
  const bool batched = !d.lb.empty();
  ASSIGN_OR_RETURN(x, ctx.reshape(x, batched ? Shape{B, M, K} : Shape{M, K}));
  ASSIGN_OR_RETURN(TensorId y, ctx.transpose(ctx.in(1), concat({d.rb, d.rc, rf})));
  ASSIGN_OR_RETURN(y, ctx.reshape(y, batched ? Shape{B, K, N} : Shape{K, N}));
  tflite::BatchMatMulOptionsT o;
  ASSIGN_OR_RETURN(TensorId z, ctx.emit1(OpCode::BATCH_MATMUL, {x, y}, o));
  return one(ctx.reshape(z, out));
}

// ---------------------------------------------------------------- reduce

// The single binary op of a reduction body (applies X, or a region whose
// one op combines its two arguments and is returned).
std::string reducer_op(const mlir::Op& op, int region = 0) {
  if (const mlir::Attr* a = op.attr("applies")) return a->s;
  if (region >= static_cast<int>(op.regions.size())) return "";
  const mlir::Block& b = op.regions[region];
  if (b.ops.size() != 2 || b.args.size() != 2) return "";
  const mlir::Op& f = b.ops[0];
  const mlir::Op& ret = b.ops[1];
  if (f.operands.size() != 2 || f.results.size() != 1 || ret.operands.size() != 1 || ret.operands[0] != f.results[0]) return "";
  const std::string a0 = b.args[0].first, a1 = b.args[1].first;
  if (!((f.operands[0] == a0 && f.operands[1] == a1) || (f.operands[0] == a1 && f.operands[1] == a0))) return "";
  return f.name;
}

struct Reducer {
  OpCode reduce;    // SUM, REDUCE_PROD, ...
  OpCode combine;   // ADD, MUL, ... (for a non-identity init)
  double identity;  // the init value that changes nothing (inf for max/min)
};

std::optional<Reducer> reducer_for(const std::string& name, DType dt) {
  const double inf = std::numeric_limits<double>::infinity();
  if (dt == DType::kBool) {
    // On i1: add and maximum are or; multiply and minimum, and.
    if (name == "stablehlo.or" || name == "stablehlo.add" || name == "stablehlo.maximum")
      return Reducer{OpCode::REDUCE_ANY, OpCode::LOGICAL_OR, 0};
    if (name == "stablehlo.and" || name == "stablehlo.multiply" || name == "stablehlo.minimum")
      return Reducer{OpCode::REDUCE_ALL, OpCode::LOGICAL_AND, 1};
    return std::nullopt;
  }
  if (name == "stablehlo.add") return Reducer{OpCode::SUM, OpCode::ADD, 0};
  if (name == "stablehlo.multiply") return Reducer{OpCode::REDUCE_PROD, OpCode::MUL, 1};
  if (name == "stablehlo.maximum") return Reducer{OpCode::REDUCE_MAX, OpCode::MAXIMUM, -inf};
  if (name == "stablehlo.minimum") return Reducer{OpCode::REDUCE_MIN, OpCode::MINIMUM, inf};
  return std::nullopt;
}

// Whether constant `init` is the reducer's identity (the lowest/highest
// value of an integer type counts as -inf/inf).
bool is_identity(const Graph& g, TensorId init, const Reducer& r) {
  const Tensor& t = g.t(init);
  if (!t.is_const()) return false;
  auto v = const_doubles(g, init);
  if (!v.ok() || v->size() != 1) return false;
  double x = (*v)[0];
  if (std::isinf(r.identity) && !dtype_is_float(t.dtype)) {
    bool lowest = false, highest = false;
    Status s = dispatch_numeric(t.dtype, [&](auto tag) {
      using T = decltype(tag);
      lowest = x == static_cast<double>(std::numeric_limits<T>::lowest());
      highest = x == static_cast<double>(std::numeric_limits<T>::max());
    });
    if (!s.ok()) return false;
    return r.identity < 0 ? lowest : highest;
  }
  return x == r.identity;
}

// The comparison direction of a compare op inside a region.
std::string compare_direction(const mlir::Op& op) {
  if (const mlir::Attr* a = op.attr("comparison_direction")) return a->items.empty() ? a->s : a->items.back().s;
  std::vector<std::string> kw = op.keywords();
  return kw.empty() ? "" : kw[0];
}

// Whether a two-value reduce body is the argmax/argmin form JAX emits,
// over (value a, index a, value b, index b):
//   pick = a GT|LT b  [or  a NE a]       (NaN wins)
//   take = pick or (a EQ b and ia LT ib) (ties: the smaller index)
//   return select(pick, a, b), select(take, ia, ib)
// Sets *is_max by the direction.
bool arg_reducer(const mlir::Op& reduce, bool* is_max) {
  if (reduce.regions.size() != 1) return false;
  const mlir::Block& b = reduce.regions[0];
  if (b.args.size() != 4) return false;
  const std::string va = b.args[0].first, ia = b.args[1].first, vb = b.args[2].first, ib = b.args[3].first;
  std::map<std::string, const mlir::Op*> def;
  const mlir::Op* ret = nullptr;
  for (const auto& op : b.ops) {
    if (op.results.size() == 1) def[op.results[0]] = &op;
    if (op.name == "stablehlo.return") ret = &op;
  }
  if (!ret || ret->operands.size() != 2 || b.ops.size() > 11) return false;
  auto get = [&](const std::string& v, const char* name) -> const mlir::Op* {
    auto it = def.find(v);
    return it != def.end() && it->second->name == name && it->second->operands.size() >= 2 ? it->second : nullptr;
  };
  auto is_cmp = [&](const std::string& v, const std::string& dir, const std::string& x, const std::string& y) {
    const mlir::Op* c = get(v, "stablehlo.compare");
    return c && compare_direction(*c) == dir && c->operands[0] == x && c->operands[1] == y;
  };
  // Either operand order of a commutative and/or.
  auto pair_of = [&](const mlir::Op* op, auto&& first, auto&& second) {
    return op && ((first(op->operands[0]) && second(op->operands[1])) || (first(op->operands[1]) && second(op->operands[0])));
  };
  const mlir::Op* sel_v = get(ret->operands[0], "stablehlo.select");
  const mlir::Op* sel_i = get(ret->operands[1], "stablehlo.select");
  if (!sel_v || !sel_i || sel_v->operands.size() != 3 || sel_i->operands.size() != 3) return false;
  if (sel_v->operands[1] != va || sel_v->operands[2] != vb || sel_i->operands[1] != ia || sel_i->operands[2] != ib) return false;
  const std::string pick = sel_v->operands[0];
  std::string dir;
  auto strict = [&](const std::string& v) {
    for (const char* d : {"GT", "LT"})
      if (is_cmp(v, d, va, vb)) {
        dir = d;
        return true;
      }
    return false;
  };
  auto nan_check = [&](const std::string& v) { return is_cmp(v, "NE", va, va); };
  const bool pick_ok = strict(pick) || pair_of(get(pick, "stablehlo.or"), strict, nan_check);
  if (!pick_ok) return false;
  auto is_pick = [&](const std::string& v) { return v == pick; };
  auto tie = [&](const std::string& v) {
    return pair_of(get(v, "stablehlo.and"), [&](const std::string& e) { return is_cmp(e, "EQ", va, vb); },
                   [&](const std::string& l) { return is_cmp(l, "LT", ia, ib); });
  };
  if (!pair_of(get(sel_i->operands[0], "stablehlo.or"), is_pick, tie)) return false;
  *is_max = dir == "GT";
  return true;
}

// argmax/argmin (see arg_reducer) -> ARG_MAX/ARG_MIN, as TF's legalization
// does, when the indices are an iota along the one reduced dimension and
// the inits are the lowest (highest) value and 0. ARG_MAX keeps the first
// extreme as the body does; a NaN, which the body lets win, is found
// separately (the first NaN's index). The value result is REDUCE_MAX/MIN,
// NaN where a NaN is.
Outs lower_arg_reduce(HloContext& ctx, const Ints& dims) {
  bool is_max = false;
  if (!arg_reducer(ctx.op(), &is_max)) return ctx.refuse("a reduction of two values whose body is not the argmax/argmin form");
  RETURN_IF_ERROR(need_static(ctx));
  if (dims.size() != 1) return ctx.refuse("an argmax/argmin over " + std::to_string(dims.size()) + " dimensions");
  const Tensor& x = ctx.in_t(0);
  const Graph& g = ctx.graph();
  const int64_t axis = dims[0];
  if (axis < 0 || axis >= x.rank() || x.shape[axis] == 0) return ctx.bad("reduces a dimension that is out of range or empty");
  const DType dt = x.dtype, it = ctx.in_t(1).dtype;
  if (it != DType::kInt32 && it != DType::kInt64) return ctx.refuse("an argmax/argmin with " + dtype_name(it) + " indices");
  // The indices: a constant iota along the axis.
  auto idx = const_doubles(g, ctx.in(1));
  if (!idx.ok() || ctx.in_t(1).shape != x.shape) return ctx.refuse("an argmax/argmin whose indices are not an iota");
  const Shape strides = strides_of(x.shape);
  for (size_t k = 0; k < idx->size(); ++k)
    if ((*idx)[k] != static_cast<double>((static_cast<int64_t>(k) / strides[axis]) % x.shape[axis]))
      return ctx.refuse("an argmax/argmin whose indices are not an iota along the reduced dimension");
  auto i0 = const_doubles(g, ctx.in(3));
  if (!i0.ok() || i0->size() != 1 || (*i0)[0] != 0) return ctx.refuse("an argmax/argmin whose index init is not 0");
  const Reducer red = is_max ? Reducer{OpCode::REDUCE_MAX, OpCode::MAXIMUM, -std::numeric_limits<double>::infinity()}
                             : Reducer{OpCode::REDUCE_MIN, OpCode::MINIMUM, std::numeric_limits<double>::infinity()};
  bool init_ok;
  if (dt == DType::kBool) {
    auto v0 = const_doubles(g, ctx.in(2));
    init_ok = v0.ok() && v0->size() == 1 && (*v0)[0] == (is_max ? 0 : 1);
  } else if (dt == DType::kUInt32) {
    // Read raw: the folding helpers have no uint32.
    const Tensor& t = ctx.in_t(2);
    uint32_t v0 = 1;
    if (t.is_const() && t.num_elements() == 1) std::memcpy(&v0, t.data->data(), 4);
    init_ok = v0 == (is_max ? 0u : 0xffffffffu);
  } else {
    init_ok = is_identity(g, ctx.in(2), red);
  }
  if (!init_ok) return ctx.refuse("an argmax/argmin whose value init is not the lowest (highest) value");
  // ARG_MAX's kernels: float32, int8, uint8, int32. Others in an int32 of
  // the same order (uint32 with its top bit flipped).
  TensorId v = ctx.in(0);
  if (dt == DType::kBool || dt == DType::kInt16 || dt == DType::kUInt16) {
    ASSIGN_OR_RETURN(v, ctx.cast(v, DType::kInt32));
  } else if (dt == DType::kUInt32) {
    TensorId top = ctx.constant(DType::kUInt32, {}, to_bytes(std::vector<uint32_t>{0x80000000u}), "top_bit");
    ASSIGN_OR_RETURN(v, ctx.emit1(OpCode::BITWISE_XOR, {v, top}));
    ASSIGN_OR_RETURN(v, ctx.cast(v, DType::kInt32));
  } else if (dt != DType::kFloat32 && dt != DType::kInt8 && dt != DType::kUInt8 && dt != DType::kInt32) {
    return ctx.refuse("an argmax/argmin on " + dtype_name(dt) + " tensors (ARG_MAX's kernels are float32, int8, uint8, int32)");
  }
  TensorId ax = ctx.const_i32({static_cast<int32_t>(axis)}, "axis");
  const OpCode arg = is_max ? OpCode::ARG_MAX : OpCode::ARG_MIN;
  auto arg_of = [&](TensorId t) -> Expected<TensorId> {
    if (is_max) {
      tflite::ArgMaxOptionsT o;
      o.output_type = static_cast<tflite::TensorType>(it);
      return ctx.emit1(arg, {t, ax}, o);
    }
    tflite::ArgMinOptionsT o;
    o.output_type = static_cast<tflite::TensorType>(it);
    return ctx.emit1(arg, {t, ax}, o);
  };
  ASSIGN_OR_RETURN(TensorId index, arg_of(v));
  tflite::ReducerOptionsT ro;
  ro.keep_dims = false;
  TensorId value;
  if (dt == DType::kBool) {
    ASSIGN_OR_RETURN(value, ctx.emit1(is_max ? OpCode::REDUCE_ANY : OpCode::REDUCE_ALL, {ctx.in(0), ax}, ro));
  } else {
    TensorId w = ctx.in(0);
    if (narrow_int(dt)) {
      ASSIGN_OR_RETURN(w, ctx.cast(w, DType::kInt32));
    }
    ASSIGN_OR_RETURN(value, ctx.emit1(red.reduce, {w, ax}, ro));
    ASSIGN_OR_RETURN(value, ctx.cast(value, dt));
  }
  if (dt == DType::kFloat32) {
    ASSIGN_OR_RETURN(TensorId nan, ctx.emit1(OpCode::NOT_EQUAL, {ctx.in(0), ctx.in(0)}));
    ASSIGN_OR_RETURN(TensorId any_nan, ctx.emit1(OpCode::REDUCE_ANY, {nan, ax}, ro));
    ASSIGN_OR_RETURN(TensorId nan_i, ctx.cast(nan, DType::kInt32));
    tflite::ArgMaxOptionsT o;
    o.output_type = static_cast<tflite::TensorType>(it);
    ASSIGN_OR_RETURN(TensorId first_nan, ctx.emit1(OpCode::ARG_MAX, {nan_i, ax}, o));
    ASSIGN_OR_RETURN(index, ctx.emit1(OpCode::SELECT_V2, {any_nan, first_nan, index}));
    TensorId qnan = ctx.scalar(DType::kFloat32, std::numeric_limits<double>::quiet_NaN(), "nan");
    ASSIGN_OR_RETURN(value, ctx.emit1(OpCode::SELECT_V2, {any_nan, qnan, value}));
  }
  return std::vector<TensorId>{value, index};
}

// One reduction of x with `init` by the body op `body`.
Expected<TensorId> reduce_one(HloContext& ctx, TensorId x, TensorId init, const std::string& body, const Ints& dims) {
  const DType dt = ctx.graph().t(x).dtype;
  auto r = reducer_for(body, dt);
  if (!r) return ctx.refuse("a reduction whose body is not one add/multiply/maximum/minimum/and/or" +
                            (body.empty() ? std::string() : " (it is " + body + ")"));
  TensorId y = x;
  if (!dims.empty()) {
    tflite::ReducerOptionsT o;
    o.keep_dims = false;
    std::vector<int32_t> axes = i32(dims);
    if (!find_op(r->reduce)) return ctx.refuse(op_name(r->reduce) + " has no record yet");
    // Narrow integer reductions read their operand as quantized: widen
    // (uint32, which no reduction kernel takes, to int64).
    if (narrow_int(dt)) {
      ASSIGN_OR_RETURN(y, ctx.cast(y, DType::kInt32));
    } else if (dt == DType::kUInt32) {
      ASSIGN_OR_RETURN(y, ctx.cast(y, DType::kInt64));
    }
    if (dt == DType::kUInt64) {
      // int64 bits; for max/min in the order-keeping form with the top bit
      // flipped (adding INT64_MIN wraps).
      ASSIGN_OR_RETURN(y, bits64(ctx, y));
      const bool order = r->reduce == OpCode::REDUCE_MAX || r->reduce == OpCode::REDUCE_MIN;
      TensorId flip = ctx.constant(DType::kInt64, {}, to_bytes(std::vector<int64_t>{std::numeric_limits<int64_t>::min()}), "top_bit");
      if (order) {
        ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::ADD, {y, flip}));
      }
      ASSIGN_OR_RETURN(y, ctx.emit1(r->reduce, {y, ctx.const_i32(axes, "axes")}, o));
      if (order) {
        ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::ADD, {y, flip}));
      }
      ASSIGN_OR_RETURN(y, ctx.bitcast(y, dt));
    } else {
      ASSIGN_OR_RETURN(y, ctx.emit1(r->reduce, {y, ctx.const_i32(axes, "axes")}, o));
      ASSIGN_OR_RETURN(y, ctx.cast(y, dt));
    }
  }
  if (!is_identity(ctx.graph(), init, *r) || dims.empty()) {
    ASSIGN_OR_RETURN(y, modular(ctx, r->combine, {y, init}));
  }
  return y;
}

// The body ops of a reduce of n values that reduces each value on its own:
// op k combines arguments k and n + k and is returned k-th. Empty if not.
std::vector<std::string> independent_reducers(const mlir::Op& op, int n) {
  if (op.regions.size() != 1) return {};
  const mlir::Block& b = op.regions[0];
  if (static_cast<int>(b.args.size()) != 2 * n || static_cast<int>(b.ops.size()) != n + 1) return {};
  const mlir::Op& ret = b.ops.back();
  if (ret.name != "stablehlo.return" || static_cast<int>(ret.operands.size()) != n) return {};
  std::vector<std::string> names;
  for (int k = 0; k < n; ++k) {
    const mlir::Op& f = b.ops[k];
    if (f.operands.size() != 2 || f.results.size() != 1 || ret.operands[k] != f.results[0]) return {};
    const std::string a = b.args[k].first, c = b.args[n + k].first;
    if (!((f.operands[0] == a && f.operands[1] == c) || (f.operands[0] == c && f.operands[1] == a))) return {};
    names.push_back(f.name);
  }
  return names;
}

Outs lower_reduce(HloContext& ctx) {
  if (ctx.num_in() % 2) return ctx.bad("needs as many inits as inputs");
  const int n = ctx.num_in() / 2;
  Ints dims = ctx.ints_or("dimensions", {});
  if (n == 1) return one(reduce_one(ctx, ctx.in(0), ctx.in(1), reducer_op(ctx.op()), dims));
  std::vector<std::string> bodies = independent_reducers(ctx.op(), n);
  if (bodies.empty()) {
    if (n == 2) return lower_arg_reduce(ctx, dims);
    return ctx.refuse("a reduction of " + std::to_string(n) + " values whose body combines them");
  }
  std::vector<TensorId> outs;
  for (int k = 0; k < n; ++k) {
    ASSIGN_OR_RETURN(TensorId y, reduce_one(ctx, ctx.in(k), ctx.in(n + k), bodies[k], dims));
    outs.push_back(y);
  }
  return outs;
}

// reduce_window with a max or add body over at most two window dims of
// extent > 1 -> MAX_POOL_2D / DEPTHWISE_CONV_2D, on a [1, H, W, 1]
// or NHWC view (a sum as DEPTHWISE_CONV_2D with a ones filter). Padding is explicit (PADV2 with the init value, which must
// be the body's identity), so the pool itself is VALID.
// reduce_window as one strided slice per window position, combined with
// the body's op in window order: exact for max/min and integer add/mul
// (any order gives the same value), and float add/mul in the order of the
// interpreter's fold. Used where no pool builtin fits.
Outs reduce_window_unrolled(HloContext& ctx, const Reducer& red, const Ints& win, const Ints& strides, const Ints& pad,
                            const Ints& win_d, const Ints& base_d) {
  const int r = ctx.in_t(0).rank();
  int64_t taps = 1;
  for (int64_t w : win) taps *= w;
  if (taps > 64) return ctx.refuse("reduce_window with a window of " + std::to_string(taps) + " elements outside a pool builtin");
  TensorId x = ctx.in(0), init = ctx.in(1);
  // uint16/uint32 (which PADV2, SLICE and the arithmetic kernels lack) as
  // int64, cut back to the type after every add or multiply.
  const DType dt = ctx.in_t(0).dtype;
  const bool via_int64 = dt == DType::kUInt16 || dt == DType::kUInt32;
  const bool u64 = dt == DType::kUInt64;  // as int64 bits
  if (via_int64) {
    ASSIGN_OR_RETURN(x, ctx.cast(x, DType::kInt64));
    ASSIGN_OR_RETURN(init, ctx.cast(init, DType::kInt64));
  } else if (u64) {
    ASSIGN_OR_RETURN(x, bits64(ctx, x));
    ASSIGN_OR_RETURN(init, bits64(ctx, init));
  }
  auto combine = [&](TensorId a, TensorId b) -> Expected<TensorId> {
    if (u64) return bits64_op(ctx, red.combine, {a, b});
    ASSIGN_OR_RETURN(TensorId c, modular(ctx, red.combine, {a, b}));
    if (via_int64 && (red.combine == OpCode::ADD || red.combine == OpCode::MUL)) {
      ASSIGN_OR_RETURN(c, ctx.cast(c, dt));
      ASSIGN_OR_RETURN(c, ctx.cast(c, DType::kInt64));
    }
    return c;
  };
  // Base dilation is interior padding with the init value (then the edges).
  Ints lo(r), hi(r), interior(r);
  for (int d = 0; d < r; ++d) {
    lo[d] = pad[2 * d];
    hi[d] = pad[2 * d + 1];
    interior[d] = base_d[d] - 1;
  }
  if (std::any_of(pad.begin(), pad.end(), [](int64_t v) { return v != 0; }) ||
      std::any_of(interior.begin(), interior.end(), [](int64_t v) { return v != 0; })) {
    ASSIGN_OR_RETURN(x, pad_with(ctx, x, init, lo, hi, interior));
  }
  const Shape out = ctx.result_shape(0);
  const bool strided = std::any_of(strides.begin(), strides.end(), [](int64_t v) { return v != 1; });
  TensorId acc = kNoTensor;
  for (int64_t t = 0; t < taps; ++t) {
    Ints begin(r), end(r);
    int64_t rest = t;
    for (int d = r - 1; d >= 0; --d) {
      begin[d] = (rest % win[d]) * win_d[d];
      rest /= win[d];
      end[d] = begin[d] + (out[d] - 1) * strides[d] + 1;
    }
    TensorId slice;
    if (strided) {
      tflite::StridedSliceOptionsT o;
      ASSIGN_OR_RETURN(slice, ctx.emit1(OpCode::STRIDED_SLICE, {x, ctx.const_i32(i32(begin), "begin"), ctx.const_i32(i32(end), "end"),
                                                               ctx.const_i32(i32(strides), "strides")},
                                        o));
    } else {
      ASSIGN_OR_RETURN(slice, ctx.emit1(OpCode::SLICE, {x, ctx.const_i32(i32(begin), "begin"), ctx.const_i32(i32(out), "size")}));
    }
    if (acc == kNoTensor) {
      acc = slice;
    } else {
      ASSIGN_OR_RETURN(acc, combine(acc, slice));
    }
  }
  if (!is_identity(ctx.graph(), ctx.in(1), red)) {
    ASSIGN_OR_RETURN(acc, combine(acc, init));
  }
  if (u64) return one(ctx.bitcast(acc, dt));
  return one(ctx.cast(acc, dt));
}

Outs lower_reduce_window(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(2));
  RETURN_IF_ERROR(need_static(ctx));
  const Tensor& x = ctx.in_t(0);
  const int r = x.rank();
  const std::string body = reducer_op(ctx.op());
  auto red = reducer_for(body, x.dtype);
  if (!red) return ctx.refuse("reduce_window whose body is not one add/multiply/maximum/minimum/and/or");
  ASSIGN_OR_RETURN(Ints win, ctx.ints("window_dimensions"));
  Ints strides = ctx.ints_or("window_strides", Ints(r, 1));
  Ints pad = ctx.ints_or("padding", Ints(2 * r, 0));
  Ints base_d = ctx.ints_or("base_dilations", Ints(r, 1)), win_d = ctx.ints_or("window_dilations", Ints(r, 1));
  if (static_cast<int>(win.size()) != r || static_cast<int>(strides.size()) != r || static_cast<int>(pad.size()) != 2 * r ||
      static_cast<int>(base_d.size()) != r || static_cast<int>(win_d.size()) != r)
    return ctx.bad("needs window, stride, padding and dilations per dimension");
  for (int d = 0; d < r; ++d)
    if (win[d] < 1 || strides[d] < 1 || win_d[d] < 1 || base_d[d] < 1) return ctx.bad("has a window, stride or dilation below 1");
  constexpr int64_t kMaxDim = int64_t{1} << 31;
  for (int d = 0; d < r; ++d)
    if (win[d] > kMaxDim || strides[d] > kMaxDim || win_d[d] > kMaxDim || base_d[d] > kMaxDim ||
        std::abs(pad[2 * d]) > kMaxDim || std::abs(pad[2 * d + 1]) > kMaxDim)
      return ctx.bad("has a window, stride, dilation or padding past 2^31");
  // The result type must be the window count StableHLO defines per dimension.
  const Shape out = ctx.result_shape(0);
  if (static_cast<int>(out.size()) != r) return ctx.bad("has a result of rank " + std::to_string(out.size()) + " for an operand of rank " + std::to_string(r));
  for (int d = 0; d < r; ++d) {
    const int64_t padded = (x.shape[d] > 0 ? (x.shape[d] - 1) * base_d[d] + 1 : 0) + pad[2 * d] + pad[2 * d + 1];
    const int64_t window = (win[d] - 1) * win_d[d] + 1;
    const int64_t want = padded < window ? 0 : (padded - window) / strides[d] + 1;
    if (out[d] != want)
      return ctx.bad("result dimension " + std::to_string(d) + " is " + std::to_string(out[d]) + ", but the window fits " +
                     std::to_string(want) + " times");
  }
  auto unrolled = [&]() { return reduce_window_unrolled(ctx, *red, win, strides, pad, win_d, base_d); };
  // Pool builtins: float max or add with an identity init, no dilation and
  // no negative padding.
  auto not_one = [](int64_t v) { return v != 1; };
  if (x.dtype != DType::kFloat32 || (red->reduce != OpCode::REDUCE_MAX && red->reduce != OpCode::SUM) ||
      !is_identity(ctx.graph(), ctx.in(1), *red) || std::any_of(win_d.begin(), win_d.end(), not_one) ||
      std::any_of(base_d.begin(), base_d.end(), not_one) ||
      std::any_of(pad.begin(), pad.end(), [](int64_t v) { return v < 0; }))
    return unrolled();
  // The pooled dims: those whose window or stride is not 1.
  Ints pooled;
  for (int d = 0; d < r; ++d)
    if (win[d] != 1 || strides[d] != 1 || pad[2 * d] || pad[2 * d + 1]) pooled.push_back(d);
  if (pooled.size() > 2) return unrolled();
  TensorId y = ctx.in(0);
  if (std::any_of(pad.begin(), pad.end(), [](int64_t v) { return v != 0; })) {
    std::vector<int32_t> p(pad.begin(), pad.end());
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::PADV2, {y, ctx.constant(DType::kInt32, {r, 2}, to_bytes(p), "paddings"), ctx.in(1)}));
  }
  Shape ps = ctx.graph().t(y).shape;
  // View as [N, H, W, C]: NHWC when the pooled dims are 1 and 2 of a rank-4
  // tensor, else [1, H, W, 1] with the other dims moved to N (rank <= 2 or
  // pooled dims that are the whole tensor).
  bool nhwc = r == 4 && (pooled.empty() || (pooled.front() >= 1 && pooled.back() <= 2));
  if (nhwc && (win[0] != 1 || win[3] != 1 || strides[0] != 1 || strides[3] != 1)) return unrolled();
  int64_t h_dim = -1, w_dim = -1;
  Shape view;
  if (nhwc) {
    h_dim = 1;
    w_dim = 2;
    view = ps;
  } else {
    if (r > 2) return unrolled();
    h_dim = 0;
    w_dim = r == 2 ? 1 : -1;
    view = {1, ps[0], w_dim >= 0 ? ps[1] : 1, 1};
  }
  ASSIGN_OR_RETURN(y, ctx.reshape(y, view));
  tflite::Pool2DOptionsT o;
  o.padding = tflite::Padding::VALID;
  o.filter_height = static_cast<int32_t>(win[h_dim]);
  o.filter_width = static_cast<int32_t>(w_dim >= 0 ? win[w_dim] : 1);
  o.stride_h = static_cast<int32_t>(strides[h_dim]);
  o.stride_w = static_cast<int32_t>(w_dim >= 0 ? strides[w_dim] : 1);
  if (red->reduce == OpCode::REDUCE_MAX) {
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::MAX_POOL_2D, {y}, o));
  } else {
    // A window sum is a depthwise convolution with a ones filter: exact
    // sums, where AVERAGE_POOL_2D x count would round twice.
    const int64_t c = view[3];
    const int64_t taps = int64_t{o.filter_height} * o.filter_width * c;
    TensorId ones = ctx.constant(DType::kFloat32, {1, o.filter_height, o.filter_width, c},
                                 to_bytes(std::vector<float>(taps, 1.0f)), "ones");
    TensorId bias = ctx.constant(DType::kFloat32, {c}, to_bytes(std::vector<float>(c, 0.0f)), "bias");
    tflite::DepthwiseConv2DOptionsT d;
    d.padding = tflite::Padding::VALID;
    d.stride_h = o.stride_h;
    d.stride_w = o.stride_w;
    d.depth_multiplier = 1;
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::DEPTHWISE_CONV_2D, {y, ones, bias}, d));
  }
  return one(ctx.reshape(y, ctx.result_shape(0)));
}

// ---------------------------------------------------------------- gather

struct GatherDims {
  Ints offset, collapsed, start_index_map, operand_batching, start_indices_batching;
  int64_t index_vector_dim = 0;
};

Expected<GatherDims> gather_dims(HloContext& ctx) {
  const mlir::Attr* dn = ctx.op().attr("dimension_numbers");
  if (!dn) return ctx.bad("has no dimension_numbers");
  GatherDims g;
  auto get = [&](const char* key, Ints& out) {
    if (const mlir::Attr* a = dn->get(key))
      for (const auto& i : a->items) out.push_back(i.i);
  };
  get("offset_dims", g.offset);
  get("collapsed_slice_dims", g.collapsed);
  get("start_index_map", g.start_index_map);
  get("operand_batching_dims", g.operand_batching);
  get("start_indices_batching_dims", g.start_indices_batching);
  if (const mlir::Attr* a = dn->get("index_vector_dim")) g.index_vector_dim = a->i;
  return g;
}

// gather in the two forms TFLite has: one collapsed axis (GATHER) or the
// leading axes indexed by the last index dimension (GATHER_ND). Indices are
// clamped into range first, as StableHLO clamps start indices.
Outs lower_gather(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(2));
  RETURN_IF_ERROR(need_static(ctx));
  ASSIGN_OR_RETURN(GatherDims g, gather_dims(ctx));
  ASSIGN_OR_RETURN(Ints sizes, ctx.ints("slice_sizes"));
  const Tensor& x = ctx.in_t(0);
  const Shape xs = x.shape;
  const Shape is = ctx.in_t(1).shape;
  const int r = x.rank();
  if (!g.operand_batching.empty()) return ctx.refuse("gather with batching dimensions");
  if (static_cast<int>(sizes.size()) != r) return ctx.bad("needs a slice size per operand dimension");
  // The index vector: its dimension must be the last (or implicit).
  Shape batch = is;
  int64_t k;
  if (g.index_vector_dim == static_cast<int64_t>(is.size())) {
    k = 1;
  } else if (g.index_vector_dim == static_cast<int64_t>(is.size()) - 1) {
    k = is.back();
    batch.pop_back();
  } else {
    return ctx.refuse("gather with the index vector in a middle dimension");
  }
  if (static_cast<int64_t>(g.start_index_map.size()) != k) return ctx.bad("start_index_map does not match the index vector");
  Ints sorted_collapsed = g.collapsed;
  std::sort(sorted_collapsed.begin(), sorted_collapsed.end());
  if (g.start_index_map != sorted_collapsed) return ctx.refuse("gather whose indexed axes are not the collapsed ones, in order");
  for (int d = 0; d < r; ++d) {
    bool indexed = std::find(g.collapsed.begin(), g.collapsed.end(), d) != g.collapsed.end();
    if (indexed ? sizes[d] != 1 : sizes[d] != xs[d]) return ctx.refuse("gather of partial slices");
  }
  const int nb = static_cast<int>(batch.size());
  // Clamp each index component into [0, dim - 1].
  ASSIGN_OR_RETURN(TensorId idx, ctx.cast(ctx.in(1), DType::kInt32));
  std::vector<int32_t> hi;
  for (int64_t a : g.start_index_map) hi.push_back(static_cast<int32_t>(xs[a] - 1));
  TensorId hi_t = hi.size() == 1 ? ctx.const_i32_scalar(hi[0], "max_index") : ctx.const_i32(hi, "max_index");
  ASSIGN_OR_RETURN(idx, ctx.emit1(OpCode::MINIMUM, {idx, hi_t}));
  ASSIGN_OR_RETURN(idx, ctx.emit1(OpCode::MAXIMUM, {idx, ctx.const_i32_scalar(0, "zero")}));
  TensorId y;
  Ints layout;  // for each dim of y: the batch position (b) as -1-b, or the operand dim
  if (k == 1) {
    const int64_t a = g.start_index_map[0];
    ASSIGN_OR_RETURN(idx, ctx.reshape(idx, batch));
    tflite::GatherOptionsT o;
    o.axis = static_cast<int32_t>(a);
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::GATHER, {ctx.in(0), idx}, o));
    for (int d = 0; d < a; ++d) layout.push_back(d);
    for (int b = 0; b < nb; ++b) layout.push_back(-1 - b);
    for (int d = static_cast<int>(a) + 1; d < r; ++d) layout.push_back(d);
  } else {
    Ints lead(k);
    std::iota(lead.begin(), lead.end(), 0);
    if (g.start_index_map != lead) return ctx.refuse("gather_nd over axes that are not the leading ones");
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::GATHER_ND, {ctx.in(0), idx}));
    for (int b = 0; b < nb; ++b) layout.push_back(-1 - b);
    for (int d = static_cast<int>(k); d < r; ++d) layout.push_back(d);
  }
  // StableHLO's result: offset dims (the kept operand dims, in order) at
  // offset_dims, batch dims elsewhere in order.
  const int out_rank = static_cast<int>(ctx.result_shape(0).size());
  Ints want(out_rank, 0);
  {
    Ints kept;
    for (int d = 0; d < r; ++d)
      if (std::find(g.collapsed.begin(), g.collapsed.end(), d) == g.collapsed.end()) kept.push_back(d);
    if (kept.size() != g.offset.size()) return ctx.bad("offset_dims does not match the kept dimensions");
    std::vector<bool> is_offset(out_rank, false);
    for (size_t j = 0; j < g.offset.size(); ++j) {
      if (g.offset[j] < 0 || g.offset[j] >= out_rank) return ctx.bad("offset_dims out of range");
      want[g.offset[j]] = kept[j];
      is_offset[g.offset[j]] = true;
    }
    int b = 0;
    for (int p = 0; p < out_rank; ++p)
      if (!is_offset[p]) want[p] = -1 - b++;
  }
  Ints perm;
  for (int64_t w : want) perm.push_back(std::find(layout.begin(), layout.end(), w) - layout.begin());
  return one(ctx.transpose(y, perm));
}

// ---------------------------------------------------------------- scatter

// scatter with constant indices: where each update element lands is worked
// out here, as StableHLO defines it (an update window out of bounds is
// skipped), so the result is, per round of at most one update per operand
// element (in update order), select(landed, body(result, GATHER(updates)),
// result) on flat views. Exact for every body; TFLite's SCATTER_ND would
// sum duplicate indices and knows no other body.
Outs lower_scatter(HloContext& ctx) {
  if (ctx.num_in() != 3) return ctx.refuse("a scatter of " + std::to_string((ctx.num_in() - 1) / 2) + " operands");
  RETURN_IF_ERROR(need_static(ctx));
  const mlir::Attr* dn = ctx.op().attr("scatter_dimension_numbers");
  if (!dn) return ctx.bad("has no scatter_dimension_numbers");
  auto get = [&](const char* key) {
    Ints out;
    if (const mlir::Attr* a = dn->get(key))
      for (const auto& i : a->items) out.push_back(i.i);
    return out;
  };
  const Ints window_dims = get("update_window_dims"), inserted = get("inserted_window_dims"),
             to_operand = get("scatter_dims_to_operand_dims");
  if (!get("input_batching_dims").empty() || !get("scatter_indices_batching_dims").empty())
    return ctx.refuse("scatter with batching dimensions");
  const Shape xs = ctx.in_t(0).shape, is = ctx.in_t(1).shape, us = ctx.in_t(2).shape;
  int64_t ivd = 0;  // printed only when not 0
  if (const mlir::Attr* a = dn->get("index_vector_dim")) ivd = a->i;
  if (ivd < 0 || ivd > static_cast<int64_t>(is.size())) return ctx.bad("has an index_vector_dim out of range");
  const int r = static_cast<int>(xs.size());
  // The body: return the update (set), or one op combining the two.
  const mlir::Block* body = ctx.op().regions.empty() ? nullptr : &ctx.op().regions[0];
  if (!body || body->args.size() != 2) return ctx.bad("needs an update_computation of two arguments");
  const DType dt = ctx.in_t(0).dtype;
  std::optional<Reducer> red;
  if (body->ops.size() == 1 && body->ops[0].operands.size() == 1 && body->ops[0].operands[0] == body->args[1].first) {
    // set: the update replaces the element
  } else {
    red = reducer_for(reducer_op(ctx.op()), dt);
    if (!red) return ctx.refuse("scatter whose update_computation is not a set or one add/multiply/maximum/minimum/and/or");
  }
  auto idx = const_doubles(ctx.graph(), ctx.in(1));
  if (!idx.ok()) return ctx.refuse("scatter with indices computed at run time");
  // Where each update element lands (-1: skipped).
  const int64_t n_upd = num_elements(us), n_x = num_elements(xs);
  if (n_x > (int64_t{1} << 22) || n_upd > (int64_t{1} << 22)) return ctx.refuse("a scatter of more than 2^22 elements");
  Ints scatter_dims;
  for (int d = 0; d < static_cast<int>(us.size()); ++d)
    if (std::find(window_dims.begin(), window_dims.end(), d) == window_dims.end()) scatter_dims.push_back(d);
  Ints window_to_operand;  // operand dim of each update window dim
  for (int d = 0; d < r; ++d)
    if (std::find(inserted.begin(), inserted.end(), d) == inserted.end()) window_to_operand.push_back(d);
  if (window_to_operand.size() != window_dims.size()) return ctx.bad("update_window_dims does not match the operand's rank");
  const Shape ustr = strides_of(us), istr = strides_of(is), xstr = strides_of(xs);
  const int64_t nk = ivd < static_cast<int64_t>(is.size()) ? is[ivd] : 1;
  if (static_cast<int64_t>(to_operand.size()) != nk) return ctx.bad("scatter_dims_to_operand_dims does not match the index vector");
  if (scatter_dims.size() != is.size() - (ivd < static_cast<int64_t>(is.size()) ? 1 : 0))
    return ctx.bad("the updates' scatter dimensions do not match the indices");
  // Each scatter dim of the updates walks one (non-index-vector) dim of the indices.
  for (int64_t d = 0, j = 0; d < static_cast<int64_t>(is.size()); ++d)
    if (d != ivd && us[scatter_dims[j++]] != is[d])
      return ctx.bad("the updates' scatter dimensions do not match the indices' shape");
  for (int64_t d : window_dims)
    if (d < 0 || d >= static_cast<int64_t>(us.size())) return ctx.bad("has an update_window_dim out of range");
  for (int64_t d : to_operand)
    if (d < 0 || d >= r) return ctx.bad("has a scatter_dims_to_operand_dim out of range");
  std::vector<int64_t> lands(static_cast<size_t>(n_upd), -1);
  for (int64_t u = 0; u < n_upd; ++u) {
    Ints ui(us.size());
    for (size_t d = 0; d < us.size(); ++d) ui[d] = (u / ustr[d]) % us[d];
    // The index vector: the scatter dims of ui, with index_vector_dim inserted.
    Ints ipos;
    size_t sd = 0;
    for (int64_t d = 0; d < static_cast<int64_t>(is.size()); ++d) ipos.push_back(d == ivd ? 0 : ui[scatter_dims[sd++]]);
    Ints full(r, 0);
    for (int64_t k = 0; k < nk; ++k) {
      int64_t flat = 0;
      for (size_t d = 0; d < is.size(); ++d) flat += (static_cast<int64_t>(d) == ivd ? k : ipos[d]) * istr[d];
      full[to_operand[k]] += static_cast<int64_t>((*idx)[flat]);
    }
    for (size_t w = 0; w < window_dims.size(); ++w) full[window_to_operand[w]] += ui[window_dims[w]];
    bool in = true;
    int64_t p = 0;
    for (int d = 0; d < r; ++d) {
      in = in && full[d] >= 0 && full[d] < xs[d];
      p += full[d] * xstr[d];
    }
    if (in) lands[u] = p;
  }
  // Rounds: the j-th update landing on each element.
  std::vector<std::vector<int32_t>> src;
  std::vector<int> count(static_cast<size_t>(n_x), 0);
  for (int64_t u = 0; u < n_upd; ++u) {
    if (lands[u] < 0) continue;
    const int j = count[lands[u]]++;
    if (j >= 16) return ctx.refuse("a scatter with more than 16 updates to one element");
    if (j >= static_cast<int>(src.size())) src.emplace_back(static_cast<size_t>(n_x), -1);
    src[j][lands[u]] = static_cast<int32_t>(u);
  }
  // Compute in a type GATHER and SELECT_V2 take.
  DType ct = dt;
  if (narrow_int(dt)) ct = DType::kInt32;
  if (dt == DType::kUInt32) ct = DType::kInt64;
  if (dt == DType::kFloat16 || dt == DType::kBFloat16 || dt == DType::kFloat64)
    return ctx.refuse("scatter on " + dtype_name(dt) + " tensors");
  const bool u64 = dt == DType::kUInt64;  // as int64 bits
  if (u64) ct = DType::kInt64;
  ASSIGN_OR_RETURN(TensorId result, u64 ? bits64(ctx, ctx.in(0)) : ctx.cast(ctx.in(0), ct));
  ASSIGN_OR_RETURN(result, ctx.reshape(result, {n_x}));
  ASSIGN_OR_RETURN(TensorId upd, u64 ? bits64(ctx, ctx.in(2)) : ctx.cast(ctx.in(2), ct));
  ASSIGN_OR_RETURN(upd, ctx.reshape(upd, {n_upd}));
  for (const auto& round : src) {
    std::vector<int32_t> gather_idx(round.size());
    std::string mask(round.size(), '\0');
    bool all = true;
    for (size_t p = 0; p < round.size(); ++p) {
      gather_idx[p] = std::max(round[p], 0);
      mask[p] = round[p] >= 0;
      all = all && round[p] >= 0;
    }
    tflite::GatherOptionsT go;
    ASSIGN_OR_RETURN(TensorId g, ctx.emit1(OpCode::GATHER, {upd, ctx.const_i32(gather_idx, "landing")}, go));
    TensorId v = g;
    if (red) {
      ASSIGN_OR_RETURN(v, u64 ? bits64_op(ctx, red->combine, {result, g}) : ctx.emit1(red->combine, {result, g}));
    }
    if (all) {
      result = v;
    } else {
      TensorId m = ctx.constant(DType::kBool, {n_x}, std::move(mask), "landed");
      ASSIGN_OR_RETURN(result, ctx.emit1(OpCode::SELECT_V2, {m, v, result}));
    }
  }
  ASSIGN_OR_RETURN(result, ctx.reshape(result, xs));
  if (u64) return one(ctx.bitcast(result, dt));
  return one(ctx.cast(result, dt));
}

// ---------------------------------------------------------------- sort

// Whether `name` is a float constant of the enclosing scope whose one value
// satisfies `test`.
template <typename F>
bool outer_scalar(HloContext& ctx, const std::string& name, F test) {
  const TensorId t = ctx.outer_value(name);
  if (t == kNoTensor) return false;
  auto v = const_doubles(ctx.graph(), t);
  return v.ok() && v->size() == 1 && test((*v)[0]);
}

// sort of float32 with the comparator jnp.sort emits: each argument
// canonicalized (-0 -> 0, NaN -> NaN) and compared LT (or GT) in
// TOTALORDER, so NaNs sort last (first) and zeros are equal. TOPK_V2 with
// NaN as +inf (-inf), then as many NaNs as there were put back at the end
// (the start).
// The dimension a sort orders, and the permutation that moves it last
// (TOPK_V2 works on the last axis).
struct SortAxis {
  int64_t dim = 0;
  Ints perm;
};

Expected<SortAxis> sort_axis(HloContext& ctx) {
  const int r = static_cast<int>(ctx.in_t(0).shape.size());
  SortAxis sa;
  sa.dim = ctx.op().attr("dimension") ? *ctx.int_attr("dimension") : r - 1;
  if (sa.dim < 0) sa.dim += r;
  if (sa.dim < 0 || sa.dim >= r) return ctx.bad("sorts a dimension out of range");
  sa.perm.resize(r);
  std::iota(sa.perm.begin(), sa.perm.end(), 0);
  std::swap(sa.perm[sa.dim], sa.perm[r - 1]);
  return sa;
}

Outs lower_float_sort(HloContext& ctx, const mlir::Block& body) {
  std::map<std::string, const mlir::Op*> def;
  for (const auto& op : body.ops)
    if (op.results.size() == 1) def[op.results[0]] = &op;
  auto op_of = [&](const std::string& v, const char* name) -> const mlir::Op* {
    auto it = def.find(v);
    return it != def.end() && it->second->name == name ? it->second : nullptr;
  };
  // A scalar f32 constant of the body, or of the enclosing scope.
  auto scalar_is = [&](const std::string& v, auto test) {
    if (const mlir::Op* c = op_of(v, "stablehlo.constant")) {
      const mlir::Attr* value = c->attr("value");
      if (!value || c->result_types.size() != 1 || c->result_types[0].element != "f32" || !c->result_types[0].dims.empty())
        return false;
      auto bytes = dense_bytes(*value, c->result_types[0], ctx.source());
      if (!bytes.ok() || bytes->size() != 4) return false;
      float f;
      std::memcpy(&f, bytes->data(), 4);
      return static_cast<bool>(test(static_cast<double>(f)));
    }
    return def.count(v) == 0 && outer_scalar(ctx, v, test);
  };
  // v = select(x NE x, NaN, select(x EQ 0, 0, x))
  auto canonical = [&](const std::string& v, const std::string& x) {
    const mlir::Op* outer = op_of(v, "stablehlo.select");
    if (!outer || outer->operands.size() != 3) return false;
    const mlir::Op* isnan = op_of(outer->operands[0], "stablehlo.compare");
    if (!isnan || compare_direction(*isnan) != "NE" || isnan->operands.size() != 2 || isnan->operands[0] != x ||
        isnan->operands[1] != x)
      return false;
    if (!scalar_is(outer->operands[1], [](double d) { return std::isnan(d); })) return false;
    const mlir::Op* inner = op_of(outer->operands[2], "stablehlo.select");
    if (!inner || inner->operands.size() != 3 || inner->operands[2] != x) return false;
    const mlir::Op* iszero = op_of(inner->operands[0], "stablehlo.compare");
    auto zero = [](double d) { return d == 0; };
    return iszero && compare_direction(*iszero) == "EQ" && iszero->operands.size() == 2 && iszero->operands[0] == x &&
           scalar_is(iszero->operands[1], zero) && scalar_is(inner->operands[1], zero);
  };
  const mlir::Op& ret = body.ops.back();
  const mlir::Op* cmp = ret.operands.size() == 1 ? op_of(ret.operands[0], "stablehlo.compare") : nullptr;
  const std::string a = body.args[0].first, b = body.args[1].first;
  std::string dir = cmp ? compare_direction(*cmp) : "";
  std::vector<std::string> kw = cmp ? cmp->keywords() : std::vector<std::string>{};
  const bool total = cmp && (std::find(kw.begin(), kw.end(), "TOTALORDER") != kw.end() ||
                             (cmp->attr("compare_type") && !cmp->attr("compare_type")->items.empty() &&
                              cmp->attr("compare_type")->items.back().s == "TOTALORDER"));
  // Ops the returned value does not use change nothing (a comparator has no
  // side effects).
  if (!cmp || cmp->operands.size() != 2 || !total || (dir != "LT" && dir != "GT") ||
      !canonical(cmp->operands[0], a) || !canonical(cmp->operands[1], b))
    return ctx.refuse("a sort of float32 whose comparator is not jnp.sort's (canonical values compared in TOTALORDER)");
  RETURN_IF_ERROR(need_static(ctx));
  const Shape xs = ctx.in_t(0).shape;
  const int r = static_cast<int>(xs.size());
  ASSIGN_OR_RETURN(SortAxis sa, sort_axis(ctx));
  const int64_t dim = sa.dim;
  const Ints& perm = sa.perm;
  const bool ascending = dir == "LT";
  const int64_t n = xs[dim];
  ASSIGN_OR_RETURN(TensorId x, ctx.transpose(ctx.in(0), perm));
  ASSIGN_OR_RETURN(TensorId nan, ctx.emit1(OpCode::NOT_EQUAL, {x, x}));
  const double inf = std::numeric_limits<double>::infinity();
  ASSIGN_OR_RETURN(TensorId v, ctx.emit1(OpCode::SELECT_V2, {nan, ctx.scalar(DType::kFloat32, ascending ? inf : -inf, "nan_as"), x}));
  ASSIGN_OR_RETURN(auto top, ctx.emit(OpCode::TOPK_V2, {v, ctx.const_i32_scalar(static_cast<int32_t>(n), "k")}, {}, 2));
  TensorId y = top[0];
  if (ascending && n > 1) {
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::REVERSE_V2, {y, ctx.const_i32({static_cast<int32_t>(r - 1)}, "axis")}));
  }
  ASSIGN_OR_RETURN(TensorId count, ctx.cast(nan, DType::kInt32));
  tflite::ReducerOptionsT ro;
  ro.keep_dims = true;
  ASSIGN_OR_RETURN(count, ctx.emit1(OpCode::SUM, {count, ctx.const_i32({static_cast<int32_t>(r - 1)}, "axis")}, ro));
  std::vector<int32_t> pos(static_cast<size_t>(n));
  std::iota(pos.begin(), pos.end(), 0);
  TensorId where;
  if (ascending) {
    // positions n - count .. n - 1
    ASSIGN_OR_RETURN(TensorId first, ctx.emit1(OpCode::SUB, {ctx.const_i32_scalar(static_cast<int32_t>(n), "n"), count}));
    ASSIGN_OR_RETURN(where, ctx.emit1(OpCode::GREATER_EQUAL, {ctx.const_i32(pos, "position"), first}));
  } else {
    ASSIGN_OR_RETURN(where, ctx.emit1(OpCode::LESS, {ctx.const_i32(pos, "position"), count}));
  }
  ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::SELECT_V2, {where, ctx.scalar(DType::kFloat32, std::numeric_limits<double>::quiet_NaN(), "nan"), y}));
  return one(ctx.transpose(y, perm));
}

// sort of one integer operand whose comparator is one compare LT/GT of its
// two arguments (a total order, so stability does not show): TOPK_V2 with
// k = n along the dimension (moved last) gives it descending; ascending is
// that reversed. TF's legalization uses TOPK_V2 the same way.
Outs lower_sort(HloContext& ctx) {
  if (ctx.num_in() != 1) return ctx.refuse("a sort of " + std::to_string(ctx.num_in()) + " operands");
  RETURN_IF_ERROR(need_static(ctx));
  const mlir::Block* body = ctx.op().regions.empty() ? nullptr : &ctx.op().regions[0];
  if (body && body->args.size() == 2 && ctx.in_t(0).dtype == DType::kFloat32) return lower_float_sort(ctx, *body);
  if (!body || body->args.size() != 2 || body->ops.size() != 2) return ctx.refuse("a sort whose comparator is not one compare");
  const mlir::Op& cmp = body->ops[0];
  const mlir::Op& ret = body->ops[1];
  if (cmp.name != "stablehlo.compare" || cmp.operands.size() != 2 || ret.operands.size() != 1 || ret.operands[0] != cmp.results.at(0))
    return ctx.refuse("a sort whose comparator is not one compare");
  const std::string a = body->args[0].first, b = body->args[1].first;
  std::string dir = compare_direction(cmp);
  if (cmp.operands[0] == b && cmp.operands[1] == a) dir = dir == "LT" ? "GT" : dir == "GT" ? "LT" : "";
  else if (cmp.operands[0] != a || cmp.operands[1] != b) dir = "";
  if (dir != "LT" && dir != "GT") return ctx.refuse("a sort whose comparator is not a < b or a > b");
  const DType dt = ctx.in_t(0).dtype;
  if (!dtype_is_integer(dt) || dt == DType::kBool) return ctx.refuse("a sort of " + dtype_name(dt) + " with a plain comparator");
  const Shape xs = ctx.in_t(0).shape;
  const int r = static_cast<int>(xs.size());
  ASSIGN_OR_RETURN(SortAxis sa, sort_axis(ctx));
  const int64_t dim = sa.dim;
  const Ints& perm = sa.perm;
  ASSIGN_OR_RETURN(TensorId x, ctx.transpose(ctx.in(0), perm));
  // TOPK_V2's kernels: float32, uint8, int8, int32, int64; others as int64
  // (uint64 as its bits, order flipped by the top bit).
  TensorId v = x;
  if (dt == DType::kInt16 || dt == DType::kUInt16 || dt == DType::kUInt32) {
    ASSIGN_OR_RETURN(v, ctx.cast(v, DType::kInt64));
  } else if (dt == DType::kUInt64) {
    ASSIGN_OR_RETURN(v, bits64(ctx, v));
    ASSIGN_OR_RETURN(v, ctx.emit1(OpCode::ADD, {v, ctx.constant(DType::kInt64, {}, to_bytes(std::vector<int64_t>{std::numeric_limits<int64_t>::min()}), "top_bit")}));
  }
  const int64_t n = xs[dim];
  ASSIGN_OR_RETURN(auto top, ctx.emit(OpCode::TOPK_V2, {v, ctx.const_i32_scalar(static_cast<int32_t>(n), "k")}, {}, 2));
  TensorId y = top[0];
  if (dir == "LT" && n > 1) {
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::REVERSE_V2, {y, ctx.const_i32({static_cast<int32_t>(r - 1)}, "axis")}));
  }
  if (dt == DType::kUInt64) {
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::ADD, {y, ctx.constant(DType::kInt64, {}, to_bytes(std::vector<int64_t>{std::numeric_limits<int64_t>::min()}), "top_bit")}));
    ASSIGN_OR_RETURN(y, ctx.bitcast(y, dt));
  } else {
    ASSIGN_OR_RETURN(y, ctx.cast(y, dt));
  }
  return one(ctx.transpose(y, perm));
}

// ---------------------------------------------------------------- convolution

struct ConvLayout {
  int64_t batch = -1, feature = -1;
  Ints spatial;  // position of spatial dim k
};

// Reads "[b, 0, 1, f]" (input/output) or "[0, 1, i, o]" (kernel).
Expected<ConvLayout> conv_layout(const mlir::Attr& list, char batch_char, char feature_char, const HloContext& ctx) {
  ConvLayout l;
  std::map<int64_t, int64_t> sp;
  for (size_t p = 0; p < list.items.size(); ++p) {
    const mlir::Attr& it = list.items[p];
    if (it.kind == mlir::Attr::kIdent && it.s.size() == 1 && it.s[0] == batch_char) {
      l.batch = static_cast<int64_t>(p);
    } else if (it.kind == mlir::Attr::kIdent && it.s.size() == 1 && it.s[0] == feature_char) {
      l.feature = static_cast<int64_t>(p);
    } else if (it.kind == mlir::Attr::kInt) {
      sp[it.i] = static_cast<int64_t>(p);
    } else {
      return ctx.bad("has an unreadable dim_numbers entry");
    }
  }
  for (size_t k = 0; k < sp.size(); ++k) {
    if (!sp.count(static_cast<int64_t>(k))) return ctx.bad("dim_numbers skips a spatial dimension");
    l.spatial.push_back(sp[static_cast<int64_t>(k)]);
  }
  if (l.batch < 0 || l.feature < 0) return ctx.bad("dim_numbers lacks a batch or feature dimension");
  return l;
}

// y [b, s0, s1, f] moved to the output's layout.
Outs to_output_layout(HloContext& ctx, TensorId y, const ConvLayout& out) {
  Ints where(4);
  where[out.batch] = 0;
  where[out.spatial[0]] = 1;
  where[out.spatial[1]] = 2;
  where[out.feature] = 3;
  return one(ctx.transpose(y, where));
}

// lhs_dilate s (JAX's conv_transpose): y[o] = sum_k xd[o + k - lo] K[k], xd
// being x with s-1 zeros between elements. TRANSPOSE_CONV VALID computes
// full[o] = sum over i*s + k' = o of x[i] W[k'], of length (n-1)*s + k; with
// W = K reversed spatially, y[o] = full[o + k-1-lo]. So: TRANSPOSE_CONV VALID
// (output cut at the bottom by its output_shape), then a SLICE for the top
// crop and a zero PAD where lo or hi exceed k-1 (rows of padding only).
Outs lower_transposed_convolution(HloContext& ctx, const ConvLayout& in, const ConvLayout& ker, const ConvLayout& out,
                                  const Ints& stride, const Ints& pad, const Ints& lhs_dilate, const Ints& rhs_dilate) {
  if (std::any_of(stride.begin(), stride.end(), [](int64_t v) { return v != 1; }))
    return ctx.refuse("a convolution with both lhs_dilate and window strides");
  if (std::any_of(rhs_dilate.begin(), rhs_dilate.end(), [](int64_t v) { return v != 1; }))
    return ctx.refuse("a convolution with both lhs_dilate and rhs_dilate (TRANSPOSE_CONV has no dilation)");
  const int64_t groups = ctx.op().attr("feature_group_count") ? *ctx.int_attr("feature_group_count") : 1;
  const int64_t batch_groups = ctx.op().attr("batch_group_count") ? *ctx.int_attr("batch_group_count") : 1;
  if (groups != 1) return ctx.refuse("a transposed convolution with feature_group_count " + std::to_string(groups));
  if (batch_groups != 1) return ctx.refuse("batch_group_count > 1");
  if (ctx.in_t(0).dtype != DType::kFloat32) return ctx.refuse("on " + dtype_name(ctx.in_t(0).dtype) + " tensors");
  const Shape xs = ctx.in_t(0).shape, ks = ctx.in_t(1).shape;
  const int64_t batch = xs[in.batch], cout = ks[ker.batch];
  if (xs[in.feature] != ks[ker.feature]) return ctx.bad("has input features that differ from the kernel's");
  int64_t full[2], keep[2], top[2], bottom[2];
  for (int k = 0; k < 2; ++k) {
    const int64_t n = xs[in.spatial[static_cast<size_t>(k)]], kk = ks[ker.spatial[static_cast<size_t>(k)]];
    full[k] = (n - 1) * lhs_dilate[static_cast<size_t>(k)] + kk;
    top[k] = kk - 1 - pad[2 * static_cast<size_t>(k)];          // > 0 crop, < 0 zero rows
    bottom[k] = kk - 1 - pad[2 * static_cast<size_t>(k) + 1];
    if (full[k] - top[k] - bottom[k] < 1) return ctx.refuse("a transposed convolution with an empty output");
    // Cut by output_shape only at stride 1 and while the output is >= the
    // kernel (TRANSPOSE_CONV VALID keeps pad 0 then); XNNPACK's deconvolution
    // reads a shorter output at stride > 1 as an adjustment, so SLICE there.
    keep[k] = full[k] - std::max<int64_t>(bottom[k], 0);
    if (keep[k] < kk || lhs_dilate[static_cast<size_t>(k)] != 1) keep[k] = full[k];
  }
  // TFLite's SAME for output h: pad total (ceil(h/s)-1)*s + k - h, top half
  // rounded down. When that is exactly our crop, no SLICE is needed.
  bool same = true;
  for (int k = 0; k < 2; ++k) {
    const int64_t n = xs[in.spatial[static_cast<size_t>(k)]], st = lhs_dilate[static_cast<size_t>(k)];
    const int64_t h = full[k] - top[k] - bottom[k];
    same = same && top[k] >= 0 && bottom[k] >= 0 && (h + st - 1) / st == n && top[k] == (top[k] + bottom[k]) / 2;
  }
  if (same) {
    for (int k = 0; k < 2; ++k) {
      keep[k] = full[k] - top[k] - bottom[k];
      full[k] = keep[k];
      top[k] = bottom[k] = 0;
    }
  }
  ASSIGN_OR_RETURN(TensorId x, ctx.transpose(ctx.in(0), {in.batch, in.spatial[0], in.spatial[1], in.feature}));
  ASSIGN_OR_RETURN(TensorId w, ctx.transpose(ctx.in(1), {ker.batch, ker.spatial[0], ker.spatial[1], ker.feature}));
  ASSIGN_OR_RETURN(w, ctx.emit1(OpCode::REVERSE_V2, {w, ctx.const_i32({1, 2}, "axis")}));
  tflite::TransposeConvOptionsT o;
  o.padding = same ? tflite::Padding::SAME : tflite::Padding::VALID;
  o.stride_h = static_cast<int32_t>(lhs_dilate[0]);
  o.stride_w = static_cast<int32_t>(lhs_dilate[1]);
  TensorId shape = ctx.const_i32({static_cast<int32_t>(batch), static_cast<int32_t>(keep[0]),
                                  static_cast<int32_t>(keep[1]), static_cast<int32_t>(cout)}, "output_shape");
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::TRANSPOSE_CONV, {shape, w, x, kNoTensor}, o));
  const int64_t h = full[0] - top[0] - bottom[0], wd = full[1] - top[1] - bottom[1];
  const int64_t t0 = std::max<int64_t>(top[0], 0), t1 = std::max<int64_t>(top[1], 0);
  const int64_t sh = keep[0] - t0 - std::max<int64_t>(bottom[0] - (full[0] - keep[0]), 0);
  const int64_t sw = keep[1] - t1 - std::max<int64_t>(bottom[1] - (full[1] - keep[1]), 0);
  if (t0 || t1 || sh != keep[0] || sw != keep[1]) {
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::SLICE, {y, ctx.const_i32({0, static_cast<int32_t>(t0), static_cast<int32_t>(t1), 0}, "begin"),
                                                  ctx.const_i32({static_cast<int32_t>(batch), static_cast<int32_t>(sh),
                                                                 static_cast<int32_t>(sw), static_cast<int32_t>(cout)}, "size")}));
  }
  if (top[0] < 0 || top[1] < 0 || bottom[0] < 0 || bottom[1] < 0) {
    auto neg = [](int64_t v) { return static_cast<int32_t>(std::max<int64_t>(-v, 0)); };
    std::vector<int32_t> p = {0, 0, neg(top[0]), neg(bottom[0]), neg(top[1]), neg(bottom[1]), 0, 0};
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::PAD, {y, ctx.constant(DType::kInt32, {4, 2}, to_bytes(p), "paddings")}));
  }
  const Shape ys = ctx.graph().t(y).shape;
  const Shape& rs = ctx.result_shape(0);
  if (ys.size() != 4 || rs.size() != 4 || ys[1] != h || ys[2] != wd || rs[out.spatial[0]] != h || rs[out.spatial[1]] != wd)
    return ctx.bad("has a result shape its window does not give");
  return to_output_layout(ctx, y, out);
}

Outs lower_convolution(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(2));
  RETURN_IF_ERROR(need_static(ctx));
  const mlir::Attr* dn = ctx.op().attr("dim_numbers");
  if (!dn) dn = ctx.op().attr("dimension_numbers");
  if (dn && dn->kind == mlir::Attr::kDict && !dn->items.empty()) dn = &dn->items[0];  // #stablehlo.conv<...>
  if (!dn || dn->s != "group" || dn->items.size() != 3) return ctx.bad("has no dim_numbers");
  ASSIGN_OR_RETURN(ConvLayout in, conv_layout(dn->items[0], 'b', 'f', ctx));
  ASSIGN_OR_RETURN(ConvLayout ker, conv_layout(dn->items[1], 'o', 'i', ctx));
  ASSIGN_OR_RETURN(ConvLayout out, conv_layout(dn->items[2], 'b', 'f', ctx));
  const size_t ns = in.spatial.size();
  if (ns != 2) return ctx.refuse("a convolution with " + std::to_string(ns) + " spatial dimensions");
  const mlir::Attr* window = ctx.op().attr("window");
  auto wints = [&](const char* pretty, const char* generic, Ints fallback) -> Ints {
    if (window) {
      if (const mlir::Attr* a = window->get(pretty)) {
        Ints v;
        for (const auto& i : a->items) {
          if (i.kind == mlir::Attr::kList) {
            for (const auto& j : i.items) v.push_back(j.i);
          } else {
            v.push_back(i.i);
          }
        }
        return v;
      }
      return fallback;
    }
    return ctx.ints_or(generic, fallback);
  };
  const Ints stride = wints("stride", "window_strides", Ints(ns, 1));
  const Ints pad = wints("pad", "padding", Ints(2 * ns, 0));
  const Ints lhs_dilate = wints("lhs_dilate", "lhs_dilation", Ints(ns, 1));
  const Ints rhs_dilate = wints("rhs_dilate", "rhs_dilation", Ints(ns, 1));
  const Ints reverse = wints("reverse", "window_reversal", Ints(ns, 0));
  if (stride.size() != ns || pad.size() != 2 * ns || lhs_dilate.size() != ns || rhs_dilate.size() != ns)
    return ctx.bad("has a window attribute of the wrong length");
  if (std::any_of(reverse.begin(), reverse.end(), [](int64_t v) { return v != 0; })) return ctx.refuse("window reversal");
  if (std::any_of(lhs_dilate.begin(), lhs_dilate.end(), [](int64_t v) { return v != 1; }))
    return lower_transposed_convolution(ctx, in, ker, out, stride, pad, lhs_dilate, rhs_dilate);
  if (std::any_of(pad.begin(), pad.end(), [](int64_t v) { return v < 0; })) return ctx.refuse("negative convolution padding");
  const int64_t groups = ctx.op().attr("feature_group_count") ? *ctx.int_attr("feature_group_count") : 1;
  const int64_t batch_groups = ctx.op().attr("batch_group_count") ? *ctx.int_attr("batch_group_count") : 1;
  if (batch_groups != 1) return ctx.refuse("batch_group_count > 1");
  if (ctx.in_t(0).dtype != DType::kFloat32) return ctx.refuse("on " + dtype_name(ctx.in_t(0).dtype) + " tensors");
  const Shape ks = ctx.in_t(1).shape;
  const int64_t cin = ctx.in_t(0).shape[in.feature], cout = ks[ker.batch];
  ASSIGN_OR_RETURN(TensorId x, ctx.transpose(ctx.in(0), {in.batch, in.spatial[0], in.spatial[1], in.feature}));
  // Explicit padding that is TF's SAME needs no PAD op.
  bool same = std::any_of(pad.begin(), pad.end(), [](int64_t v) { return v != 0; });
  for (size_t k = 0; same && k < ns; ++k) {
    const int64_t n = ctx.in_t(0).shape[in.spatial[k]], kk = ks[ker.spatial[k]];
    const int64_t o = (n + stride[k] - 1) / stride[k];
    const int64_t total = std::max<int64_t>(0, (o - 1) * stride[k] + (kk - 1) * rhs_dilate[k] + 1 - n);
    same = pad[2 * k] == total / 2 && pad[2 * k + 1] == total - total / 2;
  }
  const tflite::Padding padding = same ? tflite::Padding::SAME : tflite::Padding::VALID;
  if (!same && std::any_of(pad.begin(), pad.end(), [](int64_t v) { return v != 0; })) {
    std::vector<int32_t> p = {0, 0, static_cast<int32_t>(pad[0]), static_cast<int32_t>(pad[1]),
                              static_cast<int32_t>(pad[2]), static_cast<int32_t>(pad[3]), 0, 0};
    ASSIGN_OR_RETURN(x, ctx.emit1(OpCode::PAD, {x, ctx.constant(DType::kInt32, {4, 2}, to_bytes(p), "paddings")}));
  }
  TensorId bias = ctx.constant(DType::kFloat32, {cout}, to_bytes(std::vector<float>(cout, 0.0f)), "bias");
  TensorId y;
  if (groups == 1) {
    ASSIGN_OR_RETURN(TensorId w, ctx.transpose(ctx.in(1), {ker.batch, ker.spatial[0], ker.spatial[1], ker.feature}));
    tflite::Conv2DOptionsT o;
    o.padding = padding;
    o.stride_h = static_cast<int32_t>(stride[0]);
    o.stride_w = static_cast<int32_t>(stride[1]);
    o.dilation_h_factor = static_cast<int32_t>(rhs_dilate[0]);
    o.dilation_w_factor = static_cast<int32_t>(rhs_dilate[1]);
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::CONV_2D, {x, w, bias}, o));
  } else if (groups == cin && ks[ker.feature] == 1) {
    // Depthwise: kernel [H, W, 1, Cout] -> [1, H, W, Cout].
    ASSIGN_OR_RETURN(TensorId w, ctx.transpose(ctx.in(1), {ker.feature, ker.spatial[0], ker.spatial[1], ker.batch}));
    tflite::DepthwiseConv2DOptionsT o;
    o.padding = padding;
    o.stride_h = static_cast<int32_t>(stride[0]);
    o.stride_w = static_cast<int32_t>(stride[1]);
    o.dilation_h_factor = static_cast<int32_t>(rhs_dilate[0]);
    o.dilation_w_factor = static_cast<int32_t>(rhs_dilate[1]);
    o.depth_multiplier = static_cast<int32_t>(cout / cin);
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::DEPTHWISE_CONV_2D, {x, w, bias}, o));
  } else {
    return ctx.refuse("a grouped convolution (feature_group_count " + std::to_string(groups) + ")");
  }
  return to_output_layout(ctx, y, out);
}

// ---------------------------------------------------------------- control flow

std::vector<Tensor> operand_types(HloContext& ctx, int from) {
  std::vector<Tensor> t;
  for (int k = from; k < ctx.num_in(); ++k) t.push_back(ctx.in_t(k));
  return t;
}

Outs lower_while(HloContext& ctx) {
  std::vector<Tensor> types = operand_types(ctx, 0);
  ASSIGN_OR_RETURN(auto cond, ctx.region({0, types, false}));
  ASSIGN_OR_RETURN(auto body, ctx.region({1, types, true}));
  if (cond->outputs.size() != 1 || cond->t(cond->outputs[0]).dtype != DType::kBool)
    return ctx.bad("has a cond region that does not return one i1");
  std::vector<TensorId> ins = ctx.ins();
  for (TensorId c : ctx.captured()) ins.push_back(c);
  if (body->outputs.size() != ins.size()) return ctx.bad("has a body that does not return every loop value");
  ASSIGN_OR_RETURN(auto outs, ctx.emit_call(OpCode::WHILE, ins, {cond, body}, static_cast<int>(ins.size())));
  outs.resize(ctx.num_in());
  return outs;
}

Outs lower_if(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(1));
  ASSIGN_OR_RETURN(auto then_g, ctx.region({0, {}, false}));
  ASSIGN_OR_RETURN(auto else_g, ctx.region({1, {}, false}));
  std::vector<TensorId> ins{ctx.in(0)};
  for (TensorId c : ctx.captured()) ins.push_back(c);
  return ctx.emit_call(OpCode::IF, ins, {then_g, else_g}, ctx.num_results());
}

// case with two branches: index 0 takes the first, any other the last (as
// StableHLO sends an out-of-range index to the last branch).
Outs lower_case(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(1));
  if (ctx.op().regions.size() == 1) {
    ASSIGN_OR_RETURN(auto only, ctx.region({0, {}, false}));
    (void)only;
    return ctx.refuse("case with one branch");
  }
  if (ctx.op().regions.size() != 2) return ctx.refuse("case with more than two branches");
  ASSIGN_OR_RETURN(auto first, ctx.region({0, {}, false}));
  ASSIGN_OR_RETURN(auto last, ctx.region({1, {}, false}));
  ASSIGN_OR_RETURN(TensorId is_first, ctx.emit1(OpCode::EQUAL, {ctx.in(0), ctx.scalar(ctx.in_t(0).dtype, 0, "zero")}));
  std::vector<TensorId> ins{is_first};
  for (TensorId c : ctx.captured()) ins.push_back(c);
  return ctx.emit_call(OpCode::IF, ins, {first, last}, ctx.num_results());
}

// sign(NaN) is NaN and sign(-0) is -0 in StableHLO, but SIGN gives 0 for
// both: where SIGN is 0 the input itself is the answer. Other integer
// types: (x > 0) - (x < 0), which SIGN's int32-only kernel cannot do.
Outs lower_sign(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(1));
  const DType dt = ctx.in_t(0).dtype;
  TensorId x = ctx.in(0);
  if (dt == DType::kFloat32) {
    ASSIGN_OR_RETURN(TensorId s, ctx.emit1(OpCode::SIGN, {x}));
    ASSIGN_OR_RETURN(TensorId nz, ctx.emit1(OpCode::NOT_EQUAL, {s, ctx.scalar(dt, 0, "zero")}));
    return one(ctx.emit1(OpCode::SELECT_V2, {nz, s, x}));
  }
  if (dt == DType::kInt32) return one(ctx.emit1(OpCode::SIGN, {x}));
  if (dt == DType::kBool || dtype_is_float(dt)) return ctx.refuse("on " + dtype_name(dt) + " tensors");
  TensorId zero = ctx.scalar(dt, 0, "zero");
  ASSIGN_OR_RETURN(TensorId pos, ctx.emit1(OpCode::GREATER, {x, zero}));
  ASSIGN_OR_RETURN(TensorId neg, ctx.emit1(OpCode::LESS, {x, zero}));
  ASSIGN_OR_RETURN(pos, ctx.cast(pos, dt));
  ASSIGN_OR_RETURN(neg, ctx.cast(neg, dt));
  return one(modular(ctx, OpCode::SUB, {pos, neg}));
}

// round_nearest_afz (halves away from zero; ROUND rounds them to even):
// floor(|x|) plus one where the exact fraction |x| - floor(|x|) is >= 0.5
// (|x| + 0.5 would round 0.49999997 up), with x's sign put back. A zero
// stays itself (-0 too); NaN and inf pass through.
Outs lower_round_nearest_afz(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(1));
  const DType dt = ctx.in_t(0).dtype;
  if (dt != DType::kFloat32) return ctx.refuse("on " + dtype_name(dt) + " tensors");
  TensorId x = ctx.in(0);
  TensorId zero = ctx.scalar(dt, 0, "zero");
  ASSIGN_OR_RETURN(TensorId a, ctx.emit1(OpCode::ABS, {x}));
  ASSIGN_OR_RETURN(TensorId f, ctx.emit1(OpCode::FLOOR, {a}));
  ASSIGN_OR_RETURN(TensorId frac, ctx.emit1(OpCode::SUB, {a, f}));
  ASSIGN_OR_RETURN(TensorId up, ctx.emit1(OpCode::GREATER_EQUAL, {frac, ctx.scalar(dt, 0.5, "half")}));
  ASSIGN_OR_RETURN(up, ctx.cast(up, dt));
  ASSIGN_OR_RETURN(TensorId r, ctx.emit1(OpCode::ADD, {f, up}));
  ASSIGN_OR_RETURN(TensorId neg, ctx.emit1(OpCode::LESS, {x, zero}));
  ASSIGN_OR_RETURN(TensorId minus_r, ctx.emit1(OpCode::NEG, {r}));
  ASSIGN_OR_RETURN(TensorId signed_r, ctx.emit1(OpCode::SELECT_V2, {neg, minus_r, r}));
  ASSIGN_OR_RETURN(TensorId is_zero, ctx.emit1(OpCode::EQUAL, {x, zero}));
  return one(ctx.emit1(OpCode::SELECT_V2, {is_zero, x, signed_r}));
}

// shift_right_arithmetic: an amount outside [0, bits) fills with the sign
// bit; RIGHT_SHIFT clamps large amounts to bits - 1 (the same) but
// negative ones to 0, so those are made 31 first.
Outs lower_shift_right_arithmetic(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(2));
  const DType dt = ctx.in_t(0).dtype;
  // Unsigned values shift their bit pattern with its top bit as the sign:
  // the signed type of the same width (CAST keeps the bits), then back.
  const DType st = dt == DType::kUInt8 ? DType::kInt8 : dt == DType::kUInt16 ? DType::kInt16
                 : dt == DType::kUInt32 ? DType::kInt32 : dt;
  if (st != DType::kInt8 && st != DType::kInt16 && st != DType::kInt32)
    return ctx.refuse("on " + dtype_name(dt) + " tensors (RIGHT_SHIFT's signed kernels are 8/16/32-bit)");
  // SELECT_V2 has no int8/int16 kernel: shift sign-extended int32 values
  // (by up to 31, the same sign fill) and cast back. An unsigned amount of
  // 2^31 or more reads as negative, which fills with the sign too.
  TensorId x = ctx.in(0), y = ctx.in(1);
  ASSIGN_OR_RETURN(x, ctx.cast(x, st));
  if (dt != DType::kInt32) {
    ASSIGN_OR_RETURN(x, ctx.cast(x, DType::kInt32));
    ASSIGN_OR_RETURN(y, ctx.cast(y, DType::kInt32));
  }
  ASSIGN_OR_RETURN(TensorId negative, ctx.emit1(OpCode::LESS, {y, ctx.scalar(DType::kInt32, 0, "zero")}));
  ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::SELECT_V2, {negative, ctx.scalar(DType::kInt32, 31, "bits"), y}));
  ASSIGN_OR_RETURN(TensorId r, ctx.emit1(OpCode::RIGHT_SHIFT, {x, y}));
  if (dt == DType::kInt32) return one(r);
  return one(ctx.cast(r, dt));
}

// ---------------------------------------------------------------- bit ops

int int_bits(DType t) {
  switch (t) {
    case DType::kInt8: case DType::kUInt8: return 8;
    case DType::kInt16: case DType::kUInt16: return 16;
    case DType::kInt32: case DType::kUInt32: return 32;
    case DType::kInt64: case DType::kUInt64: return 64;
    default: return 0;
  }
}

DType unsigned_of(DType t) {
  switch (t) {
    case DType::kInt8: return DType::kUInt8;
    case DType::kInt16: return DType::kUInt16;
    case DType::kInt32: return DType::kUInt32;
    case DType::kInt64: return DType::kUInt64;
    default: return t;
  }
}

// Whether a shift amount is outside [0, bits), as a bool tensor. Amounts are
// compared as int32: an unsigned 32-bit amount of 2^31 or more wraps to a
// negative value, which is out of range as it should be.
Expected<TensorId> shift_out_of_range(HloContext& ctx, TensorId y, int bits, TensorId* y32) {
  ASSIGN_OR_RETURN(*y32, ctx.cast(y, DType::kInt32));
  ASSIGN_OR_RETURN(TensorId neg, ctx.emit1(OpCode::LESS, {*y32, ctx.const_i32_scalar(0, "zero")}));
  ASSIGN_OR_RETURN(TensorId big, ctx.emit1(OpCode::GREATER_EQUAL, {*y32, ctx.const_i32_scalar(bits, "bits")}));
  return ctx.emit1(OpCode::LOGICAL_OR, {neg, big});
}

// and/or on integers (TFLite has no bitwise AND/OR builtin): the bits of
// the unsigned views (RIGHT_SHIFT against [0, bits) on a new axis, FLOOR_MOD
// 2, in int64), a AND b as the sum of 2^k over bits set in both, a OR b as
// a + b - (a AND b); then CAST back, which keeps the bits. 64-bit values
// go as two uint32 halves (BITCAST).
Outs lower_bitwise(HloContext& ctx, bool is_or) {
  RETURN_IF_ERROR(ctx.expect_operands(2));
  RETURN_IF_ERROR(need_static(ctx));
  const DType dt = ctx.in_t(0).dtype;
  const int bits = int_bits(dt);
  if (bits == 0) return ctx.refuse(std::string("bitwise ") + (is_or ? "or" : "and") + " on " + dtype_name(dt));
  const Shape shape = ctx.result_shape(0);
  if (ctx.in_t(0).shape != shape || ctx.in_t(1).shape != shape) return ctx.bad("needs operands of the result's shape");
  const int lane_bits = bits == 64 ? 32 : bits;
  const DType ut = bits == 64 ? DType::kUInt32 : unsigned_of(dt);
  Shape lanes = shape;
  lanes.push_back(bits == 64 ? 2 : 1);
  auto unsigned_lanes = [&](TensorId x) -> Expected<TensorId> {
    if (bits == 64) return ctx.bitcast(x, DType::kUInt32);  // [..., 2]
    ASSIGN_OR_RETURN(x, ctx.cast(x, ut));
    return ctx.reshape(x, lanes);
  };
  const int es = static_cast<int>(dtype_size(ut));
  std::string kbytes(static_cast<size_t>(lane_bits * es), '\0');
  for (int k = 0; k < lane_bits; ++k) kbytes[static_cast<size_t>(k * es)] = static_cast<char>(k);
  TensorId k = ctx.constant(ut, {lane_bits}, std::move(kbytes), "bit_index");
  std::vector<int64_t> weights(lane_bits);
  for (int b = 0; b < lane_bits; ++b) weights[b] = int64_t{1} << b;
  TensorId w = ctx.const_i64(weights, "bit_weight");
  Shape with_bits = lanes;
  with_bits.push_back(1);
  auto bits_of = [&](TensorId u) -> Expected<TensorId> {
    ASSIGN_OR_RETURN(TensorId x, ctx.reshape(u, with_bits));
    ASSIGN_OR_RETURN(x, ctx.emit1(OpCode::RIGHT_SHIFT, {x, k}));
    ASSIGN_OR_RETURN(x, ctx.cast(x, DType::kInt64));
    return ctx.emit1(OpCode::FLOOR_MOD, {x, ctx.scalar(DType::kInt64, 2, "two")});
  };
  ASSIGN_OR_RETURN(TensorId ua, unsigned_lanes(ctx.in(0)));
  ASSIGN_OR_RETURN(TensorId ub, unsigned_lanes(ctx.in(1)));
  ASSIGN_OR_RETURN(TensorId pa, bits_of(ua));
  ASSIGN_OR_RETURN(TensorId pb, bits_of(ub));
  ASSIGN_OR_RETURN(TensorId both, ctx.emit1(OpCode::MUL, {pa, pb}));
  ASSIGN_OR_RETURN(both, ctx.emit1(OpCode::MUL, {both, w}));
  tflite::ReducerOptionsT ro;
  ro.keep_dims = false;
  ASSIGN_OR_RETURN(TensorId v, ctx.emit1(OpCode::SUM, {both, ctx.const_i32({static_cast<int32_t>(lanes.size())}, "axis")}, ro));
  if (is_or) {
    ASSIGN_OR_RETURN(TensorId a64, ctx.cast(ua, DType::kInt64));
    ASSIGN_OR_RETURN(TensorId b64, ctx.cast(ub, DType::kInt64));
    ASSIGN_OR_RETURN(TensorId sum, ctx.emit1(OpCode::ADD, {a64, b64}));
    ASSIGN_OR_RETURN(v, ctx.emit1(OpCode::SUB, {sum, v}));
  }
  ASSIGN_OR_RETURN(v, ctx.cast(v, ut));  // [..., lanes], in range
  if (bits == 64) return one(ctx.bitcast(v, dt));
  ASSIGN_OR_RETURN(v, ctx.reshape(v, shape));
  return one(ctx.cast(v, dt));
}

// not on integers: x XOR all-ones (BITWISE_XOR, 8-32 bit); 64-bit as
// -1 - x on the int64 bits.
Outs lower_bitwise_not(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(1));
  const DType dt = ctx.in_t(0).dtype;
  const int bits = int_bits(dt);
  if (bits == 0) return ctx.refuse("bitwise not on " + dtype_name(dt));
  if (bits == 64) {
    ASSIGN_OR_RETURN(TensorId x, bits64(ctx, ctx.in(0)));
    ASSIGN_OR_RETURN(TensorId r, ctx.emit1(OpCode::SUB, {ctx.scalar(DType::kInt64, -1, "ones"), x}));
    return one(ctx.bitcast(r, dt));
  }
  TensorId ones = ctx.constant(dt, {}, std::string(static_cast<size_t>(bits / 8), '\xff'), "ones");
  return one(ctx.emit1(OpCode::BITWISE_XOR, {ctx.in(0), ones}));
}

// count_leading_zeros: the number of k in [0, bits) with u < 2^k (u the
// unsigned value): all of them for 0, none when the top bit is set.
Outs lower_count_leading_zeros(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(1));
  RETURN_IF_ERROR(need_static(ctx));
  const DType dt = ctx.in_t(0).dtype;
  const int bits = int_bits(dt);
  if (bits == 0) return ctx.refuse("on " + dtype_name(dt) + " tensors");
  Shape with_bits = ctx.in_t(0).shape;
  with_bits.push_back(1);
  std::vector<int64_t> pow2(bits);
  for (int k = 0; k < bits; ++k) pow2[k] = static_cast<int64_t>(uint64_t{1} << k);
  TensorId p = ctx.const_i64(pow2, "pow2");
  TensorId below;
  if (bits == 64) {
    ASSIGN_OR_RETURN(TensorId u, bits64(ctx, ctx.in(0)));
    ASSIGN_OR_RETURN(u, ctx.reshape(u, with_bits));
    ASSIGN_OR_RETURN(below, unsigned_less64(ctx, u, p));
  } else {
    ASSIGN_OR_RETURN(TensorId u, ctx.cast(ctx.in(0), unsigned_of(dt)));
    ASSIGN_OR_RETURN(u, ctx.cast(u, DType::kInt64));
    ASSIGN_OR_RETURN(u, ctx.reshape(u, with_bits));
    ASSIGN_OR_RETURN(below, ctx.emit1(OpCode::LESS, {u, p}));
  }
  ASSIGN_OR_RETURN(TensorId n, ctx.cast(below, DType::kInt32));
  tflite::ReducerOptionsT ro;
  ro.keep_dims = false;
  ASSIGN_OR_RETURN(n, ctx.emit1(OpCode::SUM, {n, ctx.const_i32({static_cast<int32_t>(with_bits.size() - 1)}, "axis")}, ro));
  if (dt == DType::kUInt64) {
    ASSIGN_OR_RETURN(n, ctx.cast(n, DType::kInt64));
    return one(ctx.bitcast(n, dt));
  }
  return one(ctx.cast(n, dt));
}

// chlo.mulhi: the high half of the double-width product. 8/16-bit: the
// int32 product shifted right by the width (arithmetic: the floor, as the
// high half of a signed product is); 32-bit: the int64 product (which wraps
// for two large unsigned values, keeping the bits) BITCAST to two 32-bit
// halves, the second one the high half.
Outs lower_mulhi(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(2));
  RETURN_IF_ERROR(need_static(ctx));
  const DType dt = ctx.in_t(0).dtype;
  const int bits = int_bits(dt);
  if (bits == 0 || bits == 64) return ctx.refuse("on " + dtype_name(dt) + " tensors");
  const Shape shape = ctx.result_shape(0);
  if (ctx.in_t(0).shape != shape || ctx.in_t(1).shape != shape) return ctx.bad("needs operands of the result's shape");
  if (bits < 32) {
    ASSIGN_OR_RETURN(TensorId a, ctx.cast(ctx.in(0), DType::kInt32));
    ASSIGN_OR_RETURN(TensorId b, ctx.cast(ctx.in(1), DType::kInt32));
    ASSIGN_OR_RETURN(TensorId p, ctx.emit1(OpCode::MUL, {a, b}));
    ASSIGN_OR_RETURN(p, ctx.emit1(OpCode::RIGHT_SHIFT, {p, ctx.const_i32_scalar(bits, "width")}));
    return one(ctx.cast(p, dt));
  }
  ASSIGN_OR_RETURN(TensorId a, ctx.cast(ctx.in(0), DType::kInt64));
  ASSIGN_OR_RETURN(TensorId b, ctx.cast(ctx.in(1), DType::kInt64));
  ASSIGN_OR_RETURN(TensorId p, ctx.emit1(OpCode::MUL, {a, b}));
  ASSIGN_OR_RETURN(TensorId halves, ctx.bitcast(p, dt));  // [..., 2], little-endian
  const int r = static_cast<int>(shape.size());
  std::vector<int32_t> begin(r + 1, 0), size(shape.begin(), shape.end());
  begin[r] = 1;
  size.push_back(1);
  ASSIGN_OR_RETURN(TensorId hi, ctx.emit1(OpCode::SLICE, {halves, ctx.const_i32(begin, "begin"), ctx.const_i32(size, "size")}));
  return one(ctx.reshape(hi, shape));
}

// shift_left: x * 2^y, with 2^y looked up (GATHER) in a table whose last
// entry, 0, is taken for an amount outside [0, bits), which StableHLO
// shifts to 0. The product is formed in a type wide enough to hold it
// (int32 for 8/16-bit x, int64 for 32-bit) and CAST back, which keeps the
// low bits. TFLite has no left shift builtin.
Outs lower_shift_left(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(2));
  const DType dt = ctx.in_t(0).dtype;
  const int bits = int_bits(dt);
  if (bits == 0) return ctx.refuse("on " + dtype_name(dt) + " tensors");
  // 64-bit: the int64 product wraps, keeping the low 64 bits (uint64 as its
  // int64 bits; an amount of 2^31 or more is out of range either way).
  const DType wide = bits >= 32 ? DType::kInt64 : DType::kInt32;
  TensorId y32, amount = ctx.in(1);
  if (bits == 64) {
    ASSIGN_OR_RETURN(amount, bits64(ctx, amount));
    // Amounts outside int32 are out of range: clamp into [-1, 64] first.
    ASSIGN_OR_RETURN(amount, ctx.emit1(OpCode::MINIMUM, {amount, ctx.scalar(DType::kInt64, 64, "bits")}));
    ASSIGN_OR_RETURN(amount, ctx.emit1(OpCode::MAXIMUM, {amount, ctx.scalar(DType::kInt64, -1, "minus_one")}));
  }
  ASSIGN_OR_RETURN(TensorId oob, shift_out_of_range(ctx, amount, bits, &y32));
  ASSIGN_OR_RETURN(TensorId idx, ctx.emit1(OpCode::SELECT_V2, {oob, ctx.const_i32_scalar(bits, "bits"), y32}));
  std::vector<int64_t> pow2(bits + 1, 0);
  for (int k = 0; k < bits; ++k) pow2[k] = static_cast<int64_t>(uint64_t{1} << k);
  TensorId table;
  if (wide == DType::kInt64) {
    table = ctx.const_i64(pow2, "pow2");
  } else {
    std::vector<int32_t> p(pow2.begin(), pow2.end());
    table = ctx.const_i32(p, "pow2");
  }
  tflite::GatherOptionsT go;
  ASSIGN_OR_RETURN(TensorId scale, ctx.emit1(OpCode::GATHER, {table, idx}, go));
  if (bits == 64) {
    ASSIGN_OR_RETURN(TensorId x, bits64(ctx, ctx.in(0)));
    ASSIGN_OR_RETURN(TensorId r, ctx.emit1(OpCode::MUL, {x, scale}));
    return one(ctx.bitcast(r, dt));
  }
  ASSIGN_OR_RETURN(TensorId x, ctx.cast(ctx.in(0), wide));
  ASSIGN_OR_RETURN(TensorId r, ctx.emit1(OpCode::MUL, {x, scale}));
  return one(ctx.cast(r, dt));
}

// shift_right_logical on the unsigned view of x (a CAST to the unsigned
// type of the same width keeps the bits): RIGHT_SHIFT is logical there but
// clamps amounts to bits - 1, so an amount outside [0, bits) shifts by
// bits - 1 and then by 1 more, which leaves 0 as StableHLO says.
Outs lower_shift_right_logical(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(2));
  const DType dt = ctx.in_t(0).dtype;
  const int bits = int_bits(dt);
  if (bits == 0 || bits == 64) return ctx.refuse("on " + dtype_name(dt) + " tensors (RIGHT_SHIFT's kernels are 8/16/32-bit)");
  const DType ut = unsigned_of(dt);
  TensorId y32;
  ASSIGN_OR_RETURN(TensorId oob, shift_out_of_range(ctx, ctx.in(1), bits, &y32));
  ASSIGN_OR_RETURN(TensorId first, ctx.emit1(OpCode::SELECT_V2, {oob, ctx.const_i32_scalar(bits - 1, "last_bit"), y32}));
  ASSIGN_OR_RETURN(TensorId second, ctx.cast(oob, DType::kInt32));
  ASSIGN_OR_RETURN(first, ctx.cast(first, ut));
  ASSIGN_OR_RETURN(second, ctx.cast(second, ut));
  ASSIGN_OR_RETURN(TensorId x, ctx.cast(ctx.in(0), ut));
  ASSIGN_OR_RETURN(x, ctx.emit1(OpCode::RIGHT_SHIFT, {x, first}));
  ASSIGN_OR_RETURN(x, ctx.emit1(OpCode::RIGHT_SHIFT, {x, second}));
  return one(ctx.cast(x, dt));
}

// popcnt: each bit of the unsigned view by RIGHT_SHIFT against [0, bits)
// on a new last axis, then FLOOR_MOD 2 and SUM in int64 (which holds every
// 32-bit unsigned value). A 64-bit x is BITCAST to two 32-bit halves first.
Outs lower_popcnt(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(1));
  RETURN_IF_ERROR(need_static(ctx));
  const DType dt = ctx.in_t(0).dtype;
  int bits = int_bits(dt);
  if (bits == 0) return ctx.refuse("on " + dtype_name(dt) + " tensors");
  const Shape shape = ctx.in_t(0).shape;
  TensorId x = ctx.in(0);
  Shape view = shape;
  if (bits == 64) {
    ASSIGN_OR_RETURN(x, ctx.bitcast(x, DType::kUInt32));  // [..., 2]
    bits = 32;
  } else {
    ASSIGN_OR_RETURN(x, ctx.cast(x, unsigned_of(dt)));
    view.push_back(1);
    ASSIGN_OR_RETURN(x, ctx.reshape(x, view));
  }
  const DType ut = ctx.graph().t(x).dtype;
  // The amounts 0..bits-1 in the unsigned type (little-endian, written by
  // hand: the numeric helpers have no uint32).
  const int es = static_cast<int>(dtype_size(ut));
  std::string kbytes(static_cast<size_t>(bits * es), '\0');
  for (int k = 0; k < bits; ++k) kbytes[static_cast<size_t>(k * es)] = static_cast<char>(k);
  // [..., m, 1] >> [bits] -> [..., m, bits] (m = 2 halves, or 1).
  const Shape xs = ctx.graph().t(x).shape;
  Shape with_bits = xs;
  with_bits.push_back(1);
  ASSIGN_OR_RETURN(x, ctx.reshape(x, with_bits));
  TensorId k = ctx.constant(ut, {bits}, std::move(kbytes), "bit_index");
  ASSIGN_OR_RETURN(TensorId shifted, ctx.emit1(OpCode::RIGHT_SHIFT, {x, k}));
  ASSIGN_OR_RETURN(shifted, ctx.cast(shifted, DType::kInt64));
  ASSIGN_OR_RETURN(TensorId bit, ctx.emit1(OpCode::FLOOR_MOD, {shifted, ctx.scalar(DType::kInt64, 2, "two")}));
  Shape flat = shape;
  flat.push_back(static_cast<int64_t>(xs.back()) * bits);
  ASSIGN_OR_RETURN(bit, ctx.reshape(bit, flat));
  tflite::ReducerOptionsT ro;
  ro.keep_dims = false;
  ASSIGN_OR_RETURN(TensorId count, ctx.emit1(OpCode::SUM, {bit, ctx.const_i32({static_cast<int32_t>(shape.size())}, "axis")}, ro));
  if (dt == DType::kUInt64) return one(ctx.bitcast(count, dt));  // 0..64: the same bits
  return one(ctx.cast(count, dt));
}

// bitcast_convert is BITCAST: both read little-endian bytes, and a size
// change adds or drops a last dimension the same way.
Outs lower_bitcast_convert(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(1));
  RETURN_IF_ERROR(need_static(ctx));
  const DType to = ctx.result_dtype(0);
  if (ctx.in_t(0).dtype == DType::kBool || to == DType::kBool) return ctx.refuse("bitcast_convert of i1");
  return one(ctx.bitcast(ctx.in(0), to));
}

Outs lower_atan2(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(2));
  if (ctx.in_t(0).dtype != DType::kFloat32) return ctx.refuse("on " + dtype_name(ctx.in_t(0).dtype) + " tensors");
  return one(ctx.emit1(OpCode::ATAN2, {ctx.in(0), ctx.in(1)}));
}

Outs lower_custom_call(HloContext& ctx) {
  const mlir::Attr* t = ctx.op().attr("callee");
  if (!t) t = ctx.op().attr("call_target_name");
  return ctx.refuse("custom_call @" + (t ? t->s : std::string("?")));
}

// chlo.erf (jax.lax.erf, the exact GELU): TF's float32 rational function.
Outs lower_erf(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(1));
  if (ctx.in_t(0).dtype != DType::kFloat32) return ctx.refuse("on " + dtype_name(ctx.in_t(0).dtype) + " tensors (float32 only)");
  return one(emit_erf(ctx, ctx.in(0)));
}

Outs lower_top_k(HloContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_operands(1));
  ASSIGN_OR_RETURN(int64_t k, ctx.int_attr("k"));
  // TOPK_V2 has no bool kernel: rank false < true as int32.
  const DType dt = ctx.in_t(0).dtype;
  TensorId x = ctx.in(0);
  if (dt == DType::kBool || (narrow_int(dt) && dt != DType::kInt8 && dt != DType::kUInt8)) {
    ASSIGN_OR_RETURN(x, ctx.cast(x, DType::kInt32));
  }
  ASSIGN_OR_RETURN(auto outs, ctx.emit(OpCode::TOPK_V2, {x, ctx.const_i32_scalar(static_cast<int32_t>(k), "k")}, {}, 2));
  ASSIGN_OR_RETURN(outs[0], ctx.cast(outs[0], dt));
  return outs;
}

const std::map<std::string, HloLowering>& table() {
  static const std::map<std::string, HloLowering> t = {
      // elementwise
      {"stablehlo.add", binary(OpCode::ADD)},
      {"stablehlo.subtract", binary(OpCode::SUB)},
      {"stablehlo.multiply", binary(OpCode::MUL)},
      {"stablehlo.divide", lower_divide},
      {"stablehlo.maximum", binary(OpCode::MAXIMUM)},
      {"stablehlo.minimum", binary(OpCode::MINIMUM)},
      {"stablehlo.power", float_binary(OpCode::POW)},
      {"stablehlo.remainder", lower_remainder},
      {"stablehlo.and", logical(OpCode::LOGICAL_AND, "and")},
      {"stablehlo.or", logical(OpCode::LOGICAL_OR, "or")},
      {"stablehlo.xor", logical(OpCode::NOT_EQUAL, "xor")},
      {"stablehlo.not", logical(OpCode::LOGICAL_NOT, "not")},
      {"stablehlo.abs", unary(OpCode::ABS, false)},
      {"stablehlo.sign", lower_sign},
      {"stablehlo.atan2", lower_atan2},
      {"stablehlo.shift_right_arithmetic", lower_shift_right_arithmetic},
      {"stablehlo.shift_left", lower_shift_left},
      {"stablehlo.shift_right_logical", lower_shift_right_logical},
      {"stablehlo.popcnt", lower_popcnt},
      {"stablehlo.count_leading_zeros", lower_count_leading_zeros},
      {"chlo.mulhi", lower_mulhi},
      {"stablehlo.bitcast_convert", lower_bitcast_convert},
      {"stablehlo.negate", unary(OpCode::NEG, false)},
      {"stablehlo.exponential", unary(OpCode::EXP)},
      {"stablehlo.log", unary(OpCode::LOG)},
      {"stablehlo.sqrt", unary(OpCode::SQRT)},
      {"stablehlo.rsqrt", unary(OpCode::RSQRT)},
      {"stablehlo.tanh", unary(OpCode::TANH)},
      {"stablehlo.logistic", unary(OpCode::LOGISTIC)},
      {"chlo.erf", lower_erf},
      {"stablehlo.sine", unary(OpCode::SIN)},
      {"stablehlo.cosine", unary(OpCode::COS)},
      {"stablehlo.floor", unary(OpCode::FLOOR)},
      {"stablehlo.ceil", unary(OpCode::CEIL)},
      {"stablehlo.round_nearest_even", unary(OpCode::ROUND)},
      {"stablehlo.round_nearest_afz", lower_round_nearest_afz},
      {"stablehlo.compare", lower_compare},
      {"stablehlo.select", lower_select},
      {"stablehlo.clamp", lower_clamp},
      {"stablehlo.convert", lower_convert},
      // structure
      {"stablehlo.constant", lower_constant},
      {"arith.constant", lower_constant},
      {"stablehlo.iota", lower_iota},
      {"stablehlo.broadcast_in_dim", lower_broadcast_in_dim},
      {"stablehlo.reshape", lower_reshape},
      {"stablehlo.transpose", lower_transpose},
      {"stablehlo.slice", lower_slice},
      {"stablehlo.concatenate", lower_concatenate},
      {"stablehlo.pad", lower_pad},
      {"stablehlo.reverse", lower_reverse},
      {"stablehlo.optimization_barrier", lower_identity},
      {"stablehlo.reduce_precision", lower_reduce_precision},
      {"stablehlo.dynamic_slice", lower_dynamic_slice},
      {"stablehlo.dynamic_update_slice", lower_dynamic_update_slice},
      {"stablehlo.gather", lower_gather},
      {"stablehlo.scatter", lower_scatter},
      {"stablehlo.sort", lower_sort},
      // compute
      {"stablehlo.dot_general", lower_dot_general},
      {"stablehlo.reduce", lower_reduce},
      {"stablehlo.convolution", lower_convolution},
      {"stablehlo.reduce_window", lower_reduce_window},
      {"chlo.top_k", lower_top_k},
      // control flow
      {"stablehlo.while", lower_while},
      {"stablehlo.if", lower_if},
      {"stablehlo.case", lower_case},
      {"stablehlo.custom_call", lower_custom_call},
  };
  return t;
}

}  // namespace

const HloLowering* find_hlo_lowering(const std::string& name) {
  auto it = table().find(name);
  return it == table().end() ? nullptr : &it->second;
}

}  // namespace tflc
