# ipvlan slaves: operstate UNKNOWN (ipvlan_init never turns the carrier off, so linkwatch
# never computes a state), and their EUI-64 link-local carries the dev_id with the U/L bit
# left as it is (addrconf_ifid_eui48).
ip netns add vi-n
ip netns add vi-p
ip netns exec vi-n sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip netns exec vi-p sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip -n vi-n link add d0 address 02:0a:00:00:99:0b type dummy
ip -n vi-n link set d0 up
ip -n vi-n link add link d0 name v1 type ipvlan mode l2
ip -n vi-n link add link d0 name eth0 netns vi-p type ipvlan mode l2
ip -n vi-n link set v1 up
ip -n vi-p link set eth0 up
ip -n vi-n link show v1
ip -n vi-n addr show v1
ip -n vi-p addr show eth0
ip -n vi-p -d link show eth0
ip netns exec vi-p busybox ip addr show eth0
ip netns del vi-p
ip netns del vi-n
