// lib/kube/retry_policy: which responses are sent again, and after how long.

#include "lib/kube/retry_policy.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace kmesh::kube {
namespace {

HttpRequest request(const std::string& method, bool idempotent) {
  HttpRequest r;
  r.method = method;
  r.path = "/api/v1/namespaces/default/configmaps";
  r.idempotent = idempotent;
  return r;
}

const HttpRequest kGet = request("GET", true);
const HttpRequest kApply = request("PATCH", true);
const HttpRequest kPost = request("POST", false);

HttpResponse status(long code, const std::string& retry_after = "") {
  HttpResponse r;
  r.status = code;
  r.retry_after = retry_after;
  return r;
}

HttpResponse failure(TransportFailure f) {
  HttpResponse r;
  r.failure = f;
  r.transport_error = "x";
  return r;
}

struct RetryCase {
  const char* name;
  HttpRequest request;
  HttpResponse response;
  int attempt;                   // attempts made so far (1 = the first one just failed)
  std::optional<long> delay_ms;  // nothing: final
};

class RetryDelay : public ::testing::TestWithParam<RetryCase> {};

TEST_P(RetryDelay, FollowsTheTable) {
  const auto& c = GetParam();
  auto d = retry_delay(c.request, c.response, c.attempt);
  if (!c.delay_ms) {
    EXPECT_FALSE(d.has_value()) << "retried after " << d->count() << "ms";
    return;
  }
  ASSERT_TRUE(d.has_value()) << "not retried";
  EXPECT_EQ(d->count(), *c.delay_ms);
}

INSTANTIATE_TEST_SUITE_P(
    Table, RetryDelay,
    ::testing::Values(
        // success and client errors are final
        RetryCase{"Ok", kGet, status(200), 1, std::nullopt},
        RetryCase{"NotFound", kGet, status(404), 1, std::nullopt},
        RetryCase{"Conflict", kApply, status(409), 1, std::nullopt},
        RetryCase{"Invalid", kApply, status(422), 1, std::nullopt},
        RetryCase{"Unauthorized", kGet, status(401), 1, std::nullopt},
        // 429: always, even a POST (the server did not process it), honouring Retry-After
        RetryCase{"TooManyRequests", kGet, status(429), 1, 100},
        RetryCase{"TooManyRequestsLater", kGet, status(429), 3, 400},
        RetryCase{"TooManyRequestsRetryAfter", kGet, status(429, "3"), 1, 3000},
        RetryCase{"TooManyRequestsPost", kPost, status(429, "1"), 1, 1000},
        RetryCase{"RetryAfterBelowBackoff", kGet, status(429, "0"), 4, 800},
        RetryCase{"RetryAfterCapped", kGet, status(429, "3600"), 1, 10000},
        RetryCase{"RetryAfterNotSeconds", kGet, status(429, "Wed, 21 Oct 2026 07:28:00 GMT"), 2,
                  200},
        // 500: final unless the server asks to come back
        RetryCase{"InternalError", kApply, status(500), 1, std::nullopt},
        RetryCase{"InternalErrorRetryAfter", kApply, status(500, "2"), 1, 2000},
        RetryCase{"InternalErrorRetryAfterPost", kPost, status(500, "2"), 1, std::nullopt},
        // 502, 503, 504: idempotent requests only
        RetryCase{"BadGateway", kGet, status(502), 1, 100},
        RetryCase{"Unavailable", kGet, status(503), 2, 200},
        RetryCase{"UnavailableApply", kApply, status(503), 1, 100},
        RetryCase{"UnavailableRetryAfter", kGet, status(503, "5"), 1, 5000},
        RetryCase{"UnavailablePost", kPost, status(503), 1, std::nullopt},
        RetryCase{"GatewayTimeout", kGet, status(504), 1, 100},
        RetryCase{"NotImplemented", kGet, status(501), 1, std::nullopt},
        // refused connections: a few quick tries, whatever the method
        RetryCase{"RefusedFirst", kGet, failure(TransportFailure::kConnect), 1, 100},
        RetryCase{"RefusedSecond", kPost, failure(TransportFailure::kConnect), 2, 200},
        RetryCase{"RefusedThird", kGet, failure(TransportFailure::kConnect), 3, std::nullopt},
        // broken connections: idempotent requests only
        RetryCase{"Reset", kApply, failure(TransportFailure::kReset), 1, 100},
        RetryCase{"ResetPost", kPost, failure(TransportFailure::kReset), 1, std::nullopt},
        // never: the user's --request-timeout is the bound; TLS does not heal
        RetryCase{"Timeout", kGet, failure(TransportFailure::kTimeout), 1, std::nullopt},
        RetryCase{"Tls", kGet, failure(TransportFailure::kTls), 1, std::nullopt},
        RetryCase{"Credentials", kGet, failure(TransportFailure::kCredentials), 1, std::nullopt},
        RetryCase{"Other", kGet, failure(TransportFailure::kOther), 1, std::nullopt},
        // backoff doubles to a cap of 5s, and attempts stop at kMaxAttempts
        RetryCase{"Backoff6", kGet, status(503), 6, 3200},
        RetryCase{"Backoff7", kGet, status(503), 7, 5000},
        RetryCase{"AttemptCap", kGet, status(503), kMaxAttempts, std::nullopt},
        RetryCase{"AttemptCap429", kGet, status(429, "1"), kMaxAttempts, std::nullopt},
        RetryCase{"ResetAtCap", kGet, failure(TransportFailure::kReset), kMaxAttempts,
                  std::nullopt}),
    [](const auto& info) { return info.param.name; });

TEST(RetryDelay, ARetriedRequestIsSentAtMostKMaxAttemptsTimes) {
  int sent = 1;
  while (retry_delay(kGet, status(503), sent))
    ++sent;
  EXPECT_EQ(sent, kMaxAttempts);
  sent = 1;
  while (retry_delay(kGet, failure(TransportFailure::kConnect), sent))
    ++sent;
  EXPECT_EQ(sent, 3);
}

}  // namespace
}  // namespace kmesh::kube
