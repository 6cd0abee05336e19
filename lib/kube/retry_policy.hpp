#pragma once
// When a request is worth sending again, and after how long. A pure function of the
// response, so the rules are tested without a server.

#include <chrono>
#include <optional>

#include "lib/kube/http.hpp"

namespace kmesh::kube {

/// Retries beyond this many attempts are given up (the error is reported).
constexpr int kMaxAttempts = 8;

/// The delay before the next attempt, or nothing when the response is final:
/// 429 always (honouring Retry-After); 502, 503, 504, any 5xx with Retry-After, and reset
/// connections only for idempotent requests; refused connections a few times (nothing reached the
/// server), timeouts and TLS failures never (the user's --request-timeout is the bound).
std::optional<std::chrono::milliseconds> retry_delay(const HttpRequest& request,
                                                     const HttpResponse& response, int attempt);

}  // namespace kmesh::kube
