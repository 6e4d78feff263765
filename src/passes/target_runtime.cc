// --target_runtime. Each op's version (its record's op_version.cc rule) must
// be one the target runtime has (its record's runtime_version.cc table). An
// op over the cap is first re-lowered into ops of older versions where an
// exact equivalent exists:
//   TRANSPOSE of rank 5/6      -> RESHAPE, TRANSPOSE of the merged axes, RESHAPE
//                                 (size-1 axes dropped, axes that stay
//                                 neighbours merged; the same data movement;
//                                 at most one dynamic dimension)
//   TRANSPOSE_CONV with a bias -> TRANSPOSE_CONV, then ADD (float: the
//                                 kernel adds the bias after the sum too)
//   grouped CONV_2D            -> SPLIT, one CONV_2D per group, CONCATENATION
//                                 (float, constant filter)
//   BATCH_MATMUL (2.3)         -> FULLY_CONNECTED with the weights y^T
//                                 (float, static shapes; one per batch,
//                                 between UNPACK and PACK, if y is batched)
//   SELECT_V2 (2.2)            -> SELECT, broadcast operands TILEd to the
//                                 output's shape first (static shapes)
// A re-lowering is kept only when every op it makes fits the target;
// anything else is refused by name.
#include "passes/target_runtime.h"

#include <cstdlib>
#include <optional>

#include "ops/ir_builder.h"
#include "ops/op_util.h"

