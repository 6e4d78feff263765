// Small hand-built IF/WHILE bodies shared by the control-flow unit tests.
// Tensor names start with `prefix` ("" or e.g. "cond/").
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "ops/op_util.h"

namespace tflc {
namespace test {

inline TensorId value(Graph& g, const std::string& name, DType dtype = DType::kFloat32, Shape shape = {2}) {
  Tensor t;
  t.name = name;
  t.dtype = dtype;
  t.shape = std::move(shape);
  return g.add_tensor(std::move(t));
}

inline std::shared_ptr<Graph> body(const std::string& name) {
  auto g = std::make_shared<Graph>();
  g->name = name;
  g->role = SubgraphRole::kBody;
  return g;
}

// cond(i, acc) = i < 3
inline std::shared_ptr<Graph> count_cond(const std::string& name, const std::string& prefix) {
  auto g = body(name);
  TensorId i = value(*g, prefix + "i", DType::kInt32, {}), acc = value(*g, prefix + "acc");
  TensorId three = g->add_const(prefix + "three", DType::kInt32, {}, to_bytes(std::vector<int32_t>{3}));
  TensorId r = value(*g, prefix + "less", DType::kBool, {});
  g->add_op(OpCode::LESS, {i, three}, {r});
  g->inputs = {i, acc};
  g->outputs = {r};
  return g;
}

// step(i, acc) = (i + 1, acc * 2)
inline std::shared_ptr<Graph> double_step(const std::string& name, const std::string& prefix) {
  auto g = body(name);
  TensorId i = value(*g, prefix + "i", DType::kInt32, {}), acc = value(*g, prefix + "acc");
  TensorId one = g->add_const(prefix + "one", DType::kInt32, {}, to_bytes(std::vector<int32_t>{1}));
  TensorId two = g->add_const(prefix + "two", DType::kFloat32, {}, to_bytes(std::vector<float>{2}));
  TensorId i1 = value(*g, prefix + "i1", DType::kInt32, {}), acc2 = value(*g, prefix + "acc2");
  g->add_op(OpCode::ADD, {i, one}, {i1});
  g->add_op(OpCode::MUL, {acc, two}, {acc2});
  g->inputs = {i, acc};
  g->outputs = {i1, acc2};
  return g;
}

// branch(v) = v + 1 (ADD) or v - 1 (SUB); the input is prefix + `in`.
inline std::shared_ptr<Graph> one_branch(const std::string& name, OpCode code, const std::string& prefix,
                                         const std::string& in) {
  auto g = body(name);
  TensorId v = value(*g, prefix + in);
  TensorId one = g->add_const(prefix + "one", DType::kFloat32, {}, to_bytes(std::vector<float>{1}));
  TensorId r = value(*g, prefix + "r");
  g->add_op(code, {v, one}, {r});
  g->inputs = {v};
  g->outputs = {r};
  return g;
}

}  // namespace test
}  // namespace tflc
