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

enum class Padding : int8_t { kSame = 0, kValid = 1 };
// Values equal TFLite's ActivationFunctionType.
enum class Activation : int8_t { kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3, kTanh = 4, kSignBit = 5 };
enum class MirrorMode : int8_t { kReflect = 0, kSymmetric = 1 };

// Typed options of every op; each op reads only the fields it documents.
// One flat struct keeps passes simple and avoids string-keyed maps.
struct Attrs {
  Padding padding = Padding::kSame;
  int stride_d = 1, stride_h = 1, stride_w = 1;
  int dilation_d = 1, dilation_h = 1, dilation_w = 1;
  int filter_h = 1, filter_w = 1;          // pooling window
  int depth_multiplier = 1;
  Activation activation = Activation::kNone;
  int axis = 0;
  int num = 0;                              // pack/unpack count, split count, top-k k
  bool keep_dims = false;
  bool adj_x = false, adj_y = false;        // batch matmul
  bool keep_num_dims = false;               // fully connected
  int begin_mask = 0, end_mask = 0, ellipsis_mask = 0, new_axis_mask = 0, shrink_axis_mask = 0;
  bool offset = false;                      // strided slice
  bool align_corners = false, half_pixel_centers = false;
  float alpha = 0.0f;                       // leaky relu
  float beta = 1.0f;                        // softmax
  int block_size = 0;
  MirrorMode mirror_mode = MirrorMode::kReflect;
  DType out_type = DType::kInvalid;         // arg_max/min, shape, cast
  DType in_type = DType::kInvalid;          // cast
  int batch_dims = 0;                       // gather
  std::vector<int32_t> dims;                // squeeze_dims, reshape new_shape
  int64_t seed = 0, seed2 = 0;              // random ops
  float min = 0.0f, max = 0.0f;             // fake quant range
  int num_bits = 8;
  bool narrow_range = false;
  std::string custom_code;                  // CUSTOM ops
  std::vector<uint8_t> custom_options;
};

struct Op {
  OpCode code = OpCode::ADD;
  std::vector<TensorId> inputs;
  std::vector<TensorId> outputs;
  Attrs attrs;
  std::string origin;  // source node name, for messages
  bool dead = false;   // set by passes; removed by Graph::compact()
};

struct Graph {
  Graph() = default;
  Graph(Graph&&) noexcept = default;  // lets std::vector<Graph> move, not copy
  Graph& operator=(Graph&&) noexcept = default;

  std::string name = "main";
  std::deque<Tensor> tensors;  // deque: references stay valid as tensors are added
  std::vector<std::unique_ptr<Op>> ops;  // kept in topological order
  std::vector<TensorId> inputs, outputs;

  TensorId add_tensor(Tensor t);
  TensorId add_const(std::string name, DType dtype, std::vector<int64_t> shape, std::string bytes);
  Op& add_op(OpCode code, std::vector<TensorId> inputs, std::vector<TensorId> outputs,
             Attrs attrs = {}, std::string origin = {});

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
  std::vector<Graph> subgraphs;
  std::vector<SignatureDef> signatures;
  std::string description = "tflite-converter";
  std::string source_format;  // "graphdef", "saved_model", "keras"
  int api_version = 1;        // TF converter API the flags follow (1 or 2)
};

}  // namespace tflc
