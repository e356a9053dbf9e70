// `netatlas generate PARAMS.json --out DIR`: checks the parameters and writes the scripts.
// Node only (reads and writes files); the library it calls (./generate.ts) is pure.
import { chmodSync, mkdirSync, readFileSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { formatErrors } from './errors.ts';
import { generate } from './generate.ts';
import { REFERENCE_PARAMS } from './reference.ts';

export const GENERATE_HELP = `Usage: netatlas generate PARAMS.json --out DIR
       netatlas generate --example            (prints the reference cluster's parameters)

Checks the parameters of your cluster and writes into DIR:
  README.md                          what is where, and in which order to run it
  params.json                        the parameters
  simulation/NN-*.sh                 the whole cluster as network namespaces (like content/scripts/)
  nodes/NODE/setup-NODE.sh           the node's own setup script (run as root on the node)
  nodes/NODE/check-NODE.sh           compares the node with the expected outputs
  nodes/NODE/expected/*.txt          those expected outputs, computed by the model

Start from the example: netatlas generate --example > params.json
Exit status: 0 when written, 2 for bad parameters (each problem is printed with its field).
`;

export function generateCommand(args: string[]): number {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(GENERATE_HELP);
    return 0;
  }
  if (args.includes('--example')) {
    process.stdout.write(JSON.stringify(REFERENCE_PARAMS, null, 2) + '\n');
    return 0;
  }
  let out: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--out' || a === '-o') {
      out = args[++i];
      if (out === undefined) return usage('--out needs a directory');
    } else if (a.startsWith('--out=')) out = a.slice('--out='.length);
    else if (a.startsWith('-')) return usage(`unknown option "${a}"`);
    else files.push(a);
  }
  if (files.length !== 1) return usage('give one PARAMS.json');
  if (out === undefined || out === '') return usage('give the output directory with --out DIR');
  const file = files[0]!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`netatlas generate: cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    process.stderr.write(`netatlas generate: ${file} is not valid JSON: ${(e as Error).message}\n`);
    return 2;
  }
  const r = generate(json);
  if (!r.ok) {
    const n = r.errors.length;
    process.stderr.write(`netatlas generate: ${file}: ${n} problem${n === 1 ? '' : 's'} with the parameters:\n`);
    process.stderr.write(formatErrors(r.errors).replace(/^(?=.)/gm, '  '));
    return 2;
  }
  const refused = outDirProblem(out);
  if (refused) {
    process.stderr.write(`netatlas generate: --out ${out}: ${refused}\n`);
    return 2;
  }
  for (const f of r.value.files) {
    const path = join(out, ...f.path.split('/'));
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.text);
      chmodSync(path, f.executable ? 0o755 : 0o644);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      process.stderr.write(`netatlas generate: cannot write ${path}: ${describeFsError(err)}\n`);
      return 2;
    }
  }
  const nodes = r.value.cluster.nodes.map((n) => n.name).join(', ');
  process.stdout.write(`netatlas generate: wrote ${r.value.files.length} files to ${out} (nodes ${nodes}); start with ${join(out, 'README.md')}\n`);
  return 0;
}

/** File systems the kernel makes up (writing there is never what a user meant, and may not end). */
const KERNEL_FS: Record<number, string> = { 0x9fa0: '/proc (procfs)', 0x62656572: '/sys (sysfs)', 0x64626720: 'debugfs', 0x74726163: 'tracefs', 0x27e0eb: 'cgroup', 0x63677270: 'cgroup2' };

/**
 * Why DIR cannot take the generated files, or undefined: it exists and is not a directory,
 * a parent of it is a file, or it is on a kernel pseudo file system (/proc, /sys).
 */
export function outDirProblem(dir: string): string | undefined {
  let cur = resolve(dir);
  let first = true;
  for (;;) {
    let st;
    try {
      st = statSync(cur);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') {
        first = false;
        cur = dirname(cur);
        continue;
      }
      if (code !== 'ENOENT') return `cannot look at ${cur}: ${code}`;
      const up = dirname(cur);
      if (up === cur) return undefined;
      cur = up;
      first = false;
      continue;
    }
    if (!st.isDirectory()) return first ? 'exists and is not a directory' : `${cur} is a file, not a directory`;
    try {
      const fs = statfsSync(cur);
      const kind = KERNEL_FS[Number(fs.type)];
      if (kind) return `${cur} is on ${kind}, a file system the kernel makes up; choose a directory on disk`;
    } catch {
      // statfs unavailable: the write below reports any problem.
    }
    return undefined;
  }
}

function describeFsError(e: NodeJS.ErrnoException): string {
  const known: Record<string, string> = {
    EACCES: 'permission denied',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    ENOTDIR: 'a parent is not a directory',
    EISDIR: 'is a directory',
    EEXIST: 'exists and is not a directory',
  };
  return known[e.code ?? ''] ?? e.message;
}

function usage(msg: string): number {
  process.stderr.write(`netatlas generate: ${msg} (see netatlas generate --help)\n`);
  return 2;
}
