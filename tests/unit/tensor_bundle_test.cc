// Tensor bundle (checkpoint) reader and writer: CRC-32C, snappy, the SSTable
// layer, round trips through our writer, damaged files, and real checkpoints
// from the corpus (skipped when ../shared/corpus is absent).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>

#include "frontends/saved_model/sstable.h"
#include "frontends/saved_model/tensor_bundle.h"
#include "frontends/saved_model/tensor_bundle_writer.h"
#include "support/crc32c.h"
#include "tensorflow/core/protobuf/tensor_bundle.pb.h"
#include "tensorflow/core/protobuf/trackable_object_graph.pb.h"

namespace tflc {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(TFLC_SOURCE_DIR) / ".." / "shared" / "corpus";

template <typename T>
std::string bytes_of(std::vector<T> v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

template <typename T>
std::vector<T> values_of(const ConstTensorData& t) {
  std::vector<T> v(t.data->size() / sizeof(T));
  std::memcpy(v.data(), t.data->data(), v.size() * sizeof(T));
  return v;
}

std::string read_all(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

void write_all(const fs::path& p, const std::string& s) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(s.data(), static_cast<std::streamsize>(s.size()));
}

// A fresh folder per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "tflc_bundle_XXXXXX").string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    path_ = mkdtemp(buf.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string prefix() const { return (path_ / "variables" / "variables").string(); }

 private:
  fs::path path_;
};

std::string error_of(const Status& s) { return s.ok() ? "<ok>" : s.message(); }
template <typename T>
std::string error_of(const Expected<T>& e) { return error_of(e.status()); }

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::vector<NamedTensor> sample_tensors() {
  std::vector<NamedTensor> v;
  v.push_back({"dense/kernel", DType::kFloat32, {2, 3}, bytes_of<float>({1, 2, 3, 4, 5, 6.5f}), {}});
  v.push_back({"dense/bias", DType::kFloat32, {3}, bytes_of<float>({-1, 0, 1}), {}});
  v.push_back({"scalar_f64", DType::kFloat64, {}, bytes_of<double>({3.25}), {}});
  v.push_back({"step", DType::kInt64, {}, bytes_of<int64_t>({1234567890123ll}), {}});
  v.push_back({"ints", DType::kInt32, {4}, bytes_of<int32_t>({-7, 0, 7, 2147483647}), {}});
  v.push_back({"flags", DType::kBool, {3}, std::string("\1\0\1", 3), {}});
  v.push_back({"bytes", DType::kUInt8, {2, 2}, std::string("\x00\x7f\x80\xff", 4), {}});
  v.push_back({"halves", DType::kFloat16, {2}, bytes_of<uint16_t>({0x3c00, 0xc000}), {}});  // 1.0, -2.0
  v.push_back({"int8s", DType::kInt8, {2}, std::string("\x80\x7f", 2), {}});
  v.push_back({"empty", DType::kFloat32, {0, 4}, "", {}});
  v.push_back({"vocab", DType::kString, {3}, "", {"alpha", "", std::string(300, 'z')}});
  v.push_back({"name", DType::kString, {}, "", {"hello"}});
  v.push_back({"no_strings", DType::kString, {0}, "", {}});
  return v;
}

// Rewrites the index of a bundle after `edit` changes the entry protos, with
// correct block checksums: the way to test damage the CRCs cannot catch.
void rewrite_entries(const std::string& prefix,
                     const std::function<void(const std::string&, tensorflow::BundleEntryProto*)>& edit) {
  auto file = MappedFile::open(bundle_index_path(prefix));
  ASSERT_TRUE(file.ok());
  auto table = SsTable::open(*file);
  ASSERT_TRUE(table.ok()) << error_of(table);
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& e : table->entries()) {
    std::string value(e.value);
    if (!e.key.empty()) {
      tensorflow::BundleEntryProto entry;
      ASSERT_TRUE(entry.ParseFromString(value));
      edit(e.key, &entry);
      value = entry.SerializeAsString();
    }
    entries.emplace_back(e.key, value);
  }
  auto bytes = build_sstable(entries);
  ASSERT_TRUE(bytes.ok());
  file->reset();
  table = Status(ErrorKind::kInternal, "closed");
  write_all(bundle_index_path(prefix), *bytes);
}

