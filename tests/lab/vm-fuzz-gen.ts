// Random device configurations for the reference kernel (the VM): the devices the host kernel
// lacks (bond, 802.1Q/802.1ad VLAN, ipvlan, dummy, IPVS, Open vSwitch, iptables nat and filter), typed
// as a reader would type them, with deliberately invalid input mixed in, then the show
// commands a reader uses to look at them. Seeded: configuration `index` of seed `seed` is the
// same on every machine (subSeed), so a failing case replays alone.
//
// Every device gets an explicit `address` (prefix 02:00:00) except where the point is the
// kernel's choice (a bond created without one): vm-fuzz.ts masks only MACs outside that
// prefix, i.e. the ones the kernel drew at random.
import { Prng, subSeed } from './prng.ts';

export type VmDeviceClass = 'bond' | 'vlan' | 'ipvlan' | 'dummy' | 'ipvs' | 'ovs' | 'nat';
export const VM_DEVICE_CLASSES: readonly VmDeviceClass[] = ['bond', 'vlan', 'ipvlan', 'dummy', 'ipvs', 'ovs', 'nat'];

export type VmCommandKind = 'setup' | 'config' | 'invalid' | 'show';

export interface VmFuzzCommand {
  text: string;
  kind: VmCommandKind;
  /** Kept by the shrinker (namespace creation). */
  fixed: boolean;
}

export interface VmFuzzConfig {
  index: number;
  seed: number;
  cls: VmDeviceClass;
  namespaces: string[];
  commands: VmFuzzCommand[];
  /**
   * Open vSwitch configurations share one host (namespace) per run: starting a host's
   * ovsdb-server and ovs-vswitchd costs 5-20 s under QEMU TCG. The namespace is made once;
   * each configuration deletes its bridges and devices at its end, so the next one starts
   * from an empty Open vSwitch as the model's fresh namespace does. `prelude` (creating the
   * namespace) runs on the model only, uncompared.
   */
  shared?: { ns: string; prelude: string[] };
}

/** Prefix of every MAC the generator writes (anything else in an output was drawn by the kernel). */
export const MAC_PREFIX = '02:00:00';

const BOND_MODES = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb', '0', '1', '4'];
const HASH = ['layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4', 'vlan+srcmac'];
const SCHEDS = ['rr', 'wrr', 'lc', 'wlc', 'sh', 'dh', 'sed', 'nq', 'lblc', 'lblcr', 'mh'];
const FWD = ['-g', '-m', '-i'];

class Gen {
  readonly r: Prng;
  readonly a: string;
  readonly b: string;
  readonly cmds: VmFuzzCommand[] = [];
  private macN = 0;
  private readonly macBase: number;
  /** Devices of each namespace (for the shows). */
  readonly devs = new Map<string, string[]>();

  constructor(seed: number, index: number, prefix: string, nsA?: string) {
    this.r = new Prng(seed);
    this.a = nsA ?? `${prefix}${index}a`;
    this.b = `${prefix}${index}b`;
    this.macBase = (index * 16) & 0xffff;
  }

  mac(): string {
    const n = this.macBase * 16 + this.macN++;
    const h = (x: number) => (x & 255).toString(16).padStart(2, '0');
    return `${MAC_PREFIX}:${h(n >> 16)}:${h(n >> 8)}:${h(n)}`;
  }

  push(text: string, kind: VmCommandKind = 'config', fixed = false): void {
    this.cmds.push({ text, kind, fixed });
  }

  ip(ns: string, rest: string, kind: VmCommandKind = 'config'): void {
    this.push(`ip -n ${ns} ${rest}`, kind);
  }

  exec(ns: string, rest: string, kind: VmCommandKind = 'config'): void {
    this.push(`ip netns exec ${ns} ${rest}`, kind);
  }

  addDev(ns: string, name: string): void {
    const l = this.devs.get(ns) ?? [];
    if (!l.includes(name)) l.push(name);
    this.devs.set(ns, l);
  }

