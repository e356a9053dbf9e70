# /proc/net/vlan/<dev> prints the VLAN's dev->priv_flags; its IFF_XMIT_DST_RELEASE (0x20) is
# the lower device's (vlan_transfer_features): a bond has it only once its features were
# computed with a member, a bridge, vxlan, ipvlan and macvlan clear it (6.1, vm-fuzz seed 3
# configs 1, 43).
ip netns add vp
ip -n vp link add dm0 address 02:00:00:00:70:00 type dummy
ip -n vp link add link dm0 name dm0.5 type vlan id 5
ip -n vp link add link dm0.5 name dm0.5.6 type vlan id 6
ip -n vp link add bond0 address 02:00:00:00:70:01 type bond mode active-backup miimon 100
ip -n vp link add link bond0 name bond0.7 type vlan protocol 802.1ad id 7
ip -n vp link add bond1 address 02:00:00:00:70:02 type bond mode 802.3ad
ip -n vp link add dm1 address 02:00:00:00:70:03 type dummy
ip -n vp link set dm1 master bond1
ip -n vp link add link bond1 name bond1.8 type vlan id 8
ip -n vp link add br0 address 02:00:00:00:70:04 type bridge
ip -n vp link add link br0 name br0.9 type vlan id 9
ip -n vp link add vx0 address 02:00:00:00:70:05 type vxlan id 5 dstport 4789
ip -n vp link add link vx0 name vx0.10 type vlan id 10
ip -n vp link add link dm0 name ipv0 type ipvlan mode l2
ip -n vp link add link ipv0 name ipv0.11 type vlan id 11
ip -n vp link add ve0 address 02:00:00:00:70:06 type veth peer name ve1 address 02:00:00:00:70:07
ip -n vp link add link ve0 name ve0.12 type vlan id 12
ip -n vp link set dm1 nomaster
ip -n vp link add link bond1 name bond1.13 type vlan id 13
ip netns exec vp cat /proc/net/vlan/dm0.5
ip netns exec vp cat /proc/net/vlan/dm0.5.6
ip netns exec vp cat /proc/net/vlan/bond0.7
ip netns exec vp cat /proc/net/vlan/bond1.8
ip netns exec vp cat /proc/net/vlan/bond1.13
ip netns exec vp cat /proc/net/vlan/br0.9
ip netns exec vp cat /proc/net/vlan/vx0.10
ip netns exec vp cat /proc/net/vlan/ve0.12
ip netns del vp