// --- CRC-32C ---

TEST(Crc32c, MatchesPublishedCheckValues) {
  EXPECT_EQ(crc32c_value(std::string_view("123456789")), 0xe3069283u);
  EXPECT_EQ(crc32c_value(std::string(32, '\0')), 0x8a9136aau);    // RFC 3720 B.4
  EXPECT_EQ(crc32c_value(std::string(32, '\xff')), 0x62a8ab43u);
  std::string inc(32, '\0');
  for (int i = 0; i < 32; ++i) inc[i] = static_cast<char>(i);
  EXPECT_EQ(crc32c_value(inc), 0x46dd794eu);
  EXPECT_EQ(crc32c_value(std::string_view()), 0u);
}

TEST(Crc32c, ExtendEqualsWholeAndMaskRoundTrips) {
  std::mt19937 rng(7);
  std::string s(1000, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  const uint32_t whole = crc32c_value(s);
  for (size_t cut : {0, 1, 7, 8, 9, 500, 999, 1000}) {
    uint32_t part = crc32c_extend(crc32c_value(s.data(), cut), s.data() + cut, s.size() - cut);
    EXPECT_EQ(part, whole) << cut;
  }
  // Unaligned starts take the same path as aligned ones.
  EXPECT_EQ(crc32c_value(s.data() + 3, 64), crc32c_value(std::string(s.data() + 3, 64)));
  for (uint32_t v : {0u, 1u, whole, 0xffffffffu}) {
    EXPECT_EQ(crc32c_unmask(crc32c_mask(v)), v);
    EXPECT_NE(crc32c_mask(v), v);
  }
  EXPECT_EQ(crc32c_mask(0), 0xa282ead8u);
}

// --- Snappy ---

TEST(Snappy, DecodesLiteralsAndAllCopyForms) {
  // "xababab": literal "xab", then copy offset 2 length 4 (1-byte-offset form).
  auto a = snappy_uncompress(std::string("\x07\x08xab\x01\x02", 7));
  ASSERT_TRUE(a.ok()) << error_of(a);
  EXPECT_EQ(*a, "xababab");
  // Literal "abc", copy (2-byte offset 3, length 6), copy (4-byte offset 1, length 2).
  auto b = snappy_uncompress(std::string("\x0b\x08" "abc" "\x16\x03\x00" "\x07\x01\x00\x00\x00", 13));
  ASSERT_TRUE(b.ok()) << error_of(b);
  EXPECT_EQ(*b, "abcabcabccc");
  // A 100-byte literal uses the 1-byte extended length (tag 60).
  std::string lit(100, 'q');
  auto c = snappy_uncompress(std::string("\x64\xf0\x63", 3) + lit);
  ASSERT_TRUE(c.ok()) << error_of(c);
  EXPECT_EQ(*c, lit);
}

TEST(Snappy, RejectsDamage) {
  EXPECT_FALSE(snappy_uncompress(std::string("\x07\x08xab\x01\x00", 7)).ok());   // offset 0
  EXPECT_FALSE(snappy_uncompress(std::string("\x07\x08xab\x01\x09", 7)).ok());   // offset past start
  EXPECT_FALSE(snappy_uncompress(std::string("\x08\x08xab\x01\x02", 7)).ok());   // too short
  EXPECT_FALSE(snappy_uncompress(std::string("\x06\x08xab\x01\x02", 7)).ok());   // too long
  EXPECT_FALSE(snappy_uncompress(std::string("\x07\x08xa", 4)).ok());            // truncated literal
  EXPECT_FALSE(snappy_uncompress(std::string("\x07\x08xab\x01", 6)).ok());       // truncated copy
  EXPECT_FALSE(snappy_uncompress(std::string("\xff\xff\xff\xff\x0f\x00", 6)).ok());  // absurd length
  EXPECT_FALSE(snappy_uncompress("").ok());
}

// --- SSTable ---

TEST(SsTable, RoundTripsManyBlocksAndFinds) {
  for (bool snappy : {false, true}) {
    std::vector<std::pair<std::string, std::string>> entries;
    for (int i = 0; i < 500; ++i) {
      char key[32];
      std::snprintf(key, sizeof key, "layer_%04d/kernel", i);
      entries.emplace_back(key, std::string(i % 37, static_cast<char>('a' + i % 26)));
    }
    SsTableWriteOptions opt;
    opt.block_size = 256;  // forces dozens of data blocks and index entries
    opt.snappy_literal_blocks = snappy;
    auto bytes = build_sstable(entries, opt);
    ASSERT_TRUE(bytes.ok());
    auto table = SsTable::parse(*bytes, "mem");
    ASSERT_TRUE(table.ok()) << error_of(table);
    ASSERT_EQ(table->entries().size(), entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
      EXPECT_EQ(table->entries()[i].key, entries[i].first);
      const auto* e = table->find(entries[i].first);
      ASSERT_NE(e, nullptr);
      EXPECT_EQ(e->value, entries[i].second);
    }
    EXPECT_EQ(table->find("layer_"), nullptr);
    EXPECT_EQ(table->find("zzz"), nullptr);
  }
}

TEST(SsTable, EmptyTableHasNoEntries) {
  auto bytes = build_sstable({});
  ASSERT_TRUE(bytes.ok());
  auto table = SsTable::parse(*bytes, "mem");
  ASSERT_TRUE(table.ok()) << error_of(table);
  EXPECT_TRUE(table->entries().empty());
}

TEST(SsTable, EveryTruncationAndByteFlipIsAnErrorNotACrash) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (int i = 0; i < 40; ++i) entries.emplace_back("k" + std::to_string(100 + i), std::string(i, 'v'));
  SsTableWriteOptions opt;
  opt.block_size = 128;
  auto bytes = build_sstable(entries, opt);
  ASSERT_TRUE(bytes.ok());
  for (size_t n = 0; n < bytes->size(); ++n)
    EXPECT_FALSE(SsTable::parse(std::string_view(*bytes).substr(0, n), "mem").ok()) << n;
  for (size_t i = 0; i < bytes->size(); ++i) {
    std::string damaged = *bytes;
    damaged[i] ^= 0x5a;
    auto t = SsTable::parse(damaged, "mem");
    // Footer padding bytes are not covered by anything; all else must fail.
    if (t.ok()) {
      EXPECT_TRUE(i >= bytes->size() - 48 && i < bytes->size() - 8) << i;
    }
  }
}

