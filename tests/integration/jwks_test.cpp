// The bookstore with keys of one's own (bookstore --jwks-from), checked by analyze, applied
// to the local control plane, and tokens verified against what the cluster then holds
// (jwks verify --from-cluster). Each test works in namespaces of its own.

#include <gtest/gtest.h>

#include "lib/core/strings.hpp"
#include "lib/yaml/parse.hpp"
#include "tests/integration/harness.hpp"
#include "tests/unit/jwks_test_keys.hpp"

namespace kmesh::testing {
namespace {

using namespace kmesh::jwks_test;

constexpr const char* kIssuer = "auth.bookstore.example";

Output run(std::vector<std::string> args, const std::string& stdin_text = "") {
  args.insert(args.begin(), {"--kubeconfig", kubeconfig()});
  return mesh(args, stdin_text);
}

// The RequestAuthentication of a rendered bookstore (YAML stream).
Json request_authentication(const std::string& yaml) {
  auto docs = yaml::parse_documents(yaml, "render");
  if (!docs.ok()) return nullptr;
  for (const auto& d : *docs)
    if (d.value.value("kind", "") == "RequestAuthentication") return d.value;
  return nullptr;
}

class BookstoreJwks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(make_dir());
    new_key_ = new std::string(rsa_key(*dir_, 2048, "new"));
    old_key_ = new std::string(ec_key(*dir_, "P-256", "old"));
  }
  static std::string* dir_;
  static std::string* new_key_;
  static std::string* old_key_;

  static Json claims(const std::string& iss = kIssuer, long long exp_offset = 600) {
    return {{"iss", iss}, {"sub", "icyfenix"}, {"exp", epoch(exp_offset)}};
  }
  static std::string kid_of(const std::string& key) {
    Output r = mesh({"jwks", "--from", key});
    return Json::parse(r.out, nullptr, false)["keys"][0].value("kid", "");
  }
};
std::string* BookstoreJwks::dir_;
std::string* BookstoreJwks::new_key_;
std::string* BookstoreJwks::old_key_;

TEST_F(BookstoreJwks, DefaultKeepsTheUpstreamKey) {
  Output r = mesh({"bookstore", "render"});
  ASSERT_EQ(r.code, 0) << r.err;
  Json ra = request_authentication(r.out);
  ASSERT_TRUE(ra.is_object());
  EXPECT_EQ(ra["spec"]["jwtRules"][0]["issuer"], "icyfenix@gmail.com");
  EXPECT_NE(ra["spec"]["jwtRules"][0]["jwks"].get<std::string>().find("bookstore-jwt-kid"),
            std::string::npos);
}

TEST_F(BookstoreJwks, RenderedKeysPassAnalyze) {
  std::string ns = unique_name("shop-jwks");
  Output r = mesh({"-n", ns, "bookstore", "render", "--jwks-from", *new_key_, "--jwks-from",
                   public_key(*old_key_), "--jwt-issuer", kIssuer});
  ASSERT_EQ(r.code, 0) << r.err;
  Json ra = request_authentication(r.out);
  ASSERT_TRUE(ra.is_object()) << r.out;
  const Json& rule = ra["spec"]["jwtRules"][0];
  EXPECT_EQ(rule["issuer"], kIssuer);
  EXPECT_EQ(rule["fromHeaders"][0]["prefix"], "bearer ") << "the rest of the rule stays";
  Json jwks = Json::parse(rule["jwks"].get<std::string>());
  ASSERT_EQ(jwks["keys"].size(), 2u);
  EXPECT_EQ(jwks["keys"][0]["kid"], kid_of(*new_key_));
  EXPECT_EQ(jwks["keys"][1]["kid"], kid_of(*old_key_));
  EXPECT_EQ(r.out.find("PRIVATE"), std::string::npos) << "only public parts are rendered";

  Output analyzed = mesh({"analyze", "-f", write_file(temp_dir(), "shop.yaml", r.out)});
  EXPECT_EQ(analyzed.code, 0) << analyzed.out << analyzed.err;
  EXPECT_NE(analyzed.out.find("No findings"), std::string::npos) << analyzed.out;
}

