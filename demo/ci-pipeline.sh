#!/usr/bin/env bash
# The CI job of the README's "In a CI pipeline": install (or upgrade) the mesh, apply the
# bookstore, set its traffic policies, and fail the job when analyze finds a problem.
# Every command exits non-zero on failure (1 the cluster, 2 bad input, 3 analyze findings),
# so `set -e` stops the job at the first failing step with that step's exit status.
#
#   demo/ci-pipeline.sh [NAMESPACE]     (default bookstore-servicemesh)
#
# KUBECTL names the kubectl to run (default: kubectl on PATH). MESH_WAIT is the flag that
# makes install and bookstore apply wait until their Deployments are Available (default
# --wait); the local control plane has no kubelet, so its test sets MESH_WAIT to empty.
set -euo pipefail
ns=${1:-bookstore-servicemesh}
kubectl=${KUBECTL:-kubectl}
wait_flag=${MESH_WAIT---wait}
wait=()
[ -n "$wait_flag" ] && wait=("$wait_flag")

step() {
  echo "+ kubectl $*"
  "$kubectl" "$@"
}

step mesh install -y --profile default "${wait[@]}" --timeout 10m
step mesh verify-install
step mesh bookstore apply -n "$ns" --profile mesh "${wait[@]}" --timeout 10m
step mesh retry set payment -n "$ns" --attempts 3 --per-try-timeout 2s --retry-on 5xx,connect-failure
step mesh timeout set payment -n "$ns" 10s
step mesh breaker set warehouse -n "$ns" --max-connections 100 --consecutive-5xx 5 --interval 10s
# Exit 3 on an Error (and, with --fail-on warning, on a Warning): the job fails here.
step mesh analyze -n "$ns" --fail-on warning
