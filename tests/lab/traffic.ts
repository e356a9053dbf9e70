// Traffic, not just tables: packets through the real kernel (ping, a TCP and a UDP exchange,
// tcpdump on the underlay and on the outside host, conntrack) compared with the model's
// packet tracer (lib/trace) on the same world: delivered or not, the TTL on arrival, the
// outer VXLAN header on the wire, the source the far end sees after SNAT, the conntrack
// tuples.
import { formatIpv4 } from '../../lib/net/ipv4.ts';
import type { Session } from '../../lib/session.ts';
import { replyQuery, trace, type Trace } from '../../lib/trace/index.ts';
import type { KernelWorld } from './reference.ts';

export interface Probe {
  from: string;
  to: string;
  proto: 'icmp' | 'tcp' | 'udp';
  /** IP packet size with DF set (ping -M do), for the MTU checks. */
  size?: number;
}

export interface ProbeResult {
  probe: Probe;
  kernel: { ok: boolean; ttl?: number; seenSource?: string; detail: string };
  model: { ok: boolean; ttl?: number; seenSource?: string; detail: string };
  /** Facts that differ; empty when the two worlds agree. */
  differences: string[];
}

export interface TrafficFacts {
  probes: ProbeResult[];
  /** Named checks (underlay capture, SNAT capture, conntrack, proxy ARP) with their verdict. */
  checks: { name: string; ok: boolean; kernel: string; model: string }[];
  packets: number;
}

const PORT = 7001;
const PEER = new URL('./peer.ts', import.meta.url).pathname;

function q(s: string): string {
  return JSON.stringify(s);
}

/** Which namespace owns an address (in the model world, which mirrors the kernel's). */
function ownerOf(session: Session, addr: string): string | undefined {
  for (const ns of session.world.namespaces()) for (const a of ns.addresses()) if (formatIpv4(a.local) === addr && a.dev.name !== 'lo') return ns.name;
  return undefined;
}

function traceBoth(session: Session, p: Probe): { t: Trace; r: Trace | undefined } {
  const t = trace(session.world, { from: p.from, to: p.to, proto: p.proto, ...(p.size ? { size: p.size, df: true } : {}) });
  const r = t.disposition === 'DELIVERED' ? trace(session.world, replyQuery(t)) : undefined;
  return { t, r };
}

function srcAtDelivery(t: Trace): string | undefined {
  if (t.disposition !== 'DELIVERED') return undefined;
  const h = t.steps[t.steps.length - 1]!.headers.find((x) => x.kind === 'ipv4');
  return h && h.kind === 'ipv4' ? formatIpv4(h.src) : undefined;
}

/** Runs one probe on the kernel: ping, or a TCP/UDP echo through tests/lab/peer.ts. */
async function kernelProbe(kw: KernelWorld, session: Session, p: Probe): Promise<ProbeResult['kernel']> {
  if (p.proto === 'icmp') {
    const size = p.size ? ` -M do -s ${p.size - 28}` : '';
    const r = await kw.bash(`ip netns exec ${p.from} ping -c 1 -W 3${size} ${p.to}; echo "status $?"`);
    const ok = /status 0/.test(r.stdout);
    const ttl = /ttl=(\d+)/.exec(r.stdout);
    return { ok, ...(ttl ? { ttl: Number(ttl[1]) } : {}), detail: (r.stdout + r.stderr).trim().split('\n').slice(-3).join(' | ') };
  }
  const owner = ownerOf(session, p.to);
  if (!owner) return { ok: false, detail: `no namespace owns ${p.to}` };
  const node = process.execPath;
  const r = await kw.bash(
    [
      `srv=$(mktemp)`,
      `ip netns exec ${owner} ${q(node)} ${q(PEER)} serve ${PORT} >$srv 2>&1 &`,
      `sp=$!`,
      `for i in $(seq 100); do grep -q listening $srv && break; sleep 0.05; done`,
      `ip netns exec ${p.from} ${q(node)} ${q(PEER)} ${p.proto} ${p.to} ${PORT} hello-${p.proto}; echo "status $?"`,
      `kill $sp 2>/dev/null; wait $sp 2>/dev/null`,
      `echo "--- server"; cat $srv; rm -f $srv`,
    ].join('\n'),
  );
  const ok = /status 0/.test(r.stdout) && r.stdout.includes(`echo hello-${p.proto}`);
  const seen = new RegExp(`${p.proto} from ([0-9.]+):`).exec(r.stdout);
  return { ok, ...(seen ? { seenSource: seen[1]! } : {}), detail: (r.stdout + r.stderr).trim().replace(/\n/g, ' | ') };
}

