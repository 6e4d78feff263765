#include "ir/dump.h"

#include <set>
#include <sstream>

#include "ops/registry.h"

namespace tflc {
namespace {

std::string type_str(const Tensor& t) {
  std::string s = dtype_name(t.dtype);
  if (s == "float32") s = "f32";
  if (t.unknown_rank) return s + "[*]";
  s += "[";
  for (size_t i = 0; i < t.shape.size(); ++i) s += (i ? "," : "") + (t.shape[i] < 0 ? std::string("?") : std::to_string(t.shape[i]));
  return s + "]";
}

std::string ref(const Graph& g, TensorId id) {
  if (id < 0) return "none";
  const Tensor& t = g.t(id);
  std::string s = "%" + t.name;
  if (t.is_const()) s += ":" + type_str(t) + " const";
  return s;
}

const char* act_name(Activation a) {
  switch (a) {
    case Activation::kRelu: return "RELU";
    case Activation::kRelu6: return "RELU6";
    case Activation::kReluN1To1: return "RELU_N1_TO_1";
    case Activation::kTanh: return "TANH";
    case Activation::kSignBit: return "SIGN_BIT";
    default: return "NONE";
  }
}

// Only attributes that differ from the defaults, so dumps stay short.
std::string attrs_str(const Attrs& a) {
  Attrs d;
  std::ostringstream o;
  if (a.padding != d.padding) o << " padding=VALID";
  if (a.stride_h != 1 || a.stride_w != 1 || a.stride_d != 1) o << " stride=" << a.stride_d << "x" << a.stride_h << "x" << a.stride_w;
  if (a.dilation_h != 1 || a.dilation_w != 1 || a.dilation_d != 1)
    o << " dilation=" << a.dilation_d << "x" << a.dilation_h << "x" << a.dilation_w;
  if (a.filter_h != 1 || a.filter_w != 1) o << " filter=" << a.filter_h << "x" << a.filter_w;
  if (a.depth_multiplier != 1) o << " depth_multiplier=" << a.depth_multiplier;
  if (a.activation != d.activation) o << " act=" << act_name(a.activation);
  if (a.axis != 0) o << " axis=" << a.axis;
  if (a.num != 0) o << " num=" << a.num;
  if (a.keep_dims) o << " keep_dims";
  if (a.adj_x) o << " adj_x";
  if (a.adj_y) o << " adj_y";
  if (a.keep_num_dims) o << " keep_num_dims";
  if (a.begin_mask || a.end_mask || a.ellipsis_mask || a.new_axis_mask || a.shrink_axis_mask)
    o << " masks=" << a.begin_mask << "/" << a.end_mask << "/" << a.ellipsis_mask << "/" << a.new_axis_mask << "/"
      << a.shrink_axis_mask;
  if (a.offset) o << " offset";
  if (a.align_corners) o << " align_corners";
  if (a.half_pixel_centers) o << " half_pixel_centers";
  if (a.alpha != 0.0f) o << " alpha=" << a.alpha;
  if (a.beta != 1.0f) o << " beta=" << a.beta;
  if (a.block_size) o << " block_size=" << a.block_size;
  if (a.out_type != DType::kInvalid) o << " out_type=" << dtype_name(a.out_type);
  if (a.batch_dims) o << " batch_dims=" << a.batch_dims;
  if (!a.dims.empty()) {
    o << " dims=[";
    for (size_t i = 0; i < a.dims.size(); ++i) o << (i ? "," : "") << a.dims[i];
    o << "]";
  }
  if (!a.custom_code.empty()) o << " custom=" << a.custom_code;
  std::string s = o.str();
  return s.empty() ? "" : " {" + s.substr(1) + "}";
}

}  // namespace

std::string dump_graph(const Graph& g) {
  std::ostringstream o;
  o << "graph " << g.name << "(";
  for (size_t i = 0; i < g.inputs.size(); ++i) o << (i ? ", " : "") << "%" << g.t(g.inputs[i]).name << ": " << type_str(g.t(g.inputs[i]));
  o << ")\n";
  for (const auto& op : g.ops) {
    if (op->dead) continue;
    o << "  ";
    for (size_t i = 0; i < op->outputs.size(); ++i) o << (i ? ", " : "") << "%" << g.t(op->outputs[i]).name;
    o << " = " << op_name(op->code) << "(";
    for (size_t i = 0; i < op->inputs.size(); ++i) o << (i ? ", " : "") << ref(g, op->inputs[i]);
    o << ")" << attrs_str(op->attrs) << " : ";
    for (size_t i = 0; i < op->outputs.size(); ++i) o << (i ? ", " : "") << type_str(g.t(op->outputs[i]));
    o << "\n";
  }
  o << "  return ";
  for (size_t i = 0; i < g.outputs.size(); ++i) o << (i ? ", " : "") << ref(g, g.outputs[i]);
  o << "\n";
  return o.str();
}

Status verify_graph(const Graph& g) {
  std::vector<bool> defined(g.tensors.size(), false);
  for (TensorId i : g.inputs) {
    if (i < 0 || i >= static_cast<TensorId>(g.tensors.size())) return internal_error("graph input id out of range");
    defined[i] = true;
  }
  for (size_t i = 0; i < g.tensors.size(); ++i)
    if (g.tensors[i].is_const() || g.tensors[i].is_variable) defined[i] = true;  // variables: runtime state
  std::set<TensorId> produced;
  for (const auto& op : g.ops) {
    if (op->dead) continue;
    for (TensorId i : op->inputs) {
      if (i >= static_cast<TensorId>(g.tensors.size())) return internal_error("op input id out of range");
      if (i >= 0 && !defined[i])
        return internal_error(op_name(op->code) + " reads '" + g.t(i).name + "' before it is defined");
    }
    for (TensorId o : op->outputs) {
      if (o < 0 || o >= static_cast<TensorId>(g.tensors.size())) return internal_error("op output id out of range");
      if (!produced.insert(o).second) return internal_error("tensor '" + g.t(o).name + "' is produced twice");
      if (g.t(o).is_const()) return internal_error("op output '" + g.t(o).name + "' is a constant");
      defined[o] = true;
    }
  }
  for (TensorId o : g.outputs)
    if (o < 0 || o >= static_cast<TensorId>(g.tensors.size()) || !defined[o])
      return internal_error("graph output is not defined");
  return ok_status();
}

}  // namespace tflc
