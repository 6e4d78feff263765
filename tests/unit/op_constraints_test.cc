// The op records' kernel constraints as IrBuilder applies them to what the
// frontends emit: one case per constraint class, each through a frontend's
// public entry point (GraphDef import, the Keras layer table) or IrBuilder
// itself. An op on types or at a broadcast rank its kernel lacks is
// legalized exactly (a widening CAST, an explicit BROADCAST_TO) and the
// result checked with our reference kernels, or refused by name; it is never
// left in the graph as it was.
#include <gtest/gtest.h>
#include <google/protobuf/text_format.h>

#include <cstring>

#include "frontends/graphdef/import.h"
#include "frontends/keras/layer_registry.h"
#include "ops/constraints.h"
#include "ops/ir_builder.h"

namespace tflc {
namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// ------------------------------------------------------------ GraphDef text

Expected<Model> import_text(const std::string& pbtxt) {
  tensorflow::GraphDef gd;
  if (!google::protobuf::TextFormat::ParseFromString(pbtxt, &gd)) return invalid_input("bad pbtxt");
  return import_graphdef(gd, {});
}

std::string dims(const Shape& s) {
  std::string r;
  for (int64_t d : s) r += "dim { size: " + std::to_string(d) + " } ";
  return r;
}

std::string placeholder(const std::string& name, const std::string& dtype, const Shape& shape) {
  return "node { name: '" + name + "' op: 'Placeholder' attr { key: 'dtype' value { type: " + dtype +
         " } } attr { key: 'shape' value { shape { " + dims(shape) + "} } } }\n";
}

std::string node(const std::string& name, const std::string& op, const std::vector<std::string>& inputs) {
  std::string s = "node { name: '" + name + "' op: '" + op + "' ";
  for (const auto& i : inputs) s += "input: '" + i + "' ";
  return s + "}\n";
}

std::vector<const Op*> live_ops(const Graph& g) {
  std::vector<const Op*> r;
  for (const auto& op : g.ops)
    if (!op->dead) r.push_back(op.get());
  return r;
}

std::vector<std::string> live_names(const Graph& g) {
  std::vector<std::string> r;
  for (const Op* op : live_ops(g)) r.push_back(op_name(op->code));
  return r;
}

// Feeds the graph inputs and runs every live op with our reference kernels;
// returns output 0's bytes.
std::string run(Graph& g, const std::vector<std::string>& inputs) {
  for (size_t i = 0; i < inputs.size() && i < g.inputs.size(); ++i) g.t(g.inputs[i]).data = make_buffer(inputs[i]);
  for (auto& op : g.ops) {
    if (op->dead) continue;
    const OpSchema* s = find_op(op->code);
    EXPECT_TRUE(s && s->eval) << op_name(op->code);
    if (!s || !s->eval) return {};
    Status st = s->eval(g, *op);
    EXPECT_TRUE(st.ok()) << op_name(op->code) << ": " << st.message();
  }
  const Tensor& out = g.t(g.outputs.at(0));
  return out.data ? *out.data : std::string();
}

template <typename T>
std::vector<T> values(const std::string& bytes) {
  std::vector<T> v(bytes.size() / sizeof(T));
  std::memcpy(v.data(), bytes.data(), v.size() * sizeof(T));
  return v;
}

// ------------------------------------------------------------ operand types

// A comparison on a narrow integer type: TFLite's LESS has no plain int8
// kernel (its int8 form rescales quantized values), so both operands are
// widened to int32 by CAST, which compares the same values.
TEST(OpConstraints, NarrowIntComparisonIsWidenedByCast) {
  auto m = import_text(placeholder("x", "DT_INT8", {4}) + placeholder("y", "DT_INT8", {4}) +
                       node("out", "Less", {"x", "y"}));
  ASSERT_TRUE(m.ok()) << m.status().message();
  Graph& g = m->subgraphs[0];
  EXPECT_EQ(live_names(g), (std::vector<std::string>{"CAST", "CAST", "LESS"}));
  const Op* less = live_ops(g).back();
  EXPECT_EQ(g.t(less->inputs[0]).dtype, DType::kInt32);
  EXPECT_EQ(g.t(less->inputs[1]).dtype, DType::kInt32);
  EXPECT_EQ(op_version(g, *less), 1);
  const Tensor& out = g.t(g.outputs[0]);
  EXPECT_EQ(out.name, "out");
  EXPECT_EQ(out.dtype, DType::kBool);
  std::vector<int8_t> x = {-128, -1, 0, 127}, y = {127, -1, 1, -128};
  EXPECT_EQ(values<uint8_t>(run(g, {to_bytes(x), to_bytes(y)})), (std::vector<uint8_t>{1, 0, 1, 0}));

  // int16 has a plain LESS kernel (version 3): no CAST.
  auto w = import_text(placeholder("x", "DT_INT16", {4}) + placeholder("y", "DT_INT16", {4}) +
                       node("out", "Less", {"x", "y"}));
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_EQ(live_names(w->subgraphs[0]), (std::vector<std::string>{"LESS"}));
  EXPECT_EQ(op_version(w->subgraphs[0], *live_ops(w->subgraphs[0]).back()), 3);
}

// MAXIMUM has no uint16 kernel: int32 holds every uint16 value, and the
// maximum of the widened values cast back is the maximum itself. (Our
// reference kernels do not evaluate uint16, so the structure is checked.)
TEST(OpConstraints, MaximumOnUint16IsWidenedAndCastBack) {
  auto m = import_text(placeholder("x", "DT_UINT16", {3}) + placeholder("y", "DT_UINT16", {3}) +
                       node("out", "Maximum", {"x", "y"}));
  ASSERT_TRUE(m.ok()) << m.status().message();
  Graph& g = m->subgraphs[0];
  EXPECT_EQ(live_names(g), (std::vector<std::string>{"CAST", "CAST", "MAXIMUM", "CAST"}));
  std::vector<const Op*> ops = live_ops(g);
  EXPECT_EQ(g.t(ops[0]->inputs[0]).name, "x");
  EXPECT_EQ(g.t(ops[1]->inputs[0]).name, "y");
  EXPECT_EQ(g.t(ops[2]->inputs[0]).dtype, DType::kInt32);
  EXPECT_EQ(g.t(ops[2]->outputs[0]).dtype, DType::kInt32);
  EXPECT_EQ(ops[3]->inputs[0], ops[2]->outputs[0]);
  const Tensor& out = g.t(g.outputs[0]);
  EXPECT_EQ(ops[3]->outputs[0], g.outputs[0]);
  EXPECT_EQ(out.dtype, DType::kUInt16);
  EXPECT_EQ(out.name, "out");
  // MAXIMUM takes int8 as it is (maximum_minimum.cc, version 2): no CAST.
  auto i8 = import_text(placeholder("x", "DT_INT8", {3}) + placeholder("y", "DT_INT8", {3}) +
                        node("out", "Maximum", {"x", "y"}));
  ASSERT_TRUE(i8.ok()) << i8.status().message();
  EXPECT_EQ(live_names(i8->subgraphs[0]), (std::vector<std::string>{"MAXIMUM"}));
}

// A GraphDef op whose kernels lack the type and that no exact CAST fixes is
// refused, naming the TF op, the node, the type and the TFLite op.
TEST(OpConstraints, GraphDefOpOnUnsupportedTypeIsRefusedByName) {
  auto m = import_text(placeholder("x", "DT_INT64", {2}) + placeholder("y", "DT_INT64", {2}) +
                       node("quotient", "FloorDiv", {"x", "y"}));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().kind(), ErrorKind::kUnsupported);
  const std::string& msg = m.status().message();
  EXPECT_TRUE(contains(msg, "FloorDiv node 'quotient' on int64 tensors (TFLite FLOOR_DIV has no int64 kernel)"))
      << msg;
}

