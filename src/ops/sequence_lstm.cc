// UNIDIRECTIONAL_SEQUENCE_LSTM: a whole LSTM over the time axis in one op,
// the form TensorFlow's converter gives Keras LSTM layers. 24 inputs (TFLite's
// lstm_shared.h order):
//   0 input [B,T,I] (time_major: [T,B,I])
//   1-4 input_to_{input,forget,cell,output} weights [U,I] (input gate optional: CIFG)
//   5-8 recurrent_to_{...} weights [U,O]
//   9-11 cell_to_{input,forget,output} peephole weights [U] (optional)
//   12-15 {input,forget,cell,output} gate bias [U]
//   16 projection weights [O,U], 17 projection bias [O] (optional)
//   18 output state [B,O], 19 cell state [B,U] (variable tensors)
//   20-23 {input,forget,cell,output} layer-norm coefficients [U] (optional)
// Output [B,T,O]. Gates use the logistic function; the cell input and the
// cell output use the fused activation (TANH for Keras).
// Options: UnidirectionalSequenceLSTMOptions; the reference kernel covers
// batch-major ops without clipping (all Keras LSTMs), asymmetric_quantize_inputs
// follows the weights (hybrid) when written.
#include <cmath>

#include "ops/op_util.h"

namespace tflc {
namespace {

using Options = tflite::UnidirectionalSequenceLSTMOptionsT;

constexpr int kInputs = 24;

Status infer_seq_lstm(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, kInputs, kInputs));
  const Tensor& x = input(g, op, 0);
  if (x.unknown_rank) return unsupported("not supported yet: UNIDIRECTIONAL_SEQUENCE_LSTM on an input of unknown rank");
  RETURN_IF_ERROR(expect_rank(x, 3, "UNIDIRECTIONAL_SEQUENCE_LSTM input"));
  // Every non-optional operand must be there.
  for (int i : {2, 3, 4, 6, 7, 8, 13, 14, 15, 18, 19})
    if (!has_input(op, i))
      return invalid_input("UNIDIRECTIONAL_SEQUENCE_LSTM is missing its required input " + std::to_string(i));
  const Tensor& rw = input(g, op, 8);  // recurrent_to_output [U, O]
  const Tensor& iw = input(g, op, 4);  // input_to_output [U, I]
  if (rw.unknown_rank || rw.rank() != 2 || iw.unknown_rank || iw.rank() != 2)
    return invalid_input("UNIDIRECTIONAL_SEQUENCE_LSTM weights must be rank 2");
  if (x.shape[2] >= 0 && iw.shape[1] >= 0 && x.shape[2] != iw.shape[1])
    return invalid_input("UNIDIRECTIONAL_SEQUENCE_LSTM input has " + std::to_string(x.shape[2]) +
                         " features, its weights " + std::to_string(iw.shape[1]));
  int64_t n_output = rw.shape[1];
  if (has_input(op, 16)) {
    const Tensor& p = input(g, op, 16);
    if (p.unknown_rank || p.rank() != 2) return invalid_input("UNIDIRECTIONAL_SEQUENCE_LSTM projection must be rank 2");
    n_output = p.shape[0];
  }
  DType out = x.dtype == DType::kInt8 ? DType::kInt8 : x.dtype;
  set_output(g, op, 0, out, {x.shape[0], x.shape[1], n_output});
  return ok_status();
}

// Reads optional float input i into v; returns false when it is omitted.
Expected<bool> read_opt(const Graph& g, const Op& op, int i, int64_t want, std::vector<float>& v) {
  if (!has_input(op, i)) return false;
  const Tensor& t = input(g, op, i);
  if (t.dtype != DType::kFloat32)
    return unsupported("not supported yet: evaluating UNIDIRECTIONAL_SEQUENCE_LSTM with " + dtype_name(t.dtype) +
                       " operand " + std::to_string(i));
  if (!t.is_const()) {
    // Variable state without a value starts at zero, as in the runtime.
    if (!t.is_variable) return invalid_input("UNIDIRECTIONAL_SEQUENCE_LSTM operand " + std::to_string(i) + " has no value");
    v.assign(want, 0.f);
    return true;
  }
  if (t.num_elements() != want || static_cast<int64_t>(t.data->size()) != want * 4)
    return invalid_input("UNIDIRECTIONAL_SEQUENCE_LSTM operand " + std::to_string(i) + " has " +
                         std::to_string(t.num_elements()) + " elements, expected " + std::to_string(want));
  v = const_values<float>(t);
  return true;
}

