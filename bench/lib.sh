# Shared by the benchmarks: a control plane of their own, and measuring one command's wall
# time, peak RSS and the API server's CPU time while it ran. Source it; needs $root.
set -euo pipefail

bench_start_cluster() {  # DIR
  "$root/tests/cluster/cluster.sh" up "$1" >/dev/null
  apiserver_pid=$(awk '$1 == "kube-apiserver" {print $2}' "$1/pids")
}

bench_stop_cluster() { "$root/tests/cluster/cluster.sh" down "$1" >/dev/null 2>&1 || true; }

# User+system CPU of the API server so far, in milliseconds.
apiserver_cpu_ms() {
  local ticks
  ticks=$(awk '{print $14 + $15}' "/proc/$apiserver_pid/stat")
  echo $((ticks * 1000 / $(getconf CLK_TCK)))
}

# measure LABEL COMMAND...: appends "LABEL wall_ms peak_rss_kb apiserver_cpu_ms" to $results.
measure() {
  local label=$1
  shift
  local cpu0 t0 t1 cpu1 rss
  cpu0=$(apiserver_cpu_ms)
  t0=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$work/rss" "$@" >/dev/null 2>"$work/stderr" || {
    echo "failed: $*" >&2
    cat "$work/stderr" >&2
    return 1
  }
  t1=$(date +%s%N)
  cpu1=$(apiserver_cpu_ms)
  rss=$(tail -n 1 "$work/rss")
  echo "$label $(((t1 - t0) / 1000000)) $rss $((cpu1 - cpu0))" >>"$results"
}

# summarize: medians per label, and the ratio of the second label's wall time to the first's.
summarize() {
  python3 - "$results" <<'PY'
import statistics, sys
rows = {}
order = []
for line in open(sys.argv[1]):
    label, wall, rss, cpu = line.split()
    if label not in rows:
        rows[label] = []
        order.append(label)
    rows[label].append((int(wall), int(rss), int(cpu)))
print("| command | runs | median wall | peak RSS | API server CPU (median) |")
print("|---|---|---|---|---|")
med = {}
for label in order:
    r = rows[label]
    med[label] = statistics.median(x[0] for x in r)
    print(f"| {label} | {len(r)} | {med[label]:.0f} ms | {max(x[1] for x in r)/1024:.1f} MB | {statistics.median(x[2] for x in r):.0f} ms |")
print()
for b in order[1:]:
    a = order[0]
    print(f"{b} / {a} median wall time: {med[b]/med[a]:.2f}x")
PY
}
