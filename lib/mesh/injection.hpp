#pragma once
// Istio's injection rules as pure functions: what a namespace asks for, whether a Pod
// should get a sidecar, whether it has one. The webhook's selectors (istio-notes.md) are
// the source: istio-injection=disabled blocks everything; istio-injection=enabled wins
// over istio.io/rev; without namespace labels only the Pod's own labels decide.

#include <string>
#include <vector>

#include "lib/yaml/document.hpp"

namespace kmesh::mesh {

/// What a namespace's labels ask for.
struct InjectionSetting {
  enum Mode { kNone, kEnabled, kDisabled, kRevision } mode = kNone;
  std::string revision;               ///< for kRevision
  std::vector<std::string> warnings;  ///< both labels, ambient mode
  std::string describe() const;       ///< "enabled", "disabled", "revision canary", "none"
};

/// Reads istio-injection, istio.io/rev and istio.io/dataplane-mode from namespace labels.
InjectionSetting namespace_setting(const Json& namespace_labels);

/// Whether the injector would add a sidecar to a Pod with these labels, created now in a
/// namespace with these labels. hostNetwork Pods never get one.
bool should_have_sidecar(const Json& namespace_labels, const Json& pod_labels, bool host_network);

/// Whether a Pod spec carries istio-proxy: in containers, or as a native sidecar (an init
/// container with restartPolicy Always).
bool has_sidecar(const Json& pod_spec);

/// The label changes `inject enable/disable` makes: values to set, and keys to remove.
struct LabelChange {
  Json set = Json::object();
  std::vector<std::string> remove;
  bool empty() const { return set.empty() && remove.empty(); }
  /// "istio-injection=enabled, -istio.io/rev"
  std::string describe() const;
};

/// The change that makes `labels` say enable (revision empty: istio-injection=enabled;
/// else istio.io/rev=R) or disable (istio-injection=disabled, or no label at all when
/// `remove_label`). Labels already right are left out, so a repeat is empty.
LabelChange injection_change(const Json& labels, bool enable, const std::string& revision,
                             bool remove_label);

/// Whether a label selector (matchLabels and matchExpressions) selects these labels.
bool selector_matches(const Json& selector, const Json& labels);

}  // namespace kmesh::mesh
