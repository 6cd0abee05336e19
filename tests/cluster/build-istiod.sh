#!/usr/bin/env bash
# Builds real Istio for the test bed (tests/cluster/istiod: pilot-discovery and istioctl
# in one multi-call binary, from the istio.io/istio module) once per source version and
# prints the path of the binary. Like build.sh, the result lives outside the clone, keyed
# by a hash of the sources, this script and the Go version, so second runs reuse it.
#
# The first build compiles about 2,500 packages; on a shared machine it is run niced and
# with a bounded -p (KMESH_GO_P, default 2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src="$here/istiod"
cache="${KMESH_CACHE:-$HOME/.cache/kubectl-mesh}"
export PATH="$PATH:/usr/local/go/bin"
istio_version=$(awk '$1 == "istio.io/istio" {print $2; exit}' "$src/go.mod")
commit=${istio_version##*-}                # the pseudo-version ends with the commit
release=1.31.0                             # the release that commit is tagged as
key=$( (cd "$src" && cat go.mod go.sum ./*.go "$here/build-istiod.sh"; go version) | sha256sum | cut -c1-16)
out="$cache/istiod-$key/kmesh-istiod"
if [ -x "$out" ]; then
  echo "$out"
  exit 0
fi
mkdir -p "$(dirname "$out")"
# One build at a time per key: a second caller (another test run) waits for the first.
exec 9>"$out.lock"
flock 9
if [ -x "$out" ]; then
  echo "$out"
  exit 0
fi
v=istio.io/istio/pkg/version
ldflags="-s -w -X $v.buildVersion=$release -X $v.buildGitRevision=$commit -X $v.buildStatus=Clean"
ldflags+=" -X $v.buildTag=$release -X $v.buildHub=docker.io/istio"
ldflags+=" -X $v.buildOS=$(go env GOOS) -X $v.buildArch=$(go env GOARCH)"
echo "building Istio $release ($commit) into $out; the first build takes a while" >&2
start=$(date +%s)
(cd "$src" && CGO_ENABLED=0 nice -n 10 go build -p "${KMESH_GO_P:-2}" -trimpath \
  -ldflags "$ldflags" -o "$out.tmp" .)
mv "$out.tmp" "$out"
echo "built in $(( $(date +%s) - start ))s ($(du -h "$out" | cut -f1))" >&2
echo "$out"
