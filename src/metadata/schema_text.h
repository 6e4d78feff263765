// The text of schema/metadata_schema.fbs, embedded at build time
// (cmake/metadata_gen.cmake).
#pragma once

#include <string_view>

namespace tflc {

std::string_view metadata_schema_text();

}  // namespace tflc
