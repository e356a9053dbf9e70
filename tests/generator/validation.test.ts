// Invalid parameter sets are rejected, with the field and the reason: each case breaks one
// thing in a random valid set (many seeds) or in the reference set, and expects that error.
import { describe, expect, it } from 'vitest';
import { checkParams } from '../../lib/generator/check-params.ts';
import type { ErrorCode } from '../../lib/generator/errors.ts';
import { generate } from '../../lib/generator/generate.ts';
import type { ClusterParams } from '../../lib/generator/params.ts';
import { REFERENCE_PARAMS } from '../../lib/generator/reference.ts';
import { randomParams } from './random-params.ts';

const SEED = Number(process.env.NETATLAS_SEED ?? 20261126);
const seeds = [...Array(Number(process.env.NETATLAS_CASES ?? 60)).keys()].map((i) => (SEED + i * 104729) >>> 0);

type Breaker = (p: ClusterParams) => { path: string; code: ErrorCode; message?: RegExp };

const clone = (p: ClusterParams): ClusterParams => JSON.parse(JSON.stringify(p)) as ClusterParams;

const BREAKERS: Record<string, Breaker> = {
  'services CIDR overlapping the pod CIDR': (p) => {
    p.services = { cidr: p.overlay.podCidr, list: [] };
    return { path: 'services.cidr', code: 'overlap', message: /overlaps overlay\.podCidr/ };
  },
  'a VLAN subnet overlapping the underlay': (p) => {
    p.vlans = [{ id: 3999, subnet: p.underlay.subnet, gateway: p.underlay.gateway }];
    for (const n of p.nodes) delete n.underlayPods;
    return { path: 'vlans[0].subnet', code: 'overlap', message: /overlaps underlay\.subnet/ };
  },
  'a pod subnet outside the pod CIDR': (p) => {
    p.nodes[1]!.podSubnet = '192.0.2.0/24';
    delete p.nodes[1]!.pods;
    return { path: 'nodes[1].podSubnet', code: 'outside', message: /outside overlay\.podCidr/ };
  },
  'two nodes with overlapping pod subnets': (p) => {
    p.nodes[1]!.podSubnet = p.nodes[0]!.podSubnet;
    p.nodes[1]!.pods = [{ name: 'extra-pod' }];
    return { path: 'nodes[1].podSubnet', code: 'overlap', message: /overlaps nodes\[0\]\.podSubnet/ };
  },
  'a pod MTU that does not fit the underlay': (p) => {
    p.overlay.podMtu = (p.underlay.mtu ?? 1500) - 49;
    return { path: 'overlay.podMtu', code: 'mtu', message: /VXLAN over IPv4 adds 50 bytes/ };
  },
  'a gateway outside its subnet': (p) => {
    p.underlay.gateway = '192.0.2.1';
    return { path: 'underlay.gateway', code: 'outside', message: /outside underlay\.subnet/ };
  },
  'a gateway on the network address': (p) => {
    p.underlay.gateway = p.underlay.subnet.split('/')[0]!;
    return { path: 'underlay.gateway', code: 'network-or-broadcast' };
  },
  'two nodes with the same address': (p) => {
    p.nodes[1]!.address = p.nodes[0]!.address;
    return { path: 'nodes[1].address', code: 'duplicate', message: /already used by nodes\[0\]\.address/ };
  },
  'a pod address used twice': (p) => {
    const net = p.nodes[0]!.podSubnet.split('/')[0]!.split('.').map(Number);
    const ip = [...net.slice(0, 3), net[3]! + 7].join('.');
    p.nodes[0]!.pods = [{ ip }, { ip }];
    return { path: 'nodes[0].pods[1].ip', code: 'duplicate' };
  },
  'VLAN id 4095': (p) => {
    p.vlans = [{ id: 4095, subnet: '192.0.2.0/24', gateway: '192.0.2.1' }];
    return { path: 'vlans[0].id', code: 'range', message: /outside 1–4094/ };
  },
  'VLAN id 0': (p) => {
    p.planes = [{ name: 'ctl', vlan: 0, subnet: '192.0.2.0/24', gateway: '192.0.2.1' }];
    return { path: 'planes[0].vlan', code: 'range' };
  },
  'a MAC that is not one': (p) => {
    p.nodes[0]!.macs = { vtep: '02:0a:00:00:99' };
    return { path: 'nodes[0].macs.vtep', code: 'mac' };
  },
  'a multicast MAC': (p) => {
    p.nodes[1]!.macs = { underlay: '01:00:5e:00:00:01' };
    return { path: 'nodes[1].macs.underlay', code: 'mac-multicast', message: /unicast/ };
  },
  'the same MAC on two VTEPs': (p) => {
    p.nodes[0]!.macs = { vtep: '02:00:00:00:00:aa' };
    p.nodes[1]!.macs = { vtep: '02:00:00:00:00:aa' };
    return { path: 'nodes[1].macs.vtep', code: 'duplicate' };
  },
  'a NIC name longer than IFNAMSIZ allows': (p) => {
    p.fabric.nics = ['enp1s0f0np0verylong'];
    return { path: 'fabric.nics[0]', code: 'ifname-length', message: /at most 15/ };
  },
  'a VXLAN device name of 16 characters': (p) => {
    p.overlay.device = 'vxlan-overlay-01';
    return { path: 'overlay.device', code: 'ifname-length' };
  },
  'a VLAN sub-interface name that gets too long': (p) => {
    p.underlay.device = 'underlay-biz1';
    p.vlans = [{ id: 1001, subnet: '192.0.2.0/24', gateway: '192.0.2.1' }];
    for (const n of p.nodes) delete n.underlayPods;
    return { path: 'vlans[0].id', code: 'ifname-length', message: /underlay-biz1\.1001/ };
  },
  'an interface name with a slash': (p) => {
    p.fabric.bridge = 'br/0';
    return { path: 'fabric.bridge', code: 'ifname' };
  },
  'bond mode active-backup (not modelled)': (p) => {
    (p.fabric.bond as { mode: string }).mode = 'active-backup';
    return { path: 'fabric.bond.mode', code: 'choice', message: /802\.3ad, balance-xor/ };
  },
  'an unknown hash policy': (p) => {
    (p.fabric.bond as { xmitHashPolicy: string }).xmitHashPolicy = 'layer4';
    return { path: 'fabric.bond.xmitHashPolicy', code: 'choice' };
  },
  'lacp_rate with balance-xor': (p) => {
    p.fabric.bond = { mode: 'balance-xor', xmitHashPolicy: 'layer2', lacpRate: 'fast' };
    return { path: 'fabric.bond.lacpRate', code: 'mode-option' };
  },
  'a prefix with host bits set': (p) => {
    p.overlay.podCidr = p.overlay.podCidr.replace(/\.0\/(\d+)$/, '.1/$1');
    return { path: 'overlay.podCidr', code: 'host-bits' };
  },
  'an address that is not one': (p) => {
    p.nodes[0]!.address = '10.186.153.300';
    return { path: 'nodes[0].address', code: 'ipv4' };
  },
  'a pod address that is the VTEP address': (p) => {
    p.nodes[0]!.pods = [{ ip: p.nodes[0]!.podSubnet.split('/')[0]! }];
    return { path: 'nodes[0].pods[0].ip', code: 'network-or-broadcast' };
  },
  'an underlay pod in a VLAN that does not exist': (p) => {
    p.nodes[0]!.underlayPods = [{ vlan: 4000 }];
    return { path: 'nodes[0].underlayPods[0].vlan', code: 'unknown-vlan' };
  },
  'one node': (p) => {
    p.nodes = p.nodes.slice(0, 1);
    return { path: 'nodes', code: 'count' };
  },
  'a pod CIDR in the link-local range': (p) => {
    p.overlay.podCidr = '169.254.0.0/16';
    return { path: 'overlay.podCidr', code: 'special-address' };
  },
  'a missing field': (p) => {
    delete (p.overlay as Partial<ClusterParams['overlay']>).vni;
    return { path: 'overlay.vni', code: 'required' };
  },
  'an unknown field': (p) => {
    (p.underlay as unknown as Record<string, unknown>).mtuu = 9000;
    return { path: 'underlay.mtuu', code: 'unknown-field' };
  },
};

