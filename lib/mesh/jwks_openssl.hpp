#pragma once
// Owning pointers for the OpenSSL objects of the JWKS code (lib/mesh/jwks*), and a guard that
// leaves OpenSSL's per-thread error queue empty: libcurl reads that queue for its TLS error text,
// so an error we leave behind could end up in its messages.

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

namespace kmesh::mesh::ossl {

/// Calls an OpenSSL free function.
template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};

using PKey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PKeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO_free>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using EcdsaSig = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;
using ParamBld = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;

/// Empties the thread's OpenSSL error queue when the scope ends.
struct ErrorQueueGuard {
  ErrorQueueGuard() = default;
  ErrorQueueGuard(const ErrorQueueGuard&) = delete;
  ErrorQueueGuard& operator=(const ErrorQueueGuard&) = delete;
  ~ErrorQueueGuard() { ERR_clear_error(); }
};

/// A read-only memory BIO over text that outlives it.
inline Bio memory_bio(std::string_view text) {
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

/// A big-endian byte string, without leading zeros (JWK's n and e).
inline std::string bn_bytes(const BIGNUM* bn) {
  std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

/// A big-endian byte string left-padded to `size` bytes (JWK's x and y, JWS's r and s).
inline std::string bn_bytes_padded(const BIGNUM* bn, size_t size) {
  std::string out(size, '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(size));
  return out;
}

/// A BIGNUM from big-endian bytes.
inline Bignum bn_from(std::string_view bytes) {
  return Bignum(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()), nullptr));
}

/// An elliptic curve Envoy verifies with: its JWK name, OpenSSL name, coordinate size in
/// bytes and the one JWS algorithm that uses it.
struct Curve {
  std::string_view crv, group;
  size_t size;
  std::string_view alg;
};

/// P-256, P-384 and P-521.
inline constexpr Curve kCurves[] = {{"P-256", "prime256v1", 32, "ES256"},
                                    {"P-384", "secp384r1", 48, "ES384"},
                                    {"P-521", "secp521r1", 66, "ES512"}};

/// The curve with this JWK name, OpenSSL name or algorithm; nothing when unsupported.
inline const Curve* find_curve(std::string_view name) {
  for (const Curve& c : kCurves)
    if (c.crv == name || c.group == name || c.alg == name) return &c;
  return nullptr;
}

}  // namespace kmesh::mesh::ossl
