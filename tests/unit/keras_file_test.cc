// Keras model file reader: H5 (Keras 1/2, tf.keras) and .keras (Keras 3)
// fixtures built here with the HDF5 C API and libzip, damaged and hostile
// inputs, and every Keras file of the corpus (skipped when ../shared/corpus
// is absent).
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>
#include <zip.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>

#include "frontends/keras/h5_file.h"
#include "frontends/keras/keras_archive.h"
#include "frontends/keras/keras_file.h"
#include "support/budget.h"

namespace tflc {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(TFLC_SOURCE_DIR) / ".." / "shared" / "corpus";

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "keras_file_test_XXXXXX").string();
    TFLC_CHECK(mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

template <typename T>
std::string bytes_of(const std::vector<T>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

template <typename T>
std::vector<T> values_of(const KerasArray& a) {
  std::vector<T> v(a.bytes.size() / sizeof(T));
  std::memcpy(v.data(), a.bytes.data(), v.size() * sizeof(T));
  return v;
}

// ------------------------------------------------ HDF5 fixture writing ----

// Writes HDF5 files the way h5py/Keras lay them out.
class H5Writer {
 public:
  explicit H5Writer(const std::string& path) {
    file_ = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    TFLC_CHECK(file_ >= 0);
  }
  ~H5Writer() {
    for (hid_t g : groups_) H5Gclose(g);
    H5Fclose(file_);
  }
  hid_t root() const { return file_; }

  // Creates (with parents) and returns a group; closed with the writer.
  hid_t group(const std::string& path) {
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    // H5Lexists fails (and prints) when a parent is missing: test each prefix.
    bool exists = true;
    for (size_t end = path.find('/'); exists; end = path.find('/', end + 1)) {
      exists = H5Lexists(file_, path.substr(0, end).c_str(), H5P_DEFAULT) > 0;
      if (end == std::string::npos) break;
    }
    hid_t g = exists ? H5Gopen2(file_, path.c_str(), H5P_DEFAULT)
                     : H5Gcreate2(file_, path.c_str(), lcpl, H5P_DEFAULT, H5P_DEFAULT);
    H5Pclose(lcpl);
    TFLC_CHECK(g >= 0);
    groups_.push_back(g);
    return g;
  }

  // Scalar variable-length string, as h5py writes a Python str/bytes.
  static void vlen_attr(hid_t obj, const std::string& name, const std::string& value) {
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t attr = H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
    const char* p = value.c_str();
    TFLC_CHECK(H5Awrite(attr, type, &p) >= 0);
    H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
  }

  // Scalar fixed-length string, as h5py writes numpy.bytes_.
  static void fixed_attr(hid_t obj, const std::string& name, const std::string& value) {
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, value.size());
    H5Tset_strpad(type, H5T_STR_NULLPAD);
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t attr = H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
    TFLC_CHECK(H5Awrite(attr, type, value.data()) >= 0);
    H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
  }

  // 1-D array of NUL-padded fixed strings, as Keras writes layer_names and
  // weight_names (np.array of bytes).
  static void fixed_list_attr(hid_t obj, const std::string& name, const std::vector<std::string>& values) {
    size_t width = 1;
    for (const auto& v : values) width = std::max(width, v.size());
    std::string buf(width * values.size(), '\0');
    for (size_t i = 0; i < values.size(); ++i) std::memcpy(&buf[i * width], values[i].data(), values[i].size());
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, width);
    H5Tset_strpad(type, H5T_STR_NULLPAD);
    hsize_t n = values.size();
    hid_t space = H5Screate_simple(1, &n, nullptr);
    hid_t attr = H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
    TFLC_CHECK(H5Awrite(attr, type, buf.data()) >= 0);
    H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
  }

  // What Keras writes as weight_names for a layer without weights.
  static void empty_f64_attr(hid_t obj, const std::string& name) {
    hsize_t n = 0;
    hid_t space = H5Screate_simple(1, &n, nullptr);
    hid_t attr = H5Acreate2(obj, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT);
    H5Aclose(attr);
    H5Sclose(space);
  }

  // A dataset at `path` below `loc` (parents created); an empty `dims` makes
  // a scalar. `file_type` is the stored type, `mem_type` describes `data`.
  static void dataset(hid_t loc, const std::string& path, hid_t file_type, hid_t mem_type,
                      const std::vector<hsize_t>& dims, const void* data) {
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t space = dims.empty() ? H5Screate(H5S_SCALAR)
                               : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
    hid_t ds = H5Dcreate2(loc, path.c_str(), file_type, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    TFLC_CHECK(ds >= 0);
    if (data != nullptr) TFLC_CHECK(H5Dwrite(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0);
    H5Dclose(ds);
    H5Sclose(space);
    H5Pclose(lcpl);
  }

  static void f32(hid_t loc, const std::string& path, const std::vector<hsize_t>& dims,
                  const std::vector<float>& values) {
    dataset(loc, path, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, dims, values.data());
  }

 private:
  hid_t file_ = -1;
  std::vector<hid_t> groups_;
};

// Failures are one line, name the file and say what to do.
void expect_error(const Expected<KerasModelFile>& m, const std::string& fragment) {
  ASSERT_FALSE(m.ok()) << "expected an error containing: " << fragment;
  EXPECT_NE(m.status().message().find(fragment), std::string::npos) << m.status().message();
  EXPECT_EQ(m.status().message().find('\n'), std::string::npos) << m.status().message();
}

const char* kDenseConfig =
    R"({"class_name": "Sequential", "config": {"name": "seq", "layers": [)"
    R"({"class_name": "Dense", "config": {"name": "dense", "units": 3}},)"
    R"({"class_name": "Flatten", "config": {"name": "flatten"}}]}})";

// A Keras 2 / tf.keras style H5 file: model_config + model_weights.
void write_keras2_h5(const std::string& path) {
  H5Writer w(path);
  H5Writer::vlen_attr(w.root(), "model_config", kDenseConfig);
  H5Writer::vlen_attr(w.root(), "keras_version", "2.8.0");
  H5Writer::vlen_attr(w.root(), "backend", "tensorflow");
  hid_t mw = w.group("model_weights");
  H5Writer::fixed_list_attr(mw, "layer_names", {"dense", "flatten"});
  hid_t dense = w.group("model_weights/dense");
  H5Writer::fixed_list_attr(dense, "weight_names", {"dense/kernel:0", "dense/bias:0"});
  H5Writer::f32(dense, "dense/kernel:0", {2, 3}, {1, 2, 3, 4, 5, 6});
  H5Writer::f32(dense, "dense/bias:0", {3}, {0.5f, -1, 2});
  H5Writer::empty_f64_attr(w.group("model_weights/flatten"), "weight_names");
}

TEST(KerasH5, Keras2Layout) {
  TempDir tmp;
  write_keras2_h5(tmp.file("m.h5"));
  auto m = read_keras_model_file(tmp.file("m.h5"));
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->format, "h5");
  EXPECT_EQ(m->config["class_name"], "Sequential");
  EXPECT_EQ(m->config["config"]["layers"].size(), 2u);
  EXPECT_EQ(m->keras_version, "2.8.0");
  EXPECT_EQ(m->backend, "tensorflow");
  ASSERT_EQ(m->weights.size(), 2u);
  const auto& dense = m->weights.at("dense");
  ASSERT_EQ(dense.size(), 2u);
  EXPECT_EQ(dense[0].name, "dense/kernel:0");
  EXPECT_EQ(dense[0].dtype, DType::kFloat32);
  EXPECT_EQ(dense[0].shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values_of<float>(dense[0]), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(dense[1].name, "dense/bias:0");
  EXPECT_EQ(values_of<float>(dense[1]), (std::vector<float>{0.5f, -1, 2}));
  EXPECT_TRUE(m->weights.at("flatten").empty());
}

TEST(KerasH5, Keras1RootWeightsAndFixedLengthConfig) {
  TempDir tmp;
  {
    H5Writer w(tmp.file("k1.h5"));
    // Keras 1: a bare layer list as config, a fixed-length string attribute,
    // weights at the root with Keras 1 names, no version attributes.
    H5Writer::fixed_attr(w.root(), "model_config",
                         R"({"class_name": "Sequential", "config": [{"class_name": "Dense", "config": {"name": "d"}}]})");
    H5Writer::fixed_list_attr(w.root(), "layer_names", {"d"});
    hid_t d = w.group("d");
    H5Writer::fixed_list_attr(d, "weight_names", {"d_W", "d_b"});
    H5Writer::f32(d, "d_W", {1, 2}, {7, 8});
    H5Writer::f32(d, "d_b", {2}, {0, 1});
  }
  auto m = read_keras_model_file(tmp.file("k1.h5"));
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_TRUE(m->config["config"].is_array());
  EXPECT_EQ(m->keras_version, "");
  ASSERT_EQ(m->weights.at("d").size(), 2u);
  EXPECT_EQ(m->weights.at("d")[0].name, "d_W");
  EXPECT_EQ(m->weights.at("d")[0].shape, (std::vector<int64_t>{1, 2}));
}

TEST(KerasH5, DtypesScalarsAndByteOrder) {
  TempDir tmp;
  {
    H5Writer w(tmp.file("t.h5"));
    H5Writer::vlen_attr(w.root(), "model_config", kDenseConfig);
    H5Writer::fixed_list_attr(w.group("model_weights"), "layer_names", {"x"});
    hid_t x = w.group("model_weights/x");
    H5Writer::fixed_list_attr(x, "weight_names", {"f16", "f64", "i32", "u8", "i64s", "b", "be", "bf16"});
    // float16 built from float32 the way h5py describes numpy float16.
    hid_t f16 = H5Tcopy(H5T_IEEE_F32LE);
    H5Tset_fields(f16, 15, 10, 5, 0, 10);
    H5Tset_precision(f16, 16);
    H5Tset_size(f16, 2);
    H5Tset_ebias(f16, 15);
    std::vector<uint16_t> halves = {0x3c00, 0xc000};  // 1.0, -2.0
    H5Writer::dataset(x, "f16", f16, f16, {2}, halves.data());
    H5Tclose(f16);
    std::vector<double> doubles = {1.5, -2.25, 3};
    H5Writer::dataset(x, "f64", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {3, 1}, doubles.data());
    std::vector<int32_t> ints = {-1, 2, 3, 4};
    H5Writer::dataset(x, "i32", H5T_STD_I32LE, H5T_NATIVE_INT32, {2, 2}, ints.data());
    std::vector<uint8_t> bytes = {9, 255};
    H5Writer::dataset(x, "u8", H5T_STD_U8LE, H5T_NATIVE_UINT8, {2}, bytes.data());
    int64_t scalar = 1234567890123;
    H5Writer::dataset(x, "i64s", H5T_STD_I64LE, H5T_NATIVE_INT64, {}, &scalar);
    // h5py's numpy bool: an int8 enum {FALSE, TRUE}.
    hid_t b = H5Tenum_create(H5T_NATIVE_INT8);
    int8_t f = 0, t = 1;
    H5Tenum_insert(b, "FALSE", &f);
    H5Tenum_insert(b, "TRUE", &t);
    std::vector<int8_t> bools = {1, 0, 1};
    H5Writer::dataset(x, "b", b, b, {3}, bools.data());
    H5Tclose(b);
    std::vector<float> be = {1.25f, -3};
    H5Writer::dataset(x, "be", H5T_IEEE_F32BE, H5T_NATIVE_FLOAT, {2}, be.data());
    // Keras 3's bfloat16: 2-byte opaque data tagged dtype="bfloat16".
    hid_t opaque = H5Tcreate(H5T_OPAQUE, 2);
    std::vector<uint16_t> bf = {0x3f80, 0x4000};  // 1.0, 2.0
    H5Writer::dataset(x, "bf16", opaque, opaque, {2}, bf.data());
    H5Tclose(opaque);
    hid_t bf_ds = H5Dopen2(x, "bf16", H5P_DEFAULT);
    H5Writer::vlen_attr(bf_ds, "dtype", "bfloat16");
    H5Dclose(bf_ds);
  }
  auto m = read_keras_model_file(tmp.file("t.h5"));
  ASSERT_TRUE(m.ok()) << m.status().message();
  const auto& a = m->weights.at("x");
  ASSERT_EQ(a.size(), 8u);
  EXPECT_EQ(a[0].dtype, DType::kFloat16);
  EXPECT_EQ(values_of<uint16_t>(a[0]), (std::vector<uint16_t>{0x3c00, 0xc000}));
  EXPECT_EQ(a[1].dtype, DType::kFloat64);
  EXPECT_EQ(a[1].shape, (std::vector<int64_t>{3, 1}));
  EXPECT_EQ(values_of<double>(a[1]), (std::vector<double>{1.5, -2.25, 3}));
  EXPECT_EQ(a[2].dtype, DType::kInt32);
  EXPECT_EQ(values_of<int32_t>(a[2]), (std::vector<int32_t>{-1, 2, 3, 4}));
  EXPECT_EQ(a[3].dtype, DType::kUInt8);
  EXPECT_EQ(a[4].dtype, DType::kInt64);
  EXPECT_TRUE(a[4].shape.empty());
  EXPECT_EQ(values_of<int64_t>(a[4]), (std::vector<int64_t>{1234567890123}));
  EXPECT_EQ(a[5].dtype, DType::kBool);
  EXPECT_EQ(a[5].bytes, std::string("\x01\x00\x01", 3));
  EXPECT_EQ(a[6].dtype, DType::kFloat32);
  EXPECT_EQ(values_of<float>(a[6]), (std::vector<float>{1.25f, -3}));  // swapped to little-endian
  EXPECT_EQ(a[7].dtype, DType::kBFloat16);
  EXPECT_EQ(values_of<uint16_t>(a[7]), (std::vector<uint16_t>{0x3f80, 0x4000}));
}

TEST(KerasH5, ExternalLinksAreNotFollowed) {
  // A weight name resolving through an external link would make HDF5 open
  // another file; the reader refuses instead.
  TempDir tmp;
  {
    H5Writer other(tmp.file("other.h5"));
    H5Writer::f32(other.root(), "secret", {1}, {42});
  }
  {
    H5Writer w(tmp.file("link.h5"));
    H5Writer::vlen_attr(w.root(), "model_config", kDenseConfig);
    H5Writer::fixed_list_attr(w.group("model_weights"), "layer_names", {"dense"});
    hid_t d = w.group("model_weights/dense");
    H5Writer::fixed_list_attr(d, "weight_names", {"k"});
    TFLC_CHECK(H5Lcreate_external(tmp.file("other.h5").c_str(), "/secret", d, "k", H5P_DEFAULT, H5P_DEFAULT) >= 0);
  }
  expect_error(read_keras_model_file(tmp.file("link.h5")), "soft or external HDF5 link");
}

TEST(KerasH5, ChunkedNameAttributes) {
  // Long name lists are split by Keras into name0, name1, ...
  TempDir tmp;
  {
    H5Writer w(tmp.file("c.h5"));
    H5Writer::vlen_attr(w.root(), "model_config", kDenseConfig);
    hid_t mw = w.group("model_weights");
    H5Writer::fixed_list_attr(mw, "layer_names0", {"a"});
    H5Writer::fixed_list_attr(mw, "layer_names1", {"b"});
    hid_t a = w.group("model_weights/a");
    H5Writer::fixed_list_attr(a, "weight_names0", {"w0"});
    H5Writer::fixed_list_attr(a, "weight_names1", {"w1", "w2"});
    for (const char* n : {"w0", "w1", "w2"}) H5Writer::f32(a, n, {1}, {1});
    H5Writer::empty_f64_attr(w.group("model_weights/b"), "weight_names");
  }
  auto m = read_keras_model_file(tmp.file("c.h5"));
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_EQ(m->weights.size(), 2u);
  ASSERT_EQ(m->weights.at("a").size(), 3u);
  EXPECT_EQ(m->weights.at("a")[2].name, "w2");
}

TEST(KerasH5, WeightsOnlyFileIsRefused) {
  TempDir tmp;
  {
    H5Writer w(tmp.file("w.h5"));
    H5Writer::fixed_list_attr(w.root(), "layer_names", {"d"});
    hid_t d = w.group("d");
    H5Writer::fixed_list_attr(d, "weight_names", {"d/kernel:0"});
    H5Writer::f32(d, "d/kernel:0", {1}, {1});
  }
  expect_error(read_keras_model_file(tmp.file("w.h5")),
               "holds only weights (no model_config); save the whole model with model.save() or pass its "
               "architecture");
}

TEST(KerasH5, HdfFileThatIsNotAModel) {
  TempDir tmp;
  {
    H5Writer w(tmp.file("d.h5"));
    H5Writer::f32(w.root(), "inputs/x", {1}, {1});
  }
  expect_error(read_keras_model_file(tmp.file("d.h5")), "not a Keras model (no model_config attribute)");
}

TEST(KerasH5, BadConfigJson) {
  TempDir tmp;
  {
    H5Writer w(tmp.file("j.h5"));
    H5Writer::vlen_attr(w.root(), "model_config", "{\"class_name\": ");
    H5Writer::fixed_list_attr(w.group("model_weights"), "layer_names", {});
  }
  expect_error(read_keras_model_file(tmp.file("j.h5")), "model_config is not valid JSON");
  {
    H5Writer w(tmp.file("deep.h5"));
    H5Writer::vlen_attr(w.root(), "model_config", std::string(100000, '[') + std::string(100000, ']'));
  }
  expect_error(read_keras_model_file(tmp.file("deep.h5")), "not valid JSON");
  {
    H5Writer w(tmp.file("arr.h5"));
    H5Writer::vlen_attr(w.root(), "model_config", "[1, 2]");
  }
  expect_error(read_keras_model_file(tmp.file("arr.h5")), "not a Keras model config");
}

TEST(KerasH5, MissingDatasetNamesTheLayer) {
  TempDir tmp;
  {
    H5Writer w(tmp.file("m.h5"));
    H5Writer::vlen_attr(w.root(), "model_config", kDenseConfig);
    H5Writer::fixed_list_attr(w.group("model_weights"), "layer_names", {"dense"});
    H5Writer::fixed_list_attr(w.group("model_weights/dense"), "weight_names", {"dense/kernel:0"});
  }
  expect_error(read_keras_model_file(tmp.file("m.h5")), "layer 'dense'");
}

TEST(KerasH5, AbsurdDatasetSizeIsRefusedBeforeAllocating) {
  TempDir tmp;
  {
    H5Writer w(tmp.file("big.h5"));
    H5Writer::vlen_attr(w.root(), "model_config", kDenseConfig);
    H5Writer::fixed_list_attr(w.group("model_weights"), "layer_names", {"dense"});
    hid_t d = w.group("model_weights/dense");
    H5Writer::fixed_list_attr(d, "weight_names", {"k"});
    // 2^40 floats, chunked and never written: a tiny file declaring 4 TB.
    hsize_t dims[2] = {hsize_t{1} << 20, hsize_t{1} << 20};
    hsize_t chunk[2] = {64, 64};
    hid_t space = H5Screate_simple(2, dims, nullptr);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 2, chunk);
    hid_t ds = H5Dcreate2(d, "k", H5T_IEEE_F32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    TFLC_CHECK(ds >= 0);
    H5Dclose(ds);
    H5Pclose(dcpl);
    H5Sclose(space);
  }
  expect_error(read_keras_model_file(tmp.file("big.h5")), "declares 4398046511104 bytes but the file stores 0");
}

// Stored weights past --memory_budget_mb are refused, naming the flag; the
// budget reaches the reader's child process.
TEST(KerasH5, WeightsOverTheMemoryBudgetAreRefused) {
  TempDir tmp;
  {
    H5Writer w(tmp.file("wide.h5"));
    H5Writer::vlen_attr(w.root(), "model_config", kDenseConfig);
    H5Writer::fixed_list_attr(w.group("model_weights"), "layer_names", {"dense"});
    hid_t d = w.group("model_weights/dense");
    H5Writer::fixed_list_attr(d, "weight_names", {"k"});
    H5Writer::f32(d, "k", {500000}, std::vector<float>(500000, 1.0f));  // 2 MB
  }
  ScopedMemoryBudget budget(1);
  expect_error(read_keras_model_file(tmp.file("wide.h5")),
               "needs 2000000 bytes, more than the 1000000 bytes left for weights; the weights together are over "
               "the 1 MB memory budget; the file may be damaged, or if it is right, raise the budget with "
               "--memory_budget_mb");
}

TEST(KerasH5, TruncatedAndRandomFiles) {
  TempDir tmp;
  write_keras2_h5(tmp.file("m.h5"));
  std::string full = read_bytes(tmp.file("m.h5"));
  // HDF5 must not print its error stack: errors come back as values only.
  testing::internal::CaptureStderr();
  for (size_t keep : {size_t{8}, size_t{100}, full.size() / 2, full.size() - 16}) {
    write_bytes(tmp.file("cut.h5"), full.substr(0, keep));
    auto m = read_keras_model_file(tmp.file("cut.h5"));
    ASSERT_FALSE(m.ok()) << "kept " << keep << " of " << full.size() << " bytes";
    EXPECT_EQ(m.status().message().find('\n'), std::string::npos);
    EXPECT_NE(m.status().message().find("cut.h5"), std::string::npos) << m.status().message();
  }
  // Random bytes behind a valid signature: HDF5 must fail cleanly.
  std::mt19937 rng(7);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  write_bytes(tmp.file("sig.h5"), std::string("\x89HDF\r\n\x1a\n", 8) + noise);
  expect_error(read_keras_model_file(tmp.file("sig.h5")), "not a readable HDF5 file");
  write_bytes(tmp.file("noise.bin"), noise);
  expect_error(read_keras_model_file(tmp.file("noise.bin")), "neither an HDF5 (.h5) nor a zip (.keras)");
  write_bytes(tmp.file("empty.h5"), "");
  expect_error(read_keras_model_file(tmp.file("empty.h5")), "is empty");
  expect_error(read_keras_model_file(tmp.file("absent.h5")), "no such file");
  expect_error(read_keras_model_file(tmp.file("")), "is a directory");
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

// ------------------------------------------------- zip fixture writing ----

struct ZipEntry {
  std::string name;
  std::string data;
  bool compress = true;
};

void write_zip(const std::string& path, const std::vector<ZipEntry>& entries) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  TFLC_CHECK(z != nullptr);
  for (const ZipEntry& e : entries) {
    // libzip reads the buffer at zip_close; `entries` outlives that.
    zip_source_t* src = zip_source_buffer(z, e.data.data(), e.data.size(), 0);
    TFLC_CHECK(src != nullptr);
    zip_int64_t idx = zip_file_add(z, e.name.c_str(), src, ZIP_FL_ENC_UTF_8);
    TFLC_CHECK(idx >= 0);
    zip_set_file_compression(z, static_cast<zip_uint64_t>(idx), e.compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 9);
  }
  TFLC_CHECK(zip_close(z) == 0);
}

// A Functional model in the Keras 3 layout, with the cases that matter:
// a name-tagged layer, untagged layers named through config.json, an LSTM
// whose weights live on its cell, a nested model, more than ten variables,
// and optimizer state that must be ignored.
const char* kV3Config = R"({
  "module": "keras.src.models.functional", "class_name": "Functional",
  "config": {"name": "outer", "layers": [
    {"class_name": "InputLayer", "config": {"name": "in"}, "name": "in"},
    {"class_name": "Dense", "config": {"name": "my_dense"}, "name": "my_dense"},
    {"class_name": "LSTM", "config": {"name": "lstm"}, "name": "lstm"},
    {"class_name": "Functional", "config": {"name": "sub", "layers": [
        {"class_name": "InputLayer", "config": {"name": "inner_in"}},
        {"class_name": "Dense", "config": {"name": "inner_dense"}}]}},
    {"class_name": "Dense", "config": {"name": "wide"}, "name": "wide"}]}})";

