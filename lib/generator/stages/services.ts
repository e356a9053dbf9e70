// 50-services: kube-proxy in IPVS mode — the dummy device holding every ClusterIP, and one
// IPVS virtual server per service with its real servers.
import type { Cluster } from '../cluster.ts';
import { StageBuilder, type Stage } from '../plan.ts';

export function servicesStage(c: Cluster): Stage {
  const b = new StageBuilder();
  const s = c.services;
  const dev = s?.device ?? 'kube-ipvs0';
  if (s) {
    c.nodes.forEach((n, i) => {
      const on = b.on(n.name, true);
      if (i > 0) b.blank();
      on('ip', `link add ${dev} type dummy`);
      on('ip', `link set ${dev} address ${n.macs.services}`);
      for (const ip of [...new Set(s.list.map((x) => x.ip))]) on('ip', `addr add ${ip}/32 dev ${dev}`);
      // net.ipv4.vs.* exists only once ip_vs is loaded (ipvsadm would load it, but later;
      // kube-proxy loads it at start).
      on('modprobe', 'ip_vs');
      on('sysctl', '-q -w net.ipv4.vs.conntrack=1');
      for (const svc of s.list) {
        const flag = svc.proto === 'tcp' ? '-t' : '-u';
        on('ipvsadm', `-A ${flag} ${svc.ip}:${svc.port} -s ${svc.scheduler}`);
        for (const e of svc.endpoints) on('ipvsadm', `-a ${flag} ${svc.ip}:${svc.port} -r ${e} -m -w 1`);
      }
    });
  }
  return {
    id: '50-services',
    header: [
      `kube-proxy in IPVS mode: the dummy ${dev} holds every ClusterIP (it stays DOWN, the`,
      'local routes still make the addresses local), and IPVS maps each one to its endpoints.',
    ],
    title: s ? `services: ${dev} with the ClusterIPs, IPVS virtual servers (what kube-proxy sets up)` : undefined,
    kernel: false,
    items: b.items,
  };
}
