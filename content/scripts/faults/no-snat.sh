# Fault: node-a's MASQUERADE rule for the pod network is gone (an iptables restore
# without it, a flush by another tool).
set -e
ip netns exec node-a iptables -t nat -D POSTROUTING -s 10.20.0.0/16 ! -d 10.20.0.0/16 -j MASQUERADE
