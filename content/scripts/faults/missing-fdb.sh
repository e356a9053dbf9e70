# Fault: node-a's VXLAN forwarding entry for node-b's VTEP is gone (flanneld restarted
# and has not rewritten it, or someone flushed it).
set -e
bridge -n node-a fdb del 4a:2d:0c:51:9e:0b dev vxlan.2 dst 10.186.153.12 self
