// Readable rendering of a trace: one block per step, headers shown with their sizes.
import { describeHeader } from './headers.ts';
import type { Trace } from './types.ts';

export function formatTrace(t: Trace): string {
  const q = t.query;
  const ports = q.proto === 'icmp' ? `id ${q.sport}` : `${q.sport} → ${q.dport}`;
  let s = `trace ${q.from} → ${q.to} ${q.proto.toUpperCase()} ${ports}, ${q.size} bytes${q.reply ? ' (reply)' : ''}\n`;
  for (const st of t.steps) {
    const where = `${st.ns || '(host)'}${st.device ? `:${st.device}` : ''}`;
    s += `\n${String(st.n).padStart(3)}  ${st.action.padEnd(13)} ${where}\n     ${st.summary}\n`;
    for (const w of st.why) s += `       · ${w}\n`;
    if (st.headers.length > 0) {
      const parts = st.headers.map((h, i) => `${describeHeader(h)} (${st.sizes[i]})`);
      s += `     [${st.total} bytes] ${parts.join(' | ')}\n`;
    }
  }
  s += `\n${t.disposition} at ${t.at.ns || '(host)'}${t.at.device ? `:${t.at.device}` : ''}: ${t.reason}`;
  if (t.ttlAtDelivery !== undefined) s += ` (ttl ${t.ttlAtDelivery})`;
  return s + '\n';
}
