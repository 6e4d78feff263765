// One record per TFLite builtin: shape inference, reference evaluation (used
// by constant folding and later calibration), flatbuffer options, the
// operand types and broadcast rank its kernels accept, where its weights sit,
// and the op version rule. Adding a builtin means adding one record in one
// ops/*.cc file.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace tflc {

// Where an op's weights sit: the filter (or weight matrix) input, the axis
// of it that indexes output channels, and the per-output-channel bias
// input. Said once here; the fusion passes (passes/pattern.h) and the
// quantizers read it.
struct WeightLayout {
  int weight_input = -1;
  int channel_axis = -1;  // -1: no fixed channel axis (BATCH_MATMUL's depends on adj_y)
  int bias_input = -1;    // -1: the op takes no bias
};

// How an op is quantized, per TFLite's quantization spec (used by src/quant).
struct QuantSpec {
  enum class Output : int8_t {
    kNone,         // no integer kernel: float fallback, or an error in integer-only mode
    kOwnRange,     // output qparams from its recorded range
    kSameAsInput,  // output shares input 0's qparams (RESHAPE, MAX_POOL_2D, ...)
    kSameAsOutput, // every operand takes the output's qparams (CONCATENATION, SELECT...)
    kFixed,        // fixed qparams (LOGISTIC, TANH, SOFTMAX)
  };
  // Whether the constant weights of OpSchema::weights become symmetric int8,
  // and along which axis. The bias (when weights are quantized) becomes
  // int32 (int64 in 16x8), scale = input scale * weight scale.
  enum class Weights : int8_t {
    kFloat,       // weights stay float (no integer kernel reads them)
    kPerTensor,   // one scale
    kPerChannel,  // one scale per index of WeightLayout::channel_axis
  };
  Output output = Output::kNone;
  float fixed_scale_int8 = 0.0f;  // kFixed
  int fixed_zero_point_int8 = 0;
  float fixed_scale_int16 = 0.0f;  // zero point 0
  Weights weights = Weights::kFloat;
  bool int16 = false;              // has a 16x8 (int16 activation) kernel
  bool hybrid = false;             // dynamic range: a hybrid kernel for int8 weights
  // Dynamic range only: more constant weights quantized like the weight
  // input, per-tensor (LSTM gate/peephole/projection weights, GATHER params).
  // A hybrid kernel is used only when every present weight input is int8, as
  // the kernels read them all as int8; otherwise they get DEQUANTIZE.
  std::vector<int> extra_weight_inputs;
};

// An operand type an op's kernels accept.
struct OperandType {
  DType type;
  int version = 1;         // the lowest op version whose kernel takes it
  bool quantized = false;  // taken only with quantization parameters (the integer kernels of arithmetic ops)
};

// OpSchema::types_unchecked of ops whose kernels' operand types are not
// written down here yet (tensorflow/lite/kernels/*.cc has them): left
// unchecked rather than guessed.
inline constexpr const char* kNoKernelFacts = "no kernel type facts written here yet";

// What IrBuilder does with an op on an operand type its kernels lack.
enum class TypeLegalization : int8_t {
  kRefuse,        // "not supported yet: ..." naming the source node
  kWiden,         // CAST the operands to an accepted type that holds all their values; the result is
                  // unchanged (comparisons: a bool of the same values)
  kWidenAndBack,  // as kWiden, then CAST the result back (MAXIMUM/MINIMUM return one of their operands)
};

// How an op's fused activation is read and set, for ops whose options table
// has a fused_activation_function field (made by fused_activation_field<T>).
struct FusedActivation {
  Activation (*get)(const Op&) = nullptr;
  void (*set)(Op&, Activation) = nullptr;
};
template <class T>
constexpr FusedActivation fused_activation_field() {
  return {[](const Op& op) { return opts<T>(op).fused_activation_function; },
          [](Op& op, Activation a) { mutable_opts<T>(op).fused_activation_function = a; }};
}

