// lib/kube/status: decoding metav1.Status and the one-line messages failed requests become.

#include "lib/kube/status.hpp"

#include <gtest/gtest.h>

#include <string>

namespace kmesh::kube {
namespace {

const char* kNotFound =
    R"({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
  "message": "configmaps \"flags\" not found", "reason": "NotFound",
  "details": {"name": "flags", "kind": "configmaps"}, "code": 404})";

const char* kForbidden =
    R"({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
  "message": "deployments.apps is forbidden: User \"viewer\" cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"bookstore\"",
  "reason": "Forbidden", "details": {"group": "apps", "kind": "deployments"}, "code": 403})";

const char* kConflict =
    R"({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
  "message": "Apply failed with 2 conflicts: conflicts with \"kubectl-client-side-apply\" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name=\"app\"].image",
  "reason": "Conflict",
  "details": {"causes": [
    {"reason": "FieldManagerConflict", "message": "conflict with \"kubectl-client-side-apply\" using apps/v1", "field": ".spec.replicas"},
    {"reason": "FieldManagerConflict", "message": "conflict with \"kubectl-client-side-apply\" using apps/v1", "field": ".spec.template.spec.containers[name=\"app\"].image"}]},
  "code": 409})";

TEST(DecodeStatus, NotFound) {
  auto st = decode_status(kNotFound);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->code, 404);
  EXPECT_EQ(st->reason, "NotFound");
  EXPECT_EQ(st->message, "configmaps \"flags\" not found");
  EXPECT_TRUE(st->causes.empty());
}

TEST(DecodeStatus, Forbidden) {
  auto st = decode_status(kForbidden);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->code, 403);
  EXPECT_EQ(st->reason, "Forbidden");
}

TEST(DecodeStatus, ConflictWithCauses) {
  auto st = decode_status(kConflict);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->code, 409);
  EXPECT_EQ(st->reason, "Conflict");
  ASSERT_EQ(st->causes.size(), 2u);
  EXPECT_EQ(st->causes[0].type, "FieldManagerConflict");
  EXPECT_EQ(st->causes[0].field, ".spec.replicas");
  EXPECT_EQ(st->causes[0].message, "conflict with \"kubectl-client-side-apply\" using apps/v1");
  EXPECT_EQ(st->causes[1].field, ".spec.template.spec.containers[name=\"app\"].image");
}

TEST(DecodeStatus, NothingForOtherBodies) {
  for (const char* body :
       {"", "not json", "<html>502 Bad Gateway</html>", "[]", "null",
        R"({"kind": "ConfigMap", "message": "x"})", R"({"kind": 7})", R"({"message": "no kind"})"})
    EXPECT_FALSE(decode_status(body)) << body;
}

TEST(DecodeStatus, ToleratesOddFieldTypes) {
  auto st = decode_status(R"({"kind": "Status", "code": "404", "reason": null, "message": 5,
                              "details": {"causes": [1, {"field": "spec"}]}})");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->code, 0);
  EXPECT_EQ(st->reason, "");
  EXPECT_EQ(st->message, "");
  ASSERT_EQ(st->causes.size(), 1u);
  EXPECT_EQ(st->causes[0].field, "spec");
}

// ---- describe_failure ----

const Endpoint kEndpoint{"https://10.0.0.1:6443", "prod", "ci-bot"};

HttpResponse status_response(long code, const std::string& body) {
  HttpResponse r;
  r.status = code;
  r.body = body;
  return r;
}

HttpResponse transport(TransportFailure failure, const std::string& error) {
  HttpResponse r;
  r.failure = failure;
  r.transport_error = error;
  return r;
}

struct DescribeCase {
  const char* name;
  HttpResponse response;
  const char* what;
  std::string message;
};

class DescribeFailure : public ::testing::TestWithParam<DescribeCase> {};

