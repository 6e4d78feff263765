#include "tflite/writer.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "conversion_metadata_generated.h"
#include "ops/registry.h"

namespace tflc {
namespace {

constexpr int kSchemaVersion = 3;
constexpr int kMaxDeprecatedCode = 127;  // PLACEHOLDER_FOR_GREATER_OP_CODES
constexpr size_t kBufferAlign = 16;
constexpr uint64_t kFlatBufferLimit = (uint64_t{1} << 31) - (uint64_t{64} << 20);

struct OpCodeKey {
  int code;
  int version;
  std::string custom;
  bool operator<(const OpCodeKey& o) const { return std::tie(code, version, custom) < std::tie(o.code, o.version, o.custom); }
};

class Writer {
 public:
  Writer(Model& m, const WriteOptions& opt) : m_(m), opt_(opt) {}

  Status run(const ByteSink& sink) {
    uint64_t const_bytes = 0;
    ASSIGN_OR_RETURN(std::vector<Graph*> graphs, m_.all_subgraphs());
    for (const Graph* g : graphs)
      for (const Tensor& t : g->tensors)
        if (t.data) const_bytes += t.data->size() + kBufferAlign;
    offsets_mode_ = opt_.force_buffer_offsets || const_bytes > kFlatBufferLimit;
    fbb_.emplace(offsets_mode_ ? (1 << 20) : static_cast<size_t>(const_bytes + (1 << 20)));
    auto& fbb = *fbb_;

    buffers_.push_back(tflite::CreateBuffer(fbb));  // buffer 0: empty, by convention
    ASSIGN_OR_RETURN(std::vector<Graph*> all, m_.all_subgraphs());
    for (size_t i = 0; i < all.size(); ++i) subgraph_index_[all[i]] = static_cast<int>(i);
    std::vector<flatbuffers::Offset<tflite::SubGraph>> subgraphs;
    for (Graph* g : all) {
      auto sg = write_subgraph(*g);
      if (!sg.ok()) return sg.status();
      subgraphs.push_back(*sg);
    }
    std::vector<flatbuffers::Offset<tflite::SignatureDef>> sigs;
    for (const SignatureDef& s : m_.signatures) sigs.push_back(write_signature(s));

    // Metadata: min_runtime_version as a 16-byte zero-padded string.
    std::string runtime = min_runtime_version(m_);
    std::string padded(16, '\0');
    std::memcpy(padded.data(), runtime.data(), std::min<size_t>(runtime.size(), 15));
    std::vector<flatbuffers::Offset<tflite::Metadata>> metadata;
    metadata.push_back(tflite::CreateMetadata(fbb, fbb.CreateString("min_runtime_version"),
                                              add_buffer(make_buffer(padded))));
    if (!opt_.exclude_conversion_metadata)
      metadata.push_back(tflite::CreateMetadata(fbb, fbb.CreateString("CONVERSION_METADATA"),
                                                add_buffer(make_buffer(conversion_metadata()))));
    std::vector<flatbuffers::Offset<tflite::OperatorCode>> codes;
    for (const auto& key : code_order_) {
      auto custom = key.custom.empty() ? 0 : fbb.CreateString(key.custom);
      auto [deprecated, builtin] = operator_code_fields(key.code);
      codes.push_back(tflite::CreateOperatorCode(fbb, deprecated, custom, key.version,
                                                 static_cast<tflite::BuiltinOperator>(builtin)));
    }
    auto model = tflite::CreateModel(fbb, kSchemaVersion, fbb.CreateVector(codes), fbb.CreateVector(subgraphs),
                                     fbb.CreateString(m_.description), fbb.CreateVector(buffers_), 0,
                                     fbb.CreateVector(metadata), fbb.CreateVector(sigs));
    fbb.Finish(model, tflite::ModelIdentifier());
    return offsets_mode_ ? write_offset_buffers(sink) : write_scattered(sink);
  }

