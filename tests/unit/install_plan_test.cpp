// The install plan's components as the values choose them: which optional objects
// (PodDisruptionBudgets, HorizontalPodAutoscalers) each profile and --set renders.

#include "lib/mesh/install_plan.hpp"

#include <gtest/gtest.h>

#include <set>

#include "lib/kube/objects.hpp"

namespace kmesh::mesh {
namespace {

// "Kind/name" of every object of the plan.
std::set<std::string> objects_of(const std::string& profile, std::vector<std::string> sets = {}) {
  InstallRequest request;
  request.profile = profile;
  request.sets = std::move(sets);
  auto plan = build_install_plan(request);
  EXPECT_TRUE(plan.ok()) << (plan.ok() ? "" : plan.error().message);
  std::set<std::string> out;
  if (plan.ok())
    for (const auto& p : plan->objects)
      out.insert(kube::kind_of(p.object) + "/" + kube::name_of(p.object));
  return out;
}

bool has(const std::set<std::string>& objects, const std::string& name) {
  return objects.count(name) > 0;
}

TEST(InstallPlanBudgets, NoPodDisruptionBudgetOverASingleReplica) {
  for (std::string profile : {"minimal", "default", "demo"}) {
    auto objects = objects_of(profile);
    for (const auto& o : objects)
      EXPECT_NE(o.rfind("PodDisruptionBudget/", 0), 0u)
          << profile << ": " << o << " would block every node drain with one replica";
  }
}

TEST(InstallPlanBudgets, AnAutoscalerMinimumAboveOneGetsABudget) {
  auto objects = objects_of("default", {"pilot.autoscaleMin=2", "gateways.ingress.autoscaleMin=3"});
  EXPECT_TRUE(has(objects, "PodDisruptionBudget/istiod"));
  EXPECT_TRUE(has(objects, "PodDisruptionBudget/istio-ingressgateway"));
}

TEST(InstallPlanBudgets, WithoutAnAutoscalerTheReplicaCountDecides) {
  auto two = objects_of("default", {"pilot.autoscaleEnabled=false", "pilot.replicaCount=2"});
  EXPECT_TRUE(has(two, "PodDisruptionBudget/istiod"));
  EXPECT_FALSE(has(two, "HorizontalPodAutoscaler/istiod"));
  // replicaCount is what counts without an autoscaler, whatever autoscaleMin says.
  auto one = objects_of("default", {"pilot.autoscaleEnabled=false", "pilot.autoscaleMin=3"});
  EXPECT_FALSE(has(one, "PodDisruptionBudget/istiod"));
}

TEST(InstallPlanBudgets, AutoscalersFollowTheProfile) {
  EXPECT_TRUE(has(objects_of("default"), "HorizontalPodAutoscaler/istiod"));
  EXPECT_FALSE(has(objects_of("demo"), "HorizontalPodAutoscaler/istiod"));
}

}  // namespace
}  // namespace kmesh::mesh
