// Converts model.h5 and model.keras of every model written by make_models.cjs
// + write_keras.py with tflite_convert, runs each .tflite in LiteRT.js and
// compares with the TensorFlow.js reference outputs.
//   node tests/keras/tfjs/check.mjs --converter build/tflite_convert DIR [--filter SUBSTR]
// Floats pass when max|ours - ref| <= 1e-4 * max(1, max|ref|) (per output);
// ints must match exactly; shapes must match; outputs are matched by position.
// Prints one PASS/FAIL/SKIP line per model and format, then
// "N passed, M failed, K skipped"; exits 1 on any failure.
import fs from 'node:fs';
import path from 'node:path';
import {execFileSync} from 'node:child_process';
import {createRequire} from 'node:module';
import {runModel} from '../../e2e/lib/litert.mjs';

// Known gaps: converter limits we know of. A listed model+format that fails
// is SKIPPED with this reason; one that passes is reported as PASS (then
// remove it from here). Anything not listed that fails is a FAILURE.
const KNOWN_GAPS = {
  // The reference is wrong here, not us: tfjs-backend-cpu's FusedBatchNorm
  // cycles the per-channel parameters over the flat index (right only for the
  // last axis). Our output matches numpy's (x-mean)/sqrt(var+eps)*gamma+beta
  // on axis 1; KerasNested.BatchNormAxis1 checks the lowering.
  'bn_axis1.h5': 'TF.js reference is wrong for BatchNormalization on a non-last axis (tfjs-backend-cpu bug)',
  'bn_axis1.keras': 'TF.js reference is wrong for BatchNormalization on a non-last axis (tfjs-backend-cpu bug)',
};

// LiteRT.js 2.5.3 refuses models with variable tensors (the state of
// UNIDIRECTIONAL_SEQUENCE_LSTM): those run in the second runtime (tfjs-tflite).
const VARIABLE_TENSORS = 'Variable tensors not yet supported';
const require = createRequire(import.meta.url);
const runtime2 = () => require('../../e2e/runtime2/run.cjs');

const args = process.argv.slice(2);
const opt = (flag, dflt) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args.splice(i, 2)[1] : dflt;
};
const converter = opt('--converter', 'build/tflite_convert');
const filter = opt('--filter', '');
const dir = args[0];
if (!dir) {
  console.error('usage: check.mjs --converter PATH DIR [--filter SUBSTR]');
  process.exit(2);
}

function compare(got, want, tol) {
  if (JSON.stringify(got.shape) !== JSON.stringify(want.shape))
    throw new Error(`output '${want.name}': shape ${JSON.stringify(got.shape)} != ${JSON.stringify(want.shape)}`);
  if (got.data.length !== want.data.length) throw new Error(`output '${want.name}': ${got.data.length} values`);
  let err = 0, ref = 0;
  want.data.forEach((v, i) => {
    err = Math.max(err, Math.abs(Number(got.data[i]) - v));
    ref = Math.max(ref, Math.abs(v));
  });
  const limit = want.dtype === 'float32' ? tol * Math.max(1, ref) : 0;
  if (!(err <= limit)) throw new Error(`output '${want.name}': max abs error ${err.toExponential(3)} > ${limit}`);
  return err;
}

let passed = 0, failed = 0, skipped = 0;
for (const name of fs.readdirSync(dir).sort()) {
  const d = path.join(dir, name);
  if (!fs.existsSync(path.join(d, 'case.json')) || !name.includes(filter)) continue;
  const c = JSON.parse(fs.readFileSync(path.join(d, 'case.json')));
  for (const fmt of ['h5', 'keras']) {
    const id = `${name}.${fmt}`;
    if (c.skip && c.skip[fmt]) {
      console.log(`SKIP ${id}: ${c.skip[fmt]}`);
      skipped++;
      continue;
    }
    const out = path.join(d, `${fmt}.tflite`);
    try {
      fs.rmSync(out, {force: true});
      execFileSync(converter, [`--keras_model_file=${path.join(d, `model.${fmt}`)}`, `--output_file=${out}`],
                   {stdio: ['ignore', 'ignore', 'pipe']});
      const feeds = c.inputs.map((x) => ({dtype: x.dtype, shape: x.shape, data: x.data}));
      let outputs, where = '';
      try {
        ({outputs} = await runModel(out, feeds));
      } catch (e) {
        if (!String(e.message).includes(VARIABLE_TENSORS)) throw e;
        ({outputs} = await runtime2().runModel(out, feeds));
        where = ', runtime2';
      }
      if (outputs.length !== c.outputs.length) throw new Error(`${outputs.length} outputs, expected ${c.outputs.length}`);
      let err = 0;
      c.outputs.forEach((want, i) => { err = Math.max(err, compare(outputs[i], want, c.tol)); });
      console.log(`PASS ${id} (max err ${err.toExponential(2)}${where})${KNOWN_GAPS[id] ? ' [listed as a known gap: remove it]' : ''}`);
      passed++;
    } catch (e) {
      const msg = (e.stderr ? e.stderr.toString() : e.message).trim().split('\n')[0];
      if (KNOWN_GAPS[id]) {
        console.log(`SKIP ${id}: known gap: ${KNOWN_GAPS[id]} (${msg})`);
        skipped++;
      } else {
        console.log(`FAIL ${id}: ${msg}`);
        failed++;
      }
    }
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed || passed + skipped === 0 ? 1 : 0);
