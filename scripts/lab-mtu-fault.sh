#!/usr/bin/env bash
# Reproduces the table of the "MTU too large" section of the troubleshooting chapter on the
# host's kernel: builds the overlay plus faults/mtu-too-big.sh in a private mount namespace
# (so the namespace names cannot clash with anyone else's), then runs ping with -s/-M and
# bulk TCP between pod-9-60 (MTU 1500) and pod-4-5, and prints what happened. A kernel
# without bond, Open vSwitch or 802.1Q cannot run the production 10-fabric.sh, so this takes
# the generator's fabric without OVS (simulation/10-fabric-lab.sh of `netatlas generate` for
# the reference parameters; not a reference script) for the transport: the MTU fault is the
# overlay's, the same on either fabric. Needs root, Node (npx), iproute2, iputils ping,
# iptables and python3. Every namespace it creates is deleted at the end, also on failure.
set -u
if [ "${NETATLAS_MTU_LAB_INNER:-}" != 1 ]; then
  exec unshare --mount --propagation private env NETATLAS_MTU_LAB_INNER=1 bash "$0" "$@"
fi
mkdir -p /run/netns && mount -t tmpfs netatlas-mtu /run/netns || exit 1
R="$(cd "$(dirname "$0")/.." && pwd)"
S="$R/content/scripts"
G="$(mktemp -d)"
cleanup() { for n in $(ip netns list | cut -d' ' -f1); do ip netns del "$n"; done; rm -rf "$G"; }
trap cleanup EXIT
(cd "$R" && npx netatlas generate content/scripts/reference.params.json --out "$G/gen" >/dev/null) || { echo "netatlas generate failed" >&2; exit 1; }
for f in "$S/00-hosts.sh" "$G/gen/simulation/10-fabric-lab.sh" "$S/20-node-net.sh" "$S/30-overlay.sh" "$S/faults/mtu-too-big.sh"; do
  bash "$f" || { echo "$f failed" >&2; exit 1; }
done
X="ip netns exec"
# Let proxy ARP for 169.254.1.1 (proxy_delay) and the VTEP settle before measuring.
$X pod-9-60 ping -c 1 -W 2 10.20.4.5 >/dev/null
sleep 1

section() { echo; echo "### $*"; }
pings() { $X pod-9-60 ping -c 3 -i 0.3 -W 1 "$@" 10.20.4.5 2>&1 | grep -v '^$'; }
flush() { $X pod-9-60 ip route flush cache; }

section "ping -s 1422 -M do (1450-byte packets)"; pings -s 1422 -M do; flush
section "ping -s 1472 -M do (1500-byte packets)"; pings -s 1472 -M do
section "pod-9-60: ip route get 10.20.4.5 after that"; $X pod-9-60 ip route get 10.20.4.5; flush
section "ping -s 1472 (no -M)"; pings -s 1472; flush
section "ping -s 1472 -M dont"; pings -s 1472 -M dont; flush
section "pod-4-5 -> pod-9-60, ping -s 1472"; $X pod-4-5 ping -c 2 -i 0.3 -W 1 -s 1472 10.20.9.60 2>&1 | grep -v '^$'

SRV='import socket,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1); s.bind(("0.0.0.0",int(sys.argv[1]))); s.listen(1); s.settimeout(15)
c,_=s.accept(); c.settimeout(10); n=0
try:
    while True:
        d=c.recv(65536)
        if not d: break
        n+=len(d)
except Exception as e: print("server:",e)
print("server received",n,"bytes")'
CLI='import socket,sys,time
c=socket.create_connection((sys.argv[1],int(sys.argv[2])),timeout=5); c.settimeout(10); t=time.time()
print("client MSS (TCP_MAXSEG):",c.getsockopt(socket.IPPROTO_TCP,socket.TCP_MAXSEG))
try:
    c.sendall(b"x"*200000); c.shutdown(socket.SHUT_WR); c.recv(1); print("client sent 200000 bytes in %.2f s"%(time.time()-t))
except Exception as e: print("client: %s after %.1f s"%(e,time.time()-t))'
icmp_out() { $X node-a nstat -az IcmpOutDestUnreachs | awk '/IcmpOutDestUnreachs/ {print $2}'; }
tcp() {
  local port=$1 before; before=$(icmp_out)
  $X pod-4-5 python3 -c "$SRV" "$port" & local srv=$!
  sleep 0.5
  $X pod-9-60 python3 -c "$CLI" 10.20.4.5 "$port"
  wait "$srv"
  echo "ICMP destination unreachable sent by node-a meanwhile: $(( $(icmp_out) - before ))"
}
section "TCP pod-9-60 -> pod-4-5 (MTU 1450)"; tcp 5001; flush
ip -n node-b link set upvx6d1e0b7a2f3 mtu 1500; ip -n pod-4-5 link set eth0 mtu 1500
section "TCP pod-9-60 -> pod-4-5, both MTU 1500"; tcp 5002; flush
$X node-a iptables -I OUTPUT -p icmp --icmp-type fragmentation-needed -j DROP
section "TCP as above, node-a's fragmentation-needed dropped"; tcp 5003