  dummy(ns: string, name: string, withAddress = true): void {
    this.ip(ns, `link add ${name}${withAddress ? ` address ${this.mac()}` : ''} type dummy`, 'setup');
    this.addDev(ns, name);
  }

  veth(ns: string, name: string, peer: string): void {
    this.ip(ns, `link add ${name} address ${this.mac()} type veth peer name ${peer} address ${this.mac()}`, 'setup');
    this.addDev(ns, name);
    this.addDev(ns, peer);
  }

  up(ns: string, name: string): void {
    this.ip(ns, `link set ${name} up`);
  }

  linkShows(ns: string): void {
    const r = this.r;
    const devs = this.devs.get(ns) ?? [];
    this.ip(ns, r.pick(['link', 'link show', '-d link show', '-br link', 'addr']), 'show');
    for (const d of devs) if (r.chance(0.2)) this.ip(ns, `-d link show ${d}`, 'show');
  }
}

// ---------------------------------------------------------------------------------------

function genDummy(g: Gen): void {
  const { r, a } = g;
  const n = r.int(1, 3);
  for (let i = 0; i < n; i++) g.dummy(a, `dm${i}`, r.chance(0.9));
  for (let i = 0; i < n; i++) {
    if (r.chance(0.6)) g.up(a, `dm${i}`);
    if (r.chance(0.3)) g.ip(a, `link set dm${i} mtu ${r.pick(['9000', '1280', '68', '65535', '576'])}`);
    if (r.chance(0.3)) g.ip(a, `addr add 10.${r.int(0, 9)}.${i}.1/${r.pick([24, 32, 16])} dev dm${i}`);
  }
  if (r.chance(0.4)) g.ip(a, `link add dm0 address ${g.mac()} type dummy`, 'invalid'); // exists
  if (r.chance(0.3)) g.ip(a, `link set dm0 mtu ${r.pick(['67', '0', '65536', '70000', 'big'])}`, 'invalid');
  if (r.chance(0.3)) g.ip(a, `link add dmx type dummy ${r.pick(['mode l2', 'id 5', 'mtu'])}`, 'invalid');
  if (r.chance(0.3)) g.ip(a, `link set dm0 address ${r.pick(['01:00:5e:00:00:01', '00:00:00:00:00:00', 'zz:00', g.mac()])}`);
  if (n > 1 && r.chance(0.3)) g.ip(a, `link del dm${n - 1}`);
  g.linkShows(a);
}

function genBond(g: Gen): void {
  const { r, a, b } = g;
  const mode = r.pick(BOND_MODES);
  let opts = ` mode ${mode}`;
  if (r.chance(0.5)) opts += ` miimon ${r.pick(['0', '100', '50', '1000'])}`;
  if (r.chance(0.4)) opts += ` xmit_hash_policy ${r.pick(HASH)}`;
  if (r.chance(0.3)) opts += ` lacp_rate ${r.pick(['slow', 'fast', '1'])}`;
  if (r.chance(0.15)) opts += ` min_links ${r.int(0, 3)}`;
  const withAddr = r.chance(0.5);
  g.ip(a, `link add bond0${withAddr ? ` address ${g.mac()}` : ''} type bond${opts}`, 'setup');
  g.addDev(a, 'bond0');
  const veth = r.chance(0.3);
  const nSlaves = r.int(1, 3);
  const slaves: string[] = [];
  for (let i = 0; i < nSlaves; i++) {
    if (veth) {
      g.veth(a, `eth${i}`, `peer${i}`);
      slaves.push(`eth${i}`);
    } else {
      g.dummy(a, `dm${i}`);
      slaves.push(`dm${i}`);
    }
  }
  if (r.chance(0.25)) g.linkShows(a);
  const order = [...slaves];
  if (r.chance(0.5)) order.reverse();
  for (const s of order) {
    if (r.chance(0.3)) g.up(a, s);
    g.ip(a, `link set ${s} master bond0`);
  }
  if (r.chance(0.6)) g.up(a, 'bond0');
  if (r.chance(0.3)) g.ip(a, `link set bond0 type bond mode ${r.pick(BOND_MODES)}`);
  if (r.chance(0.3)) g.ip(a, `link set bond0 type bond ${r.pick(['miimon 200', 'xmit_hash_policy layer3+4', 'lacp_rate fast', 'mode foo', 'miimon -1', 'xmit_hash_policy l4'])}`);
  if (r.chance(0.2)) g.ip(a, `link add bond1 type bond mode ${r.pick(['nope', '7', 'balance-rr'])} address ${g.mac()}`, 'invalid');
  if (r.chance(0.2)) g.ip(a, `link set bond0 master bond0`, 'invalid');
  if (r.chance(0.3)) g.exec(a, `cat /proc/net/bonding/bond0`, 'show');
  if (r.chance(0.4)) g.ip(a, `link set ${r.pick(slaves)} nomaster`);
  if (r.chance(0.2)) for (const s of slaves) g.ip(a, `link set ${s} nomaster`);
  if (r.chance(0.2)) {
    g.ip(a, `link set ${slaves[0]} master bond0`);
  }
  if (r.chance(0.2)) g.ip(a, `link set bond0 netns ${b}`);
  g.exec(a, `cat /proc/net/bonding/bond0`, 'show');
  g.linkShows(a);
}

