import { describe, expect, it } from 'vitest';
import { shrinkCommands } from './shrink.ts';

interface C {
  id: string;
  ro?: boolean;
  fixed?: boolean;
}
const mk = (id: string, o: Partial<C> = {}): C => ({ id, ...o });

describe('shrinkCommands', () => {
  it('keeps exactly what the failure needs, the fixed setup and the target', async () => {
    const cmds = [mk('setup', { fixed: true }), mk('a'), mk('show1', { ro: true }), mk('b'), mk('c'), mk('d'), mk('show2', { ro: true }), mk('target'), mk('after')];
    let runs = 0;
    // The target fails only when `b` and `d` ran before it.
    const out = await shrinkCommands(cmds, 7, (c) => !!c.ro, async (trial) => {
      runs++;
      return trial.some((c) => c.id === 'b') && trial.some((c) => c.id === 'd');
    });
    expect(out.map((c) => c.id)).toEqual(['setup', 'b', 'd', 'target']);
    expect(runs).toBeGreaterThan(0);
  });

  it('returns the prefix up to the target when nothing can go', async () => {
    const cmds = [mk('x'), mk('y'), mk('target')];
    const out = await shrinkCommands(cmds, 2, () => false, async (trial) => trial.length === 3);
    expect(out.map((c) => c.id)).toEqual(['x', 'y', 'target']);
  });
});
