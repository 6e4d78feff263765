// Each task mirrors tflite-support's metadata_writers/<task>.py
// create_for_inference (metadata_info.py for the tensor records), read at
// tensorflow/tflite-support commits 5243563 (image_classifier), 0596b0d
// (object_detector), 9ce781c (image_segmenter), 710e323 (audio_classifier,
// metadata_info), b4bd0dd (nl_classifier) and 7d712f6 (bert_nl_classifier).
#include "metadata/task_writers.h"

#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>

#include "metadata_schema_generated.h"
#include "support/file.h"
#include "tflite_schema_generated.h"

namespace tflc {
namespace {

using tflite::AssociatedFileType;

constexpr char kLabelDescription[] = "Labels for categories that the model can recognize.";
constexpr char kVocabDescription[] = "Vocabulary file to convert natural language words to embedding vectors.";
constexpr char kCalibrationDescription[] =
    "Contains sigmoid-based score calibration parameters. The main purposes of score calibration is to make "
    "scores across classes comparable, so that a common threshold can be used for all output classes.";

struct Writer {
  const ModelFile& model;
  const TaskWriterOptions& o;
  std::vector<PackedFile> files;  // in the order the writer lists them

  const tflite::SubGraph* main() const { return model.model()->subgraphs()->Get(0); }
  size_t n_inputs() const { return main()->inputs() ? main()->inputs()->size() : 0; }
  size_t n_outputs() const { return main()->outputs() ? main()->outputs()->size() : 0; }
  const tflite::Tensor* tensor(int index) const {
    const auto* ts = main()->tensors();
    return ts && index >= 0 && static_cast<size_t>(index) < ts->size() ? ts->Get(index) : nullptr;
  }
  std::optional<tflite::TensorType> input_type(size_t i) const {
    const auto* t = tensor(main()->inputs()->Get(i));
    return t ? std::optional(t->type()) : std::nullopt;
  }
  std::optional<tflite::TensorType> output_type(size_t i) const {
    const auto* t = tensor(main()->outputs()->Get(i));
    return t ? std::optional(t->type()) : std::nullopt;
  }

  Status need_io(size_t in, size_t out) const {
    if (n_inputs() != in || n_outputs() != out)
      return invalid_input(o.task + " needs a model with " + std::to_string(in) + " input(s) and " +
                           std::to_string(out) + " output(s); " + model.what() + " has " +
                           std::to_string(n_inputs()) + " and " + std::to_string(n_outputs()));
    return ok_status();
  }

