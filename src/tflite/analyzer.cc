#include "tflite/analyzer.h"

#include "support/half.h"

#include <flatbuffers/flatbuffers.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <vector>

#include "support/half.h"
#include "tflite/gpu_compatibility.h"
#include "tflite_schema_generated.h"

namespace tflc {
namespace {

constexpr char kSectionSplitter[] =
    "---------------------------------------------------------------\n";
constexpr int kMaxPreview = 5;
constexpr int32_t kMaxPreviewChars = 64;  // per string element
// High enough for multi-GB models, low enough that a small file aliasing one
// table many times cannot stall the verifier.
constexpr flatbuffers::uoffset_t kMaxTables = 1u << 26;
constexpr flatbuffers::uoffset_t kMaxDepth = 128;

template <typename T>
uint32_t len(const flatbuffers::Vector<T>* v) {
  return v ? v->size() : 0;
}

std::string_view sv(const flatbuffers::String* s) {
  return s ? std::string_view(s->data(), s->size()) : std::string_view();
}

// Codes above 127 exist only in builtin_code; old files set only the byte.
int32_t builtin_code(const tflite::OperatorCode& c) {
  return std::max<int32_t>(c.deprecated_builtin_code(), static_cast<int32_t>(c.builtin_code()));
}

bool is_builtin(const tflite::OperatorCode& c, tflite::BuiltinOperator op) {
  return builtin_code(c) == static_cast<int32_t>(op);
}

// Like TF: a custom op is shown by its custom_code.
std::string op_name(const tflite::OperatorCode& c) {
  int32_t code = builtin_code(c);
  if (code == static_cast<int32_t>(tflite::BuiltinOperator::CUSTOM)) {
    return c.custom_code() ? std::string(sv(c.custom_code())) : "CUSTOM";
  }
  const char* n = tflite::EnumNameBuiltinOperator(static_cast<tflite::BuiltinOperator>(code));
  if (n && *n) return n;
  return "UNKNOWN_BUILTIN_" + std::to_string(code);
}

std::string type_name(tflite::TensorType t) {
  const char* n = tflite::EnumNameTensorType(t);
  if (n && *n) return n;
  return "UNKNOWN_TYPE_" + std::to_string(static_cast<int>(t));
}

std::string subgraph_str(int64_t idx) { return "Subgraph#" + std::to_string(idx); }

// TF numbers tensors of later subgraphs as T#<subgraph>_<tensor>.
std::string tensor_str(int64_t tensor, uint32_t subgraph) {
  if (subgraph != 0 && tensor != -1) {
    return "T#" + std::to_string(subgraph) + "_" + std::to_string(tensor);
  }
  return "T#" + std::to_string(tensor);
}

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char* f, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, f);
  std::vsnprintf(buf, sizeof(buf), f, ap);
  va_end(ap);
  return buf;
}

std::string int_list(const flatbuffers::Vector<int32_t>* v) {
  std::string s = "[";
  for (uint32_t i = 0; i < len(v); ++i) s += (i ? ", " : "") + std::to_string(v->Get(i));
  return s + "]";
}

// Non-printable bytes become '.', as TF's analyzer does, so names from the
// file cannot send control sequences to a terminal.
void make_printable(std::string& s) {
  for (char& c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c != '\n' && !std::isprint(u)) c = '.';
  }
}

