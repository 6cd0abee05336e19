// Verifying JWTs against JWKS rules as Istio would, with tokens signed in the test.

#include "lib/mesh/jwks_verify.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/app.hpp"
#include "lib/mesh/jwks.hpp"
#include "tests/unit/jwks_test_keys.hpp"

namespace kmesh::mesh {
namespace {

using namespace kmesh::jwks_test;

constexpr const char* kIssuer = "icyfenix@gmail.com";

class JwtVerify : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(make_dir());
    for (auto [name, path] :
         {std::pair{"rsa2048", rsa_key(*dir_, 2048)}, std::pair{"rsa4096", rsa_key(*dir_, 4096)},
          std::pair{"p256", ec_key(*dir_, "P-256")}, std::pair{"p384", ec_key(*dir_, "P-384")}})
      (*keys_)[name] = path;
    auto jwks =
        build_jwks({(*keys_)["rsa2048"], (*keys_)["rsa4096"], (*keys_)["p256"], (*keys_)["p384"]},
                   {"rsa2048", "rsa4096", "p256", "p384"}, "");
    ASSERT_TRUE(jwks.ok()) << jwks.error().message;
    *jwks_ = *jwks;
  }
  static std::string* dir_;
  static std::map<std::string, std::string>* keys_;
  static Json* jwks_;

  static Json claims(long long exp_offset = 600) {
    return {{"iss", kIssuer}, {"sub", "icyfenix"}, {"iat", epoch()}, {"exp", epoch(exp_offset)}};
  }
  static std::string token(const std::string& key, const std::string& alg, const Json& c = claims(),
                           const std::string& kid = "") {
    return make_jwt((*keys_)[key], alg, {{"typ", "JWT"}, {"kid", kid.empty() ? key : kid}}, c);
  }
  static JwtRule rule(const std::string& issuer = kIssuer) { return {"rule", issuer, {}, *jwks_}; }
  static RuleVerdict check(const std::string& tok, const JwtRule& r = rule()) {
    auto jwt = decode_jwt(tok);
    EXPECT_TRUE(jwt.ok()) << jwt.error().message;
    auto verdicts = verify_jwt(*jwt, {r}, std::chrono::system_clock::now());
    EXPECT_TRUE(verdicts.ok()) << verdicts.error().message;
    return verdicts.ok() ? verdicts->front() : RuleVerdict{};
  }
};
std::string* JwtVerify::dir_;
std::map<std::string, std::string>* JwtVerify::keys_ = new std::map<std::string, std::string>;
Json* JwtVerify::jwks_ = new Json;

TEST_F(JwtVerify, EverySupportedAlgorithmVerifies) {
  for (auto [key, alg] :
       {std::pair{"rsa2048", "RS256"}, std::pair{"rsa2048", "RS384"}, std::pair{"rsa2048", "RS512"},
        std::pair{"rsa4096", "PS256"}, std::pair{"rsa4096", "PS384"}, std::pair{"rsa2048", "PS512"},
        std::pair{"p256", "ES256"}, std::pair{"p384", "ES384"}}) {
    RuleVerdict v = check(token(key, alg));
    EXPECT_TRUE(v.accepted) << alg << " with " << key << ": " << v.reason;
    EXPECT_EQ(v.kid, key);
  }
}

TEST_F(JwtVerify, WithoutKidEveryFittingKeyIsTried) {
  Json header = {{"typ", "JWT"}};
  RuleVerdict v = check(make_jwt((*keys_)["p384"], "ES384", header, claims()));
  EXPECT_TRUE(v.accepted) << v.reason;
  EXPECT_EQ(v.kid, "p384");
}

TEST_F(JwtVerify, TamperedClaimsAreABadSignature) {
  Json c = claims();
  std::string good = token("rsa2048", "RS256", c);
  c["sub"] = "admin";
  RuleVerdict v = check(tampered(good, c));
  EXPECT_FALSE(v.accepted);
  EXPECT_EQ(v.reason, "bad signature (checked with kid rsa2048)");
  std::string ec = token("p256", "ES256", claims());
  EXPECT_EQ(check(tampered(ec, c)).reason, "bad signature (checked with kid p256)");
}

TEST_F(JwtVerify, KeyOfAnotherKidDoesNotVerify) {
  // Signed with the 4096-bit key but claiming the 2048-bit key's kid.
  RuleVerdict v = check(token("rsa4096", "RS256", claims(), "rsa2048"));
  EXPECT_EQ(v.reason, "bad signature (checked with kid rsa2048)");
}

