#include "lib/kube/cert_check.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>
#include <optional>

#include "lib/core/log.hpp"

namespace kmesh::kube {
namespace {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using PKey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO_free>>;

// libcurl reads OpenSSL's per-thread error queue for its TLS messages: leave it empty.
struct ErrorQueueGuard {
  ~ErrorQueueGuard() { ERR_clear_error(); }
};

Bio memory_bio(const std::string& text) {
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// Never prompt on the terminal for a passphrase: an encrypted key is an error instead.
int no_passphrase(char*, int, int, void*) {
  return -1;
}

std::optional<SystemTime> time_of(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

X509Ptr parse_certificate(const std::string& pem) {
  auto bio = memory_bio(pem);
  return X509Ptr(bio ? PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr) : nullptr);
}

std::string common_name(X509* cert) {
  char cn[256] = {0};
  if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn) <= 0)
    return "";
  return cn;
}

std::string validity(const CertificateDates& d) {
  return "valid from " + format_rfc3339(d.not_before) + " to " + format_rfc3339(d.not_after);
}

std::string certificate_of(const CertificateDates& d) {
  return "client certificate" + (d.subject.empty() ? "" : " (CN=" + d.subject + ")");
}

Status check_dates(const CertificateDates& d, const std::string& who, SystemTime now) {
  if (now < d.not_before)
    return cluster_error(who + ": " + certificate_of(d) + " is not valid until " +
                         format_rfc3339(d.not_before) + " (" + validity(d) + "; now " +
                         format_rfc3339(now) + "); check this machine's clock, or wait");
  if (now > d.not_after)
    return cluster_error(who + ": " + certificate_of(d) + " expired at " +
                         format_rfc3339(d.not_after) + " (" + validity(d) +
                         "); renew it, or get a new kubeconfig from the cluster's administrator");
  return {};
}

Status check_key(X509* cert, const std::string& key_pem, const CertificateDates& d,
                 const std::string& who) {
  auto bio = memory_bio(key_pem);
  PKey key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr) : nullptr);
  if (!key)
    return usage_error(
        who + ": client-key is not a readable PEM private key (an encrypted key is not supported)");
  if (X509_check_private_key(cert, key.get()) != 1)
    return cluster_error(who + ": client-key does not match the " + certificate_of(d) + ", " +
                         validity(d) + "; the kubeconfig pairs the certificate with another key");
  return {};
}

}  // namespace

Result<CertificateDates> read_certificate_dates(const std::string& pem, const std::string& what) {
  ErrorQueueGuard guard;
  X509Ptr cert = parse_certificate(pem);
  if (!cert) return usage_error(what + ": client-certificate is not a readable PEM certificate");
  auto from = time_of(X509_get0_notBefore(cert.get())),
       to = time_of(X509_get0_notAfter(cert.get()));
  if (!from || !to) return usage_error(what + ": client-certificate has unreadable validity dates");
  return CertificateDates{common_name(cert.get()), *from, *to};
}

Status check_client_certificate(const std::string& cert_pem, const std::string& key_pem,
                                const std::string& user, SystemTime now) {
  if (cert_pem.empty()) return {};
  ErrorQueueGuard guard;
  std::string who = "kubeconfig user \"" + user + "\"";
  KMESH_ASSIGN_OR_RETURN(auto dates, read_certificate_dates(cert_pem, who));
  KMESH_TRY(check_dates(dates, who, now));
  X509Ptr cert = parse_certificate(cert_pem);
  KMESH_TRY(check_key(cert.get(), key_pem, dates, who));
  auto left = std::chrono::duration_cast<std::chrono::seconds>(dates.not_after - now);
  if (left < kCertificateWarning)
    log::warn("kubeconfig user \"" + user + "\": " + certificate_of(dates) + " expires at " +
              format_rfc3339(dates.not_after) + ", in " + human_age(left) + "; renew it soon");
  return {};
}

}  // namespace kmesh::kube
