// --target_runtime end to end: every generated op case is converted for
// several older TFLite runtimes. Each conversion either
//   - succeeds: the file's min_runtime_version (the writer's reading of the
//     records' runtime tables) is at most the target, and LiteRT.js runs it
//     with the case's reference outputs (re-lowered ops must stay exact); or
//   - is refused in one line naming the op, its version and the target's cap.
// LiteRT.js is today's runtime: it checks the capped files compute the same
// results, not that an old runtime loads them (the tables say that).
// usage: node target_runtime.mjs --converter PATH --analyzer PATH CASES_DIR
//                                [--targets 2.2,2.8,2.12] [--filter substr]
import fs from 'node:fs';
import path from 'node:path';
import {spawnSync} from 'node:child_process';
import {runModel} from './lib/litert.mjs';
import {convert, errorLine, tempDir, compareOutputs, Results, parseArgs} from './lib/harness.mjs';

const opts = parseArgs(process.argv.slice(2));
const casesDir = opts._[0];
if (!opts.converter || !opts.analyzer || !casesDir) {
  console.error('usage: node target_runtime.mjs --converter PATH --analyzer PATH CASES_DIR ' +
                '[--targets 2.2,2.8,2.12] [--filter substr]');
  process.exit(2);
}
const converter = path.resolve(opts.converter);
const targets = (opts.targets || '2.2,2.8,2.12').split(',');
// Re-lowerings the cases must show (case, target, ops the capped file has).
const MUST_RELOWER = [
  ['conv2d_transpose', '2.2', ['TRANSPOSE_CONV v1', 'ADD v1', 'RELU v1']],
  ['conv2d_grouped', '2.8', ['SPLIT v1', 'CONV_2D v1', 'CONCATENATION v1']],
  ['transpose_rank5_rank6', '2.2', ['RESHAPE v1', 'TRANSPOSE v1']],
  ['matmul_transpose', '2.2', ['FULLY_CONNECTED v1', 'TRANSPOSE v1']],
  ['batch_matmul_v1', '2.2', ['UNPACK v1', 'FULLY_CONNECTED v1', 'PACK v1']],
];

const less = (a, b) => {
  const pa = a.split('.').map(Number), pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] || 0) !== (pb[i] || 0)) return (pa[i] || 0) < (pb[i] || 0);
  return false;
};
function analyze(file) {
  const r = spawnSync(opts.analyzer, ['--no-buffers', file], {encoding: 'utf8', maxBuffer: 64 << 20});
  const runtime = (r.stdout.match(/Minimum runtime version: '([\d.]+)'/) || [])[1];
  const codes = [...r.stdout.matchAll(/^ {2}OpCode#\d+ (\S+ v\d+)/gm)].map((m) => m[1]);
  return {runtime, codes};
}

const names = fs.readdirSync(casesDir)
    .filter((d) => fs.existsSync(path.join(casesDir, d, 'case.json')))
    .filter((d) => !opts.filter || d.includes(opts.filter)).sort();
const results = new Results();
const work = tempDir();
const refusal = /^tflite_convert: error: op \S+ (\('.*'\) )?needs version \d+ \(TFLite [\d.]+\); --target_runtime=[\d.]+ has (at most version \d+ of|no) \S+ and no exact older lowering applies( \(and \d+ more ops? over the target\))?$/;
let converted = 0, refused = 0, relowered = 0;
for (const name of names) {
  const dir = path.join(casesDir, name);
  const c = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8'));
  if (c.skip) continue;
  const base = {graphDef: path.join(dir, 'model.pb'), inputArrays: c.input_arrays,
                outputArrays: c.output_arrays, inputShapes: c.input_shapes};
  const plain = convert(converter, {...base, outFile: path.join(work, `${name}.tflite`)});
  if (!plain.ok) {
    results.add(name, 'FAIL', `uncapped conversion failed: ${errorLine(plain.output)}`);
    continue;
  }
  const plainCodes = analyze(plain.outFile).codes.join(' ');
  for (const t of targets) {
    const label = `${name} @${t}`;
    const conv = convert(converter, {...base, outFile: path.join(work, `${name}_${t}.tflite`),
                                     extraArgs: [`--target_runtime=${t}`]});
    const must = MUST_RELOWER.find(([n, tt]) => n === name && tt === t);
    if (!conv.ok) {
      const lines = conv.output.split('\n').filter(Boolean);
      if (conv.status === 1 && lines.length === 1 && refusal.test(lines[0]) && !fs.existsSync(conv.outFile) && !must) {
        refused++;
        results.add(label, 'PASS', `refused: ${lines[0].replace('tflite_convert: error: ', '')}`);
      } else {
        results.add(label, 'FAIL', `exit ${conv.status}: ${errorLine(conv.output)}`);
      }
      continue;
    }
    const {runtime, codes} = analyze(conv.outFile);
    if (!runtime || less(t, runtime)) {
      results.add(label, 'FAIL', `min_runtime_version ${runtime} is over the target`);
      continue;
    }
    const changed = codes.join(' ') !== plainCodes;
    if (must && !must[2].every((op) => codes.includes(op))) {
      results.add(label, 'FAIL', `expected ${must[2].join(', ')}; got ${codes.join(', ')}`);
      continue;
    }
    try {
      const {outputs} = await runModel(conv.outFile, c.inputs);
      const r = compareOutputs(outputs, c.outputs, c.tol ?? 1e-4);
      converted++;
      if (changed) relowered++;
      results.add(label, r.ok ? 'PASS' : 'FAIL',
                  r.ok ? `runtime ${runtime}${changed ? `, re-lowered: ${codes.join(' ')}` : ''}, ` +
                         `max|diff| ${r.maxDiff.toExponential(2)}` : r.reason);
    } catch (e) {
      results.add(label, 'FAIL', e.message.split('\n')[0]);
    }
  }
}
fs.rmSync(work, {recursive: true, force: true});
console.log(`${converted} capped files ran (${relowered} re-lowered), ${refused} refused by name`);
if (!opts.filter && relowered < MUST_RELOWER.length) {
  results.add('re-lowerings exercised', 'FAIL', `${relowered} < ${MUST_RELOWER.length}`);
}
process.exit(results.summary(opts.json));
