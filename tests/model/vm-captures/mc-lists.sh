# Multicast address lists as `bridge fdb show` dumps them (ndo_dflt_fdb_dump: each device's
# unicast then multicast list, in the order entries were added): IPv6 all-nodes at
# registration, IPv4 all-hosts at up, solicited-node with each address, what down/up does
# to them, the MVRP/GVRP group of a device's first 802.1Q upper, and what a bond syncs to
# its members (before and after it is up).
ip netns add vm-m
ip netns exec vm-m sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip -n vm-m link add d0 address 02:00:00:00:00:d0 type dummy
ip -n vm-m link add d1 address 02:00:00:00:00:d1 type dummy
ip -n vm-m link add link d1 name d1.5 type vlan id 5
ip -n vm-m link set d1 up
ip -n vm-m link set d0 up
ip -n vm-m link show d1.5
bridge -n vm-m fdb show
ip -n vm-m link set d0 down
bridge -n vm-m fdb show dev d0
ip -n vm-m link set d0 up
bridge -n vm-m fdb show dev d0
ip -n vm-m link set d1.5 up
bridge -n vm-m fdb show
ip -n vm-m link del d1.5
bridge -n vm-m fdb show dev d1
ip -n vm-m link add e1 address 02:00:00:00:00:e1 type veth peer name f1 address 02:00:00:00:00:f1
ip -n vm-m link add e2 address 02:00:00:00:00:e2 type veth peer name f2 address 02:00:00:00:00:f2
ip -n vm-m link set e1 up
ip -n vm-m link set f1 up
sleep 0.5
bridge -n vm-m fdb show dev e1
ip -n vm-m link set e1 down
ip -n vm-m link set e1 up
sleep 0.5
bridge -n vm-m fdb show dev e1
ip -n vm-m link set e1 down
ip -n vm-m link set f1 down
ip -n vm-m link add bond0 type bond mode balance-xor
ip -n vm-m link set bond0 up
ip -n vm-m link set f1 up
ip -n vm-m link set e1 master bond0
sleep 1
bridge -n vm-m fdb show dev e1
bridge -n vm-m fdb show dev bond0
ip -n vm-m link set e1 nomaster
ip -n vm-m link show e1
bridge -n vm-m fdb show dev e1
ip -n vm-m link add bond1 type bond mode 802.3ad
ip -n vm-m link set e2 master bond1
ip -n vm-m link set bond1 up
ip -n vm-m link set f2 up
sleep 1
bridge -n vm-m fdb show dev e2
ip netns del vm-m
