#pragma once
// Base64 as Kubernetes uses it: standard alphabet with padding for Secret and kubeconfig
// data, URL-safe without padding for JWKS.

#include <optional>
#include <string>
#include <string_view>

namespace kmesh {

std::string base64_encode(std::string_view bytes);
std::string base64url_encode(std::string_view bytes);
/// Decodes standard base64 (whitespace ignored, padding optional); nothing on bad input.
std::optional<std::string> base64_decode(std::string_view text);
/// Decodes URL-safe base64 without padding.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace kmesh
