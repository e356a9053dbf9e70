// Shrinking a failing fuzz configuration to a minimal script (ddmin over commands), shared by
// the host-kernel fuzzer (fuzz.ts) and the reference-kernel device fuzzer (vm-fuzz.ts).

export interface Shrinkable {
  /** Setup the configuration cannot do without (never dropped). */
  fixed?: boolean;
}

/**
 * Drops commands while the mismatch of the target command persists. Read-only commands
 * change no state, so all of them (but the target) go in one step; then chunks of the rest,
 * halves first (ddmin), then single commands, until nothing more can go. `stillFails` runs a
 * trial (the target is always its last command) in both worlds.
 */
export async function shrinkCommands<C extends Shrinkable>(
  cmds: readonly C[],
  target: number,
  readOnly: (c: C) => boolean,
  stillFails: (trial: C[], target: C) => Promise<boolean>,
): Promise<C[]> {
  const tgt = cmds[target]!;
  let cur = cmds.slice(0, target + 1);
  const ro = cur.filter((c) => c !== tgt && readOnly(c));
  if (ro.length) {
    const trial = cur.filter((c) => !ro.includes(c));
    if (await stillFails(trial, tgt)) cur = trial;
  }
  let chunk = Math.max(1, Math.floor(cur.length / 2));
  for (;;) {
    let removed = false;
    for (let start = cur.length - 2; start >= 0; start -= chunk) {
      const from = Math.max(0, start - chunk + 1);
      const drop = cur.slice(from, start + 1).filter((c) => !c.fixed && c !== tgt);
      if (drop.length === 0) continue;
      const trial = cur.filter((c) => !drop.includes(c));
      if (await stillFails(trial, tgt)) {
        cur = trial;
        removed = true;
      }
    }
    if (chunk === 1 && !removed) break;
    if (!removed) chunk = Math.max(1, Math.floor(chunk / 2));
  }
  return cur;
}