namespace tflc {

namespace {

// The runtime the op's version needs; "" when its table has none.
std::string needed_runtime(const Graph& g, const Op& op, int* version) {
  const OpSchema* s = find_op(op.code);
  *version = op_version(g, op);
  if (!s || *version < 1 || static_cast<size_t>(*version) > s->runtime_versions.size()) return "";
  return s->runtime_versions[*version - 1];
}

bool fits(const Graph& g, const Op& op, const std::string& runtime) {
  int v = 0;
  std::string r = needed_runtime(g, op, &v);
  return !r.empty() && !runtime_version_less(runtime, r);
}

using Lowered = std::optional<TensorId>;  // the replacement of output 0; nullopt: no re-lowering applies

// ------------------------------------------------------------ TRANSPOSE
Expected<Lowered> merge_transpose_axes(Graph& g, const Op& op, IrBuilder& b) {
  const Tensor x = g.t(op.inputs[0]);
  auto perm = const_ints(g, op.inputs[1]);
  // One dynamic dimension is fine: RESHAPE takes -1 for it (its merged axis is -1).
  int dynamic = 0;
  for (int64_t d : x.shape) dynamic += d < 0;
  if (x.unknown_rank || dynamic > 1 || !perm.ok() || static_cast<int>(perm->size()) != x.rank()) return Lowered();
  // Input axes that are not 1, numbered in input order.
  std::vector<int> kept_rank(x.rank(), -1);
  std::vector<int64_t> kept_size;
  for (int a = 0; a < x.rank(); ++a)
    if (x.shape[a] != 1) {
      kept_rank[a] = static_cast<int>(kept_size.size());
      kept_size.push_back(x.shape[a]);
    }
  std::vector<int> out_order;  // kept ranks in output order
  for (int64_t p : *perm)
    if (p < 0 || p >= x.rank()) return Lowered();
    else if (kept_rank[p] >= 0) out_order.push_back(kept_rank[p]);
  // Runs of neighbours in output order are one axis.
  std::vector<int> group_of(kept_size.size(), -1), group_first;
  for (size_t i = 0; i < out_order.size(); ++i) {
    if (i == 0 || out_order[i] != out_order[i - 1] + 1) group_first.push_back(out_order[i]);
    group_of[out_order[i]] = static_cast<int>(group_first.size()) - 1;
  }
  if (static_cast<int>(group_first.size()) >= x.rank()) return Lowered();  // nothing merges
  // Merged input shape (groups in input order) and the permutation of groups.
  std::vector<int> groups_in_input_order;
  std::vector<int32_t> merged_shape;
  for (size_t k = 0; k < kept_size.size(); ++k)
    if (k == 0 || group_of[k] != group_of[k - 1]) {
      groups_in_input_order.push_back(group_of[k]);
      merged_shape.push_back(static_cast<int32_t>(kept_size[k]));
    } else if (merged_shape.back() < 0 || kept_size[k] < 0) {
      merged_shape.back() = -1;
    } else {
      merged_shape.back() *= static_cast<int32_t>(kept_size[k]);
    }
  std::vector<int32_t> new_perm;
  for (size_t gi = 0; gi < group_first.size(); ++gi)
    for (size_t j = 0; j < groups_in_input_order.size(); ++j)
      if (groups_in_input_order[j] == static_cast<int>(gi)) new_perm.push_back(static_cast<int32_t>(j));
  std::vector<int32_t> out_shape;
  for (int64_t d : g.t(op.outputs[0]).shape) out_shape.push_back(static_cast<int32_t>(d));
  auto same_quant = [&](TensorId t) { g.t(t).quant = x.quant; };  // TRANSPOSE and RESHAPE keep the qparams
  ASSIGN_OR_RETURN(TensorId y, b.emit1(OpCode::RESHAPE, {op.inputs[0], b.const_i32(merged_shape, "merged_shape")}));
  same_quant(y);
  if (new_perm.size() > 1) {
    ASSIGN_OR_RETURN(y, b.emit1(OpCode::TRANSPOSE, {y, b.const_i32(new_perm, "merged_perm")}));
    same_quant(y);
  }
  ASSIGN_OR_RETURN(y, b.emit1(OpCode::RESHAPE, {y, b.const_i32(out_shape, "shape")}));
  return Lowered(y);
}

// ------------------------------------------------------- TRANSPOSE_CONV
// A bias input needs version 3 (TFLite 2.3): older targets get the sum
// without it, then ADD. (Nothing here fuses an activation into
// TRANSPOSE_CONV, so version 4 never needs splitting.)
Expected<Lowered> split_transpose_conv_bias(Graph& g, const Op& op, IrBuilder& b) {
  if (op.inputs.size() != 4 || op.inputs[3] < 0 || g.t(op.inputs[2]).dtype != DType::kFloat32 ||
      g.t(op.inputs[1]).dtype != DType::kFloat32 ||
      opts<tflite::TransposeConvOptionsT>(op).fused_activation_function != Activation::NONE)
    return Lowered();
  std::vector<TensorId> ins(op.inputs.begin(), op.inputs.begin() + 3);
  ASSIGN_OR_RETURN(TensorId y, b.emit1(OpCode::TRANSPOSE_CONV, ins, op.options));
  ASSIGN_OR_RETURN(y, b.emit1(OpCode::ADD, {y, op.inputs[3]}));
  return Lowered(y);
}

// -------------------------------------------------------------- CONV_2D
Expected<Lowered> split_grouped_conv(Graph& g, const Op& op, IrBuilder& b) {
  const Tensor& x = g.t(op.inputs[0]);
  const Tensor& f = g.t(op.inputs[1]);
  TensorId bias = op.inputs.size() > 2 ? op.inputs[2] : kNoTensor;
  if (x.dtype != DType::kFloat32 || f.dtype != DType::kFloat32 || !f.is_const() || x.rank() != 4 || f.rank() != 4 ||
      !f.has_static_shape() || x.shape[3] <= 0 || f.shape[3] <= 0 || x.shape[3] % f.shape[3] != 0)
    return Lowered();
  if (bias >= 0 && (!g.t(bias).is_const() || g.t(bias).dtype != DType::kFloat32)) return Lowered();
  const int64_t groups = x.shape[3] / f.shape[3], out_channels = f.shape[0];
  if (groups < 2 || out_channels % groups != 0) return Lowered();
  const int64_t per_group = out_channels / groups;
  const size_t filter_bytes = static_cast<size_t>(per_group * f.shape[1] * f.shape[2] * f.shape[3]) * sizeof(float);
  const std::string fdata = *f.data;  // OHWI: a group's filters are contiguous
  const std::string bdata = bias >= 0 ? *g.t(bias).data : std::string();
  const auto conv_options = opts<tflite::Conv2DOptionsT>(op);
  ASSIGN_OR_RETURN(std::vector<TensorId> parts,
                   b.emit(OpCode::SPLIT, {b.const_i32_scalar(3, "group_axis"), op.inputs[0]},
                          tflite::SplitOptionsT{.num_splits = static_cast<int32_t>(groups)}, static_cast<int>(groups)));
  std::vector<TensorId> outs;
  for (int64_t k = 0; k < groups; ++k) {
    std::string sfx = "group" + std::to_string(k);
    TensorId fk = b.constant(DType::kFloat32, {per_group, f.shape[1], f.shape[2], f.shape[3]},
                             fdata.substr(static_cast<size_t>(k) * filter_bytes, filter_bytes), sfx + "/filter");
    TensorId bk = kNoTensor;
    if (bias >= 0)
      bk = b.constant(DType::kFloat32, {per_group},
                      bdata.substr(static_cast<size_t>(k * per_group) * sizeof(float), per_group * sizeof(float)),
                      sfx + "/bias");
    std::vector<TensorId> ins = {parts[k], fk};
    if (op.inputs.size() > 2) ins.push_back(bk);
    ASSIGN_OR_RETURN(TensorId y, b.emit1(OpCode::CONV_2D, ins, conv_options));
    outs.push_back(y);
  }
  ASSIGN_OR_RETURN(TensorId y, b.emit1(OpCode::CONCATENATION, outs, tflite::ConcatenationOptionsT{.axis = 3}));
  return Lowered(y);
}

// --------------------------------------------------------- BATCH_MATMUL
// BATCH_MATMUL came in TFLite 2.3. A float product x·y is FULLY_CONNECTED of
// x (its last two axes swapped for adj_x) with weights y^T ([N, K]): one FC
// when y has no batch (keep_num_dims keeps x's batch), else one per batch
// (UNPACK, FC, PACK) when both have the same static batch.
constexpr int64_t kMaxUnrolledBatch = 64;

Expected<TensorId> swap_last_two(IrBuilder& b, TensorId t, int rank) {
  std::vector<int32_t> perm;
  for (int i = 0; i < rank; ++i) perm.push_back(i);
  std::swap(perm[rank - 1], perm[rank - 2]);
  return b.emit1(OpCode::TRANSPOSE, {t, b.const_i32(perm, "perm")});
}

Expected<Lowered> batch_matmul_as_fully_connected(Graph& g, const Op& op, IrBuilder& b) {
  const Tensor x = g.t(op.inputs[0]), y = g.t(op.inputs[1]);
  const Tensor& out = g.t(op.outputs[0]);
  if (x.dtype != DType::kFloat32 || y.dtype != DType::kFloat32 || !x.has_static_shape() || !y.has_static_shape() ||
      !out.has_static_shape() || x.rank() < 2 || y.rank() < 2)
    return Lowered();
  const auto& a = opts<tflite::BatchMatMulOptionsT>(op);
  const int rx = x.rank(), ry = y.rank();
  const Shape bx(x.shape.begin(), x.shape.end() - 2), by(y.shape.begin(), y.shape.end() - 2);
  const int64_t batch_y = num_elements(by), batch_x = num_elements(bx);
  std::vector<int32_t> out_shape(out.shape.begin(), out.shape.end());
  auto weights = [&](TensorId w2) -> Expected<TensorId> {  // [K, N] or [N, K] -> [N, K]
    if (a.adj_y) return w2;
    return swap_last_two(b, w2, 2);
  };
  TensorId result;
  if (batch_y == 1) {
    TensorId w = op.inputs[1];
    if (ry > 2) {
      ASSIGN_OR_RETURN(w, b.emit1(OpCode::RESHAPE, {w, b.const_i32({static_cast<int32_t>(y.shape[ry - 2]),
                                                                     static_cast<int32_t>(y.shape[ry - 1])},
                                                                    "weights_shape")}));
    }
    ASSIGN_OR_RETURN(w, weights(w));
    TensorId in = op.inputs[0];
    if (a.adj_x) {
      ASSIGN_OR_RETURN(in, swap_last_two(b, in, rx));
    }
    ASSIGN_OR_RETURN(result, b.emit1(OpCode::FULLY_CONNECTED, {in, w, kNoTensor},
                                     tflite::FullyConnectedOptionsT{.keep_num_dims = rx > 2}));
  } else {
    if (bx != by || batch_x > kMaxUnrolledBatch) return Lowered();
    auto flat3 = [&](TensorId t, const Tensor& s) -> Expected<TensorId> {
      return b.emit1(OpCode::RESHAPE, {t, b.const_i32({static_cast<int32_t>(batch_x),
                                                       static_cast<int32_t>(s.shape[s.rank() - 2]),
                                                       static_cast<int32_t>(s.shape[s.rank() - 1])},
                                                      "batch_shape")});
    };
    ASSIGN_OR_RETURN(TensorId x3, flat3(op.inputs[0], x));
    ASSIGN_OR_RETURN(TensorId y3, flat3(op.inputs[1], y));
    const int n = static_cast<int>(batch_x);
    ASSIGN_OR_RETURN(std::vector<TensorId> xs,
                     b.emit(OpCode::UNPACK, {x3}, tflite::UnpackOptionsT{.num = n, .axis = 0}, n));
    ASSIGN_OR_RETURN(std::vector<TensorId> ys,
                     b.emit(OpCode::UNPACK, {y3}, tflite::UnpackOptionsT{.num = n, .axis = 0}, n));
    std::vector<TensorId> parts;
    for (int i = 0; i < n; ++i) {
      TensorId in = xs[i];
      if (a.adj_x) {
        ASSIGN_OR_RETURN(in, swap_last_two(b, in, 2));
      }
      ASSIGN_OR_RETURN(TensorId w, weights(ys[i]));
      ASSIGN_OR_RETURN(TensorId p, b.emit1(OpCode::FULLY_CONNECTED, {in, w, kNoTensor}));
      parts.push_back(p);
    }
    ASSIGN_OR_RETURN(result, b.emit1(OpCode::PACK, parts, tflite::PackOptionsT{.values_count = n, .axis = 0}));
  }
  if (g.t(result).shape != out.shape) {
    ASSIGN_OR_RETURN(result, b.emit1(OpCode::RESHAPE, {result, b.const_i32(out_shape, "shape")}));
  }
  return Lowered(result);
}

// ------------------------------------------------------------ SELECT_V2
// SELECT_V2 (2.2) broadcasts; SELECT takes operands of the output's shape,
// so the smaller ones are made that shape first (RESHAPE to the rank, TILE).
Expected<Lowered> select_v2_as_select(Graph& g, const Op& op, IrBuilder& b) {
  const Tensor& out = g.t(op.outputs[0]);
  if (op.inputs.size() != 3 || !out.has_static_shape()) return Lowered();
  const Shape out_shape = out.shape;
  std::vector<TensorId> ins;
  for (TensorId id : op.inputs) {
    const Tensor t = g.t(id);
    if (!t.has_static_shape() || t.rank() > static_cast<int>(out_shape.size())) return Lowered();
    TensorId v = id;
    if (t.shape != out_shape) {
      Shape s(out_shape.size() - t.shape.size(), 1);
      s.insert(s.end(), t.shape.begin(), t.shape.end());
      if (s != t.shape) {
        ASSIGN_OR_RETURN(v, b.emit1(OpCode::RESHAPE, {v, b.const_i32(std::vector<int32_t>(s.begin(), s.end()),
                                                                     "ranked_shape")}));
        g.t(v).quant = t.quant;
      }
      std::vector<int32_t> multiples;
      for (size_t i = 0; i < s.size(); ++i) multiples.push_back(static_cast<int32_t>(s[i] == 1 ? out_shape[i] : 1));
      ASSIGN_OR_RETURN(v, b.emit1(OpCode::TILE, {v, b.const_i32(multiples, "multiples")}));
      g.t(v).quant = t.quant;
    }
    ins.push_back(v);
  }
  ASSIGN_OR_RETURN(TensorId y, b.emit1(OpCode::SELECT, ins));
  return Lowered(y);
}

Expected<Lowered> relower(Graph& g, const Op& op, IrBuilder& b) {
  switch (op.code) {
    case OpCode::TRANSPOSE: return merge_transpose_axes(g, op, b);
    case OpCode::TRANSPOSE_CONV: return split_transpose_conv_bias(g, op, b);
    case OpCode::CONV_2D: return split_grouped_conv(g, op, b);
    case OpCode::BATCH_MATMUL: return batch_matmul_as_fully_connected(g, op, b);
    case OpCode::SELECT_V2: return select_v2_as_select(g, op, b);
    default: return Lowered();
  }
}

// Tries the op's re-lowering; keeps it only if every new op fits.
void try_relower(Graph& g, Op& op, const std::string& runtime) {
  if (op.outputs.size() != 1) return;
  const size_t first_new = g.ops.size();
  IrBuilder b(g, op.origin.empty() ? g.t(op.outputs[0]).name : op.origin);
  Expected<Lowered> r = relower(g, op, b);
  Op* last = nullptr;
  bool ok = r.ok() && r->has_value();
  for (size_t i = first_new; ok && i < g.ops.size(); ++i) {
    Op& n = *g.ops[i];
    if (n.dead) continue;
    if (!fits(g, n, runtime)) ok = false;
    for (TensorId o : n.outputs)
      if (o == **r) last = &n;
  }
  if (!ok || !last) {
    for (size_t i = first_new; i < g.ops.size(); ++i) g.ops[i]->dead = true;
    return;
  }
  // The last new op writes the old output tensor, so names, signatures and
  // graph outputs stay as they were.
  for (TensorId& o : last->outputs)
    if (o == **r) o = op.outputs[0];
  for (size_t i = first_new; i < g.ops.size(); ++i)
    if (g.ops[i]->origin.empty()) g.ops[i]->origin = op.origin;
  op.dead = true;
}

}  // namespace


Expected<std::string> parse_target_runtime(const std::string& value) {
  auto bad = [&] {
    return usage_error("--target_runtime='" + value +
                       "' is not a TFLite runtime version; give 2.N or 2.N.P (e.g. --target_runtime=2.10)");
  };
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= value.size()) {
    size_t j = value.find('.', i);
    if (j == std::string::npos) j = value.size();
    std::string p = value.substr(i, j - i);
    if (p.empty() || p.size() > 4 || p.find_first_not_of("0123456789") != std::string::npos) return bad();
    parts.push_back(p);
    i = j + 1;
  }
  if (parts.size() < 2 || parts.size() > 3 || parts[0] != "2") return bad();
  std::string out;
  for (size_t k = 0; k < 3; ++k)
    out += (k ? "." : "") + (k < parts.size() ? std::to_string(std::atoi(parts[k].c_str())) : std::string("0"));
  return out;
}

