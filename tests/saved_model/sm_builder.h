// Builders for SavedModel test fixtures, shaped the way TensorFlow 2 writes
// them (tf.saved_model.save of a tf.Module / Keras model): a MetaGraphDef
// tagged "serve" whose graph holds VarHandleOps, one Placeholder per
// signature input and one (Stateful)PartitionedCall per signature into a
// "__inference_signature_wrapper_N" function, which calls the traced
// function, which may call nested functions. Variables are captured
// as DT_RESOURCE arguments and read with ReadVariableOp. The SavedObjectGraph
// and the checkpoint's TrackableObjectGraph link each variable to its
// "<path>/.ATTRIBUTES/VARIABLE_VALUE" key in variables/variables.index.
//
// The same body-building code also writes a frozen GraphDef of each signature
// (variables as Consts, calls inlined): the e2e suite runs that graph in
// TensorFlow.js to get reference outputs that do not depend on the converter.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "frontends/saved_model/tensor_bundle_writer.h"
#include "support/status.h"
#include "tensorflow/core/framework/attr_value.pb.h"
#include "tensorflow/core/framework/function.pb.h"
#include "tensorflow/core/framework/graph.pb.h"
#include "tensorflow/core/framework/op_def.pb.h"
#include "tensorflow/core/protobuf/saved_model.pb.h"
#include "tensorflow/core/protobuf/trackable_object_graph.pb.h"

namespace smgen {

using tensorflow::DataType;
using tflc::Expected;
using tflc::Status;

// ---- values -----------------------------------------------------------------

// A dense tensor: floats live in `f`, integers (and bools) in `i`.
struct Value {
  DataType dtype = tensorflow::DT_FLOAT;
  std::vector<int64_t> shape;
  std::vector<float> f;
  std::vector<int64_t> i;

  int64_t size() const;
  std::string bytes() const;  // little-endian element bytes, as a checkpoint stores them
  tensorflow::TensorProto proto() const;
  tflc::NamedTensor named(const std::string& key) const;
};
Value float_value(std::vector<int64_t> shape, std::vector<float> v);
Value int_value(DataType dtype, std::vector<int64_t> shape, std::vector<int64_t> v);

// Deterministic numbers (splitmix64): every run writes identical files.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next();
  double uniform();  // [0, 1)
  float uniform(float lo, float hi);
  int64_t integer(int64_t lo, int64_t hi);  // [lo, hi]
 private:
  uint64_t s_;
};
Value random_floats(Rng& r, std::vector<int64_t> shape, float lo, float hi);
Value random_ints(Rng& r, DataType dtype, std::vector<int64_t> shape, int64_t lo, int64_t hi);

const char* dtype_json_name(DataType t);  // "float32", "int32", "int64", ...
tflc::DType to_ir_dtype(DataType t);

// ---- protos -----------------------------------------------------------------

using Attrs = std::map<std::string, tensorflow::AttrValue>;
tensorflow::TensorShapeProto shape_proto(const std::vector<int64_t>& dims);
tensorflow::AttrValue a_type(DataType t);
tensorflow::AttrValue a_types(const std::vector<DataType>& ts);
tensorflow::AttrValue a_shape(const std::vector<int64_t>& dims);
tensorflow::AttrValue a_shapes(const std::vector<std::vector<int64_t>>& shapes);
tensorflow::AttrValue a_s(const std::string& s);
tensorflow::AttrValue a_i(int64_t v);
tensorflow::AttrValue a_b(bool v);
tensorflow::AttrValue a_ints(const std::vector<int64_t>& v);
tensorflow::AttrValue a_func(const std::string& name);
tensorflow::AttrValue a_tensor(const Value& v);

// The OpDefs our fixtures use. Function bodies name tensors
// "node:output_arg:index", so the output argument names must be TF's own.
const tensorflow::OpDef& op_def(const std::string& op);
// Fills a stripped_op_list with the OpDefs of every op in `graph` and `lib`.
void add_stripped_ops(const tensorflow::GraphDef& graph, tensorflow::OpList* out);
// Drops attrs equal to their OpDef default, as TF does before saving
// (MetaInfoDef.stripped_default_attrs); readers must restore them.
void strip_default_attrs(tensorflow::GraphDef* graph);

tensorflow::NodeDef* add_node(google::protobuf::RepeatedPtrField<tensorflow::NodeDef>* nodes,
                              const std::string& name, const std::string& op,
                              const std::vector<std::string>& inputs, const Attrs& attrs = {});

// ---- function bodies ----------------------------------------------------------

class Tf2Model;

// Emits one function body. In function mode it writes a FunctionDef (inputs
// are "arg" or "node:output_arg:index", variables are resource arguments read
// with ReadVariableOp); in frozen mode it writes plain GraphDef nodes under a
// name scope (inputs "node" / "node:index", variables as Consts, nested calls
// inlined). Case code builds both from one description.
class Body {
 public:
  using Fn = std::function<std::vector<std::string>(Body&)>;