TEST_F(BookstoreJwks, AppliedKeysVerifyTokensFromTheCluster) {
  std::string ns = unique_name("shop-jwks");
  Output applied = run({"-n", ns, "bookstore", "apply", "--jwks-from", *new_key_, "--jwks-from",
                        *old_key_, "--jwt-issuer", kIssuer});
  ASSERT_EQ(applied.code, 0) << applied.err;
  Json live = kubectl_json({"get", "requestauthentication", "authentication-jwt-token", "-n", ns});
  ASSERT_TRUE(live.is_object());
  EXPECT_EQ(live["spec"]["jwtRules"][0]["issuer"], kIssuer);
  EXPECT_NE(live["spec"]["jwtRules"][0]["jwks"].get<std::string>().find(kid_of(*old_key_)),
            std::string::npos);

  std::string rule =
      "RequestAuthentication " + ns + "/authentication-jwt-token rule 0 (issuer " + kIssuer + ")";
  std::string from_old = make_jwt(*old_key_, "ES256", {{"kid", kid_of(*old_key_)}}, claims());
  Output ok = run({"-n", ns, "jwks", "verify", "-", "--from-cluster"}, from_old);
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find(rule + ": accepted, signed with kid " + kid_of(*old_key_)),
            std::string::npos)
      << ok.out;
  EXPECT_EQ((ok.out + ok.err).find(split(from_old, '.')[1]), std::string::npos)
      << "the token leaked";

  std::string token_file = write_file(
      temp_dir(), "token", make_jwt(*new_key_, "PS256", {}, claims("icyfenix@gmail.com")));
  Output wrong = run({"-n", ns, "jwks", "verify", "--token-file", token_file, "--from-cluster"});
  EXPECT_EQ(wrong.code, 3);
  EXPECT_NE(wrong.err.find(rule + ": wrong issuer icyfenix@gmail.com, expected " + kIssuer),
            std::string::npos)
      << wrong.err;

  Json stale = claims();
  stale["exp"] = 1700000000;
  Output expired =
      run({"-n", ns, "jwks", "verify", make_jwt(*new_key_, "RS256", {}, stale), "--from-cluster"});
  EXPECT_EQ(expired.code, 3);
  EXPECT_NE(expired.err.find(rule + ": expired at 2023-11-14T22:13:20Z"), std::string::npos)
      << expired.err;
}

TEST_F(BookstoreJwks, UnusableKeysChangeNothing) {
  std::string ns = unique_name("shop-jwks");
  std::string weak = rsa_key(*dir_, 1024, "weak");
  Output r = run({"-n", ns, "bookstore", "apply", "--jwks-from", weak});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--jwks-from: " + weak + ": an RSA key of 1024 bits"), std::string::npos)
      << r.err;
  EXPECT_TRUE(kubectl_json({"get", "namespace", ns}).is_null()) << "nothing was applied";
  std::string text = write_file(temp_dir(), "not.pem", "just text\n");
  Output not_pem = mesh({"bookstore", "render", "--jwks-from", text});
  EXPECT_EQ(not_pem.code, 2);
  EXPECT_NE(not_pem.err.find(text + ": not PEM"), std::string::npos) << not_pem.err;
  Output dev = mesh({"bookstore", "render", "--profile", "dev", "--jwks-from", *new_key_});
  EXPECT_EQ(dev.code, 2);
  EXPECT_NE(dev.err.find("the dev profile has none"), std::string::npos) << dev.err;
}

TEST_F(BookstoreJwks, NamespaceWithoutRulesHasNothingToVerifyAgainst) {
  std::string ns = unique_name("no-jwt");
  ASSERT_EQ(kubectl({"create", "namespace", ns}).code, 0);
  Output r = run({"-n", ns, "jwks", "verify", "-", "--from-cluster"},
                 make_jwt(*new_key_, "RS256", {}, claims()));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("note: namespace " + ns +
                       " has no RequestAuthentication rule with an inline jwks"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace kmesh::testing
