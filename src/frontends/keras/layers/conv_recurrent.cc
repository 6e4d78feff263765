// ConvLSTM2D: an LSTM whose products are convolutions, unrolled statically
// over the (fixed) sequence length. Each step: one CONV_2D of x_t with the
// kernel (+ bias, all 4 gates i f c o at once) plus one CONV_2D of h with the
// recurrent kernel (padding same, stride 1), SPLIT into the gates, then the
// LSTM update. The state starts at zero, so step 0 has no recurrent term.
// channels_first layers run in NHWC between two TRANSPOSEs.
#include "frontends/keras/layers/conv_recurrent.h"

#include <algorithm>

namespace tflc {
namespace {

using json = nlohmann::json;
using Outs = Expected<std::vector<TensorId>>;

struct ConvLstmSpec {
  int64_t filters = 0;
  std::vector<int64_t> kernel, strides, dilation;
  bool same = false, channels_first = false, use_bias = true;
  bool return_sequences = false, return_state = false, go_backwards = false;
  std::string activation = "tanh", recurrent_activation = "hard_sigmoid";
};

Expected<ConvLstmSpec> read_spec(const json& c, const std::string& layer) {
  ConvLstmSpec s;
  auto bad = [&](const std::string& what) { return invalid_input("ConvLSTM2D layer '" + layer + "': " + what); };
  auto ints = [&](const char* key, std::vector<int64_t> def) -> Expected<std::vector<int64_t>> {
    if (!c.contains(key) || c[key].is_null()) return def;
    const json& v = c[key];
    if (v.is_number_integer()) return std::vector<int64_t>(2, v.get<int64_t>());
    if (!v.is_array() || v.size() != 2 || !v[0].is_number_integer() || !v[1].is_number_integer())
      return bad(std::string("config '") + key + "' is not two ints");
    return std::vector<int64_t>{v[0].get<int64_t>(), v[1].get<int64_t>()};
  };
  auto str = [&](const char* key, const std::string& def) {
    return c.contains(key) && c[key].is_string() ? c[key].get<std::string>() : def;
  };
  auto flag = [&](const char* key, bool def) { return c.contains(key) && c[key].is_boolean() ? c[key].get<bool>() : def; };
  if (!c.contains("filters") || !c["filters"].is_number_integer() || c["filters"].get<int64_t>() <= 0)
    return bad("no positive 'filters'");
  s.filters = c["filters"].get<int64_t>();
  ASSIGN_OR_RETURN(s.kernel, ints("kernel_size", {}));
  if (s.kernel.empty()) return bad("no kernel_size");
  ASSIGN_OR_RETURN(s.strides, ints("strides", {1, 1}));
  ASSIGN_OR_RETURN(s.dilation, ints("dilation_rate", {1, 1}));
  for (int i = 0; i < 2; ++i)
    if (s.kernel[i] <= 0 || s.strides[i] <= 0 || s.dilation[i] <= 0) return bad("non-positive kernel, stride or dilation");
  std::string pad = str("padding", "valid");
  if (pad != "same" && pad != "valid") return unsupported("not supported yet: ConvLSTM2D with padding=" + pad);
  s.same = pad == "same";
  std::string fmt = str("data_format", "channels_last");
  if (fmt != "channels_last" && fmt != "channels_first") return bad("data_format " + fmt);
  s.channels_first = fmt == "channels_first";
  s.use_bias = flag("use_bias", true);
  s.return_sequences = flag("return_sequences", false);
  s.return_state = flag("return_state", false);
  s.go_backwards = flag("go_backwards", false);
  s.activation = str("activation", "tanh");
  s.recurrent_activation = str("recurrent_activation", "hard_sigmoid");
  if (flag("stateful", false)) return unsupported("not supported yet: stateful ConvLSTM2D");
  if (flag("time_major", false)) return unsupported("not supported yet: time_major ConvLSTM2D");
  return s;
}

// Keras kernel [kh, kw, in, 4F] -> TFLite CONV_2D filter [4F, kh, kw, in].
Expected<TensorId> conv_filter(KerasLayerContext& ctx, int idx, int64_t in, const ConvLstmSpec& s, const std::string& tag) {
  std::vector<int64_t> shape;
  ASSIGN_OR_RETURN(std::vector<float> v, ctx.weight_values(idx, &shape));
  const int64_t kh = s.kernel[0], kw = s.kernel[1], o = 4 * s.filters;
  if (shape != std::vector<int64_t>{kh, kw, in, o})
    return invalid_input("ConvLSTM2D layer '" + ctx.scope() + "': " + tag + " of shape " + shape_str(shape) + ", expected " +
                         shape_str({kh, kw, in, o}));
  std::vector<float> t(v.size());
  for (int64_t a = 0; a < kh; ++a)
    for (int64_t b = 0; b < kw; ++b)
      for (int64_t i = 0; i < in; ++i)
        for (int64_t j = 0; j < o; ++j) t[((j * kh + a) * kw + b) * in + i] = v[((a * kw + b) * in + i) * o + j];
  return ctx.constant(DType::kFloat32, {o, kh, kw, in}, to_bytes(t), tag);
}

struct Run {
  std::vector<TensorId> hs;  // per step, processing order, in the layer's layout
  TensorId h = kNoTensor, c = kNoTensor;  // final states (NHWC)
};

// One ConvLSTM2D over `x` [B, T, ...] with weights at w0, w0+1, w0+2.
Expected<Run> run_conv_lstm(KerasLayerContext& ctx, TensorId x, const ConvLstmSpec& s, int w0) {
  const Tensor& xt = ctx.graph().t(x);
  if (xt.unknown_rank || xt.rank() != 5)
    return invalid_input("ConvLSTM2D layer '" + ctx.scope() + "' expects a rank-5 input, got " + shape_str(xt.shape));
  const int64_t T = xt.shape[1];
  if (T <= 0) return unsupported("not supported yet: ConvLSTM2D over a dynamic number of time steps");
  const int64_t in = s.channels_first ? xt.shape[2] : xt.shape[4];
  if (in <= 0) return unsupported("not supported yet: ConvLSTM2D with a dynamic channel count");
  if (s.channels_first) {
    ASSIGN_OR_RETURN(x, ctx.emit1(OpCode::TRANSPOSE, {x, ctx.const_i32({0, 1, 3, 4, 2}, "to_nhwc")}));
  }
  ASSIGN_OR_RETURN(TensorId wk, conv_filter(ctx, w0, in, s, "kernel"));
  ASSIGN_OR_RETURN(TensorId wr, conv_filter(ctx, w0 + 1, s.filters, s, "recurrent_kernel"));
  TensorId bias = kNoTensor;
  if (s.use_bias) {
    std::vector<int64_t> bs;
    ASSIGN_OR_RETURN(std::vector<float> b, ctx.weight_values(w0 + 2, &bs));
    if (static_cast<int64_t>(b.size()) != 4 * s.filters)
      return invalid_input("ConvLSTM2D layer '" + ctx.scope() + "': bias of shape " + shape_str(bs));
    bias = ctx.constant(DType::kFloat32, {4 * s.filters}, to_bytes(b), "bias");
  }
  // LiteRT's CONV_2D wants a bias tensor: zeros where Keras has none.
  TensorId zero_bias = ctx.constant(DType::kFloat32, {4 * s.filters},
                                    to_bytes(std::vector<float>(static_cast<size_t>(4 * s.filters), 0.0f)), "zero_bias");
  if (bias == kNoTensor) bias = zero_bias;
  tflite::UnpackOptionsT un{.num = static_cast<int>(T), .axis = 1};
  ASSIGN_OR_RETURN(std::vector<TensorId> xs, ctx.emit(OpCode::UNPACK, {x}, un, static_cast<int>(T)));
  if (s.go_backwards) std::reverse(xs.begin(), xs.end());

  tflite::Conv2DOptionsT cx;
  cx.padding = s.same ? Padding::SAME : Padding::VALID;
  cx.stride_h = static_cast<int>(s.strides[0]);
  cx.stride_w = static_cast<int>(s.strides[1]);
  cx.dilation_h_factor = static_cast<int>(s.dilation[0]);
  cx.dilation_w_factor = static_cast<int>(s.dilation[1]);
  tflite::Conv2DOptionsT ch;  // recurrent conv: same padding, unit stride and dilation
  ch.padding = Padding::SAME;
  ch.stride_w = ch.stride_h = 1;
  ch.dilation_w_factor = ch.dilation_h_factor = 1;
  tflite::SplitOptionsT sp{.num_splits = 4};
  TensorId axis = ctx.const_i32_scalar(3, "gate_axis");
  Run r;
  for (int64_t t = 0; t < T; ++t) {
    ASSIGN_OR_RETURN(TensorId z, ctx.emit1(OpCode::CONV_2D, {xs[t], wk, bias}, cx));
    if (r.h != kNoTensor) {
      ASSIGN_OR_RETURN(TensorId zh, ctx.emit1(OpCode::CONV_2D, {r.h, wr, zero_bias}, ch));
      ASSIGN_OR_RETURN(z, ctx.emit1(OpCode::ADD, {z, zh}));
    }
    ASSIGN_OR_RETURN(std::vector<TensorId> g, ctx.emit(OpCode::SPLIT, {axis, z}, sp, 4));
    ASSIGN_OR_RETURN(TensorId i, ctx.activation(g[0], s.recurrent_activation));
    ASSIGN_OR_RETURN(TensorId cc, ctx.activation(g[2], s.activation));
    ASSIGN_OR_RETURN(TensorId c, ctx.emit1(OpCode::MUL, {i, cc}));
    if (r.c != kNoTensor) {
      ASSIGN_OR_RETURN(TensorId f, ctx.activation(g[1], s.recurrent_activation));
      ASSIGN_OR_RETURN(TensorId fc, ctx.emit1(OpCode::MUL, {f, r.c}));
      ASSIGN_OR_RETURN(c, ctx.emit1(OpCode::ADD, {fc, c}));
    }
    ASSIGN_OR_RETURN(TensorId o, ctx.activation(g[3], s.recurrent_activation));
    ASSIGN_OR_RETURN(TensorId ac, ctx.activation(c, s.activation));
    ASSIGN_OR_RETURN(TensorId h, ctx.emit1(OpCode::MUL, {o, ac}));
    r.h = h;
    r.c = c;
    if (s.channels_first) {
      ASSIGN_OR_RETURN(h, ctx.emit1(OpCode::TRANSPOSE, {h, ctx.const_i32({0, 3, 1, 2}, "to_nchw")}));
    }
    r.hs.push_back(h);
  }
  return r;
}

Expected<TensorId> pack(KerasLayerContext& ctx, std::vector<TensorId> steps, bool reverse) {
  if (reverse) std::reverse(steps.begin(), steps.end());
  return ctx.emit1(OpCode::PACK, steps, tflite::PackOptionsT{.values_count = static_cast<int>(steps.size()), .axis = 1});
}

Outs lower_conv_lstm(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  ASSIGN_OR_RETURN(ConvLstmSpec s, read_spec(ctx.config(), ctx.scope()));
  if (s.return_state) return unsupported("not supported yet: ConvLSTM2D with return_state=True");
  ASSIGN_OR_RETURN(Run r, run_conv_lstm(ctx, ctx.in(0), s, 0));
  if (!s.return_sequences) return std::vector<TensorId>{r.hs.back()};
  ASSIGN_OR_RETURN(TensorId y, pack(ctx, r.hs, false));
  return std::vector<TensorId>{y};
}

// Index of the first weight whose name has `part`, else `def`.
int find_weight(const KerasLayerContext& ctx, const std::string& part, int def) {
  auto names = ctx.weight_names();
  for (int i = 0; i < static_cast<int>(names.size()); ++i)
    if (names[i].find(part) != std::string::npos) return i;
  return def;
}

TFLC_REGISTER_KERAS_LAYER(conv_lstm_2d, {{"ConvLSTM2D"}, lower_conv_lstm});

}  // namespace

Expected<std::vector<TensorId>> lower_conv_lstm_bidirectional(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  const json& c = ctx.config();
  if (!c.contains("layer") || !c["layer"].is_object() || !c["layer"].contains("config"))
    return invalid_input("Bidirectional layer '" + ctx.scope() + "' has no wrapped 'layer'");
  ASSIGN_OR_RETURN(ConvLstmSpec fs, read_spec(c["layer"]["config"], ctx.scope()));
  ConvLstmSpec bs = fs;
  if (c.contains("backward_layer") && c["backward_layer"].is_object() && c["backward_layer"].contains("config")) {
    ASSIGN_OR_RETURN(bs, read_spec(c["backward_layer"]["config"], ctx.scope()));
  } else {
    bs.go_backwards = !fs.go_backwards;
  }
  if (fs.return_state || bs.return_state) return unsupported("not supported yet: Bidirectional ConvLSTM2D with return_state");
  std::string merge = "concat";
  if (c.contains("merge_mode")) merge = c["merge_mode"].is_string() ? c["merge_mode"].get<std::string>() : "none";
  const int per = fs.use_bias ? 3 : 2;
  // Names look like ".../forward_conv_lst_m2d/kernel:0"; else forward first.
  int fw = find_weight(ctx, "forward_", 0), bw = find_weight(ctx, "backward_", per);
  ASSIGN_OR_RETURN(Run f, run_conv_lstm(ctx, ctx.in(0), fs, fw));
  ASSIGN_OR_RETURN(Run b, run_conv_lstm(ctx, ctx.in(0), bs, bw));
  TensorId y, yr;
  if (fs.return_sequences) {
    // Keras flips the backward copy's sequence, whichever way each ran.
    ASSIGN_OR_RETURN(y, pack(ctx, f.hs, false));
    ASSIGN_OR_RETURN(yr, pack(ctx, b.hs, true));
  } else {
    y = f.hs.back();
    yr = b.hs.back();
  }
  if (merge == "none") return std::vector<TensorId>{y, yr};
  TensorId out;
  if (merge == "concat") {
    tflite::ConcatenationOptionsT a{.axis = ctx.graph().t(y).rank() - 1};
    ASSIGN_OR_RETURN(out, ctx.emit1(OpCode::CONCATENATION, {y, yr}, a));
  } else if (merge == "sum") {
    ASSIGN_OR_RETURN(out, ctx.emit1(OpCode::ADD, {y, yr}));
  } else if (merge == "mul") {
    ASSIGN_OR_RETURN(out, ctx.emit1(OpCode::MUL, {y, yr}));
  } else if (merge == "ave") {
    ASSIGN_OR_RETURN(out, ctx.emit1(OpCode::ADD, {y, yr}));
    ASSIGN_OR_RETURN(out, ctx.emit1(OpCode::MUL, {out, ctx.const_f32_scalar(0.5f, "half")}));
  } else {
    return unsupported("not supported yet: Bidirectional merge_mode '" + merge + "'");
  }
  return std::vector<TensorId>{out};
}

}  // namespace tflc
