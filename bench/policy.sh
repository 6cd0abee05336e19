#!/usr/bin/env bash
# Benchmark: `kubectl mesh retry set` against the equivalent `kubectl patch --type merge`
# on the local control plane, with the control plane's own kubectl as the peer.
#
#   bench/policy.sh [KUBECTL_MESH] [ROUNDS] [RUNS]
#
# KUBECTL_MESH defaults to build/kubectl-mesh (make build). Starts a control plane of its
# own (tests/cluster/cluster.sh) with Istio's CRDs installed by kubectl-mesh, unless
# KMESH_BENCH_KUBECONFIG names one to use. ROUNDS (default 5) hyperfine rounds alternate
# the two commands, RUNS (default 20) runs each per round after 3 warm-ups. Every run
# writes a new value (the attempts cycle 1..5), so neither side measures a no-op.
# Prints per-round medians, the median of them, the ratio and peak memory.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mesh=$(realpath "${1:-$here/build/kubectl-mesh}")
rounds=${2:-5}
runs=${3:-20}
cluster="$here/tests/cluster/cluster.sh"
command -v hyperfine >/dev/null || { echo "hyperfine is needed" >&2; exit 2; }
[ -x "$mesh" ] || { echo "no kubectl-mesh at $mesh (make build)" >&2; exit 2; }

work=$(mktemp -d /tmp/kmesh-bench-policy.XXXXXX)
cleanup() {
  [ -n "${started:-}" ] && "$cluster" down "$work/cp" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${KMESH_BENCH_KUBECONFIG:-}" ]; then
  kubeconfig=$KMESH_BENCH_KUBECONFIG
else
  "$cluster" up "$work/cp" >/dev/null
  started=1
  kubeconfig="$work/cp/admin.kubeconfig"
  "$mesh" --kubeconfig "$kubeconfig" install -y >/dev/null
fi
kubectl=$("$cluster" path)
ns=bench-policy
"$kubectl" kubectl --kubeconfig "$kubeconfig" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Namespace
metadata: {name: $ns}
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: $ns}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
EOF
"$mesh" --kubeconfig "$kubeconfig" -n "$ns" timeout set reviews 10s >/dev/null

# The attempts cycle 1..5 through a counter file, the same shell work on both sides.
counter="$work/counter"
echo 0 >"$counter"
next='n=$(( $(cat '"$counter"') % 5 + 1 )); echo $n >'"$counter"';'
ours="$next $mesh --kubeconfig $kubeconfig -n $ns retry set reviews --attempts \$n --per-try-timeout 2s --retry-on 5xx >/dev/null"
# The merge patch replaces spec.http whole (a JSON merge patch cannot edit inside a
# list): it is the equivalent only for a VirtualService with this one route.
patch='{"spec":{"http":[{"route":[{"destination":{"host":"reviews"}}],"timeout":"10s","retries":{"attempts":'"'"'$n'"'"',"perTryTimeout":"2s","retryOn":"5xx"}}]}}'
theirs="$next $kubectl kubectl --kubeconfig $kubeconfig -n $ns patch virtualservices.networking.istio.io reviews --type merge -p '$patch' >/dev/null"

echo "kubectl-mesh: $mesh"
echo "peer: $kubectl kubectl (the control plane's own release)"
for r in $(seq 1 "$rounds"); do
  hyperfine --style none --warmup 3 --runs "$runs" --export-json "$work/round-$r.json" \
    -n "kubectl mesh retry set" "$ours" -n "kubectl patch --type merge" "$theirs" >/dev/null
done

rss() { /usr/bin/time -f %M sh -c "$1" 2>&1 >/dev/null | tail -1; }
python3 - "$work" "$rounds" "$(rss "$ours")" "$(rss "$theirs")" <<'EOF'
import json, statistics, sys
work, rounds, rss_ours, rss_theirs = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
medians = {}
for r in range(1, rounds + 1):
    for res in json.load(open(f"{work}/round-{r}.json"))["results"]:
        medians.setdefault(res["command"], []).append(res["median"] * 1000)
for name, values in medians.items():
    print(f"{name:28s} per-round medians (ms): " + ", ".join(f"{v:.1f}" for v in values))
ours = statistics.median(medians["kubectl mesh retry set"])
theirs = statistics.median(medians["kubectl patch --type merge"])
print(f"{'kubectl mesh retry set':28s} median {ours:.1f} ms, peak RSS {rss_ours} KB")
print(f"{'kubectl patch --type merge':28s} median {theirs:.1f} ms, peak RSS {rss_theirs} KB")
print(f"ratio (kubectl-mesh / kubectl): {ours / theirs:.2f}")
EOF
