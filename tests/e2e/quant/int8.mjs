// Full integer quantization of the tinymaix MNIST Keras models, compared
// with TF's own int8 files (*_q.tflite, made with a representative dataset of
// the 100 BMPs in tinymaix_scripts/quant_img_mnist, int8 in and out).
// For each model, in LiteRT.js:
//  - ours: --optimizations=DEFAULT --representative_dataset (the BMPs /255)
//    --supported_ops=TFLITE_BUILTINS_INT8 --inference_{input,output}_type=int8;
//  - top-1 agreement with the float model over the 100 images, ours vs TF's;
//  - file size ratio ours / TF's (target <= 1.02).
// PASS needs: it runs, agreement >= TF's - 3 points (and >= 90%), size ratio <= 1.02.
// Variants (agreement >= 90% only): float I/O with float fallback allowed,
// uint8 I/O, and 16x8 (int16 activations, int16 I/O).
// usage: node tests/e2e/quant/int8.mjs --converter PATH [--analyzer PATH] [--keep DIR]
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {spawnSync} from 'node:child_process';
import {runModel} from '../lib/litert.mjs';
import {Results, parseArgs, tempDir, errorLine} from '../lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const opts = parseArgs(process.argv.slice(2));
if (!opts.converter) {
  console.error('usage: quant/int8.mjs --converter PATH [--analyzer PATH] [--keep DIR]');
  process.exit(2);
}
const analyzer = opts.analyzer || path.join(path.dirname(opts.converter), 'tflite_analyze');
const corpus = process.env.TFLC_CORPUS || path.resolve(here, '../../../../shared/corpus');
const bmpDir = path.join(corpus, 'tinymaix_scripts/quant_img_mnist');
if (!fs.existsSync(bmpDir)) {
  console.log(`SKIP: ${bmpDir} not found (needs the shared corpus)`);
  process.exit(0);
}
const tmp = opts.keep || tempDir();
fs.mkdirSync(tmp, {recursive: true});

// 8-bit palettized BMP (bottom-up rows padded to 4 bytes) -> gray values.
function readBmp8(file) {
  const b = fs.readFileSync(file);
  if (b.toString('latin1', 0, 2) !== 'BM') throw new Error(`${file}: not a BMP`);
  const off = b.readUInt32LE(10), hdr = b.readUInt32LE(14);
  const w = b.readInt32LE(18), h = b.readInt32LE(22), bpp = b.readUInt16LE(28);
  if (bpp !== 8 || w <= 0 || h === 0) throw new Error(`${file}: want an 8-bit BMP`);
  const ah = Math.abs(h), stride = (w + 3) & ~3, pal = 14 + hdr;
  const px = new Float32Array(w * ah);
  for (let y = 0; y < ah; y++) {
    const row = h > 0 ? ah - 1 - y : y;
    for (let x = 0; x < w; x++) px[y * w + x] = b[pal + 4 * b[off + row * stride + x]];  // palette blue = gray
  }
  return {w, h: ah, px};
}

const names = fs.readdirSync(bmpDir).filter((f) => f.endsWith('.bmp'))
    .sort((a, b) => parseInt(a) - parseInt(b));
const images = names.map((f) => readBmp8(path.join(bmpDir, f)));
const {w: W, h: H} = images[0];

// The representative dataset: a folder with one .npy, [N, H, W, 1] float32 in [0, 1].
function writeNpy(file, shape, data) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const h = Buffer.alloc(10);
  h.write('\x93NUMPY', 0, 'latin1');
  h[6] = 1; h[7] = 0;
  h.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([h, Buffer.from(header, 'latin1'), Buffer.from(data.buffer)]));
}
const dataDir = path.join(tmp, 'mnist_dataset');
fs.mkdirSync(dataDir, {recursive: true});
const all = new Float32Array(images.length * W * H);
images.forEach((im, i) => im.px.forEach((v, j) => { all[i * W * H + j] = v / 255; }));
writeNpy(path.join(dataDir, 'input_1.npy'), [images.length, H, W, 1], all);

