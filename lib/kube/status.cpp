#include "lib/kube/status.hpp"

#include "lib/core/strings.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::kube {
namespace {

// A string field, "" when absent or of another type: any proxy on the way may answer JSON.
std::string text_at(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

// OpenSSL's verification reasons (as libcurl passes them on) in plain words, with the fix.
std::string tls_explanation(const std::string& text, const Endpoint& ep) {
  struct Reason {
    std::vector<const char*> needles;
    std::string words;
  };
  const std::string cluster = "cluster \"" + ep.cluster + "\"";
  const std::vector<Reason> reasons = {
      {{"unable to get local issuer certificate", "self-signed certificate",
        "self signed certificate", "unable to get issuer certificate",
        "unable to verify the first certificate"},
       "unknown CA: the server's certificate is signed by a CA the kubeconfig does not trust; "
       "check the"
       " certificate-authority(-data) of " +
           cluster},
      {{"no alternative certificate subject name matches", "does not match target host name",
        "hostname mismatch"},
       "wrong host name: the server's certificate is not valid for the name in the kubeconfig; "
       "check the"
       " server and tls-server-name of " +
           cluster},
      {{"certificate has expired"}, "expired: the server's certificate has expired"},
      {{"certificate is not yet valid"},
       "not yet valid: the server's certificate is not valid yet; check this machine's clock"},
      {{"alert unknown ca", "alert bad certificate", "alert certificate unknown",
        "alert certificate required", "alert certificate expired"},
       "the server refused the client certificate of kubeconfig user \"" + ep.user + "\""},
  };
  std::string lower = to_lower(text);
  for (const auto& reason : reasons)
    for (const char* needle : reason.needles)
      if (lower.find(needle) != std::string::npos) return reason.words + " (" + text + ")";
  return text;
}

std::string transport_failure(const HttpResponse& r, const Endpoint& ep) {
  std::string at =
      ep.server + (ep.cluster.empty() ? "" : " (kubeconfig cluster \"" + ep.cluster + "\")");
  switch (r.failure) {
    case TransportFailure::kConnect:
      return "cannot connect to " + at + ": " + r.transport_error +
             "; is the cluster running and the kubeconfig current?";
    case TransportFailure::kTimeout:
      return "no answer from " + at +
             " within the request timeout (--request-timeout): " + r.transport_error;
    case TransportFailure::kTls:
      return "TLS with " + at + " failed: " + tls_explanation(r.transport_error, ep);
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
    // A Status with neither (found by tests/fuzz/status_decode) would leave "error: " alone.
    if (!text.empty()) return text;
  }
  std::string body = r.body.substr(0, 200);
  while (!body.empty() && (body.back() == '\n' || body.back() == ' '))
    body.pop_back();
  return "HTTP " + std::to_string(r.status) + (body.empty() ? "" : ": " + body);
}

}  // namespace

std::optional<ApiStatus> decode_status(const std::string& body) {
  Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || text_at(j, "kind") != "Status") return std::nullopt;
  ApiStatus st;
  if (auto code = j.find("code"); code != j.end() && code->is_number_integer())
    st.code = code->get<long>();
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
