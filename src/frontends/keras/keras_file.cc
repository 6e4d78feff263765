#include "frontends/keras/keras_file.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <stdexcept>

#include "frontends/keras/keras_archive.h"
#include "support/budget.h"

namespace tflc {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMaxJsonBytes = uint64_t{64} << 20;
// Real configs nest a handful of levels; deeper means a hostile file, and
// recursive walks over it later could overflow the stack.
constexpr int kMaxJsonDepth = 512;

constexpr char kHdf5Magic[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};

const char* const kSaveHint = "save the whole model with model.save()";

struct JsonTooDeep : std::runtime_error {
  JsonTooDeep() : std::runtime_error("nested deeper than 512 levels") {}
};

Expected<nlohmann::json> parse_json(const std::string& text, const std::string& what) {
  try {
    return nlohmann::json::parse(text, [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
      if (depth > kMaxJsonDepth) throw JsonTooDeep();
      return true;
    });
  } catch (const std::exception& e) {
    // Without nlohmann's "[json.exception.parse_error.101] " tag.
    std::string m = e.what();
    if (size_t close = m.find("] "); m.rfind("[json.exception.", 0) == 0 && close != std::string::npos)
      m = m.substr(close + 2);
    return invalid_input(what + " is not valid JSON (" + m + "); the file is damaged: " + kSaveHint);
  }
}

Status check_model_config(const nlohmann::json& config, const std::string& what) {
  auto cls = config.is_object() ? config.find("class_name") : config.end();
  if (!config.is_object() || cls == config.end() || !cls->is_string()) {
    return invalid_input(what + " is not a Keras model config (no \"class_name\"); " + kSaveHint);
  }
  return ok_status();
}

H5ReadBudget weight_budget() {
  H5ReadBudget budget;
  // All weights together count against --memory_budget_mb and the free memory.
  budget.remaining = memory_budget_bytes();
  budget.what_to_do = "the weights together are over the " + std::to_string(budget.remaining / 1000000) +
                      " MB memory budget; the file may be damaged, or if it is right, raise the budget with "
                      "--memory_budget_mb (Python: experimental_memory_budget_mb)";
  std::optional<uint64_t> free_bytes = available_memory_bytes();
  if (free_bytes && *free_bytes < budget.remaining) {
    budget.remaining = *free_bytes;
    budget.what_to_do = "free some memory or use a bigger machine";
  }
  return budget;
}

// ---------------------------------------------------------------- HDF5 ----

Expected<std::vector<KerasArray>> read_h5_layer(int64_t weights_group, const std::string& layer, H5ReadBudget& budget) {
  Expected<H5Handle> group = h5_open_group(weights_group, layer);
  if (!group.ok()) return group.status();
  Expected<std::optional<std::vector<std::string>>> names = h5_string_list_attr(group->get(), "weight_names");
  if (!names.ok()) return names.status();
  if (!names->has_value()) return invalid_input("its group has no weight_names attribute");
  std::vector<KerasArray> arrays;
  for (const std::string& name : **names) {
    Expected<KerasArray> array = h5_read_array(group->get(), name, name, budget);
    if (!array.ok()) return array.status();
    arrays.push_back(std::move(array).value());
  }
  return arrays;
}

Expected<KerasModelFile> read_h5(const std::string& path) {
  Expected<H5File> file = H5File::open(path);
  if (!file.ok()) return file.status();
  const int64_t root = file->id();

  const bool has_model_weights = h5_has_child(root, "model_weights");
  const bool root_has_layers = h5_has_attr(root, "layer_names") || h5_has_attr(root, "layer_names0");

  Expected<std::optional<std::string>> config_text = h5_string_attr(root, "model_config");
  if (!config_text.ok()) {
    // The superblock opened, so an unreadable root attribute means damage further in.
    const Status& s = config_text.status();
    if (s.kind() != ErrorKind::kInvalidInput) return s.with_context("'" + path + "': model_config");
    return invalid_input("'" + path + "': " + s.message() + "; the file is damaged: " + kSaveHint);
  }
  if (!config_text->has_value()) {
    // Keras 3 save_weights() files keep a "layers" group at the root instead.
    if (root_has_layers || has_model_weights || h5_has_child(root, "layers") ||
        h5_has_child(root, "_layer_checkpoint_dependencies")) {
      return invalid_input("'" + path + "' holds only weights (no model_config); " + kSaveHint +
                           " or pass its architecture");
    }
    return invalid_input("'" + path + "' is an HDF5 file but not a Keras model (no model_config attribute); " +
                         kSaveHint);
  }

  KerasModelFile out;
  out.format = "h5";
  {
    Expected<nlohmann::json> config = parse_json(**config_text, "'" + path + "': model_config");
    if (!config.ok()) return config.status();
    out.config = std::move(config).value();
  }
  RETURN_IF_ERROR(check_model_config(out.config, "'" + path + "': model_config"));

  H5Handle model_weights;
  if (has_model_weights) {
    Expected<H5Handle> g = h5_open_group(root, "model_weights");
    if (!g.ok()) return g.status().with_context("'" + path + "'");
    model_weights = std::move(g).value();
  } else if (!root_has_layers) {
    return invalid_input("'" + path + "' has a model_config but no weights (no model_weights group); " + kSaveHint);
  }
  // Keras 1 kept the weights at the root when there was no model_weights group.
  const int64_t weights_group = has_model_weights ? model_weights.get() : root;

  // Versions: root attributes, else the copies on the weights group.
  for (int64_t where : {root, weights_group}) {
    for (auto [attr, field] : {std::pair<const char*, std::string*>{"keras_version", &out.keras_version},
                               std::pair<const char*, std::string*>{"backend", &out.backend}}) {
      if (!field->empty()) continue;
      Expected<std::optional<std::string>> v = h5_string_attr(where, attr);
      if (v.ok() && v->has_value()) *field = **v;
    }
  }

  Expected<std::optional<std::vector<std::string>>> layer_names = h5_string_list_attr(weights_group, "layer_names");
  if (!layer_names.ok()) return layer_names.status().with_context("'" + path + "': layer_names");
  if (!layer_names->has_value()) {
    return invalid_input("'" + path + "': the weights group has no layer_names attribute; the file is damaged or "
                         "not written by Keras: " + kSaveHint);
  }
  H5ReadBudget budget = weight_budget();
  for (const std::string& layer : **layer_names) {
    if (out.weights.count(layer)) return invalid_input("'" + path + "': layer '" + layer + "' is listed twice");
    Expected<std::vector<KerasArray>> arrays = read_h5_layer(weights_group, layer, budget);
    if (!arrays.ok()) return arrays.status().with_context("'" + path + "': weights of layer '" + layer + "'");
    out.weights.emplace(layer, std::move(arrays).value());
  }
  return out;
}

// ------------------------------------------------------------ Keras 3 ----

// The list of layer configs of a model config, if it has one.
const nlohmann::json* layer_configs(const nlohmann::json& model) {
  if (!model.is_object()) return nullptr;
  auto cfg = model.find("config");
  if (cfg == model.end()) return nullptr;
  if (cfg->is_array()) return &*cfg;  // Keras 1/2 Sequential
  if (!cfg->is_object()) return nullptr;
  auto layers = cfg->find("layers");
  return layers != cfg->end() && layers->is_array() ? &*layers : nullptr;
}

std::string config_layer_name(const nlohmann::json& layer) {
  auto cfg = layer.find("config");
  if (cfg != layer.end() && cfg->is_object()) {
    auto n = cfg->find("name");
    if (n != cfg->end() && n->is_string()) return n->get<std::string>();
  }
  auto n = layer.find("name");
  return n != layer.end() && n->is_string() ? n->get<std::string>() : std::string();
}

// Keras visits public attributes in name order, then private ("_x") ones.
// Bidirectional is the exception we reorder: its lowerings (like Keras 2
// files) take the forward layer's weights first, but "backward_layer" sorts
// before "forward_layer".
bool keras_attr_less(const std::string& a, const std::string& b) {
  auto rank = [](const std::string& s) { return s == "forward_layer" ? 0 : s.rfind('_', 0) == 0 ? 2 : 1; };
  if (rank(a) != rank(b)) return rank(a) < rank(b);
  return a < b;
}

// Variables are stored as "0", "1", ..., "10": numeric order, not name order.
bool var_index_less(const std::string& a, const std::string& b) {
  auto num = [](const std::string& s) -> std::optional<uint64_t> {
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
  };
  auto na = num(a), nb = num(b);
  if (na && nb) return *na < *nb;
  if (na || nb) return na.has_value();
  return a < b;
}

bool is_layer_container(const std::string& name) {
  // "_layer_checkpoint_dependencies" is what tf.keras 2.13-2.15 wrote.
  return name == "layers" || name == "_layer_checkpoint_dependencies";
}

class V3WeightsWalker {
 public:
  V3WeightsWalker(std::map<std::string, std::vector<KerasArray>>& out, H5ReadBudget& budget)
      : out_(out), budget_(budget) {}

