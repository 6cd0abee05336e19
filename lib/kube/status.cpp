#include "lib/kube/status.hpp"

#include "lib/yaml/document.hpp"

namespace kmesh::kube {
namespace {

// A string field, "" when absent or of another type: any proxy on the way may answer JSON.
std::string text_at(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string transport_failure(const HttpResponse& r, const Endpoint& ep) {
  std::string at = ep.server + (ep.cluster.empty() ? "" : " (kubeconfig cluster \"" + ep.cluster + "\")");
  switch (r.failure) {
    case TransportFailure::kConnect:
      return "cannot connect to " + at + ": " + r.transport_error +
             "; is the cluster running and the kubeconfig current?";
    case TransportFailure::kTimeout:
      return "no answer from " + at + " within the request timeout (--request-timeout): " +
             r.transport_error;
    case TransportFailure::kTls:
      return "TLS with " + at + " failed: " + r.transport_error;
    case TransportFailure::kCredentials:
    case TransportFailure::kInterrupted:
      return r.transport_error;
    case TransportFailure::kReset:
      return "the connection to " + at + " broke: " + r.transport_error;
    default:
      return "request to " + at + " failed: " + r.transport_error;
  }
}

std::string status_text(const HttpResponse& r) {
  if (auto st = decode_status(r.body)) {
    std::string text = st->message.empty() ? st->reason : st->message;
    if (!st->reason.empty() && text.find(st->reason) == std::string::npos)
      text += " (" + st->reason + ")";
    return text;
  }
  std::string body = r.body.substr(0, 200);
  while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.pop_back();
  return "HTTP " + std::to_string(r.status) + (body.empty() ? "" : ": " + body);
}

}  // namespace

std::optional<ApiStatus> decode_status(const std::string& body) {
  Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || text_at(j, "kind") != "Status") return std::nullopt;
  ApiStatus st;
  if (auto code = j.find("code"); code != j.end() && code->is_number_integer()) st.code = code->get<long>();
  st.reason = text_at(j, "reason");
  st.message = text_at(j, "message");
  if (j.contains("details") && j["details"].is_object() && j["details"].contains("causes"))
    for (const auto& c : j["details"]["causes"])
      if (c.is_object())
        st.causes.push_back({text_at(c, "reason"), text_at(c, "message"), text_at(c, "field")});
  return st;
}

std::string describe_failure(const HttpResponse& r, const std::string& what, const Endpoint& ep) {
  std::string prefix = what.empty() ? "" : what + ": ";
  if (r.status == 0) return prefix + transport_failure(r, ep);
  if (r.status == 401)
    return prefix + "the server rejected the credentials of kubeconfig user \"" + ep.user +
           "\" (401 Unauthorized): the token or certificate is wrong or expired";
  return prefix + status_text(r);
}

Error response_error(const HttpResponse& r, const std::string& what, const Endpoint& ep) {
  return cluster_error(describe_failure(r, what, ep));
}

}  // namespace kmesh::kube
