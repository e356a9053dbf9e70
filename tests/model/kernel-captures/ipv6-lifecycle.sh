ip netns add cap-6
ip netns exec cap-6 sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip -n cap-6 link set lo up
ip -n cap-6 link add va address 02:00:00:00:06:0a type veth peer name vb address 02:00:00:00:06:0b
ip -n cap-6 link add vc address 02:00:00:00:06:0c type veth peer name vd address 02:00:00:00:06:0d
ip -n cap-6 link set va up
ip -n cap-6 link set vb up
ip -n cap-6 link set vc up
ip -n cap-6 link set vd up
ip -n cap-6 addr add 10.6.0.1/24 dev va
ip -n cap-6 -6 route show table all
ip -n cap-6 -4 addr flush dev va
ip -n cap-6 addr show va
ip -n cap-6 -6 addr flush dev vb
ip -n cap-6 addr show vb
ip -n cap-6 -6 route show table all
ip -n cap-6 addr add 10.6.1.1/24 dev vc
ip -n cap-6 addr flush dev vc
ip -n cap-6 addr show vc
ip -n cap-6 -6 route show table all
ip -n cap-6 addr flush dev lo
ip -n cap-6 addr show lo
ip -n cap-6 -6 route show table all
ip -n cap-6 link set vb down
ip -n cap-6 link set vb up
ip -n cap-6 link set lo down
ip -n cap-6 link set lo up
ip -n cap-6 -6 route show table all
ip -n cap-6 link set vd mtu 1279
ip -n cap-6 addr show vd
ip -n cap-6 -6 route show table all
ip -n cap-6 link set vd mtu 1280
ip -n cap-6 addr show vd
ip -n cap-6 -6 route show table all
ip -n cap-6 link set va mtu 68
ip -n cap-6 link set va down
ip -n cap-6 link set va up
ip -n cap-6 addr show va
ip -n cap-6 link set va mtu 1500
ip -n cap-6 -6 route show table all
ip netns del cap-6
