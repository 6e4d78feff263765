#include "frontends/graphdef/custom_ops.h"

#include <flatbuffers/flexbuffers.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <map>

#include "frontends/graphdef/op_defs.h"
#include "frontends/graphdef/tf_op_registry.h"
#include "support/printable.h"

namespace tflc {
namespace {

// Collects protobuf's parse errors instead of letting it log them.
class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column, const std::string& message) override {
    if (first.empty()) first = "line " + std::to_string(line + 1) + " column " + std::to_string(column + 1) + ": " + message;
  }
  std::string first;
};

bool is_typed(const tensorflow::OpDef::ArgDef& a) {
  return a.type() != tensorflow::DT_INVALID || !a.type_attr().empty() || !a.type_list_attr().empty();
}

tensorflow::OpDef detection_postprocess_def() {
  // LiteRT's kernel (tflite/kernels/detection_postprocess.cc) reads three
  // float inputs and writes four float outputs.
  tensorflow::OpDef d;
  d.set_name("TFLite_Detection_PostProcess");
  for (const char* in : {"raw_outputs/box_encodings", "raw_outputs/class_predictions", "anchors"}) {
    auto* a = d.add_input_arg();
    a->set_name(in);
    a->set_type(tensorflow::DT_FLOAT);
  }
  for (const char* out : {"detection_boxes", "detection_classes", "detection_scores", "num_detections"}) {
    auto* a = d.add_output_arg();
    a->set_name(out);
    a->set_type(tensorflow::DT_FLOAT);
  }
  return d;
}

}  // namespace

std::vector<uint8_t> custom_op_options(const tensorflow::NodeDef& node) {
  std::map<std::string, const tensorflow::AttrValue*> attrs;  // by name, as TF sorts them
  for (const auto& [k, v] : node.attr())
    if (k != "_output_shapes" && k != "_class") attrs[k] = &v;
  flexbuffers::Builder fb;
  size_t map = fb.StartMap();
  for (const auto& [name, attr] : attrs) {
    const char* key = name.c_str();
    switch (attr->value_case()) {
      case tensorflow::AttrValue::kS: fb.String(key, attr->s()); break;
      case tensorflow::AttrValue::kI: fb.Int(key, attr->i()); break;
      case tensorflow::AttrValue::kF: fb.Float(key, attr->f()); break;
      case tensorflow::AttrValue::kB: fb.Bool(key, attr->b()); break;
      case tensorflow::AttrValue::kType: {
        DType t = dtype_from_tf(attr->type());
        if (t != DType::kInvalid) fb.Int(key, static_cast<int>(t));
        break;
      }
      case tensorflow::AttrValue::kList: {
        const auto& l = attr->list();
        if (l.s_size() == 0 && l.i_size() == 0 && l.f_size() == 0) break;
        size_t v = fb.StartVector(key);
        if (l.s_size() > 0)
          for (const auto& s : l.s()) fb.Add(s);
        else if (l.i_size() > 0)
          for (int64_t i : l.i()) fb.Add(i);
        else
          for (float f : l.f()) fb.Add(f);
        fb.EndVector(v, /*typed=*/true, /*fixed=*/false);
        break;
      }
      default: break;
    }
  }
  fb.EndMap(map);
  fb.Finish();
  return fb.GetBuffer();
}

Expected<std::vector<tensorflow::OpDef>> parse_custom_opdefs(const std::vector<std::string>& texts) {
  std::vector<tensorflow::OpDef> defs;
  for (const auto& text : texts) {
    tensorflow::OpDef d;
    google::protobuf::TextFormat::Parser parser;
    ErrorCollector errors;
    parser.RecordErrorsTo(&errors);
    if (!parser.ParseFromString(text, &d))
      return usage_error("--custom_opdefs: not an OpDef (" + escape_controls(errors.first) +
                         "); write it as TF does, e.g. \"name: 'MyOp' input_arg: {name: 'x' type: DT_FLOAT} "
                         "output_arg: {name: 'y' type: DT_FLOAT}\"");
    if (d.name().empty()) return usage_error("--custom_opdefs: an OpDef has no name; give it name: 'MyOp'");
    std::string op = escape_controls(d.name());
    if (find_op_def(d.name()) || runtime_custom_op_def(d.name()))
      return usage_error("--custom_opdefs declares '" + op +
                         "', which TensorFlow already defines; declare only ops TensorFlow lacks");
    for (const auto& args : {d.input_arg(), d.output_arg()})
      for (const auto& a : args)
        if (!is_typed(a))
          return usage_error("--custom_opdefs: arg '" + escape_controls(a.name()) + "' of '" + op +
                             "' has no type; give it type: DT_FLOAT (or a type_attr)");
    for (const auto& prev : defs)
      if (prev.name() == d.name()) return usage_error("--custom_opdefs declares '" + op + "' twice");
    defs.push_back(std::move(d));
  }
  return defs;
}

