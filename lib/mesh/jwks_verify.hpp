#pragma once
// Checking a JWT as Istio's RequestAuthentication (Envoy's jwt_authn filter) would: which
// jwtRule accepts it, or why none does (wrong issuer, unknown kid, bad signature, expired,
// audience). A pure function of the token, the rules and the time, so a user can debug a
// 401 from the mesh without reading Envoy's logs. Nothing here ever prints the token.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/core/time.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::mesh {

/// One place a token may be accepted: a RequestAuthentication's jwtRule or a JWKS file.
struct JwtRule {
  std::string source;  ///< "RequestAuthentication shop/jwt rule 0", or the JWKS file
  std::string issuer;  ///< empty: any issuer (a JWKS file checked without --issuer)
  std::vector<std::string> audiences;  ///< empty: any audience, as in Istio
  Json jwks;                           ///< {"keys": [...]}
};

/// The rules of RequestAuthentication objects, and notes on the rules that cannot be
/// checked here (jwksUri, a JWKS that is not JSON).
struct JwtRules {
  std::vector<JwtRule> rules;
  std::vector<std::string> notes;
};

/// The jwtRules with an inline jwks, in object then rule order.
JwtRules rules_from_request_authentications(const std::vector<Json>& objects);

/// A rule from a JWKS file's text; errors (not JSON, no keys) name the file.
Result<JwtRule> rule_from_jwks_file(const std::string& text, const std::string& path,
                                    const std::string& issuer);

/// A token's parts, decoded but not yet trusted.
struct Jwt {
  Json header, claims;
  std::string signing_input;  ///< "header.payload" as sent
  std::string signature;      ///< raw bytes
};

/// Splits and decodes a compact JWS (an "Authorization: Bearer" prefix is dropped). Errors
/// (kind kFindings) describe the problem without quoting the token.
Result<Jwt> decode_jwt(std::string_view token);

/// What one rule makes of a token.
struct RuleVerdict {
  std::string source;
  std::string issuer;
  bool accepted = false;
  std::string reason;  ///< why not, when not accepted
  std::string kid;     ///< the key that verified it, when accepted
};

/// How far clocks may disagree: Envoy's default clock_skew_seconds.
inline constexpr std::chrono::seconds kJwtLeeway{60};

/// Checks the token against one rule: issuer, key (kid and alg), signature, exp and nbf,
/// audiences.
RuleVerdict verify_with_rule(const Jwt& jwt, const JwtRule& rule, SystemTime now,
                             std::chrono::seconds leeway = kJwtLeeway);

/// Checks the token against every rule. Fails (kFindings) before any rule for tokens no
/// rule can accept: alg "none" or an algorithm Envoy does not verify.
Result<std::vector<RuleVerdict>> verify_jwt(const Jwt& jwt, const std::vector<JwtRule>& rules,
                                            SystemTime now,
                                            std::chrono::seconds leeway = kJwtLeeway);

}  // namespace kmesh::mesh
