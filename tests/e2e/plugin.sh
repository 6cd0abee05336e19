#!/usr/bin/env bash
# kubectl finds kubectl-mesh on PATH and runs it as `kubectl mesh`: checked with kubectl
# of the server's release (the control plane binary) and with the machine's kubectl.
set -euo pipefail
: "${KMESH_BUILD_DIR:?} ${KMESH_CP_BIN:?} ${KMESH_TEST_CLUSTER:?}"
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
printf '#!/bin/sh\nexec "%s" kubectl "$@"\n' "$KMESH_CP_BIN" > "$bin/kubectl"
chmod +x "$bin/kubectl"
export PATH="$KMESH_BUILD_DIR:$bin:$PATH"
export KUBECONFIG="$KMESH_TEST_CLUSTER/admin.kubeconfig"

fail() { echo "FAIL: $*" >&2; exit 1; }

list=$(kubectl plugin list 2>&1) || true
grep -q "$KMESH_BUILD_DIR/kubectl-mesh" <<<"$list" || fail "kubectl plugin list does not show kubectl-mesh: $list"

out=$(kubectl mesh version) || fail "kubectl mesh version failed"
grep -q '^Server Version: v1\.' <<<"$out" || fail "no server version in: $out"
grep -q '^Istio Version (pinned): ' <<<"$out" || fail "no pinned Istio version in: $out"

set +e
kubectl mesh apply -f /does/not/exist >/dev/null 2>&1
code=$?
set -e
[ "$code" = 2 ] || fail "bad input through kubectl should exit 2, got $code"

if [ -x /usr/bin/kubectl ]; then
  out=$(/usr/bin/kubectl mesh version --client -o json) || fail "machine kubectl cannot run the plugin"
  grep -q '"istioVersion"' <<<"$out" || fail "unexpected output: $out"
fi
echo "e2e plugin: ok"
