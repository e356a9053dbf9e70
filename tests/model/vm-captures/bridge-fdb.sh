ip netns add cap-bf
ip -n cap-bf link add br0 address 02:00:00:00:04:01 type bridge
ip -n cap-bf link add p1 address 02:00:00:00:04:11 type veth peer name q1 address 02:00:00:00:04:21
ip -n cap-bf link add p2 address 02:00:00:00:04:12 type veth peer name q2 address 02:00:00:00:04:22
bridge -n cap-bf fdb show br br0
ip -n cap-bf link set p1 master br0
ip -n cap-bf link set p2 master br0
bridge -n cap-bf fdb show
bridge -n cap-bf fdb show br br0
bridge -n cap-bf fdb show dev p1
bridge -n cap-bf fdb show br br0 dev p2
ip -n cap-bf link set br0 up
ip -n cap-bf link set p1 up
bridge -n cap-bf fdb show br br0
bridge -n cap-bf fdb add 02:00:00:00:04:99 dev p1
bridge -n cap-bf fdb add 02:00:00:00:04:98 dev p1 master static
bridge -n cap-bf fdb add 02:00:00:00:04:97 dev p2 master dynamic
bridge -n cap-bf fdb add 02:00:00:00:04:96 dev p2 self permanent
bridge -n cap-bf fdb add 02:00:00:00:04:99 dev p1
echo "st $?"
bridge -n cap-bf fdb show br br0
bridge -n cap-bf fdb replace 02:00:00:00:04:99 dev p2 master static
bridge -n cap-bf fdb del 02:00:00:00:04:98 dev p1 master
bridge -n cap-bf fdb del 02:00:00:00:04:98 dev p1 master
echo "st $?"
bridge -n cap-bf fdb del 02:00:00:00:04:96 dev p2 self
bridge -n cap-bf fdb show br br0
bridge -n cap-bf fdb show dev br0
bridge -n cap-bf -j fdb show dev p2
ip -n cap-bf link set p1 nomaster
bridge -n cap-bf fdb show br br0
bridge -n cap-bf fdb show br nosuch
echo "st $?"
bridge -n cap-bf fdb show br p2
echo "st $?"
ip netns del cap-bf
