// Converts tests/custom_ops/make_detection.py's GraphDef with --allow_custom_ops
// (TFLite_Detection_PostProcess becomes a custom op, LiteRT ships its kernel),
// runs it in LiteRT.js and compares the four outputs with the NumPy reference
// of LiteRT's kernel. Rows past num_detections are not compared: the kernel
// leaves them unspecified. Tolerance 1e-5 absolute (float32 decoding vs float64).
//   node tests/custom_ops/detection.mjs --converter build/tflite_convert CASE_DIR
import fs from 'node:fs';
import path from 'node:path';
import {execFileSync} from 'node:child_process';
import {runModel} from '../e2e/lib/litert.mjs';

const args = process.argv.slice(2);
const ci = args.indexOf('--converter');
const converter = ci >= 0 ? args.splice(ci, 2)[1] : 'build/tflite_convert';
const dir = args[0];
const c = JSON.parse(fs.readFileSync(path.join(dir, 'case.json')));
const out = path.join(dir, 'model.tflite');
const outputs = ['TFLite_Detection_PostProcess', 'TFLite_Detection_PostProcess:1', 'TFLite_Detection_PostProcess:2',
                 'TFLite_Detection_PostProcess:3'];
execFileSync(converter, ['--enable_v1_converter', `--graph_def_file=${path.join(dir, 'model.pbtxt')}`,
                         '--input_arrays=raw_outputs/box_encodings,raw_outputs/class_predictions',
                         `--output_arrays=${outputs.join(',')}`, '--allow_custom_ops', `--output_file=${out}`],
             {stdio: ['ignore', 'ignore', 'inherit']});
const ins = c.inputs.map((i) => ({dtype: 'float32', shape: i.shape, data: i.data}));
const got = (await runModel(out, ins)).outputs;
let failed = 0;
const k = c.num_detections;
const rowLen = [4, 1, 1, 1];
c.outputs.forEach((want, o) => {
  const y = got[o];
  if (JSON.stringify(y.shape) !== JSON.stringify(want.shape)) {
    console.log(`FAIL output ${o}: shape ${JSON.stringify(y.shape)} != ${JSON.stringify(want.shape)}`);
    failed++;
    return;
  }
  const n = o === 3 ? 1 : k * rowLen[o];
  let err = 0;
  for (let i = 0; i < n; ++i) err = Math.max(err, Math.abs(y.data[i] - want.data[i]));
  if (err <= 1e-5) console.log(`PASS output ${o} (${outputs[o]}): max err ${err.toExponential(2)}`);
  else { console.log(`FAIL output ${o}: max err ${err}`); failed++; }
});
console.log(`detection_postprocess: ${4 - failed} passed, ${failed} failed (${k} detections compared)`);
process.exit(failed ? 1 : 0);
