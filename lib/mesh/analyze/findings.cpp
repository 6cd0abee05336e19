#include "lib/mesh/analyze/findings.hpp"

#include <algorithm>
#include <tuple>

#include "lib/core/strings.hpp"

namespace kmesh::mesh::analyze {
namespace {

const std::vector<CodeInfo> kCodes = {
    {"KM0001", Severity::kError, "object defined twice in the input"},
    {"KM0002", Severity::kError, "API version removed from Kubernetes"},
    {"KM0003", Severity::kWarning, "Istio API version superseded by v1"},
    {"KM0101", Severity::kError, "route to a subset no DestinationRule defines"},
    {"KM0102", Severity::kError, "route destination matches no Service or ServiceEntry"},
    {"KM0103", Severity::kWarning, "DestinationRule host matches no Service or ServiceEntry"},
    {"KM0104", Severity::kError, "route weights sum to 0"},
    {"KM0105", Severity::kWarning, "route weights do not sum to 100"},
    {"KM0106", Severity::kError, "two VirtualServices for one host in one namespace"},
    {"KM0107", Severity::kError, "VirtualService bound to a Gateway that does not exist"},
    {"KM0108", Severity::kError, "Gateway selector matches no gateway workload"},
    {"KM0109", Severity::kWarning, "per-try timeout longer than the route timeout"},
    {"KM0110", Severity::kWarning, "outlier detection may eject every host"},
    {"KM0201", Severity::kWarning, "STRICT mTLS where a workload has no sidecar"},
    {"KM0202", Severity::kWarning, "AuthorizationPolicy names a namespace that does not exist"},
    {"KM0203", Severity::kError, "RequestAuthentication rule without an issuer"},
    {"KM0204", Severity::kError, "RequestAuthentication JWKS is not JSON"},
    {"KM0205", Severity::kError, "RequestAuthentication JWKS has no keys"},
    {"KM0206", Severity::kError, "RequestAuthentication JWKS key without kty"},
    {"KM0301", Severity::kWarning, "injection enabled but Pods run without a sidecar"},
    {"KM0302", Severity::kWarning, "injection off but Pods run with a sidecar"},
    {"KM0303", Severity::kWarning, "namespace has both istio-injection and istio.io/rev"},
    {"KM0304", Severity::kInfo, "Service port without a protocol prefix or appProtocol"},
};

// '*' matches any run of characters; everything else literally.
bool glob(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) return text.empty();
  if (pattern[0] == '*')
    return glob(pattern.substr(1), text) || (!text.empty() && glob(pattern, text.substr(1)));
  return !text.empty() && pattern[0] == text[0] && glob(pattern.substr(1), text.substr(1));
}

}  // namespace

std::string severity_name(Severity s) {
  switch (s) {
    case Severity::kError:
      return "Error";
    case Severity::kWarning:
      return "Warning";
    default:
      return "Info";
  }
}

std::string ObjectRef::display() const {
  return kind + " " + (ns.empty() ? name : ns + "/" + name);
}

const std::vector<CodeInfo>& all_codes() {
  return kCodes;
}

const CodeInfo* find_code(const std::string& code) {
  for (const auto& c : kCodes)
    if (code == c.code) return &c;
  return nullptr;
}

int Report::count(Severity s) const {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(),
                                        [s](const Finding& f) { return f.severity == s; }));
}

bool Report::fails(Severity threshold) const {
  for (const auto& f : findings)
    if (static_cast<int>(f.severity) <= static_cast<int>(threshold)) return true;
  return false;
}

Result<Suppression> parse_suppression(const std::string& text) {
  auto eq = text.find('=');
  auto bad = [&](const std::string& why) {
    return usage_error("--suppress \"" + text + "\": " + why +
                       "; expected CODE=KIND/NAME or CODE=KIND/NAMESPACE/NAME, e.g. "
                       "KM0304=Service/bookstore/frontend or KM0105=VirtualService/*");
  };
  if (eq == std::string::npos) return bad("no '='");
  Suppression s;
  s.code = std::string(trim(text.substr(0, eq)));
  if (s.code != "*" && !find_code(s.code)) {
    std::vector<std::string> known;
    for (const auto& c : kCodes)
      known.push_back(c.code);
    auto near = nearest(s.code, known);
    return bad("unknown code " + s.code +
               (near.empty() ? "" : " (did you mean " + join(near, ", ") + "?)"));
  }
  auto parts = split(text.substr(eq + 1), '/');
  if (parts.size() == 2)
    s.kind = parts[0], s.ns = "*", s.name = parts[1];
  else if (parts.size() == 3)
    s.kind = parts[0], s.ns = parts[1], s.name = parts[2];
  else
    return bad("the resource has " + std::to_string(parts.size()) + " parts");
  if (s.kind.empty() || s.name.empty()) return bad("empty kind or name");
  s.kind = to_lower(s.kind);
  return s;
}

bool suppresses(const Suppression& s, const Finding& f) {
  return (s.code == "*" || s.code == f.code) && glob(s.kind, to_lower(f.object.kind)) &&
         glob(s.ns, f.object.ns) && glob(s.name, f.object.name);
}

void sort_report(Report& report) {
  auto key = [](const Finding& f) {
    return std::tie(f.source, f.line, f.object.ns, f.object.kind, f.object.name, f.code, f.message);
  };
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
  auto ukey = [](const Unresolved& u) {
    return std::tie(u.source, u.line, u.object.ns, u.object.kind, u.object.name, u.reference);
  };
  std::sort(report.unresolved.begin(), report.unresolved.end(),
            [&](const Unresolved& a, const Unresolved& b) { return ukey(a) < ukey(b); });
  report.unresolved.erase(
      std::unique(report.unresolved.begin(), report.unresolved.end(),
                  [&](const Unresolved& a, const Unresolved& b) { return ukey(a) == ukey(b); }),
      report.unresolved.end());
}

}  // namespace kmesh::mesh::analyze
