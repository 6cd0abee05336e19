// lib/kube/credentials: ExecCredential parsing, KUBERNETES_EXEC_INFO, and the exec
// provider's caching, refresh and failures, with a fake plugin runner and a fake clock.

#include "lib/kube/credentials.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "lib/core/base64.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::kube {
namespace {

using namespace std::chrono_literals;

ExecConfig exec_config(const std::string& api_version = "client.authentication.k8s.io/v1") {
  ExecConfig e;
  e.api_version = api_version;
  e.command = "kubelogin";
  e.args = {"get-token"};
  e.interactive_mode = "IfAvailable";
  return e;
}

std::string credential(const std::string& status,
                       const std::string& api_version = "client.authentication.k8s.io/v1") {
  return R"({"apiVersion": ")" + api_version + R"(", "kind": "ExecCredential", "status": )" +
         status + "}";
}

const std::string kCert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const std::string kKey = "-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n";

// ---- parsing a plugin's output ----

TEST(ParseExecCredential, Token) {
  auto c = parse_exec_credential(credential(R"({"token": "s3cr3t"})"), exec_config());
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->token, "s3cr3t");
  EXPECT_FALSE(c->expiry);
}

TEST(ParseExecCredential, V1beta1WithExpiry) {
  auto c = parse_exec_credential(
      credential(R"({"token": "t", "expirationTimestamp": "2026-11-25T22:06:33Z"})",
                 "client.authentication.k8s.io/v1beta1"),
      exec_config("client.authentication.k8s.io/v1beta1"));
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_TRUE(c->expiry);
  EXPECT_EQ(format_rfc3339(*c->expiry), "2026-11-25T22:06:33Z");
}

TEST(ParseExecCredential, ClientCertificate) {
  Json status = {{"clientCertificateData", kCert}, {"clientKeyData", kKey}};
  auto c = parse_exec_credential(credential(status.dump()), exec_config());
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->token, "");
  EXPECT_EQ(c->client_cert_pem, kCert);
  EXPECT_EQ(c->client_key_pem, kKey);
}

struct BadOutputCase {
  const char* name;
  std::string output;
  const char* message;  // after "exec plugin \"kubelogin\" "
};

class ParseExecCredentialErrors : public ::testing::TestWithParam<BadOutputCase> {};

TEST_P(ParseExecCredentialErrors, AreUsageErrorsThatNeverQuoteTheOutput) {
  const auto& c = GetParam();
  auto r = parse_exec_credential(c.output, exec_config());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(r.error().message, std::string("exec plugin \"kubelogin\" ") + c.message);
  // The output may hold a secret: no message may repeat it.
  EXPECT_EQ(r.error().message.find("s3cr3t"), std::string::npos) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseExecCredentialErrors,
    ::testing::Values(
        BadOutputCase{"NotJson", "token=s3cr3t\n",
                      "printed something that is not an ExecCredential (not JSON)"},
        BadOutputCase{"Truncated", R"({"kind": "ExecCredential", "status": {"token": "s3cr3t")",
                      "printed something that is not an ExecCredential (not JSON)"},
        BadOutputCase{"JsonArray", R"(["s3cr3t"])",
                      "printed something that is not an ExecCredential (not JSON)"},
        BadOutputCase{"Empty", "", "printed something that is not an ExecCredential (not JSON)"},
        BadOutputCase{"WrongKind",
                      R"({"apiVersion": "v1", "kind": "Secret", "data": {"token": "s3cr3t"}})",
                      "printed kind \"Secret\", expected ExecCredential"},
        BadOutputCase{"KindNotAString", R"({"apiVersion": "v1", "kind": 7, "token": "s3cr3t"})",
                      "printed kind \"\", expected ExecCredential"},
        BadOutputCase{"WrongApiVersion",
                      credential(R"({"token": "s3cr3t"})", "client.authentication.k8s.io/v1beta1"),
                      "printed apiVersion \"client.authentication.k8s.io/v1beta1\", but the"
                      " kubeconfig asks for client.authentication.k8s.io/v1"},
        BadOutputCase{
            "NoStatus",
            R"({"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential"})",
            "printed an ExecCredential without status"},
        BadOutputCase{"StatusNotAnObject", credential(R"("s3cr3t")"),
                      "printed an ExecCredential without status"},
        BadOutputCase{"EmptyStatus", credential("{}"),
                      "printed an ExecCredential with neither a token nor a client certificate"},
        BadOutputCase{"CertWithoutKey", credential(Json({{"clientCertificateData", kCert}}).dump()),
                      "printed a client certificate without its key, or the reverse"},
        BadOutputCase{"KeyWithoutCert", credential(Json({{"clientKeyData", kKey}}).dump()),
                      "printed a client certificate without its key, or the reverse"},
        BadOutputCase{"TokenNotAString", credential(R"({"token": ["s3cr3t"]})"),
                      "printed an ExecCredential whose status.token is not a string"},
        BadOutputCase{"BadExpiry",
                      credential(R"({"token": "s3cr3t", "expirationTimestamp": "tomorrow"})"),
                      "printed expirationTimestamp \"tomorrow\", which is not RFC 3339"},
        BadOutputCase{
            "ExpiryNotAString",
            credential(R"({"token": "s3cr3t", "expirationTimestamp": 1795644393})"),
            "printed an ExecCredential whose status.expirationTimestamp is not a string"}),
    [](const auto& info) { return info.param.name; });

