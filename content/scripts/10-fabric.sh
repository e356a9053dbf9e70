# The physical layer and Open vSwitch on each node, and the switch they plug into.
# Needs a kernel with bonding, 802.1Q and the Open vSwitch datapath, and an Open vSwitch
# database and daemon for every namespace that runs ovs-vsctl (each one is a host).
set -e

# Two ports per node, cabled to the top-of-rack switch.
ip link add ens5f0np0 netns node-a address b8:ce:f6:0a:00:01 type veth peer name a-p1 netns tor address b8:ce:f6:7f:01:01
ip link add ens7f0np0 netns node-a address b8:ce:f6:0a:00:02 type veth peer name a-p2 netns tor address b8:ce:f6:7f:01:02
ip link add ens5f0np0 netns node-b address b8:ce:f6:0b:00:01 type veth peer name b-p1 netns tor address b8:ce:f6:7f:02:01
ip link add ens7f0np0 netns node-b address b8:ce:f6:0b:00:02 type veth peer name b-p2 netns tor address b8:ce:f6:7f:02:02

# node-a: LACP bond0 over both ports, under the OVS bridge br-bond0 with three planes.
ip -n node-a link add bond0 type bond mode 802.3ad xmit_hash_policy layer3+4 miimon 100 lacp_rate fast
ip -n node-a link set ens5f0np0 master bond0
ip -n node-a link set ens7f0np0 master bond0
ip -n node-a link set bond0 up
ip netns exec node-a ovs-vsctl add-br br-bond0
ip netns exec node-a ovs-vsctl add-port br-bond0 bond0
ip netns exec node-a ovs-vsctl add-port br-bond0 biz -- set interface biz type=internal
ip netns exec node-a ovs-vsctl add-port br-bond0 ctl tag=20 -- set interface ctl type=internal
ip netns exec node-a ovs-vsctl add-port br-bond0 mgm tag=10 -- set interface mgm type=internal
ip -n node-a link set biz address 02:0a:00:00:99:0b
ip -n node-a link set ctl address 02:0a:00:00:14:0b
ip -n node-a link set mgm address 02:0a:00:00:0a:0b

# node-b: the same.
ip -n node-b link add bond0 type bond mode 802.3ad xmit_hash_policy layer3+4 miimon 100 lacp_rate fast
ip -n node-b link set ens5f0np0 master bond0
ip -n node-b link set ens7f0np0 master bond0
ip -n node-b link set bond0 up
ip netns exec node-b ovs-vsctl add-br br-bond0
ip netns exec node-b ovs-vsctl add-port br-bond0 bond0
ip netns exec node-b ovs-vsctl add-port br-bond0 biz -- set interface biz type=internal
ip netns exec node-b ovs-vsctl add-port br-bond0 ctl tag=20 -- set interface ctl type=internal
ip netns exec node-b ovs-vsctl add-port br-bond0 mgm tag=10 -- set interface mgm type=internal
ip -n node-b link set biz address 02:0b:00:00:99:0c
ip -n node-b link set ctl address 02:0b:00:00:14:0c
ip -n node-b link set mgm address 02:0b:00:00:0a:0c

# The switch: one LACP bond per node, trunked; the gateway's interfaces per VLAN.
ip -n tor link add bond-a type bond mode 802.3ad xmit_hash_policy layer3+4 miimon 100 lacp_rate fast
ip -n tor link set a-p1 master bond-a
ip -n tor link set a-p2 master bond-a
ip -n tor link set bond-a up
ip -n tor link add bond-b type bond mode 802.3ad xmit_hash_policy layer3+4 miimon 100 lacp_rate fast
ip -n tor link set b-p1 master bond-b
ip -n tor link set b-p2 master bond-b
ip -n tor link set bond-b up
ip netns exec tor ovs-vsctl add-br br-tor
ip netns exec tor ovs-vsctl add-port br-tor bond-a
ip netns exec tor ovs-vsctl add-port br-tor bond-b
ip netns exec tor ovs-vsctl add-port br-tor gw-biz -- set interface gw-biz type=internal
ip netns exec tor ovs-vsctl add-port br-tor gw-mgm tag=10 -- set interface gw-mgm type=internal
ip netns exec tor ovs-vsctl add-port br-tor gw-ctl tag=20 -- set interface gw-ctl type=internal
ip netns exec tor ovs-vsctl add-port br-tor gw-v101 tag=101 -- set interface gw-v101 type=internal
ip netns exec tor ovs-vsctl add-port br-tor gw-v102 tag=102 -- set interface gw-v102 type=internal
ip -n tor link set gw-biz address 02:7f:00:00:99:fe
ip -n tor link set gw-mgm address 02:7f:00:00:0a:fe
ip -n tor link set gw-ctl address 02:7f:00:00:14:fe
ip -n tor link set gw-v101 address 02:7f:00:00:65:fe
ip -n tor link set gw-v102 address 02:7f:00:00:66:fe

# The outside world: one host behind the gateway's uplink.
ip link add wan0 netns tor address 02:7f:00:00:cb:01 type veth peer name eth0 netns ext address 02:ee:00:00:cb:0a
