// Issue #14: declared sizes are checked before allocating, and helpers that
// read tensors never dereference a constant that has no bytes.
#include <gtest/gtest.h>

#include "frontends/graphdef/tensor_proto.h"
#include "ops/op_util.h"
#include "support/printable.h"

namespace tflc {
namespace {

TEST(Hardening, ConstValuesOfATensorWithoutBytesIsEmpty) {
  Tensor t;
  t.shape = {4};
  EXPECT_TRUE(const_values<float>(t).empty());
  t.data = make_buffer("");
  EXPECT_TRUE(const_values<int32_t>(t).empty());
  t.data = make_buffer(std::string(8, '\0'));
  EXPECT_EQ(const_values<int32_t>(t).size(), 2u);
}

TEST(Hardening, SplatPastTwoGigabytesIsRefusedBeforeExpanding) {
  tensorflow::TensorProto p;
  p.set_dtype(tensorflow::DT_FLOAT);
  p.mutable_tensor_shape()->add_dim()->set_size(4000000000);
  p.add_float_val(1.0f);
  auto v = const_from_tensor_proto(p);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("shape [4000000000] declares 16000000000 bytes from 1 stored value"),
            std::string::npos)
      << v.status().message();
  EXPECT_NE(v.status().message().find("2 GB"), std::string::npos);
}

TEST(Hardening, StringSplatPastTwoGigabytesIsRefused) {
  tensorflow::TensorProto p;
  p.set_dtype(tensorflow::DT_STRING);
  p.mutable_tensor_shape()->add_dim()->set_size(int64_t{1} << 28);
  p.add_string_val(std::string(64, 'a'));
  auto v = const_from_tensor_proto(p);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("string constant of shape [268435456]"), std::string::npos)
      << v.status().message();
}

TEST(Hardening, SmallSplatStillExpands) {
  tensorflow::TensorProto p;
  p.set_dtype(tensorflow::DT_FLOAT);
  p.mutable_tensor_shape()->add_dim()->set_size(1000);
  p.add_float_val(2.0f);
  auto v = const_from_tensor_proto(p);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->bytes.size(), 4000u);
}

TEST(Hardening, ControlCharactersArePrintedEscaped) {
  EXPECT_FALSE(has_control_chars("conv2d/BiasAdd"));
  EXPECT_TRUE(has_control_chars("a\nb"));
  EXPECT_EQ(escape_controls("a\n\x1b[31mb\x7f"), "a\\x0a\\x1b[31mb\\x7f");
  EXPECT_EQ(escape_controls(std::string(300, 'x')), std::string(200, 'x') + "...");
}

}  // namespace
}  // namespace tflc
