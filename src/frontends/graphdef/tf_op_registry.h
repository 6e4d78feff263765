// TF -> TFLite legalization table. Each TF op type has one record (in one
// tf_ops/*.cc file) that lowers a NodeDef into IR ops through TfNodeContext.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/graph.h"
#include "ops/ir_builder.h"
#include "ops/op_util.h"
#include "support/status.h"
#include "tensorflow/core/framework/node_def.pb.h"

namespace tflc {

// Imports the TF functions that If/While nodes call as body subgraphs; the
// GraphDef importer provides it when the graph has a function library.
class FunctionImporter {
 public:
  virtual ~FunctionImporter() = default;
  // Function `name` as a kBody subgraph whose inputs have the dtypes and
  // shapes of `args`. The same function and argument types give the same
  // (shared) subgraph.
  virtual Expected<std::shared_ptr<Graph>> import(const std::string& name, const std::vector<Tensor>& args) = 0;
};

// A TF node being lowered: its attributes and inputs, plus IrBuilder's emit
// helpers scoped to the node's name.
class TfNodeContext : public IrBuilder {
 public:
  TfNodeContext(Graph& g, const tensorflow::NodeDef& node, std::vector<TensorId> inputs, int64_t fold_budget)
      : IrBuilder(g, node.name(), fold_budget), node_(node), inputs_(std::move(inputs)) {}

  const tensorflow::NodeDef& node() const { return node_; }
  const std::string& name() const { return node_.name(); }
  std::string source() const override { return node_.op() + " node '" + node_.name() + "'"; }
  int num_inputs() const { return static_cast<int>(inputs_.size()); }
  TensorId in(int i) const { return inputs_.at(i); }
  const Tensor& in_tensor(int i) const { return g_.t(inputs_.at(i)); }
  const std::vector<TensorId>& inputs() const { return inputs_; }
  Status expect_inputs(int min, int max = -1) const;

  // Attributes; `def` is used when the attribute is absent.
  bool has_attr(const std::string& key) const;
  Expected<int64_t> attr_int(const std::string& key, std::optional<int64_t> def = std::nullopt) const;
  Expected<float> attr_float(const std::string& key, std::optional<float> def = std::nullopt) const;
  Expected<bool> attr_bool(const std::string& key, std::optional<bool> def = std::nullopt) const;
  Expected<std::string> attr_string(const std::string& key, std::optional<std::string> def = std::nullopt) const;
  Expected<DType> attr_type(const std::string& key, std::optional<DType> def = std::nullopt) const;
  Expected<std::vector<int64_t>> attr_ints(const std::string& key,
                                           std::optional<std::vector<int64_t>> def = std::nullopt) const;
  // "NHWC" only; other layouts get a "not supported yet" error.
  Status expect_nhwc(const char* key = "data_format") const;

  // Name for output `i` of this node: "node" for 0, "node:i" otherwise.
  std::string output_name(int i) const;

  // The function attribute `key` (If's then_branch, While's body...).
  Expected<std::string> attr_func(const std::string& key) const;
  // Null when the graph has no function library.
  FunctionImporter* functions() const { return functions_; }
  void set_functions(FunctionImporter* f) { functions_ = f; }

 private:
  const tensorflow::NodeDef& node_;
  std::vector<TensorId> inputs_;
  FunctionImporter* functions_ = nullptr;
};

using TfLowerFn = Expected<std::vector<TensorId>> (*)(TfNodeContext& ctx);

// The inputs of a channels-first node that are in its data_format.
struct LayoutInputs {
  std::vector<int> images;  // NCHW / NCDHW tensors
  int shape = -1;           // a shape vector in that layout (Conv2DBackpropInput's input_sizes)
};

// Lowers a node whose data_format is NCHW or NCDHW with the channels-last
// `lower`: TRANSPOSEs take the image inputs (and output 0) across, and the
// layout's list attributes are permuted, as TF's layout pass does for
// TFLite. The transpose cleanup pass cancels the pairs between neighbours.
// Other layouts go to `lower` unchanged.
Expected<std::vector<TensorId>> lower_channels_last(TfNodeContext& ctx, TfLowerFn lower, LayoutInputs which);

struct TfOpRecord {
  std::vector<std::string> tf_ops;  // TF op types sharing this lowering
  TfLowerFn lower;
};

bool register_tf_op(TfOpRecord record);
TfLowerFn find_tf_op(const std::string& tf_op);
std::vector<std::string> all_tf_ops();

#define TFLC_REGISTER_TF_OP(ident, ...) \
  static const bool ident##_tf_registered = ::tflc::register_tf_op(__VA_ARGS__)

// Maps a TF DataType value to ours; kInvalid when TFLite has no such type.
DType dtype_from_tf(int tf_dtype);

}  // namespace tflc
