// lib/kube/kubeconfig: which files are read, how they merge, how a context resolves to
// connection settings, the in-cluster fallback; and the proxy choice of lib/kube/client.

#include "lib/kube/kubeconfig.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "lib/core/base64.hpp"
#include "lib/kube/client.hpp"
#include "tests/unit/test_files.hpp"

namespace kmesh::kube {
namespace {

using kmesh::testing::TempDir;

const std::string kCert = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";
const std::string kKey = "-----BEGIN EC PRIVATE KEY-----\nMHcfake\n-----END EC PRIVATE KEY-----\n";
const std::string kCa = "-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n";

/// An environment holding only the given variables.
Environment env_of(std::map<std::string, std::string> vars,
                   std::string sa_dir = "/nonexistent/sa") {
  Environment env;
  env.getenv = [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  env.service_account_dir = std::move(sa_dir);
  return env;
}

// A kubeconfig with one cluster, user and context per name given.
std::string kubeconfig(const std::string& current, const std::string& clusters,
                       const std::string& users, const std::string& contexts) {
  std::string text = "apiVersion: v1\nkind: Config\n";
  if (!current.empty()) text += "current-context: " + current + "\n";
  text += "clusters:\n" + clusters + "users:\n" + users + "contexts:\n" + contexts;
  return text;
}

std::string cluster(const std::string& name, const std::string& server,
                    const std::string& extra = "") {
  return "- name: " + name + "\n  cluster:\n    server: " + server + "\n" + extra;
}

std::string token_user(const std::string& name, const std::string& token) {
  return "- name: " + name + "\n  user:\n    token: " + token + "\n";
}

std::string context(const std::string& name, const std::string& cluster, const std::string& user,
                    const std::string& ns = "") {
  return "- name: " + name + "\n  context:\n    cluster: " + cluster + "\n    user: " + user +
         "\n" + (ns.empty() ? "" : "    namespace: " + ns + "\n");
}

Result<RestConfig> resolve(const std::string& text, const Overrides& overrides = {},
                           const std::string& path = "/home/u/.kube/config") {
  auto cfg = parse_kubeconfig(text, path);
  if (!cfg.ok()) return std::move(cfg).error();
  return resolve_rest_config(*cfg, overrides, env_of({}));
}

std::string error_of(const Result<RestConfig>& r) {
  EXPECT_FALSE(r.ok()) << "resolved to server " << (r.ok() ? r->server : "");
  if (r.ok()) return "";
  EXPECT_EQ(r.error().kind, ErrorKind::kUsage) << r.error().message;
  return r.error().message;
}

// ---- which files, merged how ----

class KubeconfigFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    first = dir.write("first", kubeconfig("ctx-a",
                                          cluster("shared", "https://first:6443") +
                                              cluster("only-first", "https://only-first"),
                                          token_user("alice", "first-token"),
                                          context("ctx-a", "shared", "alice", "team-a")));
    second = dir.write(
        "second", kubeconfig("ctx-b",
                             cluster("shared", "https://second:6443") +
                                 cluster("only-second", "https://only-second"),
                             token_user("alice", "second-token") + token_user("bob", "bob-token"),
                             context("ctx-a", "only-second", "bob") +
                                 context("ctx-b", "only-second", "bob", "team-b")));
    no_current = dir.write(
        "no-current", kubeconfig("", cluster("nc", "https://nc"), "", context("ctx-nc", "nc", "")));
  }

  Result<RestConfig> load(const std::map<std::string, std::string>& vars, Overrides o = {}) {
    return load_rest_config(o, env_of(vars));
  }

  TempDir dir;
  std::string first, second, no_current;
};

TEST_F(KubeconfigFiles, FirstFileToDefineANameWins) {
  auto rc = load({{"KUBECONFIG", first + ":" + second}});
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->context_name, "ctx-a");         // first current-context
  EXPECT_EQ(rc->server, "https://first:6443");  // first "shared" cluster
  EXPECT_EQ(rc->token, "first-token");          // first "alice"
  EXPECT_EQ(rc->namespace_, "team-a");          // first "ctx-a"

