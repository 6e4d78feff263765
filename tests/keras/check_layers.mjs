// Converts each case of tests/keras/make_models.py (or another generator
// writing case.json) with tflite_convert, runs it in LiteRT.js and compares
// with the case's numpy reference.
//   node tests/keras/check_layers.mjs --converter build/tflite_convert CASES_DIR
// Prints PASS/FAIL per case and "N passed, N failed"; exits 1 on a failure.
import fs from 'node:fs';
import path from 'node:path';
import {execFileSync} from 'node:child_process';
import {runModel} from '../e2e/lib/litert.mjs';
import {resizedCopy} from '../e2e/lib/resize.mjs';

const args = process.argv.slice(2);
const ci = args.indexOf('--converter');
const converter = ci >= 0 ? args.splice(ci, 2)[1] : 'build/tflite_convert';
const dir = args[0];
let passed = 0, failed = 0;
for (const name of fs.readdirSync(dir).sort()) {
  const d = path.join(dir, name);
  const c = JSON.parse(fs.readFileSync(path.join(d, 'case.json')));
  const out = path.join(d, 'model.tflite');
  try {
    // A GraphDef case (tests/graphdef/make_native_cases.py) names its model and flags.
    // A StableHLO case (tests/stablehlo/make_cases.py) names its .mlir.
    const source = c.format === 'stablehlo' ? [`--stablehlo_file=${path.join(d, c.model)}`]
        : c.convert_args ? [`--graph_def_file=${path.join(d, c.model)}`, ...c.convert_args]
                         : [`--keras_model_file=${path.join(d, 'model.h5')}`];
    // case.expect_error: the conversion must fail, naming this.
    if (c.expect_error) {
      let err = null;
      try {
        execFileSync(converter, [...source, `--output_file=${out}`], {stdio: ['ignore', 'ignore', 'pipe']});
      } catch (e) {
        err = e.stderr.toString();
      }
      if (err === null || !err.includes(c.expect_error) || fs.existsSync(out))
        throw new Error(`expected a refusal naming "${c.expect_error}", got ${err === null ? 'a model' : err.trim()}`);
      console.log(`PASS ${name} (refused: ${c.expect_error})`);
      passed++;
      continue;
    }
    execFileSync(converter, [...source, `--output_file=${out}`], {stdio: ['ignore', 'ignore', 'pipe']});
    // case.inputs for several inputs (make_attention_models.py), else case.input
    const ins = (c.inputs || [c.input]).map((i) => ({dtype: i.dtype || 'float32', shape: i.shape, data: i.data}));
    // case.resize: run at the case's shapes, past the file's static ones
    // (dynamic dims; LiteRT.js cannot resize, see e2e/lib/resize.mjs).
    let run = out;
    if (c.resize) {
      run = path.join(d, 'model.resized.tflite');
      fs.writeFileSync(run, resizedCopy(fs.readFileSync(out), ins.map((i) => i.shape), [c.output.shape]));
    }
    // case.ops: the exact op list of the main subgraph (fusions), from tflite_analyze.
    if (c.ops) {
      const text = execFileSync(path.join(path.dirname(converter), 'tflite_analyze'), [out], {stdio: 'pipe'}).toString();
      const main = text.split(/\nSubgraph#/)[1] || '';
      const got = [...main.split('\nTensors of')[0].matchAll(/^  Op#\d+ (\w+)\(/gm)].map((m) => m[1]);
      if (JSON.stringify(got) !== JSON.stringify(c.ops)) throw new Error(`ops ${got.join(',')} != ${c.ops.join(',')}`);
    }
    const {outputs} = await runModel(run, ins);
    const y = outputs[0];
    if (JSON.stringify(y.shape) !== JSON.stringify(c.output.shape))
      throw new Error(`shape ${JSON.stringify(y.shape)} != ${JSON.stringify(c.output.shape)}`);
    let err = 0, ref = 0;
    c.output.data.forEach((v, i) => { err = Math.max(err, Math.abs(y.data[i] - v)); ref = Math.max(ref, Math.abs(v)); });
    if (!(err <= c.tol * Math.max(1, ref))) throw new Error(`max abs error ${err}`);
    console.log(`PASS ${name} (max err ${err.toExponential(2)}, tol ${c.tol}${c.ops ? `, ops ${c.ops.join(',')}` : ''})`);
    passed++;
  } catch (e) {
    console.log(`FAIL ${name}: ${(e.stderr ? e.stderr.toString() : e.message).trim().split('\n')[0]}`);
    failed++;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
