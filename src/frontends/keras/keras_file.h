// Reads a saved Keras model — the architecture (JSON config) and every
// layer's weights — from either container Keras has used:
//   * HDF5 (.h5/.hdf5) from Keras 1.x, Keras 2.x and tf.keras: the config is
//     the root attribute `model_config`, weights live under `model_weights`
//     (or at the root in old files), one group per layer whose `weight_names`
//     attribute lists its datasets in the layer's own order;
//   * the Keras 3 zip (.keras) (also what tf.keras 2.13-2.15 wrote):
//     config.json + metadata.json + model.weights.h5, whose layout follows
//     the object tree: layers/<key>/vars/0..n, sub-objects such as
//     layers/lstm/cell/vars, nested models under layers/<key>/layers/...;
//     also the unzipped directory form (model.save(path, zipped=False)).
// The format is detected from the content, not the file name.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "frontends/keras/h5_file.h"
#include "support/status.h"

namespace tflc {

struct KerasModelFile {
  std::string format;  // "h5" or "keras"
  // The model config ({"class_name": ..., "config": ...}): H5's model_config
  // attribute or the .keras config.json. Keras 1/2 Sequential configs hold a
  // bare list of layers in "config"; newer ones a {"layers": [...]} object.
  nlohmann::json config;
  std::string keras_version;  // "" when the file does not say
  std::string backend;        // "" when the file does not say (.keras never does)
  // Weights by layer name, each list in the order the layer stores them.
  //   H5: the names from weight_names, e.g. "dense_1/kernel:0" (Keras 2),
  //       "dense_1_W" (Keras 1); a nested model is one entry holding all the
  //       weights of its layers, as Keras 2 saves it.
  //   .keras: the path below the layer's group: "vars/0", "vars/1" for its
  //       own variables, then sub-objects in Keras' save order, e.g.
  //       "cell/vars/0" (LSTM), "forward_layer/cell/vars/0" (Bidirectional).
  //       Layers of a nested model are keyed "outer/inner". The key is the
  //       layer's name (from the file's name tag, else from config.json by
  //       Keras' class-name keys, else the storage key itself).
  // Every layer of the model has an entry, empty if it has no weights.
  std::map<std::string, std::vector<KerasArray>> weights;
};

// Reads a .h5/.hdf5 or .keras file (or an unzipped .keras directory).
// Bad input comes back as one line saying what is wrong and what to do.
// The read runs in a forked child process under CPU-time and memory limits,
// so that a crash or endless loop inside libhdf5 on a damaged file is one
// line too (the result comes back through a pipe).
Expected<KerasModelFile> read_keras_model_file(const std::string& path);
// Reads in this process instead (fuzz targets, to see crashes as crashes).
void set_keras_reader_isolation(bool on);

// Keras 3's snake_case of a class name, used for the storage keys of layers
// in model.weights.h5 ("Conv2D" -> "conv2d", "LSTM" -> "lstm",
// "BatchNormalization" -> "batch_normalization").
std::string keras_snake_case(const std::string& class_name);

}  // namespace tflc
