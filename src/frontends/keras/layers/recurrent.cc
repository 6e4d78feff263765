// Recurrent Keras layers: SimpleRNN, GRU, LSTM, their Bidirectional wrapper,
// and TimeDistributed(Dense).
//
// Lowering: a static unroll over the (fixed) sequence length. The input
// projection x·W + b is one FULLY_CONNECTED over all time steps, UNPACKed per
// step; each step adds h·U (FULLY_CONNECTED), SPLITs the gates and applies
// LOGISTIC/TANH/MUL/ADD. The first step has no h·U term (the state starts at
// zero), so no zero tensor of the run-time batch is needed and the batch may
// be dynamic. return_sequences PACKs the step outputs along axis 1.
//
// LSTM is instead one UNIDIRECTIONAL_SEQUENCE_LSTM (batch-major), as
// TensorFlow's converter emits it, whenever the op can express the layer:
// activation tanh, recurrent_activation sigmoid (the op's gates are always
// logistic), no return_state and no initial_state (the op keeps h/c in
// variable tensors that start at zero and that no other op can read). Such
// LSTMs work for any sequence length; return_sequences=false takes the last
// step with STRIDED_SLICE, go_backwards flips the input with REVERSE_V2.
// (A constant input sequence unrolls instead, so that it folds.)
// Every other LSTM (Keras 1/2.0 hard_sigmoid, return_state, ...), GRU and
// SimpleRNN unroll over a fixed sequence length; over an unknown length they
// become a WHILE loop (the first step, then one iteration per step), as TF
// emits a WHILE for them.
// A mask (Embedding mask_zero, Masking) makes a masked step keep h and c;
// the step's output is the carried h, or zero with zero_output_for_mask
// (which Bidirectional sets for return_sequences), as Keras's backend rnn
// computes on CPU. A sequence output passes the mask on.
#include <algorithm>

#include "frontends/keras/layer_registry.h"

