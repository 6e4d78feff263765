// Runs StableHLO testdata files (stablehlo/testdata/*.mlir) through the
// converter and LiteRT.js and checks each result with the file's own check
// (see cases.mjs for how each check compares).
//   node check_testdata.mjs --case-tool BIN [--known-gaps FILE] [--work DIR] FILE_OR_DIR...
// Prints one line per file (PASS, REFUSED <reason>, WRONG <detail>,
// RUNTIME <error>) and a table per op family. Exits 1 when a file gives a
// wrong number that is not listed in the known-gaps file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execFileSync} from 'node:child_process';
import {takeFlag, readKnownGaps, mlirFiles, runCase} from './cases.mjs';

const args = process.argv.slice(2);
const tool = takeFlag(args, '--case-tool');
const knownGaps = readKnownGaps(takeFlag(args, '--known-gaps'));
const work = takeFlag(args, '--work', fs.mkdtempSync(path.join(os.tmpdir(), 'hlo_cases_')));
const files = mlirFiles(args);

const family = (name) => name.replace(/\.mlir$/, '').replace(/_(float|int|uint|bool|any|bfloat|complex|shape|dtypes).*$/, '');

const byFamily = new Map();
const count = {PASS: 0, REFUSED: 0, WRONG: 0, RUNTIME: 0, GAP: 0};
let unexpected = 0;
for (const file of files) {
  const name = path.basename(file);
  const dir = path.join(work, name.replace(/\.mlir$/, ''));
  fs.mkdirSync(dir, {recursive: true});
  let status, detail = '';
  try {
    execFileSync(tool, [file, dir], {stdio: ['ignore', 'ignore', 'pipe']});
  } catch (e) {
    status = 'REFUSED';
    detail = (e.stderr ? e.stderr.toString() : e.message).trim().split('\n')[0];
  }
  if (!status) {
    ({status, detail} = await runCase(dir));
    if (status === 'WRONG') {
      if (knownGaps.has(name)) {
        status = 'GAP';
        detail += ` [known gap: ${knownGaps.get(name)}]`;
      } else {
        unexpected++;
      }
    }
  }
  count[status]++;
  const fam = family(name);
  if (!byFamily.has(fam)) byFamily.set(fam, {PASS: 0, total: 0});
  byFamily.get(fam).total++;
  if (status === 'PASS') byFamily.get(fam).PASS++;
  console.log(`${status} ${name}${detail ? ': ' + detail : ''}`);
}
console.log('\nfamily                     passed/total');
for (const [fam, v] of [...byFamily].sort()) console.log(`${fam.padEnd(26)} ${v.PASS}/${v.total}`);
const total = files.length;
console.log(`\n${count.PASS}/${total} passed (${(100 * count.PASS / Math.max(1, total)).toFixed(1)}%), ` +
            `${count.REFUSED} refused at conversion, ${count.RUNTIME} failed in the runtime, ` +
            `${count.GAP} known gaps, ${count.WRONG} wrong`);
process.exit(unexpected ? 1 : 0);
