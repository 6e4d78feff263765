#include "tflite/gpu_compatibility.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "tflite_schema_generated.h"

namespace tflc {

const char kGpuRulesSource[] =
    "tensorflow/lite/tools/versioning/gpu_compatibility.cc @ 03a5e4e19a9c8200e13c85f1c637877fdf589be6";

namespace {

using tflite::BuiltinOperator;
using tflite::TensorType;

// One operand as TF's OpSignatureTensorSpec sees it.
struct Spec {
  bool none = false;  // optional input left out (index -1): kTfLiteNoType
  TensorType type = TensorType::FLOAT32;
  std::vector<int32_t> dims;
  bool is_const = false;
};

struct Sig {
  BuiltinOperator op = BuiltinOperator::ADD;
  std::string custom_name;
  std::vector<Spec> inputs, outputs;
  const tflite::Operator* raw = nullptr;
};

std::string type_name(const Spec& s) {
  if (s.none) return "NOTYPE";
  const char* n = tflite::EnumNameTensorType(s.type);
  return n && *n ? n : "UNKNOWN";
}

std::string join(const std::vector<int32_t>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + std::to_string(v[i]);
  return out;
}

int64_t num_elements(const std::vector<int32_t>& dims) {
  int64_t n = 1;
  for (int32_t d : dims) n *= d;
  return n;
}

int runtime_inputs(const Sig& s) {
  int n = 0;
  for (const Spec& t : s.inputs)
    if (!t.is_const && !t.none) ++n;
  return n;
}

int const_inputs(const Sig& s) {
  int n = 0;
  for (const Spec& t : s.inputs)
    if (t.is_const) ++n;
  return n;
}

std::string check_io(const Sig& s, int runtime, int outputs) {
  int have = runtime_inputs(s);
  if (have != runtime)
    return "Expected " + std::to_string(runtime) + " runtime input tensor(s), but node has " + std::to_string(have) +
           " runtime input(s).";
  if (static_cast<int>(s.outputs.size()) != outputs)
    return "Expected " + std::to_string(outputs) + " output tensor(s), but node has " +
           std::to_string(s.outputs.size()) + " output(s).";
  return "";
}

std::string check_ico(const Sig& s, int runtime, int consts, int outputs) {
  int have = const_inputs(s);
  if (have != consts)
    return "Expected " + std::to_string(consts) + " const input tensor(s), but node has " + std::to_string(have) +
           " const input(s).";
  return check_io(s, runtime, outputs);
}

std::string check_available(const Sig& s, size_t idx) {
  if (idx >= s.inputs.size())
    return "Requested index goes beyond array size: " + std::to_string(idx) + " vs " + std::to_string(s.inputs.size());
  return "";
}

std::string check_conv_io(const Sig& s) {
  int runtime = runtime_inputs(s);
  if (runtime > 2)
    return "Expected 1 or 2 input tensor(s), but node has " + std::to_string(runtime) + " runtime inputs.";
  if (s.outputs.size() != 1)
    return "Expected 1 output tensor(s), but node has " + std::to_string(s.outputs.size()) + " runtime outputs.";
  if (runtime == 1) return check_available(s, 1);
  return "";
}

std::string check_strides(int h, int w) {
  if (h <= 0 || w <= 0)
    return "Incorrect stride values: stride_height = " + std::to_string(h) + ", stride_width = " + std::to_string(w);
  return "";
}

std::string check_dilation(int h, int w) {
  if (h <= 0 || w <= 0)
    return "Incorrect dilation values: dilation_height = " + std::to_string(h) +
           ", dilation_width = " + std::to_string(w);
  return "";
}

std::string check_kernels(int h, int w) {
  if (h <= 0 || w <= 0)
    return "Incorrect kernel values: kernel_height = " + std::to_string(h) + ", kernel_width = " + std::to_string(w);
  return "";
}

std::string check_activation(tflite::ActivationFunctionType a) {
  if (a == tflite::ActivationFunctionType::SIGN_BIT) return "TfLiteFusedActivation.kTfLiteActSignBit";
  return "";
}

std::string op_name(const Sig& s) {
  if (s.op == BuiltinOperator::CUSTOM) return s.custom_name;
  const char* n = tflite::EnumNameBuiltinOperator(s.op);
  return n && *n ? n : "UNKNOWN";
}

std::string check_axes_int32_const(const Sig& s, size_t idx) {
  if (idx >= s.inputs.size()) return check_available(s, idx);
  const Spec& axes = s.inputs[idx];
  if (!axes.is_const) return op_name(s) + " is only supported with constant axes.";
  if (axes.type != TensorType::INT32) return op_name(s) + " supports int32 tensor for axes. But node has " + type_name(axes);
  return "";
}

#define RETURN_IF_ISSUE(x)            \
  do {                                \
    std::string issue_ = (x);         \
    if (!issue_.empty()) return issue_; \
  } while (0)

// TF reads a missing options table as zeroed parameters.
std::string check_pooling(const Sig& s) {
  const auto* o = s.raw->builtin_options_as_Pool2DOptions();
  RETURN_IF_ISSUE(check_io(s, 1, 1));
  RETURN_IF_ISSUE(check_kernels(o ? o->filter_height() : 0, o ? o->filter_width() : 0));
  RETURN_IF_ISSUE(check_strides(o ? o->stride_h() : 0, o ? o->stride_w() : 0));
  return check_activation(o ? o->fused_activation_function() : tflite::ActivationFunctionType::NONE);
}

// The custom ops' options are raw TfLitePoolParams / TfLiteTransposeConvParams:
// {padding, stride_width, stride_height, ...} as int32s.
std::vector<int32_t> raw_ints(const Sig& s) {
  std::vector<int32_t> v;
  const auto* c = s.raw->custom_options();
  if (!c) return v;
  v.resize(c->size() / 4);
  if (!v.empty()) std::memcpy(v.data(), c->data(), v.size() * 4);
  return v;
}

std::string check_custom(const Sig& s) {
  std::vector<int32_t> p = raw_ints(s);
  auto at = [&](size_t i) { return i < p.size() ? p[i] : 0; };
  if (s.custom_name == "Convolution2DTransposeBias") {
    RETURN_IF_ISSUE(check_available(s, 1));
    if (p.empty()) return "Unable to retrieve custom_initial_data.";
    return check_strides(at(2), at(1));
  }
  if (s.custom_name == "MaxPoolingWithArgmax2D") {
    if (p.empty()) return "Unable to retrieve custom_initial_data.";
    RETURN_IF_ISSUE(check_io(s, 1, 2));
    RETURN_IF_ISSUE(check_kernels(at(4), at(3)));
    RETURN_IF_ISSUE(check_strides(at(2), at(1)));
    if (at(5) == 5) return "TfLiteFusedActivation.kTfLiteActSignBit";
    return "";
  }
  if (s.custom_name == "MaxUnpooling2D") {
    RETURN_IF_ISSUE(check_io(s, 2, 1));
    if (p.empty()) return "Unable to retrieve custom_initial_data.";
    RETURN_IF_ISSUE(check_kernels(at(4), at(3)));
    return check_strides(at(2), at(1));
  }
  if (s.custom_name == "Resampler") return check_io(s, 2, 1);
  return "Not supported custom op " + s.custom_name;
}

bool broadcastable(const std::vector<int32_t>& longer, const std::vector<int32_t>& shorter) {
  int i1 = static_cast<int>(longer.size()) - 1, i2 = static_cast<int>(shorter.size()) - 1;
  for (int i = std::max(i1, i2); i >= 0; --i, --i1, --i2) {
    int32_t a = i1 < 0 ? 1 : longer[i1], b = i2 < 0 ? 1 : shorter[i2];
    if (a != b && a != 1 && b != 1) return false;
  }
  return true;
}

std::string check_broadcast(const Spec& a, const Spec& b) {
  if (a.dims.size() > 1 && b.dims.size() > 1 && a.dims.size() != b.dims.size()) {
    bool ok = a.dims.size() >= b.dims.size() ? broadcastable(a.dims, b.dims) : broadcastable(b.dims, a.dims);
    if (!ok) return "Doesn't support broadcasting - input0: [" + join(a.dims) + "], input1: [" + join(b.dims) + "]";
  }
  return "";
}

bool is_float(const Spec& t) { return !t.none && (t.type == TensorType::FLOAT16 || t.type == TensorType::FLOAT32); }

std::string check_select(const Sig& s) {
  if (s.inputs.size() != 3 || s.outputs.size() != 1) return "Expected 3 inputs and 1 output";
  const std::string error =
      "Cond must be float or bool type, if, else tensors must be float and either be same the shape as output or "
      "constant, scalar.";
  const Spec &c = s.inputs[0], &x = s.inputs[1], &y = s.inputs[2];
  if ((!is_float(c) && c.type != TensorType::BOOL) || !is_float(x) || !is_float(y)) return error;
  const auto& out = s.outputs[0].dims;
  if (!x.dims.empty() && x.dims != out && (x.dims.size() > 1 || x.dims[0] > 1)) return error;
  if (x.is_const && x.dims.size() == 2) return "2-D if tensor only supported if constant.";
  if (!y.dims.empty() && y.dims != out && (y.dims.size() > 1 || y.dims[0] > 1)) return error;
  if (y.is_const && y.dims.size() == 2) return "2-D else tensor only supported if constant.";
  return "";
}

std::string check_one_hot(const Sig& s) {
  if (s.inputs.size() != 4 && s.outputs.size() != 1) return "Expects 4 inputs and 1 output";
  const std::string error =
      "Indices must be int32 type, on/off tensors must be constant, scalar, float type, axis must be -1 or last dim";
  if (s.inputs.size() < 4) return error;
  const Spec& idx = s.inputs[0];
  if (idx.type != TensorType::INT32) return error;
  const auto* o = s.raw->builtin_options_as_OneHotOptions();
  int axis = o ? o->axis() : 0;
  const int n = static_cast<int>(idx.dims.size());
  if (axis != -1 && (n == 0 || axis != idx.dims[n - 1])) return error;
  for (int i = 0; i < n - 1; ++i) {
    if (n > 3 && i == 0) continue;
    if (idx.dims[i] != 1) return "Unspported non-singleton dim at " + std::to_string(i);
  }
  const Spec &on = s.inputs[2], &off = s.inputs[3];
  if (on.type != TensorType::FLOAT32 || off.type != TensorType::FLOAT32) return error;
  if (!on.is_const || !off.is_const || on.dims.size() > 1 || off.dims.size() > 1) return error;
  if ((!on.dims.empty() && on.dims[0] > 1) || (!off.dims.empty() && off.dims[0] > 1)) return error;
  return "";
}

std::string check_depthwise(const Sig& s) {
  RETURN_IF_ISSUE(check_conv_io(s));
  const auto* o = s.raw->builtin_options_as_DepthwiseConv2DOptions();
  RETURN_IF_ISSUE(check_strides(o ? o->stride_h() : 0, o ? o->stride_w() : 0));
  RETURN_IF_ISSUE(check_dilation(o ? o->dilation_h_factor() : 0, o ? o->dilation_w_factor() : 0));
  RETURN_IF_ISSUE(check_activation(o ? o->fused_activation_function() : tflite::ActivationFunctionType::NONE));
  if (s.inputs.size() < 2) return check_available(s, 1);
  const int multiplier = o ? o->depth_multiplier() : 0;
  const Spec &in = s.inputs[0], &filter = s.inputs[1], &out = s.outputs[0];
  const Spec* bias = s.inputs.size() > 2 ? &s.inputs[2] : nullptr;
  if (in.dims.size() != 4) return "input.dims.size != 4";
  if (filter.dims.size() != 4) return "filter.dims.size != 4";
  if (out.dims.size() != 4) return "output.dims.size != 4";
  if (in.dims[0] != out.dims[0]) return "input.b != output.b";
  const int in_depth = in.dims[3], out_depth = out.dims[3];
  if (filter.dims[3] != out_depth) return "filter.i != output.c";
  if (out_depth != in_depth * multiplier) return "output.c != input.c * depth_multiplier";
  if (bias && !bias->none && num_elements(bias->dims) != out_depth) return "bias.size != output.c";
  if (multiplier != 1 && in_depth != 1) return "depth_multiplier != 1 && input.c != 1";
  return "";
}

std::string check_pad(const Sig& s) {
  if (s.op == BuiltinOperator::MIRROR_PAD) {
    const auto* o = s.raw->builtin_options_as_MirrorPadOptions();
    auto mode = o ? o->mode() : tflite::MirrorPadMode::REFLECT;
    if (mode != tflite::MirrorPadMode::REFLECT)
      return "Only Reflective padding is supported for Mirror Pad operation. But node has " +
             std::to_string(static_cast<int>(mode));
  }
  RETURN_IF_ISSUE(check_io(s, 1, 1));
  RETURN_IF_ISSUE(check_available(s, 1));
  const Spec& pad = s.inputs[1];
  if (pad.dims.size() != 2)
    return "Invalid paddings tensor dimension: expected 2 dim, got " + std::to_string(pad.dims.size()) + " dim";
  bool ok = pad.dims[0] == 3 || pad.dims[0] == 4;
  if (!ok || pad.dims[1] != 2)
    return "Invalid paddings tensor shape: expected 4x2 or 3x2, got " + std::to_string(pad.dims[0]) + "x" +
           std::to_string(pad.dims[1]);
  return "";
}

std::string check_op(const Sig& s) {
  using B = BuiltinOperator;
  const tflite::Operator& op = *s.raw;
  switch (s.op) {
    case B::ADD:
      if (s.inputs.size() != 2) return "ADD requires two input tensors.";
      return check_broadcast(s.inputs[0], s.inputs[1]);
    case B::ADD_N:
      return s.inputs.size() == 2 ? "" : "ADD_N only supports 2 inputs.";
    case B::AVERAGE_POOL_2D:
    case B::MAX_POOL_2D:
      return check_pooling(s);
    case B::BATCH_MATMUL:
      if (!(s.inputs.size() == 2 && s.outputs.size() == 1))
        return "Expected 2 inputs and 1 output, got: " + std::to_string(s.inputs.size()) + " inputs and " +
               std::to_string(s.outputs.size()) + " outputs";
      return "";
    case B::CAST: {
      RETURN_IF_ISSUE(check_io(s, 1, 1));
      const Spec &in = s.inputs[0], &out = s.outputs[0];
      if (in.type == TensorType::BOOL && is_float(out)) return "";
      if (is_float(in) && out.type == TensorType::BOOL) return "";
      bool in_ok = in.type == TensorType::FLOAT32 || in.type == TensorType::INT32;
      bool out_ok = out.type == TensorType::FLOAT32 || out.type == TensorType::INT32;
      if (in_ok && out_ok) return "";
      return "Not supported Cast case. Input type: " + type_name(in) + " and output type: " + type_name(out);
    }
    case B::CONCATENATION:
    case B::PACK:
    case B::RELU_N1_TO_1:
    case B::PRELU:
    case B::SPLIT:
    case B::SPLIT_V:
    case B::RELU:
    case B::RELU6:
    case B::LEAKY_RELU:
      return "";
    case B::CONV_2D: {
      RETURN_IF_ISSUE(check_conv_io(s));
      const auto* o = op.builtin_options_as_Conv2DOptions();
      RETURN_IF_ISSUE(check_strides(o ? o->stride_h() : 0, o ? o->stride_w() : 0));
      RETURN_IF_ISSUE(check_dilation(o ? o->dilation_h_factor() : 0, o ? o->dilation_w_factor() : 0));
      return check_activation(o ? o->fused_activation_function() : tflite::ActivationFunctionType::NONE);
    }
    case B::CUMSUM:
      if (s.inputs.size() != 2) return "Expects 2 inputs and 1 output";
      if (!is_float(s.inputs[0]) || s.outputs.empty() || s.outputs[0].type != s.inputs[0].type ||
          s.inputs[1].type != TensorType::INT32 || !s.inputs[1].is_const)
        return "Input/output must be float type and indices must be constant int32 type";
      return "";
    case B::DENSIFY:
      return check_io(s, 0, 1);
    case B::DEPTHWISE_CONV_2D:
      return check_depthwise(s);
    case B::DEPTH_TO_SPACE:
    case B::SPACE_TO_DEPTH: {
      RETURN_IF_ISSUE(check_io(s, 1, 1));
      const bool d2s = s.op == B::DEPTH_TO_SPACE;
      int block = 0;
      if (d2s) {
        if (const auto* o = op.builtin_options_as_DepthToSpaceOptions()) block = o->block_size();
      } else if (const auto* o = op.builtin_options_as_SpaceToDepthOptions()) {
        block = o->block_size();
      }
      const std::string name = d2s ? "DEPTH_TO_SPACE" : "SPACE_TO_DEPTH";
      if (block == 1) return name + " block_size = 1 is a no-op.";
      if (block < 1) return name + " block_size must be > 1.";
      return "";
    }
    case B::DEQUANTIZE:
      if (s.inputs.size() != 1 || s.outputs.size() != 1)
        // TF's message keeps its unformatted "%d" placeholders.
        return "Expected 1 input & output each from Dequantize, got: %d, %d" + std::to_string(s.inputs.size()) +
               std::to_string(s.outputs.size());
      if (s.inputs[0].type == TensorType::INT16) return "Unsupported dequantization type.";
      return "";
    case B::EMBEDDING_LOOKUP: {
      if (s.inputs.size() != 2) return "Expected 2, but got " + std::to_string(s.inputs.size()) + " inputs.";
      const Spec &ids = s.inputs[0], &value = s.inputs[1];
      if (ids.dims.size() != 1) return "Expected 1D, but got " + std::to_string(ids.dims.size()) + "D input #0.";
      if (value.dims.size() < 2) return "Expected > 1D, but got " + std::to_string(value.dims.size()) + "D input #1.";
      if (s.outputs.size() != 1) return "Expected 1, but got " + std::to_string(s.outputs.size()) + " outputs.";
      const Spec& out = s.outputs[0];
      if (value.dims.size() != out.dims.size())
        return "Expected " + std::to_string(value.dims.size()) + ", but got " + std::to_string(out.dims.size()) +
               " for output.";
      for (size_t i = 1; i < out.dims.size(); ++i)
        if (value.dims[i] != out.dims[i])
          return "Expected " + std::to_string(value.dims[i]) + ", but got " + std::to_string(out.dims[i]) +
                 " for output.dim[" + std::to_string(i) + "].";
      if (value.type != TensorType::INT8 && value.type != TensorType::INT4 && value.type != TensorType::FLOAT32)
        return "Expected int8, int4, or float32, but got " + type_name(value) + " for input #1.";
      return "";
    }
    case B::DYNAMIC_UPDATE_SLICE: {
      if (s.inputs.size() != 3) return "DynamicUpdateSlice requires 3 inputs.";
      const Spec &operand = s.inputs[0], &update = s.inputs[1], &start = s.inputs[2];
      if (operand.dims.size() == 4 && operand.dims[0] != 1)
        return "DynamicUpdateSlice only support 4D operand with batch size 1.";
      if (start.dims.size() > 1) return "DynamicUpdateSlice only support 1D start_indices.";
      if (operand.type != update.type)
        return "Array to update and updated slice must have the same data type, but got: array to update: " +
               std::to_string(static_cast<int>(operand.type)) +
               ", updated slice: " + std::to_string(static_cast<int>(update.type));
      if (start.dims.size() != 1)
        return "Start indices must have be 1D, but got: " + std::to_string(start.dims.size());
      if (start.type != TensorType::INT32) return "start_indices must be of type int32.";
      if (update.dims.size() != operand.dims.size())
        return "Operand and update must have the same number of dimensions, but got: operand: " +
               std::to_string(operand.dims.size()) + ", update: " + std::to_string(update.dims.size());
      return "";
    }
    case B::FULLY_CONNECTED: {
      const auto* o = op.builtin_options_as_FullyConnectedOptions();
      auto format = o ? o->weights_format() : tflite::FullyConnectedOptionsWeightsFormat::DEFAULT;
      if (format != tflite::FullyConnectedOptionsWeightsFormat::DEFAULT)
        return "Unsupported FullyConnected weights format: " + std::to_string(static_cast<int>(format));
      if (runtime_inputs(s) > 2) return "FullyConnected doesn't support more than 2 runtime inputs.";
      if (!s.inputs.empty() && s.inputs[0].is_const) return "FullyConnected doesn't support constant input.";
      if (o && o->keep_num_dims() && !s.inputs.empty() && !s.outputs.empty() &&
          s.inputs[0].dims.size() != s.outputs[0].dims.size())
        return "Input and output dimensions different and FullyConnected doesn't support keep_num_dims.";
      return "";
    }
    case B::GATHER:
      if (!check_ico(s, 2, 0, 1).empty() && !check_ico(s, 1, 1, 1).empty())
        return "Op can only handle 1 or 2 operand(s).";
      if (s.inputs[0].type == TensorType::INT32) return "Does not accept INT32 input.\n";
      if (s.inputs[1].dims.size() != 1) return "Only support 1D indices\n";
      return s.inputs[1].type == TensorType::INT32 ? "" : "Only accept INT32 indices\n";
    case B::HARD_SWISH:
      return check_io(s, 1, 1);
    case B::LSTM: {
      const auto* o = op.builtin_options_as_LSTMOptions();
      auto kernel = o ? o->kernel_type() : tflite::LSTMKernelType::FULL;
      auto act = o ? o->fused_activation_function() : tflite::ActivationFunctionType::NONE;
      if (kernel == tflite::LSTMKernelType::FULL) {
        if (s.inputs.size() != 20 && s.inputs.size() != 24)
          return "Expected 20 or 24 input tensors, but node has " + std::to_string(s.inputs.size()) + " input(s).";
        if (s.outputs.size() != 1)
          return "Expected 1 output tensor, but node has " + std::to_string(s.outputs.size()) + " output(s).";
        // TfLiteFusedActivation numbers kTfLiteActSigmoid 6; the schema has no sigmoid.
        if (act != tflite::ActivationFunctionType::TANH)
          return "Only sigmoid or tanh activation is supported, but node has " + std::to_string(static_cast<int>(act));
        return "";
      }
      RETURN_IF_ISSUE(check_ico(s, 3, 2, 4));
      if (act != tflite::ActivationFunctionType::TANH)
        return "Only TANH activation is supported. but node has " + std::to_string(static_cast<int>(act));
      if (o && o->cell_clip() != 0.0f) return "cell_clip is not supported.";
      if (o && o->proj_clip() != 0.0f) return "proj_clip is not supported.";
      return "";
    }
    case B::MEAN:
      RETURN_IF_ISSUE(check_ico(s, 1, 1, 1));
      return check_axes_int32_const(s, 1);
    case B::MUL: {
      if (s.inputs.size() != 2) return "MUL requires two input tensors.";
      const Spec &a = s.inputs[0], &b = s.inputs[1];
      if (a.dims.size() == b.dims.size()) {
        bool first_smaller = false, second_smaller = false;
        for (size_t i = 0; i < a.dims.size(); ++i) {
          if (a.dims[i] < b.dims[i]) first_smaller = true;
          if (b.dims[i] < a.dims[i]) second_smaller = true;
        }
        if (first_smaller && second_smaller)
          return "MUL requires one tensor that not less than second in all dimensions.";
      } else {
        RETURN_IF_ISSUE(check_broadcast(a, b));
      }
      const auto* o = op.builtin_options_as_MulOptions();
      return check_activation(o ? o->fused_activation_function() : tflite::ActivationFunctionType::NONE);
    }
    case B::ONE_HOT:
      return check_one_hot(s);
    case B::QUANTIZE:
    case B::RESHAPE:
    case B::TILE:
    case B::TRANSPOSE:
      return check_io(s, 1, 1);
    case B::SELECT:
    case B::SELECT_V2:
      return check_select(s);
    case B::SLICE: {
      if (s.inputs.size() < 3)
        return "SLICE requires 3 inputs, but node has " + std::to_string(s.inputs.size()) + " inputs.";
      size_t rank = s.inputs[0].dims.size();
      if (rank != 3 && rank != 4)
        return "SLICE supports for 3 or 4 dimensional tensors only, but node has " + std::to_string(rank) +
               " dimensional tensors.";
      return "";
    }
    case B::SOFTMAX: {
      const auto* o = op.builtin_options_as_SoftmaxOptions();
      if (!o || o->beta() != 1) return "Softmax.beta != 1 is not supported.";
      return "";
    }
    case B::STRIDED_SLICE: {
      const auto* o = op.builtin_options_as_StridedSliceOptions();
      if (o && o->ellipsis_mask()) return "Slice does not support ellipsis_mask.";
      if (o && o->new_axis_mask()) return "Slice does not support new_axis_mask.";
      if (o && o->shrink_axis_mask()) return "Slice does not support shrink_axis_mask parameter. ";
      if (s.inputs.size() < 4) return "STRIDED_SLICE requires 4 inputs.";
      size_t rank = s.inputs[0].dims.size();
      if (rank != 3 && rank != 4) return "STRIDED_SLICE supports for 3 or 4 dimensional tensors only.";
      return "";
    }
    case B::TRANSPOSE_CONV: {
      RETURN_IF_ISSUE(check_conv_io(s));
      const auto* o = op.builtin_options_as_TransposeConvOptions();
      return check_strides(o ? o->stride_h() : 0, o ? o->stride_w() : 0);
    }
    case B::RESIZE_BILINEAR: {
      RETURN_IF_ISSUE(check_io(s, 1, 1));
      const auto* o = op.builtin_options_as_ResizeBilinearOptions();
      if (o && o->align_corners() && o->half_pixel_centers())
        return "If half_pixel_centers is True, align_corners must be False.";
      return "";
    }
    case B::RESIZE_NEAREST_NEIGHBOR:
      return check_io(s, 1, 1);
    case B::REDUCE_MAX:
    case B::REDUCE_MIN:
    case B::REDUCE_PROD:
    case B::SUM:
      RETURN_IF_ISSUE(check_io(s, 1, 1));
      return check_axes_int32_const(s, 1);
    case B::PAD:
    case B::PADV2:
    case B::MIRROR_PAD:
      return check_pad(s);
    case B::ABS:
    case B::CEIL:
    case B::COS:
    case B::ELU:
    case B::EXP:
    case B::FLOOR:
    case B::GELU:
    case B::LOG:
    case B::LOGISTIC:
    case B::NEG:
    case B::RSQRT:
    case B::SIGN:
    case B::SIN:
    case B::SQRT:
    case B::SQUARE:
    case B::TANH:
      return check_ico(s, 1, 0, 1);
    case B::ATAN2:
    case B::DIV:
    case B::EQUAL:
    case B::FLOOR_DIV:
    case B::FLOOR_MOD:
    case B::GREATER:
    case B::GREATER_EQUAL:
    case B::LOGICAL_AND:
    case B::LESS:
    case B::LESS_EQUAL:
    case B::MAXIMUM:
    case B::MINIMUM:
    case B::NOT_EQUAL:
    case B::POW:
    case B::SQUARED_DIFFERENCE:
    case B::SUB: {
      if (!check_ico(s, 2, 0, 1).empty() && !check_ico(s, 1, 1, 1).empty())
        return "Op can only handle 1 or 2 operand(s).";
      auto act = tflite::ActivationFunctionType::NONE;
      if (s.op == B::DIV) {
        if (const auto* o = op.builtin_options_as_DivOptions()) act = o->fused_activation_function();
      } else if (s.op == B::SUB) {
        if (const auto* o = op.builtin_options_as_SubOptions()) act = o->fused_activation_function();
      }
      return check_activation(act);
    }
    case B::STABLEHLO_CLAMP: {
      if (s.inputs.size() < 3) return check_available(s, 2);
      const Spec &lo = s.inputs[0], &x = s.inputs[1], &hi = s.inputs[2];
      if (lo.type != x.type || x.type != hi.type) return "Clamp tensors must all be the same type";
      // Both scalar tests read the min tensor, as upstream does.
      if (lo.dims != x.dims && num_elements(lo.dims) != 1)
        return "Min tensor must be the same shape as the input, or a scalar";
      if (hi.dims != x.dims && num_elements(lo.dims) != 1)
        return "Max tensor must be the same shape as the input, or a scalar";
      return check_ico(s, 3, 0, 1);
    }
    case B::CUSTOM:
      return check_custom(s);
    default:
      break;
  }
  return "Not supported op " + op_name(s);
}

int32_t builtin_code(const tflite::OperatorCode& c) {
  return std::max<int32_t>(c.deprecated_builtin_code(), static_cast<int32_t>(c.builtin_code()));
}

Spec spec_of(const tflite::Model& m, const tflite::SubGraph& g, int32_t idx) {
  Spec s;
  if (idx < 0 || !g.tensors() || static_cast<uint32_t>(idx) >= g.tensors()->size()) {
    s.none = true;
    return s;
  }
  const tflite::Tensor& t = *g.tensors()->Get(idx);
  s.type = t.type();
  if (t.shape())
    for (int32_t d : *t.shape()) s.dims.push_back(d);
  uint32_t b = t.buffer();
  if (b != 0 && m.buffers() && b < m.buffers()->size()) {
    const tflite::Buffer* buf = m.buffers()->Get(b);
    s.is_const = (buf->data() && buf->data()->size() != 0) || buf->offset() > 1;
  }
  return s;
}

}  // namespace

std::string gpu_compatibility_issue(const tflite::Model& model, const tflite::SubGraph& subgraph,
                                    const tflite::Operator& op) {
  Sig s;
  s.raw = &op;
  const tflite::OperatorCode& code = *model.operator_codes()->Get(op.opcode_index());
  s.op = static_cast<BuiltinOperator>(builtin_code(code));
  if (code.custom_code()) s.custom_name = code.custom_code()->str();
  if (op.inputs())
    for (int32_t i : *op.inputs()) s.inputs.push_back(spec_of(model, subgraph, i));
  if (op.outputs())
    for (int32_t i : *op.outputs()) s.outputs.push_back(spec_of(model, subgraph, i));
  return check_op(s);
}

}  // namespace tflc