  // One group per layer below `container`; `configs` (may be null) is the
  // matching list of layer configs, used to name layers whose vars group
  // carries no "name" tag (Keras 3 before ~3.5).
  Status walk_layers(int64_t container, const nlohmann::json* configs, const std::string& prefix) {
    std::map<std::string, const nlohmann::json*> by_key, by_name;
    if (configs != nullptr) {
      std::map<std::string, int> used;
      for (const nlohmann::json& layer : *configs) {
        auto cls = layer.is_object() ? layer.find("class_name") : layer.end();
        if (!layer.is_object() || cls == layer.end() || !cls->is_string()) continue;
        // Keras names container entries by class, counting repeats:
        // dense, dense_1, dense_2 ... (see saving_lib._save_container_state).
        std::string key = keras_snake_case(cls->get<std::string>());
        auto [it, fresh] = used.emplace(key, 0);
        if (!fresh) key += "_" + std::to_string(++it->second);
        by_key.emplace(key, &layer);
        std::string name = config_layer_name(layer);
        if (!name.empty()) by_name.emplace(name, &layer);
      }
    }

    Expected<std::vector<H5Child>> children = h5_list_children(container);
    if (!children.ok()) return children.status();
    for (const H5Child& child : *children) {
      if (child.kind != H5ChildKind::kGroup) continue;
      Expected<H5Handle> group = h5_open_group(container, child.name);
      if (!group.ok()) return group.status();

      std::string name;
      const nlohmann::json* config = nullptr;
      if (h5_has_child(group->get(), "vars")) {
        Expected<H5Handle> vars = h5_open_group(group->get(), "vars");
        if (!vars.ok()) return vars.status();
        Expected<std::optional<std::string>> tag = h5_string_attr(vars->get(), "name");
        if (tag.ok() && tag->has_value() && !(*tag)->empty()) name = **tag;
      }
      if (!name.empty()) {
        auto it = by_name.find(name);
        if (it != by_name.end()) config = it->second;
      }
      if (config == nullptr) {
        auto it = by_key.find(child.name);
        if (it != by_key.end()) config = it->second;
      }
      if (name.empty() && config != nullptr) name = config_layer_name(*config);
      if (name.empty()) name = child.name;

      const std::string full = prefix.empty() ? name : prefix + "/" + name;
      if (out_.count(full)) return invalid_input("two layers are both named '" + full + "'");
      std::vector<KerasArray> arrays;
      RETURN_IF_ERROR(collect(group->get(), "", /*layer_root=*/true, arrays).with_context("layer '" + full + "'"));
      out_.emplace(full, std::move(arrays));

      // A nested model (or any layer holding a list of layers).
      for (const char* nested : {"layers", "_layer_checkpoint_dependencies"}) {
        if (!h5_has_child(group->get(), nested)) continue;
        Expected<H5Handle> inner = h5_open_group(group->get(), nested);
        if (!inner.ok()) return inner.status();
        RETURN_IF_ERROR(walk_layers(inner->get(), config ? layer_configs(*config) : nullptr, full));
      }
    }
    return ok_status();
  }

