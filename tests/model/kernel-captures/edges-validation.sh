ip netns add cap-v
N="ip -n cap-v"
$N link add v1 type veth peer name v2
echo "st $?"
$N link set v1 address 02:00:00:00:0e:01
$N link set v2 address 02:00:00:00:0e:02
$N link set v1 up
$N link set v2 up
$N addr add 10.1.1.1/24 dev v1
$N route add 10.52.1.0/16 dev v1
echo "st $?"
$N route add 0x0a.1.1.0/24 dev v1
echo "st $?"
$N route add 10.1/16 dev v1
echo "st $?"
$N route add 012.3.0.0/16 dev v1
echo "st $?"
$N route add 10.4.0.0/16 via 0x0a.1.1.5
echo "st $?"
$N route add 10.5.0.0/16 via 10.1.1.0x5
echo "st $?"
$N route add 10.6.0.0/16 via 10.1.257
echo "st $?"
$N addr add 0x0b.1.1.1/24 dev v1
echo "st $?"
$N addr add 11.1/24 dev v1
echo "st $?"
$N addr add 1.2.3.4.5/24 dev v1
echo "st $?"
$N addr add 1.2.3.256/24 dev v1
echo "st $?"
$N route get 0x0a.1.1.9
echo "st $?"
$N route get 10.1.1.300
echo "st $?"
$N neigh add 0x0a.1.1.7 lladdr 02:00:00:00:00:07 dev v1
echo "st $?"
$N neigh add 10.1.1.8 dev v1 nud permanent
echo "st $?"
$N neigh add 10.1.1.9 lladdr 02:00:00:00:00:07:08:09 dev v1
echo "st $?"
$N neigh add 10.1.1.10 lladdr zz dev v1
echo "st $?"
$N rule add from 10.161.70.41/8 lookup 100
echo "st $?"
$N rule add from 0x0a.1.1.1/8 lookup 100
echo "st $?"
$N rule
sleep 2
$N route show table 0
echo "st $?"
$N route show table 77
echo "st $?"
$N route add 10.7.0.0/16 dev v1 table 0
echo "st $?"
$N route show table main
$N route add 10.8.0.0/16 dev v1 table foo
echo "st $?"
$N rule add pref foo lookup 100
echo "st $?"
$N link set v1 txqueuelen -1
$N link show v1
echo "st $?"
$N link set v1 address 02:00:00:00:00:07:08:09
echo "st $?"
$N link set v1 address zz
echo "st $?"
$N link add dev foo dev frobnicate type dummy
echo "st $?"
$N link set dev v1 dev frobnicate
echo "st $?"
$N link add 0123456789abcdef type veth peer name x
echo "st $?"
$N link add a1 type veth peer name 0123456789abcdef
echo "st $?"
$N link add a/b type veth peer name x
echo "st $?"
$N link add "a b" type veth peer name x
echo "st $?"
$N link add . type veth peer name x
echo "st $?"
$N link add .. type veth peer name x
echo "st $?"
$N link add "" type veth peer name x
echo "st $?"
$N link add a2 type veth peer name "a/c"
echo "st $?"
$N link add a3 type veth peer name ".."
echo "st $?"
$N link add 012345678901234 type veth peer name x15
echo "st $?"
ip netns exec cap-v sysctl -w net.ipv4.ip_local_port_range="40000 30000"
echo "st $?"
ip netns exec cap-v sysctl -w net.ipv4.ip_forward=99999999999
echo "st $?"
ip netns exec cap-v sysctl -w net.ipv4.ip_forward=2147483648
echo "st $?"
ip netns exec cap-v sysctl -w net.ipv4.ip_forward=2147483647
echo "st $?"
ip netns exec cap-v sysctl -w net.ipv4.conf.all.rp_filter=4294967296
echo "st $?"
ip netns exec cap-v sysctl -w net.ipv4.ip_local_port_range="1 70000"
echo "st $?"
ip netns exec cap-v sysctl -w net.ipv4.ip_local_port_range="0 1000"
echo "st $?"
ip netns exec cap-v sysctl net.ipv4.ip_local_port_range
ip netns exec cap-v sysctl -w "net.ipv4.ip_local_port_range=1000 2000"
echo "st $?"
ip netns exec cap-v sysctl -w "net.ipv4.ip_local_port_range=1024 1024"
echo "st $?"
ip netns exec cap-v sysctl -w "net.ipv4.ip_local_port_range=2000 65535"
echo "st $?"
ip netns exec cap-v sysctl -w "net.ipv4.ip_local_port_range=3000"
echo "st $?"
ip netns exec cap-v sysctl -w "net.ipv4.conf.all.rp_filter=0x2"
echo "st $?"
ip netns exec cap-v sysctl -w "net.ipv4.conf.all.rp_filter=010"
echo "st $?"
ip netns exec cap-v sysctl -w "net.ipv4.conf.all.rp_filter=08"
echo "st $?"
ip netns exec cap-v sysctl -w "net.ipv4.conf.all.rp_filter=-2147483648"
echo "st $?"
ip netns exec cap-v sysctl -w "net.ipv4.conf.all.rp_filter=-2147483649"
echo "st $?"
ip netns exec cap-v sysctl -w "net.ipv4.conf.all.rp_filter=+3"
echo "st $?"
ip netns exec cap-v sysctl -w "net.ipv4.conf.all.rp_filter=3 4"
echo "st $?"
ip netns exec cap-v sysctl -w "net.ipv4.conf.all.rp_filter=7x"
echo "st $?"
ip netns exec cap-v sysctl net.ipv4.ip_local_port_range net.ipv4.conf.all.rp_filter
$N neigh add 10.1.1.20 lladdr 2:0:0:0:0:1 dev v1
echo "st $?"
$N neigh add 10.1.1.21 lladdr 02-00-00-00-00-01 dev v1
echo "st $?"
$N neigh add 10.1.1.22 lladdr "0x2:0:0:0:0:3" dev v1
echo "st $?"
$N neigh add 10.1.1.23 lladdr 2g:0:0:0:0:5 dev v1
echo "st $?"
$N neigh add 10.1.1.24 lladdr 02:zz:00:00:00:01 dev v1
echo "st $?"
$N neigh add 10.1.1.25 lladdr 1.2.3.4 dev v1
echo "st $?"
$N neigh add 10.1.1.26 lladdr 100:0:0:0:0:1 dev v1
echo "st $?"
$N neigh add 10.1.1.27 lladdr "" dev v1
echo "st $?"
$N neigh add 10.1.1.28 dev v1 nud noarp
echo "st $?"
$N neigh add 10.1.1.28 dev v1 nud noarp
echo "st $?"
$N neigh add 10.1.1.29 dev v1 nud failed
echo "st $?"
$N neigh replace 10.1.1.29 dev v1 nud permanent
echo "st $?"
$N neigh add 10.1.1.30 lladdr 02:00:00:00:00:30 dev v1 nud foo
echo "st $?"
$N neigh show 10.1.1.20
$N neigh show 10.1.1.28 nud all
$N neigh show 10.1.1.29 nud all
$N neigh show 10.1.1.300
echo "st $?"
ip
echo "st $?"
ip netns del cap-nosuch
echo "st $?"
ip netns add cap-v2
ip netns add cap-v2
echo "st $?"
ip netns del cap-v2
ip -n cap-v link add v1 type veth peer name v2
echo "st $?"
$N route add 10.60.0.0/16 dev v1 table 08
echo "st $?"
$N route add 10.60.0.0/16 dev v1 table 010 metric 0x10 proto 0x10
$N route show table 8
$N route show proto 08
echo "st $?"
$N route get 10.1.1.5 mark 0x
echo "st $?"
$N rule add pref 08 lookup 100
echo "st $?"
$N neigh add 0xc0.0xa8.0x2.0x03 lladdr 100:0:0:0:0:1 dev v1 nud foo
echo "st $?"
$N neigh add 10.1.1.40 lladdr 100:0:0:0:0:1 dev nosuch
echo "st $?"
$N neigh add 10.1.1.41 lladdr null dev v1 nud failed
echo "st $?"
sleep 2
$N route show table all type unicast
$N -j route show table all type unicast
$N route show table all type multicast
ip netns exec cap-v iptables -t nat -D POSTROUTING 9
echo "st $?"
ip netns exec cap-v iptables -t nat -A POSTROUTING -o v1 -j MASQUERADE
ip netns exec cap-v iptables -t nat -D POSTROUTING 9
echo "st $?"
ip netns add cap-v3
ip -n cap-v3 route del 100.64.1.200/0x10
echo "st $?"
ip -n cap-v3 route del 100.64.0.0/0x10
echo "st $?"
ip netns del cap-v3
ip netns del cap-v