void write_v3_weights(const std::string& path) {
  H5Writer w(path);
  w.group("vars");
  w.group("layers/input_layer/vars");
  hid_t dense = w.group("layers/dense/vars");
  H5Writer::vlen_attr(dense, "name", "my_dense");  // Keras >= 3.5 tags vars with the name
  H5Writer::f32(dense, "0", {4, 2}, std::vector<float>(8, 1));
  H5Writer::f32(dense, "1", {2}, {3, 4});
  w.group("layers/lstm/vars");
  hid_t cell = w.group("layers/lstm/cell/vars");
  H5Writer::f32(cell, "0", {5, 8}, std::vector<float>(40, 0));
  H5Writer::f32(cell, "1", {2, 8}, std::vector<float>(16, 0));
  H5Writer::f32(cell, "2", {8}, std::vector<float>(8, 0));
  w.group("layers/functional/vars");
  w.group("layers/functional/layers/input_layer/vars");
  H5Writer::f32(w.group("layers/functional/layers/dense/vars"), "0", {3}, {1, 2, 3});
  hid_t wide = w.group("layers/dense_1/vars");
  for (int i = 0; i < 12; ++i) H5Writer::f32(wide, std::to_string(i), {1}, {static_cast<float>(i)});
  H5Writer::f32(w.group("optimizer/vars"), "0", {}, {1});
}