 private:
  // The object's own vars first, then its sub-objects (LSTM cell, wrapped
  // layer...) in Keras' save order; names are paths below the layer.
  Status collect(int64_t group, const std::string& rel, bool layer_root, std::vector<KerasArray>& arrays) {
    Expected<std::vector<H5Child>> children = h5_list_children(group);
    if (!children.ok()) return children.status();
    std::vector<std::string> subgroups;
    for (const H5Child& child : *children) {
      if (child.kind != H5ChildKind::kGroup || child.name == "vars") continue;
      if (layer_root && is_layer_container(child.name)) continue;  // keyed layers of their own
      subgroups.push_back(child.name);
    }
    if (h5_has_child(group, "vars")) {
      Expected<H5Handle> vars = h5_open_group(group, "vars");
      if (!vars.ok()) return vars.status();
      Expected<std::vector<H5Child>> entries = h5_list_children(vars->get());
      if (!entries.ok()) return entries.status();
      std::vector<std::string> names;
      for (const H5Child& e : *entries)
        if (e.kind == H5ChildKind::kDataset) names.push_back(e.name);
      std::sort(names.begin(), names.end(), var_index_less);
      for (const std::string& n : names) {
        Expected<KerasArray> array = h5_read_array(vars->get(), n, rel + "vars/" + n, budget_);
        if (!array.ok()) return array.status();
        arrays.push_back(std::move(array).value());
      }
    }
    std::sort(subgroups.begin(), subgroups.end(), keras_attr_less);
    for (const std::string& sub : subgroups) {
      Expected<H5Handle> g = h5_open_group(group, sub);
      if (!g.ok()) return g.status();
      RETURN_IF_ERROR(collect(g->get(), rel + sub + "/", false, arrays));
    }
    return ok_status();
  }

