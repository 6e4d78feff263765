#include "ops/registry.h"

#include <algorithm>
#include <cstdlib>
#include <map>

namespace tflc {
namespace {
std::map<int, OpSchema>& table() {
  static std::map<int, OpSchema> t;
  return t;
}
}  // namespace

bool runtime_version_less(const std::string& a, const std::string& b) {
  auto parts = [](const std::string& s) {
    std::vector<int> p;
    for (size_t i = 0; i < s.size();) {
      size_t j = s.find('.', i);
      if (j == std::string::npos) j = s.size();
      p.push_back(std::atoi(s.substr(i, j - i).c_str()));
      i = j + 1;
    }
    while (p.size() < 3) p.push_back(0);
    return p;
  };
  return parts(a) < parts(b);
}

bool register_op(OpSchema schema) {
  int key = static_cast<int>(schema.code);
  TFLC_CHECK(table().count(key) == 0);  // one record per builtin
  table().emplace(key, std::move(schema));
  return true;
}

const OpSchema* find_op(OpCode code) {
  auto it = table().find(static_cast<int>(code));
  return it == table().end() ? nullptr : &it->second;
}

std::vector<const OpSchema*> all_ops() {
  std::vector<const OpSchema*> out;
  for (auto& [k, v] : table()) out.push_back(&v);
  return out;
}

std::string op_name(OpCode code) {
  const char* n = tflite::EnumNameBuiltinOperator(code);
  return n && *n ? n : "BUILTIN_" + std::to_string(static_cast<int>(code));
}

bool all_inputs_const(const Graph& g, const Op& op) {
  for (TensorId i : op.inputs)
    if (i >= 0 && !g.t(i).is_const()) return false;
  return true;
}

Activation fused_activation(const Op& op) {
  const OpSchema* s = find_op(op.code);
  return s && s->fused_activation.get ? s->fused_activation.get(op) : Activation::NONE;
}

int op_version(const Graph& g, const Op& op) {
  const OpSchema* s = find_op(op.code);
  if (!s) return 1;
  if (s->version) return s->version(g, op);
  if (s->version_by_type.empty() || op.inputs.empty() || op.inputs[0] < 0) return 1;
  const DType t = g.t(op.inputs[0]).dtype;
  for (const auto& [type, version] : s->version_by_type)
    if (type == t) return version;
  return 1;
}

int quant_weight_input(const OpSchema& s) {
  return s.quant.weights == QuantSpec::Weights::kFloat ? -1 : s.weights.weight_input;
}

int quant_bias_input(const OpSchema& s) {
  return s.quant.weights == QuantSpec::Weights::kFloat ? -1 : s.weights.bias_input;
}

int quant_weight_axis(const OpSchema& s) {
  return s.quant.weights == QuantSpec::Weights::kPerChannel ? s.weights.channel_axis : -1;
}

Status apply_default_options(const OpSchema& s, Op& op) {
  if (op.options.empty()) {
    op.options = s.options;
    return ok_status();
  }
  if (op.options.builtin.type != s.options.builtin.type || op.options.builtin2.type != s.options.builtin2.type)
    return internal_error(op_name(op.code) + " carries " +
                          tflite::EnumNameBuiltinOptions(op.options.builtin.type) + std::string(" instead of ") +
                          tflite::EnumNameBuiltinOptions(s.options.builtin.type));
  return ok_status();
}

Status infer_op(Graph& g, Op& op) {
  const OpSchema* s = find_op(op.code);
  if (!s) return internal_error("no schema for op " + op_name(op.code));
  RETURN_IF_ERROR(apply_default_options(*s, op));
  if (!s->infer) return internal_error("op " + op_name(op.code) + " has no shape inference");
  return s->infer(g, op).with_context(op_name(op.code));
}

Status try_fold(Graph& g, Op& op, int64_t byte_budget) {
  const OpSchema* s = find_op(op.code);
  if (!s || !s->eval || !all_inputs_const(g, op)) return ok_status();
  int64_t in_bytes = 0, out_bytes = 0;
  for (TensorId i : op.inputs)
    if (i >= 0) in_bytes += static_cast<int64_t>(g.t(i).data->size());
  for (TensorId o : op.outputs) {
    const Tensor& t = g.t(o);
    int64_t n = t.num_elements();
    if (n < 0 || dtype_size(t.dtype) == 0) return ok_status();
    out_bytes += n * dtype_size(t.dtype);
  }
  if (out_bytes > std::max(byte_budget, in_bytes)) return ok_status();
  Status st = s->eval(g, op);
  // A kernel that lacks this form leaves the op for the runtime.
  if (st.kind() == ErrorKind::kUnsupported) {
    for (TensorId o : op.outputs) g.t(o).data.reset();
    return ok_status();
  }
  return st.with_context("folding " + op_name(op.code));
}

}  // namespace tflc
