// TF functional control flow (StatelessIf, StatelessWhile with a nested
// StatelessIf, an If on a constant, a StatelessCase) from GraphDefs with a function library,
// and TF1 control flow (Switch/Merge cond, Enter/Exit while loop),
// converted and run in LiteRT.js, against values computed here. The
// arithmetic is exact in float32 (doubling and adding 1), so the tolerance
// is 0. Bad libraries must fail with one clear line.
//   node control_flow_functional.mjs --converter build/tflite_convert --analyzer build/tflite_analyze
import path from 'node:path';
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {runModel} from './lib/litert.mjs';
import {Results, compareOutputs, convert, errorLine, parseArgs, tempDir} from './lib/harness.mjs';

const opts = parseArgs(process.argv.slice(2));
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../control_flow');
const tmp = tempDir();
const results = new Results();

const cases = [
  {file: 'functional_if.pbtxt', inputs: ['x', 'p'], outputs: ['y'], hasOps: ['IF'],
   feeds: [[[1, -2], true], [[1, -2], false], [[0.5, 3], true], [[0, 0], false]].map(([x, p]) => ({
     inputs: [{name: 'x', dtype: 'float32', shape: [2], data: x}, {name: 'p', dtype: 'bool', shape: [], data: [p]}],
     want: [{dtype: 'float32', shape: [2], data: x.map((v) => (p ? v * 2 : v - 1))}]}))},
  {file: 'functional_while.pbtxt', inputs: ['x', 'n'], outputs: ['i', 'acc'], hasOps: ['WHILE', 'IF'],
   feeds: [[[1, -2], 0], [[1, -2], 1], [[0.5, 3], 3], [[-1, 0.25], 6]].map(([x, n]) => {
     let i = 0, acc = x.slice();
     while (i < n) { acc = acc.map((v) => v * 2 + (i < 1 ? 1 : 0)); i += 1; }
     return {inputs: [{name: 'x', dtype: 'float32', shape: [2], data: x}, {name: 'n', dtype: 'int32', shape: [], data: [n]}],
             want: [{dtype: 'int32', shape: [], data: [i]}, {dtype: 'float32', shape: [2], data: acc}]};
   })},
  // StatelessCase as nested IFs; an index out of range takes the last branch.
  {file: 'functional_case.pbtxt', inputs: ['x', 'i'], outputs: ['y'], hasOps: ['IF'],
   feeds: [[[1, -2], 0], [[1, -2], 1], [[0.5, 3], 2], [[0.5, 3], 7], [[-1.5, 2], -1]].map(([x, i]) => ({
     inputs: [{name: 'x', dtype: 'float32', shape: [2], data: x}, {name: 'i', dtype: 'int32', shape: [], data: [i]}],
     want: [{dtype: 'float32', shape: [2], data: x.map((v) => (i === 0 ? v * 2 : i === 1 ? v - 1 : v * v))}]}))},
  {file: 'const_case.pbtxt', inputs: ['x'], outputs: ['y'], noOps: ['IF'],
   feeds: [[1, -2], [0.5, 3]].map((x) => ({inputs: [{name: 'x', dtype: 'float32', shape: [2], data: x}],
     want: [{dtype: 'float32', shape: [2], data: x.map((v) => v * v)}]}))},
  // TF1 control flow, functionalized into the same IF / WHILE.
  {file: 'tf1_cond.pbtxt', inputs: ['x', 'p'], outputs: ['cond/Merge'], hasOps: ['IF'],
   feeds: [[[1, -2], true], [[3, 0.5], false]].map(([x, p]) => ({
     inputs: [{name: 'x', dtype: 'float32', shape: [2], data: x}, {name: 'p', dtype: 'bool', shape: [], data: [p]}],
     want: [{dtype: 'float32', shape: [2], data: x.map((v) => (p ? v * 2 : v - 1))}]}))},
  {file: 'tf1_while.pbtxt', inputs: ['x', 'n'], outputs: ['while/Exit', 'while/Exit_1'], hasOps: ['WHILE'],
   feeds: [[[1, -2], 0], [[0.5, 3], 4]].map(([x, n]) => {
     let i = 0, acc = x.slice();
     while (i < n) { acc = acc.map((v) => v * 2); i += 1; }
     return {inputs: [{name: 'x', dtype: 'float32', shape: [2], data: x}, {name: 'n', dtype: 'int32', shape: [], data: [n]}],
             want: [{dtype: 'int32', shape: [], data: [i]}, {dtype: 'float32', shape: [2], data: acc}]};
   })},
  // TensorList loop values (Reserve, FromTensor, GetItem, SetItem, Stack, Length) carried as tensors.
  {file: 'tensor_list_while.pbtxt', inputs: ['x'], outputs: ['y', 'len'], hasOps: ['WHILE'],
   noOps: ['CUSTOM'],
   feeds: [[1, -2, 0.5, 3, -1, 0.25, 4, 8], [0, 0, 1, 1, 2, 2, 3, 3]].map((x) => ({
     inputs: [{name: 'x', dtype: 'float32', shape: [4, 2], data: x}],
     want: [{dtype: 'float32', shape: [4, 2], data: x.map((v, k) => v * (Math.floor(k / 2) + 1))},
            {dtype: 'int32', shape: [], data: [4]}]}))},
  {file: 'const_if.pbtxt', inputs: ['x'], outputs: ['y'], noOps: ['IF'],
   feeds: [[1, -2], [0.5, 3]].map((x) => ({inputs: [{name: 'x', dtype: 'float32', shape: [2], data: x}],
     want: [{dtype: 'float32', shape: [2], data: x.map((v) => v - 1)}]}))},
];