function genVlan(g: Gen): void {
  const { r, a } = g;
  const lowerKind = r.pick(['dummy', 'veth', 'bond']);
  const lower = lowerKind === 'dummy' ? 'dm0' : lowerKind === 'veth' ? 'eth0' : 'bond0';
  if (lowerKind === 'dummy') g.dummy(a, 'dm0');
  else if (lowerKind === 'veth') g.veth(a, 'eth0', 'peer0');
  else {
    g.ip(a, `link add bond0 address ${g.mac()} type bond mode ${r.pick(['802.3ad', 'active-backup', 'balance-xor'])} miimon 100`, 'setup');
    g.addDev(a, 'bond0');
    g.dummy(a, 'dm0');
    g.ip(a, 'link set dm0 master bond0', 'setup');
  }
  if (r.chance(0.5)) g.up(a, lower);
  const n = r.int(1, 3);
  const used: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = r.weighted<string>([
      [6, String(r.int(1, 4094))],
      [1, '0'],
      [1, '4094'],
      [1, '4095'],
      [0.5, '-1'],
      [0.5, 'abc'],
      [0.5, '100'],
    ]);
    const proto = r.weighted<string>([
      [4, ''],
      [2, ' protocol 802.1Q'],
      [2, ' protocol 802.1ad'],
      [0.3, ' protocol 802.1x'],
    ]);
    const name = r.chance(0.7) ? `${lower}.${id}` : `vl${i}`;
    const addr = r.chance(0.8) ? ` address ${g.mac()}` : '';
    const valid = /^\d+$/.test(id) && Number(id) < 4095 && !proto.includes('802.1x');
    g.ip(a, `link add link ${lower} name ${name}${addr} type vlan${proto} id ${id}`, valid ? 'config' : 'invalid');
    if (valid) {
      used.push(name);
      g.addDev(a, name);
    }
  }
  if (r.chance(0.2)) g.ip(a, `link add vlx type vlan id 5`, 'invalid'); // no lower
  if (r.chance(0.2)) g.ip(a, `link add link nosuch name vly type vlan id 5`, 'invalid');
  for (const v of used) if (r.chance(0.5)) g.up(a, v);
  if (used.length && r.chance(0.3)) g.ip(a, `link set ${used[0]} mtu ${r.pick(['1400', '1500', '1501', '9000'])}`);
  if (used.length && r.chance(0.2)) g.ip(a, `link del ${used[0]}`);
  if (r.chance(0.15)) g.ip(a, `link del ${lower}`);
  g.exec(a, 'cat /proc/net/vlan/config', 'show');
  if (used.length && r.chance(0.4)) g.exec(a, `cat /proc/net/vlan/${r.pick(used)}`, 'show');
  g.linkShows(a);
}

