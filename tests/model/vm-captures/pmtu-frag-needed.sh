# A router whose next hop has a smaller MTU than the sender's link: a DF echo over it brings
# back ICMP "fragmentation needed", which leaves a path MTU exception in the sender (ping's
# -M do / want / dont, -q; `ip route get` and `ip route show cache` with the exception; flush
# cache, a device MTU change and a deleted route; min_pmtu's lock). At the end the router
# tracks connections: the dropped echo leaves no entry there (ip_forward drops it before
# conntrack confirms it), and the ICMP error passes untranslated.
ip netns add pc
ip netns add pr
ip netns add ps
ip -n pc link add eth0 address 02:00:00:00:51:01 type veth peer name c0 address 02:00:00:00:51:02 netns pr
ip -n pr link add s0 address 02:00:00:00:51:03 type veth peer name eth0 address 02:00:00:00:51:04 netns ps
ip -n pr link set s0 mtu 1450
ip -n ps link set eth0 mtu 1450
ip -n pc addr add 10.51.1.2/24 dev eth0
ip -n pr addr add 10.51.1.1/24 dev c0
ip -n pr addr add 10.51.2.1/24 dev s0
ip -n ps addr add 10.51.2.2/24 dev eth0
ip -n pc link set eth0 up
ip -n pr link set c0 up
ip -n pr link set s0 up
ip -n ps link set eth0 up
ip -n pc route add default via 10.51.1.1
ip -n ps route add default via 10.51.2.1
ip netns exec pr sysctl -w net.ipv4.ip_forward=1
ip netns exec pc ping -c 1 10.51.2.2
ip -n pc route get 10.51.2.2
ip netns exec pc ip route show cache
ip netns exec pc ping -c 2 -M do -s 1472 10.51.2.2
ip -n pc route get 10.51.2.2
ip -n pc route get 10.51.2.2 from 10.51.1.2
ip -n pc -j route get 10.51.2.2
ip -n pc route show cache
ip -n pr route show cache
ip -n pr route get 10.51.2.2 from 10.51.1.2 iif c0
ip netns exec pc ping -c 2 -s 1472 10.51.2.2
ip netns exec pc ping -c 1 -M dont -s 1472 10.51.2.2
ip netns exec pc ping -c 1 -q -M do -s 1472 10.51.2.2
ip netns exec pc ping -c 1 -M do -s 1422 10.51.2.2
ip -n pc route flush cache
ip -n pc route get 10.51.2.2
ip netns exec pc ping -c 1 -q -M do -s 1472 10.51.2.2
ip -n pc route get 10.51.2.2
ip -n pc link set eth0 mtu 1480
ip -n pc route get 10.51.2.2
ip -n pc link set eth0 mtu 1400
ip -n pc route get 10.51.2.2
ip -n pc link set eth0 mtu 1500
ip -n pc route get 10.51.2.2
ip netns exec pc ping -c 1 -M do -s 1500 10.51.2.2
ip -n pc route del default
ip -n pc route add default via 10.51.1.1
ip -n pc route get 10.51.2.2
ip netns exec pc ping -c 1 -s 1472 10.51.2.2
ip -n pc route get 10.51.2.2
ip netns exec pc sysctl net.ipv4.route.mtu_expires
ip netns exec pc sysctl -w net.ipv4.route.mtu_expires=100
ip -n pc route flush cache
ip -n pr link set s0 mtu 500
ip -n ps link set eth0 mtu 500
ip netns exec pc ping -c 2 -M do -s 1000 10.51.2.2
ip -n pc route get 10.51.2.2
ip -n pc route show cache
ip -n pc link set eth0 mtu 540
ip -n pc route get 10.51.2.2
ip netns exec pr iptables -t nat -A POSTROUTING -s 10.51.1.0/24 -o s0 -j MASQUERADE
ip -n pr link set s0 mtu 1450
ip -n ps link set eth0 mtu 1450
ip -n pc link set eth0 mtu 1500
ip -n pc route flush cache
ip netns exec pr conntrack -F
ip netns exec pc ping -c 1 -M do -s 1472 10.51.2.2
ip netns exec pr conntrack -C
ip netns exec pc ping -c 1 10.51.2.2
ip netns exec pr conntrack -C
ip netns del pc
ip netns del pr
ip netns del ps