  bool frozen() const { return frozen_; }
  const std::string& arg(size_t k) const;
  // Adds a node; returns a reference to its output `out`.
  std::string op(const std::string& type, const std::string& name, const std::vector<std::string>& inputs,
                 const Attrs& attrs = {}, int out = 0);
  std::string konst(const std::string& name, const Value& v);
  // The value of variable `var`: a ReadVariableOp named `name` on the
  // function's resource argument, or (frozen) a Const of the saved value.
  // `deps` are control inputs ("^node"), e.g. a read ordered after an assign.
  std::string read(int var, const std::string& name, const std::vector<std::string>& deps = {});
  // A stateful op on a variable (e.g. AssignAddVariableOp); frozen mode
  // cannot express it and aborts, so only must-fail fixtures use it.
  void resource_op(const std::string& type, const std::string& name, int var, const std::vector<std::string>& inputs,
                   const Attrs& attrs = {});
  // Calls a nested tf.function `fn_base` (a StatefulPartitionedCall when it
  // reads variables, else a PartitionedCall) named `name`. Frozen: inlined
  // under "<scope><name>/".
  std::vector<std::string> call(const std::string& name, const std::string& fn_base,
                                const std::vector<std::string>& inputs, const std::vector<DataType>& in_types,
                                const std::vector<DataType>& out_types, const Fn& body);

 private:
  friend class Tf2Model;
  Body(Tf2Model* m, bool frozen) : model_(m), frozen_(frozen) {}
  tensorflow::NodeDef* add(const std::string& name, const std::string& op, const std::vector<std::string>& inputs,
                           const Attrs& attrs);
  std::string ref(const tensorflow::NodeDef& n, int out) const;
  // `direct`: the op reading the handle is `hint` itself (arg "<hint>_resource");
  // otherwise a nested call passes it on (Keras names it "<layer>_<uid>").
  std::string resource_arg(int var, const std::string& hint, bool direct);
  // Emits the call node of an already built function that captures `resources`.
  std::vector<std::string> emit_call(const std::string& name, const std::string& fname,
                                     const std::vector<std::string>& inputs, const std::vector<DataType>& in_types,
                                     const std::vector<DataType>& out_types, const std::vector<int>& resources);

  Tf2Model* model_;
  bool frozen_;
  std::string scope_;                                        // frozen: node name prefix
  std::unique_ptr<tensorflow::FunctionDef> fn_;               // function mode: the function being built
  google::protobuf::RepeatedPtrField<tensorflow::NodeDef>* nodes_ = nullptr;
  std::vector<std::string> args_;
  bool wrapper_naming_ = false;       // resource args "unknown", "unknown_0", ...
  std::vector<int> resources_;        // captured variables, in first-use order
  std::vector<std::string> resource_args_;
  std::vector<std::string> stateful_;  // nodes the closing NoOp waits for
  // Node names in use: per function, or shared by a whole frozen graph.
  std::shared_ptr<std::set<std::string>> names_ = std::make_shared<std::set<std::string>>();
};

// ---- TF2 SavedModel -------------------------------------------------------

struct TensorSpec {
  std::string key;
  DataType dtype = tensorflow::DT_FLOAT;
  std::vector<int64_t> shape;  // -1 = unknown dim
};

struct Signature {
  std::string key;
  std::string fn_name;                      // the tf.function's attribute name on the root object
  std::vector<TensorSpec> inputs, outputs;  // each sorted by key, as TF orders them
  // Positions of the traced function's arguments in `inputs` (the wrapper
  // takes keyword arguments sorted by key, the function its positional
  // order). Empty = same order.
  std::vector<int> arg_order;
  Body::Fn body;  // args in arg_order; returns one reference per output
};

struct Variable {
  std::string name;  // VarHandleOp node name and shared_name (tf.Variable name)
  std::string path;  // object path from the root, e.g. "layer_with_weights-0/kernel"
  Value value;
  bool trainable = true;
};

class Tf2Model {
 public:
  int add_variable(const std::string& name, const std::string& path, Value v, bool trainable = true);
  void add_signature(Signature s);

  tensorflow::SavedModel saved_model();
  std::vector<tflc::NamedTensor> checkpoint();  // "_CHECKPOINTABLE_OBJECT_GRAPH" + variables
  tensorflow::GraphDef frozen(const std::string& key);
  const std::vector<Signature>& signatures() const { return sigs_; }
  const std::vector<Variable>& variables() const { return vars_; }
  // saved_model.pb + variables/variables.{index,data-00000-of-00001}.
  Status write(const std::string& dir);

 private:
  friend class Body;
  std::string new_function_name(const std::string& base) { return "__inference_" + base + "_" + std::to_string(uid_ += 7); }
  tensorflow::FunctionDef* finish_function(Body& b, const std::string& name, const std::vector<std::string>& arg_names,
                                           const std::vector<DataType>& in_types, const std::vector<std::string>& outs,
                                           const std::vector<DataType>& out_types);
  void build();
  void build_object_graph(tensorflow::MetaGraphDef* mg);
  std::pair<std::string, std::string> add_saver_functions();  // adds them to lib_; returns their names

  std::vector<Variable> vars_;
  std::vector<Signature> sigs_;
  int uid_ = 100;
  bool built_ = false;
  tensorflow::FunctionDefLibrary lib_;
  struct Built {
    std::string wrapper, inner;   // function names
    std::vector<int> resources;   // captured variables of both, in argument order
    bool stateful = false;
  };
  std::map<std::string, Built> built_sigs_;
  std::vector<std::string> object_paths_;  // SavedObjectGraph node id -> path ("" = root)
  tensorflow::TrackableObjectGraph trackable_;
  tensorflow::SavedModel sm_;
};

// ---- files --------------------------------------------------------------------

Status write_file(const std::string& path, const std::string& bytes);
Status write_proto(const std::string& path, const google::protobuf::Message& m);

}  // namespace smgen
