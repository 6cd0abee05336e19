#pragma once
// One install at a time per cluster: a coordination.k8s.io Lease in the Istio namespace.
// A second installer waits for it (saying who holds it) until its timeout; a lease whose
// holder died expires and is taken over.

#include <chrono>
#include <functional>
#include <string>

#include "lib/core/result.hpp"
#include "lib/kube/client.hpp"

namespace kmesh::mesh {

class InstallLock {
 public:
  InstallLock(kube::Client& client, std::string ns, std::string name = "kubectl-mesh-install");
  ~InstallLock();

  /// Takes the lease, waiting up to `timeout` while someone else holds it; `on_wait` is
  /// told once who holds it. The lease lasts `hold` unless released before.
  Status acquire(std::chrono::milliseconds timeout, std::chrono::seconds hold,
                 const std::function<void(const std::string&)>& on_wait);
  /// Extends the lease by its duration; called between install stages and during waits,
  /// so a holder that dies is replaced within one lease duration.
  void renew();
  /// Gives the lease up (also done by the destructor).
  void release();

 private:
  Result<bool> try_take(std::chrono::seconds hold, std::string& holder_note);

  kube::Client& client_;
  std::string ns_, name_, identity_, uid_;
  std::chrono::seconds hold_{60};
  bool held_ = false;
};

}  // namespace kmesh::mesh
