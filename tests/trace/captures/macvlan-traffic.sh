#!/usr/bin/env bash
# Real traffic between macvlan modes (kernel 6.18): one ping per pair, "FROM TO ok|fail".
# The tracer must give the same verdicts (tests/trace/macvlan.test.ts). Root, ip netns.
cd "$(dirname "$0")"
cleanup() { for n in cap-mh cap-mx cap-ma cap-mb cap-mc cap-md cap-me; do ip netns del $n 2>/dev/null; done; }
trap cleanup EXIT
bash -e macvlan-traffic.setup.sh
sleep 2
while read -r from to; do
  if ip netns exec "$from" ping -c1 -W1 "$to" >/dev/null 2>&1; then echo "$from $to ok"; else echo "$from $to fail"; fi
done <<'PAIRS'
cap-ma 10.9.0.2
cap-ma 10.9.0.100
cap-mx 10.9.0.1
cap-mx 10.9.0.3
cap-mx 10.9.0.5
cap-mc 10.9.0.4
cap-mc 10.9.0.100
cap-ma 10.9.0.3
cap-mc 10.9.0.1
cap-me 10.9.0.1
cap-ma 10.9.0.5
cap-me 10.9.0.100
PAIRS
