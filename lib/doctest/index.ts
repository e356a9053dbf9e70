// The doctest checker as a library: the site uses the parser (which blocks are checked, which
// are opted out) for its "verified" badge; scripts/doctest.ts is the CLI.
export {
  parseDocument,
  parseMeta,
  parseSession,
  checkedBlocks,
  stripHiddenLines,
  isSessionPrompt,
  isStatusLine,
  SESSION_LANGS,
  DOCTEST_KEYS,
  type Block,
  type BlockKind,
  type Command,
  type Meta,
  type MetaToken,
  type ParsedFile,
  type Problem,
} from './parse.ts';
export { detectOutput, looksLikeOutput, isPromptLine, OUTPUT_PATTERNS, type Detection } from './detect.ts';
export {
  loadModel,
  runBlock,
  renderSection,
  sectionsEqual,
  listScripts,
  commandAsWritten,
  type BlockResult,
  type CommandFailure,
  type FailureKind,
  type ModelSession,
  type RunContext,
  type RunResultLike,
  type SessionFactory,
} from './run.ts';
export { checkLocales, blockSignature, type LocaleFile, type LocaleProblem } from './locales.ts';
export {
  checkContent,
  classifyFile,
  listContentFiles,
  findLocales,
  allFailures,
  type CheckOptions,
  type CheckReport,
  type FileReport,
  type UncheckedOutput,
} from './check.ts';
export { formatReport, formatFailure, formatDiff, formatProblem, formatLocaleProblem, finalLine, trailingWhitespaceNotes } from './report.ts';
export { planUpdates, applyEdits, writeUpdates, formatUpdate, type Edit, type UpdatePlan } from './update.ts';