function genIpvlan(g: Gen): void {
  const { r, a, b } = g;
  const lower = r.chance(0.7) ? 'dm0' : 'eth0';
  if (lower === 'dm0') g.dummy(a, 'dm0');
  else g.veth(a, 'eth0', 'peer0');
  if (r.chance(0.5)) g.up(a, lower);
  const n = r.int(1, 3);
  const made: string[] = [];
  for (let i = 0; i < n; i++) {
    const mode = r.weighted<string>([
      [3, ' mode l2'],
      [2, ' mode l3'],
      [1, ' mode l3s'],
      [1, ''],
      [0.3, ' mode l4'],
    ]);
    const flag = r.weighted<string>([
      [5, ''],
      [1, ' bridge'],
      [1, ' private'],
      [1, ' vepa'],
    ]);
    const name = `ipvl${i}`;
    g.ip(a, `link add link ${lower} name ${name} type ipvlan${mode}${flag}`, mode.includes('l4') ? 'invalid' : 'config');
    if (!mode.includes('l4')) {
      made.push(name);
      g.addDev(a, name);
    }
  }
  if (r.chance(0.2)) g.ip(a, `link add link ipvl0 name ipvlx type ipvlan mode l2`, 'invalid'); // on an ipvlan
  if (r.chance(0.2)) g.ip(a, `link add ipvly type ipvlan mode l2`, 'invalid'); // no lower
  if (r.chance(0.2)) g.ip(a, `link add link ${lower} name ipvlz address ${g.mac()} type ipvlan mode l2`);
  for (const d of made) if (r.chance(0.5)) g.up(a, d);
  if (made.length && r.chance(0.3)) g.ip(a, `addr add 10.9.0.${r.int(1, 9)}/24 dev ${made[0]}`);
  let moved: string | undefined;
  if (made.length && r.chance(0.4)) {
    g.push(`ip netns add ${b}`, 'setup', true);
    moved = made[made.length - 1]!;
    g.ip(a, `link set ${moved} netns ${b}`);
    if (r.chance(0.5)) g.ip(b, `link set ${moved} up`);
  }
  if (r.chance(0.3)) g.ip(a, `link set ${lower} address ${g.mac()}`);
  if (r.chance(0.3)) g.ip(a, `link set ${lower} mtu ${r.pick(['1400', '9000'])}`);
  const delLower = r.chance(0.3);
  if (delLower) g.ip(a, `link del ${lower}`);
  g.linkShows(a);
  if (moved) g.ip(b, r.pick(['-d link show', 'link']), 'show');
}

