ip netns add cap-m
ip -n cap-m link add va address 02:00:00:00:03:0a type veth peer name vb address 02:00:00:00:03:0b
ip -n cap-m link add wa address 02:00:00:00:03:1a type veth peer name wb address 02:00:00:00:03:1b
ip -n cap-m link set va up
ip -n cap-m link set vb up
ip -n cap-m link set wa up
ip -n cap-m link set wb up
ip -n cap-m addr add 10.1.1.1/24 dev va
ip -n cap-m addr add 10.2.2.1/24 dev wa
ip -n cap-m route add 10.9.0.0/16 nexthop via 10.1.1.7 dev va weight 1 nexthop via 10.2.2.7 dev wa weight 3
ip -n cap-m route add 10.8.0.0/16 nexthop via 10.1.1.8 nexthop via 10.2.2.8
ip -n cap-m route add 10.7.0.0/16 proto static metric 20 nexthop via 10.1.1.9 dev va onlink nexthop dev wa
ip -n cap-m route add 10.6.0.0/16 table 100 nexthop via 10.1.1.6 weight 256 nexthop via 10.2.2.6 weight 2
ip -n cap-m route add 10.5.0.0/16 nexthop via 10.1.1.5 weight 1
ip -n cap-m route
ip -n cap-m route show table 100
ip -n cap-m -d route show 10.9.0.0/16
ip -n cap-m -j route show 10.9.0.0/16
ip -n cap-m -j -p route show 10.7.0.0/16
ip -n cap-m -o route show 10.8.0.0/16
ip -n cap-m route show via 10.2.2.7
ip -n cap-m route show dev wa
ip -n cap-m route add 10.4.0.0/16 nexthop via 10.3.3.3
echo "st $?"
ip -n cap-m route add 10.4.0.0/16 nexthop via 10.1.1.4 weight 0
echo "st $?"
ip -n cap-m route add 10.4.0.0/16 nexthop via 10.1.1.4 weight 257
echo "st $?"
ip -n cap-m route add 10.4.0.0/16 nexthop via 10.1.1.4 dev nosuch
echo "st $?"
ip -n cap-m route add 10.4.0.0/16 nexthop via 10.1.1.4 frob 1
echo "st $?"
ip -n cap-m route add 10.4.0.0/16 nexthop
echo "st $?"
ip -n cap-m route add 10.4.0.0/16 nexthop via 10.1.1.4 nexthop via 10.1.1.4
echo "st $?"
ip -n cap-m route add 10.4.0.0/16 via 10.1.1.4 nexthop via 10.2.2.4
echo "st $?"
ip -n cap-m route add 10.9.0.0/16 nexthop via 10.1.1.7 dev va nexthop via 10.2.2.7 dev wa
echo "st $?"
ip -n cap-m route append 10.9.0.0/16 nexthop via 10.1.1.17 nexthop via 10.2.2.17
echo "st $?"
ip -n cap-m route replace 10.8.0.0/16 nexthop via 10.2.2.18 nexthop via 10.1.1.18 weight 5
echo "st $?"
ip -n cap-m route show 10.8.0.0/16
ip -n cap-m route show 10.9.0.0/16
ip -n cap-m route del 10.9.0.0/16 nexthop via 10.1.1.17 nexthop via 10.2.2.17
echo "st $?"
ip -n cap-m route show 10.9.0.0/16
ip -n cap-m route get 10.5.1.1
ip -n cap-m route get 10.9.1.1 oif wa
ip -n cap-m route get 10.9.1.1 oif va
ip -n cap-m -j route get 10.7.1.1 oif va
ip -n cap-m link set wa down
ip -n cap-m route show 10.9.0.0/16
ip -n cap-m route get 10.9.1.1
ip -n cap-m route get 10.9.200.3
ip -n cap-m -j route show 10.9.0.0/16
ip -n cap-m link set wa up
ip -n cap-m route show 10.9.0.0/16
ip -n cap-m route del 10.9.0.0/16
ip -n cap-m route del 10.8.0.0/16
ip -n cap-m route
ip netns del cap-m
