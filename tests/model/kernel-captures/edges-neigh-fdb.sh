ip netns add cap-q
N="ip -n cap-q"
$N link add va address 02:00:00:00:0c:01 type veth peer name vb address 02:00:00:00:0c:02
$N neigh add 10.0.0.11 dev vb
echo "st $?"
$N neigh replace 10.0.0.13 dev vb nud stale
echo "st $?"
$N neigh add 224.1.2.3 dev vb
$N neigh show 10.0.0.11 dev vb
$N neigh show 10.0.0.13 dev vb
$N neigh show 224.1.2.3 dev vb
$N addr add 10.0.0.1/24 dev va
$N neigh add 10.0.0.20 dev va
echo "st $?"
$N neigh add 10.0.0.255 dev va
echo "st $?"
$N neigh show 10.0.0.255 dev va
$N route add 10.9.0.0/16 dev va tos 08
echo "st $?"
$N route add 10.9.0.0/16 dev va tos 10
echo "st $?"
$N route add 10.9.0.0/16 dev va tos 0x100
echo "st $?"
$N route add 10.9.0.0/16 dev va tos zz
echo "st $?"
$N link set va up
$N route show table all type unicast
$N rule add tos 08 lookup 100
$N rule
$N link add vx0 address 02:00:00:00:0c:03 type vxlan id 100 dstport 4789
bridge -n cap-q fdb replace 00:00:00:00:00:00 dev vx0 dst 10.1.1.1 self permanent
echo "st $?"
bridge -n cap-q fdb replace 01:00:5e:00:00:01 dev vx0 dst 10.1.1.1 self permanent
echo "st $?"
bridge -n cap-q fdb replace 02:00:00:00:00:12 dev vx0 dst 10.1.1.1 self permanent
echo "st $?"
bridge -n cap-q fdb append 00:00:00:00:00:00 dev vx0 dst 10.1.1.2 self permanent
bridge -n cap-q fdb append 00:00:00:00:00:00 dev vx0 dst 10.1.1.3 self permanent
bridge -n cap-q fdb replace 00:00:00:00:00:00 dev vx0 dst 10.1.1.4 self permanent
bridge -n cap-q fdb replace 00:00:00:00:00:00 dev vx0 dst 10.1.1.3 self permanent
bridge -n cap-q fdb replace 02:00:00:00:00:12 dev vx0 dst 10.1.1.5 self permanent
bridge -n cap-q fdb del 02:00:00:00:00:12 dev vx0 dst 10.1.1.9 self permanent
echo "st $?"
bridge -n cap-q fdb del 02:00:00:00:00:13 dev vx0 dst 10.1.1.9 self permanent
echo "st $?"
bridge -n cap-q fdb show dev vx0
ip netns add cap-l
ip -n cap-l neigh add 10.0.0.1 lladdr 02:00:00:00:00:01 dev lo
ip -n cap-l neigh add 10.0.0.2 dev lo
echo "st $?"
ip -n cap-l neigh show nud all
ip -n cap-l neigh replace 10.0.0.3 lladdr 02:00:00:00:00:03 dev lo nud incomplete
ip -n cap-l neigh show nud all
ip -n cap-l neigh replace 10.0.0.4 dev lo nud stale
echo "st $?"
ip -n cap-l neigh del 10.0.0.4 dev lo
echo "st $?"
ip -n cap-l neigh change 10.0.0.4 dev lo nud stale
echo "st $?"
ip -n cap-l neigh del 0.0.0.0 dev lo
echo "st $?"
ip -n cap-l neigh show nud all
ip netns del cap-l
ip netns del cap-q
