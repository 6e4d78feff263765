// Golden text dumps: each tests/golden/NAME.pbtxt is imported and run through
// the pass pipeline; the IR dump must equal NAME.golden. Review a change in
// a .golden like code. UPDATE_GOLDEN=1 rewrites them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "frontends/graphdef/import.h"
#include "ir/dump.h"
#include "passes/passes.h"

namespace tflc {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

TEST(Golden, PipelineDumps) {
  fs::path dir = fs::path(TFLC_SOURCE_DIR) / "tests" / "golden";
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".pbtxt") continue;
    SCOPED_TRACE(entry.path().filename().string());
    auto gd = read_graphdef(entry.path().string());
    ASSERT_TRUE(gd.ok()) << gd.status().message();
    auto model = import_graphdef(*gd, {});
    ASSERT_TRUE(model.ok()) << model.status().message();
    ASSERT_TRUE(run_pipeline(*model, {}).ok());
    std::string got = dump_graph(model->subgraphs[0]);
    fs::path golden = entry.path();
    golden.replace_extension(".golden");
    if (std::getenv("UPDATE_GOLDEN")) std::ofstream(golden) << got;
    EXPECT_EQ(got, read_all(golden));
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace tflc