  auto cfg = load_kubeconfig({}, env_of({{"KUBECONFIG", first + ":" + second}}));
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->files, (std::vector<std::string>{first, second}));
  EXPECT_EQ(cfg->clusters.size(), 3u);
  EXPECT_EQ(cfg->users.size(), 2u);
}

TEST_F(KubeconfigFiles, OrderDecides) {
  auto rc = load({{"KUBECONFIG", second + ":" + first}});
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->context_name, "ctx-b");
  EXPECT_EQ(rc->server, "https://only-second");
  EXPECT_EQ(rc->token, "bob-token");
  EXPECT_EQ(rc->namespace_, "team-b");
}

TEST_F(KubeconfigFiles, NamesFromLaterFilesAreStillReachable) {
  Overrides o;
  o.context = "ctx-b";
  auto rc = load({{"KUBECONFIG", first + ":" + second}}, o);
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->server, "https://only-second");
  EXPECT_EQ(rc->token, "bob-token");
}

TEST_F(KubeconfigFiles, TheFirstFileThatSetsCurrentContextWins) {
  auto rc = load({{"KUBECONFIG", no_current + ":" + second + ":" + first}});
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->context_name, "ctx-b");
}

TEST_F(KubeconfigFiles, MissingAndEmptyEntriesAreSkipped) {
  auto rc = load({{"KUBECONFIG", ":" + dir.at("missing") + "::" + first + ":"}});
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->server, "https://first:6443");
  auto cfg = load_kubeconfig({}, env_of({{"KUBECONFIG", dir.at("missing") + ":" + first}}));
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->files, std::vector<std::string>{first});
}

TEST_F(KubeconfigFiles, KubeconfigFlagIsTheOnlyFileRead) {
  Overrides o;
  o.kubeconfig = second;
  auto rc = load({{"KUBECONFIG", first}, {"HOME", dir.path()}}, o);
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->context_name, "ctx-b");
  o.context = "ctx-a";  // ctx-a of the second file, not the first's
  rc = load({{"KUBECONFIG", first}}, o);
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->server, "https://only-second");
}

TEST_F(KubeconfigFiles, KubeconfigFlagMustExist) {
  Overrides o;
  o.kubeconfig = dir.at("nope");
  auto rc = load({{"KUBECONFIG", first}}, o);
  EXPECT_EQ(error_of(rc), "kubeconfig " + dir.at("nope") + ": No such file or directory");
}

TEST_F(KubeconfigFiles, HomeConfigWhenKubeconfigIsUnset) {
  dir.write(".kube/config",
            kubeconfig("home", cluster("h", "https://home"), "", context("home", "h", "")));
  auto rc = load({{"HOME", dir.path()}});
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->server, "https://home");
  // KUBECONFIG, when set, replaces ~/.kube/config
  rc = load({{"HOME", dir.path()}, {"KUBECONFIG", first}});
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->server, "https://first:6443");
}

TEST_F(KubeconfigFiles, NothingToReadAndNotInAPod) {
  auto rc = load({{"KUBECONFIG", dir.at("missing")}});
  EXPECT_EQ(
      error_of(rc),
      "no kubeconfig found (tried --kubeconfig, KUBECONFIG and ~/.kube/config) and not running"
      " in a Pod; point --kubeconfig at a cluster's kubeconfig");
  EXPECT_FALSE(load({}).ok());
}

TEST_F(KubeconfigFiles, MalformedFileNamesFileAndLine) {
  std::string bad =
      dir.write("bad", "apiVersion: v1\nclusters:\n- name: a\n  cluster: {server: x\n");
  auto rc = load({{"KUBECONFIG", bad + ":" + first}});
  std::string message = error_of(rc);
  EXPECT_EQ(message.rfind(bad + ":", 0), 0u) << message;
  EXPECT_NE(message.find("invalid YAML"), std::string::npos) << message;
}

// ---- in-cluster ----

