// tflite_convert: TensorFlow's command-line converter, without TensorFlow.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <new>

#include "api/converter.h"

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

int run(int argc, char** argv) {
  CLI::App app{"Converts a TensorFlow model into a TensorFlow Lite FlatBuffer, without TensorFlow.", "tflite_convert"};
  app.option_defaults()->always_capture_default(false);
  std::string output_file, graph_def_file, saved_model_dir, keras_model_file;
  std::string input_arrays, output_arrays, input_shapes;
  std::string tag_set = "serve", signature_key, signature_keys;
  bool enable_v1 = false;
  app.add_option("--output_file", output_file, "Full filepath of the output file.")->required();
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
  app.add_flag("--enable_v1_converter", enable_v1, "Enables the TensorFlow V1 converter (for --graph_def_file).");
  app.add_option("--input_arrays", input_arrays, "Names of the input arrays, comma-separated.");
  app.add_option("--output_arrays", output_arrays, "Names of the output arrays, comma-separated.");
  app.add_option("--input_shapes", input_shapes,
                 "Shapes corresponding to --input_arrays, colon-separated (e.g. 1,28,28,1:1,10); empty for a scalar.")
      ->expected(0, 1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    if (what.find('\n') != std::string::npos) what = what.substr(0, what.find('\n'));
    std::fprintf(stderr, "tflite_convert: error: %s (see tflite_convert --help)\n", what.c_str());
    return 2;
  }
  if (!graph_def_file.empty() && !enable_v1) {
    std::fprintf(stderr,
                 "tflite_convert: error: --graph_def_file is a TensorFlow 1.X flag; add --enable_v1_converter\n");
    return 2;
  }
  tflc::ConvertOptions opt;
  opt.graph_def_file = graph_def_file;
  opt.saved_model_dir = saved_model_dir;
  opt.keras_model_file = keras_model_file;
  opt.input_arrays = split_commas(input_arrays);
  opt.output_arrays = split_commas(output_arrays);
  if (app.count("--input_shapes")) opt.input_shapes = input_shapes;
  opt.saved_model_tags = split_commas(tag_set);
  opt.signature_keys = split_commas(signature_key);
  for (const auto& k : split_commas(signature_keys)) opt.signature_keys.push_back(k);
  tflc::Status st = tflc::convert_to_file(opt, output_file);
  if (!st.ok()) {
    const std::string& m = st.message();
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
