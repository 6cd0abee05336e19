// kubectl mesh inject on the shared control plane (Istio installed by the fixture, so the
// injector webhook is live and istiod is not: Pod creation in an enabled namespace fails
// with the webhook's name, which shows what the labels select).

#include <gtest/gtest.h>

#include <thread>

#include "lib/core/strings.hpp"
#include "tests/integration/harness.hpp"

namespace kmesh::testing {
namespace {

Output run(std::vector<std::string> args) {
  args.insert(args.begin(), {"--kubeconfig", kubeconfig()});
  return mesh(args);
}

Json labels_of_namespace(const std::string& ns) {
  Json j = kubectl_json({"get", "namespace", ns});
  return j.is_object() ? j["metadata"]["labels"] : Json();
}

std::string make_namespace(const std::string& prefix, const std::string& label = "") {
  std::string ns = unique_name(prefix);
  EXPECT_EQ(kubectl({"create", "namespace", ns}).code, 0);
  if (!label.empty()) {
    EXPECT_EQ(kubectl({"label", "namespace", ns, label}).code, 0);
  }
  EXPECT_TRUE(wait_for_default_service_account(ns));
  return ns;
}

// A Pod as a workload's ReplicaSet would make it, with or without Istio's sidecar.
std::string pod_yaml(const std::string& name, const std::string& app, const std::string& sidecar) {
  std::string text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
                     "\n  labels:\n    app: " + app + "\nspec:\n";
  if (sidecar == "native")
    text +=
        "  initContainers:\n  - name: istio-proxy\n    image: docker.io/istio/proxyv2:1.31.0\n    "
        "restartPolicy: Always\n";
  text += "  containers:\n  - name: app\n    image: nginx\n";
  if (sidecar == "container")
    text += "  - name: istio-proxy\n    image: docker.io/istio/proxyv2:1.31.0\n";
  return text;
}

std::string deployment_yaml(const std::string& name, int replicas = 0) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name +
         "\nspec:\n  replicas: " + std::to_string(replicas) +
         "\n  selector:\n    matchLabels: {app: " + name +
         "}\n  template:\n    metadata:\n"
         "      labels: {app: " +
         name + "}\n    spec:\n      containers:\n      - name: app\n        image: nginx\n";
}

Output apply_in(const std::string& ns, const std::string& text) {
  return run({"apply", "-n", ns, "-f", write_file(temp_dir(), "o.yaml", text)});
}

TEST(Inject, FlipsSetExactlyTheLabelsKeepForeignOnesAndRepeatAsNoOps) {
  std::string ns = make_namespace("inj-flip", "team=shop");
  struct Step {
    std::vector<std::string> args;
    std::string injection, rev;  // expected values ("" = absent)
  };
  std::vector<Step> steps = {
      {{"inject", "enable", ns}, "enabled", ""},
      {{"inject", "enable", ns, "--revision", "canary"}, "", "canary"},
      {{"inject", "disable", ns}, "disabled", ""},
      {{"inject", "enable", ns}, "enabled", ""},
      {{"inject", "disable", ns, "--remove-label"}, "", ""},
  };
  bool checked_manager = false;
  for (const auto& s : steps) {
    Output first = run(s.args);
    ASSERT_EQ(first.code, 0) << join(s.args, " ") << ": " << first.err;
    Json labels = labels_of_namespace(ns);
    EXPECT_EQ(labels.value("istio-injection", ""), s.injection) << join(s.args, " ");
    EXPECT_EQ(labels.value("istio.io/rev", ""), s.rev) << join(s.args, " ");
    EXPECT_EQ(labels.value("team", ""), "shop") << "a foreign label was lost";
    Output again = run(s.args);
    ASSERT_EQ(again.code, 0);
    EXPECT_NE(again.out.find("namespace/" + ns + " unchanged"), std::string::npos) << again.out;
    if (!checked_manager) {
      Json managed = kubectl_json({"get", "namespace", ns, "--show-managed-fields"});
      bool by_inject = false;
      for (const auto& m : managed["metadata"]["managedFields"])
        by_inject |= m["manager"] == "kubectl-mesh-inject";
      EXPECT_TRUE(by_inject) << "labels must be written with field manager kubectl-mesh-inject";
      checked_manager = true;
    }
  }
}

TEST(Inject, WebhookFollowsTheLabelsForReal) {
  std::string ns = make_namespace("inj-hook");
  ASSERT_EQ(run({"inject", "enable", ns}).code, 0);
  // The injector webhook (failurePolicy Fail, no istiod behind it) now refuses new Pods;
  // the API server learns of webhook configurations through an informer, so allow a moment.
  Output refused;
  for (int i = 0; i < 20; ++i) {
    refused = apply_in(ns, pod_yaml("p1", "x", ""));
    if (refused.code != 0) break;
    kubectl({"delete", "pod", "p1", "-n", ns, "--wait=false"});
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("namespace.sidecar-injector.istio.io"), std::string::npos)
      << refused.err;
  // A Pod that opts out is created.
  std::string opted_out = pod_yaml("p2", "x", "");
  opted_out.replace(opted_out.find("    app: x"), 10,
                    "    app: x\n    sidecar.istio.io/inject: \"false\"");
  EXPECT_EQ(apply_in(ns, opted_out).code, 0);
  ASSERT_EQ(run({"inject", "disable", ns}).code, 0);
  EXPECT_EQ(apply_in(ns, pod_yaml("p3", "x", "")).code, 0);
}

TEST(Inject, RestartTouchesOnlyMismatchedWorkloadsAndListsJobs) {
  std::string ns = make_namespace("inj-restart");
  ASSERT_EQ(apply_in(ns, deployment_yaml("with-sidecar") + "---\n" +
                             deployment_yaml("native-sidecar") + "---\n" + deployment_yaml("plain"))
                .code,
            0);
  // The Pods the workloads run, created while the namespace is not yet labelled.
  ASSERT_EQ(apply_in(ns, pod_yaml("with-sidecar-1", "with-sidecar", "container") + "---\n" +
                             pod_yaml("native-sidecar-1", "native-sidecar", "native") + "---\n" +
                             pod_yaml("plain-1", "plain", ""))
                .code,
            0);
  std::string job =
      "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: batch\nspec:\n  template:\n    spec:\n"
      "      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n";
  ASSERT_EQ(apply_in(ns, job).code, 0);
  Json job_obj = kubectl_json({"get", "job", "batch", "-n", ns});
  std::string job_pod = pod_yaml("batch-1", "batch", "");
  job_pod.replace(
      job_pod.find("  labels:"), 0,
      "  ownerReferences:\n  - apiVersion: batch/v1\n    kind: Job\n    name: batch\n    uid: " +
          job_obj["metadata"]["uid"].get<std::string>() + "\n");
  ASSERT_EQ(apply_in(ns, job_pod).code, 0);

  Output r = run({"inject", "enable", ns, "--restart"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("deployment.apps/plain in " + ns + " restarted"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("with-sidecar in"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("native-sidecar in"), std::string::npos) << r.out;
  EXPECT_NE(
      r.out.find("job.batch/batch in " + ns + " has Pods without a sidecar: recreate it by hand"),
      std::string::npos)
      << r.out;

  auto restarted_at = [&](const std::string& name) {
    Json d = kubectl_json({"get", "deployment", name, "-n", ns});
    const Json& a = d["spec"]["template"]["metadata"];
    return a.contains("annotations")
               ? a["annotations"].value("kubectl.kubernetes.io/restartedAt", "")
               : "";
  };
  EXPECT_FALSE(restarted_at("plain").empty());
  EXPECT_TRUE(restarted_at("with-sidecar").empty());
  EXPECT_TRUE(restarted_at("native-sidecar").empty());
  // The controller manager rolls the restarted Deployment: a second ReplicaSet appears.
  size_t replica_sets = 0;
  for (int i = 0; i < 50 && replica_sets < 2; ++i) {
    replica_sets = kubectl_json({"get", "rs", "-n", ns, "-l", "app=plain"})["items"].size();
    if (replica_sets < 2) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(replica_sets, 2u);
  Json job_after = kubectl_json({"get", "job", "batch", "-n", ns});
  EXPECT_EQ(job_after["metadata"]["resourceVersion"], job_obj["metadata"]["resourceVersion"])
      << "the Job was touched";

  Output status = run({"inject", "status", ns, "-o", "json"});
  ASSERT_EQ(status.code, 0) << status.err;
  Json st = Json::parse(status.out);
  ASSERT_EQ(st.size(), 1u);
  EXPECT_EQ(st[0]["injection"], "enabled");
  EXPECT_EQ(st[0]["podsWithSidecar"], 2);
  // plain-1, the test's Job Pod and the one the Job controller made before the label.
  EXPECT_EQ(st[0]["podsWithoutSidecar"], 3);
}

TEST(Inject, OneMissingNamespaceChangesNoneAndSystemNamespacesNeedAFlag) {
  std::string ns = make_namespace("inj-missing");
  Output r = run({"inject", "enable", ns, "no-such-namespace-here"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("namespace no-such-namespace-here does not exist"), std::string::npos)
      << r.err;
  EXPECT_FALSE(labels_of_namespace(ns).contains("istio-injection"))
      << "the existing namespace was changed";
  Output system = run({"inject", "enable", "kube-public"});
  EXPECT_EQ(system.code, 2);
  EXPECT_NE(system.err.find("--include-system"), std::string::npos) << system.err;
  EXPECT_FALSE(labels_of_namespace("kube-public").contains("istio-injection"));
}

TEST(Inject, RestrictedUserGetsAPermissionError) {
  Output r = mesh({"--kubeconfig", kubeconfig("restricted"), "inject", "enable", "restricted-ns"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("forbidden"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("kmesh-restricted"), std::string::npos) << r.err;
}

TEST(Inject, FiveHundredNamespacesFlipInOneCommand) {
  std::string tag = unique_name("bulk");
  std::string text;
  for (int i = 0; i < 500; ++i)
    text += "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + tag + "-" +
            std::to_string(i) + "\n  labels:\n    bulk: " + tag + "\n";
  ASSERT_EQ(run({"apply", "-f", write_file(temp_dir(), "ns.yaml", text)}).code, 0);
  Output r = run({"inject", "enable", "-l", "bulk=" + tag});
  ASSERT_EQ(r.code, 0) << r.err;
  Json all = kubectl_json({"get", "namespaces", "-l", "bulk=" + tag + ",istio-injection=enabled"});
  EXPECT_EQ(all["items"].size(), 500u);
  size_t lines = 0;
  for (const auto& l : split(r.out, '\n'))
    lines += l.find(" labeled istio-injection=enabled") != std::string::npos;
  EXPECT_EQ(lines, 500u);
}

}  // namespace
}  // namespace kmesh::testing
