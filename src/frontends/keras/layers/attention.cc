// Attention layers: Attention (Luong dot / concat), AdditiveAttention
// (Bahdanau) and MultiHeadAttention.
//
// MultiHeadAttention is lowered the way TF's converter lowers its einsums:
// the dense projections become FULLY_CONNECTED (kernels [d, H, k] flattened
// to [H*k, d]), the heads are split by RESHAPE + TRANSPOSE to [B, H, T, k],
// scores and the weighted sum are BATCH_MATMULs, then SOFTMAX and the output
// projection. Masks add (mask - 1) * 1e9 to the scores, as Keras' softmax does.
#include <cmath>

#include "frontends/keras/layer_registry.h"

namespace tflc {
namespace {

using json = nlohmann::json;
using Outs = Expected<std::vector<TensorId>>;

constexpr float kMaskedScore = 1e9f;  // Keras' _large_compatible_negative for float32

// RESHAPE to [-1, dims...] (the batch stays dynamic).
Expected<TensorId> reshape_batch(KerasLayerContext& ctx, TensorId x, std::vector<int32_t> tail) {
  tail.insert(tail.begin(), -1);
  return ctx.emit1(OpCode::RESHAPE, {x, ctx.const_i32(tail, "shape")});
}

// Static dims 1.. of x, or an error naming the layer.
Expected<std::vector<int32_t>> inner_dims(KerasLayerContext& ctx, TensorId x) {
  const Tensor& t = ctx.graph().t(x);
  if (t.unknown_rank) return unsupported("not supported yet: " + ctx.class_name() + " on an input of unknown rank");
  std::vector<int32_t> d;
  for (int i = 1; i < t.rank(); ++i) {
    if (t.shape[i] < 0) return unsupported("not supported yet: " + ctx.class_name() + " on inputs with dynamic inner dims");
    d.push_back(static_cast<int32_t>(t.shape[i]));
  }
  return d;
}

// A boolean/numeric call kwarg, `def` when absent.
bool kwarg_bool(const KerasLayerContext& ctx, const char* key, bool def) {
  const json& kw = ctx.call_kwargs();
  auto it = kw.find(key);
  return it != kw.end() && it->is_boolean() ? it->get<bool>() : def;
}

// Constant [tq, tv] holding 0 where query i may see value j (j <= i) and
// -1e9 elsewhere: the causal mask's additive form.
TensorId causal_adder(KerasLayerContext& ctx, int64_t tq, int64_t tv) {
  std::vector<float> v(static_cast<size_t>(tq * tv));
  for (int64_t i = 0; i < tq; ++i)
    for (int64_t j = 0; j < tv; ++j) v[i * tv + j] = j <= i ? 0.0f : -kMaskedScore;
  return ctx.constant(DType::kFloat32, {tq, tv}, to_bytes(v), "causal_mask");
}

// A tensor mask (bool or 0/1 numbers) -> (mask - 1) * 1e9.
Expected<TensorId> mask_adder(KerasLayerContext& ctx, TensorId mask) {
  ASSIGN_OR_RETURN(mask, ctx.cast(mask, DType::kFloat32));
  ASSIGN_OR_RETURN(TensorId m1, ctx.emit1(OpCode::SUB, {mask, ctx.const_f32_scalar(1.0f, "one")}));
  return ctx.emit1(OpCode::MUL, {m1, ctx.const_f32_scalar(kMaskedScore, "big")});
}

// ---------------------------------------------------------------- Attention

// Attention / AdditiveAttention: inputs [query, value(, key)].
Outs lower_attention(KerasLayerContext& ctx) {
  const bool additive = ctx.class_name() == "AdditiveAttention";
  if (ctx.named_in("mask") != kNoTensor || ctx.num_positional_inputs() != ctx.num_inputs())
    return unsupported("not supported yet: " + ctx.class_name() + " with query/value masks");
  RETURN_IF_ERROR(ctx.expect_inputs(2, 3));
  if (kwarg_bool(ctx, "return_attention_scores", false))
    return unsupported("not supported yet: " + ctx.class_name() + " with return_attention_scores=True");
  ASSIGN_OR_RETURN(bool use_scale, ctx.get_bool("use_scale", !additive));
  ASSIGN_OR_RETURN(std::string mode, ctx.get_string("score_mode", std::string(additive ? "concat" : "dot")));
  ASSIGN_OR_RETURN(bool causal, ctx.get_bool("causal", false));
  causal = kwarg_bool(ctx, "use_causal_mask", causal);
  if (mode != "dot" && mode != "concat")
    return unsupported("not supported yet: " + ctx.class_name() + " with score_mode=" + mode);
  TensorId q = ctx.in(0), v = ctx.in(1), k = ctx.num_inputs() > 2 ? ctx.in(2) : v;
  const Tensor& qt = ctx.in_tensor(0);
  if (qt.unknown_rank || qt.rank() < 2) return unsupported("not supported yet: " + ctx.class_name() + " on rank < 2");

  int w = 0;  // weights in build order: scale, then concat_score_weight
  TensorId scores;
  if (mode == "dot" && !additive) {
    ASSIGN_OR_RETURN(scores, [&]() -> Expected<TensorId> {
      return ctx.emit1(OpCode::BATCH_MATMUL, {q, k}, tflite::BatchMatMulOptionsT{.adj_y = true});
    }());
    if (use_scale) {
      ASSIGN_OR_RETURN(TensorId s, ctx.weight(w++, "scale"));
      ASSIGN_OR_RETURN(scores, ctx.emit1(OpCode::MUL, {scores, s}));
    }
  } else {
    // sum(tanh(q[..., :, None, :] + k[..., None, :, :]), -1) with the scales
    // of each layer: Attention(concat) scales inside tanh and weights the
    // sum; AdditiveAttention weights each feature inside the sum.
    if (qt.rank() != 3) return unsupported("not supported yet: " + ctx.class_name() + " concat scores on rank != 3");
    ASSIGN_OR_RETURN(std::vector<int32_t> qd, inner_dims(ctx, q));
    ASSIGN_OR_RETURN(std::vector<int32_t> kd, inner_dims(ctx, k));
    ASSIGN_OR_RETURN(TensorId q4, reshape_batch(ctx, q, {qd[0], 1, qd[1]}));
    ASSIGN_OR_RETURN(TensorId k4, reshape_batch(ctx, k, {1, kd[0], kd[1]}));
    ASSIGN_OR_RETURN(TensorId sum, ctx.emit1(OpCode::ADD, {q4, k4}));
    TensorId scale = kNoTensor;
    if (use_scale) {
      ASSIGN_OR_RETURN(scale, ctx.weight(w++, "scale"));
    }
    if (!additive && scale != kNoTensor) {
      ASSIGN_OR_RETURN(sum, ctx.emit1(OpCode::MUL, {sum, scale}));
    }
    ASSIGN_OR_RETURN(TensorId th, ctx.emit1(OpCode::TANH, {sum}));
    if (additive && scale != kNoTensor) {
      ASSIGN_OR_RETURN(th, ctx.emit1(OpCode::MUL, {th, scale}));
    }
    ASSIGN_OR_RETURN(scores, ctx.emit1(OpCode::SUM, {th, ctx.const_i32({-1}, "axis")}));
    if (!additive) {
      ASSIGN_OR_RETURN(TensorId cw, ctx.weight(w++, "concat_score_weight"));
      ASSIGN_OR_RETURN(scores, ctx.emit1(OpCode::MUL, {scores, cw}));
    }
  }
  if (causal) {
    const Tensor& st = ctx.graph().t(scores);
    int64_t tq = st.shape[st.rank() - 2], tv = st.shape[st.rank() - 1];
    if (tq < 0 || tv < 0) return unsupported("not supported yet: causal " + ctx.class_name() + " with dynamic lengths");
    ASSIGN_OR_RETURN(scores, ctx.emit1(OpCode::ADD, {scores, causal_adder(ctx, tq, tv)}));
  }
  ASSIGN_OR_RETURN(TensorId p, ctx.emit1(OpCode::SOFTMAX, {scores}, tflite::SoftmaxOptionsT{.beta = 1.0f}));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::BATCH_MATMUL, {p, v}));
  return std::vector<TensorId>{y};
}

