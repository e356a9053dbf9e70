ip netns add cap-b
ip -n cap-b link add br0 type bridge
ip -n cap-b link add p1 mtu 1450 address 02:00:00:00:00:11 type veth peer name q1 address 02:00:00:00:00:21
ip -n cap-b link add p2 mtu 9000 address 02:00:00:00:00:12 type veth peer name q2 address 02:00:00:00:00:22
ip -n cap-b link set p2 master br0
ip -n cap-b link show br0
ip -n cap-b link set p1 master br0
ip -n cap-b link show br0
ip -n cap-b link set p1 mtu 9100
ip -n cap-b link show br0
ip -n cap-b link set p2 address 02:00:00:00:00:01
ip -n cap-b link show br0
ip -n cap-b link set p2 nomaster
ip -n cap-b link show br0
ip -n cap-b link set p1 nomaster
ip -n cap-b link show br0
ip -n cap-b link set br0 mtu 9500
ip -n cap-b link set p1 master br0
ip -n cap-b link show br0
ip -n cap-b link add br1 mtu 2000 address 02:00:00:00:00:b1 type bridge
ip -n cap-b link show br1
ip -n cap-b link set p2 master br1
ip -n cap-b link set q1 master br1
ip -n cap-b link show br1
ip -n cap-b link set p1 master br1
ip -n cap-b link show br0
ip -n cap-b link show br1
ip -n cap-b link del q2
ip -n cap-b link show br1
ip -n cap-b link set br1 address 02:00:00:00:00:b2
ip -n cap-b link set q1 nomaster
ip -n cap-b link show br1
ip netns del cap-b
