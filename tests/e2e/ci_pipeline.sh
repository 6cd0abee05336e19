#!/usr/bin/env bash
# The README's CI pipeline (demo/ci-pipeline.sh) on a control plane of its own, through the
# server's kubectl: it passes on a clean install, a second run converges with nothing to
# change, and a broken route makes the job fail with analyze's exit status 3 and the finding.
set -euo pipefail
: "${KMESH_BUILD_DIR:?} ${KMESH_CP_BIN:?} ${KMESH_SOURCE_DIR:?}"
work=$(mktemp -d)
cleanup() {
  "$KMESH_SOURCE_DIR/tests/cluster/cluster.sh" down "$work/cp" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$KMESH_SOURCE_DIR/tests/cluster/cluster.sh" up "$work/cp" >/dev/null
mkdir -p "$work/bin"
printf '#!/bin/sh\nexec "%s" kubectl "$@"\n' "$KMESH_CP_BIN" >"$work/bin/kubectl"
chmod +x "$work/bin/kubectl"
export PATH="$KMESH_BUILD_DIR:$work/bin:$PATH"
export KUBECONFIG="$work/cp/admin.kubeconfig"
export MESH_WAIT=  # no kubelet here: Deployments never become Available
pipeline="$KMESH_SOURCE_DIR/demo/ci-pipeline.sh"

run_pipeline() {  # LOG: the exit status of the pipeline, its output in LOG
  set +e
  "$pipeline" shop </dev/null >"$1" 2>&1
  local code=$?
  set -e
  return $code
}

run_pipeline "$work/first.log" || fail "first run exited $?: $(cat "$work/first.log")"
grep -q '^+ kubectl mesh analyze -n shop --fail-on warning$' "$work/first.log" ||
  fail "analyze did not run: $(cat "$work/first.log")"
grep -q 'No findings' "$work/first.log" || fail "analyze found problems: $(cat "$work/first.log")"
kubectl get virtualservice payment -n shop -o jsonpath='{.spec.http[0].retries.attempts}' |
  grep -qx 3 || fail "the retry policy was not written"

run_pipeline "$work/second.log" || fail "second run exited $?: $(cat "$work/second.log")"
for line in 'virtualservice.networking.istio.io/payment unchanged' \
  'destinationrule.networking.istio.io/warehouse unchanged' 'namespace/shop unchanged'; do
  grep -qF "$line" "$work/second.log" || fail "second run: no '$line' in: $(cat "$work/second.log")"
done

# A route to a subset no DestinationRule defines: Istio would answer 503 for every request.
cat >"$work/broken.yaml" <<'YAML'
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: stock, namespace: shop}
spec:
  hosts: [warehouse]
  http:
  - route:
    - destination: {host: warehouse, subset: v9}
YAML
kubectl apply --server-side -f "$work/broken.yaml" >/dev/null
code=0
run_pipeline "$work/broken.log" || code=$?
[ "$code" = 3 ] || fail "with a broken route the job should fail with 3, got $code: $(cat "$work/broken.log")"
grep -q 'v9' "$work/broken.log" || fail "the finding does not name the subset: $(cat "$work/broken.log")"
echo "e2e ci pipeline: ok"
