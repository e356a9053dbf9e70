// The flows the tracer must get right on the reference cluster. Expected values come from
// the article (its sequence diagram and routes), from the real kernel (kernel-facts.md:
// ping pod → remote pod arrives with ttl 62; tcpdump shows 10.186.153.11 > 10.186.153.12
// UDP 4789 VXLAN vni 2) or from the protocols' fixed header sizes — not from the tracer.
import { describe, expect, it } from 'vitest';
import { formatTrace, replyQuery, senderParticipants, stepsOf, trace, TraceError, type Trace } from '../../lib/trace/index.ts';
import { checkParams } from '../../lib/generator/check-params.ts';
import { REFERENCE_PARAMS } from '../../lib/generator/reference.ts';
import { simulationScripts } from '../../lib/generator/simulation.ts';
import { Session } from '../../lib/session.ts';
import { referenceSession } from './reference.ts';

const devices = (t: Trace) => t.steps.filter((s) => s.device).map((s) => `${s.ns}:${s.device}`).filter((d, i, a) => a[i - 1] !== d);
const routeLines = (t: Trace) => stepsOf(t, 'routing').map((s) => `${s.ns}: ${String(s.detail.route)}`);
const wire = (t: Trace, from: string, to: string) => stepsOf(t, 'veth').find((s) => s.ns === from && s.detail.peer.startsWith(`${to}:`));

describe('overlay pod → overlay pod on another node (the article\'s sequence diagram)', () => {
  const s = referenceSession();
  const t = trace(s.world, { from: 'pod-9-60', to: '10.20.4.5' });

  it('is delivered to pod-4-5 with ttl 62, as ping shows on the real kernel', () => {
    expect(t.disposition).toBe('DELIVERED');
    expect(t.at).toEqual({ ns: 'pod-4-5', device: 'eth0' });
    expect(t.ttlAtDelivery).toBe(62);
  });

  it('takes the routes the article names', () => {
    const lines = routeLines(t);
    expect(lines).toContain('pod-9-60: default via 169.254.1.1 dev eth0');
    expect(lines).toContain('node-a: 10.20.4.0/24 via 10.20.4.0 dev vxlan.2 onlink');
    expect(lines).toContain('node-a: 10.186.153.0/24 dev biz proto kernel scope link src 10.186.153.11');
    expect(lines).toContain('node-b: 10.20.4.5 dev upvx6d1e0b7a2f3 scope link');
  });

  it('lists the article\'s participants in its order: pod, veth, routing, vxlan.2, biz, OVS bridge, bond0', () => {
    expect(senderParticipants(t).map((p) => `${p.role}${p.device ? `(${p.device})` : ''}`)).toEqual([
      'pod',
      'veth(upvx4279f78e5dc)',
      'routing',
      'vxlan(vxlan.2)',
      'ovs-port(biz)',
      'ovs-bridge(biz)',
      'bond(bond0)',
      'nic(ens5f0np0)',
    ]);
  });

  it('has the full VXLAN stack on the wire between node-a and the switch', () => {
    const w = wire(t, 'node-a', 'tor')!;
    expect(w.headers.map((h) => h.kind)).toEqual(['eth', 'ipv4', 'udp', 'vxlan', 'eth', 'ipv4', 'icmp', 'payload']);
    expect(w.sizes).toEqual([14, 20, 8, 8, 14, 20, 8, 56]);
    expect(w.total).toBe(84 + 50 + 14);
    const outer = w.headers[1]!;
    expect(outer.kind === 'ipv4' && [outer.src, outer.dst, outer.ttl]).toEqual([0x0aba990b, 0x0aba990c, 64]);
    const udp = w.headers[2]!;
    expect(udp.kind === 'udp' && udp.dport).toBe(4789);
    const vx = w.headers[3]!;
    expect(vx.kind === 'vxlan' && vx.vni).toBe(2);
    const inner = w.headers[5]!;
    expect(inner.kind === 'ipv4' && inner.ttl).toBe(63);
  });

  it('answers ARP for 169.254.1.1 by proxy from the host veth, because node-a routes it elsewhere', () => {
    const arp = stepsOf(t, 'neighbor').find((s) => s.ns === 'pod-9-60')!;
    expect(arp.detail.method).toBe('proxy arp');
    expect(arp.detail.answeredBy).toBe('node-a:upvx4279f78e5dc');
    expect(arp.why.join(' ')).toContain('via 10.186.153.254 dev biz');
  });

  it('renders readably and as JSON', () => {
    expect(formatTrace(t)).toContain('DELIVERED at pod-4-5:eth0');
    expect(JSON.parse(JSON.stringify(t)).steps.length).toBe(t.steps.length);
  });
});

