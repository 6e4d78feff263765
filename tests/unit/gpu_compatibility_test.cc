// The GPU delegate rules (tflite/gpu_compatibility.cc) on a model built in
// memory and written by the writer: which ops fall back to the CPU, with
// TF's wording, and the per-subgraph summary of tflite_analyze.
#include <gtest/gtest.h>

#include <string>

#include "ops/op_util.h"
#include "tflite/analyzer.h"
#include "tflite/writer.h"

namespace tflc {
namespace {

TensorId value(Graph& g, const std::string& name, DType dtype, Shape shape) {
  Tensor t;
  t.name = name;
  t.dtype = dtype;
  t.shape = std::move(shape);
  return g.add_tensor(std::move(t));
}

// x[1,4,4,2] -> CONV_2D (stride 1) -> r; softmax(beta 0.5); CAST int32->int8;
// ADD with a broadcast GPU takes; MUL of [1,4,1] by [1,1,4] (both smaller
// somewhere); GATHER of int32 params; a FlexUnique custom op.
std::string model_bytes(bool only_good) {
  Model m;
  m.source_format = "graphdef";
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  TensorId x = value(g, "x", DType::kFloat32, {1, 4, 4, 2});
  TensorId w = g.add_const("w", DType::kFloat32, {3, 1, 1, 2}, to_bytes(std::vector<float>(6, 0.5f)));
  TensorId b = g.add_const("b", DType::kFloat32, {3}, to_bytes(std::vector<float>(3, 0.f)));
  TensorId conv = value(g, "conv", DType::kFloat32, {1, 4, 4, 3});
  tflite::Conv2DOptionsT co;
  co.stride_w = co.stride_h = 1;
  g.add_op(OpCode::CONV_2D, {x, w, b}, {conv}, co, "conv");
  TensorId bias = g.add_const("bias", DType::kFloat32, {3}, to_bytes(std::vector<float>(3, 1.f)));
  TensorId sum = value(g, "sum", DType::kFloat32, {1, 4, 4, 3});
  g.add_op(OpCode::ADD, {conv, bias}, {sum}, tflite::AddOptionsT{}, "add");
  g.outputs.push_back(sum);
  if (!only_good) {
    TensorId sm = value(g, "sm", DType::kFloat32, {1, 4, 4, 3});
    tflite::SoftmaxOptionsT so;
    so.beta = 0.5f;
    g.add_op(OpCode::SOFTMAX, {sum, }, {sm}, so, "softmax");
    g.outputs.push_back(sm);
    TensorId i = value(g, "i", DType::kInt32, {4});
    TensorId i8 = value(g, "i8", DType::kInt8, {4});
    tflite::CastOptionsT cast;
    cast.in_data_type = tflite::TensorType::INT32;
    cast.out_data_type = tflite::TensorType::INT8;
    g.add_op(OpCode::CAST, {i}, {i8}, cast, "cast");
    g.outputs.push_back(i8);
    TensorId p = value(g, "p", DType::kFloat32, {1, 4, 1});
    TensorId q = value(g, "q", DType::kFloat32, {1, 1, 4});
    TensorId pq = value(g, "pq", DType::kFloat32, {1, 4, 4});
    g.add_op(OpCode::MUL, {p, q}, {pq}, tflite::MulOptionsT{}, "mul");
    g.outputs.push_back(pq);
    TensorId idx = g.add_const("idx", DType::kInt32, {2}, to_bytes(std::vector<int32_t>{0, 1}));
    TensorId gathered = value(g, "gathered", DType::kInt32, {2});
    g.add_op(OpCode::GATHER, {i, idx}, {gathered}, tflite::GatherOptionsT{}, "gather");
    g.outputs.push_back(gathered);
    TensorId u = value(g, "u", DType::kFloat32, {4});
    Op& flex = g.add_op(OpCode::CUSTOM, {p}, {u}, {}, "unique");
    flex.custom_code = "FlexUnique";
    g.outputs.push_back(u);
    g.inputs = {x, i, p, q};
  } else {
    g.inputs = {x};
  }
  SignatureDef s;
  for (TensorId t : g.inputs) s.inputs.push_back({g.t(t).name, t});
  for (TensorId t : g.outputs) s.outputs.push_back({g.t(t).name, t});
  m.signatures.push_back(s);
  auto bytes = write_tflite(m, {});
  EXPECT_TRUE(bytes.ok()) << bytes.status().message();
  return bytes.ok() ? *bytes : std::string();
}

std::string analyze(const std::string& bytes) {
  AnalyzeOptions o;
  o.gpu_compatibility = true;
  o.show_buffers = false;
  auto r = analyze_tflite(bytes, o);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : std::string();
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(GpuCompatibility, CompatibleModelSaysSo) {
  std::string report = analyze(model_bytes(true));
  EXPECT_FALSE(has(report, "GPU COMPATIBILITY WARNING")) << report;
  EXPECT_TRUE(has(report, "Your model looks compatible with GPU delegate")) << report;
}

TEST(GpuCompatibility, NamesEachOpThatFallsBack) {
  std::string report = analyze(model_bytes(false));
  EXPECT_TRUE(has(report, "GPU COMPATIBILITY WARNING: Softmax.beta != 1 is not supported.\n")) << report;
  EXPECT_TRUE(has(report, "GPU COMPATIBILITY WARNING: Not supported Cast case. Input type: INT32 and output type: INT8\n"))
      << report;
  EXPECT_TRUE(has(report, "GPU COMPATIBILITY WARNING: MUL requires one tensor that not less than second in all dimensions.\n"))
      << report;
  EXPECT_TRUE(has(report, "GPU COMPATIBILITY WARNING: Does not accept INT32 input.\n")) << report;
  EXPECT_TRUE(has(report, "GPU COMPATIBILITY WARNING: Not supported custom op FlexUnique\n")) << report;
  // Ops 0 (CONV_2D) and 1 (ADD with a [3] bias) are taken; the rest are not.
  EXPECT_TRUE(has(report, "Subgraph#0 has GPU delegate compatibility issues at nodes 2, 3, 4, 5, 6 with")) << report;
  EXPECT_FALSE(has(report, "Your model looks compatible")) << report;
  // Each warning follows its op's line.
  size_t softmax = report.find("Op#2 SOFTMAX");
  ASSERT_NE(softmax, std::string::npos) << report;
  EXPECT_EQ(report.find("GPU COMPATIBILITY WARNING", softmax), report.find('\n', softmax) + 1) << report;
}

TEST(GpuCompatibility, OffByDefault) {
  AnalyzeOptions o;
  auto r = analyze_tflite(model_bytes(false), o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(has(*r, "GPU COMPATIBILITY")) << *r;
}

}  // namespace
}  // namespace tflc
