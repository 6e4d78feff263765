// Nested Keras models (a Sequential used as a layer of a Functional model,
// called twice) read from a Keras 2 .h5 written by h5py at test time, and
// BatchNormalization over a non-last axis.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "frontends/keras/keras_model.h"
#include "frontends/keras/layer_registry.h"

namespace tflc {
namespace {

using json = nlohmann::json;

const char* const kPython = "/usr/bin/python3";

// Keras 2 layout: the nested model is one group under model_weights holding
// its layers' weights as <inner layer>/<weight>:0. The inner and the outer
// Dense are both named "dense" (weights 3 and 2) so a lookup that ignores
// the nested scope picks the wrong ones. Keras counts the nested model's own
// first node, so its two calls are referenced as nodes 1 and 2.
const char* const kWriter = R"PY(
import json, sys, h5py, numpy as np
inner = {"class_name": "Sequential", "config": {"name": "inner", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32", "name": "inner_in"}},
    {"class_name": "Dense", "config": {"name": "dense", "units": 4, "activation": "relu", "use_bias": True,
                                       "dtype": "float32"}}]},
    "name": "inner", "inbound_nodes": [[["x", 0, 0, {}]], [["inner", 1, 0, {}]]]}
outer = {"class_name": "Functional", "config": {"name": "outer", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32", "name": "x"},
     "name": "x", "inbound_nodes": []},
    inner,
    {"class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "linear", "use_bias": True,
                                       "dtype": "float32"}, "name": "dense", "inbound_nodes": [[["inner", 2, 0, {}]]]}],
    "input_layers": [["x", 0, 0]], "output_layers": [["dense", 0, 0]]}}
with h5py.File(sys.argv[1], "w") as f:
    f.attrs["keras_version"] = "2.11.0"
    f.attrs["backend"] = "tensorflow"
    f.attrs["model_config"] = json.dumps(outer)
    mw = f.create_group("model_weights")
    mw.attrs["layer_names"] = np.array([b"x", b"inner", b"dense"])
    mw.create_group("x").attrs["weight_names"] = np.array([], dtype="S1")
    g = mw.create_group("inner")
    g.attrs["weight_names"] = np.array([b"dense/kernel:0", b"dense/bias:0"])
    g.create_dataset("dense/kernel:0", data=np.full((4, 4), 3, np.float32))
    g.create_dataset("dense/bias:0", data=np.full((4,), 0.5, np.float32))
    g = mw.create_group("dense")
    g.attrs["weight_names"] = np.array([b"dense/kernel:0", b"dense/bias:0"])
    g.create_dataset("dense/kernel:0", data=np.full((4, 2), 2, np.float32))
    g.create_dataset("dense/bias:0", data=np.full((2,), 0.25, np.float32))
)PY";

// A Sequential whose first layer is a nested Sequential: the input shape
// comes from the nested model's InputLayer.
const char* const kSeqWriter = R"PY(
import json, sys, h5py, numpy as np
outer = {"class_name": "Sequential", "config": {"name": "outer", "layers": [
    {"class_name": "Sequential", "config": {"name": "inner", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 3], "dtype": "float32", "name": "inp"}},
        {"class_name": "Dense", "config": {"name": "dense", "units": 4, "use_bias": False, "dtype": "float32"}}]}},
    {"class_name": "Dense", "config": {"name": "dense_1", "units": 2, "use_bias": False, "dtype": "float32"}}]}}
with h5py.File(sys.argv[1], "w") as f:
    f.attrs["keras_version"] = "2.11.0"
    f.attrs["model_config"] = json.dumps(outer)
    mw = f.create_group("model_weights")
    mw.attrs["layer_names"] = np.array([b"inner", b"dense_1"])
    for layer, wname, shape, v in (("inner", "inner/dense/kernel:0", (3, 4), 3), ("dense_1", "dense_1/kernel:0", (4, 2), 2)):
        g = mw.create_group(layer)
        g.attrs["weight_names"] = np.array([wname.encode()])
        g.create_dataset(wname, data=np.full(shape, v, np.float32))
)PY";

// Layer names holding '/' (TF name scopes): h5py stores "block/fc" as
// nested groups, and the nested model's flat list names its weights
// "block/fc/kernel:0". A top-level "head/out" sits at model_weights/head/out.
const char* const kSlashWriter = R"PY(
import json, sys, h5py, numpy as np
outer = {"class_name": "Sequential", "config": {"name": "outer", "layers": [
    {"class_name": "Sequential", "config": {"name": "inner", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 3], "dtype": "float32", "name": "inp"}},
        {"class_name": "Dense", "config": {"name": "block/fc", "units": 4, "use_bias": False, "dtype": "float32"}},
        {"class_name": "Dense", "config": {"name": "fc", "units": 4, "use_bias": False, "dtype": "float32"}}]}},
    {"class_name": "Dense", "config": {"name": "head/out", "units": 2, "use_bias": False, "dtype": "float32"}}]}}
