#!/usr/bin/env bash
# Flipping injection with restarts: `kubectl mesh inject enable -l ... --restart` against
# the kubectl way (`kubectl label ns ... --overwrite`, then `kubectl rollout restart
# deployment -n NS` per namespace), for 10, 50, 100 and 200 namespaces of 5 Deployments
# each (replicas 0, so no Pod creation storms the webhook), on a control plane of the
# benchmark's own with Istio installed by kubectl-mesh.
#
# Note what each does: kubectl restarts every Deployment; kubectl-mesh restarts only those
# whose Pods' sidecar state differs, and with replicas 0 there are no Pods, so it restarts
# none. Both end with the namespaces labelled; the comparison is what a user runs to get
# there.
#
#   bench/inject.sh [SIZES...]      (default 10 50 100 200)
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
sizes=("${@:-10 50 100 200}")
read -r -a sizes <<<"${sizes[*]}"
mesh="$root/build/kubectl-mesh"
kubectl=${KUBECTL:-$(command -v kubectl)}
work=$(mktemp -d)
results="$work/results"
trap 'bench_stop_cluster "$work/cp"; rm -rf "$work"' EXIT
bench_start_cluster "$work/cp"
export KUBECONFIG="$work/cp/admin.kubeconfig"
"$mesh" install --profile minimal -y >/dev/null 2>&1

populate() {  # TAG N: N namespaces labelled bench=TAG with 5 Deployments each
  local tag=$1 n=$2 i d
  for ((i = 0; i < n; i++)); do
    printf -- '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s-%d\n  labels: {bench: %s}\n' "$tag" "$i" "$tag"
    for d in 1 2 3 4 5; do
      printf -- '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-%d\n  namespace: %s-%d\nspec:\n  replicas: 0\n  selector:\n    matchLabels: {app: web-%d}\n  template:\n    metadata:\n      labels: {app: web-%d}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n' "$d" "$tag" "$i" "$d" "$d"
    done
  done >"$work/$tag.yaml"
  "$mesh" apply -f "$work/$tag.yaml" >/dev/null
}

kubectl_way() {  # TAG N
  "$kubectl" label ns -l "bench=$1" istio-injection=enabled --overwrite >/dev/null
  for ((i = 0; i < $2; i++)); do "$kubectl" rollout restart deployment -n "$1-$i" >/dev/null; done
}
export -f kubectl_way
export kubectl

for n in "${sizes[@]}"; do
  populate "m$n" "$n"
  populate "k$n" "$n"
  measure "mesh-$n" "$mesh" inject enable -l "bench=m$n" --restart
  measure "kubectl-$n" bash -c "kubectl_way k$n $n"
done
python3 - "$results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, wall, rss, cpu = line.split()
    tool, n = label.split("-")
    rows.setdefault(int(n), {})[tool] = (int(wall), int(cpu))
print("| namespaces | kubectl mesh inject enable --restart | kubectl label + rollout restart | ratio | API server CPU ours / kubectl's |")
print("|---|---|---|---|---|")
for n in sorted(rows):
    m, k = rows[n]["mesh"], rows[n]["kubectl"]
    print(f"| {n} | {m[0]} ms | {k[0]} ms | {k[0]/m[0]:.1f}x | {m[1]} ms / {k[1]} ms |")
PY
