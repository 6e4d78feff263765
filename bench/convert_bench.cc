// In-process conversion time (Google Benchmark) of the bundled example and a
// synthetic 10 MB MLP. Process wall time and peak RSS: see run.sh.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

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

// StableHLO text: the files named by TFLC_BENCH_STABLEHLO (colon-separated;
// bench/make_stablehlo.py writes 10 MB MLP and CNN modules).
void BM_ConvertStablehlo(benchmark::State& state, std::string path) {
  tflc::ConvertOptions o;
  o.stablehlo_file = path;
  for (auto _ : state) {
    auto r = tflc::convert(o);
    if (!r.ok()) {
      state.SkipWithError(r.status().message().c_str());
      break;
    }
    benchmark::DoNotOptimize(r->data());
  }
}

const bool kStablehloRegistered = [] {
  const char* env = std::getenv("TFLC_BENCH_STABLEHLO");
  std::string list = env ? env : "";
  size_t p = 0;
  while (p < list.size()) {
    size_t e = list.find(':', p);
    if (e == std::string::npos) e = list.size();
    std::string path = list.substr(p, e - p);
    std::string name = "BM_ConvertStablehlo/" + path.substr(path.find_last_of('/') + 1);
    benchmark::RegisterBenchmark(name.c_str(), BM_ConvertStablehlo, path)->Unit(benchmark::kMillisecond);
    p = e + 1;
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
