ip netns add cap-s
N="ip -n cap-s"
$N link add va address 02:00:00:00:0b:01 type veth peer name vb address 02:00:00:00:0b:02
$N addr add 10.5.0.1/24 dev va
$N addr add 10.5.0.2/24 dev va
$N addr add 10.5.1.1/24 label va:x dev va
$N addr add 10.5.2.1/24 dev va
$N link set va name verylongname12
$N -4 addr show dev verylongname12
$N link set verylongname12 name vv
$N -4 addr show dev vv
$N neigh replace 10.0.0.191 lladdr 2:0:0:0:0:1 dev lo nud incomplete
echo "st $?"
$N neigh show nud all
$N neigh replace 10.0.0.192 dev lo
echo "st $?"
$N neigh add 10.0.0.193 dev vb nud incomplete
$N neigh add 10.0.0.194 lladdr 02:00:00:00:00:01 dev vb nud incomplete
$N neigh replace 10.0.0.194 dev vb nud permanent
echo "st $?"
$N neigh show dev vb 10.0.0.194 nud all
$N neigh add 10.0.0.195 dev vb nud failed
$N neigh show 10.0.0.195 nud all
$N -j neigh show 10.0.0.195 nud all
$N link set vb mtu -1
echo "st $?"
$N link set vb mtu 0x5dc
echo "st $?"
$N link add "a:b" address 02:00:00:00:0b:03 type veth peer name pc address 02:00:00:00:0b:04
echo "st $?"
$N link add pd address 02:00:00:00:0b:05 type veth peer name pe address 02:00:00:00:0b:06
$N link show pd
$N link add pf address 02:00:00:00:0b:07 type veth peer name .. address 02:00:00:00:0b:08
echo "st $?"
$N link add pg address 02:00:00:00:0b:09 type veth peer name ph address 02:00:00:00:0b:0a
$N link show pg
ip netns exec cap-s iptables -t nat -X POSTROUTING
echo "st $?"
ip netns exec cap-s iptables -t nat -X
echo "st $?"
ip netns exec cap-s iptables -t nat -N MYCH
ip netns exec cap-s iptables -t nat -X POSTROUTING
echo "st $?"
ip netns exec cap-s iptables -t nat -A OUTPUT -j RETURN
ip netns exec cap-s iptables -t nat -X OUTPUT
echo "st $?"
ip netns exec cap-s iptables -t nat -F
ip netns exec cap-s iptables -t nat -X OUTPUT
echo "st $?"
ip netns exec cap-s iptables -t nat -D OUTPUT 1
echo "st $?"
ip netns exec cap-s iptables -t nat -D PREROUTING 1
echo "st $?"
ip netns exec cap-s iptables -t nat -A PREROUTING -j RETURN
ip netns exec cap-s iptables -t nat -D PREROUTING 3
echo "st $?"
ip netns exec cap-s iptables -t nat -S
ip netns del cap-s
