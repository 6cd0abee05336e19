#pragma once
// The client certificate a kubeconfig user is about to present, checked before any
// connection: an expired or not yet valid certificate, or one that does not match its
// key, is a clear error naming the user and the dates instead of a TLS handshake failure.

#include <chrono>
#include <string>

#include "lib/core/result.hpp"
#include "lib/core/time.hpp"

namespace kmesh::kube {

/// What a client certificate says about itself.
struct CertificateDates {
  std::string subject;  ///< "CN=admin, O=system:masters"
  SystemTime not_before, not_after;
};

/// Reads the first certificate of a PEM text; errors name `what` (kind kUsage).
Result<CertificateDates> read_certificate_dates(const std::string& pem, const std::string& what);

/// How soon before expiry a warning is printed.
inline constexpr std::chrono::hours kCertificateWarning{24 * 7};

/// Checks the client certificate and key of kubeconfig user `user` at `now`: dates (kind
/// kCluster, as for any expired credential) and that the key matches (kCluster); an
/// unreadable certificate or key is kUsage. Warns (log::warn) when it expires within
/// kCertificateWarning.
Status check_client_certificate(const std::string& cert_pem, const std::string& key_pem,
                                const std::string& user, SystemTime now);

}  // namespace kmesh::kube
