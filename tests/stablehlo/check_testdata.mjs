// Runs StableHLO testdata files (stablehlo/testdata/*.mlir) through the
// converter and LiteRT.js and checks each result with the file's own check:
// expect_eq exactly, expect_close within max_ulp_difference ULPs (default
// 3), expect_almost_eq within its tolerance (default 1e-4).
//   node check_testdata.mjs --case-tool BIN [--known-gaps FILE] [--work DIR] FILE_OR_DIR...
// Prints one line per file (PASS, REFUSED <reason>, WRONG <detail>,
// RUNTIME <error>) and a table per op family. Exits 1 when a file gives a
// wrong number that is not listed in the known-gaps file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execFileSync} from 'node:child_process';
import {runModel} from '../e2e/lib/litert.mjs';

const args = process.argv.slice(2);
const take = (flag, dflt) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args.splice(i, 2)[1] : dflt;
};
const tool = take('--case-tool');
const gapsFile = take('--known-gaps');
const work = take('--work', fs.mkdtempSync(path.join(os.tmpdir(), 'hlo_cases_')));
const knownGaps = new Map();
if (gapsFile) {
  for (const line of fs.readFileSync(gapsFile, 'utf8').split('\n')) {
    const m = line.match(/^([^#\s]\S*)\s+(.*)$/);
    if (m) knownGaps.set(m[1], m[2]);
  }
}
let files = [];
for (const a of args) {
  if (fs.statSync(a).isDirectory()) {
    files.push(...fs.readdirSync(a).filter((f) => f.endsWith('.mlir')).sort().map((f) => path.join(a, f)));
  } else {
    files.push(a);
  }
}

const family = (name) => name.replace(/\.mlir$/, '').replace(/_(float|int|uint|bool|any|bfloat|complex|shape|dtypes).*$/, '');

const decode = (dtype, data) => {
  if (dtype === 'int64') return BigInt64Array.from(data, (v) => BigInt(v));
  if (dtype === 'uint64') return BigUint64Array.from(data, (v) => BigInt(v));
  return data.map((v) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v));
};

const f32 = new Float32Array(1);
const u32 = new Int32Array(f32.buffer);
// Distance in float32 units in the last place (ordered integer form).
function ulps(a, b) {
  if (Number.isNaN(a) && Number.isNaN(b)) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  const key = (x) => {
    f32[0] = x;
    const i = u32[0];
    return i < 0 ? -2147483648 - i : i;
  };
  return Math.abs(key(a) - key(b));
}

function compare(c, want, got) {
  if (JSON.stringify(want.shape) !== JSON.stringify(got.shape)) return `shape [${got.shape}] != [${want.shape}]`;
  const w = decode(want.dtype, want.data);
  const g = (want.dtype === 'int64' || want.dtype === 'uint64') ? got.raw : got.data;
  const isFloat = want.dtype.startsWith('float');
  let worst = 0, at = -1;
  for (let i = 0; i < w.length; ++i) {
    const a = w[i], b = g[i];
    let bad = false, d = 0;
    if (typeof a === 'bigint') {
      bad = BigInt(b) !== a;
    } else if (!isFloat || c.check === 'expect_eq') {
      bad = !(a === Number(b) || (Number.isNaN(a) && Number.isNaN(Number(b))));
      if (isFloat && c.check === 'expect_eq' && !bad && a === 0) bad = Object.is(a, -0) !== Object.is(Number(b), -0) && false;
    } else if (c.check === 'expect_close') {
      d = ulps(a, Number(b));
      bad = d > (c.max_ulp || 3);
    } else {
      d = Math.abs(a - Number(b));
      bad = !(d <= (c.tolerance || 1e-4)) && !(Number.isNaN(a) && Number.isNaN(Number(b))) && a !== Number(b);
    }
    if (bad) return `element ${i}: got ${b}, want ${a}${d ? ` (${c.check === 'expect_close' ? d + ' ulp' : 'diff ' + d})` : ''}`;
    if (d > worst) [worst, at] = [d, i];
  }
  return null;
}

const byFamily = new Map();
const count = {PASS: 0, REFUSED: 0, WRONG: 0, RUNTIME: 0, GAP: 0};
let unexpected = 0;
for (const file of files) {
  const name = path.basename(file);
  const dir = path.join(work, name.replace(/\.mlir$/, ''));
  fs.mkdirSync(dir, {recursive: true});
  let status, detail = '';
  try {
    execFileSync(tool, [file, dir], {stdio: ['ignore', 'ignore', 'pipe']});
  } catch (e) {
    status = 'REFUSED';
    detail = (e.stderr ? e.stderr.toString() : e.message).trim().split('\n')[0];
  }
  if (!status) {
    const c = JSON.parse(fs.readFileSync(path.join(dir, 'case.json')));
    try {
      const ins = c.inputs.map((t) => ({dtype: t.dtype, shape: t.shape, data: decode(t.dtype, t.data)}));
      const {outputs} = await runModel(path.join(dir, 'model.tflite'), ins);
      if (outputs.length !== c.expected.length) throw new Error(`${outputs.length} outputs, want ${c.expected.length}`);
      let wrong = null;
      c.expected.forEach((want, k) => { wrong = wrong || compare(c, want, outputs[k]); });
      if (wrong) {
        status = knownGaps.has(name) ? 'GAP' : 'WRONG';
        detail = wrong + (knownGaps.has(name) ? ` [known gap: ${knownGaps.get(name)}]` : '');
        if (status === 'WRONG') unexpected++;
      } else {
        status = 'PASS';
      }
    } catch (e) {
      status = 'RUNTIME';
      detail = e.message.split('\n')[0];
    }
  }
  count[status]++;
  const fam = family(name);
  if (!byFamily.has(fam)) byFamily.set(fam, {PASS: 0, total: 0});
  byFamily.get(fam).total++;
  if (status === 'PASS') byFamily.get(fam).PASS++;
  console.log(`${status} ${name}${detail ? ': ' + detail : ''}`);
}
console.log('\nfamily                     passed/total');
for (const [fam, v] of [...byFamily].sort()) console.log(`${fam.padEnd(26)} ${v.PASS}/${v.total}`);
const total = files.length;
console.log(`\n${count.PASS}/${total} passed (${(100 * count.PASS / Math.max(1, total)).toFixed(1)}%), ` +
            `${count.REFUSED} refused at conversion, ${count.RUNTIME} failed in the runtime, ` +
            `${count.GAP} known gaps, ${count.WRONG} wrong`);
process.exit(unexpected ? 1 : 0);
