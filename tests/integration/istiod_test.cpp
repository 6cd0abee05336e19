// Real istiod against our install, on a control plane of its own: istiod (pilot-discovery
// 1.31.0, built from the istio.io/istio module by tests/cluster/build-istiod.sh) reads the
// `istio` and `istio-sidecar-injector` ConfigMaps that `kubectl mesh install` made, and
// the harness points the install's webhooks at it (tests/cluster/cluster.sh istiod). So:
// Pods are injected from our template by Istio itself, Istio config is validated by
// Istio's own webhook, and our manifests are compared with istioctl's from the same commit.

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "lib/core/strings.hpp"
#include "lib/yaml/parse.hpp"
#include "tests/integration/harness.hpp"
#include "tests/unit/jwks_test_keys.hpp"

namespace kmesh::testing {
namespace {

namespace fs = std::filesystem;

std::string source_path(const std::string& rel) {
  return std::string(KMESH_SOURCE_DIR) + "/" + rel;
}

// Plain HTTP GET on loopback (istiod's debug port); empty with *status 0 when unreachable.
std::string http_get(const std::string& url, long* status) {
  std::string body;
  *status = 0;
  CURL* curl = curl_easy_init();
  if (!curl) return body;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(
      curl, CURLOPT_WRITEFUNCTION, +[](char* p, size_t s, size_t n, void* out) {
        static_cast<std::string*>(out)->append(p, s * n);
        return s * n;
      });
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
  curl_easy_cleanup(curl);
  return body;
}

// DIR/istiod.env: KEY=VALUE lines written by `cluster.sh istiod`.
std::map<std::string, std::string> read_env(const std::string& path) {
  std::map<std::string, std::string> env;
  auto file = read_file(path);
  for (const auto& line : split(file.text, '\n')) {
    auto eq = line.find('=');
    if (eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return env;
}

std::vector<std::string> corpus_files() {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(source_path("tests/istiod/invalid")))
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

// The istio-proxy container of a Pod, as a plain container or a native sidecar.
const Json* proxy_container(const Json& pod, bool* native) {
  if (!pod.contains("spec")) return nullptr;
  for (const char* list : {"containers", "initContainers"}) {
    if (!pod["spec"].contains(list)) continue;
    for (const auto& c : pod["spec"][list])
      if (c.value("name", "") == "istio-proxy") {
        *native = std::string(list) == "initContainers";
        return &c;
      }
  }
  return nullptr;
}

bool has_container(const Json& pod, const std::string& list, const std::string& name) {
  for (const auto& c : pod["spec"].value(list, Json::array()))
    if (c.value("name", "") == name) return true;
  return false;
}

class Istiod : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Built (or found in the cache) by the script, as the istiod_build fixture did.
    Output build = run_program({source_path("tests/cluster/build-istiod.sh")}, 5400);
    if (build.code != 0) {
      error_ = "tests/cluster/build-istiod.sh failed (" + std::to_string(build.code) + "):\n" +
               build.err;
      return;
    }
    binary_ = std::string(trim(build.out));
    plane_ = new OwnControlPlane();
    if (!plane_->ok()) {
      error_ = "control plane: " + plane_->error();
      return;
    }
    // accessLogFile differs from Istio's default, so istiod's view of it proves it read our
    // ConfigMap.
    Output install = run({"install", "-y", "--set", "meshConfig.accessLogFile=/dev/stdout"});
    if (install.code != 0) {
      error_ = "kubectl mesh install: " + install.err;
      return;
    }
    // Before istiod runs, the validators are fail-open and unreachable: a server-side dry run
    // shows what the CRD schemas alone say about the corpus.
    for (const auto& file : corpus_files())
      schema_[file] =
          kc({"apply", "--server-side", "--dry-run=server", "-n", "default", "-f", file});
    Output up = run_program({cluster_script(), "istiod", plane_->dir()}, 600);
    if (up.code != 0) {
      error_ = "cluster.sh istiod: " + up.out + up.err;
      return;
    }
    env_ = read_env(plane_->dir() + "/istiod.env");
    ready_ = true;
  }
  static void TearDownTestSuite() { delete plane_; }
  void SetUp() override { ASSERT_TRUE(ready_) << error_; }

  static Output run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--kubeconfig", plane_->kubeconfig()});
    return mesh(args);
  }
  static Output kc(std::vector<std::string> args) { return kubectl(args, plane_->kubeconfig()); }
  static Json kc_json(std::vector<std::string> args) {
    args.insert(args.end(), {"-o", "json"});
    Output r = kc(args);
    return r.code == 0 ? Json::parse(r.out, nullptr, false) : Json();
  }
  static std::string debug_url(const std::string& path) {
    return "http://127.0.0.1:" + env_["ISTIOD_HTTP_PORT"] + path;
  }
  static Json debug_json(const std::string& path) {
    long status = 0;
    std::string body = http_get(debug_url(path), &status);
    return status == 200 ? Json::parse(body, nullptr, false) : Json();
  }
  // The config istiod holds for NAMESPACE/NAME of KIND (its /debug/configz), waiting up to 30 s
  // for its informers; null when it never shows up.
  static Json istiod_config(const std::string& kind, const std::string& ns,
                            const std::string& name) {
    for (int i = 0; i < 60; ++i) {
      Json all = debug_json("/debug/configz");
      if (all.is_array())
        for (const auto& c : all)
          if (c.value("kind", "") == kind && c["metadata"].value("namespace", "") == ns &&
              c["metadata"].value("name", "") == name)
            return c;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    return nullptr;
  }
  static std::string make_namespace(const std::string& prefix) {
    std::string ns = unique_name(prefix);
    EXPECT_EQ(kc({"create", "namespace", ns}).code, 0);
    EXPECT_TRUE(wait_for_default_service_account(ns, plane_->kubeconfig()));
    return ns;
  }
  // Creates a Pod with the server's kubectl and returns it as the API server stored it.
  static Json create_pod(const std::string& ns, const std::string& name,
                         const std::string& labels = "") {
    std::string text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
                       "\n  labels:\n    app: " + name + "\n" + labels +
                       "spec:\n  containers:\n  - name: app\n    image: nginx\n    ports:\n"
                       "    - {name: http, containerPort: 8080}\n";
    Output r =
        kc({"create", "-n", ns, "-o", "json", "-f", write_file(temp_dir(), "pod.yaml", text)});
    EXPECT_EQ(r.code, 0) << name << ": " << r.err;
    return r.code == 0 ? Json::parse(r.out, nullptr, false) : Json::object();
  }

  // The API server sees namespace labels through an informer: wait until a dry-run Pod in
  // NS comes back injected, so labels set before are visible too (one watch stream, in order).
  static bool wait_until_injecting(const std::string& ns) {
    std::string file = write_file(temp_dir(), "probe.yaml",
                                  "apiVersion: v1\nkind: Pod\nmetadata: {name: probe}\n"
                                  "spec:\n  containers:\n  - {name: app, image: nginx}\n");
    for (int i = 0; i < 120; ++i) {
      Output r = kc({"create", "--dry-run=server", "-n", ns, "-o", "json", "-f", file});
      bool native = false;
      if (r.code == 0 && proxy_container(Json::parse(r.out, nullptr, false), &native)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return false;
  }

  static OwnControlPlane* plane_;
  static std::string binary_, error_;
  static bool ready_;
  static std::map<std::string, std::string> env_;
  static std::map<std::string, Output> schema_;
};
OwnControlPlane* Istiod::plane_ = nullptr;
std::string Istiod::binary_, Istiod::error_;
bool Istiod::ready_ = false;
std::map<std::string, std::string> Istiod::env_;
std::map<std::string, Output> Istiod::schema_;

TEST_F(Istiod, ReadsTheMeshConfigMapOfTheInstall) {
  Json mesh = debug_json("/debug/mesh");
  ASSERT_TRUE(mesh.is_object()) << "GET " << debug_url("/debug/mesh");
  EXPECT_EQ(mesh.value("accessLogFile", ""), "/dev/stdout") << mesh.dump(2);
  EXPECT_EQ(mesh.value("trustDomain", ""), "cluster.local");
  EXPECT_EQ(mesh.value("rootNamespace", ""), "istio-system");
  EXPECT_EQ(mesh["defaultProviders"]["metrics"], Json::array({"prometheus"})) << mesh.dump(2);
  EXPECT_EQ(mesh["defaultConfig"].value("discoveryAddress", ""), "istiod.istio-system.svc:15012");
  auto log = read_file(env_["ISTIOD_LOG"]);
  ASSERT_TRUE(log.ok) << env_["ISTIOD_LOG"];
  EXPECT_EQ(log.text.find("invalid mesh config"), std::string::npos);
  EXPECT_EQ(log.text.find("failed to unmarshal injection"), std::string::npos);
}

TEST_F(Istiod, WebhooksPointAtIstiodWhichSwitchedValidationToFail) {
  for (std::string name : {"istiod-default-validator", "istio-validator-istio-system"}) {
    Json v = kc_json({"get", "validatingwebhookconfiguration", name});
    ASSERT_TRUE(v.is_object()) << name;
    for (const auto& w : v["webhooks"]) {
      EXPECT_EQ(w.value("failurePolicy", ""), "Fail") << name;
      EXPECT_EQ(w["clientConfig"].value("url", ""),
                "https://localhost:" + env_["ISTIOD_WEBHOOK_PORT"] + "/validate");
      EXPECT_FALSE(w["clientConfig"].value("caBundle", "").empty()) << name;
    }
  }
  Json m = kc_json({"get", "mutatingwebhookconfiguration", "istio-sidecar-injector"});
  ASSERT_TRUE(m.is_object());
  for (const auto& w : m["webhooks"]) {
    EXPECT_EQ(w["clientConfig"].value("url", ""),
              "https://localhost:" + env_["ISTIOD_WEBHOOK_PORT"] + "/inject");
    EXPECT_FALSE(w["clientConfig"].value("caBundle", "").empty());
  }
}

TEST_F(Istiod, InjectsOurTemplateWhereEnabledAndNowhereElse) {
  std::string on = make_namespace("istiod-on"), off = make_namespace("istiod-off");
  ASSERT_EQ(run({"inject", "disable", off}).code, 0);
  ASSERT_EQ(run({"inject", "enable", on}).code, 0);
  ASSERT_TRUE(wait_until_injecting(on)) << "no injection in " << on << " after 30s";

  Json pod = create_pod(on, "web");
  bool native = false;
  const Json* proxy = proxy_container(pod, &native);
  ASSERT_NE(proxy, nullptr) << "no istio-proxy in\n" << pod.dump(2);
  EXPECT_TRUE(pod["metadata"]["annotations"].contains("sidecar.istio.io/status"))
      << "not injected by istiod";
  EXPECT_EQ(proxy->value("image", ""), "docker.io/istio/proxyv2:1.31.0");
  std::vector<std::string> args = proxy->value("args", std::vector<std::string>{});
  std::vector<std::string> expected_args = {"proxy",
                                            "sidecar",
                                            "--domain",
                                            "$(POD_NAMESPACE).svc.cluster.local",
                                            "--proxyLogLevel=warning",
                                            "--proxyComponentLogLevel=misc:error",
                                            "--log_output_level=default:info"};
  EXPECT_EQ(args, expected_args);
  bool prom = false;
  for (const auto& p : proxy->value("ports", Json::array()))
    prom |= p.value("containerPort", 0) == 15090 && p.value("name", "") == "http-envoy-prom";
  EXPECT_TRUE(prom) << proxy->dump(2);
  EXPECT_EQ((*proxy)["readinessProbe"]["httpGet"].value("port", Json()), 15021) << proxy->dump(2);
  if (native) {
    EXPECT_EQ(proxy->value("restartPolicy", ""), "Always");
  }
  EXPECT_TRUE(has_container(pod, "initContainers", "istio-init")) << pod.dump(2);
  std::string pod_ports;
  for (const auto& e : proxy->value("env", Json::array()))
    if (e.value("name", "") == "ISTIO_META_POD_PORTS") pod_ports = e.value("value", "");
  EXPECT_NE(pod_ports.find("8080"), std::string::npos)
      << "template did not see the app's ports: " << pod_ports;

  Json opted_out = create_pod(on, "batch", "    sidecar.istio.io/inject: \"false\"\n");
  EXPECT_EQ(proxy_container(opted_out, &native), nullptr) << opted_out.dump(2);
  EXPECT_FALSE(has_container(opted_out, "initContainers", "istio-init"));
  Json disabled = create_pod(off, "web");
  EXPECT_EQ(proxy_container(disabled, &native), nullptr) << disabled.dump(2);
  // In the disabled namespace the Pod label does not help: disabled blocks injection.
  Json asked = create_pod(off, "asks", "    sidecar.istio.io/inject: \"true\"\n");
  EXPECT_EQ(proxy_container(asked, &native), nullptr) << asked.dump(2);

  Output status = run({"inject", "status", on, off, "-o", "json"});
  ASSERT_EQ(status.code, 0) << status.err;
  Json rows = Json::parse(status.out, nullptr, false);
  ASSERT_TRUE(rows.is_array()) << status.out;
  std::map<std::string, std::pair<int, int>> counts;
  for (const auto& r : rows)
    counts[r["namespace"]] = {r["podsWithSidecar"], r["podsWithoutSidecar"]};
  EXPECT_EQ(counts[on], std::make_pair(1, 1)) << status.out;
  EXPECT_EQ(counts[off], std::make_pair(0, 2)) << status.out;
}

TEST_F(Istiod, DeploymentPodsAreInjectedWithTheirWorkloadName) {
  std::string ns = make_namespace("istiod-deploy");
  ASSERT_EQ(run({"inject", "enable", ns}).code, 0);
  ASSERT_TRUE(wait_until_injecting(ns)) << "no injection in " << ns << " after 30s";
  std::string deployment =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: reviews\nspec:\n  replicas: 1\n"
      "  selector:\n    matchLabels: {app: reviews}\n  template:\n    metadata:\n"
      "      labels: {app: reviews, version: v1}\n    spec:\n      containers:\n"
      "      - name: reviews\n        image: nginx\n";
  ASSERT_EQ(run({"apply", "-n", ns, "-f", write_file(temp_dir(), "d.yaml", deployment)}).code, 0);
  Json pods;
  for (int i = 0; i < 120; ++i) {
    pods = kc_json({"get", "pods", "-n", ns, "-l", "app=reviews"});
    if (pods.is_object() && !pods["items"].empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  ASSERT_TRUE(pods.is_object() && !pods["items"].empty()) << "the ReplicaSet made no Pod";
  const Json& pod = pods["items"][0];
  bool native = false;
  const Json* proxy = proxy_container(pod, &native);
  ASSERT_NE(proxy, nullptr) << pod.dump(2);
  std::map<std::string, std::string> env;
  for (const auto& e : proxy->value("env", Json::array()))
    env[e.value("name", "")] = e.value("value", "");
  EXPECT_EQ(env["ISTIO_META_WORKLOAD_NAME"], "reviews");
  EXPECT_EQ(env["ISTIO_META_APP_CONTAINERS"], "reviews");
  EXPECT_EQ(env["CA_ADDR"], "istiod.istio-system.svc:15012");
  EXPECT_EQ(pod["metadata"]["labels"].value("service.istio.io/canonical-name", ""), "reviews");
  EXPECT_EQ(pod["metadata"]["labels"].value("service.istio.io/canonical-revision", ""), "v1");
  Output status = run({"inject", "status", ns, "-o", "json"});
  ASSERT_EQ(status.code, 0) << status.err;
  Json rows = Json::parse(status.out, nullptr, false);
  ASSERT_TRUE(rows.is_array() && rows.size() == 1) << status.out;
  EXPECT_EQ(rows[0]["podsWithSidecar"], 1) << status.out;
  EXPECT_EQ(rows[0]["podsWithoutSidecar"], 0) << status.out;
  EXPECT_TRUE(rows[0]["needRestart"].empty()) << status.out;
}

TEST_F(Istiod, CorpusPassesTheSchemaButIstiosWebhookRejectsEachObject) {
  auto files = corpus_files();
  ASSERT_GE(files.size(), 10u);
  std::string ns = make_namespace("istiod-invalid");
  for (const auto& file : files) {
    std::string name = fs::path(file).filename().string();
    auto text = read_file(file);
    ASSERT_TRUE(text.ok) << file;
    EXPECT_TRUE(starts_with(text.text, "# Istio rejects it: "))
        << name << ": the first line must say why";
    auto docs = yaml::parse_documents(text.text, file);
    ASSERT_TRUE(docs.ok()) << file;
    EXPECT_EQ(docs->size(), 1u) << name << ": one object per file";
    const Output& schema = schema_[file];
    EXPECT_EQ(schema.code, 0)
        << name << ": the CRD schema itself rejects it, so it tests nothing of Istio's:\n"
        << schema.err;
    Output r = kc({"apply", "--server-side", "-n", ns, "-f", file});
    EXPECT_NE(r.code, 0) << name << " was accepted";
    EXPECT_NE(r.err.find("admission webhook \"validation.istio.io\" denied the request"),
              std::string::npos)
        << name << ":\n"
        << r.err;
  }
  // The same webhook lets valid config through, so the rejections above are Istio's judgement.
  std::string valid = write_file(temp_dir(), "valid.yaml", R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: valid}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 90
    - destination: {host: reviews, subset: v2}
      weight: 10
)");
  Output ok = kc({"apply", "--server-side", "-n", ns, "-f", valid});
  EXPECT_EQ(ok.code, 0) << ok.err;
}

// One allowlist entry: PROFILE SIDE Kind/name -- why (SIDE: ours = only we make it,
// istioctl = only istioctl does; PROFILE * = every profile).
struct Allowed {
  std::string profile, side, object, why;
  bool used = false;
};

std::vector<Allowed> read_allowlist(std::string* problems) {
  std::vector<Allowed> list;
  std::string path = source_path("tests/istiod/fidelity-allowlist.txt");
  auto file = read_file(path);
  if (!file.ok) *problems += path + ": " + file.error + "\n";
  int n = 0;
  for (const auto& raw : split(file.text, '\n')) {
    ++n;
    std::string line(trim(raw));
    if (line.empty() || line[0] == '#') continue;
    auto dash = line.find(" -- ");
    auto fields = split(std::string(trim(line.substr(0, dash))), ' ');
    fields.erase(std::remove(fields.begin(), fields.end(), ""), fields.end());
    Allowed a;
    if (dash != std::string::npos) a.why = std::string(trim(line.substr(dash + 4)));
    if (fields.size() != 3 || (fields[1] != "ours" && fields[1] != "istioctl") || a.why.empty()) {
      *problems +=
          path + ":" + std::to_string(n) + ": expected 'PROFILE ours|istioctl Kind/name -- why'\n";
      continue;
    }
    a.profile = fields[0], a.side = fields[1], a.object = fields[2];
    list.push_back(a);
  }
  return list;
}

TEST_F(Istiod, ManifestGenerateMatchesIstioctlOfTheSameCommitModuloTheAllowlist) {
  std::string problems;
  auto allow = read_allowlist(&problems);
  EXPECT_TRUE(problems.empty()) << problems;
  for (std::string profile : {"minimal", "default", "demo"}) {
    Output ours_out = run({"manifest", "generate", "--profile", profile, "-o", "json"});
    ASSERT_EQ(ours_out.code, 0) << ours_out.err;
    std::set<std::string> ours, theirs;
    Json plan = Json::parse(ours_out.out, nullptr, false);
    ASSERT_TRUE(plan.is_object()) << ours_out.out.substr(0, 2000);
    for (const auto& o : plan["items"])
      ours.insert(o["kind"].get<std::string>() + "/" + o["metadata"]["name"].get<std::string>());
    Output istioctl = run_program(
        {binary_, "istioctl", "manifest", "generate", "--set", "profile=" + profile}, 300);
    ASSERT_EQ(istioctl.code, 0) << istioctl.err;
    auto docs = yaml::parse_documents(istioctl.out, "istioctl manifest generate");
    ASSERT_TRUE(docs.ok()) << docs.error().message;
    for (const auto& d : *docs)
      if (d.value.is_object() && d.value.contains("kind"))
        theirs.insert(d.value["kind"].get<std::string>() + "/" +
                      d.value["metadata"]["name"].get<std::string>());
    ASSERT_GT(theirs.size(), 10u) << istioctl.out.substr(0, 2000);
    auto check = [&](const std::set<std::string>& only_here, const std::set<std::string>& other,
                     const std::string& side) {
      for (const auto& object : only_here) {
        if (other.count(object)) continue;
        bool allowed = false;
        for (auto& a : allow)
          if (a.side == side && a.object == object && (a.profile == "*" || a.profile == profile))
            allowed = a.used = true;
        EXPECT_TRUE(allowed) << profile << ": " << object << " only in "
                             << (side == "ours" ? "ours" : "istioctl's")
                             << "; add it to tests/istiod/fidelity-allowlist.txt with the reason, "
                                "or fix the manifests";
      }
    };
    check(ours, theirs, "ours");
    check(theirs, ours, "istioctl");
  }
  for (const auto& a : allow)
    EXPECT_TRUE(a.used) << "stale allowlist entry: " << a.profile << " " << a.side << " "
                        << a.object;
}

TEST_F(Istiod, DebugConfigzListsTheRetriesAndBreakerWeApplied) {
  std::string ns = make_namespace("istiod-policy");
  std::string policies =
      write_file(temp_dir(), "policies.yaml", R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - route:
    - destination: {host: ratings, subset: v1}
    retries:
      attempts: 3
      perTryTimeout: 2s
      retryOn: 5xx,connect-failure
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings}
spec:
  host: ratings
  trafficPolicy:
    connectionPool:
      tcp: {maxConnections: 100}
      http: {http1MaxPendingRequests: 10, maxRequestsPerConnection: 1}
    outlierDetection:
      consecutive5xxErrors: 5
      interval: 10s
      baseEjectionTime: 30s
      maxEjectionPercent: 50
  subsets:
  - name: v1
    labels: {version: v1}
)");
  Output applied = run({"apply", "-n", ns, "-f", policies});
  ASSERT_EQ(applied.code, 0) << applied.err;
  Json vs = istiod_config("VirtualService", ns, "ratings");
  Json dr = istiod_config("DestinationRule", ns, "ratings");
  ASSERT_FALSE(vs.is_null()) << "istiod's /debug/configz has no VirtualService " << ns
                             << "/ratings";
  ASSERT_FALSE(dr.is_null()) << "istiod's /debug/configz has no DestinationRule " << ns
                             << "/ratings";
  const Json& retries = vs["spec"]["http"][0]["retries"];
  EXPECT_EQ(retries.value("attempts", 0), 3) << vs.dump(2);
  EXPECT_EQ(retries.value("perTryTimeout", ""), "2s") << vs.dump(2);
  EXPECT_EQ(retries.value("retryOn", ""), "5xx,connect-failure") << vs.dump(2);
  const Json& policy = dr["spec"]["trafficPolicy"];
  EXPECT_EQ(policy["connectionPool"]["tcp"].value("maxConnections", 0), 100) << dr.dump(2);
  EXPECT_EQ(policy["connectionPool"]["http"].value("http1MaxPendingRequests", 0), 10) << dr.dump(2);
  EXPECT_EQ(policy["connectionPool"]["http"].value("maxRequestsPerConnection", 0), 1) << dr.dump(2);
  EXPECT_EQ(policy["outlierDetection"].value("consecutive5xxErrors", 0), 5) << dr.dump(2);
  EXPECT_EQ(policy["outlierDetection"].value("baseEjectionTime", ""), "30s") << dr.dump(2);
  EXPECT_EQ(policy["outlierDetection"].value("maxEjectionPercent", 0), 50) << dr.dump(2);
  EXPECT_EQ(dr["spec"]["subsets"][0].value("name", ""), "v1") << dr.dump(2);
}

TEST_F(Istiod, BookstoreWithOurOwnKeysPassesIstiosWebhookAndIstiodHoldsTheJwks) {
  // Istio's validating webhook is failurePolicy Fail once istiod serves it, so an apply that
  // succeeds is Istio's own verdict on the RequestAuthentication built from our keys.
  std::string dir = jwks_test::make_dir();
  std::string rsa = jwks_test::rsa_key(dir, 2048, "istiod-rsa");
  std::string ec = jwks_test::ec_key(dir, "P-256", "istiod-ec");
  std::string ns = unique_name("istiod-jwks");
  const std::string issuer = "auth.istiod-test.example";
  Output applied = run({"-n", ns, "bookstore", "apply", "--jwks-from", rsa, "--jwks-from",
                        jwks_test::certificate(ec), "--jwt-issuer", issuer});
  ASSERT_EQ(applied.code, 0) << applied.err;
  EXPECT_NE(applied.out.find("requestauthentication.security.istio.io/authentication-jwt-token"),
            std::string::npos)
      << applied.out;

  Output ours = run({"jwks", "--from", rsa, "--from", ec});
  ASSERT_EQ(ours.code, 0) << ours.err;
  Json expected = Json::parse(ours.out, nullptr, false);
  ASSERT_EQ(expected["keys"].size(), 2u) << ours.out;

  Json ra = istiod_config("RequestAuthentication", ns, "authentication-jwt-token");
  ASSERT_FALSE(ra.is_null()) << "istiod's /debug/configz has no RequestAuthentication " << ns
                             << "/authentication-jwt-token";
  const Json& rule = ra["spec"]["jwtRules"][0];
  EXPECT_EQ(rule.value("issuer", ""), issuer) << ra.dump(2);
  Json held = Json::parse(rule.value("jwks", ""), nullptr, false);
  ASSERT_TRUE(held.is_object()) << ra.dump(2);
  EXPECT_EQ(held, expected) << "istiod holds exactly the JWKS `kubectl mesh jwks` prints";

  // Injection still works in the namespace (the mesh profile labels it): the Pods the
  // controller manager creates for the bookstore come back with istio-proxy.
  bool injected = false;
  for (int i = 0; i < 120 && !injected; ++i) {
    Json pods = kc_json({"get", "pods", "-n", ns});
    for (const auto& pod : pods.value("items", Json::array())) {
      bool native = false;
      if (proxy_container(pod, &native)) injected = true;
    }
    if (!injected) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_TRUE(injected) << "no bookstore Pod in " << ns << " was injected";
}

}  // namespace
}  // namespace kmesh::testing
