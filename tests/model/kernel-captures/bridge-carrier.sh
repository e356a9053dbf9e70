ip netns add cap-c
ip -n cap-c link add br0 type bridge
ip -n cap-c link set br0 up
ip -n cap-c addr add 10.9.0.1/24 dev br0
ip -n cap-c -4 -br addr show br0
ip -n cap-c route
ip -n cap-c link add p1 address 02:00:00:00:00:31 type veth peer name q1 address 02:00:00:00:00:41
ip -n cap-c link set p1 master br0
ip -n cap-c link show br0
ip -n cap-c route
ip -n cap-c link set p1 up
ip -n cap-c link set q1 up
ip -n cap-c link show br0
ip -n cap-c -4 -br addr show br0
ip -n cap-c route
ip -n cap-c link set p1 nomaster
ip -n cap-c link show br0
ip -n cap-c route
ip -n cap-c link add br1 address 02:00:00:00:00:b1 type bridge
ip -n cap-c link set br1 up
ip -n cap-c addr add 10.8.0.1/24 dev br1
ip -n cap-c link show br1
ip -n cap-c route
ip -n cap-c link add p2 address 02:00:00:00:00:21 type veth peer name q2 address 02:00:00:00:00:42
ip -n cap-c link set p2 master br1
ip -n cap-c link set p2 up
ip -n cap-c link set q2 up
sleep 2.5
ip -n cap-c link show br1
ip -n cap-c addr show br1
ip -n cap-c link set q2 down
ip -n cap-c link show br1
ip -n cap-c route
ip -n cap-c link set q2 up
ip -n cap-c link show br1
ip -n cap-c route
ip -n cap-c -6 route
ip netns del cap-c