TEST(InCluster, UsesTheServiceAccountWhenThereIsNoKubeconfig) {
  TempDir sa;
  sa.write("token", "sa-token\n");
  sa.write("ca.crt", kCa);
  sa.write("namespace", "mesh-system");
  auto env = env_of({{"KUBERNETES_SERVICE_HOST", "10.0.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}},
                    sa.path());
  auto rc = load_rest_config({}, env);
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_TRUE(rc->in_cluster);
  EXPECT_EQ(rc->server, "https://10.0.0.1:443");
  EXPECT_EQ(rc->token, "sa-token");
  EXPECT_EQ(rc->ca_pem, kCa);
  EXPECT_EQ(rc->namespace_, "mesh-system");
  EXPECT_FALSE(rc->namespace_from_flag);

  Overrides o;
  o.namespace_ = "other";
  rc = load_rest_config(o, env);
  ASSERT_TRUE(rc.ok());
  EXPECT_EQ(rc->namespace_, "other");
  EXPECT_TRUE(rc->namespace_from_flag);
}

TEST(InCluster, BracketsAnIpv6HostAndDefaultsTheNamespace) {
  TempDir sa;
  sa.write("token", "t");
  auto rc = load_rest_config(
      {}, env_of({{"KUBERNETES_SERVICE_HOST", "fd00::1"}, {"KUBERNETES_SERVICE_PORT", "6443"}},
                 sa.path()));
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->server, "https://[fd00::1]:6443");
  EXPECT_EQ(rc->namespace_, "default");
}

TEST(InCluster, NeedsTheHostThePortAndTheToken) {
  TempDir sa;
  sa.write("token", "t");
  EXPECT_FALSE(
      load_rest_config({}, env_of({{"KUBERNETES_SERVICE_HOST", "10.0.0.1"}}, sa.path())).ok());
  TempDir empty;
  EXPECT_FALSE(load_rest_config({}, env_of({{"KUBERNETES_SERVICE_HOST", "10.0.0.1"},
                                            {"KUBERNETES_SERVICE_PORT", "443"}},
                                           empty.path()))
                   .ok());
}

TEST(InCluster, AKubeconfigTakesPrecedence) {
  TempDir sa;
  sa.write("token", "t");
  std::string cfg = sa.write(
      "config", kubeconfig("c", cluster("c", "https://from-file"), "", context("c", "c", "")));
  auto rc = load_rest_config({}, env_of({{"KUBECONFIG", cfg},
                                         {"KUBERNETES_SERVICE_HOST", "10.0.0.1"},
                                         {"KUBERNETES_SERVICE_PORT", "443"}},
                                        sa.path()));
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_FALSE(rc->in_cluster);
  EXPECT_EQ(rc->server, "https://from-file");
}

// ---- contexts and overrides ----

const std::string kTwoClusters = kubeconfig(
    "dev",
    cluster("dev-cluster", "https://dev:6443") + cluster("prod-cluster", "https://prod:6443"),
    token_user("dev-user", "dev-token") + token_user("prod-user", "prod-token"),
    context("dev", "dev-cluster", "dev-user", "dev-ns") +
        context("prod", "prod-cluster", "prod-user") + context("anonymous", "prod-cluster", ""));

/// The --context, --cluster, --user and -n flags.
Overrides flags(std::string context = "", std::string cluster = "", std::string user = "",
                std::string ns = "") {
  Overrides o;
  o.context = std::move(context);
  o.cluster = std::move(cluster);
  o.user = std::move(user);
  o.namespace_ = std::move(ns);
  return o;
}

struct OverrideCase {
  const char* name;
  Overrides overrides;
  const char* server;
  const char* token;
  const char* ns;
  bool ns_from_flag;
};

class ContextOverrides : public ::testing::TestWithParam<OverrideCase> {};

TEST_P(ContextOverrides, PickWhatTheFlagsSay) {
  const auto& c = GetParam();
  auto rc = resolve(kTwoClusters, c.overrides);
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->server, c.server);
  EXPECT_EQ(rc->token, c.token);
  EXPECT_EQ(rc->namespace_, c.ns);
  EXPECT_EQ(rc->namespace_from_flag, c.ns_from_flag);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ContextOverrides,
    ::testing::Values(
        OverrideCase{"CurrentContext", {}, "https://dev:6443", "dev-token", "dev-ns", false},
        OverrideCase{"ContextFlag", flags("prod"), "https://prod:6443", "prod-token", "default",
                     false},
        OverrideCase{"NamespaceFlagBeatsContext", flags("", "", "", "mine"), "https://dev:6443",
                     "dev-token", "mine", true},
        OverrideCase{"ClusterFlag", flags("", "prod-cluster"), "https://prod:6443", "dev-token",
                     "dev-ns", false},
        OverrideCase{"UserFlag", flags("", "", "prod-user"), "https://dev:6443", "prod-token",
                     "dev-ns", false},
        OverrideCase{"AllFlags", flags("dev", "prod-cluster", "prod-user", "x"),
                     "https://prod:6443", "prod-token", "x", true},
        OverrideCase{"AnonymousUser", flags("anonymous"), "https://prod:6443", "", "default",
                     false}),
    [](const auto& info) { return info.param.name; });

