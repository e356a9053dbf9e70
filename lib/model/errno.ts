// Kernel error answers. The tools print `Error: <extack>.` when the kernel sent an extack
// message and `RTNETLINK answers: <strerror>` otherwise, exactly as iproute2 does.

export type Errno =
  | 'EEXIST'
  | 'ENODEV'
  | 'ESRCH'
  | 'ENETUNREACH'
  | 'EHOSTUNREACH'
  | 'EINVAL'
  | 'EXDEV'
  | 'ENETDOWN'
  | 'EACCES'
  | 'ENOENT'
  | 'EADDRNOTAVAIL'
  | 'EBUSY'
  | 'EOPNOTSUPP'
  | 'ERANGE'
  | 'EAGAIN'
  | 'EPERM'
  | 'ENOTEMPTY'
  | 'EPROTONOSUPPORT';

export const STRERROR: Record<Errno, string> = {
  EEXIST: 'File exists',
  ENODEV: 'No such device',
  ESRCH: 'No such process',
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  EINVAL: 'Invalid argument',
  EXDEV: 'Invalid cross-device link',
  ENETDOWN: 'Network is down',
  EACCES: 'Permission denied',
  ENOENT: 'No such file or directory',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EBUSY: 'Device or resource busy',
  EOPNOTSUPP: 'Operation not supported',
  ERANGE: 'Numerical result out of range',
  EAGAIN: 'Resource temporarily unavailable',
  EPERM: 'Operation not permitted',
  ENOTEMPTY: 'Directory not empty',
  EPROTONOSUPPORT: 'Protocol not supported',
};

/** A refusal from the (modelled) kernel: an errno and, where the kernel sets one, its extack text. */
export class KernelError extends Error {
  readonly errno: Errno;
  readonly extack: string | undefined;

  constructor(errno: Errno, extack?: string) {
    super(extack ?? STRERROR[errno]);
    this.name = 'KernelError';
    this.errno = errno;
    this.extack = extack;
  }

  /** The line iproute2 prints for this error. */
  iproute2Message(): string {
    return this.extack !== undefined ? `Error: ${this.extack}.` : `RTNETLINK answers: ${STRERROR[this.errno]}`;
  }
}