std::vector<ZipEntry> v3_entries(const TempDir& tmp) {
  write_v3_weights(tmp.file("model.weights.h5"));
  return {{"metadata.json", R"({"keras_version": "3.9.2", "date_saved": "2025-01-01@00:00:00"})"},
          {"config.json", kV3Config},
          {"model.weights.h5", read_bytes(tmp.file("model.weights.h5")), false}};
}

void check_v3_model(const Expected<KerasModelFile>& m) {
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->format, "keras");
  EXPECT_EQ(m->config["class_name"], "Functional");
  EXPECT_EQ(m->keras_version, "3.9.2");
  EXPECT_EQ(m->backend, "");
  std::vector<std::string> keys;
  for (const auto& [k, v] : m->weights) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"in", "lstm", "my_dense", "sub", "sub/inner_dense", "sub/inner_in",
                                            "wide"}));
  const auto& dense = m->weights.at("my_dense");
  ASSERT_EQ(dense.size(), 2u);
  EXPECT_EQ(dense[0].name, "vars/0");
  EXPECT_EQ(dense[0].shape, (std::vector<int64_t>{4, 2}));
  EXPECT_EQ(values_of<float>(dense[1]), (std::vector<float>{3, 4}));
  const auto& lstm = m->weights.at("lstm");
  ASSERT_EQ(lstm.size(), 3u);
  EXPECT_EQ(lstm[0].name, "cell/vars/0");
  EXPECT_EQ(lstm[1].shape, (std::vector<int64_t>{2, 8}));
  EXPECT_EQ(lstm[2].name, "cell/vars/2");
  ASSERT_EQ(m->weights.at("sub/inner_dense").size(), 1u);
  EXPECT_TRUE(m->weights.at("sub").empty());
  const auto& wide = m->weights.at("wide");
  ASSERT_EQ(wide.size(), 12u);
  for (int i = 0; i < 12; ++i) {  // numeric, not name, order
    EXPECT_EQ(wide[i].name, "vars/" + std::to_string(i));
    EXPECT_EQ(values_of<float>(wide[i]), (std::vector<float>{static_cast<float>(i)}));
  }
}

