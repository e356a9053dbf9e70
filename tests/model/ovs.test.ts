// Open vSwitch: model only (the lab kernel has no openvswitch module). Expected text is
// derived from OVS sources: `ovs-vsctl show` from lib/db-ctl-base.c cmd_show_row with
// ovs-vsctl.c's cmd_show_tables (indent 4 per level, non-default columns only, sets in UUID
// order, strings quoted per lib/ovsdb-data.c string_needs_quotes), errors from ovs-vsctl.c
// (check_conflicts, find_bridge, find_port, post_db_reload_do_checks), fdb/show from
// ofproto-dpif.c (" port  VLAN  MAC                Age", "%5s  %4d  MAC  %3d"), bond/show
// from ofproto/bond.c bond_print_details; forwarding from xlate_normal's VLAN rules.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Session } from '../../lib/session.ts';
import { ovsDb } from '../../lib/model/ovs/db.ts';
import { ovsForward, ovsPortOfDevice } from '../../lib/model/ovs/forward.ts';
import type { Mac } from '../../lib/net/mac.ts';
import { runTool } from './tool-harness.ts';

function reference(): Session {
  const s = new Session();
  for (const f of ['00-hosts.sh', '10-fabric.sh', '20-node-net.sh', '21-planes.sh']) {
    const r = s.runScript(readFileSync(new URL(`../../content/scripts/${f}`, import.meta.url), 'utf8'), f);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }
  return s;
}

function bare(): Session {
  const s = new Session();
  s.runScript('ip netns add n1\nip -n n1 link add eth1 type veth peer name eth2', 'bare.sh');
  return s;
}

const run = (s: Session, ns: string, cmd: string) => s.runCommand(cmd, { netns: ns });

describe('ovs-vsctl show and listings', () => {
  it('prints the reference node bridge: ports in UUID order, tag, internal type, ovs_version', () => {
    const s = reference();
    const db = ovsDb(s.world.netns('node-a')!);
    const b = db.bridges[0]!;
    const byUuid = [...b.ports].sort((x, y) => (x.uuid < y.uuid ? -1 : 1));
    const expected =
      `${db.uuid}\n    Bridge br-bond0\n` +
      byUuid
        .map((p) => {
          let t = `        Port ${p.name}\n`;
          if (p.tag !== undefined) t += `            tag: ${p.tag}\n`;
          t += `            Interface ${p.name}\n`;
          if (p.name !== 'bond0') t += '                type: internal\n';
          return t;
        })
        .join('') +
      '    ovs_version: "3.1.0"\n';
    expect(run(s, 'node-a', 'ovs-vsctl show')).toMatchObject({ stdout: expected, stderr: '', status: 0 });
    expect(run(s, 'node-a', 'ovs-vsctl list-br').stdout).toBe('br-bond0\n');
    expect(run(s, 'node-a', 'ovs-vsctl list-ports br-bond0').stdout).toBe('biz\nbond0\nctl\nmgm\n');
    expect(run(s, 'node-a', 'ovs-vsctl port-to-br ctl').stdout).toBe('br-bond0\n');
  });

  it('trunks print as a set, an unopenable system interface carries its error', () => {
    const s = bare();
    expect(run(s, 'n1', 'ovs-vsctl add-br br0').status).toBe(0);
    expect(run(s, 'n1', 'ovs-vsctl add-port br0 eth1 trunks=20,10')).toMatchObject({ stdout: '', stderr: '', status: 0 });
    const missing = run(s, 'n1', 'ovs-vsctl add-port br0 eth5');
    expect(missing).toMatchObject({
      stdout: '',
      stderr:
        "ovs-vsctl: Error detected while setting up 'eth5': could not open network device eth5 (No such device).  See ovs-vswitchd log for details.\n" +
        'ovs-vsctl: The default log directory is "/var/log/openvswitch".\n',
      status: 0,
    });
    const show = run(s, 'n1', 'ovs-vsctl show').stdout;
    expect(show).toContain('        Port eth1\n            trunks: [10, 20]\n            Interface eth1\n');
    expect(show).toContain('        Port eth5\n            Interface eth5\n                error: "could not open network device eth5 (No such device)"\n');
  });
});

