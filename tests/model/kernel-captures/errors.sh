ip netns add cap-e
ip -n cap-e link set nosuch up
ip -n cap-e route add 10.0.0.0/8 via 1.2.3.4
ip -n cap-e route add 10.0.0.0/8 dev nosuch
ip -n cap-e route get 10.0.0.1
ip -n cap-e addr add 1.2.3.4/24 dev nosuch
ip -n cap-e route add 10.0.0.0/33 dev lo
ip -n cap-e route add bogus dev lo
ip -n cap-e link add foo type nosuchtype
ip -n cap-e link add v1 address 02:00:00:00:02:01 type veth peer name v2 address 02:00:00:00:02:02
ip -n cap-e link add v1 type veth peer name v3
ip -n cap-e link set v1 mtu 70000
ip -n cap-e link set v1 mtu 10
ip -n cap-e addr add 10.1.1.1/24 dev v1
ip -n cap-e addr add 10.1.1.1/24 dev v1
ip -n cap-e addr del 10.1.1.9/24 dev v1
ip -n cap-e route add 10.2.0.0/16 via 10.1.1.5
ip -n cap-e link set v1 up
ip -n cap-e route add 10.2.0.0/16 via 10.1.1.5
ip -n cap-e route add 10.2.0.0/16 via 10.1.1.5
ip -n cap-e route del 10.3.0.0/16
ip -n cap-e neigh add 10.1.1.5 lladdr zz dev v1
ip -n cap-e route get 10.1.1.5/24
ip -n cap-e link add vx type vxlan id 5
ip -n cap-e link add vx2 type vxlan id 6 dstport 4789 dev v1
ip -n cap-e link add vx3 type vxlan id 6 dstport 4789 dev v1
ip -n cap-e link show nosuch
ip -n cap-e route frob
ip -n cap-e frob
ip -n cap-e route add 10.20.4.0/24 via 10.20.4.0 dev vx2
ip -n cap-e link set vx2 up
ip -n cap-e route add 10.20.4.0/24 via 10.20.4.0 dev vx2 onlink
ip -n cap-e route add 10.20.4.0/24 via 10.20.4.0 dev vx2
ip -n cap-e route add default via 169.254.1.1 dev v1
ip -n cap-e route add 169.254.1.1 dev v1 scope link
ip -n cap-e route add default via 169.254.1.1 dev v1
ip -n cap-e route
ip netns del cap-e
