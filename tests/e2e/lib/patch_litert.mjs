// Writes a copy of @litertjs/core's dist/index.js whose dtype table also maps
// int8, int16, int64, float64 and bool (upstream JS maps only float32, int32,
// uint8; the wasm runtime handles all of them).
// usage: node patch_litert.mjs SRC_INDEX_JS OUT_MJS
import fs from 'node:fs';
import path from 'node:path';

const [src, out] = process.argv.slice(2);
let code = fs.readFileSync(src, 'utf8');
const anchor = /var DATATYPES = Object\.freeze\(\[\n/;
if (!anchor.test(code)) throw new Error(`${src}: DATATYPES table not found; @litertjs/core changed?`);
// bool goes first and uses its own Uint8Array subclass, so that getDataType()
// (which also matches by `instanceof`) still maps plain Uint8Array to uint8.
code = code.replace(anchor, `class BoolArray extends Uint8Array {}
var DATATYPES = Object.freeze([
  { dtype: "bool", typedArrayConstructor: BoolArray, elementType: ElementType.BOOL },
  { dtype: "int8", typedArrayConstructor: Int8Array, elementType: ElementType.INT8 },
  { dtype: "int16", typedArrayConstructor: Int16Array, elementType: ElementType.INT16 },
  { dtype: "int64", typedArrayConstructor: BigInt64Array, elementType: ElementType.INT64 },
  { dtype: "float64", typedArrayConstructor: Float64Array, elementType: ElementType.FLOAT64 },
`);
code = code.replace(/\/\/# sourceMappingURL=.*$/m, '');
code += '\nexport { BoolArray };\n';
fs.mkdirSync(path.dirname(out), {recursive: true});
fs.writeFileSync(out, code);
console.log(`wrote ${out}`);
