#!/usr/bin/env bash
# The demo: starts a local Kubernetes control plane (tests/cluster), then runs a short
# tour of kubectl-mesh through a real kubectl, which finds it as a plugin.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/kubectl-mesh-demo.XXXXXX)
cleanup() {
  "$root/tests/cluster/cluster.sh" down "$work/cluster" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

echo "Starting a local control plane (kube-apiserver, etcd, kube-controller-manager)..."
"$root/tests/cluster/cluster.sh" up "$work/cluster"
cp_bin=$("$root/tests/cluster/cluster.sh" path)
mkdir -p "$work/bin"
printf '#!/bin/sh\nexec "%s" kubectl "$@"\n' "$cp_bin" > "$work/bin/kubectl"
chmod +x "$work/bin/kubectl"
export PATH="$root/build:$work/bin:$PATH"
export KUBECONFIG="$work/cluster/admin.kubeconfig"

step kubectl plugin list
step kubectl mesh version

cat > "$work/hello.yaml" <<'YAML'
apiVersion: v1
kind: Namespace
metadata:
  name: hello
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: greeting
  namespace: hello
data:
  message: hello from kubectl-mesh
YAML
step kubectl mesh apply -f "$work/hello.yaml"
step kubectl mesh apply -f "$work/hello.yaml"
step kubectl get configmap greeting -n hello -o jsonpath='{.data.message}{"\n"}'

for script in "$root"/demo/tour.d/*.sh; do
  [ -e "$script" ] || continue
  # shellcheck source=/dev/null
  source "$script"
done
echo
echo "Demo finished; the control plane is stopped and its data removed."