describe('the kernel side of ovs-vsctl', () => {
  it('the first bridge makes ovs-system; internal ports are devices; attached devices get master ovs-system', () => {
    const s = reference();
    const ns = s.world.netns('node-a')!;
    expect(ns.device('ovs-system')?.kind).toBe('ovs-system');
    expect(ns.device('ovs-system')?.adminUp).toBe(false);
    expect(ns.device('br-bond0')?.kind).toBe('ovs-internal');
    expect(ns.device('ctl')?.kind).toBe('ovs-internal');
    expect(ns.device('bond0')?.master?.name).toBe('ovs-system');
    expect(ns.device('bond0')?.promisc).toBe(true);
    expect(ns.device('ctl')?.master).toBeUndefined();
    expect(run(s, 'node-a', 'ip link show bond0').stdout).toContain('master ovs-system state UP');
  });

  it('del-port removes an internal device and releases a system one; del-br drops ovs-system', () => {
    const s = reference();
    const ns = s.world.netns('node-a')!;
    expect(run(s, 'node-a', 'ovs-vsctl del-port br-bond0 mgm').status).toBe(0);
    expect(ns.device('mgm')).toBeUndefined();
    expect(run(s, 'node-a', 'ovs-vsctl del-port bond0').status).toBe(0);
    expect(ns.device('bond0')?.master).toBeUndefined();
    expect(run(s, 'node-a', 'ovs-vsctl del-br br-bond0').status).toBe(0);
    expect(ns.device('ovs-system')).toBeUndefined();
    expect(ns.device('biz')).toBeUndefined();
  });
});

describe('ovs-vsctl errors', () => {
  const cases: [string, string][] = [
    ['ovs-vsctl add-port br-x p1', 'ovs-vsctl: no bridge named br-x\n'],
    ['ovs-vsctl list-ports br-x', 'ovs-vsctl: no bridge named br-x\n'],
    ['ovs-vsctl add-br br-bond0', 'ovs-vsctl: cannot create a bridge named br-bond0 because a bridge named br-bond0 already exists\n'],
    ['ovs-vsctl add-port br-bond0 ctl', 'ovs-vsctl: cannot create a port named ctl because a port named ctl already exists on bridge br-bond0\n'],
    ['ovs-vsctl add-br ctl', 'ovs-vsctl: cannot create a bridge named ctl because a port named ctl already exists on bridge br-bond0\n'],
    ['ovs-vsctl del-port nope', 'ovs-vsctl: no port named nope\n'],
    ['ovs-vsctl set port nope tag=5', 'ovs-vsctl: no row "nope" in table Port\n'],
    ['ovs-vsctl set port ctl tag=5000', 'ovs-vsctl: constraint violation: 5000 is not in the valid range 0 to 4095 (inclusive)\n'],
    ['ovs-vsctl set port ctl tag=x', 'ovs-vsctl: "x" is not a valid integer or range\n'],
    ['ovs-vsctl frobnicate', "ovs-vsctl: unknown command 'frobnicate'; use --help for help\n"],
    ['ovs-vsctl add-port br-bond0', "ovs-vsctl: 'add-port' command requires at least 2 arguments\n"],
    ['ovs-vsctl --may-exist del-port ctl', "ovs-vsctl: 'del-port' command has no '--may-exist' option\n"],
  ];
  for (const [cmd, err] of cases) {
    it(cmd, () => {
      expect(run(reference(), 'node-a', cmd)).toMatchObject({ stdout: '', stderr: err, status: 1 });
    });
  }
  it('--may-exist and --if-exists make repeats harmless', () => {
    const s = reference();
    expect(run(s, 'node-a', 'ovs-vsctl --may-exist add-br br-bond0').status).toBe(0);
    expect(run(s, 'node-a', 'ovs-vsctl --may-exist add-port br-bond0 ctl').status).toBe(0);
    expect(run(s, 'node-a', 'ovs-vsctl --if-exists del-port nope').status).toBe(0);
    expect(run(s, 'node-a', 'ovs-vsctl br-exists br-x').status).toBe(2);
  });
});

const M = (s: string) => s as Mac;
const CTL_A = M('02:0a:00:00:14:0b');
const MGM_A = M('02:0a:00:00:0a:0b');
const GW_CTL = M('02:7f:00:00:14:fe');
const BCAST = M('ff:ff:ff:ff:ff:ff');