  std::map<std::string, std::vector<KerasArray>>& out_;
  H5ReadBudget& budget_;
};

Status read_v3_weights(const H5File& file, const nlohmann::json& config, KerasModelFile& out) {
  const int64_t root = file.id();
  H5ReadBudget budget = weight_budget();
  V3WeightsWalker walker(out.weights, budget);
  bool found = false;
  for (const char* container : {"layers", "_layer_checkpoint_dependencies"}) {
    if (!h5_has_child(root, container)) continue;
    found = true;
    Expected<H5Handle> g = h5_open_group(root, container);
    if (!g.ok()) return g.status();
    RETURN_IF_ERROR(walker.walk_layers(g->get(), layer_configs(config), ""));
  }
  if (!found) {
    return unsupported("it has no 'layers' group; only Sequential and Functional models can be read, not "
                       "subclassed ones");
  }
  return ok_status();
}

Status fill_v3_metadata(const std::string& metadata_json, const std::string& what, KerasModelFile& out) {
  if (metadata_json.empty()) return ok_status();
  Expected<nlohmann::json> meta = parse_json(metadata_json, what);
  if (!meta.ok()) return meta.status();
  if (!meta->is_object()) return ok_status();
  for (auto [key, field] : {std::pair<const char*, std::string*>{"keras_version", &out.keras_version},
                            std::pair<const char*, std::string*>{"backend", &out.backend}}) {
    auto it = meta->find(key);
    if (it != meta->end() && it->is_string()) *field = it->get<std::string>();
  }
  return ok_status();
}

Status parse_v3_config(const std::string& text, const std::string& what, KerasModelFile& out) {
  Expected<nlohmann::json> config = parse_json(text, what);
  if (!config.ok()) return config.status();
  out.config = std::move(config).value();
  return check_model_config(out.config, what);
}

Expected<KerasModelFile> read_keras_zip(const std::string& path) {
  Expected<KerasArchive> archive = read_keras_archive(path);
  if (!archive.ok()) return archive.status();
  KerasModelFile out;
  out.format = "keras";
  RETURN_IF_ERROR(parse_v3_config(archive->config_json, "'" + path + "': config.json", out));
  RETURN_IF_ERROR(fill_v3_metadata(archive->metadata_json, "'" + path + "': metadata.json", out));
  if (!archive->has_weights_h5) {
    if (archive->has_weights_npz) {
      return unsupported("'" + path + "' stores its weights as model.weights.npz; save it again with "
                         "model.save(path) (the default .h5 weights format)");
    }
    return invalid_input("'" + path + "' has no model.weights.h5; the archive is incomplete: " + kSaveHint);
  }
  const std::string image_name = path + ":model.weights.h5";
  Expected<H5File> file = H5File::open_image(archive->weights_h5, image_name);
  if (!file.ok()) return file.status();
  RETURN_IF_ERROR(read_v3_weights(*file, out.config, out).with_context("'" + image_name + "'"));
  return out;
}

Expected<std::string> read_small_file(const fs::path& p, const std::string& what) {
  std::error_code ec;
  uint64_t size = fs::file_size(p, ec);
  if (ec) return invalid_input("cannot read " + what + ": " + ec.message());
  if (size > kMaxJsonBytes) return invalid_input(what + " is larger than 64 MB; this is not a Keras config");
  std::ifstream in(p, std::ios::binary);
  std::string text(static_cast<size_t>(size), '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(size)))
    return invalid_input("cannot read " + what + ": " + std::strerror(errno));
  return text;
}

// model.save(path, zipped=False): the same three files in a directory.
Expected<KerasModelFile> read_keras_dir(const std::string& path) {
  const fs::path dir(path);
  KerasModelFile out;
  out.format = "keras";
  {
    Expected<std::string> text = read_small_file(dir / "config.json", "'" + path + "/config.json'");
    if (!text.ok()) return text.status();
    RETURN_IF_ERROR(parse_v3_config(*text, "'" + path + "/config.json'", out));
  }
  if (fs::exists(dir / "metadata.json")) {
    Expected<std::string> text = read_small_file(dir / "metadata.json", "'" + path + "/metadata.json'");
    if (!text.ok()) return text.status();
    RETURN_IF_ERROR(fill_v3_metadata(*text, "'" + path + "/metadata.json'", out));
  }
  const std::string weights = (dir / "model.weights.h5").string();
  if (!fs::exists(weights)) {
    return invalid_input("'" + path + "' has config.json but no model.weights.h5; the saved model is incomplete: " +
                         kSaveHint);
  }
  Expected<H5File> file = H5File::open(weights);
  if (!file.ok()) return file.status();
  RETURN_IF_ERROR(read_v3_weights(*file, out.config, out).with_context("'" + weights + "'"));
  return out;
}

}  // namespace

std::string keras_snake_case(const std::string& class_name) {
  // Same three steps as keras.src.utils.naming.to_snake_case.
  static const std::regex non_word("[^A-Za-z0-9_]+");
  static const std::regex word_start("(.)([A-Z][a-z]+)");
  static const std::regex lower_upper("([a-z])([A-Z])");
  std::string s = std::regex_replace(class_name, non_word, "");
  s = std::regex_replace(s, word_start, "$1_$2");
  s = std::regex_replace(s, lower_upper, "$1_$2");
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

namespace {

Expected<KerasModelFile> read_keras_model_file_here(const std::string& path) {
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    return invalid_input("cannot open Keras model file '" + path + "': no such file");
  }
  if (fs::is_directory(st)) {
    if (fs::exists(fs::path(path) / "config.json")) return read_keras_dir(path);
    return invalid_input("'" + path + "' is a directory, not a Keras model file; pass the .h5 or .keras file "
                         "(a TensorFlow SavedModel directory goes to --saved_model_dir)");
  }

  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid_input("cannot open Keras model file '" + path + "': " + std::strerror(errno));
  char magic[8] = {};
  in.read(magic, sizeof(magic));
  const std::streamsize got = in.gcount();
  in.close();
  if (got == 0) return invalid_input("'" + path + "' is empty; " + kSaveHint);

  if (got == 8 && std::memcmp(magic, kHdf5Magic, 8) == 0) return read_h5(path);
  // A local file header, or the end record of an empty archive.
  if (got >= 4 && magic[0] == 'P' && magic[1] == 'K' &&
      ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6))) {
    return read_keras_zip(path);
  }
  return invalid_input("'" + path + "' is neither an HDF5 (.h5) nor a zip (.keras) Keras model file; " + kSaveHint);
}

