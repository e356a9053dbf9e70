// iptables -t nat against captures from the real tool: every command of
// tests/model/fixtures/netfilter/iptables-*.cmds was run by capture.py in a fresh network
// namespace on the lab machine (kernel 6.18, Debian iptables 1.8.9-2, nf_tables backend);
// the .json files hold what it printed. The model replays the same commands in order and
// must print the same bytes and exit with the same status.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../lib/tools/tool.ts';
import { freshNs, runTool, type Capture } from './tool-harness.ts';
import { Session } from '../../lib/session.ts';

/** Commands the capture has but the model refuses on purpose (none: the filter table is modelled too). */
const UNSUPPORTED = new Set<string>();

function replay(file: string): void {
  const cap = JSON.parse(readFileSync(new URL(`./fixtures/netfilter/${file}`, import.meta.url), 'utf8')) as Capture;
  const ns = freshNs();
  for (const [i, step] of cap.steps.entries()) {
    if (UNSUPPORTED.has(step.argv.join(' '))) {
      expect(() => runTool(ns, step.argv)).toThrow(UnsupportedError);
      continue;
    }
    const got = runTool(ns, step.argv);
    const label = `step ${i + 1}: ${step.argv.join(' ')}`;
    expect({ label, ...got }).toEqual({ label, stdout: step.stdout, stderr: step.stderr, status: step.status });
  }
}

describe('iptables -t nat, replayed against real captures', () => {
  it('iptables-nat.json: kube-proxy/flannel-style chains, listings, errors', () => replay('iptables-nat.json'));
  it('iptables-edge.json: option checks, odd masks, -v/-x formats, chain deletion', () => replay('iptables-edge.json'));
});

describe('iptables -P with a bad policy (iptables 1.8.9 nf_tables, kernel probe)', () => {
  it.each([['POSTROUTING FOO'], ['POSTROUTING accept'], ['POSTROUTING RETURN'], ['NOCHAIN FOO']])('-t nat -P %s', (args) => {
    const s = new Session();
    s.runCommand('ip netns add i');
    const r = s.runCommand(`ip netns exec i iptables -t nat -P ${args}`);
    expect([r.status, r.stderr]).toEqual([1, "iptables: Bad policy name. Run `dmesg' for more information.\n"]);
  });
});
