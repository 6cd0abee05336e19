// Files the tool writes get explicit modes whatever the umask: the real binary is run under
// `umask 000`, where anything left to the umask would come out world-writable.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "lib/core/strings.hpp"
#include "tests/integration/harness.hpp"

namespace kmesh::testing {
namespace {

mode_t mode_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_mode & 07777 : 0;
}

// kubectl-mesh ARGS under umask 000, as a separate process (the umask is per process).
Output mesh_under_umask_000(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/bin/sh", "-c", "umask 000 && exec \"$0\" \"$@\"", KMESH_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv);
}

TEST(FileModes, RenderedFilesAreNotWorldWritableUnderUmask000) {
  std::string out = temp_dir() + "/rendered";
  // A file from an earlier run, left world-writable: it is tightened, not kept.
  ASSERT_EQ(::mkdir(out.c_str(), 0755), 0);
  std::string stale = write_file(out, "core_namespace_cluster_bookstore-servicemesh.yaml", "old");
  ASSERT_EQ(::chmod(stale.c_str(), 0666), 0);

  Output r = mesh_under_umask_000({"bookstore", "render", "--output-dir", out});
  ASSERT_EQ(r.code, 0) << r.err;
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(out)) {
    ++files;
    EXPECT_EQ(mode_of(entry.path()), 0644u) << entry.path();
  }
  EXPECT_GT(files, 10);
  EXPECT_NE(read_file(stale).text, "old");
}

TEST(FileModes, ANewOutputDirAndSecretsAreForTheOwner) {
  // A copy of the templates with a Secret: its file is 0600, the ConfigMap's 0644.
  std::string templates = temp_dir();
  std::filesystem::create_directories(templates + "/overlays/mesh");
  write_file(templates + "/overlays/mesh", "kustomization.yaml",
             "namespace: bookstore\n"
             "configMapGenerator:\n- name: settings\n  literals: [mode=test]\n"
             "secretGenerator:\n- name: db-password\n  literals: [password=hunter2]\n");
  std::string out = temp_dir() + "/new-dir";
  Output r =
      mesh_under_umask_000({"bookstore", "render", "--templates", templates, "--output-dir", out});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(mode_of(out), 0755u);
  int secrets = 0, others = 0;
  for (const auto& entry : std::filesystem::directory_iterator(out)) {
    std::string name = entry.path().filename();
    bool secret = starts_with(name, "core_secret_");
    (secret ? secrets : others)++;
    EXPECT_EQ(mode_of(entry.path()), secret ? 0600u : 0644u) << name;
  }
  EXPECT_EQ(secrets, 1);
  EXPECT_EQ(others, 1);
}

}  // namespace
}  // namespace kmesh::testing
