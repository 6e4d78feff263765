// What an op record (ops.cc) sees while lowering one StableHLO op: its
// operands as IR tensors, its attributes and declared result types, an
// IrBuilder for the graph being built, and a way to lower its regions.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "frontends/stablehlo/mlir.h"
#include "ops/ir_builder.h"

namespace tflc {

class HloContext;
using HloLowering = std::function<Expected<std::vector<TensorId>>(HloContext&)>;
// The record of an op name, or null.
const HloLowering* find_hlo_lowering(const std::string& name);

// Element type spelling -> DType; kInvalid for types TFLite has no tensors of.
DType hlo_dtype(const std::string& element);
// Decodes a dense<...> literal of `t`'s type into little-endian bytes.
Expected<std::string> dense_bytes(const mlir::Attr& a, const mlir::Type& t, const std::string& where);

// Lowers a region into a body graph: its block arguments typed by `args`
// first, then `captured` (values of the enclosing scope the region reads;
// the caller passes them as extra operands). The terminator's values are
// the graph's outputs, followed by the captured inputs when `pass_captured`.
struct RegionRequest {
  int region = 0;
  std::vector<Tensor> args;
  bool pass_captured = false;
};

class HloContext : public IrBuilder {
 public:
  using RegionFn = std::function<Expected<std::shared_ptr<Graph>>(const RegionRequest&)>;
  using CapturesFn = std::function<std::vector<TensorId>()>;
  HloContext(Graph& g, std::string scope, const mlir::Op& op, std::vector<TensorId> ins, std::string file,
             int64_t fold_budget, RegionFn region_fn, CapturesFn captures_fn)
      : IrBuilder(g, std::move(scope), fold_budget),
        op_(op),
        ins_(std::move(ins)),
        file_(std::move(file)),
        region_fn_(std::move(region_fn)),
        captures_fn_(std::move(captures_fn)) {}

  std::string source() const override { return op_.name + " at " + file_ + ":" + std::to_string(op_.line) + ":" + std::to_string(op_.col); }
  const mlir::Op& op() const { return op_; }
  int num_in() const { return static_cast<int>(ins_.size()); }
  TensorId in(int k) const { return ins_.at(k); }
  const std::vector<TensorId>& ins() const { return ins_; }
  const Tensor& in_t(int k) { return graph().t(ins_.at(k)); }
  int num_results() const { return static_cast<int>(op_.result_types.size()); }
  DType result_dtype(int k) const { return hlo_dtype(op_.result_types.at(k).element); }
  const std::vector<int64_t>& result_shape(int k) const { return op_.result_types.at(k).dims; }

  // Integer list attributes (array<i64: ...>, [..], dense<[..]>).
  Expected<std::vector<int64_t>> ints(const std::string& key) const;
  std::vector<int64_t> ints_or(const std::string& key, std::vector<int64_t> fallback) const;
  Expected<int64_t> int_attr(const std::string& key) const;
  // "not supported yet: <op> at <where>: <what>"
  Status refuse(const std::string& what) const { return unsupported("not supported yet: " + source() + ": " + what); }
  Status bad(const std::string& what) const { return invalid_input(source() + ": " + what); }
  Status expect_operands(int n) const;

  // Lowers region `r.region`; `captured()` then lists the operands to add.
  Expected<std::shared_ptr<Graph>> region(const RegionRequest& r) { return region_fn_(r); }
  std::vector<TensorId> captured() { return captures_fn_(); }
  // The tensor a value of the enclosing scope names (a constant a region
  // reads, say), or kNoTensor.
  using LookupFn = std::function<TensorId(const std::string&)>;
  void set_lookup(LookupFn f) { lookup_fn_ = std::move(f); }
  TensorId outer_value(const std::string& name) const { return lookup_fn_ ? lookup_fn_(name) : kNoTensor; }

  TensorId const_i64(const std::vector<int64_t>& v, const std::string& suffix);
  // A scalar constant of `dt` holding `v` (converted).
  TensorId scalar(DType dt, double v, const std::string& suffix);
  Expected<TensorId> reshape(TensorId x, const std::vector<int64_t>& shape);
  Expected<TensorId> transpose(TensorId x, const std::vector<int64_t>& perm);
  // BITCAST of `x` to `to`: its output is typed before inference, as
  // TFLite keeps the target type on the tensor (BitcastOptions is empty).
  Expected<TensorId> bitcast(TensorId x, DType to);

 private:
  const mlir::Op& op_;
  std::vector<TensorId> ins_;
  std::string file_;
  RegionFn region_fn_;
  CapturesFn captures_fn_;
  LookupFn lookup_fn_;
};

}  // namespace tflc
