// The scatter's type has an unclosed '<' that a later line closes, so its
// type ends in "-> ()": one result and no result types. The importer
// indexed the missing types (UBSan: reference binding to null pointer).
func.func @main(%x: tensor<1xi8>, %u: tensor<i8>) -> tensor<1xi8> {
  %c = stablehlo.constant dense<0> : tensor<1xi64>
  %0 = "stablehlo.scatter"(%x, %c, %u) <{scatter_dimension_numbers = #stablehlo.scatter<inserted_window_dims = [0], scatter_dims_to_operand_dims = [0]>}> ({
  ^bb0(%a: tensor<i8>, %b: tensor<i8>):
    stablehlo.return %b : tensor<i8>
  }) : (tensor<1xi8>, tensor<1xnsor<i8>) -> tensor<1xi8>
    stablehlo.custom_call @check.expect_eq(%0) : (tensor<1xi8>, tensoi8>) -> ()
  return %0 : tensor<1xi8>
}
