#pragma once
// Waiting for Deployments to become Available, and saying why they are not: the
// complaint users of istioctl have is a wait that times out with no reason given.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kube/client.hpp"
#include "lib/kube/discovery.hpp"
#include "lib/mesh/install_plan.hpp"

namespace kmesh::mesh {

/// Whether a Deployment object reports Available=True with all replicas updated.
bool deployment_available(const Json& deployment);

/// Why a Deployment is not ready, one paragraph: conditions, Pod phases, recent events.
std::string explain_unready(const Json& deployment, const std::vector<Json>& pods,
                            const std::vector<Json>& events);

/// How a wait reports: lasting lines, and a status replaced at each poll.
struct WaitReporters {
  std::function<void(const std::string&)> line = [](const std::string&) {};
  std::function<void(const std::string&)> status = [](const std::string&) {};
};

/// Waits for the named Deployments (namespace, name); on timeout the error names each one
/// that is not Available and why.
Status wait_for_deployments(
    kube::Client& client, kube::Discovery& discovery,
    const std::vector<std::pair<std::string, std::string>>& deployments,
    std::chrono::milliseconds timeout, const WaitReporters& report,
    const std::function<void()>& tick = [] {});

/// The status of a wait: "2/3 Deployments Available; waiting for istiod, istio-egressgateway".
std::string wait_status(size_t total, const std::vector<std::string>& unready);

/// The Deployments of an install plan.
std::vector<std::pair<std::string, std::string>> plan_deployments(const InstallPlan& plan);

}  // namespace kmesh::mesh
