#!/usr/bin/env bash
# The local Kubernetes control plane of the tests and the demo: a real kube-apiserver,
# etcd and kube-controller-manager built from the Go module proxy (see cp/).
#
#   cluster.sh up DIR [-- EXTRA-APISERVER-FLAGS]   start one; returns once it is ready and
#                                                   leaves DIR/admin.kubeconfig,
#                                                   DIR/cluster-admin.kubeconfig and
#                                                   DIR/restricted.kubeconfig
#   cluster.sh istiod DIR                           after up and `kubectl mesh install`: start
#                                                   real istiod (build-istiod.sh) against it,
#                                                   point the install's webhooks at it by URL,
#                                                   return once it injects and validates; ports
#                                                   in DIR/istiod.env, log DIR/logs/istiod.log
#   cluster.sh down DIR                             stop it (and istiod) and remove its data
#   cluster.sh kubectl ARGS...                      kubectl of the server's own release
#   cluster.sh path                                 build if needed, print the binary's path
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# Stops the istiod that `istiod DIR` started (its pid is in DIR/istiod.pid, apart from
# DIR/pids, whose reader accepts only the control plane's own binary) and removes its files.
stop_istiod() {
  local dir=$1 pid cmd
  [ -f "$dir/istiod.pid" ] || return 0
  pid=$(tr -dc 0-9 <"$dir/istiod.pid")
  alive() { [ -e "/proc/$pid" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$pid/stat" 2>/dev/null; }
  cmd=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | head -n1 || true)
  if [ -n "$pid" ] && [ "$(basename "${cmd:-none}")" = kmesh-istiod ]; then   # not a recycled pid
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 150); do alive || break; sleep 0.1; done
    if alive; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -rf "$dir/istiod" "$dir/istiod.pid" "$dir/istiod.env"
}

case "${1:-}" in
  istiod)
    [ $# -eq 2 ] || { echo "usage: $0 istiod DIR" >&2; exit 2; }
    ibin=$("$here/build-istiod.sh")
    exec "$ibin" up "$2" ;;
esac
bin=$("$here/build.sh")
case "${1:-}" in
  down)
    [ $# -ge 2 ] && stop_istiod "$2"
    exec "$bin" "$@" ;;
  up|kubectl|version) exec "$bin" "$@" ;;
  path) echo "$bin" ;;
  *) echo "usage: $0 up DIR [-- FLAGS] | istiod DIR | down DIR | kubectl ARGS | path" >&2; exit 2 ;;
esac
