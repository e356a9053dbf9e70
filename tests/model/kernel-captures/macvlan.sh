ip netns add cap-m
ip -n cap-m link add p1 address 02:00:00:00:00:11 type veth peer name q1 address 02:00:00:00:00:21
ip -n cap-m link add mv0 link p1 address 02:00:00:00:00:a0 type macvlan mode bridge
ip -n cap-m link add mv1 link p1 address 02:00:00:00:00:a1 type macvlan mode private
ip -n cap-m link add mv2 link p1 address 02:00:00:00:00:a2 type macvlan mode vepa
ip -n cap-m link add mv3 link p1 address 02:00:00:00:00:a3 type macvlan
ip -n cap-m link show
ip -n cap-m -d link show mv0
ip -n cap-m -d link show mv1
ip -n cap-m -d link show mv2
ip -n cap-m -d link show mv3
ip -n cap-m -j link show mv0
ip -n cap-m -j -d link show mv0
ip -n cap-m -j -d link show p1
ip -n cap-m -br link show
ip -n cap-m link set p1 up
ip -n cap-m link set mv0 up
ip -n cap-m link show mv0
ip -n cap-m link set q1 up
ip -n cap-m link show mv0
ip -n cap-m link add mv4 link p1 type macvlan mode passthru
ip -n cap-m link add mv6 link p1 type macvlan mode nope
ip -n cap-m link add mv7 type macvlan mode bridge
ip -n cap-m link set mv0 mtu 1600
ip -n cap-m link set mv0 mtu 1400
ip -n cap-m link show mv0
ip -n cap-m link add p2 address 02:00:00:00:00:12 type veth peer name q2 address 02:00:00:00:00:22
ip -n cap-m link add mv8 link p2 address 02:00:00:00:00:a8 type macvlan mode passthru
ip -n cap-m -d link show mv8
ip -n cap-m -d link show p2
ip -n cap-m link add mv9 link p2 type macvlan mode passthru
ip -n cap-m link add mv10 link p2 type macvlan mode bridge
ip netns add cap-m2
ip -n cap-m link add mv11 link p1 address 02:00:00:00:00:b1 netns cap-m2 type macvlan mode bridge
ip -n cap-m2 link show
ip -n cap-m2 -j -d link show
ip -n cap-m link del p1
ip -n cap-m link show
ip -n cap-m2 link show
ip netns del cap-m2
ip netns del cap-m