TEST(ResolveRestConfig, AnUnknownContextListsTheKnownOnes) {
  Overrides o;
  o.context = "staging";
  EXPECT_EQ(error_of(resolve(kTwoClusters, o)),
            "kubeconfig /home/u/.kube/config: context \"staging\" not found; contexts: anonymous,"
            " dev, prod");
}

TEST(ResolveRestConfig, UnknownClusterOrUserNamesTheContext) {
  Overrides o;
  o.cluster = "nope";
  EXPECT_EQ(error_of(resolve(kTwoClusters, o)),
            "kubeconfig /home/u/.kube/config: cluster \"nope\" (of context \"dev\") not found");
  o = {};
  o.user = "nope";
  EXPECT_EQ(error_of(resolve(kTwoClusters, o)),
            "kubeconfig /home/u/.kube/config: user \"nope\" (of context \"dev\") not found");
}

TEST(ResolveRestConfig, NoCurrentContextAsksForOne) {
  std::string text = kubeconfig("", cluster("c", "https://c"), "", context("c", "c", ""));
  EXPECT_EQ(error_of(resolve(text)),
            "kubeconfig /home/u/.kube/config: no current-context is set; pass --context");
  Overrides o;
  o.cluster = "c";  // a cluster alone is enough
  auto rc = resolve(text, o);
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->server, "https://c");
}

TEST(ResolveRestConfig, ServerMustBeAnHttpUrl) {
  EXPECT_EQ(error_of(resolve(kubeconfig("c", cluster("c", "dev:6443"), "", context("c", "c", "")))),
            "kubeconfig /home/u/.kube/config: cluster \"c\": server \"dev:6443\" must start with"
            " https://");
  EXPECT_EQ(
      error_of(resolve(kubeconfig("c", "- name: c\n  cluster: {}\n", "", context("c", "c", "")))),
      "kubeconfig /home/u/.kube/config: cluster \"c\": server is empty");
}

// ---- certificates, keys and tokens ----

class Credentials : public ::testing::Test {
 protected:
  Result<RestConfig> with(const std::string& cluster_extra, const std::string& user_body) {
    std::string text = kubeconfig("c", cluster("c", "https://c:6443", cluster_extra),
                                  "- name: u\n  user:\n" + user_body, context("c", "c", "u"));
    dir.write("sub/config", text);
    Overrides o;
    o.kubeconfig = path;
    auto cfg = load_kubeconfig(o, env_of({}));
    if (!cfg.ok()) return std::move(cfg).error();
    return resolve_rest_config(*cfg, {}, env_of({}));
  }

  TempDir dir;
  std::string path = dir.at("sub/config");
};

TEST_F(Credentials, RelativeFilesAreRelativeToTheKubeconfig) {
  dir.write("sub/ca.crt", kCa);
  dir.write("certs/client.crt", kCert);
  dir.write("certs/client.key", kKey);
  auto rc = with("    certificate-authority: ca.crt\n",
                 "    client-certificate: ../certs/client.crt\n    client-key: " +
                     dir.at("certs/client.key") + "\n");
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->ca_pem, kCa);
  EXPECT_EQ(rc->client_cert_pem, kCert);
  EXPECT_EQ(rc->client_key_pem, kKey);
  EXPECT_EQ(rc->token, "");
  EXPECT_FALSE(rc->exec);
}

TEST_F(Credentials, DataFieldsAreBase64) {
  auto rc = with("    certificate-authority-data: " + base64_encode(kCa) + "\n",
                 "    client-certificate-data: " + base64_encode(kCert) +
                     "\n    client-key-data: " + base64_encode(kKey) + "\n");
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->ca_pem, kCa);
  EXPECT_EQ(rc->client_cert_pem, kCert);
  EXPECT_EQ(rc->client_key_pem, kKey);
}

