// Credentials and TLS against the local control plane: client certificates, tokens, exec
// plugins, a wrong CA, tls-server-name.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lib/core/base64.hpp"
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

std::string server_url() {
  for (const auto& line : split(slurp(kubeconfig()), '\n'))
    if (line.find("server: ") != std::string::npos)
      return std::string(trim(line.substr(line.find("server: ") + 8)));
  return "";
}

std::string pki(const std::string& name) {
  return slurp(cluster_dir() + "/pki/" + name);
}

// A kubeconfig with one cluster entry (extra fields allowed) and the given user block.
std::string kubeconfig_with(const std::string& cluster_fields, const std::string& user_fields) {
  return "apiVersion: v1\nkind: Config\nclusters:\n- name: local\n  cluster:\n" + cluster_fields +
         "users:\n- name: tester\n  user:\n" + user_fields +
         "contexts:\n- name: ctx\n  context: {cluster: local, user: tester, namespace: default}\n"
         "current-context: ctx\n";
}

std::string cluster_block(const std::string& ca_pem, const std::string& extra = "") {
  return "    server: " + server_url() +
         "\n    certificate-authority-data: " + base64_encode(ca_pem) + "\n" + extra;
}

std::string cert_user(const std::string& who) {
  return "    client-certificate-data: " + base64_encode(pki(who + ".crt")) +
         "\n    client-key-data: " + base64_encode(pki(who + ".key")) + "\n";
}

Output apply_configmap(const std::string& kubeconfig_path, const std::string& name) {
  std::string file = write_file(temp_dir(), "cm.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name +
                                    "\n  namespace: default\ndata:\n  k: v\n");
  return mesh({"--kubeconfig", kubeconfig_path, "apply", "-f", file});
}

// An ExecCredential with the cluster-admin's certificate, as JSON on one line.
std::string cert_credential(const std::string& api_version = "client.authentication.k8s.io/v1") {
  Json c = {{"apiVersion", api_version},
            {"kind", "ExecCredential"},
            {"status",
             {{"clientCertificateData", pki("cluster-admin.crt")},
              {"clientKeyData", pki("cluster-admin.key")}}}};
  return c.dump();
}