function genIpvs(g: Gen): void {
  const { r, a } = g;
  g.dummy(a, 'dm0');
  // Real servers must be unicast to the kernel (inet_addr_type): on-link through dm0 mostly;
  // in a namespace with no route the kernel refuses -g/-m/-i servers (EINVAL).
  if (r.chance(0.85)) {
    g.up(a, 'dm0');
    g.ip(a, 'addr add 10.20.0.254/16 dev dm0', 'setup');
  }
  const svcs: string[] = [];
  const n = r.int(1, 3);
  for (let i = 0; i < n; i++) {
    const proto = r.pick(['-t', '-u', '-t']);
    const svc = `${proto} 10.96.0.${r.int(1, 3)}:${r.pick(['80', '443', '53'])}`;
    const sched = r.chance(0.9) ? ` -s ${r.pick(SCHEDS)}` : r.chance(0.5) ? '' : ' -s nope';
    g.exec(a, `ipvsadm -A ${svc}${sched}${r.chance(0.15) ? ' -p 300' : ''}`, sched === ' -s nope' ? 'invalid' : 'config');
    svcs.push(svc);
    const m = r.int(0, 3);
    for (let j = 0; j < m; j++) {
      const port = svc.split(':')[1];
      const w = r.chance(0.5) ? ` -w ${r.pick(['0', '1', '3', '100', '65535', '-1', '65536'])}` : '';
      g.exec(a, `ipvsadm -a ${svc} -r 10.20.${r.int(0, 2)}.${r.int(1, 9)}:${port} ${r.pick(FWD)}${w}`);
    }
  }
  const s = () => r.pick(svcs);
  if (r.chance(0.3)) g.exec(a, `ipvsadm -E ${s()} -s ${r.pick(SCHEDS)}`);
  if (r.chance(0.3)) g.exec(a, `ipvsadm -e ${s()} -r 10.20.0.${r.int(1, 9)}:${s().split(':')[1]} ${r.pick(FWD)} -w ${r.int(0, 9)}`);
  if (r.chance(0.3)) g.exec(a, `ipvsadm -d ${s()} -r 10.20.0.${r.int(1, 9)}:${s().split(':')[1]}`);
  if (r.chance(0.2)) g.exec(a, `ipvsadm -D ${s()}`);
  if (r.chance(0.2)) g.exec(a, `ipvsadm -A ${s()}`, 'invalid'); // exists (or not, after -D)
  if (r.chance(0.2)) g.exec(a, `ipvsadm -D -t 10.96.9.9:1`, 'invalid');
  if (r.chance(0.2)) g.exec(a, `ipvsadm ${r.pick(['-A -t 10.96.0.1', '-a -t 10.96.0.1:80', '-A -x 1.2.3.4:5', '-A -t 300.1.1.1:80', '-L -n -q', '-Z -t 10.96.9.9:1'])}`, 'invalid');
  if (r.chance(0.3)) {
    // Tunnel servers with a tunnel type, thresholds, and the options' checks.
    const sv = s();
    const tun = r.pick(['--tun-type ipip', '--tun-type gre --tun-csum', '--tun-type gue --tun-port 6080', '--tun-type gue', '--tun-type gre --tun-port 1', '--tun-type foo', '--tun-csum']);
    g.exec(a, `ipvsadm -a ${sv} -r 10.20.0.${r.int(10, 19)} ${r.pick(['-i', '-i', '-m'])} ${tun}`);
  }
  if (r.chance(0.3)) g.exec(a, `ipvsadm -a ${s()} -r 10.20.1.${r.int(10, 19)} -m ${r.pick(['-x 100 -y 10', '-x 10', '-y 5', '-x 5 -y 10', '-x -1', '-y abc'])}`);
  if (r.chance(0.2)) g.exec(a, `ipvsadm ${r.pick(['-Z', '-Ln --timeout', '-Ln --daemon', '-Lnc', '-Ln --stats --rate', '-Ln -c --stats', '-Ln --thresholds --timeout'])}`, 'show');
  g.exec(a, r.pick(['ipvsadm -Ln', 'ipvsadm -L -n', 'ipvsadm -Ln --stats', 'ipvsadm -Ln --rate', 'ipvsadm -S -n', 'ipvsadm -Ln --exact --stats', 'ipvsadm -Ln --thresholds', 'ipvsadm -Ln --persistent-conn', 'ipvsadm -Ln --tun-info', 'ipvsadm -Ln --nosort', 'ipvsadm -Sn']), 'show');
  if (r.chance(0.3)) g.exec(a, `ipvsadm -Ln ${s()}${r.pick(['', ' --stats', ' --thresholds'])}`, 'show');
}

