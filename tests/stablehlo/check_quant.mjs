// Quantization of StableHLO-sourced models (issue #15, item 4): the quant_mlp and
// quant_cnn cases of make_cases.py through each mode, run in LiteRT.js and
// compared with the float model's output there:
//   float16   --optimizations=DEFAULT --supported_types=float16        tol 1e-2
//   dynamic   --optimizations=DEFAULT                                  tol 5e-2
//   int8      --optimizations=DEFAULT --representative_dataset=DIR     tol 5e-2
// (relative to max(1, max|float|)). Each mode must also show in the file:
// FLOAT16 weights, INT8 weights, and INT8 activations (a non-constant INT8 tensor).
// The int8 dataset is 8 samples: the case input and 7 seeded N(0,1) ones.
//   node tests/stablehlo/check_quant.mjs --converter build/tflite_convert CASES_DIR
import fs from 'node:fs';
import path from 'node:path';
import {spawnSync} from 'node:child_process';
import {runModel} from '../e2e/lib/litert.mjs';
import {compareOutputs, errorLine, Results, parseArgs, tempDir} from '../e2e/lib/harness.mjs';

const opts = parseArgs(process.argv.slice(2));
const dir = opts._[0];
if (!opts.converter || !dir) {
  console.error('usage: node tests/stablehlo/check_quant.mjs --converter PATH CASES_DIR');
  process.exit(2);
}
const analyzer = path.join(path.dirname(opts.converter), 'tflite_analyze');
const MODES = [
  ['float16', ['--optimizations=DEFAULT', '--supported_types=float16'], 1e-2, /type:FLOAT16 RO/],
  ['dynamic', ['--optimizations=DEFAULT'], 5e-2, /type:INT8 RO/],
  ['int8', ['--optimizations=DEFAULT'], 5e-2, /type:INT8(?! RO)/],
];

// .npy (format 1.0), float32, samples along axis 0.
function writeNpy(file, shape, data) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(Float32Array.from(data).buffer)]));
}

// A seeded N(0,1) stream (xorshift32 + Box-Muller).
let seed = 15;
function normal() {
  const u = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return (seed + 0.5) / 4294967296; };
  return Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

const results = new Results();
const work = tempDir();
for (const name of ['quant_mlp', 'quant_cnn']) {
  const d = path.join(dir, name);
  const c = JSON.parse(fs.readFileSync(path.join(d, 'case.json'), 'utf8'));
  const src = `--stablehlo_file=${path.join(d, c.model)}`;
  const x = c.inputs[0];
  const floatFile = path.join(work, `${name}.tflite`);
  let r = spawnSync(opts.converter, [src, `--output_file=${floatFile}`], {encoding: 'utf8'});
  if (r.status !== 0) {
    results.add(`${name} [float]`, 'FAIL', errorLine(r.stderr));
    continue;
  }
  const ins = [{dtype: 'float32', shape: x.shape, data: x.data}];
  const ref = (await runModel(floatFile, ins)).outputs;
  const data = path.join(work, `${name}_data`);
  fs.mkdirSync(data);
  const samples = [...x.data];
  for (let k = 1; k < 8; k++) for (let i = 0; i < x.data.length; i++) samples.push(normal());
  writeNpy(path.join(data, 'arr_000.npy'), [8, ...x.shape], samples);
  for (const [mode, flags, tol, marker] of MODES) {
    const id = `${name} [${mode}]`;
    const out = path.join(work, `${name}_${mode}.tflite`);
    const extra = mode === 'int8' ? [`--representative_dataset=${data}`] : [];
    r = spawnSync(opts.converter, [src, `--output_file=${out}`, ...flags, ...extra], {encoding: 'utf8'});
    if (r.status !== 0 || !fs.existsSync(out)) {
      results.add(id, 'FAIL', `converter exit ${r.status}: ${errorLine(`${r.stdout}${r.stderr}`)}`);
      continue;
    }
    const text = spawnSync(analyzer, [out], {encoding: 'utf8', maxBuffer: 64 << 20}).stdout;
    if (!marker.test(text)) {
      results.add(id, 'FAIL', `the file shows no ${mode} quantization (${marker})`);
      continue;
    }
    try {
      const {outputs} = await runModel(out, ins);
      const cmp = compareOutputs(outputs, ref, tol);
      results.add(id, cmp.ok ? 'PASS' : 'FAIL', cmp.ok ? `max|diff| ${cmp.maxDiff.toExponential(2)} (tol ${tol})` : cmp.reason);
    } catch (e) {
      results.add(id, 'FAIL', e.message.split('\n')[0]);
    }
  }
}
fs.rmSync(work, {recursive: true, force: true});
process.exit(results.summary());
