// TFLite Metadata: the packed-file archive, min_parser_version, JSON both
// ways, and populate's checks. The CLI and LiteRT checks are in
// tests/metadata/.
#include <gtest/gtest.h>

#include "metadata/metadata.h"
#include "metadata/packed_files.h"
#include "metadata_schema_generated.h"
#include "tflite_schema_generated.h"

namespace tflc {
namespace {

// A model with one subgraph of `n_in` inputs and one output, no ops.
std::string tiny_model(int n_in = 1) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<tflite::Tensor>> tensors;
  std::vector<int32_t> inputs;
  for (int i = 0; i <= n_in; ++i) {
    std::vector<int32_t> shape{1, 4};
    tensors.push_back(tflite::CreateTensor(fbb, fbb.CreateVector(shape), tflite::TensorType::FLOAT32, 0,
                                           fbb.CreateString("t" + std::to_string(i))));
    if (i < n_in) inputs.push_back(i);
  }
  std::vector<int32_t> outputs{n_in};
  auto sg = tflite::CreateSubGraph(fbb, fbb.CreateVector(tensors), fbb.CreateVector(inputs), fbb.CreateVector(outputs));
  std::vector<flatbuffers::Offset<tflite::Buffer>> buffers{tflite::CreateBuffer(fbb)};
  std::vector<flatbuffers::Offset<tflite::Metadata>> meta{tflite::CreateMetadata(fbb, fbb.CreateString("min_runtime_version"), 0)};
  std::vector<flatbuffers::Offset<tflite::SubGraph>> sgs{sg};
  auto model = tflite::CreateModel(fbb, 3, 0, fbb.CreateVector(sgs), fbb.CreateString("tiny"), fbb.CreateVector(buffers),
                                   0, fbb.CreateVector(meta));
  fbb.Finish(model, tflite::ModelIdentifier());
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

std::string labels_json(const std::string& file = "labels.txt", const char* type = "TENSOR_AXIS_LABELS") {
  return std::string(R"({"name": "m", "subgraph_metadata": [{"input_tensor_metadata": [{"name": "in"}],
    "output_tensor_metadata": [{"name": "out", "associated_files": [{"name": ")") +
         file + R"(", "type": ")" + type + R"("}]}]}]})";
}

ModelFile read_ok(std::string bytes) {
  auto m = ModelFile::read(std::move(bytes), "test model");
  EXPECT_TRUE(m.ok()) << m.status().message();
  return std::move(m).value();
}

TEST(PackedFiles, RoundTripWithAbsoluteOffsets) {
  std::string model = tiny_model();
  auto out = append_packed_files(model, {{"a.txt", "hello"}, {"b.bin", std::string(1000, '\x07')}});
  ASSERT_TRUE(out.ok());
  auto archive = read_packed_files(*out);
  ASSERT_TRUE(archive.ok()) << archive.status().message();
  EXPECT_EQ(archive->start, model.size());
  ASSERT_EQ(archive->files.size(), 2u);
  EXPECT_EQ(archive->files[0].name, "a.txt");
  EXPECT_EQ(archive->files[0].data, "hello");
  EXPECT_EQ(archive->files[1].data, std::string(1000, '\x07'));
}

TEST(PackedFiles, NoArchiveMeansNoFiles) {
  std::string model = tiny_model();
  auto archive = read_packed_files(model);
  ASSERT_TRUE(archive.ok());
  EXPECT_EQ(archive->start, model.size());
  EXPECT_TRUE(archive->files.empty());
}

TEST(PackedFiles, CorruptArchivesAreErrors) {
  std::string model = tiny_model();
  std::string good = *append_packed_files(model, {{"a.txt", "hello world"}});
  // A flipped data byte fails the CRC.
  std::string bad_crc = good;
  bad_crc[model.size() + 30 + 5] ^= 1;
  auto r = read_packed_files(bad_crc);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("CRC-32"), std::string::npos);
  // A central directory that points past the file.
  std::string bad_cd = good;
  bad_cd[good.size() - 6] = '\x7f';
  EXPECT_FALSE(read_packed_files(bad_cd).ok());
}

TEST(ModelFile, RejectsWhatIsNotAModel) {
  auto r = ModelFile::read("not a flatbuffer at all", "x.tflite");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a TFLite model"), std::string::npos);
  // A truncated FlatBuffer with a valid archive after it.
  std::string model = tiny_model();
  std::string cut = model.substr(0, model.size() / 2);
  cut.replace(4, 4, "TFL3");
  auto with_zip = append_packed_files(cut, {{"labels.txt", "a\nb\n"}});
  auto r2 = ModelFile::read(*with_zip, "cut.tflite");
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.status().message().find("before its packed files"), std::string::npos) << r2.status().message();
}

