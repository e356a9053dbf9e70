ip netns add cap-x
ip -n cap-x link add d1 address 02:00:00:00:03:01 type veth peer name d2 address 02:00:00:00:03:02
ip -n cap-x link set d1 up
ip -n cap-x link set d2 up
ip -n cap-x link set lo up
sleep 2.5
ip -n cap-x addr add 10.0.0.1/24 brd + dev d1
ip -n cap-x addr add 10.0.0.2/24 dev d1
ip -n cap-x addr add 10.5.0.1/16 dev d1
ip -n cap-x addr add 192.168.7.1/32 dev d2
ip -n cap-x addr add 172.16.0.1/30 dev d2
ip -n cap-x addr add 10.200.0.1/24 dev d2 noprefixroute
ip -n cap-x addr add 10.201.0.1/24 dev d2 scope link
ip -n cap-x -4 addr
ip -n cap-x -br addr
ip -n cap-x -br link
ip -n cap-x route show table all
ip -n cap-x rule add from 10.0.0.0/8 lookup 100
ip -n cap-x rule add to 192.168.0.0/16 lookup 200 pref 500
ip -n cap-x rule add iif d2 blackhole
ip -n cap-x rule add fwmark 0x10 lookup 300
ip -n cap-x rule add not from 172.16.0.0/12 unreachable pref 40000
ip -n cap-x rule
ip -n cap-x route add default via 10.0.0.254 table 100
ip -n cap-x route add 192.168.0.0/16 via 172.16.0.2 table 200
ip -n cap-x route get 8.8.8.8
ip -n cap-x route get 8.8.8.8 from 10.0.0.2
ip -n cap-x route get 192.168.9.9
ip -n cap-x route get 8.8.8.8 mark 0x10
ip -n cap-x route get 172.16.0.2 from 172.16.0.1
ip -n cap-x rule del from 10.0.0.0/8 lookup 100
ip -n cap-x rule
ip -n cap-x addr del 10.0.0.1/24 dev d1
ip -n cap-x -4 addr show d1
ip -n cap-x route show table all
ip netns del cap-x
