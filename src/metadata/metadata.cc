#include "metadata/metadata.h"

#include <flatbuffers/idl.h>

#include <array>
#include <cstring>
#include <map>
#include <memory>
#include <set>

#include "metadata/schema_text.h"
#include "metadata_schema_generated.h"
#include "tflite_schema_generated.h"

namespace tflc {
namespace {

constexpr size_t kMaxJsonBytes = size_t{64} << 20;

Expected<flatbuffers::Parser*> schema_parser(flatbuffers::Parser& parser) {
  std::string schema(metadata_schema_text());
  if (!parser.Parse(schema.c_str())) return internal_error("the embedded metadata schema does not parse: " + parser.error_);
  return &parser;
}

bool verify_metadata(std::string_view md) {
  if (md.size() < 8 || md.size() >= FLATBUFFERS_MAX_BUFFER_SIZE) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(md.data());
  if (!tflite::ModelMetadataBufferHasIdentifier(p)) return false;
  flatbuffers::Verifier v(p, md.size());
  return tflite::VerifyModelMetadataBuffer(v);
}

Status not_metadata(const std::string& what) {
  return invalid_input(what + " is not TFLite Metadata (a FlatBuffer of metadata_schema.fbs with identifier \"M001\")");
}

// --- min_parser_version, member by member as tflite-support's
// metadata_version.cc checks them. ---
using Version = std::array<int, 3>;

struct VersionScan {
  Version v{1, 0, 0};
  void need(Version w) { v = std::max(v, w); }

