// A world on the reference kernel: the same interface as the host-namespace KernelWorld
// (reference.ts), so the show comparisons and traffic probes run unchanged on either kernel.
// Worlds share one boot of the VM: `build` resets it first (no namespace, OVS, netfilter or
// IPVS state of the previous world survives).
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { ReferenceVm } from '../../lib/vm/machine.ts';
import { settleFunction, unwrapResults, wrapCommands, type BashResult, type CommandResult } from './kernel.ts';
import { SCRIPTS_DIR } from './reference.ts';
import { listScripts } from '../../lib/doctest/run.ts';

/** Where the world's scripts live in the guest; commands run from there, so `bash 00-hosts.sh` names them as the model does. */
const GUEST_DIR = '/tmp/netatlas-scripts';

/** Bash that writes files into the guest (quoted here-documents: no expansion). */
export function embedFiles(files: readonly { path: string; text: string }[]): string {
  let s = '';
  for (const f of files) {
    let tag = 'NETATLAS_EOF';
    while (f.text.includes(tag)) tag += '_';
    s += `mkdir -p "$(dirname ${JSON.stringify(f.path)})"\ncat > ${JSON.stringify(f.path)} <<'${tag}'\n${f.text}${f.text.endsWith('\n') ? '' : '\n'}${tag}\n`;
  }
  return s;
}

/**
 * Settled state, as the model shows it (time does not pass): link state handled, IPv6 DAD
 * done, every 802.3ad bond aggregated with its partner (LACP converges ~3 s after link-up:
 * each port in state 63 and all of a bond's ports in its active aggregator). Waited for,
 * never masked; a world that does not settle is reported.
 */
export function vmSettleFunctions(): string {
  return [
    settleFunction(),
    `nalab_dad() { local n=0 ns b; while [ $n -lt 100 ]; do b=0; for ns in $(ip netns list | cut -d' ' -f1); do [ -n "$(ip -n $ns -6 addr show tentative 2>/dev/null)" ] && b=1; done; [ $b = 0 ] && return 0; sleep 0.1; n=$((n+1)); done; echo "lab: IPv6 DAD did not settle in 10 s"; }`,
    // A bond is settled when every "port state" line reads 63 and the active aggregator holds every port.
    `nalab_lacp_ok() { local f=$1 ports want; grep -q '802.3ad' "$f" || return 0; want=$(grep -c '^Slave Interface' "$f"); ports=$(awk '/Active Aggregator Info/ {a=1} a && /Number of ports/ {print $NF; exit}' "$f"); [ "$ports" = "$want" ] || return 1; ! grep 'port state' "$f" | grep -vq 'port state: 63'; }`,
    `nalab_lacp() { local n=0 ns f b; while [ $n -lt 200 ]; do b=0; for ns in $(ip netns list | cut -d' ' -f1); do for f in $(ip netns exec $ns sh -c 'ls /proc/net/bonding/* 2>/dev/null'); do ip netns exec $ns bash -c "$(declare -f nalab_lacp_ok); nalab_lacp_ok $f" || b=1; done; done; [ $b = 0 ] && return 0; sleep 0.1; n=$((n+1)); done; echo "lab: LACP did not converge in 20 s"; }`,
  ].join('\n');
}

export class VmWorld {
  scriptResults: CommandResult[] = [];
  private readonly vm: ReferenceVm;

  constructor(vm: ReferenceVm) {
    this.vm = vm;
  }

  /** The scripts this world was built from, in order. */
  scripts: string[] = [];

  async build(scripts: readonly string[], dir = SCRIPTS_DIR): Promise<string | undefined> {
    await this.vm.reset();
    this.scripts = [];
    return this.extend(scripts, dir);
  }

  /**
   * Runs more scripts on top of the world as it is (no reset): a world of `A B` extended by
   * `C` is the world of `A B C`, as long as nothing else ran in between.
   */
  async extend(scripts: readonly string[], dir = SCRIPTS_DIR): Promise<string | undefined> {
    // Every script is there (a block may run one by path), the world's are run in order.
    const files = listScripts(dir).map((s) => ({ path: join(GUEST_DIR, s), text: readFileSync(join(dir, s), 'utf8') }));
    this.scripts.push(...scripts);
    const cmds = scripts.map((s) => `bash ${s}`);
    const script = wrapCommands(cmds, {
      before: `${embedFiles(files)}${vmSettleFunctions()}\ncd ${GUEST_DIR}`,
      after: `nalab_settle $(ip netns list | cut -d' ' -f1) >&2\nnalab_lacp >&2\nnalab_dad >&2`,
    });
    const r = await this.vm.run(script, { timeoutS: 400 });
    const res = unwrapResults(cmds.length, asBash(r));
    if (typeof res === 'string') return `${res}\n${r.stderr.slice(-2000)}`;
    this.scriptResults = res;
    const tail = r.stderr.split('\x1e').pop() ?? '';
    if (tail.trim()) return `settling: ${tail.trim()}`;
    return undefined;
  }

  async run(commands: readonly string[], timeoutS = 600): Promise<CommandResult[] | string> {
    const r = await this.vm.run(wrapCommands(commands, { before: `cd ${GUEST_DIR}` }), { timeoutS });
    return unwrapResults(commands.length, asBash(r));
  }

  async bash(script: string, timeoutS = 120): Promise<BashResult> {
    return asBash(await this.vm.run(script, { timeoutS }));
  }

  stop(): void {
    // The VM is shared: the next world's build resets it.
  }
}

function asBash(r: { stdout: string; stderr: string; status: number }): BashResult {
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, timedOut: r.status === 124 };
}
