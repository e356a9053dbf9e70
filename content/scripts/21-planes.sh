# The control (ctl, VLAN 20) and management (mgm, VLAN 10) planes: model only, since
# they ride OVS access ports.
set -e
ip -n node-a link set ctl up
ip -n node-a addr add 10.186.20.11/24 brd + dev ctl
ip -n node-a link set mgm up
ip -n node-a addr add 10.186.10.11/24 brd + dev mgm
ip -n node-b link set ctl up
ip -n node-b addr add 10.186.20.12/24 brd + dev ctl
ip -n node-b link set mgm up
ip -n node-b addr add 10.186.10.12/24 brd + dev mgm
ip -n tor link set gw-ctl up
ip -n tor addr add 10.186.20.254/24 brd + dev gw-ctl
ip -n tor link set gw-mgm up
ip -n tor addr add 10.186.10.254/24 brd + dev gw-mgm
