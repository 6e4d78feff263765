// The int8 builtin branch of tests/flex/tan_branches.pbtxt (cut from its Flex
// branch by --output_arrays=y; flex_cli_test.sh checks its qparams equal the
// branch inside the full int8 model) runs in LiteRT.js and matches the float
// math y = relu(relu(x) @ w + b) within 0.05 (about 8 steps of y's int8
// scale, 0.0064, for inputs whose y stays inside its calibrated range, up to 1.64).
//   node flex_int8_cut.mjs cut_int8.tflite
import {runModel} from './lib/litert.mjs';
import {Results, compareOutputs} from './lib/harness.mjs';

const [model] = process.argv.slice(2);
const w = [[0.5, -1, 0.25], [1, 0.75, -0.5], [-0.25, 0.5, 1], [0.125, -0.75, 0.5]];
const b = [0.1, -0.2, 0.3];
const results = new Results();
for (const x of [[-1, 0.5, 1.1, 0.3], [0.5, 0.3, -0.2, 0.4], [0.2, 0.4, 0.6, 0.8]]) {
  const h = x.map((v) => Math.max(v, 0));
  const y = b.map((bj, j) => Math.max(0, bj + h.reduce((s, hi, i) => s + hi * w[i][j], 0)));
  const want = [{name: 'y', dtype: 'float32', shape: [1, 3], data: y}];
  try {
    const {outputs} = await runModel(model, [{name: 'x', dtype: 'float32', shape: [1, 4], data: x}]);
    const r = compareOutputs(outputs, want, 0.05);
    results.add(`int8 branch x=[${x}]`, r.ok ? 'PASS' : 'FAIL', r.ok ? `y=[${outputs[0].data}] want [${y}]` : r.reason);
  } catch (e) {
    results.add(`int8 branch x=[${x}]`, 'FAIL', e.message);
  }
}
process.exit(results.summary());
