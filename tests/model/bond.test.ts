// Bonding: model only (the lab kernel has no bonding driver). The hash examples are worked
// by hand from bond_main.c (__bond_xmit_hash, bond_eth_hash, bond_ip_hash; x86 loads the
// big-endian address and port bytes as little-endian u32s) and bond_xmit_3ad_xor_slave_get
// (slaves->arr[hash % count]); /proc/net/bonding from bond_procfs.c (6.x) and the
// bond_3ad.c constants (AD_LINK_SPEED_10000MBPS = 7, LACP state bits).
import { describe, expect, it } from 'vitest';
import { Session } from '../../lib/session.ts';
import { bondSelectSlave, bondXmitHash, bswap32, type BondFrame } from '../../lib/model/bond-hash.ts';
import { parseIpv4 } from '../../lib/net/ipv4.ts';
import type { Mac } from '../../lib/net/mac.ts';
import { runTool } from './tool-harness.ts';

const ip = parseIpv4;
const SRC = 'b8:ce:f6:0a:00:01' as Mac; // last byte 0x01
const DST = '02:7f:00:00:99:fe' as Mac; // last byte 0xfe

function tcp(src: string, sport: number, dst: string, dport: number, extra: Partial<NonNullable<BondFrame['ip']>> = {}): BondFrame {
  return { srcMac: SRC, dstMac: DST, ip: { src: ip(src), dst: ip(dst), proto: 6, sport, dport, ...extra } };
}

