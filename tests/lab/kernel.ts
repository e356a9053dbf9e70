// The real-kernel side of the lab: what it needs from the machine, how it runs bash
// scripts, and the bookkeeping that removes every namespace and process it made — also
// when a check fails or the run is interrupted (SIGINT/SIGTERM/exit).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Prefix of every namespace the lab creates: `nalab-<pid>-...`, unique per run. */
export const NS_PREFIX = `nalab-${process.pid}`;

/**
 * The lab's own mount namespace, with a private tmpfs on /run/netns: the network
 * namespaces the lab names live there, invisible to `ip netns list` outside and out of reach
 * of other tests that clean up "new" namespaces (and unable to clash with theirs, e.g. the
 * reference cluster's node-a). When the holder process and everything started in it end,
 * the names go and so do the namespaces: nothing can leak, even after a SIGKILL.
 */
export class LabMountNs {
  private pid: number | undefined;

  /** Starts the holder (`unshare --mount`), once. */
  async start(): Promise<void> {
    if (this.pid !== undefined) return;
    const child = spawn(
      'unshare',
      ['--mount', '--propagation', 'private', 'bash', '-c', 'mkdir -p /run/netns && mount -t tmpfs nalab /run/netns && echo ready && exec sleep 2147483647'],
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    if (child.pid === undefined) throw new Error('cannot start unshare');
    resources.pids.add(child.pid);
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('ready')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`lab mount namespace: unshare exited ${code}: ${err.trim()}`)));
    });
    this.pid = child.pid;
  }

  /** argv prefix that runs a program inside the lab's mount namespace. */
  enter(): string[] {
    if (this.pid === undefined) throw new Error('lab mount namespace not started');
    return ['nsenter', '-t', String(this.pid), '-m'];
  }

  stop(): void {
    if (this.pid === undefined) return;
    killGroup(this.pid);
    resources.pids.delete(this.pid);
    this.pid = undefined;
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** A default lab mount namespace for one-off use (tools, replays). */
export const labNs = new LabMountNs();

export interface Capabilities {
  /** Why the lab cannot run at all (not root, no `ip netns`, ...), or undefined. */
  blocker: string | undefined;
  /** Missing programs, by the part of the lab that needs them. */
  missing: { fuzz: string[]; scripts: string[]; traffic: string[] };
}

function which(cmd: string): boolean {
  return spawnSync('bash', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** What the lab can do on this machine. Creates and removes one probe namespace. */
export function probeCapabilities(): Capabilities {
  const missing = { fuzz: [] as string[], scripts: [] as string[], traffic: [] as string[] };
  if (process.platform !== 'linux') return { blocker: `not Linux (${process.platform})`, missing };
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return { blocker: 'not root (the lab needs `ip netns add`)', missing };
  for (const c of ['bash', 'ip', 'unshare', 'nsenter', 'mount']) if (!which(c)) missing.fuzz.push(c);
  for (const c of ['bridge', 'busybox', 'iptables', 'conntrack']) if (!which(c)) missing.scripts.push(c);
  for (const c of ['iptables', 'conntrack', 'ping', 'tcpdump', 'unshare']) if (!which(c)) missing.traffic.push(c);
  if (missing.fuzz.length) return { blocker: `missing programs: ${missing.fuzz.join(', ')} (apt-get install -y iproute2 util-linux)`, missing };
  const probe = `${NS_PREFIX}-probe`;
  const r = spawnSync(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      'bash',
      '-c',
      `mkdir -p /run/netns && mount -t tmpfs nalab /run/netns && ip netns add ${probe} && ip -n ${probe} link add nalab0 type veth peer name nalab1; s=$?; ip netns del ${probe} 2>/dev/null; exit $s`,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) return { blocker: `\`ip netns add\` / veth do not work here: ${(r.stderr || '').trim() || `status ${r.status}`}`, missing };
  return { blocker: undefined, missing };
}

/** Everything the run has created that must go at the end. */
class Resources {
  readonly namespaces = new Set<string>();
  readonly pids = new Set<number>();
  private dir: string | undefined;
  private handlersInstalled = false;

  tmpDir(): string {
    this.dir ??= mkdtempSync(join(tmpdir(), `${NS_PREFIX}-`));
    return this.dir;
  }

  /** Synchronous, idempotent: safe from a signal or `exit` handler. */
  cleanup(): void {
    // Each process group: bash and what it started; the lab's mount namespace holder too.
    for (const pid of this.pids) killGroup(pid);
    this.pids.clear();
    if (this.namespaces.size > 0) {
      const existing = new Set(listNetns());
      for (const ns of this.namespaces) if (existing.has(ns)) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      this.namespaces.clear();
    }
    if (this.dir) {
      rmSync(this.dir, { recursive: true, force: true });
      this.dir = undefined;
    }
  }

  installHandlers(): void {
    if (this.handlersInstalled) return;
    this.handlersInstalled = true;
    process.on('exit', () => this.cleanup());
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(sig, () => {
        this.cleanup();
        process.exit(sig === 'SIGINT' ? 130 : sig === 'SIGTERM' ? 143 : 129);
      });
    }
  }
}

export const resources = new Resources();

export function listNetns(): string[] {
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  return (r.stdout || '')
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n !== '');
}

/** Removes `nalab-<pid>-*` namespaces left by runs whose process is gone. Returns their names. */
export function sweepStale(): string[] {
  // The lab names its namespaces inside its own mount namespace, so none should ever be
  // here; this removes leftovers of a run that used the shared /run/netns. Other sessions
  // may live in another PID namespace (their pid looks dead from here), so a namespace is
  // only taken once it is also older than ten minutes.
  const gone: string[] = [];
  for (const ns of listNetns()) {
    const m = /^nalab-(\d+)-/.exec(ns);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pidAlive(pid)) continue;
    let age = 0;
    try {
      age = Date.now() - statSync(`/run/netns/${ns}`).mtimeMs;
    } catch {
      continue;
    }
    if (age < 10 * 60_000) continue;
    spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    gone.push(ns);
  }
  return gone;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface BashResult {
  stdout: string;
  stderr: string;
  status: number;
  timedOut: boolean;
}

let scriptSerial = 0;

/**
 * Runs a bash script (as a file, stdin from /dev/null) in its own process group, so that
 * cleanup can kill it and everything it started.
 */
export function runBash(script: string, opts: { timeoutMs?: number; argv0?: string[]; mountNs?: LabMountNs } = {}): Promise<BashResult> {
  if (opts.mountNs) opts = { ...opts, argv0: [...opts.mountNs.enter(), ...(opts.argv0 ?? [])] };
  const file = join(resources.tmpDir(), `s${scriptSerial++}.sh`);
  writeFileSync(file, script);
  return new Promise((resolve) => {
    const child = spawn(...bashArgv(file, opts.argv0), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const pid = child.pid;
    if (pid !== undefined) resources.pids.add(pid);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (pid !== undefined) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }, opts.timeoutMs ?? 120_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (pid !== undefined) resources.pids.delete(pid);
      rmSync(file, { force: true });
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        status: code ?? (signal ? 128 : 1),
        timedOut,
      });
    });
  });
}

