// `-s`/`-d` addresses as libxtables parses them (xtables_ipparse_any): a dotted address whose
// missing trailing parts are zero (`10.1` is 10.1.0.0), `localhost`, and a `/len` or dotted mask.
import type { Ipv4Addr } from '../../net/ipv4.ts';
import type { AddrSpec } from '../../model/netfilter/rule.ts';
import { paramError } from './errors.ts';

function byte(text: string): number | undefined {
  let v: number;
  if (/^0x[0-9a-f]+$/i.test(text)) v = parseInt(text, 16);
  else if (/^0[0-7]*$/.test(text)) v = parseInt(text, 8);
  else if (/^[1-9]\d*$/.test(text)) v = Number(text);
  else return undefined;
  return v <= 255 ? v : undefined;
}

/**
 * __numeric_to_ipaddr: up to four parts; with `full` (masks, NAT ranges use inet_pton-like
 * strictness) all four are required.
 */
export function parseDottedLoose(text: string, full = false): number | undefined {
  const parts = text.split('.');
  if (parts.length > 4 || (full && parts.length !== 4)) return undefined;
  let v = 0;
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    const b = p === undefined ? 0 : byte(p);
    if (b === undefined) return undefined;
    v = v * 256 + b;
  }
  return v;
}

/** The host part: a number, or a name the model resolves (only `localhost`). */
function hostAddr(text: string): number | undefined {
  const n = parseDottedLoose(text);
  if (n !== undefined) return n;
  if (text === 'localhost') return 0x7f000001;
  return undefined;
}

export function parseAddrSpec(text: string, invert: boolean): AddrSpec {
  const slash = text.indexOf('/');
  const host = slash < 0 ? text : text.slice(0, slash);
  let mask = 0xffffffff;
  if (slash >= 0) {
    const m = text.slice(slash + 1);
    if (m.includes('.')) {
      const dotted = parseDottedLoose(m, true);
      if (dotted === undefined) throw paramError(`invalid mask \`${m}' specified`);
      mask = dotted;
    } else {
      if (!/^\d+$/.test(m) || Number(m) > 32) throw paramError(`invalid mask \`${m}' specified`);
      const len = Number(m);
      mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    }
  }
  // An all-zero mask matches anything: xtables skips the host lookup for it.
  const addr = mask === 0 ? 0 : hostAddr(host);
  if (addr === undefined) throw paramError(`host/network \`${host}' not found`);
  return { addr: ((addr & mask) >>> 0) as Ipv4Addr, mask: mask >>> 0, invert };
}
