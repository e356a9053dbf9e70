# The underlay: pods with addresses from the physical VLAN subnets, on ipvlan L2 slaves of
# the node's 802.1Q sub-interfaces biz.<vlan>. The gateway routes between the VLANs.
set -e

ip -n tor link set gw-v101 up
ip -n tor addr add 10.186.101.254/24 brd + dev gw-v101
ip -n tor link set gw-v102 up
ip -n tor addr add 10.186.102.254/24 brd + dev gw-v102

ip -n node-a link add link biz name biz.101 type vlan id 101
ip -n node-a link set biz.101 up
ip -n node-a link add link biz name biz.102 type vlan id 102
ip -n node-a link set biz.102 up
ip -n node-b link add link biz name biz.101 type vlan id 101
ip -n node-b link set biz.101 up

# upod-101-21: 10.186.101.21 in VLAN 101 on node-a
ip netns add upod-101-21
ip -n upod-101-21 link set lo up
ip -n node-a link add link biz.101 name eth0 netns upod-101-21 type ipvlan mode l2
ip -n upod-101-21 link set eth0 up
ip -n upod-101-21 addr add 10.186.101.21/24 brd + dev eth0
ip -n upod-101-21 route add default via 10.186.101.254 dev eth0

# upod-102-22: 10.186.102.22 in VLAN 102, also on node-a
ip netns add upod-102-22
ip -n upod-102-22 link set lo up
ip -n node-a link add link biz.102 name eth0 netns upod-102-22 type ipvlan mode l2
ip -n upod-102-22 link set eth0 up
ip -n upod-102-22 addr add 10.186.102.22/24 brd + dev eth0
ip -n upod-102-22 route add default via 10.186.102.254 dev eth0

# upod-101-31: 10.186.101.31 in VLAN 101 on node-b
ip netns add upod-101-31
ip -n upod-101-31 link set lo up
ip -n node-b link add link biz.101 name eth0 netns upod-101-31 type ipvlan mode l2
ip -n upod-101-31 link set eth0 up
ip -n upod-101-31 addr add 10.186.101.31/24 brd + dev eth0
ip -n upod-101-31 route add default via 10.186.101.254 dev eth0
