// Real traffic across the production reference cluster on the reference kernel (the VM): the
// real LACP bonds between the nodes and the switch, each node's Open vSwitch br-bond0 with
// its tagged internal ports, VXLAN, ipvlan, IPVS and SNAT. Each probe runs in the guest (ping;
// socat for TCP and UDP, whose server reports the source it saw from SOCAT_PEERADDR) and is
// compared with the model's packet tracer (lib/trace) on the same world: reply received or
// not, the TTL of the echo reply, the source the far end sees, which backend a ClusterIP
// chose. Then named checks: the conntrack entries IPVS (net.ipv4.vs.conntrack=1) and SNAT
// leave on node-a, and no packet lost on any Open vSwitch upcall path (`ovs-appctl
// dpctl/show`: lost:0).
import { formatIpv4 } from '../../lib/net/ipv4.ts';
import type { Session } from '../../lib/session.ts';
import { replyQuery, trace, type Trace } from '../../lib/trace/index.ts';
import type { Probe, ProbeResult, TrafficFacts } from './traffic.ts';
import type { VmWorld } from './vm-world.ts';

export interface VmProbe extends Probe {
  /** TCP/UDP destination port (default 7001; a ClusterIP's service port). */
  port?: number;
}

export interface VmProbeResult extends ProbeResult {
  probe: VmProbe;
}

export interface VmTraffic {
  probes: VmProbeResult[];
  checks: TrafficFacts['checks'];
  seconds: number;
}

const PORT = 7001;
const POD = 'pod-9-60';
const EXT = '203.0.113.10';

/** The probes: across nodes, underlay ↔ overlay, to a ClusterIP and back, out through SNAT. */
export const VM_PROBES: VmProbe[] = [
  { from: POD, to: '10.20.4.5', proto: 'icmp' }, // pod ↔ pod across nodes (VXLAN over the bonds)
  { from: POD, to: '10.20.9.41', proto: 'icmp' }, // pod ↔ pod on one node
  { from: POD, to: '10.186.101.21', proto: 'icmp' }, // overlay pod → underlay pod (ipvlan on VLAN 101)
  { from: 'upod-101-21', to: '10.20.9.60', proto: 'icmp' }, // underlay pod → overlay pod
  { from: POD, to: EXT, proto: 'icmp' }, // out through SNAT
  { from: POD, to: '10.20.4.5', proto: 'tcp' },
  { from: POD, to: '10.20.4.5', proto: 'udp' },
  { from: 'upod-101-21', to: '10.20.9.60', proto: 'tcp' },
  { from: POD, to: EXT, proto: 'tcp' },
  { from: POD, to: EXT, proto: 'udp' },
  { from: POD, to: '10.96.0.10', proto: 'udp', port: 53 }, // ClusterIP (IPVS, masq) and the reply
  { from: POD, to: '10.20.4.5', proto: 'icmp', size: 1450 },
  { from: POD, to: '10.20.4.5', proto: 'icmp', size: 1500 },
];

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Namespaces owning an address (the ClusterIP's backends are found through the model's IPVS). */
function ownerOf(session: Session, addr: string): string | undefined {
  for (const ns of session.world.namespaces()) for (const a of ns.addresses()) if (formatIpv4(a.local) === addr && a.dev.name !== 'lo' && a.dev.kind !== 'dummy') return ns.name;
  return undefined;
}

/** Every namespace listening for a probe: the owner of the address, or (ClusterIP) the owners of its backends. */
function servers(session: Session, p: VmProbe): { ns: string; addr: string; port: number }[] {
  const port = p.port ?? PORT;
  const owner = ownerOf(session, p.to);
  if (owner) return [{ ns: owner, addr: p.to, port }];
  // A ClusterIP: the real servers of the service, as `ipvsadm -Ln` of the pod's node lists them.
  const out: { ns: string; addr: string; port: number }[] = [];
  for (const node of ['node-a', 'node-b']) {
    const r = session.runCommand(`ip netns exec ${node} ipvsadm -Ln`);
    let inSvc = false;
    for (const l of r.stdout.split('\n')) {
      if (/^(TCP|UDP)\s/.test(l)) inSvc = l.includes(`${p.to}:${port}`) && l.startsWith(p.proto.toUpperCase());
      const m = /^\s+->\s+([\d.]+):(\d+)/.exec(l);
      if (inSvc && m) {
        const ns = ownerOf(session, m[1]!);
        if (ns && !out.some((x) => x.ns === ns)) out.push({ ns, addr: m[1]!, port: Number(m[2]) });
      }
    }
  }
  return out;
}