  void file(const tflite::AssociatedFile* f) {
    if (!f) return;
    if (f->type() == tflite::AssociatedFileType::VOCABULARY) need({1, 0, 1});
    if (f->type() == tflite::AssociatedFileType::SCANN_INDEX_FILE) need({1, 4, 0});
    if (f->version()) need({1, 4, 1});
  }
  void files(const flatbuffers::Vector<flatbuffers::Offset<tflite::AssociatedFile>>* fs) {
    if (fs) for (const auto* f : *fs) file(f);
  }
  void units(const flatbuffers::Vector<flatbuffers::Offset<tflite::ProcessUnit>>* us) {
    if (!us) return;
    for (const auto* u : *us) {
      switch (u->options_type()) {
        case tflite::ProcessUnitOptions::BertTokenizerOptions:
        case tflite::ProcessUnitOptions::SentencePieceTokenizerOptions: need({1, 1, 0}); break;
        case tflite::ProcessUnitOptions::RegexTokenizerOptions: need({1, 2, 1}); break;
        default: break;
      }
    }
  }
  void tensors(const flatbuffers::Vector<flatbuffers::Offset<tflite::TensorMetadata>>* ts) {
    if (!ts) return;
    for (const auto* t : *ts) {
      files(t->associated_files());
      units(t->process_units());
      if (t->content() && t->content()->content_properties_type() == tflite::ContentProperties::AudioProperties)
        need({1, 3, 0});
    }
  }
  void subgraph(const tflite::SubGraphMetadata* s) {
    tensors(s->input_tensor_metadata());
    tensors(s->output_tensor_metadata());
    files(s->associated_files());
    if (s->input_process_units()) need({1, 1, 0}), units(s->input_process_units());
    if (s->output_process_units()) need({1, 1, 0}), units(s->output_process_units());
    if (s->input_tensor_groups() || s->output_tensor_groups()) need({1, 2, 0});
    if (s->custom_metadata()) need({1, 5, 0});
  }
};

// --- Associated files recorded in the metadata (object API, so that
// populate can rewrite their names). ---
void add_files(std::vector<std::unique_ptr<tflite::AssociatedFileT>>& fs, std::vector<tflite::AssociatedFileT*>& out) {
  for (auto& f : fs)
    if (f) out.push_back(f.get());
}

void add_unit_files(std::vector<std::unique_ptr<tflite::ProcessUnitT>>& units,
                    std::vector<tflite::AssociatedFileT*>& out) {
  for (auto& u : units) {
    if (!u) continue;
    if (auto* o = u->options.AsBertTokenizerOptions()) add_files(o->vocab_file, out);
    if (auto* o = u->options.AsRegexTokenizerOptions()) add_files(o->vocab_file, out);
    if (auto* o = u->options.AsSentencePieceTokenizerOptions()) {
      add_files(o->sentencePiece_model, out);
      add_files(o->vocab_file, out);
    }
  }
}

std::vector<tflite::AssociatedFileT*> recorded_files(tflite::ModelMetadataT& md) {
  std::vector<tflite::AssociatedFileT*> out;
  add_files(md.associated_files, out);
  for (auto& sg : md.subgraph_metadata) {
    if (!sg) continue;
    add_files(sg->associated_files, out);
    for (auto* tensors : {&sg->input_tensor_metadata, &sg->output_tensor_metadata}) {
      for (auto& t : *tensors) {
        if (!t) continue;
        add_files(t->associated_files, out);
        add_unit_files(t->process_units, out);
      }
    }
    add_unit_files(sg->input_process_units, out);
    add_unit_files(sg->output_process_units, out);
  }
  return out;
}

std::string base_name(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A union whose type is set but whose table is absent unpacks to a null
// value, which the object API's Pack dereferences. The type is the meaning,
// so the table is written with its defaults (equivalent to absent).
void fill_null_union(tflite::ContentPropertiesUnion& u) {
  using K = tflite::ContentProperties;
  if (u.value) return;
  switch (u.type) {
    case K::FeatureProperties: u.Set(tflite::FeaturePropertiesT()); break;
    case K::ImageProperties: u.Set(tflite::ImagePropertiesT()); break;
    case K::BoundingBoxProperties: u.Set(tflite::BoundingBoxPropertiesT()); break;
    case K::AudioProperties: u.Set(tflite::AudioPropertiesT()); break;
    default: break;  // NONE, or a type newer than the schema: Pack writes no table
  }
}

void fill_null_union(tflite::ProcessUnitOptionsUnion& u) {
  using K = tflite::ProcessUnitOptions;
  if (u.value) return;
  switch (u.type) {
    case K::NormalizationOptions: u.Set(tflite::NormalizationOptionsT()); break;
    case K::ScoreCalibrationOptions: u.Set(tflite::ScoreCalibrationOptionsT()); break;
    case K::ScoreThresholdingOptions: u.Set(tflite::ScoreThresholdingOptionsT()); break;
    case K::BertTokenizerOptions: u.Set(tflite::BertTokenizerOptionsT()); break;
    case K::SentencePieceTokenizerOptions: u.Set(tflite::SentencePieceTokenizerOptionsT()); break;
    case K::RegexTokenizerOptions: u.Set(tflite::RegexTokenizerOptionsT()); break;
    default: break;
  }
}

void fill_null_unions(tflite::ModelMetadataT& md) {
  auto units = [](std::vector<std::unique_ptr<tflite::ProcessUnitT>>& us) {
    for (auto& u : us)
      if (u) fill_null_union(u->options);
  };
  for (auto& sg : md.subgraph_metadata) {
    if (!sg) continue;
    for (auto* tensors : {&sg->input_tensor_metadata, &sg->output_tensor_metadata}) {
      for (auto& t : *tensors) {
        if (!t) continue;
        if (t->content) fill_null_union(t->content->content_properties);
        units(t->process_units);
      }
    }
    units(sg->input_process_units);
    units(sg->output_process_units);
  }
}

// The model with its TFLITE_METADATA buffer set, built without rewriting
// any of the model's own tables: a new root Model table is put in front of
// the old FlatBuffer and points forward into it, reusing the old operator
// codes, subgraphs, signatures and buffers, with new `buffers` and
// `metadata` vectors. FlatBuffer offsets are relative, so the old bytes stay
// valid where they are; the prefix is a multiple of 64 bytes so buffer data
// keeps its alignment (16 is what the schema asks for). (An object-API round trip would not keep
// absent and empty vectors apart: a scalar's empty shape would become an
// unknown rank.) Replaced metadata stays behind as unreferenced bytes.
class PrefixWriter {
 public:
  size_t pos() const { return out_.size(); }
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u16(uint16_t v) { u8(v & 0xff), u8(v >> 8); }
  void u32(uint32_t v) { u16(v & 0xffff), u16(v >> 16); }
  void align(size_t a, size_t extra = 0) {
    while ((out_.size() + extra) % a) u8(0);
  }
  void patch32(size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) out_[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

uint32_t read32(std::string_view b, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(b[at + i]);
  return v;
}
uint16_t read16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(b[at]) | (static_cast<uint8_t>(b[at + 1]) << 8));
}

Expected<std::string> rewrite_model(std::string_view old, std::string_view metadata) {
  const tflite::Model* model = tflite::GetModel(old.data());
  if (model->buffers()) {
    for (uint32_t i = 0; i < model->buffers()->size(); ++i) {
      if (model->buffers()->Get(i)->offset() > 1)
        return unsupported("not supported yet: adding metadata to a model whose buffers are stored outside the "
                           "FlatBuffer (buffer " + std::to_string(i) + ")");
    }
  }
  // Old root table and its fields (the model is verified).
  size_t root = read32(old, 0);
  size_t vt = root - static_cast<int32_t>(read32(old, root));
  size_t vt_size = read16(old, vt);
  constexpr int kFields = 10;  // Model's fields in schema/tflite_schema.fbs; newer ones are not kept
  auto field_pos = [&](int id) -> size_t {
    size_t slot = 4 + 2 * static_cast<size_t>(id);
    if (slot + 2 > vt_size) return 0;
    uint16_t off = read16(old, vt + slot);
    return off ? root + off : 0;
  };
  auto target = [&](size_t fpos) { return fpos + read32(old, fpos); };
  constexpr int kBuffers = 4, kMetadata = 6;

  std::vector<size_t> buffer_tables, metadata_tables;  // old absolute positions
  if (size_t f = field_pos(kBuffers)) {
    size_t v = target(f);
    for (uint32_t i = 0, n = read32(old, v); i < n; ++i) buffer_tables.push_back(v + 4 + 4 * i + read32(old, v + 4 + 4 * i));
  }
  if (size_t f = field_pos(kMetadata)) {
    size_t v = target(f);
    for (uint32_t i = 0, n = read32(old, v); i < n; ++i)
      metadata_tables.push_back(v + 4 + 4 * i + read32(old, v + 4 + 4 * i));
  }
  // Which buffers hold TFLITE_METADATA now; those get the new data.
  std::set<uint32_t> replaced;
  if (model->metadata()) {
    for (const auto* e : *model->metadata()) {
      if (!e->name() || e->name()->string_view() != kMetadataEntryName) continue;
      if (e->buffer() >= buffer_tables.size())
        return invalid_input("the model's TFLITE_METADATA entry names buffer " + std::to_string(e->buffer()) +
                             " of " + std::to_string(buffer_tables.size()));
      replaced.insert(e->buffer());
    }
  }
  bool add_entry = replaced.empty();
  uint32_t new_buffer_index = static_cast<uint32_t>(buffer_tables.size());
  if (add_entry) replaced.insert(new_buffer_index);

  // Layout of the prefix, front to back; references only point forward.
  PrefixWriter w;
  w.u32(0);  // root offset, patched
  w.bytes() += tflite::ModelIdentifier();
  // Model vtable and table.
  std::vector<int> present;
  for (int id = 0; id < kFields; ++id)
    if (field_pos(id) || id == kBuffers || id == kMetadata) present.push_back(id);
  size_t model_vt = w.pos();
  uint16_t n_slots = static_cast<uint16_t>(present.back() + 1);
  w.u16(static_cast<uint16_t>(4 + 2 * n_slots));
  w.u16(static_cast<uint16_t>(4 + 4 * present.size()));
  std::map<int, uint16_t> slot_off;
  for (size_t k = 0; k < present.size(); ++k) slot_off[present[k]] = static_cast<uint16_t>(4 + 4 * k);
  for (int id = 0; id < n_slots; ++id) w.u16(slot_off.count(id) ? slot_off[id] : 0);
  w.align(4);
  size_t model_table = w.pos();
  w.patch32(0, static_cast<uint32_t>(model_table));
  w.u32(static_cast<uint32_t>(model_table - model_vt));  // soffset: vtable is before the table
  std::map<int, size_t> field_at;  // field id -> position in the prefix
  for (int id : present) {
    field_at[id] = w.pos();
    w.u32(id == 0 ? read32(old, field_pos(0)) : 0);  // offsets patched below
  }
  // New buffers and metadata vectors (positions patched once known).
  auto start_vector = [&](size_t n) {
    size_t at = w.pos();
    w.u32(static_cast<uint32_t>(n));
    for (size_t i = 0; i < n; ++i) w.u32(0);
    return at;
  };
  size_t n_buffers = buffer_tables.size() + (add_entry ? 1 : 0);
  size_t buffers_vec = start_vector(n_buffers);
  size_t metadata_vec = start_vector(metadata_tables.size() + (add_entry ? 1 : 0));
  size_t entry_table = 0, entry_name = 0;
  if (add_entry) {
    size_t evt = w.pos();
    w.u16(8), w.u16(12), w.u16(4), w.u16(8);  // name (offset), buffer (uint)
    entry_table = w.pos();
    w.u32(static_cast<uint32_t>(entry_table - evt));
    w.u32(0);  // name, patched
    w.u32(new_buffer_index);
    entry_name = w.pos();
    w.u32(static_cast<uint32_t>(std::strlen(kMetadataEntryName)));
    w.bytes() += kMetadataEntryName;
    w.u8(0);
    w.align(4);
    w.patch32(entry_table + 4, static_cast<uint32_t>(entry_name - (entry_table + 4)));
  }
  // The Buffer table for the metadata and its data, 16-byte aligned.
  size_t bvt = w.pos();
  w.u16(6), w.u16(8), w.u16(4);
  w.align(4);
  size_t buffer_table = w.pos();
  w.u32(static_cast<uint32_t>(buffer_table - bvt));
  w.u32(0);  // data, patched
  w.align(16, 4);
  size_t data_vec = w.pos();
  w.u32(static_cast<uint32_t>(metadata.size()));
  w.bytes() += metadata;
  w.patch32(buffer_table + 4, static_cast<uint32_t>(data_vec - (buffer_table + 4)));
  w.align(64);
  const size_t base = w.pos();  // where the old FlatBuffer starts

  auto ref = [&](size_t at, size_t to) { w.patch32(at, static_cast<uint32_t>(to - at)); };
  for (int id : present) {
    if (id == 0) continue;
    if (id == kBuffers) ref(field_at[id], buffers_vec);
    else if (id == kMetadata) ref(field_at[id], metadata_vec);
    else ref(field_at[id], base + target(field_pos(id)));
  }
  for (size_t i = 0; i < n_buffers; ++i) {
    size_t at = buffers_vec + 4 + 4 * i;
    ref(at, replaced.count(static_cast<uint32_t>(i)) ? buffer_table : base + buffer_tables[i]);
  }
  for (size_t i = 0; i < metadata_tables.size(); ++i) ref(metadata_vec + 4 + 4 * i, base + metadata_tables[i]);
  if (add_entry) ref(metadata_vec + 4 + 4 * metadata_tables.size(), entry_table);

  if (base + old.size() >= FLATBUFFERS_MAX_BUFFER_SIZE)
    return unsupported("not supported yet: metadata in models over 2 GiB");
  std::string out = std::move(w.bytes());
  out += old;
  flatbuffers::Verifier::Options vo;
  vo.max_tables = 100'000'000;
  flatbuffers::Verifier v(reinterpret_cast<const uint8_t*>(out.data()), out.size(), vo);
  if (!tflite::VerifyModelBuffer(v)) return internal_error("the model with metadata does not verify");
  return out;
}

}  // namespace

Expected<ModelFile> ModelFile::read(std::string bytes, const std::string& what) {
  ModelFile m;
  m.what_ = what;
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  if (bytes.size() < 8 || !tflite::ModelBufferHasIdentifier(p))
    return invalid_input(what + " is not a TFLite model (no \"TFL3\" FlatBuffer identifier); give a .tflite file");
  auto archive_or = read_packed_files(bytes);
  if (!archive_or.ok()) return archive_or.status().with_context(what);
  PackedArchive archive = std::move(archive_or).value();
  if (archive.start >= FLATBUFFERS_MAX_BUFFER_SIZE)
    return unsupported("not supported yet: metadata of models over 2 GiB (" + what + ")");
  flatbuffers::Verifier::Options vo;
  vo.max_tables = 100'000'000;
  flatbuffers::Verifier v(p, archive.start, vo);
  if (!tflite::VerifyModelBuffer(v))
    return invalid_input(what + " is not a valid TFLite FlatBuffer in the " + std::to_string(archive.start) +
                         " bytes before its packed files (truncated or corrupt); convert the model again");
  m.flatbuffer_size_ = archive.start;
  m.files_ = std::move(archive.files);
  m.bytes_ = std::move(bytes);
  return m;
}

const tflite::Model* ModelFile::model() const { return tflite::GetModel(bytes_.data()); }

Expected<std::optional<std::string_view>> ModelFile::metadata() const {
  const tflite::Model* m = model();
  if (!m->metadata()) return std::optional<std::string_view>();
  for (const auto* entry : *m->metadata()) {
    if (!entry->name() || entry->name()->string_view() != kMetadataEntryName) continue;
    const auto* buffers = m->buffers();
    if (!buffers || entry->buffer() >= buffers->size())
      return invalid_input(what_ + ": the TFLITE_METADATA entry names buffer " + std::to_string(entry->buffer()) +
                           ", which does not exist");
    const tflite::Buffer* b = buffers->Get(entry->buffer());
    if (!b->data() || b->data()->size() == 0)
      return unsupported("not supported yet: TFLITE_METADATA stored outside the FlatBuffer (" + what_ + ")");
    std::string_view md(reinterpret_cast<const char*>(b->data()->data()), b->data()->size());
    if (!verify_metadata(md)) return not_metadata(what_ + "'s TFLITE_METADATA buffer");
    return std::optional<std::string_view>(md);
  }
  return std::optional<std::string_view>();
}

Expected<std::string> metadata_to_json(std::string_view metadata) {
  if (!verify_metadata(metadata)) return not_metadata("the buffer");
  flatbuffers::IDLOptions opts;
  opts.strict_json = true;
  flatbuffers::Parser parser(opts);
  ASSIGN_OR_RETURN(auto* p, schema_parser(parser));
  std::string text;
  if (!flatbuffers::GenerateText(*p, metadata.data(), &text)) return internal_error("flatc could not print the metadata");
  return text;
}

Expected<std::string> metadata_from_json(std::string_view json, const std::string& what) {
  if (json.size() > kMaxJsonBytes) return invalid_input(what + " is over 64 MiB; metadata JSON is small");
  flatbuffers::Parser parser;
  ASSIGN_OR_RETURN(auto* p, schema_parser(parser));
  std::string text(json);
  if (text.find('\0') != std::string::npos) return invalid_input(what + " contains a NUL byte; give JSON text");
  if (!p->Parse(text.c_str())) {
    std::string err = p->error_;
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    for (char& c : err)
      if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    return invalid_input(what + " is not metadata JSON of metadata_schema.fbs: " + err);
  }
  std::string md(reinterpret_cast<const char*>(p->builder_.GetBufferPointer()), p->builder_.GetSize());
  if (!verify_metadata(md)) return internal_error("metadata parsed from " + what + " does not verify");
  return md;
}

std::string min_parser_version(std::string_view metadata) {
  VersionScan scan;
  const tflite::ModelMetadata* md = tflite::GetModelMetadata(metadata.data());
  if (md->subgraph_metadata())
    for (const auto* sg : *md->subgraph_metadata()) scan.subgraph(sg);
  scan.files(md->associated_files());
  return std::to_string(scan.v[0]) + "." + std::to_string(scan.v[1]) + "." + std::to_string(scan.v[2]);
}

std::vector<std::string> recorded_associated_files(std::string_view metadata) {
  std::unique_ptr<tflite::ModelMetadataT> md(tflite::GetModelMetadata(metadata.data())->UnPack());
  std::vector<std::string> names;
  for (auto* f : recorded_files(*md)) names.push_back(f->name);
  return names;
}

Expected<std::string> populate_metadata(const ModelFile& model, std::string_view metadata,
                                        std::vector<PackedFile> files) {
  if (!verify_metadata(metadata)) return not_metadata("the metadata to write");
  const tflite::ModelMetadata* md = tflite::GetModelMetadata(metadata.data());
  size_t n_sub = md->subgraph_metadata() ? md->subgraph_metadata()->size() : 0;
  if (n_sub != 1)
    return invalid_input("the metadata has " + std::to_string(n_sub) +
                         " subgraph_metadata entries; it needs exactly one, for the model's main subgraph");
  const tflite::Model* m = model.model();
  if (!m->subgraphs() || m->subgraphs()->size() == 0) return invalid_input(model.what() + " has no subgraph");
  const tflite::SubGraph* sg = m->subgraphs()->Get(0);
  const tflite::SubGraphMetadata* smd = md->subgraph_metadata()->Get(0);
  size_t n_in = sg->inputs() ? sg->inputs()->size() : 0, n_out = sg->outputs() ? sg->outputs()->size() : 0;
  size_t md_in = smd->input_tensor_metadata() ? smd->input_tensor_metadata()->size() : 0;
  size_t md_out = smd->output_tensor_metadata() ? smd->output_tensor_metadata()->size() : 0;
  if (n_in != md_in)
    return invalid_input("the model has " + std::to_string(n_in) + " input tensors but the metadata describes " +
                         std::to_string(md_in) + "; give one input_tensor_metadata per input");
  if (n_out != md_out)
    return invalid_input("the model has " + std::to_string(n_out) + " output tensors but the metadata describes " +
                         std::to_string(md_out) + "; give one output_tensor_metadata per output");

  std::unique_ptr<tflite::ModelMetadataT> obj(md->UnPack());
  fill_null_unions(*obj);
  obj->min_parser_version = min_parser_version(metadata);
  std::vector<std::string> recorded;
  std::set<std::string> recorded_set;
  for (auto* f : recorded_files(*obj)) {
    f->name = base_name(f->name);
    if (f->name.empty()) return invalid_input("the metadata records an associated file with no name");
    if (recorded_set.insert(f->name).second) recorded.push_back(f->name);
  }

  std::map<std::string, std::string> given;
  for (PackedFile& f : files) {
    f.name = base_name(f.name);
    if (given.count(f.name)) return invalid_input("associated file " + printable_name(f.name) + " is given twice; pack each file once");
    if (!recorded_set.count(f.name))
      return invalid_input("associated file " + printable_name(f.name) +
                           " is not named in the metadata; name it in an associated_files entry or leave it out");
    given[f.name] = std::move(f.data);
  }
  // As tflite-support packs: the files already packed first (those the new
  // metadata still records and that are not given again), then the given
  // files in the order given.
  std::vector<PackedFile> packed;
  std::set<std::string> have;
  for (const PackedFile& f : model.packed_files()) {
    if (recorded_set.count(f.name) && !given.count(f.name) && have.insert(f.name).second) packed.push_back(f);
  }
  for (PackedFile& f : files) {
    have.insert(f.name);
    packed.push_back({f.name, std::move(given[f.name])});
  }
  for (const std::string& name : recorded) {
    if (!have.count(name))
      return invalid_input("the metadata names associated file " + printable_name(name) +
                           ", which is neither given nor packed in the model; give it with --associated_file");
  }

  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(tflite::ModelMetadata::Pack(fbb, obj.get()), tflite::ModelMetadataIdentifier());
  std::string_view md_bytes(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
  ASSIGN_OR_RETURN(std::string out, rewrite_model(model.flatbuffer(), md_bytes));
  if (packed.empty()) return out;
  return append_packed_files(std::move(out), packed);
}

}  // namespace tflc
