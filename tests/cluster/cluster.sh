#!/usr/bin/env bash
# The local Kubernetes control plane of the tests and the demo: a real kube-apiserver,
# etcd and kube-controller-manager built from the Go module proxy (see cp/).
#
#   cluster.sh up DIR [-- EXTRA-APISERVER-FLAGS]   start one; returns once it is ready and
#                                                   leaves DIR/admin.kubeconfig,
#                                                   DIR/cluster-admin.kubeconfig and
#                                                   DIR/restricted.kubeconfig
#   cluster.sh down DIR                             stop it and remove its data
#   cluster.sh kubectl ARGS...                      kubectl of the server's own release
#   cluster.sh path                                 build if needed, print the binary's path
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$("$here/build.sh")
case "${1:-}" in
  up|down|kubectl|version) exec "$bin" "$@" ;;
  path) echo "$bin" ;;
  *) echo "usage: $0 up DIR [-- FLAGS] | down DIR | kubectl ARGS | path" >&2; exit 2 ;;
esac
