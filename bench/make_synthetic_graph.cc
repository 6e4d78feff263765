// Writes a frozen GraphDef MLP whose MatMul weights total about N MB, for the
// conversion benchmarks: input [1,1024] -> (MatMul 1024x1024 + BiasAdd + Relu) x k.
// With --saved_model, writes the same MLP as a TF1 SavedModel folder whose
// weights are VariableV2 nodes stored in variables/ (a tensor bundle).
// usage: make_synthetic_graph MEGABYTES OUT.pb | --saved_model MEGABYTES OUT_DIR
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "frontends/saved_model/tensor_bundle_writer.h"
#include "tensorflow/core/framework/graph.pb.h"
#include "tensorflow/core/protobuf/saved_model.pb.h"

namespace {

void set_type(tensorflow::NodeDef* n, const char* key, tensorflow::DataType t) {
  (*n->mutable_attr())[key].set_type(t);
}

void add_const(tensorflow::GraphDef& g, const std::string& name, int rows, int cols, uint32_t seed) {
  auto* n = g.add_node();
  n->set_name(name);
  n->set_op("Const");
  set_type(n, "dtype", tensorflow::DT_FLOAT);
  auto* t = (*n->mutable_attr())["value"].mutable_tensor();
  t->set_dtype(tensorflow::DT_FLOAT);
  if (rows > 0) t->mutable_tensor_shape()->add_dim()->set_size(rows);
  t->mutable_tensor_shape()->add_dim()->set_size(cols);
  size_t count = static_cast<size_t>(rows > 0 ? rows : 1) * cols;
  std::string bytes(count * 4, '\0');
  float* f = reinterpret_cast<float*>(bytes.data());
  for (size_t i = 0; i < count; ++i) {
    seed = seed * 1664525u + 1013904223u;  // deterministic LCG
    f[i] = (static_cast<float>(seed >> 8) / 16777216.0f - 0.5f) * 0.06f;
  }
  t->set_tensor_content(std::move(bytes));
}

}  // namespace

// Turns each weight Const into a VariableV2 and returns the weights.
std::vector<tflc::NamedTensor> to_variables(tensorflow::GraphDef& g) {
  std::vector<tflc::NamedTensor> vars;
  for (auto& n : *g.mutable_node()) {
    if (n.op() != "Const") continue;
    auto& t = *(*n.mutable_attr())["value"].mutable_tensor();
    tflc::NamedTensor v;
    v.name = n.name();
    v.dtype = tflc::DType::kFloat32;
    for (const auto& d : t.tensor_shape().dim()) v.shape.push_back(d.size());
    v.bytes = std::move(*t.mutable_tensor_content());
    auto shape = t.tensor_shape();
    n.set_op("VariableV2");
    n.clear_attr();
    (*n.mutable_attr())["dtype"].set_type(tensorflow::DT_FLOAT);
    *(*n.mutable_attr())["shape"].mutable_shape() = shape;
    vars.push_back(std::move(v));
  }
  return vars;
}

int main(int argc, char** argv) {
  bool saved_model = argc == 4 && std::string(argv[1]) == "--saved_model";
  if (saved_model) {
    argv[1] = argv[2];
    argv[2] = argv[3];
  } else if (argc != 3) {
    std::fprintf(stderr, "usage: make_synthetic_graph MEGABYTES OUT.pb | --saved_model MEGABYTES OUT_DIR\n");
    return 2;
  }
  const int width = 1024;
  long mb = std::atol(argv[1]);
  int layers = static_cast<int>(std::max(1L, mb * 1024 * 1024 / (width * width * 4)));
  tensorflow::GraphDef g;
  auto* in = g.add_node();
  in->set_name("input");
  in->set_op("Placeholder");
  set_type(in, "dtype", tensorflow::DT_FLOAT);
  auto* shape = (*in->mutable_attr())["shape"].mutable_shape();
  shape->add_dim()->set_size(1);
  shape->add_dim()->set_size(width);
  std::string prev = "input";
  for (int i = 0; i < layers; ++i) {
    std::string p = "layer" + std::to_string(i);
    add_const(g, p + "/w", width, width, 17u + i);
    add_const(g, p + "/b", 0, width, 91u + i);
    auto* mm = g.add_node();
    mm->set_name(p + "/MatMul");
    mm->set_op("MatMul");
    mm->add_input(prev);
    mm->add_input(p + "/w");
    set_type(mm, "T", tensorflow::DT_FLOAT);
    auto* ba = g.add_node();
    ba->set_name(p + "/BiasAdd");
    ba->set_op("BiasAdd");
    ba->add_input(p + "/MatMul");
    ba->add_input(p + "/b");
    set_type(ba, "T", tensorflow::DT_FLOAT);
    auto* r = g.add_node();
    r->set_name(p + "/Relu");
    r->set_op("Relu");
    r->add_input(p + "/BiasAdd");
    set_type(r, "T", tensorflow::DT_FLOAT);
    prev = p + "/Relu";
  }
  if (saved_model) {
    std::string dir = argv[2];
    auto vars = to_variables(g);
    tflc::Status st = tflc::write_tensor_bundle(dir + "/variables/variables", vars);
    if (!st.ok()) {
      std::fprintf(stderr, "%s\n", st.message().c_str());
      return 1;
    }
    tensorflow::SavedModel sm;
    auto* mg = sm.add_meta_graphs();
    mg->mutable_meta_info_def()->add_tags("serve");
    *mg->mutable_graph_def() = std::move(g);
    auto& sig = (*mg->mutable_signature_def())["serving_default"];
    sig.set_method_name("tensorflow/serving/predict");
    auto& in = (*sig.mutable_inputs())["x"];
    in.set_name("input:0");
    in.set_dtype(tensorflow::DT_FLOAT);
    auto& out = (*sig.mutable_outputs())["y"];
    out.set_name(prev + ":0");
    out.set_dtype(tensorflow::DT_FLOAT);
    std::ofstream f(dir + "/saved_model.pb", std::ios::binary);
    if (!f || !sm.SerializeToOstream(&f)) {
      std::fprintf(stderr, "cannot write %s/saved_model.pb\n", dir.c_str());
      return 1;
    }
    std::printf("wrote %s: %d layers, %.1f MB of variables\n", dir.c_str(), layers, layers * (width * width * 4.0) / 1048576);
    return 0;
  }
  std::ofstream out(argv[2], std::ios::binary);
  if (!out || !g.SerializeToOstream(&out)) {
    std::fprintf(stderr, "cannot write %s\n", argv[2]);
    return 1;
  }
  std::printf("wrote %s: %d layers, %.1f MB of weights\n", argv[2], layers, layers * (width * width * 4.0) / 1048576);
  return 0;
}
