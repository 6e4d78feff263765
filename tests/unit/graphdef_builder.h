// GraphDef nodes for importer tests, written as a TF graph would hold them,
// and a look at what the import made.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "tensorflow/core/framework/graph.pb.h"

namespace tflc::test {

inline tensorflow::NodeDef& add(tensorflow::GraphDef& gd, const std::string& name, const std::string& op,
                                const std::vector<std::string>& inputs = {}) {
  tensorflow::NodeDef* n = gd.add_node();
  n->set_name(name);
  n->set_op(op);
  for (const auto& in : inputs) n->add_input(in);
  return *n;
}

// A Placeholder with its dtype and shape attrs.
inline void add_placeholder(tensorflow::GraphDef& gd, const std::string& name, tensorflow::DataType dt,
                            const std::vector<int64_t>& shape) {
  tensorflow::NodeDef& x = add(gd, name, "Placeholder");
  (*x.mutable_attr())["dtype"].set_type(dt);
  auto* s = (*x.mutable_attr())["shape"].mutable_shape();
  for (int64_t d : shape) s->add_dim()->set_size(d);
}

// The main subgraph's one live CUSTOM op; nullptr if it has none or several.
inline const Op* only_custom(const Model& m) {
  const Op* found = nullptr;
  for (const auto& op : m.subgraphs[0].ops)
    if (!op->dead && op->code == OpCode::CUSTOM) {
      if (found) return nullptr;
      found = op.get();
    }
  return found;
}

}  // namespace tflc::test
