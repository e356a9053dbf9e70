# Three hosts in a row: cap-fa (10.1.0.1) - cap-fr (router) - cap-fb (10.2.0.1-5), and filter
# rules that stop pings to some addresses at each hook: cap-fa OUTPUT, cap-fr FORWARD (also
# through a user chain with RETURN), cap-fr INPUT, cap-fb INPUT (REJECT).
ip netns add cap-fa
ip netns add cap-fr
ip netns add cap-fb
ip -n cap-fa link add eth0 address 02:00:00:0f:00:01 type veth peer name fa0 address 02:00:00:0f:00:02 netns cap-fr
ip -n cap-fb link add eth0 address 02:00:00:0f:00:03 type veth peer name fb0 address 02:00:00:0f:00:04 netns cap-fr
ip -n cap-fa link set lo up
ip -n cap-fr link set lo up
ip -n cap-fb link set lo up
ip -n cap-fa link set eth0 up
ip -n cap-fb link set eth0 up
ip -n cap-fr link set fa0 up
ip -n cap-fr link set fb0 up
ip -n cap-fa addr add 10.1.0.1/24 dev eth0
ip -n cap-fr addr add 10.1.0.254/24 dev fa0
ip -n cap-fr addr add 10.2.0.254/24 dev fb0
ip -n cap-fb addr add 10.2.0.1/24 dev eth0
ip -n cap-fb addr add 10.2.0.2/24 dev eth0
ip -n cap-fb addr add 10.2.0.3/24 dev eth0
ip -n cap-fb addr add 10.2.0.4/24 dev eth0
ip -n cap-fb addr add 10.2.0.5/24 dev eth0
ip -n cap-fa route add default via 10.1.0.254
ip -n cap-fb route add default via 10.2.0.254
ip netns exec cap-fr sysctl -q -w net.ipv4.ip_forward=1
ip netns exec cap-fa iptables -A OUTPUT -d 10.2.0.4 -j DROP
ip netns exec cap-fr iptables -N KUBE-FW
ip netns exec cap-fr iptables -A KUBE-FW -d 10.2.0.5 -j DROP
ip netns exec cap-fr iptables -A KUBE-FW -j RETURN
ip netns exec cap-fr iptables -A FORWARD -j KUBE-FW
ip netns exec cap-fr iptables -A FORWARD -d 10.2.0.2 -j DROP
ip netns exec cap-fr iptables -A INPUT -d 10.2.0.254 -j DROP
ip netns exec cap-fb iptables -A INPUT -d 10.2.0.3 -p icmp -j REJECT
