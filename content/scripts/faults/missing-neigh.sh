# Fault: node-a's permanent neighbour entry for node-b's VTEP address is gone.
set -e
ip -n node-a neigh del 10.20.4.0 dev vxlan.2
