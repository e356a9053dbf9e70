# dummy: iproute2 has no parser for it (what follows `type dummy` is not read), MTU
# errors, and a device below IPV6_MIN_MTU has no inet6 device (no addrgenmode).
ip netns add du-a
ip -n du-a link add dm0 address 02:00:00:00:dd:00 type dummy
ip -n du-a link add dmx type dummy mode l2
ip -n du-a link add dmy type dummy id 5
ip -n du-a link add dmz type dummy mtu
ip -n du-a link set dm0 mtu big
ip -n du-a link set dm0 mtu 67
ip -n du-a link set dm0 mtu 70000
ip -n du-a link set dm0 mtu 68
ip -n du-a -d link show dm0
ip -n du-a link set dm0 mtu 1500
ip -n du-a -d link show dm0
ip -n du-a link set dmx address 02:00:00:00:dd:09
ip -n du-a link show dmx
ip netns del du-a