TEST_F(JwtVerify, ExpiredTokensNameTheDateAndLeewayIsAMinute) {
  Json c = claims();
  c["exp"] = 1700000000;  // 2023-11-14T22:13:20Z
  RuleVerdict v = check(token("rsa2048", "RS256", c));
  EXPECT_FALSE(v.accepted);
  EXPECT_EQ(v.reason.rfind("expired at 2023-11-14T22:13:20Z (now ", 0), 0u) << v.reason;
  EXPECT_TRUE(check(token("rsa2048", "RS256", claims(-30))).accepted)
      << "within the 60 s clock skew";
  EXPECT_FALSE(check(token("rsa2048", "RS256", claims(-90))).accepted);
  Json later = claims();
  later["nbf"] = epoch(3600);
  EXPECT_EQ(check(token("p256", "ES256", later)).reason.rfind("not valid before ", 0), 0u);
}

TEST_F(JwtVerify, WrongIssuerSaysWhatWasExpected) {
  Json c = claims();
  c["iss"] = "someone@example.com";
  RuleVerdict v = check(token("rsa2048", "RS256", c));
  EXPECT_EQ(v.reason, "wrong issuer someone@example.com, expected icyfenix@gmail.com");
  c.erase("iss");
  EXPECT_EQ(check(token("rsa2048", "RS256", c)).reason,
            "no iss claim, expected icyfenix@gmail.com");
  EXPECT_TRUE(check(token("rsa2048", "RS256", claims()), rule("")).accepted)
      << "no issuer given: any";
}

TEST_F(JwtVerify, UnknownKidListsTheKnownOnes) {
  RuleVerdict v = check(token("rsa2048", "RS256", claims(), "rotated-away"));
  EXPECT_EQ(v.reason, "unknown kid rotated-away (the JWKS has kids rsa2048, rsa4096, p256, p384)");
  EXPECT_EQ(check(token("p256", "ES384", claims(), "p256")).reason,
            "no key for ES384 in the JWKS with kid p256");
}

TEST_F(JwtVerify, AudiencesAreCheckedWhenTheRuleNamesThem) {
  JwtRule r = rule();
  r.audiences = {"bookstore"};
  Json c = claims();
  c["aud"] = Json::array({"other", "https://bookstore/"});
  EXPECT_TRUE(check(token("rsa2048", "RS256", c), r).accepted);
  c["aud"] = "other";
  EXPECT_EQ(check(token("rsa2048", "RS256", c), r).reason,
            "audience other not accepted, expected one of bookstore");
}

TEST_F(JwtVerify, UnsignedAndUnsupportedAlgorithmsAreRefusedBeforeAnyRule) {
  std::string none =
      base64url_encode(R"({"alg":"none"})") + "." + base64url_encode(claims().dump()) + ".";
  auto jwt = decode_jwt(none);
  ASSERT_TRUE(jwt.ok()) << jwt.error().message;
  auto verdicts = verify_jwt(*jwt, {rule()}, std::chrono::system_clock::now());
  ASSERT_FALSE(verdicts.ok());
  EXPECT_EQ(verdicts.error().kind, ErrorKind::kFindings);
  EXPECT_EQ(verdicts.error().message, "alg none refused: the token is not signed");
  std::string hs =
      base64url_encode(R"({"alg":"HS256"})") + "." + base64url_encode(claims().dump()) + ".c2ln";
  auto refused = verify_jwt(*decode_jwt(hs), {rule()}, std::chrono::system_clock::now());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message.rfind("alg HS256 refused", 0), 0u);
}

TEST(JwtDecode, MalformedTokensAreFindingsThatNeverQuoteTheToken) {
  for (std::string bad : {"not-a-jwt", "a.b", "!!!.e30.sig", "e30.bm90IGpzb24.c2ln", "a.b.c.d.e"}) {
    auto jwt = decode_jwt(bad);
    ASSERT_FALSE(jwt.ok()) << bad;
    EXPECT_EQ(jwt.error().kind, ErrorKind::kFindings);
    EXPECT_EQ(jwt.error().message.find(bad), std::string::npos) << jwt.error().message;
  }
  auto bearer = decode_jwt("Bearer " + base64url_encode(R"({"alg":"RS256"})") + ".e30.c2ln\n");
  EXPECT_TRUE(bearer.ok()) << "an Authorization header value is accepted as is";
}

TEST(JwtRulesFromCluster, InlineRulesAreUsedAndJwksUriOnesNoted) {
  Json ra = Json::parse(R"({"apiVersion":"security.istio.io/v1","kind":"RequestAuthentication",
    "metadata":{"name":"jwt","namespace":"shop"},
    "spec":{"jwtRules":[
      {"issuer":"a@example.com","jwks":"{\"keys\":[]}","audiences":["shop"]},
      {"issuer":"b@example.com","jwksUri":"https://idp.example.com/jwks.json"},
      {"issuer":"c@example.com","jwks":"not json"}]}})");
  JwtRules rules = rules_from_request_authentications({ra});
  ASSERT_EQ(rules.rules.size(), 1u);
  EXPECT_EQ(rules.rules[0].source, "RequestAuthentication shop/jwt rule 0");
  EXPECT_EQ(rules.rules[0].issuer, "a@example.com");
  EXPECT_EQ(rules.rules[0].audiences, std::vector<std::string>{"shop"});
  ASSERT_EQ(rules.notes.size(), 2u);
  EXPECT_EQ(rules.notes[0],
            "RequestAuthentication shop/jwt rule 1 fetches its keys from jwksUri"
            " https://idp.example.com/jwks.json: not checked here");
  EXPECT_NE(rules.notes[1].find("rule 2: its jwks is not JSON"), std::string::npos);
}

