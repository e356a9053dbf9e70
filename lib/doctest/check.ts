// The whole check: every .mdx under content/, parsed, classified, run, compared across locales.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { detectOutput, type Detection } from './detect.ts';
import { checkLocales, type LocaleFile, type LocaleProblem } from './locales.ts';
import { parseDocument, type Block, type ParsedFile, type Problem } from './parse.ts';
import { loadModel, runBlock, type BlockResult, type CommandFailure, type RunContext, type SessionFactory } from './run.ts';

export interface CheckOptions {
  /** Repository root: paths in messages are relative to it. Default: the working directory. */
  root?: string;
  /** Default: ROOT/content. */
  contentDir?: string;
  /** Default: CONTENT/scripts. */
  scriptsDir?: string;
  /** Default: lib/session.ts's Session. */
  sessionFactory?: SessionFactory;
  /** Locale folders under content/. Default: its subfolders named like a language (zh-cn, en). */
  locales?: string[];
}

export interface UncheckedOutput {
  block: Block;
  detection: Detection;
}

export interface FileReport {
  /** Display path, e.g. content/zh-cn/overlay.mdx. */
  file: string;
  /** Absolute path. */
  path: string;
  parsed: ParsedFile;
  checked: Block[];
  optedOut: Block[];
  uncheckedOutput: UncheckedOutput[];
  /** Blocks (or the file) with problems: not run. */
  malformed: Problem[];
  results: BlockResult[];
}

export interface CheckReport {
  root: string;
  files: FileReport[];
  locales: string[];
  localeProblems: LocaleProblem[];
  /** Set when the model could not be loaded. */
  modelError?: string;
  passed: number;
  failed: number;
}

/** Every .mdx / .md file under `dir`, sorted. */
export function listContentFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
        walk(p);
      } else if (e.name.endsWith('.mdx') || e.name.endsWith('.md')) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/** The site's default locale: listed first, so cross-locale messages name it first. */
export const DEFAULT_LOCALE = 'zh-cn';

/** Subfolders of content/ named like a language tag (zh-cn, en, pt-br); the default locale first. */
export function findLocales(contentDir: string): string[] {
  if (!existsSync(contentDir)) return [];
  return readdirSync(contentDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => (a === DEFAULT_LOCALE ? -1 : b === DEFAULT_LOCALE ? 1 : a.localeCompare(b)));
}

const toPosix = (p: string): string => p.split(sep).join('/');

/** Classifies the blocks of one parsed file (no model needed): what the site's badge uses. */
export function classifyFile(parsed: ParsedFile): Pick<FileReport, 'checked' | 'optedOut' | 'uncheckedOutput' | 'malformed'> {
  const checked: Block[] = [];
  const optedOut: Block[] = [];
  const uncheckedOutput: UncheckedOutput[] = [];
  const malformed: Problem[] = [...parsed.problems];
  for (const b of parsed.blocks) {
    if (b.problems.length > 0) {
      malformed.push(...b.problems);
      if (b.kind === 'checked') checked.push(b);
      continue;
    }
    if (b.kind === 'checked') checked.push(b);
    else if (b.kind === 'opted-out') optedOut.push(b);
    else if (b.kind === 'plain') {
      const d = detectOutput(b.lines.join('\n'), b.lang);
      if (d) uncheckedOutput.push({ block: b, detection: d });
    }
  }
  return { checked, optedOut, uncheckedOutput, malformed };
}

export async function checkContent(opts: CheckOptions = {}): Promise<CheckReport> {
  const root = resolve(opts.root ?? process.cwd());
  const contentDir = resolve(opts.contentDir ?? join(root, 'content'));
  const scriptsDir = resolve(opts.scriptsDir ?? join(contentDir, 'scripts'));
  const locales = opts.locales ?? findLocales(contentDir);

  const files: FileReport[] = [];
  for (const path of listContentFiles(contentDir)) {
    const file = toPosix(relative(root, path));
    const parsed = parseDocument(readFileSync(path, 'utf8'), file);
    files.push({ file, path, parsed, ...classifyFile(parsed), results: [] });
  }

  const report: CheckReport = { root, files, locales, localeProblems: [], passed: 0, failed: 0 };

  const runnable = files.flatMap((f) => f.checked.filter((b) => b.problems.length === 0));
  let factory = opts.sessionFactory;
  if (!factory && runnable.length > 0) {
    try {
      factory = await loadModel();
    } catch (e) {
      report.modelError = `the model (lib/session.ts) did not load: ${(e as Error).message}`;
    }
  }
  const ctx: RunContext | undefined = factory
    ? { scriptsDir, displayRoot: root, factory, cache: new Map(), scriptTexts: new Map() }
    : undefined;
  for (const f of files) {
    for (const b of f.checked) {
      if (b.problems.length > 0) continue;
      if (!ctx) {
        const failure: CommandFailure = { kind: 'model', file: f.file, line: b.line, message: report.modelError ?? 'no model', block: b };
        f.results.push({ block: b, passed: false, failures: [failure] });
        continue;
      }
      f.results.push(runBlock(b, ctx));
    }
  }

  const localeFiles: LocaleFile[] = [];
  for (const f of files) {
    const rel = toPosix(relative(contentDir, f.path));
    const slash = rel.indexOf('/');
    if (slash < 0) continue;
    const locale = rel.slice(0, slash);
    if (!locales.includes(locale)) continue;
    localeFiles.push({ locale, slug: rel.slice(slash + 1).replace(/\.mdx?$/, ''), parsed: f.parsed });
  }
  if (locales.length > 1) report.localeProblems = checkLocales(localeFiles, locales);

  for (const f of files) {
    for (const r of f.results) {
      if (r.passed) report.passed++;
      else report.failed++;
    }
    // Each malformed block (or unparsable file) counts once.
    report.failed += f.parsed.blocks.filter((b) => b.problems.length > 0).length + f.parsed.problems.length;
    report.failed += f.uncheckedOutput.length;
  }
  report.failed += report.localeProblems.length;
  return report;
}

/** All failures of a report, in file order. */
export function allFailures(report: CheckReport): CommandFailure[] {
  return report.files.flatMap((f) => f.results.flatMap((r) => r.failures));
}