// Keras emits DIV on int64 inputs (a Keras 3 ops.divide): TFLite's DIV has
// no int64 kernel, and widening would not give integer division, so it is
// refused naming the layer; the op is not left in the graph.
TEST(OpConstraints, KerasDivOnInt64IsRefusedNamingTheLayer) {
  Graph g;
  auto input = [&](const std::string& name) {
    Tensor t;
    t.name = name;
    t.dtype = DType::kInt64;
    t.shape = {-1, 3};
    TensorId id = g.add_tensor(std::move(t));
    g.inputs.push_back(id);
    return id;
  };
  TensorId a = input("a"), b = input("b");
  KerasLowerFn fn = find_keras_layer("Divide");
  ASSERT_NE(fn, nullptr);
  const nlohmann::json config = nlohmann::json::object();
  const std::vector<KerasArray> weights;
  KerasLayerContext ctx(g, "ratio", "Divide", config, weights, {a, b}, kDefaultFoldBudget);
  auto r = fn(ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kUnsupported);
  EXPECT_TRUE(contains(r.status().message(), "Divide layer 'ratio' on int64 tensors (TFLite DIV has no int64 kernel)"))
      << r.status().message();
  EXPECT_TRUE(live_ops(g).empty()) << op_name(live_ops(g)[0]->code) << " left in the graph";
}

