// Counts the places outside the per-kind modules (lib/kinds/) that branch on a device-kind
// literal: `x === 'vxlan'`, `x !== 'bond'`, `case 'veth':` and the like, where `x` may hold
// a device kind (its type is DeviceKind, a union overlapping it, or plain string). A
// comparison whose other side is typed as something else (a header kind, a step type, a
// tool name) is not a device kind and is not counted.
//
//   node scripts/kind-branches.ts          prints the count and every site
//   node scripts/kind-branches.ts --json   {"files": N, "sites": [...]}
import ts from 'typescript';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const KIND_WORDS = ['loopback', 'veth', 'vxlan', 'ipvlan', 'macvlan', 'vlan', 'dummy', 'bond', 'bridge', 'internal', 'ovs-internal', 'ovs-system'];

export interface Site {
  file: string;
  line: number;
  text: string;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Sites in lib/ (outside lib/kinds/) and in the browser code under src/. */
export function kindBranches(): Site[] {
  const sites: Site[] = [];
  for (const [dir, keep] of [
    [root, (f: string) => f.startsWith('lib/') && !f.startsWith('lib/kinds/')],
    [join(root, 'src'), (f: string) => f.startsWith('src/')],
  ] as const) {
    const config = ts.readConfigFile(join(dir, 'tsconfig.json'), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dir);
    const files = parsed.fileNames.filter((f) => keep(relative(root, f)));
    scan(ts.createProgram(files, parsed.options), files, sites);
  }
  return sites;
}

function scan(program: ts.Program, files: string[], sites: Site[]): void {
  const checker = program.getTypeChecker();

  // A type that can hold a device-kind word the comparison names: string, or a literal union
  // that contains the word *and* some other device kind (so header kinds 'vlan' | 'vxlan' |
  // 'eth'... and step types do not count, but DeviceKind and its subsets do).
  const deviceKinds = new Set(KIND_WORDS);
  const holdsKind = (t: ts.Type): boolean => {
    const parts = t.isUnion() ? t.types : [t];
    if (parts.some((p) => p.flags & ts.TypeFlags.String)) return true;
    const lits = parts.filter((p): p is ts.StringLiteralType => p.isStringLiteral()).map((p) => p.value);
    if (lits.length === 0) return false;
    // Every literal a device kind (DeviceKind or a subset): a device kind; a union with
    // non-kind words (a header kind, a step type, a tool name): something else.
    return lits.every((v) => deviceKinds.has(v) || v === '');
  };
  const record = (sf: ts.SourceFile, node: ts.Node) => {
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    sites.push({ file: relative(root, sf.fileName), line: line + 1, text: node.getText(sf).replace(/\s+/g, ' ').slice(0, 120) });
  };
  const isKindLiteral = (n: ts.Node): n is ts.StringLiteral => ts.isStringLiteral(n) && deviceKinds.has(n.text);

  for (const sf of program.getSourceFiles()) {
    if (!files.includes(sf.fileName)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isBinaryExpression(node)) {
        const op = node.operatorToken.kind;
        if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) {
          const [lit, other] = isKindLiteral(node.right) ? [node.right, node.left] : isKindLiteral(node.left) ? [node.left, node.right] : [undefined, undefined];
          if (lit && other && holdsKind(checker.getTypeAtLocation(other))) record(sf, node);
        }
      }
      if (ts.isCaseClause(node) && isKindLiteral(node.expression)) {
        const sw = node.parent.parent;
        if (ts.isSwitchStatement(sw) && holdsKind(checker.getTypeAtLocation(sw.expression))) record(sf, node.expression);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sites = kindBranches();
  const files = [...new Set(sites.map((s) => s.file))];
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ files: files.length, sites }, null, 2));
  } else {
    for (const s of sites) console.log(`${s.file}:${s.line}: ${s.text}`);
    console.log(`\n${files.length} files outside lib/kinds/ branch on a device-kind literal (${sites.length} sites)`);
    for (const f of files) console.log(`  ${f}: ${sites.filter((s) => s.file === f).length}`);
  }
}
