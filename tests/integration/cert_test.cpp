// Client certificates in kubeconfigs, checked before connecting, and server certificates
// that fail verification, against the local control plane. Client certificates are signed
// here with the control plane's own CA (DIR/pki/ca.crt + ca.key) with chosen dates, so the
// server would accept them were it not for those dates.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "lib/core/base64.hpp"
#include "lib/core/log.hpp"
#include "lib/core/strings.hpp"
#include "lib/core/time.hpp"
#include "lib/kube/cert_check.hpp"
#include "lib/kube/status.hpp"
#include "tests/integration/harness.hpp"

namespace kmesh::testing {
namespace {

using std::chrono::hours;

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string pki(const std::string& name) {
  return slurp(cluster_dir() + "/pki/" + name);
}

std::string server_url() {
  for (const auto& line : split(slurp(kubeconfig()), '\n'))
    if (line.find("server: ") != std::string::npos)
      return std::string(trim(line.substr(line.find("server: ") + 8)));
  return "";
}

// ---- certificates made here ----

EVP_PKEY* read_key(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return key;
}

X509* read_cert(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return cert;
}

std::string key_pem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(size));
  BIO_free(bio);
  return out;
}

EVP_PKEY* new_key() {
  return EVP_EC_gen("P-256");
}

/// A client certificate for `key`, CN kmesh-cert-test in system:masters, valid from..to,
/// signed by the control plane's CA.
std::string client_cert(EVP_PKEY* key, SystemTime from, SystemTime to) {
  EVP_PKEY* ca_key = read_key(pki("ca.key"));
  X509* ca = read_cert(pki("ca.crt"));
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(
      X509_get_serialNumber(cert),
      static_cast<long>(std::chrono::system_clock::now().time_since_epoch().count() & 0x7fffffff));
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("system:masters"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("kmesh-cert-test"), -1, -1, 0);
  X509_set_issuer_name(cert, X509_get_subject_name(ca));
  ASN1_TIME_set(X509_getm_notBefore(cert), std::chrono::system_clock::to_time_t(from));
  ASN1_TIME_set(X509_getm_notAfter(cert), std::chrono::system_clock::to_time_t(to));
  X509_set_pubkey(cert, key);
  X509_sign(cert, ca_key, EVP_sha256());
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(size));
  BIO_free(bio);
  X509_free(cert);
  X509_free(ca);
  EVP_PKEY_free(ca_key);
  return out;
}

SystemTime at(const std::string& rfc3339) {
  return *parse_rfc3339(rfc3339);
}

SystemTime whole_seconds(SystemTime t) {
  return std::chrono::time_point_cast<std::chrono::seconds>(t);
}

std::string kubeconfig_for(const std::string& cert, const std::string& key,
                           const std::string& ca = "") {
  std::string text =
      "apiVersion: v1\nkind: Config\nclusters:\n- name: local\n  cluster:\n    server: " +
      server_url() +
      "\n    certificate-authority-data: " + base64_encode(ca.empty() ? pki("ca.crt") : ca) +
      "\nusers:\n- name: cert-tester\n  user:\n    client-certificate-data: " +
      base64_encode(cert) + "\n    client-key-data: " + base64_encode(key) +
      "\ncontexts:\n- name: ctx\n  context: {cluster: local, user: cert-tester}\ncurrent-context: "
      "ctx\n";
  return write_file(temp_dir(), "cert.kubeconfig", text);
}

Output version_with(const std::string& cert, const std::string& key, const std::string& ca = "") {
  return mesh({"--kubeconfig", kubeconfig_for(cert, key, ca), "version"});
}

// ---- client certificates against the control plane ----

TEST(ClientCertificate, TheServerAcceptsACertificateMadeHere) {
  EVP_PKEY* key = new_key();
  auto now = std::chrono::system_clock::now();
  Output r = version_with(client_cert(key, now - hours(1), now + hours(24 * 30)), key_pem(key));
  EVP_PKEY_free(key);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("Warning"), std::string::npos) << r.err;
}

