#!/usr/bin/env bash
# How `kubectl mesh analyze -f` scales: generated inputs of 1,000 to 5,000 objects (a quarter
# each Deployments, Services, VirtualServices with weighted routes, DestinationRules with
# subsets and outlier detection, spread over 20 namespaces, all of them clean so every check
# runs its whole path), timed with hyperfine (median of runs), and one `-v 2` run per size
# for where the time goes (parse vs checks).
#
#   bench/analyze.sh [BINARY] [SIZES...]      default: build/kubectl-mesh 1000 2000 3000 4000 5000
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/kubectl-mesh}
shift || true
sizes=("${@:-1000 2000 3000 4000 5000}")
read -r -a sizes <<<"${sizes[*]}"
command -v hyperfine >/dev/null || { echo "hyperfine is not installed: apt-get install -y hyperfine" >&2; exit 1; }
[ -x "$bin" ] || { echo "no binary at $bin: run make build first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

generate() {  # N objects as one multi-document file
  local n=$1 i ns
  for ((i = 0; i < n / 4; i++)); do
    ns="bench-$((i % 20))"
    cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-$i-v1
  namespace: $ns
  labels: {app: svc-$i, version: v1}
spec:
  replicas: 2
  selector:
    matchLabels: {app: svc-$i, version: v1}
  template:
    metadata:
      labels: {app: svc-$i, version: v1}
    spec:
      containers:
        - name: app
          image: registry.example.com/svc-$i:1.0.0
          ports:
            - {name: http-web, containerPort: 8080}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: svc-$i
  namespace: $ns
spec:
  selector: {app: svc-$i}
  ports:
    - {name: http-web, port: 80, targetPort: 8080}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: svc-$i
  namespace: $ns
spec:
  hosts: [svc-$i]
  http:
    - match:
        - uri: {prefix: /api}
      timeout: 10s
      retries: {attempts: 3, perTryTimeout: 2s, retryOn: 5xx}
      route:
        - destination: {host: svc-$i, subset: v1}
          weight: 90
        - destination: {host: svc-$i, subset: v2}
          weight: 10
    - route:
        - destination: {host: svc-$i.$ns.svc.cluster.local, subset: v1}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: svc-$i
  namespace: $ns
spec:
  host: svc-$i
  trafficPolicy:
    connectionPool:
      tcp: {maxConnections: 100}
    outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50}
  subsets:
    - name: v1
      labels: {version: v1}
    - name: v2
      labels: {version: v2}
---
YAML
  done
}

printf '%-8s %-9s %-10s %-12s %-9s %-10s %-13s %s\n' objects size median-ms per-1000-ms parse-ms checks-ms "parse MB/s" "peak RSS MB"
for n in "${sizes[@]}"; do
  file=$work/objects-$n.yaml
  generate "$n" >"$file"
  bytes=$(stat -c %s "$file")
  # The input must be clean: a finding would change what is measured.
  "$bin" analyze -f "$file" -o json >"$work/report.json" || { echo "analyze found problems in the generated input" >&2; exit 1; }
  hyperfine --warmup 1 --runs 7 --export-json "$work/h-$n.json" --style none \
    "$bin analyze -f $file -o json" >/dev/null
  median=$(python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['results'][0]['median']*1000))" "$work/h-$n.json" 2>/dev/null ||
           grep -o '"median": *[0-9.]*' "$work/h-$n.json" | head -1 | awk '{printf "%d", $2*1000}')
  phases=$("$bin" analyze -f "$file" -o json -v 2 2>&1 >/dev/null)
  parse=$(grep -o 'parse [0-9]* objects: [0-9]* ms' <<<"$phases" | awk '{print $(NF-1)}')
  checks=$(grep -o 'checks: [0-9]* ms' <<<"$phases" | awk '{print $2}')
  mbs=$(awk -v b="$bytes" -v ms="$parse" 'BEGIN { if (ms > 0) printf "%.1f", b / 1048576 / (ms / 1000); else print "-" }')
  rss=-
  if [ -x /usr/bin/time ]; then
    rss=$(/usr/bin/time -f %M "$bin" analyze -f "$file" -o json 2>&1 >/dev/null | tail -1)
    rss=$((rss / 1024))
  fi
  printf '%-8s %-9s %-10s %-12s %-9s %-10s %-13s %s\n' "$n" "$((bytes / 1024))K" "$median" \
    "$((median * 1000 / n))" "$parse" "$checks" "$mbs" "$rss"
done