with h5py.File(sys.argv[1], "w") as f:
    f.attrs["keras_version"] = "2.11.0"
    f.attrs["model_config"] = json.dumps(outer)
    mw = f.create_group("model_weights")
    mw.attrs["layer_names"] = np.array([b"inner", b"head/out"])
    g = mw.create_group("inner")
    g.attrs["weight_names"] = np.array([b"block/fc/kernel:0", b"fc/kernel:0"])
    g.create_dataset("block/fc/kernel:0", data=np.full((3, 4), 3, np.float32))
    g.create_dataset("fc/kernel:0", data=np.full((4, 4), 5, np.float32))
    g = mw.create_group("head/out")
    g.attrs["weight_names"] = np.array([b"head/out/kernel:0"])
    g.create_dataset("head/out/kernel:0", data=np.full((4, 2), 2, np.float32))
)PY";

bool python_has_h5py() {
  if (access(kPython, X_OK) != 0) return false;
  return std::system((std::string(kPython) + " -c 'import h5py, numpy' 2>/dev/null").c_str()) == 0;
}

// Every element of a constant tensor equals v.
bool all_equal(const Tensor& t, float v) {
  if (!t.is_const() || t.dtype != DType::kFloat32 || t.data->size() % 4 != 0 || t.data->empty()) return false;
  for (size_t i = 0; i < t.data->size(); i += 4) {
    float f;
    std::memcpy(&f, t.data->data() + i, 4);
    if (f != v) return false;
  }
  return true;
}

TEST(KerasNested, SequentialInFunctionalCalledTwiceH5) {
  if (!python_has_h5py()) GTEST_SKIP() << "needs " << kPython << " with h5py and numpy to write the test model";
  std::string dir = (std::filesystem::temp_directory_path() / "keras_nested_XXXXXX").string();
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  const std::string py = dir + "/write.py", h5 = dir + "/nested.h5";
  std::ofstream(py) << kWriter;
  ASSERT_EQ(std::system((std::string(kPython) + " " + py + " " + h5).c_str()), 0);

  KerasImportOptions opt;
  opt.path = h5;
  Expected<Model> m = import_keras_model(opt);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(m.ok()) << m.status().message();
  const Graph& g = m->subgraphs.at(0);
  ASSERT_EQ(g.inputs.size(), 1u);
  ASSERT_EQ(g.outputs.size(), 1u);
  EXPECT_EQ(g.t(g.outputs[0]).shape, (Shape{-1, 2}));

  int inner_fc = 0, outer_fc = 0;
  for (const auto& p : g.ops) {
    const Op& op = *p;
    if (op.dead || op.code != OpCode::FULLY_CONNECTED) continue;
    ASSERT_GE(op.inputs.size(), 2u);
    const Tensor& w = g.t(op.inputs[1]);
    // Inner layers' tensors are named under the nested model.
    if (g.t(op.outputs[0]).name.rfind("inner/", 0) == 0) {
      EXPECT_TRUE(all_equal(w, 3.0f)) << "inner Dense got weights " << w.name;
      ++inner_fc;
    } else {
      EXPECT_TRUE(all_equal(w, 2.0f)) << "outer Dense got weights " << w.name;
      ++outer_fc;
    }
  }
  EXPECT_EQ(inner_fc, 2);  // the nested model is applied twice
  EXPECT_EQ(outer_fc, 1);
  // Only the first application reads the model input; the second reads the first.
  int read_input = 0;
  for (const auto& p : g.ops)
    if (!p->dead && p->code == OpCode::FULLY_CONNECTED && p->inputs[0] == g.inputs[0]) ++read_input;
  EXPECT_EQ(read_input, 1);
}

TEST(KerasNested, SequentialFirstInSequentialH5) {
  if (!python_has_h5py()) GTEST_SKIP() << "needs " << kPython << " with h5py and numpy to write the test model";
  std::string dir = (std::filesystem::temp_directory_path() / "keras_nested_XXXXXX").string();
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  const std::string py = dir + "/write.py", h5 = dir + "/nested_seq.h5";
  std::ofstream(py) << kSeqWriter;
  ASSERT_EQ(std::system((std::string(kPython) + " " + py + " " + h5).c_str()), 0);
  KerasImportOptions opt;
  opt.path = h5;
  Expected<Model> m = import_keras_model(opt);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(m.ok()) << m.status().message();
  const Graph& g = m->subgraphs.at(0);
  ASSERT_EQ(g.inputs.size(), 1u);
  EXPECT_EQ(g.t(g.inputs[0]).shape, (Shape{-1, 3}));
  ASSERT_EQ(g.outputs.size(), 1u);
  EXPECT_EQ(g.t(g.outputs[0]).shape, (Shape{-1, 2}));
  int fc = 0;
  for (const auto& p : g.ops) {
    if (p->dead || p->code != OpCode::FULLY_CONNECTED) continue;
    ++fc;
    // Weight names with the nested model's name in front are matched too.
    EXPECT_TRUE(all_equal(g.t(p->inputs[1]), p->inputs[0] == g.inputs[0] ? 3.0f : 2.0f));
  }
  EXPECT_EQ(fc, 2);
}

