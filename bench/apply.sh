#!/usr/bin/env bash
# kubectl mesh apply against kubectl apply --server-side: 200 ConfigMaps, 50 Deployments
# (replicas 0, so the controllers do not add Pod traffic) and 50 headless Services (the local
# control plane's service IP range would fill up after a few runs) into a fresh
# namespace each run, alternating the two tools, on a control plane of the benchmark's own.
#
#   bench/apply.sh [RUNS]      (default 7 runs of each)
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
runs=${1:-7}
mesh="$root/build/kubectl-mesh"
kubectl=${KUBECTL:-$(command -v kubectl)}
work=$(mktemp -d)
results="$work/results"
trap 'bench_stop_cluster "$work/cp"; rm -rf "$work"' EXIT
bench_start_cluster "$work/cp"
export KUBECONFIG="$work/cp/admin.kubeconfig"

manifest() {  # NAMESPACE
  echo "apiVersion: v1
kind: Namespace
metadata:
  name: $1"
  for i in $(seq 0 199); do
    printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d\n  namespace: %s\ndata:\n  index: "%d"\n  text: some configuration for the benchmark\n' "$i" "$1" "$i"
  done
  for i in $(seq 0 49); do
    printf -- '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-%d\n  namespace: %s\nspec:\n  replicas: 0\n  selector:\n    matchLabels: {app: web-%d}\n  template:\n    metadata:\n      labels: {app: web-%d}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n' "$i" "$1" "$i" "$i"
    printf -- '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-%d\n  namespace: %s\nspec:\n  clusterIP: None\n  selector: {app: web-%d}\n  ports:\n  - name: http\n    port: 80\n' "$i" "$1" "$i"
  done
}

# The floor: the fastest client we could write for the same work. curl (libcurl, HTTP/2,
# requests multiplexed on one connection, 32 in flight like kubectl-mesh) sends prepared
# server-side apply PATCHes: no parsing, no discovery, no reads, no "unchanged" check. The
# Namespace goes first, then the 300 objects in parallel. What is left is the server's time.
floor_prepare() {  # MANIFEST NAMESPACE OUTDIR -> OUTDIR/ns.cfg, OUTDIR/objects.cfg
  python3 - "$@" "$KUBECONFIG" <<'PY'
import base64, os, sys, yaml
manifest, ns, out, kubeconfig = sys.argv[1:5]
os.makedirs(out, exist_ok=True)
kc = yaml.safe_load(open(kubeconfig))
cluster, user = kc["clusters"][0]["cluster"], kc["users"][0]["user"]
for key, name in (("certificate-authority-data", "ca.crt"), ("client-certificate-data", "client.crt"),
                  ("client-key-data", "client.key")):
    src = cluster if key.startswith("certificate-authority") else user
    with open(os.path.join(out, name), "wb") as f:
        f.write(base64.b64decode(src[key]))
server = cluster["server"]
paths = {"Namespace": "/api/v1/namespaces/{name}", "ConfigMap": "/api/v1/namespaces/{ns}/configmaps/{name}",
         "Service": "/api/v1/namespaces/{ns}/services/{name}",
         "Deployment": "/apis/apps/v1/namespaces/{ns}/deployments/{name}"}
common = (f'cacert = "{out}/ca.crt"\ncert = "{out}/client.crt"\nkey = "{out}/client.key"\n'
          'request = "PATCH"\nheader = "Content-Type: application/apply-patch+yaml"\n'
          'output = "/dev/null"\nfail\nsilent\nshow-error\n')
cfg = {"ns": [], "objects": []}
for i, doc in enumerate(d for d in yaml.safe_load_all(open(manifest)) if d):
    body = os.path.join(out, f"{i}.yaml")
    with open(body, "w") as f:
        yaml.safe_dump(doc, f)
    path = paths[doc["kind"]].format(ns=ns, name=doc["metadata"]["name"])
    entry = f'url = "{server}{path}?fieldManager=floor"\n{common}data-binary = "@{body}"\n'
    cfg["ns" if doc["kind"] == "Namespace" else "objects"].append(entry)
for name, entries in cfg.items():
    with open(os.path.join(out, f"{name}.cfg"), "w") as f:
        f.write("next\n".join(entries))
PY
}
floor_apply=(bash -c 'curl --http2 -K "$1/ns.cfg" &&
  curl --http2 --parallel --parallel-max 32 -K "$1/objects.cfg"' floor-apply)

# One warm-up each (discovery caches, connection setup on the server side).
manifest warm-a >"$work/warm-a.yaml"
manifest warm-b >"$work/warm-b.yaml"
"$mesh" apply -f "$work/warm-a.yaml" >/dev/null
"$kubectl" apply --server-side -f "$work/warm-b.yaml" >/dev/null
manifest warm-c >"$work/warm-c.yaml"
floor_prepare "$work/warm-c.yaml" warm-c "$work/floor-warm"
"${floor_apply[@]}" "$work/floor-warm"
for r in $(seq 1 "$runs"); do
  manifest "mesh-$r" >"$work/mesh-$r.yaml"
  manifest "kubectl-$r" >"$work/kubectl-$r.yaml"
  measure "kubectl-mesh-apply" "$mesh" apply -f "$work/mesh-$r.yaml"
  measure "kubectl-apply-server-side" "$kubectl" apply --server-side -f "$work/kubectl-$r.yaml"
  manifest "floor-$r" >"$work/floor-$r.yaml"
  floor_prepare "$work/floor-$r.yaml" "floor-$r" "$work/floor-$r"
  measure "floor-curl-parallel" "${floor_apply[@]}" "$work/floor-$r"
done
echo "301 objects per run, $runs runs each, $(nproc) cores, kubectl $("$kubectl" version --client -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["clientVersion"]["gitVersion"])')"
summarize