describe('bond_xmit_hash, worked by hand', () => {
  it('reads addresses byte-swapped on x86', () => {
    // 10.0.0.1 is the bytes 0a 00 00 01; loaded little-endian: 0x0100000a.
    expect(bswap32(ip('10.0.0.1'))).toBe(0x0100000a);
  });

  it('layer3+4, TCP 10.0.0.1:40000 -> 10.0.0.2:80', () => {
    // ports: sport 40000 = 0x9c40, dport 80 = 0x0050; bytes 9c 40 00 50 -> u32 0x5000409c
    // addresses: 0x0100000a ^ 0x0200000a = 0x03000000
    // hash = 0x5000409c ^ 0x03000000           = 0x5300409c
    // hash ^= hash >> 16: ^ 0x00005300         = 0x5300139c
    // hash ^= hash >> 8:  ^ 0x00530013         = 0x5353138f
    // hash >>= 1                               = 0x29a989c7  (odd: member 1 of 2)
    const h = bondXmitHash('layer3+4', tcp('10.0.0.1', 40000, '10.0.0.2', 80));
    expect(h.steps.map((s) => s.value)).toEqual([0x5000409c, 0x5300409c, 0x5300139c, 0x5353138f, 0x29a989c7]);
    expect(h.hash).toBe(0x29a989c7);
  });

  it('layer2+3, the same frame', () => {
    // eth: 0xfe ^ 0x01 ^ 0x0800 = 0x08ff; ^ 0x03000000 = 0x030008ff
    // ^ >> 16 (0x0300) = 0x03000bff; ^ >> 8 (0x0003000b) = 0x03030bf4; no shift: even, member 0
    const h = bondXmitHash('layer2+3', tcp('10.0.0.1', 40000, '10.0.0.2', 80));
    expect(h.steps.map((s) => s.value)).toEqual([0x08ff, 0x030008ff, 0x03000bff, 0x03030bf4]);
  });

  it('layer2: last MAC bytes and the ethertype only', () => {
    // 0xfe ^ 0x01 ^ 0x0800 = 0x08ff
    expect(bondXmitHash('layer2', tcp('10.0.0.1', 40000, '10.0.0.2', 80)).hash).toBe(0x08ff);
  });

  it('layer3+4, VXLAN underlay UDP 10.186.153.11:51234 -> 10.186.153.12:4789', () => {
    // ports: 51234 = 0xc822, 4789 = 0x12b5; bytes c8 22 12 b5 -> 0xb51222c8
    // addresses: 0x0b99ba0a ^ 0x0c99ba0a = 0x07000000; hash = 0xb21222c8
    // ^ >> 16 (0xb212) = 0xb21290da; ^ >> 8 (0x00b21290) = 0xb2a0824a; >> 1 = 0x59504125 (odd)
    const f: BondFrame = { srcMac: SRC, dstMac: DST, ip: { src: ip('10.186.153.11'), dst: ip('10.186.153.12'), proto: 17, sport: 51234, dport: 4789 } };
    const h = bondXmitHash('layer3+4', f);
    expect(h.steps.map((s) => s.value)).toEqual([0xb51222c8, 0xb21222c8, 0xb21290da, 0xb2a0824a, 0x59504125]);
  });

  it('layer3+4, ICMP echo id 0x1234 uses type/code/id instead of ports', () => {
    // flow.icmp {type 8, code 0, id 0x1234} -> 0x12340008; ^ 0x03000000 = 0x11340008
    // ^ >> 16 (0x1134) = 0x1134113c; ^ >> 8 (0x00113411) = 0x1125252d; >> 1 = 0x08929296
    const f: BondFrame = { srcMac: SRC, dstMac: DST, ip: { src: ip('10.0.0.1'), dst: ip('10.0.0.2'), proto: 1, icmpType: 8, icmpCode: 0, icmpId: 0x1234 } };
    expect(bondXmitHash('layer3+4', f).steps.map((s) => s.value)).toEqual([0x12340008, 0x11340008, 0x1134113c, 0x1125252d, 0x08929296]);
  });

  it('layer3+4, a fragment hashes the addresses with ports 0', () => {
    // 0 ^ 0x03000000; ^ >> 16 = 0x03000300; ^ >> 8 (0x00030003) = 0x03030303; >> 1 = 0x01818181
    expect(bondXmitHash('layer3+4', tcp('10.0.0.1', 40000, '10.0.0.2', 80, { fragment: true })).hash).toBe(0x01818181);
  });

  it('layer3+4, a non-IP frame falls back to the layer2 hash', () => {
    // ARP: 0xfe ^ 0x01 ^ 0x0806 = 0x08f9
    expect(bondXmitHash('layer3+4', { srcMac: SRC, dstMac: DST, ethertype: 0x0806 }).hash).toBe(0x08f9);
  });

  it('encap3+4 with an L4 skb->hash takes it as is, and says it is random', () => {
    const h = bondXmitHash('encap3+4', { ...tcp('10.0.0.1', 1, '10.0.0.2', 2), l4Hash: 0xdeadbeef });
    expect(h.hash).toBe(0xdeadbeef);
    expect(h.notes.length).toBe(1);
  });

  it('vlan+srcmac: vlan ^ OUI ^ NIC part, no folding', () => {
    // 0x64 ^ 0xb8cef6 ^ 0x0a0001 = 0xb2ce93
    expect(bondXmitHash('vlan+srcmac', { srcMac: SRC, dstMac: DST, vlan: 100 }).hash).toBe(0xb2ce93);
  });
});

const FABRIC = `
ip netns add node-a
ip netns add tor
ip link add ens5f0np0 netns node-a address b8:ce:f6:0a:00:01 type veth peer name a-p1 netns tor address b8:ce:f6:7f:01:01
ip link add ens7f0np0 netns node-a address b8:ce:f6:0a:00:02 type veth peer name a-p2 netns tor address b8:ce:f6:7f:01:02
ip -n node-a link add bond0 type bond mode 802.3ad xmit_hash_policy layer3+4 miimon 100 lacp_rate fast
ip -n node-a link set ens5f0np0 master bond0
ip -n node-a link set ens7f0np0 master bond0
ip -n node-a link set bond0 up
ip -n tor link add bond-a type bond mode 802.3ad xmit_hash_policy layer3+4 miimon 100 lacp_rate fast
ip -n tor link set a-p1 master bond-a
ip -n tor link set a-p2 master bond-a
ip -n tor link set bond-a up
`;

