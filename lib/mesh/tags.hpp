#pragma once
// Revision tags: a stable name (prod, canary, default) that namespaces label themselves
// with (istio.io/rev=TAG), pointing at whichever revision serves it now. Moving the tag
// moves every such namespace at once.

#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kube/client.hpp"
#include "lib/kube/discovery.hpp"

namespace kmesh::mesh {

struct RevisionTag {
  std::string tag, revision;
  size_t namespaces = 0;  ///< namespaces labelled istio.io/rev=TAG
};

/// Points TAG at REVISION (which must be installed). Re-pointing an existing tag needs
/// `overwrite`.
Status set_tag(kube::Client& client, kube::Discovery& discovery, const std::string& tag,
               const std::string& revision, bool overwrite,
               const std::string& istio_namespace = "istio-system");

/// Every tag with its revision and how many namespaces use it.
Result<std::vector<RevisionTag>> list_tags(kube::Client& client, kube::Discovery& discovery);

/// Removes a tag; namespaces still using it are reported in the error unless `force`.
Status remove_tag(kube::Client& client, kube::Discovery& discovery, const std::string& tag,
                  bool force);

}  // namespace kmesh::mesh
