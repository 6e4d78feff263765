#include "api/converter.h"
#include "api/evaluate.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <iostream>
#include <map>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include "api/conversion_report.h"
#include "frontends/graphdef/custom_ops.h"
#include "frontends/graphdef/import.h"
#include "frontends/graphdef/op_defs.h"
#include "frontends/keras/keras_model.h"
#include "frontends/stablehlo/stablehlo.h"
#include "frontends/saved_model/saved_model.h"
#include "metadata/metadata.h"
#include "ops/registry.h"
#include "passes/passes.h"
#include "passes/target_runtime.h"
#include "quant/quantize.h"
#include "support/budget.h"
#include "support/file.h"
#include "support/printable.h"
#include "tflite/writer.h"

namespace tflc {

namespace {

Expected<tensorflow::GraphDef> parse_graphdef(const std::string& bytes) {
  if (bytes.size() > INT_MAX) return invalid_input("the GraphDef content is over 2 GB, the protobuf limit");
  tensorflow::GraphDef gd;
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  in.SetTotalBytesLimit(INT_MAX);
  if (gd.ParseFromCodedStream(&in) && in.ConsumedEntireMessage()) return gd;
  gd.Clear();
  // Parse errors are kept for the message instead of protobuf's stderr log.
  struct FirstError : google::protobuf::io::ErrorCollector {
    void AddError(int line, int column, const std::string& message) override {
      if (first.empty()) first = "line " + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message;
    }
    std::string first;
  } errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (parser.ParseFromString(bytes, &gd)) return gd;
  return invalid_input("the GraphDef content is neither a binary nor a text GraphDef (as text: " + errors.first +
                       "); pass a frozen GraphDef's bytes");
}

// A private temporary copy: the Keras readers (HDF5, libzip) open paths.
class TempModelFile {
 public:
  static Expected<TempModelFile> create(const std::string& bytes) {
    const char* tmp = std::getenv("TMPDIR");
    std::string dir = tmp && *tmp ? tmp : "/tmp";
    std::string pattern = dir + "/tflc_keras_XXXXXX";
    if (!mkdtemp(pattern.data())) return invalid_input("cannot create a temporary directory in '" + dir + "'");
    TempModelFile f;
    f.dir_ = pattern;
    // The readers tell .keras (a zip) from .h5 by the name.
    f.path_ = f.dir_ + (bytes.rfind("PK", 0) == 0 ? "/model.keras" : "/model.h5");
    RETURN_IF_ERROR(write_file_atomic(f.path_, bytes));
    return f;
  }
  TempModelFile() = default;
  TempModelFile(TempModelFile&& o) noexcept : dir_(std::move(o.dir_)), path_(std::move(o.path_)) { o.dir_.clear(); }
  TempModelFile& operator=(TempModelFile&&) = delete;
  ~TempModelFile() {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
};

// TF's checks on the compatibility options, then the options themselves.
static Expected<TfOpFallbacks> op_fallbacks(const ConvertOptions& o) {
  const auto& ops = o.quantize.supported_ops;
  TfOpFallbacks fb;
  fb.select_tf_ops = std::find(ops.begin(), ops.end(), "SELECT_TF_OPS") != ops.end();
  if (!o.select_user_tf_ops.empty() && !fb.select_tf_ops)
    return usage_error("--experimental_select_user_tf_ops can only be set if --target_ops contains SELECT_TF_OPS");
  if (!o.custom_opdefs.empty() && !o.allow_custom_ops)
    return usage_error("--custom_opdefs must be used with --allow_custom_ops");
  fb.select_user_tf_ops = o.select_user_tf_ops;
  fb.allow_custom_ops = o.allow_custom_ops;
  ASSIGN_OR_RETURN(fb.custom_opdefs, parse_custom_opdefs(o.custom_opdefs));
  for (const auto& op : fb.select_user_tf_ops) {
    bool declared = find_op_def(op) || std::any_of(fb.custom_opdefs.begin(), fb.custom_opdefs.end(),
                                                   [&](const tensorflow::OpDef& d) { return d.name() == op; });
    // TF's Flex delegate needs the op's kernel linked in; we need its OpDef
    // to type the outputs.
    if (!declared)
      return usage_error("--experimental_select_user_tf_ops names '" + escape_controls(op) +
                         "', which has no OpDef; declare it with --custom_opdefs (and --allow_custom_ops)");
  }
  return fb;
}

// For evaluation: `trace` records each node's outcome; `force_select` and
// `force_custom` allow Flex and custom ops whatever the flags say.
Expected<Model> import_model(const ConvertOptions& o, ImportTrace* trace = nullptr, bool force_select = false,
                             bool force_custom = false) {
  int sources = !o.graph_def_file.empty() + !o.saved_model_dir.empty() + !o.keras_model_file.empty() +
                !o.graph_def_content.empty() + !o.keras_model_content.empty() + !o.stablehlo_file.empty() +
                !o.stablehlo_content.empty();
  if (sources != 1)
    return usage_error(
        "exactly one of --graph_def_file, --saved_model_dir, --keras_model_file or --stablehlo_file is required");
  ASSIGN_OR_RETURN(TfOpFallbacks fallbacks, op_fallbacks(o));
  fallbacks.select_tf_ops = fallbacks.select_tf_ops || force_select;
  fallbacks.allow_custom_ops = fallbacks.allow_custom_ops || force_custom;
  if (!o.stablehlo_file.empty() || !o.stablehlo_content.empty()) {
    if (!o.input_arrays.empty() || !o.output_arrays.empty() || o.input_shapes)
      return usage_error("--input_arrays, --output_arrays and --input_shapes go with --graph_def_file; "
                         "a StableHLO function's arguments and results are its inputs and outputs");
    StablehloImportOptions ho;
    ho.path = o.stablehlo_file;
    ho.content = o.stablehlo_content;
    ho.entry_function = o.entry_function;
    if (!o.signature_name.empty()) ho.signature_name = o.signature_name;
    ho.fold_budget = o.fold_budget;
    ho.trace = trace;
    return import_stablehlo(ho);
  }
  if (!o.saved_model_dir.empty()) {
    if (!o.input_arrays.empty() || !o.output_arrays.empty() || o.input_shapes)
      return usage_error("--input_arrays, --output_arrays and --input_shapes go with --graph_def_file; "
                         "a SavedModel's signature names its inputs and outputs");
    SavedModelOptions so;
    so.dir = o.saved_model_dir;
    so.tags = o.saved_model_tags;
    if (!o.signature_keys.empty()) so.signature_keys = o.signature_keys;
    so.fold_budget = o.fold_budget;
    so.fallbacks = fallbacks;
    so.trace = trace;
    return import_saved_model(so);
  }
  if (!o.keras_model_file.empty() || !o.keras_model_content.empty()) {
    if (!o.input_arrays.empty() || !o.output_arrays.empty() || o.input_shapes)
      return usage_error("--input_arrays, --output_arrays and --input_shapes go with --graph_def_file");
    KerasImportOptions ko;
    ko.path = o.keras_model_file;
    ko.fold_budget = o.fold_budget;
    ko.trace = trace;
    if (o.keras_model_content.empty()) return import_keras_model(ko);
    ASSIGN_OR_RETURN(TempModelFile file, TempModelFile::create(o.keras_model_content));
    ko.path = file.path();
    return import_keras_model(ko);
  }
  GraphDefImportOptions gopt;
  gopt.input_arrays = o.input_arrays;
  gopt.output_arrays = o.output_arrays;
  gopt.fold_budget = o.fold_budget;
  gopt.fallbacks = fallbacks;
  gopt.trace = trace;
  if (o.input_shapes) {
    ASSIGN_OR_RETURN(gopt.input_shapes, parse_input_shapes(*o.input_shapes));
  }
  if (!gopt.input_shapes.empty() && gopt.input_arrays.empty())
    return usage_error("--input_shapes needs --input_arrays to say which input each shape is for");
  if (!o.graph_def_content.empty()) {
    ASSIGN_OR_RETURN(tensorflow::GraphDef gd, parse_graphdef(o.graph_def_content));
    return import_graphdef(gd, gopt);
  }
  ASSIGN_OR_RETURN(tensorflow::GraphDef gd, read_graphdef(o.graph_def_file));
  return import_graphdef(gd, gopt);
}

// TF's converter warns that the model needs the Flex delegate, or kernels
// for its custom ops; one line each here.
static void report_opaque_ops(const Model& m) {
  std::map<std::string, int> flex, custom;
  int flex_total = 0, custom_total = 0;
  for (const auto& g : m.subgraphs)
    for (const auto& op : g.ops) {
      if (op->dead || op->code != OpCode::CUSTOM) continue;
      bool is_flex = op->custom_code.rfind("Flex", 0) == 0;
      ++(is_flex ? flex : custom)[op->custom_code];
      ++(is_flex ? flex_total : custom_total);
    }
  auto join = [](const std::map<std::string, int>& ops) {
    std::string names;
    for (const auto& [k, n] : ops) names += (names.empty() ? "" : ", ") + escape_controls(k);
    return names;
  };
  if (flex_total)
    std::cerr << "TFLite interpreter needs to link Flex delegate in order to run the model since it contains "
              << flex_total << " Select TF op(s): " << join(flex) << "\n";
  if (custom_total)
    std::cerr << "The model contains " << custom_total << " custom op(s): " << join(custom)
              << "; the interpreter needs a kernel registered for each (LiteRT ships one only for "
                 "TFLite_Detection_PostProcess); see https://www.tensorflow.org/lite/guide/ops_custom\n";
}

bool wants_snapshots(const ConvertOptions& o) {
  return !o.dump_graphviz_dir.empty() || !o.conversion_summary_dir.empty();
}

// Import, the float pass pipeline, quantization (a no-op by default), then
// the --target_runtime cap. With the debugging outputs asked for, `snaps`
// gets the graph at import and at the end (and after each stage with
// --dump_graphviz_video).
Expected<Model> convert_to_model(const ConvertOptions& o, std::vector<GraphSnapshot>* snaps = nullptr) {
  ScopedMemoryBudget budget(o.memory_budget_mb);
  // Damaged files are reported in our words; protobuf's own log lines
  // ("[libprotobuf ERROR ...] invalid UTF-8") never reach stderr.
  google::protobuf::LogSilencer quiet;
  std::string runtime;
  if (!o.target_runtime.empty()) {
    ASSIGN_OR_RETURN(runtime, parse_target_runtime(o.target_runtime));
  }
  ASSIGN_OR_RETURN(Model model, import_model(o));
  report_opaque_ops(model);
  auto snap = [&](const char* stage, bool always) {
    if (snaps && (always || o.dump_graphviz_video)) snaps->push_back({stage, model_to_dot(model, stage), count_ops(model)});
  };
  snap("AT_IMPORT", true);
  PipelineOptions popt;
  popt.fold_budget = o.fold_budget;
  RETURN_IF_ERROR(run_pipeline(model, popt));
  snap("AFTER_PASSES", false);
  std::vector<std::string> notes;
  RETURN_IF_ERROR(quantize(model, o.quantize, &notes));
  for (const std::string& n : notes) std::cerr << n << "\n";
  snap("AFTER_QUANTIZATION", false);
  if (!runtime.empty()) {
    RETURN_IF_ERROR(cap_op_versions(model, runtime, o.target_runtime));
    snap("AFTER_TARGET_RUNTIME", false);
  }
  snap("AFTER_TRANSFORMATIONS", true);
  return model;
}

Status make_dir(const std::string& dir, const char* flag) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    return invalid_input(std::string("cannot create the ") + flag + " folder '" + dir + "'");
  return ok_status();
}

// --conversion_summary_dir, as TF's gen_html names its files: the HTML page
// and the graph before (toco_tf_graph.dot, our IR at import) and after
// (toco_tflite_graph.dot). A failed conversion gets a page too (status Fail,
// its error, the graph at import when import worked), as TF writes one.
Status write_summary(const ConvertOptions& o, const Model* model, const std::vector<GraphSnapshot>& snaps,
                     const std::string& output_file, const Status& failure) {
  RETURN_IF_ERROR(make_dir(o.conversion_summary_dir, "--conversion_summary_dir"));
  ConversionSummary cs;
  cs.source = o.source_description;
  cs.output_file = output_file;
  cs.error = failure.ok() ? "" : failure.message();
  cs.post_training_quantization = o.quantize.optimize;
  if (model) {
    cs.min_runtime = min_runtime_version(*model);
    summarize_ops(*model, cs);
  }
  for (const GraphSnapshot& s : snaps) {
    if (s.stage != "AT_IMPORT" && s.stage != "AFTER_TRANSFORMATIONS") continue;
    cs.graphs.push_back(s);
    std::string name = s.stage == "AT_IMPORT" ? "/toco_tf_graph.dot" : "/toco_tflite_graph.dot";
    RETURN_IF_ERROR(write_file_atomic(o.conversion_summary_dir + name, s.dot));
  }
  return write_file_atomic(o.conversion_summary_dir + "/toco_conversion_summary.html", summary_html(cs));
}

// --dump_graphviz_dir and --conversion_summary_dir, written from the final
// model before the writer consumes its constants.
Status write_debug_outputs(const ConvertOptions& o, const Model& model, const std::vector<GraphSnapshot>& snaps,
                           const std::string& output_file) {
  if (!o.dump_graphviz_dir.empty()) {
    RETURN_IF_ERROR(make_dir(o.dump_graphviz_dir, "--dump_graphviz_dir"));
    for (size_t i = 0; i < snaps.size(); ++i) {
      const GraphSnapshot& s = snaps[i];
      bool main_stage = s.stage == "AT_IMPORT" || s.stage == "AFTER_TRANSFORMATIONS";
      if (main_stage) RETURN_IF_ERROR(write_file_atomic(o.dump_graphviz_dir + "/toco_" + s.stage + ".dot", s.dot));
      if (o.dump_graphviz_video) {
        std::string n = std::to_string(i);
        n.insert(0, 2 - std::min<size_t>(2, n.size()), '0');
        RETURN_IF_ERROR(write_file_atomic(o.dump_graphviz_dir + "/toco_video_" + n + "_" + s.stage + ".dot", s.dot));
      }
    }
  }
  if (!o.conversion_summary_dir.empty()) RETURN_IF_ERROR(write_summary(o, &model, snaps, output_file, ok_status()));
  return ok_status();
}

// The last step: the metadata and its files, written as tflite_metadata does.
Expected<std::string> attach_metadata(std::string tflite, const ConvertOptions& o) {
  ASSIGN_OR_RETURN(std::string json, read_file_bytes(o.metadata_json, "metadata JSON"));
  ASSIGN_OR_RETURN(std::string metadata, metadata_from_json(json, "--metadata_json '" + o.metadata_json + "'"));
  std::vector<PackedFile> files;
  for (const std::string& path : o.associated_files) {
    ASSIGN_OR_RETURN(std::string data, read_file_bytes(path, "associated file"));
    files.push_back({path, std::move(data)});
  }
  ASSIGN_OR_RETURN(ModelFile model, ModelFile::read(std::move(tflite), "the converted model"));
  return populate_metadata(model, metadata, std::move(files));
}

}  // namespace

Expected<std::vector<std::string>> saved_model_signature_keys(const std::string& saved_model_dir,
                                                              const std::vector<std::string>& tags) {
  google::protobuf::LogSilencer quiet;
  return list_saved_model_signatures(saved_model_dir, tags);
}

// convert_to_model; a failure still writes the conversion summary.
static Expected<Model> convert_or_summarize(const ConvertOptions& options, std::vector<GraphSnapshot>& snaps) {
  Expected<Model> model = convert_to_model(options, wants_snapshots(options) ? &snaps : nullptr);
  if (!model.ok() && !options.conversion_summary_dir.empty() && model.status().kind() != ErrorKind::kUsage) {
    Status written = write_summary(options, nullptr, snaps, "", model.status());
    (void)written;  // the conversion's own error is the one to report
  }
  return model;
}

// The whole conversion into memory; `output_file` only names the output in
// the conversion summary.
static Expected<std::string> convert_in_memory(const ConvertOptions& options, const std::string& output_file) {
  if (options.metadata_json.empty() && !options.associated_files.empty())
    return usage_error("--associated_file needs --metadata_json, the metadata that names the files");
  if (options.output_graphviz_dot && !options.metadata_json.empty())
    return usage_error("--metadata_json goes with --output_format=TFLITE; a .dot file holds no metadata");
  std::vector<GraphSnapshot> snaps;
  ASSIGN_OR_RETURN(Model model, convert_or_summarize(options, snaps));
  RETURN_IF_ERROR(write_debug_outputs(options, model, snaps, output_file));
  if (options.output_graphviz_dot) return model_to_dot(model, "AFTER_TRANSFORMATIONS");
  WriteOptions wo;
  wo.exclude_conversion_metadata = options.exclude_conversion_metadata;
  ASSIGN_OR_RETURN(std::string tflite, write_tflite(model, wo));
  if (options.metadata_json.empty()) return tflite;
  return attach_metadata(std::move(tflite), options);
}

Expected<std::string> convert(const ConvertOptions& options) { return convert_in_memory(options, ""); }

namespace {

std::string mapping_name(NodeMapping m) {
  switch (m) {
    case NodeMapping::kBuiltin: return "builtin";
    case NodeMapping::kFlex: return "flex";
    case NodeMapping::kCustom: return "custom";
    case NodeMapping::kUnsupported: return "unsupported";
    case NodeMapping::kUnchecked: return "unchecked";
  }
  return "unsupported";
}

// Groups the trace by (op type, mapping), in first-seen order.
void add_trace(Evaluation& e, const ImportTrace& trace) {
  std::map<std::pair<std::string, std::string>, size_t> at;
  for (const NodeTrace& n : trace.nodes) {
    std::string mapping = mapping_name(n.mapping);
    auto [it, fresh] = at.try_emplace({n.op, mapping}, e.ops.size());
    if (fresh) e.ops.push_back({n.op, mapping, 0, {}, {}, {}});
    OpEvaluation& o = e.ops[it->second];
    ++o.count;
    for (const auto& b : n.builtins)
      if (std::find(o.builtins.begin(), o.builtins.end(), b) == o.builtins.end()) o.builtins.push_back(b);
    if (!n.detail.empty() && std::find(o.reasons.begin(), o.reasons.end(), n.detail) == o.reasons.end())
      o.reasons.push_back(n.detail);
    std::string where = n.signature.empty() ? "" : n.signature + ": ";
    if (!n.function.empty()) where += n.function + "/";
    o.nodes.push_back(where + n.node);
    int* counter[] = {&e.builtin, &e.flex, &e.custom, &e.unsupported, &e.unchecked};
    ++*counter[static_cast<int>(n.mapping)];
  }
  for (auto& o : e.ops) {
    std::sort(o.builtins.begin(), o.builtins.end());
    std::sort(o.reasons.begin(), o.reasons.end());
  }
}

}  // namespace

Expected<Evaluation> evaluate(const ConvertOptions& o) {
  ScopedMemoryBudget budget(o.memory_budget_mb);
  google::protobuf::LogSilencer quiet;
  Evaluation e;
  e.source_format = !o.saved_model_dir.empty()                                  ? "saved_model"
                    : !o.keras_model_file.empty() || !o.keras_model_content.empty() ? "keras"
                    : !o.stablehlo_file.empty() || !o.stablehlo_content.empty()     ? "stablehlo"
                                                                                     : "graphdef";
  e.model = !o.graph_def_file.empty()    ? o.graph_def_file
            : !o.saved_model_dir.empty() ? o.saved_model_dir
            : !o.keras_model_file.empty() ? o.keras_model_file
                                          : o.stablehlo_file;
  if (e.model.empty()) e.model = "(model content)";
  ImportTrace trace;
  // Flex ops are lowered in any case, so that what follows them is tried too
  // (with --allow_custom_ops they have a fallback already: custom ops).
  auto imported = import_model(o, &trace, /*force_select=*/!o.allow_custom_ops);
  // A model that cannot be read (no file, not a GraphDef...) has nothing to
  // report: that is an error. A model read with ops that fail is the report.
  if (!imported.ok() && (imported.status().kind() == ErrorKind::kUsage ||
                         (trace.nodes.empty() && imported.status().kind() != ErrorKind::kUnsupported)))
    return imported.status();
  add_trace(e, trace);
  Status failed = imported.status();
  if (imported.ok()) {
    Model& model = *imported;
    PipelineOptions popt;
    popt.fold_budget = o.fold_budget;
    failed = run_pipeline(model, popt);
    if (failed.ok()) {
      e.integer_checked = true;
      auto mode = choose_quant_mode(o.quantize, has_recorded_ranges(model));
      e.no_integer_kernel = ops_without_integer_kernel(model, mode.ok() && is_16x8_mode(*mode));
      e.integer_quantizable = e.no_integer_kernel.empty();
      failed = quantize(model, o.quantize);
    }
    if (failed.ok()) {
      WriteOptions wo;
      wo.exclude_conversion_metadata = o.exclude_conversion_metadata;
      failed = write_tflite(model, wo).status();
    }
  }
  const auto& ops = o.quantize.supported_ops;
  bool has_select = std::find(ops.begin(), ops.end(), "SELECT_TF_OPS") != ops.end();
  e.converts = failed.ok() && (e.flex == 0 || has_select);
  if (!failed.ok()) e.error = failed.message();
  else if (!e.converts)
    e.error = std::to_string(e.flex) + " node(s) are Flex ops, which need SELECT_TF_OPS in --supported_ops";
  if (e.converts) return e;
  if (e.flex > 0 && !has_select) {
    std::vector<std::string> sets = ops;
    if (sets.empty()) sets = {"TFLITE_BUILTINS"};
    sets.push_back("SELECT_TF_OPS");
    std::string flag = "--supported_ops=";
    for (size_t i = 0; i < sets.size(); ++i) flag += (i ? "," : "") + sets[i];
    e.suggested_flags.push_back(flag);
  }
  bool add_custom = (e.custom > 0 || e.unsupported > 0) && !o.allow_custom_ops && e.source_format != "keras" &&
                    e.source_format != "stablehlo";
  if (add_custom) e.suggested_flags.push_back("--allow_custom_ops");
  if (e.suggested_flags.empty()) return e;
  // Checked, not guessed: the whole conversion again, in memory, with them.
  Status with_flags = [&]() -> Status {
    ASSIGN_OR_RETURN(Model model, import_model(o, nullptr, /*force_select=*/true, /*force_custom=*/add_custom));
    PipelineOptions popt;
    popt.fold_budget = o.fold_budget;
    RETURN_IF_ERROR(run_pipeline(model, popt));
    RETURN_IF_ERROR(quantize(model, o.quantize));
    WriteOptions wo;
    wo.exclude_conversion_metadata = o.exclude_conversion_metadata;
    return write_tflite(model, wo).status();
  }();
  e.converts_with_suggested_flags = with_flags.ok();
  if (!with_flags.ok()) e.suggested_flags_error = with_flags.message();
  // Flags that change nothing are not suggested.
  if (!with_flags.ok() && with_flags.message() == failed.message()) {
    e.suggested_flags.clear();
    e.suggested_flags_error.clear();
  }
  return e;
}

Status convert_to_file(const ConvertOptions& options, const std::string& output_file) {
  if (!options.metadata_json.empty() || !options.associated_files.empty() || options.output_graphviz_dot) {
    ASSIGN_OR_RETURN(std::string bytes, convert_in_memory(options, output_file));
    return write_file_atomic(output_file, bytes);
  }
  std::vector<GraphSnapshot> snaps;
  ASSIGN_OR_RETURN(Model model, convert_or_summarize(options, snaps));
  RETURN_IF_ERROR(write_debug_outputs(options, model, snaps, output_file));
  // Streams the FlatBuffer to the file: no second in-memory copy.
  ASSIGN_OR_RETURN(auto file, AtomicFileWriter::create(output_file));
  WriteOptions wo;
  wo.exclude_conversion_metadata = options.exclude_conversion_metadata;
  RETURN_IF_ERROR(write_tflite(model, wo, [&](std::string_view piece) { return file->write(piece); }));
  return file->commit();
}

// Reads the unsupported-ops report (frontends/graphdef/unsupported_ops.cc):
// "\ttf.OP(types) : {node = "NAME"}" detail lines, and "error: 'tf.OP' op
// (node 'NAME') REASON" lines for known ops in an unsupported form.
std::vector<ConversionError> conversion_errors(const Status& status) {
  if (status.ok()) return {};
  const std::string& m = status.message();
  std::vector<ConversionError> out;
  size_t details = m.find("Details:\n");
  if (details != std::string::npos) {
    std::vector<std::pair<std::string, std::string>> reasons;  // node, reason
    for (size_t at = 0; at < details;) {
      size_t end = m.find('\n', at);
      if (end == std::string::npos || end > details) end = details;
      std::string line = m.substr(at, end - at);
      size_t node_at = line.find("' op (node '");
      if (line.find("error: 'tf.") != std::string::npos && node_at != std::string::npos) {
        size_t node_end = line.find("') ", node_at);
        if (node_end != std::string::npos)
          reasons.push_back({line.substr(node_at + 12, node_end - node_at - 12), line.substr(node_end + 3)});
      }
      at = end + 1;
    }
    std::string_view summary = std::string_view(m).substr(0, details);
    for (size_t at = details + 9; at < m.size();) {
      size_t end = m.find('\n', at);
      if (end == std::string::npos) end = m.size();
      std::string line = m.substr(at, end - at);
      at = end + 1;
      size_t paren = line.find('(');
      size_t node_at = line.find(" : {node = \"");
      if (line.rfind("\ttf.", 0) != 0 || paren == std::string::npos || node_at == std::string::npos) continue;
      ConversionError e;
      e.op_type = line.substr(4, paren - 4);
      e.node_name = line.substr(node_at + 12, line.size() - node_at - 12 - 2);  // drops the closing "}
      for (const auto& [node, reason] : reasons)
        if (node == e.node_name) e.reason = reason;
      if (e.reason.empty())
        e.reason = summary.find("neither a custom op nor a flex op (node '" + e.node_name + "')") != std::string::npos
                       ? "is neither a custom op nor a flex op"
                       : "is not supported by the native TFLite runtime (a TF Select op)";
      out.push_back(std::move(e));
    }
  }
  if (out.empty()) out.push_back({"", "", m});
  return out;
}

}  // namespace tflc
