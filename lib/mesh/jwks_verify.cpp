#include "lib/mesh/jwks_verify.hpp"

#include <openssl/core_names.h>

#include <algorithm>
#include <cmath>

#include "lib/core/base64.hpp"
#include "lib/core/strings.hpp"
#include "lib/kube/objects.hpp"
#include "lib/mesh/jwks.hpp"
#include "lib/mesh/jwks_openssl.hpp"

namespace kmesh::mesh {
namespace {

enum class Scheme { kPkcs1, kPss, kEcdsa };

// A JWS algorithm: its digest and signature scheme.
struct Algorithm {
  std::string_view name;
  const EVP_MD* (*digest)();
  Scheme scheme;
};

const Algorithm* find_algorithm(const std::string& name) {
  static const Algorithm algs[] = {
      {"RS256", EVP_sha256, Scheme::kPkcs1}, {"RS384", EVP_sha384, Scheme::kPkcs1},
      {"RS512", EVP_sha512, Scheme::kPkcs1}, {"PS256", EVP_sha256, Scheme::kPss},
      {"PS384", EVP_sha384, Scheme::kPss},   {"PS512", EVP_sha512, Scheme::kPss},
      {"ES256", EVP_sha256, Scheme::kEcdsa}, {"ES384", EVP_sha384, Scheme::kEcdsa},
      {"ES512", EVP_sha512, Scheme::kEcdsa}};
  for (const Algorithm& a : algs)
    if (a.name == name) return &a;
  return nullptr;
}

Error finding(std::string message) {
  return {ErrorKind::kFindings, std::move(message)};
}

std::string str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// ---- keys ----

std::optional<std::string> b64_member(const Json& jwk, const char* key) {
  std::string text = str(jwk, key);
  if (text.empty()) return std::nullopt;
  return base64url_decode(text);
}

ossl::PKey key_from_params(const char* type, OSSL_PARAM_BLD* bld) {
  ossl::Params params(OSSL_PARAM_BLD_to_param(bld));
  ossl::PKeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
    return nullptr;
  return ossl::PKey(key);
}

ossl::PKey rsa_key(const Json& jwk) {
  auto n = b64_member(jwk, "n"), e = b64_member(jwk, "e");
  if (!n || !e) return nullptr;
  ossl::Bignum bn_n = ossl::bn_from(*n), bn_e = ossl::bn_from(*e);
  ossl::ParamBld bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1)
    return nullptr;
  return key_from_params("RSA", bld.get());
}

ossl::PKey ec_key(const Json& jwk) {
  const ossl::Curve* curve = ossl::find_curve(str(jwk, "crv"));
  auto x = b64_member(jwk, "x"), y = b64_member(jwk, "y");
  if (!curve || !x || !y || x->size() != curve->size || y->size() != curve->size) return nullptr;
  std::string point = "\x04" + *x + *y;  // uncompressed point
  std::string group(curve->group);
  ossl::ParamBld bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group.c_str(), 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1)
    return nullptr;
  return key_from_params("EC", bld.get());
}

ossl::PKey key_from_jwk(const Json& jwk) {
  ossl::ErrorQueueGuard guard;
  std::string kty = str(jwk, "kty");
  if (kty == "RSA") return rsa_key(jwk);
  if (kty == "EC") return ec_key(jwk);
  return nullptr;
}

// ---- signatures ----

// JWS carries ECDSA signatures as r||s; OpenSSL verifies DER.
std::optional<std::string> ecdsa_der(const std::string& raw, size_t coordinate_size) {
  if (raw.size() != 2 * coordinate_size) return std::nullopt;
  ossl::EcdsaSig sig(ECDSA_SIG_new());
  ossl::Bignum r = ossl::bn_from(std::string_view(raw).substr(0, coordinate_size));
  ossl::Bignum s = ossl::bn_from(std::string_view(raw).substr(coordinate_size));
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.release(), s.release()) != 1)
    return std::nullopt;
  unsigned char* der = nullptr;
  int size = i2d_ECDSA_SIG(sig.get(), &der);
  if (size <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(size));
  OPENSSL_free(der);
  return out;
}

bool verify_signature(EVP_PKEY* key, const Algorithm& alg, const std::string& curve_alg,
                      const Jwt& jwt) {
  ossl::ErrorQueueGuard guard;
  std::string signature = jwt.signature;
  if (alg.scheme == Scheme::kEcdsa) {
    const ossl::Curve* curve = ossl::find_curve(curve_alg);
    auto der = curve ? ecdsa_der(jwt.signature, curve->size) : std::nullopt;
    if (!der) return false;
    signature = *der;
  }
  ossl::MdCtx md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by md
  if (!md || EVP_DigestVerifyInit(md.get(), &pctx, alg.digest(), nullptr, key) != 1) return false;
  if (alg.scheme == Scheme::kPss &&
      (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
       EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1))
    return false;
  return EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(jwt.signing_input.data()),
                          jwt.signing_input.size()) == 1;
}

