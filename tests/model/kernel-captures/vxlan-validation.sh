ip netns add cap-vx
ip -n cap-vx link add va type veth peer name vb
ip -n cap-vx link add vx0 address 02:00:00:00:06:00 type vxlan id 16777215 dstport 4789
echo "st $?"
ip -n cap-vx link add vx1 address 02:00:00:00:06:01 type vxlan id 16777216 dstport 4789
echo "st $?"
ip -n cap-vx link add vx1 address 02:00:00:00:06:01 type vxlan id -1 dstport 4789
echo "st $?"
ip -n cap-vx link add vx1 address 02:00:00:00:06:01 type vxlan id abc dstport 4789
echo "st $?"
ip -n cap-vx link add vx1 address 02:00:00:00:06:01 type vxlan id 0 dstport 4790
echo "st $?"
ip -n cap-vx link add vx2 address 02:00:00:00:06:02 type vxlan id 7 dstport 65536
echo "st $?"
ip -n cap-vx link add vx2 address 02:00:00:00:06:02 type vxlan id 7 dstport 65535
echo "st $?"
ip -n cap-vx link add vx3 address 02:00:00:00:06:03 type vxlan id 8 dstport x
echo "st $?"
ip -n cap-vx link add vx3 address 02:00:00:00:06:03 type vxlan id 8 dstport 4789 local 10.0.0.300
echo "st $?"
ip -n cap-vx link add vx3 address 02:00:00:00:06:03 type vxlan id 8 dstport 4789 local zz
echo "st $?"
ip -n cap-vx link add vx3 address 02:00:00:00:06:03 type vxlan id 8 dstport 4789 remote 1.2.3
echo "st $?"
ip -n cap-vx link add vx3 address 02:00:00:00:06:03 type vxlan id 8 dstport 4789 remote 224.1.1.1
echo "st $?"
ip -n cap-vx link add vx3 address 02:00:00:00:06:03 type vxlan id 8 dstport 4789 group 10.1.1.1
echo "st $?"
ip -n cap-vx link add vx3 address 02:00:00:00:06:03 type vxlan id 8 dstport 4789 group 239.1.1.1
echo "st $?"
ip -n cap-vx link add vx3 address 02:00:00:00:06:03 type vxlan id 8 dstport 4789 group 239.1.1.1 dev va
echo "st $?"
ip -n cap-vx link add vx4 address 02:00:00:00:06:04 type vxlan id 9 dstport 4789 local 224.0.0.5
echo "st $?"
ip -n cap-vx link add vx4 address 02:00:00:00:06:04 type vxlan id 9 dstport 4789 local 0x0a.1.1.1
echo "st $?"
ip -n cap-vx link add vx5 address 02:00:00:00:06:05 type vxlan id 10 dstport 4789 remote 10.2.2.2 group 239.1.1.2
echo "st $?"
ip -n cap-vx link add vx5 address 02:00:00:00:06:05 type vxlan id 10 dstport 4789 remote 10.2.2.2 local 10.2.2.1 dev va
echo "st $?"
ip -n cap-vx link add vx6 address 02:00:00:00:06:06 type vxlan dstport 4789
echo "st $?"
ip -n cap-vx link add vx6 address 02:00:00:00:06:06 type vxlan id 11 dstport 4789 ttl 256
echo "st $?"
ip -n cap-vx link add vx6 address 02:00:00:00:06:06 type vxlan id 11 dstport 4789 dev nosuch
echo "st $?"
ip -n cap-vx link add vx6 address 02:00:00:00:06:06 type vxlan id 11 id 12 dstport 4789
echo "st $?"
ip -n cap-vx -d link show vx0
ip -n cap-vx -d link show vx1
ip -n cap-vx -d link show vx3
ip -n cap-vx -d link show vx4
ip -n cap-vx -d link show vx5
ip netns del cap-vx
