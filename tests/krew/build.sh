#!/usr/bin/env bash
# Builds krew (sigs.k8s.io/krew, the kubectl plugin manager) from the Go module proxy once
# per krew and Go version, and prints the path of the binary. Like the control plane
# (tests/cluster/build.sh), it lives outside the clone so fresh clones and second runs reuse it.
set -euo pipefail
version=v0.4.3
cache="${KMESH_CACHE:-$HOME/.cache/kubectl-mesh}"
key=$( (echo "$version"; go version) | sha256sum | cut -c1-16)
out="$cache/krew-$version-$key/krew"
if [ -x "$out" ]; then
  echo "$out"
  exit 0
fi
mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "building krew $version into $out" >&2
# Outside any module: `go install pkg@version` resolves krew's own go.mod, pinned as released.
(cd "$tmp" && GOFLAGS=-mod=mod GOBIN="$tmp/bin" go install -trimpath -ldflags "-s -w" \
  "sigs.k8s.io/krew/cmd/krew@$version")
mv "$tmp/bin/krew" "$out"
echo "$out"
