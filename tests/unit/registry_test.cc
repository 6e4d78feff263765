// Walks every op record: each TFLite builtin has shape inference, a
// reference kernel (or a stated reason), and runtime versions; its default
// options table is the one TFLite reads for the op, packs, and is the only
// table the op accepts; its operand types (or the reason it has none) are
// valid and agree with its version rule and quantization spec; its weight
// layout is the one the fusion passes read; every TF op that the converter
// promises has a lowering.
#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string_view>

#include "frontends/graphdef/tf_op_registry.h"
#include "ops/constraints.h"
#include "ops/registry.h"
#include "passes/pattern.h"

namespace tflc {
namespace {

// Lower-case letters and digits only: CONV_2D and Conv2DOptions -> conv2d...
std::string squash(std::string_view s) {
  std::string r;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c))) r += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

// The union member named "<Op>Options" after the op (CONV_2D -> Conv2DOptions,
// STABLEHLO_PAD -> StablehloPadOptions); NONE (0) when no member is.
template <class E>
E table_named_after(OpCode code, const char* const* names) {
  const std::string want = squash(op_name(code)) + "options";
  for (int i = 1; i <= static_cast<int>(E::MAX); ++i)
    if (squash(names[i]) == want) return static_cast<E>(i);
  return static_cast<E>(0);
}

// The options table TFLite reads for an op (lite/core/api/
// flatbuffer_conversions.cc): the tables it shares between ops, else the one
// named after the op.
tflite::BuiltinOptions expected_builtin_table(OpCode code) {
  switch (code) {
    case OpCode::AVERAGE_POOL_2D: case OpCode::MAX_POOL_2D: case OpCode::L2_POOL_2D:
      return tflite::BuiltinOptions::Pool2DOptions;
    case OpCode::MEAN: case OpCode::SUM: case OpCode::REDUCE_MAX: case OpCode::REDUCE_MIN:
    case OpCode::REDUCE_PROD: case OpCode::REDUCE_ANY: case OpCode::REDUCE_ALL:
      return tflite::BuiltinOptions::ReducerOptions;
    case OpCode::MAXIMUM: case OpCode::MINIMUM:
      return tflite::BuiltinOptions::MaximumMinimumOptions;
    case OpCode::RANDOM_UNIFORM: case OpCode::RANDOM_STANDARD_NORMAL: case OpCode::MULTINOMIAL:
      return tflite::BuiltinOptions::RandomOptions;
    case OpCode::CONV_3D_TRANSPOSE:
      return tflite::BuiltinOptions::Conv3DOptions;
    case OpCode::UNIDIRECTIONAL_SEQUENCE_RNN:
      return tflite::BuiltinOptions::SequenceRNNOptions;
    default:
      return table_named_after<tflite::BuiltinOptions>(code, tflite::EnumNamesBuiltinOptions());
  }
}

// Packs a union as the writer does and verifies the bytes as a table of its type.
template <class Union, class Verify>
bool packs_and_verifies(const Union& u, Verify verify) {
  flatbuffers::FlatBufferBuilder fbb;
  flatbuffers::Offset<void> off = u.Pack(fbb);
  if (off.IsNull()) return false;
  fbb.Finish(off);
  flatbuffers::Verifier v(fbb.GetBufferPointer(), fbb.GetSize());
  return verify(v, flatbuffers::GetRoot<flatbuffers::Table>(fbb.GetBufferPointer()), u.type);
}

}  // namespace

TEST(Registry, EveryBuiltinIsComplete) {
  auto ops = all_ops();
  EXPECT_GT(ops.size(), 0u);
  for (const OpSchema* s : ops) {
    SCOPED_TRACE(op_name(s->code));
    EXPECT_NE(s->infer, nullptr);
    EXPECT_TRUE(s->eval != nullptr || s->no_eval_reason != nullptr);
    EXPECT_FALSE(s->runtime_versions.empty());
  }
}

