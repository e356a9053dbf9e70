# Macvlan modes on one lower device (p1 in cap-mh, wired to the outside host cap-mx).
# Run by the model as is, and by macvlan-traffic.sh on the kernel before its pings.
ip netns add cap-mh
ip netns add cap-mx
ip netns add cap-ma
ip netns add cap-mb
ip netns add cap-mc
ip netns add cap-md
ip netns add cap-me
ip -n cap-mh link add p1 address 02:00:00:00:01:01 type veth peer name q1 address 02:00:00:00:01:02 netns cap-mx
ip -n cap-mh link set p1 up
ip -n cap-mx addr add 10.9.0.100/24 dev q1
ip -n cap-mx link set q1 up
ip -n cap-mh link add mva link p1 address 02:00:00:00:0a:01 netns cap-ma type macvlan mode bridge
ip -n cap-mh link add mvb link p1 address 02:00:00:00:0a:02 netns cap-mb type macvlan mode bridge
ip -n cap-mh link add mvc link p1 address 02:00:00:00:0a:03 netns cap-mc type macvlan mode private
ip -n cap-mh link add mvd link p1 address 02:00:00:00:0a:04 netns cap-md type macvlan mode private
ip -n cap-mh link add mve link p1 address 02:00:00:00:0a:05 netns cap-me type macvlan mode vepa
ip -n cap-ma addr add 10.9.0.1/24 dev mva
ip -n cap-ma link set mva up
ip -n cap-mb addr add 10.9.0.2/24 dev mvb
ip -n cap-mb link set mvb up
ip -n cap-mc addr add 10.9.0.3/24 dev mvc
ip -n cap-mc link set mvc up
ip -n cap-md addr add 10.9.0.4/24 dev mvd
ip -n cap-md link set mvd up
ip -n cap-me addr add 10.9.0.5/24 dev mve
ip -n cap-me link set mve up
