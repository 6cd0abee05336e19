#pragma once
// Kubernetes objects as read from files: loading -f inputs and the accessors every
// command uses on the document model.

#include <istream>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::kube {

/// Reads -f inputs: files, directories (their .yaml, .yml and .json files, sorted; with
/// `recursive`, subdirectories too) and "-" for stdin. Lists (kind: List, *List) are
/// expanded into their items. Each object must have apiVersion, kind and metadata.name.
Result<std::vector<Document>> load_objects(const std::vector<std::string>& paths, std::istream& in,
                                           bool recursive = false);

/// Checks and expands already parsed documents as load_objects does.
Result<std::vector<Document>> check_objects(std::vector<Document> docs);

std::string api_version_of(const Json& obj);
std::string kind_of(const Json& obj);
std::string name_of(const Json& obj);
std::string namespace_of(const Json& obj);
/// The API group of an apiVersion ("apps/v1" -> "apps", "v1" -> "").
std::string group_of(const std::string& api_version);
/// metadata.labels[key], or "" when absent.
std::string label_of(const Json& obj, const std::string& key);

}  // namespace kmesh::kube
