#pragma once
// How plain YAML scalars become typed values, decided once for the whole tool.
//
// Kubernetes reads YAML as Go's yaml.v2 does (YAML 1.1): `on`, `y` and `no` are booleans,
// `0x1F` and `017` are integers, `080` is the float 80. Kustomize reads its input with
// yaml.v3 (YAML 1.2 booleans: only true and false) and quotes on output every string that a
// YAML 1.1 reader would take for something else. Timestamps stay strings in both, as
// yaml.v2 keeps them when decoding into untyped values.

#include <optional>
#include <string>
#include <string_view>

#include "lib/yaml/document.hpp"

namespace kmesh::yaml {

/// Which reader's rules decide the type of a plain scalar.
enum class Typing {
  kYaml11,  ///< kubectl, the API server (sigs.k8s.io/yaml over yaml.v2)
  kYaml12,  ///< kustomize (kyaml over yaml.v3)
};

/// The typed value of an unquoted scalar.
Json resolve_plain(std::string_view text, Typing typing);

/// A plain scalar that yaml.v3 reads as a timestamp ("2001-12-14", "2001-12-14T21:59:43.10-05:00",
/// "2001-12-14 21:59:43"), written as Go's json.Marshal writes a time.Time (RFC 3339, fraction
/// trimmed, "Z" for UTC); nothing for any other text.
std::optional<std::string> go_timestamp(std::string_view text);

/// Whether a string must be quoted so that every reader above reads it back as a string.
bool needs_quotes(std::string_view text);

/// Whether text is valid UTF-8.
bool is_valid_utf8(std::string_view text);

}  // namespace kmesh::yaml