TEST(SsTable, UnknownCompressionIsNotSupportedYet) {
  auto bytes = build_sstable({{"a", "1"}});
  ASSERT_TRUE(bytes.ok());
  std::string b = *bytes;
  // The data block is first: 1 entry (5 bytes) + restarts (8), then type + crc.
  const size_t n = 13;
  b[n] = 2;  // zlib in later LevelDB forks
  uint32_t crc = crc32c_mask(crc32c_value(b.data(), n + 1));
  std::memcpy(&b[n + 1], &crc, 4);
  auto t = SsTable::parse(b, "x.index");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().kind(), ErrorKind::kUnsupported);
  EXPECT_TRUE(contains(t.status().message(), "not supported yet")) << error_of(t);
  EXPECT_TRUE(contains(t.status().message(), "compression type 2")) << error_of(t);
}

TEST(SsTable, StructuralDamageUnderAValidChecksumIsReported) {
  auto bytes = build_sstable({{"a", "1"}, {"b", "2"}});
  ASSERT_TRUE(bytes.ok());
  std::string b = *bytes;
  const size_t n = 18;  // 2 entries of 5 bytes + restart array (4) + count (4)
  ASSERT_EQ(b[n], 0);
  const uint32_t huge = 1000;
  std::memcpy(&b[n - 4], &huge, 4);  // claims 1000 restart points
  uint32_t crc = crc32c_mask(crc32c_value(b.data(), n + 1));
  std::memcpy(&b[n + 1], &crc, 4);
  auto t = SsTable::parse(b, "x.index");
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(contains(error_of(t), "restart points")) << error_of(t);
  EXPECT_TRUE(contains(error_of(t), "is corrupt")) << error_of(t);
}