function bashArgv(file: string, prefix: string[] | undefined): [string, string[]] {
  const argv = [...(prefix ?? []), 'bash', file];
  return [argv[0]!, argv.slice(1)];
}

/** Marker byte between commands in a wrapped script's output (ASCII RS, never printed by ip). */
const RS = '\x1e';

export interface CommandResult {
  stdout: string;
  stderr: string;
  status: number;
}

/** Which of a command's results differ between the kernel and the model (empty: the same). */
export function differs(k: CommandResult, m: CommandResult & { unsupported: boolean }): string[] {
  const f: string[] = [];
  if (m.unsupported) f.push('unsupported');
  if (k.stdout !== m.stdout) f.push('stdout');
  if (k.stderr !== m.stderr) f.push('stderr');
  if (k.status !== m.status) f.push('status');
  return f;
}

/**
 * Wraps commands so that one bash run reports each command's stdout, stderr and exit
 * status separately: a marker goes to both streams before each command, and its status
 * after it. Commands are written exactly as given.
 */
export function wrapCommands(
  commands: readonly string[],
  opts: { before?: string; after?: string; between?: (command: string) => string | undefined } = {},
): string {
  let s = '';
  if (opts.before) s += opts.before + '\n';
  commands.forEach((c, i) => {
    s += `printf '\\036%d\\036' ${i}; printf '\\036%d\\036' ${i} >&2\n`;
    s += `${c}\n`;
    s += `printf '\\036rc=%d\\036' $?\n`;
    // Not compared: its output lands between markers, where unwrapResults reports it.
    const extra = opts.between?.(c);
    if (extra) s += `{ ${extra}; } 2>&1\n`;
  });
  s += `printf '\\036end\\036'; printf '\\036end\\036' >&2\n`;
  if (opts.after) s += opts.after + '\n';
  return s;
}

