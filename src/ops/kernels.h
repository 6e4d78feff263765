// Shared shape rules and reference kernels used by several op records.
#pragma once

#include <cmath>

#include "ops/op_util.h"

namespace tflc {

// Output: broadcast shape; dtype of input 0.
Status infer_binary_broadcast(Graph& g, Op& op);
// Output: broadcast shape; bool.
Status infer_compare(Graph& g, Op& op);
// Output: shape and dtype of input 0.
Status infer_same_as_input(Graph& g, Op& op);

// Applies the fused activation of op.attrs to a float value.
inline double apply_activation(Activation a, double v) {
  switch (a) {
    case Activation::kRelu: return v < 0 ? 0 : v;
    case Activation::kRelu6: return v < 0 ? 0 : (v > 6 ? 6 : v);
    case Activation::kReluN1To1: return v < -1 ? -1 : (v > 1 ? 1 : v);
    case Activation::kTanh: return std::tanh(v);
    case Activation::kSignBit: return std::signbit(v) ? 1 : 0;
    default: return v;
  }
}

// Evaluates a broadcast binary op; f is called with two values of the
// input C++ type and returns the output value. Applies the fused activation.
template <typename F>
Status eval_binary(Graph& g, Op& op, F f) {
  const Tensor& a = input(g, op, 0);
  const Tensor& b = input(g, op, 1);
  Tensor& out = output(g, op, 0);
  if (a.dtype != b.dtype) return invalid_input("operand types differ");
  return dispatch_numeric(a.dtype, [&](auto tag) {
    using T = decltype(tag);
    std::vector<T> va = const_values<T>(a), vb = const_values<T>(b);
    std::vector<T> r(static_cast<size_t>(num_elements(out.shape)));
    for_each_broadcast(a.shape, b.shape, out.shape, [&](int64_t k, int64_t ia, int64_t ib) {
      T v = static_cast<T>(f(va[ia], vb[ib]));
      if (op.attrs.activation != Activation::kNone) v = static_cast<T>(apply_activation(op.attrs.activation, v));
      r[k] = v;
    });
    out.data = make_buffer(to_bytes(r));
  });
}

}  // namespace tflc
