# 802.3ad without a partner (members whose far end speaks no LACP): the bond's LACP system
# is set when the first member joins (zeros before), a bond that is down has no active
# aggregator, and a member with no LACPDU uses the default partner (defaulted).
ip netns add bl-a
ip -n bl-a link add bond0 address 02:00:00:00:aa:00 type bond mode 802.3ad miimon 100
ip -n bl-a link add dm0 address 02:00:00:00:aa:01 type dummy
ip -n bl-a link add dm1 address 02:00:00:00:aa:02 type dummy
ip netns exec bl-a cat /proc/net/bonding/bond0
ip -n bl-a link set dm1 master bond0
ip -n bl-a link set dm0 master bond0
ip netns exec bl-a cat /proc/net/bonding/bond0
ip -n bl-a -d link show bond0
ip -n bl-a link set bond0 up
sleep 1
ip netns exec bl-a cat /proc/net/bonding/bond0
ip -n bl-a -d link show
ip -n bl-a link add bond1 address 02:00:00:00:aa:10 type bond mode 802.3ad lacp_rate fast
ip -n bl-a link add dm2 address 02:00:00:00:aa:11 type dummy
ip -n bl-a link set dm2 master bond1
ip -n bl-a link set bond1 up
sleep 1
ip netns exec bl-a cat /proc/net/bonding/bond1
ip -n bl-a -d link show bond1
ip netns del bl-a
