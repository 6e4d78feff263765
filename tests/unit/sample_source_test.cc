// Streamed calibration samples (quant/sample_source.h) through the library
// API: a SampleSource gives the same int8 model as the same samples in a
// folder of .npy files, pulls them one pass per signature, and a source's
// error stops the conversion with its message.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "api/converter.h"

namespace tflc {
namespace {

// y = x * [1, 2, 3] + [0.5, -1, 2], x: float32[1, 3]
const char* kGraph = R"pb(
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "shape" value { shape { dim { size: 1 } dim { size: 3 } } } } }
node { name: "w" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 3 } } float_val: 1 float_val: 2 float_val: 3 } } } }
node { name: "b" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 3 } } float_val: 0.5 float_val: -1 float_val: 2 } } } }
node { name: "m" op: "Mul" input: "x" input: "w" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "y" op: "AddV2" input: "m" input: "b" attr { key: "T" value { type: DT_FLOAT } } }
)pb";

std::vector<std::vector<float>> samples() {
  std::vector<std::vector<float>> s;
  for (int i = 0; i < 20; ++i) s.push_back({i * 0.1f, -i * 0.05f, (i % 7) * 0.3f - 1});
  return s;
}

class VectorSource : public SampleSource {
 public:
  explicit VectorSource(std::vector<std::vector<float>> s) : s_(std::move(s)) {}
  Status rewind() override {
    ++rewinds;
    next_ = 0;
    return ok_status();
  }
  Expected<bool> next(std::vector<SampleArray>& sample) override {
    if (fail_at >= 0 && static_cast<int>(next_) == fail_at) return invalid_input("the source broke at sample 3");
    if (next_ >= s_.size()) return false;
    const std::vector<float>& v = s_[next_++];
    sample.assign(1, SampleArray{"", DType::kFloat32, {1, 3},
                                 std::string_view(reinterpret_cast<const char*>(v.data()), v.size() * 4)});
    return true;
  }
  std::string subject() const override { return "the test source"; }
  std::string label(size_t i, const SampleArray&) const override { return "test item " + std::to_string(i); }
  int rewinds = 0;
  int fail_at = -1;

 private:
  std::vector<std::vector<float>> s_;
  size_t next_ = 0;
};

ConvertOptions int8_options() {
  ConvertOptions o;
  o.graph_def_content = kGraph;
  o.quantize.optimize = true;
  o.quantize.supported_ops = {"TFLITE_BUILTINS_INT8"};
  return o;
}

TEST(SampleSource, SameModelAsTheNpyFolder) {
  auto dir = std::filesystem::temp_directory_path() / ("tflc_source_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  {
    // x.npy: float32 [20, 3], the same samples without their batch dimension.
    std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (20, 3), }";
    while ((10 + dict.size() + 1) % 64 != 0) dict += ' ';
    dict += '\n';
    std::string head = "\x93NUMPY\x01";
    head += '\0';
    head += static_cast<char>(dict.size() & 0xff);
    head += static_cast<char>(dict.size() >> 8);
    std::ofstream f(dir / "x.npy", std::ios::binary);
    f << head << dict;
    for (const auto& s : samples()) f.write(reinterpret_cast<const char*>(s.data()), 12);
  }
  ConvertOptions from_file = int8_options();
  from_file.quantize.representative_dataset = dir.string();
  auto want = convert(from_file);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(want.ok()) << want.status().message();

  ConvertOptions streamed = int8_options();
  auto source = std::make_shared<VectorSource>(samples());
  streamed.quantize.dataset_source = source;
  auto got = convert(streamed);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(*got, *want);
  EXPECT_EQ(source->rewinds, 1);  // one signature-less subgraph: one pass

  // Other samples, another model: the samples are what calibration reads.
  auto other = samples();
  for (auto& s : other) s[0] *= 5;
  streamed.quantize.dataset_source = std::make_shared<VectorSource>(other);
  auto different = convert(streamed);
  ASSERT_TRUE(different.ok());
  EXPECT_NE(*different, *want);
}

TEST(SampleSource, ErrorsStopTheConversion) {
  ConvertOptions o = int8_options();
  auto source = std::make_shared<VectorSource>(samples());
  source->fail_at = 3;
  o.quantize.dataset_source = source;
  auto r = convert(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("the source broke at sample 3"), std::string::npos) << r.status().message();

  o.quantize.dataset_source = std::make_shared<VectorSource>(std::vector<std::vector<float>>{});
  r = convert(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("the test source yielded no samples"), std::string::npos)
      << r.status().message();

  o.quantize.dataset_source = std::make_shared<VectorSource>(samples());
  o.quantize.representative_dataset = "also.npz";
  r = convert(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kUsage);
}

TEST(ConversionErrors, ListsEachUnsupportedOp) {
  ConvertOptions o;
  o.graph_def_content =
      "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } }\n"
      "node { name: 'a' op: 'MyOpA' input: 'x' }\n"
      "node { name: 'b' op: 'MyOpB' input: 'a' }\n";
  auto r = convert(o);
  ASSERT_FALSE(r.ok());
  auto errors = conversion_errors(r.status());
  ASSERT_EQ(errors.size(), 2u) << r.status().message();
  std::set<std::pair<std::string, std::string>> got;
  for (const auto& e : errors) {
    got.insert({e.op_type, e.node_name});
    EXPECT_EQ(e.reason, "is neither a custom op nor a flex op");
  }
  EXPECT_EQ(got, (std::set<std::pair<std::string, std::string>>{{"MyOpA", "a"}, {"MyOpB", "b"}}));

  auto one = conversion_errors(invalid_input("cannot open 'x.pb'"));
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].op_type, "");
  EXPECT_EQ(one[0].reason, "cannot open 'x.pb'");
  EXPECT_TRUE(conversion_errors(ok_status()).empty());
}

TEST(InMemoryInput, GraphDefBytesAndGarbage) {
  ConvertOptions o;
  o.graph_def_content = kGraph;
  auto text = convert(o);
  ASSERT_TRUE(text.ok()) << text.status().message();
  o.graph_def_content = std::string("\x0a\xff\xff garbage", 11);
  auto bad = convert(o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("neither a binary nor a text GraphDef"), std::string::npos);
  o.graph_def_file = "x.pb";
  o.graph_def_content = kGraph;
  EXPECT_EQ(convert(o).status().kind(), ErrorKind::kUsage);  // two sources
}

}  // namespace
}  // namespace tflc
