#include "lib/mesh/lock.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <random>
#include <thread>

#include "lib/core/time.hpp"

namespace kmesh::mesh {
namespace {

std::string micro_time(SystemTime t) {
  std::string s = format_rfc3339(t);
  return s.substr(0, s.size() - 1) + ".000000Z";
}

std::string host_name() {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  return host;
}

std::string make_identity() {
  std::random_device rd;
  return host_name() + "/" + std::to_string(::getpid()) + "/" + std::to_string(rd() % 100000);
}

// "host/pid/nonce": a holder on this host whose process is gone (or is this process, left
// over from an earlier attempt that could not release it) holds nothing.
bool holder_is_gone(const std::string& holder) {
  size_t a = holder.find('/'), b = holder.rfind('/');
  if (a == std::string::npos || a == b || holder.substr(0, a) != host_name()) return false;
  long pid = std::atol(holder.substr(a + 1, b - a - 1).c_str());
  if (pid <= 0) return false;
  if (pid == ::getpid()) return true;
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

}  // namespace

InstallLock::InstallLock(kube::Client& client, std::string ns, std::string name)
    : client_(client), ns_(std::move(ns)), name_(std::move(name)), identity_(make_identity()) {}

InstallLock::~InstallLock() {
  release();
}

Result<bool> InstallLock::try_take(std::chrono::seconds hold, std::string& holder_note) {
  auto now = std::chrono::system_clock::now();
  Json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                {"kind", "Lease"},
                {"metadata", {{"name", name_}, {"namespace", ns_}}},
                {"spec",
                 {{"holderIdentity", identity_},
                  {"leaseDurationSeconds", hold.count()},
                  {"acquireTime", micro_time(now)},
                  {"renewTime", micro_time(now)}}}};
  std::string base = "/apis/coordination.k8s.io/v1/namespaces/" + ns_ + "/leases";
  kube::HttpRequest create;
  create.method = "POST";
  create.path = base;
  create.headers = {{"Content-Type", "application/json"}};
  create.body = lease.dump();
  create.idempotent = false;
  auto resp = client_.send(create);
  if (resp.status == 201) {
    uid_ = Json::parse(resp.body, nullptr, false)["metadata"].value("uid", "");
    return true;
  }
  if (resp.status != 409)
    return client_.error(resp, "taking the install lock (Lease " + ns_ + "/" + name_ + ")");

  KMESH_ASSIGN_OR_RETURN(auto current,
                         client_.get_json(base + "/" + name_, "reading the install lock"));
  const Json spec = current.value("spec", Json::object());
  auto renewed = parse_rfc3339(spec.value("renewTime", ""));
  long duration = spec.value("leaseDurationSeconds", 0L);
  holder_note =
      spec.value("holderIdentity", "unknown") + " since " + spec.value("acquireTime", "?");
  bool expired = !renewed || *renewed + std::chrono::seconds(duration) < now;
  if (!expired && !holder_is_gone(spec.value("holderIdentity", ""))) return false;
  // The holder died: take the lease over, guarded by its resourceVersion.
  lease["metadata"]["resourceVersion"] = current["metadata"].value("resourceVersion", "");
  kube::HttpRequest put;
  put.method = "PUT";
  put.path = base + "/" + name_;
  put.headers = {{"Content-Type", "application/json"}};
  put.body = lease.dump();
  auto taken = client_.send(put);
  if (taken.status == 409) return false;  // someone else was quicker
  if (!taken.ok()) return client_.error(taken, "taking over the expired install lock");
  uid_ = Json::parse(taken.body, nullptr, false)["metadata"].value("uid", "");
  return true;
}

Status InstallLock::acquire(std::chrono::milliseconds timeout, std::chrono::seconds hold,
                            const std::function<void(const std::string&)>& on_wait) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  hold_ = hold;
  bool told = false;
  while (true) {
    std::string holder;
    KMESH_ASSIGN_OR_RETURN(bool taken, try_take(hold, holder));
    if (taken) {
      held_ = true;
      return {};
    }
    if (!told && on_wait) on_wait("waiting for the install lock held by " + holder);
    told = true;
    if (std::chrono::steady_clock::now() > deadline)
      return cluster_error("another install holds the lock (Lease " + ns_ + "/" + name_ + ", " +
                           holder + ") and did not finish within " + format_duration(timeout) +
                           "; nothing was changed");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

void InstallLock::renew() {
  if (!held_) return;
  kube::HttpRequest patch;
  patch.method = "PATCH";
  patch.path = "/apis/coordination.k8s.io/v1/namespaces/" + ns_ + "/leases/" + name_;
  patch.headers = {{"Content-Type", "application/merge-patch+json"}};
  patch.body = Json{{"spec", {{"renewTime", micro_time(std::chrono::system_clock::now())}}}}.dump();
  (void)client_.send(patch);  // a failed renewal only shortens how long others wait
}

void InstallLock::release() {
  if (!held_) return;
  held_ = false;
  kube::HttpRequest del;
  del.method = "DELETE";
  del.path = "/apis/coordination.k8s.io/v1/namespaces/" + ns_ + "/leases/" + name_;
  del.headers = {{"Content-Type", "application/json"}};
  // Only our lease: if it expired and someone took it over, theirs has another uid.
  del.body =
      Json{{"kind", "DeleteOptions"}, {"apiVersion", "v1"}, {"preconditions", {{"uid", uid_}}}}
          .dump();
  (void)client_.send(del);
}

}  // namespace kmesh::mesh
