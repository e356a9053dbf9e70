# Fault: a hardening baseline set strict reverse-path filtering on node-a.
set -e
ip netns exec node-a sysctl -q -w net.ipv4.conf.all.rp_filter=1