// ---- KUBERNETES_EXEC_INFO ----

RestConfig rest_config() {
  RestConfig rc;
  rc.server = "https://10.0.0.1:6443";
  rc.cluster_name = "prod";
  rc.user_name = "ci";
  rc.ca_pem = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n";
  rc.tls_server_name = "api.internal";
  rc.token = "never-sent-to-the-plugin";
  return rc;
}

TEST(ExecInfo, HoldsOnlyTheInteractiveFlagByDefault) {
  Json info = Json::parse(exec_info(exec_config(), rest_config(), /*interactive=*/false));
  EXPECT_EQ(info, Json::parse(R"({"apiVersion": "client.authentication.k8s.io/v1",
                                  "kind": "ExecCredential", "spec": {"interactive": false}})"));
}

TEST(ExecInfo, AddsTheClusterWhenAsked) {
  ExecConfig e = exec_config("client.authentication.k8s.io/v1beta1");
  e.provide_cluster_info = true;
  RestConfig rc = rest_config();
  rc.proxy_url = "http://proxy:3128";
  Json info = Json::parse(exec_info(e, rc, /*interactive=*/true));
  Json expected = {{"apiVersion", "client.authentication.k8s.io/v1beta1"},
                   {"kind", "ExecCredential"},
                   {"spec",
                    {{"interactive", true},
                     {"cluster",
                      {{"server", "https://10.0.0.1:6443"},
                       {"certificate-authority-data", base64_encode(rc.ca_pem)},
                       {"tls-server-name", "api.internal"},
                       {"proxy-url", "http://proxy:3128"}}}}}};
  EXPECT_EQ(info, expected);
  EXPECT_EQ(exec_info(e, rc, true).find("never-sent-to-the-plugin"), std::string::npos);
}

TEST(ExecInfo, InsecureClusterSaysSo) {
  ExecConfig e = exec_config();
  e.provide_cluster_info = true;
  RestConfig rc = rest_config();
  rc.ca_pem.clear();
  rc.tls_server_name.clear();
  rc.insecure_skip_tls_verify = true;
  Json info = Json::parse(exec_info(e, rc, false));
  EXPECT_EQ(info["spec"]["cluster"], Json::parse(R"({"server": "https://10.0.0.1:6443",
                                                     "insecure-skip-tls-verify": true})"));
}

// ---- the exec provider ----

// A plugin that answers what the test says, and a clock the test moves.
class ExecProvider : public ::testing::Test {
 protected:
  ExecProvider() { now = *parse_rfc3339("2026-01-01T00:00:00Z"); }

  CredentialProvider provider(ExecConfig exec = exec_config()) {
    RestConfig rc = rest_config();
    rc.token.clear();
    rc.exec = std::move(exec);
    ExecSeams seams;
    seams.run = [this](const ProcessSpec& spec) -> Result<ProcessResult> {
      specs.push_back(spec);
      if (!run_error.empty()) return usage_error(run_error);
      ProcessResult r;
      r.exit_code = exit_code;
      r.timed_out = timed_out;
      r.out = outputs.empty() ? "" : outputs[std::min(specs.size(), outputs.size()) - 1];
      return r;
    };
    seams.now = [this] { return now; };
    seams.stdin_is_terminal = [this] { return terminal; };
    return CredentialProvider(rc, 5s, seams);
  }

  // The value of NAME in the environment the plugin got, checking it is set only once.
  std::string env_value(const ProcessSpec& spec, const std::string& name) {
    std::string found;
    int count = 0;
    for (const auto& e : spec.env)
      if (e.rfind(name + "=", 0) == 0) {
        found = e.substr(name.size() + 1);
        ++count;
      }
    EXPECT_LE(count, 1) << name << " is set " << count << " times: the plugin sees the first";
    return found;
  }

  std::string token_until(const std::string& token, const std::string& expiry) {
    return credential(R"({"token": ")" + token + R"(", "expirationTimestamp": ")" + expiry +
                      R"("})");
  }

  SystemTime now;
  std::vector<std::string> outputs;
  std::vector<ProcessSpec> specs;
  int exit_code = 0;
  bool timed_out = false;
  bool terminal = false;
  std::string run_error;
};

