# Members of a balance-alb bond keep their own MACs (bond_alb_init_slave puts perm_hwaddr
# back; the bond takes the first member's), unlike balance-xor, where each member takes the
# bond's; a VLAN with a MAC of its own on the xor bond makes its member promiscuous (the
# bond syncs its unicast list to the member, a dummy filters none).
ip netns add ba
ip -n ba link add bond0 type bond mode balance-alb miimon 100
ip -n ba link add dm0 address 02:00:00:00:aa:00 type dummy
ip -n ba link add dm1 address 02:00:00:00:aa:01 type dummy
ip -n ba link add dm2 address 02:00:00:00:aa:02 type dummy
ip -n ba link set dm0 master bond0
ip -n ba link set dm1 master bond0
ip -n ba link set dm2 master bond0
ip -n ba -br link
ip -n ba link add bond1 address 02:00:00:00:bb:00 type bond mode balance-xor miimon 100
ip -n ba link add dm3 address 02:00:00:00:bb:01 type dummy
ip -n ba link set dm3 master bond1
ip -n ba link set bond1 up
ip -n ba link add link bond1 name bond1.30 address 02:00:00:00:bb:04 type vlan protocol 802.1ad id 30
ip -n ba link set bond1.30 up
ip -n ba -d link show dm3
ip netns del ba