namespace tflc {
namespace {

using json = nlohmann::json;
using Outs = Expected<std::vector<TensorId>>;

enum class Cell { kSimple, kGru, kLstm };

int gates(Cell c) { return c == Cell::kLstm ? 4 : c == Cell::kGru ? 3 : 1; }
int num_states(Cell c) { return c == Cell::kLstm ? 2 : 1; }

Cell cell_of(const std::string& cls) {
  if (cls == "LSTM") return Cell::kLstm;
  if (cls == "GRU") return Cell::kGru;
  return Cell::kSimple;
}

// Config values of the (possibly wrapped) RNN layer; Keras 1 spells some keys
// differently (output_dim, inner_activation).
struct RnnSpec {
  Cell cell = Cell::kSimple;
  int64_t units = 0;
  std::string activation = "tanh", recurrent_activation = "hard_sigmoid";
  bool use_bias = true, return_sequences = false, return_state = false, go_backwards = false;
  bool reset_after = false;  // GRU
  bool keras3 = false;       // Keras 3 changed hard_sigmoid
  // On a masked sequence, the output at a masked step is zero instead of
  // the carried h (Keras's RNN zero_output_for_mask, default False;
  // Bidirectional sets it to return_sequences).
  bool zero_output_for_mask = false;
};

Expected<RnnSpec> read_spec(const std::string& cls, const json& c, const std::string& layer) {
  RnnSpec s;
  s.cell = cell_of(cls);
  auto str = [&](const char* k, const char* k1, const std::string& def) {
    for (const char* key : {k, k1})
      if (key && c.contains(key) && c[key].is_string()) return c[key].get<std::string>();
    return def;
  };
  auto flag = [&](const char* k, bool def) { return c.contains(k) && c[k].is_boolean() ? c[k].get<bool>() : def; };
  for (const char* key : {"units", "output_dim"})
    if (c.contains(key) && c[key].is_number_integer()) s.units = c[key].get<int64_t>();
  if (s.units <= 0) return invalid_input(cls + " layer '" + layer + "' has no positive 'units'");
  s.keras3 = c.contains("seed") || (c.contains("dtype") && c["dtype"].is_object());
  s.activation = str("activation", nullptr, "tanh");
  s.recurrent_activation = str("recurrent_activation", "inner_activation", s.keras3 ? "sigmoid" : "hard_sigmoid");
  s.use_bias = flag("use_bias", true);
  s.return_sequences = flag("return_sequences", false);
  s.return_state = flag("return_state", false);
  s.go_backwards = flag("go_backwards", false);
  // Keras 2.0-2.2 defaulted to False, tf.keras 2 and Keras 3 to True; files
  // always state it when the key exists, and Keras 1 has no reset_after.
  s.reset_after = flag("reset_after", false);
  s.zero_output_for_mask = flag("zero_output_for_mask", false);
  if (flag("stateful", false))
    return unsupported("not supported yet: stateful " + cls + " (state carried across calls)");
  if (c.contains("time_major") && flag("time_major", false)) return unsupported("not supported yet: time_major " + cls);
  return s;
}

// Weights in the Keras 2 fused layout, transposed for FULLY_CONNECTED:
// w[G*u][in], r[G*u][u], gate blocks in Keras order (LSTM i f c o, GRU z r h).
struct RnnWeights {
  int64_t in = 0;
  std::vector<float> w, r, bias, rec_bias;  // bias/rec_bias empty when absent
};

std::vector<float> transpose(const std::vector<float>& v, int64_t rows, int64_t cols) {
  std::vector<float> t(v.size());
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) t[j * rows + i] = v[i * cols + j];
  return t;
}

Status bad_shape(const std::string& layer, int i, const std::vector<int64_t>& shape) {
  return invalid_input("recurrent layer '" + layer + "': weight " + std::to_string(i) + " has shape " +
                       shape_str(shape) + ", which does not match its config");
}

// Reads `count` weights starting at `first`: the Keras 2/3 form (kernel,
// recurrent_kernel[, bias]) or Keras 1's per-gate arrays (W_g, U_g, b_g per
// gate, LSTM gates i c f o, GRU z r h).
Expected<RnnWeights> read_weights(KerasLayerContext& ctx, const RnnSpec& s, int first, int count) {
  const int G = gates(s.cell);
  const int64_t u = s.units, gu = G * u;
  RnnWeights rw;
  std::vector<int64_t> sh;
  if (count == 3 * G && G > 1) {  // Keras 1 per-gate
    static const int kLstmOrder[4] = {0, 2, 1, 3};  // file gate k -> fused block (i c f o -> i f c o)
    std::vector<float> k, r, b(gu);
    for (int g = 0; g < G; ++g) {
      int block = s.cell == Cell::kLstm ? kLstmOrder[g] : g;
      ASSIGN_OR_RETURN(std::vector<float> wg, ctx.weight_values(first + 3 * g, &sh));
      if (sh.size() != 2 || sh[1] != u) return bad_shape(ctx.scope(), first + 3 * g, sh);
      if (g == 0) {
        rw.in = sh[0];
        k.assign(rw.in * gu, 0.f);
        r.assign(u * gu, 0.f);
      } else if (sh[0] != rw.in) {
        return bad_shape(ctx.scope(), first + 3 * g, sh);
      }
      ASSIGN_OR_RETURN(std::vector<float> ug, ctx.weight_values(first + 3 * g + 1, &sh));
      if (sh != std::vector<int64_t>{u, u}) return bad_shape(ctx.scope(), first + 3 * g + 1, sh);
      ASSIGN_OR_RETURN(std::vector<float> bg, ctx.weight_values(first + 3 * g + 2, &sh));
      if (sh != std::vector<int64_t>{u}) return bad_shape(ctx.scope(), first + 3 * g + 2, sh);
      for (int64_t i = 0; i < rw.in; ++i)
        for (int64_t j = 0; j < u; ++j) k[i * gu + block * u + j] = wg[i * u + j];
      for (int64_t i = 0; i < u; ++i)
        for (int64_t j = 0; j < u; ++j) r[i * gu + block * u + j] = ug[i * u + j];
      std::copy(bg.begin(), bg.end(), b.begin() + block * u);
    }
    rw.w = transpose(k, rw.in, gu);
    rw.r = transpose(r, u, gu);
    rw.bias = std::move(b);
    return rw;
  }
  if (count != (s.use_bias ? 3 : 2))
    return invalid_input("recurrent layer '" + ctx.scope() + "' has " + std::to_string(count) +
                         " weights in the file; its config needs " + std::to_string(s.use_bias ? 3 : 2));
  ASSIGN_OR_RETURN(std::vector<float> k, ctx.weight_values(first, &sh));
  if (sh.size() != 2 || sh[1] != gu) return bad_shape(ctx.scope(), first, sh);
  rw.in = sh[0];
  rw.w = transpose(k, rw.in, gu);
  ASSIGN_OR_RETURN(std::vector<float> r, ctx.weight_values(first + 1, &sh));
  if (sh != std::vector<int64_t>{u, gu}) return bad_shape(ctx.scope(), first + 1, sh);
  rw.r = transpose(r, u, gu);
  if (s.use_bias) {
    ASSIGN_OR_RETURN(std::vector<float> b, ctx.weight_values(first + 2, &sh));
    if (s.cell == Cell::kGru && s.reset_after) {
      // [2, 3u]: input bias, then recurrent bias.
      if (sh != std::vector<int64_t>{2, gu}) return bad_shape(ctx.scope(), first + 2, sh);
      rw.bias.assign(b.begin(), b.begin() + gu);
      rw.rec_bias.assign(b.begin() + gu, b.end());
    } else {
      if (sh != std::vector<int64_t>{gu}) return bad_shape(ctx.scope(), first + 2, sh);
      rw.bias = std::move(b);
    }
  }
  return rw;
}

TensorId f32_const(IrBuilder& ctx, std::vector<int64_t> shape, const std::vector<float>& v,
                   const std::string& suffix) {
  return ctx.constant(DType::kFloat32, std::move(shape), to_bytes(v), suffix);
}

Expected<TensorId> act(IrBuilder& ctx, TensorId x, const std::string& name, bool keras3) {
  if (name == "hard_sigmoid") {
    if (keras3) {  // Keras 3: relu6(x + 3) / 6
      ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::ADD, {x, ctx.const_f32_scalar(3.f, "three")}));
      ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::RELU6, {y}));
      return ctx.emit1(OpCode::MUL, {y, ctx.const_f32_scalar(1.f / 6.f, "sixth")});
    }
    // Keras 1/2: clip(0.2 x + 0.5, 0, 1)
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::MUL, {x, ctx.const_f32_scalar(0.2f, "slope")}));
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::ADD, {y, ctx.const_f32_scalar(0.5f, "half")}));
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::MAXIMUM, {y, ctx.const_f32_scalar(0.f, "zero")}));
    return ctx.emit1(OpCode::MINIMUM, {y, ctx.const_f32_scalar(1.f, "one")});
  }
  if (name == "linear") return x;
  if (name == "tanh") return ctx.emit1(OpCode::TANH, {x});
  if (name == "sigmoid") return ctx.emit1(OpCode::LOGISTIC, {x});
  if (name == "relu") return ctx.emit1(OpCode::RELU, {x});
  return unsupported("not supported yet: recurrent activation '" + name + "'");
}

struct RnnResult {
  std::vector<TensorId> steps;  // h after each step, in processing order (unrolled)
  TensorId seq = kNoTensor;     // or all of them as [B, T, u] (a loop)
  TensorId h = kNoTensor, c = kNoTensor;
};

Expected<std::vector<TensorId>> split(IrBuilder& ctx, TensorId x, int n) {
  return ctx.emit(OpCode::SPLIT, {ctx.const_i32_scalar(1, "axis"), x}, tflite::SplitOptionsT{.num_splits = n}, n);
}

// The recurrent weights the per-step math reads, as constants of the graph
// the steps run in (the layer's graph, or a loop body).
struct CellConsts {
  TensorId r_all = kNoTensor, r_zr = kNoTensor, r_h = kNoTensor, rb = kNoTensor, one = kNoTensor;
};

CellConsts cell_consts(IrBuilder& ctx, const RnnSpec& s, const RnnWeights& rw) {
  const int64_t u = s.units, gu = gates(s.cell) * u;
  CellConsts k;
  // GRU without reset_after multiplies r·h before U_h: its U is split in two.
  if (s.cell == Cell::kGru && !s.reset_after) {
    k.r_zr = f32_const(ctx, {2 * u, u}, std::vector<float>(rw.r.begin(), rw.r.begin() + 2 * u * u), "recurrent_kernel_zr");
    k.r_h = f32_const(ctx, {u, u}, std::vector<float>(rw.r.begin() + 2 * u * u, rw.r.end()), "recurrent_kernel_h");
  } else {
    k.r_all = f32_const(ctx, {gu, u}, rw.r, "recurrent_kernel");
  }
  k.rb = rw.rec_bias.empty() ? kNoTensor : f32_const(ctx, {gu}, rw.rec_bias, "recurrent_bias");
  k.one = ctx.const_f32_scalar(1.f, "one");
  return k;
}

