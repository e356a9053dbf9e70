import { describe, expect, it } from 'vitest';
import { checkLocales, type LocaleFile } from '../../lib/doctest/locales.ts';
import { parseDocument } from '../../lib/doctest/parse.ts';
import { formatLocaleProblem } from '../../lib/doctest/report.ts';

const F = '```';
const LOCALES = ['zh-cn', 'en'];

function file(locale: string, slug: string, ...lines: string[]): LocaleFile {
  return { locale, slug, parsed: parseDocument(lines.join('\n') + '\n', `content/${locale}/${slug}.mdx`) };
}

const block = (out = '10.0.0.0/24 dev lo proto kernel scope link src 10.0.0.1 ', ns = 'h1', cmd = '$ ip route'): string[] => [
  `${F}console scripts="h1.sh" ns="${ns}" title="t"`,
  cmd,
  out,
  F,
];

describe('checkLocales', () => {
  it('accepts the same checked blocks under translated prose, titles and opt-out reasons', () => {
    const zh = file('zh-cn', 'overlay', '# 标题', '', '中文说明。', '', ...block(), '', `${F}console unchecked="需要物理网卡"`, '$ ethtool x', F);
    const en = file('en', 'overlay', '# Title', '', 'English prose', 'on two lines.', '', ...block(), '', `${F}console unchecked="needs a NIC"`, '$ ethtool x', F);
    expect(checkLocales([zh, en], LOCALES)).toEqual([]);
  });

  it('names both files and lines when an output drifted apart, with a diff', () => {
    const zh = file('zh-cn', 'overlay', 'x', '', ...block());
    const en = file('en', 'overlay', 'x', '', 'more prose', '', ...block('10.0.0.0/24 dev lo proto kernel scope link src 10.0.0.9 '));
    const problems = checkLocales([zh, en], LOCALES);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.locations).toEqual([
      { file: 'content/zh-cn/overlay.mdx', line: 5 },
      { file: 'content/en/overlay.mdx', line: 7 },
    ]);
    const text = formatLocaleProblem(problems[0]!);
    expect(text).toContain(
      'content/zh-cn/overlay.mdx:5, content/en/overlay.mdx:7: error: locales drifted apart: checked block 1 of chapter "overlay" (content/zh-cn/overlay.mdx:3 and content/en/overlay.mdx:5): the output of `$ ip route` differs',
    );
    expect(text).toContain('--- content/zh-cn/overlay.mdx:3\n+++ content/en/overlay.mdx:5\n');
    expect(text).toContain('-10.0.0.0/24 dev lo proto kernel scope link src 10.0.0.1 \n+10.0.0.0/24 dev lo proto kernel scope link src 10.0.0.9 ');
  });

  it('catches a different ns= or command', () => {
    const zh = file('zh-cn', 'a', ...block());
    expect(checkLocales([zh, file('en', 'a', ...block(undefined, 'h2'))], LOCALES)[0]!.message).toMatch(/ns= differ \("h1" vs "h2"\)/);
    expect(checkLocales([zh, file('en', 'a', ...block(undefined, 'h1', '$ ip -4 route'))], LOCALES)[0]!.message).toMatch(
      /command 1 differs \(`\$ ip route` vs `\$ ip -4 route`\)/,
    );
  });

  it('catches a block missing in one locale (order matters)', () => {
    const zh = file('zh-cn', 'a', ...block(), '', ...block('x'));
    const en = file('en', 'a', ...block());
    const problems = checkLocales([zh, en], LOCALES);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toBe(
      'locales drifted apart: content/zh-cn/a.mdx has 2 checked blocks, content/en/a.mdx has 1; checked block 2 (content/zh-cn/a.mdx:6, `$ ip route`) has no counterpart in content/en/a.mdx',
    );
    const swapped = checkLocales([file('zh-cn', 'b', ...block('x'), '', ...block()), file('en', 'b', ...block(), '', ...block('x'))], LOCALES);
    expect(swapped).toHaveLength(2);
  });

  it('a chapter present in one locale only fails', () => {
    const problems = checkLocales([file('zh-cn', 'only', 'x'), file('en', 'other', 'y')], LOCALES);
    expect(problems.map((p) => p.message)).toEqual([
      'chapter "only" exists in content/zh-cn/only.mdx but not in content/en/only.mdx: every chapter is kept in all locales (zh-cn, en)',
      'chapter "other" exists in content/en/other.mdx but not in content/zh-cn/other.mdx: every chapter is kept in all locales (zh-cn, en)',
    ]);
  });
});
