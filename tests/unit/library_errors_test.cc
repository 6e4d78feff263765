// Issue #14: no exception from a library reaches the caller. nlohmann::json
// throws on a wrong type; the Keras frontend and the metadata reader must
// turn every such case into a one-line Status. Each test replaces every
// value of a valid document, one at a time, with each value of another JSON
// type, and runs the frontend on the result.
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "frontends/keras/keras_file.h"
#include "frontends/keras/keras_model.h"
#include "metadata/metadata.h"

namespace tflc {
namespace {

using nlohmann::json;

const json kWrongValues[] = {nullptr, 7, -1, 1e300, "x", json::array(), json::object(), true};

// Calls `run` on `doc` with each value replaced by each of kWrongValues.
// Returns the number of documents run.
int for_each_mutation(const json& doc, const std::function<void(const json&)>& run) {
  std::vector<json::json_pointer> paths;
  std::function<void(const json&, const json::json_pointer&)> walk = [&](const json& j, const json::json_pointer& p) {
    if (!p.empty()) paths.push_back(p);
    if (j.is_object())
      for (auto it = j.begin(); it != j.end(); ++it) walk(*it, p / it.key());
    if (j.is_array())
      for (size_t i = 0; i < j.size(); ++i) walk(j[i], p / i);
  };
  walk(doc, json::json_pointer());
  int n = 0;
  for (const auto& p : paths) {
    for (const json& v : kWrongValues) {
      json m = doc;
      m[p] = v;
      run(m);
      ++n;
    }
  }
  return n;
}

void expect_one_line(const Status& st, const std::string& doc) {
  if (st.ok()) return;
  EXPECT_FALSE(st.message().empty()) << doc;
  EXPECT_EQ(st.message().find('\n'), std::string::npos) << st.message();
  EXPECT_EQ(st.message().find("json.exception"), std::string::npos) << st.message();
}

// A Keras 3 Functional model touching the common layer readers.
const char* kKerasConfig = R"({"class_name": "Functional", "config": {"name": "m",
  "layers": [
    {"class_name": "InputLayer", "name": "x", "config": {"name": "x", "batch_shape": [null, 8, 8, 3], "dtype": "float32"},
     "inbound_nodes": []},
    {"class_name": "Conv2D", "name": "conv", "config": {"name": "conv", "filters": 4, "kernel_size": [3, 3],
     "strides": [1, 1], "padding": "same", "activation": "relu", "use_bias": true, "data_format": "channels_last",
     "dilation_rate": [1, 1], "groups": 1},
     "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 8, 8, 3],
       "dtype": "float32", "keras_history": ["x", 0, 0]}}], "kwargs": {}}]},
    {"class_name": "MaxPooling2D", "name": "pool", "config": {"name": "pool", "pool_size": [2, 2], "strides": [2, 2],
     "padding": "valid", "data_format": "channels_last"},
     "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 8, 8, 4],
       "dtype": "float32", "keras_history": ["conv", 0, 0]}}], "kwargs": {}}]},
    {"class_name": "Flatten", "name": "flat", "config": {"name": "flat"},
     "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 4, 4, 4],
       "dtype": "float32", "keras_history": ["pool", 0, 0]}}], "kwargs": {}}]},
    {"class_name": "Dense", "name": "dense", "config": {"name": "dense", "units": 2, "activation": "softmax",
     "use_bias": true},
     "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 64],
       "dtype": "float32", "keras_history": ["flat", 0, 0]}}], "kwargs": {}}]}],
  "input_layers": [["x", 0, 0]], "output_layers": [["dense", 0, 0]]}})";

TEST(LibraryErrors, KerasConfigOfAnyShapeIsAStatusNotAnException) {
  json doc = json::parse(kKerasConfig);
  std::set<std::string> messages;
  int n = for_each_mutation(doc, [&](const json& m) {
    KerasModelFile file;
    file.format = "keras";
    file.config = m;
    KerasImportOptions o;
    o.path = "config.json";
    EXPECT_NO_THROW({
      Expected<Model> r = import_keras_model_file(file, o);
      expect_one_line(r.status(), m.dump());
      messages.insert(r.status().message());
    }) << m.dump();
  });
  EXPECT_GT(n, 500);
  // The mutations reach many different checks, not one early refusal.
  EXPECT_GT(messages.size(), 40u);
}

TEST(LibraryErrors, MetadataJsonOfAnyShapeIsAStatusNotAnException) {
  json doc = json::parse(R"({"name": "m", "version": "v1", "subgraph_metadata": [{"input_tensor_metadata": [
    {"name": "in", "content": {"content_properties_type": "ImageProperties",
     "content_properties": {"color_space": "RGB"}},
     "process_units": [{"options_type": "NormalizationOptions", "options": {"mean": [127.5], "std": [127.5]}}],
     "stats": {"max": [1.0], "min": [0.0]}}],
    "output_tensor_metadata": [{"name": "out", "associated_files": [{"name": "labels.txt",
     "type": "TENSOR_AXIS_LABELS"}]}]}]})");
  std::set<std::string> messages;
  int n = for_each_mutation(doc, [&](const json& m) {
    EXPECT_NO_THROW({
      auto r = metadata_from_json(m.dump(), "'meta.json'");
      expect_one_line(r.status(), m.dump());
      messages.insert(r.status().message());
    }) << m.dump();
  });
  EXPECT_GT(n, 150);
  EXPECT_GT(messages.size(), 20u);
}

}  // namespace
}  // namespace tflc
