#!/usr/bin/env bash
# Install: `kubectl mesh manifest generate` alone, then `kubectl mesh install` against
# `kubectl apply --server-side -f` of the same generated YAML (applied twice, as users must,
# because the custom resources' kinds exist only once the CRDs are Established), each onto
# a fresh control plane of the benchmark's own, alternating.
#
#   bench/install.sh [RUNS]      (default 5)
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
runs=${1:-5}
mesh="$root/build/kubectl-mesh"
kubectl=${KUBECTL:-$(command -v kubectl)}
work=$(mktemp -d)
results="$work/results"
trap 'bench_stop_cluster "$work/cp"; rm -rf "$work"' EXIT
"$mesh" manifest generate >"$work/istio.yaml"
hyperfine -N --warmup 3 --runs 20 "$mesh manifest generate" 2>/dev/null | grep -E "Time|Range"

kubectl_twice() { "$kubectl" apply --server-side -f "$1" >/dev/null 2>&1 || true; "$kubectl" apply --server-side -f "$1" >/dev/null; }
export -f kubectl_twice
export kubectl
for r in $(seq 1 "$runs"); do
  bench_start_cluster "$work/cp"
  export KUBECONFIG="$work/cp/admin.kubeconfig"
  measure "kubectl-mesh-install" "$mesh" install -y
  bench_stop_cluster "$work/cp"
  bench_start_cluster "$work/cp"
  measure "kubectl-apply-twice" bash -c "kubectl_twice $work/istio.yaml"
  bench_stop_cluster "$work/cp"
done
summarize
