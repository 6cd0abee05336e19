#pragma once
// The sidecar injector's MutatingWebhookConfigurations, with Istio's selector semantics:
// which namespaces and Pods a revision (or a revision tag) injects.

#include <string>

#include "lib/yaml/document.hpp"

namespace kmesh::mesh {

/// istio-sidecar-injector[-R] for revision R ("default" adds the istio-injection=enabled
/// and Pod-label entries that only the default revision serves).
Json injector_webhook(const std::string& revision, const std::string& istio_namespace);

/// istio-revision-tag-TAG: Pods in namespaces labelled istio.io/rev=TAG go to revision R.
/// The tag "default" also takes the istio-injection=enabled entries.
Json tag_webhook(const std::string& tag, const std::string& revision,
                 const std::string& istio_namespace);

}  // namespace kmesh::mesh
