# ipvlan: the port's mode is shared by all its slaves (the last one created sets it, and
# l3/l3s turns NOARP on for the others), the flags bridge/private/vepa, the MAC always the
# lower device's, carrier copied from the lower device (a dummy has it even down).
ip netns add iv-a
ip netns add iv-b
ip netns exec iv-a sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip netns exec iv-b sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip -n iv-a link add d0 address 02:00:00:00:66:00 type dummy
ip -n iv-a link add e0 address 02:00:00:00:66:01 type veth peer name p0 address 02:00:00:00:66:02
ip -n iv-a link add link d0 name iv0 type ipvlan mode l2 private
ip -n iv-a link add link d0 name iv1 address 02:00:00:00:66:09 type ipvlan mode l3 vepa
ip -n iv-a link add link e0 name iv2 type ipvlan mode l3s
ip -n iv-a link add link e0 name iv3 type ipvlan mode l2 bridge private
ip -n iv-a link add iv4 type ipvlan mode l2
ip -n iv-a link add link iv0 name iv5 type ipvlan mode l2
ip -n iv-a link add link d0 name iv6 type ipvlan mode l4
ip -n iv-a link add link d0 name iv7 type ipvlan mode l2 foo
ip -n iv-a link set iv0 up
ip -n iv-a link set iv2 up
ip -n iv-a -d link show
ip -n iv-a link set e0 up
ip -n iv-a link set p0 up
sleep 1
ip -n iv-a link show
ip -n iv-a link set iv2 netns iv-b
ip -n iv-b link set iv2 up
sleep 1
ip -n iv-b -d link show
ip -n iv-a link set d0 address 02:00:00:00:66:0a
ip -n iv-a link show
ip netns del iv-b
ip netns del iv-a
