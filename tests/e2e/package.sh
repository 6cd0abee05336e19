#!/usr/bin/env bash
# Installing and packaging: `cmake --install` gives the binary and the completion helper
# (mode 0755, the helper answering through the binary beside it) and the completion scripts;
# cpack makes a .deb whose Depends come from dpkg-shlibdeps, a tarball of regular files laid
# out as a prefix (bin/, share/), and the krew manifest with the tarball's sha256.
set -euo pipefail
: "${KMESH_BUILD_DIR:?} ${KMESH_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
has_line() { grep -qE -- "$2" <<<"$1" || fail "$3: nothing matches /$2/ in:"$'\n'"$1"; }

# cmake --install
prefix=$tmp/prefix
cmake --install "$KMESH_BUILD_DIR" --prefix "$prefix" >/dev/null
for f in bin/kubectl-mesh bin/kubectl_complete-mesh; do
  [ -f "$prefix/$f" ] && [ ! -L "$prefix/$f" ] || fail "cmake --install made no file $f"
  [ "$(stat -c %a "$prefix/$f")" = 755 ] || fail "$f has mode $(stat -c %a "$prefix/$f")"
done
for f in share/bash-completion/completions/kubectl-mesh share/zsh/vendor-completions/_kubectl-mesh \
         share/fish/vendor_completions.d/kubectl-mesh.fish share/doc/kubectl-mesh/README.md; do
  [ -s "$prefix/$f" ] || fail "cmake --install made no $f"
done
"$prefix/bin/kubectl-mesh" version --client >/dev/null || fail "the installed binary does not run"
# kubectl runs the helper by its name on PATH, maybe through a link in another directory.
out=$(env PATH=/usr/bin:/bin "$prefix/bin/kubectl_complete-mesh" install --profile "")
[ "$out" = $'minimal\ndefault\ndemo\n:4' ] || fail "installed helper: $out"
ln -s "$prefix/bin/kubectl_complete-mesh" "$tmp/kubectl_complete-mesh"
out=$(env PATH=/usr/bin:/bin "$tmp/kubectl_complete-mesh" ro)
has_line "$out" $'^route\t' "the helper through a link"

# cpack: the .deb, the tarball and the krew manifest
cpack --config "$KMESH_BUILD_DIR/CPackConfig.cmake" -B "$tmp/packages" >"$tmp/cpack.log" 2>&1 \
  || { cat "$tmp/cpack.log" >&2; fail "cpack failed"; }
debs=("$tmp"/packages/kubectl-mesh_*_amd64.deb)
tars=("$tmp"/packages/kubectl-mesh-*-linux-amd64.tar.gz)
[ -f "${debs[0]}" ] && [ -f "${tars[0]}" ] || fail "cpack made: $(ls "$tmp/packages")"
deb=${debs[0]}
tarball=${tars[0]}

info=$(dpkg-deb -I "$deb")
has_line "$info" '^ Package: kubectl-mesh$' "dpkg-deb -I"
has_line "$info" '^ Architecture: amd64$' "dpkg-deb -I"
has_line "$info" '^ Version: [0-9]+\.[0-9]+\.[0-9]+$' "dpkg-deb -I"
depends=$(grep '^ Depends:' <<<"$info") || fail "the .deb has no Depends: $info"
for lib in libc6 libstdc\\+\\+6 libcurl4 libyaml-cpp libssl3; do
  has_line "$depends" "$lib" "Depends (from dpkg-shlibdeps)"
done
contents=$(dpkg-deb -c "$deb")
has_line "$contents" '^-rwxr-xr-x .* \./usr/bin/kubectl-mesh$' "dpkg-deb -c"
has_line "$contents" '^-rwxr-xr-x .* \./usr/bin/kubectl_complete-mesh$' "dpkg-deb -c"
has_line "$contents" ' \./usr/share/bash-completion/completions/kubectl-mesh$' "dpkg-deb -c"
has_line "$contents" ' \./usr/share/zsh/vendor-completions/_kubectl-mesh$' "dpkg-deb -c"
has_line "$contents" ' \./usr/share/fish/vendor_completions.d/kubectl-mesh.fish$' "dpkg-deb -c"
dpkg-deb -x "$deb" "$tmp/deb"
"$tmp/deb/usr/bin/kubectl-mesh" version --client >/dev/null || fail "the .deb's binary does not run"

listing=$(tar -tvzf "$tarball")
names=$(tar -tzf "$tarball" | sed 's|^\./||')
for f in bin/kubectl-mesh bin/kubectl_complete-mesh share/doc/kubectl-mesh/README.md; do
  has_line "$names" "^$f\$" "the tarball"
done
! grep -q '^[lh]' <<<"$listing" || fail "the tarball holds links, which krew cannot unpack"
mkdir "$tmp/tar" && tar -xzf "$tarball" -C "$tmp/tar"
"$tmp/tar/bin/kubectl-mesh" version --client >/dev/null || fail "the tarball's binary does not run"

manifest=$tmp/packages/plugins/mesh.yaml
[ -s "$manifest" ] || fail "cpack wrote no krew manifest"
m=$(cat "$manifest")
sha=$(sha256sum "$tarball" | cut -d' ' -f1)
has_line "$m" "^    sha256: $sha\$" "the manifest's sha256"
has_line "$m" "^    uri: file://$tarball\$" "the manifest's uri"
has_line "$m" '^    bin: kubectl-mesh$' "the manifest"
has_line "$m" '^        os: linux$' "the manifest"
has_line "$m" '^        arch: amd64$' "the manifest"
has_line "$m" '^  shortDescription: .+' "the manifest"
has_line "$m" '^    - from: bin/kubectl-mesh$' "the manifest's files"
# With a release URL the uri names the tarball under it.
"$KMESH_SOURCE_DIR/tools/build-krew.sh" "$tarball" "$tmp/url.yaml" 'https://downloads.example/r&d/v1/' 2>/dev/null
has_line "$(cat "$tmp/url.yaml")" "^    uri: https://downloads.example/r&d/v1/$(basename "$tarball")\$" "build-krew.sh URL"
echo "e2e package: ok"
