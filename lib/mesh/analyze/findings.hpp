#pragma once
// What analyze reports: findings with a stable code, a severity, the object and (for files)
// where it is; references it could not check; and the table of codes the README documents.

#include <string>
#include <vector>

#include "lib/core/result.hpp"

namespace kmesh::mesh::analyze {

/// How bad a finding is. Errors make analyze exit 3; warnings only with --fail-on warning.
enum class Severity { kError, kWarning, kInfo };

/// "Error", "Warning", "Info".
std::string severity_name(Severity s);

/// An object a finding is about.
struct ObjectRef {
  std::string kind, ns, name;
  /// "VirtualService bookstore/reviews", or "Namespace prod" when cluster-scoped.
  std::string display() const;
};

/// One problem found.
struct Finding {
  std::string code;  ///< "KM0101"
  Severity severity = Severity::kError;
  ObjectRef object;
  std::string message;  ///< names the field and the fix
  std::string source;   ///< file, empty when the object came from the cluster
  int line = 0;
};

/// A reference to something the input does not contain and that could live in the cluster:
/// not a finding; checked with --use-cluster.
struct Unresolved {
  ObjectRef object;
  std::string reference;  ///< "Service reviews.shop.svc.cluster.local"
  std::string source;
  int line = 0;
};

/// A code of ours: fixed severity and a one-line title.
struct CodeInfo {
  const char* code;
  Severity severity;
  const char* title;
};

/// Every code analyze can report, in code order.
const std::vector<CodeInfo>& all_codes();
/// The entry for a code; nullptr when unknown.
const CodeInfo* find_code(const std::string& code);

/// Everything one analysis found.
struct Report {
  std::vector<Finding> findings;
  std::vector<Unresolved> unresolved;
  int objects = 0;  ///< objects analyzed
  int suppressed = 0;

  int count(Severity s) const;
  /// Whether a finding at or above `threshold` exists (the exit-3 rule).
  bool fails(Severity threshold) const;
};

/// --suppress CODE=RESOURCE: RESOURCE is KIND/NAME (any namespace) or KIND/NAMESPACE/NAME;
/// each part may use '*' as a wildcard, KIND is case-insensitive, CODE may be '*'.
struct Suppression {
  std::string code, kind, ns, name;
};

/// Parses one --suppress value; a usage error says the expected form.
Result<Suppression> parse_suppression(const std::string& text);
/// Whether the suppression silences the finding.
bool suppresses(const Suppression& s, const Finding& f);

/// Sorts findings by source, line, object and code, so output is stable.
void sort_report(Report& report);

}  // namespace kmesh::mesh::analyze
