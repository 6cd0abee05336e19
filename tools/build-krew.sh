#!/usr/bin/env bash
# Writes the krew plugin manifest for a release tarball (made by cpack): its version, where
# it is published and its sha256, from packaging/krew/mesh.yaml.in.
#
#   tools/build-krew.sh TARBALL OUT [URL]
#
# URL is the directory the tarball is published in (the tarball's name is appended); without
# it the manifest points at the local file, for `krew install --manifest=OUT --archive=TARBALL`.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 TARBALL OUT [URL]" >&2; exit 2; }
tarball=$(readlink -f "$1")
out=$2
url=${3:-}
here=$(cd "$(dirname "$0")/.." && pwd)
name=$(basename "$tarball")
version=${name#kubectl-mesh-}
version=${version%-linux-amd64.tar.gz}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || {
  echo "error: $name is not named kubectl-mesh-X.Y.Z-linux-amd64.tar.gz" >&2
  exit 2
}
sha=$(sha256sum "$tarball" | cut -d' ' -f1)
if [ -n "$url" ]; then uri="${url%/}/$name"; else uri="file://$tarball"; fi
text=$(<"$here/packaging/krew/mesh.yaml.in")
# Quoted replacements: no pattern characters (& in bash 5.2) take effect.
text=${text//@VERSION@/"$version"}
text=${text//@URI@/"$uri"}
text=${text//@SHA256@/"$sha"}
mkdir -p "$(dirname "$out")"
printf '%s\n' "$text" > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out (sha256 $sha)" >&2
