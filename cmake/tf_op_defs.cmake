# The TF OpDef table (src/frontends/graphdef/op_defs.h): tools/gen/gen_op_defs
# parses src/frontends/graphdef/tf_op_defs.pbtxt as a tensorflow.OpList and
# writes ${CMAKE_BINARY_DIR}/gen/tf_op_defs.inc, which op_defs.cc includes.
#
# Included from the top-level CMakeLists.txt before the converter target
# exists, so the converter is wired up at the end of the top-level directory
# (cmake_language DEFER). The generator lives in tools/gen/, outside
# src/, so the converter's src/*.cc glob never picks up its main().
include_guard(GLOBAL)

set(TF_OP_DEFS_PBTXT ${CMAKE_SOURCE_DIR}/src/frontends/graphdef/tf_op_defs.pbtxt)
set(TF_OP_DEFS_INC ${CMAKE_BINARY_DIR}/gen/tf_op_defs.inc)

add_executable(gen_op_defs ${CMAKE_SOURCE_DIR}/tools/gen/gen_op_defs.cc)
target_link_libraries(gen_op_defs PRIVATE tf_protos)  # resolved at generate time

add_custom_command(OUTPUT ${TF_OP_DEFS_INC}
  COMMAND gen_op_defs ${TF_OP_DEFS_PBTXT} ${TF_OP_DEFS_INC}
  DEPENDS gen_op_defs ${TF_OP_DEFS_PBTXT}
  COMMENT "Generating tf_op_defs.inc from tf_op_defs.pbtxt" VERBATIM)
add_custom_target(tf_op_defs_gen DEPENDS ${TF_OP_DEFS_INC})

function(tf_op_defs_attach)
  add_dependencies(converter tf_op_defs_gen)
  # Listed as a source (a header-like .inc is not compiled) so make knows
  # op_defs.cc depends on it on the first build too.
  target_sources(converter PRIVATE ${TF_OP_DEFS_INC})
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL tf_op_defs_attach)