function run(cmd, args) {
  const r = spawnSync(cmd, args, {encoding: 'utf8', maxBuffer: 64 << 20, timeout: 600e3});
  return {ok: r.status === 0, out: `${r.stdout || ''}${r.stderr || ''}${r.error ? r.error.message : ''}`};
}

// Input/output tensor dtype and (scale, zero point) from tflite_analyze.
function ioParams(file) {
  const r = run(analyzer, ['--no-buffers', file]);
  if (!r.ok) throw new Error(`tflite_analyze ${file}: ${errorLine(r.out)}`);
  return parseIo(r.out);
}

function parseIo(text) {
  const sg = text.match(/Subgraph#0 \S*\((.*?)\) -> \[(.*?)\]/);
  if (!sg) throw new Error('tflite_analyze printed no subgraph line');
  const ids = (s) => s.split(',').map((x) => parseInt(x.replace(/\D/g, ''), 10));
  const tensor = (id) => {
    const line = text.split('\n').find((l) => l.trimStart().startsWith(`T#${id}(`));
    if (!line) throw new Error(`tflite_analyze printed no line for T#${id}`);
    const type = line.match(/type:(\w+)/)[1].toLowerCase();
    const q = line.match(/quant: scale=(\S+) zero_point=(-?\d+)/);
    return {dtype: type, scale: q ? Number(q[1]) : 1, zp: q ? Number(q[2]) : 0};
  };
  return {input: tensor(ids(sg[1])[0]), output: tensor(ids(sg[2])[0])};
}

const argmax = (a) => a.reduce((bi, v, i) => (v > a[bi] ? i : bi), 0);

// Runs a model on every image; returns the top-1 class per image.
async function classify(file) {
  const io = ioParams(file);
  const preds = [];
  for (const im of images) {
    let data = Array.from(im.px, (v) => v / 255);
    if (io.input.dtype !== 'float32') {
      const [lo, hi] = {uint8: [0, 255], int8: [-128, 127], int16: [-32768, 32767]}[io.input.dtype];
      data = data.map((v) => Math.min(hi, Math.max(lo, Math.round(v / io.input.scale) + io.input.zp)));
    }
    const res = await runModel(file, [{dtype: io.input.dtype, shape: [1, H, W, 1], data}]);
    preds.push(argmax(res.outputs[0].data.map(Number)));
  }
  return preds;
}

const VARIANTS = [
  ['float_io', []],
  ['uint8_io', ['--inference_input_type=uint8', '--inference_output_type=uint8']],
  ['16x8', ['--supported_ops=EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8',
            '--inference_input_type=int16', '--inference_output_type=int16']],
];
const results = new Results();
const table = [];
const dirs = fs.readdirSync(corpus).filter((d) => /^tinymaix_mnist_/.test(d)).sort();
for (const dir of dirs) {
  const files = fs.readdirSync(path.join(corpus, dir));
  const h5 = files.find((f) => f.endsWith('.h5'));
  if (!h5) continue;
  const base = h5.slice(0, -3);
  const official = files.includes(`${base}_q.tflite`) ? path.join(corpus, dir, `${base}_q.tflite`) : null;
  const floatOut = path.join(tmp, `${base}_float.tflite`), ours = path.join(tmp, `${base}_int8.tflite`);
  const keras = `--keras_model_file=${path.join(corpus, dir, h5)}`;
  try {
    let r = run(opts.converter, [keras, `--output_file=${floatOut}`]);
    if (!r.ok) { results.add(base, 'FAIL', `float conversion: ${errorLine(r.out)}`); continue; }
    r = run(opts.converter, [keras, `--output_file=${ours}`, '--optimizations=DEFAULT',
                             `--representative_dataset=${dataDir}`, '--supported_ops=TFLITE_BUILTINS_INT8',
                             '--inference_input_type=int8', '--inference_output_type=int8']);
    if (!r.ok) {
      if (/not supported yet: (calibration|reading)/.test(r.out)) {
        results.add(base, 'SKIP', `calibration not available yet (${errorLine(r.out)})`);
      } else {
        results.add(base, 'FAIL', `int8 conversion: ${errorLine(r.out)}`);
      }
      continue;
    }
    const ref = await classify(floatOut);
    const mine = await classify(ours);
    const agree = (p, to = ref) => p.filter((c, i) => c === to[i]).length / to.length * 100;
    const row = {model: base, ours_kb: fs.statSync(ours).size / 1024, ours_agree: agree(mine)};
    if (official) {
      row.tf_kb = fs.statSync(official).size / 1024;
      const theirs = await classify(official);
      row.tf_agree = agree(theirs);
      row.vs_tf = agree(mine, theirs);  // ours vs TF's int8, image by image
      row.size_ratio = fs.statSync(ours).size / fs.statSync(official).size;
    }
    table.push(row);
    for (const [tag, flags] of VARIANTS) {
      const vf = path.join(tmp, `${base}_${tag}.tflite`);
      const vr = run(opts.converter, [keras, `--output_file=${vf}`, '--optimizations=DEFAULT',
                                      `--representative_dataset=${dataDir}`, ...flags]);
      if (!vr.ok) { results.add(`${base} ${tag}`, 'FAIL', `conversion: ${errorLine(vr.out)}`); continue; }
      const a = agree(await classify(vf));
      row[tag] = a;
      results.add(`${base} ${tag}`, a >= 90 ? 'PASS' : 'FAIL', `agreement ${a}%`);
    }
    const problems = [];
    if (row.ours_agree < 90) problems.push(`agreement ${row.ours_agree}% < 90%`);
    if (official && row.ours_agree < row.tf_agree - 3) problems.push(`agreement ${row.ours_agree}% < TF's ${row.tf_agree}% - 3`);
    if (official && row.size_ratio > 1.02) problems.push(`size ratio ${row.size_ratio.toFixed(3)} > 1.02`);
    results.add(base, problems.length ? 'FAIL' : 'PASS', problems.join('; ') ||
                `agreement ${row.ours_agree}%${official ? ` (TF ${row.tf_agree}%), size ${row.size_ratio.toFixed(3)}x` : ''}`);
  } catch (e) {
    results.add(base, 'FAIL', String(e.message || e).split('\n')[0]);
  }
}
// MobileNet v1 0.25 (96 and 128): the dataset is tiger.bmp (nearest-resized,
// plus its mirror image); the check is top-1 on tiger equal to the float
// model's, and the size ratio. TF's file was calibrated on other images.
function readBmp24(file, S, flip) {
  const b = fs.readFileSync(file);
  const off = b.readUInt32LE(10), w = b.readInt32LE(18), h = b.readInt32LE(22), bpp = b.readUInt16LE(28);
  if (b.toString('latin1', 0, 2) !== 'BM' || bpp !== 24 || w <= 0 || h <= 0) throw new Error(`${file}: want a 24-bit BMP`);
  const stride = (w * 3 + 3) & ~3, out = new Float32Array(S * S * 3);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const sx = Math.floor((flip ? S - 1 - x : x) * w / S), row = h - 1 - Math.floor(y * h / S);
      for (let c = 0; c < 3; c++) out[(y * S + x) * 3 + c] = b[off + row * stride + sx * 3 + (2 - c)] / 255;
    }
  }
  return out;
}
for (const dir of fs.readdirSync(corpus).filter((d) => /^tinymaix_mbnet/.test(d)).sort()) {
  const files = fs.readdirSync(path.join(corpus, dir));
  const h5 = files.find((f) => f.endsWith('.h5'));
  if (!h5 || !files.includes('tiger.bmp')) continue;
  const base = h5.slice(0, -3), S = Number(base.match(/mbnet(\d+)/)[1]);
  const tiger = path.join(corpus, dir, 'tiger.bmp');
  try {
    const img = readBmp24(tiger, S, false), both = new Float32Array(2 * S * S * 3);
    both.set(img, 0);
    both.set(readBmp24(tiger, S, true), S * S * 3);
    const dd = path.join(tmp, `${base}_dataset`);
    fs.mkdirSync(dd, {recursive: true});
    writeNpy(path.join(dd, 'input.npy'), [2, S, S, 3], both);
    const keras = `--keras_model_file=${path.join(corpus, dir, h5)}`;
    const floatOut = path.join(tmp, `${base}_float.tflite`), ours = path.join(tmp, `${base}_int8.tflite`);
    let r = run(opts.converter, [keras, `--output_file=${floatOut}`]);
    if (!r.ok) { results.add(base, 'FAIL', `float conversion: ${errorLine(r.out)}`); continue; }
    r = run(opts.converter, [keras, `--output_file=${ours}`, '--optimizations=DEFAULT', `--representative_dataset=${dd}`,
                             '--supported_ops=TFLITE_BUILTINS_INT8', '--inference_input_type=int8',
                             '--inference_output_type=int8']);
    if (!r.ok) { results.add(base, 'FAIL', `int8 conversion: ${errorLine(r.out)}`); continue; }
    const top1 = async (file) => {
      const io = ioParams(file);
      let data = Array.from(img);
      if (io.input.dtype !== 'float32') data = data.map((v) => Math.min(127, Math.max(-128, Math.round(v / io.input.scale) + io.input.zp)));
      return argmax((await runModel(file, [{dtype: io.input.dtype, shape: [1, S, S, 3], data}])).outputs[0].data.map(Number));
    };
    const want = await top1(floatOut), got = await top1(ours);
    const official = path.join(corpus, dir, `${base}_q.tflite`);
    const row = {model: base, ours_kb: fs.statSync(ours).size / 1024, ours_agree: got === want ? 100 : 0};
    if (fs.existsSync(official)) {
      row.tf_kb = fs.statSync(official).size / 1024;
      row.size_ratio = fs.statSync(ours).size / fs.statSync(official).size;
      const theirs = await top1(official);
      row.tf_agree = theirs === want ? 100 : 0;
      row.vs_tf = theirs === got ? 100 : 0;
    }
    table.push(row);
    const problems = [];
    if (got !== want) problems.push(`top-1 on tiger ${got}, float model says ${want}`);
    if (row.size_ratio > 1.02) problems.push(`size ratio ${row.size_ratio.toFixed(3)} > 1.02`);
    results.add(base, problems.length ? 'FAIL' : 'PASS', problems.join('; ') ||
                `top-1 on tiger = float's (${want})${row.size_ratio ? `, size ${row.size_ratio.toFixed(3)}x` : ''}`);
  } catch (e) {
    results.add(base, 'FAIL', String(e.message || e).split('\n')[0]);
  }
}

