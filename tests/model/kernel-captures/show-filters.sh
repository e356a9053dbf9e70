ip netns add cap-w
N="ip -n cap-w"
$N link add va address 02:00:00:00:0d:01 type veth peer name vb address 02:00:00:00:0d:02
ip netns exec cap-w sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.va.accept_dad=0 net.ipv6.conf.vb.accept_dad=0
$N link set va up
$N link set vb up
$N addr add 10.1.1.1/24 dev va
$N addr add 10.1.1.2/24 dev va
$N addr add 10.1.1.3/24 label va:x dev va
$N addr add 10.2.2.1/24 dev vb
$N route add 10.9.0.0/16 via 10.1.1.5
$N route add 10.8.0.0/16 via 10.1.1.6 dev va src 10.1.1.1
$N route add 10.7.0.0/16 via 10.2.2.9
$N route show via 10.1.1.5
$N route show via 10.1.1.0/24
$N route show via 10.0.0.0/8 dev va
$N route show via zz
echo "st $?"
$N -4 addr show secondary
$N -4 addr show primary
$N -4 addr show label 'va:*'
$N addr show label va
$N -4 addr show dev va secondary
$N -o -4 addr show secondary
$N -4 addr show label 'v?'
$N -4 addr show label 'nomatch*'
$N route add 10.6.0.0/16 via 10.1.1.7 metric 4294967295
ip netns exec cap-w busybox ip route show dev va
echo "st $?"
ip netns exec cap-w busybox ip route show
ip netns exec cap-w busybox ip route show dev nosuch
echo "st $?"
$N route add default via 1.2.3.4.5
$N route add 0.0.0.0/0 via 1.2.3.4.5
$N route add default via 10.1.1.5 src 1.2.3.4.5
$N -4 route add default via 1.2.3.4.5
$N route add 10.3.0.0/16 via 1.2.3.4.5
$N route add via 1.2.3.4.5 10.3.0.0/16
$N link add vc address 02:00:00:00:0d:03 type veth peer name vd address 02:00:00:00:0d:04
$N link set vc up
$N -j link show vc
$N addr add 10.2.2.5/24 metric 10 dev vb
$N -br -4 addr
ip netns del cap-w
