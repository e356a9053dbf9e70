# iputils ping through a router that masquerades, and the conntrack entries it leaves: the
# echo and its reply, -q, -s, a second flow, and ping's error for a destination without a
# route. Values the kernel draws (ping's time= and rtt figures, the ICMP id, the conntrack
# timeout counting down) are masked by tests/lab/vm-shows.ts maskRandom before comparing. The
# kernel lists conntrack entries in the order of a randomly seeded hash: each listing here
# shows one entry.
ip netns add c
ip netns add r
ip netns add s
ip -n c link add eth0 type veth peer name c0 netns r
ip -n s link add eth0 type veth peer name s0 netns r
ip -n c addr add 10.0.1.2/24 dev eth0
ip -n r addr add 10.0.1.1/24 dev c0
ip -n r addr add 192.0.2.1/24 dev s0
ip -n s addr add 192.0.2.2/24 dev eth0
ip -n c link set eth0 up
ip -n r link set c0 up
ip -n r link set s0 up
ip -n s link set eth0 up
ip -n c link set lo up
ip -n s link set lo up
ip -n c route add default via 10.0.1.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec r iptables -t nat -A POSTROUTING -s 10.0.1.0/24 ! -d 10.0.1.0/24 -j MASQUERADE
ip netns exec c ping -c 2 192.0.2.2
echo "rc $?"
ip netns exec r conntrack -L
ip netns exec c ping -c 1 -q 192.0.2.2
echo "rc $?"
ip netns exec c ping -c 1 -s 1000 -W 2 192.0.2.2
echo "rc $?"
ip netns exec c ping -c 1 10.0.1.1
echo "rc $?"
ip netns exec r conntrack -L -p icmp -d 10.0.1.1
ip netns exec s ping -c 1 10.0.1.2
echo "rc $?"
ip netns exec c ping -c 1 -q 10.0.1.2
echo "rc $?"