 private:
  // Returns the buffer index of `bytes`, written once per distinct Buffer.
  uint32_t add_buffer(const Buffer& data) {
    auto& fbb = *fbb_;
    const std::string& bytes = *data;
    if (offsets_mode_) {
      // offset is patched once the FlatBuffer size is known; 1 keeps the field present.
      pending_.push_back(data);
      buffers_.push_back(tflite::CreateBuffer(fbb, 0, 1, bytes.size()));
    } else {
      // Space is reserved but not filled: write_scattered() sends these bytes
      // straight from the IR, so the weights are never copied in memory.
      fbb.ForceVectorAlignment(bytes.size(), 1, kBufferAlign);
      uint8_t* unused;
      auto vec = fbb.CreateUninitializedVector(bytes.size(), 1, &unused);
      scattered_.push_back({fbb.GetSize(), data});
      buffers_.push_back(tflite::CreateBuffer(fbb, vec));
    }
    return static_cast<uint32_t>(buffers_.size() - 1);
  }

  // Sends the FlatBuffer with each reserved data vector taken from its Buffer.
  Status write_scattered(const ByteSink& sink) {
    auto& fbb = *fbb_;
    const char* base = reinterpret_cast<const char*>(fbb.GetBufferPointer());
    uint64_t size = fbb.GetSize(), at = 0;
    // Vectors were created back to front: the last one sits first in the file.
    for (auto it = scattered_.rbegin(); it != scattered_.rend(); ++it) {
      uint64_t start = size - it->from_end + sizeof(flatbuffers::uoffset_t);  // past the length prefix
      RETURN_IF_ERROR(sink(std::string_view(base + at, start - at)));
      RETURN_IF_ERROR(sink(*it->data));
      at = start + it->data->size();
      it->data.reset();
    }
    return sink(std::string_view(base + at, size - at));
  }

