ip netns add cap-f
ip -n cap-f link add vx type vxlan id 42 dstport 4789 local 10.1.1.1
bridge -n cap-f fdb add 00:00:00:00:00:00 dev vx dst 10.9.9.1 self permanent
bridge -n cap-f fdb append 00:00:00:00:00:00 dev vx dst 10.9.9.3 self permanent
bridge -n cap-f fdb append 00:00:00:00:00:00 dev vx dst 10.9.9.2 self permanent
bridge -n cap-f fdb add 02:00:00:00:00:12 dev vx dst 10.9.9.300 self permanent
echo "st $?"
bridge -n cap-f fdb add 02:00:00:00:00:12 dev vx dst zz self permanent
echo "st $?"
bridge -n cap-f fdb add 02:00:00:00:00:12 dev vx dst 0x0a.9.9.12 self permanent
echo "st $?"
bridge -n cap-f fdb append 00:00:00:00:00:00 dev vx dst 10.9.9.4 self permanent
bridge -n cap-f fdb append 02:00:00:00:00:13 dev vx dst 10.1.1.124 self permanent
bridge -n cap-f fdb append 02:00:00:00:00:13 dev vx dst 10.1.1.125 self permanent
echo "st $?"
bridge -n cap-f fdb append 01:00:5e:00:00:13 dev vx dst 10.1.1.124 self permanent
bridge -n cap-f fdb append 01:00:5e:00:00:13 dev vx dst 10.1.1.125 self permanent
bridge -n cap-f fdb show dev vx
ip netns del cap-f
