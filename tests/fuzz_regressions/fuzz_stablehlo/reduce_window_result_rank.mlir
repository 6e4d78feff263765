// A reduce_window whose declared result has a lower rank than its operand:
// the unrolled lowering read a result dimension past the end.
func.func @main(%x: tensor<8x9xi32>) -> tensor<8xi32> {
  %c = stablehlo.constant dense<1> : tensor<i32>
  %0 = "stablehlo.reduce_window"(%x, %c) <{padding = dense<[[7, 0], [0, 0]]> : tensor<2x2xi64>, window_dimensions = array<i64: 8, 1>}> ({
  ^bb0(%a: tensor<i32>, %b: tensor<i32>):
    %1 = stablehlo.multiply %a, %b : tensor<i32>
    stablehlo.return %1 : tensor<i32>
  }) : (tensor<8x9xi32>, tensor<i32>) -> tensor<8xi32>
  return %0 : tensor<8xi32>
}
