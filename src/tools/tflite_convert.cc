// tflite_convert: TensorFlow's command-line converter, without TensorFlow.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <new>
#include <optional>

#include <unistd.h>

#include "api/converter.h"
#include "api/evaluate.h"
#include "passes/target_runtime.h"
#include "support/printable.h"

namespace {

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size() && !s.empty()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Maps the v2 attribute flags and their v1 spellings onto QuantizeOptions.
tflc::Status set_quantize_options(tflc::QuantizeOptions& q, const std::string& optimizations,
                                  const std::string& supported_types, const std::string& supported_ops,
                                  const std::string& dataset, const std::string& inference_type,
                                  const std::string& input_type, const std::string& output_type,
                                  bool post_training_quantize, bool quantize_to_float16) {
  for (std::string o : split_commas(optimizations)) {
    if (o.rfind("tf.lite.Optimize.", 0) == 0) o = o.substr(17);
    if (o == "DEFAULT" || o == "OPTIMIZE_FOR_SIZE" || o == "OPTIMIZE_FOR_LATENCY") q.optimize = true;
    else if (o == "EXPERIMENTAL_SPARSITY") return tflc::unsupported("not supported yet: --optimizations=EXPERIMENTAL_SPARSITY");
    else return tflc::usage_error("unknown --optimizations value '" + o + "'; use DEFAULT");
  }
  if (post_training_quantize) q.optimize = true;
  for (std::string t : split_commas(supported_types)) {
    if (t.rfind("tf.", 0) == 0) t = t.substr(3);
    q.supported_types.push_back(t);
  }
  if (quantize_to_float16) {
    if (!post_training_quantize && !q.optimize) return tflc::usage_error("--quantize_to_float16 needs --post_training_quantize");
    q.supported_types = {"float16"};
  }
  if (!supported_ops.empty()) q.supported_ops = split_commas(supported_ops);
  q.representative_dataset = dataset;
  tflc::DType v1_type = tflc::DType::kFloat32;
  if (!inference_type.empty()) {
    ASSIGN_OR_RETURN(v1_type, tflc::parse_inference_type(inference_type));
    if (v1_type != tflc::DType::kFloat32) {
      // TF 1.x integer inference: a fully quantized model with integer edges.
      q.optimize = true;
      if (std::find(q.supported_ops.begin(), q.supported_ops.end(), "TFLITE_BUILTINS_INT8") == q.supported_ops.end())
        q.supported_ops = {"TFLITE_BUILTINS_INT8"};
    }
  }
  q.inference_input_type = q.inference_output_type = v1_type;
  if (!input_type.empty()) {
    ASSIGN_OR_RETURN(q.inference_input_type, tflc::parse_inference_type(input_type));
  }
  if (!output_type.empty()) {
    ASSIGN_OR_RETURN(q.inference_output_type, tflc::parse_inference_type(output_type));
  }
  return tflc::ok_status();
}


// ---------------------------------------------------------------------------
// The rest of TF's tflite_convert flags (TF 1.x debugging and graph flags,
// the experimental switches) and --target_runtime. Kept in one block: their
// names, help texts and checks follow tensorflow/lite/python/tflite_convert.py.
struct MoreFlags {
  std::string target_runtime;
  std::string output_format;
  std::string dump_graphviz_dir;
  bool dump_graphviz_video = false;
  std::string conversion_summary_dir;
  std::string default_ranges_min, default_ranges_max;
  bool quantize_weights = false;
  bool drop_control_dependency = false;
  bool reorder_across_fake_quant = false;
  std::string change_concat_input_ranges;
  std::string experimental_new_converter, experimental_new_quantizer;
};

// The input flags the checks read.
struct InputFlags {
  bool graph_def, saved_model, keras, stablehlo;
  const std::string& input_arrays;
  std::optional<std::string> input_shapes;
};

void add_more_flags(CLI::App& app, MoreFlags& f) {
  app.add_option("--target_runtime", f.target_runtime,
                 "Oldest TFLite runtime the model must load in, as 2.N or 2.N.P: op versions are capped at what it "
                 "supports (an exact older lowering where one exists, else an error naming the op).");
  app.add_option("--output_format", f.output_format, "TF 1.x: output file format, TFLITE (default) or GRAPHVIZ_DOT.");
  app.add_option("--dump_graphviz_dir", f.dump_graphviz_dir,
                 "TF 1.x: folder to dump the graph as GraphViz .dot files, at import and after conversion.");
  app.add_flag("--dump_graphviz_video", f.dump_graphviz_video,
               "TF 1.x: with --dump_graphviz_dir, also dump the graph after every conversion stage.");
  app.add_option("--conversion_summary_dir", f.conversion_summary_dir,
                 "TF 1.x: folder for an HTML conversion summary (op counts, source node to TFLite ops, the graphs).");
  app.add_option("--default_ranges_min", f.default_ranges_min,
                 "TF 1.x: min of the range used for every array without one (\"dummy quantization\"; with an "
                 "integer --inference_type and --default_ranges_max).");
  app.add_option("--default_ranges_max", f.default_ranges_max, "TF 1.x: max of the default range (see above).");
  app.add_flag("--quantize_weights", f.quantize_weights, "Deprecated: the same as --post_training_quantize.");
  app.add_flag("--drop_control_dependency", f.drop_control_dependency,
               "TF 1.x: drop control dependencies silently (always done: TFLite has none).");
  app.add_flag("--reorder_across_fake_quant", f.reorder_across_fake_quant,
               "TF 1.x: reorder FakeQuant nodes in unexpected locations (accepted; FakeQuant ranges are read "
               "where they are).");
  app.add_option("--change_concat_input_ranges", f.change_concat_input_ranges,
                 "TF 1.x: TRUE or FALSE (accepted; concatenation operands always take the output's range, as "
                 "TFLite's integer kernels require).");
  app.add_option("--experimental_new_converter", f.experimental_new_converter,
                 "Accepted for compatibility (true, false or no value): there is one converter here.")
      ->expected(0, 1);
  app.add_option("--experimental_new_quantizer", f.experimental_new_quantizer,
                 "Accepted for compatibility (true, false or no value): there is one quantizer here.")
      ->expected(0, 1);
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

// TF's argparse-style one-line usage errors; "" when the flags are fine.
std::string check_more_flags(const CLI::App& app, const MoreFlags& f, bool enable_v1, InputFlags v) {
  // argparse's mutually exclusive input group.
  const std::pair<const char*, bool> inputs[] = {{"--graph_def_file", v.graph_def}, {"--saved_model_dir", v.saved_model},
                                                 {"--keras_model_file", v.keras}, {"--stablehlo_file", v.stablehlo}};
  const char* first = nullptr;
  for (const auto& [name, given] : inputs) {
    if (!given) continue;
    if (first) return std::string("argument ") + name + ": not allowed with argument " + first;
    first = name;
  }
  // Flags only TF's 1.X parser has (TF 2.X would not even read them).
  for (const char* name : {"--output_format", "--dump_graphviz_dir", "--dump_graphviz_video", "--conversion_summary_dir",
                           "--default_ranges_min", "--default_ranges_max", "--drop_control_dependency",
                           "--reorder_across_fake_quant", "--change_concat_input_ranges"})
    if (app.count(name) && !enable_v1)
      return std::string(name) + " is a TensorFlow 1.X flag; add --enable_v1_converter";
  if (!f.output_format.empty() && upper(f.output_format) != "TFLITE" && upper(f.output_format) != "GRAPHVIZ_DOT")
    return "argument --output_format: invalid choice: '" + f.output_format + "' (choose from 'TFLITE', 'GRAPHVIZ_DOT')";
  if (!f.change_concat_input_ranges.empty() && upper(f.change_concat_input_ranges) != "TRUE" &&
      upper(f.change_concat_input_ranges) != "FALSE")
    return "argument --change_concat_input_ranges: invalid choice: '" + f.change_concat_input_ranges +
           "' (choose from 'TRUE', 'FALSE')";
  for (const auto& [name, value] : {std::pair<const char*, const std::string&>{"--experimental_new_converter",
                                                                              f.experimental_new_converter},
                                    {"--experimental_new_quantizer", f.experimental_new_quantizer}}) {
    std::string lower = value;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!value.empty() && lower != "true" && lower != "false") return std::string("Invalid ") + name + " argument.";
  }
  for (const auto& [name, value] : {std::pair<const char*, const std::string&>{"--default_ranges_min",
                                                                              f.default_ranges_min},
                                    {"--default_ranges_max", f.default_ranges_max}}) {
    char* end = nullptr;
    if (!value.empty()) {
      double d = std::strtod(value.c_str(), &end);
      if (*end || !std::isfinite(d)) return std::string("argument ") + name + ": invalid float value: '" + value + "'";
    }
  }
  if (f.default_ranges_min.empty() != f.default_ranges_max.empty())
    return "--default_ranges_min and --default_ranges_max must be used together";
  if (f.dump_graphviz_video && f.dump_graphviz_dir.empty())
    return "--dump_graphviz_video must be used with --dump_graphviz_dir";
  if (v.input_shapes && !v.input_arrays.empty() &&
      std::count(v.input_shapes->begin(), v.input_shapes->end(), ':') !=
          std::count(v.input_arrays.begin(), v.input_arrays.end(), ','))
    return "--input_shapes and --input_arrays must have the same number of items";
  if (!f.target_runtime.empty()) {
    auto r = tflc::parse_target_runtime(f.target_runtime);
    if (!r.ok()) return r.status().message();
  }
  // _parse_inference_type's and --target_ops' own messages.
  for (const char* name : {"--inference_type", "--inference_input_type"}) {
    if (!app.count(name)) continue;
    std::string value = app.get_option(name)->as<std::string>();
    if (!tflc::parse_inference_type(value).ok())
      return std::string("Unsupported value for `") + (name + 2) +
             "` flag. Expected FLOAT, INT8, UINT8, or QUANTIZED_UINT8 instead got " + value + ".";
  }
  if (app.count("--target_ops"))
    for (const std::string& o : split_commas(app.get_option("--target_ops")->as<std::string>()))
      if (o != "TFLITE_BUILTINS" && o != "SELECT_TF_OPS" && o != "TFLITE_BUILTINS_INT8" &&
          o != "EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8")
        return "Invalid value for --target_ops. Options: TFLITE_BUILTINS,SELECT_TF_OPS,TFLITE_BUILTINS_INT8,"
               "EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8";
  return "";
}

void apply_more_flags(const MoreFlags& f, tflc::ConvertOptions& opt) {
  opt.target_runtime = f.target_runtime;
  opt.output_graphviz_dot = upper(f.output_format) == "GRAPHVIZ_DOT";
  opt.dump_graphviz_dir = f.dump_graphviz_dir;
  opt.dump_graphviz_video = f.dump_graphviz_video;
  // TF writes the summary only with the new converter (the default); with
  // --experimental_new_converter=false it warns instead.
  bool new_converter = f.experimental_new_converter.empty() || upper(f.experimental_new_converter) == "TRUE";
  if (!f.conversion_summary_dir.empty() && !new_converter)
    std::fprintf(stderr, "tflite_convert: warning: Conversion summary will only be generated when enabling the new "
                         "converter via --experimental_new_converter.\n");
  else
    opt.conversion_summary_dir = f.conversion_summary_dir;
  if (!f.default_ranges_min.empty())
    opt.quantize.default_ranges = {std::strtod(f.default_ranges_min.c_str(), nullptr),
                                   std::strtod(f.default_ranges_max.c_str(), nullptr)};
}

// TF's hints for flags of the old TOCO command line (_check_tf1_flags), for
// CLI11's "arguments were not expected" error.
std::string toco_flag_hint(const std::string& parse_error) {
  if (parse_error.find("not expected") == std::string::npos) return "";
  static const std::pair<const char*, const char*> kOld[] = {{"--input_file", "--graph_def_file"},
                                                             {"--savedmodel_directory", "--saved_model_dir"},
                                                             {"--std_value", "--std_dev_values"},
                                                             {"--batch_size", "--input_shapes"},
                                                             {"--dump_graphviz", "--dump_graphviz_dir"}};
  for (const auto& [old_flag, new_flag] : kOld)
    for (size_t at = parse_error.find(old_flag); at != std::string::npos; at = parse_error.find(old_flag, at + 1)) {
      size_t end = at + std::strlen(old_flag);
      if (end == parse_error.size() || parse_error[end] == '=' || parse_error[end] == ' ' || parse_error[end] == ',')
        return std::string("Use ") + new_flag + " instead of " + old_flag;
    }
  return "";
}

// TF 1.x: --post_training_quantize quantizes a float graph; an integer
// --inference_type is overridden to FLOAT, with TF's message.
void post_training_quantize_override(bool post_training_quantize, std::string& inference_type) {
  if (!post_training_quantize || inference_type.empty()) return;
  auto t = tflc::parse_inference_type(inference_type);
  if (!t.ok() || *t == tflc::DType::kFloat32) return;
  std::fprintf(stderr, "--post_training_quantize quantizes a graph of inference_type FLOAT. Overriding inference_type "
                       "to FLOAT.\n");
  inference_type.clear();
}
// ---------------------------------------------------------------------------

int run(int argc, char** argv) {
  CLI::App app{"Converts a TensorFlow model into a TensorFlow Lite FlatBuffer, without TensorFlow.", "tflite_convert"};
  app.option_defaults()->always_capture_default(false);
  std::string output_file, graph_def_file, saved_model_dir, keras_model_file;
  std::string stablehlo_file, entry_function = "main", signature_name;
  std::string input_arrays, output_arrays, input_shapes;
  std::string tag_set = "serve", signature_key, signature_keys;
  bool enable_v1 = false;
  std::string optimizations, supported_types, supported_ops, representative_dataset;
  std::string inference_input_type, inference_output_type, inference_type, target_ops, mean_values, std_dev_values;
  bool post_training_quantize = false, quantize_to_float16 = false;
  app.add_option("--output_file", output_file, "Full filepath of the output file (not with --analyze).");
  app.add_option("--graph_def_file", graph_def_file,
                 "Full filepath of file containing frozen TensorFlow GraphDef (.pb or .pbtxt). Needs --enable_v1_converter.");
  app.add_option("--saved_model_dir", saved_model_dir, "Full path of the directory containing the SavedModel.");
  app.add_option("--saved_model_tag_set", tag_set,
                 "Comma-separated set of tags identifying the MetaGraphDef to load (default: serve).");
  app.add_option("--saved_model_signature_key", signature_key,
                 "Key identifying the SignatureDef to convert (default: serving_default); a comma list converts several.");
  app.add_option("--signature_keys", signature_keys,
                 "Comma-separated SignatureDef keys to convert, each into its own TFLite signature.");
  app.add_option("--keras_model_file", keras_model_file, "Full filepath of HDF5 file containing tf.Keras model.");
  app.add_option("--stablehlo_file", stablehlo_file,
                 "Full filepath of a StableHLO module as MLIR text (e.g. JAX's jax.export(f)(...).mlir_module()).");
  app.add_option("--entry_function", entry_function, "With --stablehlo_file: the function to convert (default main).");
  app.add_option("--signature_name", signature_name,
                 "With --stablehlo_file: the signature key of the converted function (default serving_default).");
  app.add_flag("--enable_v1_converter", enable_v1, "Enables the TensorFlow V1 converter (for --graph_def_file).");
  app.add_option("--input_arrays", input_arrays, "Names of the input arrays, comma-separated.");
  app.add_option("--output_arrays", output_arrays, "Names of the output arrays, comma-separated.");
  app.add_option("--input_shapes", input_shapes,
                 "Shapes corresponding to --input_arrays, colon-separated (e.g. 1,28,28,1:1,10); empty for a scalar.")
      ->expected(0, 1);
  // Optimization: the attribute names of tf.lite.TFLiteConverter, then the
  // TF 1.x spellings of the same settings.
  app.add_option("--optimizations", optimizations,
                 "Comma-separated optimizations: DEFAULT (OPTIMIZE_FOR_SIZE and OPTIMIZE_FOR_LATENCY are its "
                 "deprecated aliases). Quantizes weights (dynamic range), or the whole model with "
                 "--representative_dataset or --supported_types.");
  app.add_option("--supported_types", supported_types,
                 "Comma-separated target types: float16 (float16 weights) or int8 (full integer).");
  app.add_option("--supported_ops", supported_ops,
                 "Comma-separated op sets: TFLITE_BUILTINS (default), TFLITE_BUILTINS_INT8 (integer only), "
                 "EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8 (16x8), SELECT_TF_OPS.");
  app.add_option("--representative_dataset", representative_dataset,
                 "Calibration samples for full integer quantization: an .npz with one array per model input "
                 "(keys are input names, or arr_0... in input order) or a folder of .npy files; samples run "
                 "along axis 0.");
  app.add_option("--inference_input_type", inference_input_type,
                 "Type of the model's inputs: float32 (default), int8, uint8 or int16 (integer quantization only).");
  app.add_option("--inference_output_type", inference_output_type,
                 "Type of the model's outputs: float32 (default), int8, uint8 or int16 (integer quantization only).");
  app.add_flag("--post_training_quantize", post_training_quantize,
               "TF 1.x: quantize the weights of the float model (same as --optimizations=DEFAULT).");
  app.add_flag("--quantize_to_float16", quantize_to_float16,
               "TF 1.x: with --post_training_quantize, quantize weights to float16 instead of int8.");
  app.add_option("--inference_type", inference_type,
                 "TF 1.x: type of real-number arrays in the output: FLOAT (default), INT8 or QUANTIZED_UINT8 "
                 "(integer only; the inputs and outputs take this type unless --inference_input_type says otherwise).");
  app.add_option("--target_ops", target_ops, "TF 1.x spelling of --supported_ops.");
  app.add_option("--mean_values", mean_values,
                 "TF 1.x: mean of each input's quantized values, comma-separated (with --std_dev_values and an "
                 "integer --inference_type): real = (quantized - mean) / std_dev.");
  app.add_option("--std_dev_values", std_dev_values,
                 "TF 1.x: standard deviation of each input's quantized values, comma-separated.");
  // Compatibility: Select TF ops for user ops, and custom ops.
  std::string select_user_tf_ops, custom_opdefs;
  bool allow_custom_ops = false;
  app.add_option("--experimental_select_user_tf_ops", select_user_tf_ops,
                 "Comma-separated user-defined TF ops to run through the Flex delegate (needs SELECT_TF_OPS in "
                 "--target_ops and an OpDef from --custom_opdefs).");
  app.add_flag("--allow_custom_ops", allow_custom_ops,
               "Write ops with no builtin (or, with SELECT_TF_OPS, Flex) kernel as custom ops named by their TF "
               "op type, attrs in a FlexBuffer map; the app must register a kernel for each.");
  app.add_option("--custom_opdefs", custom_opdefs,
                 "OpDefs (text, comma-separated as TF splits them) of ops TensorFlow lacks, e.g. \"name: 'MyOp' "
                 "input_arg: {name: 'x' type: DT_FLOAT} output_arg: {name: 'y' type: DT_FLOAT}\". Needs "
                 "--allow_custom_ops.");
  std::string metadata_json;
  std::vector<std::string> associated_files;
  app.add_option("--metadata_json", metadata_json,
                 "TFLite Metadata to attach, as JSON in the form `tflite_metadata show` prints.");
  app.add_option("--associated_file", associated_files,
                 "A file the metadata names (labels, vocabulary...), packed into the model (repeatable).")
      ->allow_extra_args(false);
  MoreFlags more;
  add_more_flags(app, more);
  // Evaluation before converting (api/evaluate.h): a report, no output file.
  bool analyze = false, analyze_json = false;
  app.add_flag("--analyze", analyze,
               "Convert nothing: report each source op type and what it maps to (builtin, Flex, custom, "
               "unsupported), the flags that would make the model convert, and whether it is integer-quantizable.");
  app.add_flag("--json", analyze_json, "With --analyze: print the report as JSON.");
  uint64_t memory_budget_mb = tflc::ConvertOptions{}.memory_budget_mb;
  app.add_option("--memory_budget_mb", memory_budget_mb,
                 "The most memory (MB) one object the input declares may take: a constant, a variable, a weights "
                 "file, a representative dataset (default 4096). Files are untrusted; sizes past it are refused "
                 "before anything is allocated.")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
  // CLI11 would take the next argument as the value of "--flag=": an empty
  // value is a usage error (--input_shapes= alone means a scalar input).
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") break;
    if (a.size() > 3 && a.rfind("--", 0) == 0 && a.back() == '=' && a.find('=') == a.size() - 1 &&
        a != "--input_shapes=") {
      std::string flag = a.substr(0, a.size() - 1);
      std::fprintf(stderr, "tflite_convert: error: %s= has an empty value; give one (%s=VALUE) or leave the flag out\n",
                   flag.c_str(), flag.c_str());
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    if (what.find('\n') != std::string::npos) what = what.substr(0, what.find('\n'));
    std::string hint = toco_flag_hint(what);
    if (!hint.empty()) what += "; " + hint;
    std::fprintf(stderr, "tflite_convert: error: %s (see tflite_convert --help)\n", what.c_str());
    return 2;
  }
  if (analyze_json && !analyze) {
    std::fprintf(stderr, "tflite_convert: error: --json goes with --analyze\n");
    return 2;
  }
  if (analyze && app.count("--output_file")) {
    std::fprintf(stderr, "tflite_convert: error: --analyze converts nothing; leave out --output_file\n");
    return 2;
  }
  if (!analyze && !app.count("--output_file")) {
    std::fprintf(stderr, "tflite_convert: error: --output_file is required (see tflite_convert --help)\n");
    return 2;
  }
  if (!analyze && output_file.empty()) {
    std::fprintf(stderr, "tflite_convert: error: --output_file has an empty value; give the path of the .tflite to write\n");
    return 2;
  }
  if (std::string e = check_more_flags(app, more, enable_v1,
                                       {!graph_def_file.empty(), !saved_model_dir.empty(), !keras_model_file.empty(),
                                        !stablehlo_file.empty(), input_arrays,
                                        app.count("--input_shapes") ? std::optional<std::string>(input_shapes)
                                                                    : std::nullopt});
      !e.empty()) {
    std::fprintf(stderr, "tflite_convert: error: %s\n", tflc::escape_controls(e).c_str());
    return 2;
  }
  post_training_quantize = post_training_quantize || more.quantize_weights;
  post_training_quantize_override(post_training_quantize, inference_type);
  if (!graph_def_file.empty() && !enable_v1) {
    std::fprintf(stderr,
                 "tflite_convert: error: --graph_def_file is a TensorFlow 1.X flag; add --enable_v1_converter\n");
    return 2;
  }
  tflc::ConvertOptions opt;
  opt.memory_budget_mb = memory_budget_mb;
  opt.graph_def_file = graph_def_file;
  opt.saved_model_dir = saved_model_dir;
  opt.keras_model_file = keras_model_file;
  opt.stablehlo_file = stablehlo_file;
  opt.entry_function = entry_function;
  opt.signature_name = signature_name;
  opt.input_arrays = split_commas(input_arrays);
  opt.output_arrays = split_commas(output_arrays);
  if (app.count("--input_shapes")) opt.input_shapes = input_shapes;
  opt.saved_model_tags = split_commas(tag_set);
  opt.signature_keys = split_commas(signature_key);
  for (const auto& k : split_commas(signature_keys)) opt.signature_keys.push_back(k);
  if (tflc::Status q = set_quantize_options(opt.quantize, optimizations, supported_types,
                                            supported_ops.empty() ? target_ops : supported_ops, representative_dataset,
                                            inference_type, inference_input_type, inference_output_type,
                                            post_training_quantize, quantize_to_float16);
      !q.ok()) {
    std::fprintf(stderr, "tflite_convert: error: %s\n", q.message().c_str());
    return 2;
  }
  if (mean_values.empty() != std_dev_values.empty()) {
    std::fprintf(stderr, "tflite_convert: error: --mean_values and --std_dev_values go together\n");
    return 2;
  }
  {
    auto means = split_commas(mean_values), stds = split_commas(std_dev_values);
    if (means.size() != stds.size()) {
      std::fprintf(stderr, "tflite_convert: error: --mean_values and --std_dev_values need one value per input each\n");
      return 2;
    }
    for (size_t i = 0; i < means.size(); ++i) {
      char* end1 = nullptr;
      char* end2 = nullptr;
      double mean = std::strtod(means[i].c_str(), &end1), sd = std::strtod(stds[i].c_str(), &end2);
      if (*end1 || *end2) {
        std::fprintf(stderr, "tflite_convert: error: --mean_values and --std_dev_values take numbers\n");
        return 2;
      }
      opt.quantize.input_stats.emplace_back(mean, sd);
    }
  }
  opt.quantize.show_progress = isatty(STDERR_FILENO);
  opt.select_user_tf_ops = split_commas(select_user_tf_ops);
  opt.allow_custom_ops = allow_custom_ops;
  opt.custom_opdefs = split_commas(custom_opdefs);
  opt.metadata_json = metadata_json;
  opt.associated_files = associated_files;
  apply_more_flags(more, opt);
  opt.source_description = !graph_def_file.empty()    ? graph_def_file
                           : !saved_model_dir.empty() ? saved_model_dir
                           : !keras_model_file.empty() ? keras_model_file
                                                       : stablehlo_file;
  tflc::Status st = analyze ? tflc::ok_status() : tflc::convert_to_file(opt, output_file);
  if (analyze) {
    auto report = tflc::evaluate(opt);
    if (report.ok()) {
      std::string text = analyze_json ? tflc::evaluation_json(*report) : tflc::evaluation_text(*report);
      std::fwrite(text.data(), 1, text.size(), stdout);
      return std::fflush(stdout) == 0 ? 0 : 1;
    }
    st = report.status();
  }
  if (!st.ok()) {
    // Names from the file (layers, signature keys...) may hold terminal
    // escapes: only the report's own line breaks and tabs go out raw.
    std::string m;
    for (char c : st.message())
      m += c == '\n' || c == '\t' ? std::string(1, c) : tflc::escape_controls(std::string_view(&c, 1));
    bool prefixed = m.rfind("error:", 0) == 0;
    std::fprintf(stderr, "%s%s\n", prefixed ? "" : "tflite_convert: error: ", m.c_str());
    return st.kind() == tflc::ErrorKind::kUsage ? 2 : 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "tflite_convert: error: out of memory; the model is too large for this machine\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tflite_convert: error: %s\n", e.what());
  }
  return 1;
}
