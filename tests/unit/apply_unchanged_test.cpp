// lib/kube/apply: when a server-side apply is reported "unchanged", from the metadata read
// before it and the metadata it returned.

#include <gtest/gtest.h>

#include "lib/kube/apply.hpp"

namespace kmesh::kube {
namespace {

// A Deployment's metadata as the API server returns it after our first apply.
Json deployment_metadata() {
  return Json::parse(R"({
    "name": "web", "namespace": "shop", "resourceVersion": "100", "generation": 1,
    "labels": {"app": "web"},
    "managedFields": [
      {"manager": "kubectl-mesh", "operation": "Apply", "apiVersion": "apps/v1",
       "time": "2026-11-26T01:00:00Z", "fieldsType": "FieldsV1",
       "fieldsV1": {"f:metadata": {"f:labels": {"f:app": {}}}, "f:spec": {"f:replicas": {}}}},
      {"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "apps/v1",
       "time": "2026-11-26T01:00:00Z", "fieldsType": "FieldsV1", "subresource": "status",
       "fieldsV1": {"f:status": {"f:replicas": {}}}}
    ]})");
}

TEST(ApplyUnchanged, SameResourceVersionIsUnchanged) {
  Json meta = deployment_metadata();
  EXPECT_TRUE(apply_changed_nothing(meta, meta, "kubectl-mesh"));
}

TEST(ApplyUnchanged, NothingKnownBeforeIsApplied) {
  EXPECT_FALSE(apply_changed_nothing(Json(), deployment_metadata(), "kubectl-mesh"));
}

TEST(ApplyUnchanged, ControllerStatusWriteInBetweenIsStillUnchanged) {
  Json before = deployment_metadata();
  Json after = before;
  after["resourceVersion"] = "104";  // the deployment controller wrote status
  after["managedFields"][1]["time"] = "2026-11-26T01:00:01Z";
  EXPECT_TRUE(apply_changed_nothing(before, after, "kubectl-mesh"));
}

TEST(ApplyUnchanged, SpecChangeBumpsGenerationAndIsApplied) {
  Json before = deployment_metadata();
  Json after = before;
  after["resourceVersion"] = "104";
  after["generation"] = 2;
  EXPECT_FALSE(apply_changed_nothing(before, after, "kubectl-mesh"));
}

TEST(ApplyUnchanged, LabelChangeIsApplied) {
  Json before = deployment_metadata();
  Json after = before;
  after["resourceVersion"] = "104";
  after["labels"]["app"] = "shop";
  EXPECT_FALSE(apply_changed_nothing(before, after, "kubectl-mesh"));
}

TEST(ApplyUnchanged, TheDeploymentControllersRevisionAnnotationInBetweenIsStillUnchanged) {
  Json before = deployment_metadata();
  Json after = before;
  after["resourceVersion"] = "104";
  after["annotations"]["deployment.kubernetes.io/revision"] = "1";
  after["managedFields"].push_back(Json::parse(R"(
      {"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "apps/v1",
       "time": "2026-11-26T01:00:01Z", "fieldsType": "FieldsV1",
       "fieldsV1": {"f:metadata": {"f:annotations": {"f:deployment.kubernetes.io/revision": {}}}}})"));
  EXPECT_TRUE(apply_changed_nothing(before, after, "kubectl-mesh"));
}

TEST(ApplyUnchanged, AnAnnotationWeOwnChangedIsApplied) {
  Json before = deployment_metadata();
  before["annotations"]["team"] = "shop";
  before["managedFields"][0]["fieldsV1"]["f:metadata"]["f:annotations"] = {
      {"f:team", Json::object()}};
  Json after = before;
  after["resourceVersion"] = "104";
  after["annotations"]["team"] = "payments";
  EXPECT_FALSE(apply_changed_nothing(before, after, "kubectl-mesh"));
  after["annotations"].erase("team");
  EXPECT_FALSE(apply_changed_nothing(before, after, "kubectl-mesh")) << "removed";
}

TEST(ApplyUnchanged, OurEntryRestampedIsApplied) {
  Json before = deployment_metadata();
  Json after = before;
  after["resourceVersion"] = "104";
  after["managedFields"][0]["time"] = "2026-11-26T01:00:05Z";
  EXPECT_FALSE(apply_changed_nothing(before, after, "kubectl-mesh"));
}

TEST(ApplyUnchanged, KindWithoutGenerationTrustsOnlyTheResourceVersion) {
  Json before = deployment_metadata();
  before.erase("generation");  // a ConfigMap, a Service, a Namespace
  Json after = before;
  after["resourceVersion"] = "104";
  EXPECT_FALSE(apply_changed_nothing(before, after, "kubectl-mesh"));
}

TEST(ApplyUnchanged, AnotherManagersApplyIsNotOurs) {
  Json before = deployment_metadata();
  Json after = before;
  after["resourceVersion"] = "104";
  EXPECT_FALSE(apply_changed_nothing(before, after, "someone-else"))
      << "without an entry of the manager's own, nothing proves the apply changed nothing";
}

}  // namespace
}  // namespace kmesh::kube