// Float fallback: y = exp(x @ W) + c, where EXP has no integer kernel here.
// Allowing float keeps EXP float between DEQUANTIZE/QUANTIZE; integer-only
// (TFLITE_BUILTINS_INT8) must fail and name the op.
{
  const W = [0.5, -0.25, 0.1, 0.3, -0.4, 0.2, 0.6, -0.1], c = [1, -2];
  const pb = path.join(tmp, 'fallback.pbtxt');
  const fv = (v) => v.map((x) => `float_val: ${x}`).join(' ');
  fs.writeFileSync(pb, `
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "shape" value { shape { dim { size: 1 } dim { size: 4 } } } } }
node { name: "w" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 4 } dim { size: 2 } } ${fv(W)} } } } }
node { name: "c" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 2 } } ${fv(c)} } } } }
node { name: "m" op: "MatMul" input: "x" input: "w" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "e" op: "Exp" input: "m" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "y" op: "AddV2" input: "e" input: "c" attr { key: "T" value { type: DT_FLOAT } } }
`);
  const n = 64, xs = new Float32Array(n * 4);
  for (let i = 0; i < xs.length; i++) xs[i] = Math.sin(i * 12.9898) * 2;  // deterministic, in [-2, 2]
  const dd = path.join(tmp, 'fallback_dataset');
  fs.mkdirSync(dd, {recursive: true});
  writeNpy(path.join(dd, 'x.npy'), [n, 4], xs);
  const common = ['--enable_v1_converter', `--graph_def_file=${pb}`, '--input_arrays=x', '--output_arrays=y'];
  const fq = path.join(tmp, 'fallback_int8.tflite'), ff = path.join(tmp, 'fallback_float.tflite');
  let r = run(opts.converter, [...common, `--output_file=${ff}`]);
  const r2 = run(opts.converter, [...common, `--output_file=${fq}`, '--optimizations=DEFAULT', `--representative_dataset=${dd}`]);
  if (!r.ok || !r2.ok) {
    results.add('fallback float ops', 'FAIL', errorLine(r.ok ? r2.out : r.out));
  } else {
    const ana = run(analyzer, ['--no-buffers', fq]).out;
    let maxErr = 0, maxRef = 0;
    for (let k = 0; k < 8; k++) {
      const x = Array.from(xs.slice(k * 4, k * 4 + 4));
      const want = (await runModel(ff, [{dtype: 'float32', shape: [1, 4], data: x}])).outputs[0].data;
      const got = (await runModel(fq, [{dtype: 'float32', shape: [1, 4], data: x}])).outputs[0].data;
      want.forEach((v, i) => { maxErr = Math.max(maxErr, Math.abs(v - got[i])); maxRef = Math.max(maxRef, Math.abs(v)); });
    }
    const fcInt8 = /FULLY_CONNECTED v4/.test(ana), expFloat = /EXP v1/.test(ana), deq = /DEQUANTIZE/.test(ana);
    const ok = fcInt8 && expFloat && deq && maxErr <= 0.05 * Math.max(1, maxRef);
    results.add('fallback float ops', ok ? 'PASS' : 'FAIL',
                `FULLY_CONNECTED int8 ${fcInt8}, EXP float ${expFloat}, max|diff| ${maxErr.toExponential(2)} (max|ref| ${maxRef.toFixed(2)})`);
  }
  r = run(opts.converter, [...common, `--output_file=${path.join(tmp, 'fallback_only.tflite')}`, '--optimizations=DEFAULT',
                           `--representative_dataset=${dd}`, '--supported_ops=TFLITE_BUILTINS_INT8']);
  const named = /Quantization not yet supported for op: 'EXP'/.test(r.out);
  results.add('integer-only refuses float ops', !r.ok && named && !fs.existsSync(path.join(tmp, 'fallback_only.tflite')) ? 'PASS' : 'FAIL',
              errorLine(r.out));
}

if (table.length) {
  console.log('\n(MNIST: agreement over 100 images; mbnet: 100% = top-1 on tiger.bmp equals the float model\'s)');
  console.log('model            ours KB  TF KB   ratio  top-1 agreement with float: ours / TF   ours=TF int8  ' +
              VARIANTS.map(([t]) => t).join(' '));
  for (const r of table) {
    console.log(`${r.model.padEnd(16)} ${r.ours_kb.toFixed(1).padStart(7)} ${r.tf_kb ? r.tf_kb.toFixed(1).padStart(6) : '     -'} ` +
                `${r.size_ratio ? r.size_ratio.toFixed(3).padStart(6) : '     -'}  ${r.ours_agree.toFixed(0).padStart(3)}% / ` +
                `${(r.tf_agree !== undefined ? r.tf_agree.toFixed(0) + '%' : '-').padEnd(6)}` +
                `${(r.vs_tf !== undefined ? r.vs_tf.toFixed(0) + '%' : '-').padStart(14)}  ` +
                VARIANTS.map(([t]) => (r[t] !== undefined ? `${r[t].toFixed(0)}%` : '-').padStart(t.length + 1)).join(''));
  }
}
process.exit(results.summary(opts.json));
