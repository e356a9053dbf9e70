# nf_tables refuses a jump that makes a loop reachable from a base chain, and a jump whose
# target already leads into a loop (walked over the rules already there), with EMLINK ("Too
# many links") in both cases; a loop among chains no base chain reaches, closed by the rule
# being added, is accepted; a jump to a base chain is EOPNOTSUPP (6.1, vm-fuzz seed 4 config 16).
ip netns add l1
ip netns exec l1 iptables -N X
ip netns exec l1 iptables -A X -j X
ip netns exec l1 iptables -A FORWARD -j X
ip netns exec l1 iptables -S
ip netns add l2
ip netns exec l2 iptables -N A
ip netns exec l2 iptables -N B
ip netns exec l2 iptables -A A -j B
ip netns exec l2 iptables -A FORWARD -j A
ip netns exec l2 iptables -A B -j A
ip netns add l3
ip netns exec l3 iptables -N A
ip netns exec l3 iptables -N B
ip netns exec l3 iptables -N C
ip netns exec l3 iptables -A A -j B
ip netns exec l3 iptables -A B -j A
ip netns exec l3 iptables -A C -j A
ip netns exec l3 iptables -A FORWARD -j C
ip netns exec l3 iptables -A FORWARD -j FORWARD
ip netns exec l3 iptables -S
ip netns add l4
ip netns exec l4 iptables -t nat -N A
ip netns exec l4 iptables -t nat -A A -j A
ip netns exec l4 iptables -t nat -A PREROUTING -j A
ip netns exec l4 iptables -t nat -I A -s 10.8.0.0/16 -j A
ip netns exec l4 iptables -t nat -S
ip netns del l1
ip netns del l2
ip netns del l3
ip netns del l4