// ------------------------------------------------------- MultiHeadAttention

// The layer's weight whose name ends in `part` ("query/kernel"), else the
// one at `pos` (Keras 2 build order: query, key, value, attention_output).
struct NamedWeight {
  std::vector<float> v;
  std::vector<int64_t> shape;
};

Expected<NamedWeight> mha_weight(KerasLayerContext& ctx, const std::vector<std::string>& names, const std::string& part,
                                 int pos) {
  int idx = pos;
  for (int i = 0; i < static_cast<int>(names.size()); ++i)
    if (names[i].find(part) != std::string::npos) idx = i;
  NamedWeight w;
  ASSIGN_OR_RETURN(w.v, ctx.weight_values(idx, &w.shape));
  return w;
}

// Projection kernel [d, H, k] (+ bias [H, k]) -> FULLY_CONNECTED to H*k
// features, scaled by `scale`; then heads split to [B, H, T, k].
Expected<TensorId> project_heads(KerasLayerContext& ctx, TensorId x, const NamedWeight& kernel, const NamedWeight* bias,
                                 int64_t heads, float scale, const std::string& tag) {
  const Tensor& xt = ctx.graph().t(x);
  if (kernel.shape.size() != 3 || kernel.shape[1] != heads || kernel.shape[0] != xt.shape.back())
    return invalid_input("MultiHeadAttention layer '" + ctx.scope() + "': " + tag + " kernel of shape " +
                         shape_str(kernel.shape) + " does not fit an input of shape " + shape_str(xt.shape));
  const int64_t d = kernel.shape[0], hk = kernel.shape[1] * kernel.shape[2];
  std::vector<float> wt(static_cast<size_t>(d * hk));
  for (int64_t i = 0; i < d; ++i)
    for (int64_t j = 0; j < hk; ++j) wt[j * d + i] = kernel.v[i * hk + j] * scale;
  TensorId w = ctx.constant(DType::kFloat32, {hk, d}, to_bytes(wt), tag + "/kernel");
  TensorId b = kNoTensor;
  if (bias) {
    if (static_cast<int64_t>(bias->v.size()) != hk)
      return invalid_input("MultiHeadAttention layer '" + ctx.scope() + "': " + tag + " bias of shape " +
                           shape_str(bias->shape) + " does not fit its kernel");
    std::vector<float> bv = bias->v;
    for (float& f : bv) f *= scale;
    b = ctx.constant(DType::kFloat32, {hk}, to_bytes(bv), tag + "/bias");
  }
  tflite::FullyConnectedOptionsT a;
  a.keep_num_dims = true;
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::FULLY_CONNECTED, {x, w, b}, a));
  int32_t t = static_cast<int32_t>(xt.shape[1]);
  ASSIGN_OR_RETURN(y, reshape_batch(ctx, y, {t, static_cast<int32_t>(heads), static_cast<int32_t>(kernel.shape[2])}));
  return ctx.emit1(OpCode::TRANSPOSE, {y, ctx.const_i32({0, 2, 1, 3}, "perm")});
}

