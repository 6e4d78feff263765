# Empty dependencies file for stablehlo_testdata_case.
# This may be replaced when dependencies are built.
