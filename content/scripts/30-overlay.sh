# The overlay (VXLAN VNI 2): the flannel-style VTEP on each node, and the overlay pods.
# Each pod is a namespace joined to its node by a veth pair: the pod keeps a /32 and a
# default route to 169.254.1.1; the node answers ARP for it by proxy and routes the /32
# back into the veth.
set -e

# node-a: VTEP 10.20.9.0 for its pod subnet 10.20.9.0/24.
ip -n node-a link add vxlan.2 type vxlan id 2 dstport 4789 dev biz local 10.186.153.11 nolearning
ip -n node-a link set vxlan.2 address 4a:2d:0c:51:9e:0a
ip -n node-a link set vxlan.2 up
ip -n node-a addr add 10.20.9.0/32 dev vxlan.2
# node-b: VTEP 10.20.4.0 for 10.20.4.0/24.
ip -n node-b link add vxlan.2 type vxlan id 2 dstport 4789 dev biz local 10.186.153.12 nolearning
ip -n node-b link set vxlan.2 address 4a:2d:0c:51:9e:0b
ip -n node-b link set vxlan.2 up
ip -n node-b addr add 10.20.4.0/32 dev vxlan.2

# Each node learns the other's subnet: route, permanent neighbour, FDB entry.
ip -n node-a route add 10.20.4.0/24 via 10.20.4.0 dev vxlan.2 onlink
ip -n node-a neigh add 10.20.4.0 lladdr 4a:2d:0c:51:9e:0b dev vxlan.2 nud permanent
bridge -n node-a fdb append 4a:2d:0c:51:9e:0b dev vxlan.2 dst 10.186.153.12 self permanent
ip -n node-b route add 10.20.9.0/24 via 10.20.9.0 dev vxlan.2 onlink
ip -n node-b neigh add 10.20.9.0 lladdr 4a:2d:0c:51:9e:0a dev vxlan.2 nud permanent
bridge -n node-b fdb append 4a:2d:0c:51:9e:0a dev vxlan.2 dst 10.186.153.11 self permanent

# pod-9-41: 10.20.9.41 behind upvx59cca7c21fa on node-a
ip netns add pod-9-41
ip -n pod-9-41 link set lo up
ip -n node-a link add upvx59cca7c21fa address ee:5a:01:9c:c7:41 mtu 1450 type veth peer name eth0 index 3 netns pod-9-41
ip -n pod-9-41 link set eth0 address be:21:07:5f:3a:41 mtu 1450 txqueuelen 0
ip -n pod-9-41 link set eth0 up
ip -n pod-9-41 addr add 10.20.9.41/32 dev eth0
ip -n pod-9-41 route add 169.254.1.1 dev eth0 scope link
ip -n pod-9-41 route add default via 169.254.1.1 dev eth0
ip -n node-a link set upvx59cca7c21fa up
ip netns exec node-a sysctl -q -w net.ipv4.conf.upvx59cca7c21fa.proxy_arp=1
ip -n node-a route add 10.20.9.41 dev upvx59cca7c21fa scope link

# pod-9-60: 10.20.9.60 behind upvx4279f78e5dc on node-a
ip netns add pod-9-60
ip -n pod-9-60 link set lo up
ip -n node-a link add upvx4279f78e5dc index 91 address ee:5a:01:9c:c7:60 mtu 1450 type veth peer name eth0 index 3 netns pod-9-60
ip -n pod-9-60 link set eth0 address 3e:7c:ce:7d:a4:88 mtu 1450 txqueuelen 0
ip -n pod-9-60 link set eth0 up
ip -n pod-9-60 addr add 10.20.9.60/32 dev eth0
ip -n pod-9-60 route add 169.254.1.1 dev eth0 scope link
ip -n pod-9-60 route add default via 169.254.1.1 dev eth0
ip -n node-a link set upvx4279f78e5dc up
ip netns exec node-a sysctl -q -w net.ipv4.conf.upvx4279f78e5dc.proxy_arp=1
ip -n node-a route add 10.20.9.60 dev upvx4279f78e5dc scope link

