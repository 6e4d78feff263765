// Runs the generated op cases end to end: convert each case's model.pb with
// the converter, run the .tflite in LiteRT.js, compare with the reference.
// usage: node run_cases.mjs --converter PATH CASES_DIR [--filter substr]
//                           [--json RESULT.json] [--keep]
// (CASES_DIR comes from: node gen/make_graphs.cjs CASES_DIR; --keep leaves
// the .tflite files in the temp dir and prints it.)
import fs from 'node:fs';
import path from 'node:path';
import {runModel} from './lib/litert.mjs';
import {convert, errorLine, tempDir, compareOutputs, Results, parseArgs} from './lib/harness.mjs';

const opts = parseArgs(process.argv.slice(2), ['keep']);
const casesDir = opts._[0];
if (!opts.converter || !casesDir) {
  console.error('usage: node run_cases.mjs --converter PATH CASES_DIR [--filter substr] ' +
                '[--json RESULT.json] [--keep]');
  process.exit(2);
}
const converter = path.resolve(opts.converter);
if (!fs.existsSync(converter)) {
  console.error(`converter not found: ${converter}`);
  process.exit(2);
}
const names = fs.readdirSync(casesDir)
    .filter((d) => fs.existsSync(path.join(casesDir, d, 'case.json')))
    .filter((d) => !opts.filter || d.includes(opts.filter))
    .sort();
if (!names.length) {
  console.error(`no cases in ${casesDir}${opts.filter ? ` matching '${opts.filter}'` : ''}`);
  process.exit(2);
}

const results = new Results();
const work = tempDir();
for (const name of names) {
  const dir = path.join(casesDir, name);
  const c = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8'));
  if (c.skip) {
    results.add(name, 'SKIP', c.skip);
    continue;
  }
  const conv = convert(converter, {graphDef: path.join(dir, 'model.pb'),
    outFile: path.join(work, `${name}.tflite`), inputArrays: c.input_arrays,
    outputArrays: c.output_arrays, inputShapes: c.input_shapes});
  if (!conv.ok) {
    results.add(name, 'FAIL', `converter exit ${conv.status}: ${errorLine(conv.output)}`);
    continue;
  }
  try {
    const {outputs} = await runModel(conv.outFile, c.inputs);
    const r = compareOutputs(outputs, c.outputs, c.tol ?? 1e-4);
    results.add(name, r.ok ? 'PASS' : 'FAIL',
                r.ok ? `max|diff| ${r.maxDiff.toExponential(2)}` : r.reason, {maxDiff: r.maxDiff});
  } catch (e) {
    results.add(name, 'FAIL', e.message.split('\n')[0]);
  }
}
if (opts.keep) console.log(`converted models kept in ${work}`);
else fs.rmSync(work, {recursive: true, force: true});
process.exit(results.summary(opts.json));
