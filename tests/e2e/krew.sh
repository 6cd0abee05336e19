#!/usr/bin/env bash
# krew itself (v0.4.3, built from the Go module proxy and cached, tests/krew/build.sh)
# installs the tarball through the generated manifest into a fresh KREW_ROOT; the plugin runs
# directly and through a real kubectl, completes once linked as the manifest's caveats say,
# and `krew uninstall mesh` removes it.
set -euo pipefail
: "${KMESH_BUILD_DIR:?} ${KMESH_SOURCE_DIR:?} ${KMESH_CP_BIN:?}"
krew=$("$KMESH_SOURCE_DIR/tests/krew/build.sh")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack --config "$KMESH_BUILD_DIR/CPackConfig.cmake" -B "$tmp/packages" -G TGZ >"$tmp/cpack.log" 2>&1 \
  || { cat "$tmp/cpack.log" >&2; fail "cpack failed"; }
tars=("$tmp"/packages/kubectl-mesh-*-linux-amd64.tar.gz)
tarball=${tars[0]}
manifest=$tmp/packages/plugins/mesh.yaml
[ -f "$tarball" ] && [ -f "$manifest" ] || fail "cpack made: $(ls -R "$tmp/packages")"

mkdir "$tmp/tools"
if [ -x /usr/bin/kubectl ]; then
  ln -s /usr/bin/kubectl "$tmp/tools/kubectl"
else
  printf '#!/bin/sh\nexec "%s" kubectl "$@"\n' "$KMESH_CP_BIN" > "$tmp/tools/kubectl"
  chmod +x "$tmp/tools/kubectl"
fi
export KREW_ROOT=$tmp/krew KREW_NO_UPGRADE_CHECK=1
# Only krew's bin and the system: the plugin kubectl finds must be krew's, not the build's.
export PATH="$KREW_ROOT/bin:$tmp/tools:/usr/bin:/bin"

# A tarball that does not match the manifest's sha256 is refused.
cp "$tarball" "$tmp/tampered.tar.gz" && echo >> "$tmp/tampered.tar.gz"
if "$krew" install --manifest="$manifest" --archive="$tmp/tampered.tar.gz" >"$tmp/bad.log" 2>&1; then
  fail "krew installed a tarball whose sha256 differs"
fi

"$krew" install --manifest="$manifest" --archive="$tarball" >"$tmp/install.log" 2>&1 \
  || { cat "$tmp/install.log" >&2; fail "krew install failed"; }
grep -q 'kubectl_complete-mesh' "$tmp/install.log" || fail "krew showed no caveats: $(cat "$tmp/install.log")"
[ -L "$KREW_ROOT/bin/kubectl-mesh" ] || fail "krew linked no kubectl-mesh into $KREW_ROOT/bin"
out=$("$KREW_ROOT/bin/kubectl-mesh" version --client) || fail "the krew-installed binary does not run"
grep -q '^Client Version: v' <<<"$out" || fail "unexpected: $out"
# list and uninstall refuse to run before `krew update` has cloned the plugin index from
# GitHub, which this machine cannot reach; they only check that the clone's .git is there.
mkdir -p "$KREW_ROOT/index/default/.git"
# Installed from a manifest, not an index, the plugin is listed as detached/mesh.
"$krew" list 2>/dev/null | grep -qE '(^|/)mesh$' || fail "krew list lacks mesh: $("$krew" list 2>&1)"
out=$(kubectl plugin list 2>&1) || true
grep -q "$KREW_ROOT/bin/kubectl-mesh" <<<"$out" || fail "kubectl plugin list: $out"
out=$(kubectl mesh version --client -o json) || fail "kubectl mesh version --client failed"
grep -q '"istioVersion"' <<<"$out" || fail "unexpected: $out"

# The caveats' step: a link named kubectl_complete-mesh beside it, and kubectl completes.
ln -s kubectl-mesh "$KREW_ROOT/bin/kubectl_complete-mesh"
out=$(kubectl __complete mesh "" 2>/dev/null)
grep -q $'^install\t' <<<"$out" || fail "kubectl __complete mesh through krew's link: $out"
# The helper script krew unpacked works too, answering through the binary beside it.
out=$("$KREW_ROOT"/store/mesh/v*/kubectl_complete-mesh install --profile "")
[ "$out" = $'minimal\ndefault\ndemo\n:4' ] || fail "the unpacked helper: $out"

"$krew" uninstall mesh >"$tmp/uninstall.log" 2>&1 \
  || fail "krew uninstall mesh failed: $(cat "$tmp/uninstall.log")"
[ ! -e "$KREW_ROOT/bin/kubectl-mesh" ] && [ ! -L "$KREW_ROOT/bin/kubectl-mesh" ] \
  || fail "krew uninstall left $KREW_ROOT/bin/kubectl-mesh"
[ -z "$(ls -A "$KREW_ROOT/store" 2>/dev/null)" ] || fail "krew uninstall left $(ls "$KREW_ROOT/store")"
"$krew" list 2>/dev/null | grep -qE '(^|/)mesh$' && fail "krew list still shows mesh"
rm "$KREW_ROOT/bin/kubectl_complete-mesh"
echo "e2e krew: ok"