TEST(KerasV3, ZipLayout) {
  TempDir tmp;
  write_zip(tmp.file("m.keras"), v3_entries(tmp));
  check_v3_model(read_keras_model_file(tmp.file("m.keras")));
}

TEST(KerasV3, CompressedWeightsEntry) {
  TempDir tmp;
  auto entries = v3_entries(tmp);
  entries[2].compress = true;
  write_zip(tmp.file("m.keras"), entries);
  check_v3_model(read_keras_model_file(tmp.file("m.keras")));
}

TEST(KerasV3, UnzippedDirectory) {
  // model.save(path, zipped=False) writes the same three files to a folder.
  TempDir tmp;
  fs::create_directory(tmp.file("saved"));
  for (const ZipEntry& e : v3_entries(tmp)) write_bytes(tmp.file("saved/" + e.name), e.data);
  check_v3_model(read_keras_model_file(tmp.file("saved")));
}

TEST(KerasV3, SnakeCaseMatchesKeras) {
  EXPECT_EQ(keras_snake_case("Conv2D"), "conv2d");
  EXPECT_EQ(keras_snake_case("LSTM"), "lstm");
  EXPECT_EQ(keras_snake_case("BatchNormalization"), "batch_normalization");
  EXPECT_EQ(keras_snake_case("Conv2DTranspose"), "conv2d_transpose");
  EXPECT_EQ(keras_snake_case("GlobalAveragePooling2D"), "global_average_pooling2d");
  EXPECT_EQ(keras_snake_case("ConvLSTM2D"), "conv_lstm2d");
  EXPECT_EQ(keras_snake_case("PReLU"), "p_re_lu");
  EXPECT_EQ(keras_snake_case("TFOpLambda"), "tf_op_lambda");
}

