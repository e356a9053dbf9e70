// Registers every modelled command. A tool module registers itself when imported.
import './iproute2/ip.ts';
import './bridge/fdb.ts';
import './procps/sysctl.ts';
import './busybox/ip.ts';
import './coreutils/builtins.ts';
import './netfilter/iptables.ts';
import './netfilter/iptables-save.ts';
import './netfilter/conntrack.ts';
import './ipvsadm/ipvsadm.ts';
import './coreutils/cat.ts';
import './ovs/ovs-vsctl.ts';
import './ovs/ovs-appctl.ts';
import './kmod/modprobe.ts';
import './iputils/ping.ts';
import './socat/socat.ts';