  Expected<flatbuffers::Offset<tflite::SubGraph>> write_subgraph(Graph& g) {
    auto& fbb = *fbb_;
    std::vector<int> index(g.tensors.size(), -1);
    std::vector<TensorId> order;
    auto use = [&](TensorId id) {
      if (id >= 0 && index[id] < 0) {
        index[id] = static_cast<int>(order.size());
        order.push_back(id);
      }
    };
    for (TensorId i : g.inputs) use(i);
    for (const auto& op : g.ops) {
      if (op->dead) continue;
      for (TensorId i : op->inputs) use(i);
      for (TensorId o : op->outputs) use(o);
    }
    for (TensorId o : g.outputs) use(o);
    tensor_index_.push_back(index);

    std::vector<flatbuffers::Offset<tflite::Tensor>> tensors;
    for (TensorId id : order) {
      Tensor& t = g.t(id);
      if (t.dtype == DType::kInvalid) return internal_error("tensor '" + t.name + "' has no type");
      // Unknown rank: no dims and has_rank false (ranked tensors leave
      // has_rank at its default too, as our files always have).
      std::vector<int32_t> shape, signature;
      bool dynamic = false;
      for (int64_t d : t.unknown_rank ? std::vector<int64_t>{} : t.shape) {
        if (d > INT32_MAX) return unsupported("not supported yet: dimension over 2^31 in '" + t.name + "'");
        shape.push_back(d < 0 ? 1 : static_cast<int32_t>(d));
        signature.push_back(static_cast<int32_t>(d));
        dynamic = dynamic || d < 0;
      }
      uint32_t buffer = 0;
      if (t.data) {
        // A live weak_ptr proves the address still names the same bytes.
        auto it = buffer_of_.find(t.data.get());
        if (it == buffer_of_.end() || it->second.first.expired())
          it = buffer_of_.insert_or_assign(t.data.get(), std::make_pair(std::weak_ptr<const std::string>(t.data),
                                                                        add_buffer(t.data))).first;
        buffer = it->second.second;
        t.data.reset();  // copied into the builder (or queued): drop our reference
      }
      flatbuffers::Offset<tflite::QuantizationParameters> q = 0;
      if (t.quant) {
        q = tflite::CreateQuantizationParameters(
            fbb, t.quant->min.empty() ? 0 : fbb.CreateVector(t.quant->min),
            t.quant->max.empty() ? 0 : fbb.CreateVector(t.quant->max), fbb.CreateVector(t.quant->scale),
            fbb.CreateVector(t.quant->zero_point), tflite::QuantizationDetails::NONE, 0, t.quant->axis);
      }
      tensors.push_back(tflite::CreateTensor(fbb, fbb.CreateVector(shape), static_cast<tflite::TensorType>(t.dtype),
                                             buffer, fbb.CreateString(t.name), q, t.is_variable, 0,
                                             dynamic ? fbb.CreateVector(signature) : 0));
    }
    for (Tensor& t : g.tensors) t.data.reset();

    std::vector<flatbuffers::Offset<tflite::Operator>> ops;
    for (const auto& op : g.ops) {
      if (op->dead) continue;
      const OpSchema* s = find_op(op->code);
      if (!s) return internal_error("no TFLite record for " + op_name(op->code));
      OpCodeKey key{static_cast<int>(op->code), op_version(g, *op),
                    op->code == OpCode::CUSTOM ? op->custom_code : std::string()};
      auto [it, inserted] = code_index_.emplace(key, static_cast<int>(code_order_.size()));
      if (inserted) code_order_.push_back(key);
      RETURN_IF_ERROR(apply_default_options(*s, *op).with_context("writing '" + op->origin + "'"));
      std::vector<int> callee_index;
      for (const auto& c : op->callees) callee_index.push_back(subgraph_index_.at(c.get()));
      if (s->finalize_options) s->finalize_options(g, *op, callee_index);
      else if (!callee_index.empty()) return internal_error(op_name(op->code) + " calls subgraphs it cannot name");
      std::vector<int32_t> ins, outs;
      for (TensorId i : op->inputs) ins.push_back(i < 0 ? -1 : index[i]);
      for (TensorId o : op->outputs) outs.push_back(index[o]);
      auto custom = op->custom_options.empty() ? 0 : fbb.CreateVector(op->custom_options);
      const OpOptions& o = op->options;
      ops.push_back(tflite::CreateOperator(
          fbb, it->second, fbb.CreateVector(ins), fbb.CreateVector(outs), o.builtin.type, o.builtin.Pack(fbb), custom,
          tflite::CustomOptionsFormat::FLEXBUFFERS, 0, 0, 0, 0, o.builtin2.type, o.builtin2.Pack(fbb)));
    }
    std::vector<int32_t> gin, gout;
    for (TensorId i : g.inputs) gin.push_back(index[i]);
    for (TensorId o : g.outputs) gout.push_back(index[o]);
    return tflite::CreateSubGraph(fbb, fbb.CreateVector(tensors), fbb.CreateVector(gin), fbb.CreateVector(gout),
                                  fbb.CreateVector(ops), fbb.CreateString(g.name));
  }

  flatbuffers::Offset<tflite::SignatureDef> write_signature(const SignatureDef& s) {
    auto& fbb = *fbb_;
    auto maps = [&](const std::vector<std::pair<std::string, TensorId>>& v) {
      std::vector<flatbuffers::Offset<tflite::TensorMap>> out;
      for (const auto& [name, id] : v)
        out.push_back(tflite::CreateTensorMap(fbb, fbb.CreateString(name), tensor_index_.at(s.subgraph).at(id)));
      return fbb.CreateVector(out);
    };
    auto ins = maps(s.inputs);
    auto outs = maps(s.outputs);
    return tflite::CreateSignatureDef(fbb, ins, outs, fbb.CreateString(s.key), s.subgraph);
  }

