// The representative dataset reader: .npy headers (good, truncated, damaged),
// folders of .npy files and .npz archives (stored and deflated).
#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "ops/op_util.h"
#include "quant/dataset.h"

namespace tflc {
namespace {

namespace fs = std::filesystem;

// An .npy file as numpy writes it: magic, version, header length, a dict
// padded with spaces to a 64-byte boundary and ending in '\n', then data.
std::string npy(const std::string& dict, const std::string& data, int major = 1) {
  std::string head = dict;
  size_t prefix = major == 1 ? 10 : 12;
  while ((prefix + head.size() + 1) % 64 != 0) head += ' ';
  head += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  uint32_t n = static_cast<uint32_t>(head.size());
  for (size_t i = 0; i < (major == 1 ? 2u : 4u); ++i) out += static_cast<char>((n >> (8 * i)) & 0xff);
  return out + head + data;
}

std::string f32_npy(const std::string& shape, const std::vector<float>& v, int major = 1) {
  return npy("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }", to_bytes(v), major);
}

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("tflc_ds_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name, const std::string& bytes) const {
    std::string p = (path_ / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

TEST(QuantDataset, ParsesVersion1Float32) {
  std::vector<float> v = {1, 2, 3, 4, 5, 6};
  auto a = parse_npy(f32_npy("(2, 3)", v), "t");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->dtype, DType::kFloat32);
  EXPECT_EQ(a->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a->bytes, to_bytes(v));
}

TEST(QuantDataset, ParsesVersions2And3AndOtherTypes) {
  std::vector<int32_t> i = {7, -8, 9};
  auto a = parse_npy(npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", to_bytes(i), 2), "t");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->dtype, DType::kInt32);
  EXPECT_EQ(a->shape, (std::vector<int64_t>{3}));
  // Python 2 wrote longs with an L; double quotes are legal too.
  auto b = parse_npy(npy("{\"descr\": \"|u1\", \"fortran_order\": False, \"shape\": (2L, 1L)}", "\x01\x02", 3), "t");
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->dtype, DType::kUInt8);
  EXPECT_EQ(b->shape, (std::vector<int64_t>{2, 1}));
  auto c = parse_npy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 5), }", ""), "t");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->dtype, DType::kFloat64);
  EXPECT_EQ(c->shape[0], 0);
}

TEST(QuantDataset, TruncatedFilesAreOneClearError) {
  std::string good = f32_npy("(2, 3)", {1, 2, 3, 4, 5, 6});
  auto a = parse_npy(good.substr(0, good.size() - 3), "x.npy");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("x.npy is truncated"), std::string::npos) << a.status().message();
  EXPECT_NE(a.status().message().find("needs 24 data bytes, 21 are present"), std::string::npos);
  auto b = parse_npy(good.substr(0, 40), "x.npy");  // cut inside the header
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("truncated"), std::string::npos) << b.status().message();
  auto c = parse_npy(good.substr(0, 7), "x.npy");
  ASSERT_FALSE(c.ok());
  auto d = parse_npy(good + "xx", "x.npy");  // trailing bytes
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("damaged"), std::string::npos) << d.status().message();
}

