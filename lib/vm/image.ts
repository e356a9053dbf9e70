// The reference kernel's image on this machine: where scripts/vm/build.sh put it, what is
// inside (versions), and building it when it is missing or stale.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const BUILD_SCRIPT = join(REPO_ROOT, 'scripts', 'vm', 'build.sh');

export interface VmImage {
  dir: string;
  vmlinux: string;
  initrd: string;
  /** `kernel_pkg`, `kernel`, `iproute2`, ... as written by the build (KEY=VALUE lines). */
  versions: Record<string, string>;
}

export class VmImageError extends Error {}

export function imageDir(): string {
  return process.env.NETATLAS_VM_DIR ?? join(REPO_ROOT, '.cache', 'vm');
}

function parseVersions(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** The image if it is built, else undefined (does not build). */
export function findImage(dir = imageDir()): VmImage | undefined {
  const vmlinux = join(dir, 'vmlinux');
  const initrd = join(dir, 'initrd.img');
  const versions = join(dir, 'versions');
  if (!existsSync(vmlinux) || !existsSync(initrd) || !existsSync(versions)) return undefined;
  return { dir, vmlinux, initrd, versions: parseVersions(readFileSync(versions, 'utf8')) };
}

/**
 * Runs scripts/vm/build.sh (a cache hit when nothing changed: well under a second) and
 * returns the image. Build output goes to `log`; a failed build throws with its last lines.
 */
export function ensureImage(log: (line: string) => void = () => {}, dir = imageDir()): VmImage {
  const r = spawnSync('bash', [BUILD_SCRIPT], { encoding: 'utf8', env: { ...process.env, NETATLAS_VM_DIR: dir } });
  for (const l of `${r.stdout}${r.stderr}`.split('\n')) if (l.trim()) log(l);
  if (r.status !== 0) {
    const tail = `${r.stdout}${r.stderr}`.trim().split('\n').slice(-5).join('\n');
    throw new VmImageError(`building the reference kernel image failed (bash scripts/vm/build.sh, status ${r.status}):\n${tail}`);
  }
  const img = findImage(dir);
  if (!img) throw new VmImageError(`scripts/vm/build.sh succeeded but ${dir} has no vmlinux/initrd.img/versions`);
  return img;
}

/** "Linux 6.1.0-57-amd64 (Debian 6.1.192-3, QEMU VM)": how pages and reports name the judge. */
export function kernelLabel(img: VmImage): string {
  const pkg = img.versions.kernel_pkg ?? '';
  const deb = pkg.includes('=') ? pkg.slice(pkg.lastIndexOf('=') + 1) : '?';
  return `Linux ${img.versions.kernel ?? '?'} (Debian ${deb}, QEMU VM)`;
}
