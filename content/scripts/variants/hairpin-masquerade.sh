# Variant: kube-proxy's hairpin SNAT on node-a, for the DNS backend pod-9-72. In IPVS mode
# kube-proxy matches an ipset (KUBE-LOOP-BACK: backend IP, port, and that same IP as the
# source) from its KUBE-POSTROUTING chain; the model has no ipset, so this writes the one
# entry pod-9-72 needs as a plain rule with the same effect. Runs on the real kernel too.
set -e
ip netns exec node-a iptables -t nat -N KUBE-POSTROUTING
ip netns exec node-a iptables -t nat -I POSTROUTING 1 -j KUBE-POSTROUTING
ip netns exec node-a iptables -t nat -A KUBE-POSTROUTING -s 10.20.9.72/32 -d 10.20.9.72/32 -p udp -m udp --dport 53 -j MASQUERADE
