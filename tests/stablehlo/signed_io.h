// LiteRT.js feeds and reads no uint16, uint32 or uint64 tensors. So the
// StableHLO case tools give such model inputs and outputs the signed type
// of the same width with a BITCAST inside: the harness feeds and compares
// the same bytes read as signed, and the model still computes on the
// unsigned values (what the test is about).
#pragma once

#include <string>

#include "frontends/stablehlo/stablehlo.h"
#include "ir/graph.h"
#include "ops/registry.h"

namespace tflc::hlo_case {

inline DType signed_twin(DType t) {
  switch (t) {
    case DType::kUInt16: return DType::kInt16;
    case DType::kUInt32: return DType::kInt32;
    case DType::kUInt64: return DType::kInt64;
    default: return t;
  }
}

inline HloConstant as_signed(HloConstant c) {
  c.dtype = signed_twin(c.dtype);
  return c;
}

// Rewrites the entry graph's unsigned inputs and outputs; call before the
// pipeline.
inline Status signed_io(Model& m) {
  Graph& g = m.subgraphs.at(0);
  SignatureDef* sig = m.signatures.empty() ? nullptr : &m.signatures[0];
  auto bitcast = [&](TensorId from, TensorId to) -> Status {
    Op& op = g.add_op(OpCode::BITCAST, {from}, {to}, tflite::BitcastOptionsT{}, "signed_io");
    return infer_op(g, op);
  };
  for (size_t k = 0; k < g.inputs.size(); ++k) {
    const TensorId old = g.inputs[k];
    const DType s = signed_twin(g.t(old).dtype);
    if (s == g.t(old).dtype) continue;
    Tensor t = g.t(old);
    t.dtype = s;
    const TensorId fed = g.add_tensor(std::move(t));
    g.t(old).name += "/unsigned";
    g.inputs[k] = fed;
    if (sig)
      for (auto& [name, id] : sig->inputs)
        if (id == old) id = fed;
    RETURN_IF_ERROR(bitcast(fed, old));
  }
  for (size_t k = 0; k < g.outputs.size(); ++k) {
    const TensorId old = g.outputs[k];
    const DType s = signed_twin(g.t(old).dtype);
    if (s == g.t(old).dtype) continue;
    Tensor t;
    t.name = g.t(old).name;
    t.dtype = s;
    const TensorId read = g.add_tensor(std::move(t));
    g.t(old).name += "/unsigned";
    g.outputs[k] = read;
    if (sig)
      for (auto& [name, id] : sig->outputs)
        if (id == old) id = read;
    RETURN_IF_ERROR(bitcast(old, read));
  }
  g.compact();
  return ok_status();
}

}  // namespace tflc::hlo_case
