# iptables 1.8.9 (nf_tables) on Linux 6.1: libxt_NAT's --to-destination/--to-source/--to-ports
# parsing (inet_pton addresses, port ranges and their messages), and -D on a chain that does
# not exist in the kernel yet.
ip netns add vn
ip netns exec vn iptables -t nat -D POSTROUTING 1
ip netns exec vn iptables -t nat -D POSTROUTING -j MASQUERADE
ip netns exec vn iptables -t nat -D NOPE -j ACCEPT
ip netns exec vn iptables -t nat -D NOPE 1
ip netns exec vn iptables -t nat -A PREROUTING -j DNAT --to-destination 1.2.3
ip netns exec vn iptables -t nat -A PREROUTING -j DNAT --to-destination 1.2.3.4:80
ip netns exec vn iptables -t nat -A PREROUTING -p icmp -j DNAT --to-destination 1.2.3.4:80
ip netns exec vn iptables -t nat -A PREROUTING ! -p tcp -j DNAT --to-destination 1.2.3.4:80
ip netns exec vn iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:80:90
ip netns exec vn iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:80x
ip netns exec vn iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:80-70
ip netns exec vn iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:http
ip netns exec vn iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 01.2.3.4
ip netns exec vn iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4-1.2.3.9
ip netns exec vn iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4-1.2
ip netns exec vn iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination :80
ip netns exec vn iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination ab:80
ip netns exec vn iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination '[1.2.3.4]:80'
ip netns exec vn iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE --to-ports 1000-2000x
ip netns exec vn iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE --to-ports 1000:2000
ip netns exec vn iptables -t nat -A POSTROUTING -j MASQUERADE --to-ports 1000
ip netns exec vn iptables -t nat -A POSTROUTING -p udp -j SNAT --to-source 10.0.0.1:1000-2000 --random-fully
ip netns exec vn iptables -t nat -D POSTROUTING 5
ip netns exec vn iptables -t nat -S
ip netns exec vn iptables -t nat -L -n
ip netns del vn
