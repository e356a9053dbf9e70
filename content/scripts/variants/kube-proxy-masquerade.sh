# Variant: the source NAT kube-proxy (IPVS mode) adds on every node, for the two Services
# of the reference cluster. kube-proxy matches ipsets (KUBE-CLUSTER-IP: ClusterIP and port;
# KUBE-LOOP-BACK: backend IP, port, and that same IP as the source); the model has no ipset,
# so each set entry this cluster needs is written as a plain rule in the same chains, with
# the same effect. kube-proxy also adds --random-fully to the last MASQUERADE where the
# kernel has it; without it the client's port is kept when free, which keeps the outputs
# comparable with the reference kernel. Runs on the real kernel too.
set -e

# node-a
ip netns exec node-a iptables -t nat -N KUBE-SERVICES
ip netns exec node-a iptables -t nat -N KUBE-MARK-MASQ
ip netns exec node-a iptables -t nat -N KUBE-POSTROUTING
ip netns exec node-a iptables -t nat -I PREROUTING 1 -j KUBE-SERVICES
ip netns exec node-a iptables -t nat -I OUTPUT 1 -j KUBE-SERVICES
ip netns exec node-a iptables -t nat -I POSTROUTING 1 -j KUBE-POSTROUTING
ip netns exec node-a iptables -t nat -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
# Traffic to a ClusterIP that does not come from a pod (a process on the node) is marked...
ip netns exec node-a iptables -t nat -A KUBE-SERVICES ! -s 10.20.0.0/16 -d 10.96.0.1/32 -p tcp -m tcp --dport 443 -j KUBE-MARK-MASQ
ip netns exec node-a iptables -t nat -A KUBE-SERVICES ! -s 10.20.0.0/16 -d 10.96.0.10/32 -p udp -m udp --dport 53 -j KUBE-MARK-MASQ
# ...a backend that IPVS sent its own packet (hairpin) is masqueraded at once...
ip netns exec node-a iptables -t nat -A KUBE-POSTROUTING -s 10.20.9.72/32 -d 10.20.9.72/32 -p udp -m udp --dport 53 -j MASQUERADE
ip netns exec node-a iptables -t nat -A KUBE-POSTROUTING -s 10.20.4.5/32 -d 10.20.4.5/32 -p udp -m udp --dport 53 -j MASQUERADE
# ...and marked traffic is masqueraded, the mark cleared first so that the VXLAN packet
# that carries it is not masqueraded a second time.
ip netns exec node-a iptables -t nat -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
ip netns exec node-a iptables -t nat -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
ip netns exec node-a iptables -t nat -A KUBE-POSTROUTING -j MASQUERADE

# node-b
ip netns exec node-b iptables -t nat -N KUBE-SERVICES
ip netns exec node-b iptables -t nat -N KUBE-MARK-MASQ
ip netns exec node-b iptables -t nat -N KUBE-POSTROUTING
ip netns exec node-b iptables -t nat -I PREROUTING 1 -j KUBE-SERVICES
ip netns exec node-b iptables -t nat -I OUTPUT 1 -j KUBE-SERVICES
ip netns exec node-b iptables -t nat -I POSTROUTING 1 -j KUBE-POSTROUTING
ip netns exec node-b iptables -t nat -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
# Traffic to a ClusterIP that does not come from a pod (a process on the node) is marked...
ip netns exec node-b iptables -t nat -A KUBE-SERVICES ! -s 10.20.0.0/16 -d 10.96.0.1/32 -p tcp -m tcp --dport 443 -j KUBE-MARK-MASQ
ip netns exec node-b iptables -t nat -A KUBE-SERVICES ! -s 10.20.0.0/16 -d 10.96.0.10/32 -p udp -m udp --dport 53 -j KUBE-MARK-MASQ
# ...a backend that IPVS sent its own packet (hairpin) is masqueraded at once...
ip netns exec node-b iptables -t nat -A KUBE-POSTROUTING -s 10.20.9.72/32 -d 10.20.9.72/32 -p udp -m udp --dport 53 -j MASQUERADE
ip netns exec node-b iptables -t nat -A KUBE-POSTROUTING -s 10.20.4.5/32 -d 10.20.4.5/32 -p udp -m udp --dport 53 -j MASQUERADE
# ...and marked traffic is masqueraded, the mark cleared first so that the VXLAN packet
# that carries it is not masqueraded a second time.
ip netns exec node-b iptables -t nat -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
ip netns exec node-b iptables -t nat -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
ip netns exec node-b iptables -t nat -A KUBE-POSTROUTING -j MASQUERADE