// Keras Maximum (merge layer) on uint16 goes through the same record as the
// GraphDef op: widened, computed, cast back.
TEST(OpConstraints, KerasMaximumOnUint16IsWidened) {
  Graph g;
  std::vector<TensorId> ins;
  for (const char* name : {"a", "b"}) {
    Tensor t;
    t.name = name;
    t.dtype = DType::kUInt16;
    t.shape = {2};
    ins.push_back(g.add_tensor(std::move(t)));
    g.inputs.push_back(ins.back());
  }
  const nlohmann::json config = nlohmann::json::object();
  const std::vector<KerasArray> weights;
  KerasLayerContext ctx(g, "max", "Maximum", config, weights, ins, kDefaultFoldBudget);
  auto r = find_keras_layer("Maximum")(ctx);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(live_names(g), (std::vector<std::string>{"CAST", "CAST", "MAXIMUM", "CAST"}));
  EXPECT_EQ(g.t(r->front()).dtype, DType::kUInt16);
}

// IrBuilder itself (any frontend): a float-only kernel on int32 is refused,
// naming the builder's scope; a constant op folds and needs no kernel.
TEST(OpConstraints, IrBuilderRefusesWhatNoKernelRuns) {
  Graph g;
  Tensor t;
  t.name = "x";
  t.dtype = DType::kInt32;
  t.shape = {2};
  TensorId x = g.add_tensor(std::move(t));
  IrBuilder b(g, "block/exp");
  auto r = b.emit1(OpCode::EXP, {x});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "not supported yet: 'block/exp' on int32 tensors (TFLite EXP has no int32 kernel)");
  ASSERT_EQ(g.ops.size(), 1u);
  EXPECT_TRUE(g.ops[0]->dead);

  // Constant int64 division folds to a constant: no DIV is written.
  TensorId c = b.constant(DType::kInt64, {2}, to_bytes(std::vector<int64_t>{7, -7}), "c");
  TensorId d = b.constant(DType::kInt64, {}, to_bytes(std::vector<int64_t>{2}), "d");
  auto q = b.emit1(OpCode::DIV, {c, d});
  ASSERT_TRUE(q.ok()) << q.status().message();
  ASSERT_TRUE(g.t(*q).is_const());
  EXPECT_EQ(values<int64_t>(*g.t(*q).data), (std::vector<int64_t>{3, -3}));
}

// CAST checks its output type too (cast.cc switches on both).
TEST(OpConstraints, CastChecksItsOutputType) {
  Graph g;
  Tensor t;
  t.name = "x";
  t.dtype = DType::kFloat32;
  t.shape = {2};
  TensorId x = g.add_tensor(std::move(t));
  IrBuilder b(g, "c");
  tflite::CastOptionsT o;
  o.out_data_type = tflite::TensorType::COMPLEX128;
  auto r = b.emit1(OpCode::CAST, {x}, o);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(contains(r.status().message(), "TFLite CAST has no complex128 kernel")) << r.status().message();
  o.out_data_type = tflite::TensorType::INT8;
  auto k = b.emit1(OpCode::CAST, {x}, o);
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(op_version(g, *g.ops.back()), 3);
}

