ip netns add cap-r
ip netns add cap-n1
ip netns add cap-n2
ip netns add cap-n3
ip -n cap-r link add cvA address 02:00:00:00:0a:01 netns cap-n2 type veth peer name cvB address 02:00:00:00:0a:02
ip -n cap-r link add cv1 address 02:00:00:00:0a:03 type veth peer name cv2 address 02:00:00:00:0a:04 netns cap-n1
ip -n cap-r link show cvB
ip -n cap-n1 link add v5 address 02:00:00:00:0a:05 type veth peer name v6 address 02:00:00:00:0a:06 netns cap-n3
ip -n cap-n1 link add v7 address 02:00:00:00:0a:07 type veth peer name v8 address 02:00:00:00:0a:08 netns cap-n2
ip -n cap-n1 link show v5
ip -n cap-n1 link show cv2
ip -n cap-n3 link show v6
ip -n cap-n2 link show v8
ip -n cap-n1 link add v9 address 02:00:00:00:0a:09 type veth peer name v10 address 02:00:00:00:0a:0a
ip -n cap-n1 link set v10 netns cap-n2
ip -n cap-n2 link show v10
ip -n cap-n1 link show v9
ip netns del cap-n3
sleep 1
ip -n cap-n1 link show
ip -n cap-r link show cv1
echo "st $?"
ip netns del cap-n1
sleep 1
ip -n cap-r link show cv1
echo "st $?"
ip -n cap-n2 link show
ip -n cap-n2 -j link show v8
echo "st $?"
ip netns del cap-n2
sleep 1
ip -n cap-r link show
ip netns del cap-r