TEST(Auth, ClientCertificateReachesTheServer) {
  Output r = mesh({"--kubeconfig", kubeconfig(), "version"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Server Version: v1.3"), std::string::npos) << r.out;
}

TEST(Auth, BearerTokenIsAcceptedAndRbacDecides) {
  // The token user may read restricted-ns only: a write there is forbidden (not 401).
  Output r = apply_configmap(kubeconfig("restricted"), unique_name("tok"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("forbidden"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("kmesh-restricted"), std::string::npos) << r.err;

  std::string bad =
      write_file(temp_dir(), "bad.kubeconfig",
                 kubeconfig_with(cluster_block(pki("ca.crt")), "    token: not-a-valid-token\n"));
  Output unauthorized = apply_configmap(bad, unique_name("tok"));
  EXPECT_EQ(unauthorized.code, 1);
  EXPECT_NE(unauthorized.err.find("401 Unauthorized"), std::string::npos) << unauthorized.err;
  EXPECT_EQ(unauthorized.err.find("not-a-valid-token"), std::string::npos) << "the token leaked";
}

TEST(Auth, WrongCaFailsWithTlsError) {
  std::string dir = temp_dir();
  Output gen =
      run_program({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                   "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir + "/other.key", "-out",
                   dir + "/other.crt", "-days", "1", "-subj", "/CN=some-other-ca"});
  ASSERT_EQ(gen.code, 0) << gen.err;
  std::string path =
      write_file(dir, "wrong-ca.kubeconfig",
                 kubeconfig_with(cluster_block(slurp(dir + "/other.crt")), cert_user("admin")));
  Output r = mesh({"--kubeconfig", path, "version"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("TLS with " + server_url()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("certificate"), std::string::npos) << r.err;
}

TEST(Auth, TlsServerNameIsVerified) {
  std::string dir = temp_dir();
  std::string good = write_file(
      dir, "good.kubeconfig",
      kubeconfig_with(cluster_block(pki("ca.crt"), "    tls-server-name: kubernetes.default.svc\n"),
                      cert_user("admin")));
  Output ok = mesh({"--kubeconfig", good, "version"});
  EXPECT_EQ(ok.code, 0) << ok.err;
  std::string bad = write_file(
      dir, "bad.kubeconfig",
      kubeconfig_with(cluster_block(pki("ca.crt"), "    tls-server-name: not-the-server.example\n"),
                      cert_user("admin")));
  Output refused = mesh({"--kubeconfig", bad, "version"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("TLS"), std::string::npos) << refused.err;
}

TEST(Auth, ExecPluginCredentialAuthenticates) {
  std::string dir = temp_dir();
  std::string script =
      write_file(dir, "plugin.sh", "#!/bin/sh\ncat \"$(dirname \"$0\")/credential.json\"\n");
  write_file(dir, "credential.json", cert_credential());
  ASSERT_EQ(::chmod(script.c_str(), 0700), 0);
  std::string path =
      write_file(dir, "exec.kubeconfig",
                 kubeconfig_with(cluster_block(pki("ca.crt")),
                                 "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                                 "      command: " +
                                     script + "\n      interactiveMode: Never\n"));
  std::string name = unique_name("exec");
  Output r = apply_configmap(path, name);
  ASSERT_EQ(r.code, 0) << r.err;
  Json cm = kubectl_json({"get", "configmap", name, "-n", "default", "--show-managed-fields"});
  ASSERT_TRUE(cm.is_object());
  EXPECT_EQ(cm["metadata"]["managedFields"][0]["manager"], "kubectl-mesh");
}

TEST(Auth, ExecPluginGetsItsArgvUnchangedAndTheParentEnvironmentPlusTheKubeconfigs) {
  // A plugin that records its arguments (one a line) and environment, then hands out a
  // certificate: arguments a shell would expand must arrive as written.
  std::string dir = temp_dir();
  write_file(dir, "credential.json", cert_credential());
  std::string script = write_file(
      dir, "plugin.sh",
      "#!/bin/sh\nd=$(dirname \"$0\")\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > "
      "\"$d/argv\"\nprintf '%s\\n' \"$KMESH_FROM_PARENT\" \"$KMESH_FROM_KUBECONFIG\" "
      "\"$KUBERNETES_EXEC_INFO\" > \"$d/env\"\ncat \"$d/credential.json\"\n");
  ASSERT_EQ(::chmod(script.c_str(), 0700), 0);
  std::string path = write_file(
      dir, "exec.kubeconfig",
      kubeconfig_with(cluster_block(pki("ca.crt")),
                      "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                      "      command: " +
                          script +
                          "\n      args: ['two words', '$(touch pwned)', '*', ';id']\n"
                          "      env:\n      - {name: KMESH_FROM_KUBECONFIG, value: 'k v'}\n"
                          "      interactiveMode: Never\n"));
  ::setenv("KMESH_FROM_PARENT", "parent value", 1);
  Output r = apply_configmap(path, unique_name("execenv"));
  ::unsetenv("KMESH_FROM_PARENT");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(slurp(dir + "/argv"), "two words\n$(touch pwned)\n*\n;id\n");
  EXPECT_FALSE(std::filesystem::exists("pwned")) << "a shell ran the arguments";
  auto env = split(slurp(dir + "/env"), '\n');
  ASSERT_GE(env.size(), 3u);
  EXPECT_EQ(env[0], "parent value");
  EXPECT_EQ(env[1], "k v");
  EXPECT_NE(env[2].find("\"kind\":\"ExecCredential\""), std::string::npos) << env[2];
}

TEST(Auth, ExecPluginIsRunAgainAfterA401) {
  // First run: a token the server rejects (valid for a day); second run: a certificate.
  std::string dir = temp_dir();
  write_file(
      dir, "first.json",
      R"({"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"expired-token","expirationTimestamp":"2099-01-01T00:00:00Z"}})");
  write_file(dir, "second.json", cert_credential("client.authentication.k8s.io/v1beta1"));
  std::string script = write_file(
      dir, "plugin.sh",
      "#!/bin/sh\nd=$(dirname \"$0\")\nif [ -f \"$d/ran\" ]; then cat \"$d/second.json\";"
      " else touch \"$d/ran\"; cat \"$d/first.json\"; fi\n");
  ASSERT_EQ(::chmod(script.c_str(), 0700), 0);
  std::string path = write_file(
      dir, "exec.kubeconfig",
      kubeconfig_with(cluster_block(pki("ca.crt")),
                      "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
                      "      command: " +
                          script + "\n"));
  Output r = apply_configmap(path, unique_name("exec401"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("expired-token"), std::string::npos);
}

TEST(Auth, FailingExecPluginNamesThePlugin) {
  std::string dir = temp_dir();
  std::string script =
      write_file(dir, "broken.sh", "#!/bin/sh\necho 'SECRET-OUTPUT not json'\nexit 0\n");
  ASSERT_EQ(::chmod(script.c_str(), 0700), 0);
  std::string path =
      write_file(dir, "exec.kubeconfig",
                 kubeconfig_with(cluster_block(pki("ca.crt")),
                                 "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                                 "      command: " +
                                     script + "\n      interactiveMode: Never\n"));
  Output r = mesh({"--kubeconfig", path, "version"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("exec plugin \"" + script + "\""), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("SECRET-OUTPUT"), std::string::npos) << "plugin output leaked: " << r.err;
}

}  // namespace
}  // namespace kmesh::testing