// --- Tensor bundle round trips ---

TEST(TensorBundle, RoundTripsEveryDtype) {
  TempDir dir;
  auto tensors = sample_tensors();
  ASSERT_TRUE(write_tensor_bundle(dir.prefix(), tensors).ok());
  auto bundle = TensorBundle::open(dir.prefix());
  ASSERT_TRUE(bundle.ok()) << error_of(bundle);
  EXPECT_EQ(bundle->num_shards(), 1);

  std::vector<std::string> names;
  for (const auto& t : tensors) names.push_back(t.name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(bundle->keys(), names);
  EXPECT_FALSE(bundle->has(""));
  EXPECT_FALSE(bundle->has("dense"));
  for (const auto& t : tensors) {
    SCOPED_TRACE(t.name);
    ASSERT_TRUE(bundle->has(t.name));
    auto info = bundle->info(t.name);
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->dtype, t.dtype);
    EXPECT_EQ(info->shape, t.shape);
    auto r = bundle->read(t.name);
    ASSERT_TRUE(r.ok()) << error_of(r);
    EXPECT_EQ(r->dtype, t.dtype);
    EXPECT_EQ(r->shape, t.shape);
    if (t.dtype == DType::kString) {
      EXPECT_EQ(r->strings, t.strings);
      // TFLite string buffer: count, offsets, bytes.
      int32_t count;
      std::memcpy(&count, r->data->data(), 4);
      EXPECT_EQ(count, static_cast<int32_t>(t.strings.size()));
    } else {
      EXPECT_EQ(*r->data, t.bytes);
    }
  }
  auto kernel = bundle->read("dense/kernel");
  ASSERT_TRUE(kernel.ok());
  EXPECT_EQ(values_of<float>(*kernel), (std::vector<float>{1, 2, 3, 4, 5, 6.5f}));
}

TEST(TensorBundle, ReadsManyVariablesAcrossSnappyBlocks) {
  TempDir dir;
  std::vector<NamedTensor> tensors;
  for (int i = 0; i < 300; ++i)
    tensors.push_back({"model/layer_" + std::to_string(i) + "/.ATTRIBUTES/VARIABLE_VALUE", DType::kInt32, {2},
                       bytes_of<int32_t>({i, -i}), {}});
  SsTableWriteOptions opt;
  opt.block_size = 200;
  opt.snappy_literal_blocks = true;
  ASSERT_TRUE(write_tensor_bundle(dir.prefix(), tensors, opt).ok());
  auto bundle = TensorBundle::open(dir.prefix());
  ASSERT_TRUE(bundle.ok()) << error_of(bundle);
  EXPECT_EQ(bundle->keys().size(), 300u);
  for (int i = 0; i < 300; i += 37) {
    auto r = bundle->read(tensors[i].name);
    ASSERT_TRUE(r.ok()) << error_of(r);
    EXPECT_EQ(values_of<int32_t>(*r), (std::vector<int32_t>{i, -i}));
  }
}

TEST(TensorBundle, WriterRejectsBadInput) {
  TempDir dir;
  EXPECT_FALSE(write_tensor_bundle(dir.prefix(), {{"", DType::kFloat32, {}, bytes_of<float>({1}), {}}}).ok());
  EXPECT_FALSE(write_tensor_bundle(dir.prefix(), {{"a", DType::kFloat32, {2}, bytes_of<float>({1}), {}}}).ok());
  EXPECT_FALSE(write_tensor_bundle(dir.prefix(), {{"a", DType::kFloat32, {}, bytes_of<float>({1}), {}},
                                                  {"a", DType::kFloat32, {}, bytes_of<float>({2}), {}}})
                   .ok());
  EXPECT_FALSE(write_tensor_bundle(dir.prefix(), {{"s", DType::kString, {2}, "", {"x"}}}).ok());
}

// --- Damaged bundles: one clear error each ---

