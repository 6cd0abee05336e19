// JWKS from PEM keys: the members match what OpenSSL itself reports about each key.

#include <gtest/gtest.h>

#include "lib/core/base64.hpp"
#include "lib/mesh/jwks.hpp"
#include "tests/unit/jwks_test_keys.hpp"

namespace kmesh::mesh {
namespace {

using namespace kmesh::jwks_test;

class JwksBuild : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(make_dir());
    rsa2048_ = new std::string(rsa_key(*dir_, 2048));
    rsa4096_ = new std::string(rsa_key(*dir_, 4096));
    p256_ = new std::string(ec_key(*dir_, "P-256"));
    p384_ = new std::string(ec_key(*dir_, "P-384"));
  }
  static std::string* dir_;
  static std::string* rsa2048_;
  static std::string* rsa4096_;
  static std::string* p256_;
  static std::string* p384_;

  static Json one_key(const std::string& path, const std::vector<std::string>& kids = {},
                      const std::string& alg = "") {
    auto jwks = build_jwks({path}, kids, alg);
    EXPECT_TRUE(jwks.ok()) << jwks.error().message;
    return jwks.ok() ? (*jwks)["keys"][0] : Json();
  }
};
std::string* JwksBuild::dir_;
std::string* JwksBuild::rsa2048_;
std::string* JwksBuild::rsa4096_;
std::string* JwksBuild::p256_;
std::string* JwksBuild::p384_;

std::string decoded(const Json& jwk, const char* member) {
  return base64url_decode(jwk.value(member, "")).value_or("(not base64url)");
}

TEST_F(JwksBuild, RsaKeysCarryTheModulusAndExponentOpenSslReports) {
  for (const std::string* key : {rsa2048_, rsa4096_}) {
    Json jwk = one_key(*key);
    EXPECT_EQ(jwk["kty"], "RSA");
    EXPECT_EQ(jwk["use"], "sig");
    std::string modulus = reported_modulus(*key);
    ASSERT_FALSE(modulus.empty());
    EXPECT_EQ(decoded(jwk, "n"), modulus) << *key;
    EXPECT_EQ(decoded(jwk, "e"), number_bytes(static_cast<unsigned long>(reported_exponent(*key))));
    EXPECT_EQ(jwk["e"], "AQAB");
    EXPECT_FALSE(jwk.contains("alg")) << "an RSA key serves RS256 and PS256 alike";
    for (const char* member : {"n", "e", "kid"}) {
      std::string text = jwk[member];
      EXPECT_EQ(text.find_first_of("=+/"), std::string::npos)
          << member << " must be base64url without padding";
    }
  }
  EXPECT_EQ(decoded(one_key(*rsa4096_), "n").size(), 512u);
}

TEST_F(JwksBuild, EcKeysCarryThePointOpenSslReports) {
  for (auto [key, crv, size] : {std::tuple{p256_, "P-256", 32u}, std::tuple{p384_, "P-384", 48u}}) {
    Json jwk = one_key(*key);
    EXPECT_EQ(jwk["kty"], "EC");
    EXPECT_EQ(jwk["crv"], crv);
    std::string x = decoded(jwk, "x"), y = decoded(jwk, "y");
    EXPECT_EQ(x.size(), size);
    EXPECT_EQ(y.size(), size);
    EXPECT_EQ("\x04" + x + y, reported_point(*key)) << crv;
  }
}

TEST_F(JwksBuild, CertificatePublicKeyAndPrivateKeyGiveTheSameJwk) {
  for (const std::string* key : {rsa2048_, p256_}) {
    Json from_private = one_key(*key);
    EXPECT_EQ(one_key(public_key(*key)), from_private);
    EXPECT_EQ(one_key(certificate(*key)), from_private);
  }
}

TEST_F(JwksBuild, TraditionalKeyFormatsWithParametersBlocksAreRead) {
  std::string ec_traditional = *dir_ + "/ec-traditional.pem";
  openssl({"ecparam", "-name", "prime256v1", "-genkey", "-out",
           ec_traditional});  // EC PARAMETERS first
  EXPECT_EQ(one_key(ec_traditional)["crv"], "P-256");
  std::string rsa_traditional = *dir_ + "/rsa-traditional.pem";
  openssl({"pkey", "-in", *rsa2048_, "-traditional", "-out", rsa_traditional});
  EXPECT_EQ(one_key(rsa_traditional), one_key(*rsa2048_));
}