async function kernelProbe(world: VmWorld, session: Session, p: VmProbe): Promise<VmProbeResult['kernel'] & { backend?: string }> {
  if (p.proto === 'icmp') {
    const size = p.size ? ` -M do -s ${p.size - 28}` : '';
    const r = await world.bash(`ip netns exec ${p.from} ping -c 1 -W 5${size} ${p.to}; echo "status $?"`, 60);
    const ok = /status 0/.test(r.stdout);
    const ttl = /ttl=(\d+)/.exec(r.stdout);
    return { ok, ...(ttl ? { ttl: Number(ttl[1]) } : {}), detail: (r.stdout + r.stderr).trim().split('\n').slice(-3).join(' | ') };
  }
  const srv = servers(session, p);
  if (srv.length === 0) return { ok: false, detail: `no namespace owns ${p.to} or serves it` };
  const U = p.proto.toUpperCase();
  // Each server answers one exchange: "<ns> seen <source address>", then the client's line.
  const listen = p.proto === 'tcp' ? `TCP-LISTEN:%P,bind=%A,reuseaddr` : `UDP-RECVFROM:%P,bind=%A`;
  const lines: string[] = [];
  srv.forEach((s, i) => {
    const addr = listen.replace('%P', String(s.port)).replace('%A', s.addr);
    lines.push(`ip netns exec ${s.ns} socat -T 5 ${addr} SYSTEM:${q(`echo ${s.ns} seen $SOCAT_PEERADDR; head -c 100`)} >/tmp/vmt-srv${i} 2>&1 & sp${i}=$!`);
  });
  srv.forEach((s, i) => lines.push(`for n in $(seq 100); do ip netns exec ${s.ns} ss -Hln${p.proto === 'tcp' ? 't' : 'u'} "sport = :${s.port}" | grep -q . && break; sleep 0.05; done`));
  lines.push(`echo hello-${p.proto} | ip netns exec ${p.from} socat -t 5 -T 5 - ${U}:${p.to}:${p.port ?? PORT}; echo "status $?"`);
  srv.forEach((_, i) => lines.push(`kill $sp${i} 2>/dev/null; wait $sp${i} 2>/dev/null; cat /tmp/vmt-srv${i}; rm -f /tmp/vmt-srv${i}`));
  const r = await world.bash(lines.join('\n'), 60);
  const m = /^(\S+) seen ([\d.]+)$/m.exec(r.stdout);
  const ok = /status 0/.test(r.stdout) && m !== null;
  let detail = (r.stdout + r.stderr).trim().replace(/\n/g, ' | ');
  if (!ok && !ownerOf(session, p.to)) {
    // A ClusterIP that did not answer: what IPVS on the client's node holds.
    const d = await world.bash(`for n in node-a node-b; do echo "$n:"; ip netns exec $n ipvsadm -Ln --stats; ip netns exec $n sysctl net.ipv4.vs.conntrack; done 2>&1`, 60);
    detail += ` || ${d.stdout.trim().replace(/\n/g, ' | ')}`;
  }
  return { ok, ...(m ? { seenSource: m[2]!, backend: m[1]! } : {}), detail };
}

function srcAtDelivery(t: Trace): string | undefined {
  if (t.disposition !== 'DELIVERED') return undefined;
  const h = t.steps[t.steps.length - 1]!.headers.find((x) => x.kind === 'ipv4');
  return h && h.kind === 'ipv4' ? formatIpv4(h.src) : undefined;
}

function modelProbe(session: Session, p: VmProbe): VmProbeResult['model'] & { backend?: string } {
  try {
    const t = trace(session.world, { from: p.from, to: p.to, proto: p.proto, ...(p.proto !== 'icmp' ? { dport: p.port ?? PORT } : {}), ...(p.size ? { size: p.size, df: true } : {}) });
    const r = t.disposition === 'DELIVERED' ? trace(session.world, replyQuery(t)) : undefined;
    const ok = t.disposition === 'DELIVERED' && r?.disposition === 'DELIVERED';
    const ttl = p.proto === 'icmp' ? r?.ttlAtDelivery : undefined;
    const seen = p.proto === 'icmp' ? undefined : srcAtDelivery(t);
    const backend = t.disposition === 'DELIVERED' ? t.steps[t.steps.length - 1]!.ns : undefined;
    return {
      ok,
      ...(ttl !== undefined ? { ttl } : {}),
      ...(seen !== undefined ? { seenSource: seen } : {}),
      ...(p.proto !== 'icmp' && backend ? { backend } : {}),
      detail: `${t.disposition}${r ? ` / reply ${r.disposition}` : ''}: ${t.reason}`,
    };
  } catch (e) {
    return { ok: false, detail: `tracer error: ${(e as Error).message}` };
  }
}

