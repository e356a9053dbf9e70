# iputils ping through a router that masquerades: the echo and its reply (ttl), -q, -s, a
# neighbour, its own address, and ping's error for a destination without a route. What the
# kernel measures (time= and the rtt figures) is masked (tests/lab/vm-shows.ts maskTraffic).
# The conntrack entries ping leaves are compared in the chapters' blocks (external.mdx), which
# the VM runs on a terminal: here, off one, conntrack's count on stderr comes before its
# block-buffered entries.
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
ip netns exec c ping -c 1 -q 192.0.2.2
echo "rc $?"
ip netns exec c ping -c 1 -s 1000 -W 2 192.0.2.2
echo "rc $?"
ip netns exec c ping -c 1 10.0.1.1
echo "rc $?"
ip netns exec s ping -c 1 10.0.1.2
echo "rc $?"
ip netns exec c ping -c 1 -q 10.0.1.2
echo "rc $?"
