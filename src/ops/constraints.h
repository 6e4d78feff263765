// An op against its record's kernel constraints: the operand types
// (OpSchema::types) and the broadcast rank (OpSchema::broadcast_rank).
// IrBuilder checks every op a frontend emits with these and legalizes or
// refuses what the kernels cannot run; tests use them directly.
#pragma once

#include <optional>

#include "ops/registry.h"

namespace tflc {

// The largest rank BROADCAST_TO takes (tensorflow/lite/kernels/broadcast_to.cc).
constexpr int kBroadcastToMaxRank = 8;

// Whether the record lists `t` for a tensor with (`quantized`) or without
// quantization parameters. An unchecked record (no types) accepts any.
bool kernel_takes(const OpSchema& s, DType t, bool quantized);

// The first operand type of `op` its kernels lack: the type of input
// s.type_input, then (when s.output_typed) of output 0. nullopt when the
// kernels take them, or the record is unchecked.
std::optional<DType> unaccepted_type(const OpSchema& s, const Graph& g, const Op& op);

// The type the kernels take that holds every value of `t` exactly (int8 ->
// int32, uint32 -> int64, float16 -> float32...), for records that widen
// (s.other_types != kRefuse); nullopt when there is none.
std::optional<DType> widened_type(const OpSchema& s, DType t);

// Whether `op` broadcasts its inputs at a rank above s.broadcast_rank:
// inputs of different (or not static) shapes and an output of higher rank.
bool broadcast_too_wide(const OpSchema& s, const Graph& g, const Op& op);

}  // namespace tflc
