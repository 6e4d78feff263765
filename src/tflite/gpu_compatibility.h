// Whether TFLite's GPU delegate takes an op of a .tflite model, as
// tf.lite.experimental.Analyzer.analyze(gpu_compatibility=True) checks it.
// The rules and their wording follow TensorFlow's
// tensorflow/lite/tools/versioning/gpu_compatibility.cc
// (CheckGpuDelegateCompatibility, offline form: enhanced broadcast) at
// tensorflow/tensorflow@03a5e4e19a9c8200e13c85f1c637877fdf589be6.
#pragma once

#include <string>

namespace tflite {
struct Model;
struct SubGraph;
struct Operator;
}  // namespace tflite

namespace tflc {

// The upstream source the rules were taken from, for the report.
extern const char kGpuRulesSource[];

// Empty when the delegate takes the op; otherwise why it falls back to the
// CPU, in TF's words. The model must be verified and its indices checked
// (analyzer.cc does both before calling this).
std::string gpu_compatibility_issue(const tflite::Model& model, const tflite::SubGraph& subgraph,
                                    const tflite::Operator& op);

}  // namespace tflc