function genOvs(g: Gen): void {
  const { r, a } = g;
  const vs = (x: string, kind: VmCommandKind = 'config') => g.exec(a, `ovs-vsctl ${x}`, kind);
  vs('add-br br0');
  const nPorts = r.int(1, 3);
  const ports: string[] = [];
  for (let i = 0; i < nPorts; i++) {
    const opt = r.weighted<string>([
      [3, ''],
      [3, ` tag=${r.pick(['10', '100', '4094', '0'])}`],
      [2, ` trunks=${r.pick(['10', '10,20', '100,200,300'])}`],
      [0.5, ` tag=${r.pick(['4095', 'x'])}`],
    ]);
    if (r.chance(0.5)) {
      const p = `int${i}`;
      vs(`add-port br0 ${p}${opt} -- set interface ${p} type=internal`, /4095|x$/.test(opt) ? 'invalid' : 'config');
      ports.push(p);
    } else {
      const p = `eth${i}`;
      g.veth(a, p, `peer${i}`);
      vs(`add-port br0 ${p}${opt}`, /4095|x$/.test(opt) ? 'invalid' : 'config');
      ports.push(p);
    }
  }
  if (r.chance(0.3)) vs(`add-port br0 ${ports[0]}`, 'invalid');
  if (r.chance(0.3)) vs(`add-port brx p9`, 'invalid');
  if (r.chance(0.2)) vs(`add-br br0`, 'invalid');
  if (r.chance(0.3)) vs(`set port ${r.pick(ports)} tag=${r.pick(['20', '30'])}`);
  if (r.chance(0.2)) vs(`del-port br0 ${r.pick(ports)}`);
  if (r.chance(0.2)) vs(`del-port br0 nosuch`, 'invalid');
  if (r.chance(0.2)) vs(`--may-exist add-br br0`);
  vs(r.pick(['show', 'show', 'list-ports br0', 'list-br', 'br-exists br0', 'port-to-br int0']), 'show');
  vs('show', 'show');
}

function genNat(g: Gen): void {
  const { r, a } = g;
  g.dummy(a, 'dm0');
  const ipt = (x: string, kind: VmCommandKind = 'config') => g.exec(a, `iptables -t nat ${x}`, kind);
  const n = r.int(1, 4);
  for (let i = 0; i < n; i++) {
    const op = r.weighted<string>([
      [4, '-A'],
      [1, '-I'],
    ]);
    const t = r.int(0, 4);
    if (t === 0) ipt(`${op} POSTROUTING -s 10.${r.int(0, 30)}.0.0/${r.pick([8, 16, 24])}${r.chance(0.5) ? ' -o dm0' : ''} -j MASQUERADE`);
    else if (t === 1) ipt(`${op} POSTROUTING -s 10.20.${r.int(0, 9)}.0/24 ! -d 10.0.0.0/8 -j SNAT --to-source 10.186.153.${r.int(1, 99)}`);
    else if (t === 2) ipt(`${op} PREROUTING -d 203.0.113.${r.int(1, 9)} -p ${r.pick(['tcp', 'udp'])} --dport ${r.pick([80, 53, 8080])} -j DNAT --to-destination 10.20.0.${r.int(1, 9)}${r.chance(0.5) ? ':80' : ''}`);
    else if (t === 3) ipt(`${op} OUTPUT -d 10.96.0.1 -p tcp -j DNAT --to-destination 10.20.0.5:8080`);
    else ipt(`${op} POSTROUTING -o dm0 -j MASQUERADE${r.chance(0.4) ? ' --to-ports 1024-65535 -p tcp' : ''}`);
  }
  if (r.chance(0.3)) ipt(`-N KUBE-X`);
  if (r.chance(0.2)) ipt(`-A POSTROUTING -j KUBE-X`, 'invalid');
  if (r.chance(0.3)) ipt(`-D POSTROUTING ${r.int(1, 3)}`);
  if (r.chance(0.2)) ipt(`-I POSTROUTING 9 -j MASQUERADE`, 'invalid');
  if (r.chance(0.2)) ipt(r.pick(['-A POSTROUTING -j SNAT', '-A FORWARD -j MASQUERADE', '-A POSTROUTING -j NOPE', '-A PREROUTING -j DNAT --to-destination 1.2.3', '-A INPUT -j DNAT --to-destination 1.2.3.4']), 'invalid');
  if (r.chance(0.4)) {
    // kube-proxy's shapes: addrtype, MARK and mark, comment (the chapters' kube-proxy variants).
    ipt(`-A ${r.pick(['PREROUTING', 'OUTPUT'])} -m addrtype ${r.chance(0.3) ? '! ' : ''}--dst-type ${r.pick(['LOCAL', 'LOCAL,BROADCAST', 'unicast', 'loc'])} -j ${r.pick(['RETURN', 'MARK --or-mark 0x4000'])}`);
    ipt(`-A POSTROUTING -m mark ${r.chance(0.5) ? '! ' : ''}--mark 0x4000/0x4000 -m comment --comment "kube ${r.int(1, 9)}" -j ${r.pick(['RETURN', 'MASQUERADE', 'MARK --xor-mark 0x4000'])}`);
  }
  if (r.chance(0.25)) {
    // xtables_option_parse: an option given twice, `!` before one that cannot be inverted.
    ipt(
      r.pick([
        '-A POSTROUTING -p udp --sport 53 --sport 54 -j RETURN',
        '-A POSTROUTING -m mark --mark 1 --mark 2 -j RETURN',
        '-A POSTROUTING -m comment ! --comment x -j RETURN',
        '-A POSTROUTING -m addrtype --src-type LOCAL --src-type UNICAST -j RETURN',
        '-A POSTROUTING -m addrtype -j RETURN',
        '-A POSTROUTING -m addrtype --dst-type LOCAL,NOPE -j RETURN',
        '-A POSTROUTING -p icmp --icmp-type 8 ! --icmp-type 0 -j RETURN',
        '-A POSTROUTING -j MARK --set-mark 1 --set-mark 2',
        '-A POSTROUTING -p tcp -j MASQUERADE ! --to-ports 1000',
        '-A POSTROUTING -j SNAT --to-source 1.2.3.4 --to-source 1.2.3.5',
      ]),
      'invalid',
    );
  }
  ipt(r.pick(['-S', '-S', '-L -n', '-S POSTROUTING', '-L POSTROUTING -n']), 'show');
  if (r.chance(0.3)) ipt('-L -n -v', 'show');
  if (r.chance(0.7)) genFilter(g);
  if (r.chance(0.4)) g.exec(a, r.pick(['iptables-save', 'iptables-save -t nat', 'iptables-save -c', 'iptables-save -t filter']), 'show');
}