TEST_P(DescribeFailure, SaysWhatFailedAndWhy) {
  const auto& c = GetParam();
  EXPECT_EQ(describe_failure(c.response, c.what, kEndpoint), c.message);
  Error e = response_error(c.response, c.what, kEndpoint);
  EXPECT_EQ(e.kind, ErrorKind::kCluster);
  EXPECT_EQ(e.message, c.message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, DescribeFailure,
    ::testing::Values(
        DescribeCase{"NotFound", status_response(404, kNotFound), "reading configmap/flags",
                     "reading configmap/flags: configmaps \"flags\" not found (NotFound)"},
        DescribeCase{"Forbidden", status_response(403, kForbidden), "applying deployment.apps/web",
                     "applying deployment.apps/web: deployments.apps is forbidden: User \"viewer\""
                     " cannot patch resource \"deployments\" in API group \"apps\" in the namespace"
                     " \"bookstore\" (Forbidden)"},
        DescribeCase{"ReasonAlreadyInMessage",
                     status_response(422, R"({"kind": "Status", "reason": "Invalid",
                                             "message": "Deployment.apps \"web\" is Invalid: spec.replicas: Invalid value: -1"})"),
                     "", "Deployment.apps \"web\" is Invalid: spec.replicas: Invalid value: -1"},
        DescribeCase{"OnlyAReason",
                     status_response(409, R"({"kind": "Status", "reason": "AlreadyExists"})"),
                     "creating x", "creating x: AlreadyExists"},
        DescribeCase{
            "Unauthorized", status_response(401, R"({"kind": "Status", "reason": "Unauthorized",
                                                             "message": "Unauthorized", "code": 401})"),
            "listing pods",
            "listing pods: the server rejected the credentials of kubeconfig user \"ci-bot\""
            " (401 Unauthorized): the token or certificate is wrong or expired"},
        DescribeCase{"NotAStatus", status_response(502, "<html>\nBad Gateway\n</html>\n\n"), "x",
                     "x: HTTP 502: <html>\nBad Gateway\n</html>"},
        DescribeCase{"EmptyBody", status_response(500, ""), "x", "x: HTTP 500"},
        // Found by tests/fuzz/status_decode: the message was empty.
        DescribeCase{"StatusWithNeitherMessageNorReason",
                     status_response(403, R"({"kind":"Status","code":"403","reason":7})"), "",
                     "HTTP 403: {\"kind\":\"Status\",\"code\":\"403\",\"reason\":7}"},
        DescribeCase{"LongBodyIsCut", status_response(503, std::string(500, 'a')), "x",
                     "x: HTTP 503: " + std::string(200, 'a')},
        DescribeCase{"ConnectionRefused",
                     transport(TransportFailure::kConnect,
                               "Failed to connect to 10.0.0.1 port 6443: Connection refused"),
                     "discovering the server's APIs",
                     "discovering the server's APIs: cannot connect to https://10.0.0.1:6443"
                     " (kubeconfig cluster \"prod\"): Failed to connect to 10.0.0.1 port 6443:"
                     " Connection refused; is the cluster running and the kubeconfig current?"},
        DescribeCase{
            "Tls",
            transport(TransportFailure::kTls,
                      "SSL certificate problem: unable to get local issuer certificate"),
            "",
            "TLS with https://10.0.0.1:6443 (kubeconfig cluster \"prod\") failed: unknown CA:"
            " the server's certificate is signed by a CA the kubeconfig does not trust; check the"
            " certificate-authority(-data) of cluster \"prod\" (SSL certificate problem: unable to"
            " get local issuer certificate)"},
        DescribeCase{
            "Timeout",
            transport(TransportFailure::kTimeout, "Operation timed out after 30000 milliseconds"),
            "applying namespace/bookstore",
            "applying namespace/bookstore: no answer from https://10.0.0.1:6443 (kubeconfig"
            " cluster \"prod\") within the request timeout (--request-timeout): Operation"
            " timed out after 30000 milliseconds"},
        DescribeCase{
            "Reset", transport(TransportFailure::kReset, "Connection reset by peer"), "x",
            "x: the connection to https://10.0.0.1:6443 (kubeconfig cluster \"prod\") broke:"
            " Connection reset by peer"},
        DescribeCase{"Credentials",
                     transport(TransportFailure::kCredentials,
                               "exec plugin \"kubelogin\" failed with exit code 1"),
                     "x", "x: exec plugin \"kubelogin\" failed with exit code 1"},
        DescribeCase{
            "Other", transport(TransportFailure::kOther, "something"), "x",
            "x: request to https://10.0.0.1:6443 (kubeconfig cluster \"prod\") failed: something"}),
    [](const auto& info) { return info.param.name; });

TEST(DescribeFailure, LeavesOutAnUnknownCluster) {
  EXPECT_EQ(describe_failure(transport(TransportFailure::kConnect, "refused"), "",
                             Endpoint{"https://c:6443", "", ""}),
            "cannot connect to https://c:6443: refused; is the cluster running and the kubeconfig"
            " current?");
}

}  // namespace
}  // namespace kmesh::kube
