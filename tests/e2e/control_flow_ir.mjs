// Runs the hand-built IF + WHILE model of tests/unit/control_flow_test.cc
// (WriterNamesBodiesBySubgraphIndex) in LiteRT.js and checks it against
// values computed here:
//   (i, acc) = while i < 3: (i + 1, acc * 2) from (0, x)
//   y = sum(acc) > 0 ? acc + 1 : acc - 1;   outputs (y, i)
// Floats are exact here (multiplying by 2 and adding 1), tolerance 0.
//   node control_flow_ir.mjs model.tflite
import {runModel} from './lib/litert.mjs';
import {Results, compareOutputs} from './lib/harness.mjs';

const [model] = process.argv.slice(2);
const results = new Results();
for (const x of [[1, 2], [-1, -2], [0.5, -3], [0, 0]]) {
  let acc = x.slice(), i = 0;
  while (i < 3) { acc = acc.map((v) => v * 2); i += 1; }
  const sum = acc.reduce((a, b) => a + b, 0);
  const y = acc.map((v) => (sum > 0 ? v + 1 : v - 1));
  const want = [{name: 'y', dtype: 'float32', shape: [2], data: y}, {name: 'i', dtype: 'int32', shape: [], data: [i]}];
  try {
    const {outputs} = await runModel(model, [{name: 'x', dtype: 'float32', shape: [2], data: x}]);
    const r = compareOutputs(outputs, want, 0);
    results.add(`if+while x=[${x}]`, r.ok ? 'PASS' : 'FAIL', r.ok ? `y=[${outputs[0].data}]` : r.reason);
  } catch (e) {
    results.add(`if+while x=[${x}]`, 'FAIL', e.message);
  }
}
process.exit(results.summary());