// ------------------------------------------------- child process (#14) ----
// libhdf5 1.10 crashes (SIGSEGV) and loops on damaged files, and we cannot
// fix it. So the whole read runs in a forked child under CPU-time and
// address-space limits; the child streams the result back through a pipe
// (length-prefixed fields), and a signal or a limit becomes one line here.

std::atomic<bool> g_isolate{true};
// CPU seconds for the child (ResNet50's 98 MB .h5 needs 0.5 s), and 4x that
// of wall time; TFLC_KERAS_READ_CPU_SECONDS overrides (tests use 2).
int child_cpu_seconds() {
  const char* env = std::getenv("TFLC_KERAS_READ_CPU_SECONDS");
  int v = env ? std::atoi(env) : 0;
  return v > 0 ? v : 60;
}
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TFLC_HAS_ASAN 1
#endif
#endif
#ifndef TFLC_HAS_ASAN
#define TFLC_HAS_ASAN 0
#endif

struct FdWriter {
  int fd;
  bool ok = true;
  void raw(const void* p, size_t n) {
    const char* c = static_cast<const char*>(p);
    while (ok && n > 0) {
      ssize_t w = ::write(fd, c, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) { ok = false; return; }
      c += w;
      n -= static_cast<size_t>(w);
    }
  }
  void u64(uint64_t v) { raw(&v, sizeof v); }
  void str(std::string_view s) { u64(s.size()); raw(s.data(), s.size()); }
};