// ------------------------------------------------------------ broadcast rank

// LESS broadcasts up to rank 4. A rank-5 broadcast with static shapes is
// made explicit as TF's converter does: each input not of the output's shape
// gets a BROADCAST_TO, and LESS then compares equal shapes.
TEST(OpConstraints, WideBroadcastIsMadeExplicit) {
  const Shape xs = {1, 2, 1, 3, 1}, ys = {2, 1, 1, 1, 4}, out_shape = {2, 2, 1, 3, 4};
  auto m = import_text(placeholder("x", "DT_FLOAT", xs) + placeholder("y", "DT_FLOAT", ys) +
                       node("out", "Less", {"x", "y"}));
  ASSERT_TRUE(m.ok()) << m.status().message();
  Graph& g = m->subgraphs[0];
  EXPECT_EQ(live_names(g), (std::vector<std::string>{"BROADCAST_TO", "BROADCAST_TO", "LESS"}));
  const Op* less = live_ops(g).back();
  for (TensorId i : less->inputs) EXPECT_EQ(g.t(i).shape, out_shape);
  EXPECT_FALSE(broadcast_too_wide(*find_op(OpCode::LESS), g, *less));
  for (const Op* op : live_ops(g))
    if (op->code == OpCode::BROADCAST_TO) {
      EXPECT_EQ(op_version(g, *op), 2);
    }
  EXPECT_EQ(g.t(g.outputs[0]).shape, out_shape);

  // Same values as the broadcasting comparison (folded by LESS's kernel).
  std::vector<float> x(6), y(8);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i);
  for (size_t i = 0; i < y.size(); ++i) y[i] = static_cast<float>(y.size() - i) - 2.5f;
  Graph ref;
  TensorId a = ref.add_const("a", DType::kFloat32, xs, to_bytes(x));
  TensorId b = ref.add_const("b", DType::kFloat32, ys, to_bytes(y));
  TensorId o = ref.add_tensor(Tensor{.name = "o"});
  Op& op = ref.add_op(OpCode::LESS, {a, b}, {o});
  ASSERT_TRUE(infer_op(ref, op).ok());
  ASSERT_TRUE(find_op(OpCode::LESS)->eval(ref, op).ok());
  EXPECT_EQ(run(g, {to_bytes(x), to_bytes(y)}), *ref.t(o).data);
}

// Without static shapes there is no BROADCAST_TO shape to give: refused,
// naming the node and the kernel's rank.
TEST(OpConstraints, WideDynamicBroadcastIsRefusedByName) {
  auto m = import_text(placeholder("x", "DT_FLOAT", {-1, 2, 1, 3, 1}) + placeholder("y", "DT_FLOAT", {2, 1, 1, 1, 4}) +
                       node("cmp", "Greater", {"x", "y"}));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().kind(), ErrorKind::kUnsupported);
  const std::string& msg = m.status().message();
  EXPECT_TRUE(contains(msg, "Greater node 'cmp' broadcasting [-1,2,1,3,1] and [2,1,1,1,4]")) << msg;
  EXPECT_TRUE(contains(msg, "(TFLite GREATER broadcasts up to rank 4)")) << msg;
}

// A rank-6 ADD is within ADD's kernel (rank 6): written as it is.
TEST(OpConstraints, BroadcastWithinTheKernelsRankIsKept) {
  auto m = import_text(placeholder("x", "DT_FLOAT", {2, 1, 2, 1, 2, 1}) + placeholder("y", "DT_FLOAT", {1, 2, 1, 2, 1, 2}) +
                       node("out", "AddV2", {"x", "y"}));
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(live_names(m->subgraphs[0]), (std::vector<std::string>{"ADD"}));
}

}  // namespace
}  // namespace tflc
