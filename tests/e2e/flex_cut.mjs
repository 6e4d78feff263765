// The builtin branch of tests/flex/unique_relu.pbtxt, cut from its Flex
// Unique branch by --output_arrays=r, runs in LiteRT.js: r = relu(x), exact
// (tolerance 0). The Flex op itself cannot be checked here: LiteRT.js has no
// Flex delegate, so a model holding FlexUnique does not load.
//   node flex_cut.mjs cut.tflite
import {runModel} from './lib/litert.mjs';
import {Results, compareOutputs} from './lib/harness.mjs';

const [model] = process.argv.slice(2);
const results = new Results();
for (const x of [[-1, 2, -3, 4], [0, 0.5, -0.5, 7]]) {
  const want = [{name: 'r', dtype: 'float32', shape: [4], data: x.map((v) => Math.max(v, 0))}];
  try {
    const {outputs} = await runModel(model, [{name: 'x', dtype: 'float32', shape: [4], data: x}]);
    const r = compareOutputs(outputs, want, 0);
    results.add(`relu branch x=[${x}]`, r.ok ? 'PASS' : 'FAIL', r.ok ? `r=[${outputs[0].data}]` : r.reason);
  } catch (e) {
    results.add(`relu branch x=[${x}]`, 'FAIL', e.message);
  }
}
process.exit(results.summary());
