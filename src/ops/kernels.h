// Shared shape rules and reference kernels used by several op records.
#pragma once

#include <cmath>
#include <limits>
#include <type_traits>

#include "ops/op_util.h"

namespace tflc {

// Output: broadcast shape; dtype of input 0.
Status infer_binary_broadcast(Graph& g, Op& op);
// Output: broadcast shape; bool.
Status infer_compare(Graph& g, Op& op);
// Output: shape and dtype of input 0.
Status infer_same_as_input(Graph& g, Op& op);

// Applies a fused activation to a float value.
inline double apply_activation(Activation a, double v) {
  switch (a) {
    case Activation::RELU: return v < 0 ? 0 : v;
    case Activation::RELU6: return v < 0 ? 0 : (v > 6 ? 6 : v);
    case Activation::RELU_N1_TO_1: return v < -1 ? -1 : (v > 1 ? 1 : v);
    case Activation::TANH: return std::tanh(v);
    case Activation::SIGN_BIT: return std::signbit(v) ? 1 : 0;
    default: return v;
  }
}

// The loop of every broadcast binary kernel: out[k] = f(a[ia], b[ib]) with
// the operands read as T and the results stored as R.
template <typename R, typename T, typename F>
void broadcast_apply(const Tensor& a, const Tensor& b, Tensor& out, F&& f) {
  std::vector<T> va = const_values<T>(a), vb = const_values<T>(b);
  std::vector<R> r(static_cast<size_t>(num_elements(out.shape)));
  for_each_broadcast(a.shape, b.shape, out.shape,
                     [&](int64_t k, int64_t ia, int64_t ib) { r[k] = f(va[ia], vb[ib]); });
  out.data = make_buffer(to_bytes(r));
}

// A broadcast binary kernel on two operands of one numeric type T: f(a, b)
// is stored as R, or as T when R is void.
template <typename R, typename F>
Status eval_broadcast(Graph& g, Op& op, F&& f) {
  const Tensor& a = input(g, op, 0);
  const Tensor& b = input(g, op, 1);
  if (a.dtype != b.dtype) return invalid_input("operand types differ");
  return dispatch_numeric(a.dtype, [&](auto tag) {
    using T = decltype(tag);
    broadcast_apply<std::conditional_t<std::is_void_v<R>, T, R>, T>(a, b, output(g, op, 0), f);
  });
}

// Evaluates a broadcast binary op; f is called with two values of the
// input C++ type and returns the output value. Applies the fused activation.
template <typename F>
Status eval_binary(Graph& g, Op& op, F f) {
  Activation act = fused_activation(op);
  return eval_broadcast<void>(g, op, [&](auto x, auto y) {
    using T = decltype(x);
    T v = static_cast<T>(f(x, y));
    if (act != Activation::NONE) v = static_cast<T>(apply_activation(act, v));
    return v;
  });
}

// --- Integer arithmetic that wraps like the TFLite kernels do in practice,
// without C++ signed-overflow undefined behaviour. ---
template <typename T>
T wrap_add(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
  } else {
    return a + b;
  }
}
template <typename T>
T wrap_sub(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) - static_cast<U>(b)));
  } else {
    return a - b;
  }
}
template <typename T>
T wrap_mul(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    // Promote small types to unsigned int so the product cannot overflow int.
    using W = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, U>;
    return static_cast<T>(static_cast<U>(static_cast<W>(static_cast<U>(a)) * static_cast<W>(static_cast<U>(b))));
  } else {
    return a * b;
  }
}
template <typename T>
T wrap_neg(T a) {
  if constexpr (std::is_integral_v<T>) {
    return wrap_sub(T(0), a);
  } else {
    return -a;  // keeps -0.0 for 0.0, as TFLite's Negate does
  }
}
// C++ truncating division; INT_MIN / -1 wraps to INT_MIN. b must be nonzero.
template <typename T>
T trunc_div(T a, T b) {
  if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    if (b == -1) return wrap_neg(a);
  }
  return static_cast<T>(a / b);
}

// The output range TFLite's float/int kernels clamp ADD/SUB/MUL/DIV results
// to (CalculateActivationRange): with no activation it is [lowest, max], so
// float overflow yields +-FLT_MAX rather than infinity.
template <typename T>
Status activation_range(Activation a, T* lo, T* hi) {
  *lo = std::numeric_limits<T>::lowest();
  *hi = std::numeric_limits<T>::max();
  switch (a) {
    case Activation::NONE: return ok_status();
    case Activation::RELU: *lo = 0; return ok_status();
    case Activation::RELU6: *lo = 0; *hi = 6; return ok_status();
    case Activation::RELU_N1_TO_1:
      if constexpr (std::is_signed_v<T>) {
        *lo = static_cast<T>(-1);
        *hi = 1;
        return ok_status();
      }
      break;
    default: break;
  }
  return unsupported("not supported yet: evaluating fused activation " + std::to_string(static_cast<int>(a)) +
                     " on an arithmetic op");
}

template <typename T>
T clamp_to(T v, T lo, T hi) {
  // Same order as TFLite's ActivationFunctionWithMinMax: NaN passes through.
  T m = v < lo ? lo : v;
  return m > hi ? hi : m;
}

// ADD/SUB/MUL/DIV reference: broadcast, f on the input C++ type, then the
// clamp to the fused activation range. Only float32/int32/int64 (and the
// other plain integer types) are evaluated.
template <typename F>
Status eval_arith(Graph& g, Op& op, F f) {
  const Tensor& a = input(g, op, 0);
  const Tensor& b = input(g, op, 1);
  Tensor& out = output(g, op, 0);
  if (a.dtype != b.dtype) return invalid_input("operand types differ");
  if (a.dtype == DType::kBool) return invalid_input("arithmetic on bool tensors");
  Status st = ok_status();
  Status d = dispatch_numeric(a.dtype, [&](auto tag) {
    using T = decltype(tag);
    T lo, hi;
    st = activation_range<T>(fused_activation(op), &lo, &hi);
    if (!st.ok()) return;
    broadcast_apply<T, T>(a, b, out, [&](T x, T y) { return clamp_to<T>(static_cast<T>(f(x, y)), lo, hi); });
  });
  RETURN_IF_ERROR(d);
  return st;
}

// Evaluates a unary op over every element; f maps T -> T.
template <typename F>
Status eval_unary(Graph& g, Op& op, F f) {
  const Tensor& a = input(g, op, 0);
  Tensor& out = output(g, op, 0);
  return dispatch_numeric(a.dtype, [&](auto tag) {
    using T = decltype(tag);
    std::vector<T> v = const_values<T>(a);
    for (T& x : v) x = static_cast<T>(f(x));
    out.data = make_buffer(to_bytes(v));
  });
}

// Evaluates a float32-only unary op (the TFLite kernel has no other type).
template <typename F>
Status eval_unary_float(Graph& g, Op& op, F f) {
  const Tensor& a = input(g, op, 0);
  if (a.dtype != DType::kFloat32)
    return unsupported("not supported yet: evaluating " + op_name(op.code) + " on " + dtype_name(a.dtype));
  Tensor& out = output(g, op, 0);
  std::vector<float> v = const_values<float>(a);
  for (float& x : v) x = static_cast<float>(f(x));
  out.data = make_buffer(to_bytes(v));
  return ok_status();
}

// For op_version.cc rules: inputs 0 and 1 have different dims, and the
// largest input rank.
bool needs_broadcast(const Graph& g, const Op& op);
int max_input_rank(const Graph& g, const Op& op);

}  // namespace tflc
