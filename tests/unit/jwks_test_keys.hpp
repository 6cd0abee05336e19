#pragma once
// Keys and tokens for the JWKS tests, made with OpenSSL independently of lib/mesh/jwks*:
// keys by the openssl CLI (run without a shell), what OpenSSL reports about them by the
// same CLI, and JWTs signed with the library's EVP calls.

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "lib/core/base64.hpp"
#include "lib/core/process.hpp"
#include "lib/core/strings.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::jwks_test {

/// Runs the openssl CLI; returns its stdout, or "" with *ok false when it failed.
inline std::string openssl(const std::vector<std::string>& args, bool* ok = nullptr) {
  ProcessSpec spec;
  spec.argv = {"openssl"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = current_environment();
  spec.timeout = std::chrono::seconds(120);
  auto r = run_process(spec);
  bool good = r.ok() && r->exit_code == 0;
  if (ok) *ok = good;
  return good ? r->out : "";
}

/// A fresh directory under /tmp (left for the OS to clean: tests run in throwaway sandboxes).
inline std::string make_dir() {
  std::string tmpl = "/tmp/kmesh-jwks-XXXXXX";
  return ::mkdtemp(tmpl.data()) ? tmpl : "/tmp";
}

/// An RSA private key of `bits` bits, in PKCS#8 PEM; returns its path.
inline std::string rsa_key(const std::string& dir, int bits, const std::string& name = "") {
  std::string path = dir + "/" + (name.empty() ? "rsa" + std::to_string(bits) : name) + ".pem";
  openssl({"genpkey", "-quiet", "-algorithm", "RSA", "-pkeyopt",
           "rsa_keygen_bits:" + std::to_string(bits), "-out", path});
  return path;
}

/// An EC private key on `curve` (P-256, P-384, secp256k1, ...), in PKCS#8 PEM.
inline std::string ec_key(const std::string& dir, const std::string& curve,
                          const std::string& name = "") {
  std::string path = dir + "/" + (name.empty() ? "ec-" + curve : name) + ".pem";
  openssl({"genpkey", "-quiet", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + curve,
           "-out", path});
  return path;
}

/// The public key of a private key file, as PUBLIC KEY PEM.
inline std::string public_key(const std::string& key_path) {
  std::string path = key_path + ".pub";
  openssl({"pkey", "-in", key_path, "-pubout", "-out", path});
  return path;
}

/// A self-signed certificate for a private key file.
inline std::string certificate(const std::string& key_path) {
  std::string path = key_path + ".crt";
  openssl({"req", "-x509", "-new", "-key", key_path, "-subj", "/CN=jwt-signer", "-days", "2",
           "-out", path});
  return path;
}

/// Bytes from hex digits, skipping ':' and whitespace.
inline std::string from_hex(const std::string& hex) {
  std::string digits, out;
  for (char c : hex)
    if (std::isxdigit(static_cast<unsigned char>(c))) digits += c;
  for (size_t i = 0; i + 1 < digits.size(); i += 2)
    out += static_cast<char>(std::stoi(digits.substr(i, 2), nullptr, 16));
  return out;
}

/// The modulus OpenSSL reports ("Modulus=HEX"), as bytes.
inline std::string reported_modulus(const std::string& key_path) {
  std::string text = openssl({"rsa", "-in", key_path, "-noout", "-modulus"});
  return from_hex(text.substr(text.find('=') + 1));
}

/// The public exponent OpenSSL reports ("publicExponent: 65537 (0x10001)").
inline long reported_exponent(const std::string& key_path) {
  std::string text = openssl({"rsa", "-in", key_path, "-noout", "-text"});
  size_t at = text.find("publicExponent: ");
  return at == std::string::npos ? -1 : std::stol(text.substr(at + 16));
}

/// The EC public point OpenSSL reports (04 || x || y), as bytes.
inline std::string reported_point(const std::string& key_path) {
  std::string text = openssl({"pkey", "-in", key_path, "-noout", "-text_pub"});
  size_t from = text.find("pub:"), to = text.find("ASN1 OID");
  return from == std::string::npos ? "" : from_hex(text.substr(from + 4, to - from - 4));
}

/// A big-endian unsigned number as bytes without leading zeros.
inline std::string number_bytes(unsigned long v) {
  std::string out;
  for (; v; v >>= 8)
    out.insert(out.begin(), static_cast<char>(v & 0xff));
  return out;
}

/// Signs `input` with the private key file as JWS `alg` does (ECDSA as r||s).
inline std::string sign(const std::string& key_path, const std::string& alg,
                        const std::string& input) {
  BIO* bio = BIO_new_file(key_path.c_str(), "r");
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  const EVP_MD* md = ends_with(alg, "256")   ? EVP_sha256()
                     : ends_with(alg, "384") ? EVP_sha384()
                                             : EVP_sha512();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  std::string sig;
  if (key && EVP_DigestSignInit(ctx, &pctx, md, nullptr, key) == 1) {
    if (starts_with(alg, "PS")) {
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
      EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
    }
    size_t size = 0;
    auto data = reinterpret_cast<const unsigned char*>(input.data());
    EVP_DigestSign(ctx, nullptr, &size, data, input.size());
    sig.resize(size);
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &size, data, input.size());
    sig.resize(size);
  }
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  if (!starts_with(alg, "ES")) return sig;
  size_t n = alg == "ES256" ? 32 : alg == "ES384" ? 48 : 66;
  auto der = reinterpret_cast<const unsigned char*>(sig.data());
  ECDSA_SIG* ec = d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(sig.size()));
  std::string raw(2 * n, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(ec), reinterpret_cast<unsigned char*>(raw.data()),
               static_cast<int>(n));
  BN_bn2binpad(ECDSA_SIG_get0_s(ec), reinterpret_cast<unsigned char*>(raw.data() + n),
               static_cast<int>(n));
  ECDSA_SIG_free(ec);
  return raw;
}

/// A compact JWS: header (alg set here) and claims signed with the key file.
inline std::string make_jwt(const std::string& key_path, const std::string& alg, Json header,
                            const Json& claims) {
  header["alg"] = alg;
  std::string input = base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
  return input + "." + base64url_encode(sign(key_path, alg, input));
}

/// The token with its claims replaced but its signature kept: a tampered token.
inline std::string tampered(const std::string& token, const Json& claims) {
  auto parts = split(token, '.');
  return parts[0] + "." + base64url_encode(claims.dump()) + "." + parts[2];
}

/// Seconds since the epoch, now plus `offset`.
inline long long epoch(long long offset = 0) {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
             .count() +
         offset;
}

}  // namespace kmesh::jwks_test
