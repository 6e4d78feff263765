#include "frontends/graphdef/unsupported_ops.h"

#include <flatbuffers/flexbuffers.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <set>

namespace tflc {
namespace {

// Op types that TensorFlow's Select-TF-ops (Flex) delegate runs. Listed
// from TF's allowlisted_flex_ops; extend it when an op is found missing.
const std::set<std::string>& flex_ops() {
  static const std::set<std::string> s = {
#include "frontends/graphdef/flex_ops.inc"
  };
  return s;
}

}  // namespace

bool is_flex_op(const std::string& tf_op) { return flex_ops().count(tf_op) > 0; }

std::vector<uint8_t> flex_custom_options(const tensorflow::NodeDef& node) {
  tensorflow::NodeDef nd;
  nd.set_op(node.op());
  for (const auto& in : node.input())
    if (!in.empty() && in[0] != '^') nd.add_input("");
  if (!node.device().empty()) nd.set_device(node.device());
  for (const auto& [k, v] : node.attr())
    if (!k.empty() && k[0] != '_') (*nd.mutable_attr())[k] = v;
  nd.mutable_experimental_debug_info();
  std::string bytes;
  {
    // Deterministic: map entries (attrs) are written sorted by key.
    google::protobuf::io::StringOutputStream sos(&bytes);
    google::protobuf::io::CodedOutputStream cos(&sos);
    cos.SetSerializationDeterministic(true);
    nd.SerializeToCodedStream(&cos);
  }
  flexbuffers::Builder fb;
  fb.Vector([&]() {
    fb.String(node.op());
    fb.String(bytes);
  });
  fb.Finish();
  return fb.GetBuffer();
}

Status unsupported_ops_status(const std::vector<UnsupportedOp>& ops) {
  std::string msg;
  std::set<std::string> flex, other;
  std::string details;
  for (const auto& u : ops) {
    bool known = is_flex_op(u.tf_op);
    (known ? flex : other).insert(u.tf_op);
    if (!u.reason.empty()) {
      msg += "error: 'tf." + u.tf_op + "' op (node '" + u.node + "') " + u.reason + "\n";
    } else if (!known) {
      msg += "error: 'tf." + u.tf_op + "' op is neither a custom op nor a flex op (node '" + u.node + "')\n";
    }
    std::string args;
    for (size_t i = 0; i < u.input_types.size(); ++i) args += (i ? ", " : "") + u.input_types[i];
    details += "\ttf." + u.tf_op + "(" + args + ") : {node = \"" + u.node + "\"}\n";
  }
  auto join = [](const std::set<std::string>& s) {
    std::string out;
    for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
    return out;
  };
  if (!flex.empty())
    msg += "error: Some ops are not supported by the native TFLite runtime, you can enable TF kernels fallback "
           "using TF Select. See instructions: https://www.tensorflow.org/lite/guide/ops_select TF Select ops: " +
           join(flex) + "\n";
  if (!other.empty())
    msg += "error: Some ops in the model are custom ops, See instructions to implement custom ops: "
           "https://www.tensorflow.org/lite/guide/ops_custom Custom ops: " + join(other) + "\n";
  msg += "Details:\n" + details;
  if (!msg.empty() && msg.back() == '\n') msg.pop_back();
  return unsupported(msg);
}

}  // namespace tflc
