#!/usr/bin/env bash
# Installs the Debian packages kubectl-mesh builds and tests with, when missing (dpkg-dev and
# file: cpack's .deb Depends; zsh, fish, bash-completion: the completion scripts' tests). The Go
# toolchain is the machine's own (Debian's golang-go is too old for Kubernetes 1.34).
set -euo pipefail
packages=(
  cmake ninja-build g++ pkg-config ccache git openssl
  libcli11-dev libyaml-cpp-dev libcurl4-openssl-dev libssl-dev libfmt-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev
  clang clang-format libclang-rt-14-dev
  graphviz chromium prometheus
  dpkg-dev file python3 zsh fish bash-completion
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! command -v go >/dev/null; then
  echo "error: Go is not installed; the local control plane is built with Go 1.24 or newer" >&2
  exit 1
fi