  // Reads a file the metadata will name and packs it once.
  Expected<std::unique_ptr<tflite::AssociatedFileT>> file(const std::string& path, const std::string& role,
                                                           const char* description, AssociatedFileType type) {
    ASSIGN_OR_RETURN(std::string data, read_file_bytes(path, role));
    auto f = std::make_unique<tflite::AssociatedFileT>();
    size_t slash = path.find_last_of('/');
    f->name = slash == std::string::npos ? path : path.substr(slash + 1);
    if (description) f->description = description;
    f->type = type;
    bool seen = false;
    for (const PackedFile& p : files) seen |= p.name == f->name;
    if (seen) return invalid_input(role + " '" + path + "': a file named '" + f->name + "' is already given");
    files.push_back({f->name, std::move(data)});
    return f;
  }
};

std::unique_ptr<tflite::TensorMetadataT> tensor_md(const std::string& name, const std::string& description,
                                                    tflite::ContentProperties content) {
  auto t = std::make_unique<tflite::TensorMetadataT>();
  t->name = name;
  t->description = description;
  t->stats = std::make_unique<tflite::StatsT>();
  t->content = std::make_unique<tflite::ContentT>();
  auto& props = t->content->content_properties;
  switch (content) {
    case tflite::ContentProperties::ImageProperties: props.Set(tflite::ImagePropertiesT()); break;
    case tflite::ContentProperties::BoundingBoxProperties: props.Set(tflite::BoundingBoxPropertiesT()); break;
    case tflite::ContentProperties::AudioProperties: props.Set(tflite::AudioPropertiesT()); break;
    default: props.Set(tflite::FeaturePropertiesT()); break;
  }
  return t;
}

std::unique_ptr<tflite::ValueRangeT> range(int min, int max) {
  auto r = std::make_unique<tflite::ValueRangeT>();
  r->min = min;
  r->max = max;
  return r;
}

// metadata_info.InputImageTensorMd.
Expected<std::unique_ptr<tflite::TensorMetadataT>> input_image(const Writer& w, const std::string& description) {
  const auto& mean = w.o.norm_mean;
  const auto& std = w.o.norm_std;
  if (!mean.empty() && !std.empty() && mean.size() != std.size())
    return invalid_input("--norm_mean and --norm_std need the same number of values (got " +
                         std::to_string(mean.size()) + " and " + std::to_string(std.size()) + ")");
  for (float s : std)
    if (s == 0 || !std::isfinite(s)) return invalid_input("--norm_std values must be finite and non-zero");
  auto t = tensor_md("image", description, tflite::ContentProperties::ImageProperties);
  t->content->content_properties.AsImageProperties()->color_space = tflite::ColorSpaceType::RGB;
  auto type = w.input_type(0);
  if (type == tflite::TensorType::UINT8) {
    t->stats->min = {0};
    t->stats->max = {255};
  } else if (type == tflite::TensorType::FLOAT32 && !mean.empty() && !std.empty()) {
    for (size_t i = 0; i < mean.size(); ++i) {
      // Python computes these in double and the schema stores float.
      t->stats->min.push_back(static_cast<float>((0.0 - mean[i]) / std[i]));
      t->stats->max.push_back(static_cast<float>((255.0 - mean[i]) / std[i]));
    }
  }
  if (!mean.empty() && !std.empty()) {
    auto unit = std::make_unique<tflite::ProcessUnitT>();
    tflite::NormalizationOptionsT norm;
    norm.mean = mean;
    norm.std = std;
    unit->options.Set(std::move(norm));
    t->process_units.push_back(std::move(unit));
  }
  return t;
}

Expected<tflite::ScoreTransformationType> transformation(const std::string& s) {
  if (s == "IDENTITY") return tflite::ScoreTransformationType::IDENTITY;
  if (s == "LOG") return tflite::ScoreTransformationType::LOG;
  if (s == "INVERSE_LOGISTIC") return tflite::ScoreTransformationType::INVERSE_LOGISTIC;
  return usage_error("--score_transformation '" + s + "': use IDENTITY, LOG or INVERSE_LOGISTIC");
}

// Lines of 0, 3 or 4 comma-separated numbers (scale, slope, offset,
// min_score), scale non-negative: the schema's TENSOR_AXIS_SCORE_CALIBRATION.
Status check_calibration(const std::string& path, const std::string& csv) {
  size_t line_no = 0, at = 0;
  while (at < csv.size()) {
    size_t end = csv.find('\n', at);
    if (end == std::string::npos) end = csv.size();
    std::string line = csv.substr(at, end - at);
    at = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<double> values;
    size_t p = 0;
    while (p <= line.size()) {
      size_t comma = line.find(',', p);
      if (comma == std::string::npos) comma = line.size();
      std::string field = line.substr(p, comma - p);
      char* stop = nullptr;
      double v = std::strtod(field.c_str(), &stop);
      if (field.empty() || *stop != '\0' || !std::isfinite(v))
        return invalid_input("score calibration file '" + path + "' line " + std::to_string(line_no) + ": '" +
                             field + "' is not a number");
      values.push_back(v);
      p = comma + 1;
    }
    if (values.size() != 3 && values.size() != 4)
      return invalid_input("score calibration file '" + path + "' line " + std::to_string(line_no) + " has " +
                           std::to_string(values.size()) + " values; give scale,slope,offset[,min_score]");
    if (values[0] < 0)
      return invalid_input("score calibration file '" + path + "' line " + std::to_string(line_no) +
                           ": the scale must not be negative");
  }
  return ok_status();
}

// metadata_info.ClassificationTensorMd, with its label files and optional
// score calibration.
Expected<std::unique_ptr<tflite::TensorMetadataT>> classification(Writer& w, const std::string& name,
                                                                   const std::string& description,
                                                                   std::optional<tflite::TensorType> type) {
  auto t = tensor_md(name, description, tflite::ContentProperties::FeatureProperties);
  if (type == tflite::TensorType::UINT8) {
    t->stats->min = {0};
    t->stats->max = {255};
  } else if (type == tflite::TensorType::FLOAT32) {
    t->stats->min = {0};
    t->stats->max = {1};
  }
  for (const std::string& l : w.o.labels) {
    ASSIGN_OR_RETURN(auto f, w.file(l, "label file", kLabelDescription, AssociatedFileType::TENSOR_AXIS_LABELS));
    t->associated_files.push_back(std::move(f));
  }
  if (!w.o.score_calibration.empty()) {
    ASSIGN_OR_RETURN(auto kind, transformation(w.o.score_transformation));
    ASSIGN_OR_RETURN(auto f, w.file(w.o.score_calibration, "score calibration file", kCalibrationDescription,
                                    AssociatedFileType::TENSOR_AXIS_SCORE_CALIBRATION));
    RETURN_IF_ERROR(check_calibration(w.o.score_calibration, w.files.back().data));
    t->associated_files.push_back(std::move(f));
    auto unit = std::make_unique<tflite::ProcessUnitT>();
    tflite::ScoreCalibrationOptionsT opts;
    opts.score_transformation = kind;
    opts.default_score = w.o.default_score;
    unit->options.Set(std::move(opts));
    t->process_units.push_back(std::move(unit));
  }
  return t;
}

Status no_calibration(const Writer& w) {
  if (!w.o.score_calibration.empty()) return usage_error(w.o.task + " takes no --score_calibration");
  return ok_status();
}

std::unique_ptr<tflite::ModelMetadataT> model_md(const Writer& w, const char* name, const char* description) {
  auto m = std::make_unique<tflite::ModelMetadataT>();
  m->name = w.o.name.empty() ? name : w.o.name;
  m->description = w.o.description.empty() ? description : w.o.description;
  m->version = w.o.version;
  m->author = w.o.author;
  m->license = w.o.license;
  m->subgraph_metadata.push_back(std::make_unique<tflite::SubGraphMetadataT>());
  return m;
}

using Md = std::unique_ptr<tflite::ModelMetadataT>;

Expected<Md> image_classifier(Writer& w) {
  RETURN_IF_ERROR(w.need_io(1, 1));
  auto m = model_md(w, "ImageClassifier", "Identify the most prominent object in the image from a known set of categories.");
  auto& sg = *m->subgraph_metadata[0];
  ASSIGN_OR_RETURN(auto in, input_image(w, "Input image to be classified."));
  ASSIGN_OR_RETURN(auto out, classification(w, "probability", "Probabilities of the labels respectively.", w.output_type(0)));
  sg.input_tensor_metadata.push_back(std::move(in));
  sg.output_tensor_metadata.push_back(std::move(out));
  return m;
}

Expected<Md> object_detector(Writer& w) {
  RETURN_IF_ERROR(w.need_io(1, 4));
  auto m = model_md(w, "ObjectDetector",
                    "Identify which of a known set of objects might be present and provide information about their "
                    "positions within the given image or a video stream.");
  auto& sg = *m->subgraph_metadata[0];
  ASSIGN_OR_RETURN(auto in, input_image(w, "Input image to be detected."));
  sg.input_tensor_metadata.push_back(std::move(in));

  auto location = tensor_md("location", "The locations of the detected boxes.",
                            tflite::ContentProperties::BoundingBoxProperties);
  auto* box = location->content->content_properties.AsBoundingBoxProperties();
  box->index = {1, 0, 3, 2};
  box->type = tflite::BoundingBoxType::BOUNDARIES;
  box->coordinate_type = tflite::CoordinateType::RATIO;
  location->content->range = range(2, 2);

  auto category = tensor_md("category", "The categories of the detected boxes.",
                            tflite::ContentProperties::FeatureProperties);
  for (const std::string& l : w.o.labels) {
    ASSIGN_OR_RETURN(auto f, w.file(l, "label file", kLabelDescription, AssociatedFileType::TENSOR_VALUE_LABELS));
    category->associated_files.push_back(std::move(f));
  }
  category->content->range = range(2, 2);
  // Scores take calibration but no label files and no stats (the writer
  // passes no tensor type).
  TaskWriterOptions score_opts = w.o;
  score_opts.labels.clear();
  Writer score_writer{w.model, score_opts, std::move(w.files)};
  ASSIGN_OR_RETURN(auto score, classification(score_writer, "score", "The scores of the detected boxes.", std::nullopt));
  w.files = std::move(score_writer.files);
  score->content->range = range(2, 2);
  auto number = tensor_md("number of detections", "The number of the detected boxes.",
                          tflite::ContentProperties::FeatureProperties);

  // TFLITE_DETECTION_POST_PROCESS writes location, category, score, number
  // to increasing tensor indices; match the metadata to the output order.
  std::vector<std::unique_ptr<tflite::TensorMetadataT>> by_rank;
  by_rank.push_back(std::move(location));
  by_rank.push_back(std::move(category));
  by_rank.push_back(std::move(score));
  by_rank.push_back(std::move(number));
  std::vector<int> outputs(w.main()->outputs()->begin(), w.main()->outputs()->end());
  std::vector<int> sorted = outputs;
  std::sort(sorted.begin(), sorted.end());
  for (int index : outputs) {
    size_t rank = std::lower_bound(sorted.begin(), sorted.end(), index) - sorted.begin();
    if (!by_rank[rank]) return invalid_input("object_detector: the model lists output tensor " + std::to_string(index) + " twice");
    sg.output_tensor_metadata.push_back(std::move(by_rank[rank]));
  }
  auto group = std::make_unique<tflite::TensorGroupT>();
  group->name = "detection_result";
  group->tensor_names = {"location", "category", "score"};
  sg.output_tensor_groups.push_back(std::move(group));
  return m;
}

Expected<Md> image_segmenter(Writer& w) {
  RETURN_IF_ERROR(w.need_io(1, 1));
  RETURN_IF_ERROR(no_calibration(w));
  auto m = model_md(w, "ImageSegmenter",
                    "Semantic image segmentation predicts whether each pixel of an image is associated with a "
                    "certain class.");
  auto& sg = *m->subgraph_metadata[0];
  ASSIGN_OR_RETURN(auto in, input_image(w, "Input image to be segmented."));
  auto out = tensor_md("segmentation_masks", "Masks over the target objects with high accuracy.",
                       tflite::ContentProperties::ImageProperties);
  out->content->content_properties.AsImageProperties()->color_space = tflite::ColorSpaceType::GRAYSCALE;
  out->content->range = range(1, 2);
  for (const std::string& l : w.o.labels) {
    ASSIGN_OR_RETURN(auto f, w.file(l, "label file", kLabelDescription, AssociatedFileType::TENSOR_AXIS_LABELS));
    out->associated_files.push_back(std::move(f));
  }
  sg.input_tensor_metadata.push_back(std::move(in));
  sg.output_tensor_metadata.push_back(std::move(out));
  return m;
}

Expected<Md> audio_classifier(Writer& w) {
  RETURN_IF_ERROR(w.need_io(1, 1));
  if (w.o.sample_rate == 0) return usage_error("audio_classifier needs --sample_rate, a positive number of Hz");
  if (w.o.channels == 0) return usage_error("audio_classifier needs --channels, a positive channel count");
  auto m = model_md(w, "AudioClassifier",
                    "Identify the most prominent type in the audio clip from a known set of categories.");
  auto& sg = *m->subgraph_metadata[0];
  auto in = tensor_md("audio_clip", "Input audio clip to be classified.", tflite::ContentProperties::AudioProperties);
  auto* audio = in->content->content_properties.AsAudioProperties();
  audio->sample_rate = w.o.sample_rate;
  audio->channels = w.o.channels;
  ASSIGN_OR_RETURN(auto out, classification(w, "probability", "Scores of the labels respectively.", w.output_type(0)));
  sg.input_tensor_metadata.push_back(std::move(in));
  sg.output_tensor_metadata.push_back(std::move(out));
  return m;
}

Expected<Md> nl_classifier(Writer& w) {
  RETURN_IF_ERROR(w.need_io(1, 1));
  RETURN_IF_ERROR(no_calibration(w));
  auto m = model_md(w, "NLClassifier", "Classify the input text into a set of known categories.");
  auto& sg = *m->subgraph_metadata[0];
  auto in = tensor_md("input_text", "Embedding vectors representing the input text to be classified.",
                      tflite::ContentProperties::FeatureProperties);
  if (!w.o.vocab.empty()) {
    ASSIGN_OR_RETURN(auto vocab, w.file(w.o.vocab, "vocabulary file", kVocabDescription, AssociatedFileType::VOCABULARY));
    auto unit = std::make_unique<tflite::ProcessUnitT>();
    tflite::RegexTokenizerOptionsT regex;
    regex.delim_regex_pattern = w.o.delim_regex_pattern;
    regex.vocab_file.push_back(std::move(vocab));
    unit->options.Set(std::move(regex));
    in->process_units.push_back(std::move(unit));
  }
  ASSIGN_OR_RETURN(auto out, classification(w, "probability", "Probabilities of the labels respectively.", w.output_type(0)));
  sg.input_tensor_metadata.push_back(std::move(in));
  sg.output_tensor_metadata.push_back(std::move(out));
  // tflite-support lists label files first, then the tokenizer's.
  if (!w.o.vocab.empty()) std::rotate(w.files.begin(), w.files.begin() + 1, w.files.end());
  return m;
}

Expected<Md> bert_nl_classifier(Writer& w) {
  RETURN_IF_ERROR(w.need_io(3, 1));
  RETURN_IF_ERROR(no_calibration(w));
  if (w.o.vocab.empty() == w.o.sentencepiece_model.empty())
    return usage_error("bert_nl_classifier needs --vocab (Bert tokenizer) or --sentencepiece_model, not both");
  auto m = model_md(w, "BertNLClassifier", "Classify the input text into a set of known categories.");
  auto& sg = *m->subgraph_metadata[0];
  // The three inputs, matched by tensor name and written in the model's order.
  std::map<std::string, std::pair<const char*, const char*>> roles = {
      {w.o.ids_name, {"ids", "Tokenized ids of the input text."}},
      {w.o.mask_name, {"mask", "Mask with 1 for real tokens and 0 for padding tokens."}},
      {w.o.segment_name, {"segment_ids", "0 for the first sequence, 1 for the second sequence if exists."}}};
  if (roles.size() != 3)
    return usage_error("bert_nl_classifier: --ids_name, --mask_name and --segment_name must be three different names");
  std::string model_names;
  for (size_t i = 0; i < w.n_inputs(); ++i) {
    const auto* t = w.tensor(w.main()->inputs()->Get(i));
    std::string name = t && t->name() ? t->name()->str() : "";
    model_names += (i ? ", " : "") + printable_name(name);
  }
  for (size_t i = 0; i < w.n_inputs(); ++i) {
    const auto* t = w.tensor(w.main()->inputs()->Get(i));
    auto it = roles.find(t && t->name() ? t->name()->str() : "");
    if (it == roles.end())
      return invalid_input("bert_nl_classifier: the model's inputs (" + model_names + ") are not --ids_name '" +
                           w.o.ids_name + "', --mask_name '" + w.o.mask_name + "' and --segment_name '" +
                           w.o.segment_name + "'; pass the model's input tensor names");
    sg.input_tensor_metadata.push_back(tensor_md(it->second.first, it->second.second,
                                                 tflite::ContentProperties::FeatureProperties));
    roles.erase(it);
  }
  ASSIGN_OR_RETURN(auto out, classification(w, "probability", "Probabilities of the labels respectively.", w.output_type(0)));
  sg.output_tensor_metadata.push_back(std::move(out));
  auto unit = std::make_unique<tflite::ProcessUnitT>();
  if (!w.o.vocab.empty()) {
    ASSIGN_OR_RETURN(auto vocab, w.file(w.o.vocab, "vocabulary file", kVocabDescription, AssociatedFileType::VOCABULARY));
    tflite::BertTokenizerOptionsT bert;
    bert.vocab_file.push_back(std::move(vocab));
    unit->options.Set(std::move(bert));
  } else {
    ASSIGN_OR_RETURN(auto sp, w.file(w.o.sentencepiece_model, "SentencePiece model", "The sentence piece model file.",
                                     AssociatedFileType::UNKNOWN));
    tflite::SentencePieceTokenizerOptionsT opts;
    opts.sentencePiece_model.push_back(std::move(sp));
    unit->options.Set(std::move(opts));
  }
  sg.input_process_units.push_back(std::move(unit));
  return m;
}

using TaskFn = Expected<Md> (*)(Writer&);
const std::vector<std::pair<std::string, TaskFn>>& tasks() {
  static const std::vector<std::pair<std::string, TaskFn>> t = {
      {"image_classifier", image_classifier}, {"object_detector", object_detector},
      {"image_segmenter", image_segmenter},   {"audio_classifier", audio_classifier},
      {"nl_classifier", nl_classifier},       {"bert_nl_classifier", bert_nl_classifier}};
  return t;
}

}  // namespace

const std::vector<std::string>& task_writer_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& [name, fn] : tasks()) n.push_back(name);
    return n;
  }();
  return names;
}

Expected<TaskMetadata> write_task_metadata(const ModelFile& model, const TaskWriterOptions& options) {
  TaskFn fn = nullptr;
  std::string names;
  for (const auto& [name, f] : tasks()) {
    if (name == options.task) fn = f;
    names += (names.empty() ? "" : ", ") + name;
  }
  if (!fn) return usage_error("unknown --task '" + options.task + "'; use one of " + names);
  if (!model.model()->subgraphs() || model.model()->subgraphs()->size() == 0)
    return invalid_input(model.what() + " has no subgraph");
  Writer w{model, options, {}};
  ASSIGN_OR_RETURN(Md md, fn(w));
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(tflite::ModelMetadata::Pack(fbb, md.get()), tflite::ModelMetadataIdentifier());
  return TaskMetadata{std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize()),
                      std::move(w.files)};
}

}  // namespace tflc