TEST_F(Credentials, DataWinsOverFile) {
  auto rc = with("    certificate-authority-data: " + base64_encode(kCa) +
                     "\n    certificate-authority: /nonexistent/ca.crt\n",
                 "    token: t\n");
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->ca_pem, kCa);
}

TEST_F(Credentials, BadBase64NamesTheField) {
  auto rc = with("    certificate-authority-data: not*base64\n", "    token: t\n");
  EXPECT_EQ(error_of(rc), "kubeconfig " + path +
                              ": cluster \"c\": certificate-authority-data is"
                              " not valid base64");
  rc = with("", "    client-key-data: '%%%'\n");
  EXPECT_EQ(error_of(rc),
            "kubeconfig " + path + ": user \"u\": client-key-data is not valid base64");
}

TEST_F(Credentials, PemPastedWithoutBase64IsBadBase64) {
  auto rc = with(
      "    certificate-authority-data: \"" + std::string("-----BEGIN CERTIFICATE-----") + "\"\n",
      "    token: t\n");
  EXPECT_NE(error_of(rc).find("certificate-authority-data is not valid base64"), std::string::npos);
}

TEST_F(Credentials, AFileThatIsNotPem) {
  dir.write("sub/ca.crt", "just text\n");
  EXPECT_EQ(error_of(with("    certificate-authority: ca.crt\n", "    token: t\n")),
            "kubeconfig " + path +
                ": cluster \"c\": certificate-authority is not PEM (no"
                " \"-----BEGIN CERTIFICATE-----\" line)");
  dir.write("sub/c.crt", kCert);
  dir.write("sub/c.key", kCert);  // a certificate where the key belongs
  EXPECT_EQ(error_of(with("", "    client-certificate: c.crt\n    client-key: c.key\n")),
            "kubeconfig " + path +
                ": user \"u\": client-key is not PEM (no \"PRIVATE KEY-----\""
                " line)");
}

TEST_F(Credentials, AMissingFileNamesIt) {
  EXPECT_EQ(error_of(with("    certificate-authority: ca.crt\n", "    token: t\n")),
            "kubeconfig " + path + ": cluster \"c\": certificate-authority " +
                dir.at("sub/ca.crt") + ": No such file or directory");
}

TEST_F(Credentials, ACertificateNeedsItsKey) {
  std::string expected = "kubeconfig " + path +
                         ": user \"u\": has a client certificate without its key, or a key"
                         " without its certificate";
  EXPECT_EQ(error_of(with("", "    client-certificate-data: " + base64_encode(kCert) + "\n")),
            expected);
  EXPECT_EQ(error_of(with("", "    client-key-data: " + base64_encode(kKey) + "\n")), expected);
}

TEST_F(Credentials, InsecureSkipVerifyWithACaIsAnError) {
  EXPECT_EQ(error_of(with("    insecure-skip-tls-verify: true\n    certificate-authority-data: " +
                              base64_encode(kCa) + "\n",
                          "    token: t\n")),
            "kubeconfig " + path +
                ": cluster \"c\": sets both insecure-skip-tls-verify and a"
                " certificate-authority; remove one");
  auto rc = with("    insecure-skip-tls-verify: true\n", "    token: t\n");
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_TRUE(rc->insecure_skip_tls_verify);
}

TEST_F(Credentials, ClusterFieldsOfTheWrongTypeAreUsageErrors) {
  auto rc = with("    insecure-skip-tls-verify: \"true\"\n", "    token: t\n");
  EXPECT_EQ(error_of(rc), "kubeconfig " + path +
                              ": cluster \"c\": insecure-skip-tls-verify must be true or false");
}

TEST_F(Credentials, AnEmptyClusterOrUserEntryIsNotACrash) {
  std::string text =
      "current-context: c\nclusters:\n- name: c\n  cluster:\nusers:\n- name: u\n"
      "  user:\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n";
  EXPECT_EQ(error_of(resolve(text)),
            "kubeconfig /home/u/.kube/config: cluster \"c\": server is empty");
}

