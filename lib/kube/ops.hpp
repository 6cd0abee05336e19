#pragma once
// Reads and deletes on top of the client, for commands that find objects by label or
// remove what they made.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kube/client.hpp"
#include "lib/kube/discovery.hpp"

namespace kmesh::kube {

/// Lists objects of one resource (in `ns`, or everywhere when ns is empty), following
/// continue tokens; `metadata_only` asks for PartialObjectMetadata.
Result<std::vector<Json>> list_objects(Client& client, const ResourceInfo& resource,
                                       const std::string& ns, const std::string& label_selector,
                                       bool metadata_only = false);

/// One LIST, for sending several at once.
struct ListCall {
  ResourceInfo resource;
  std::string ns;  ///< empty: every namespace
  std::string label_selector;
  bool metadata_only = false;
};

/// Sends the first page of every list in one parallel batch (further pages, rare, are read
/// in turn); a result per call, in order, each as list_objects would return it.
std::vector<Result<std::vector<Json>>> list_objects_parallel(Client& client,
                                                             const std::vector<ListCall>& calls);

/// Sends a large batch in chunks of `chunk` requests (each chunk in parallel), calling
/// `on_progress(done, total)` after each chunk when there is more than one; responses in
/// request order. For bulk commands whose person watching wants to see them move.
std::vector<HttpResponse> send_in_chunks(
    Client& client, std::vector<HttpRequest> requests,
    const std::function<void(size_t done, size_t total)>& on_progress, size_t chunk = 128);

/// GET one object; nothing when it does not exist.
Result<std::optional<Json>> get_object(Client& client, const ResourceInfo& resource,
                                       const std::string& ns, const std::string& name);

/// An object to delete.
struct ObjectRef {
  ResourceInfo resource;
  std::string ns, name;
  std::string display() const;
};

/// Deletes in parallel (background propagation; dry-run when asked) and, unless dry-run,
/// waits until they are gone or `timeout` passes. Already-gone objects count as deleted.
/// Errors list every object that could not be deleted.
Status delete_objects(Client& client, const std::vector<ObjectRef>& refs, bool dry_run,
                      std::chrono::milliseconds timeout);

}  // namespace kmesh::kube
