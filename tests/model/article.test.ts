// The source article's own command outputs, reproduced byte for byte by running the
// reference scripts. The article's code blocks (not its prose) are vendored in
// tests/fixtures/article/article.zh.code.md (see PROVENANCE.md there), so a change to either
// side shows here. Both the overlay on the production fabric (00, 10-fabric, 20, 30) and the
// whole production cluster reproduce them; the reference kernel VM prints the same for the
// pod and node outputs (content/*/overlay.mdx blocks on 00-hosts 10-fabric 20-node-net
// 30-overlay, replayed by tests/lab/vm-doctests.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../../lib/session.ts';

const root = join(import.meta.dirname, '..', '..');
const article = readFileSync(join(root, 'tests', 'fixtures', 'article', 'article.zh.code.md'), 'utf8');

/** The ```bash blocks of the article, in order. */
function bashBlocks(md: string): string[] {
  return [...md.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** Drops the author's annotations (`# pod 内 route`, `  # <--- 关键行`), keeping output bytes. */
function outputLines(block: string): string[] {
  return block
    .split('\n')
    .filter((l) => !l.startsWith('#') && l !== '')
    .map((l) => l.replace(/ +# <---.*$/, ' '));
}

const OVERLAY_STACK = ['00-hosts', '10-fabric', '20-node-net', '30-overlay'];
const PRODUCTION_STACK = ['00-hosts', '10-fabric', '20-node-net', '21-planes', '30-overlay', '40-underlay', '50-services', '60-snat'];

function cluster(stack: string[]): Session {
  const s = new Session();
  for (const f of stack.map((x) => `content/scripts/${x}.sh`)) {
    const r = s.runScript(readFileSync(join(root, f), 'utf8'), f);
    expect(r.status, r.stderr).toBe(0);
  }
  return s;
}

describe.each([
  ['the overlay on the production fabric', OVERLAY_STACK],
  ['the production stack (bond, OVS, underlay, services, SNAT)', PRODUCTION_STACK],
])('the article\'s outputs on %s', (_name, stack) => {
  const [podBlock, nodeBlock] = bashBlocks(article);
  const pod = outputLines(podBlock!);
  const s = cluster(stack);

  it('pod routes: ip route inside pod 10.20.9.60', () => {
    const expected = pod.slice(0, 2).join('\n') + '\n';
    expect(expected).toContain('169.254.1.1 dev eth0 scope link \n');
    expect(s.runCommand('ip route', { netns: 'pod-9-60' }).stdout).toBe(expected);
  });

  it('pod address: busybox ip addr show eth0 (eth0@if91, EUI-64 inet6)', () => {
    const expected = pod.slice(2).join('\n') + '\n';
    expect(expected.startsWith('3: eth0@if91: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1450 qdisc noqueue \n')).toBe(true);
    expect(s.runCommand('busybox ip addr show eth0', { netns: 'pod-9-60' }).stdout).toBe(expected);
  });

  it('node routes to its five overlay pods: ip route show root 10.20.9.0/24 on node-a', () => {
    const expected = outputLines(nodeBlock!).join('\n') + '\n';
    expect(expected.split('\n').filter(Boolean)).toHaveLength(5);
    expect(s.runCommand('ip route show root 10.20.9.0/24', { netns: 'node-a' }).stdout).toBe(expected);
  });

  it('the sequence diagram\'s routes: via 10.20.4.0 dev vxlan.2, then default via 10.186.153.254 dev biz', () => {
    expect(article).toContain('via 10.20.4.0 dev vxlan.2');
    expect(article).toContain('via 10.186.153.254 dev biz');
    expect(s.runCommand('ip route get 10.20.4.5 from 10.20.9.60 iif upvx4279f78e5dc', { netns: 'node-a' }).stdout).toBe(
      '10.20.4.5 from 10.20.9.60 via 10.20.4.0 dev vxlan.2 \n    cache iif upvx4279f78e5dc \n',
    );
    expect(s.runCommand('ip route get 10.186.153.12', { netns: 'node-a' }).stdout).toBe('10.186.153.12 dev biz src 10.186.153.11 uid 0 \n    cache \n');
  });
});