/** The filter table (issue #15): INPUT/FORWARD/OUTPUT, policies, user chains, REJECT. */
function genFilter(g: Gen): void {
  const { r, a } = g;
  const ipt = (x: string, kind: VmCommandKind = 'config') => g.exec(a, `iptables ${r.chance(0.3) ? '-t filter ' : ''}${x}`, kind);
  const chains = ['INPUT', 'FORWARD', 'OUTPUT'];
  const user: string[] = [];
  if (r.chance(0.4)) {
    ipt('-N KUBE-FW');
    user.push('KUBE-FW');
  }
  const n = r.int(1, 5);
  for (let i = 0; i < n; i++) {
    const chain = r.chance(0.15) && user.length ? user[0]! : r.pick(chains);
    const op = r.weighted<string>([
      [4, '-A'],
      [1, '-I'],
      [0.5, `-I ${r.int(1, 4)}`],
    ]);
    const opText = op.startsWith('-I ') ? `-I ${chain} ${op.slice(3)}` : `${op} ${chain}`;
    const iface = chain === 'INPUT' ? (r.chance(0.3) ? ' -i dm0' : '') : chain === 'OUTPUT' ? (r.chance(0.3) ? ' -o dm0' : '') : r.chance(0.3) ? ' -i dm0 -o lo' : '';
    const match = r.pick(['', ` -s 10.${r.int(0, 9)}.0.0/16`, ` -d 192.168.${r.int(0, 9)}.1`, ` -p tcp --dport ${r.pick([22, 80, 443])}`, ` -p udp --sport 53`, ' -p icmp --icmp-type echo-request', ' ! -s 10.0.0.0/8']);
    const target = r.weighted<string>([
      [3, 'ACCEPT'],
      [3, 'DROP'],
      [2, 'REJECT'],
      [1, `REJECT --reject-with ${r.pick(['icmp-host-prohibited', 'tcp-reset', 'icmp-net-unreachable', 'admin-prohib', 'port-unreach'])}`],
      [1, 'RETURN'],
      [user.length ? 2 : 0, user[0] ?? ''],
    ]);
    ipt(`${opText}${iface}${match} -j ${target}`);
  }
  if (r.chance(0.4)) ipt(`-P ${r.pick(chains)} ${r.pick(['DROP', 'ACCEPT', 'DROP'])}`);
  if (r.chance(0.15)) ipt(`-P ${r.pick(['KUBE-FW', 'INPUT'])} ${r.pick(['REJECT', 'drop', 'RETURN'])}`, 'invalid');
  if (r.chance(0.2)) ipt(r.pick(['-A INPUT -o dm0 -j DROP', '-A OUTPUT -i dm0 -j DROP', '-A INPUT -j NOPE', '-A INPUT -j REJECT --reject-with foo', '-A NOCHAIN -j DROP', '-A INPUT -j DNAT --to-destination 1.2.3.4', '-N DROP']), 'invalid');
  if (r.chance(0.3)) ipt(`-D ${r.pick(chains)} ${r.int(1, 3)}`);
  if (r.chance(0.2)) ipt(`-D ${r.pick(chains)} -j ${r.pick(['DROP', 'ACCEPT', 'REJECT'])}`);
  if (r.chance(0.2)) ipt(`-C ${r.pick(chains)} -j ${r.pick(['DROP', 'ACCEPT'])}`);
  if (r.chance(0.2)) ipt(`-F ${r.pick([...chains, ''])}`.trimEnd());
  if (r.chance(0.15)) ipt(`-X ${r.pick(['KUBE-FW', 'INPUT', 'FORWARD', ''])}`.trimEnd());
  ipt(r.pick(['-S', '-L -n', '-L -n -v', '-L -n --line-numbers', '-L', `-S ${r.pick(chains)}`, `-L ${r.pick(chains)} -n -v --line-numbers`, '-L -n -v -x']), 'show');
}

