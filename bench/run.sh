#!/usr/bin/env bash
# Every benchmark, one after the other (see bench/README.md for what each measures).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for b in apply install render inject analyze policy; do
  [ -x "$here/$b.sh" ] || continue
  echo "# $b"
  "$here/$b.sh"
  echo
done
