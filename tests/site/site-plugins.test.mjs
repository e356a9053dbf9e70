// Unit tests for the site's build plugins that need no browser (plain .mjs: the site code is JS).
import { describe, expect, it } from 'vitest';
import { commandsFromSession } from '../../src/integrations/ec-copy-commands.mjs';
import { langFromContentPath, CONTENT_DIR } from '../../src/integrations/content-locale.mjs';
import { rehypeRowHeaders } from '../../src/integrations/rehype-row-headers.mjs';
import { remarkVerified } from '../../src/integrations/remark-verified.mjs';

describe('copy button: commandsFromSession', () => {
  it('keeps commands, drops prompts and output', () => {
    expect(commandsFromSession('$ ip -n node-a route\ndefault via 10.186.153.254 dev biz \n')).toBe('ip -n node-a route');
  });

  it('understands host / namespace prompts and several commands', () => {
    const code = ['node-a$ ip route', 'default via 169.254.1.1 dev eth0', 'root@node-a:~# ip -d link show biz', '5: biz: <UP> mtu 1500', '[root@node-b ~]# ss -tn'].join('\n');
    expect(commandsFromSession(code)).toBe('ip route\nip -d link show biz\nss -tn');
  });

  it('keeps continuation lines of a command ending in a backslash', () => {
    expect(commandsFromSession('$ ip link add vxlan.2 type vxlan \\\n    id 2 dstport 4789\nok')).toBe('ip link add vxlan.2 type vxlan \\\n    id 2 dstport 4789');
  });

  it('does not take a bare "# comment" or output for a prompt', () => {
    expect(commandsFromSession('# pod 内 route\ndefault via 169.254.1.1 dev eth0')).toBeUndefined();
    expect(commandsFromSession('3: eth0@if91: <BROADCAST,MULTICAST,UP> mtu 1450\n    inet 10.20.9.60/32 scope global eth0')).toBeUndefined();
  });
});

describe('content locale from path', () => {
  it('maps content/<locale>/ to the BCP-47 lang', () => {
    expect(langFromContentPath(`${CONTENT_DIR}/en/overlay.mdx`)).toBe('en');
    expect(langFromContentPath(`${CONTENT_DIR}/zh-cn/overlay.mdx`)).toBe('zh-CN');
    expect(langFromContentPath('/elsewhere/en/overlay.mdx')).toBeUndefined();
  });
});

describe('rehypeRowHeaders', () => {
  const el = (tagName, children = [], properties = {}) => ({ type: 'element', tagName, properties, children });
  const t = (value) => ({ type: 'text', value });
  const table = (corner) =>
    el('table', [
      el('thead', [el('tr', [el('th', corner ? [t(corner)] : []), el('th', [t('overlay')]), el('th', [t('underlay')])])]),
      el('tbody', [el('tr', [el('td', [t('MTU')]), el('td', [t('1450')]), el('td', [t('1500')])])]),
    ]);
  const shape = (node) => (node.type === 'text' ? node.value : `${node.tagName}${node.properties.scope ? `[${node.properties.scope}]` : ''}(${node.children.map(shape).join(',')})`);

  it('turns the first column of a table with an empty corner cell into row headers', () => {
    const tree = { type: 'root', children: [table('')] };
    rehypeRowHeaders()(tree);
    expect(shape(tree.children[0])).toBe('table(thead(tr(th(),th[col](overlay),th[col](underlay))),tbody(tr(th[row](MTU),td(1450),td(1500))))');
  });

  it('leaves a table whose corner cell has text alone', () => {
    const tree = { type: 'root', children: [table('what')] };
    rehypeRowHeaders()(tree);
    expect(shape(tree.children[0])).toBe('table(thead(tr(th(what),th(overlay),th(underlay))),tbody(tr(td(MTU),td(1450),td(1500))))');
  });
});

describe('verification badges follow Astro\'s base', () => {
  const hrefs = (node) => (node.attributes ?? []).filter((a) => a.name === 'href').map((a) => a.value).concat((node.children ?? []).flatMap(hrefs));
  const badgeLinks = (options) => {
    const tree = { type: 'root', children: [{ type: 'code', lang: 'console', meta: 'scripts="00-hosts.sh"', value: '$ ip netns list\n' }] };
    remarkVerified(options)(tree, { path: `${CONTENT_DIR}/en/overlay.mdx` });
    return hrefs(tree.children[1]);
  };

  it('at the root by default', () => {
    expect(badgeLinks().map((h) => h.replace(/#.*/, ''))).toEqual(['/en/verification/', '/en/scripts/00-hosts.sh/']);
  });

  it('under a project page\'s base, with or without its trailing slash', () => {
    for (const base of ['/netatlas', '/netatlas/']) {
      expect(badgeLinks({ base }).map((h) => h.replace(/#.*/, ''))).toEqual(['/netatlas/en/verification/', '/netatlas/en/scripts/00-hosts.sh/']);
    }
  });
});