describe('other flows', () => {
  it('overlay pod → overlay pod on the same node: one routed hop, no VXLAN', () => {
    const t = trace(referenceSession().world, { from: 'pod-9-60', to: '10.20.9.72' });
    expect(t.disposition).toBe('DELIVERED');
    expect(t.ttlAtDelivery).toBe(63);
    expect(t.steps.some((s) => s.type === 'encapsulate')).toBe(false);
    expect(devices(t)).toContain('node-a:upvx9e4d48a9851');
  });

  it('overlay pod → outside host: MASQUERADE to the node address, and the reply is un-NATed by conntrack', () => {
    const s = referenceSession();
    const t = trace(s.world, { from: 'pod-9-60', to: '203.0.113.10', proto: 'tcp', dport: 80 });
    expect(t.disposition).toBe('DELIVERED');
    const nat = t.steps.find((x) => x.type === 'netfilter')!;
    expect(nat.detail).toMatchObject({ hook: 'POSTROUTING', by: 'MASQUERADE', field: 'src', from: '10.20.9.60:40000', to: '10.186.153.11:40000' });
    expect(nat.detail.rule).toBe('-A POSTROUTING -s 10.20.0.0/16 ! -d 10.20.0.0/16 -j MASQUERADE');
    const last = t.steps.at(-1)!.headers[0]!;
    expect(last.kind === 'ipv4' && last.src).toBe(0x0aba990b);
    const back = trace(s.world, replyQuery(t));
    expect(back.disposition).toBe('DELIVERED');
    expect(back.at.ns).toBe('pod-9-60');
    const unnat = back.steps.find((x) => x.type === 'netfilter')!;
    expect(unnat.detail).toMatchObject({ hook: 'PREROUTING', field: 'dst', from: '10.186.153.11:40000', to: '10.20.9.60:40000' });
    expect(back.steps.filter((x) => x.type === 'netfilter')).toHaveLength(1);
  });

  it('outside host → underlay pod: routed by the gateway into VLAN 101, tagged across the trunk, ipvlan demux', () => {
    const t = trace(referenceSession().world, { from: 'ext', to: '10.186.101.21' });
    expect(t.disposition).toBe('DELIVERED');
    expect(t.at.ns).toBe('upod-101-21');
    expect(t.ttlAtDelivery).toBe(63);
    const trunk = wire(t, 'tor', 'node-a')!;
    expect(trunk.headers.slice(0, 2).map((h) => (h.kind === 'vlan' ? `vlan ${h.vid}` : h.kind))).toEqual(['eth', 'vlan 101']);
    expect(trunk.sizes.slice(0, 3)).toEqual([14, 4, 20]);
    expect(t.steps.some((s) => s.type === 'vlan' && s.device === 'biz.101' && s.action === 'UNTAGGED')).toBe(true);
    expect(t.steps.some((s) => s.type === 'ipvlan')).toBe(true);
  });

  it('underlay pod → underlay pod in another VLAN on the same node: out to the gateway and back', () => {
    const t = trace(referenceSession().world, { from: 'upod-101-21', to: '10.186.102.22' });
    expect(t.disposition).toBe('DELIVERED');
    expect(t.ttlAtDelivery).toBe(63);
    expect(routeLines(t)).toContain('tor: 10.186.102.0/24 dev gw-v102 proto kernel scope link src 10.186.102.254');
    expect(t.steps.filter((s) => s.type === 'veth' && s.ns === 'node-a')).toHaveLength(1);
    expect(t.steps.filter((s) => s.type === 'veth' && s.ns === 'tor')).toHaveLength(1);
  });

  it('underlay pod → overlay pod: the gateway has no route to the overlay', () => {
    const t = trace(referenceSession().world, { from: 'upod-101-21', to: '10.20.9.60' });
    expect(t.disposition).toBe('NO_ROUTE');
    expect(t.at.ns).toBe('tor');
  });

  it('overlay pod → ClusterIP: IPVS at LOCAL_IN rewrites to an endpoint, TTL decremented', () => {
    const t = trace(referenceSession().world, { from: 'pod-9-41', to: '10.96.0.10', proto: 'udp', dport: 53 });
    expect(t.disposition).toBe('DELIVERED');
    const ipvs = t.steps.find((s) => s.type === 'ipvs')!;
    expect(ipvs.detail.service).toBe('UDP 10.96.0.10:53');
    expect(['10.20.9.72:53', '10.20.4.5:53']).toContain(ipvs.detail.realServer);
    expect(ipvs.changed).toContain('ipv4.dst');
    expect(ipvs.changed).toContain('ipv4.ttl');
  });

  it('a node → its own overlay pod: straight down the veth', () => {
    const t = trace(referenceSession().world, { from: 'node-a', to: '10.20.9.60' });
    expect(t.disposition).toBe('DELIVERED');
    expect(t.ttlAtDelivery).toBe(64);
    expect(routeLines(t)[0]).toBe('node-a: 10.20.9.60 dev upvx4279f78e5dc scope link');
  });
});

