// make_saved_models OUT_DIR   writes the SavedModel e2e fixtures, then checks them
// make_saved_models --check OUT_DIR   only checks existing fixtures
//
// Each case is a folder with saved_model.pb + variables/, one frozen GraphDef
// per signature (<key>.frozen.pb: the same math with variables as Consts and
// calls inlined, for TensorFlow.js references) and case.json for
// tests/e2e/saved_model.mjs. OUT_DIR/bad/ holds inputs the converter must
// reject. See tests/saved_model/README.md.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "check.h"
#include "json.h"
#include "sm_builder.h"
#include "tensorflow/core/framework/variable.pb.h"

namespace smgen {
namespace {

namespace fs = std::filesystem;
using tensorflow::DT_FLOAT;
using tensorflow::DT_INT32;
using tensorflow::DT_INT64;

// ---- case.json --------------------------------------------------------------

Json shape_json(const std::vector<int64_t>& s) {
  Json a = Json::array();
  for (int64_t d : s) a.push(d);
  return a;
}

Json tensor_json(const std::string& name, const Value& v, const std::vector<int64_t>* signature_shape = nullptr) {
  Json data = Json::array();
  for (float x : v.f) data.push(static_cast<double>(x));
  for (int64_t x : v.i) data.push(x);
  Json t = Json::object()
               .set("name", name)
               .set("dtype", dtype_json_name(v.dtype))
               .set("shape", shape_json(v.shape));
  // The SavedModel's declared shape (-1 = dynamic): the .tflite input's
  // shape_signature must equal it.
  if (signature_shape) t.set("signature_shape", shape_json(*signature_shape));
  return t.set("data", data);
}

// One signature to run: its inputs (with data) and the outputs to expect.
// Output data is left null: the e2e suite computes it from the frozen graph
// (TensorFlow.js; int64 with an exact BigInt evaluation).
// LiteRT.js binds output buffers sized at compile time, so a dynamic batch
// is fed as 1 and the -1 is checked statically (signature_shape).
struct RunSpec {
  std::string key;
  std::vector<std::pair<std::string, Value>> inputs;
  std::vector<std::pair<TensorSpec, std::vector<int64_t>>> outputs;  // spec + concrete shape for these inputs
  std::vector<std::vector<int64_t>> signature_shapes = {};              // per input; filled from the Signature for TF2
};

Json signature_json(const RunSpec& r) {
  Json ins = Json::array(), outs = Json::array();
  for (size_t k = 0; k < r.inputs.size(); ++k)
    ins.push(tensor_json(r.inputs[k].first, r.inputs[k].second,
                         k < r.signature_shapes.size() ? &r.signature_shapes[k] : nullptr));
  for (const auto& [spec, shape] : r.outputs) {
    outs.push(Json::object()
                  .set("name", spec.key)
                  .set("dtype", dtype_json_name(spec.dtype))
                  .set("shape", shape_json(shape))
                  .set("data", Json())
                  .set("reference", spec.dtype == DT_INT64 ? "bigint" : "tfjs"));
  }
  return Json::object().set("frozen_graph", r.key + ".frozen.pb").set("inputs", ins).set("outputs", outs);
}

Status write_case_json(const std::string& dir, Json c) {
  return write_file(dir + "/case.json", c.dump() + "\n");
}

Json flags_json(const std::vector<std::string>& flags) {
  Json a = Json::array();
  for (const auto& f : flags) a.push(f);
  return a;
}

// Writes a TF2 case: the SavedModel, a frozen graph per run signature and case.json.
Status write_tf2_case(const std::string& root, const std::string& name, Tf2Model& m,
                      const std::vector<std::string>& flags, const std::vector<RunSpec>& runs,
                      const std::string& notes) {
  std::string dir = root + "/" + name;
  RETURN_IF_ERROR(m.write(dir));
  Json sigs = Json::object();
  for (RunSpec r : runs) {
    RETURN_IF_ERROR(write_proto(dir + "/" + r.key + ".frozen.pb", m.frozen(r.key)));
    for (const Signature& s : m.signatures())
      if (s.key == r.key)
        for (const auto& [name, v] : r.inputs)
          for (const TensorSpec& t : s.inputs)
            if (t.key == name) r.signature_shapes.push_back(t.shape);
    sigs.set(r.key, signature_json(r));
  }
  return write_case_json(dir, Json::object()
                                  .set("name", name)
                                  .set("kind", "tf2")
                                  .set("saved_model_dir", ".")
                                  .set("flags", flags_json(flags))
                                  .set("expect", "convert")
                                  .set("notes", notes)
                                  .set("signatures", sigs));
}

const tensorflow::AttrValue kF = a_type(DT_FLOAT);

// ---- (a) conv_dense: Keras-style nesting ------------------------------------
// signature wrapper -> traced call -> one function per layer
// (StatefulPartitionedCall with the layer's captures) and a stateless
// PartitionedCall for the softmax head.
Status conv_dense(const std::string& root) {
  Rng r(11);
  Tf2Model m;
  int k0 = m.add_variable("conv2d/kernel", "layer_with_weights-0/kernel", random_floats(r, {3, 3, 3, 4}, -0.5f, 0.5f));
  int b0 = m.add_variable("conv2d/bias", "layer_with_weights-0/bias", random_floats(r, {4}, -0.1f, 0.1f));
  int k1 = m.add_variable("dense/kernel", "layer_with_weights-1/kernel", random_floats(r, {256, 10}, -0.2f, 0.2f));
  int b1 = m.add_variable("dense/bias", "layer_with_weights-1/bias", random_floats(r, {10}, -0.1f, 0.1f));
  Signature s;
  s.key = "serving_default";
  s.fn_name = "__call__";
  s.inputs = {{"x", DT_FLOAT, {1, 8, 8, 3}}};
  s.outputs = {{"output_0", DT_FLOAT, {1, 10}}};
  s.body = [=](Body& b) {
    auto conv = b.call("conv2d/StatefulPartitionedCall", "conv2d_layer_call_and_return_conditional_losses",
                       {b.arg(0)}, {DT_FLOAT}, {DT_FLOAT}, [=](Body& l) {
                         std::string k = l.read(k0, "Conv2D/ReadVariableOp");
                         std::string c = l.op("Conv2D", "Conv2D", {l.arg(0), k},
                                              {{"T", kF},
                                               {"strides", a_ints({1, 1, 1, 1})},
                                               {"padding", a_s("SAME")},
                                               {"data_format", a_s("NHWC")},
                                               {"dilations", a_ints({1, 1, 1, 1})},
                                               {"explicit_paddings", a_ints({})},
                                               {"use_cudnn_on_gpu", a_b(true)}});
                         std::string bias = l.read(b0, "BiasAdd/ReadVariableOp");
                         std::string ba =
                             l.op("BiasAdd", "BiasAdd", {c, bias}, {{"T", kF}, {"data_format", a_s("NHWC")}});
                         return std::vector<std::string>{l.op("Relu", "Relu", {ba}, {{"T", kF}})};
                       });
    std::string shape = b.konst("flatten/Const", int_value(DT_INT32, {2}, {-1, 256}));
    std::string flat =
        b.op("Reshape", "flatten/Reshape", {conv[0], shape}, {{"T", kF}, {"Tshape", a_type(DT_INT32)}});
    auto dense = b.call("dense/StatefulPartitionedCall", "dense_layer_call_and_return_conditional_losses", {flat},
                        {DT_FLOAT}, {DT_FLOAT}, [=](Body& l) {
                          std::string k = l.read(k1, "MatMul/ReadVariableOp");
                          std::string mm = l.op("MatMul", "MatMul", {l.arg(0), k},
                                                {{"T", kF}, {"transpose_a", a_b(false)}, {"transpose_b", a_b(false)}});
                          std::string bias = l.read(b1, "BiasAdd/ReadVariableOp");
                          return std::vector<std::string>{
                              l.op("BiasAdd", "BiasAdd", {mm, bias}, {{"T", kF}, {"data_format", a_s("NHWC")}})};
                        });
    return b.call("softmax/PartitionedCall", "softmax_layer_call_and_return_conditional_losses", {dense[0]},
                  {DT_FLOAT}, {DT_FLOAT}, [](Body& l) {
                    return std::vector<std::string>{l.op("Softmax", "Softmax", {l.arg(0)}, {{"T", kF}})};
                  });
  };
  m.add_signature(s);
  RunSpec run{"serving_default", {{"x", random_floats(r, {1, 8, 8, 3}, -1, 1)}}, {{s.outputs[0], {1, 10}}}};
  return write_tf2_case(root, "conv_dense", m, {}, {run},
                        "Keras-style: wrapper -> __call__ -> per-layer StatefulPartitionedCalls + a stateless "
                        "PartitionedCall; default attrs stripped; default flags (serving_default)");
}

// ---- (b) two_signatures -------------------------------------------------------

// Also the base of several bad/ fixtures.
Tf2Model two_signatures_model(Rng& r) {
  Tf2Model m;
  int w = m.add_variable("w", "w", random_floats(r, {3}, -2, 2));
  Signature add_one;
  add_one.key = "add_one";
  add_one.fn_name = "add_one";
  add_one.inputs = {{"x", DT_FLOAT, {2, 3}}};
  add_one.outputs = {{"output_0", DT_FLOAT, {2, 3}}};
  add_one.body = [](Body& b) {
    std::string one = b.konst("add/y", float_value({}, {1.0f}));
    return std::vector<std::string>{b.op("AddV2", "add", {b.arg(0), one}, {{"T", kF}})};
  };
  m.add_signature(add_one);
  Signature scale;
  scale.key = "scale";
  scale.fn_name = "scale";
  scale.inputs = {{"x", DT_FLOAT, {2, 3}}};
  scale.outputs = {{"output_0", DT_FLOAT, {2, 3}}};
  scale.body = [w](Body& b) {
    std::string v = b.read(w, "mul/ReadVariableOp");
    return std::vector<std::string>{b.op("Mul", "mul", {b.arg(0), v}, {{"T", kF}})};
  };
  m.add_signature(scale);
  return m;
}

Status two_signatures(const std::string& root) {
  Rng r(22);
  Tf2Model m = two_signatures_model(r);
  TensorSpec out{"output_0", DT_FLOAT, {2, 3}};
  std::vector<RunSpec> runs = {{"add_one", {{"x", random_floats(r, {2, 3}, -1, 1)}}, {{out, {2, 3}}}},
                               {"scale", {{"x", random_floats(r, {2, 3}, -1, 1)}}, {{out, {2, 3}}}}};
  return write_tf2_case(root, "two_signatures", m, {"--saved_model_signature_key=add_one,scale"}, runs,
                        "add_one is stateless (PartitionedCall, no captures); scale captures w");
}

// ---- (c) int_inputs -----------------------------------------------------------
Status int_inputs(const std::string& root) {
  Rng r(33);
  Tf2Model m;
  // Values beyond int32 so a narrowing anywhere shows.
  int v = m.add_variable("v", "v", random_ints(r, DT_INT64, {4}, -5000000000LL, 5000000000LL));
  int f = m.add_variable("f", "f", random_floats(r, {4}, -2, 2));
  Signature s;
  s.key = "serving_default";
  s.fn_name = "serve";
  s.inputs = {{"a", DT_INT32, {4}}, {"b", DT_INT64, {4}}};
  s.outputs = {{"out_a", DT_INT32, {4}}, {"out_b", DT_INT64, {4}}, {"out_f", DT_FLOAT, {4}}};
  s.arg_order = {1, 0};  // def serve(self, b, a): positional order differs from the sorted keys
  s.body = [=](Body& b) {
    const std::string& bb = b.arg(0);
    const std::string& a = b.arg(1);
    std::string two = b.konst("mul/y", int_value(DT_INT32, {}, {2}));
    std::string out_a = b.op("Mul", "mul", {a, two}, {{"T", a_type(DT_INT32)}});
    std::string vv = b.read(v, "add/ReadVariableOp");
    std::string out_b = b.op("AddV2", "add", {bb, vv}, {{"T", a_type(DT_INT64)}});
    std::string fa = b.op("Cast", "Cast", {a},
                          {{"SrcT", a_type(DT_INT32)}, {"DstT", a_type(DT_FLOAT)}, {"Truncate", a_b(false)}});
    std::string ff = b.read(f, "mul_1/ReadVariableOp");
    std::string out_f = b.op("Mul", "mul_1", {fa, ff}, {{"T", kF}});
    return std::vector<std::string>{out_a, out_b, out_f};
  };
  m.add_signature(s);
  RunSpec run{"serving_default",
              {{"a", random_ints(r, DT_INT32, {4}, -1000, 1000)},
               {"b", random_ints(r, DT_INT64, {4}, -4000000000LL, 4000000000LL)}},
              {{s.outputs[0], {4}}, {s.outputs[1], {4}}, {s.outputs[2], {4}}}};
  return write_tf2_case(root, "int_inputs", m, {"--saved_model_tag_set=serve"}, {run},
                        "out_a = a*2 (int32), out_b = b + v (int64 beyond 2^31; reference by BigInt over the frozen "
                        "graph since TF.js has no int64), out_f = float(a) * f; the traced function takes (b, a)");
}

// ---- (d) dynamic_batch ----------------------------------------------------------
Status dynamic_batch(const std::string& root) {
  Rng r(44);
  Tf2Model m;
  // Unnamed tf.Variables: graph names differ from the object paths.
  int w = m.add_variable("Variable", "w", random_floats(r, {4, 3}, -1, 1));
  int bias = m.add_variable("Variable_1", "b", random_floats(r, {3}, -1, 1));
  Signature s;
  s.key = "serving_default";
  s.fn_name = "__call__";
  s.inputs = {{"x", DT_FLOAT, {-1, 4}}};
  s.outputs = {{"output_0", DT_FLOAT, {-1, 3}}};
  s.body = [=](Body& b) {
    std::string k = b.read(w, "MatMul/ReadVariableOp");
    std::string mm = b.op("MatMul", "MatMul", {b.arg(0), k}, {{"T", kF}});
    std::string c = b.read(bias, "add/ReadVariableOp");
    return std::vector<std::string>{b.op("AddV2", "add", {mm, c}, {{"T", kF}})};
  };
  m.add_signature(s);
  RunSpec run{"serving_default", {{"x", random_floats(r, {1, 4}, -1, 1)}}, {{s.outputs[0], {1, 3}}}};
  return write_tf2_case(root, "dynamic_batch", m, {}, {run},
                        "x: [-1,4] (shape_signature checked; fed with batch 1, see RunSpec); variables named "
                        "Variable/Variable_1 but saved as w/b");
}

// ---- (e) shared_variable ---------------------------------------------------------
Status shared_variable(const std::string& root) {
  Rng r(55);
  Tf2Model m;
  int w = m.add_variable("shared/w", "shared/w", random_floats(r, {4}, -2, 2));
  Signature mul;
  mul.key = "mul_w";
  mul.fn_name = "mul_w";
  mul.inputs = {{"x", DT_FLOAT, {2, 4}}};
  mul.outputs = {{"output_0", DT_FLOAT, {2, 4}}};
  mul.body = [w](Body& b) {
    return std::vector<std::string>{b.op("Mul", "mul", {b.arg(0), b.read(w, "mul/ReadVariableOp")}, {{"T", kF}})};
  };
  Signature add = mul;
  add.key = "add_w";
  add.fn_name = "add_w";
  add.body = [w](Body& b) {
    return std::vector<std::string>{b.op("AddV2", "add", {b.arg(0), b.read(w, "add/ReadVariableOp")}, {{"T", kF}})};
  };
  m.add_signature(mul);
  m.add_signature(add);
  TensorSpec out{"output_0", DT_FLOAT, {2, 4}};
  std::vector<RunSpec> runs = {{"mul_w", {{"x", random_floats(r, {2, 4}, -1, 1)}}, {{out, {2, 4}}}},
                               {"add_w", {{"x", random_floats(r, {2, 4}, -1, 1)}}, {{out, {2, 4}}}}};
  return write_tf2_case(root, "shared_variable", m, {"--signature_keys=mul_w,add_w"}, runs,
                        "both signatures capture the one VarHandleOp shared/w (a nested object path); "
                        "selected with --signature_keys");
}

// ---- passthrough_output ---------------------------------------------------------
// `return x * w, y`: one output is an input passed straight through, as in
// tfjs-node's model_multi_output (the .tflite may alias input and output).
Status passthrough_output(const std::string& root) {
  Rng r(88);
  Tf2Model m;
  int w = m.add_variable("w", "w", random_floats(r, {3}, -2, 2));
  Signature s;
  s.key = "serving_default";
  s.fn_name = "__call__";
  s.inputs = {{"x", DT_FLOAT, {3}}, {"y", DT_INT32, {3}}};
  s.outputs = {{"output_0", DT_FLOAT, {3}}, {"output_1", DT_INT32, {3}}};
  s.body = [w](Body& b) {
    std::string prod = b.op("Mul", "mul", {b.arg(0), b.read(w, "mul/ReadVariableOp")}, {{"T", kF}});
    return std::vector<std::string>{prod, b.arg(1)};
  };
  m.add_signature(s);
  RunSpec run{"serving_default",
              {{"x", random_floats(r, {3}, -1, 1)}, {"y", random_ints(r, DT_INT32, {3}, -50, 50)}},
              {{s.outputs[0], {3}}, {s.outputs[1], {3}}}};
  return write_tf2_case(root, "passthrough_output", m, {}, {run}, "output_1 is the input y itself");
}

// ---- (f) tf1_style ---------------------------------------------------------------
// A TF1 SavedModelBuilder export like serving's half_plus_three: VariableV2
// with Assign initializers (values that differ from the checkpoint), a Saver
// sub-graph, variables collections, "x:0" -> "y:0" signatures.
Status tf1_style(const std::string& root) {
  Rng r(66);
  const std::string dir = root + "/tf1_style";
  struct Var {
    std::string name;
    Value init, saved;
  };
  std::vector<Var> vars = {{"a", float_value({}, {0.0f}), float_value({}, {r.uniform(0.5f, 2.0f)})},
                           {"b", float_value({3}, {0, 0, 0}), random_floats(r, {3}, -3, 3)},
                           {"c", float_value({}, {0.0f}), float_value({}, {r.uniform(-3.0f, 3.0f)})}};
  tensorflow::SavedModel sm;
  sm.set_saved_model_schema_version(1);
  auto* mg = sm.add_meta_graphs();
  auto* info = mg->mutable_meta_info_def();
  info->add_tags("serve");
  info->set_tensorflow_version("1.15.5");
  info->set_tensorflow_git_version("tflite_convert tests/saved_model generator");
  auto* g = mg->mutable_graph_def();
  auto* nodes = g->mutable_node();
  for (const Var& v : vars) {
    std::vector<int64_t> shape = v.init.shape;
    tensorflow::AttrValue cls;
    cls.mutable_list()->add_s("loc:@" + v.name);
    add_node(nodes, v.name + "/initial_value", "Const", {},
             {{"_output_shapes", a_shapes({shape})}, {"dtype", kF}, {"value", a_tensor(v.init)}});
    add_node(nodes, v.name, "VariableV2", {},
             {{"_output_shapes", a_shapes({shape})},
              {"container", a_s("")},
              {"dtype", kF},
              {"shape", a_shape(shape)},
              {"shared_name", a_s("")}});
    add_node(nodes, v.name + "/Assign", "Assign", {v.name, v.name + "/initial_value"},
             {{"T", kF},
              {"_class", cls},
              {"_output_shapes", a_shapes({shape})},
              {"use_locking", a_b(true)},
              {"validate_shape", a_b(true)}});
    add_node(nodes, v.name + "/read", "Identity", {v.name},
             {{"T", kF}, {"_class", cls}, {"_output_shapes", a_shapes({shape})}});
    tensorflow::VariableDef vd;
    vd.set_variable_name(v.name + ":0");
    vd.set_initial_value_name(v.name + "/initial_value:0");
    vd.set_initializer_name(v.name + "/Assign");
    vd.set_snapshot_name(v.name + "/read:0");
    vd.set_trainable(true);
    for (const char* col : {"variables", "trainable_variables"})
      (*mg->mutable_collection_def())[col].mutable_bytes_list()->add_value(vd.SerializeAsString());
  }
  auto ph = [&](const std::string& name) {
    add_node(nodes, name, "Placeholder", {},
             {{"_output_shapes", a_shapes({{-1, 3}})}, {"dtype", kF}, {"shape", a_shape({-1, 3})}});
  };
  auto out_shape = a_shapes({{-1, 3}});
  ph("x");
  add_node(nodes, "Mul", "Mul", {"a/read", "x"}, {{"T", kF}, {"_output_shapes", out_shape}});
  add_node(nodes, "y", "Add", {"Mul", "b/read"}, {{"T", kF}, {"_output_shapes", out_shape}});
  ph("x2");
  add_node(nodes, "Mul_1", "Mul", {"a/read", "x2"}, {{"T", kF}, {"_output_shapes", out_shape}});
  add_node(nodes, "y3", "Add", {"Mul_1", "c/read"}, {{"T", kF}, {"_output_shapes", out_shape}});
  add_node(nodes, "init", "NoOp", {"^a/Assign", "^b/Assign", "^c/Assign"});
  add_node(nodes, "group_deps", "NoOp", {});
  // tf.compat.v1.train.Saver (sharded=False, V2 format).
  auto str_const = [&](const std::string& name, const std::vector<std::string>& vals, bool vec) {
    auto* n = add_node(nodes, name, "Const", {}, {{"dtype", a_type(tensorflow::DT_STRING)}});
    auto* t = (*n->mutable_attr())["value"].mutable_tensor();
    t->set_dtype(tensorflow::DT_STRING);
    if (vec) t->mutable_tensor_shape()->add_dim()->set_size(static_cast<int64_t>(vals.size()));
    else t->mutable_tensor_shape();
    for (const auto& v : vals) t->add_string_val(v);
  };
  str_const("save/filename/input", {"model"}, false);
  add_node(nodes, "save/filename", "PlaceholderWithDefault", {"save/filename/input"},
           {{"dtype", a_type(tensorflow::DT_STRING)}, {"shape", a_shape({})}});
  add_node(nodes, "save/Const", "PlaceholderWithDefault", {"save/filename"},
           {{"dtype", a_type(tensorflow::DT_STRING)}, {"shape", a_shape({})}});
  str_const("save/SaveV2/tensor_names", {"a", "b", "c"}, true);
  str_const("save/SaveV2/shape_and_slices", {"", "", ""}, true);
  add_node(nodes, "save/SaveV2", "SaveV2",
           {"save/Const", "save/SaveV2/tensor_names", "save/SaveV2/shape_and_slices", "a", "b", "c"},
           {{"dtypes", a_types({DT_FLOAT, DT_FLOAT, DT_FLOAT})}});
  add_node(nodes, "save/control_dependency", "Identity", {"save/Const", "^save/SaveV2"},
           {{"T", a_type(tensorflow::DT_STRING)}});
  str_const("save/RestoreV2/tensor_names", {"a", "b", "c"}, true);
  str_const("save/RestoreV2/shape_and_slices", {"", "", ""}, true);
  add_node(nodes, "save/RestoreV2", "RestoreV2",
           {"save/Const", "save/RestoreV2/tensor_names", "save/RestoreV2/shape_and_slices"},
           {{"dtypes", a_types({DT_FLOAT, DT_FLOAT, DT_FLOAT})}});
  std::vector<std::string> assigns;
  for (size_t k = 0; k < vars.size(); ++k) {
    std::string n = k == 0 ? "save/Assign" : "save/Assign_" + std::to_string(k);
    std::string src = k == 0 ? "save/RestoreV2" : "save/RestoreV2:" + std::to_string(k);
    add_node(nodes, n, "Assign", {vars[k].name, src},
             {{"T", kF}, {"use_locking", a_b(true)}, {"validate_shape", a_b(true)}});
    assigns.push_back("^" + n);
  }
  add_node(nodes, "save/restore_all", "NoOp", assigns);
  g->mutable_versions()->set_producer(134);
  auto* saver = mg->mutable_saver_def();
  saver->set_filename_tensor_name("save/Const:0");
  saver->set_save_tensor_name("save/control_dependency:0");
  saver->set_restore_op_name("save/restore_all");
  saver->set_max_to_keep(5);
  saver->set_keep_checkpoint_every_n_hours(10000);
  saver->set_version(tensorflow::SaverDef::V2);
  (*mg->mutable_collection_def())["saved_model_main_op"].mutable_node_list()->add_value("group_deps");
  auto sig = [&](const std::string& key, const std::string& in_key, const std::string& in,
                 const std::string& out_key, const std::string& out, const std::string& method) {
    tensorflow::SignatureDef sd;
    auto& i = (*sd.mutable_inputs())[in_key];
    i.set_name(in + ":0");
    i.set_dtype(DT_FLOAT);
    *i.mutable_tensor_shape() = shape_proto({-1, 3});
    auto& o = (*sd.mutable_outputs())[out_key];
    o.set_name(out + ":0");
    o.set_dtype(DT_FLOAT);
    *o.mutable_tensor_shape() = shape_proto({-1, 3});
    sd.set_method_name(method);
    (*mg->mutable_signature_def())[key] = sd;
  };
  sig("serving_default", "x", "x", "y", "y", "tensorflow/serving/predict");
  sig("x2_to_y3", "inputs", "x2", "outputs", "y3", "tensorflow/serving/regress");
  add_stripped_ops(*g, info->mutable_stripped_op_list());
  RETURN_IF_ERROR(write_proto(dir + "/saved_model.pb", sm));
  std::vector<tflc::NamedTensor> ckpt;
  for (const Var& v : vars) ckpt.push_back(v.saved.named(v.name));  // TF1 keys are the variable names
  RETURN_IF_ERROR(tflc::write_tensor_bundle(dir + "/variables/variables", ckpt));

  // Frozen graphs: the saved values as Consts.
  auto frozen = [&](const std::string& in_key, const std::string& out_key, const Var& add) {
    tensorflow::GraphDef fg;
    auto* n = fg.mutable_node();
    add_node(n, in_key, "Placeholder", {}, {{"dtype", kF}, {"shape", a_shape({-1, 3})}});
    add_node(n, "a", "Const", {}, {{"dtype", kF}, {"value", a_tensor(vars[0].saved)}});
    add_node(n, add.name, "Const", {}, {{"dtype", kF}, {"value", a_tensor(add.saved)}});
    add_node(n, "Mul", "Mul", {"a", in_key}, {{"T", kF}});
    add_node(n, "Add", "Add", {"Mul", add.name}, {{"T", kF}});
    add_node(n, out_key, "Identity", {"Add"}, {{"T", kF}});
    fg.mutable_versions()->set_producer(134);
    return fg;
  };
  RETURN_IF_ERROR(write_proto(dir + "/serving_default.frozen.pb", frozen("x", "y", vars[1])));
  RETURN_IF_ERROR(write_proto(dir + "/x2_to_y3.frozen.pb", frozen("inputs", "outputs", vars[2])));
  TensorSpec y{"y", DT_FLOAT, {-1, 3}}, y3{"outputs", DT_FLOAT, {-1, 3}};
  RunSpec r1{"serving_default", {{"x", random_floats(r, {1, 3}, -1, 1)}}, {{y, {1, 3}}}, {{-1, 3}}};
  RunSpec r2{"x2_to_y3", {{"inputs", random_floats(r, {1, 3}, -1, 1)}}, {{y3, {1, 3}}}, {{-1, 3}}};
  return write_case_json(dir, Json::object()
                                  .set("name", "tf1_style")
                                  .set("kind", "tf1")
                                  .set("saved_model_dir", ".")
                                  .set("flags", flags_json({"--saved_model_signature_key=serving_default,x2_to_y3"}))
                                  .set("expect", "convert")
                                  .set("notes",
                                       "TF1: VariableV2 + Assign initializers (initial values 0, the checkpoint holds "
                                       "others), Saver nodes, y = a*x + b and y3 = a*x2 + c")
                                  .set("signatures", Json::object()
                                                         .set("serving_default", signature_json(r1))
                                                         .set("x2_to_y3", signature_json(r2))));
}

// ---- bad/ ------------------------------------------------------------------------
// Inputs the converter must reject: non-zero exit, no output file, and an
// error that matches `error_match` (a case-insensitive regex; every entry of
// `error_contains` must appear too).
Status bad_case(const std::string& dir, const std::string& name, const std::string& model_dir,
                const std::vector<std::string>& flags, const std::string& match,
                const std::vector<std::string>& contains, const std::string& notes) {
  Json c = Json::array();
  for (const auto& s : contains) c.push(s);
  return write_case_json(dir, Json::object()
                                  .set("name", "bad/" + name)
                                  .set("kind", "bad")
                                  .set("saved_model_dir", model_dir)
                                  .set("flags", flags_json(flags))
                                  .set("expect", "error")
                                  .set("error_match", match)
                                  .set("error_contains", c)
                                  .set("notes", notes));
}

Status flip_last_byte(const std::string& path) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(-1, std::ios::end);
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x5a);
  f.seekp(-1, std::ios::end);
  f.write(&c, 1);
  if (!f) return tflc::invalid_input("cannot modify '" + path + "'");
  return tflc::ok_status();
}

