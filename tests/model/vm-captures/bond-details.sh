# `ip -d link` of bonds in other modes and of their members (bond_print_opt,
# bond_slave_print_opt), and /proc/net/bonding for active-backup.
ip netns add vb
ip -n vb link add e1 address 02:00:00:00:00:e1 type veth peer name f1 address 02:00:00:00:00:f1
ip -n vb link add e2 address 02:00:00:00:00:e2 type veth peer name f2 address 02:00:00:00:00:f2
ip -n vb link add e3 address 02:00:00:00:00:e3 type veth peer name f3 address 02:00:00:00:00:f3
ip -n vb link add ab type bond mode active-backup miimon 100
ip -n vb link set e1 master ab
ip -n vb link set e2 master ab
ip -n vb link set ab up
ip -n vb link set f1 up
ip -n vb link set f2 up
ip -n vb link add bx type bond mode balance-xor xmit_hash_policy layer2+3
ip -n vb link set e3 master bx
ip -n vb link set bx up
sleep 1
ip -n vb -d link show ab
ip -n vb -d link show e1
ip -n vb -d link show e2
ip -n vb -d link show bx
ip -n vb -d link show e3
ip netns del vb