TEST(KerasZip, EntryNames) {
  EXPECT_TRUE(zip_entry_name_is_safe("config.json"));
  EXPECT_TRUE(zip_entry_name_is_safe("assets/vocab..txt"));
  EXPECT_TRUE(zip_entry_name_is_safe("assets/"));
  EXPECT_FALSE(zip_entry_name_is_safe("../evil"));
  EXPECT_FALSE(zip_entry_name_is_safe("assets/../../evil"));
  EXPECT_FALSE(zip_entry_name_is_safe("a/.."));
  EXPECT_FALSE(zip_entry_name_is_safe("/etc/passwd"));
  EXPECT_FALSE(zip_entry_name_is_safe("..\\evil"));
  EXPECT_FALSE(zip_entry_name_is_safe("C:/evil"));
  EXPECT_FALSE(zip_entry_name_is_safe(""));
}

TEST(KerasZip, PathTraversingEntryIsRefused) {
  TempDir tmp;
  auto entries = v3_entries(tmp);
  entries.push_back({"../evil", "x"});
  write_zip(tmp.file("evil.keras"), entries);
  expect_error(read_keras_model_file(tmp.file("evil.keras")), "'../evil' that points outside the archive");
  entries.back().name = "/etc/evil";
  write_zip(tmp.file("abs.keras"), entries);
  expect_error(read_keras_model_file(tmp.file("abs.keras")), "'/etc/evil' that points outside the archive");
}