// One time step from its input projection xg [B, G*u]: the new h (and c
// for an LSTM). A state of kNoTensor is zero, as at the first step, which
// then needs no h·U term (and no zero tensor of the run-time batch).
Status cell_step(IrBuilder& ctx, const RnnSpec& s, const RnnWeights& rw, const CellConsts& k, TensorId xg,
                 TensorId& h, TensorId& c) {
  const int64_t u = s.units;
  auto add = [&](TensorId a, TensorId b) { return ctx.emit1(OpCode::ADD, {a, b}); };
  auto mul = [&](TensorId a, TensorId b) { return ctx.emit1(OpCode::MUL, {a, b}); };
  auto matmul = [&](TensorId x, TensorId wt, TensorId bias) {
    return ctx.emit1(OpCode::FULLY_CONNECTED, {x, wt, bias});
  };
  // x W + h U for the cells that multiply h by all of U at once.
  auto with_recurrent = [&](TensorId x) -> Expected<TensorId> {
    if (h == kNoTensor) return x;
    ASSIGN_OR_RETURN(TensorId hr, matmul(h, k.r_all, kNoTensor));
    return add(x, hr);
  };
  // The GRU's new state (1 - z) ⊙ act(hin) + z ⊙ h, both reset_after forms.
  auto gru_state = [&](TensorId zg, TensorId hin) -> Expected<TensorId> {
    ASSIGN_OR_RETURN(TensorId hh, act(ctx, hin, s.activation, s.keras3));
    ASSIGN_OR_RETURN(TensorId omz, ctx.emit1(OpCode::SUB, {k.one, zg}));
    ASSIGN_OR_RETURN(TensorId nh, mul(omz, hh));
    if (h == kNoTensor) return nh;
    ASSIGN_OR_RETURN(TensorId zh, mul(zg, h));
    return add(zh, nh);
  };
  switch (s.cell) {
    case Cell::kSimple: {
      ASSIGN_OR_RETURN(TensorId z, with_recurrent(xg));
      ASSIGN_OR_RETURN(h, act(ctx, z, s.activation, s.keras3));
      return ok_status();
    }
    case Cell::kLstm: {
      ASSIGN_OR_RETURN(TensorId z, with_recurrent(xg));
      ASSIGN_OR_RETURN(std::vector<TensorId> g, split(ctx, z, 4));
      ASSIGN_OR_RETURN(TensorId i, act(ctx, g[0], s.recurrent_activation, s.keras3));
      ASSIGN_OR_RETURN(TensorId f, act(ctx, g[1], s.recurrent_activation, s.keras3));
      ASSIGN_OR_RETURN(TensorId cc, act(ctx, g[2], s.activation, s.keras3));
      ASSIGN_OR_RETURN(TensorId o, act(ctx, g[3], s.recurrent_activation, s.keras3));
      ASSIGN_OR_RETURN(TensorId ic, mul(i, cc));
      if (c != kNoTensor) {
        ASSIGN_OR_RETURN(TensorId fc_, mul(f, c));
        ASSIGN_OR_RETURN(c, add(fc_, ic));
      } else {
        c = ic;
      }
      ASSIGN_OR_RETURN(TensorId ac, act(ctx, c, s.activation, s.keras3));
      ASSIGN_OR_RETURN(h, mul(o, ac));
      return ok_status();
    }
    case Cell::kGru: {
      ASSIGN_OR_RETURN(std::vector<TensorId> xg3, split(ctx, xg, 3));
      TensorId zin = xg3[0], rin = xg3[1], hin = xg3[2];
      if (s.reset_after) {
        // h̃ = act(x W_h + b_h + r ⊙ (h U_h + b_rh)); with h = 0 the
        // recurrent part is just the recurrent bias.
        TensorId rz = kNoTensor, rr = kNoTensor, rh = kNoTensor;
        if (h != kNoTensor) {
          ASSIGN_OR_RETURN(TensorId hr, matmul(h, k.r_all, k.rb));
          ASSIGN_OR_RETURN(std::vector<TensorId> p, split(ctx, hr, 3));
          rz = p[0], rr = p[1], rh = p[2];
        } else if (k.rb != kNoTensor) {
          rz = f32_const(ctx, {u}, std::vector<float>(rw.rec_bias.begin(), rw.rec_bias.begin() + u), "rb_z");
          rr = f32_const(ctx, {u}, std::vector<float>(rw.rec_bias.begin() + u, rw.rec_bias.begin() + 2 * u), "rb_r");
          rh = f32_const(ctx, {u}, std::vector<float>(rw.rec_bias.begin() + 2 * u, rw.rec_bias.end()), "rb_h");
        }
        if (rz != kNoTensor) {
          ASSIGN_OR_RETURN(zin, add(zin, rz));
          ASSIGN_OR_RETURN(rin, add(rin, rr));
        }
        ASSIGN_OR_RETURN(TensorId zg, act(ctx, zin, s.recurrent_activation, s.keras3));
        if (rh != kNoTensor) {
          ASSIGN_OR_RETURN(TensorId rg, act(ctx, rin, s.recurrent_activation, s.keras3));
          ASSIGN_OR_RETURN(TensorId rrh, mul(rg, rh));
          ASSIGN_OR_RETURN(hin, add(hin, rrh));
        }
        ASSIGN_OR_RETURN(h, gru_state(zg, hin));
      } else {
        // h̃ = act(x W_h + b_h + (r ⊙ h) U_h).
        if (h != kNoTensor) {
          ASSIGN_OR_RETURN(TensorId hr, matmul(h, k.r_zr, kNoTensor));
          ASSIGN_OR_RETURN(std::vector<TensorId> p, split(ctx, hr, 2));
          ASSIGN_OR_RETURN(zin, add(zin, p[0]));
          ASSIGN_OR_RETURN(rin, add(rin, p[1]));
        }
        ASSIGN_OR_RETURN(TensorId zg, act(ctx, zin, s.recurrent_activation, s.keras3));
        if (h != kNoTensor) {
          ASSIGN_OR_RETURN(TensorId rg, act(ctx, rin, s.recurrent_activation, s.keras3));
          ASSIGN_OR_RETURN(TensorId rh_, mul(rg, h));
          ASSIGN_OR_RETURN(TensorId rhu, matmul(rh_, k.r_h, kNoTensor));
          ASSIGN_OR_RETURN(hin, add(hin, rhu));
        }
        ASSIGN_OR_RETURN(h, gru_state(zg, hin));
      }
      return ok_status();
    }
  }
  return internal_error("unknown recurrent cell");
}

