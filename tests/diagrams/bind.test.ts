// Diagrams are tied to the model: the article's own diagrams, bound to the reference
// cluster, pass; a diagram that drifts from the model (a link between unconnected devices,
// a device that does not exist, participants out of the trace's order) fails.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDiagram } from '../../lib/diagrams/bind.ts';
import { parseMermaid } from '../../lib/diagrams/mermaid.ts';
import { referenceSession, ROOT } from '../trace/reference.ts';

// The article's code blocks, vendored (tests/fixtures/article/PROVENANCE.md).
const article = readFileSync(join(ROOT, 'tests', 'fixtures', 'article', 'article.zh.code.md'), 'utf8');
const mermaid = [...article.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);
const world = referenceSession().world;

const FLOW_BIND = `%% model: node-a
%% bind: PodA=@pod-9-60, PodB=@pod-9-72, VethA=upvx4279f78e5dc, VethB=upvx9e4d48a9851, IPVS=kube-ipvs0, RouteTable=@route, VxlanDev=vxlan.2, BizPort=biz, CtlPort=ctl, MgmPort=mgm, Bridge=br-bond0, Bond=bond0, Nic1=ens5f0np0, Nic2=ens7f0np0
`;
const SEQ_BIND = `%% trace: from=pod-9-60 to=10.20.4.5
%% roles: Pod=pod, Veth=veth, Routing=routing, Vxlan=vxlan, BizIf=ovs-port, OVSBr=ovs-bridge, PhyBond=bond
`;

describe('the article\'s architecture flowchart', () => {
  const code = mermaid[0]!;
  it('parses its nodes and links', () => {
    const d = parseMermaid(code);
    expect(d.kind).toBe('flowchart');
    if (d.kind !== 'flowchart') return;
    expect([...d.nodes.keys()]).toEqual(expect.arrayContaining(['PodA', 'VethA', 'RouteTable', 'VxlanDev', 'BizPort', 'Bridge', 'Bond', 'Nic1', 'Nic2']));
    expect(d.links.map((l) => `${l.from}-${l.to}`)).toEqual(expect.arrayContaining(['PodA-VethA', 'VxlanDev-RouteTable', 'Bridge-Bond', 'Bond-Nic1']));
  });
  it('matches the reference topology when bound to node-a', () => {
    expect(checkDiagram(world, parseMermaid(FLOW_BIND + code))).toEqual([]);
  });
  it('fails when a link joins devices the model does not connect', () => {
    const drifted = FLOW_BIND + code.replace('Bond --- Nic1', 'BizPort --- Nic1');
    const problems = checkDiagram(world, parseMermaid(drifted));
    expect(problems.map((p) => p.message)).toContain('link BizPort — Nic1: biz and ens5f0np0 are not connected in the model');
  });
  it('fails when a bound device does not exist, or a node is unbound', () => {
    const problems = checkDiagram(world, parseMermaid(FLOW_BIND.replace('Nic2=ens7f0np0', 'Nic2=ens6f0np0') + code));
    expect(problems.map((p) => p.message)).toContain('node Nic2 ("ens7f0np0"): device "ens6f0np0" does not exist in node-a');
    const unbound = checkDiagram(world, parseMermaid(FLOW_BIND.replace(', Nic2=ens7f0np0', '') + code));
    expect(unbound.map((p) => p.message)).toContain('node Nic2 ("ens7f0np0") is not bound to the model (add it to "%% bind:")');
  });
});

describe('the article\'s pod → remote pod sequence diagram', () => {
  const code = mermaid[2]!;
  it('has the tracer\'s participants, in its order, and its messages follow the trace', () => {
    expect(checkDiagram(world, parseMermaid(SEQ_BIND + code))).toEqual([]);
  });
  it('fails when participants are out of the trace\'s order', () => {
    const swapped = code.replace(/participant Vxlan[^\n]*\n/, '').replace(/(participant Veth[^\n]*\n)/, '$1    participant Vxlan as "VXLAN 设备 (Encap)"\n').replace(/participant Routing[^\n]*\n/, '').replace(/(participant Vxlan[^\n]*\n)/, '$1    participant Routing as "Linux 路由/Netfilter"\n');
    const problems = checkDiagram(world, parseMermaid(SEQ_BIND + swapped));
    expect(problems.some((p) => p.message.startsWith('participants are in the order pod, veth, vxlan, routing'))).toBe(true);
  });
  it('fails when a message runs against the trace', () => {
    const backwards = code.replace('OVSBr->>PhyBond: 转发至物理出口', 'PhyBond->>OVSBr: 转发至物理出口');
    const problems = checkDiagram(world, parseMermaid(SEQ_BIND + backwards));
    expect(problems.some((p) => p.message.startsWith('message PhyBond → OVSBr'))).toBe(true);
  });
  it('fails when the flow it claims is not delivered', () => {
    const problems = checkDiagram(referenceSession(['ip -n node-a route del default\n']).world, parseMermaid(SEQ_BIND + code));
    expect(problems[0]!.message).toMatch(/is not delivered \(NEIGHBOR_UNREACHABLE/);
  });
});