// ---- claims ----

std::string date_of(double seconds) {
  return format_rfc3339(SystemTime(std::chrono::seconds(static_cast<long long>(seconds))));
}

std::optional<double> number_claim(const Json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

// Why the token is outside its validity window at `now`, or "".
std::string time_problem(const Json& claims, SystemTime now, std::chrono::seconds leeway) {
  double t = std::chrono::duration<double>(now.time_since_epoch()).count();
  if (claims.contains("exp") && !claims["exp"].is_number()) return "its exp claim is not a number";
  if (claims.contains("nbf") && !claims["nbf"].is_number()) return "its nbf claim is not a number";
  if (auto exp = number_claim(claims, "exp"); exp && t > *exp + static_cast<double>(leeway.count()))
    return "expired at " + date_of(*exp) + " (now " + format_rfc3339(now) + ")";
  if (auto nbf = number_claim(claims, "nbf"); nbf && t + static_cast<double>(leeway.count()) < *nbf)
    return "not valid before " + date_of(*nbf) + " (now " + format_rfc3339(now) + ")";
  return "";
}

// As Envoy compares audiences: without a scheme and a trailing slash.
std::string normalize_audience(std::string aud) {
  for (const char* scheme : {"http://", "https://"})
    if (starts_with(aud, scheme)) aud = aud.substr(std::string(scheme).size());
  while (ends_with(aud, "/"))
    aud.pop_back();
  return aud;
}

std::string audience_problem(const Json& claims, const std::vector<std::string>& audiences) {
  if (audiences.empty()) return "";
  std::vector<std::string> token_auds;
  if (claims.contains("aud") && claims["aud"].is_string()) token_auds.push_back(claims["aud"]);
  if (claims.contains("aud") && claims["aud"].is_array())
    for (const auto& a : claims["aud"])
      if (a.is_string()) token_auds.push_back(a);
  for (const auto& a : token_auds)
    for (const auto& want : audiences)
      if (normalize_audience(a) == normalize_audience(want)) return "";
  return (token_auds.empty() ? "no aud claim"
                             : "audience " + join(token_auds, ", ") + " not accepted") +
         ", expected one of " + join(audiences, ", ");
}

// ---- one rule ----

// The rule's keys that may have signed the token: same kid (when it names one), a key type
// that fits the algorithm, and no other "alg" on the key.
std::vector<const Json*> candidate_keys(const Jwt& jwt, const JwtRule& rule, std::string& problem) {
  std::string kid = str(jwt.header, "kid"), alg = str(jwt.header, "alg");
  std::vector<std::string> kids;
  std::vector<const Json*> same_kid, fitting;
  if (rule.jwks.contains("keys") && rule.jwks["keys"].is_array())
    for (const auto& k : rule.jwks["keys"]) {
      kids.push_back(str(k, "kid"));
      if (!kid.empty() && str(k, "kid") != kid) continue;
      same_kid.push_back(&k);
      if (alg_fits_key(alg, k) && (str(k, "alg").empty() || str(k, "alg") == alg))
        fitting.push_back(&k);
    }
  if (!kid.empty() && same_kid.empty())
    problem = "unknown kid " + kid + " (the JWKS has " +
              (kids.empty() ? "no keys" : "kids " + join(kids, ", ")) + ")";
  else if (fitting.empty())
    problem = "no key for " + alg + " in the JWKS" + (kid.empty() ? "" : " with kid " + kid);
  return fitting;
}

}  // namespace

JwtRules rules_from_request_authentications(const std::vector<Json>& objects) {
  JwtRules out;
  for (const auto& ra : objects) {
    std::string name = "RequestAuthentication " + kube::namespace_of(ra) + "/" + kube::name_of(ra);
    const Json* rules = ra.contains("spec") ? &ra["spec"] : nullptr;
    if (!rules || !rules->contains("jwtRules") || !(*rules)["jwtRules"].is_array()) continue;
    const Json& list = (*rules)["jwtRules"];
    for (size_t i = 0; i < list.size(); ++i) {
      std::string at = name + " rule " + std::to_string(i);
      const Json& r = list[i];
      if (!r.contains("jwks") || !r["jwks"].is_string()) {
        out.notes.push_back(at +
                            (str(r, "jwksUri").empty()
                                 ? " has no inline jwks"
                                 : " fetches its keys from jwksUri " + str(r, "jwksUri")) +
                            ": not checked here");
        continue;
      }
      Json jwks = Json::parse(r["jwks"].get<std::string>(), nullptr, /*allow_exceptions=*/false);
      if (jwks.is_discarded() || !jwks.is_object()) {
        out.notes.push_back(at + ": its jwks is not JSON, so Envoy rejects every token for it");
        continue;
      }
      JwtRule rule{at, str(r, "issuer"), {}, std::move(jwks)};
      if (r.contains("audiences") && r["audiences"].is_array())
        for (const auto& a : r["audiences"])
          if (a.is_string()) rule.audiences.push_back(a);
      out.rules.push_back(std::move(rule));
    }
  }
  return out;
}

