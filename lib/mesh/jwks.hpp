#pragma once
// JSON Web Key Sets for Istio's RequestAuthentication, built from PEM keys and
// certificates with OpenSSL: the keys Envoy can verify with (RSA of 2048 bits or more, EC
// on P-256, P-384 or P-521), each with a stable default kid (its RFC 7638 thumbprint).

#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::mesh {

/// What a JWK carries beyond the key itself.
struct JwkOptions {
  std::string kid;  ///< empty: the key's RFC 7638 thumbprint
  std::string alg;  ///< empty: no "alg" member (an RSA key serves RS* and PS* alike)
};

/// The JWK of the first public key, certificate or private key (public part only) in PEM
/// text. `source` names the text in errors, which are usage errors.
Result<Json> jwk_from_pem(const std::string& pem, const std::string& source,
                          const JwkOptions& options = {});

/// The RFC 7638 thumbprint of a JWK (SHA-256 of its required members), base64url.
std::string jwk_thumbprint(const Json& jwk);

/// The JWS algorithms Envoy verifies: RS256/384/512, PS256/384/512, ES256/384/512.
const std::vector<std::string>& jws_algorithms();

/// Whether a JWK can verify signatures of `alg` (RSA: RS* and PS*; EC: the ES* of its curve).
bool alg_fits_key(const std::string& alg, const Json& jwk);

/// Reads PEM files into one JWKS ({"keys": [...]}), in order, for rotation. `kids` pair
/// with the files by position (none: thumbprints); `alg`, when set, goes on every key.
/// Errors name the file.
Result<Json> build_jwks(const std::vector<std::string>& files, const std::vector<std::string>& kids,
                        const std::string& alg);

/// A JWKS as the string a RequestAuthentication's jwks field holds (indented JSON).
std::string jwks_text(const Json& jwks);

}  // namespace kmesh::mesh
