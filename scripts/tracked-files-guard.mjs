// `npm test` must not rewrite tracked files. The first step of `npm test` runs
// `node scripts/tracked-files-guard.mjs start`, which records `git status --porcelain` in an
// ignored file (.cache/tracked-files-guard/before); the last step runs `... check`, which fails,
// naming them, when tracked files that were clean at the start are now modified, deleted or
// renamed. Files already changed before the run are left out (an author's own edits). In a
// directory that is not a git checkout (a tarball, no git) it says so and passes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STATE = join(ROOT, '.cache', 'tracked-files-guard', 'before');

/** `git status --porcelain -z` as a map path → XY status, or a reason git cannot tell. */
function status() {
  const inside = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: ROOT, encoding: 'utf8' });
  if (inside.error) return { off: `git is not available (${inside.error.code ?? inside.error.message})` };
  if (inside.status !== 0 || inside.stdout.trim() !== 'true') return { off: `${ROOT} is not a git checkout` };
  const r = spawnSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) return { off: `git status failed: ${(r.stderr || '').trim()}` };
  const entries = new Map();
  const parts = r.stdout.split('\0');
  for (let i = 0; i < parts.length; i++) {
    const e = parts[i];
    if (e.length < 4) continue;
    const xy = e.slice(0, 2);
    entries.set(e.slice(3), xy);
    // A rename or copy is followed by its source path.
    if (xy[0] === 'R' || xy[0] === 'C') i++;
  }
  return { entries };
}

function main(mode) {
  const s = status();
  if (s.off) {
    console.log(`tracked-files guard: off: ${s.off}; nothing to compare`);
    return 0;
  }
  if (mode === 'start') {
    mkdirSync(dirname(STATE), { recursive: true });
    writeFileSync(STATE, JSON.stringify([...s.entries]));
    return 0;
  }
  if (mode !== 'check') {
    console.error('usage: node scripts/tracked-files-guard.mjs start|check');
    return 2;
  }
  let before;
  try {
    before = new Map(JSON.parse(readFileSync(STATE, 'utf8')));
  } catch {
    console.error(`tracked-files guard: no record of the start (${STATE.slice(ROOT.length + 1)}): run \`node scripts/tracked-files-guard.mjs start\` first (npm test does)`);
    return 2;
  }
  const changed = [];
  const created = [];
  for (const [path, xy] of s.entries) {
    if (before.has(path)) continue;
    if (xy === '??') created.push(path);
    else if (xy !== '!!') changed.push(`${xy} ${path}`);
  }
  if (created.length > 0) {
    console.log(`tracked-files guard: note: the run left ${created.length} new untracked file(s) not covered by .gitignore:\n  ${created.join('\n  ')}`);
  }
  if (changed.length > 0) {
    console.error(
      `tracked-files guard: the run changed ${changed.length} tracked file(s) that were clean before it:\n  ${changed.join('\n  ')}\n` +
        'Tests and builds must not rewrite tracked files: write to an ignored directory, or compare instead of writing. ' +
        '`git diff` shows the changes; `git checkout -- FILE` undoes them.',
    );
    return 1;
  }
  console.log('tracked-files guard: no tracked file changed during the run');
  return 0;
}

process.exitCode = main(process.argv[2]);
