#!/usr/bin/env bash
# Bad StableHLO text: each case must give exactly one stderr line holding the
# expected words (with the line:column), exit 1 or 2, and write no output.
#   bash tests/stablehlo/bad_input.sh BUILD_DIR
set -u
BIN=$1/tflite_convert
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
check() {  # name expected-substring text
  local name=$1 want=$2
  printf '%s' "$3" >"$T/$name.mlir"
  "$BIN" --stablehlo_file="$T/$name.mlir" --output_file="$T/$name.tflite" 2>"$T/err" >/dev/null
  local rc=$? lines
  lines=$(wc -l <"$T/err")
  if [ "$rc" -ne 1 ] && [ "$rc" -ne 2 ]; then echo "FAIL $name: exit $rc"; fail=$((fail + 1)); return; fi
  if [ "$lines" -ne 1 ]; then echo "FAIL $name: $lines stderr lines"; cat "$T/err"; fail=$((fail + 1)); return; fi
  if ! grep -qF -- "$want" "$T/err"; then echo "FAIL $name: message lacks '$want': $(cat "$T/err")"; fail=$((fail + 1)); return; fi
  if [ -e "$T/$name.tflite" ]; then echo "FAIL $name: wrote an output"; fail=$((fail + 1)); return; fi
  echo "PASS $name: $(cat "$T/err")"
  pass=$((pass + 1))
}
GOOD='func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = stablehlo.add %a, %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}
'
check truncated "truncated" "${GOOD:0:60}"
check unknown_op "not supported yet: stablehlo.frobnicate at $T/unknown_op.mlir:2:3" 'func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = stablehlo.frobnicate %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}
'
check unbalanced_region "unbalanced_region.mlir:5:3: expected an op or the region's closing '}'" 'func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "stablehlo.reduce_window"(%a, %a) ({
  ^bb0(%x: tensor<f32>, %y: tensor<f32>):
    %1 = stablehlo.add %x, %y : tensor<f32>
  : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
'
check type_mismatch "the text declares tensor<3xf32>" 'func.func @main(%a: tensor<2xf32>) -> tensor<3xf32> {
  %0 = stablehlo.add %a, %a : (tensor<2xf32>, tensor<2xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
'
check dense_size "holds 3" 'func.func @main(%a: tensor<2xf32>) -> tensor<3xf32> {
  %0 = stablehlo.constant dense<[1.0, 2.0]> : tensor<3xf32>
  return %0 : tensor<3xf32>
}
'
check hex_size "needs 12" 'func.func @main() -> tensor<3xf32> {
  %0 = stablehlo.constant dense<"0x0000803F00000040"> : tensor<3xf32>
  return %0 : tensor<3xf32>
}
'
check undefined_value "%b is used but never defined" "${GOOD/\%a, \%a/%a, %b}"
check no_entry "there is no function @main" 'func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
'
check empty "holds no func.func" ''
check deep_nesting "nested too deeply" "func.func @main() -> tensor<f32> { %0 = stablehlo.constant {a = $(printf '[%.0s' $(seq 300))} dense<1.0> : tensor<f32> return %0 : tensor<f32> }"
rm -f "$T/missing_file.mlir"; "$BIN" --stablehlo_file="$T/nope.mlir" --output_file="$T/x.tflite" 2>"$T/err"; grep -q "nope.mlir" "$T/err" && [ "$(wc -l <"$T/err")" -eq 1 ] && { echo "PASS absent file: $(cat "$T/err")"; pass=$((pass + 1)); } || { echo "FAIL absent file"; fail=$((fail + 1)); }
# Found by fuzz_stablehlo: it once read past the index constant.
check scatter_updates_past_indices "the updates' scatter dimensions do not match the indices' shape" \
  "$(cat "$(dirname "$0")/../fuzz_regressions/fuzz_stablehlo/scatter_updates_past_indices.mlir")"
check reduce_window_result_rank "has a result of rank 1 for an operand of rank 2" \
  "$(cat "$(dirname "$0")/../fuzz_regressions/fuzz_stablehlo/reduce_window_result_rank.mlir")"
check op_without_result_types "stablehlo.scatter has 1 results but its type lists 0" \
  "$(cat "$(dirname "$0")/../fuzz_regressions/fuzz_stablehlo/op_without_result_types.mlir")"

conv_t() {  # a transposed convolution with extra window attributes $1, groups $2, kernel $3, result $4
  printf 'func.func @main(%%a: tensor<1x4x4x2xf32>, %%k: tensor<%s>) -> tensor<%s> {
  %%0 = stablehlo.convolution(%%a, %%k) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {pad = [[1, 1], [1, 1]], lhs_dilate = [2, 2]%s} {batch_group_count = 1 : i64, feature_group_count = %s : i64} : (tensor<1x4x4x2xf32>, tensor<%s>) -> tensor<%s>
  return %%0 : tensor<%s>
}
' "$3" "$4" "$1" "$2" "$3" "$4" "$4"
}
check conv_t_groups "stablehlo.convolution at $T/conv_t_groups.mlir:2:3: a transposed convolution with feature_group_count 2" \
  "$(conv_t '' 2 2x2x1x2xf32 1x7x7x2xf32)"
check conv_t_rhs_dilate "not supported yet: stablehlo.convolution at $T/conv_t_rhs_dilate.mlir:2:3: a convolution with both lhs_dilate and rhs_dilate" \
  "$(conv_t ', rhs_dilate = [2, 2]' 1 2x2x2x2xf32 1x6x6x2xf32)"
check conv_t_strides "a convolution with both lhs_dilate and window strides" \
  "$(conv_t ', stride = [2, 2]' 1 2x2x2x2xf32 1x4x4x2xf32)"
check select_and_scatter "not supported yet: stablehlo.select_and_scatter at $T/select_and_scatter.mlir:2:3" 'func.func @main(%a: tensor<4xf32>, %s: tensor<2xf32>, %i: tensor<f32>) -> tensor<4xf32> {
  %0 = "stablehlo.select_and_scatter"(%a, %s, %i) ({
  ^bb0(%x: tensor<f32>, %y: tensor<f32>):
    %c = stablehlo.compare GE, %x, %y : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %c : tensor<i1>
  }, {
  ^bb0(%x: tensor<f32>, %y: tensor<f32>):
    %d = stablehlo.add %x, %y : tensor<f32>
    stablehlo.return %d : tensor<f32>
  }) {window_dimensions = array<i64: 2>, window_strides = array<i64: 2>} : (tensor<4xf32>, tensor<2xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
'
check rng_bit_generator "not supported yet: stablehlo.rng_bit_generator at $T/rng_bit_generator.mlir:2:3" 'func.func @main(%a: tensor<2xui64>) -> (tensor<2xui64>, tensor<4xui32>) {
  %s, %o = stablehlo.rng_bit_generator %a, algorithm = DEFAULT : (tensor<2xui64>) -> (tensor<2xui64>, tensor<4xui32>)
  return %s, %o : tensor<2xui64>, tensor<4xui32>
}
'
check lgamma "not supported yet: chlo.lgamma at $T/lgamma.mlir:2:3" 'func.func @main(%a: tensor<3xf32>) -> tensor<3xf32> {
  %0 = chlo.lgamma %a : tensor<3xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
'
check next_after "not supported yet: chlo.next_after at $T/next_after.mlir:2:3" 'func.func @main(%a: tensor<3xf32>) -> tensor<3xf32> {
  %0 = chlo.next_after %a, %a : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
