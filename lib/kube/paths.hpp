#pragma once
// REST paths of resources and the Accept headers for metadata-only reads.

#include <string>

#include "lib/kube/discovery.hpp"

namespace kmesh::kube {

/// /api/v1/namespaces/NS/configmaps, /apis/apps/v1/deployments (ns ignored when cluster-scoped
/// or empty, which for a namespaced resource means all namespaces).
std::string collection_path(const ResourceInfo& r, const std::string& ns);
/// collection_path + "/NAME".
std::string object_path(const ResourceInfo& r, const std::string& ns, const std::string& name);

/// Accept header asking for only the metadata of one object.
inline constexpr const char* kAcceptMetadata =
    "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io,application/json";
/// Accept header asking for only the metadata of the objects of a list.
inline constexpr const char* kAcceptMetadataList =
    "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json";

}  // namespace kmesh::kube