class DamagedBundle : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(write_tensor_bundle(dir_.prefix(), sample_tensors()).ok());
  }
  std::string index() const { return bundle_index_path(dir_.prefix()); }
  std::string data() const { return bundle_data_path(dir_.prefix(), 0, 1); }
  std::string read_error(const std::string& key) {
    auto b = TensorBundle::open(dir_.prefix());
    std::string err = b.ok() ? error_of(b->read(key)) : "open: " + error_of(b);
    EXPECT_EQ(err.find('\n'), std::string::npos) << "errors are one line: " << err;
    if (std::getenv("TFLC_PRINT_ERRORS")) std::cout << err << "\n";
    return err;
  }
  TempDir dir_;
};

TEST_F(DamagedBundle, MissingIndex) {
  fs::remove(index());
  auto b = TensorBundle::open(dir_.prefix());
  ASSERT_FALSE(b.ok());
  EXPECT_TRUE(contains(error_of(b), "variables.index' does not exist")) << error_of(b);
}

TEST_F(DamagedBundle, MissingShard) {
  fs::remove(data());
  auto b = TensorBundle::open(dir_.prefix());
  ASSERT_FALSE(b.ok());
  EXPECT_TRUE(contains(error_of(b), "data-00000-of-00001' does not exist")) << error_of(b);
}

TEST_F(DamagedBundle, TruncatedIndex) {
  std::string bytes = read_all(index());
  write_all(index(), bytes.substr(0, 20));
  auto b = TensorBundle::open(dir_.prefix());
  ASSERT_FALSE(b.ok());
  EXPECT_TRUE(contains(error_of(b), "is truncated")) << error_of(b);
  // Losing the tail loses the magic number.
  write_all(index(), bytes.substr(0, bytes.size() - 5));
  b = TensorBundle::open(dir_.prefix());
  ASSERT_FALSE(b.ok());
  EXPECT_TRUE(contains(error_of(b), "is not a checkpoint index")) << error_of(b);
}

TEST_F(DamagedBundle, WrongMagic) {
  std::string bytes = read_all(index());
  bytes.back() ^= 1;
  write_all(index(), bytes);
  EXPECT_TRUE(contains(read_error("ints"), "is not a checkpoint index")) << read_error("ints");
}

TEST_F(DamagedBundle, CorruptIndexBlock) {
  std::string bytes = read_all(index());
  bytes[3] ^= 0x10;  // inside the first data block
  write_all(index(), bytes);
  std::string err = read_error("ints");
  EXPECT_TRUE(contains(err, "checksum mismatch in data block at offset 0")) << err;
  EXPECT_TRUE(contains(err, "is corrupt")) << err;
}

TEST_F(DamagedBundle, NotAnIndexAtAll) {
  write_all(index(), std::string(200, 'x'));
  EXPECT_TRUE(contains(read_error("ints"), "is not a checkpoint index")) << read_error("ints");
}

TEST_F(DamagedBundle, FlippedDataByteIsAChecksumMismatch) {
  std::string bytes = read_all(data());
  bytes[0] ^= 1;  // first variable in key order: "bytes"
  write_all(data(), bytes);
  std::string err = read_error("bytes");
  EXPECT_EQ(err, "checksum mismatch for variable 'bytes' in " + data() +
                     "; the checkpoint is corrupt — re-copy or re-export the SavedModel");
  EXPECT_TRUE(read_error("ints") == "<ok>") << read_error("ints");  // others still read
}

TEST_F(DamagedBundle, FlippedStringByteIsAChecksumMismatch) {
  // Find "vocab" via its entry (the edit is a no-op): flip its last byte.
  tensorflow::BundleEntryProto vocab;
  rewrite_entries(dir_.prefix(), [&](const std::string& k, tensorflow::BundleEntryProto* e) {
    if (k == "vocab") vocab = *e;
  });
  std::string bytes = read_all(data());
  bytes[vocab.offset() + vocab.size() - 1] ^= 1;
  write_all(data(), bytes);
  EXPECT_TRUE(contains(read_error("vocab"), "checksum mismatch for variable 'vocab'")) << read_error("vocab");
  // Damage to the lengths is caught by the length checksum.
  bytes[vocab.offset()] ^= 2;
  write_all(data(), bytes);
  EXPECT_TRUE(contains(read_error("vocab"), "checksum mismatch for variable 'vocab'")) << read_error("vocab");
}