struct FdReader {
  int fd;
  bool ok = true;
  void raw(void* p, size_t n) {
    char* c = static_cast<char*>(p);
    while (ok && n > 0) {
      ssize_t r = ::read(fd, c, n);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) { ok = false; return; }
      c += r;
      n -= static_cast<size_t>(r);
    }
  }
  uint64_t u64() { uint64_t v = 0; raw(&v, sizeof v); return ok ? v : 0; }
  // Sizes come from our own child, but a child killed mid-write must not
  // make us allocate garbage: a string is read in pieces as it arrives.
  std::string str() {
    uint64_t n = u64();
    std::string s;
    while (ok && s.size() < n) {
      size_t piece = static_cast<size_t>(std::min<uint64_t>(n - s.size(), uint64_t{64} << 20));
      size_t at = s.size();
      s.resize(at + piece);
      raw(s.data() + at, piece);
    }
    return s;
  }
};

void write_result(FdWriter& w, const Expected<KerasModelFile>& r) {
  if (!r.ok()) {
    w.u64(1);
    w.u64(static_cast<uint64_t>(r.status().kind()));
    w.str(r.status().message());
    return;
  }
  w.u64(0);
  w.str(r->format);
  w.str(r->config.dump());
  w.str(r->keras_version);
  w.str(r->backend);
  w.u64(r->weights.size());
  for (const auto& [layer, arrays] : r->weights) {
    w.str(layer);
    w.u64(arrays.size());
    for (const KerasArray& a : arrays) {
      w.str(a.name);
      w.u64(static_cast<uint64_t>(static_cast<int64_t>(a.dtype)));
      w.u64(a.shape.size());
      for (int64_t d : a.shape) w.u64(static_cast<uint64_t>(d));
      w.str(a.bytes);
    }
  }
}

