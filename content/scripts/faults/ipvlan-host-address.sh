# Fault: to let node-a reach its underlay pods "directly", someone gave the parent
# biz.101 an address in VLAN 101. Its route now points into biz.101, whose own
# transmissions never reach its ipvlan slaves.
set -e
ip -n node-a addr add 10.186.101.11/24 brd + dev biz.101