TEST_F(DamagedBundle, TruncatedShard) {
  std::string bytes = read_all(data());
  write_all(data(), bytes.substr(0, bytes.size() / 2));
  // "vocab" is near the end in key order... the last key's data is certainly cut.
  std::string err = read_error("vocab");
  EXPECT_TRUE(contains(err, "lies past the end of")) << err;
  EXPECT_TRUE(contains(err, "truncated")) << err;
}

TEST_F(DamagedBundle, OffsetBeyondShard) {
  rewrite_entries(dir_.prefix(), [](const std::string& k, tensorflow::BundleEntryProto* e) {
    if (k == "ints") e->set_offset(1 << 20);
    if (k == "step") e->set_offset(-8);
    if (k == "flags") e->set_size(int64_t{1} << 62);
  });
  for (const char* k : {"ints", "step", "flags"}) EXPECT_TRUE(contains(read_error(k), "lies past the end of")) << k;
  EXPECT_EQ(read_error("dense/bias"), "<ok>");
}

TEST_F(DamagedBundle, EntryMetadataInconsistencies) {
  rewrite_entries(dir_.prefix(), [](const std::string& k, tensorflow::BundleEntryProto* e) {
    if (k == "ints") e->mutable_shape()->mutable_dim(0)->set_size(5);                  // size mismatch
    if (k == "step") e->set_shard_id(3);                                               // no such shard
    if (k == "flags") e->mutable_shape()->add_dim()->set_size(-1);                     // invalid shape
    if (k == "bytes") e->add_slices();                                                 // partitioned
    if (k == "halves") e->set_dtype(tensorflow::DT_VARIANT);                           // unsupported type
    if (k == "name") e->mutable_shape()->add_dim()->set_size(int64_t{1} << 40);        // strings > bytes
  });
  EXPECT_TRUE(contains(read_error("ints"), "has 16 bytes, but shape [5] of DT_INT32 needs 20")) << read_error("ints");
  EXPECT_TRUE(contains(read_error("step"), "is in shard 3 of 1")) << read_error("step");
  EXPECT_TRUE(contains(read_error("flags"), "invalid shape")) << read_error("flags");
  EXPECT_TRUE(contains(read_error("bytes"), "not supported yet: variable 'bytes' is partitioned")) << read_error("bytes");
  EXPECT_TRUE(contains(read_error("halves"), "not supported yet: variable 'halves' of type DT_VARIANT"))
      << read_error("halves");
  EXPECT_TRUE(contains(read_error("name"), "strings in")) << read_error("name");
  EXPECT_TRUE(contains(read_error("missing"), "variable 'missing' is not in checkpoint")) << read_error("missing");
}

TEST_F(DamagedBundle, EveryIndexTruncationFailsCleanly) {
  std::string bytes = read_all(index());
  for (size_t n = 0; n < bytes.size(); n += 3) {
    write_all(index(), bytes.substr(0, n));
    EXPECT_FALSE(TensorBundle::open(dir_.prefix()).ok()) << n;
  }
}

// --- Real checkpoints from the corpus ---

std::string dims(const std::vector<int64_t>& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? "," : "") + std::to_string(s[i]);
  return out + "]";
}

std::vector<std::string> corpus_prefixes() {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(kCorpus, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->path().extension() == ".index") out.push_back((it->path().parent_path() / it->path().stem()).string());
  std::sort(out.begin(), out.end());
  return out;
}

#define REQUIRE_CORPUS()                                                                          \
  if (!fs::exists(kCorpus))                                                                       \
  GTEST_SKIP() << "corpus not found at " << kCorpus.string()                                      \
               << " (the real-checkpoint tests need ../shared/corpus next to the source tree)"

