# 802.1Q/802.1ad sub-interfaces: the 8021q module's extack texts, iproute2's own refusals,
# 802.1ad devices, and a VLAN device cannot come up while its lower device is down.
ip netns add vq-a
ip netns exec vq-a sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip -n vq-a link add d0 address 02:00:00:00:77:00 type dummy
ip -n vq-a link add vlx type vlan id 5
ip -n vq-a link add link d0 name d0.4095 type vlan id 4095
ip -n vq-a link add link d0 name vl1 type vlan protocol 802.1x id 5
ip -n vq-a link add link nosuch name vly type vlan id 5
ip -n vq-a link add link d0 name vlz type vlan
ip -n vq-a link add link d0 name vlm type vlan id -1
ip -n vq-a link add link d0 name d0.ad address 02:00:00:00:77:01 type vlan protocol 802.1ad id 100
ip -n vq-a link add link d0 name d0.q type vlan protocol 802.1Q id 100
ip -n vq-a link add link d0 name d0.q2 type vlan id 100
ip -n vq-a link add link d0 name d0.ad2 type vlan protocol 802.1ad id 100
ip -n vq-a link set d0.q up
ip -n vq-a -d link show d0.ad
ip netns exec vq-a cat /proc/net/vlan/d0.ad
ip netns exec vq-a cat /proc/net/vlan/config
ip -n vq-a link set d0 up
ip -n vq-a link set d0.ad up
ip -n vq-a link show
ip -n vq-a link set d0 down
ip -n vq-a link show
ip netns del vq-a