int max_version_in_runtime(const OpSchema& s, const std::string& runtime) {
  int best = 0;
  for (size_t v = 0; v < s.runtime_versions.size(); ++v) {
    const std::string r = s.runtime_versions[v];
    if (!r.empty() && !runtime_version_less(runtime, r)) best = static_cast<int>(v) + 1;
  }
  return best;
}

Status cap_op_versions(Model& m, const std::string& runtime, const std::string& flag) {
  ASSIGN_OR_RETURN(std::vector<Graph*> graphs, m.all_subgraphs());
  for (Graph* g : graphs) {
    const size_t n = g->ops.size();  // ops added by re-lowering already fit
    for (size_t i = 0; i < n; ++i) {
      Op* op = g->ops[i].get();
      if (!op->dead && !fits(*g, *op, runtime)) try_relower(*g, *op, runtime);
    }
    g->compact();
  }
  // Everything still over the cap, named in one line (the first in full).
  std::string first;
  int more = 0;
  for (const Graph* g : graphs)
    for (const auto& op : g->ops) {
      if (op->dead || fits(*g, *op, runtime)) continue;
      if (!first.empty()) {
        ++more;
        continue;
      }
      const OpSchema* s = find_op(op->code);
      int v = 0;
      std::string need = needed_runtime(*g, *op, &v);
      std::string name = op_name(op->code);
      std::string node = op->origin.empty() ? "" : " ('" + op->origin + "')";
      if (need.empty()) {
        first = "op " + name + node + " version " + std::to_string(v) +
                " has no TFLite release recorded in its runtime table; --target_runtime=" + flag +
                " cannot be checked for it";
        continue;
      }
      first = "op " + name + node + " needs version " + std::to_string(v) + " (TFLite " + need + "); --target_runtime=" + flag;
      int best = s ? max_version_in_runtime(*s, runtime) : 0;
      if (best > 0) first += " has at most version " + std::to_string(best) + " of " + name;
      else first += " has no " + name;
      first += " and no exact older lowering applies";
    }
  if (first.empty()) return ok_status();
  if (more) first += " (and " + std::to_string(more) + " more op" + (more > 1 ? "s" : "") + " over the target)";
  return unsupported(first);
}

}  // namespace tflc