TEST(TensorBundleCorpus, ReadsEveryVariableOfEveryCheckpoint) {
  REQUIRE_CORPUS();
  auto prefixes = corpus_prefixes();
  ASSERT_GE(prefixes.size(), 15u);
  for (const auto& prefix : prefixes) {
    SCOPED_TRACE(prefix);
    auto b = TensorBundle::open(prefix);
    ASSERT_TRUE(b.ok()) << error_of(b);
    std::cout << fs::relative(prefix, kCorpus).string() << "\n";
    for (const auto& key : b->keys()) {
      auto r = b->read(key);
      ASSERT_TRUE(r.ok()) << key << ": " << error_of(r);
      std::cout << "  " << key << " " << dtype_name(r->dtype) << dims(r->shape);
      if (r->num_elements() <= 4) {
        if (r->dtype == DType::kFloat32)
          for (float f : values_of<float>(*r)) std::cout << " " << f;
        if (r->dtype == DType::kInt32)
          for (int32_t v : values_of<int32_t>(*r)) std::cout << " " << v;
        if (r->dtype == DType::kInt64)
          for (int64_t v : values_of<int64_t>(*r)) std::cout << " " << v;
      }
      if (r->dtype == DType::kString) std::cout << " (" << r->strings.at(0).size() << "-byte string)";
      std::cout << "\n";
    }
  }
}

TEST(TensorBundleCorpus, HalfPlusTwo) {
  REQUIRE_CORPUS();
  // TF 1.x wrote this index with a snappy-compressed data block.
  const std::string p = "serving_saved_model_half_plus_two_cpu/00000123/variables/variables";
  auto b = TensorBundle::open((kCorpus / p).string());
  ASSERT_TRUE(b.ok()) << error_of(b);
  EXPECT_EQ(b->keys(), (std::vector<std::string>{"a", "a2", "b", "c", "c2"}));
  const std::map<std::string, float> expected = {{"a", 0.5f}, {"a2", 0.5f}, {"b", 2.0f}, {"c", 3.0f}, {"c2", 3.0f}};
  for (const auto& [key, value] : expected) {
    auto r = b->read(key);
    ASSERT_TRUE(r.ok()) << error_of(r);
    EXPECT_EQ(r->dtype, DType::kFloat32);
    EXPECT_TRUE(r->shape.empty());
    EXPECT_EQ(values_of<float>(*r), std::vector<float>{value}) << key;
  }
}

TEST(TensorBundleCorpus, HalfPlusTwoTf2ObjectGraph) {
  REQUIRE_CORPUS();
  // TF2 bundle, also snappy; its string entry is a TrackableObjectGraph that
  // names every variable's checkpoint key.
  const std::string p = "serving_saved_model_half_plus_two_tf2_cpu/00000123/variables/variables";
  auto b = TensorBundle::open((kCorpus / p).string());
  ASSERT_TRUE(b.ok()) << error_of(b);
  auto g = b->read("_CHECKPOINTABLE_OBJECT_GRAPH");
  ASSERT_TRUE(g.ok()) << error_of(g);
  EXPECT_EQ(g->dtype, DType::kString);
  ASSERT_EQ(g->strings.size(), 1u);
  tensorflow::TrackableObjectGraph graph;
  ASSERT_TRUE(graph.ParseFromString(g->strings[0]));
  std::vector<std::string> keys;
  for (const auto& node : graph.nodes())
    for (const auto& attr : node.attributes()) keys.push_back(attr.checkpoint_key());
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"a/.ATTRIBUTES/VARIABLE_VALUE", "b/.ATTRIBUTES/VARIABLE_VALUE",
                                            "c/.ATTRIBUTES/VARIABLE_VALUE"}));
  for (const auto& k : keys) EXPECT_TRUE(b->has(k)) << k;
  auto c = b->read("c/.ATTRIBUTES/VARIABLE_VALUE");
  ASSERT_TRUE(c.ok()) << error_of(c);
  EXPECT_EQ(values_of<float>(*c), std::vector<float>{3.0f});
}