// Keras's masked step: where the step's mask m [B, 1] is false, h and c keep
// their old values (zero before the first step).
Status keep_masked(IrBuilder& b, TensorId m, TensorId& h, TensorId old_h, TensorId& c, TensorId old_c) {
  if (m == kNoTensor) return ok_status();
  TensorId zero = kNoTensor;
  auto old_or_zero = [&](TensorId old) {
    if (old != kNoTensor) return old;
    if (zero == kNoTensor) zero = b.const_f32_scalar(0.f, "masked_zero");
    return zero;
  };
  ASSIGN_OR_RETURN(h, b.emit1(OpCode::SELECT_V2, {m, h, old_or_zero(old_h)}));
  if (c != kNoTensor) {
    ASSIGN_OR_RETURN(c, b.emit1(OpCode::SELECT_V2, {m, c, old_or_zero(old_c)}));
  }
  return ok_status();
}

// Step t's mask as [B, 1], from a [B, T] mask.
Expected<TensorId> step_mask(IrBuilder& b, TensorId mask, TensorId t) {
  ASSIGN_OR_RETURN(TensorId m, b.emit1(OpCode::GATHER, {mask, t}, tflite::GatherOptionsT{.axis = 1}));
  return b.emit1(OpCode::EXPAND_DIMS, {m, b.const_i32_scalar(-1, "mask_axis")});
}

// Over a sequence of unknown length: the first step here, then a WHILE over
// the rest, as TF's converter emits for GRU/SimpleRNN. The loop carries
// (i, steps, xp, h[, c][, seq, ramp]). seq is [B, T, u] from the start and
// step t writes its row with SELECT_V2(ramp == t, h, seq), so no loop value
// changes shape: a growing one is a dynamic tensor, and LiteRT's WHILE then
// makes every output dynamic (LiteRT.js cannot return those; a SLICE in the
// body did the same). A sequence of length 0 fails in the runtime, at the
// first step's GATHER.
Expected<RnnResult> loop_steps(KerasLayerContext& ctx, const RnnSpec& s, const RnnWeights& rw, TensorId xp, TensorId h,
                               TensorId c, const std::string& tag, TensorId mask) {
  auto step_input = [](IrBuilder& b, TensorId seq, TensorId i) {
    return b.emit1(OpCode::GATHER, {seq, i}, tflite::GatherOptionsT{.axis = 1});
  };
  CellConsts k = cell_consts(ctx, s, rw);
  TensorId first = ctx.const_i32_scalar(0, "first_step");
  ASSIGN_OR_RETURN(TensorId x0, step_input(ctx, xp, first));
  {
    TensorId old_h = h, old_c = c, m0 = kNoTensor;
    RETURN_IF_ERROR(cell_step(ctx, s, rw, k, x0, h, c));
    if (mask != kNoTensor) {
      ASSIGN_OR_RETURN(m0, step_mask(ctx, mask, first));
    }
    RETURN_IF_ERROR(keep_masked(ctx, m0, h, old_h, c, old_c));
  }
  const bool lstm = s.cell == Cell::kLstm, seq = s.return_sequences;
  ASSIGN_OR_RETURN(TensorId shape,
                   ctx.emit1(OpCode::SHAPE, {xp}, tflite::ShapeOptionsT{.out_type = tflite::TensorType::INT32}));
  ASSIGN_OR_RETURN(TensorId steps, ctx.emit1(OpCode::GATHER, {shape, ctx.const_i32_scalar(1, "time_dim")},
                                             tflite::GatherOptionsT{.axis = 0}));
  // seq[:, t, :] <- h, as SELECT_V2 over a step ramp (0..T-1 along the time
  // axis), so the loop keeps one shape.
  auto put = [](IrBuilder& b, TensorId sq, TensorId ramp, TensorId t, TensorId ht) -> Expected<TensorId> {
    ASSIGN_OR_RETURN(TensorId here, b.emit1(OpCode::EQUAL, {ramp, t}));
    ASSIGN_OR_RETURN(TensorId h3, b.emit1(OpCode::EXPAND_DIMS, {ht, b.const_i32_scalar(1, "time_axis")}));
    return b.emit1(OpCode::SELECT_V2, {here, h3, sq});
  };
  std::vector<TensorId> init = {ctx.const_i32_scalar(1, "second_step"), steps, xp, h};
  if (lstm) init.push_back(c);
  const size_t mask_at = init.size();
  if (mask != kNoTensor) init.push_back(mask);
  if (seq) {
    ASSIGN_OR_RETURN(TensorId col, ctx.emit1(OpCode::SLICE, {xp, ctx.const_i32({0, 0, 0}, "col_begin"),
                                                            ctx.const_i32({1, -1, 1}, "col_size")}));
    ASSIGN_OR_RETURN(TensorId zeros, ctx.emit1(OpCode::ZEROS_LIKE, {col}));
    ASSIGN_OR_RETURN(TensorId ones, ctx.emit1(OpCode::ADD, {zeros, ctx.const_f32_scalar(1.f, "one")}));
    // float32 counts exactly up to 2^24 steps.
    ASSIGN_OR_RETURN(TensorId ramp, ctx.emit1(OpCode::CUMSUM, {ones, ctx.const_i32_scalar(1, "time_axis")},
                                              tflite::CumsumOptionsT{.exclusive = true}));
    // Any [B, T, u] start will do: every row is written.
    ASSIGN_OR_RETURN(TensorId start, ctx.emit1(OpCode::SLICE, {xp, ctx.const_i32({0, 0, 0}, "seq_begin"),
                                                              ctx.const_i32({-1, -1, static_cast<int32_t>(s.units)},
                                                                            "seq_size")}));
    ASSIGN_OR_RETURN(TensorId y0, put(ctx, start, ramp, ctx.const_f32_scalar(0.f, "first_row"), h));
    init.push_back(y0);
    init.push_back(ramp);
  }
  std::vector<std::string> names = {"step", "steps", "xp", "h"};
  if (lstm) names.push_back("c");
  if (mask != kNoTensor) names.push_back("mask");
  if (seq) names.insert(names.end(), {"seq", "ramp"});
  auto new_body = [&](const std::string& name) {
    auto g = std::make_shared<Graph>();
    g->name = ctx.scope() + "/" + tag + name;
    g->role = SubgraphRole::kBody;
    for (size_t v = 0; v < init.size(); ++v) {
      const Tensor& from = ctx.graph().t(init[v]);
      Tensor t;
      t.name = names[v];
      t.dtype = from.dtype;
      t.shape = from.shape;
      g->inputs.push_back(g->add_tensor(std::move(t)));
    }
    return g;
  };
  auto cond = new_body("while_cond");
  {
    IrBuilder b(*cond, cond->name, ctx.fold_budget());
    ASSIGN_OR_RETURN(TensorId more, b.emit1(OpCode::LESS, {cond->inputs[0], cond->inputs[1]}));
    cond->outputs = {more};
  }
  auto body = new_body("while_body");
  {
    IrBuilder b(*body, body->name, ctx.fold_budget());
    const std::vector<TensorId> in = body->inputs;
    CellConsts bk = cell_consts(b, s, rw);
    ASSIGN_OR_RETURN(TensorId xg, step_input(b, in[2], in[0]));
    TensorId bh = in[3], bc = lstm ? in[4] : kNoTensor;
    RETURN_IF_ERROR(cell_step(b, s, rw, bk, xg, bh, bc));
    if (mask != kNoTensor) {
      ASSIGN_OR_RETURN(TensorId m, step_mask(b, in[mask_at], in[0]));
      RETURN_IF_ERROR(keep_masked(b, m, bh, in[3], bc, lstm ? in[4] : kNoTensor));
    }
    ASSIGN_OR_RETURN(TensorId next, b.emit1(OpCode::ADD, {in[0], b.const_i32_scalar(1, "one")}));
    body->outputs = {next, in[1], in[2], bh};
    if (lstm) body->outputs.push_back(bc);
    if (mask != kNoTensor) body->outputs.push_back(in[mask_at]);
    if (seq) {
      TensorId sq = in[in.size() - 2], ramp = in.back();
      ASSIGN_OR_RETURN(TensorId t, b.cast(in[0], DType::kFloat32));
      ASSIGN_OR_RETURN(TensorId written, put(b, sq, ramp, t, bh));
      body->outputs.insert(body->outputs.end(), {written, ramp});
    }
  }
  ASSIGN_OR_RETURN(std::vector<TensorId> outs,
                   ctx.emit_call(OpCode::WHILE, init, {cond, body}, static_cast<int>(init.size())));
  RnnResult r;
  r.h = outs[3];
  if (lstm) r.c = outs[4];
  if (seq) r.seq = outs[outs.size() - 2];
  return r;
}