TEST(MetadataJson, RoundTripsThroughFlatcText) {
  auto md = metadata_from_json(labels_json(), "json");
  ASSERT_TRUE(md.ok()) << md.status().message();
  auto json = metadata_to_json(*md);
  ASSERT_TRUE(json.ok());
  // flatc's strict JSON: quoted keys, two-space indents, enum names.
  EXPECT_NE(json->find("\"name\": \"m\""), std::string::npos) << *json;
  EXPECT_NE(json->find("\"type\": \"TENSOR_AXIS_LABELS\""), std::string::npos) << *json;
  auto again = metadata_from_json(*json, "json");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*metadata_to_json(*again), *json);
}

TEST(MetadataJson, UnknownFieldIsAnError) {
  auto md = metadata_from_json(R"({"nmae": "typo"})", "'meta.json'");
  ASSERT_FALSE(md.ok());
  EXPECT_NE(md.status().message().find("'meta.json'"), std::string::npos);
  EXPECT_EQ(md.status().message().find('\n'), std::string::npos);
}

TEST(MinParserVersion, FollowsTheMembersUsed) {
  auto v = [](const std::string& json) { return min_parser_version(*metadata_from_json(json, "j")); };
  EXPECT_EQ(v(R"({"name": "m"})"), "1.0.0");
  EXPECT_EQ(v(labels_json("vocab.txt", "VOCABULARY")), "1.0.1");
  EXPECT_EQ(v(R"({"subgraph_metadata": [{"input_process_units": []}]})"), "1.1.0");
  EXPECT_EQ(v(R"({"subgraph_metadata": [{"output_tensor_groups": [{"name": "g"}]}]})"), "1.2.0");
  EXPECT_EQ(v(R"({"subgraph_metadata": [{"input_tensor_metadata": [{"process_units": [
      {"options_type": "RegexTokenizerOptions", "options": {"delim_regex_pattern": "x"}}]}]}]})"), "1.2.1");
  EXPECT_EQ(v(R"({"subgraph_metadata": [{"input_tensor_metadata": [{"content": {
      "content_properties_type": "AudioProperties", "content_properties": {"sample_rate": 16000}}}]}]})"), "1.3.0");
  EXPECT_EQ(v(R"({"associated_files": [{"name": "x", "version": "2"}]})"), "1.4.1");
  EXPECT_EQ(v(R"({"subgraph_metadata": [{"custom_metadata": [{"name": "c"}]}]})"), "1.5.0");
}

TEST(Populate, WritesReplacesAndKeepsOtherEntries) {
  ModelFile model = read_ok(tiny_model());
  auto out = populate_metadata(model, *metadata_from_json(labels_json(), "j"), {{"dir/labels.txt", "cat\ndog\n"}});
  ASSERT_TRUE(out.ok()) << out.status().message();
  ModelFile with = read_ok(*out);
  ASSERT_EQ(with.packed_files().size(), 1u);
  EXPECT_EQ(with.packed_files()[0].name, "labels.txt");
  auto md = with.metadata();
  ASSERT_TRUE(md.ok() && md->has_value());
  std::string json = *metadata_to_json(**md);
  EXPECT_NE(json.find("\"min_parser_version\": \"1.0.0\""), std::string::npos) << json;

  // Second write: new metadata replaces the old; the packed label file is
  // reused; min_runtime_version survives; still one TFLITE_METADATA entry.
  std::string second = R"({"name": "second", "subgraph_metadata": [{"input_tensor_metadata": [{"name": "in"}],
    "output_tensor_metadata": [{"name": "out", "associated_files": [{"name": "labels.txt"}]}]}]})";
  auto out2 = populate_metadata(with, *metadata_from_json(second, "j"), {});
  ASSERT_TRUE(out2.ok()) << out2.status().message();
  ModelFile twice = read_ok(*out2);
  EXPECT_EQ(twice.packed_files().size(), 1u);
  EXPECT_EQ(twice.packed_files()[0].data, "cat\ndog\n");
  int entries = 0;
  bool runtime = false;
  for (const auto* e : *twice.model()->metadata()) {
    entries += e->name()->str() == kMetadataEntryName;
    runtime |= e->name()->str() == "min_runtime_version";
  }
  EXPECT_EQ(entries, 1);
  EXPECT_TRUE(runtime);
  EXPECT_NE(metadata_to_json(**twice.metadata())->find("\"second\""), std::string::npos);
  // Buffers did not grow on the second write.
  EXPECT_EQ(twice.model()->buffers()->size(), with.model()->buffers()->size());
}

