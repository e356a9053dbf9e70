// `npm run doctest [-- --update] [--root DIR]`: check every command output shown under content/.
import { join, resolve } from 'node:path';
import { checkContent, type CheckOptions } from './check.ts';
import { inCi } from './ci.ts';
import { formatReport } from './report.ts';
import type { SessionFactory } from './run.ts';
import { hostNetnsRunner, type KernelRunner } from './kernel-confirm.ts';
import { confirmUpdates, formatUpdate, planUpdates, writeUpdates } from './update.ts';

const USAGE = `usage: npm run doctest [-- [--update] [--root DIR]]

Runs every checked code block under content/ against the netatlas model and compares the
output byte for byte. See docs/authoring.md.

  --update     rewrite the expected output of failing commands in place, only in blocks a
               kernel replays with exactly the new output (lib/doctest/kernel-confirm.ts);
               lists every other block with file:line and why (refused when CI is set)
  --root DIR   repository root (default: the working directory); content is DIR/content
`;

export interface CliResult {
  code: number;
  output: string;
}

export { inCi };

/**
 * `kernel` confirms --update's rewrites (default: the host kernel in network namespaces, for
 * the blocks lib/doctest/kernel-scripts.ts says it can run).
 */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, sessionFactory?: SessionFactory, kernel?: KernelRunner): Promise<CliResult> {
  let update = false;
  let root = process.cwd();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--update' || a === '-u') update = true;
    else if (a === '--root') {
      const v = argv[++i];
      if (v === undefined) return { code: 2, output: `doctest: --root needs a directory\n${USAGE}` };
      root = resolve(v);
    } else if (a.startsWith('--root=')) root = resolve(a.slice('--root='.length));
    else if (a === '--help' || a === '-h') return { code: 0, output: USAGE };
    else return { code: 2, output: `doctest: unknown argument ${JSON.stringify(a)}\n${USAGE}` };
  }
  if (update && inCi(env)) {
    return {
      code: 2,
      output:
        'doctest: --update is refused when CI is set: CI checks the outputs, it never rewrites them. ' +
        'Run `npm run doctest -- --update` locally, review `git diff content/` and commit.',
    };
  }
  const opts: CheckOptions = { root };
  if (sessionFactory) opts.sessionFactory = sessionFactory;
  const report = await checkContent(opts);
  if (!update) return { code: report.failed > 0 ? 1 : 0, output: formatReport(report) };

  const runner = kernel ?? hostNetnsRunner({ scriptsDir: join(root, 'content', 'scripts') });
  const plan = await confirmUpdates(planUpdates(report), runner);
  const written = writeUpdates(plan);
  const after = await checkContent(opts);
  const parts = [formatReport(report), '', formatUpdate(plan, written), '', 'after the update:', formatReport(after)];
  return { code: after.failed > 0 ? 1 : 0, output: parts.join('\n') };
}
