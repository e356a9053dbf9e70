// One boot of the reference kernel under QEMU, serving scripts. The host and the guest share
// one directory over virtio-9p: the host drops `in/NNNNN.sh` (renamed into place, so the guest
// never sees half a script), the guest's /init (scripts/vm/guest/init) runs them in order with
// bash and writes `out/NNNNN.stdout`, `.stderr`, `.time` and, last, `.rc`. Several scripts
// share one boot; state (namespaces, OVS, netfilter) persists between them until `reset()`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureImage, kernelLabel, type VmImage } from './image.ts';

export interface VmRunResult {
  stdout: string;
  stderr: string;
  /** bash's exit status; 124 when the script overran its timeout, 125 when the VM died. */
  status: number;
  /** Seconds the script took inside the guest. */
  guestSeconds: number;
}

export interface BootOptions {
  image?: VmImage;
  memoryMb?: number;
  bootTimeoutMs?: number;
  log?: (line: string) => void;
}

export class VmError extends Error {}

const live = new Set<ChildProcess>();
let handlersInstalled = false;
function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const killAll = () => {
    for (const c of live) c.kill('SIGKILL');
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      killAll();
      process.exit(sig === 'SIGINT' ? 130 : sig === 'SIGTERM' ? 143 : 129);
    });
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ReferenceVm {
  /** `uname -r` in the guest. */
  readonly kernel: string;
  /** Package versions inside the image. */
  readonly versions: Record<string, string>;
  readonly label: string;
  /** Wall seconds from spawning QEMU to the guest serving scripts. */
  readonly bootSeconds: number;
  private serial = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private dead: string | undefined;

  private readonly qemu: ChildProcess;
  private readonly share: string;

  private constructor(qemu: ChildProcess, share: string, ready: Record<string, string>, image: VmImage, bootSeconds: number) {
    this.qemu = qemu;
    this.share = share;
    this.kernel = ready.kernel ?? '?';
    this.versions = image.versions;
    this.label = kernelLabel(image);
    this.bootSeconds = bootSeconds;
    qemu.on('exit', (code, signal) => {
      live.delete(qemu);
      this.dead ??= `QEMU exited (${signal ?? `status ${code}`})`;
    });
  }

  /** Builds the image if needed, boots it and waits until the guest serves scripts. */
  static async boot(opts: BootOptions = {}): Promise<ReferenceVm> {
    const log = opts.log ?? (() => {});
    const image = opts.image ?? ensureImage(log);
    installHandlers();
    const share = mkdtempSync(join(tmpdir(), 'netatlas-vm-'));
    mkdirSync(join(share, 'in'));
    mkdirSync(join(share, 'out'));
    const accel = process.env.NETATLAS_VM_ACCEL === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg', '-cpu', 'max'];
    const args = [
      ...accel,
      '-smp', '1',
      '-m', String(opts.memoryMb ?? 1024),
      '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
      '-serial', `file:${join(share, 'console.log')}`,
      '-kernel', image.vmlinux,
      '-initrd', image.initrd,
      '-append', 'console=ttyS0 panic=-1 loglevel=3 quiet cryptomgr.notests',
      '-virtfs', `local,path=${share},mount_tag=vmlab,security_model=none,id=vmlab`,
    ];
    const t0 = Date.now();
    const qemu = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    live.add(qemu);
    let qemuErr = '';
    qemu.stderr?.on('data', (b: Buffer) => (qemuErr += b.toString()));
    let exited: string | undefined;
    qemu.on('exit', (code, signal) => (exited = signal ?? `status ${code}`));
    qemu.on('error', (e) => (exited = e.message));
    const deadline = t0 + (opts.bootTimeoutMs ?? 120_000);
    const readyFile = join(share, 'out', 'ready');
    while (!existsSync(readyFile)) {
      if (exited !== undefined || Date.now() > deadline) {
        qemu.kill('SIGKILL');
        const consoleTail = readTail(join(share, 'console.log'));
        rmSync(share, { recursive: true, force: true });
        throw new VmError(
          `the reference kernel VM did not boot (${exited !== undefined ? `qemu-system-x86_64 ${exited}` : `no guest after ${Math.round((Date.now() - t0) / 1000)} s`})` +
            `${qemuErr.trim() ? `\nqemu: ${qemuErr.trim()}` : ''}${consoleTail ? `\nconsole:\n${consoleTail}` : ''}`,
        );
      }
      await sleep(20);
    }
    const ready: Record<string, string> = {};
    for (const l of readFileSync(readyFile, 'utf8').split('\n')) {
      const i = l.indexOf('=');
      if (i > 0) ready[l.slice(0, i)] = l.slice(i + 1);
    }
    const vm = new ReferenceVm(qemu, share, ready, image, (Date.now() - t0) / 1000);
    log(`vm: ${vm.label} booted in ${vm.bootSeconds.toFixed(1)} s`);
    return vm;
  }

  /** Runs one bash script in the guest; calls are served in order. */
  run(script: string, opts: { timeoutS?: number; name?: string } = {}): Promise<VmRunResult> {
    const p = this.queue.then(() => this.runNow(script, opts.timeoutS ?? 600, opts.name));
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** Back to the state the VM booted in: no namespaces, no OVS, empty netfilter and IPVS. */
  async reset(): Promise<void> {
    const r = await this.run('vm-reset', { timeoutS: 60 });
    if (r.status !== 0) throw new VmError(`vm-reset failed (status ${r.status}): ${r.stderr.trim()}`);
  }

  /** `name`: the path bash is given in the guest (relative to a fresh directory), as the user typed it. */
  private async runNow(script: string, timeoutS: number, name?: string): Promise<VmRunResult> {
    if (this.dead) return { stdout: '', stderr: `netatlas kernel: the VM is gone: ${this.dead}\n`, status: 125, guestSeconds: 0 };
    const n = String(this.serial++).padStart(5, '0');
    const inDir = join(this.share, 'in');
    writeFileSync(join(inDir, `${n}.timeout`), String(timeoutS));
    if (name !== undefined) writeFileSync(join(inDir, `${n}.name`), name);
    writeFileSync(join(inDir, `.${n}.tmp`), script);
    renameSync(join(inDir, `.${n}.tmp`), join(inDir, `${n}.sh`));
    const out = (ext: string) => join(this.share, 'out', `${n}.${ext}`);
    const deadline = Date.now() + (timeoutS + 30) * 1000;
    while (!existsSync(out('rc'))) {
      if (this.dead || Date.now() > deadline) {
        if (!this.dead) {
          this.dead = `no answer to a script within ${timeoutS + 30} s`;
          this.qemu.kill('SIGKILL');
        }
        return { stdout: readOr(out('stdout')), stderr: `${readOr(out('stderr'))}netatlas kernel: the VM is gone: ${this.dead}\n`, status: 125, guestSeconds: 0 };
      }
      await sleep(10);
    }
    const rc = Number(readFileSync(out('rc'), 'utf8').trim());
    const [s0, s1] = readOr(out('time')).trim().split(' ').map(Number);
    // timeout -s KILL: the script was killed (137); report it as bash's `timeout` would.
    const killed = rc === 137 && (s1! - s0!) >= timeoutS - 0.5;
    return {
      stdout: readFileSync(out('stdout'), 'utf8'),
      stderr: readFileSync(out('stderr'), 'utf8') + (killed ? `netatlas kernel: the script ran over its ${timeoutS} s and was killed\n` : ''),
      status: killed ? 124 : rc,
      guestSeconds: (s1 ?? 0) - (s0 ?? 0),
    };
  }

  /** Asks the guest to power off and waits for QEMU to exit (killing it after 20 s). */
  async stop(): Promise<void> {
    if (!this.dead) {
      await this.queue;
      writeFileSync(join(this.share, 'in', 'stop'), '');
      const t = Date.now();
      while (!this.dead && Date.now() - t < 20_000) await sleep(20);
    }
    this.qemu.kill('SIGKILL');
    live.delete(this.qemu);
    rmSync(this.share, { recursive: true, force: true });
  }
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function readTail(file: string): string {
  return readOr(file).trim().split('\n').slice(-15).join('\n');
}
