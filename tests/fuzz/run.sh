#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time on a copy of its seed corpus (the source tree
# stays as committed). Usage: run.sh BINARY CORPUS_DIR SECONDS [DICT]
# A crash leaves its input in fuzz-artifacts/ under the working directory and fails the run.
set -euo pipefail
binary=$1 corpus=$2 seconds=$3 dict=${4:-}
name=$(basename "$corpus")
work=$(mktemp -d "${TMPDIR:-/tmp}/kmesh-fuzz-$name-XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$corpus/." "$work/"
artifacts="$PWD/fuzz-artifacts/$name"
mkdir -p "$artifacts"
# A fixed seed: every `make test` walks the same mutations (as far as the time allows), so a
# crash there is reproducible and a CI run does not fail on a coin toss. Longer campaigns
# (README, "Fuzzing") run without it, with random seeds. KMESH_FUZZ_SEED overrides it.
args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
      -seed="${KMESH_FUZZ_SEED:-1}" -artifact_prefix="$artifacts/")
[ -n "$dict" ] && args+=(-dict="$dict")
# Leaks are bugs too; ASan reports them when the run ends.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
"$binary" "${args[@]}" "$work"
