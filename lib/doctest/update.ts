// `npm run doctest -- --update`: rewrite the expected output under each failing command with
// what the model printed, for a human to review with `git diff`. Only the output lines (and
// the `[N]` status line) of commands whose output differs are replaced; every other byte of
// the file stays as it was, line endings included.
import { readFileSync, writeFileSync } from 'node:fs';
import type { CheckReport } from './check.ts';
import { isSessionPrompt, isStatusLine } from './parse.ts';

/** Replace file lines [start, end) (1-based) with `lines` (without line endings). */
export interface Edit {
  start: number;
  end: number;
  lines: string[];
}

export interface UpdatePlan {
  files: { file: string; path: string; edits: Edit[] }[];
  /** Failures --update cannot fix (unsupported commands, unknown namespaces, ...): fix by hand. */
  skipped: { file: string; line: number; reason: string }[];
  /** Commands that now get a `[N]` line: an error shown on purpose? Review. */
  statusAdded: { file: string; line: number; status: number }[];
  /** Number of commands whose output is rewritten. */
  commands: number;
}

export function planUpdates(report: CheckReport): UpdatePlan {
  const plan: UpdatePlan = { files: [], skipped: [], statusAdded: [], commands: 0 };
  for (const f of report.files) {
    const edits: Edit[] = [];
    for (const r of f.results) {
      for (const x of r.failures) {
        if (x.kind !== 'mismatch' || !x.cmd || !x.actual) {
          plan.skipped.push({ file: x.file, line: x.line, reason: `${x.kind}: fix by hand` });
          continue;
        }
        const block = x.block;
        if (block.indent === undefined) {
          plan.skipped.push({ file: x.file, line: x.line, reason: 'the block\'s lines do not map one to one onto the file (unusual container indentation): update by hand' });
          continue;
        }
        const body = x.actual;
        const status = x.actualStatus ?? 0;
        const lastIsStatus = status !== 0;
        const outputLines = lastIsStatus ? body.slice(0, -1) : body;
        const bad = outputLines.find((l) => isSessionPrompt(l));
        if (bad !== undefined) {
          plan.skipped.push({ file: x.file, line: x.line, reason: `the output has a line that would read as a prompt (${JSON.stringify(bad)}): update by hand` });
          continue;
        }
        if (!lastIsStatus && outputLines.length > 0 && isStatusLine(outputLines[outputLines.length - 1]!)) {
          plan.skipped.push({ file: x.file, line: x.line, reason: 'the output ends with a line that would read as a status marker [N]: update by hand' });
          continue;
        }
        const indent = block.indent;
        edits.push({
          start: x.cmd.sectionStart,
          end: x.cmd.sectionEnd,
          lines: body.map((l) => (l === '' ? indent.trimEnd() : indent + l)),
        });
        plan.commands++;
        if (lastIsStatus && x.cmd.status === 0) {
          plan.statusAdded.push({ file: x.file, line: x.line, status });
        }
      }
    }
    if (edits.length > 0) plan.files.push({ file: f.file, path: f.path, edits });
  }
  return plan;
}

/** Applies edits to a source text, keeping every other byte (and the file's line endings). */
export function applyEdits(source: string, edits: readonly Edit[]): string {
  // parts: line, eol, line, eol, ..., line
  const parts = source.split(/(\r\n|\r|\n)/);
  const lines: string[] = [];
  const eols: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    lines.push(parts[i]!);
    eols.push(parts[i + 1] ?? '');
  }
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  for (const e of sorted) {
    // The line before the section is the command's; its ending is the block's.
    const eol = eols[e.start - 2] || '\n';
    const newEols = e.lines.map(() => eol);
    lines.splice(e.start - 1, e.end - e.start, ...e.lines);
    eols.splice(e.start - 1, e.end - e.start, ...newEols);
  }
  let out = '';
  for (let i = 0; i < lines.length; i++) out += lines[i]! + eols[i]!;
  return out;
}

/** Writes the planned edits. Returns the files written. */
export function writeUpdates(plan: UpdatePlan): string[] {
  const written: string[] = [];
  for (const f of plan.files) {
    const before = readFileSync(f.path, 'utf8');
    const after = applyEdits(before, f.edits);
    if (after !== before) {
      writeFileSync(f.path, after);
      written.push(f.file);
    }
  }
  return written;
}

export function formatUpdate(plan: UpdatePlan, written: readonly string[]): string {
  const lines: string[] = [];
  lines.push(`doctest --update: rewrote the output of ${plan.commands} command${plan.commands === 1 ? '' : 's'} in ${written.length} file${written.length === 1 ? '' : 's'}${written.length > 0 ? ': ' + written.join(', ') : ''}`);
  for (const s of plan.statusAdded) {
    lines.push(`  ${s.file}:${s.line}: warning: now marked [${s.status}] (the command fails): is this error meant to be shown?`);
  }
  for (const s of plan.skipped) lines.push(`  ${s.file}:${s.line}: not updated: ${s.reason}`);
  if (written.length > 0) lines.push('review the changes with `git diff content/` before committing');
  return lines.join('\n');
}