describe('invalid parameters are rejected with the field and the reason', () => {
  for (const [name, breaker] of Object.entries(BREAKERS)) {
    it(`${name} (reference set and ${seeds.length} random sets)`, () => {
      for (const [label, base] of [['reference', REFERENCE_PARAMS] as const, ...seeds.map((s) => [`seed ${s}`, randomParams(s)] as const)]) {
        const p = clone(base);
        const want = breaker(p);
        const r = checkParams(p);
        expect(r.cluster, `${label}: accepted`).toBeUndefined();
        const hit = r.errors.find((e) => e.path === want.path && e.code === want.code);
        expect(hit, `${label}: wanted ${want.path} ${want.code}, got:\n${r.errors.map((e) => `${e.path} [${e.code}] ${e.message}`).join('\n')}`).toBeDefined();
        if (want.message) expect(hit!.message).toMatch(want.message);
        const g = generate(p);
        expect(g.ok).toBe(false);
      }
    });
  }

  it('the MTU message says why: 50 bytes of VXLAN over IPv4, and a VLAN tag does not count', () => {
    const p = clone(REFERENCE_PARAMS);
    p.overlay.podMtu = 1500;
    const e = checkParams(p).errors.find((x) => x.path === 'overlay.podMtu')!;
    expect(e.message).toBe(
      '1500 does not fit the underlay: VXLAN over IPv4 adds 50 bytes (outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14; the kernel\'s VXLAN_HEADROOM), so with underlay.mtu 1500 the pods get at most 1450. An 802.1Q tag on the underlay does not count: it is part of the Ethernet header, not of the MTU',
    );
    expect(e.args).toEqual({ value: 1500, max: 1450, mtu: 1500 });
  });

  it('a value of the wrong type', () => {
    expect(checkParams({ ...clone(REFERENCE_PARAMS), nodes: 'two' }).errors).toContainEqual(expect.objectContaining({ path: 'nodes', code: 'type' }));
    expect(checkParams(null).errors).toContainEqual(expect.objectContaining({ path: '', code: 'type' }));
  });
});