  // Patches each Buffer.offset, then writes the FlatBuffer followed by the
  // buffers, each 16-byte aligned.
  Status write_offset_buffers(const ByteSink& sink) {
    auto& fbb = *fbb_;
    auto* model = tflite::GetMutableModel(fbb.GetBufferPointer());
    auto* buffers = model->mutable_buffers();
    uint64_t pos = fbb.GetSize();
    std::vector<uint64_t> starts;
    size_t k = 0;
    for (size_t b = 0; b < buffers->size(); ++b) {
      auto* buf = buffers->GetMutableObject(static_cast<flatbuffers::uoffset_t>(b));
      if (buf->offset() == 0) continue;
      pos = (pos + kBufferAlign - 1) / kBufferAlign * kBufferAlign;
      buf->mutate_offset(pos);
      starts.push_back(pos);
      pos += pending_[k++]->size();
    }
    RETURN_IF_ERROR(sink(std::string_view(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize())));
    uint64_t at = fbb.GetSize();
    const std::string zeros(kBufferAlign, '\0');
    for (size_t i = 0; i < pending_.size(); ++i) {
      RETURN_IF_ERROR(sink(std::string_view(zeros.data(), starts[i] - at)));
      RETURN_IF_ERROR(sink(*pending_[i]));
      at = starts[i] + pending_[i]->size();
      pending_[i].reset();
    }
    return ok_status();
  }

  std::string conversion_metadata() const {
    flatbuffers::FlatBufferBuilder b;
    tflite::ModelType type = m_.source_format == "graphdef"      ? tflite::ModelType::TF_GRAPH_DEF
                             : m_.source_format == "saved_model" ? tflite::ModelType::TF_SAVED_MODEL
                             : m_.source_format == "keras"       ? tflite::ModelType::KERAS_MODEL
                                                                 : tflite::ModelType::NONE;
    auto env = tflite::CreateEnvironment(b, 0, static_cast<uint32_t>(m_.api_version), type);
    auto opts = tflite::CreateConversionOptions(b);
    b.Finish(tflite::CreateConversionMetadata(b, env, opts));
    return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
  }

  Model& m_;
  const WriteOptions& opt_;
  bool offsets_mode_ = false;
  std::optional<flatbuffers::FlatBufferBuilder> fbb_;
  std::vector<flatbuffers::Offset<tflite::Buffer>> buffers_;
  std::unordered_map<const std::string*, std::pair<std::weak_ptr<const std::string>, uint32_t>> buffer_of_;
  std::vector<Buffer> pending_;  // offsets mode: data written after the FlatBuffer
  struct Scattered {
    uint64_t from_end;  // builder size right after the vector was reserved
    Buffer data;
  };
  std::vector<Scattered> scattered_;
  std::unordered_map<const Graph*, int> subgraph_index_;
  std::vector<std::vector<int>> tensor_index_;  // per subgraph: IR tensor -> written index
  std::map<OpCodeKey, int> code_index_;
  std::vector<OpCodeKey> code_order_;
};

}  // namespace

std::pair<int8_t, int32_t> operator_code_fields(int32_t code) {
  return {static_cast<int8_t>(std::min(code, kMaxDeprecatedCode)), code};
}

std::string min_runtime_version(const Model& model) {
  std::string best = "1.5.0";
  auto graphs = model.all_subgraphs();
  if (!graphs.ok()) return best;
  for (const Graph* g : *graphs)
    for (const auto& op : g->ops) {
      if (op->dead) continue;
      const OpSchema* s = find_op(op->code);
      if (!s) continue;
      size_t v = static_cast<size_t>(op_version(*g, *op));
      if (v >= 1 && v <= s->runtime_versions.size()) {
        std::string r = s->runtime_versions[v - 1];
        if (runtime_version_less(best, r)) best = r;
      }
    }
  return best;
}

Status write_tflite(Model& model, const WriteOptions& options, const ByteSink& sink) {
  return Writer(model, options).run(sink);
}

Expected<std::string> write_tflite(Model& model, const WriteOptions& options) {
  std::string out;
  RETURN_IF_ERROR(write_tflite(model, options, [&](std::string_view piece) {
    out.append(piece);
    return ok_status();
  }));
  return out;
}

}  // namespace tflc
