// Keras corpus suite: every tinymaix_* .h5 is converted by our converter and
// run in LiteRT.js next to the official converter's float .tflite of the same
// model, on the same input. Tolerance: max|ours - ref| <= 1e-5 * max(1, max|ref|).
// Models without an official float file are converted and run only.
// usage: node keras_corpus.mjs --converter PATH
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execFileSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {runModel} from './lib/litert.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const converter = path.resolve(args[args.indexOf('--converter') + 1]);
const corpus = path.resolve(here, '../../../shared/corpus');
if (!fs.existsSync(corpus)) {
  console.log('SKIP: ../shared/corpus not found');
  process.exit(0);
}
// Op counts per type, from tflite_analyze's "Operators by type" section.
const analyzer = path.join(path.dirname(converter), 'tflite_analyze');
function opCounts(file) {
  const text = execFileSync(analyzer, [file], {stdio: 'pipe'}).toString();
  const counts = {};
  const section = text.split('Operators by type')[1] || '';
  for (const m of section.matchAll(/^\s+([A-Z0-9_]+): (\d+)$/gm)) counts[m[1]] = Number(m[2]);
  return counts;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-corpus-'));
let passed = 0, failed = 0, skipped = 0;
for (const dir of fs.readdirSync(corpus).filter((d) => d.startsWith('tinymaix_') && d !== 'tinymaix_scripts').sort()) {
  const h5 = fs.readdirSync(path.join(corpus, dir)).find((f) => f.endsWith('.h5'));
  if (!h5) continue;
  const base = h5.slice(0, -3);
  const out = path.join(tmp, base + '.tflite');
  try {
    execFileSync(converter, [`--keras_model_file=${path.join(corpus, dir, h5)}`, `--output_file=${out}`], {stdio: 'pipe'});
  } catch (e) {
    console.log(`FAIL ${dir}: converter: ${String(e.stderr).trim().split('\n')[0]}`);
    failed++;
    continue;
  }
  const ref = path.join(corpus, dir, base + '_f.tflite');
  // Values in [0, 1), like the pixels these models take.
  const shape = base.startsWith('mbnet128') ? [1, 128, 128, 3] : base.startsWith('mbnet96') ? [1, 96, 96, 3] : [1, 28, 28, 1];
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Array.from({length: n}, (_, k) => (Math.sin(k * 0.37) + 1) / 2);
  let a;
  try {
    a = (await runModel(out, [{dtype: 'float32', shape, data}])).outputs[0].data;
  } catch (e) {
    console.log(`FAIL ${dir}: LiteRT.js: ${e.message}`);
    failed++;
    continue;
  }
  if (!fs.existsSync(ref)) {
    console.log(`PASS ${dir}: converted and ran (no official float .tflite to compare with)`);
    passed++;
    continue;
  }
  // Ours has no op type the official file lacks, and no more ops of a type.
  const [mine, theirs] = [opCounts(out), opCounts(ref)];
  const extra = Object.keys(mine).filter((t) => mine[t] > (theirs[t] || 0));
  if (extra.length) {
    console.log(`FAIL ${dir}: more ops than the official converter: ${extra.map((t) => `${t} ${mine[t]} vs ${theirs[t] || 0}`)}`);
    failed++;
    continue;
  }
  const b = (await runModel(ref, [{dtype: 'float32', shape, data}])).outputs[0].data;
  if (b.every((v) => v === 0)) {
    // LiteRT.js returns zeros behind a run-time-shaped RESHAPE (see the oracle README).
    console.log(`SKIP ${dir}: the official .tflite gives all zeros in LiteRT.js (SHAPE/PACK-fed RESHAPE)`);
    skipped++;
    continue;
  }
  let m = 0, mx = 0;
  for (let k = 0; k < b.length; k++) {
    m = Math.max(m, Math.abs(a[k] - b[k]));
    mx = Math.max(mx, Math.abs(b[k]));
  }
  const ok = m <= 1e-5 * Math.max(1, mx);
  console.log(`${ok ? 'PASS' : 'FAIL'} ${dir}  max|diff| ${m.toExponential(2)} vs official float .tflite; ops ${JSON.stringify(mine)}`);
  ok ? passed++ : failed++;
}
fs.rmSync(tmp, {recursive: true, force: true});
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
process.exit(failed ? 1 : 0);
