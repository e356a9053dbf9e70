ip netns add cap-r
ip -n cap-r link add va address 02:00:00:00:01:0a type veth peer name vb address 02:00:00:00:01:0b
ip -n cap-r link set va up
sleep 2.5
ip -n cap-r link show va
ip -n cap-r addr add 10.1.1.1/24 dev va
ip -n cap-r route show table all
ip -n cap-r link set vb up
sleep 2.5
ip -n cap-r -4 route show table all
ip -n cap-r route add 10.9.0.0/16 via 10.1.1.7
ip -n cap-r route add 10.8.0.0/16 via 10.1.1.7 metric 100
ip -n cap-r route add 10.8.0.0/16 via 10.1.1.8 metric 50
ip -n cap-r route append 10.8.0.0/16 via 10.1.1.9 metric 50
ip -n cap-r route prepend 10.8.0.0/16 via 10.1.1.10 metric 50
ip -n cap-r route add blackhole 10.7.0.0/16
ip -n cap-r route add unreachable 10.6.0.0/16
ip -n cap-r route add prohibit 10.5.0.0/16
ip -n cap-r route add 10.4.0.0/16 dev va proto static
ip -n cap-r route add 10.3.0.0/16 via 10.1.1.7 table 100
ip -n cap-r route
ip -n cap-r route show table 100
ip -n cap-r route show table all
ip -n cap-r route show dev va
ip -n cap-r route show proto kernel
ip -n cap-r route show root 10.8.0.0/15
ip -n cap-r route show match 10.8.1.1
ip -n cap-r route show 10.8.0.0/16
ip -n cap-r route get 10.8.1.1
ip -n cap-r route get 10.7.1.1
ip -n cap-r route get 10.6.1.1
ip -n cap-r route get 10.5.1.1
ip -n cap-r route get 10.1.1.1
ip -n cap-r route get 10.1.1.255
ip -n cap-r route get 127.0.0.1
ip -n cap-r route get 10.1.1.5 from 10.1.1.1
ip -n cap-r route get 10.1.1.5 from 10.1.1.2
ip -n cap-r route get 10.1.1.5 from 10.1.1.9 iif vb
ip netns exec cap-r sysctl -w net.ipv4.ip_forward=1
ip -n cap-r route get 10.1.1.5 from 10.1.1.9 iif vb
ip -n cap-r route get 10.9.1.1 from 10.1.1.9 iif vb
ip -n cap-r route get 10.99.1.1 from 10.1.1.9 iif vb
ip -n cap-r route get 10.99.1.1 oif va
ip -n cap-r route get fibmatch 10.8.3.4
ip -n cap-r route del 10.8.0.0/16
ip -n cap-r route show 10.8.0.0/16
ip -n cap-r route del 10.8.0.0/16 via 10.1.1.9
ip -n cap-r route show 10.8.0.0/16
ip -n cap-r route replace 10.8.0.0/16 via 10.1.1.20 metric 100
ip -n cap-r route show 10.8.0.0/16
ip -n cap-r route change 10.77.0.0/16 via 10.1.1.20
ip -n cap-r link set va down
ip -n cap-r route show table all
ip -n cap-r -4 addr
ip -n cap-r route get 10.1.1.5
ip -n cap-r link set va up
sleep 2.5
ip -n cap-r -4 route show table all
ip -n cap-r route show table all
ip netns del cap-r
