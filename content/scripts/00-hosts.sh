# The machines of the cluster, each one a network namespace:
#   node-a, node-b  two Kubernetes nodes
#   tor             the top-of-rack switch and the physical gateway of the underlay
#   ext             a host outside the cluster
# Pods get namespaces of their own in the overlay and underlay scripts.
set -e
ip netns add node-a
ip netns add node-b
ip netns add tor
ip netns add ext
ip -n node-a link set lo up
ip -n node-b link set lo up
ip -n tor link set lo up
ip -n ext link set lo up