TEST(KerasZip, BombsAndOversizedEntriesAreRefused) {
  TempDir tmp;
  // 4 MB of spaces deflate to a few KB: far over a 100:1 limit.
  write_zip(tmp.file("bomb.keras"), {{"config.json", std::string(4 << 20, ' ')}});
  KerasArchiveLimits limits;
  limits.max_ratio = 100;
  auto a = read_keras_archive(tmp.file("bomb.keras"), limits);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("zip bomb"), std::string::npos) << a.status().message();

  // Default limits: a config.json over 64 MB is refused before unpacking.
  write_zip(tmp.file("big.keras"), {{"config.json", std::string(70 << 20, '\0')}});
  expect_error(read_keras_model_file(tmp.file("big.keras")), "config.json");

  limits = KerasArchiveLimits();
  limits.max_json_bytes = 1000;
  write_zip(tmp.file("long.keras"), {{"config.json", std::string(2000, 'x'), false}});
  a = read_keras_archive(tmp.file("long.keras"), limits);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("more than the"), std::string::npos) << a.status().message();

  // Weights larger than the memory said to be free.
  auto entries = v3_entries(tmp);
  write_zip(tmp.file("m.keras"), entries);
  limits = KerasArchiveLimits();
  limits.available_memory = 1000;
  a = read_keras_archive(tmp.file("m.keras"), limits);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("memory available"), std::string::npos) << a.status().message();
}

