// Quantization-aware-trained ranges: each FAKE_QUANT op (from TF's FakeQuant*
// or QuantizeAndDequantize*) becomes a recorded range on the tensor it
// quantizes, and the op goes away; integer quantization then uses the range
// instead of calibration.
#include "ops/fake_quant.h"
#include "passes/pattern.h"
#include "quant/stages.h"

namespace tflc {

namespace {

void record_range(Tensor& t, const FakeQuantRange& r, bool overwrite) {
  if (t.quant && !t.quant->min.empty() && !overwrite) return;
  auto q = std::make_shared<QuantParams>();
  q->min = {r.min};
  q->max = {r.max};
  t.quant = std::move(q);
}

}  // namespace

Status absorb_fake_quant(Model& m) {
  ASSIGN_OR_RETURN(std::vector<Graph*> graphs, m.all_subgraphs());
  for (Graph* gp : graphs) {
    Graph& g = *gp;
    UseDef ud(g);
    std::vector<bool> is_input(g.tensors.size(), false);
    for (TensorId i : g.inputs) is_input[i] = true;
    for (auto& op_ptr : g.ops) {
      Op& fq = *op_ptr;
      if (fq.dead || fq.code != OpCode::FAKE_QUANT) continue;
      TensorId x = fq.inputs[0], y = fq.outputs[0];
      const auto& o = opts<tflite::FakeQuantOptionsT>(fq);
      FakeQuantRange r = nudge_fake_quant_range(o.min, o.max, o.num_bits, o.narrow_range);
      if (o.num_bits != 8 && o.num_bits != 16)
        return unsupported("not supported yet: " + std::to_string(o.num_bits) + "-bit fake quantization ('" +
                           fq.origin + "')");
      record_range(g.t(y), r, true);
      Op* prod = ud.producer_of(g, x);
      if (prod && ud.uses[x] == 1 && !ud.is_graph_output[x] && !is_input[x]) {
        // The producer writes the fake-quantized tensor directly.
        for (TensorId& o : prod->outputs)
          if (o == x) o = y;
        fq.dead = true;
      } else if (!ud.is_graph_output[y]) {
        record_range(g.t(x), r, false);
        g.replace_uses(y, x);
        fq.dead = true;
      } else {
        return unsupported("not supported yet: a fake-quantized model output that is also used elsewhere ('" +
                           fq.origin + "')");
      }
    }
    g.compact();
  }
  return ok_status();
}

}  // namespace tflc