const tensorflow::OpDef* runtime_custom_op_def(const std::string& op) {
  static const tensorflow::OpDef detection = detection_postprocess_def();
  return op == detection.name() ? &detection : nullptr;
}

Expected<std::optional<std::vector<std::vector<int64_t>>>> runtime_custom_op_shapes(
    const tensorflow::NodeDef& node, const std::vector<std::optional<std::vector<int64_t>>>& input_shapes) {
  if (node.op() != "TFLite_Detection_PostProcess") return std::optional<std::vector<std::vector<int64_t>>>();
  std::string where = "TFLite_Detection_PostProcess node '" + escape_controls(node.name()) + "'";
  auto attr = [&](const char* name, tensorflow::AttrValue::ValueCase want) -> Expected<const tensorflow::AttrValue*> {
    auto it = node.attr().find(name);
    if (it == node.attr().end() || it->second.value_case() != want)
      return invalid_input(where + " has no " + (want == tensorflow::AttrValue::kI ? "int" : "float") + " attr '" +
                           name + "', which LiteRT's kernel reads; export the graph with it set");
    return &it->second;
  };
  for (const char* f : {"nms_score_threshold", "nms_iou_threshold", "y_scale", "x_scale", "h_scale", "w_scale"}) {
    ASSIGN_OR_RETURN(const tensorflow::AttrValue* v, attr(f, tensorflow::AttrValue::kF));
    (void)v;
  }
  ASSIGN_OR_RETURN(const tensorflow::AttrValue* classes, attr("num_classes", tensorflow::AttrValue::kI));
  ASSIGN_OR_RETURN(const tensorflow::AttrValue* max_det, attr("max_detections", tensorflow::AttrValue::kI));
  ASSIGN_OR_RETURN(const tensorflow::AttrValue* per_det, attr("max_classes_per_detection", tensorflow::AttrValue::kI));
  // The kernel keeps these in int; TFLite dims are int32 too.
  auto positive = [](int64_t v) { return v > 0 && v <= (1 << 20); };
  if (!positive(classes->i()) || !positive(max_det->i()) || !positive(per_det->i()) ||
      max_det->i() * per_det->i() > (1 << 20))
    return invalid_input(where + ": num_classes, max_detections and max_classes_per_detection must be positive "
                         "(and their product at most 2^20)");
  if (input_shapes.size() != 3)
    return invalid_input(where + " has " + std::to_string(input_shapes.size()) +
                         " inputs; it takes box encodings, class predictions and anchors");
  // The kernel's own checks (Prepare), made here so the model is not
  // refused only when it first runs. An unknown rank is left to the kernel.
  static const std::vector<int64_t> kUnknown3 = {-1, -1, -1}, kUnknown2 = {-1, -1};
  const auto& boxes = input_shapes[0].value_or(kUnknown3);
  const auto& scores = input_shapes[1].value_or(kUnknown3);
  const auto& anchors = input_shapes[2].value_or(kUnknown2);
  bool ok = boxes.size() == 3 && scores.size() == 3 && anchors.size() == 2 && (boxes[2] < 0 || boxes[2] >= 4) &&
            (anchors[1] < 0 || anchors[1] == 4) &&
            (scores[2] < 0 || scores[2] == classes->i() || scores[2] == classes->i() + 1) &&
            (boxes[1] < 0 || anchors[0] < 0 || boxes[1] == anchors[0]) &&
            (scores[1] < 0 || anchors[0] < 0 || scores[1] == anchors[0]);
  if (!ok)
    return invalid_input(where + ": inputs must be box encodings [1, anchors, >=4], class predictions [1, anchors, "
                         "num_classes(+1)] and anchors [anchors, 4]; got " + shape_str(boxes) + ", " +
                         shape_str(scores) + ", " + shape_str(anchors));
  int64_t n = max_det->i() * per_det->i();
  // Batch 1 is what the kernel supports (kBatchSize in Prepare).
  return std::optional<std::vector<std::vector<int64_t>>>({{1, n, 4}, {1, n}, {1, n}, {1}});
}

}  // namespace tflc