TEST(KerasZip, MissingPartsAndDamage) {
  TempDir tmp;
  write_zip(tmp.file("noconf.keras"), {{"metadata.json", "{}"}, {"model.weights.h5", "x"}});
  expect_error(read_keras_model_file(tmp.file("noconf.keras")), "without config.json");

  write_zip(tmp.file("noweights.keras"), {{"config.json", kV3Config}});
  expect_error(read_keras_model_file(tmp.file("noweights.keras")), "has no model.weights.h5");

  write_zip(tmp.file("npz.keras"), {{"config.json", kV3Config}, {"model.weights.npz", "x"}});
  auto npz = read_keras_model_file(tmp.file("npz.keras"));
  expect_error(npz, "model.weights.npz");
  EXPECT_EQ(npz.status().kind(), ErrorKind::kUnsupported);

  write_zip(tmp.file("badh5.keras"), {{"config.json", kV3Config}, {"model.weights.h5", "not hdf5 at all"}});
  expect_error(read_keras_model_file(tmp.file("badh5.keras")), "model.weights.h5' is not a readable HDF5 file");

  write_zip(tmp.file("badjson.keras"), {{"config.json", "{oops"}});
  expect_error(read_keras_model_file(tmp.file("badjson.keras")), "config.json is not valid JSON");

  // Truncated archives (the central directory is at the end) and a damaged
  // compressed stream.
  write_zip(tmp.file("m.keras"), v3_entries(tmp));
  std::string full = read_bytes(tmp.file("m.keras"));
  for (size_t keep : {size_t{4}, size_t{30}, full.size() / 2, full.size() - 10}) {
    write_bytes(tmp.file("cut.keras"), full.substr(0, keep));
    auto m = read_keras_model_file(tmp.file("cut.keras"));
    ASSERT_FALSE(m.ok()) << "kept " << keep;
    EXPECT_EQ(m.status().message().find('\n'), std::string::npos);
  }
  std::mt19937 rng(3);
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "word" + std::to_string(rng() % 1000) + " ";
  write_zip(tmp.file("z.keras"), {{"config.json", "{\"class_name\": \"" + text + "\"}"}});
  std::string z = read_bytes(tmp.file("z.keras"));
  for (size_t i = 200; i < 400; ++i) z[i] = static_cast<char>(z[i] ^ 0x5a);  // inside the deflate stream
  write_bytes(tmp.file("z.keras"), z);
  auto damaged = read_keras_model_file(tmp.file("z.keras"));
  ASSERT_FALSE(damaged.ok());
  EXPECT_EQ(damaged.status().message().find('\n'), std::string::npos);

  write_bytes(tmp.file("pk.keras"), std::string("PK\x03\x04", 4) + std::string(100, 'z'));
  expect_error(read_keras_model_file(tmp.file("pk.keras")), "not a valid .keras archive");
}

// ------------------------------------------------------------ corpus ----

#define SKIP_WITHOUT_CORPUS()                                                                    \
  if (!fs::exists(kCorpus))                                                                      \
  GTEST_SKIP() << "corpus not found at " << kCorpus.string()                                     \
               << " (the real-model tests need ../shared/corpus next to the source tree)"

