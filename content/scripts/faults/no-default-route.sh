# Fault: node-a has lost its default route (a network manager rewrote the routes, a
# DHCP lease expired, someone "cleaned up"). Routes to the other node's pod subnet are
# still there, but proxy ARP for 169.254.1.1 needs a route to it through another
# interface, which only the default route provided.
set -e
ip -n node-a route del default