/** Hosts (namespaces) running an Open vSwitch in the model's world. */
function ovsHosts(session: Session): string[] {
  return session.world
    .namespaces()
    .filter((ns) => ns.devicesInOrder().some((d) => d.kind === 'ovs-internal'))
    .map((ns) => ns.name);
}

/** `lost:` of every host's datapath (ovs-dpctl asks the kernel: it answers with ovs-vswitchd down); NaN when unreadable. */
async function datapathLost(world: VmWorld, hosts: readonly string[]): Promise<Map<string, number>> {
  const r = await world.bash(hosts.map((h) => `printf '%s ' ${h}; ip netns exec ${h} ovs-dpctl show 2>&1 | sed -n 's/.*lost:\\([0-9]*\\).*/\\1/p' | head -1`).join('\n'), 60);
  const lost = new Map<string, number>(hosts.map((h) => [h, NaN]));
  for (const l of r.stdout.trim().split('\n')) {
    const [h, n] = l.trim().split(' ');
    if (h && lost.has(h)) lost.set(h, n === undefined || n === '' ? NaN : Number(n));
  }
  return lost;
}

/** "node-a 0, node-b 0" for the report. */
function formatLost(lost: ReadonlyMap<string, number>): string {
  return [...lost].map(([h, n]) => `${h} ${Number.isNaN(n) ? '?' : n}`).join(', ');
}

/** A shell test that is true when the host's ovs-vswitchd runs. */
function vswitchdAlive(h: string): string {
  return `{ p=$(cat /run/openvswitch/${h}/ovs-vswitchd.pid 2>/dev/null); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }`;
}

/**
 * What each host's Open vSwitch looks like when something went wrong: is its ovs-vswitchd
 * alive, what its upcall handlers report, the end of its log, and the kernel's last words
 * (an OOM kill or a datapath warning), so that a failure in CI says why.
 */
async function ovsDiagnostics(world: VmWorld, hosts: readonly string[]): Promise<string> {
  const lines = hosts.map(
    (h) =>
      `echo "== ${h}"; if ${vswitchdAlive(h)}; then echo "ovs-vswitchd $p alive"; else echo "ovs-vswitchd NOT running (pid file: \${p:-none})"; fi; ` +
      `ip netns exec ${h} timeout 20 ovs-appctl upcall/show 2>&1 | head -8; tail -n 8 /var/log/openvswitch/${h}/ovs-vswitchd.log 2>&1`,
  );
  lines.push('echo "== dmesg"; dmesg | tail -n 12; echo "== memory"; free -m 2>/dev/null || head -3 /proc/meminfo');
  const r = await world.bash(lines.join('\n'), 120);
  return (r.stdout + r.stderr).trim().replace(/\n/g, ' | ');
}

/** Waits until every host's ovs-vswitchd answers (a daemon busy starting under TCG takes seconds). */
async function ovsReady(world: VmWorld, hosts: readonly string[]): Promise<boolean> {
  const r = await world.bash(hosts.map((h) => `for n in $(seq 60); do ip netns exec ${h} timeout 10 ovs-appctl version >/dev/null 2>&1 && break; sleep 1; done; ip netns exec ${h} timeout 10 ovs-appctl version >/dev/null 2>&1 || echo "not ready: ${h}"`).join('\n'), 300);
  return !/not ready/.test(r.stdout);
}

/**
 * Runs the probes and the checks on a world built from the production scripts (VmWorld.build)
 * and the model's session of the same scripts (reference.ts modelWorld).
 */