Status bad_cases(const std::string& root) {
  const std::string bad = root + "/bad";
  const std::vector<std::string> scale = {"--saved_model_signature_key=scale"};
  {
    Rng r(22);
    Tf2Model m = two_signatures_model(r);
    std::string d = bad + "/missing_variables";
    RETURN_IF_ERROR(write_proto(d + "/saved_model.pb", m.saved_model()));
    RETURN_IF_ERROR(bad_case(d, "missing_variables", ".", scale, "variables", {},
                             "TF2 model whose signature reads w, without its variables/ folder"));
  }
  {
    Rng r(22);
    Tf2Model m = two_signatures_model(r);
    std::string d = bad + "/truncated_index";
    RETURN_IF_ERROR(m.write(d));
    std::string idx = d + "/variables/variables.index";
    std::filesystem::resize_file(idx, std::filesystem::file_size(idx) / 2);
    RETURN_IF_ERROR(bad_case(d, "truncated_index", ".", scale, "variables\\.index|checkpoint|truncated|corrupt", {},
                             "variables.index cut to half its size"));
  }
  {
    Rng r(22);
    Tf2Model m = two_signatures_model(r);
    std::string d = bad + "/flipped_data_byte";
    RETURN_IF_ERROR(m.write(d));
    // The data shard holds entries in key order; the last bytes are w's.
    RETURN_IF_ERROR(flip_last_byte(d + "/variables/variables.data-00000-of-00001"));
    RETURN_IF_ERROR(bad_case(d, "flipped_data_byte", ".", scale, "checksum|crc|corrupt", {},
                             "one byte of w's data flipped: its CRC-32C no longer matches"));
  }
  RETURN_IF_ERROR(bad_case(bad + "/wrong_tag_set", "wrong_tag_set", "../../two_signatures",
                           {"--saved_model_tag_set=train", "--saved_model_signature_key=scale"}, "tag",
                           {"train"}, "two_signatures has only the 'serve' MetaGraph"));
  RETURN_IF_ERROR(bad_case(bad + "/unknown_signature", "unknown_signature", "../../two_signatures",
                           {"--saved_model_signature_key=no_such_signature"}, "signature", {"no_such_signature"},
                           "two_signatures has add_one and scale"));
  {
    // A tf.Module counter: the signature assigns to its variable, which a
    // TFLite model (constant weights) cannot express.
    Rng r(77);
    Tf2Model m;
    int v = m.add_variable("counter", "counter", float_value({}, {0.0f}));
    Signature s;
    s.key = "increment";
    s.fn_name = "increment";
    s.inputs = {{"delta", DT_FLOAT, {}}};
    s.outputs = {{"output_0", DT_FLOAT, {}}};
    s.body = [v](Body& b) {
      b.resource_op("AssignAddVariableOp", "AssignAddVariableOp", v, {b.arg(0)});
      // tf.function orders the read after the assign (automatic control deps).
      return std::vector<std::string>{b.read(v, "ReadVariableOp", {"^AssignAddVariableOp"})};
    };
    m.add_signature(s);
    std::string d = bad + "/stateful_counter";
    RETURN_IF_ERROR(m.write(d));
    RETURN_IF_ERROR(bad_case(d, "stateful_counter", ".", {"--saved_model_signature_key=increment"},
                             "AssignAddVariableOp", {"increment", "AssignAddVariableOp"},
                             "the signature adds to its variable (AssignAddVariableOp)"));
  }
  return tflc::ok_status();
}

