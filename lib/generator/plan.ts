// The description the scripts are printed from: per stage (00-hosts, 10-fabric, ...), a list
// of commands, comments and blank lines. A command knows where it runs — a machine of the
// cluster or a pod (a network namespace), or the simulation's root — and which real node's
// script it belongs to, if any. The same list prints as the simulation (every machine a
// namespace: `ip -n NODE ...`, `ip netns exec NODE ...`) and as each node's own script
// (the node-local subset, without the wrapper): ./render.ts.

/** The commands a stage runs; `modprobe` loads modules machine-wide (World.modules). */
export type Tool = 'ip' | 'bridge' | 'sysctl' | 'iptables' | 'ovs-vsctl' | 'ipvsadm' | 'modprobe';

export interface Cmd {
  kind: 'cmd';
  /** The namespace it runs in, in the simulation; null: the simulation's root namespace. */
  ns: string | null;
  /** The real node whose script has it; undefined: the simulation only (wiring of the namespace world). */
  node: string | undefined;
  tool: Tool;
  args: string;
  /** Only in the node's own script (not needed in the simulation, where it would change nothing). */
  realOnly?: boolean;
}

export interface Comment {
  kind: 'comment';
  text: string;
  /** Printed in the simulation. */
  sim: boolean;
  /** Printed in this node's own script. */
  node?: string;
}

export interface Blank {
  kind: 'blank';
}

export type Item = Cmd | Comment | Blank;

export type StageId = '00-hosts' | '10-fabric' | '10-fabric-lab' | '20-node-net' | '21-planes' | '30-overlay' | '40-underlay' | '50-services' | '60-snat';

export interface Stage {
  id: StageId;
  /** The comment at the top of the simulation script, one line each (without '# '). */
  header: string[];
  /** Section title in a node's own script; undefined: the stage has nothing for a real node. */
  title: string | undefined;
  /** Runs on a kernel without bond, OVS, 802.1Q, ipvlan, dummy or IPVS (the NO_OVS set). */
  kernel: boolean;
  items: Item[];
}

/** Collects a stage's items. */
export class StageBuilder {
  readonly items: Item[] = [];

  /** A command in namespace `ns` (null: root) that belongs to real node `node` (undefined: simulation only). */
  cmd(ns: string | null, node: string | undefined, tool: Tool, args: string): this {
    this.items.push({ kind: 'cmd', ns, node, tool, args });
    return this;
  }

  /** A command only a real node needs. */
  realOnly(node: string, tool: Tool, args: string): this {
    this.items.push({ kind: 'cmd', ns: node, node, tool, args, realOnly: true });
    return this;
  }

  /** A command on a machine of the cluster, in its own script too when it is a node. */
  on(machine: string, isNode: boolean): (tool: Tool, args: string) => this {
    return (tool, args) => this.cmd(machine, isNode ? machine : undefined, tool, args);
  }

  comment(text: string, opts: { sim?: boolean; node?: string } = {}): this {
    const c: Comment = { kind: 'comment', text, sim: opts.sim ?? true };
    if (opts.node !== undefined) c.node = opts.node;
    this.items.push(c);
    return this;
  }

  blank(): this {
    this.items.push({ kind: 'blank' });
    return this;
  }
}
