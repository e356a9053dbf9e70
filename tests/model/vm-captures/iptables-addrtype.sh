# libxt_addrtype (revision 1) in the nat table: type lists, prefixes and case, inversion,
# the parser's errors, and how -S, -L and iptables-save print the match (iptables 1.8.9);
# an option given twice, or inverted where it cannot be, in any match extension.
ip netns add at
ip netns exec at iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j RETURN
ip netns exec at iptables -t nat -A OUTPUT -m addrtype ! --dst-type LOCAL -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -m addrtype --src-type LOCAL,UNICAST --dst-type broadcast -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -m addrtype --src-type loc -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -m addrtype ! --src-type MULTICAST ! --dst-type UNSPEC,XRESOLVE -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -m addrtype --dst-type U -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -m addrtype --dst-type BLACKHOLE,UNREACHABLE,PROHIBIT,THROW,NAT,ANYCAST -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -m addrtype -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -m addrtype --dst-type FOO -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -m addrtype --dst-type LOCAL,FOO -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -m addrtype --dst-type FOO,LOCAL -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -m addrtype --dst-type , -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -m addrtype --dst-type LOCAL, -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -m addrtype --dst-type LOCALS -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -m addrtype --dst-type LOCAL --dst-type UNICAST -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -m addrtype --dst-type -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -p tcp --dport 80 --dport 81 -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -p udp -m udp --sport 53 --sport 54 -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -m mark --mark 1 --mark 2 -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -m comment --comment a --comment b -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -m comment ! --comment a -j RETURN
ip netns exec at iptables -t nat -A POSTROUTING -p icmp --icmp-type 8 --icmp-type 0 -j RETURN
ip netns exec at iptables -t nat -S
ip netns exec at iptables -t nat -L -n
ip netns exec at iptables -t nat -L POSTROUTING
ip netns exec at iptables -t nat -D POSTROUTING -m addrtype --src-type LOCAL -j RETURN
ip netns exec at iptables -t nat -S POSTROUTING
ip netns del at
