// LiteRT.js has no ResizeInputTensor: it runs a model at the static shapes
// its file declares (a -1 of shape_signature is stored as 1). To run a model
// with dynamic dims at other sizes, write a copy whose main-subgraph input
// and output tensors declare the wanted shapes; the runtime then derives
// every other shape in Prepare, as after a resize. Only dims the
// shape_signature leaves free (-1) may change.
//   resizedCopy(bytes, [inputShape...], [outputShape...]) -> Uint8Array
// Throws if a shape has another rank or changes a fixed dim.

function reader(b) {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u32 = (o) => dv.getUint32(o, true);
  const i32 = (o) => dv.getInt32(o, true);
  const table = (o) => {
    const vt = o - i32(o);
    const n = dv.getUint16(vt, true);
    return (k) => {
      if (4 + 2 * k >= n) return null;
      const off = dv.getUint16(vt + 4 + 2 * k, true);
      return off ? o + off : null;
    };
  };
  const vec = (o) => { const at = o + u32(o); return {at: at + 4, n: u32(at)}; };
  const ref = (v, k) => v.at + 4 * k + u32(v.at + 4 * k);
  return {dv, u32, i32, table, vec, ref};
}

export function resizedCopy(bytes, inputShapes, outputShapes) {
  const b = Uint8Array.from(bytes);
  const r = reader(b);
  const model = r.table(r.u32(0));
  const sub = r.table(r.ref(r.vec(model(2)), 0));
  const tensors = r.vec(sub(0));
  const patch = (listField, shapes, what) => {
    const list = r.vec(sub(listField));
    if (shapes.length !== list.n) throw new Error(`${what}: model has ${list.n}, ${shapes.length} shapes given`);
    shapes.forEach((want, k) => {
      const t = r.table(r.ref(tensors, r.i32(list.at + 4 * k)));
      const shape = r.vec(t(0));
      const sigField = t(7);  // Tensor.shape_signature
      const sig = sigField === null ? null : r.vec(sigField);
      if (shape.n !== want.length) throw new Error(`${what} ${k}: rank ${shape.n}, shape [${want}] given`);
      for (let d = 0; d < shape.n; ++d) {
        const fixed = sig ? r.i32(sig.at + 4 * d) : r.i32(shape.at + 4 * d);
        if (fixed >= 0 && fixed !== want[d]) throw new Error(`${what} ${k}: dim ${d} is fixed at ${fixed}`);
        r.dv.setInt32(shape.at + 4 * d, want[d], true);
      }
    });
  };
  patch(1, inputShapes, 'input');
  patch(2, outputShapes, 'output');
  return b;
}