// ---- the command ----

struct CommandRun {
  int code;
  std::string out, err;
};

CommandRun mesh(std::vector<std::string> args, const std::string& stdin_text = "") {
  std::vector<const char*> argv{"kubectl-mesh"};
  for (const auto& a : args)
    argv.push_back(a.c_str());
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  kube::Environment env;
  env.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  int code = cli::run(static_cast<int>(argv.size()), argv.data(),
                      cli::Streams{in, out, err, false, false}, env);
  return {code, out.str(), err.str()};
}

class JwksCommand : public JwtVerify {
 protected:
  std::string jwks_file() {
    std::string path = *dir_ + "/jwks.json";
    CommandRun r = mesh({"jwks", "--from", (*keys_)["rsa2048"], "--from", (*keys_)["p256"], "--kid",
                         "rsa2048", "--kid", "p256"});
    EXPECT_EQ(r.code, 0) << r.err;
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs(r.out.c_str(), f);
    std::fclose(f);
    return path;
  }
};

TEST_F(JwksCommand, PrintsJsonOrYaml) {
  CommandRun json = mesh({"jwks", "--from", (*keys_)["p256"]});
  ASSERT_EQ(json.code, 0) << json.err;
  Json parsed = Json::parse(json.out);
  EXPECT_EQ(parsed["keys"][0]["crv"], "P-256");
  CommandRun yaml = mesh({"jwks", "--from", (*keys_)["p256"], "-o", "yaml"});
  ASSERT_EQ(yaml.code, 0) << yaml.err;
  EXPECT_NE(yaml.out.find("crv: P-256"), std::string::npos) << yaml.out;
  CommandRun weak = mesh({"jwks", "--from", rsa_key(*dir_, 1024, "weak")});
  EXPECT_EQ(weak.code, 2);
  EXPECT_NE(weak.err.find(*dir_ + "/weak.pem: an RSA key of 1024 bits"), std::string::npos)
      << weak.err;
}

TEST_F(JwksCommand, VerifyReadsTheTokenFromStdinAndNeverPrintsIt) {
  std::string tok = token("p256", "ES256");
  CommandRun ok =
      mesh({"jwks", "verify", "-", "--jwks", jwks_file(), "--issuer", kIssuer}, tok + "\n");
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find("(issuer icyfenix@gmail.com): accepted, signed with kid p256"),
            std::string::npos)
      << ok.out;
  EXPECT_EQ((ok.out + ok.err).find(split(tok, '.')[1]), std::string::npos) << "the token leaked";
  EXPECT_EQ((ok.out + ok.err).find(split(tok, '.')[2]), std::string::npos)
      << "the signature leaked";
}

TEST_F(JwksCommand, RejectedTokenIsExitThreeWithTheReason) {
  Json c = claims();
  c["exp"] = 1700000000;
  std::string expired = token("rsa2048", "RS256", c);
  CommandRun r = mesh({"jwks", "verify", expired, "--jwks", jwks_file()});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("error: token rejected by " + *dir_ +
                       "/jwks.json: expired at 2023-11-14T22:13:20Z"),
            std::string::npos)
      << r.err;
  EXPECT_EQ((r.out + r.err).find(split(expired, '.')[1]), std::string::npos) << "the token leaked";
}

TEST_F(JwksCommand, VerifyNeedsOneTokenAndOneJwksSource) {
  EXPECT_EQ(mesh({"jwks", "verify", "--jwks", "x.json"}).code, 2);
  EXPECT_EQ(mesh({"jwks", "verify", "-", "--token-file", "t", "--jwks", "x.json"}).code, 2);
  EXPECT_EQ(mesh({"jwks", "verify", "-"}, "t").code, 2);
  EXPECT_EQ(mesh({"jwks", "verify", "-", "--jwks", "x.json", "--from-cluster"}, "t").code, 2);
  CommandRun missing =
      mesh({"jwks", "verify", "--token-file", *dir_ + "/none.txt", "--jwks", jwks_file()});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("--token-file " + *dir_ + "/none.txt"), std::string::npos)
      << missing.err;
}

}  // namespace
}  // namespace kmesh::mesh
