# Variant: node-b lives in another subnet, 10.186.154.0/24 (another rack or routed
# segment), served by the same gateway. node-a's outer VXLAN packets to node-b can no
# longer go straight to it: they follow node-a's default route to 10.186.153.254, which
# is the path the source article's sequence diagram shows. Runs on the real kernel too.
set -e

# The gateway serves the second subnet.
ip -n tor addr add 10.186.154.254/24 brd + dev gw-biz

# node-b is renumbered and gets a default route in its new subnet.
ip -n node-b addr del 10.186.153.12/24 dev biz
ip -n node-b addr add 10.186.154.12/24 brd + dev biz
ip -n node-b route replace default via 10.186.154.254 dev biz

# node-b's VTEP is rebuilt on the new local address (what flanneld does at start-up).
ip -n node-b link del vxlan.2
ip -n node-b link add vxlan.2 type vxlan id 2 dstport 4789 dev biz local 10.186.154.12 nolearning
ip -n node-b link set vxlan.2 address 4a:2d:0c:51:9e:0b
ip -n node-b link set vxlan.2 up
ip -n node-b addr add 10.20.4.0/32 dev vxlan.2
ip -n node-b route add 10.20.9.0/24 via 10.20.9.0 dev vxlan.2 onlink
ip -n node-b neigh add 10.20.9.0 lladdr 4a:2d:0c:51:9e:0a dev vxlan.2 nud permanent
bridge -n node-b fdb append 4a:2d:0c:51:9e:0a dev vxlan.2 dst 10.186.153.11 self permanent

# node-a learns node-b's new public address: the FDB entry now points at it.
bridge -n node-a fdb replace 4a:2d:0c:51:9e:0b dev vxlan.2 dst 10.186.154.12 self permanent