TEST(TensorBundleCorpus, TfjsNodeVariables) {
  REQUIRE_CORPUS();
  auto read = [](const std::string& model, const std::string& var) {
    auto b = TensorBundle::open((kCorpus / "tfjs_node_saved_models" / model / "variables" / "variables").string());
    EXPECT_TRUE(b.ok()) << error_of(b);
    if (!b.ok()) return ConstTensorData{};
    auto r = b->read(var + "/.ATTRIBUTES/VARIABLE_VALUE");
    EXPECT_TRUE(r.ok()) << error_of(r);
    return r.ok() ? *r : ConstTensorData{};
  };
  auto v = read("times_three_float", "v");
  EXPECT_EQ(v.dtype, DType::kFloat32);
  EXPECT_EQ(values_of<float>(v), std::vector<float>{3.0f});
  auto i = read("times_two_int", "v");
  EXPECT_EQ(i.dtype, DType::kInt32);
  EXPECT_EQ(values_of<int32_t>(i), std::vector<int32_t>{2});
  auto l = read("int64_multiply", "v1");
  EXPECT_EQ(l.dtype, DType::kInt64);
  EXPECT_EQ(l.shape, std::vector<int64_t>{});
}

TEST(TensorBundleCorpus, Tf2OnnxRegressionHasTwoFloatVariables) {
  REQUIRE_CORPUS();
  auto b = TensorBundle::open((kCorpus / "tf2onnx_regression/saved_model/variables/variables").string());
  ASSERT_TRUE(b.ok()) << error_of(b);
  int floats = 0;
  for (const auto& k : b->keys()) {
    auto r = b->read(k);
    ASSERT_TRUE(r.ok()) << error_of(r);
    if (r->dtype == DType::kFloat32) ++floats;
  }
  EXPECT_EQ(floats, 2);
}

// Our writer must produce, for each corpus tensor, the entry TF wrote:
// same dtype, shape, size and (masked) CRC — this checks the CRC rules,
// including the string layout, against TensorFlow's own output.
TEST(TensorBundleCorpus, WriterReproducesTensorFlowEntries) {
  REQUIRE_CORPUS();
  for (const auto& prefix : corpus_prefixes()) {
    SCOPED_TRACE(prefix);
    auto b = TensorBundle::open(prefix);
    ASSERT_TRUE(b.ok()) << error_of(b);
    std::vector<NamedTensor> tensors;
    for (const auto& key : b->keys()) {
      auto r = b->read(key);
      ASSERT_TRUE(r.ok()) << error_of(r);
      NamedTensor t{key, r->dtype, r->shape, "", r->strings};
      if (r->dtype != DType::kString) t.bytes = *r->data;
      tensors.push_back(std::move(t));
    }
    TempDir dir;
    ASSERT_TRUE(write_tensor_bundle(dir.prefix(), tensors).ok());
    std::map<std::string, tensorflow::BundleEntryProto> theirs, ours;
    auto collect = [](const std::string& index, std::map<std::string, tensorflow::BundleEntryProto>* out) {
      auto f = MappedFile::open(index);
      ASSERT_TRUE(f.ok());
      auto t = SsTable::open(*f);
      ASSERT_TRUE(t.ok()) << error_of(t);
      for (const auto& e : t->entries()) {
        if (!e.key.empty()) {
          ASSERT_TRUE((*out)[e.key].ParseFromArray(e.value.data(), static_cast<int>(e.value.size())));
        }
      }
    };
    collect(prefix + ".index", &theirs);
    collect(bundle_index_path(dir.prefix()), &ours);
    ASSERT_EQ(theirs.size(), ours.size());
    for (auto& [key, e] : theirs) {
      const auto& o = ours[key];
      EXPECT_EQ(o.dtype(), e.dtype()) << key;
      EXPECT_EQ(o.shape().SerializeAsString(), e.shape().SerializeAsString()) << key;
      EXPECT_EQ(o.size(), e.size()) << key;
      EXPECT_EQ(o.crc32c(), e.crc32c()) << key;
    }
    auto again = TensorBundle::open(dir.prefix());
    ASSERT_TRUE(again.ok()) << error_of(again);
    for (const auto& t : tensors) {
      auto r = again->read(t.name);
      ASSERT_TRUE(r.ok()) << error_of(r);
      EXPECT_EQ(r->strings, t.strings);
      if (t.dtype != DType::kString) {
        EXPECT_EQ(*r->data, t.bytes);
      }
    }
  }
}

}  // namespace
}  // namespace tflc
