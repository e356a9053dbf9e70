# Overlay egress: traffic from the pod CIDR to anything outside it leaves with the node's
# address (MASQUERADE), and conntrack maps the replies back.
set -e
ip netns exec node-a iptables -t nat -A POSTROUTING -s 10.20.0.0/16 ! -d 10.20.0.0/16 -j MASQUERADE
ip netns exec node-b iptables -t nat -A POSTROUTING -s 10.20.0.0/16 ! -d 10.20.0.0/16 -j MASQUERADE
