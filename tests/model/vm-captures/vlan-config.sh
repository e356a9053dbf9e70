# /proc/net/vlan/config (8021q loaded): in every namespace, listing the namespace's own VLAN
# devices, names padded to 15.
ip netns add vv-a
ip netns add vv-b
ip -n vv-a link add d0 address 02:00:00:00:00:d0 type dummy
ip -n vv-a link add link d0 name d0.101 type vlan id 101
ip -n vv-a link add link d0 name verylongname.7 type vlan id 7
ip netns exec vv-a cat /proc/net/vlan/config
ip netns exec vv-b cat /proc/net/vlan/config
ip netns del vv-a
ip netns del vv-b