// One RNN over x [B, T, in] from states h0/c0 (kNoTensor: zeros): unrolled
// over a known T, else a loop whose bodies are named with `tag` (the two
// directions of a Bidirectional need distinct names).
Expected<RnnResult> unroll(KerasLayerContext& ctx, const RnnSpec& s, const RnnWeights& rw, TensorId x, TensorId h0,
                           TensorId c0, const std::string& tag = "", TensorId mask = kNoTensor) {
  const Tensor& xt = ctx.graph().t(x);
  if (xt.unknown_rank || xt.rank() != 3)
    return invalid_input("recurrent layer '" + ctx.scope() + "' needs a [batch, time, features] input, got " +
                         shape_str(xt.shape));
  if (xt.dtype != DType::kFloat32) return unsupported("not supported yet: recurrent layer on " + dtype_name(xt.dtype));
  const int64_t T = xt.shape[1];
  if (T == 0) return unsupported("not supported yet: recurrent layer over an empty sequence");
  if (xt.shape[2] >= 0 && xt.shape[2] != rw.in)
    return invalid_input("recurrent layer '" + ctx.scope() + "': input has " + std::to_string(xt.shape[2]) +
                         " features, the kernel " + std::to_string(rw.in));
  const int64_t gu = gates(s.cell) * s.units;
  TensorId w = f32_const(ctx, {gu, rw.in}, rw.w, "kernel");
  TensorId b = rw.bias.empty() ? kNoTensor : f32_const(ctx, {gu}, rw.bias, "bias");
  tflite::FullyConnectedOptionsT fc;
  fc.keep_num_dims = true;
  ASSIGN_OR_RETURN(TensorId xp, ctx.emit1(OpCode::FULLY_CONNECTED, {x, w, b}, fc));
  if (T < 0) {
    if (s.go_backwards) {
      ASSIGN_OR_RETURN(xp, ctx.emit1(OpCode::REVERSE_V2, {xp, ctx.const_i32({1}, "time_axis")}));
      if (mask != kNoTensor) {
        ASSIGN_OR_RETURN(mask, ctx.emit1(OpCode::REVERSE_V2, {mask, ctx.const_i32({1}, "time_axis")}));
      }
    }
    return loop_steps(ctx, s, rw, xp, h0, c0, tag, mask);
  }
  tflite::UnpackOptionsT un{.num = static_cast<int>(T), .axis = 1};
  ASSIGN_OR_RETURN(std::vector<TensorId> xs, ctx.emit(OpCode::UNPACK, {xp}, un, static_cast<int>(T)));
  if (s.go_backwards) std::reverse(xs.begin(), xs.end());
  std::vector<TensorId> ms(static_cast<size_t>(T), kNoTensor);
  if (mask != kNoTensor) {
    ASSIGN_OR_RETURN(ms, ctx.emit(OpCode::UNPACK, {mask}, un, static_cast<int>(T)));
    for (TensorId& m : ms) {
      ASSIGN_OR_RETURN(m, ctx.emit1(OpCode::EXPAND_DIMS, {m, ctx.const_i32_scalar(-1, "mask_axis")}));
    }
    if (s.go_backwards) std::reverse(ms.begin(), ms.end());
  }
  CellConsts k = cell_consts(ctx, s, rw);
  RnnResult res;
  TensorId h = h0, c = c0;
  for (int64_t t = 0; t < T; ++t) {
    TensorId old_h = h, old_c = c;
    RETURN_IF_ERROR(cell_step(ctx, s, rw, k, xs[t], h, c));
    RETURN_IF_ERROR(keep_masked(ctx, ms[t], h, old_h, c, old_c));
    res.steps.push_back(h);
  }
  res.h = h;
  res.c = c;
  return res;
}

