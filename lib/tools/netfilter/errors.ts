// How iptables 1.8.9 (nf_tables) reports failures, by kind:
//   param: xtables_error(PARAMETER_PROBLEM, ...) + exit_tryhelp  -> status 2
//   plain: "iptables: <strerror-like text>."                     -> status 1
//   nft:   "iptables v1.8.9 (nf_tables): <text>" with no hint     -> status given
//   badarg: a stray word: "Bad argument `X'" + the hint          -> status 2

export const IPT_VERSION = 'iptables v1.8.9 (nf_tables)';
const TRY_HELP = "Try `iptables -h' or 'iptables --help' for more information.\n";

export class IptError extends Error {
  readonly text: string;
  readonly status: number;
  constructor(text: string, status: number) {
    super(text);
    this.name = 'IptError';
    this.text = text;
    this.status = status;
  }
}

/** xtables_error(PARAMETER_PROBLEM, msg): the message may end in "\n", giving a blank line. */
export function paramError(msg: string, before = ''): IptError {
  return new IptError(`${before}${IPT_VERSION}: ${msg}\n${TRY_HELP}`, 2);
}

export function plainError(msg: string): IptError {
  return new IptError(`iptables: ${msg}\n`, 1);
}

export function nftError(msg: string, status: number): IptError {
  return new IptError(`${IPT_VERSION}: ${msg}\n`, status);
}

export function badArgument(word: string): IptError {
  return new IptError(`Bad argument \`${word}'\n${TRY_HELP}`, 2);
}