std::optional<Expected<KerasModelFile>> read_result(FdReader& r) {
  uint64_t tag = r.u64();
  if (!r.ok) return std::nullopt;
  if (tag == 1) {
    uint64_t kind = r.u64();
    std::string msg = r.str();
    if (!r.ok || kind == 0 || kind > static_cast<uint64_t>(ErrorKind::kInternal)) return std::nullopt;
    return Expected<KerasModelFile>(Status(static_cast<ErrorKind>(kind), std::move(msg)));
  }
  KerasModelFile out;
  out.format = r.str();
  std::string config = r.str();
  out.keras_version = r.str();
  out.backend = r.str();
  uint64_t layers = r.ok ? r.u64() : 0;
  for (uint64_t i = 0; r.ok && i < layers; ++i) {
    std::string layer = r.str();
    uint64_t n = r.u64();
    std::vector<KerasArray> arrays;
    for (uint64_t j = 0; r.ok && j < n; ++j) {
      KerasArray a;
      a.name = r.str();
      a.dtype = static_cast<DType>(static_cast<int64_t>(r.u64()));
      uint64_t rank = r.u64();
      for (uint64_t k = 0; r.ok && k < rank && k < 64; ++k) a.shape.push_back(static_cast<int64_t>(r.u64()));
      a.bytes = r.str();
      arrays.push_back(std::move(a));
    }
    out.weights.emplace(std::move(layer), std::move(arrays));
  }
  if (!r.ok) return std::nullopt;
  out.config = nlohmann::json::parse(config, nullptr, /*allow_exceptions=*/false);
  if (out.config.is_discarded()) return std::nullopt;
  return Expected<KerasModelFile>(std::move(out));
}

[[noreturn]] void run_child(int fd, const std::string& path) {
  const rlim_t secs = static_cast<rlim_t>(child_cpu_seconds());
  rlimit cpu{secs, secs + 5};
  setrlimit(RLIMIT_CPU, &cpu);
  alarm(static_cast<unsigned>(4 * secs));  // a loop that waits instead of spinning
#if !defined(__SANITIZE_ADDRESS__) && !TFLC_HAS_ASAN
  // Twice the weight budget plus room for the libraries; ASan's shadow
  // memory needs a huge address space, so not under ASan.
  uint64_t as = 2 * weight_budget().remaining + (uint64_t{2} << 30);
  rlimit mem{as, as};
  setrlimit(RLIMIT_AS, &mem);
#endif
  FdWriter w{fd};
  try {
    write_result(w, read_keras_model_file_here(path));
  } catch (const std::bad_alloc&) {
    write_result(w, invalid_input("reading '" + path + "' needs more memory than the weights it declares allow; "
                                  "the file is damaged or hostile: " + kSaveHint));
  } catch (const std::exception& e) {
    write_result(w, internal_error(std::string("reading '") + path + "': " + e.what()));
  }
  ::close(fd);
  _exit(w.ok ? 0 : 3);
}

Expected<KerasModelFile> read_keras_model_file_isolated(const std::string& path) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return internal_error(std::string("cannot create a pipe: ") + std::strerror(errno));
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return internal_error(std::string("cannot start the Keras reader process: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::close(fds[0]);
    run_child(fds[1], path);
  }
  ::close(fds[1]);
  FdReader r{fds[0]};
  std::optional<Expected<KerasModelFile>> result = read_result(r);
  ::close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (result && WIFEXITED(status) && WEXITSTATUS(status) == 0) return std::move(*result);
  if (WIFSIGNALED(status) &&
      (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL || WTERMSIG(status) == SIGALRM)) {
    return invalid_input("reading '" + path + "' did not finish within " + std::to_string(child_cpu_seconds()) +
                         " s of CPU time (the HDF5 library loops on it); the file is damaged: " + kSaveHint);
  }
  std::string how = WIFSIGNALED(status) ? std::string(strsignal(WTERMSIG(status)))
                                        : "exit status " + std::to_string(WEXITSTATUS(status));
  return invalid_input("reading '" + path + "' crashed the HDF5/zip reader (" + how +
                       "); the file is damaged: " + kSaveHint);
}

}  // namespace

void set_keras_reader_isolation(bool on) { g_isolate = on; }

Expected<KerasModelFile> read_keras_model_file(const std::string& path) {
  if (!g_isolate) return read_keras_model_file_here(path);
  return read_keras_model_file_isolated(path);
}

}  // namespace tflc
