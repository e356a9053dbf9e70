#!/usr/bin/env bash
# Re-captures the kernel's output for tests/model/kernel-captures/*.sh (root, ip netns).
# Each script creates and deletes its own cap-* namespaces; review the diff before committing.
set -u
cd "$(dirname "$0")/../tests/model/kernel-captures" || exit 1
for f in "${@:-*.sh}"; do
  for f2 in $f; do
    bash "$f2" > "${f2%.sh}.kernel.out" 2>&1
    echo "captured ${f2%.sh}.kernel.out"
  done
done
leftover=$(ip netns list | awk '$1 ~ /^cap-/ {print $1}')
for ns in $leftover; do ip netns del "$ns"; done
