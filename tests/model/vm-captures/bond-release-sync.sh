# Deleting a bond releases its members as `nomaster` would: each is closed and gets its own
# MAC back (bond_uninit); a balance-tlb bond keeps every member ACTIVE; an active-backup bond
# syncs a VLAN's own MAC to its active member only, which turns promiscuous (dummy has no
# unicast filter) (6.1, vm-fuzz seed 2 configs 54, 78, 79, 97).
ip netns add br
ip -n br link add bond0 address 02:00:00:00:4f:00 type bond mode balance-xor miimon 100
ip -n br link add dm0 address 02:00:00:00:4f:01 type dummy
ip -n br link set dm0 master bond0
ip -n br link del bond0
ip -n br link show dm0
ip -n br link add bond1 type bond mode balance-tlb miimon 1000 xmit_hash_policy vlan+srcmac
ip -n br link add dm1 address 02:00:00:00:4e:01 type dummy
ip -n br link add dm2 address 02:00:00:00:4e:02 type dummy
ip -n br link set dm1 master bond1
ip -n br link set dm2 master bond1
ip -n br -d link show dm2
ip -n br link add bond2 address 02:00:00:00:61:00 type bond mode active-backup miimon 100
ip -n br link add dm3 address 02:00:00:00:61:01 type dummy
ip -n br link add dm4 address 02:00:00:00:61:02 type dummy
ip -n br link set dm3 master bond2
ip -n br link set dm4 master bond2
ip -n br link set bond2 up
ip -n br link add link bond2 name bond2.1553 address 02:00:00:00:61:03 type vlan id 1553
ip -n br link set bond2.1553 up
sleep 1
ip -n br -d link show dm3
ip -n br -d link show dm4
ip -n br link add br0 type bridge
ip -n br link add dm5 address 02:00:00:00:62:05 type dummy
ip -n br link set dm5 master br0
ip -n br link set dm5 up
ip -n br link del br0
ip -n br -d link show dm5
ip netns del br
