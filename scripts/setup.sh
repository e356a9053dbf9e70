#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for this project: the kernel lab's tools, QEMU
# and the userland copied into the reference kernel VM, and Chromium (build-time diagrams,
# browser tests) from Debian; then the npm packages (including Node 22 itself, a
# devDependency); then builds the reference kernel VM (scripts/vm/build.sh: downloads the
# pinned Debian kernel once into .cache/vm). Idempotent: a second run is a cache hit.
set -euo pipefail
cd "$(dirname "$0")/.."
PKGS=(iproute2 iptables conntrack iputils-ping tcpdump busybox chromium fonts-noto-cjk
  qemu-system-x86 ipvsadm openvswitch-switch openvswitch-common nftables curl procps kmod
  cpio xz-utils binutils bc socat)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit
fi
bash scripts/vm/build.sh
