// Metadata for common tasks, filled in as tflite-support's metadata_writers
// fill it in: names, descriptions, content types, normalization, label and
// vocabulary files, score calibration and tokenizers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "metadata/metadata.h"
#include "support/status.h"

namespace tflc {

struct TaskWriterOptions {
  // image_classifier, object_detector, image_segmenter, audio_classifier,
  // nl_classifier or bert_nl_classifier.
  std::string task;
  std::vector<std::string> labels;  // label file paths
  std::vector<float> norm_mean, norm_std;
  // Score calibration: a CSV of scale,slope,offset[,min_score] lines.
  std::string score_calibration;
  std::string score_transformation = "IDENTITY";  // IDENTITY, LOG or INVERSE_LOGISTIC
  float default_score = 0;
  // Audio.
  uint32_t sample_rate = 0, channels = 0;
  // Text.
  std::string vocab;                // regex / Bert vocabulary
  std::string sentencepiece_model;  // Bert classifier with a SentencePiece tokenizer
  std::string delim_regex_pattern = "[^\\w\\']+";
  // Tensor names of a Bert classifier's inputs (TF Model Maker's, as
  // tflite-support defaults them).
  std::string ids_name = "serving_default_input_word_ids:0", mask_name = "serving_default_input_mask:0",
              segment_name = "serving_default_input_type_ids:0";
  // Model-level fields; empty keeps the writer's default.
  std::string name, description, version, author, license;
};

struct TaskMetadata {
  std::string metadata;            // metadata FlatBuffer (M001)
  std::vector<PackedFile> files;  // the files it names, to pack
};

// Fills in the task's metadata for `model`, reading the files the options
// name. Missing files, bad calibration lines and a model whose inputs or
// outputs do not fit the task are errors.
Expected<TaskMetadata> write_task_metadata(const ModelFile& model, const TaskWriterOptions& options);

// The task names, for --help and errors.
const std::vector<std::string>& task_writer_names();

}  // namespace tflc