TEST_F(Credentials, TokenBeatsTokenFile) {
  dir.write("sub/token", "  file-token\n");
  auto rc = with("", "    token: inline-token\n    tokenFile: token\n");
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->token, "inline-token");
  rc = with("", "    tokenFile: token\n");
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->token, "file-token");
  rc = with("", "    tokenFile: missing-token\n");
  EXPECT_EQ(error_of(rc), "kubeconfig " + path + ": user \"u\": tokenFile " +
                              dir.at("sub/missing-token") + ": No such file or directory");
}

TEST_F(Credentials, ExecPluginIsParsed) {
  auto rc = with("",
                 "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                 "      command: kubelogin\n      args: [get-token, --server-id, 42]\n"
                 "      env:\n      - name: AWS_PROFILE\n        value: prod\n"
                 "      installHint: install kubelogin\n      provideClusterInfo: true\n"
                 "      interactiveMode: Never\n");
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  ASSERT_TRUE(rc->exec);
  EXPECT_EQ(rc->exec->command, "kubelogin");
  EXPECT_EQ(rc->exec->args, (std::vector<std::string>{"get-token", "--server-id", "42"}));
  ASSERT_EQ(rc->exec->env.size(), 1u);
  EXPECT_EQ(rc->exec->env[0], (std::pair<std::string, std::string>{"AWS_PROFILE", "prod"}));
  EXPECT_EQ(rc->exec->install_hint, "install kubelogin");
  EXPECT_TRUE(rc->exec->provide_cluster_info);
  EXPECT_EQ(rc->exec->interactive_mode, "Never");
}

TEST_F(Credentials, AnEndlessCaFileIsAnErrorNotACrash) {
  // Found by tests/badinput: reading /dev/zero whole ran out of memory (std::bad_alloc).
  auto rc = with("    certificate-authority: /dev/zero\n", "    token: t\n");
  EXPECT_EQ(error_of(rc),
            "kubeconfig " + path +
                ": cluster \"c\": certificate-authority /dev/zero: larger than 16 MiB");
}

TEST_F(Credentials, ARelativeExecCommandWithASlashIsRelativeToTheKubeconfig) {
  auto exec = [](const std::string& command) {
    return "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: " +
           command + "\n      interactiveMode: Never\n";
  };
  auto relative = with("", exec("../bin/plugin.sh"));
  ASSERT_TRUE(relative.ok()) << relative.error().message;
  EXPECT_EQ(relative->exec->command, dir.at("sub") + "/../bin/plugin.sh");
  auto absolute = with("", exec("/opt/plugin"));
  ASSERT_TRUE(absolute.ok()) << absolute.error().message;
  EXPECT_EQ(absolute->exec->command, "/opt/plugin");
}

struct ExecConfigCase {
  const char* name;
  std::string exec;
  const char* mode;   // the interactiveMode used, when valid
  const char* error;  // the message after "kubeconfig PATH: user \"u\": ", when invalid
};

class ExecConfigs : public Credentials, public ::testing::WithParamInterface<ExecConfigCase> {};

