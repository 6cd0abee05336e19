#include "lib/kube/retry_policy.hpp"

#include <algorithm>
#include <cstdlib>

namespace kmesh::kube {
namespace {

std::chrono::milliseconds backoff(int attempt) {
  // 100ms, 200ms, 400ms ... capped at 5s: enough for an API server restart or a burst.
  long ms = 100L << std::min(attempt - 1, 6);
  return std::chrono::milliseconds(std::min(ms, 5000L));
}

std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value) {
  if (value.empty()) return std::nullopt;
  char* end = nullptr;
  long seconds = std::strtol(value.c_str(), &end, 10);
  if (end == value.c_str() || seconds < 0) return std::nullopt;
  // A server asking for minutes would outlast every command's timeout; cap it.
  return std::chrono::milliseconds(std::min(seconds, 10L) * 1000);
}

}  // namespace

std::optional<std::chrono::milliseconds> retry_delay(const HttpRequest& request,
                                                     const HttpResponse& response, int attempt) {
  if (attempt >= kMaxAttempts) return std::nullopt;
  if (response.status == 429) {
    auto after = parse_retry_after(response.retry_after);
    return after ? std::max(*after, backoff(attempt)) : backoff(attempt);
  }
  switch (response.failure) {
    case TransportFailure::kNone:
      break;
    // A server that is down stays down: a few quick tries, then say so.
    case TransportFailure::kConnect:
      return attempt < 3 ? std::optional(backoff(attempt)) : std::nullopt;
    case TransportFailure::kReset:
      return request.idempotent ? std::optional(backoff(attempt)) : std::nullopt;
    default:
      return std::nullopt;
  }
  // A 500 is final unless the server asks to come back (client-go's rule): the API server
  // answers 500 to an apply whose values have the wrong type, and that never heals.
  bool transient = response.status == 502 || response.status == 503 || response.status == 504 ||
                   (response.status >= 500 && !response.retry_after.empty());
  if (transient && request.idempotent) {
    auto after = parse_retry_after(response.retry_after);
    return after ? std::max(*after, backoff(attempt)) : backoff(attempt);
  }
  return std::nullopt;
}

}  // namespace kmesh::kube