TEST(QuantDataset, BadHeadersAreRefused) {
  auto msg = [](const std::string& bytes) {
    auto a = parse_npy(bytes, "h.npy");
    return a.ok() ? std::string("ok") : a.status().message();
  };
  EXPECT_NE(msg("PK\x03\x04 not npy at all").find("not an .npy file"), std::string::npos);
  EXPECT_NE(msg(npy("{'descr': '<f4', 'fortran_order': False}", "")).find("damaged .npy header"), std::string::npos);
  EXPECT_NE(msg(npy("{'descr': '<f4', 'fortran_order': Maybe, 'shape': ()}", "")).find("fortran_order"),
            std::string::npos);
  EXPECT_NE(msg(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", "")).find("damaged"),
            std::string::npos);
  EXPECT_NE(msg(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3}", "")).find("damaged"),
            std::string::npos);
  EXPECT_NE(msg(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", "abcd")).find("Fortran order"),
            std::string::npos);
  EXPECT_NE(msg(npy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", "abcd")).find("dtype '>f4'"),
            std::string::npos);
  EXPECT_NE(msg(npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", "abcdefgh")).find("dtype '|O'"),
            std::string::npos);
  EXPECT_NE(msg(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", "abcd"))
                .find("structured dtype"),
            std::string::npos);
  EXPECT_NE(msg(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 8), }", ""))
                .find("damaged"),
            std::string::npos);
  std::string v9 = f32_npy("(1,)", {1});
  v9[6] = 9;
  EXPECT_NE(msg(v9).find("format version 9.0"), std::string::npos);
}

TEST(QuantDataset, ReadsAFolderOfNpySortedByName) {
  TempDir d;
  d.file("b.npy", f32_npy("(2, 1)", {3, 4}));
  d.file("a.npy", f32_npy("(2, 2)", {1, 2, 5, 6}));
  d.file("notes.txt", "ignored");
  auto ds = read_representative_dataset(d.path());
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(ds->keys, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ds->num_samples, 2);
  EXPECT_EQ(ds->arrays[1].shape, (std::vector<int64_t>{2, 1}));
}

TEST(QuantDataset, SampleCountsMustAgreeAndBePositive) {
  TempDir d;
  d.file("a.npy", f32_npy("(2, 2)", {1, 2, 5, 6}));
  d.file("b.npy", f32_npy("(3, 1)", {3, 4, 5}));
  auto ds = read_representative_dataset(d.path());
  ASSERT_FALSE(ds.ok());
  EXPECT_NE(ds.status().message().find("'b' has 3 samples, array 'a' has 2"), std::string::npos)
      << ds.status().message();

  TempDir z;
  z.file("x.npy", f32_npy("(0, 4)", {}));
  auto zs = read_representative_dataset(z.path());
  ASSERT_FALSE(zs.ok());
  EXPECT_NE(zs.status().message().find("zero samples"), std::string::npos) << zs.status().message();

  TempDir e;
  auto es = read_representative_dataset(e.path());
  ASSERT_FALSE(es.ok());
  EXPECT_NE(es.status().message().find("holds no .npy files"), std::string::npos);

  TempDir s;
  auto ss = read_representative_dataset(s.file("s.npy", f32_npy("()", {1})));
  ASSERT_FALSE(ss.ok());
  EXPECT_NE(ss.status().message().find("is a scalar"), std::string::npos) << ss.status().message();
}

// Writes an .npz with libzip: one entry per (name, bytes), stored or deflated.
std::string write_npz(const TempDir& d, const std::string& name,
                      const std::vector<std::pair<std::string, std::string>>& entries, bool deflate) {
  std::string path = (fs::path(d.path()) / name).string();
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  EXPECT_NE(z, nullptr);
  for (const auto& [n, bytes] : entries) {
    zip_source_t* src = zip_source_buffer(z, bytes.data(), bytes.size(), 0);
    zip_int64_t idx = zip_file_add(z, n.c_str(), src, ZIP_FL_OVERWRITE);
    EXPECT_GE(idx, 0);
    zip_set_file_compression(z, static_cast<zip_uint64_t>(idx), deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 9);
  }
  EXPECT_EQ(zip_close(z), 0);
  return path;
}

TEST(QuantDataset, ReadsNpzStoredAndDeflated) {
  TempDir d;
  std::string x = f32_npy("(3, 2)", {1, 2, 3, 4, 5, 6});
  std::string y = npy("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", to_bytes(std::vector<int64_t>{7, 8, 9}));
  for (bool deflate : {false, true}) {
    std::string p = write_npz(d, deflate ? "d.npz" : "s.npz", {{"x.npy", x}, {"y.npy", y}}, deflate);
    auto ds = read_representative_dataset(p);
    ASSERT_TRUE(ds.ok()) << ds.status().message();
    EXPECT_EQ(ds->keys, (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ(ds->num_samples, 3);
    EXPECT_EQ(ds->arrays[0].bytes, to_bytes(std::vector<float>{1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(ds->arrays[1].dtype, DType::kInt64);
  }
}

TEST(QuantDataset, DamagedNpzAndMissingFilesAreOneClearError) {
  TempDir d;
  std::string good = write_npz(d, "g.npz", {{"x.npy", f32_npy("(3, 2)", {1, 2, 3, 4, 5, 6})}}, true);
  std::string bytes;
  {
    std::ifstream in(good, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto t = read_representative_dataset(d.file("t.npz", bytes.substr(0, bytes.size() / 2)));
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("not a valid .npz"), std::string::npos) << t.status().message();

  std::string other = write_npz(d, "o.npz", {{"readme.txt", "hello"}}, false);
  auto o = read_representative_dataset(other);
  ASSERT_FALSE(o.ok());
  EXPECT_NE(o.status().message().find("only .npy entries"), std::string::npos) << o.status().message();

  auto m = read_representative_dataset(d.path() + "/missing.npz");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("no such file"), std::string::npos) << m.status().message();

  auto j = read_representative_dataset(d.file("junk.bin", "hello world"));
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.status().message().find("neither an .npz"), std::string::npos) << j.status().message();

  auto one = read_representative_dataset(d.file("single.npy", f32_npy("(2,)", {1, 2})));
  ASSERT_TRUE(one.ok()) << one.status().message();
  EXPECT_EQ(one->keys, (std::vector<std::string>{"single"}));
}

}  // namespace
}  // namespace tflc
