# Bond options (iproute2 iplink_bond.c, bond_options.c bond_opt_check_deps): an option the
# mode does not support, one that needs a bond without members or down, parse errors, a
# bond enslaved to itself, a bond moved to another namespace (NETIF_F_NETNS_LOCAL), the
# default miimon of the modes without ARP monitoring, members listed in enslave order.
ip netns add bo-a
ip netns add bo-b
ip netns exec bo-a sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip -n bo-a link add bond0 address 02:00:00:00:bb:00 type bond mode active-backup lacp_rate fast
ip -n bo-a link add bond0 address 02:00:00:00:bb:00 type bond mode nope
ip -n bo-a link add bond0 address 02:00:00:00:bb:00 type bond mode 7
ip -n bo-a link add bond0 address 02:00:00:00:bb:00 type bond miimon -1
ip -n bo-a link add bond0 address 02:00:00:00:bb:00 type bond xmit_hash_policy l4
ip -n bo-a link add bond0 address 02:00:00:00:bb:00 type bond speed 10
ip -n bo-a link add bond0 address 02:00:00:00:bb:00 type bond mode balance-alb min_links 2 xmit_hash_policy 1
ip -n bo-a -d link show bond0
ip -n bo-a link add dm0 address 02:00:00:00:bb:01 type dummy
ip -n bo-a link add dm1 address 02:00:00:00:bb:02 type dummy
ip -n bo-a link set bond0 master bond0
ip -n bo-a link set dm1 master bond0
ip -n bo-a link set dm0 master bond0
ip -n bo-a link set bond0 type bond mode broadcast
ip -n bo-a link set bond0 type bond lacp_rate slow
ip -n bo-a link set bond0 type bond miimon 200 xmit_hash_policy layer2+3
ip -n bo-a link set bond0 type bond mode foo
ip -n bo-a link set dm0 type bond miimon 100
ip -n bo-a link set nosuch master bond0
ip -n bo-a link set dm0 master nosuch
ip -n bo-a link set bond0 up
ip -n bo-a link set bond0 master bond0
ip netns exec bo-a cat /proc/net/bonding/bond0
ip -n bo-a link set bond0 netns bo-b
ip -n bo-a link set dm0 nomaster
ip -n bo-a link set dm1 nomaster
ip -n bo-a link set bond0 down
ip -n bo-a link set bond0 type bond mode 802.3ad
ip -n bo-a link set bond0 address 02:00:00:00:bb:0f
ip -n bo-a -d link show bond0
ip netns exec bo-a cat /proc/net/bonding/bond1
ip netns del bo-b
ip netns del bo-a
