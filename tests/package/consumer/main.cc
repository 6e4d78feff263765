// Converts a frozen GraphDef read into memory and writes the .tflite bytes;
// a second run converts an unsupported graph and prints the error list.
// usage: consumer GRAPH.pb INPUT OUTPUT OUT.tflite
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/converter.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: consumer GRAPH.pb INPUT OUTPUT OUT.tflite\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  tflc::ConvertOptions o;
  o.graph_def_content = bytes.str();
  o.input_arrays = {argv[2]};
  o.output_arrays = {argv[3]};
  tflc::Expected<std::string> model = tflc::convert(o);
  if (!model.ok()) {
    std::cerr << "consumer: " << model.status().message() << "\n";
    return 1;
  }
  std::ofstream(argv[4], std::ios::binary) << *model;

  tflc::ConvertOptions bad;
  bad.graph_def_content =
      "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } }\n"
      "node { name: 'y' op: 'MyCustomOp' input: 'x' }\n";
  tflc::Expected<std::string> failed = tflc::convert(bad);
  if (failed.ok()) return 1;
  for (const tflc::ConversionError& e : tflc::conversion_errors(failed.status()))
    std::cout << e.op_type << " " << e.node_name << ": " << e.reason << "\n";
  return 0;
}
