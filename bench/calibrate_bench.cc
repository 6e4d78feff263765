// Calibration time: imports each Keras model, runs the float pipeline, then
// times calibrate() over the representative dataset (best and median of
// RUNS runs; the import is not timed).
// usage: calibrate_bench DATASET RUNS MODEL.h5...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "frontends/keras/keras_model.h"
#include "passes/passes.h"
#include "quant/stages.h"

int main(int argc, char** argv) {
  using namespace tflc;
  if (argc < 4) {
    std::fprintf(stderr, "usage: calibrate_bench DATASET RUNS MODEL.h5...\n");
    return 2;
  }
  auto data = read_representative_dataset(argv[1]);
  if (!data.ok()) {
    std::fprintf(stderr, "error: %s\n", data.status().message().c_str());
    return 1;
  }
  int runs = std::max(1, std::atoi(argv[2]));
  std::printf("| model | ops | samples | best ms | median ms |\n|---|---|---|---|---|\n");
  for (int i = 3; i < argc; ++i) {
    KerasImportOptions ko;
    ko.path = argv[i];
    auto m = import_keras_model(ko);
    Status st = m.ok() ? run_pipeline(*m, PipelineOptions{}) : m.status();
    if (!st.ok()) {
      std::printf("| %s | error: %s | | | |\n", argv[i], st.message().c_str());
      continue;
    }
    std::vector<double> ms;
    for (int r = 0; r < runs && st.ok(); ++r) {
      auto t0 = std::chrono::steady_clock::now();
      st = calibrate(*m, *data, CalibrateOptions{});
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    if (!st.ok()) {
      std::printf("| %s | error: %s | | | |\n", argv[i], st.message().c_str());
      continue;
    }
    std::sort(ms.begin(), ms.end());
    std::printf("| %s | %zu | %lld | %.1f | %.1f |\n", argv[i], m->subgraphs[0].ops.size(),
                static_cast<long long>(data->num_samples), ms.front(), ms[ms.size() / 2]);
  }
  return 0;
}
