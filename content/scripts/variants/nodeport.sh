# Variant (after kube-proxy-masquerade.sh): the DNS Service also published as NodePort
# 30053/udp on node-a. kube-proxy creates an IPVS virtual service on each node address and
# sends traffic to any local address through KUBE-NODE-PORT, which marks a NodePort's
# packets for masquerading. kube-proxy matches the NodePorts with an ipset
# (KUBE-NODE-PORT-UDP); the model has no ipset, so the mark rule names the port. Runs on the
# real kernel too.
set -e
ip netns exec node-a ipvsadm -A -u 10.186.153.11:30053 -s rr
ip netns exec node-a ipvsadm -a -u 10.186.153.11:30053 -r 10.20.9.72:53 -m -w 1
ip netns exec node-a ipvsadm -a -u 10.186.153.11:30053 -r 10.20.4.5:53 -m -w 1
ip netns exec node-a iptables -t nat -N KUBE-NODE-PORT
ip netns exec node-a iptables -t nat -A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT
ip netns exec node-a iptables -t nat -A KUBE-NODE-PORT -p udp -m udp --dport 30053 -j KUBE-MARK-MASQ