function modelProbe(session: Session, p: Probe): ProbeResult['model'] {
  try {
    const { t, r } = traceBoth(session, p);
    const ok = t.disposition === 'DELIVERED' && r?.disposition === 'DELIVERED';
    // ping prints the TTL of the echo reply; the TCP/UDP peers report the source they saw.
    const ttl = p.proto === 'icmp' ? r?.ttlAtDelivery : undefined;
    const seen = p.proto === 'icmp' ? undefined : srcAtDelivery(t);
    return {
      ok,
      ...(ttl !== undefined ? { ttl } : {}),
      ...(seen !== undefined ? { seenSource: seen } : {}),
      detail: `${t.disposition}${r ? ` / reply ${r.disposition}` : ''}: ${t.reason}`,
    };
  } catch (e) {
    return { ok: false, detail: `tracer error: ${(e as Error).message}` };
  }
}

export async function runProbes(kw: KernelWorld, session: Session, probes: readonly Probe[]): Promise<ProbeResult[]> {
  const out: ProbeResult[] = [];
  for (const p of probes) {
    const kernel = await kernelProbe(kw, session, p);
    const model = modelProbe(session, p);
    const differences: string[] = [];
    if (kernel.ok !== model.ok) differences.push(`reply received: kernel ${kernel.ok}, model ${model.ok}`);
    if (kernel.ok && model.ok && kernel.ttl !== model.ttl) differences.push(`ttl: kernel ${kernel.ttl}, model ${model.ttl}`);
    if (kernel.ok && model.ok && kernel.seenSource !== model.seenSource) differences.push(`source seen: kernel ${kernel.seenSource}, model ${model.seenSource}`);
    out.push({ probe: p, kernel, model, differences });
  }
  return out;
}

/** Starts tcpdump in a namespace, runs `action`, returns what tcpdump printed (-nn -v). */
async function capture(kw: KernelWorld, ns: string, dev: string, filter: string, count: number, action: string): Promise<{ text: string; action: string }> {
  const r = await kw.bash(
    [
      `cap=$(mktemp)`,
      `ip netns exec ${ns} tcpdump -i ${dev} -nn -v -c ${count} -l ${q(filter)} >$cap 2>&1 &`,
      `tp=$!`,
      `for i in $(seq 100); do grep -q "listening on" $cap && break; sleep 0.05; done`,
      `${action}; echo "status $?"`,
      `for i in $(seq 40); do kill -0 $tp 2>/dev/null || break; sleep 0.05; done; kill $tp 2>/dev/null; wait $tp 2>/dev/null`,
      `printf '\\036'; cat $cap; rm -f $cap`,
    ].join('\n'),
  );
  const [act, cap] = r.stdout.split('\x1e');
  return { text: cap ?? '', action: act ?? '' };
}

/**
 * The named checks of the issue: the VXLAN header on the underlay, the SNAT source the
 * outside host sees, the conntrack entries, and what tcpdump shows of TTLs.
 */
