# Without link monitoring (miimon 0) an active-backup bond takes a member without carrier (a
# veth whose peer is down) as its active one, in /proc/net/bonding as in `ip -d link`
# (6.1, vm-fuzz seed 3 config 54).
ip netns add ab
ip -n ab link add bond0 address 02:00:00:00:36:00 type bond mode active-backup xmit_hash_policy encap3+4
ip -n ab link add eth0 address 02:00:00:00:36:01 type veth peer name peer0 address 02:00:00:00:36:02
ip -n ab link set eth0 master bond0
ip netns exec ab cat /proc/net/bonding/bond0
ip -n ab -d link show bond0
ip netns del ab
