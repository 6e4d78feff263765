// What the StableHLO harnesses (check_testdata.mjs, check_interpret.mjs)
// share: argument and known-gaps reading, and running one case directory
// (model.tflite + case.json) in LiteRT.js against its expected values:
// expect_eq exactly, expect_close within max_ulp ULPs (default 3),
// expect_almost_eq within its tolerance (default 1e-4). An expected entry
// may carry its own "check" and "tolerance" (one test, several checks).
import fs from 'node:fs';
import path from 'node:path';
import {runModel} from '../e2e/lib/litert.mjs';

export function takeFlag(args, flag, dflt) {
  const i = args.indexOf(flag);
  return i >= 0 ? args.splice(i, 2)[1] : dflt;
}

// "<file> <reason>" lines; '#' starts a comment.
export function readKnownGaps(file) {
  const gaps = new Map();
  if (!file) return gaps;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^([^#\s]\S*)\s+(.*)$/);
    if (m) gaps.set(m[1], m[2]);
  }
  return gaps;
}

// The .mlir files named or under the named directories (sorted;
// subdirectories too when `recursive`).
export function mlirFiles(args, recursive = false) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (recursive) walk(p);
      } else if (e.name.endsWith('.mlir')) {
        out.push(p);
      }
    }
  };
  for (const a of args) {
    if (fs.statSync(a).isDirectory()) walk(a);
    else out.push(a);
  }
  return out;
}

export function decode(dtype, data) {
  if (dtype === 'int64') return BigInt64Array.from(data, (v) => BigInt(v));
  if (dtype === 'uint64') return BigUint64Array.from(data, (v) => BigInt(v));
  const nums = data.map((v) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v));
  // Fed as typed arrays: the runner has no constructors of its own for these.
  if (dtype === 'uint32') return Uint32Array.from(nums);
  if (dtype === 'uint16') return Uint16Array.from(nums);
  return nums;
}

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

// null when `got` matches `want` under check `c`, else what differs.
export function compare(c, want, got) {
  if (JSON.stringify(want.shape) !== JSON.stringify(got.shape)) return `shape [${got.shape}] != [${want.shape}]`;
  if (want.dtype !== got.dtype) return `dtype ${got.dtype} != ${want.dtype}`;
  // float32 values are written with 9 digits, which read back as float32
  // exactly: compare them at float32.
  const w = want.dtype === 'float32' ? decode(want.dtype, want.data).map((v) => Math.fround(v)) : decode(want.dtype, want.data);
  const g = (want.dtype === 'int64' || want.dtype === 'uint64') ? got.raw : got.data;
  const isFloat = want.dtype.startsWith('float');
  for (let i = 0; i < w.length; ++i) {
    const a = w[i], b = g[i];
    let bad = false, d = 0;
    if (typeof a === 'bigint') {
      bad = BigInt(b) !== a;
    } else if (!isFloat || c.check === 'expect_eq') {
      bad = !(a === Number(b) || (Number.isNaN(a) && Number.isNaN(Number(b))));
    } else if (c.check === 'expect_close') {
      d = ulps(a, Number(b));
      bad = d > (c.max_ulp || 3);
    } else {
      d = Math.abs(a - Number(b));
      bad = !(d <= (c.tolerance || 1e-4)) && !(Number.isNaN(a) && Number.isNaN(Number(b))) && a !== Number(b);
    }
    if (bad) return `element ${i}: got ${b}, want ${a}${d ? ` (${c.check === 'expect_close' ? d + ' ulp' : 'diff ' + d})` : ''}`;
  }
  return null;
}

// Runs DIR/model.tflite on DIR/case.json's inputs. Returns
// {status: 'PASS' | 'WRONG' | 'RUNTIME', detail}.
export async function runCase(dir) {
  const c = JSON.parse(fs.readFileSync(path.join(dir, 'case.json')));
  try {
    const ins = c.inputs.map((t) => ({dtype: t.dtype, shape: t.shape, data: decode(t.dtype, t.data)}));
    const {outputs} = await runModel(path.join(dir, 'model.tflite'), ins);
    if (outputs.length !== c.expected.length) throw new Error(`${outputs.length} outputs, want ${c.expected.length}`);
    for (let k = 0; k < c.expected.length; ++k) {
      const want = c.expected[k];
      const wrong = compare(want.check ? want : c, want, outputs[k]);
      if (wrong) return {status: 'WRONG', detail: (c.expected.length > 1 ? `output ${k}: ` : '') + wrong};
    }
    return {status: 'PASS', detail: ''};
  } catch (e) {
    return {status: 'RUNTIME', detail: e.message.split('\n')[0]};
  }
}
