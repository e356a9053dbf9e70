ip netns add cap-j
ip netns add cap-k
ip -n cap-j link add va address 02:00:00:00:01:0a type veth peer name vb address 02:00:00:00:01:0b
ip -n cap-j link set va up
ip -n cap-j link set vb up
ip -n cap-j link set lo up
ip -n cap-j addr add 10.1.1.1/24 brd + dev va
ip -n cap-j addr add 10.1.1.2/24 dev va
ip -n cap-j route add default via 10.1.1.254
ip -n cap-j route add blackhole 10.9.0.0/16
ip -n cap-j route add 10.8.0.0/16 via 10.1.1.7 dev va metric 5 onlink
ip -n cap-j route add 10.7.0.0/16 dev va proto static scope link table 100
ip -n cap-j neigh add 10.1.1.9 lladdr 02:00:00:00:00:09 dev va
ip -n cap-j rule add from 10.0.0.0/8 lookup 100
ip -n cap-j rule add to 192.168.1.1 iif vb unreachable pref 40000
ip -n cap-j rule add iif nosuch oif gone lookup 100 pref 41000
ip -n cap-j link add h1 index 91 address 02:00:00:00:02:0a type veth peer name eth0 index 3 netns cap-k address 02:00:00:00:02:0b
ip -n cap-k link set eth0 up mtu 1450
ip -n cap-j link set h1 up
ip -n cap-k addr add 10.2.2.2/32 dev eth0
ip -n cap-k route add 169.254.1.1 dev eth0 scope link
ip -n cap-k route add default via 169.254.1.1 dev eth0
sleep 2.5
ip -n cap-j -j route
ip -n cap-j -j route show table all
ip -n cap-j -j route show table 100
ip -n cap-j -j rule
ip -n cap-j -j neigh
ip -n cap-j -j neigh show dev va
ip -n cap-j -j -4 addr
ip -n cap-j -j link
ip -n cap-j -j addr show va
ip -n cap-j -j route get 10.8.1.1
ip -n cap-j -j route get 10.1.1.1
ip -n cap-j -j -br link
ip -n cap-j -j -br addr
ip -n cap-k -j link
ip -n cap-k -j -4 addr
ip -n cap-k -j addr show eth0
ip -n cap-k -j route get 10.1.1.1
ip -n cap-k -j route show dev eth0
ip netns del cap-j
ip netns del cap-k