TEST_P(ExecConfigs, ValidateAsClientGoDoes) {
  const auto& c = GetParam();
  auto rc = with("", "    exec:\n" + c.exec);
  if (c.error) {
    EXPECT_EQ(error_of(rc), "kubeconfig " + path + ": user \"u\": " + c.error);
    return;
  }
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  ASSERT_TRUE(rc->exec);
  EXPECT_EQ(rc->exec->interactive_mode, c.mode);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ExecConfigs,
    ::testing::Values(
        ExecConfigCase{"V1beta1DefaultsToIfAvailable",
                       "      apiVersion: client.authentication.k8s.io/v1beta1\n      command: p\n",
                       "IfAvailable", nullptr},
        ExecConfigCase{"V1NeedsInteractiveMode",
                       "      apiVersion: client.authentication.k8s.io/v1\n      command: p\n",
                       nullptr,
                       "exec.interactiveMode is required in client.authentication.k8s.io/v1 (Never,"
                       " IfAvailable or Always)"},
        ExecConfigCase{"V1Always",
                       "      apiVersion: client.authentication.k8s.io/v1\n      command: p\n"
                       "      interactiveMode: Always\n",
                       "Always", nullptr},
        ExecConfigCase{"BadMode",
                       "      apiVersion: client.authentication.k8s.io/v1\n      command: p\n"
                       "      interactiveMode: Sometimes\n",
                       nullptr,
                       "exec.interactiveMode \"Sometimes\" must be Never, IfAvailable or Always"},
        ExecConfigCase{
            "OldApiVersion",
            "      apiVersion: client.authentication.k8s.io/v1alpha1\n      command: p\n", nullptr,
            "exec.apiVersion \"client.authentication.k8s.io/v1alpha1\" is not supported;"
            " use client.authentication.k8s.io/v1 or v1beta1"},
        ExecConfigCase{"NoCommand", "      apiVersion: client.authentication.k8s.io/v1\n", nullptr,
                       "exec.command is empty"},
        ExecConfigCase{"ProvideClusterInfoNotABool",
                       "      apiVersion: client.authentication.k8s.io/v1beta1\n      command: p\n"
                       "      provideClusterInfo: maybe\n",
                       nullptr, "exec.provideClusterInfo must be true or false"}),
    [](const auto& info) { return info.param.name; });

// What authenticates: kubectl uses a token or client certificate from the kubeconfig and
// runs the exec plugin only when there is neither.
struct SelectionCase {
  const char* name;
  std::string user;
  const char* token;
  bool cert;
  bool exec;
};

class CredentialSelection : public Credentials,
                            public ::testing::WithParamInterface<SelectionCase> {};

TEST_P(CredentialSelection, PicksAsKubectlDoes) {
  dir.write("sub/token", "file-token\n");
  const auto& c = GetParam();
  auto rc = with("", c.user);
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->token, c.token);
  EXPECT_EQ(!rc->client_cert_pem.empty(), c.cert);
  EXPECT_EQ(rc->exec.has_value(), c.exec);
}

const std::string kExec =
    "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: p\n";

INSTANTIATE_TEST_SUITE_P(
    Table, CredentialSelection,
    ::testing::Values(
        SelectionCase{"Token", "    token: t\n", "t", false, false},
        SelectionCase{"TokenFile", "    tokenFile: token\n", "file-token", false, false},
        SelectionCase{"ClientCert",
                      "    client-certificate-data: " + base64_encode(kCert) +
                          "\n    client-key-data: " + base64_encode(kKey) + "\n",
                      "", true, false},
        SelectionCase{"CertAndToken",
                      "    token: t\n    client-certificate-data: " + base64_encode(kCert) +
                          "\n    client-key-data: " + base64_encode(kKey) + "\n",
                      "t", true, false},
        SelectionCase{"Exec", kExec, "", false, true},
        SelectionCase{"TokenBeatsExec", "    token: t\n" + kExec, "t", false, false},
        SelectionCase{"TokenFileBeatsExec", "    tokenFile: token\n" + kExec, "file-token", false,
                      false},
        SelectionCase{"CertBeatsExec",
                      "    client-certificate-data: " + base64_encode(kCert) +
                          "\n    client-key-data: " + base64_encode(kKey) + "\n" + kExec,
                      "", true, false},
        SelectionCase{"Anonymous", "    {}\n", "", false, false}),
    [](const auto& info) { return info.param.name; });

TEST_F(Credentials, UnsupportedAuthIsReportedOnlyWhenChosen) {
  EXPECT_EQ(error_of(with("", "    auth-provider:\n      name: gcp\n")),
            "kubeconfig " + path +
                ": user \"u\": auth-provider is not supported; use a client"
                " certificate, a token or an exec plugin");
  EXPECT_EQ(error_of(with("", "    username: admin\n    password: secret\n")),
            "kubeconfig " + path +
                ": user \"u\": basic auth (username/password) is not supported;"
                " use a client certificate, a token or an exec plugin");
  std::string text =
      kubeconfig("c", cluster("c", "https://c"),
                 "- name: old\n  user:\n    auth-provider: {name: gcp}\n", context("c", "c", ""));
  EXPECT_TRUE(resolve(text).ok());
}

