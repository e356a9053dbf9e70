ip netns add cap-m
ip netns exec cap-m sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip netns add cap-c
ip -n cap-m link add va0 address 02:a0:00:00:00:01 type veth peer name vb0 address 02:b0:00:00:00:02 netns cap-c
ip -n cap-c link set vb0 up
ip -n cap-m link add br0 address 02:e0:00:00:00:01 type bridge
ip -n cap-m link set br0 up
ip -n cap-m link set va0 master br0
ip -n cap-m link set va0 up
ip -n cap-m link set va0 mtu 68
ip -n cap-m link show br0
ip -n cap-m -6 route show table all
ip -n cap-m link set va0 mtu 1500
ip -n cap-m link show br0
ip -n cap-m -6 route show table all
ip -n cap-m link set va0 nomaster
ip -n cap-m link show br0
ip netns del cap-m
ip netns del cap-c
