#pragma once
// Server-side apply of many objects at once: the primitive under `apply`, `install` and
// `bookstore apply`.
//
// Order: CustomResourceDefinitions and Namespaces first; custom resources whose CRD is in
// the same input once that CRD is Established; everything else in parallel.
//
// "unchanged": before applying, one metadata-only LIST per resource type and namespace
// (a GET when only one object of that kind and namespace is applied) records each
// object's resourceVersion; an apply that returns the same resourceVersion wrote nothing.
// That costs one request per group rather than one per object.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kube/client.hpp"
#include "lib/kube/discovery.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::kube {

enum class DryRun { kNone, kClient, kServer };

/// Parses --dry-run's value: none, client or server (kubectl's spellings).
Result<DryRun> parse_dry_run(const std::string& value);

/// Whether a server-side apply by `manager` left the object as it was, from its metadata
/// before (`before`, as read just ahead of the apply) and after (the apply's response).
bool apply_changed_nothing(const Json& before, const Json& after, const std::string& manager);

struct ApplyOptions {
  std::string field_manager = "kubectl-mesh";
  bool force_conflicts = false;
  DryRun dry_run = DryRun::kNone;
  std::string default_namespace = "default";
  bool namespace_from_flag = false;  ///< objects may not name another namespace
  std::chrono::milliseconds establish_timeout{60000};
};

enum class Outcome {
  kApplied,       ///< created or changed
  kUnchanged,     ///< the apply wrote nothing
  kFailed,        ///< the server refused it or did not answer
  kNotAttempted,  ///< never sent (an earlier phase failed, or interrupted)
};

/// One object of an apply and what became of it.
struct ApplyItem {
  Document doc;                      ///< the object as sent (namespace filled in)
  std::optional<ResourceInfo> info;  ///< where it lives; set before sending
  std::string display;               ///< "deployment.apps/web"
  Json live;                         ///< what the server answered
  Outcome outcome = Outcome::kNotAttempted;
  bool created = false;
  std::string error;  ///< why it failed, one line
};

/// Everything an apply did, in input order.
struct ApplyReport {
  std::vector<ApplyItem> items;
  size_t count(Outcome outcome) const;
  bool ok() const { return count(Outcome::kFailed) == 0 && count(Outcome::kNotAttempted) == 0; }
  /// "applied 48, unchanged 0, failed 1, not attempted 1 of 50 objects"
  std::string summary() const;
};

/// The "kind.group/name" kubectl prints for an object.
std::string display_name(const ResourceInfo& info, const std::string& name);

class Applier {
 public:
  Applier(Client& client, Discovery& discovery) : client_(client), discovery_(discovery) {}

  /// Checks and maps every object before anything is written: unknown kinds, missing
  /// names, namespace mismatches and duplicates are usage errors naming file and line.
  Result<std::vector<ApplyItem>> prepare(std::vector<Document> docs, const ApplyOptions& options);

  /// Applies prepared items. Never stops at the first failure: the report says what was
  /// and was not applied.
  ApplyReport apply(std::vector<ApplyItem> items, const ApplyOptions& options);

 private:
  void record_before(std::vector<ApplyItem>& items, const std::vector<size_t>& which);
  void apply_batch(std::vector<ApplyItem>& items, const std::vector<size_t>& which,
                   const ApplyOptions& options);
  Status wait_established(std::vector<ApplyItem>& items, const std::vector<size_t>& crds,
                          const ApplyOptions& options);

  Client& client_;
  Discovery& discovery_;
  std::vector<Json> before_meta_;  ///< metadata before the apply, per item (null: unknown)
};

}  // namespace kmesh::kube
