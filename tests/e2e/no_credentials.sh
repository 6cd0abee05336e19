#!/usr/bin/env bash
# After the suite: no output of any test (ctest keeps them all in LastTest.log) contains a
# credential of the shared control plane — its bearer token or any line of a private key.
set -euo pipefail
dir=${1:?control plane dir} log=${2:?ctest log}
# While ctest runs, it writes the log under a .tmp name and renames it at the end.
[ -f "$log.tmp" ] && log="$log.tmp"
[ -f "$log" ] || { echo "no ctest log at $log" >&2; exit 1; }
secrets=()
secrets+=("$(cut -d, -f1 "$dir/pki/tokens.csv")")
for key in "$dir"/pki/*.key; do
  while IFS= read -r line; do
    case "$line" in -----*|"") ;; *) secrets+=("$line") ;; esac
  done <"$key"
done
found=0
for s in "${secrets[@]}"; do
  if grep -qF -- "$s" "$log"; then
    echo "a credential of $dir appears in $log" >&2
    found=1
  fi
done
[ "$found" = 0 ] && echo "no credential in $(wc -l <"$log") lines of test output (${#secrets[@]} secrets checked)"
exit "$found"