TEST(ClientCertificate, ExpiredNamesTheUserAndTheDate) {
  EVP_PKEY* key = new_key();
  Output r = version_with(client_cert(key, at("2024-01-01T00:00:00Z"), at("2024-06-30T12:00:00Z")),
                          key_pem(key));
  EVP_PKEY_free(key);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(
      r.err.find("error: kubeconfig user \"cert-tester\": client certificate (CN=kmesh-cert-test) "
                 "expired at"
                 " 2024-06-30T12:00:00Z (valid from 2024-01-01T00:00:00Z to 2024-06-30T12:00:00Z)"),
      std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("TLS"), std::string::npos) << "not a handshake failure: " << r.err;
}

TEST(ClientCertificate, NotYetValidNamesTheUserAndTheDate) {
  EVP_PKEY* key = new_key();
  Output r = version_with(client_cert(key, at("2099-01-01T00:00:00Z"), at("2099-12-31T00:00:00Z")),
                          key_pem(key));
  EVP_PKEY_free(key);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("kubeconfig user \"cert-tester\": client certificate (CN=kmesh-cert-test) "
                       "is not valid until"
                       " 2099-01-01T00:00:00Z"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("check this machine's clock"), std::string::npos) << r.err;
}

TEST(ClientCertificate, KeyOfAnotherCertificateIsAClearError) {
  EVP_PKEY* key = new_key();
  EVP_PKEY* other = new_key();
  auto now = std::chrono::system_clock::now();
  auto to = whole_seconds(now + hours(24 * 30));
  Output r = version_with(client_cert(key, now - hours(1), to), key_pem(other));
  EVP_PKEY_free(key);
  EVP_PKEY_free(other);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(
      r.err.find("kubeconfig user \"cert-tester\": client-key does not match the client certificate"
                 " (CN=kmesh-cert-test)"),
      std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(" to " + format_rfc3339(to)), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("PRIVATE KEY"), std::string::npos) << "key material leaked";
}

TEST(ClientCertificate, NearExpiryWarnsAndStillWorks) {
  EVP_PKEY* key = new_key();
  auto now = std::chrono::system_clock::now();
  auto to = whole_seconds(now + hours(24 * 3));
  Output r = version_with(client_cert(key, now - hours(1), to), key_pem(key));
  EVP_PKEY_free(key);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Server Version"), std::string::npos);
  EXPECT_NE(r.err.find("Warning: kubeconfig user \"cert-tester\": client certificate "
                       "(CN=kmesh-cert-test) expires at " +
                       format_rfc3339(to) + ", in 2d23h"),
            std::string::npos)
      << r.err;
}

