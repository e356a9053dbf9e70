ip netns add cap-s
ip -n cap-s link add v0 type veth peer name v1
ip netns exec cap-s sysctl net.ipv6.conf.all.accept_dad net.ipv6.conf.default.accept_dad net.ipv6.conf.lo.accept_dad net.ipv6.conf.v0.accept_dad
ip netns exec cap-s sysctl -w net.ipv6.conf.default.accept_dad=0
ip -n cap-s link add v2 type veth peer name v3
ip netns exec cap-s sysctl net.ipv6.conf.v2.accept_dad net.ipv6.conf.v0.accept_dad net.ipv6.conf.all.accept_dad
ip netns exec cap-s sysctl -w net.ipv6.conf.all.accept_dad=-1
ip netns exec cap-s sysctl net.ipv6.conf.all.accept_dad
ip netns exec cap-s sysctl -w net.ipv6.conf.all.accept_dad=x
ip netns exec cap-s sysctl net.ipv6.conf.nosuch.accept_dad
ip netns exec cap-s sysctl -q net.ipv4.conf.nosuch.rp_filter
ip netns exec cap-s sysctl -w net.ipv4.ip_forward
ip netns exec cap-s sysctl -w net.ipv4.conf.all.rp_filter=1x
ip netns exec cap-s sysctl -w net.ipv4.conf.all.rp_filter=
ip netns exec cap-s sysctl -w net.ipv4.ip_local_port_range=abc
ip netns exec cap-s sysctl -w net.ipv4.conf.all.rp_filter=2
ip netns exec cap-s sysctl net.ipv4.conf.all.rp_filter net.ipv4.ip_local_port_range
ip netns exec cap-s sysctl -w net.ipv4.ip_forward=7
ip netns exec cap-s sysctl net.ipv4.conf.all.forwarding net.ipv4.conf.default.forwarding net.ipv4.conf.v0.forwarding
ip netns exec cap-s sysctl -w net.ipv4.ip_forward=-3
ip netns exec cap-s sysctl net.ipv4.conf.v2.forwarding
ip netns add cap-s2
ip -n cap-s link add v4 type veth peer name v5
ip netns exec cap-s2 sysctl -w net.ipv6.conf.default.accept_dad=2
ip -n cap-s link set v5 netns cap-s2
ip netns exec cap-s2 sysctl net.ipv6.conf.v5.accept_dad
ip netns del cap-s2
ip netns del cap-s
