#!/usr/bin/env bash
# Real traffic through the filter table (kernel 6.18): one ping per destination, "FROM TO ok|fail".
# The tracer must give the same verdicts (tests/trace/filter.test.ts). Root, ip netns.
cd "$(dirname "$0")"
cleanup() { for n in cap-fa cap-fr cap-fb; do ip netns del $n 2>/dev/null; done; }
trap cleanup EXIT
bash -e filter-traffic.setup.sh
sleep 2
while read -r from to; do
  if ip netns exec "$from" ping -c1 -W1 "$to" >/dev/null 2>&1; then echo "$from $to ok"; else echo "$from $to fail"; fi
done <<'PAIRS'
cap-fa 10.2.0.1
cap-fa 10.2.0.2
cap-fa 10.2.0.3
cap-fa 10.2.0.4
cap-fa 10.2.0.5
cap-fa 10.2.0.254
cap-fa 10.1.0.254
cap-fb 10.1.0.1
PAIRS
