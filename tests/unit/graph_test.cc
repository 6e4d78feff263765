#include <gtest/gtest.h>

#include "ir/graph.h"

namespace tflc {

TEST(Graph, CompactKeepsTopologicalOrder) {
  Graph g;
  TensorId a = g.add_tensor({}), b = g.add_tensor({}), c = g.add_tensor({});
  g.add_op(OpCode::RELU, {b}, {c});
  g.add_op(OpCode::RELU, {a}, {b});
  g.compact();
  ASSERT_EQ(g.ops.size(), 2u);
  EXPECT_EQ(g.ops[0]->outputs[0], b);
  EXPECT_EQ(g.ops[1]->outputs[0], c);
}

}  // namespace tflc