Expected<TensorId> reverse_time(KerasLayerContext& ctx, TensorId x) {
  return ctx.emit1(OpCode::REVERSE_V2, {x, ctx.const_i32({1}, "time_axis")});
}

// The step outputs as [B, T, u], in input order when `reverse` (a
// go_backwards layer) asks for it.
Expected<TensorId> pack_steps(KerasLayerContext& ctx, const RnnResult& r, bool reverse) {
  if (r.seq != kNoTensor) return reverse ? reverse_time(ctx, r.seq) : r.seq;
  std::vector<TensorId> steps = r.steps;
  if (reverse) std::reverse(steps.begin(), steps.end());
  return ctx.emit1(OpCode::PACK, steps, tflite::PackOptionsT{.values_count = static_cast<int>(steps.size()), .axis = 1});
}

// zero_output_for_mask on a sequence output y [B, T, u]: the rows whose
// mask [B, T] is false become zero. `reverse`: y is in go_backwards order.
Expected<TensorId> zero_masked_rows(KerasLayerContext& ctx, TensorId y, TensorId mask, bool reverse) {
  if (reverse) {
    ASSIGN_OR_RETURN(mask, reverse_time(ctx, mask));
  }
  ASSIGN_OR_RETURN(TensorId m, ctx.emit1(OpCode::EXPAND_DIMS, {mask, ctx.const_i32_scalar(-1, "mask_axis")}));
  return ctx.emit1(OpCode::SELECT_V2, {m, y, ctx.const_f32_scalar(0.f, "masked_zero")});
}

// zero_output_for_mask on the last output h [B, u]: zero where the last step
// processed (the first one for go_backwards) is masked.
Expected<TensorId> zero_if_last_masked(KerasLayerContext& ctx, TensorId h, TensorId mask, bool go_backwards) {
  tflite::StridedSliceOptionsT sl;
  sl.begin_mask = 1;
  sl.end_mask = 1;
  sl.shrink_axis_mask = 2;
  ASSIGN_OR_RETURN(TensorId m, ctx.emit1(OpCode::STRIDED_SLICE, {mask, ctx.const_i32({0, go_backwards ? 0 : -1}, "last_step"),
                                                                ctx.const_i32({0, 0}, "last_step_end"),
                                                                ctx.const_i32({1, 1}, "last_step_strides")},
                                         sl));
  ASSIGN_OR_RETURN(m, ctx.emit1(OpCode::EXPAND_DIMS, {m, ctx.const_i32_scalar(-1, "mask_axis")}));
  return ctx.emit1(OpCode::SELECT_V2, {m, h, ctx.const_f32_scalar(0.f, "masked_zero")});
}

// A constant input sequence takes the unroll: it folds to a constant through
// the elementwise kernels, while the sequence op's state inputs never fold.
bool fusable_lstm(KerasLayerContext& ctx, const RnnSpec& s, bool has_initial_state) {
  return ctx.input_mask(0) == kNoTensor && s.cell == Cell::kLstm && s.activation == "tanh" && s.recurrent_activation == "sigmoid" && !s.return_state &&
         !has_initial_state && !ctx.graph().t(ctx.in(0)).is_const();
}

// A layer's output: the sequence (in input order when flip_seq was asked for)
// if return_sequences, and the last step's h.
struct LayerOut {
  TensorId seq = kNoTensor, h = kNoTensor;
};

// One UNIDIRECTIONAL_SEQUENCE_LSTM over x [B, T, in]; T may be unknown.
Expected<LayerOut> fused_lstm(KerasLayerContext& ctx, const RnnSpec& s, const RnnWeights& rw, TensorId x,
                              bool flip_seq, const std::string& tag) {
  const Tensor& xt = ctx.graph().t(x);
  if (xt.unknown_rank || xt.rank() != 3)
    return invalid_input("recurrent layer '" + ctx.scope() + "' needs a [batch, time, features] input, got " +
                         shape_str(xt.shape));
  if (xt.dtype != DType::kFloat32) return unsupported("not supported yet: recurrent layer on " + dtype_name(xt.dtype));
  if (xt.shape[2] >= 0 && xt.shape[2] != rw.in)
    return invalid_input("recurrent layer '" + ctx.scope() + "': input has " + std::to_string(xt.shape[2]) +
                         " features, the kernel " + std::to_string(rw.in));
  const int64_t u = s.units, batch = xt.shape[0];
  if (s.go_backwards) {
    ASSIGN_OR_RETURN(x, reverse_time(ctx, x));
  }
  static const char* kGate[4] = {"input", "forget", "cell", "output"};
  std::vector<TensorId> in(24, kNoTensor);
  in[0] = x;
  // rw.w / rw.r are [4u][in] / [4u][u] with Keras gate blocks i f c o: each
  // block of rows is exactly TFLite's per-gate [u, in] / [u, u] matrix.
  for (int k = 0; k < 4; ++k) {
    std::vector<float> w(rw.w.begin() + k * u * rw.in, rw.w.begin() + (k + 1) * u * rw.in);
    std::vector<float> r(rw.r.begin() + k * u * u, rw.r.begin() + (k + 1) * u * u);
    std::vector<float> b = rw.bias.empty() ? std::vector<float>(u, 0.f)
                                           : std::vector<float>(rw.bias.begin() + k * u, rw.bias.begin() + (k + 1) * u);
    in[1 + k] = f32_const(ctx, {u, rw.in}, w, tag + "input_to_" + kGate[k] + "_weights");
    in[5 + k] = f32_const(ctx, {u, u}, r, tag + "recurrent_to_" + kGate[k] + "_weights");
    in[12 + k] = f32_const(ctx, {u}, b, tag + kGate[k] + "_gate_bias");
  }
  // The state lives in variable tensors (no buffer), zero at the start.
  for (int k = 0; k < 2; ++k) {
    Tensor st;
    st.name = ctx.scope() + "/" + tag + (k == 0 ? "input_activation_state" : "input_cell_state");
    st.dtype = DType::kFloat32;
    st.shape = {batch, u};
    st.is_variable = true;
    in[18 + k] = ctx.graph().add_tensor(std::move(st));
  }
  tflite::UnidirectionalSequenceLSTMOptionsT a;
  a.fused_activation_function = Activation::TANH;
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::UNIDIRECTIONAL_SEQUENCE_LSTM, in, a));
  LayerOut out;
  if (s.return_sequences) {
    out.seq = y;
    if (flip_seq) {
      ASSIGN_OR_RETURN(out.seq, reverse_time(ctx, y));
    }
  }
  if (s.return_sequences) return out;
  // Last step: y[:, -1, :].
  tflite::StridedSliceOptionsT sl;
  sl.begin_mask = 5;
  sl.end_mask = 5;
  sl.shrink_axis_mask = 2;
  ASSIGN_OR_RETURN(out.h, ctx.emit1(OpCode::STRIDED_SLICE, {y, ctx.const_i32({0, -1, 0}, "last_begin"),
                                                            ctx.const_i32({0, 0, 0}, "last_end"),
                                                            ctx.const_i32({1, 1, 1}, "last_strides")},
                                    sl));
  return out;
}