TEST_F(ExecProvider, RunsThePluginWithItsArgumentsAndTimeout) {
  outputs = {credential(R"({"token": "t1"})")};
  auto p = provider();
  auto c = p.get();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->token, "t1");
  ASSERT_EQ(specs.size(), 1u);
  EXPECT_EQ(specs[0].argv, (std::vector<std::string>{"kubelogin", "get-token"}));
  EXPECT_EQ(specs[0].timeout, 5s);
  EXPECT_FALSE(specs[0].inherit_stdin);
  EXPECT_TRUE(p.refreshable());
}

TEST_F(ExecProvider, CachesWithoutExpiryUntilAskedToRefresh) {
  outputs = {credential(R"({"token": "t1"})"), credential(R"({"token": "t2"})")};
  auto p = provider();
  EXPECT_EQ(p.get()->token, "t1");
  now += 24h * 365;
  EXPECT_EQ(p.get()->token, "t1");
  EXPECT_EQ(p.plugin_runs(), 1);
  EXPECT_EQ(p.get(/*refresh=*/true)->token, "t2");  // after a 401
  EXPECT_EQ(p.plugin_runs(), 2);
}

TEST_F(ExecProvider, CachesUntilExpirationTimestamp) {
  outputs = {token_until("t1", "2026-01-01T00:10:00Z"), token_until("t2", "2026-01-01T01:00:00Z")};
  auto p = provider();
  EXPECT_EQ(p.get()->token, "t1");
  now += 9min;
  EXPECT_EQ(p.get()->token, "t1");
  EXPECT_EQ(p.plugin_runs(), 1);
  now += 1min;  // exactly at the expiry: expired
  EXPECT_EQ(p.get()->token, "t2");
  EXPECT_EQ(p.plugin_runs(), 2);
  now += 30min;
  EXPECT_EQ(p.get()->token, "t2");
  EXPECT_EQ(p.plugin_runs(), 2);
}

TEST_F(ExecProvider, AnAlreadyExpiredCredentialIsUsedOnceAndFetchedAgain) {
  outputs = {token_until("old", "2025-12-31T00:00:00Z"),
             token_until("new", "2026-01-02T00:00:00Z")};
  auto p = provider();
  EXPECT_EQ(p.get()->token, "old");
  EXPECT_EQ(p.get()->token, "new");
  EXPECT_EQ(p.plugin_runs(), 2);
}

TEST_F(ExecProvider, AFailedRefreshKeepsReportingTheError) {
  outputs = {token_until("t1", "2026-01-01T00:10:00Z")};
  auto p = provider();
  EXPECT_EQ(p.get()->token, "t1");
  now += 1h;
  exit_code = 1;
  auto c = p.get();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, ErrorKind::kCluster);
  EXPECT_EQ(c.error().message,
            "exec plugin \"kubelogin\" (kubeconfig user \"ci\") failed with exit code 1");
}

TEST_F(ExecProvider, InteractiveModeAlwaysWithoutATerminalIsAUsageError) {
  ExecConfig e = exec_config();
  e.interactive_mode = "Always";
  auto p = provider(e);
  auto c = p.get();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(c.error().message,
            "exec plugin \"kubelogin\" (kubeconfig user \"ci\") needs a terminal (interactiveMode:"
            " Always) and stdin is not one");
  EXPECT_TRUE(specs.empty()) << "the plugin ran";
}

struct InteractiveCase {
  const char* mode;
  bool terminal;
  bool interactive;
};

class Interactive : public ExecProvider, public ::testing::WithParamInterface<InteractiveCase> {};

TEST_P(Interactive, GetsStdinOnlyWhenInteractive) {
  const auto& c = GetParam();
  terminal = c.terminal;
  outputs = {credential(R"({"token": "t"})")};
  ExecConfig e = exec_config();
  e.interactive_mode = c.mode;
  auto p = provider(e);
  ASSERT_TRUE(p.get().ok());
  ASSERT_EQ(specs.size(), 1u);
  EXPECT_EQ(specs[0].inherit_stdin, c.interactive);
  Json info = Json::parse(env_value(specs[0], "KUBERNETES_EXEC_INFO"));
  EXPECT_EQ(info["spec"]["interactive"], c.interactive);
}

INSTANTIATE_TEST_SUITE_P(Table, Interactive,
                         ::testing::Values(InteractiveCase{"Never", true, false},
                                           InteractiveCase{"Never", false, false},
                                           InteractiveCase{"IfAvailable", true, true},
                                           InteractiveCase{"IfAvailable", false, false},
                                           InteractiveCase{"Always", true, true}));

