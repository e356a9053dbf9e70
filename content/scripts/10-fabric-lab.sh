# A stand-in for 10-fabric.sh on machines whose kernel has no bond, OVS or 802.1Q (the
# project's lab, or your laptop): each node's biz is a veth into a Linux bridge in tor
# (gw-biz), which carries the untagged biz network. Run 00, this, 20 and 30 with bash as
# root to build the overlay for real. It substitutes the transport only: outputs that
# depend on it (ip link of biz) are not the production node's.
set -e
ip -n tor link add gw-biz type bridge
ip -n tor link set gw-biz address 02:7f:00:00:99:fe
ip link add biz netns node-a address 02:0a:00:00:99:0b type veth peer name a-biz netns tor address 02:7f:00:00:99:0a
ip link add biz netns node-b address 02:0b:00:00:99:0c type veth peer name b-biz netns tor address 02:7f:00:00:99:0b
ip -n tor link set a-biz master gw-biz
ip -n tor link set b-biz master gw-biz
ip -n tor link set a-biz up
ip -n tor link set b-biz up
ip link add wan0 netns tor address 02:7f:00:00:cb:01 type veth peer name eth0 netns ext address 02:ee:00:00:cb:0a
