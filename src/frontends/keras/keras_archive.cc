#include "frontends/keras/keras_archive.h"

#include <fstream>
#include <memory>
#include <sstream>

#include "support/budget.h"
#include "support/zip.h"

namespace tflc {
namespace {

constexpr const char* kConfigName = "config.json";
constexpr const char* kMetadataName = "metadata.json";
constexpr const char* kWeightsName = "model.weights.h5";
constexpr const char* kWeightsNpzName = "model.weights.npz";

std::string mb(uint64_t bytes) {
  std::ostringstream s;
  s.precision(bytes >= (uint64_t{10} << 20) ? 0 : 1);
  s << std::fixed << static_cast<double>(bytes) / (1 << 20) << " MB";
  return s.str();
}

struct EntryInfo {
  zip_uint64_t index = 0;
  uint64_t size = 0;
  uint64_t comp_size = 0;
};

// Sizes are checked against the central directory before anything is
// allocated; the read itself then refuses to go past the declared size.
Status check_entry_size(const std::string& path, const std::string& name, const EntryInfo& e, uint64_t max_size,
                        const KerasArchiveLimits& limits) {
  if (e.size > max_size) {
    return invalid_input("'" + path + "': entry '" + name + "' is " + mb(e.size) + ", more than the " +
                         mb(max_size) + " allowed; this is not a model saved by Keras");
  }
  if (e.size > 0 && (e.comp_size == 0 || e.size / e.comp_size > limits.max_ratio)) {
    return invalid_input("'" + path + "': entry '" + name + "' expands " +
                         (e.comp_size == 0 ? std::string("from nothing") : std::to_string(e.size / e.comp_size) + ":1") +
                         " (limit " + std::to_string(limits.max_ratio) +
                         ":1), which looks like a zip bomb; refusing to unpack it");
  }
  return ok_status();
}

Expected<std::string> read_entry(zip_t* za, const std::string& path, const std::string& name, const EntryInfo& e) {
  ZipEntry file(zip_fopen_index(za, e.index, 0));
  if (!file) {
    return invalid_input("'" + path + "': cannot open entry '" + name + "' (zip: " +
                         zip_error_strerror(zip_get_error(za)) + "); save the model again");
  }
  std::string data;
  data.resize(static_cast<size_t>(e.size));
  uint64_t got = 0;
  while (got < e.size) {
    zip_int64_t n = zip_fread(file.get(), data.data() + got, e.size - got);
    if (n < 0) {
      return invalid_input("'" + path + "': entry '" + name + "' is damaged (zip: " +
                           zip_file_strerror(file.get()) + "); save the model again");
    }
    if (n == 0) {
      return invalid_input("'" + path + "': entry '" + name + "' is shorter than the archive says (" +
                           std::to_string(got) + " of " + std::to_string(e.size) +
                           " bytes); the file is truncated or damaged");
    }
    got += static_cast<uint64_t>(n);
  }
  // One more read reaches the end of the entry, where libzip checks the CRC,
  // and catches data longer than the declared size.
  char extra = 0;
  zip_int64_t n = zip_fread(file.get(), &extra, 1);
  if (n < 0) {
    return invalid_input("'" + path + "': entry '" + name + "' is damaged (zip: " + zip_file_strerror(file.get()) +
                         "); save the model again");
  }
  if (n > 0) {
    return invalid_input("'" + path + "': entry '" + name +
                         "' holds more data than the archive declares; the file is damaged or forged");
  }
  return data;
}

}  // namespace

bool zip_entry_name_is_safe(const std::string& name) {
  if (name.empty() || name[0] == '/' || name.find('\\') != std::string::npos) return false;
  if (name.size() >= 2 && name[1] == ':') return false;  // "C:..." drive letter
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    if (slash == std::string::npos) slash = name.size();
    if (name.compare(start, slash - start, "..") == 0 && slash - start == 2) return false;
    start = slash + 1;
  }
  return true;
}

std::optional<uint64_t> available_memory_bytes() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  uint64_t value = 0;
  std::string unit;
  while (in >> key >> value) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return value * 1024;  // reported in kB
  }
  return std::nullopt;
}

