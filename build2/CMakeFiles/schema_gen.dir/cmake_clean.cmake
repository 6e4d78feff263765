file(REMOVE_RECURSE
  "CMakeFiles/schema_gen"
  "gen/conversion_metadata_generated.h"
  "gen/metadata_schema_generated.h"
  "gen/metadata_schema_text.cc"
  "gen/tflite_schema_generated.h"
)

# Per-language clean rules from dependency scanning.
foreach(lang )
  include(CMakeFiles/schema_gen.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
