// The updates walk 2 positions of a scatter dim the indices hold 1 of:
// lower_scatter read past the index constant (heap-buffer-overflow).
func.func @main(%x: tensor<2x3xi64>, %u: tensor<2x1x3xi64>) -> tensor<2x3xi64> {
  %c = stablehlo.constant dense<2> : tensor<1x3x1xi64>
  %0 = "stablehlo.scatter"(%x, %c, %u) <{scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [1], inserted_window_dims = [1], scatter_dims_to_operand_dims = [1], index_vector_dim = 2>}> ({
  ^bb0(%a: tensor<i64>, %b: tensor<i64>):
    %1 = stablehlo.add %a, %b : tensor<i64>
    stablehlo.return %1 : tensor<i64>
  }) : (tensor<2x3xi64>, tensor<1x3x1xi64>, tensor<2x1x3xi64>) -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}