Expected<KerasArchive> read_keras_archive(const std::string& path, const KerasArchiveLimits& limits) {
  int open_error = 0;
  ZipArchive za(zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &open_error));
  if (!za) {
    std::string why = zip_code_message(open_error);
    if (open_error == ZIP_ER_NOENT || open_error == ZIP_ER_OPEN || open_error == ZIP_ER_READ)
      return invalid_input("cannot open '" + path + "' (zip: " + why + ")");
    return invalid_input("'" + path + "' is not a valid .keras archive (zip: " + why +
                         "); it may be truncated or damaged: save the model again with model.save()");
  }

  zip_int64_t count = zip_get_num_entries(za.get(), 0);
  if (count < 0) return invalid_input("'" + path + "': cannot list the zip archive");
  if (static_cast<uint64_t>(count) > limits.max_entries) {
    return invalid_input("'" + path + "' has " + std::to_string(count) + " entries (limit " +
                         std::to_string(limits.max_entries) + "); this is not a model saved by Keras");
  }

  KerasArchive out;
  std::optional<EntryInfo> config, metadata, weights;
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
        st.name == nullptr) {
      return invalid_input("'" + path + "': cannot read zip entry " + std::to_string(i) + " (zip: " +
                           zip_error_strerror(zip_get_error(za.get())) + "); the archive is damaged");
    }
    std::string name = st.name;
    if (!zip_entry_name_is_safe(name)) {
      return invalid_input("'" + path + "' holds an entry named '" + name +
                           "' that points outside the archive (absolute path or '..'); refusing to read it");
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
      return unsupported("'" + path + "': entry '" + name + "' is encrypted; save the model without encryption");
    if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
      return invalid_input("'" + path + "': entry '" + name + "' has no recorded size; the archive is damaged");
    EntryInfo info{static_cast<zip_uint64_t>(i), st.size, st.comp_size};
    if (name == kConfigName) config = info;
    if (name == kMetadataName) metadata = info;
    if (name == kWeightsName) weights = info;
    if (name == kWeightsNpzName) out.has_weights_npz = true;
    out.entries.push_back(std::move(name));
  }

  if (!config) {
    return invalid_input("'" + path +
                         "' is a zip archive without config.json, so not a Keras 3 .keras model; save the model "
                         "with model.save('model.keras')");
  }
  RETURN_IF_ERROR(check_entry_size(path, kConfigName, *config, limits.max_json_bytes, limits));
  if (metadata) RETURN_IF_ERROR(check_entry_size(path, kMetadataName, *metadata, limits.max_json_bytes, limits));
  if (weights) {
    RETURN_IF_ERROR(check_entry_size(path, kWeightsName, *weights, UINT64_MAX, limits));
    RETURN_IF_ERROR(check_memory_budget("'" + path + "': entry '" + std::string(kWeightsName) + "'", weights->size));
    std::optional<uint64_t> free_bytes =
        limits.available_memory ? std::optional<uint64_t>(limits.available_memory) : available_memory_bytes();
    if (free_bytes && weights->size > *free_bytes) {
      return invalid_input("'" + path + "': its weights (" + mb(weights->size) + ") do not fit in the " +
                           mb(*free_bytes) + " of memory available; free some memory or use a bigger machine");
    }
  }

  {
    Expected<std::string> text = read_entry(za.get(), path, kConfigName, *config);
    if (!text.ok()) return text.status();
    out.config_json = std::move(text).value();
  }
  if (metadata) {
    Expected<std::string> text = read_entry(za.get(), path, kMetadataName, *metadata);
    if (!text.ok()) return text.status();
    out.metadata_json = std::move(text).value();
  }
  if (weights) {
    Expected<std::string> bytes = read_entry(za.get(), path, kWeightsName, *weights);
    if (!bytes.ok()) return bytes.status();
    out.weights_h5 = std::move(bytes).value();
    out.has_weights_h5 = true;
  }
  return out;
}

}  // namespace tflc
