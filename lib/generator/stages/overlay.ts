// 30-overlay: the flannel-style VTEP on each node, what each node knows of the others
// (route, permanent neighbour, FDB entry), and the example overlay pods.
import type { Cluster, Node, Pod } from '../cluster.ts';
import { StageBuilder, type Stage } from '../plan.ts';
import { wrapComment } from '../text.ts';

function vtep(b: StageBuilder, c: Cluster, n: Node, first: boolean): void {
  const vx = c.overlay.device;
  const on = b.on(n.name, true);
  b.comment(`${n.name}: VTEP ${n.vtep} for ${first ? 'its pod subnet ' : ''}${n.podSubnet}.`, { node: n.name });
  on('ip', `link add ${vx} type vxlan id ${c.overlay.vni} dstport ${c.overlay.port} dev ${c.underlay.device} local ${n.address} nolearning`);
  on('ip', `link set ${vx} address ${n.macs.vtep}`);
  on('ip', `link set ${vx} up`);
  on('ip', `addr add ${n.vtep}/32 dev ${vx}`);
}

function peers(b: StageBuilder, c: Cluster, n: Node): void {
  const vx = c.overlay.device;
  const on = b.on(n.name, true);
  for (const o of c.nodes) {
    if (o === n) continue;
    on('ip', `route add ${o.podSubnet} via ${o.vtep} dev ${vx} onlink`);
    on('ip', `neigh add ${o.vtep} lladdr ${o.macs.vtep} dev ${vx} nud permanent`);
    on('bridge', `fdb append ${o.macs.vtep} dev ${vx} dst ${o.address} self permanent`);
  }
}

function pod(b: StageBuilder, c: Cluster, n: Node, p: Pod, intro: boolean): void {
  const on = b.on(n.name, true);
  const inPod = (args: string) => b.cmd(p.name, n.name, 'ip', args);
  const mtu = c.overlay.podMtu;
  b.blank();
  if (intro) {
    b.comment(
      'Example pods: network namespaces wired the way the CNI wires a pod. Leave them out if your CNI makes the pods (the check script then finds other /32 routes).',
      { sim: false, node: n.name },
    );
  }
  b.comment(`${p.name}: ${p.ip} behind ${p.hostVeth} on ${n.name}`, { node: n.name });
  b.cmd(null, n.name, 'ip', `netns add ${p.name}`);
  inPod('link set lo up');
  const hostIndex = p.hostIndex === undefined ? '' : ` index ${p.hostIndex}`;
  const index = p.index === undefined ? '' : ` index ${p.index}`;
  on('ip', `link add ${p.hostVeth}${hostIndex} address ${p.hostMac} mtu ${mtu} type veth peer name eth0${index} netns ${p.name}`);
  inPod(`link set eth0 address ${p.mac} mtu ${mtu} txqueuelen 0`);
  inPod('link set eth0 up');
  inPod(`addr add ${p.ip}/32 dev eth0`);
  inPod('route add 169.254.1.1 dev eth0 scope link');
  inPod('route add default via 169.254.1.1 dev eth0');
  on('ip', `link set ${p.hostVeth} up`);
  on('sysctl', `-q -w net.ipv4.conf.${p.hostVeth}.proxy_arp=1`);
  on('ip', `route add ${p.ip} dev ${p.hostVeth} scope link`);
}

export function overlayStage(c: Cluster): Stage {
  const b = new StageBuilder();
  b.blank();
  c.nodes.forEach((n, i) => vtep(b, c, n, i === 0));
  b.blank();
  b.comment(c.nodes.length === 2 ? "Each node learns the other's subnet: route, permanent neighbour, FDB entry." : "Each node learns the others' subnets: route, permanent neighbour, FDB entry.");
  for (const n of c.nodes) {
    b.comment(`The other nodes' pod subnets: route, permanent neighbour, FDB entry (as flanneld writes them).`, { sim: false, node: n.name });
    peers(b, c, n);
  }
  for (const n of c.nodes) n.pods.forEach((p, i) => pod(b, c, n, p, i === 0));
  return {
    id: '30-overlay',
    header: wrapComment(
      `The overlay (VXLAN VNI ${c.overlay.vni}): the flannel-style VTEP on each node, and the overlay pods. ` +
        'Each pod is a namespace joined to its node by a veth pair: the pod keeps a /32 and a default route to 169.254.1.1; ' +
        'the node answers ARP for it by proxy and routes the /32 back into the veth.',
    ),
    title: `overlay: ${c.overlay.device} (VNI ${c.overlay.vni}, UDP ${c.overlay.port}), the other nodes, example pods`,
    kernel: true,
    items: b.items,
  };
}