float apply_act(Activation a, float x) {
  switch (a) {
    case Activation::RELU: return x > 0 ? x : 0;
    case Activation::RELU_N1_TO_1: return std::fmin(1.f, std::fmax(-1.f, x));
    case Activation::RELU6: return std::fmin(6.f, std::fmax(0.f, x));
    case Activation::TANH: return std::tanh(x);
    case Activation::SIGN_BIT: return std::signbit(x) ? 1.f : 0.f;
    default: return x;
  }
}

float sigmoid(float x) { return 1.f / (1.f + std::exp(-x)); }

// Float reference: the LSTM cell of TFLite's lstm_eval.cc, step by step.
Status eval_seq_lstm(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 0);
  if (x.dtype != DType::kFloat32)
    return unsupported("not supported yet: evaluating UNIDIRECTIONAL_SEQUENCE_LSTM on " + dtype_name(x.dtype));
  if (!x.has_static_shape()) return unsupported("not supported yet: evaluating UNIDIRECTIONAL_SEQUENCE_LSTM of dynamic shape");
  const Options& o = opts<Options>(op);
  if (o.time_major || o.cell_clip != 0.f || o.proj_clip != 0.f || o.diagonal_recurrent_tensors)
    return unsupported(
        "not supported yet: evaluating a time-major, clipped or diagonal UNIDIRECTIONAL_SEQUENCE_LSTM");
  const bool time_major = false;
  const int64_t B = x.shape[0], T = x.shape[1], I = x.shape[2];
  const Tensor& rwo = input(g, op, 8);
  if (!rwo.has_static_shape()) return invalid_input("UNIDIRECTIONAL_SEQUENCE_LSTM weights have a dynamic shape");
  const int64_t U = rwo.shape[0], R = rwo.shape[1];  // R: recurrent (= output) size
  const bool proj = has_input(op, 16);
  const int64_t O = proj ? input(g, op, 16).shape[0] : U;
  if (O != R) return invalid_input("UNIDIRECTIONAL_SEQUENCE_LSTM output size does not match its recurrent weights");

  std::vector<float> wx[4], wr[4], peep[3], bias[4], ln[4], pw, pb, h, c;
  bool has_wx[4], has_peep[3], has_ln[4];
  for (int k = 0; k < 4; ++k) {
    ASSIGN_OR_RETURN(has_wx[k], read_opt(g, op, 1 + k, U * I, wx[k]));
    ASSIGN_OR_RETURN(bool r, read_opt(g, op, 5 + k, U * R, wr[k]));
    ASSIGN_OR_RETURN(bool b, read_opt(g, op, 12 + k, U, bias[k]));
    ASSIGN_OR_RETURN(has_ln[k], read_opt(g, op, 20 + k, U, ln[k]));
    const bool cifg_gate = k == 0 && !has_wx[0];
    if (!cifg_gate && (!has_wx[k] || !r)) return invalid_input("UNIDIRECTIONAL_SEQUENCE_LSTM is missing gate weights");
    if (!b) bias[k].assign(U, 0.f);
  }
  const bool cifg = !has_wx[0];
  for (int k = 0; k < 3; ++k) {
    ASSIGN_OR_RETURN(has_peep[k], read_opt(g, op, 9 + k, U, peep[k]));
  }
  if (proj) {
    ASSIGN_OR_RETURN(bool p, read_opt(g, op, 16, O * U, pw));
    (void)p;
    ASSIGN_OR_RETURN(bool hb, read_opt(g, op, 17, O, pb));
    if (!hb) pb.assign(O, 0.f);
  }
  {
    ASSIGN_OR_RETURN(bool hs, read_opt(g, op, 18, B * O, h));
    ASSIGN_OR_RETURN(bool cs, read_opt(g, op, 19, B * U, c));
    if (!hs || !cs) return invalid_input("UNIDIRECTIONAL_SEQUENCE_LSTM has no state tensors");
  }
  const Activation act = o.fused_activation_function;
  const float* xd = x.as<float>();
  std::vector<float> out(static_cast<size_t>(B * T * O));
  std::vector<float> gate[4];
  for (auto& v : gate) v.assign(U, 0.f);
  std::vector<float> hn(O), m(U);
  for (int64_t t = 0; t < T; ++t) {
    for (int64_t b = 0; b < B; ++b) {
      const float* xt = xd + (time_major ? (t * B + b) : (b * T + t)) * I;
      float* hb = h.data() + b * O;
      float* cb = c.data() + b * U;
      for (int k = 0; k < 4; ++k) {
        if (k == 0 && cifg) continue;
        for (int64_t u = 0; u < U; ++u) {
          float s = 0.f;
          for (int64_t i = 0; i < I; ++i) s += wx[k][u * I + i] * xt[i];
          for (int64_t r = 0; r < R; ++r) s += wr[k][u * R + r] * hb[r];
          // Peepholes on the old cell state for input/forget gates.
          if (k == 0 && has_peep[0]) s += peep[0][u] * cb[u];
          if (k == 1 && has_peep[1]) s += peep[1][u] * cb[u];
          gate[k][u] = s;
        }
        if (has_ln[k]) {
          double mean = 0, var = 0;
          for (float v : gate[k]) mean += v;
          mean /= U;
          for (float v : gate[k]) var += (v - mean) * (v - mean);
          var /= U;
          const double inv = 1.0 / std::sqrt(var + 1e-8);
          for (int64_t u = 0; u < U; ++u) gate[k][u] = static_cast<float>((gate[k][u] - mean) * inv) * ln[k][u];
        }
        for (int64_t u = 0; u < U; ++u) gate[k][u] += bias[k][u];
      }
      for (int64_t u = 0; u < U; ++u) {
        const float f = sigmoid(gate[1][u]);
        const float i = cifg ? 1.f - f : sigmoid(gate[0][u]);
        const float gg = apply_act(act, gate[2][u]);
        cb[u] = f * cb[u] + i * gg;
      }
      for (int64_t u = 0; u < U; ++u) {
        float o = gate[3][u];
        if (has_peep[2]) o += peep[2][u] * cb[u];
        m[u] = sigmoid(o) * apply_act(act, cb[u]);
      }
      if (proj) {
        for (int64_t p = 0; p < O; ++p) {
          float s = pb[p];
          for (int64_t u = 0; u < U; ++u) s += pw[p * U + u] * m[u];
          hn[p] = s;
        }
      } else {
        hn.assign(m.begin(), m.end());
      }
      std::copy(hn.begin(), hn.end(), hb);
      std::copy(hn.begin(), hn.end(), out.begin() + (b * T + t) * O);
    }
  }
  set_output_data(g, op, 0, out);
  return ok_status();
}