// A record's .options is the table TFLite reads for its op (the writer emits
// it for ops built without options), packs into a valid table of that type,
// and is the only table apply_default_options lets the op carry. Records that
// leave .options empty (the op is written without a table) accept none.
TEST(Registry, DefaultOptionsAreTheOpsTable) {
  for (const OpSchema* s : all_ops()) {
    SCOPED_TRACE(op_name(s->code));
    const OpOptions& d = s->options;
    EXPECT_FALSE(d.builtin.type != tflite::BuiltinOptions::NONE && d.builtin2.type != tflite::BuiltinOptions2::NONE)
        << "declares both a BuiltinOptions and a BuiltinOptions2 table";
    if (d.builtin.type != tflite::BuiltinOptions::NONE) {
      EXPECT_NE(d.builtin.value, nullptr);
      tflite::BuiltinOptions want = expected_builtin_table(s->code);
      EXPECT_EQ(d.builtin.type, want) << "declares " << tflite::EnumNameBuiltinOptions(d.builtin.type)
                                      << " but TFLite reads " << tflite::EnumNameBuiltinOptions(want);
      if (d.builtin.value) {
        EXPECT_TRUE(packs_and_verifies(d.builtin, tflite::VerifyBuiltinOptions));
      }
    }
    if (d.builtin2.type != tflite::BuiltinOptions2::NONE) {
      EXPECT_NE(d.builtin2.value, nullptr);
      auto want = table_named_after<tflite::BuiltinOptions2>(s->code, tflite::EnumNamesBuiltinOptions2());
      EXPECT_EQ(d.builtin2.type, want) << "declares " << tflite::EnumNameBuiltinOptions2(d.builtin2.type)
                                       << " but TFLite reads " << tflite::EnumNameBuiltinOptions2(want);
      if (d.builtin2.value) {
        EXPECT_TRUE(packs_and_verifies(d.builtin2, tflite::VerifyBuiltinOptions2));
      }
    }

    // An op built without options gets the record's table, which is accepted again.
    Op op;
    op.code = s->code;
    ASSERT_TRUE(apply_default_options(*s, op).ok());
    EXPECT_EQ(op.options.builtin.type, d.builtin.type);
    EXPECT_EQ(op.options.builtin2.type, d.builtin2.type);
    EXPECT_TRUE(apply_default_options(*s, op).ok());

    // A table of another type is refused.
    Op foreign;
    foreign.code = s->code;
    if (d.builtin.type == tflite::BuiltinOptions::AddOptions) foreign.options = tflite::MulOptionsT{};
    else foreign.options = tflite::AddOptionsT{};
    EXPECT_FALSE(apply_default_options(*s, foreign).ok()) << "accepts " << tflite::EnumNameBuiltinOptions(foreign.options.builtin.type);

    // Options set from the graph at writing time need a table to set them in.
    if (s->finalize_options) {
      EXPECT_FALSE(d.empty()) << "has finalize_options but no options table";
    }
  }
}

// A record's fused_activation reads and writes its own options table, which
// starts without an activation.
TEST(Registry, FusedActivationUsesTheOpsTable) {
  for (const OpSchema* s : all_ops()) {
    SCOPED_TRACE(op_name(s->code));
    const FusedActivation& f = s->fused_activation;
    EXPECT_EQ(f.get == nullptr, f.set == nullptr) << "sets or reads a fused activation, not both";
    if (!f.get || !f.set) continue;
    ASSERT_FALSE(s->options.empty()) << "has a fused activation but no options table";
    Op set;  // set() on an op without options makes a table of its own type
    set.code = s->code;
    f.set(set, Activation::RELU6);
    ASSERT_EQ(set.options.builtin.type, s->options.builtin.type)
        << "fused_activation is for " << tflite::EnumNameBuiltinOptions(set.options.builtin.type);
    ASSERT_EQ(set.options.builtin2.type, s->options.builtin2.type);
    EXPECT_EQ(f.get(set), Activation::RELU6);
    EXPECT_EQ(fused_activation(set), Activation::RELU6);
    Op def;
    def.code = s->code;
    ASSERT_TRUE(apply_default_options(*s, def).ok());
    EXPECT_EQ(f.get(def), Activation::NONE);
  }
}

// The ops the activation fusion pass fuses into: those whose kernel applies a
// fused activation, as the pass's own list had them before the records named
// them (not CONCATENATION, whose TFLite kernel rejects one).
TEST(Registry, FusedActivationOps) {
  const std::set<OpCode> want = {OpCode::ADD,         OpCode::SUB,
                                 OpCode::MUL,         OpCode::DIV,
                                 OpCode::CONV_2D,     OpCode::DEPTHWISE_CONV_2D,
                                 OpCode::FULLY_CONNECTED, OpCode::CONV_3D,
                                 OpCode::MAX_POOL_2D, OpCode::AVERAGE_POOL_2D};
  std::set<OpCode> got;
  for (const OpSchema* s : all_ops())
    if (s->fused_activation.set) got.insert(s->code);
  std::string extra, missing;
  for (OpCode c : got)
    if (!want.count(c)) extra += op_name(c) + " ";
  for (OpCode c : want)
    if (!got.count(c)) missing += op_name(c) + " ";
  EXPECT_TRUE(extra.empty()) << "fused activation on: " << extra;
  EXPECT_TRUE(missing.empty()) << "no fused activation on: " << missing;
}

