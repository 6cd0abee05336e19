#!/usr/bin/env bash
# The shared control plane of the test suite: `fixture.sh up DIR BINARY` starts it and
# installs Istio with kubectl-mesh (default profile), so every integration test finds the
# Istio CRDs and webhooks in place; `fixture.sh down DIR` stops it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
case "${1:-}" in
  up)
    "$here/cluster.sh" up "$2"
    "$3" --kubeconfig "$2/admin.kubeconfig" install -y >/dev/null
    ;;
  down) exec "$here/cluster.sh" down "$2" ;;
  *) echo "usage: $0 up DIR KUBECTL-MESH | down DIR" >&2; exit 2 ;;
esac
