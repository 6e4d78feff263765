# Build-time step (run with cmake -P): metadata_schema_text.cc holds the
# metadata schema's text, which flatc's parser reads at run time to print and
# parse metadata JSON.

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
