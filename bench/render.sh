#!/usr/bin/env bash
# Rendering: `kubectl mesh bookstore render` against `kubectl kustomize` of the same
# overlay, and a synthetic kustomization of 250, 500 and 1,000 Deployments (a JSON 6902
# patch, images, labels and a generator) rendered by `kubectl mesh kustomize` and by
# `kubectl kustomize`. Medians from hyperfine; peak RSS from /usr/bin/time.
#
#   bench/render.sh [SIZES...]      (default 250 500 1000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mesh="$root/build/kubectl-mesh"
kubectl=${KUBECTL:-$(command -v kubectl)}
sizes=("${@:-250 500 1000}")
read -r -a sizes <<<"${sizes[*]}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

peak_rss_mb() { /usr/bin/time -f "%M" -o "$work/rss" "$@" >/dev/null 2>&1; awk '{printf "%.1f", $1/1024}' "$work/rss"; }

synthetic() {  # DIR N
  local dir=$1 n=$2 i
  mkdir -p "$dir"
  : >"$dir/deployments.yaml"
  for ((i = 0; i < n; i++)); do
    printf -- '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-%d\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: app-%d}\n  template:\n    metadata:\n      labels: {app: app-%d}\n    spec:\n      containers:\n      - name: app\n        image: registry.example/app:1.0\n        envFrom:\n        - configMapRef: {name: settings}\n' "$i" "$i" "$i" >>"$dir/deployments.yaml"
  done
  cat >"$dir/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: synthetic
labels:
- pairs: {team: shop}
  includeSelectors: false
images:
- name: registry.example/app
  newTag: "2.0"
configMapGenerator:
- name: settings
  literals: [mode=fast, level=3]
patches:
- target: {kind: Deployment}
  patch: |-
    - op: add
      path: /spec/template/metadata/annotations
      value: {benchmark: "yes"}
resources:
- deployments.yaml
YAML
}

echo "## bookstore mesh overlay"
hyperfine -N --warmup 3 --runs 15 --export-json "$work/bookstore.json" \
  "$mesh bookstore render --profile mesh" \
  "$kubectl kustomize $root/kustomize-templates/bookstore/overlays/mesh" >/dev/null
python3 - "$work/bookstore.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
a, b = r[0]["median"], r[1]["median"]
print(f"| kubectl mesh bookstore render | {a*1000:.1f} ms |\n| kubectl kustomize overlays/mesh | {b*1000:.1f} ms |\nratio: kubectl kustomize takes {b/a:.1f}x as long")
PY
echo "peak RSS: kubectl-mesh $(peak_rss_mb "$mesh" bookstore render) MB, kubectl $(peak_rss_mb "$kubectl" kustomize "$root/kustomize-templates/bookstore/overlays/mesh") MB"

echo
echo "## synthetic kustomization"
echo "| Deployments | kubectl mesh kustomize | kubectl kustomize | ratio | RSS ours | RSS kubectl |"
echo "|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  synthetic "$work/k$n" "$n"
  hyperfine -N --warmup 1 --runs 5 --export-json "$work/s$n.json" \
    "$mesh kustomize $work/k$n" "$kubectl kustomize $work/k$n" >/dev/null
  python3 - "$work/s$n.json" "$n" "$(peak_rss_mb "$mesh" kustomize "$work/k$n")" "$(peak_rss_mb "$kubectl" kustomize "$work/k$n")" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
a, b = r[0]["median"], r[1]["median"]
print(f"| {sys.argv[2]} | {a*1000:.0f} ms | {b*1000:.0f} ms | {b/a:.1f}x | {sys.argv[3]} MB | {sys.argv[4]} MB |")
PY
done
