// Writes a frozen GraphDef MLP whose MatMul weights total about N MB, for the
// conversion benchmarks: input [1,1024] -> (MatMul 1024x1024 + BiasAdd + Relu) x k.
// usage: make_synthetic_graph MEGABYTES OUT.pb
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "tensorflow/core/framework/graph.pb.h"

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

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_synthetic_graph MEGABYTES OUT.pb\n");
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
  std::ofstream out(argv[2], std::ios::binary);
  if (!out || !g.SerializeToOstream(&out)) {
    std::fprintf(stderr, "cannot write %s\n", argv[2]);
    return 1;
  }
  std::printf("wrote %s: %d layers, %.1f MB of weights\n", argv[2], layers, layers * (width * width * 4.0) / 1048576);
  return 0;
}
