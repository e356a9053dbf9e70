// The parameters a reader gives for their own cluster (the JSON of `netatlas generate`,
// the form on the "Your cluster" page). Optional fields get deterministic defaults
// (./resolve.ts). The reference cluster is one such set: content/scripts/reference.params.json.

export interface ClusterParams {
  /** The Kubernetes nodes, 2 or more. */
  nodes: NodeParams[];
  /** The business network (biz) the nodes and the VXLAN tunnels live on. */
  underlay: UnderlayParams;
  /** NICs, bond and Open vSwitch on every node (the same on all nodes). */
  fabric: FabricParams;
  overlay: OverlayParams;
  /** Control/management planes: OVS access ports with their own VLAN and subnet. */
  planes?: PlaneParams[];
  /** VLANs (and their subnets) of the underlay pods: ipvlan L2 on biz.<vlan>. */
  vlans?: VlanParams[];
  services?: ServicesParams;
  /** Only for the namespace-based simulation: the switch/gateway and the outside host. */
  simulation?: SimulationParams;
}

export interface NodeParams {
  /** Host name; in the simulation, the node's network namespace. */
  name: string;
  /** Short tag for the switch-side names of this node's links (a → a-p1, bond-a, a-biz). */
  tag?: string;
  /** The node's address on the underlay (biz). */
  address: string;
  /** The node's pod subnet, inside overlay.podCidr. */
  podSubnet: string;
  /** Address per plane name (planes[].name → address). */
  planes?: Record<string, string>;
  /** MACs of the node's own devices (the kernel would pick random ones). */
  macs?: NodeMacs;
  /** Simulation only: MACs of the NICs (a real NIC has its own) and of the switch ports. */
  nicMacs?: string[];
  switchPortMacs?: string[];
  /** Simulation only: MAC of this node's port in the bridge of the fabric without OVS (simulation/10-fabric-lab.sh). */
  labPortMac?: string;
  /** Example overlay pods: network namespaces wired the way the CNI wires a pod. */
  pods?: PodParams[];
  underlayPods?: UnderlayPodParams[];
}

export interface NodeMacs {
  underlay?: string;
  vtep?: string;
  services?: string;
  /** plane name → MAC */
  planes?: Record<string, string>;
}

export interface PodParams {
  name?: string;
  ip?: string;
  /** MAC of the pod's eth0. */
  mac?: string;
  /** Name and MAC of the host side of the veth pair. */
  hostVeth?: string;
  hostMac?: string;
  /** Interface indexes to ask for (ip link add ... index N): pod side, host side. */
  index?: number;
  hostIndex?: number;
}

export interface UnderlayPodParams {
  vlan: number;
  name?: string;
  ip?: string;
}

export interface UnderlayParams {
  subnet: string;
  gateway: string;
  /** MTU of biz (and of the NICs and bond under it). Default 1500. */
  mtu?: number;
  /** Name of the underlay device (the OVS internal port). Default biz. */
  device?: string;
  /** Simulation only: MAC of the gateway's interface. */
  gatewayMac?: string;
}

export const BOND_MODES = ['802.3ad', 'balance-xor'] as const;
export type BondMode = (typeof BOND_MODES)[number];
export const HASH_POLICIES = ['layer2', 'layer2+3', 'layer3+4', 'encap2+3', 'encap3+4', 'vlan+srcmac'] as const;
export type HashPolicy = (typeof HASH_POLICIES)[number];

export interface FabricParams {
  /** NIC names, the same on every node (1 to 4). */
  nics: string[];
  bond: BondParams;
  /** The node's OVS bridge. Default br-bond0. */
  bridge?: string;
}

export interface BondParams {
  /** Default bond0. */
  name?: string;
  mode: BondMode;
  xmitHashPolicy: HashPolicy;
  /** Default 100. */
  miimon?: number;
  /** 802.3ad only. Default fast. */
  lacpRate?: 'fast' | 'slow';
}

export interface OverlayParams {
  /** The cluster's pod CIDR (flannel's Network). */
  podCidr: string;
  vni: number;
  /** VXLAN UDP port. Default 4789. */
  port?: number;
  /** VTEP device name. Default vxlan.<vni>. */
  device?: string;
  /** MTU of the pods' interfaces. Default underlay MTU − 50. */
  podMtu?: number;
  /** MASQUERADE traffic from the pod CIDR to anything outside it. */
  snat: boolean;
  /** Prefix of the host-side veth names. Default upvx. */
  vethPrefix?: string;
}

export interface PlaneParams {
  name: string;
  /** Word for the comments, e.g. control. Default: the name. */
  description?: string;
  vlan: number;
  subnet: string;
  gateway: string;
  gatewayMac?: string;
}

export interface VlanParams {
  id: number;
  subnet: string;
  gateway: string;
  gatewayMac?: string;
}

export const PROTOS = ['tcp', 'udp'] as const;
export const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc'] as const;

export interface ServicesParams {
  cidr: string;
  /** Default kube-ipvs0. */
  device?: string;
  list: ServiceParams[];
}

export interface ServiceParams {
  ip: string;
  proto: (typeof PROTOS)[number];
  port: number;
  /** Default rr. */
  scheduler?: (typeof SCHEDULERS)[number];
  /** IP:port of each real server. */
  endpoints: string[];
}

export interface SimulationParams {
  /** The top-of-rack switch and gateway. Default tor. */
  switch?: string;
  /** Its OVS bridge. Default br-tor. */
  switchBridge?: string;
  outside?: OutsideParams;
}

export interface OutsideParams {
  /** The outside host's namespace. Default ext. */
  name?: string;
  /** Its address, with the prefix of the link to the gateway. Default 203.0.113.10/24. */
  address?: string;
  /** The gateway's address on that link. Default 203.0.113.1. */
  gateway?: string;
  mac?: string;
  gatewayMac?: string;
}
