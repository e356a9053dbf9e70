ip netns add cap-bd
ip -n cap-bd link add br0 address 02:00:00:00:05:01 type bridge
ip -n cap-bd link add p1 address 02:00:00:00:05:11 type veth peer name q1 address 02:00:00:00:05:21
ip -n cap-bd -d link show br0
ip -n cap-bd link set p1 master br0
ip -n cap-bd -d link show br0
ip -n cap-bd -d link show p1
ip -n cap-bd -d link show q1
ip -n cap-bd -j -d link show br0
ip -n cap-bd -j -d link show p1
ip -n cap-bd -j -p -d link show p1
ip -n cap-bd link add br1 type bridge
ip -n cap-bd link set q1 master br1
ip -n cap-bd -d link show br1
ip -n cap-bd -d link show q1
ip -n cap-bd link set q1 nomaster
ip -n cap-bd -d link show q1
ip netns del cap-bd