TEST(Populate, FileChecksAreClearErrors) {
  ModelFile model = read_ok(tiny_model());
  std::string md = *metadata_from_json(labels_json(), "j");
  auto missing = populate_metadata(model, md, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("neither given nor packed"), std::string::npos);
  auto twice = populate_metadata(model, md, {{"labels.txt", "a"}, {"x/labels.txt", "b"}});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("given twice"), std::string::npos);
  auto extra = populate_metadata(model, md, {{"labels.txt", "a"}, {"other.txt", "b"}});
  ASSERT_FALSE(extra.ok());
  EXPECT_NE(extra.status().message().find("not named in the metadata"), std::string::npos);
}

TEST(Populate, TensorCountsMustMatch) {
  ModelFile model = read_ok(tiny_model(2));
  auto r = populate_metadata(model, *metadata_from_json(labels_json(), "j"), {{"labels.txt", "a"}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("2 input tensors"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace tflc

namespace tflc {
namespace {

// A union type with no table (the official MobileNet metadata has one) must
// not crash the object API's Pack; it is written as an empty table.
TEST(Populate, UnionTypeWithoutTable) {
  ModelFile model = read_ok(tiny_model());
  std::string json = R"({"subgraph_metadata": [{"input_tensor_metadata": [{"content": {
      "content_properties_type": "ImageProperties"}, "process_units": [{"options_type": "NormalizationOptions"}]}],
      "output_tensor_metadata": [{}]}]})";
  auto out = populate_metadata(model, *metadata_from_json(json, "j"), {});
  ASSERT_TRUE(out.ok()) << out.status().message();
  std::string shown = *metadata_to_json(**read_ok(*out).metadata());
  EXPECT_NE(shown.find("\"content_properties_type\": \"ImageProperties\""), std::string::npos) << shown;
  EXPECT_NE(shown.find("\"options_type\": \"NormalizationOptions\""), std::string::npos) << shown;
}

}  // namespace
}  // namespace tflc

namespace tflc {
namespace {

// Writing metadata leaves the model's own tables as they were: an empty
// shape (a scalar) stays present and empty, an absent one stays absent.
TEST(Populate, KeepsEmptyAndAbsentVectorsApart) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<int32_t> empty;
  std::vector<flatbuffers::Offset<tflite::Tensor>> tensors{
      tflite::CreateTensor(fbb, fbb.CreateVector(empty), tflite::TensorType::FLOAT32, 0, fbb.CreateString("scalar")),
      tflite::CreateTensor(fbb, 0, tflite::TensorType::FLOAT32, 0, fbb.CreateString("unranked"))};
  std::vector<int32_t> in{0}, out{1};
  std::vector<flatbuffers::Offset<tflite::SubGraph>> sgs{
      tflite::CreateSubGraph(fbb, fbb.CreateVector(tensors), fbb.CreateVector(in), fbb.CreateVector(out))};
  std::vector<flatbuffers::Offset<tflite::Buffer>> buffers{tflite::CreateBuffer(fbb)};
  fbb.Finish(tflite::CreateModel(fbb, 3, 0, fbb.CreateVector(sgs), 0, fbb.CreateVector(buffers)),
             tflite::ModelIdentifier());
  ModelFile model = read_ok(std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize()));
  std::string md = *metadata_from_json(R"({"subgraph_metadata": [{"input_tensor_metadata": [{}],
      "output_tensor_metadata": [{}]}]})", "j");
  auto once = populate_metadata(model, md, {});
  ASSERT_TRUE(once.ok()) << once.status().message();
  auto twice = populate_metadata(read_ok(*once), md, {});
  ASSERT_TRUE(twice.ok()) << twice.status().message();
  ModelFile with = read_ok(*twice);
  const auto* ts = with.model()->subgraphs()->Get(0)->tensors();
  ASSERT_NE(ts->Get(0)->shape(), nullptr);
  EXPECT_EQ(ts->Get(0)->shape()->size(), 0u);
  EXPECT_EQ(ts->Get(1)->shape(), nullptr);
  EXPECT_EQ(with.model()->version(), 3u);
  EXPECT_EQ(with.model()->buffers()->size(), 2u);  // the empty buffer and the metadata
  ASSERT_TRUE(with.metadata().ok() && with.metadata()->has_value());
}

}  // namespace
}  // namespace tflc
