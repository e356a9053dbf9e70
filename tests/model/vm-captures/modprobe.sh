# kmod's modprobe: modules load machine-wide; net.ipv4.vs.* exists in every namespace only
# once ip_vs is loaded (by modprobe or by ipvsadm), and goes with it.
modprobe -r ip_vs
ip netns add vk
ip netns exec vk sysctl net.ipv4.vs.conntrack
ip netns exec vk sysctl -q -w net.ipv4.vs.conntrack=1
modprobe nosuchmod
modprobe
modprobe -q nosuchmod
modprobe -r nosuchmod
ip netns exec vk modprobe ip_vs
ip netns exec vk sysctl net.ipv4.vs.conntrack
ip netns add vk2
ip netns exec vk2 sysctl -w net.ipv4.vs.conntrack=1
ip netns exec vk sysctl net.ipv4.vs.conntrack
modprobe ip-vs
modprobe -r ip_vs
ip netns exec vk sysctl net.ipv4.vs.conntrack
ip netns exec vk ipvsadm -Ln
ip netns exec vk2 sysctl net.ipv4.vs.conntrack
ip netns del vk
ip netns del vk2