struct OpSchema {
  OpCode code;
  // Sets dtype and shape of op.outputs from the inputs (and constant inputs).
  Status (*infer)(Graph& g, Op& op) = nullptr;
  // Computes output data when every input is constant; nullptr if the op
  // cannot be folded (the reason is then in no_eval_reason).
  Status (*eval)(Graph& g, Op& op) = nullptr;
  const char* no_eval_reason = nullptr;
  // The options table an op emitted without options gets (its type is the
  // only one the op accepts). Left empty for ops whose schema has none.
  OpOptions options;
  // Sets the option fields that follow from the graph rather than from the
  // source model: callee subgraph indices, flags that follow quantization.
  // Called by the writer; nullptr when the options are written as set.
  void (*finalize_options)(const Graph& g, Op& op, const std::vector<int>& callee_index) = nullptr;
  // Checks beyond shape inference, for ops that call subgraphs: callee count,
  // and the bodies' inputs and outputs against the op's operands.
  Status (*verify)(const Graph& g, const Op& op) = nullptr;
  // Set when the kernel applies a fused activation (passes may fuse one in).
  FusedActivation fused_activation;
  // The operand types the kernels accept, read from input `type_input` (and
  // from output 0 too when `output_typed`, as CAST's kernel switches on
  // both). IrBuilder checks every op it emits against them (see
  // ops/constraints.h). Empty means unchecked; types_unchecked then says why.
  std::vector<OperandType> types;
  int type_input = 0;
  bool output_typed = false;
  const char* types_unchecked = nullptr;
  TypeLegalization other_types = TypeLegalization::kRefuse;
  // The largest rank at which the kernel broadcasts its inputs; 0 when the
  // op does not broadcast (or is not checked). A wider broadcast is made
  // explicit with BROADCAST_TO when the shapes are static.
  int broadcast_rank = 0;
  // Where the weights sit, for ops that have them.
  WeightLayout weights;
  // The lowest op version that covers the features used, as TFLite's
  // tools/versioning/op_version.cc decides it. nullptr: version_by_type.
  int (*version)(const Graph& g, const Op& op) = nullptr;
  // op_version.cc rules that depend on input 0's type alone: its version
  // per type, 1 for a type not listed. Used when `version` is nullptr.
  std::vector<std::pair<DType, int>> version_by_type;
  // Minimum runtime per op version (index 0 = version 1), as in TFLite's
  // tools/versioning/runtime_version.cc.
  std::vector<const char*> runtime_versions;
  QuantSpec quant;
};

// a < b for runtime_versions entries ("1.14.0" style), by numeric parts;
// a missing part is 0 ("2.3" == "2.3.0").
bool runtime_version_less(const std::string& a, const std::string& b);

// Registers at static-initialization time; returns true for use in a static.
bool register_op(OpSchema schema);
const OpSchema* find_op(OpCode code);
std::vector<const OpSchema*> all_ops();
std::string op_name(OpCode code);  // "CONV_2D"

// The op's fused activation; NONE for ops that take none.
Activation fused_activation(const Op& op);

// The version the writer records for the op (its record's version rule).
int op_version(const Graph& g, const Op& op);

// The weights quantization reads: the layout's weight input and bias when
// the record quantizes its weights, else -1; the per-channel axis or -1.
int quant_weight_input(const OpSchema& s);
int quant_bias_input(const OpSchema& s);
int quant_weight_axis(const OpSchema& s);

// Gives an op without options its record's default table; error if the
// op carries a table of another type.
Status apply_default_options(const OpSchema& s, Op& op);

// Runs infer; then folds when every input is constant and the result fits
// in the byte budget (or is no larger than the constant inputs).
Status infer_op(Graph& g, Op& op);
bool all_inputs_const(const Graph& g, const Op& op);
Status try_fold(Graph& g, Op& op, int64_t byte_budget);

#define TFLC_REGISTER_OP(ident, ...) \
  static const bool ident##_registered = ::tflc::register_op(__VA_ARGS__)

}  // namespace tflc