// Initial states passed with the call (initial_state=...) follow the input.
Status check_states(KerasLayerContext& ctx, const RnnSpec& s, int first, int n) {
  int want = num_states(s.cell);
  if (n != 0 && n != want)
    return invalid_input("recurrent layer '" + ctx.scope() + "' gets " + std::to_string(n) + " initial states, expected " +
                         std::to_string(want));
  for (int i = first; i < first + n; ++i) {
    const Tensor& t = ctx.in_tensor(i);
    if (t.unknown_rank || t.rank() != 2 || (t.shape[1] >= 0 && t.shape[1] != s.units))
      return invalid_input("recurrent layer '" + ctx.scope() + "': initial state " + shape_str(t.shape) +
                           " is not [batch, " + std::to_string(s.units) + "]");
  }
  return ok_status();
}

Outs lower_rnn(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1, 3));
  ASSIGN_OR_RETURN(RnnSpec s, read_spec(ctx.class_name(), ctx.config(), ctx.scope()));
  RETURN_IF_ERROR(check_states(ctx, s, 1, ctx.num_inputs() - 1));
  ASSIGN_OR_RETURN(RnnWeights rw, read_weights(ctx, s, 0, ctx.num_weights()));
  TensorId h0 = ctx.num_inputs() > 1 ? ctx.in(1) : kNoTensor;
  TensorId c0 = ctx.num_inputs() > 2 ? ctx.in(2) : kNoTensor;
  if (fusable_lstm(ctx, s, ctx.num_inputs() > 1)) {
    ASSIGN_OR_RETURN(LayerOut f, fused_lstm(ctx, s, rw, ctx.in(0), false, ""));
    return std::vector<TensorId>{s.return_sequences ? f.seq : f.h};
  }
  // On a masked sequence, a masked step keeps h (and c), so its output is
  // the carried h unless zero_output_for_mask; the mask goes on with the
  // sequence output (Keras's RNN.compute_mask).
  TensorId mask = ctx.input_mask(0);
  const bool zero_masked = mask != kNoTensor && s.zero_output_for_mask;
  ASSIGN_OR_RETURN(RnnResult r, unroll(ctx, s, rw, ctx.in(0), h0, c0, "", mask));
  std::vector<TensorId> out;
  if (s.return_sequences) {
    ASSIGN_OR_RETURN(TensorId y, pack_steps(ctx, r, false));
    if (zero_masked) {
      ASSIGN_OR_RETURN(y, zero_masked_rows(ctx, y, mask, s.go_backwards));
    }
    out.push_back(y);
    if (mask != kNoTensor) ctx.set_output_mask(mask);
  } else if (zero_masked) {
    ASSIGN_OR_RETURN(TensorId y, zero_if_last_masked(ctx, r.h, mask, s.go_backwards));
    out.push_back(y);
  } else {
    out.push_back(r.h);
  }
  if (s.return_state) {
    out.push_back(r.h);
    if (s.cell == Cell::kLstm) out.push_back(r.c);
  }
  return out;
}