TEST_F(JwksBuild, DefaultKidIsTheRfc7638Thumbprint) {
  // The example of RFC 7638, section 3.1.
  Json rfc = {{"kty", "RSA"},
              {"e", "AQAB"},
              {"n",
               "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6t"
               "Soc_BJECPebWKRXjBZCiF"
               "V4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
               "FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d"
               "0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-"
               "bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-c"
               "sFCur-kEgU8awapJzKnqDKgw"}};
  EXPECT_EQ(jwk_thumbprint(rfc), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  Json jwk = one_key(*p256_);
  EXPECT_EQ(jwk["kid"], jwk_thumbprint(jwk));
  EXPECT_EQ(one_key(*p256_)["kid"], jwk["kid"]) << "stable across runs";
  EXPECT_NE(one_key(*p384_)["kid"], jwk["kid"]);
}

TEST_F(JwksBuild, SeveralKeysForRotationWithGivenKidsAndAlg) {
  auto jwks = build_jwks({*rsa2048_, *rsa4096_}, {"2026-05", "2025-11"}, "PS256");
  ASSERT_TRUE(jwks.ok()) << jwks.error().message;
  ASSERT_EQ((*jwks)["keys"].size(), 2u);
  EXPECT_EQ((*jwks)["keys"][0]["kid"], "2026-05");
  EXPECT_EQ((*jwks)["keys"][1]["kid"], "2025-11");
  EXPECT_EQ((*jwks)["keys"][1]["alg"], "PS256");
  EXPECT_EQ(one_key(*p384_, {}, "ES384")["alg"], "ES384");
}

struct BadInput {
  const char* name;
  std::function<std::string(const std::string& dir)> file;
  std::string alg;
  std::string message_part;
};

class JwksRefuses : public ::testing::TestWithParam<BadInput> {};

TEST_P(JwksRefuses, NamesTheFileAndIsAUsageError) {
  std::string dir = make_dir();
  std::string path = GetParam().file(dir);
  auto jwks = build_jwks({path}, {}, GetParam().alg);
  ASSERT_FALSE(jwks.ok());
  EXPECT_EQ(jwks.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(jwks.error().message.rfind(path + ": ", 0), 0u) << jwks.error().message;
  EXPECT_NE(jwks.error().message.find(GetParam().message_part), std::string::npos)
      << jwks.error().message;
}

std::string write(const std::string& path, const std::string& text) {
  FILE* f = std::fopen(path.c_str(), "w");
  std::fputs(text.c_str(), f);
  std::fclose(f);
  return path;
}

INSTANTIATE_TEST_SUITE_P(
    Keys, JwksRefuses,
    ::testing::Values(
        BadInput{"Rsa1024", [](const std::string& d) { return rsa_key(d, 1024); }, "",
                 "1024 bits is too weak"},
        BadInput{"Secp256k1", [](const std::string& d) { return ec_key(d, "secp256k1"); }, "",
                 "curve secp256k1"},
        BadInput{"Ed25519",
                 [](const std::string& d) {
                   openssl({"genpkey", "-algorithm", "ED25519", "-out", d + "/ed.pem"});
                   return d + "/ed.pem";
                 },
                 "", "ED25519 key"},
        BadInput{
            "NotPem",
            [](const std::string& d) { return write(d + "/key.json", "{\"kty\": \"RSA\"}\n"); }, "",
            "not PEM"},
        BadInput{"Missing", [](const std::string& d) { return d + "/missing.pem"; }, "",
                 "No such file"},
        BadInput{"NoKeyBlock",
                 [](const std::string& d) {
                   openssl({"ecparam", "-name", "prime256v1", "-out", d + "/params.pem"});
                   return d + "/params.pem";
                 },
                 "", "found EC PARAMETERS"},
        BadInput{"Encrypted",
                 [](const std::string& d) {
                   std::string key = rsa_key(d, 2048);
                   openssl({"pkey", "-in", key, "-aes256", "-passout", "pass:secret", "-out",
                            d + "/enc.pem"});
                   return d + "/enc.pem";
                 },
                 "", "encrypted"},
        BadInput{"CorruptBlock",
                 [](const std::string& d) {
                   return write(d + "/bad.pem",
                                "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
                 },
                 "", "not a valid public key"},
        BadInput{"AlgForAnotherKey", [](const std::string& d) { return ec_key(d, "P-256"); },
                 "RS256", "alg RS256 does not fit"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(JwksArguments, KidsPairWithFilesAndAlgIsKnown) {
  std::string dir = make_dir();
  std::string a = ec_key(dir, "P-256", "a"), b = ec_key(dir, "P-256", "b");
  auto mismatch = build_jwks({a, b}, {"only-one"}, "");
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.error().message.find("1 kids for 2 key files"), std::string::npos);
  auto unknown = build_jwks({a}, {}, "HS256");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("expected one of RS256"), std::string::npos);
  auto twice = build_jwks({a, public_key(a)}, {}, "");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("same key"), std::string::npos) << twice.error().message;
  EXPECT_FALSE(build_jwks({}, {}, "").ok());
}

}  // namespace
}  // namespace kmesh::mesh
