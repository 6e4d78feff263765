# Build-time step for the metadata code (run with cmake -P):
# - tflite_plain_schema.fbs: the TFLite schema in namespace tflite_plain, for
#   an object API generated without --force-empty-vectors;
# - metadata_schema_text.cc: the metadata schema's text, which flatc's
#   parser reads at run time to print and parse metadata JSON.
file(READ ${TFLITE_SCHEMA} tflite)
string(REGEX REPLACE "\nnamespace tflite;" "\nnamespace tflite_plain;" plain "${tflite}")
file(WRITE ${OUT_DIR}/tflite_plain_schema.fbs "${plain}")

file(READ ${MD_SCHEMA} md)
string(FIND "${md}" ")fbs\"" bad)
if(NOT bad EQUAL -1)
  message(FATAL_ERROR "metadata_schema.fbs contains the raw-string delimiter )fbs\"")
endif()
file(WRITE ${OUT_DIR}/metadata_schema_text.cc
  "// Generated from schema/metadata_schema.fbs by cmake/metadata_gen.cmake.\n"
  "#include \"metadata/schema_text.h\"\n"
  "namespace tflc {\n"
  "std::string_view metadata_schema_text() {\n"
  "  static const char text[] = R\"fbs(${md})fbs\";\n"
  "  return {text, sizeof(text) - 1};\n"
  "}\n"
  "}  // namespace tflc\n")