const failures = [
  {file: 'bad_while_body.pbtxt', inputs: ['x'], outputs: ['loop:1'], want: "While body 'short_body' returns 1 values for 2 loop values"},
  {file: 'missing_branch.pbtxt', inputs: ['x', 'p'], outputs: ['y'], want: "calls function 'gone', which is not in its function library"},
  {file: 'cyclic_library.pbtxt', inputs: ['x', 'p'], outputs: ['y'], want: 'the function library is cyclic: again -> again'},
];
for (const f of failures) {
  const conv = convert(opts.converter, {graphDef: path.join(dir, f.file), outFile: path.join(tmp, 'bad.tflite'),
                                        inputArrays: f.inputs, outputArrays: f.outputs});
  const lines = conv.output.trim().split('\n');
  const good = conv.status === 1 && lines.length === 1 && lines[0].includes(f.want) && !conv.ok;
  results.add(`${f.file} is refused`, good ? 'PASS' : 'FAIL', good ? lines[0] : `exit ${conv.status}: ${conv.output}`);
}

for (const c of cases) {
  const outFile = path.join(tmp, c.file.replace('.pbtxt', '.tflite'));
  const conv = convert(opts.converter, {graphDef: path.join(dir, c.file), outFile, inputArrays: c.inputs,
                                        outputArrays: c.outputs});
  if (!conv.ok) {
    results.add(c.file, 'FAIL', `conversion failed: ${errorLine(conv.output)}`);
    continue;
  }
  // The ops the file must (hasOps) or must not (noOps) hold, from the analyzer.
  const dump = spawnSync(opts.analyzer, ['--no-buffers', outFile], {encoding: 'utf8'}).stdout || '';
  const holds = (op) => new RegExp(`Op#\\d+ ${op}\\(`).test(dump);
  if (c.noOps) {
    const left = c.noOps.filter(holds);
    results.add(`${c.file} keeps no ${c.noOps}`, left.length ? 'FAIL' : 'PASS', left.length ? `still has ${left}` : '');
  }
  if (c.hasOps) {
    const lacking = c.hasOps.filter((op) => !holds(op));
    results.add(`${c.file} has ${c.hasOps}`, lacking.length ? 'FAIL' : 'PASS', lacking.length ? `lacks ${lacking}` : '');
  }
  for (const f of c.feeds) {
    const label = `${c.file} ${f.inputs.map((t) => `${t.name}=${JSON.stringify(t.data)}`).join(' ')}`;
    try {
      const {outputs} = await runModel(outFile, f.inputs);
      const r = compareOutputs(outputs, f.want, 0);
      results.add(label, r.ok ? 'PASS' : 'FAIL', r.ok ? outputs.map((o) => `[${o.data}]`).join(' ') : r.reason);
    } catch (e) {
      results.add(label, 'FAIL', e.message);
    }
  }
}
process.exit(results.summary());