describe('ovsForward (NORMAL switching)', () => {
  it('an access port tags on ingress; flooding reaches the trunks tagged and skips other access VLANs', () => {
    const s = reference();
    const ns = s.world.netns('node-a')!;
    const { bridge } = ovsPortOfDevice(ns, 'ctl')!;
    const f = ovsForward(ns, bridge, 'ctl', { srcMac: CTL_A, dstMac: BCAST });
    expect(f.vlan).toBe(20);
    expect(f.decision).toBe('flood');
    // Trunks (no tag): bond0, biz and the bridge port carry VLAN 20 tagged; mgm (VLAN 10) does not.
    expect(f.outputs.map((o) => [o.port.name, o.vlan])).toEqual(
      expect.arrayContaining([
        ['bond0', 20],
        ['biz', 20],
        ['br-bond0', 20],
      ]),
    );
    expect(f.outputs.length).toBe(3);
    expect(f.learned).toEqual({ vlan: 20, mac: CTL_A, moved: false });
  });

  it('a learned MAC gets one output; the access port pops the tag', () => {
    const s = reference();
    const ns = s.world.netns('node-a')!;
    const { bridge } = ovsPortOfDevice(ns, 'ctl')!;
    ovsForward(ns, bridge, 'ctl', { srcMac: CTL_A, dstMac: BCAST });
    const back = ovsForward(ns, bridge, 'bond0', { srcMac: GW_CTL, dstMac: CTL_A, vlan: 20 });
    expect(back.decision).toBe('learned');
    expect(back.outputs.map((o) => [o.port.name, o.vlan, o.ofport])).toEqual([['ctl', undefined, 3]]);
  });

  it('drops a tagged frame on an access port and a VLAN the trunk does not carry', () => {
    const s = reference();
    const ns = s.world.netns('node-a')!;
    const { bridge } = ovsPortOfDevice(ns, 'mgm')!;
    expect(ovsForward(ns, bridge, 'mgm', { srcMac: MGM_A, dstMac: BCAST, vlan: 10 }).decision).toBe('drop');
    run(s, 'node-a', 'ovs-vsctl set port bond0 trunks=10,20');
    expect(ovsForward(ns, bridge, 'bond0', { srcMac: GW_CTL, dstMac: BCAST, vlan: 101 }).dropped).toBe('port bond0 does not trunk VLAN 101');
  });

  it('ovs-appctl fdb/show lists learned entries, least recently used first, with OpenFlow ports', () => {
    const s = reference();
    const ns = s.world.netns('node-a')!;
    const { bridge } = ovsPortOfDevice(ns, 'ctl')!;
    ovsForward(ns, bridge, 'ctl', { srcMac: CTL_A, dstMac: BCAST });
    ovsForward(ns, bridge, 'bond0', { srcMac: GW_CTL, dstMac: CTL_A, vlan: 20 });
    // OpenFlow ports in order of addition: bond0 1, biz 2, ctl 3, mgm 4.
    expect(run(s, 'node-a', 'ovs-appctl fdb/show br-bond0')).toMatchObject({
      stdout: ' port  VLAN  MAC                Age\n    3    20  02:0a:00:00:14:0b    0\n    1    20  02:7f:00:00:14:fe    0\n',
      status: 0,
    });
    expect(run(s, 'node-a', 'ovs-appctl fdb/flush br-bond0').stdout).toBe('table successfully flushed\n');
    expect(run(s, 'node-a', 'ovs-appctl fdb/show br-x')).toMatchObject({
      stdout: '',
      stderr: 'no such bridge\novs-appctl: ovs-vswitchd: server returned an error\n',
      status: 2,
    });
  });
});

describe('OVS bonds (add-bond)', () => {
  it('bond/show prints an active-backup bond; the active member is the first up member by name', () => {
    const s = new Session();
    s.runScript(
      [
        'ip netns add n1',
        'ip netns add n2',
        'ip link add eth1 netns n1 address 02:00:00:00:00:01 type veth peer name p1 netns n2',
        'ip link add eth2 netns n1 address 02:00:00:00:00:02 type veth peer name p2 netns n2',
        'ip -n n1 link set eth1 up',
        'ip -n n1 link set eth2 up',
        'ip -n n2 link set p1 up',
        'ip -n n2 link set p2 up',
        'ip netns exec n1 ovs-vsctl add-br br0',
        'ip netns exec n1 ovs-vsctl add-bond br0 bond1 eth2 eth1',
      ].join('\n'),
      'bond.sh',
    );
    expect(run(s, 'n1', 'ovs-appctl bond/show bond1').stdout).toBe(
      '---- bond1 ----\n' +
        'bond_mode: active-backup\n' +
        'bond may use recirculation: no, Recirc-ID : -1\n' +
        'bond-hash-basis: 0\n' +
        'lb_output action: disabled, bond-id: -1\n' +
        'updelay: 0 ms\n' +
        'downdelay: 0 ms\n' +
        'lacp_status: off\n' +
        'lacp_fallback_ab: false\n' +
        'active-backup primary: <none>\n' +
        'active member mac: 02:00:00:00:00:01(eth1)\n' +
        '\n' +
        'member eth1: enabled\n' +
        '  active member\n' +
        '  may_enable: true\n' +
        '\n' +
        'member eth2: enabled\n' +
        '  may_enable: true\n' +
        '\n',
    );
    expect(run(s, 'n1', 'ovs-appctl bond/show nope')).toMatchObject({ stderr: 'no such bond\novs-appctl: ovs-vswitchd: server returned an error\n', status: 2 });
    expect(run(s, 'n1', 'ovs-vsctl add-bond br0 bond2 eth9')).toMatchObject({ stderr: "ovs-vsctl: 'add-bond' command requires at least 4 arguments\n", status: 1 });
    expect(run(s, 'n1', 'ovs-vsctl add-bond br0 bond2 eth9 tag=5')).toMatchObject({ stderr: 'ovs-vsctl: add-bond requires at least 2 interfaces, but only 1 were specified\n', status: 1 });
  });
});