// Float activations with int8 weights (dynamic range): TF 2.x's converter
// always asks the hybrid kernel to quantize the inputs asymmetrically.
bool is_hybrid(const Graph& g, const Op& op) {
  return input(g, op, 0).dtype == DType::kFloat32 && has_input(op, 2) && input(g, op, 2).dtype == DType::kInt8;
}

// asymmetric_quantize_inputs is written as whether the op is hybrid.
void finalize_seq_lstm(const Graph& g, Op& op, const std::vector<int>&) {
  mutable_opts<Options>(op).asymmetric_quantize_inputs = is_hybrid(g, op);
}

// op_version.cc: int16 activations + int8 weights -> 5; diagonal recurrent
// tensors -> 4; float input with int8 weights (hybrid) -> 2, or 3 with
// asymmetric_quantize_inputs (always set with hybrid); else 1.
int version_seq_lstm(const Graph& g, const Op& op) {
  const DType in = input(g, op, 0).dtype;
  const DType w = has_input(op, 2) ? input(g, op, 2).dtype : DType::kFloat32;
  const DType out = output(g, op, 0).dtype;
  if (in == DType::kInt16 && w == DType::kInt8 && out == DType::kInt16) return 5;
  if (opts<Options>(op).diagonal_recurrent_tensors) return 4;
  if (in == DType::kFloat32 && w == DType::kInt8 && out == DType::kFloat32) return 3;  // hybrid, asymmetric inputs
  return 1;
}

// runtime_version.cc lists versions 1-4; version 5 has no entry there.
TFLC_REGISTER_OP(unidirectional_sequence_lstm,
                 {.code = OpCode::UNIDIRECTIONAL_SEQUENCE_LSTM,
                  .infer = infer_seq_lstm,
                  .eval = eval_seq_lstm,
                  .options = Options{},
                  .finalize_options = finalize_seq_lstm,
                  .types_unchecked = kNoKernelFacts,
                  .version = version_seq_lstm,
                  .runtime_versions = {"1.13.1", "1.14.0", "2.3.0", "2.12.0"},
                  // Dynamic range (TF's quantize_weights): gate, peephole and
                  // projection weights, per-tensor symmetric int8.
                  .quant = {.hybrid = true, .extra_weight_inputs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16}}});

}  // namespace
}  // namespace tflc