/** Splits the output of a wrapped script back into per-command results. */
/**
 * Bash that waits until link state has settled in the given namespaces. Carrier changes
 * reach operstate (and the routes' linkdown flags) through linkwatch, which runs at once for
 * most running devices but up to a second later for a device that is down or a veth whose
 * ifindex equals its peer's ("not urgent"), and operstate is computed when the event is
 * handled. The model shows the state a person typing the commands one by one sees (each
 * event handled before the next command), so after every link command the lab makes the
 * kernel handle pending events (by asking for each device by name) and waits until every
 * UP device shows LOWER_UP exactly when it does not show NO-CARRIER. Waited for, not masked.
 */
export function settleFunction(): string {
  return [
    // Asking for a device by name (RTM_GETLINK) makes the kernel handle its pending
    // linkwatch event now; a dump does not. Touch every device of every namespace.
    `nalab_touch() { ip -n "$1" -o link 2>/dev/null | awk -F': ' '{ split($2, a, "@"); print "link show dev " a[1] }' | ip -n "$1" -batch - >/dev/null 2>&1; }`,
    // Unsettled: carrier and operstate disagree (LOWER_UP with NO-CARRIER, or neither), or a
    // bond, VLAN, veth or bridge with carrier still in its first operstate, UNKNOWN: linkwatch
    // turns it UP within a second (dummy, ipvlan, vxlan and OVS ports stay UNKNOWN for good).
    `nalab_unsettled() { ip -n "$1" -d -o link 2>/dev/null | awk -F'[<>]' '{ f="," $2 ","; if (f ~ /,UP,/ && (f ~ /,LOWER_UP,/) == (f ~ /,NO-CARRIER,/)) bad=1; if (f ~ /,UP,/ && f ~ /,LOWER_UP,/ && $3 ~ / state UNKNOWN / && $0 ~ / (bond mode|vlan protocol|veth|bridge forward_delay) /) bad=1 } END { exit !bad }'; }`,
    `nalab_settle() { local n=0 ns b; for ns in "$@"; do nalab_touch "$ns"; done; while [ $n -lt 60 ]; do b=0; for ns in "$@"; do nalab_unsettled "$ns" && b=1; done; [ $b = 0 ] && return 0; sleep 0.05; n=$((n+1)); done; echo "lab: link state of $* did not settle in 3 s"; }`,
  ].join('\n');
}

export function unwrapResults(n: number, r: BashResult): CommandResult[] | string {
  const outParts = r.stdout.split(RS);
  const errParts = r.stderr.split(RS);
  const results: CommandResult[] = [];
  // stdout: pre, "0", out0, "rc=S", "", "1", out1, "rc=S", ..., "", "end", rest
  let oi = 1;
  let ei = 1;
  for (let i = 0; i < n; i++) {
    if (outParts[oi] !== String(i)) return `stdout marker ${i} missing (bash status ${r.status}${r.timedOut ? ', timed out' : ''})`;
    const stdout = outParts[oi + 1] ?? '';
    const rc = /^rc=(\d+)$/.exec(outParts[oi + 2] ?? '');
    if (!rc) return `status of command ${i} missing`;
    const between = outParts[oi + 3] ?? '';
    if (between !== '') return `harness output after command ${i}: ${between.trim()}`;
    oi += 4;
    if (errParts[ei] !== String(i)) return `stderr marker ${i} missing`;
    const stderr = errParts[ei + 1] ?? '';
    ei += 2;
    results.push({ stdout, stderr, status: Number(rc[1]) });
  }
  return results;
}