// Types an operand can have in a TFLite file (not the IR's placeholders).
bool is_tensor_type(DType t) {
  return t != DType::kInvalid && t != DType::kResource && t != DType::kVariant;
}

// Every record lists the operand types its kernels accept, or says why it
// does not (types_unchecked); never both. CUSTOM's kernel is not TFLite's:
// its record (custom.cc) can state no types.
TEST(Registry, OperandTypesAreListedOrExplained) {
  std::string missing;
  for (const OpSchema* s : all_ops()) {
    SCOPED_TRACE(op_name(s->code));
    EXPECT_FALSE(!s->types.empty() && s->types_unchecked) << "lists types and says they are unchecked";
    if (s->types.empty() && !s->types_unchecked && s->code != OpCode::CUSTOM) missing += op_name(s->code) + " ";
    if (s->types_unchecked) {
      EXPECT_GT(std::string_view(s->types_unchecked).size(), 0u);
    }
  }
  EXPECT_TRUE(missing.empty()) << "no operand types and no reason: " << missing;
}

// The lists are well formed: real tensor types, each once per form (plain or
// quantized), versions the record has a runtime for, quantized forms only
// for integer types, and the legalization and output fields only where
// there is a list to read them from.
TEST(Registry, OperandTypesAreValid) {
  for (const OpSchema* s : all_ops()) {
    SCOPED_TRACE(op_name(s->code));
    const int versions = static_cast<int>(s->runtime_versions.size());
    std::set<std::pair<DType, bool>> seen;
    for (const OperandType& o : s->types) {
      SCOPED_TRACE(dtype_name(o.type));
      EXPECT_TRUE(is_tensor_type(o.type));
      EXPECT_TRUE(seen.insert({o.type, o.quantized}).second) << "listed twice";
      EXPECT_GE(o.version, 1);
      EXPECT_LE(o.version, versions) << "no runtime version for op version " << o.version;
      if (o.quantized) {
        EXPECT_TRUE(dtype_is_integer(o.type)) << "quantized form of a non-integer type";
      }
    }
    EXPECT_GE(s->type_input, 0);
    if (s->types.empty()) {
      EXPECT_EQ(s->other_types, TypeLegalization::kRefuse) << "widens types it does not list";
      EXPECT_FALSE(s->output_typed);
    }
    EXPECT_GE(s->broadcast_rank, 0);
    EXPECT_LE(s->broadcast_rank, kBroadcastToMaxRank);
    EXPECT_FALSE(s->version && !s->version_by_type.empty()) << "has a version rule and a version table";
    std::set<DType> table;
    for (const auto& [t, v] : s->version_by_type) {
      EXPECT_TRUE(is_tensor_type(t));
      EXPECT_TRUE(table.insert(t).second) << dtype_name(t) << " twice in version_by_type";
      EXPECT_GE(v, 2) << dtype_name(t) << ": version 1 is the default";
      EXPECT_LE(v, versions) << dtype_name(t) << ": no runtime version for op version " << v;
    }
  }
}

// An op on each listed type gets, from the record's version rule, exactly
// the version the list says its kernel took that type in, so a file never
// claims a version whose kernel lacks the type (nor a newer one than needed).
TEST(Registry, OperandTypeVersionsMatchTheVersionRule) {
  for (const OpSchema* s : all_ops()) {
    SCOPED_TRACE(op_name(s->code));
    for (const OperandType& o : s->types) {
      SCOPED_TRACE(dtype_name(o.type) + (o.quantized ? " (quantized)" : ""));
      // Three operands and one output of the type, rank 1, same shape: every
      // version rule reads at most these (SELECT's condition included).
      Graph g;
      auto tensor = [&](const std::string& name) {
        Tensor t;
        t.name = name;
        t.dtype = o.type;
        t.shape = {2};
        if (o.quantized) {
          t.quant = std::make_shared<QuantParams>();
          t.quant->scale = {0.5f};
          t.quant->zero_point = {0};
        }
        return g.add_tensor(std::move(t));
      };
      TensorId a = tensor("a"), b = tensor("b"), c = tensor("c"), y = tensor("y");
      Op& op = g.add_op(s->code, {a, b, c}, {y});
      ASSERT_TRUE(apply_default_options(*s, op).ok());
      const int v = op_version(g, op);
      EXPECT_EQ(v, o.version) << "the version rule gives " << v;
      EXPECT_TRUE(kernel_takes(*s, o.type, o.quantized));
    }
  }
}