int generate(const std::string& root) {
  std::error_code ec;
  fs::create_directories(root, ec);
  struct Gen {
    const char* name;
    Status (*fn)(const std::string&);
  };
  const Gen gens[] = {{"conv_dense", conv_dense},       {"two_signatures", two_signatures},
                      {"int_inputs", int_inputs},       {"dynamic_batch", dynamic_batch},
                      {"shared_variable", shared_variable}, {"passthrough_output", passthrough_output},
                      {"tf1_style", tf1_style},
                      {"bad", bad_cases}};
  for (const Gen& g : gens) {
    fs::remove_all(root + "/" + g.name, ec);
    Status st = g.fn(root);
    if (!st.ok()) {
      std::fprintf(stderr, "make_saved_models: %s: %s\n", g.name, st.message().c_str());
      return 1;
    }
    std::printf("wrote %s/%s\n", root.c_str(), g.name);
  }
  return check_cases(root);
}

}  // namespace
}  // namespace smgen

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 2 && args[0] == "--check") return smgen::check_cases(args[1]);
  if (args.size() != 1 || args[0].rfind("--", 0) == 0) {
    std::fprintf(stderr, "usage: make_saved_models OUT_DIR\n       make_saved_models --check OUT_DIR\n");
    return 2;
  }
  return smgen::generate(args[0]);
}
