// Runs StableHLO's interpreter tests (stablehlo/tests/interpret/*.mlir)
// through the converter and LiteRT.js: the case tool turns each test
// function into a model whose outputs are the checked values (its
// constants as inputs, which this script feeds) and this script compares
// them with the check's constants (see cases.mjs).
//   node check_interpret.mjs --case-tool BIN [--known-gaps FILE] [--work DIR] FILE_OR_DIR...
// Prints one line per test (PASS [folded], REFUSED <reason>, WRONG <detail>,
// RUNTIME <error>), a count per file and the totals. "folded" marks a test
// a lowering needed constant, so our folding computed it, not LiteRT.
// Known gaps are keyed "<file>@<function>". Exits 1 on a wrong number that
// is not a known gap, or when a file cannot be read.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execFileSync} from 'node:child_process';
import {takeFlag, readKnownGaps, mlirFiles, runCase} from './cases.mjs';

const args = process.argv.slice(2);
const tool = takeFlag(args, '--case-tool');
const knownGaps = readKnownGaps(takeFlag(args, '--known-gaps'));
const work = takeFlag(args, '--work', fs.mkdtempSync(path.join(os.tmpdir(), 'hlo_interpret_')));
const roots = args.map((a) => (fs.statSync(a).isDirectory() ? a : path.dirname(a)));
const files = mlirFiles(args, /*recursive=*/true);

const count = {PASS: 0, FOLDED: 0, REFUSED: 0, WRONG: 0, RUNTIME: 0, GAP: 0, ERROR: 0};
const perFile = [];
let unexpected = 0, total = 0;
for (const file of files) {
  const root = roots.find((r) => file.startsWith(r + path.sep)) || path.dirname(file);
  const rel = path.relative(root, file);
  const dir = path.join(work, rel.replace(/\.mlir$/, '').replaceAll(path.sep, '__'));
  fs.rmSync(dir, {recursive: true, force: true});
  const row = {file: rel, pass: 0, folded: 0, total: 0};
  perFile.push(row);
  try {
    execFileSync(tool, [file, dir], {stdio: ['ignore', 'ignore', 'pipe']});
  } catch (e) {
    const why = (e.stderr ? e.stderr.toString() : e.message).trim().split('\n')[0];
    console.log(`ERROR ${rel}: ${why}`);
    count.ERROR++;
    unexpected++;
    continue;
  }
  const {tests} = JSON.parse(fs.readFileSync(path.join(dir, 'index.json')));
  for (const t of tests) {
    const key = `${rel}@${t.name}`;
    let status, detail = t.detail;
    if (t.status === 'refused') {
      status = 'REFUSED';
    } else if (t.status !== 'converted') {
      status = 'ERROR';
      unexpected++;
    } else {
      ({status, detail} = await runCase(path.join(dir, t.dir)));
      if (status === 'WRONG') {
        if (knownGaps.has(key)) {
          status = 'GAP';
          detail += ` [known gap: ${knownGaps.get(key)}]`;
        } else {
          unexpected++;
        }
      }
    }
    const folded = status === 'PASS' && t.mode === 'folded';
    count[folded ? 'FOLDED' : status]++;
    row.total++;
    total++;
    if (status === 'PASS') row.pass++;
    if (folded) row.folded++;
    console.log(`${status}${folded ? ' (folded)' : ''} ${key}${detail ? ': ' + detail : ''}`);
  }
}
console.log('\nfile                               passed/total (of which folded)');
for (const r of perFile) console.log(`${r.file.padEnd(34)} ${r.pass}/${r.total}${r.folded ? ` (${r.folded} folded)` : ''}`);
const passed = count.PASS + count.FOLDED;
console.log(`\n${passed}/${total} tests passed (${(100 * passed / Math.max(1, total)).toFixed(1)}%; ` +
            `${count.PASS} computed by LiteRT, ${count.FOLDED} folded at conversion), ` +
            `${count.REFUSED} refused at conversion, ${count.RUNTIME} failed in the runtime, ` +
            `${count.GAP} known gaps, ${count.WRONG} wrong, ${count.ERROR} errors, in ${files.length} files`);
process.exit(unexpected ? 1 : 0);