describe('failures', () => {
  it('without the node\'s default route, proxy ARP never answers (kernel-facts.md)', () => {
    const t = trace(referenceSession(['ip -n node-a route del default\n']).world, { from: 'pod-9-60', to: '10.20.4.5' });
    expect(t.disposition).toBe('NEIGHBOR_UNREACHABLE');
    expect(t.at).toEqual({ ns: 'pod-9-60', device: 'eth0' });
    expect(t.reason).toContain('node-a has no route to 169.254.1.1');
  });

  it('a 1500-byte packet stops at the pod\'s 1450-byte eth0 (DF set)', () => {
    const t = trace(referenceSession().world, { from: 'pod-9-60', to: '10.20.4.5', size: 1500 });
    expect(t.disposition).toBe('MTU_EXCEEDED');
    expect(t.at).toEqual({ ns: 'pod-9-60', device: 'eth0' });
  });

  it('with a 1500-byte pod MTU, the same packet stops at vxlan.2 (1500 - 50 = 1450)', () => {
    const t = trace(referenceSession(['ip -n pod-9-60 link set eth0 mtu 1500\nip -n node-a link set upvx4279f78e5dc mtu 1500\n']).world, { from: 'pod-9-60', to: '10.20.4.5', size: 1500 });
    expect(t.disposition).toBe('MTU_EXCEEDED');
    expect(t.at).toEqual({ ns: 'node-a', device: 'vxlan.2' });
  });

  it('no route: an address nobody routes', () => {
    const t = trace(referenceSession().world, { from: 'node-a', to: '192.0.2.1' });
    expect(t.disposition).toBe('NO_ROUTE');
    expect(t.at.ns).toBe('tor');
  });

  it('a missing FDB entry strands the frame at vxlan.2', () => {
    const t = trace(referenceSession(['bridge -n node-a fdb del 4a:2d:0c:51:9e:0b dev vxlan.2 dst 10.186.153.12\n']).world, { from: 'pod-9-60', to: '10.20.4.5' });
    expect(t.disposition).toBe('NEIGHBOR_UNREACHABLE');
    expect(t.at).toEqual({ ns: 'node-a', device: 'vxlan.2' });
  });

  it('refuses questions it cannot answer, with a clear message', () => {
    const w = referenceSession().world;
    expect(() => trace(w, { from: 'nope', to: '10.0.0.1' })).toThrow(TraceError);
    expect(() => trace(w, { from: 'nope', to: '10.0.0.1' })).toThrow(/unknown namespace "nope"/);
    expect(() => trace(w, { from: 'node-a', to: '10.0.0.300' })).toThrow(/not an IPv4 address/);
    expect(() => trace(w, { from: 'node-a', to: '10.0.0.1', proto: 'tcp', dport: 70000 })).toThrow(/out of range/);
  });

  it('is deterministic', () => {
    const a = trace(referenceSession().world, { from: 'pod-9-60', to: '10.20.4.5' });
    const b = trace(referenceSession().world, { from: 'pod-9-60', to: '10.20.4.5' });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe("the generator's fabric without OVS (a reader's simulation): a Linux bridge in tor", () => {
  // Not a reference script: the generator writes 10-fabric-lab.sh into a reader's simulation/
  // for machines without bond or OVS, and the tracer must switch through its bridge.
  const checked = checkParams(REFERENCE_PARAMS);
  const s = new Session();
  for (const x of simulationScripts(checked.cluster!, 'no-ovs').filter((x) => x.name !== '60-snat.sh')) {
    const r = s.runScript(x.text, x.name);
    if (r.status !== 0) throw new Error(`${x.name}: ${r.stderr}`);
  }
  const t = trace(s.world, { from: 'pod-9-60', to: '10.20.4.5' });

  it('switches at tor as a Linux bridge step, with its ports, and has no OVS step', () => {
    expect(t.disposition).toBe('DELIVERED');
    const tor = t.steps.filter((x) => x.ns === 'tor' && x.action === 'SWITCHED');
    const br = stepsOf(t, 'bridge').filter((x) => x.ns === 'tor');
    // 10-fabric-lab.sh: a-biz and b-biz are the node ends' peers, both ports of gw-biz.
    expect(tor.map((x) => x.type)).toEqual(['bridge']);
    expect(br.map((x) => [x.detail.bridge, x.detail.inPort, x.detail.outPort])).toEqual([['gw-biz', 'a-biz', 'b-biz']]);
    expect(t.steps.filter((x) => x.type === 'ovs')).toEqual([]);
  });
});

describe('what the tracer cannot follow is a MODEL_LIMIT, not a network verdict', () => {
  // Kernel 6.18, a namespace set up as pod-9-60 (eth0 10.20.9.60/32, default via
  // 169.254.1.1): `ip route get 224.0.0.1` prints `multicast 224.0.0.1 dev eth0 src
  // 10.20.9.60 ... cache <local,mc>`, and 255.255.255.255 `broadcast ... cache <local,brd>`.
  // No ARP is sent for these: a NEIGHBOR_UNREACHABLE after "who-has 224.0.0.1" (what the
  // tracer said before) was the model's invention.
  const s = referenceSession();
  for (const [to, type] of [['224.0.0.1', 'multicast'], ['255.255.255.255', 'broadcast']] as const) {
    it(`${to} from pod-9-60: routed as ${type}, not traced, no ARP`, () => {
      const r = s.runCommand(`ip route get ${to}`, { netns: 'pod-9-60' });
      expect(r.stdout.split(' ')[0]).toBe(type);
      const t = trace(s.world, { from: 'pod-9-60', to });
      expect(t.disposition).toBe('MODEL_LIMIT');
      expect(t.at).toEqual({ ns: 'pod-9-60', device: 'eth0' });
      expect(t.steps.some((x) => x.type === 'neighbor')).toBe(false);
      expect(t.steps.at(-1)!.type).toBe('limit');
      expect(t.reason).toContain(`routes as ${type}`);
    });
  }

  it('the subnet broadcast of node-a\'s biz network: broadcast, not traced', () => {
    const t = trace(s.world, { from: 'node-a', to: '10.186.153.255' });
    expect(t.disposition).toBe('MODEL_LIMIT');
    expect(t.at).toEqual({ ns: 'node-a', device: 'biz' });
  });
});