/**
 * Which class configuration `index` tests: every class in turn, Open vSwitch once per cycle
 * (its commands wait for ovs-vswitchd to reconfigure: ~0.5-3 s each under TCG).
 */
const CYCLE: readonly VmDeviceClass[] = ['bond', 'vlan', 'ipvlan', 'ipvs', 'nat', 'dummy', 'bond', 'vlan', 'ipvlan', 'ipvs', 'nat', 'ovs'];

const GEN: Record<VmDeviceClass, (g: Gen) => void> = { bond: genBond, vlan: genVlan, ipvlan: genIpvlan, dummy: genDummy, ipvs: genIpvs, ovs: genOvs, nat: genNat };

/** Configuration `index` of run `seed`: namespaces `${prefix}${index}a` (and `...b`). */
export function generateVmConfig(seed: number, index: number, prefix: string, only?: VmDeviceClass): VmFuzzConfig {
  const s = subSeed(seed, index);
  const g = new Gen(s, index, prefix);
  const cls = only ?? CYCLE[index % CYCLE.length]!;
  // The state a reader sees after typing the commands one by one: IPv6 DAD over (as the host fuzzer pins it).
  const pin = (ns: string) => `ip netns exec ${ns} sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0`;
  if (cls === 'ovs') {
    const g2 = new Gen(s, index, prefix, `${prefix}ovs`);
    GEN[cls](g2);
    return { index, seed: s, cls, namespaces: [g2.a], commands: g2.cmds, shared: { ns: g2.a, prelude: [`ip netns add ${g2.a}`, pin(g2.a)] } };
  }
  g.push(`ip netns add ${g.a}`, 'setup', true);
  g.push(pin(g.a), 'setup', true);
  g.devs.set(g.a, []);
  GEN[cls](g);
  const namespaces = [g.a];
  if (g.cmds.some((c) => c.text.includes(g.b))) {
    namespaces.push(g.b);
    // The peer namespace exists before anything names it.
    if (!g.cmds.some((c) => c.text === `ip netns add ${g.b}`)) g.cmds.splice(2, 0, { text: `ip netns add ${g.b}`, kind: 'setup', fixed: true });
    const at = g.cmds.findIndex((c) => c.text === `ip netns add ${g.b}`);
    g.cmds.splice(at + 1, 0, { text: pin(g.b), kind: 'setup', fixed: true });
  }
  return { index, seed: s, cls, namespaces, commands: g.cmds };
}