TEST(ParseKubeconfig, ListsMustBeLists) {
  auto cfg = parse_kubeconfig("clusters: {a: 1}\n", "cfg");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.error().message, "kubeconfig cfg: clusters must be a list");
  cfg = parse_kubeconfig("- a\n", "cfg");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.error().message, "kubeconfig cfg: not a YAML map");
  cfg = parse_kubeconfig("", "cfg");
  ASSERT_TRUE(cfg.ok());
  EXPECT_TRUE(cfg->clusters.empty());
}

// ---- proxies and escaping (lib/kube/client) ----

struct ProxyCase {
  const char* name;
  const char* server;
  const char* proxy_url;  // kubeconfig proxy-url
  std::map<std::string, std::string> env;
  const char* expected;
};

class ChooseProxy : public ::testing::TestWithParam<ProxyCase> {};

TEST_P(ChooseProxy, FollowsGoNetHttpRules) {
  const auto& c = GetParam();
  RestConfig rc;
  rc.server = c.server;
  rc.proxy_url = c.proxy_url;
  EXPECT_EQ(choose_proxy(rc, env_of(c.env)), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ChooseProxy,
    ::testing::Values(ProxyCase{"None", "https://api.example.com:6443", "", {}, ""},
                      ProxyCase{"HttpsProxy",
                                "https://api.example.com:6443",
                                "",
                                {{"HTTPS_PROXY", "http://p:3128"}},
                                "http://p:3128"},
                      ProxyCase{"LowerCase",
                                "https://api.example.com",
                                "",
                                {{"https_proxy", "http://p:3128"}},
                                "http://p:3128"},
                      ProxyCase{"HttpServerUsesHttpProxy",
                                "http://api.example.com",
                                "",
                                {{"HTTPS_PROXY", "http://s"}, {"HTTP_PROXY", "http://h"}},
                                "http://h"},
                      ProxyCase{"KubeconfigProxyWins",
                                "https://api.example.com",
                                "socks5://k:1080",
                                {{"HTTPS_PROXY", "http://p:3128"}},
                                "socks5://k:1080"},
                      ProxyCase{"NoProxyDomain",
                                "https://api.example.com",
                                "",
                                {{"HTTPS_PROXY", "http://p"}, {"NO_PROXY", "foo, .example.com"}},
                                ""},
                      ProxyCase{"NoProxyExactHost",
                                "https://api.example.com:6443",
                                "",
                                {{"HTTPS_PROXY", "http://p"}, {"no_proxy", "api.example.com"}},
                                ""},
                      ProxyCase{"NoProxyOtherHost",
                                "https://api.example.com",
                                "",
                                {{"HTTPS_PROXY", "http://p"}, {"NO_PROXY", "example.org,10.0.0.1"}},
                                "http://p"},
                      ProxyCase{"NoProxyStar",
                                "https://api.example.com",
                                "",
                                {{"HTTPS_PROXY", "http://p"}, {"NO_PROXY", "*"}},
                                ""},
                      ProxyCase{"LoopbackNeverProxied",
                                "https://127.0.0.1:6443",
                                "",
                                {{"HTTPS_PROXY", "http://p"}},
                                ""},
                      ProxyCase{"LocalhostNeverProxied",
                                "https://localhost:6443",
                                "",
                                {{"HTTPS_PROXY", "http://p"}},
                                ""},
                      ProxyCase{"Ipv6LoopbackNeverProxied",
                                "https://[::1]:6443",
                                "",
                                {{"HTTPS_PROXY", "http://p"}},
                                ""}),
    [](const auto& info) { return info.param.name; });

TEST(UrlEscape, EscapesAllButUnreservedCharacters) {
  EXPECT_EQ(url_escape("reviews-v1.bookstore_x~"), "reviews-v1.bookstore_x~");
  EXPECT_EQ(url_escape("a b/c?d&e=f#g%"), "a%20b%2Fc%3Fd%26e%3Df%23g%25");
  EXPECT_EQ(url_escape("app=istiod,x in (a)"), "app%3Distiod%2Cx%20in%20%28a%29");
  EXPECT_EQ(url_escape("caf\xc3\xa9"), "caf%C3%A9");
  EXPECT_EQ(url_escape(""), "");
}

}  // namespace
}  // namespace kmesh::kube
