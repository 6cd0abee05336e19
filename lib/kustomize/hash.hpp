#pragma once
// The name suffix of generated ConfigMaps and Secrets: Kustomize hashes Go's json.Marshal of
// {binaryData?, data, kind, name: ""} (Secrets: {data, kind, name: "", stringData?, type}),
// then turns the first ten hex digits of the SHA-256 into a suffix safe for names.

#include <string>

#include "lib/yaml/document.hpp"

namespace kmesh::kustomize {

/// A value as Go's encoding/json writes it: sorted keys, HTML-safe escapes (<, >, &).
std::string go_json(const Json& value);

/// The 10-character suffix Kustomize appends for this ConfigMap or Secret.
std::string content_hash(const Json& object);

/// Kustomize's encoding of a hex digest: its first ten digits, with 0 1 3 a e replaced by
/// g h k m t so the suffix cannot read as a number or a word.
std::string encode_hash(const std::string& hex);

}  // namespace kmesh::kustomize
