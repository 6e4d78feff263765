// Every generated GraphDef case (gen/make_graphs.cjs) through each
// quantization mode, run in LiteRT.js and compared with the case's
// TensorFlow.js reference:
//   float16   --optimizations=DEFAULT --supported_types=float16   tol 1e-2
//   dynamic   --optimizations=DEFAULT                             tol 5e-2
//   int8      --optimizations=DEFAULT --representative_dataset    tol 5e-2
// (tolerances relative to max(1, max|ref|); integer and bool outputs must be
// exact). The int8 dataset is the case's own input (one sample, .npy files),
// so ranges are tight; ops without an integer kernel stay float.
// usage: node quant/generated.mjs --converter PATH CASES_DIR [--filter S] [--mode M]
import fs from 'node:fs';
import path from 'node:path';
import {runModel} from '../lib/litert.mjs';
import {convert, errorLine, tempDir, compareOutputs, Results, parseArgs} from '../lib/harness.mjs';
import {spawnSync} from 'node:child_process';

const opts = parseArgs(process.argv.slice(2));
const casesDir = opts._[0];
if (!opts.converter || !casesDir) {
  console.error('usage: node quant/generated.mjs --converter PATH CASES_DIR [--filter S] [--mode M]');
  process.exit(2);
}
const MODES = [
  ['float16', ['--optimizations=DEFAULT', '--supported_types=float16'], 1e-2],
  ['dynamic', ['--optimizations=DEFAULT'], 5e-2],
  ['int8', ['--optimizations=DEFAULT'], 5e-2],
].filter(([m]) => !opts.mode || m === opts.mode);

// A minimal .npy writer (format 1.0), one sample along axis 0.
const NPY = {float32: ['<f4', Float32Array], int32: ['<i4', Int32Array], int64: ['<i8', BigInt64Array],
             bool: ['|b1', Uint8Array], float64: ['<f8', Float64Array]};
function writeNpy(file, x) {
  const [descr, C] = NPY[x.dtype];
  const shape = [1, ...x.shape];
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1; pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  const data = x.dtype === 'int64' ? C.from(x.data, (v) => BigInt(v)) : C.from(x.data, Number);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(data.buffer)]));
}

const names = fs.readdirSync(casesDir).filter((d) => fs.existsSync(path.join(casesDir, d, 'case.json')))
    .filter((d) => !opts.filter || d.includes(opts.filter)).sort();
const results = new Results();
const work = tempDir();
const counts = {};
for (const name of names) {
  const dir = path.join(casesDir, name);
  const c = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8'));
  if (c.skip) continue;
  const data = path.join(work, `${name}_data`);
  fs.mkdirSync(data, {recursive: true});
  if (!c.inputs.every((x) => NPY[x.dtype])) continue;
  c.inputs.forEach((x, i) => writeNpy(path.join(data, `arr_${String(i).padStart(3, '0')}.npy`), x));
  for (const [mode, flags, tol] of MODES) {
    const id = `${name} [${mode}]`;
    const out = path.join(work, `${name}_${mode}.tflite`);
    const extra = mode === 'int8' ? [...flags, `--representative_dataset=${data}`] : flags;
    const args = ['--enable_v1_converter', `--graph_def_file=${path.join(dir, 'model.pb')}`, `--output_file=${out}`,
                  `--output_arrays=${c.output_arrays.join(',')}`, ...extra];
    if (c.input_arrays.length) args.push(`--input_arrays=${c.input_arrays.join(',')}`);
    if (c.input_shapes) args.push(`--input_shapes=${c.input_shapes}`);
    const r = spawnSync(opts.converter, args, {encoding: 'utf8'});
    if (r.status !== 0 || !fs.existsSync(out)) {
      results.add(id, 'FAIL', `converter exit ${r.status}: ${errorLine(`${r.stdout}${r.stderr}`)}`);
      continue;
    }
    try {
      const {outputs} = await runModel(out, c.inputs);
      const cmp = compareOutputs(outputs, c.outputs, Math.max(tol, c.tol ?? 0));
      results.add(id, cmp.ok ? 'PASS' : 'FAIL', cmp.ok ? `max|diff| ${cmp.maxDiff.toExponential(2)}` : cmp.reason);
      counts[mode] = (counts[mode] || 0) + 1;
    } catch (e) {
      results.add(id, 'FAIL', e.message.split('\n')[0]);
    }
  }
}
fs.rmSync(work, {recursive: true, force: true});
console.log(`cases per mode: ${JSON.stringify(counts)}`);
process.exit(results.summary(opts.json));