TEST(KerasNested, LayerNamesWithSlashesH5) {
  if (!python_has_h5py()) GTEST_SKIP() << "needs " << kPython << " with h5py and numpy to write the test model";
  std::string dir = (std::filesystem::temp_directory_path() / "keras_nested_XXXXXX").string();
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  const std::string py = dir + "/write.py", h5 = dir + "/slash.h5";
  std::ofstream(py) << kSlashWriter;
  ASSERT_EQ(std::system((std::string(kPython) + " " + py + " " + h5).c_str()), 0);
  KerasImportOptions opt;
  opt.path = h5;
  Expected<Model> m = import_keras_model(opt);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(m.ok()) << m.status().message();
  const Graph& g = m->subgraphs.at(0);
  std::vector<float> seen;
  for (const auto& p : g.ops) {
    if (p->dead || p->code != OpCode::FULLY_CONNECTED) continue;
    const Tensor& w = g.t(p->inputs[1]);
    for (float v : {3.0f, 5.0f, 2.0f})
      if (all_equal(w, v)) seen.push_back(v);
  }
  // In model order: block/fc (3), fc (5), head/out (2); "fc" must not take block/fc's kernel.
  EXPECT_EQ(seen, (std::vector<float>{3.0f, 5.0f, 2.0f}));
}

// y = (x - mean)/sqrt(var + eps)*gamma + beta per channel on axis 1 of
// [1, 2, 3]; eps = 0 keeps the numbers exact.
TEST(KerasNested, BatchNormAxis1) {
  Graph g;
  std::vector<float> xv = {1, 2, 3, 4, 5, 6};
  TensorId x = g.add_const("x", DType::kFloat32, {1, 2, 3}, to_bytes(xv));
  auto a = [](std::vector<float> v) {
    return KerasArray{"w", DType::kFloat32, {static_cast<int64_t>(v.size())}, to_bytes(v)};
  };
  // gamma, beta, moving_mean, moving_variance.
  std::vector<KerasArray> w = {a({2, 1}), a({10, 20}), a({1, 4}), a({4, 1})};
  json config = {{"axis", 1}, {"epsilon", 0.0}};
  KerasLowerFn fn = find_keras_layer("BatchNormalization");
  ASSERT_NE(fn, nullptr);
  KerasLayerContext ctx(g, "bn", "BatchNormalization", config, w, {x}, kDefaultFoldBudget);
  auto outs = fn(ctx);
  ASSERT_TRUE(outs.ok()) << outs.status().message();
  const Tensor& y = g.t((*outs)[0]);
  ASSERT_TRUE(y.is_const()) << "output did not fold";
  EXPECT_EQ(y.shape, (Shape{1, 2, 3}));
  std::vector<float> got(6);
  std::memcpy(got.data(), y.data->data(), 24);
  // Channel 0: (x-1)/2*2+10; channel 1: (x-4)/1*1+20.
  std::vector<float> want = {10, 11, 12, 20, 21, 22};
  for (size_t i = 0; i < 6; ++i) EXPECT_NEAR(got[i], want[i], 1e-5f) << "at " << i;

  // Negative axis, and a channel count that does not match the axis.
  Graph g2;
  TensorId x2 = g2.add_const("x", DType::kFloat32, {1, 2, 3}, to_bytes(xv));
  json config2 = {{"axis", -2}, {"epsilon", 0.0}};  // the context keeps a reference
  KerasLayerContext ctx2(g2, "bn", "BatchNormalization", config2, w, {x2},
                         kDefaultFoldBudget);
  auto outs2 = fn(ctx2);
  ASSERT_TRUE(outs2.ok()) << outs2.status().message();
  EXPECT_EQ(g2.t((*outs2)[0]).shape, (Shape{1, 2, 3}));
  Graph g3;
  TensorId x3 = g3.add_const("x", DType::kFloat32, {1, 3, 2}, to_bytes(xv));
  KerasLayerContext ctx3(g3, "bn", "BatchNormalization", config, w, {x3}, kDefaultFoldBudget);
  EXPECT_FALSE(fn(ctx3).ok());
}

}  // namespace
}  // namespace tflc
