ip netns add cap-pj
ip netns add cap-pk
ip -n cap-pj link add va address 02:00:00:00:01:0a type veth peer name vb address 02:00:00:00:01:0b
ip -n cap-pj link set va up
ip -n cap-pj link set vb up
ip -n cap-pj link set lo up
ip -n cap-pj addr add 10.1.1.1/24 brd + dev va
ip -n cap-pj addr add 10.1.1.2/24 dev va
ip -n cap-pj route add default via 10.1.1.254
ip -n cap-pj route add blackhole 10.9.0.0/16
ip -n cap-pj route add 10.8.0.0/16 via 10.1.1.7 dev va metric 5 onlink
ip -n cap-pj route add 10.7.0.0/16 dev va proto static scope link table 100
ip -n cap-pj neigh add 10.1.1.9 lladdr 02:00:00:00:00:09 dev va
ip -n cap-pj rule add from 10.0.0.0/8 lookup 100
ip -n cap-pj rule add to 192.168.1.1 iif vb unreachable pref 40000
ip -n cap-pj link add h1 index 91 address 02:00:00:00:02:0a type veth peer name eth0 index 3 netns cap-pk address 02:00:00:00:02:0b
ip -n cap-pk link set eth0 up mtu 1450
ip -n cap-pj link set h1 up
ip -n cap-pk addr add 10.2.2.2/32 dev eth0
ip -n cap-pk route add 169.254.1.1 dev eth0 scope link
ip -n cap-pk route add default via 169.254.1.1 dev eth0
sleep 2.5
ip -n cap-pj -j -p route
ip -n cap-pj -j -p route show table all
ip -n cap-pj -j -p route show table 100
ip -n cap-pj -json -pretty route show table 200
ip -n cap-pj -p link show lo
ip -n cap-pj -j -p rule
ip -n cap-pj -j -p neigh
ip -n cap-pj -j -p neigh show dev va
ip -n cap-pj -j -p -4 addr
ip -n cap-pj -j -p link
ip -n cap-pj -j -p addr show va
ip -n cap-pj -j -p route get 10.8.1.1
ip -n cap-pj -j -p route get 10.1.1.1
ip -n cap-pj -j -p -br link
ip -n cap-pj -j -p -br addr
ip -n cap-pk -j -p link
ip -n cap-pk -j -p -4 addr
ip -n cap-pk -j -p addr show eth0
ip -n cap-pk -j -p route get 10.1.1.1
ip -n cap-pk -j -p route show dev eth0
ip netns del cap-pj
ip netns del cap-pk