TEST(ClientCertificate, ExecPluginCertificateIsCheckedToo) {
  EVP_PKEY* key = new_key();
  std::string dir = temp_dir();
  Json credential = {{"apiVersion", "client.authentication.k8s.io/v1"},
                     {"kind", "ExecCredential"},
                     {"status",
                      {{"clientCertificateData",
                        client_cert(key, at("2024-01-01T00:00:00Z"), at("2024-02-01T00:00:00Z"))},
                       {"clientKeyData", key_pem(key)}}}};
  EVP_PKEY_free(key);
  write_file(dir, "credential.json", credential.dump());
  std::string script =
      write_file(dir, "plugin.sh", "#!/bin/sh\ncat \"$(dirname \"$0\")/credential.json\"\n");
  ASSERT_EQ(::chmod(script.c_str(), 0700), 0);
  std::string path = write_file(
      dir, "exec.kubeconfig",
      "apiVersion: v1\nkind: Config\nclusters:\n- name: local\n  cluster:\n    server: " +
          server_url() + "\n    certificate-authority-data: " + base64_encode(pki("ca.crt")) +
          "\nusers:\n- name: plugin-user\n  user:\n    exec:\n      apiVersion: "
          "client.authentication.k8s.io/v1\n"
          "      command: " +
          script +
          "\n      interactiveMode: Never\n"
          "contexts:\n- name: ctx\n  context: {cluster: local, user: "
          "plugin-user}\ncurrent-context: ctx\n");
  Output r = mesh({"--kubeconfig", path, "version"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(
      r.err.find(
          "kubeconfig user \"plugin-user\": client certificate (CN=kmesh-cert-test) expired at"
          " 2024-02-01T00:00:00Z"),
      std::string::npos)
      << r.err;
}

// ---- server certificates ----

TEST(ServerCertificate, AnotherCaGivesTheVerificationReason) {
  std::string dir = temp_dir();
  Output gen = run_program({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir + "/other.key",
                            "-out", dir + "/other.crt", "-days", "1", "-subj", "/CN=another-ca"});
  ASSERT_EQ(gen.code, 0) << gen.err;
  Output r = version_with(pki("admin.crt"), pki("admin.key"), slurp(dir + "/other.crt"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("TLS with " + server_url() +
                       " (kubeconfig cluster \"local\") failed: unknown CA: the server's"
                       " certificate is signed by a CA the kubeconfig does not trust"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("unable to get local issuer certificate"), std::string::npos)
      << "OpenSSL's words: " << r.err;
}

TEST(ServerCertificate, WrongHostNameIsSaidSo) {
  std::string text = slurp(kubeconfig_for(pki("admin.crt"), pki("admin.key")));
  text.insert(text.find("\nusers:"), "\n    tls-server-name: not-the-server.example");
  Output r = mesh({"--kubeconfig", write_file(temp_dir(), "host.kubeconfig", text), "version"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(
                "failed: wrong host name: the server's certificate is not valid for the name in the"
                " kubeconfig; check the server and tls-server-name of cluster \"local\""),
            std::string::npos)
      << r.err;
}

// OpenSSL's reasons as libcurl words them, for the cases a local server cannot easily show.
TEST(ServerCertificate, ReasonsInPlainWords) {
  kube::Endpoint ep{"https://10.0.0.1:6443", "prod", "alice"};
  auto describe = [&](const std::string& curl_text) {
    kube::HttpResponse r;
    r.failure = kube::TransportFailure::kTls;
    r.transport_error = curl_text;
    return kube::describe_failure(r, "", ep);
  };
  EXPECT_EQ(describe("SSL certificate problem: certificate has expired"),
            "TLS with https://10.0.0.1:6443 (kubeconfig cluster \"prod\") failed: expired: the "
            "server's certificate"
            " has expired (SSL certificate problem: certificate has expired)");
  EXPECT_NE(describe("SSL certificate problem: self-signed certificate in certificate chain")
                .find("unknown CA"),
            std::string::npos);
  EXPECT_NE(describe("OpenSSL/3.0.19: error:0A000418:SSL routines::tlsv1 alert unknown ca")
                .find("the server refused the client certificate of kubeconfig user \"alice\""),
            std::string::npos);
  EXPECT_EQ(describe("SSL_connect: something else"),
            "TLS with https://10.0.0.1:6443 (kubeconfig cluster \"prod\") failed: SSL_connect: "
            "something else");
}

// ---- the check itself, at chosen times ----

TEST(CertificateCheck, WarnsOnlyWithinSevenDays) {
  EVP_PKEY* key = new_key();
  std::string cert = client_cert(key, at("2030-01-01T00:00:00Z"), at("2030-03-01T00:00:00Z"));
  std::string pem = key_pem(key);
  EVP_PKEY_free(key);
  std::ostringstream err;
  log::configure(0, &err);
  EXPECT_TRUE(kube::check_client_certificate(cert, pem, "u", at("2030-02-20T00:00:00Z")).ok());
  EXPECT_EQ(err.str(), "");
  EXPECT_TRUE(kube::check_client_certificate(cert, pem, "u", at("2030-02-23T00:00:00Z")).ok());
  EXPECT_EQ(err.str(),
            "Warning: kubeconfig user \"u\": client certificate (CN=kmesh-cert-test) expires at"
            " 2030-03-01T00:00:00Z, in 6d; renew it soon\n");
  log::configure(0, nullptr);
  auto garbage = kube::check_client_certificate(
      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", pem, "u",
      at("2030-02-20T00:00:00Z"));
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().kind, ErrorKind::kUsage);
}

}  // namespace
}  // namespace kmesh::testing