// Ops with an integer kernel list its types: int8 when the quantizer may
// make them int8, int16 when it may make them 16x8.
TEST(Registry, QuantizedOpsListTheirIntegerTypes) {
  for (const OpSchema* s : all_ops()) {
    if (s->types.empty()) continue;
    SCOPED_TRACE(op_name(s->code));
    if (s->quant.output != QuantSpec::Output::kNone) {
      EXPECT_TRUE(kernel_takes(*s, DType::kInt8, /*quantized=*/true)) << "quantized to int8 but has no int8 kernel";
    }
    if (s->quant.int16) {
      EXPECT_TRUE(kernel_takes(*s, DType::kInt16, /*quantized=*/true)) << "quantized to int16 but has no int16 kernel";
    }
  }
}

// The weight layout is said once, in the record: quantization reads the
// weights its records quantize from it, and the fusion passes treat as
// (filter, bias) ops exactly those whose layout has a weight, a channel axis
// and a bias.
TEST(Registry, WeightLayoutIsSaidOnce) {
  std::set<OpCode> filter_ops;
  for (const OpSchema* s : all_ops()) {
    SCOPED_TRACE(op_name(s->code));
    const WeightLayout& w = s->weights;
    if (s->quant.weights != QuantSpec::Weights::kFloat) {
      EXPECT_GE(w.weight_input, 0) << "quantizes weights it does not place";
    }
    if (s->quant.weights == QuantSpec::Weights::kPerChannel) {
      EXPECT_GE(w.channel_axis, 0);
    }
    EXPECT_EQ(quant_weight_input(*s), s->quant.weights == QuantSpec::Weights::kFloat ? -1 : w.weight_input);
    EXPECT_EQ(quant_weight_axis(*s), s->quant.weights == QuantSpec::Weights::kPerChannel ? w.channel_axis : -1);
    if (w.weight_input < 0) {
      EXPECT_EQ(w.bias_input, -1) << "a bias without weights";
      EXPECT_EQ(w.channel_axis, -1) << "a channel axis without weights";
    } else {
      EXPECT_NE(w.weight_input, w.bias_input);
    }
    Op op;
    op.code = s->code;
    if (auto l = filter_layout(op)) {
      filter_ops.insert(s->code);
      EXPECT_EQ(l->weight_input, w.weight_input);
      EXPECT_EQ(l->bias_input, w.bias_input);
      EXPECT_EQ(l->channel_axis, w.channel_axis);
    }
  }
  const std::set<OpCode> want = {OpCode::CONV_2D, OpCode::DEPTHWISE_CONV_2D, OpCode::FULLY_CONNECTED,
                                 OpCode::CONV_3D, OpCode::TRANSPOSE_CONV};
  EXPECT_EQ(filter_ops, want);
}

TEST(Registry, PromisedTfOpsHaveLowerings) {
  const char* promised[] = {
      "Conv2D", "DepthwiseConv2dNative", "Conv2DBackpropInput", "Conv3D", "MatMul", "BatchMatMul", "BatchMatMulV2",
      "BatchMatMulV3", "BiasAdd", "Add", "AddV2", "AddN", "Sub", "Mul", "RealDiv", "Div", "FloorDiv", "FloorMod",
      "Maximum", "Minimum", "SquaredDifference", "Pow", "Relu", "Relu6", "LeakyRelu", "Elu", "Selu", "Sigmoid",
      "Tanh", "Softmax", "LogSoftmax", "Softplus", "Exp", "Log", "Sqrt", "Rsqrt", "Square", "Neg", "Abs", "Floor",
      "Ceil", "Round", "Sin", "Cos", "Erf", "MaxPool", "AvgPool", "Mean", "Sum", "Max", "Min", "Prod", "ArgMax",
      "ArgMin", "Reshape", "Squeeze", "ExpandDims", "Transpose", "ConcatV2", "Pack", "Unpack", "Split", "SplitV",
      "Slice", "StridedSlice", "Pad", "PadV2", "MirrorPad", "Tile", "SpaceToDepth", "DepthToSpace",
      "SpaceToBatchND", "BatchToSpaceND", "Cast", "Fill", "ZerosLike", "OnesLike", "Range", "GatherV2", "GatherNd",
      "Shape", "Size", "Rank", "ResizeBilinear", "ResizeNearestNeighbor", "FusedBatchNorm", "FusedBatchNormV2",
      "FusedBatchNormV3", "Less", "Greater", "Equal", "NotEqual", "LessEqual", "GreaterEqual", "LogicalAnd",
      "LogicalOr", "LogicalNot", "Select", "SelectV2", "TopKV2"};
  std::set<std::string> missing;
  for (const char* op : promised)
    if (!find_tf_op(op)) missing.insert(op);
  std::string list;
  for (const auto& m : missing) list += m + " ";
  EXPECT_TRUE(missing.empty()) << "no lowering for: " << list;
}

}  // namespace tflc