std::vector<std::string> corpus_keras_files() {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(kCorpus)) {
    std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".h5" || ext == ".hdf5" || ext == ".keras")) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(KerasCorpus, EveryFileReadsOrFailsClearly) {
  SKIP_WITHOUT_CORPUS();
  int models = 0;
  for (const std::string& path : corpus_keras_files()) {
    SCOPED_TRACE(path);
    auto m = read_keras_model_file(path);
    std::string file = fs::path(path).filename().string();
    if (file.find("_weights.h5") != std::string::npos) {
      expect_error(m, "holds only weights (no model_config)");
      continue;
    }
    if (file.find("_inputs_and_outputs.h5") != std::string::npos) {
      expect_error(m, "not a Keras model");
      continue;
    }
    ASSERT_TRUE(m.ok()) << m.status().message();
    ++models;
    EXPECT_TRUE(m->config.contains("class_name"));
    EXPECT_FALSE(m->weights.empty());
    for (const auto& [layer, arrays] : m->weights) {
      for (const KerasArray& a : arrays) {
        int64_t n = std::accumulate(a.shape.begin(), a.shape.end(), int64_t{1}, std::multiplies<>());
        EXPECT_EQ(a.bytes.size(), static_cast<size_t>(n) * dtype_size(a.dtype)) << layer << " " << a.name;
      }
    }
  }
  EXPECT_GE(models, 40);
}

TEST(KerasCorpus, TinymaixMnistValid) {
  SKIP_WITHOUT_CORPUS();
  auto m = read_keras_model_file((kCorpus / "tinymaix_mnist_valid" / "mnist_valid.h5").string());
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->config["class_name"], "Sequential");
  EXPECT_EQ(m->config["config"]["layers"].size(), 13u);  // with the InputLayer
  EXPECT_EQ(m->keras_version, "2.8.0");
  EXPECT_EQ(m->backend, "tensorflow");
  EXPECT_EQ(m->weights.size(), 12u);
  const auto& conv = m->weights.at("ftr0");
  ASSERT_EQ(conv.size(), 2u);
  EXPECT_EQ(conv[0].name, "ftr0_2/kernel:0");
  EXPECT_EQ(conv[0].shape, (std::vector<int64_t>{3, 3, 1, 4}));
  EXPECT_EQ(m->weights.at("ftr1")[0].shape, (std::vector<int64_t>{3, 3, 4, 8}));
  EXPECT_EQ(m->weights.at("ftr2")[0].shape, (std::vector<int64_t>{3, 3, 8, 16}));
  EXPECT_EQ(m->weights.at("bn0").size(), 4u);
  EXPECT_TRUE(m->weights.at("GAP").empty());
  const auto& fc = m->weights.at("fc1");
  EXPECT_EQ(fc[0].shape, (std::vector<int64_t>{16, 10}));
  EXPECT_FLOAT_EQ(values_of<float>(fc[1])[0], -0.21706043f);
}

TEST(KerasCorpus, Keras3StockLstm) {
  SKIP_WITHOUT_CORPUS();
  auto m = read_keras_model_file((kCorpus / "keras3_stock_lstm" / "model.keras").string());
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->format, "keras");
  EXPECT_EQ(m->config["class_name"], "Functional");
  EXPECT_EQ(m->keras_version, "3.9.2");
  ASSERT_EQ(m->weights.size(), 3u);
  EXPECT_TRUE(m->weights.at("input_layer").empty());
  const auto& lstm = m->weights.at("lstm");
  ASSERT_EQ(lstm.size(), 3u);
  EXPECT_EQ(lstm[0].shape, (std::vector<int64_t>{5, 120}));   // kernel: 5 features, 4 gates x 30 units
  EXPECT_EQ(lstm[1].shape, (std::vector<int64_t>{30, 120}));  // recurrent kernel
  EXPECT_EQ(lstm[2].shape, (std::vector<int64_t>{120}));
  const auto& dense = m->weights.at("dense");
  ASSERT_EQ(dense.size(), 2u);
  EXPECT_EQ(dense[0].shape, (std::vector<int64_t>{30, 1}));
  EXPECT_FLOAT_EQ(values_of<float>(dense[1])[0], 0.011198865f);
}

TEST(KerasCorpus, Keras1Theano) {
  SKIP_WITHOUT_CORPUS();
  auto m = read_keras_model_file(
      (kCorpus / "dl4j_keras_examples" / "simple_lstm" / "simple_lstm_th_keras_1_model.h5").string());
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->keras_version, "1.2.2");
  EXPECT_TRUE(m->config["config"].is_array());  // Keras 1 Sequential: a bare list
  const auto& lstm = m->weights.at("lstm_1");
  ASSERT_EQ(lstm.size(), 12u);  // Keras 1 keeps one W/U/b per gate
  EXPECT_EQ(lstm[0].name, "lstm_1_W_i");
  EXPECT_EQ(lstm[1].shape, (std::vector<int64_t>{50, 50}));
}

TEST(KerasCorpus, BidirectionalKeras2) {
  SKIP_WITHOUT_CORPUS();
  auto m = read_keras_model_file((kCorpus / "dl4j_keras_layers" / "bidirectional_lstm_tensorflow_2.h5").string());
  ASSERT_TRUE(m.ok()) << m.status().message();
  const auto& bi = m->weights.at("bidirectional_1");
  ASSERT_EQ(bi.size(), 6u);
  EXPECT_EQ(bi[0].name, "bidirectional_1/forward_lstm_1/kernel:0");
  EXPECT_EQ(bi[3].name, "bidirectional_1/backward_lstm_1/kernel:0");
}

}  // namespace
}  // namespace tflc
