# Two hosts joined by a veth and a VXLAN (VNI 7, port 4789) between them. filter-vxlan.sh
# pings across it, then adds FILTER_RULE (cap-xa's OUTPUT drops VXLAN: the encapsulated
# packet is locally generated) and pings again.
ip netns add cap-xa
ip netns add cap-xb
ip -n cap-xa link add eth0 address 02:00:00:0e:00:01 type veth peer name eth0 address 02:00:00:0e:00:02 netns cap-xb
ip -n cap-xa link set lo up
ip -n cap-xb link set lo up
ip -n cap-xa link set eth0 up
ip -n cap-xb link set eth0 up
ip -n cap-xa addr add 10.0.0.1/24 dev eth0
ip -n cap-xb addr add 10.0.0.2/24 dev eth0
ip -n cap-xa link add vx7 address 02:00:00:0e:00:11 type vxlan id 7 dstport 4789 local 10.0.0.1 dev eth0
ip -n cap-xb link add vx7 address 02:00:00:0e:00:12 type vxlan id 7 dstport 4789 local 10.0.0.2 dev eth0
ip -n cap-xa link set vx7 up
ip -n cap-xb link set vx7 up
ip -n cap-xa addr add 192.168.7.1/24 dev vx7
ip -n cap-xb addr add 192.168.7.2/24 dev vx7
ip -n cap-xa neigh add 192.168.7.2 lladdr 02:00:00:0e:00:12 dev vx7
ip -n cap-xb neigh add 192.168.7.1 lladdr 02:00:00:0e:00:11 dev vx7
bridge -n cap-xa fdb append 02:00:00:0e:00:12 dev vx7 dst 10.0.0.2
bridge -n cap-xb fdb append 02:00:00:0e:00:11 dev vx7 dst 10.0.0.1
