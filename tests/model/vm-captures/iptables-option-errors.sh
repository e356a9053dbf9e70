# xtables_option_parse for the targets (MARK, MASQUERADE, SNAT, DNAT, REJECT are x6 extensions
# in iptables 1.8.9): an option given twice, or inverted, is refused with xtables' own words.
ip netns add tg
ip netns exec tg iptables -t nat -A POSTROUTING -j MARK --set-mark 1 --set-mark 2
ip netns exec tg iptables -t nat -A POSTROUTING -j MARK --or-mark 1 --or-mark 2
ip netns exec tg iptables -t nat -A POSTROUTING -j MARK ! --set-mark 1
ip netns exec tg iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE --to-ports 1000 --to-ports 2000
ip netns exec tg iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE ! --to-ports 1000
ip netns exec tg iptables -t nat -A POSTROUTING -j MASQUERADE --random --random
ip netns exec tg iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4 --to-source 1.2.3.5
ip netns exec tg iptables -t nat -A POSTROUTING -j SNAT ! --to-source 1.2.3.4
ip netns exec tg iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4 --random --random
ip netns exec tg iptables -t nat -A PREROUTING -j DNAT --to-destination 1.2.3.4 --to-destination 1.2.3.5
ip netns exec tg iptables -A INPUT -j REJECT --reject-with tcp-reset --reject-with port-unreach
ip netns exec tg iptables -A INPUT -j REJECT ! --reject-with port-unreach
ip netns exec tg iptables -t nat -S
ip netns exec tg iptables -S INPUT
ip netns del tg
