#!/usr/bin/env bash
# Shell completion end to end: a real kubectl completes `kubectl mesh` through
# kubectl_complete-mesh on PATH; `kubectl-mesh __complete` answers Cobra's protocol with
# names from the test cluster, and gives up quickly on a server that never answers; the
# scripts of `kubectl-mesh completion SHELL` parse and complete (bash and fish for real,
# zsh syntax only; zsh and fish only when installed).
set -euo pipefail
: "${KMESH_BUILD_DIR:?} ${KMESH_CP_BIN:?} ${KMESH_TEST_CLUSTER:?}"
tmp=$(mktemp -d)
listener=""
own_ns=""
cleanup() {
  [ -z "$listener" ] || kill "$listener" 2>/dev/null || true
  [ -z "$own_ns" ] || "$kubectl" delete namespace "$own_ns" --wait=false >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
export PATH="$KMESH_BUILD_DIR:$PATH"
export KUBECONFIG="$KMESH_TEST_CLUSTER/admin.kubeconfig"
# The sanitizer build on a loaded machine can need more than the 2 s a <TAB> gets; the
# silent-server check below runs with the default.
export KUBECTL_MESH_COMPLETION_TIMEOUT=30
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_line() {  # TEXT LINE WHAT: TEXT has LINE as one of its lines
  grep -qxF -- "$2" <<<"$1" || fail "$3: no line \"$2\" in:"$'\n'"$1"
}

[ -x "$KMESH_BUILD_DIR/kubectl_complete-mesh" ] || fail "the build made no kubectl_complete-mesh"
# The machine's kubectl (1.32), else the server's release from the control plane binary.
if [ -x /usr/bin/kubectl ]; then
  kubectl=/usr/bin/kubectl
else
  printf '#!/bin/sh\nexec "%s" kubectl "$@"\n' "$KMESH_CP_BIN" > "$tmp/kubectl"
  chmod +x "$tmp/kubectl"
  kubectl=$tmp/kubectl
fi

# kubectl lists the plugin, then asks kubectl_complete-mesh for what follows `kubectl mesh`.
out=$("$kubectl" __complete me 2>/dev/null)
grep -q $'^mesh\t' <<<"$out" || fail "kubectl does not offer the mesh plugin: $out"
out=$("$kubectl" __complete mesh "" 2>/dev/null)
for cmd in install bookstore inject route retry breaker analyze version completion; do
  grep -q "^$cmd"$'\t' <<<"$out" || fail "kubectl __complete mesh \"\" lacks $cmd: $out"
done
[ "$(tail -n1 <<<"$out")" = ":4" ] || fail "kubectl mesh completion ends with $(tail -n1 <<<"$out")"
out=$("$kubectl" __complete mesh install --profile "" 2>/dev/null)
expect_line "$out" demo "kubectl __complete mesh install --profile"
# A namespace and a Service of the test's own, so other tests' namespaces (created and deleted
# as the suite runs) change nothing here.
own_ns=completion-e2e-$$-$RANDOM
"$kubectl" create namespace "$own_ns" >/dev/null
"$kubectl" create service clusterip cart-e2e --tcp=80:8080 -n "$own_ns" >/dev/null
out=$("$kubectl" __complete mesh -n "$own_ns" 2>"$tmp/kubectl.err")
if ! grep -qxF -- "$own_ns" <<<"$out"; then
  direct=$(kubectl_complete-mesh __complete -n "$own_ns" 2>&1; echo "exit $?")
  fail "kubectl __complete mesh -n $own_ns (namespaces through kubectl): no line \"$own_ns\" in:
$out
kubectl's stderr: $(cat "$tmp/kubectl.err")
kubectl_complete-mesh run directly: $direct"
fi

# The protocol, directly.
out=$(kubectl-mesh __complete install --pro)
[ "$out" = $'--profile\tminimal, default or demo\n:4' ] || fail "install --pro: $out"
out=$(kubectl-mesh __complete install --profile "")
[ "$out" = $'minimal\ndefault\ndemo\n:4' ] || fail "install --profile: $out"
out=$(kubectl-mesh __complete -n "")
expect_line "$out" "$own_ns" "namespaces from the cluster"
expect_line "$out" kube-system "namespaces from the cluster"
out=$(kubectl-mesh __complete -n "$own_ns" route set "")
expect_line "$out" cart-e2e "Services of -n's namespace"
# The restricted user may not list namespaces: the 403 shows as nothing, on stdout and stderr.
out=$(kubectl-mesh __complete --kubeconfig "$KMESH_TEST_CLUSTER/restricted.kubeconfig" -n "" 2>&1)
[ "$out" = ":4" ] || fail "a forbidden list should give only the directive: $out"

# A server that accepts connections and never answers: the request gives up after 2 s, silently.
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
time.sleep(120)' > "$tmp/port" &
listener=$!
for _ in $(seq 300); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
cat > "$tmp/silent.kubeconfig" <<EOF
apiVersion: v1
kind: Config
current-context: silent
clusters:
- name: silent
  cluster: {server: "https://127.0.0.1:$port", insecure-skip-tls-verify: true}
users:
- name: silent
  user: {token: not-a-real-token}
contexts:
- name: silent
  context: {cluster: silent, user: silent}
EOF
start=$(date +%s%N)
out=$(env -u KUBECTL_MESH_COMPLETION_TIMEOUT kubectl-mesh __complete --kubeconfig "$tmp/silent.kubeconfig" -n "" 2>"$tmp/err")
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$out" = ":4" ] || fail "a silent server should give only the directive, got: $out"
[ ! -s "$tmp/err" ] || fail "completion wrote to stderr: $(cat "$tmp/err")"
# Only a hang fails here (the request gives up at 2 s, a 4 s alarm backs it up); a loaded
# machine running the sanitizer build must not turn into a failure.
(( elapsed_ms < 30000 )) || fail "completion took ${elapsed_ms}ms against a silent server"
echo "silent server: gave up after ${elapsed_ms}ms"

# bash: the script parses and completes, through its own word handling and, when installed,
# through bash-completion's (which joins `--flag=value` back together itself).
kubectl-mesh completion bash > "$tmp/kubectl-mesh.bash"
bash -n "$tmp/kubectl-mesh.bash" || fail "the bash script does not parse"
bash_complete() {  # PRELUDE LINE WORD...: the line as typed, and bash's words of it
  bash -c 'source "$1"; source "$2"; COMP_LINE=$3; COMP_POINT=${#3}; shift 3
           COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
           __kubectl_mesh_complete 2>/dev/null; printf "%s\n" "${COMPREPLY[@]}"' \
    bash "$1" "$tmp/kubectl-mesh.bash" "$2" kubectl-mesh "${@:3}"
}
preludes=(/dev/null)
[ -f /usr/share/bash-completion/bash_completion ] && preludes+=(/usr/share/bash-completion/bash_completion)
for prelude in "${preludes[@]}"; do
  out=$(bash_complete "$prelude" "kubectl-mesh install --profile " install --profile "")
  [ "$out" = $'minimal\ndefault\ndemo' ] || fail "bash ($prelude): install --profile: $out"
  out=$(bash_complete "$prelude" "kubectl-mesh install --profile=de" install --profile = de)
  [ "$out" = $'default\ndemo' ] || fail "bash ($prelude): install --profile=de: $out"
  out=$(bash_complete "$prelude" "kubectl-mesh ro" ro)
  [ "$out" = "route" ] || fail "bash ($prelude): ro: $out"
  out=$(bash_complete "$prelude" "kubectl-mesh -n kube-" -n kube-)
  expect_line "$out" kube-system "bash ($prelude): -n kube-"
done

if command -v zsh >/dev/null; then
  kubectl-mesh completion zsh > "$tmp/_kubectl-mesh"
  zsh -n "$tmp/_kubectl-mesh" || fail "the zsh script does not parse"
fi

if command -v fish >/dev/null; then
  kubectl-mesh completion fish > "$tmp/kubectl-mesh.fish"
  fish -n "$tmp/kubectl-mesh.fish" || fail "the fish script does not parse"
  fish_complete() { fish --no-config -c "source $tmp/kubectl-mesh.fish; complete -C '$1'"; }
  out=$(fish_complete 'kubectl-mesh install --profile ' | sort)  # fish sorts them itself
  [ "$out" = $'default\ndemo\nminimal' ] || fail "fish: install --profile: $out"
  out=$(fish_complete 'kubectl-mesh install --pro')
  [ "$out" = $'--profile\tminimal, default or demo' ] || fail "fish: install --pro: $out"
  out=$(fish_complete 'kubectl-mesh version -o=j')
  [ "$out" = "-o=json" ] || fail "fish: version -o=j: $out"
fi
echo "e2e completion: ok"
