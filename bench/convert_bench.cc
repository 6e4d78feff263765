// In-process conversion time (Google Benchmark) of the bundled example and a
// synthetic 10 MB MLP. Process wall time and peak RSS: see run.sh.
#include <benchmark/benchmark.h>

#include "api/converter.h"

namespace {

void convert_file(benchmark::State& state, const char* path, const char* inputs, const char* outputs) {
  tflc::ConvertOptions o;
  o.graph_def_file = path;
  o.input_arrays = {inputs};
  o.output_arrays = {outputs};
  for (auto _ : state) {
    auto r = tflc::convert(o);
    if (!r.ok()) {
      state.SkipWithError(r.status().message().c_str());
      break;
    }
    benchmark::DoNotOptimize(r->data());
  }
}

void BM_ConvertExample(benchmark::State& state) {
  convert_file(state, TFLC_SOURCE_DIR "/examples/mnist_cnn.pb", "input", "probs");
}
BENCHMARK(BM_ConvertExample)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