// Bidirectional(layer): the forward copy and a go_backwards copy whose
// sequence output is flipped back to input order, then merged. Weights: the
// forward layer's, then the backward layer's.
Outs lower_bidirectional(KerasLayerContext& ctx) {
  const json& c = ctx.config();
  if (!c.contains("layer") || !c["layer"].is_object() || !c["layer"].contains("config"))
    return invalid_input("Bidirectional layer '" + ctx.scope() + "' has no wrapped 'layer'");
  std::string cls = c["layer"].value("class_name", "");
  if (cls != "LSTM" && cls != "GRU" && cls != "SimpleRNN")
    return unsupported("not supported yet: Bidirectional around " + cls);
  const json& inner = c["layer"]["config"];
  ASSIGN_OR_RETURN(RnnSpec fs, read_spec(cls, inner, ctx.scope()));
  RnnSpec bs = fs;
  if (c.contains("backward_layer") && c["backward_layer"].is_object() && c["backward_layer"].contains("config")) {
    ASSIGN_OR_RETURN(bs, read_spec(c["backward_layer"].value("class_name", cls), c["backward_layer"]["config"], ctx.scope()));
    if (bs.cell != fs.cell) return unsupported("not supported yet: Bidirectional with different forward and backward cells");
  } else {
    bs.go_backwards = !fs.go_backwards;
  }
  std::string merge = "concat";
  if (c.contains("merge_mode")) merge = c["merge_mode"].is_null() ? "none" : c["merge_mode"].get<std::string>();
  int n_states = num_states(fs.cell);
  if (ctx.num_inputs() != 1 && ctx.num_inputs() != 1 + 2 * n_states)
    return invalid_input("Bidirectional layer '" + ctx.scope() + "' is called on " + std::to_string(ctx.num_inputs()) +
                         " inputs, expected 1 or " + std::to_string(1 + 2 * n_states));
  int nw = ctx.num_weights();
  if (nw % 2) return invalid_input("Bidirectional layer '" + ctx.scope() + "' has an odd number of weights");
  ASSIGN_OR_RETURN(RnnWeights fw, read_weights(ctx, fs, 0, nw / 2));
  ASSIGN_OR_RETURN(RnnWeights bw, read_weights(ctx, bs, nw / 2, nw / 2));
  TensorId fh0 = kNoTensor, fc0 = kNoTensor, bh0 = kNoTensor, bc0 = kNoTensor;
  if (ctx.num_inputs() > 1) {
    RETURN_IF_ERROR(check_states(ctx, fs, 1, n_states));
    RETURN_IF_ERROR(check_states(ctx, bs, 1 + n_states, n_states));
    fh0 = ctx.in(1);
    bh0 = ctx.in(1 + n_states);
    if (n_states == 2) fc0 = ctx.in(2), bc0 = ctx.in(4);
  }
  // As TF does: two sequence LSTMs (the backward one on the flipped input),
  // then the merge.
  const bool fused = fusable_lstm(ctx, fs, ctx.num_inputs() > 1) && fusable_lstm(ctx, bs, ctx.num_inputs() > 1);
  RnnResult f, b;
  TensorId yf = kNoTensor, yb = kNoTensor;
  if (fused) {
    ASSIGN_OR_RETURN(LayerOut lf, fused_lstm(ctx, fs, fw, ctx.in(0), fs.go_backwards, "fw/"));
    ASSIGN_OR_RETURN(LayerOut lb, fused_lstm(ctx, bs, bw, ctx.in(0), bs.go_backwards, "bw/"));
    yf = fs.return_sequences ? lf.seq : lf.h;
    yb = bs.return_sequences ? lb.seq : lb.h;
  } else {
    // Bidirectional forces zero_output_for_mask = return_sequences on both
    // copies; both sequences are in input order here, as the mask is.
    TensorId mask = ctx.input_mask(0);
    ASSIGN_OR_RETURN(f, unroll(ctx, fs, fw, ctx.in(0), fh0, fc0, "fw/", mask));
    ASSIGN_OR_RETURN(b, unroll(ctx, bs, bw, ctx.in(0), bh0, bc0, "bw/", mask));
    yf = f.h, yb = b.h;
    if (fs.return_sequences) {
      ASSIGN_OR_RETURN(yf, pack_steps(ctx, f, fs.go_backwards));
      ASSIGN_OR_RETURN(yb, pack_steps(ctx, b, bs.go_backwards));
      if (mask != kNoTensor) {
        ASSIGN_OR_RETURN(yf, zero_masked_rows(ctx, yf, mask, false));
        ASSIGN_OR_RETURN(yb, zero_masked_rows(ctx, yb, mask, false));
        ctx.set_output_mask(mask);
      }
    }
  }
  std::vector<TensorId> out;
  if (merge == "concat") {
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::CONCATENATION, {yf, yb}, tflite::ConcatenationOptionsT{.axis = -1}));
    out.push_back(y);
  } else if (merge == "sum" || merge == "ave") {
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::ADD, {yf, yb}));
    if (merge == "ave") {
      ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::MUL, {y, ctx.const_f32_scalar(0.5f, "half")}));
    }
    out.push_back(y);
  } else if (merge == "mul") {
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::MUL, {yf, yb}));
    out.push_back(y);
  } else if (merge == "none") {
    out = {yf, yb};
  } else {
    return unsupported("not supported yet: Bidirectional merge_mode '" + merge + "'");
  }
  if (fs.return_state) {
    out.push_back(f.h);
    if (n_states == 2) out.push_back(f.c);
    out.push_back(b.h);
    if (n_states == 2) out.push_back(b.c);
  }
  return out;
}

// TimeDistributed(Dense): Dense already acts on the last axis.
Outs lower_time_distributed(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  const json& c = ctx.config();
  if (!c.contains("layer") || !c["layer"].is_object() || !c["layer"].contains("config"))
    return invalid_input("TimeDistributed layer '" + ctx.scope() + "' has no wrapped 'layer'");
  std::string cls = c["layer"].value("class_name", "");
  if (cls != "Dense") return unsupported("not supported yet: TimeDistributed around " + cls);
  KerasLowerFn dense = find_keras_layer("Dense");
  if (!dense) return unsupported("not supported yet: TimeDistributed (no Dense lowering)");
  // The wrapped Dense reads its own config; its weights are the wrapper's.
  std::vector<KerasArray> ws;
  for (int i = 0; i < ctx.num_weights(); ++i) {
    KerasArray a;
    ASSIGN_OR_RETURN(std::vector<float> v, ctx.weight_values(i, &a.shape));
    a.name = "w" + std::to_string(i);
    a.dtype = DType::kFloat32;
    a.bytes = to_bytes(v);
    ws.push_back(std::move(a));
  }
  KerasLayerContext inner(ctx.graph(), ctx.scope(), cls, c["layer"]["config"], ws, {ctx.in(0)}, kDefaultFoldBudget);
  return dense(inner);
}

// kernel [in, G·u], recurrent_kernel [u, G·u], bias [G·u] ([2, 3u] for a
// GRU with reset_after): the Keras 2 fused form.
Expected<std::vector<KerasWeightSpec>> rnn_weights_of(const std::string& cls, const json& c, const Tensor* x) {
  ASSIGN_OR_RETURN(RnnSpec s, read_spec(cls, c, c.value("name", cls)));
  const int64_t gu = gates(s.cell) * s.units;
  const int64_t in = x && !x->unknown_rank && x->rank() == 3 ? x->shape[2] : -1;
  std::vector<KerasWeightSpec> w{{{in, gu}}, {{s.units, gu}}};
  if (s.use_bias) w.push_back({s.cell == Cell::kGru && s.reset_after ? std::vector<int64_t>{2, gu} : std::vector<int64_t>{gu}});
  return w;
}
Expected<std::vector<KerasWeightSpec>> lstm_weights(const json& c, const Tensor* x) { return rnn_weights_of("LSTM", c, x); }
Expected<std::vector<KerasWeightSpec>> gru_weights(const json& c, const Tensor* x) { return rnn_weights_of("GRU", c, x); }
Expected<std::vector<KerasWeightSpec>> simple_rnn_weights(const json& c, const Tensor* x) {
  return rnn_weights_of("SimpleRNN", c, x);
}

TFLC_REGISTER_KERAS_LAYER(rnn, {{"SimpleRNN", "GRU", "LSTM"}, lower_rnn});
TFLC_REGISTER_KERAS_WEIGHTS(lstm, {"LSTM"}, lstm_weights);
TFLC_REGISTER_KERAS_WEIGHTS(gru, {"GRU"}, gru_weights);
TFLC_REGISTER_KERAS_WEIGHTS(simple_rnn, {"SimpleRNN"}, simple_rnn_weights);
TFLC_REGISTER_KERAS_LAYER(bidirectional, {{"Bidirectional"}, lower_bidirectional});
TFLC_REGISTER_KERAS_LAYER(time_distributed, {{"TimeDistributed"}, lower_time_distributed});

}  // namespace
}  // namespace tflc