Outs lower_mha(KerasLayerContext& ctx) {
  // Keras 2 passes value/key as kwargs; Keras 3 may pass them positionally.
  TensorId q = ctx.num_inputs() > 0 && ctx.num_positional_inputs() > 0 ? ctx.in(0) : ctx.named_in("query");
  TensorId v = ctx.named_in("value"), k = ctx.named_in("key");
  int pos = ctx.num_positional_inputs();
  if (v == kNoTensor && pos > 1) v = ctx.in(1);
  if (k == kNoTensor && pos > 2) k = ctx.in(2);
  if (q == kNoTensor || v == kNoTensor)
    return invalid_input("MultiHeadAttention layer '" + ctx.scope() + "' is called without query and value");
  if (k == kNoTensor) k = v;
  for (const auto* key : {"query_mask", "value_mask", "key_mask"})
    if (ctx.named_in(key) != kNoTensor) return unsupported("not supported yet: MultiHeadAttention with implicit masks");
  TensorId mask = ctx.named_in("attention_mask");
  const bool causal = kwarg_bool(ctx, "use_causal_mask", false);
  const bool want_scores = kwarg_bool(ctx, "return_attention_scores", false);

  ASSIGN_OR_RETURN(int64_t heads, ctx.get_int("num_heads"));
  ASSIGN_OR_RETURN(int64_t key_dim, ctx.get_int("key_dim"));
  ASSIGN_OR_RETURN(bool use_bias, ctx.get_bool("use_bias", true));
  if (heads <= 0 || key_dim <= 0) return invalid_input("MultiHeadAttention layer '" + ctx.scope() + "' has no heads");
  const json& c = ctx.config();
  if (c.contains("attention_axes") && !c["attention_axes"].is_null()) {
    const json& ax = c["attention_axes"];
    bool axis1 = (ax.is_number_integer() && (ax.get<int64_t>() == 1 || ax.get<int64_t>() == -2)) ||
                 (ax.is_array() && ax.size() == 1 && ax[0].is_number_integer() &&
                  (ax[0].get<int64_t>() == 1 || ax[0].get<int64_t>() == -2));
    if (!axis1) return unsupported("not supported yet: MultiHeadAttention with attention_axes " + ax.dump());
  }
  for (TensorId x : {q, v, k}) {
    const Tensor& t = ctx.graph().t(x);
    if (t.unknown_rank || t.rank() != 3)
      return unsupported("not supported yet: MultiHeadAttention on inputs of rank other than 3");
    if (t.shape[1] < 0 || t.shape[2] < 0)
      return unsupported("not supported yet: MultiHeadAttention on inputs with dynamic sequence length");
  }
  // Found by stored name; else by the order Keras 2 writes them (query, key,
  // value, attention_output; kernel then bias).
  const std::vector<std::string> names = ctx.weight_names();
  const int per = use_bias ? 2 : 1;
  ASSIGN_OR_RETURN(NamedWeight wq, mha_weight(ctx, names, "query/kernel", 0));
  ASSIGN_OR_RETURN(NamedWeight wk, mha_weight(ctx, names, "key/kernel", per));
  ASSIGN_OR_RETURN(NamedWeight wv, mha_weight(ctx, names, "value/kernel", 2 * per));
  ASSIGN_OR_RETURN(NamedWeight wo, mha_weight(ctx, names, "attention_output/kernel", 3 * per));
  NamedWeight bq, bk, bv, bo;
  if (use_bias) {
    ASSIGN_OR_RETURN(bq, mha_weight(ctx, names, "query/bias", 1));
    ASSIGN_OR_RETURN(bk, mha_weight(ctx, names, "key/bias", 3));
    ASSIGN_OR_RETURN(bv, mha_weight(ctx, names, "value/bias", 5));
    ASSIGN_OR_RETURN(bo, mha_weight(ctx, names, "attention_output/bias", 7));
  }
  if (wq.shape.size() != 3 || wq.shape[2] != key_dim)
    return invalid_input("MultiHeadAttention layer '" + ctx.scope() + "': query kernel of shape " + shape_str(wq.shape) +
                         " does not match key_dim " + std::to_string(key_dim));
  const float qscale = 1.0f / std::sqrt(static_cast<float>(key_dim));
  ASSIGN_OR_RETURN(TensorId qh, project_heads(ctx, q, wq, use_bias ? &bq : nullptr, heads, qscale, "query"));
  ASSIGN_OR_RETURN(TensorId kh, project_heads(ctx, k, wk, use_bias ? &bk : nullptr, heads, 1.0f, "key"));
  ASSIGN_OR_RETURN(TensorId vh, project_heads(ctx, v, wv, use_bias ? &bv : nullptr, heads, 1.0f, "value"));
  tflite::BatchMatMulOptionsT adj{.adj_y = true};
  ASSIGN_OR_RETURN(TensorId scores, ctx.emit1(OpCode::BATCH_MATMUL, {qh, kh}, adj));  // [B, H, T, S]
  const int64_t tq = ctx.graph().t(q).shape[1], tv = ctx.graph().t(v).shape[1];
  if (mask != kNoTensor) {
    ASSIGN_OR_RETURN(TensorId m, mask_adder(ctx, mask));
    if (causal) {
      // Keras ANDs the two masks: the causal adder's -1e9 adds to -1e9 at
      // worst, which softmax treats the same.
      ASSIGN_OR_RETURN(m, ctx.emit1(OpCode::ADD, {m, causal_adder(ctx, tq, tv)}));
    }
    ASSIGN_OR_RETURN(m, reshape_batch(ctx, m, {1, static_cast<int32_t>(tq), static_cast<int32_t>(tv)}));
    ASSIGN_OR_RETURN(scores, ctx.emit1(OpCode::ADD, {scores, m}));
  } else if (causal) {
    ASSIGN_OR_RETURN(scores, ctx.emit1(OpCode::ADD, {scores, causal_adder(ctx, tq, tv)}));
  }
  ASSIGN_OR_RETURN(TensorId p, ctx.emit1(OpCode::SOFTMAX, {scores}, tflite::SoftmaxOptionsT{.beta = 1.0f}));
  ASSIGN_OR_RETURN(TensorId o, ctx.emit1(OpCode::BATCH_MATMUL, {p, vh}));  // [B, H, T, Dv]
  ASSIGN_OR_RETURN(o, ctx.emit1(OpCode::TRANSPOSE, {o, ctx.const_i32({0, 2, 1, 3}, "perm")}));
  // Output kernel [H, Dv, out...]: one FULLY_CONNECTED from H*Dv features.
  if (wo.shape.size() < 3 || wo.shape[0] != heads)
    return invalid_input("MultiHeadAttention layer '" + ctx.scope() + "': output kernel of shape " + shape_str(wo.shape));
  if (wo.shape.size() > 3) return unsupported("not supported yet: MultiHeadAttention with a multi-dim output_shape");
  const int64_t hd = wo.shape[0] * wo.shape[1], dout = wo.shape[2];
  ASSIGN_OR_RETURN(o, reshape_batch(ctx, o, {static_cast<int32_t>(tq), static_cast<int32_t>(hd)}));
  std::vector<float> wt(static_cast<size_t>(hd * dout));
  for (int64_t i = 0; i < hd; ++i)
    for (int64_t j = 0; j < dout; ++j) wt[j * hd + i] = wo.v[i * dout + j];
  TensorId w = ctx.constant(DType::kFloat32, {dout, hd}, to_bytes(wt), "attention_output/kernel");
  TensorId b = kNoTensor;
  if (use_bias) {
    if (static_cast<int64_t>(bo.v.size()) != dout)
      return invalid_input("MultiHeadAttention layer '" + ctx.scope() + "': output bias does not fit its kernel");
    b = ctx.constant(DType::kFloat32, {dout}, to_bytes(bo.v), "attention_output/bias");
  }
  tflite::FullyConnectedOptionsT fc;
  fc.keep_num_dims = true;
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::FULLY_CONNECTED, {o, w, b}, fc));
  if (want_scores) return std::vector<TensorId>{y, p};
  return std::vector<TensorId>{y};
}

TFLC_REGISTER_KERAS_LAYER(attention, {{"Attention", "AdditiveAttention"}, lower_attention});
TFLC_REGISTER_KERAS_LAYER(multi_head_attention, {{"MultiHeadAttention"}, lower_mha});

}  // namespace
}  // namespace tflc
