// Parity with the real Kustomize: every case of tests/kustomize/corpus and the bookstore
// templates are rendered by `kubectl kustomize` (Kustomize v5 built in) and by our engine,
// and the objects must be equal as data, one by one and in the same order. Without kubectl
// on PATH the test builds kustomize v5.5.0 from the Go module proxy into
// ~/.cache/kubectl-mesh; if that is impossible it fails, it never skips.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "lib/core/process.hpp"
#include "lib/core/strings.hpp"
#include "lib/kustomize/kustomize.hpp"
#include "lib/yaml/parse.hpp"

namespace kmesh::kustomize {
namespace {

namespace fs = std::filesystem;

const std::string kSource = KMESH_SOURCE_DIR;

std::string on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  for (const auto& dir : split(path ? path : "", ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// The reference renderer: argv before the directory, or an error message.
struct Reference {
  std::vector<std::string> argv;
  std::string problem;
};

Reference go_built_kustomize() {
  const char* home = std::getenv("HOME");
  std::string cache = std::string(home ? home : "/tmp") + "/.cache/kubectl-mesh/kustomize-v5.5.0";
  std::string binary = cache + "/kustomize";
  if (::access(binary.c_str(), X_OK) == 0) return {{binary, "build"}, ""};
  std::string go = on_path("go");
  if (go.empty())
    return {{},
            "neither kubectl nor go is on PATH: install kubectl (its built-in kustomize is the "
            "reference) or Go to build kustomize v5.5.0"};
  ProcessSpec spec;
  spec.argv = {go, "install", "sigs.k8s.io/kustomize/kustomize/v5@v5.5.0"};
  spec.env = current_environment();
  spec.env.push_back("GOBIN=" + cache);
  spec.env.push_back("GOFLAGS=-mod=mod");
  spec.timeout = std::chrono::minutes(15);
  auto result = run_process(spec);
  if (!result.ok() || result->exit_code != 0 || ::access(binary.c_str(), X_OK) != 0)
    return {{},
            "kubectl is not on PATH and `go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0` "
            "failed; install kubectl to run the parity test"};
  return {{binary, "build"}, ""};
}

const Reference& reference() {
  static const Reference ref = [] {
    std::string kubectl = on_path("kubectl");
    if (!kubectl.empty()) return Reference{{kubectl, "kustomize"}, ""};
    return go_built_kustomize();
  }();
  return ref;
}

struct Rendered {
  std::string text;
  std::vector<Json> objects;
};

Result<Rendered> render_with_reference(const std::string& dir) {
  ProcessSpec spec;
  spec.argv = reference().argv;
  spec.argv.push_back(dir);
  spec.env = current_environment();
  spec.timeout = std::chrono::minutes(2);
  KMESH_ASSIGN_OR_RETURN(auto result, run_process(spec));
  if (result.exit_code != 0) return usage_error(join(spec.argv, " ") + " failed");
  // kubectl reads what kustomize prints as YAML 1.1, and so do we here.
  KMESH_ASSIGN_OR_RETURN(auto docs, yaml::parse_documents(result.out, dir));
  Rendered rendered{result.out, {}};
  for (auto& d : docs)
    rendered.objects.push_back(std::move(d.value));
  return rendered;
}

std::string label(const Json& object) {
  return object.value("kind", "?") + "/" + object["metadata"].value("name", "?");
}

void expect_same_objects(const std::vector<Json>& theirs, const std::vector<Json>& ours,
                         const std::string& dir) {
  ASSERT_EQ(ours.size(), theirs.size()) << dir << ": object count differs";
  for (size_t i = 0; i < ours.size(); ++i) {
    EXPECT_EQ(label(ours[i]), label(theirs[i])) << dir << ": object " << i << " is out of order";
    if (ours[i] == theirs[i]) continue;
    ADD_FAILURE() << dir << ": " << label(theirs[i]) << " differs\nkubectl kustomize:\n"
                  << theirs[i].dump(2) << "\nours:\n"
                  << ours[i].dump(2) << "\ndiff: " << Json::diff(theirs[i], ours[i]).dump();
  }
}

// The directory to build in a corpus case: the case itself, or its overlay/ or top/.
std::string build_root(const fs::path& case_dir) {
  for (const char* sub : {"overlay", "top"})
    if (fs::is_directory(case_dir / sub)) return (case_dir / sub).string();
  return case_dir.string();
}

std::vector<std::string> parity_dirs() {
  std::vector<std::string> dirs;
  for (const char* overlay : {"base", "overlays/mesh", "overlays/dev"})
    dirs.push_back(kSource + "/kustomize-templates/bookstore/" + overlay);
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(kSource + "/tests/kustomize/corpus"))
    if (entry.is_directory()) cases.push_back(entry.path());
  std::sort(cases.begin(), cases.end());
  for (const auto& c : cases)
    dirs.push_back(build_root(c));
  return dirs;
}

TEST(KustomizeParity, CorpusHasEnoughCases) {
  size_t cases = 0;
  for (const auto& entry : fs::directory_iterator(kSource + "/tests/kustomize/corpus"))
    cases += entry.is_directory();
  EXPECT_GE(cases, 25u);
}

class KustomizeParity : public ::testing::TestWithParam<std::string> {};

TEST_P(KustomizeParity, SameObjectsAsKubectlKustomize) {
  ASSERT_TRUE(reference().problem.empty()) << reference().problem;
  auto theirs = render_with_reference(GetParam());
  ASSERT_TRUE(theirs.ok()) << theirs.error().message;
  DiskFileSource files;
  auto ours = build(GetParam(), files);
  ASSERT_TRUE(ours.ok()) << ours.error().message;
  expect_same_objects(theirs->objects, *ours, GetParam());
  // A drop-in prints the same bytes: goyaml's key order, quoting and line folding.
  std::string printed = to_yaml(*ours);
  EXPECT_EQ(printed, theirs->text) << GetParam() << ": printed YAML differs";
}

INSTANTIATE_TEST_SUITE_P(Corpus, KustomizeParity, ::testing::ValuesIn(parity_dirs()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = fs::relative(info.param, kSource).string();
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(KustomizeParity, EmbeddedTemplatesMatchTheSourceTree) {
  DiskFileSource disk;
  EmbeddedFileSource embedded;
  for (const char* overlay : {"base", "overlays/mesh", "overlays/dev"}) {
    std::string rel = std::string("kustomize-templates/bookstore/") + overlay;
    auto a = build(kSource + "/" + rel, disk);
    auto b = build(rel, embedded);
    ASSERT_TRUE(a.ok() && b.ok()) << rel;
    EXPECT_EQ(*a, *b) << rel;
  }
}

}  // namespace
}  // namespace kmesh::kustomize
