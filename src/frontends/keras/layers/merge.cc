// Merging layers (Add, Subtract, Multiply, Maximum, Minimum, Average,
// Concatenate). TFOpLambda lives in tf_op_lambda.cc.

#include <map>

#include "frontends/keras/layer_registry.h"

namespace tflc {
namespace {

using Outs = Expected<std::vector<TensorId>>;

Expected<TensorId> fold_inputs(KerasLayerContext& ctx, OpCode code) {
  TensorId y = ctx.in(0);
  for (int i = 1; i < ctx.num_inputs(); ++i) {
    ASSIGN_OR_RETURN(y, ctx.emit1(code, {y, ctx.in(i)}));
  }
  return y;
}

Outs lower_merge(KerasLayerContext& ctx) {
  const std::string& c = ctx.class_name();
  if (ctx.num_inputs() == 1 && c != "Average") {  // Keras 3 ops.add(x, 1.0) and the like
    static const std::map<std::string, OpCode> codes = {{"Add", OpCode::ADD}, {"Subtract", OpCode::SUB},
                                                        {"Multiply", OpCode::MUL}, {"Maximum", OpCode::MAXIMUM},
                                                        {"Minimum", OpCode::MINIMUM}};
    ASSIGN_OR_RETURN(auto ab, ctx.binary_operands());
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(codes.at(c), {ab.first, ab.second}));
    return std::vector<TensorId>{y};
  }
  RETURN_IF_ERROR(ctx.expect_inputs(2, 64));
  TensorId y;
  if (c == "Add") {
    ASSIGN_OR_RETURN(y, fold_inputs(ctx, OpCode::ADD));
  } else if (c == "Subtract") {
    RETURN_IF_ERROR(ctx.expect_inputs(2));
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::SUB, {ctx.in(0), ctx.in(1)}));
  } else if (c == "Multiply") {
    ASSIGN_OR_RETURN(y, fold_inputs(ctx, OpCode::MUL));
  } else if (c == "Maximum") {
    ASSIGN_OR_RETURN(y, fold_inputs(ctx, OpCode::MAXIMUM));
  } else if (c == "Minimum") {
    ASSIGN_OR_RETURN(y, fold_inputs(ctx, OpCode::MINIMUM));
  } else {  // Average
    ASSIGN_OR_RETURN(y, fold_inputs(ctx, OpCode::ADD));
    float inv = 1.0f / static_cast<float>(ctx.num_inputs());
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::MUL, {y, ctx.const_f32_scalar(inv, "inv_count")}));
  }
  return std::vector<TensorId>{y};
}

Outs lower_concatenate(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1, 1024));
  ASSIGN_OR_RETURN(int64_t axis, ctx.get_int("axis", -1));
  int rank = ctx.in_tensor(0).rank();
  tflite::ConcatenationOptionsT a;
  a.axis = static_cast<int>(axis < 0 ? axis + rank : axis);
  std::vector<TensorId> ins;
  for (int i = 0; i < ctx.num_inputs(); ++i) ins.push_back(ctx.in(i));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::CONCATENATION, ins, a));
  return std::vector<TensorId>{y};
}

TFLC_REGISTER_KERAS_LAYER(merge, {{"Add", "Subtract", "Multiply", "Maximum", "Minimum", "Average"}, lower_merge});
TFLC_REGISTER_KERAS_LAYER(concatenate, {{"Concatenate"}, lower_concatenate});
TFLC_REGISTER_KERAS_WEIGHTS(merge, {"Add", "Subtract", "Multiply", "Maximum", "Minimum", "Average", "Concatenate"},
                            keras_no_weights);

}  // namespace
}  // namespace tflc
