// Shared by run_cases.mjs and corpus.mjs: run the converter, compare tensors,
// print result lines and the closing count.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {spawnSync} from 'node:child_process';

// Runs `converter` with TensorFlow's v1 tflite_convert flags. Returns
// {ok, status, output (stdout+stderr), outFile}. ok needs exit 0 AND a file.
export function convert(converter, {graphDef, outFile, inputArrays = [], outputArrays,
                                    inputShapes, extraArgs = []}) {
  const args = ['--enable_v1_converter', `--graph_def_file=${graphDef}`, `--output_file=${outFile}`];
  if (inputArrays.length) args.push(`--input_arrays=${inputArrays.join(',')}`);
  args.push(`--output_arrays=${outputArrays.join(',')}`);
  if (inputShapes) args.push(`--input_shapes=${inputShapes}`);
  args.push(...extraArgs);
  const r = spawnSync(converter, args, {encoding: 'utf8', timeout: 300e3, maxBuffer: 64 << 20});
  const output = `${r.stdout || ''}${r.stderr || ''}${r.error ? r.error.message : ''}`;
  const status = r.status ?? (r.signal ? `signal ${r.signal}` : 'none');
  return {ok: r.status === 0 && fs.existsSync(outFile), status, output, outFile,
          command: [converter, ...args].join(' ')};
}

// One line of the converter's output for reports: its first 'error' line,
// else its last line; a long one keeps its start and its (specific) end.
export function errorLine(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => /error/i.test(l)) || lines.pop() || '(no output)';
  return line.length > 240 ? `${line.slice(0, 80)} ... ${line.slice(-150)}` : line;
}

export const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tflite-e2e-'));

// Floats: max|got-want| <= tol * max(1, max|want|). Ints and bools: exact.
// Dtype is checked only when `want.dtype` is given.
export function compareTensor(got, want, tol = 1e-4) {
  const label = want.name || got.name || '?';
  if (want.dtype && got.dtype !== want.dtype) {
    return {ok: false, maxDiff: Infinity, reason: `${label}: dtype ${got.dtype}, want ${want.dtype}`};
  }
  if (JSON.stringify(got.shape) !== JSON.stringify(want.shape)) {
    return {ok: false, maxDiff: Infinity,
            reason: `${label}: shape [${got.shape}], want [${want.shape}]`};
  }
  const isFloat = /^float/.test(want.dtype || got.dtype);
  let maxDiff = 0, maxRef = 0, worst = 0;
  for (let i = 0; i < want.data.length; i++) {
    const g = Number(got.data[i]), w = Number(want.data[i]);
    const d = Number.isNaN(g) || Number.isNaN(w) ? (Number.isNaN(g) && Number.isNaN(w) ? 0 : Infinity)
                                                 : Math.abs(g - w);
    if (d > maxDiff) { maxDiff = d; worst = i; }
    if (Number.isFinite(w)) maxRef = Math.max(maxRef, Math.abs(w));
  }
  const allowed = isFloat ? tol * Math.max(1, maxRef) : 0;
  if (maxDiff <= allowed) return {ok: true, maxDiff};
  return {ok: false, maxDiff, reason: `${label}: max|diff| ${maxDiff.toExponential(2)} > ` +
          `${allowed.toExponential(2)} at [${worst}] (got ${got.data[worst]}, want ${want.data[worst]})`};
}

// Matches model outputs to expected ones: by name when every expected name
// (ignoring ':0') is among the model's, else by position (TF's converter keeps
// the order of --output_arrays).
export function compareOutputs(got, want, tol) {
  if (got.length !== want.length) {
    return {ok: false, maxDiff: Infinity, reason: `model has ${got.length} outputs ` +
            `[${got.map((o) => o.name)}], want ${want.length}`};
  }
  const base = (n) => String(n || '').replace(/:0$/, '');
  const byName = new Map(got.map((o) => [base(o.name), o]));
  const useNames = want.every((w) => byName.has(base(w.name)));
  let maxDiff = 0;
  for (let k = 0; k < want.length; k++) {
    const r = compareTensor(useNames ? byName.get(base(want[k].name)) : got[k], want[k], tol);
    if (!r.ok) return r;
    maxDiff = Math.max(maxDiff, r.maxDiff);
  }
  return {ok: true, maxDiff};
}

// Collects PASS/FAIL/SKIP lines; summary() prints 'N passed, N failed[, N skipped]'.
export class Results {
  constructor() { this.items = []; }
  add(name, status, detail = '', extra = {}) {
    this.items.push({name, status, detail, ...extra});
    console.log(`${status} ${name}${detail ? (status === 'PASS' ? '  ' : ': ') + detail : ''}`);
  }
  count(s) { return this.items.filter((i) => i.status === s).length; }
  summary(jsonFile) {
    const [p, f, s] = ['PASS', 'FAIL', 'SKIP'].map((x) => this.count(x));
    if (jsonFile) {
      fs.writeFileSync(jsonFile, JSON.stringify({passed: p, failed: f, skipped: s,
                                                 cases: this.items}, null, 1) + '\n');
    }
    console.log(`${p} passed, ${f} failed${s ? `, ${s} skipped` : ''}`);
    return f ? 1 : 0;
  }
}

// Tiny flag parser: --name value / --flag; the rest are positionals.
export function parseArgs(argv, flags = []) {
  const opts = {_: []};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) { opts._.push(a); continue; }
    const [k, v] = a.slice(2).split(/=(.*)/s);
    opts[k] = v !== undefined ? v : flags.includes(k) ? true : argv[++i];
  }
  return opts;
}