template <typename T>
T load(const uint8_t* p) {  // memcpy: buffer data may be unaligned in memory
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// TFLite string buffers: int32 count, count+1 int32 offsets, then bytes.
std::string string_preview(const uint8_t* p, uint64_t size) {
  if (size < 4) return "";
  int32_t n = load<int32_t>(p);
  if (n < 0 || (static_cast<uint64_t>(n) + 2) * 4 > size) return "";
  std::string s = "[";
  int shown = std::min(n, kMaxPreview);
  for (int i = 0; i < shown; ++i) {
    int32_t a = load<int32_t>(p + 4 + 4 * i), b = load<int32_t>(p + 8 + 4 * i);
    if (a < 0 || b < a || static_cast<uint64_t>(b) > size) return "";
    std::string one(reinterpret_cast<const char*>(p + a), std::min(b - a, kMaxPreviewChars));
    s += "\"" + one + (b - a > kMaxPreviewChars ? "...\"" : "\"");
    if (i != n - 1) s += ", ";
  }
  if (n > kMaxPreview) s += "...";
  return s + "]";
}

// Up to kMaxPreview elements in TF's "[a, b, c, d, e, ...]" form; empty for
// types without a simple element layout.
std::string data_preview(const uint8_t* p, uint64_t size, tflite::TensorType type) {
  using TT = tflite::TensorType;
  if (type == TT::STRING) return string_preview(p, size);
  size_t elem = 0;
  switch (type) {
    case TT::INT8: case TT::UINT8: case TT::BOOL: elem = 1; break;
    case TT::INT16: case TT::UINT16: case TT::FLOAT16: case TT::BFLOAT16: elem = 2; break;
    case TT::INT32: case TT::UINT32: case TT::FLOAT32: elem = 4; break;
    case TT::INT64: case TT::UINT64: case TT::FLOAT64: elem = 8; break;
    default: return "";
  }
  uint64_t count = size / elem;
  std::string s = "[";
  for (uint64_t i = 0; i < std::min<uint64_t>(count, kMaxPreview); ++i) {
    const uint8_t* q = p + i * elem;
    switch (type) {
      case TT::INT8: s += std::to_string(load<int8_t>(q)); break;
      case TT::UINT8: s += std::to_string(load<uint8_t>(q)); break;
      case TT::BOOL: s += load<uint8_t>(q) ? "true" : "false"; break;
      case TT::INT16: s += std::to_string(load<int16_t>(q)); break;
      case TT::UINT16: s += std::to_string(load<uint16_t>(q)); break;
      case TT::FLOAT16: s += fmt("%g", half_to_float(load<uint16_t>(q))); break;
      case TT::BFLOAT16: {
        uint32_t bits = static_cast<uint32_t>(load<uint16_t>(q)) << 16;
        float f;
        std::memcpy(&f, &bits, 4);
        s += fmt("%g", f);
        break;
      }
      case TT::INT32: s += std::to_string(load<int32_t>(q)); break;
      case TT::UINT32: s += std::to_string(load<uint32_t>(q)); break;
      case TT::FLOAT32: s += fmt("%g", load<float>(q)); break;
      case TT::INT64: s += std::to_string(load<int64_t>(q)); break;
      case TT::UINT64: s += std::to_string(load<uint64_t>(q)); break;
      case TT::FLOAT64: s += fmt("%g", load<double>(q)); break;
      default: break;
    }
    if (i != count - 1) s += ", ";
  }
  if (count > kMaxPreview) s += "...";
  return s + "]";
}

// Where a buffer's bytes are: inline in the flatbuffer, or (models > 2GB)
// at offset/size from the start of the file.
struct BufferRef {
  const uint8_t* data = nullptr;
  uint64_t size = 0;
  bool in_file = false;
  uint64_t offset = 0;
};

class Analyzer {
 public:
  Analyzer(std::string_view bytes, const AnalyzeOptions& opt) : bytes_(bytes), opt_(opt) {}

  Expected<std::string> run() {
    RETURN_IF_ERROR(verify());
    RETURN_IF_ERROR(resolve_buffers());
    RETURN_IF_ERROR(check_indices());
    out_ = "=== " + (opt_.name.empty() ? std::string("TFLite ModelAnalyzer") : opt_.name) + " ===\n\n";
    dump_header();
    dump_summary();
    sg_buffer_usage_.assign(len(model_->subgraphs()), 0);
    for (uint32_t i = 0; i < len(model_->subgraphs()); ++i) dump_subgraph(i);
    if (opt_.gpu_compatibility && gpu_compatible_)
      out_ += std::string("\nYour model looks compatible with GPU delegate with the GPU delegate rules of ") +
              kGpuRulesSource +
              ".\nBut it doesn't guarantee that your model works well with GPU delegate.\n"
              "There could be some runtime incompatibililty happen.\n";
    dump_signatures();
    dump_operator_codes();
    if (opt_.show_buffers) dump_buffers();
    dump_stats();
    make_printable(out_);
    return std::move(out_);
  }

 private:
  Status fail(const std::string& why) const {
    std::string who = opt_.name.empty() ? "the model buffer" : "'" + opt_.name + "'";
    return invalid_input(who + " is not a valid .tflite file (" + why + ")");
  }

  Status verify() {
    if (bytes_.size() < 8) {
      return fail("only " + std::to_string(bytes_.size()) + " bytes");
    }
    const auto* p = reinterpret_cast<const uint8_t*>(bytes_.data());
    if (!flatbuffers::BufferHasIdentifier(p, tflite::ModelIdentifier())) {
      return fail("missing the \"TFL3\" file identifier");
    }
    // Offsets are 32-bit, so the flatbuffer itself lies in the first 2GB;
    // anything past that is offset-addressed buffer data.
    size_t fb_size = std::min<size_t>(bytes_.size(), FLATBUFFERS_MAX_BUFFER_SIZE - 1);
    flatbuffers::Verifier::Options vo;
    vo.max_depth = kMaxDepth;
    vo.max_tables = kMaxTables;
    flatbuffers::Verifier verifier(p, fb_size, vo);
    if (!tflite::VerifyModelBuffer(verifier)) {
      return fail("flatbuffer verification failed; the file is truncated or corrupt");
    }
    model_ = tflite::GetModel(p);
    return ok_status();
  }

  Status resolve_buffers() {
    const auto* bufs = model_->buffers();
    const auto* base = reinterpret_cast<const uint8_t*>(bytes_.data());
    const uint64_t file_size = bytes_.size();
    buffers_.resize(len(bufs));
    for (uint32_t i = 0; i < len(bufs); ++i) {
      const tflite::Buffer* b = bufs->Get(i);
      BufferRef& r = buffers_[i];
      if (b->offset() > 1) {  // 0 and 1 mean "not used" (1 is a writer placeholder)
        if (b->size() > file_size || b->offset() > file_size - b->size()) {
          return fail(fmt("Buffer#%u has offset %llu and size %llu, past the end of the %llu-byte file", i,
                          static_cast<unsigned long long>(b->offset()), static_cast<unsigned long long>(b->size()),
                          static_cast<unsigned long long>(file_size)));
        }
        r = {base + b->offset(), b->size(), true, b->offset()};
      } else if (b->data()) {
        r.data = b->data()->data();
        r.size = b->data()->size();
      }
    }
    return ok_status();
  }

  Status check_tensor_list(const flatbuffers::Vector<int32_t>* v, uint32_t n_tensors,
                           const std::string& where) const {
    for (uint32_t i = 0; i < len(v); ++i) {
      int32_t t = v->Get(i);
      if (t < -1 || t >= static_cast<int64_t>(n_tensors)) {  // -1 = omitted optional tensor
        return fail(where + " refers to tensor " + std::to_string(t) + ", but the subgraph has " +
                    std::to_string(n_tensors) + " tensors");
      }
    }
    return ok_status();
  }

  Status check_subgraph_index(int64_t idx, const std::string& where) const {
    if (idx < 0 || idx >= len(model_->subgraphs())) {
      return fail(where + " refers to " + subgraph_str(idx) + ", but the model has " +
                  std::to_string(len(model_->subgraphs())) + " subgraphs");
    }
    return ok_status();
  }

  // Every index read from the file is checked once here, so the dump code
  // below can index freely.
  Status check_indices() const {
    const uint32_t n_buffers = len(model_->buffers());
    const uint32_t n_codes = len(model_->operator_codes());
    const uint32_t n_ext = len(model_->external_buffers());
    for (uint32_t s = 0; s < len(model_->subgraphs()); ++s) {
      const tflite::SubGraph* sg = model_->subgraphs()->Get(s);
      const uint32_t n_tensors = len(sg->tensors());
      const std::string sgs = subgraph_str(s);
      RETURN_IF_ERROR(check_tensor_list(sg->inputs(), n_tensors, sgs + " inputs"));
      RETURN_IF_ERROR(check_tensor_list(sg->outputs(), n_tensors, sgs + " outputs"));
      for (uint32_t t = 0; t < n_tensors; ++t) {
        const tflite::Tensor* tensor = sg->tensors()->Get(t);
        // Buffer 0 is the empty sentinel, valid even when no buffers exist.
        if (tensor->buffer() != 0 && tensor->buffer() >= n_buffers) {
          return fail(sgs + " " + tensor_str(t, s) + " refers to buffer " + std::to_string(tensor->buffer()) +
                      ", but the model has " + std::to_string(n_buffers) + " buffers");
        }
        if (tensor->external_buffer() != 0 && tensor->external_buffer() >= n_ext) {
          return fail(sgs + " " + tensor_str(t, s) + " refers to external buffer " +
                      std::to_string(tensor->external_buffer()) + ", but the model has " + std::to_string(n_ext));
        }
      }
      for (uint32_t o = 0; o < len(sg->operators()); ++o) {
        const tflite::Operator* op = sg->operators()->Get(o);
        const std::string where = sgs + " Op#" + std::to_string(o);
        if (op->opcode_index() >= n_codes) {
          return fail(where + " has opcode_index " + std::to_string(op->opcode_index()) + ", but the model has " +
                      std::to_string(n_codes) + " operator codes");
        }
        RETURN_IF_ERROR(check_tensor_list(op->inputs(), n_tensors, where + " input"));
        RETURN_IF_ERROR(check_tensor_list(op->outputs(), n_tensors, where + " output"));
        RETURN_IF_ERROR(check_tensor_list(op->intermediates(), n_tensors, where + " intermediate"));
        const tflite::OperatorCode& code = *model_->operator_codes()->Get(op->opcode_index());
        if (is_builtin(code, tflite::BuiltinOperator::IF)) {
          if (const auto* o2 = op->builtin_options_as_IfOptions()) {
            RETURN_IF_ERROR(check_subgraph_index(o2->then_subgraph_index(), where));
            RETURN_IF_ERROR(check_subgraph_index(o2->else_subgraph_index(), where));
          }
        } else if (is_builtin(code, tflite::BuiltinOperator::WHILE)) {
          if (const auto* o2 = op->builtin_options_as_WhileOptions()) {
            RETURN_IF_ERROR(check_subgraph_index(o2->cond_subgraph_index(), where));
            RETURN_IF_ERROR(check_subgraph_index(o2->body_subgraph_index(), where));
          }
        } else if (is_builtin(code, tflite::BuiltinOperator::CALL_ONCE)) {
          if (const auto* o2 = op->builtin_options_as_CallOnceOptions()) {
            RETURN_IF_ERROR(check_subgraph_index(o2->init_subgraph_index(), where));
          }
        }
      }
    }
    for (uint32_t i = 0; i < len(model_->signature_defs()); ++i) {
      const tflite::SignatureDef* sig = model_->signature_defs()->Get(i);
      const std::string where = "Signature#" + std::to_string(i);
      RETURN_IF_ERROR(check_subgraph_index(sig->subgraph_index(), where));
      const uint32_t n_tensors = len(model_->subgraphs()->Get(sig->subgraph_index())->tensors());
      for (const auto* maps : {sig->inputs(), sig->outputs()}) {
        for (uint32_t j = 0; j < len(maps); ++j) {
          if (maps->Get(j)->tensor_index() >= n_tensors) {
            return fail(where + " '" + std::string(sv(maps->Get(j)->name())) + "' refers to tensor " +
                        std::to_string(maps->Get(j)->tensor_index()) + ", but its subgraph has " +
                        std::to_string(n_tensors) + " tensors");
          }
        }
      }
    }
    for (uint32_t i = 0; i < len(model_->metadata()); ++i) {
      uint32_t b = model_->metadata()->Get(i)->buffer();
      if (b >= n_buffers) {
        return fail("metadata '" + std::string(sv(model_->metadata()->Get(i)->name())) + "' refers to buffer " +
                    std::to_string(b) + ", but the model has " + std::to_string(n_buffers) + " buffers");
      }
    }
    for (uint32_t i = 0; i < len(model_->metadata_buffer()); ++i) {
      int32_t b = model_->metadata_buffer()->Get(i);
      if (b < 0 || static_cast<uint32_t>(b) >= n_buffers) {
        return fail("metadata_buffer refers to buffer " + std::to_string(b) + ", but the model has " +
                    std::to_string(n_buffers) + " buffers");
      }
    }
    const uint32_t n_groups = len(model_->external_buffer_groups());
    for (uint32_t i = 0; i < n_ext; ++i) {
      if (model_->external_buffers()->Get(i)->group() >= n_groups) {
        return fail("external buffer " + std::to_string(i) + " refers to group " +
                    std::to_string(model_->external_buffers()->Get(i)->group()) + ", but the model has " +
                    std::to_string(n_groups) + " groups");
      }
    }
    return ok_status();
  }

  const BufferRef* const_data(const tflite::Tensor& t) const {
    if (t.buffer() == 0 || t.buffer() >= buffers_.size()) return nullptr;
    const BufferRef& r = buffers_[t.buffer()];
    return r.size ? &r : nullptr;
  }

  void dump_header() {
    out_ += "Schema version: " + std::to_string(model_->version()) + "\n";
    out_ += "Description: " + (model_->description() ? "'" + std::string(sv(model_->description())) + "'"
                                                     : std::string("(none)")) + "\n";
    std::string names;
    for (uint32_t i = 0; i < len(model_->metadata()); ++i) {
      const tflite::Metadata* m = model_->metadata()->Get(i);
      names += (i ? ", " : "") + ("'" + std::string(sv(m->name())) + "'");
      if (sv(m->name()) == "min_runtime_version") {
        const BufferRef& r = buffers_[m->buffer()];
        std::string v = r.size ? std::string(reinterpret_cast<const char*>(r.data), r.size) : "";
        v = v.substr(0, v.find('\0'));  // stored NUL-padded
        out_ += "Minimum runtime version: '" + v + "'\n";
      }
    }
    out_ += "Metadata (" + std::to_string(len(model_->metadata())) + "): " + (names.empty() ? "(none)" : names) + "\n";
    if (len(model_->metadata_buffer()) != 0) {
      out_ += "Legacy metadata buffers: " + int_list(model_->metadata_buffer()) + "\n";
    }
    if (len(model_->external_buffers()) != 0) {
      out_ += "External buffers: " + std::to_string(len(model_->external_buffers())) + " in " +
              std::to_string(len(model_->external_buffer_groups())) + " group(s)\n";
    }
    out_ += "\n";
  }

  void dump_verbose_list(const flatbuffers::Vector<int32_t>* v) {
    for (uint32_t i = 0; i < len(v); ++i) out_ += (i ? " and tensor #" : "tensor #") + std::to_string(v->Get(i));
  }

  void dump_summary() {
    const auto* sgs = model_->subgraphs();
    out_ += "Your TFLite model has '" + std::to_string(len(sgs)) +
            "' subgraph(s). In the subgraph description below,\nT# represents the Tensor numbers. ";
    if (len(sgs) > 0 && len(sgs->Get(0)->operators()) > 0) {
      const tflite::Operator* op = sgs->Get(0)->operators()->Get(0);
      out_ += "For example, in Subgraph#0, the " + op_name(*model_->operator_codes()->Get(op->opcode_index())) +
              " op takes\n";
      dump_verbose_list(op->inputs());
      out_ += " as input and produces ";
      dump_verbose_list(op->outputs());
      out_ += " as output.";
    }
    out_ += "\n\n";
  }

  // with_data: like TF, op inputs show small INT32 constants (shapes, axes).
  void dump_tensor_list(const flatbuffers::Vector<int32_t>* v, uint32_t s, bool with_data) {
    const tflite::SubGraph* sg = model_->subgraphs()->Get(s);
    for (uint32_t i = 0; i < len(v); ++i) {
      int32_t t = v->Get(i);
      if (i) out_ += ", ";
      out_ += tensor_str(t, s);
      if (!with_data || !opt_.show_buffers || t < 0) continue;
      const tflite::Tensor& tensor = *sg->tensors()->Get(t);
      if (tensor.type() != tflite::TensorType::INT32) continue;
      if (const BufferRef* r = const_data(tensor)) out_ += data_preview(r->data, r->size, tensor.type());
    }
  }

  void dump_op(uint32_t s, uint32_t j, const tflite::Operator& op) {
    const tflite::OperatorCode& code = *model_->operator_codes()->Get(op.opcode_index());
    out_ += "  Op#" + std::to_string(j) + " " + op_name(code) + "(";
    dump_tensor_list(op.inputs(), s, /*with_data=*/true);
    if (is_builtin(code, tflite::BuiltinOperator::CALL_ONCE)) {
      if (const auto* o = op.builtin_options_as_CallOnceOptions()) {
        out_ += subgraph_str(o->init_subgraph_index());
      }
    } else if (is_builtin(code, tflite::BuiltinOperator::IF)) {
      if (const auto* o = op.builtin_options_as_IfOptions()) {
        out_ += ", Then: " + subgraph_str(o->then_subgraph_index()) + ", Else: " +
                subgraph_str(o->else_subgraph_index());
      }
    } else if (is_builtin(code, tflite::BuiltinOperator::WHILE)) {
      if (const auto* o = op.builtin_options_as_WhileOptions()) {
        out_ += ", Cond: " + subgraph_str(o->cond_subgraph_index()) + ", Body: " +
                subgraph_str(o->body_subgraph_index());
      }
    }
    out_ += ") -> [";
    dump_tensor_list(op.outputs(), s, /*with_data=*/false);
    out_ += "]\n";
    if (opt_.gpu_compatibility) {
      std::string issue = gpu_compatibility_issue(*model_, *model_->subgraphs()->Get(s), op);
      if (!issue.empty()) {
        gpu_incompatible_.push_back(j);
        out_ += "GPU COMPATIBILITY WARNING: " + issue + "\n";
      }
    }
  }

  void dump_tensor(uint32_t s, uint32_t j, const tflite::Tensor& t) {
    out_ += "  " + tensor_str(j, s) + "(" + std::string(sv(t.name())) + ") ";
    out_ += t.shape() ? "shape:" + int_list(t.shape()) : std::string("shape:n/a");
    if (t.shape_signature()) out_ += ", shape_signature:" + int_list(t.shape_signature());
    out_ += ", type:" + type_name(t.type());
    if (const BufferRef* r = const_data(t)) {
      out_ += " RO " + std::to_string(r->size) + " bytes";
      if (opt_.show_buffers) {
        out_ += ", buffer: " + std::to_string(t.buffer());
        std::string d = data_preview(r->data, r->size, t.type());
        if (!d.empty()) out_ += ", data:" + d;
      }
      sg_buffer_usage_[s] += r->size;
    }
    if (t.is_variable()) out_ += ", variable";
    if (const tflite::QuantizationParameters* q = t.quantization()) {
      uint32_t n = len(q->scale());
      if (n == 1) {
        // The verifier only guarantees 4-byte alignment for this int64 vector.
        long long zp = len(q->zero_point()) ? load<int64_t>(q->zero_point()->Data()) : 0;
        out_ += fmt(", quant: scale=%g zero_point=%lld", q->scale()->Get(0), zp);
      } else if (n > 1) {
        out_ += fmt(", quant: %u scales on axis %d", n, q->quantized_dimension());
      }
    }
    if (t.sparsity()) out_ += ", sparse";
    if (t.external_buffer() != 0) out_ += ", external_buffer: " + std::to_string(t.external_buffer());
    out_ += "\n";
  }

  void dump_subgraph(uint32_t s) {
    const tflite::SubGraph* sg = model_->subgraphs()->Get(s);
    out_ += subgraph_str(s);
    if (sg->name()) out_ += " " + std::string(sv(sg->name()));
    out_ += "(";
    dump_tensor_list(sg->inputs(), s, false);
    out_ += ") -> [";
    dump_tensor_list(sg->outputs(), s, false);
    out_ += "]\n";
    gpu_incompatible_.clear();
    for (uint32_t j = 0; j < len(sg->operators()); ++j) dump_op(s, j, *sg->operators()->Get(j));
    if (!gpu_incompatible_.empty()) {
      gpu_compatible_ = false;
      out_ += "\nGPU COMPATIBILITY WARNING: " + subgraph_str(s) + " has GPU delegate compatibility issues at nodes ";
      for (size_t k = 0; k < gpu_incompatible_.size(); ++k) out_ += (k ? ", " : "") + std::to_string(gpu_incompatible_[k]);
      out_ += std::string(" with the GPU delegate rules of ") + kGpuRulesSource + "\n";
    }
    out_ += "\nTensors of " + subgraph_str(s) + "\n";
    for (uint32_t j = 0; j < len(sg->tensors()); ++j) dump_tensor(s, j, *sg->tensors()->Get(j));
    out_ += "\n";
  }

  void dump_signatures() {
    const auto* sigs = model_->signature_defs();
    if (len(sigs) == 0) return;
    out_ += kSectionSplitter;
    out_ += "Your TFLite model has '" + std::to_string(len(sigs)) + "' signature_def(s).\n\n";
    for (uint32_t i = 0; i < len(sigs); ++i) {
      const tflite::SignatureDef* sig = sigs->Get(i);
      out_ += "Signature#" + std::to_string(i) + " key: '" + std::string(sv(sig->signature_key())) + "'\n";
      out_ += "- Subgraph: " + subgraph_str(sig->subgraph_index()) + "\n";
      for (int io = 0; io < 2; ++io) {
        const auto* maps = io == 0 ? sig->inputs() : sig->outputs();
        out_ += io == 0 ? "- Inputs: \n" : "- Outputs: \n";
        for (uint32_t j = 0; j < len(maps); ++j) {
          out_ += "    '" + std::string(sv(maps->Get(j)->name())) + "' : " +
                  tensor_str(maps->Get(j)->tensor_index(), sig->subgraph_index()) + "\n";
        }
      }
      out_ += "\n";
    }
  }

  void dump_operator_codes() {
    const auto* codes = model_->operator_codes();
    out_ += kSectionSplitter;
    out_ += "Your TFLite model has '" + std::to_string(len(codes)) + "' operator code(s).\n\n";
    for (uint32_t i = 0; i < len(codes); ++i) {
      const tflite::OperatorCode& c = *codes->Get(i);
      out_ += "  OpCode#" + std::to_string(i) + " " + op_name(c);
      if (is_builtin(c, tflite::BuiltinOperator::CUSTOM)) out_ += " (CUSTOM)";
      out_ += " v" + std::to_string(c.version()) + "\n";
    }
    std::map<std::string, uint64_t> counts;
    uint64_t total = 0;
    for (uint32_t s = 0; s < len(model_->subgraphs()); ++s) {
      const tflite::SubGraph* sg = model_->subgraphs()->Get(s);
      for (uint32_t j = 0; j < len(sg->operators()); ++j) {
        ++counts[op_name(*codes->Get(sg->operators()->Get(j)->opcode_index()))];
        ++total;
      }
    }
    std::vector<std::pair<std::string, uint64_t>> sorted(counts.begin(), counts.end());
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    out_ += "\nOperators by type (" + std::to_string(total) + " op(s) in all subgraphs):\n";
    for (const auto& [name, n] : sorted) out_ += "  " + name + ": " + std::to_string(n) + "\n";
    out_ += "\n";
  }

  void dump_buffers() {
    uint32_t with_data = 0;
    for (const BufferRef& r : buffers_) with_data += r.size != 0;
    out_ += kSectionSplitter;
    out_ += "Your TFLite model has '" + std::to_string(buffers_.size()) + "' buffer(s), '" +
            std::to_string(with_data) + "' with data.\n\n";
    if (with_data == 0) return;
    for (size_t i = 0; i < buffers_.size(); ++i) {
      const BufferRef& r = buffers_[i];
      if (r.size == 0) continue;
      out_ += "  Buffer#" + std::to_string(i) + ": " + std::to_string(r.size) + " bytes";
      if (r.in_file) out_ += " at file offset " + std::to_string(r.offset);
      for (uint32_t m = 0; m < len(model_->metadata()); ++m) {
        if (model_->metadata()->Get(m)->buffer() == i) {
          out_ += " (metadata '" + std::string(sv(model_->metadata()->Get(m)->name())) + "')";
        }
      }
      out_ += "\n";
    }
    out_ += "\n";
  }

  void dump_stats() {
    uint64_t total = 0, zeros = 0;
    for (const BufferRef& r : buffers_) {
      if (r.size == 0) continue;
      total += r.size;
      if (std::all_of(r.data, r.data + r.size, [](uint8_t b) { return b == 0; })) zeros += r.size;
    }
    const uint64_t model_size = bytes_.size();
    // Buffers may alias one another in a crafted file; never underflow.
    const uint64_t non_data = total > model_size ? 0 : model_size - total;
    auto pct = [&](uint64_t n) { return static_cast<double>(n) / static_cast<double>(model_size) * 100; };
    auto line = [&](const char* label, uint64_t n) {
      out_ += fmt("%24s: %10llu bytes (%05.2f %%)\n", label, static_cast<unsigned long long>(n), pct(n));
    };
    out_ += kSectionSplitter;
    out_ += fmt("%24s: %10llu bytes\n", "Model size", static_cast<unsigned long long>(model_size));
    line("Non-data buffer size", non_data);
    line("Total data buffer size", total);
    if (sg_buffer_usage_.size() > 1) {
      for (size_t i = 0; i < sg_buffer_usage_.size(); ++i) {
        out_ += fmt("          - %-12s: %10llu bytes (%05.2f %%)\n", subgraph_str(i).c_str(),
                    static_cast<unsigned long long>(sg_buffer_usage_[i]), pct(sg_buffer_usage_[i]));
      }
    }
    line("(Zero value buffers)", zeros);
    out_ += "\n* Buffers of TFLite model are mostly used for constant tensors.\n";
    out_ += "  And zero value buffers are buffers filled with zeros.\n";
    out_ += "  Non-data buffers area are used to store operators, subgraphs and etc.\n";
    out_ += "  You can find more details from https://github.com/tensorflow/tensorflow/blob/master/"
            "tensorflow/lite/schema/schema.fbs\n";
  }

  std::string_view bytes_;
  const AnalyzeOptions& opt_;
  const tflite::Model* model_ = nullptr;
  std::vector<BufferRef> buffers_;
  std::vector<uint64_t> sg_buffer_usage_;
  std::string out_;
  std::vector<uint32_t> gpu_incompatible_;  // ops of the subgraph being dumped
  bool gpu_compatible_ = true;
};

}  // namespace

Expected<std::string> analyze_tflite(std::string_view bytes, const AnalyzeOptions& options) {
  return Analyzer(bytes, options).run();
}

}  // namespace tflc
