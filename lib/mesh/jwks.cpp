#include "lib/mesh/jwks.hpp"

#include <openssl/core_names.h>
#include <openssl/pem.h>

#include <algorithm>
#include <functional>

#include "lib/core/base64.hpp"
#include "lib/core/strings.hpp"
#include "lib/mesh/jwks_openssl.hpp"

namespace kmesh::mesh {
namespace {

// One PEM block: its label ("CERTIFICATE", "PUBLIC KEY"), headers and DER bytes.
struct PemBlock {
  std::string label, headers, der;
};

// Every PEM block of the text, in order; none when the text is not PEM.
std::vector<PemBlock> pem_blocks(const std::string& text) {
  ossl::ErrorQueueGuard guard;
  auto bio = ossl::memory_bio(text);
  std::vector<PemBlock> blocks;
  char* name = nullptr;
  char* headers = nullptr;
  unsigned char* data = nullptr;
  long size = 0;
  while (bio && PEM_read_bio(bio.get(), &name, &headers, &data, &size) == 1) {
    blocks.push_back(
        {name, headers, std::string(reinterpret_cast<char*>(data), static_cast<size_t>(size))});
    OPENSSL_free(name);
    OPENSSL_free(headers);
    OPENSSL_free(data);
  }
  return blocks;
}

using Decoder = std::function<EVP_PKEY*(const unsigned char**, long)>;

// How to get a key out of each kind of block that holds one.
const Decoder* decoder_for(const std::string& label) {
  static const std::vector<std::pair<std::string, Decoder>> decoders = {
      {"CERTIFICATE",
       [](const unsigned char** p, long n) -> EVP_PKEY* {
         ossl::X509Ptr cert(d2i_X509(nullptr, p, n));
         return cert ? X509_get_pubkey(cert.get()) : nullptr;
       }},
      {"PUBLIC KEY", [](const unsigned char** p, long n) { return d2i_PUBKEY(nullptr, p, n); }},
      {"RSA PUBLIC KEY",
       [](const unsigned char** p, long n) { return d2i_PublicKey(EVP_PKEY_RSA, nullptr, p, n); }},
      {"PRIVATE KEY",
       [](const unsigned char** p, long n) { return d2i_AutoPrivateKey(nullptr, p, n); }},
      {"RSA PRIVATE KEY",
       [](const unsigned char** p, long n) { return d2i_PrivateKey(EVP_PKEY_RSA, nullptr, p, n); }},
      {"EC PRIVATE KEY",
       [](const unsigned char** p, long n) { return d2i_PrivateKey(EVP_PKEY_EC, nullptr, p, n); }},
  };
  for (const auto& [name, decode] : decoders)
    if (name == label) return &decode;
  return nullptr;
}

// The key of the first block that holds one; errors name the file.
Result<ossl::PKey> first_key(const std::vector<PemBlock>& blocks, const std::string& source) {
  std::vector<std::string> labels;
  for (const auto& b : blocks) {
    if (b.label == "ENCRYPTED PRIVATE KEY" || b.headers.find("ENCRYPTED") != std::string::npos)
      return usage_error(source +
                         ": the private key is encrypted; give its certificate or public key"
                         " instead (openssl pkey -in " +
                         source + " -pubout)");
    const Decoder* decode = decoder_for(b.label);
    if (!decode) {
      labels.push_back(b.label);
      continue;
    }
    ossl::ErrorQueueGuard guard;
    auto* p = reinterpret_cast<const unsigned char*>(b.der.data());
    ossl::PKey key((*decode)(&p, static_cast<long>(b.der.size())));
    if (!key)
      return usage_error(source + ": its " + b.label + " block is not a valid " +
                         to_lower(b.label));
    return key;
  }
  return usage_error(source + ": no public key, certificate or private key in it (found " +
                     join(labels, ", ") +
                     "); expected PUBLIC KEY, CERTIFICATE or PRIVATE KEY blocks");
}

std::optional<std::string> bn_param(EVP_PKEY* key, const char* name, size_t pad = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return std::nullopt;
  ossl::Bignum bn(raw);
  return pad ? ossl::bn_bytes_padded(bn.get(), pad) : ossl::bn_bytes(bn.get());
}

Result<Json> rsa_members(EVP_PKEY* key, const std::string& source) {
  int bits = EVP_PKEY_get_bits(key);
  if (bits < 2048)
    return usage_error(source + ": an RSA key of " + std::to_string(bits) +
                       " bits is too weak; use 2048 bits or more (openssl genpkey -algorithm RSA"
                       " -pkeyopt rsa_keygen_bits:2048)");
  auto n = bn_param(key, OSSL_PKEY_PARAM_RSA_N);
  auto e = bn_param(key, OSSL_PKEY_PARAM_RSA_E);
  if (!n || !e)
    return usage_error(source + ": OpenSSL cannot read the RSA key's modulus and exponent");
  return Json{{"kty", "RSA"}, {"n", base64url_encode(*n)}, {"e", base64url_encode(*e)}};
}

std::string group_name(EVP_PKEY* key) {
  char name[80] = {0};
  size_t size = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &size) !=
      1)
    return "with explicit parameters";
  return name;
}

