# Fault: the CNI configuration gives pod-9-60 (and its host-side veth) an MTU of 1500,
# while vxlan.2 on biz can carry at most 1500 - 50 = 1450 bytes of inner packet.
set -e
ip -n node-a link set upvx4279f78e5dc mtu 1500
ip -n pod-9-60 link set eth0 mtu 1500