export async function runVmTraffic(world: VmWorld, session: Session, log: (line: string) => void = () => {}): Promise<VmTraffic> {
  const t0 = Date.now();
  const hosts = ovsHosts(session);
  let ready = await ovsReady(world, hosts);
  // A datapath that already lost upcalls before any probe has an ovs-vswitchd that is not
  // serving it (seen in CI: every miss on node-a lost from the build on; the guest's ovs-heal
  // now restarts such a daemon, see scripts/vm/guest/ovs-heal). Should one still be found:
  // say so with the daemon's state, restart it (the datapath and its flows stay), and judge
  // the traffic by what is lost while it runs.
  let lostBefore = await datapathLost(world, hosts);
  const notes: string[] = [];
  const losing = [...lostBefore].filter(([, n]) => n !== 0).map(([h]) => h);
  const down = await world.bash(hosts.map((h) => `${vswitchdAlive(h)} || echo ${h}`).join('\n'), 60);
  for (const h of down.stdout.split(/\s+/).filter(Boolean)) if (!losing.includes(h)) losing.push(h);
  if (losing.length) {
    notes.push(`lost before the probes: ${formatLost(lostBefore)} || ${await ovsDiagnostics(world, losing)}`);
    // The guest's own restart procedure (scripts/vm/guest/ovs-heal), forced.
    await world.bash(losing.map((h) => `OVS_RUNDIR=/run/openvswitch/${h} OVS_LOGDIR=/var/log/openvswitch/${h} ip netns exec ${h} /usr/lib/netatlas/ovs-heal --force`).join('\n'), 120);
    ready = await ovsReady(world, hosts);
    notes.push(`restarted ovs-vswitchd in ${losing.join(', ')}`);
    log(`vm-traffic: ${notes.join('; ')}`);
    lostBefore = await datapathLost(world, hosts);
  }
  const probes: VmProbeResult[] = [];
  // conntrack entries of node-a as each probe left them (an ICMP entry lives 30 s, UDP 30 s:
  // on a slow machine the first probes' entries are gone by the end of the run).
  const conntrack: string[] = [];
  for (const p of VM_PROBES) {
    let kernel = await kernelProbe(world, session, p);
    const model = modelProbe(session, p);
    if (!kernel.ok && model.ok) {
      // Under emulation the first packets of a flow wait for an OVS upcall and an ARP
      // resolution; a second try tells a slow first packet from a real difference (which
      // fails again), and the report says a second try was needed.
      const again = await kernelProbe(world, session, p);
      kernel = { ...again, detail: `${again.detail} (second try; first: ${kernel.detail})` };
    }
    conntrack.push((await world.bash(`ip netns exec node-a conntrack -L 2>/dev/null`, 60)).stdout);
    const differences: string[] = [];
    if (kernel.ok !== model.ok) differences.push(`reply received: kernel ${kernel.ok}, model ${model.ok}`);
    if (kernel.ok && model.ok && kernel.ttl !== model.ttl) differences.push(`ttl: kernel ${kernel.ttl}, model ${model.ttl}`);
    if (kernel.ok && model.ok && kernel.seenSource !== model.seenSource) differences.push(`source seen: kernel ${kernel.seenSource}, model ${model.seenSource}`);
    if (kernel.ok && model.ok && p.port !== undefined && kernel.backend !== model.backend) differences.push(`backend: kernel ${kernel.backend}, model ${model.backend}`);
    const { backend: kb, ...k } = kernel;
    const { backend: mb, ...m } = model;
    probes.push({ probe: p, kernel: { ...k, ...(kb ? { detail: `${k.detail} [backend ${kb}]` } : {}) }, model: { ...m, ...(mb ? { detail: `${m.detail} [backend ${mb}]` } : {}) }, differences });
    log(`vm-traffic: ${p.proto} ${p.from} → ${p.to}${p.port ? `:${p.port}` : ''}${p.size ? ` size ${p.size}` : ''}: ${differences.length ? `DIFFERS (${differences.join('; ')})` : kernel.ok ? 'ok' : 'no reply on both'}`);
  }
  const checks: TrafficFacts['checks'] = [];

  // conntrack on node-a: the SNAT flow to the outside host and the ClusterIP flow (IPVS with
  // net.ipv4.vs.conntrack=1 leaves a conntrack entry whose reply tuple names the backend).
  const ck = { stdout: conntrack.join('\n') };
  const mc = session.runCommand('ip netns exec node-a conntrack -L');
  const tuples = (text: string) =>
    [
      ...new Set(
        text
          .split('\n')
          .map((l) => /^(\w+)\s.*?src=([\d.]+) dst=([\d.]+) .*?src=([\d.]+) dst=([\d.]+)/.exec(l))
          .filter((m): m is RegExpExecArray => m !== null && m[2] === '10.20.9.60')
          .map((m) => `${m[1]} ${m[2]}>${m[3]} reply ${m[4]}>${m[5]}`),
      ),
    ].sort();
  const kt = tuples(ck.stdout);
  const mt = tuples(mc.stdout);
  const snat = kt.find((x) => x.startsWith(`icmp 10.20.9.60>${EXT}`));
  const cip = kt.find((x) => x.startsWith('udp 10.20.9.60>10.96.0.10'));
  checks.push({
    name: 'conntrack -L in node-a: SNAT to the outside (reply to 10.186.153.11) and the ClusterIP flow (reply from the backend)',
    ok: snat !== undefined && snat.endsWith(`reply ${EXT}>10.186.153.11`) && cip !== undefined && !cip.includes('reply 10.96.0.10'),
    kernel: kt.join('; ') || '(none)',
    model: mt.join('; ') || '(none)',
  });
  checks.push({
    name: 'conntrack -L in node-a: kernel and model list the same tuples for 10.20.9.60',
    ok: JSON.stringify(kt) === JSON.stringify(mt),
    kernel: kt.join('; ') || '(none)',
    model: mt.join('; ') || '(none)',
  });

  // The IPVS connection table of node-a names the client and the backend.
  const lc = await world.bash(`ip netns exec node-a ipvsadm -Lnc`, 60);
  const mlc = session.runCommand('ip netns exec node-a ipvsadm -Lnc');
  const findConn = (text: string) => text.split('\n').find((l) => /^UDP\s/.test(l) && l.includes('10.20.9.60:') && l.includes('10.96.0.10:53'));
  const conn = findConn(lc.stdout);
  const mconn = findConn(mlc.stdout);
  // Protocol, client address, virtual service and backend (the client's port and the
  // expire countdown are the kernel's to choose).
  const connKey = (l: string | undefined) => {
    const f = l?.trim().split(/\s+/) ?? [];
    return f.length >= 6 ? `${f[0]} ${f[3]!.replace(/:\d+$/, '')} ${f[4]} ${f[5]}` : undefined;
  };
  checks.push({
    name: 'ipvsadm -Lnc in node-a: the ClusterIP connection (client, VIP, backend) as the model lists it',
    ok: connKey(conn) !== undefined && connKey(conn) === connKey(mconn),
    kernel: conn?.trim().replace(/\s+/g, ' ') ?? `(none) ${lc.stdout.trim().split('\n').slice(0, 4).join(' | ')}`,
    model: mconn?.trim().replace(/\s+/g, ' ') ?? `(none) ${(mlc.stdout + mlc.stderr).trim().split('\n').slice(0, 4).join(' | ')}`,
  });

  // Open vSwitch: no packet lost between the kernel datapath and ovs-vswitchd (upcalls).
  const lostAfter = await datapathLost(world, hosts);
  const lostOk = [...lostAfter].every(([h, n]) => n === lostBefore.get(h));
  checks.push({ name: `Open vSwitch datapaths (${hosts.join(', ')}): no packet lost on the upcall path while the probes ran`, ok: lostOk && ready, kernel: `before ${formatLost(lostBefore)}; after ${formatLost(lostAfter)}${ready ? '' : '; an ovs-vswitchd did not answer within 60 s'}${notes.length ? `; ${notes.join('; ')}` : ''}`, model: 'no loss' });
  if (!lostOk || !ready || probes.some((p) => p.differences.length)) checks[checks.length - 1]!.kernel += ` || ${await ovsDiagnostics(world, hosts)}`;
  return { probes, checks, seconds: (Date.now() - t0) / 1000 };
}

