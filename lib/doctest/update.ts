// `npm run doctest -- --update`: rewrite the expected output under each failing command with
// what the model printed, for a human to review with `git diff` — but only where a kernel
// printed the same. The model's output is never written as an expected value on the model's
// word alone: every block that would change is first replayed on a real kernel
// (kernel-confirm.ts, confirmUpdates), with the block as it would read after the rewrite, and
// it is written only when the kernel prints exactly that for every command. Blocks no kernel
// can run yet, or where the kernel prints something else, are left as they are and listed
// with file:line and why. Only the output lines (and the `[N]` status line) of commands whose
// output differs are replaced; every other byte of the file stays as it was, line endings
// included.
import { readFileSync, writeFileSync } from 'node:fs';
import type { CheckReport } from './check.ts';
import { confirmOnKernel, describeDifferences, type KernelRequest, type KernelRunner } from './kernel-confirm.ts';
import { isSessionPrompt, isStatusLine, type Block, type Command } from './parse.ts';

/** Replace file lines [start, end) (1-based) with `lines` (without line endings). */
export interface Edit {
  start: number;
  end: number;
  lines: string[];
}

/** An edit of one command's section, and what it is about. */
export interface PlannedEdit extends Edit {
  block: Block;
  cmd: Command;
  /** The new section (the model's output, then `[N]` when N ≠ 0), without the block's indentation. */
  section: string[];
  /** Set when the edit adds a `[N]` line the block did not have. */
  statusAdded?: number;
}

export interface UpdatePlan {
  files: { file: string; path: string; edits: PlannedEdit[] }[];
  /** Failures --update cannot fix (unsupported commands, unknown namespaces, ...): fix by hand. */
  skipped: { file: string; line: number; reason: string }[];
  /** Blocks whose new output no kernel confirmed (line: the block's fence): not written. */
  notWritten: { file: string; line: number; reason: string; details: string[] }[];
  /** Commands that now get a `[N]` line: an error shown on purpose? Review. */
  statusAdded: { file: string; line: number; status: number }[];
  /** Number of commands whose output is rewritten. */
  commands: number;
}

export function planUpdates(report: CheckReport): UpdatePlan {
  const plan: UpdatePlan = { files: [], skipped: [], notWritten: [], statusAdded: [], commands: 0 };
  for (const f of report.files) {
    const edits: PlannedEdit[] = [];
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
        const edit: PlannedEdit = {
          start: x.cmd.sectionStart,
          end: x.cmd.sectionEnd,
          lines: body.map((l) => (l === '' ? indent.trimEnd() : indent + l)),
          block,
          cmd: x.cmd,
          section: [...body],
        };
        if (lastIsStatus && x.cmd.status === 0) edit.statusAdded = status;
        edits.push(edit);
      }
    }
    if (edits.length > 0) plan.files.push({ file: f.file, path: f.path, edits });
  }
  return tally(plan);
}

/** Recounts the commands to rewrite and the `[N]` warnings from the plan's edits. */
function tally(plan: UpdatePlan): UpdatePlan {
  plan.commands = 0;
  plan.statusAdded = [];
  for (const f of plan.files) {
    for (const e of f.edits) {
      plan.commands++;
      if (e.statusAdded !== undefined) plan.statusAdded.push({ file: e.block.file, line: e.cmd.line, status: e.statusAdded });
    }
  }
  return plan;
}

/**
 * Keeps only the edits a kernel confirms. Each block with an edit is replayed on `kernel` as
 * it would read after the update (the new sections where the plan changes them, the written
 * ones elsewhere); a block whose every command the kernel prints exactly so keeps its edits,
 * any other block (the kernel cannot run it, or prints something else) loses them all and is
 * listed in notWritten. Returns a new plan.
 */
export async function confirmUpdates(plan: UpdatePlan, kernel: KernelRunner): Promise<UpdatePlan> {
  const byBlock = new Map<Block, PlannedEdit[]>();
  for (const f of plan.files) {
    for (const e of f.edits) {
      const list = byBlock.get(e.block) ?? [];
      list.push(e);
      byBlock.set(e.block, list);
    }
  }
  const requests: KernelRequest[] = [...byBlock].map(([block, edits]) => ({
    block,
    expected: block.commands.map((c) => edits.find((e) => e.cmd === c)?.section ?? c.section),
  }));
  const confirmations = await confirmOnKernel(requests, kernel);
  const confirmed = new Set<Block>();
  const notWritten: UpdatePlan['notWritten'] = [...plan.notWritten];
  for (const c of confirmations) {
    if (c.confirmed) {
      confirmed.add(c.block);
      continue;
    }
    const where = { file: c.block.file, line: c.block.line };
    if (c.notRun) {
      const reason =
        c.notRun.why === 'unsupported' ? c.notRun.reason : c.notRun.why === 'unavailable' ? `no kernel could confirm it here: ${c.notRun.reason}` : `the kernel could not run it: ${c.notRun.reason}`;
      const [first, ...rest] = reason.split('\n');
      notWritten.push({ ...where, reason: first!, details: rest });
    } else {
      notWritten.push({ ...where, reason: `the kernel (${c.kernel}) prints something other than the model`, details: describeDifferences(c, 'model') });
    }
  }
  const files = plan.files.map((f) => ({ ...f, edits: f.edits.filter((e) => confirmed.has(e.block)) })).filter((f) => f.edits.length > 0);
  return tally({ ...plan, files, notWritten });
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
  const nw = plan.notWritten.length;
  if (nw > 0) lines.push(`${nw} block${nw === 1 ? '' : 's'} not written: the model's output is written only where a kernel prints the same`);
  for (const s of plan.statusAdded) {
    lines.push(`  ${s.file}:${s.line}: warning: now marked [${s.status}] (the command fails): is this error meant to be shown?`);
  }
  for (const s of plan.skipped) lines.push(`  ${s.file}:${s.line}: not updated: ${s.reason}`);
  for (const n of plan.notWritten) {
    lines.push(`  ${n.file}:${n.line}: not written: ${n.reason}`);
    for (const d of n.details) lines.push(`      ${d}`);
  }
  if (written.length > 0) lines.push('review the changes with `git diff content/` before committing');
  return lines.join('\n');
}