Result<JwtRule> rule_from_jwks_file(const std::string& text, const std::string& path,
                                    const std::string& issuer) {
  Json jwks = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (jwks.is_discarded() || !jwks.is_object())
    return usage_error("--jwks " + path + ": not JSON; expected a JWKS ({\"keys\": [...]})");
  if (!jwks.contains("keys") || !jwks["keys"].is_array() || jwks["keys"].empty())
    return usage_error("--jwks " + path + ": no \"keys\"; expected a JWKS ({\"keys\": [...]})");
  return JwtRule{path, issuer, {}, std::move(jwks)};
}

Result<Jwt> decode_jwt(std::string_view token) {
  token = trim(token);
  if (to_lower(token.substr(0, 7)) == "bearer ") token = trim(token.substr(7));
  auto parts = split(token, '.');
  if (parts.size() == 5)
    return finding("the token is an encrypted JWT (JWE); Istio verifies signed JWTs only");
  if (parts.size() != 3)
    return finding(
        "the token is not a JWT: expected three base64url parts separated by dots, found " +
        std::to_string(parts.size()));
  auto header = base64url_decode(parts[0]), payload = base64url_decode(parts[1]);
  auto signature = base64url_decode(parts[2]);
  if (!header || !payload || !signature)
    return finding("the token is not a JWT: a part is not base64url");
  Jwt jwt;
  jwt.header = Json::parse(*header, nullptr, false);
  jwt.claims = Json::parse(*payload, nullptr, false);
  if (jwt.header.is_discarded() || !jwt.header.is_object())
    return finding("the token is not a JWT: its header is not a JSON object");
  if (jwt.claims.is_discarded() || !jwt.claims.is_object())
    return finding("the token is not a JWT: its payload is not a JSON object");
  jwt.signing_input = parts[0] + "." + parts[1];
  jwt.signature = std::move(*signature);
  return jwt;
}

RuleVerdict verify_with_rule(const Jwt& jwt, const JwtRule& rule, SystemTime now,
                             std::chrono::seconds leeway) {
  RuleVerdict v{rule.source, rule.issuer, false, "", ""};
  std::string iss = str(jwt.claims, "iss");
  if (!rule.issuer.empty() && iss != rule.issuer) {
    v.reason = (iss.empty() ? "no iss claim" : "wrong issuer " + iss) + ", expected " + rule.issuer;
    return v;
  }
  std::string alg = str(jwt.header, "alg");
  const Algorithm* algorithm = find_algorithm(alg);
  auto keys = candidate_keys(jwt, rule, v.reason);
  if (!algorithm || keys.empty()) return v;
  const Json* signer = nullptr;
  for (const Json* k : keys) {
    ossl::PKey key = key_from_jwk(*k);
    if (key && verify_signature(key.get(), *algorithm, alg, jwt)) {
      signer = k;
      break;
    }
  }
  if (!signer) {
    std::string kid = keys.size() == 1 ? str(*keys.front(), "kid") : "";
    v.reason = "bad signature (checked with " +
               (kid.empty() ? std::to_string(keys.size()) + " key(s)" : "kid " + kid) + ")";
    return v;
  }
  v.kid = str(*signer, "kid");
  v.reason = time_problem(jwt.claims, now, leeway);
  if (v.reason.empty()) v.reason = audience_problem(jwt.claims, rule.audiences);
  v.accepted = v.reason.empty();
  return v;
}

Result<std::vector<RuleVerdict>> verify_jwt(const Jwt& jwt, const std::vector<JwtRule>& rules,
                                            SystemTime now, std::chrono::seconds leeway) {
  if (!jwt.header.contains("alg") || !jwt.header["alg"].is_string())
    return finding("the token's header has no alg");
  std::string alg = jwt.header["alg"].get<std::string>();
  if (to_lower(alg) == "none") return finding("alg none refused: the token is not signed");
  if (!find_algorithm(alg))
    return finding("alg " + alg + " refused: Istio's JWKS verifies " +
                   join(jws_algorithms(), ", "));
  std::vector<RuleVerdict> verdicts;
  for (const auto& rule : rules)
    verdicts.push_back(verify_with_rule(jwt, rule, now, leeway));
  return verdicts;
}

}  // namespace kmesh::mesh