function fabric(): Session {
  const s = new Session();
  // Until link-ops' setMaster records the member's own MAC, set it as the kernel keeps it.
  const pre = s.runScript(FABRIC.split('\n').slice(0, 5).join('\n'), 'fabric-1.sh');
  expect(pre.stderr).toBe('');
  for (const [ns, dev] of [['node-a', 'ens5f0np0'], ['node-a', 'ens7f0np0'], ['tor', 'a-p1'], ['tor', 'a-p2']] as const) {
    const d = s.world.netns(ns)!.device(dev)!;
    d.permaddr ??= d.mac;
  }
  const r = s.runScript(FABRIC.split('\n').slice(5).join('\n'), 'fabric-2.sh');
  expect(r.stderr).toBe('');
  return s;
}

const MEMBER = (name: string, perm: string, port: number, partnerPort: number) => `
Slave Interface: ${name}
MII Status: up
Speed: 10000 Mbps
Duplex: full
Link Failure Count: 0
Permanent HW addr: ${perm}
Slave queue ID: 0
Aggregator ID: 1
Actor Churn State: none
Partner Churn State: none
Actor Churned Count: 0
Partner Churned Count: 0
details actor lacp pdu:
    system priority: 65535
    system mac address: b8:ce:f6:0a:00:01
    port key: 15
    port priority: 255
    port number: ${port}
    port state: 63
details partner lacp pdu:
    system priority: 65535
    system mac address: b8:ce:f6:7f:01:01
    oper key: 15
    port priority: 255
    port number: ${partnerPort}
    port state: 63
`;

describe('/proc/net/bonding/bond0', () => {
  it('prints the 802.3ad bond with its partner bond on the switch', () => {
    const s = fabric();
    const out = runTool(s.world.netns('node-a')!, ['cat', '/proc/net/bonding/bond0']);
    // Key 15 = (AD_LINK_SPEED_10000MBPS 7 << 1) | full duplex (veth reports 10000/full);
    // state 63 = activity|timeout(fast)|aggregation|sync|collecting|distributing.
    expect(out).toEqual({
      stdout:
        'Ethernet Channel Bonding Driver: v6.1.0-57-amd64\n' +
        '\n' +
        'Bonding Mode: IEEE 802.3ad Dynamic link aggregation\n' +
        'Transmit Hash Policy: layer3+4 (1)\n' +
        'MII Status: up\n' +
        'MII Polling Interval (ms): 100\n' +
        'Up Delay (ms): 0\n' +
        'Down Delay (ms): 0\n' +
        'Peer Notification Delay (ms): 0\n' +
        '\n' +
        '802.3ad info\n' +
        'LACP active: on\n' +
        'LACP rate: fast\n' +
        'Min links: 0\n' +
        'Aggregator selection policy (ad_select): stable\n' +
        'System priority: 65535\n' +
        'System MAC address: b8:ce:f6:0a:00:01\n' +
        'Active Aggregator Info:\n' +
        '\tAggregator ID: 1\n' +
        '\tNumber of ports: 2\n' +
        '\tActor Key: 15\n' +
        '\tPartner Key: 15\n' +
        '\tPartner Mac Address: b8:ce:f6:7f:01:01\n' +
        MEMBER('ens5f0np0', 'b8:ce:f6:0a:00:01', 1, 1) +
        MEMBER('ens7f0np0', 'b8:ce:f6:0a:00:02', 2, 2),
      stderr: '',
      status: 0,
    });
  });

  it('cat reports other files as missing', () => {
    const s = fabric();
    expect(runTool(s.world.netns('node-a')!, ['cat', '/proc/net/bonding/ens5f0np0'])).toEqual({
      stdout: '',
      stderr: "cat: can't open '/proc/net/bonding/ens5f0np0': No such file or directory\n",
      status: 1,
    });
  });

  it('picks the member with hash % count over the members with carrier', () => {
    const s = fabric();
    const bond = s.world.netns('node-a')!.device('bond0')!;
    const c = bondSelectSlave(bond, tcp('10.0.0.1', 40000, '10.0.0.2', 80))!;
    expect([c.index, c.slave.name]).toEqual([1, 'ens7f0np0']); // 0x29a989c7 % 2 = 1
    s.runScript('ip -n tor link set a-p2 down', 'down.sh');
    const one = bondSelectSlave(bond, tcp('10.0.0.1', 40000, '10.0.0.2', 80))!;
    expect([one.usable.length, one.slave.name]).toEqual([1, 'ens5f0np0']);
  });
});
