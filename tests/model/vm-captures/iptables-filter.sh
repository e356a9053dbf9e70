# iptables 1.8.9 (nf_tables) on Linux 6.1: the filter table (issue #15): policies, user chains,
# ACCEPT/DROP/REJECT/RETURN, the listings, deletion messages, and the kernel's refusals.
ip netns add vt
ip netns exec vt iptables -S
ip netns exec vt iptables -L -n
ip netns exec vt iptables-save
ip netns exec vt iptables -A INPUT -s 10.0.0.0/8 -j DROP
ip netns exec vt iptables -A FORWARD -p tcp --dport 22 -j REJECT
ip netns exec vt iptables -A FORWARD -p udp -j REJECT --reject-with icmp-host-prohibited
ip netns exec vt iptables -A OUTPUT -j REJECT --reject-with tcp-reset
ip netns exec vt iptables -A OUTPUT -p tcp -j REJECT --reject-with tcp-reset
ip netns exec vt iptables -A OUTPUT ! -p tcp -j REJECT --reject-with tcp-reset
ip netns exec vt iptables -A INPUT -j REJECT --reject-with foo
ip netns exec vt iptables -A INPUT -j REJECT --reject-with echo
ip netns exec vt iptables -A INPUT -j REJECT --reject-with ICMP-HOST
ip netns exec vt iptables -A INPUT -j REJECT --reject-with net-prohib
ip netns exec vt iptables -N KUBE-FW
ip netns exec vt iptables -A KUBE-FW -j RETURN
ip netns exec vt iptables -I INPUT -j KUBE-FW
ip netns exec vt iptables -A FORWARD -i lo -o lo -j ACCEPT
ip netns exec vt iptables -A INPUT -o lo -j DROP
ip netns exec vt iptables -A INPUT -j NOPE
ip netns exec vt iptables -A INPUT -j DNAT --to-destination 1.2.3.4
ip netns exec vt iptables -P FORWARD DROP
ip netns exec vt iptables -P FORWARD REJECT
ip netns exec vt iptables -P KUBE-FW DROP
ip netns exec vt iptables -N DROP
ip netns exec vt iptables -N INPUT
ip netns exec vt iptables -S
ip netns exec vt iptables -L -n
ip netns exec vt iptables -L -n -v
ip netns exec vt iptables -L -n --line-numbers
ip netns exec vt iptables -L -n -v -x
ip netns exec vt iptables -L
ip netns exec vt iptables -S FORWARD
ip netns exec vt iptables -L INPUT 2 -n
ip netns exec vt iptables -C INPUT -s 10.0.0.0/8 -j DROP
ip netns exec vt iptables -C INPUT -j DROP
ip netns exec vt iptables -D INPUT 9
ip netns exec vt iptables -D INPUT -j ACCEPT
ip netns exec vt iptables -D INPUT -j NOPE
ip netns exec vt iptables -X KUBE-FW
ip netns exec vt iptables -X FORWARD
ip netns exec vt iptables -X INPUT
ip netns exec vt iptables -F INPUT
ip netns exec vt iptables -X INPUT
ip netns exec vt iptables -L INPUT -n
ip netns exec vt iptables -D INPUT 1
ip netns exec vt iptables -D INPUT -j DROP
ip netns exec vt iptables -t nat -A POSTROUTING -s 10.0.0.0/8 -j MASQUERADE
ip netns exec vt iptables -t nat -A INPUT -j REJECT
ip netns exec vt iptables -F
ip netns exec vt iptables -X
ip netns exec vt iptables -S
ip netns exec vt iptables-save
ip netns exec vt iptables-save -c
ip netns exec vt iptables-save -t nat
ip netns exec vt iptables-save -t foo
ip netns exec vt iptables-save nat
ip netns del vt
