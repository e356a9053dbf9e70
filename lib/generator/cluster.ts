// The parameters with every default filled in (./resolve.ts): what the plan is built from.
import type { BondMode, HashPolicy } from './params.ts';

export interface Cluster {
  nodes: Node[];
  underlay: {
    subnet: string;
    len: number;
    gateway: string;
    mtu: number;
    device: string;
    gatewayMac: string;
  };
  fabric: {
    nics: string[];
    bond: { name: string; mode: BondMode; policy: HashPolicy; miimon: number; lacpRate: 'fast' | 'slow' };
    bridge: string;
  };
  overlay: {
    podCidr: string;
    vni: number;
    port: number;
    device: string;
    podMtu: number;
    snat: boolean;
    vethPrefix: string;
  };
  planes: Plane[];
  vlans: Vlan[];
  services: Services | undefined;
  sim: Simulation;
}

export interface Node {
  name: string;
  tag: string;
  address: string;
  podSubnet: string;
  /** The VTEP's own address: the pod subnet's network address, as flannel assigns it. */
  vtep: string;
  /** plane name → address */
  planes: Record<string, string>;
  macs: { underlay: string; vtep: string; services: string; planes: Record<string, string> };
  nics: { name: string; mac: string; switchPort: string; switchPortMac: string }[];
  /** Simulation: this node's bond on the switch, and the veth peer in the switch of the fabric without OVS (10-fabric-lab). */
  switchBond: string;
  labPeer: string;
  labPeerMac: string;
  pods: Pod[];
  underlayPods: UnderlayPod[];
}

export interface Pod {
  name: string;
  ip: string;
  mac: string;
  hostVeth: string;
  hostMac: string;
  index: number | undefined;
  hostIndex: number | undefined;
  /** Where the pod came from in the parameters (for error paths). */
  path: string;
}

export interface UnderlayPod {
  name: string;
  vlan: number;
  ip: string;
  path: string;
}

export interface Plane {
  name: string;
  description: string;
  vlan: number;
  subnet: string;
  len: number;
  gateway: string;
  gatewayMac: string;
  /** The gateway's interface in the switch: gw-<name>. */
  gatewayDevice: string;
}

export interface Vlan {
  id: number;
  subnet: string;
  len: number;
  gateway: string;
  gatewayMac: string;
  /** gw-v<id> */
  gatewayDevice: string;
}

export interface Services {
  cidr: string;
  device: string;
  list: { ip: string; proto: 'tcp' | 'udp'; port: number; scheduler: string; endpoints: string[] }[];
}

export interface Simulation {
  switch: string;
  bridge: string;
  /** The switch's interface for biz (OVS internal port, or the Linux bridge of the fabric without OVS). */
  gatewayDevice: string;
  /** The switch's uplink to the outside host. */
  uplink: string;
  uplinkMac: string;
  outside: { name: string; address: string; len: number; gateway: string; mac: string; device: string };
}