export function formatVmTraffic(t: VmTraffic): string {
  const lines: string[] = [];
  for (const p of t.probes) {
    const pr = p.probe;
    lines.push(`${p.differences.length ? 'DIFF' : 'ok  '} ${pr.proto} ${pr.from} → ${pr.to}${pr.port ? `:${pr.port}` : ''}${pr.size ? ` size ${pr.size}` : ''}`);
    lines.push(`       kernel: ${p.kernel.ok ? 'reply' : 'no reply'}${p.kernel.ttl !== undefined ? ` ttl ${p.kernel.ttl}` : ''}${p.kernel.seenSource ? ` seen ${p.kernel.seenSource}` : ''} — ${p.kernel.detail}`);
    lines.push(`       model:  ${p.model.ok ? 'reply' : 'no reply'}${p.model.ttl !== undefined ? ` ttl ${p.model.ttl}` : ''}${p.model.seenSource ? ` seen ${p.model.seenSource}` : ''} — ${p.model.detail}`);
    for (const d of p.differences) lines.push(`       differs: ${d}`);
  }
  for (const c of t.checks) lines.push(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}\n       kernel: ${c.kernel}\n       model:  ${c.model}`);
  const bad = t.probes.filter((p) => p.differences.length).length + t.checks.filter((c) => !c.ok).length;
  lines.push(`vm-traffic: ${t.probes.length} probes, ${t.checks.length} checks, ${bad} failing, ${t.seconds.toFixed(1)} s`);
  return lines.join('\n');
}
