#!/usr/bin/env bash
# Builds the local control plane (tests/cluster/cp) once per source version and prints
# the path of the binary. The result lives outside the clone, keyed by a hash of the
# sources and the Go version, so fresh clones and second runs reuse it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src="$here/cp"
cache="${KMESH_CACHE:-$HOME/.cache/kubectl-mesh}"
k8s_version=$(awk '$1 == "k8s.io/kubernetes" {print $2; exit}' "$src/go.mod")
key=$( (cd "$src" && cat go.mod go.sum ./*.go; go version) | sha256sum | cut -c1-16)
out="$cache/cp-$key/kmesh-cp"
if [ -x "$out" ]; then
  echo "$out"
  exit 0
fi
mkdir -p "$(dirname "$out")"
minor=$(echo "$k8s_version" | cut -d. -f2)
pkg=k8s.io/component-base/version
cpkg=k8s.io/client-go/pkg/version
ldflags="-s -w"
for p in $pkg $cpkg; do
  ldflags+=" -X $p.gitVersion=$k8s_version -X $p.gitMajor=1 -X $p.gitMinor=$minor"
  ldflags+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done
echo "building the local control plane ($k8s_version) into $out; the first build takes a while" >&2
start=$(date +%s)
(cd "$src" && go build -trimpath -ldflags "$ldflags" -o "$out.tmp" .)
mv "$out.tmp" "$out"
echo "built in $(( $(date +%s) - start ))s" >&2
echo "$out"
