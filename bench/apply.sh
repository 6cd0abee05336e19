#!/usr/bin/env bash
# kubectl mesh apply against kubectl apply --server-side: 200 ConfigMaps, 50 Deployments
# (replicas 0, so the controllers do not add Pod traffic) and 50 headless Services (the local
# control plane's service IP range would fill up after a few runs) into a fresh
# namespace each run, alternating the two tools, on a control plane of the benchmark's own.
#
#   bench/apply.sh [RUNS]      (default 7 runs of each)
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
runs=${1:-7}
mesh="$root/build/kubectl-mesh"
kubectl=${KUBECTL:-$(command -v kubectl)}
work=$(mktemp -d)
results="$work/results"
trap 'bench_stop_cluster "$work/cp"; rm -rf "$work"' EXIT
bench_start_cluster "$work/cp"
export KUBECONFIG="$work/cp/admin.kubeconfig"

manifest() {  # NAMESPACE
  echo "apiVersion: v1
kind: Namespace
metadata:
  name: $1"
  for i in $(seq 0 199); do
    printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d\n  namespace: %s\ndata:\n  index: "%d"\n  text: some configuration for the benchmark\n' "$i" "$1" "$i"
  done
  for i in $(seq 0 49); do
    printf -- '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-%d\n  namespace: %s\nspec:\n  replicas: 0\n  selector:\n    matchLabels: {app: web-%d}\n  template:\n    metadata:\n      labels: {app: web-%d}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n' "$i" "$1" "$i" "$i"
    printf -- '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-%d\n  namespace: %s\nspec:\n  clusterIP: None\n  selector: {app: web-%d}\n  ports:\n  - name: http\n    port: 80\n' "$i" "$1" "$i"
  done
}

# One warm-up each (discovery caches, connection setup on the server side).
manifest warm-a >"$work/warm-a.yaml"
manifest warm-b >"$work/warm-b.yaml"
"$mesh" apply -f "$work/warm-a.yaml" >/dev/null
"$kubectl" apply --server-side -f "$work/warm-b.yaml" >/dev/null
for r in $(seq 1 "$runs"); do
  manifest "mesh-$r" >"$work/mesh-$r.yaml"
  manifest "kubectl-$r" >"$work/kubectl-$r.yaml"
  measure "kubectl-mesh-apply" "$mesh" apply -f "$work/mesh-$r.yaml"
  measure "kubectl-apply-server-side" "$kubectl" apply --server-side -f "$work/kubectl-$r.yaml"
done
echo "301 objects per run, $runs runs each, $(nproc) cores, kubectl $("$kubectl" version --client -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["clientVersion"]["gitVersion"])')"
summarize
