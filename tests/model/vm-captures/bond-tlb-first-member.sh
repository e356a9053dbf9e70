# The first member of a balance-tlb/alb bond becomes the active one and takes the bond's MAC,
# also when the bond's address was set by the user and the bond is down; later members keep
# their own; when the active member leaves, the next one takes the bond's MAC (6.1, vm-fuzz
# seed 1 config 54, seed 2 config 78). A member without link under miimon is not made active.
ip netns add bt
ip -n bt link add bond0 address 02:00:00:00:36:00 type bond mode balance-tlb xmit_hash_policy encap2+3
ip -n bt link add dm0 address 02:00:00:00:36:01 type dummy
ip -n bt link add dm1 address 02:00:00:00:36:02 type dummy
ip -n bt link set dm0 master bond0
ip -n bt link set dm1 master bond0
ip -n bt -br link
ip -n bt link add bond1 address 02:00:00:00:37:00 type bond mode balance-alb
ip -n bt link set bond1 up
ip -n bt link add dm2 address 02:00:00:00:37:01 type dummy
ip -n bt link add dm3 address 02:00:00:00:37:02 type dummy
ip -n bt link set dm2 master bond1
ip -n bt link set dm3 master bond1
ip -n bt -br link show master bond1
# The active member leaves: the next one takes the bond's MAC (vm-fuzz seed 2 config 78).
ip -n bt link set dm0 nomaster
ip -n bt -br link show master bond0
ip -n bt link set dm2 nomaster
ip -n bt -br link show master bond1
ip -n bt -br link show dm2
# Under miimon a member without carrier (a veth whose peer is down) cannot become the active
# one: it keeps its own MAC; the next member with link becomes active and takes the bond's
# (vm-fuzz seed 5 configs 60, 84).
ip -n bt link add bond2 address 02:00:00:00:38:00 type bond mode balance-alb miimon 1000
ip -n bt link add va0 address 02:00:00:00:38:01 type veth peer name vb0 address 02:00:00:00:38:02
ip -n bt link add dm4 address 02:00:00:00:38:03 type dummy
ip -n bt link set va0 master bond2
ip -n bt -br link show master bond2
ip -n bt link set dm4 master bond2
ip -n bt -br link show master bond2
ip netns del bt
