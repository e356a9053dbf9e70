// /proc/net/bonding/<bond> (drivers/net/bonding/bond_procfs.c, 6.x): the master part
// (bond_info_show_master) then one block per member (bond_info_show_slave), as read by root
// (CAP_NET_ADMIN adds the System priority/MAC lines and the LACP PDU details).
import { KERNEL_RELEASE } from '../../model/kernel.ts';
import { bondSlaves } from '../../model/bond-hash.ts';
import { activeAggregator, lacpMembers, linkSpeed } from '../../model/bond-lacp.ts';
import { kindOps } from '../../kinds/registry.ts';
import { activeSlave, slaveLinkUp } from '../../kinds/bond.ts';
import type { BondMode, Device, XmitHashPolicy } from '../../model/device.ts';


/** bond_mode_tbl names (bond_options.c). */
const MODE_NAMES: Record<BondMode, string> = {
  'balance-rr': 'load balancing (round-robin)',
  'active-backup': 'fault-tolerance (active-backup)',
  'balance-xor': 'load balancing (xor)',
  broadcast: 'fault-tolerance (broadcast)',
  '802.3ad': 'IEEE 802.3ad Dynamic link aggregation',
  'balance-tlb': 'transmit load balancing',
  'balance-alb': 'adaptive load balancing',
};

/** xmit_hashtype_tbl values (BOND_XMIT_POLICY_*). */
const POLICY_IDS: Record<XmitHashPolicy, number> = { layer2: 0, 'layer3+4': 1, 'layer2+3': 2, 'encap2+3': 3, 'encap3+4': 4, 'vlan+srcmac': 5 };

function master(bond: Device): string {
  const b = bond.bond!;
  let s = `Bonding Mode: ${MODE_NAMES[b.mode]}\n`;
  if (b.mode === 'balance-xor' || b.mode === '802.3ad') {
    s += `Transmit Hash Policy: ${b.xmitHashPolicy} (${POLICY_IDS[b.xmitHashPolicy]})\n`;
  }
  if (b.mode === 'active-backup' || b.mode === 'balance-tlb' || b.mode === 'balance-alb') {
    // The bond's own choice (IFLA_BOND_ACTIVE_SLAVE too): without link monitoring (miimon 0)
    // a member without carrier can be the active one (6.1, vm-fuzz seed 3 config 54).
    const active = activeSlave(bond);
    s += `Primary Slave: None\nCurrently Active Slave: ${active?.name ?? 'None'}\n`;
  }
  // netif_carrier_ok: the bond's carrier, up or not.
  s += `MII Status: ${kindOps(bond).rawCarrier!(bond) ? 'up' : 'down'}\n`;
  s += `MII Polling Interval (ms): ${b.miimon}\n`;
  s += 'Up Delay (ms): 0\nDown Delay (ms): 0\nPeer Notification Delay (ms): 0\n';
  if (b.mode === '802.3ad') {
    const agg = activeAggregator(bond);
    const active = agg === undefined ? [] : lacpMembers(bond).filter((m) => m.up && m.aggregatorId === agg);
    s += '\n802.3ad info\n';
    s += 'LACP active: on\n';
    s += `LACP rate: ${b.lacpRate}\n`;
    s += `Min links: ${b.minLinks ?? 0}\n`;
    s += 'Aggregator selection policy (ad_select): stable\n';
    // BOND_AD_INFO(bond).system: zeros until bond_3ad_initialize (a first member in 802.3ad).
    s += `System priority: ${b.adSystemMac ? 65535 : 0}\n`;
    s += `System MAC address: ${b.adSystemMac ?? '00:00:00:00:00:00'}\n`;
    if (active.length === 0) {
      s += `bond ${bond.name} has no active aggregator\n`;
    } else {
      const first = active[0]!;
      s += 'Active Aggregator Info:\n';
      s += `\tAggregator ID: ${first.aggregatorId}\n`;
      s += `\tNumber of ports: ${active.length}\n`;
      s += `\tActor Key: ${first.actor.portKey}\n`;
      s += `\tPartner Key: ${first.partner.portKey}\n`;
      s += `\tPartner Mac Address: ${first.partner.systemMac}\n`;
    }
  }
  return s;
}

function slave(bond: Device, dev: Device): string {
  // The member's link as the bond sees it (up without link monitoring).
  const up = slaveLinkUp(bond, dev);
  const { speed, full } = linkSpeed(dev);
  let s = `\nSlave Interface: ${dev.name}\n`;
  s += `MII Status: ${up ? 'up' : 'down'}\n`;
  s += `Speed: ${speed !== undefined ? `${speed} Mbps` : 'Unknown'}\n`;
  s += `Duplex: ${speed !== undefined ? (full ? 'full' : 'half') : 'Unknown'}\n`;
  s += 'Link Failure Count: 0\n';
  s += `Permanent HW addr: ${dev.permaddr ?? dev.mac}\n`;
  s += 'Slave queue ID: 0\n';
  if (bond.bond!.mode === '802.3ad') {
    const m = lacpMembers(bond).find((x) => x.dev === dev)!;
    // port->aggregator is set by the state machine, which runs while the bond is up.
    if (!bond.adminUp) return s + 'Aggregator ID: N/A\n';
    s += `Aggregator ID: ${m.aggregatorId}\n`;
    // A member with no partner stays in churn monitoring (the churn timer, 60 s, is not modelled).
    const churn = m.partnerModelled ? 'none' : 'monitoring';
    s += `Actor Churn State: ${churn}\nPartner Churn State: ${churn}\nActor Churned Count: 0\nPartner Churned Count: 0\n`;
    s += 'details actor lacp pdu:\n';
    s += `    system priority: ${m.actor.systemPriority}\n    system mac address: ${m.actor.systemMac}\n`;
    s += `    port key: ${m.actor.portKey}\n    port priority: ${m.actor.portPriority}\n`;
    s += `    port number: ${m.actor.portNumber}\n    port state: ${m.actor.portState}\n`;
    s += 'details partner lacp pdu:\n';
    s += `    system priority: ${m.partner.systemPriority}\n    system mac address: ${m.partner.systemMac}\n`;
    s += `    oper key: ${m.partner.portKey}\n    port priority: ${m.partner.portPriority}\n`;
    s += `    port number: ${m.partner.portNumber}\n    port state: ${m.partner.portState}\n`;
  }
  return s;
}

/** The file's text: bond_version ("...: v" UTS_RELEASE "\n", printed with "%s\n"), master, members. */
export function procNetBonding(bond: Device): string {
  let s = `Ethernet Channel Bonding Driver: v${KERNEL_RELEASE}\n\n`;
  s += master(bond);
  for (const d of bondSlaves(bond)) s += slave(bond, d);
  return s;
}