# pod-9-72: 10.20.9.72 behind upvx9e4d48a9851 on node-a
ip netns add pod-9-72
ip -n pod-9-72 link set lo up
ip -n node-a link add upvx9e4d48a9851 address ee:5a:01:9c:c7:72 mtu 1450 type veth peer name eth0 index 3 netns pod-9-72
ip -n pod-9-72 link set eth0 address 9a:4e:1d:28:b0:72 mtu 1450 txqueuelen 0
ip -n pod-9-72 link set eth0 up
ip -n pod-9-72 addr add 10.20.9.72/32 dev eth0
ip -n pod-9-72 route add 169.254.1.1 dev eth0 scope link
ip -n pod-9-72 route add default via 169.254.1.1 dev eth0
ip -n node-a link set upvx9e4d48a9851 up
ip netns exec node-a sysctl -q -w net.ipv4.conf.upvx9e4d48a9851.proxy_arp=1
ip -n node-a route add 10.20.9.72 dev upvx9e4d48a9851 scope link

# pod-9-73: 10.20.9.73 behind upvxa892bdffd39 on node-a
ip netns add pod-9-73
ip -n pod-9-73 link set lo up
ip -n node-a link add upvxa892bdffd39 address ee:5a:01:9c:c7:73 mtu 1450 type veth peer name eth0 index 3 netns pod-9-73
ip -n pod-9-73 link set eth0 address d2:0f:66:e1:43:73 mtu 1450 txqueuelen 0
ip -n pod-9-73 link set eth0 up
ip -n pod-9-73 addr add 10.20.9.73/32 dev eth0
ip -n pod-9-73 route add 169.254.1.1 dev eth0 scope link
ip -n pod-9-73 route add default via 169.254.1.1 dev eth0
ip -n node-a link set upvxa892bdffd39 up
ip netns exec node-a sysctl -q -w net.ipv4.conf.upvxa892bdffd39.proxy_arp=1
ip -n node-a route add 10.20.9.73 dev upvxa892bdffd39 scope link

# pod-9-74: 10.20.9.74 behind upvx7c566f2b768 on node-a
ip netns add pod-9-74
ip -n pod-9-74 link set lo up
ip -n node-a link add upvx7c566f2b768 address ee:5a:01:9c:c7:74 mtu 1450 type veth peer name eth0 index 3 netns pod-9-74
ip -n pod-9-74 link set eth0 address 5a:91:c3:0e:7d:74 mtu 1450 txqueuelen 0
ip -n pod-9-74 link set eth0 up
ip -n pod-9-74 addr add 10.20.9.74/32 dev eth0
ip -n pod-9-74 route add 169.254.1.1 dev eth0 scope link
ip -n pod-9-74 route add default via 169.254.1.1 dev eth0
ip -n node-a link set upvx7c566f2b768 up
ip netns exec node-a sysctl -q -w net.ipv4.conf.upvx7c566f2b768.proxy_arp=1
ip -n node-a route add 10.20.9.74 dev upvx7c566f2b768 scope link

# pod-4-5: 10.20.4.5 behind upvx6d1e0b7a2f3 on node-b
ip netns add pod-4-5
ip -n pod-4-5 link set lo up
ip -n node-b link add upvx6d1e0b7a2f3 address ee:5a:02:4b:00:05 mtu 1450 type veth peer name eth0 index 3 netns pod-4-5
ip -n pod-4-5 link set eth0 address 76:3c:a9:12:e8:05 mtu 1450 txqueuelen 0
ip -n pod-4-5 link set eth0 up
ip -n pod-4-5 addr add 10.20.4.5/32 dev eth0
ip -n pod-4-5 route add 169.254.1.1 dev eth0 scope link
ip -n pod-4-5 route add default via 169.254.1.1 dev eth0
ip -n node-b link set upvx6d1e0b7a2f3 up
ip netns exec node-b sysctl -q -w net.ipv4.conf.upvx6d1e0b7a2f3.proxy_arp=1
ip -n node-b route add 10.20.4.5 dev upvx6d1e0b7a2f3 scope link