TEST_F(ExecProvider, EnvironmentHasTheKubeconfigEnvAndExecInfoOnce) {
  // The parent's values must not shadow the kubeconfig's, nor a KUBERNETES_EXEC_INFO
  // inherited from a plugin that runs us.
  ::setenv("KMESH_TEST_PROFILE", "from-parent", 1);
  ::setenv("KUBERNETES_EXEC_INFO", R"({"spec": {"interactive": true, "stale": true}})", 1);
  outputs = {credential(R"({"token": "t"})")};
  ExecConfig e = exec_config();
  e.env = {{"KMESH_TEST_PROFILE", "from-kubeconfig"}, {"KMESH_TEST_EXTRA", "x"}};
  auto p = provider(e);
  auto c = p.get();
  ::unsetenv("KMESH_TEST_PROFILE");
  ::unsetenv("KUBERNETES_EXEC_INFO");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(specs.size(), 1u);
  EXPECT_EQ(env_value(specs[0], "KMESH_TEST_PROFILE"), "from-kubeconfig");
  EXPECT_EQ(env_value(specs[0], "KMESH_TEST_EXTRA"), "x");
  EXPECT_EQ(Json::parse(env_value(specs[0], "KUBERNETES_EXEC_INFO")),
            Json::parse(exec_info(e, rest_config(), false)));
  if (const char* path = std::getenv("PATH")) {
    EXPECT_EQ(env_value(specs[0], "PATH"), path);  // the rest of our environment is passed on
  }
}

TEST_F(ExecProvider, ClusterInfoOnlyWithProvideClusterInfo) {
  outputs = {credential(R"({"token": "t"})")};
  auto p = provider();
  ASSERT_TRUE(p.get().ok());
  EXPECT_FALSE(
      Json::parse(env_value(specs[0], "KUBERNETES_EXEC_INFO"))["spec"].contains("cluster"));

  specs.clear();
  ExecConfig e = exec_config();
  e.provide_cluster_info = true;
  auto q = provider(e);
  ASSERT_TRUE(q.get().ok());
  Json cluster = Json::parse(env_value(specs[0], "KUBERNETES_EXEC_INFO"))["spec"]["cluster"];
  EXPECT_EQ(cluster["server"], "https://10.0.0.1:6443");
  EXPECT_EQ(cluster["certificate-authority-data"], base64_encode(rest_config().ca_pem));
}

TEST_F(ExecProvider, FailuresSayWhatHappened) {
  struct Case {
    int exit_code;
    bool timed_out;
    std::string output;
    std::string run_error;
    ErrorKind kind;
    std::string message;
  };
  const std::string who = "exec plugin \"kubelogin\" (kubeconfig user \"ci\")";
  const std::vector<Case> cases = {
      {2, false, "", "", ErrorKind::kCluster, who + " failed with exit code 2"},
      {-1, true, "", "", ErrorKind::kCluster, who + " did not finish within 5s"},
      {0, false, "", "cannot run \"kubelogin\": No such file or directory", ErrorKind::kUsage,
       who + ": cannot run \"kubelogin\": No such file or directory\ninstall it: brew install "
             "kubelogin"},
      {0, false, "Bearer s3cr3t", "", ErrorKind::kUsage,
       "kubeconfig user \"ci\": exec plugin \"kubelogin\" printed something that is not an"
       " ExecCredential (not JSON)"},
  };
  for (const auto& c : cases) {
    specs.clear();
    exit_code = c.exit_code;
    timed_out = c.timed_out;
    outputs = {c.output};
    run_error = c.run_error;
    ExecConfig e = exec_config();
    e.install_hint = "install it: brew install kubelogin";
    auto p = provider(e);
    auto r = p.get();
    ASSERT_FALSE(r.ok()) << c.message;
    EXPECT_EQ(r.error().kind, c.kind) << c.message;
    EXPECT_EQ(r.error().message, c.message);
    EXPECT_EQ(r.error().message.find("s3cr3t"), std::string::npos);
  }
}

TEST(StaticCredentials, NeverRunAnything) {
  RestConfig rc;
  rc.token = "static";
  rc.client_cert_pem = kCert;
  rc.client_key_pem = kKey;
  ExecSeams seams;
  int runs = 0;
  seams.run = [&](const ProcessSpec&) -> Result<ProcessResult> {
    ++runs;
    return ProcessResult{};
  };
  CredentialProvider p(rc, 5s, seams);
  auto c = p.get(/*refresh=*/true);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->token, "static");
  EXPECT_EQ(c->client_cert_pem, kCert);
  EXPECT_EQ(c->client_key_pem, kKey);
  EXPECT_FALSE(p.refreshable());
  EXPECT_EQ(runs, 0);
}

}  // namespace
}  // namespace kmesh::kube
