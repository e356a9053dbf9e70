# An 802.3ad bond under an OVS bridge, cabled to a second host's bond (as the production
# fabric is): the bridge's own device takes the lowest universal MAC of its ports
# (bridge_pick_local_hw_addr), the bond keeps its IPv6 link-local as an OVS port, each
# member lists the LACP group and the bond's solicited-node group, and DOWN devices list
# only the IPv6 all-nodes group. BusyBox prints SLAVE/MASTER as hex after LOWER_UP.
ip netns add vc-a
ip netns add vc-s
ip netns exec vc-a sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip link add e1 netns vc-a address b8:ce:f6:0a:00:01 type veth peer name p1 netns vc-s address b8:ce:f6:7f:01:01
ip link add e2 netns vc-a address b8:ce:f6:0a:00:02 type veth peer name p2 netns vc-s address b8:ce:f6:7f:01:02
ip -n vc-a link add bond0 type bond mode 802.3ad xmit_hash_policy layer3+4 miimon 100 lacp_rate fast
ip -n vc-a link set e1 master bond0
ip -n vc-a link set e2 master bond0
ip -n vc-a link set bond0 up
ip netns exec vc-a ovs-vsctl add-br br0
ip netns exec vc-a ovs-vsctl add-port br0 bond0
ip netns exec vc-a ovs-vsctl add-port br0 biz -- set interface biz type=internal
ip -n vc-a link set biz address 02:0a:00:00:99:0b
ip -n vc-s link add bond-a type bond mode 802.3ad xmit_hash_policy layer3+4 miimon 100 lacp_rate fast
ip -n vc-s link set p1 master bond-a
ip -n vc-s link set p2 master bond-a
ip -n vc-s link set bond-a up
ip -n vc-a link set biz up
ip -n vc-a link add link biz name biz.101 type vlan id 101
ip -n vc-a link set biz.101 up
ip -n vc-a link add kube-ipvs0 type dummy
ip -n vc-a link set kube-ipvs0 address 9e:0a:7c:1b:00:01
sleep 4
ip -n vc-a link show br0
ip -n vc-a addr show bond0
ip -n vc-a -6 route show table all
bridge -n vc-a fdb show
bridge -n vc-s fdb show
ip netns exec vc-a busybox ip link show e1
ip netns exec vc-a busybox ip link show bond0
ip -n vc-a -d link show bond0
ip -n vc-a -d link show e1
ip -n vc-a -d link show br0
ip -n vc-a -d link show biz.101
ip -n vc-a -d link show kube-ipvs0
ip netns del vc-a
ip netns del vc-s
