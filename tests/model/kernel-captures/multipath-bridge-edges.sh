# Bridge fdb on the bridge device itself (its own handler: permanent only), route-level
# linkdown of a multipath route as fib_sync_down_dev leaves it, BusyBox printing one.
ip netns add cap-z
ip -n cap-z link add br0 address 02:00:00:00:07:01 type bridge
ip -n cap-z link add p1 address 02:00:00:00:07:11 type veth peer name q1 address 02:00:00:00:07:21
ip -n cap-z link set p1 master br0
bridge -n cap-z fdb add 02:00:00:00:07:99 dev br0
bridge -n cap-z fdb add 02:00:00:00:07:98 dev br0 static
echo "st $?"
bridge -n cap-z fdb add 02:00:00:00:07:97 dev br0 master
echo "st $?"
bridge -n cap-z fdb show br br0
bridge -n cap-z fdb del 02:00:00:00:07:99 dev br0
bridge -n cap-z fdb del 02:00:00:00:07:99 dev br0
echo "st $?"
bridge -n cap-z fdb show br br0
ip -n cap-z link set p1 up
ip -n cap-z addr add 10.3.3.1/24 dev p1
ip -n cap-z link add wa type veth peer name wb
ip -n cap-z link set wa up
ip -n cap-z link set wb up
ip -n cap-z addr add 10.4.4.1/24 dev wa
ip -n cap-z route add 10.9.0.0/16 nexthop via 10.3.3.2 nexthop via 10.4.4.2
ip -n cap-z route show 10.9.0.0/16
ip -n cap-z link set wb down
ip -n cap-z route show 10.9.0.0/16
ip -n cap-z -j route show 10.9.0.0/16
ip -n cap-z link set wb up
ip -n cap-z route show 10.9.0.0/16
ip -n cap-z link set wa down
ip -n cap-z route show 10.9.0.0/16
ip netns exec cap-z busybox ip route
ip netns del cap-z
