// Runs a model and its copies with metadata in LiteRT.js (the official
// runtime) on the same inputs, and checks that every copy loads and gives
// the same outputs: bit-identical by default (metadata must not change the
// graph), or within --tol (absolute). The graph's bytes are unchanged, but
// the runtime's kernels can round differently when the weights sit at
// other addresses; on a MobileNet softmax we saw 3.9e-39.
//   node same_outputs.mjs [--tol T] base.tflite with_metadata.tflite [...]
import fs from 'node:fs';
import {loadLiteRtNode, runModel} from '../e2e/lib/litert.mjs';
import {Results} from '../e2e/lib/harness.mjs';

const args = process.argv.slice(2);
let tol = 0;
if (args[0] === '--tol') { tol = Number(args[1]); args.splice(0, 2); }
const [base, ...copies] = args;
if (!base || copies.length === 0) {
  console.error('usage: node same_outputs.mjs base.tflite with_metadata.tflite [...]');
  process.exit(2);
}

// Deterministic inputs in each dtype's range (a small LCG, no Math.random).
let seed = 12345;
const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
function sample(d) {
  const n = Array.from(d.shape).reduce((a, b) => a * Math.max(b, 1), 1);
  const shape = Array.from(d.shape).map((x) => Math.max(x, 1));
  const gen = {float32: () => next() * 2 - 1, int32: () => Math.floor(next() * 10),
    int8: () => Math.floor(next() * 256) - 128, uint8: () => Math.floor(next() * 256)}[d.dtype];
  if (!gen) throw new Error(`input ${d.name}: dtype ${d.dtype} not generated here`);
  return {name: d.name, dtype: d.dtype, shape, data: Array.from({length: n}, gen)};
}

const lrt = await loadLiteRtNode();
const compiled = await lrt.loadAndCompile(new Uint8Array(fs.readFileSync(base)), {accelerator: 'wasm'});
const inputs = compiled.getInputDetails().map(sample);
compiled.delete();
const want = (await runModel(base, inputs)).outputs;

const results = new Results();
for (const copy of copies) {
  try {
    const got = (await runModel(copy, inputs)).outputs;
    let worst = 0;
    const same = got.length === want.length && got.every((o, k) => o.data.length === want[k].data.length &&
      o.data.every((v, i) => (worst = Math.max(worst, Math.abs(v - want[k].data[i])), tol ? Math.abs(v - want[k].data[i]) <= tol : Object.is(v, want[k].data[i]))));
    results.add(copy, same ? 'PASS' : 'FAIL', same ? `${got.length} outputs ${tol ? `within ${tol}` : 'identical'}` : `outputs differ (max |diff| ${worst})`);
  } catch (e) {
    results.add(copy, 'FAIL', e.message);
  }
}
process.exit(results.summary());
