// Runs a model and its copies with metadata in LiteRT.js (the official
// runtime) on the same inputs, and checks that every copy loads and gives
// bit-identical outputs (tolerance 0: metadata must not change the graph).
//   node same_outputs.mjs base.tflite with_metadata.tflite [...]
import fs from 'node:fs';
import {loadLiteRtNode, runModel} from '../e2e/lib/litert.mjs';
import {Results} from '../e2e/lib/harness.mjs';

const [base, ...copies] = process.argv.slice(2);
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
    const same = got.length === want.length && got.every((o, k) =>
      o.data.length === want[k].data.length && o.data.every((v, i) => Object.is(v, want[k].data[i])));
    results.add(copy, same ? 'PASS' : 'FAIL', same ? `${got.length} outputs identical` : 'outputs differ');
  } catch (e) {
    results.add(copy, 'FAIL', e.message);
  }
}
process.exit(results.summary());
