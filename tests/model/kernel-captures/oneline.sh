ip netns add cap-o
ip netns exec cap-o sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip -n cap-o link set lo up
ip -n cap-o link add va address 02:00:00:00:07:0a type veth peer name vb address 02:00:00:00:07:0b
ip -n cap-o link add vc address 02:00:00:00:07:0c type veth peer name vd address 02:00:00:00:07:0d
ip -n cap-o link set va up
ip -n cap-o link set vb up
ip -n cap-o addr add 10.7.0.1/24 dev va
ip -n cap-o addr add 10.7.0.2/24 dev va
ip -n cap-o addr add 10.7.1.1/24 dev vc
ip -n cap-o -o link
ip -n cap-o -o addr
ip -n cap-o -o -4 addr show dev va
ip -n cap-o -oneline -6 addr
ip -n cap-o -o -d link show va
ip -n cap-o -o route
ip -n cap-o -o rule
ip -n cap-o -o -br addr
ip netns del cap-o
