// Credentials never reach output: not at the highest log level, not in errors.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "lib/core/strings.hpp"
#include "tests/integration/harness.hpp"

namespace kmesh::testing {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// The secret strings of the control plane: the restricted user's token, and a line from the
// middle of each private key (PEM text and as kubeconfigs carry it, base64 of the PEM).
std::vector<std::string> secrets() {
  std::vector<std::string> out;
  std::string tokens = slurp(cluster_dir() + "/pki/tokens.csv");
  out.push_back(tokens.substr(0, tokens.find(',')));
  for (std::string key : {"admin.key", "cluster-admin.key"}) {
    auto lines = split(slurp(cluster_dir() + "/pki/" + key), '\n');
    if (lines.size() > 2) out.push_back(lines[1]);
  }
  for (std::string who : {"admin", "cluster-admin"})
    for (const auto& line : split(slurp(kubeconfig(who)), '\n'))
      if (line.find("client-key-data:") != std::string::npos)
        out.push_back(std::string(trim(line.substr(line.find(':') + 1))).substr(40, 40));
  return out;
}

void expect_clean(const std::string& what, const std::string& text) {
  for (const auto& s : secrets()) {
    ASSERT_GE(s.size(), 16u);
    EXPECT_EQ(text.find(s), std::string::npos) << what << " printed a credential";
  }
}

TEST(Secrets, HighestVerbosityNeverPrintsTokensOrKeys) {
  std::string file = write_file(temp_dir(), "cm.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: verbose\n  "
                                "namespace: restricted-ns\ndata: {}\n");
  for (std::string who : {"admin", "restricted", "cluster-admin"}) {
    Output r = mesh({"--kubeconfig", kubeconfig(who), "-v", "10", "apply", "-f", file});
    EXPECT_NE(r.err.find("PATCH https://"), std::string::npos) << "-v 10 logged no requests";
    expect_clean(who + " apply -v 10", r.out + r.err);
    Output v = mesh({"--kubeconfig", kubeconfig(who), "-v", "10", "version"});
    expect_clean(who + " version -v 10", v.out + v.err);
  }
}

TEST(Secrets, ErrorsAboutCredentialsDoNotQuoteThem) {
  std::string broken =
      write_file(temp_dir(), "broken.kubeconfig",
                 std::string(slurp(kubeconfig("restricted"))) + "\nthis is: [not yaml\n");
  Output r = mesh({"--kubeconfig", broken, "version"});
  EXPECT_EQ(r.code, 2);
  expect_clean("a malformed kubeconfig", r.out + r.err);
}

}  // namespace
}  // namespace kmesh::testing
