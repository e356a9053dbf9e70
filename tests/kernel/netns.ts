// Running commands on the real kernel in network namespaces, and cleaning up after.
import { spawnSync } from 'node:child_process';

export interface Ran {
  combined: string;
  status: number;
}

/** Runs a shell command line as bash would, stdout and stderr into one pipe (2>&1). */
export function sh(command: string, cwd?: string): Ran {
  // `exec 2>&1` keeps the order of writes across both streams, as a terminal would see them.
  const m = spawnSync('bash', ['-c', `exec 2>&1\n${command}\n`], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 1 << 26 });
  return { combined: m.stdout ?? '', status: m.status ?? 1 };
}

export function namespaces(): string[] {
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  return (r.stdout ?? '').split('\n').map((l) => l.split(' ')[0]!).filter(Boolean);
}

export function deleteNamespaces(names: Iterable<string>): void {
  for (const n of names) spawnSync('ip', ['netns', 'del', n]);
}

/** Why the kernel lab cannot run here, or undefined when it can. */
export function labUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root';
  for (const tool of ['ip', 'bridge', 'iptables', 'busybox']) {
    if (spawnSync('bash', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed (bash scripts/setup.sh installs it)`;
  }
  const probe = `nalab-probe-${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (add.status !== 0) return `ip netns does not work here: ${add.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

/** Waits until no IPv6 address is tentative (DAD) in the namespaces, at most `ms`. */
export function settle(names: string[], ms = 6000): void {
  const until = Date.now() + ms;
  for (;;) {
    const busy = names.some((n) => spawnSync('ip', ['-n', n, '-6', 'addr', 'show', 'tentative'], { encoding: 'utf8' }).stdout.trim() !== '');
    if (!busy || Date.now() > until) return;
    spawnSync('sleep', ['0.2']);
  }
}