Result<Json> ec_members(EVP_PKEY* key, const std::string& source) {
  std::string group = group_name(key);
  const ossl::Curve* curve = ossl::find_curve(group);
  if (!curve)
    return usage_error(source + ": an EC key on curve " + group +
                       ", which Istio cannot verify with; use P-256, P-384 or P-521");
  auto x = bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, curve->size);
  auto y = bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, curve->size);
  if (!x || !y) return usage_error(source + ": OpenSSL cannot read the EC key's public point");
  return Json{{"kty", "EC"},
              {"crv", std::string(curve->crv)},
              {"x", base64url_encode(*x)},
              {"y", base64url_encode(*y)}};
}

Result<Json> key_members(EVP_PKEY* key, const std::string& source) {
  int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS) return rsa_members(key, source);
  if (id == EVP_PKEY_EC) return ec_members(key, source);
  const char* type = EVP_PKEY_get0_type_name(key);
  return usage_error(
      source + ": a " + std::string(type ? type : "unknown") +
      " key; Istio's JWKS takes RSA (2048 bits or more) or EC (P-256, P-384, P-521) keys");
}

std::string sha256(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), md, &size, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(md), size);
}

std::string str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

const std::vector<std::string>& jws_algorithms() {
  static const std::vector<std::string> algs = {"RS256", "RS384", "RS512", "PS256", "PS384",
                                                "PS512", "ES256", "ES384", "ES512"};
  return algs;
}

bool alg_fits_key(const std::string& alg, const Json& jwk) {
  std::string kty = str(jwk, "kty");
  if (kty == "RSA") return alg.size() == 5 && (starts_with(alg, "RS") || starts_with(alg, "PS"));
  const ossl::Curve* curve = ossl::find_curve(str(jwk, "crv"));
  return kty == "EC" && curve && curve->alg == alg;
}

std::string jwk_thumbprint(const Json& jwk) {
  // RFC 7638: the required members in lexicographic order, no whitespace. Their values are
  // base64url or fixed names, so nothing needs escaping.
  std::string canonical;
  if (str(jwk, "kty") == "EC")
    canonical = R"({"crv":")" + str(jwk, "crv") + R"(","kty":"EC","x":")" + str(jwk, "x") +
                R"(","y":")" + str(jwk, "y") + R"("})";
  else
    canonical = R"({"e":")" + str(jwk, "e") + R"(","kty":")" + str(jwk, "kty") + R"(","n":")" +
                str(jwk, "n") + R"("})";
  return base64url_encode(sha256(canonical));
}

Result<Json> jwk_from_pem(const std::string& pem, const std::string& source,
                          const JwkOptions& options) {
  auto blocks = pem_blocks(pem);
  if (blocks.empty())
    return usage_error(source +
                       ": not PEM (no \"-----BEGIN\" line); expected a public key, certificate or"
                       " private key in PEM");
  KMESH_ASSIGN_OR_RETURN(auto key, first_key(blocks, source));
  KMESH_ASSIGN_OR_RETURN(Json jwk, key_members(key.get(), source));
  key.reset();  // a private key's secret half is not kept a moment longer than needed
  jwk["use"] = "sig";
  jwk["kid"] = options.kid.empty() ? jwk_thumbprint(jwk) : options.kid;
  if (!options.alg.empty()) {
    if (!alg_fits_key(options.alg, jwk))
      return usage_error(source + ": alg " + options.alg + " does not fit its " +
                         jwk["kty"].get<std::string>() + " key" +
                         (jwk.contains("crv") ? " on " + jwk["crv"].get<std::string>() : "") +
                         " (RSA keys take RS256..PS512; EC keys the ES algorithm of their curve)");
    jwk["alg"] = options.alg;
  }
  return jwk;
}

Result<Json> build_jwks(const std::vector<std::string>& files, const std::vector<std::string>& kids,
                        const std::string& alg) {
  if (files.empty()) return usage_error("no key files given; name at least one PEM file");
  if (!kids.empty() && kids.size() != files.size())
    return usage_error(
        std::to_string(kids.size()) + " kids for " + std::to_string(files.size()) +
        " key files; give one kid per file, in the same order, or none for thumbprints");
  const auto& algs = jws_algorithms();
  if (!alg.empty() && std::find(algs.begin(), algs.end(), alg) == algs.end())
    return usage_error("alg \"" + alg + "\": expected one of " + join(algs, ", "));
  Json keys = Json::array();
  std::vector<std::string> sources;
  for (size_t i = 0; i < files.size(); ++i) {
    auto text = read_file(files[i]);
    if (!text.ok) return usage_error(files[i] + ": " + text.error);
    KMESH_ASSIGN_OR_RETURN(Json jwk,
                           jwk_from_pem(text.text, files[i], {kids.empty() ? "" : kids[i], alg}));
    for (size_t k = 0; k < keys.size(); ++k)
      if (keys[k]["kid"] == jwk["kid"])
        return usage_error(sources[k] + " and " + files[i] + " have the same kid " +
                           jwk["kid"].get<std::string>() +
                           (kids.empty() ? " (they hold the same key)" : "") +
                           "; a JWKS needs distinct kids");
    keys.push_back(std::move(jwk));
    sources.push_back(files[i]);
  }
  return Json{{"keys", std::move(keys)}};
}

std::string jwks_text(const Json& jwks) {
  return jwks.dump(2) + "\n";
}

}  // namespace kmesh::mesh
