# Addresses and routes of the nodes and of the gateway.
set -e

ip -n node-a link set biz up
ip -n node-a addr add 10.186.153.11/24 brd + dev biz
ip -n node-a route add default via 10.186.153.254 dev biz
ip netns exec node-a sysctl -q -w net.ipv4.ip_forward=1

ip -n node-b link set biz up
ip -n node-b addr add 10.186.153.12/24 brd + dev biz
ip -n node-b route add default via 10.186.153.254 dev biz
ip netns exec node-b sysctl -q -w net.ipv4.ip_forward=1

ip -n tor link set gw-biz up
ip -n tor addr add 10.186.153.254/24 brd + dev gw-biz
ip -n tor link set wan0 up
ip -n tor addr add 203.0.113.1/24 brd + dev wan0
ip netns exec tor sysctl -q -w net.ipv4.ip_forward=1

ip -n ext link set eth0 up
ip -n ext addr add 203.0.113.10/24 brd + dev eth0
ip -n ext route add default via 203.0.113.1 dev eth0
