# kube-proxy in IPVS mode: the dummy kube-ipvs0 holds every ClusterIP (it stays DOWN, the
# local routes still make the addresses local), and IPVS maps each one to its endpoints.
set -e
ip -n node-a link add kube-ipvs0 type dummy
ip -n node-a link set kube-ipvs0 address 9e:0a:7c:1b:00:01
ip -n node-a addr add 10.96.0.1/32 dev kube-ipvs0
ip -n node-a addr add 10.96.0.10/32 dev kube-ipvs0
ip netns exec node-a modprobe ip_vs
ip netns exec node-a sysctl -q -w net.ipv4.vs.conntrack=1
ip netns exec node-a ipvsadm -A -t 10.96.0.1:443 -s rr
ip netns exec node-a ipvsadm -a -t 10.96.0.1:443 -r 10.186.20.11:6443 -m -w 1
ip netns exec node-a ipvsadm -A -u 10.96.0.10:53 -s rr
ip netns exec node-a ipvsadm -a -u 10.96.0.10:53 -r 10.20.9.72:53 -m -w 1
ip netns exec node-a ipvsadm -a -u 10.96.0.10:53 -r 10.20.4.5:53 -m -w 1

ip -n node-b link add kube-ipvs0 type dummy
ip -n node-b link set kube-ipvs0 address 9e:0b:7c:1b:00:01
ip -n node-b addr add 10.96.0.1/32 dev kube-ipvs0
ip -n node-b addr add 10.96.0.10/32 dev kube-ipvs0
ip netns exec node-b modprobe ip_vs
ip netns exec node-b sysctl -q -w net.ipv4.vs.conntrack=1
ip netns exec node-b ipvsadm -A -t 10.96.0.1:443 -s rr
ip netns exec node-b ipvsadm -a -t 10.96.0.1:443 -r 10.186.20.11:6443 -m -w 1
ip netns exec node-b ipvsadm -A -u 10.96.0.10:53 -s rr
ip netns exec node-b ipvsadm -a -u 10.96.0.10:53 -r 10.20.9.72:53 -m -w 1
ip netns exec node-b ipvsadm -a -u 10.96.0.10:53 -r 10.20.4.5:53 -m -w 1