export async function underlayChecks(kw: KernelWorld, session: Session): Promise<TrafficFacts['checks']> {
  const checks: TrafficFacts['checks'] = [];
  const pod = 'pod-9-60';
  const remote = '10.20.4.5';
  const ext = '203.0.113.10';
  // 1. VXLAN on biz.
  const c1 = await capture(kw, 'node-a', 'biz', 'udp port 4789', 2, `ip netns exec ${pod} ping -c 1 -W 3 ${remote}`);
  const outer = /IP \(tos 0x0, ttl (\d+), id \d+, offset 0, flags \[(\w+)\], proto UDP \(17\), length (\d+)\)\n\s+([\d.]+)\.\d+ > ([\d.]+)\.(\d+): VXLAN, flags \[I\] \(0x08\), vni (\d+)\nIP \(tos 0x0, ttl (\d+), id \d+, offset 0, flags \[(\w+)\], proto ICMP \(1\), length (\d+)\)\n\s+([\d.]+) > ([\d.]+): ICMP echo request/.exec(c1.text);
  const k1 = outer
    ? `outer ${outer[4]} > ${outer[5]} udp dport ${outer[6]} vni ${outer[7]} ttl ${outer[1]} DF ${outer[2] === 'DF'} len ${outer[3]}; inner ${outer[11]} > ${outer[12]} ttl ${outer[8]} len ${outer[10]}`
    : `no VXLAN echo request captured: ${c1.text.trim().split('\n').slice(0, 6).join(' | ')}`;
  let m1 = 'no trace';
  try {
    const t = trace(session.world, { from: pod, to: remote, proto: 'icmp' });
    const s = t.steps.find((x) => x.ns === 'node-a' && x.device === 'biz' && x.type === 'transmit');
    const hs = s?.headers ?? [];
    const ips = hs.filter((h) => h.kind === 'ipv4');
    const udp = hs.find((h) => h.kind === 'udp');
    const vx = hs.find((h) => h.kind === 'vxlan');
    const o = ips[0];
    const i = ips[1];
    if (o?.kind === 'ipv4' && i?.kind === 'ipv4' && udp?.kind === 'udp' && vx?.kind === 'vxlan') {
      m1 = `outer ${formatIpv4(o.src)} > ${formatIpv4(o.dst)} udp dport ${udp.dport} vni ${vx.vni} ttl ${o.ttl} DF ${o.df} len ${o.totalLength}; inner ${formatIpv4(i.src)} > ${formatIpv4(i.dst)} ttl ${i.ttl} len ${i.totalLength}`;
    } else m1 = `no VXLAN frame on node-a biz in the trace (${t.disposition}: ${t.reason})`;
  } catch (e) {
    m1 = `tracer error: ${(e as Error).message}`;
  }
  checks.push({ name: `VXLAN on the underlay (tcpdump -i biz in node-a, ${pod} → ${remote})`, ok: outer !== null && k1 === m1, kernel: k1, model: m1 });

  // 2. SNAT: what the outside host sees, and the TTL it arrives with.
  const c2 = await capture(kw, 'ext', 'eth0', 'icmp', 2, `ip netns exec ${pod} ping -c 1 -W 3 ${ext}`);
  const req = /IP \(tos 0x0, ttl (\d+), [^)]*proto ICMP \(1\), length \d+\)\n\s+([\d.]+) > ([\d.]+): ICMP echo request/.exec(c2.text);
  const k2 = req ? `source ${req[2]} ttl ${req[1]}` : `no echo request captured on ext: ${c2.text.trim().split('\n').slice(0, 4).join(' | ')}`;
  let m2 = 'no trace';
  try {
    const t = trace(session.world, { from: pod, to: ext, proto: 'icmp' });
    m2 = t.disposition === 'DELIVERED' ? `source ${srcAtDelivery(t)} ttl ${t.ttlAtDelivery}` : `${t.disposition}: ${t.reason}`;
  } catch (e) {
    m2 = `tracer error: ${(e as Error).message}`;
  }
  checks.push({ name: `SNAT seen by the outside host (tcpdump -i eth0 in ext, ${pod} → ${ext})`, ok: req !== null && k2 === m2, kernel: k2, model: m2 });

  // 3. conntrack on node-a: the tuples of the pod's flows (original and reply direction).
  const ck = await kw.bash(`ip netns exec node-a conntrack -L 2>/dev/null`);
  const tuples = (text: string) =>
    text
      .split('\n')
      .map((l) => /^(\w+)\s.*?src=([\d.]+) dst=([\d.]+) .*?src=([\d.]+) dst=([\d.]+)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && m[2] === '10.20.9.60')
      .map((m) => `${m[1]} ${m[2]}>${m[3]} reply ${m[4]}>${m[5]}`)
      .sort();
  const kt = [...new Set(tuples(ck.stdout))];
  const mc = session.runCommand('ip netns exec node-a conntrack -L');
  const mt = [...new Set(tuples(mc.stdout))];
  const snat = kt.find((x) => x.startsWith(`icmp 10.20.9.60>${ext}`));
  checks.push({
    name: 'conntrack -L in node-a (flows from 10.20.9.60: original and reply tuples)',
    ok: snat !== undefined && snat.endsWith('reply 203.0.113.10>10.186.153.11') && JSON.stringify(kt) === JSON.stringify(mt),
    kernel: kt.join('; ') || '(none)',
    model: mt.join('; ') || '(none)',
  });
  return checks;
}

/** The proxy-ARP failure: without node-a's default route nobody answers for 169.254.1.1. */
export async function proxyArpFailure(kw: KernelWorld, session: Session): Promise<TrafficFacts['checks'][number]> {
  const r = await kw.bash(
    `ip -n pod-9-60 neigh flush dev eth0\nip netns exec pod-9-60 ping -c 1 -W 2 10.20.4.5 >/dev/null 2>&1; echo "status $?"\nip -n pod-9-60 neigh show 169.254.1.1`,
  );
  const failed = /status [1-9]/.test(r.stdout);
  const neigh = /169\.254\.1\.1 dev eth0 +(FAILED|INCOMPLETE)/.test(r.stdout);
  const k = `ping ${failed ? 'failed' : 'answered'}; neighbour: ${r.stdout.split('\n').find((l) => l.startsWith('169.254.1.1'))?.trim() ?? '(none)'}`;
  let m = '';
  let mOk = false;
  try {
    const t = trace(session.world, { from: 'pod-9-60', to: '10.20.4.5', proto: 'icmp' });
    mOk = t.disposition === 'NEIGHBOR_UNREACHABLE' && t.at.ns === 'pod-9-60';
    m = `${t.disposition} at ${t.at.ns}:${t.at.device ?? ''}: ${t.reason}`;
  } catch (e) {
    m = `tracer error: ${(e as Error).message}`;
  }
  return { name: 'no default route on node-a: proxy ARP does not answer for 169.254.1.1, ping fails', ok: failed && neigh && mOk, kernel: k, model: m };
}
