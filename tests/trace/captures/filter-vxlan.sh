#!/usr/bin/env bash
# Real traffic (kernel 6.18): a ping over VXLAN before and after cap-xa's filter OUTPUT drops
# VXLAN (the rule below), "LABEL ok|fail". tests/trace/filter.test.ts must agree. Root, ip netns.
cd "$(dirname "$0")"
cleanup() { for n in cap-xa cap-xb; do ip netns del $n 2>/dev/null; done; }
trap cleanup EXIT
bash -e filter-vxlan.setup.sh
sleep 2
p() { if ip netns exec cap-xa ping -c1 -W1 192.168.7.2 >/dev/null 2>&1; then echo "$1 ok"; else echo "$1 fail"; fi; }
p before
ip netns exec cap-xa iptables -A OUTPUT -d 10.0.0.2 -p udp --dport 4789 -j DROP
p after
