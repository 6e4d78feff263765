// The benchmark's Keras models (bench/make_keras_h5.py: MobileNetV2 1.0 224 and
// ResNet50 with random weights) convert and run in LiteRT.js: one [1, 1000]
// output, finite, non-negative, summing to 1 within 1e-4 (a softmax), and equal
// to TensorFlow.js (tfjs-layers 4.22.0 on the same H5, via lib/h5_to_tfjs.py)
// within 1e-4 * max(1, max|ref|).
// usage: node keras_bench_models.mjs --converter PATH
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {spawnSync} from 'node:child_process';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import {runModel} from './lib/litert.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const converter = path.resolve(args[args.indexOf('--converter') + 1]);
const require = createRequire(path.join(here, 'package.json'));
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfl = require('@tensorflow/tfjs-layers');
await tf.setBackend('cpu');

async function tfjsPredict(h5, dir, data) {
  const py = spawnSync('/usr/bin/python3', [path.join(here, 'lib/h5_to_tfjs.py'), h5, dir], {encoding: 'utf8'});
  if (py.status !== 0) throw new Error(`h5_to_tfjs.py: ${py.stderr.trim()}`);
  const mj = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const wb = fs.readFileSync(path.join(dir, 'weights.bin'));
  const model = await tfl.loadLayersModel(tf.io.fromMemory({
    modelTopology: mj.modelTopology, weightSpecs: mj.weightsManifest[0].weights,
    weightData: wb.buffer.slice(wb.byteOffset, wb.byteOffset + wb.byteLength)}));
  return Array.from(model.predict(tf.tensor(data, [1, 224, 224, 3])).dataSync());
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-bench-'));
let failed = 0;
for (const arch of ['mobilenet_v2', 'resnet50']) {
  const h5 = path.join(tmp, arch + '.h5'), out = path.join(tmp, arch + '.tflite');
  const gen = spawnSync('/usr/bin/python3', [path.join(here, '../../bench/make_keras_h5.py'), arch, h5], {encoding: 'utf8'});
  if (gen.status !== 0) {
    console.log(`FAIL ${arch}: make_keras_h5.py: ${gen.stderr.trim()}`);
    failed++;
    continue;
  }
  const t0 = Date.now();
  const conv = spawnSync(converter, [`--keras_model_file=${h5}`, `--output_file=${out}`], {encoding: 'utf8'});
  if (conv.status !== 0) {
    console.log(`FAIL ${arch}: converter: ${conv.stderr.trim().split('\n')[0]}`);
    failed++;
    continue;
  }
  const ms = Date.now() - t0;
  const n = 224 * 224 * 3;
  const data = Array.from({length: n}, (_, k) => (Math.sin(k * 0.37) + 1) / 2);
  try {
    const {outputs} = await runModel(out, [{dtype: 'float32', shape: [1, 224, 224, 3], data}]);
    const o = outputs[0];
    const sum = o.data.reduce((a, b) => a + b, 0);
    const ref = await tfjsPredict(h5, path.join(tmp, arch + '.tfjs'), data);
    let diff = 0, mx = 0;
    ref.forEach((r, k) => {
      diff = Math.max(diff, Math.abs(r - o.data[k]));
      mx = Math.max(mx, Math.abs(r));
    });
    const ok = outputs.length === 1 && JSON.stringify(o.shape) === '[1,1000]' && ref.length === 1000 &&
        o.data.every((v) => Number.isFinite(v) && v >= 0) && Math.abs(sum - 1) <= 1e-4 &&
        diff <= 1e-4 * Math.max(1, mx);
    console.log(`${ok ? 'PASS' : 'FAIL'} ${arch}: ${gen.stdout.trim().split(': ')[1]}; converted in ${ms} ms; ` +
                `output [${o.shape}] sums to ${sum.toFixed(6)}, max ${Math.max(...o.data).toFixed(4)}; ` +
                `max|diff| vs TF.js ${diff.toExponential(2)}`);
    if (!ok) failed++;
  } catch (e) {
    console.log(`FAIL ${arch}: LiteRT.js: ${e.message}`);
    failed++;
  }
}
fs.rmSync(tmp, {recursive: true, force: true});
console.log(failed ? `${failed} failed` : 'all passed');
process.exit(failed ? 1 : 0);
