// The IR: a TFLite-level graph. Tensors are values (typed, shaped, maybe
// constant); ops are TFLite builtins with typed options. Frontends lower
// their source ops into this; passes rewrite it; the writer serializes it.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "ir/dtype.h"
#include "support/status.h"
#include "tflite_schema_generated.h"

namespace tflc {

using OpCode = tflite::BuiltinOperator;
using TensorId = int;
constexpr TensorId kNoTensor = -1;  // an omitted optional input

// Constant bytes, shared so that passes and deduplication never copy them.
using Buffer = std::shared_ptr<const std::string>;
Buffer make_buffer(std::string bytes);

struct QuantParams {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  std::vector<float> min, max;
  int32_t axis = 0;
};

struct Tensor {
  std::string name;
  DType dtype = DType::kFloat32;
  std::vector<int64_t> shape;  // -1 marks a dynamic dimension
  bool unknown_rank = false;
  Buffer data;                 // non-null for constants
  std::shared_ptr<QuantParams> quant;
  bool is_variable = false;

  bool is_const() const { return data != nullptr; }
  int rank() const { return static_cast<int>(shape.size()); }
  bool has_static_shape() const;
  int64_t num_elements() const;  // -1 when any dimension is dynamic
  template <typename T>
  const T* as() const { return reinterpret_cast<const T*>(data->data()); }
};

// The schema's own enums, so option values need no mapping.
using Padding = tflite::Padding;
using Activation = tflite::ActivationFunctionType;
using MirrorMode = tflite::MirrorPadMode;

template <class T>
concept BuiltinTable = tflite::BuiltinOptionsUnionTraits<T>::enum_value != tflite::BuiltinOptions::NONE;
template <class T>
concept Builtin2Table = tflite::BuiltinOptions2UnionTraits<T>::enum_value != tflite::BuiltinOptions2::NONE;

// An op's options are the schema's own tables (flatc's object API), so
// schema.fbs is the one list of option fields and the writer packs them as
// they are. Unset means the op record's default table (OpSchema::options).
struct OpOptions {
  tflite::BuiltinOptionsUnion builtin;
  tflite::BuiltinOptions2Union builtin2;  // the StableHLO ops' options

  OpOptions() = default;
  template <BuiltinTable T>
  OpOptions(T table) { builtin.Set(std::move(table)); }
  template <Builtin2Table T>
  OpOptions(T table) { builtin2.Set(std::move(table)); }
  bool empty() const {
    return builtin.type == tflite::BuiltinOptions::NONE && builtin2.type == tflite::BuiltinOptions2::NONE;
  }
};

struct Graph;

struct Op {
  OpCode code = OpCode::ADD;
  std::vector<TensorId> inputs;
  std::vector<TensorId> outputs;
  OpOptions options;
  std::string custom_code;              // CUSTOM ops: the registered name
  std::vector<uint8_t> custom_options;  // CUSTOM ops: opaque bytes (a FlexBuffer for Flex ops)
  // Subgraphs this op calls, in the order its record names them (IF: then,
  // else; WHILE: cond, body; CALL_ONCE: init). The op owns them, shared with
  // any other caller; the writer turns them into subgraph indices.
  std::vector<std::shared_ptr<Graph>> callees;
  std::string origin;  // source node name, for messages
  bool dead = false;   // set by passes; removed by Graph::compact()
};

// The op's options as table T. An unset table reads as T's schema defaults;
// a table of another type is a bug.
template <class T>
const T& opts(const Op& op) {
  static const T kDefault{};
  if constexpr (BuiltinTable<T>) {
    const auto& u = op.options.builtin;
    if (u.type == tflite::BuiltinOptionsUnionTraits<T>::enum_value) return *static_cast<const T*>(u.value);
    TFLC_CHECK(u.type == tflite::BuiltinOptions::NONE);
  } else {
    static_assert(Builtin2Table<T>, "not an options table of schema.fbs");
    const auto& u = op.options.builtin2;
    if (u.type == tflite::BuiltinOptions2UnionTraits<T>::enum_value) return *static_cast<const T*>(u.value);
    TFLC_CHECK(u.type == tflite::BuiltinOptions2::NONE);
  }
  return kDefault;
}

// The op's options as table T for writing; an unset table becomes T{}.
template <class T>
T& mutable_opts(Op& op) {
  if constexpr (BuiltinTable<T>) {
    auto& u = op.options.builtin;
    if (u.type == tflite::BuiltinOptions::NONE) u.Set(T{});
    TFLC_CHECK(u.type == tflite::BuiltinOptionsUnionTraits<T>::enum_value);
    return *static_cast<T*>(u.value);
  } else {
    static_assert(Builtin2Table<T>, "not an options table of schema.fbs");
    auto& u = op.options.builtin2;
    if (u.type == tflite::BuiltinOptions2::NONE) u.Set(T{});
    TFLC_CHECK(u.type == tflite::BuiltinOptions2UnionTraits<T>::enum_value);
    return *static_cast<T*>(u.value);
  }
}

// An entry subgraph is a signature's (Model::subgraphs); a body is called by
// IF/WHILE/CALL_ONCE, and passes keep its inputs and outputs as they are.
enum class SubgraphRole : int8_t { kEntry, kBody };

struct Graph {
  Graph() = default;
  Graph(Graph&&) noexcept = default;  // lets std::vector<Graph> move, not copy
  Graph& operator=(Graph&&) noexcept = default;

  std::string name = "main";
  SubgraphRole role = SubgraphRole::kEntry;
  std::deque<Tensor> tensors;  // deque: references stay valid as tensors are added
  std::vector<std::unique_ptr<Op>> ops;  // kept in topological order
  std::vector<TensorId> inputs, outputs;

  TensorId add_tensor(Tensor t);
  TensorId add_const(std::string name, DType dtype, std::vector<int64_t> shape, std::string bytes);
  Op& add_op(OpCode code, std::vector<TensorId> inputs, std::vector<TensorId> outputs,
             OpOptions options = {}, std::string origin = {});

  Tensor& t(TensorId id) { return tensors.at(id); }
  const Tensor& t(TensorId id) const { return tensors.at(id); }

  // Use-def queries; O(ops) each, so passes call them once per sweep.
  std::vector<int> producer_index() const;  // tensor -> op index or -1
  std::vector<int> use_counts() const;      // graph outputs count as uses
  // Removes dead ops and reorders ops topologically (stable).
  void compact();
  // Redirects every use of `from` (ops and graph outputs) to `to`.
  void replace_uses(TensorId from, TensorId to);
};

struct SignatureDef {
  std::string key = "serving_default";
  std::vector<std::pair<std::string, TensorId>> inputs, outputs;
  int subgraph = 0;
};

struct Model {
  std::vector<Graph> subgraphs;  // the entry subgraphs; bodies hang off their callers' ops
  std::vector<SignatureDef> signatures;
  std::string description = "tflite-converter";
  std::string source_format;  // "graphdef", "saved_model", "keras"
  int api_version = 1;        // TF converter API the flags follow (1 or 2)

  // Every subgraph once. kWriting: the entries, then each body in the order
  // a depth-first walk of the ops first reaches it (the writer's subgraph
  // indices). kCalleesFirst: every body before the graphs that call it
  // (shape inference needs the bodies' results first). Error if a body
  // calls itself.
  enum class Order { kWriting, kCalleesFirst };
  Expected<std::vector<Graph*>> all_subgraphs(Order order = Order::kWriting);
  Expected<std::vector<const Graph*>> all_subgraphs(Order order = Order::kWriting) const;
};

}  // namespace tflc
