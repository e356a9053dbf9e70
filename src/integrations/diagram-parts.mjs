// Helpers of the build-time Mermaid integration (./mermaid.mjs) for readers: captions, a title
// and a description for screen readers, a minimum width that keeps labels legible on a phone,
// and splitting a long sequence diagram into parts. Pure string handling, unit-tested in
// tests/site/diagram-parts.test.mjs.

/** Smallest label size, in CSS pixels, a diagram may be scaled down to. */
export const MIN_LABEL_PX = 11;

/** Messages per part of a split sequence diagram. */
export const MESSAGES_PER_PART = 6;

const STRINGS = {
  en: {
    diagram: 'Diagram',
    part: (i, n) => `part ${i} of ${n}`,
    enlarge: 'Open full size',
  },
  'zh-CN': {
    diagram: '示意图',
    part: (i, n) => `第 ${i} 部分，共 ${n} 部分`,
    enlarge: '查看原尺寸',
  },
};

const escapeXml = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The figure's caption (the block's title, else the diagram's first label) and its strings. */
export function figureCaption(code, title, lang) {
  const t = STRINGS[lang] ?? STRINGS.en;
  let text = title;
  if (!text) {
    const first = /\[\s*"([^"]+)"\s*\]|\[([^\]"]+)\]|participant\s+\S+\s+as\s+(.+)/.exec(code);
    const label = first ? (first[1] ?? first[2] ?? first[3]).trim() : '';
    text = label ? `${t.diagram}: ${label}` : t.diagram;
  }
  return { text, part: t.part, enlarge: t.enlarge };
}

/** The SVG's visible labels in document order (for its <desc>). */
export function labelsOf(svg) {
  const out = [];
  for (const m of svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)) {
    const t = m[1]
      .replace(/<[^>]+>/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
      .trim();
    if (t && out[out.length - 1] !== t) out.push(t);
  }
  return out;
}

/** Width (CSS px) below which the SVG's smallest label would be under MIN_LABEL_PX. */
export function minWidthFor(svg) {
  const vb = /viewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"/.exec(svg);
  if (!vb) return undefined;
  const sizes = [...svg.matchAll(/font-size\s*[:=]\s*"?\s*([\d.]+)px/g)].map((m) => Number(m[1])).filter((n) => n >= 8);
  const smallest = sizes.length ? Math.min(...sizes) : 16;
  return Math.ceil((Number(vb[1]) * MIN_LABEL_PX) / smallest);
}

/**
 * The SVG with a <title> and <desc> (referenced by aria-labelledby, role img) and a min-width
 * that keeps its labels legible. `standalone`: for a file of its own (no min-width, real size).
 */
export function accessibleSvg(svg, id, title, { standalone = false } = {}) {
  const labels = labelsOf(svg);
  const desc = labels.join('; ').slice(0, 2000);
  const tId = `${id}-title`;
  const dId = `${id}-desc`;
  const minWidth = standalone ? undefined : minWidthFor(svg);
  return svg.replace(/^(\s*<svg\b)([^>]*)>/, (_, open, attrs) => {
    let a = attrs.replace(/\srole="[^"]*"/, '').replace(/\saria-labelledby="[^"]*"/, '').replace(/\saria-describedby="[^"]*"/, '');
    if (standalone) {
      // A file opened on its own: its natural size, not the width of a column.
      const w = /viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"/.exec(a);
      a = a.replace(/\swidth="[^"]*"/, '').replace(/\sstyle="[^"]*"/, '');
      if (w) a += ` width="${Math.ceil(Number(w[1]))}" height="${Math.ceil(Number(w[2]))}"`;
    } else if (minWidth) {
      a = /\sstyle="/.test(a) ? a.replace(/\sstyle="/, ` style="min-width: ${minWidth}px; `) : `${a} style="min-width: ${minWidth}px"`;
    }
    return `${open}${a} role="img" aria-labelledby="${tId}" aria-describedby="${dId}"><title id="${tId}">${escapeXml(title)}</title><desc id="${dId}">${escapeXml(desc)}</desc>`;
  });
}

// ---- sequence diagrams ----------------------------------------------------------------------

const MESSAGE = /^\s*([A-Za-z0-9_]+)\s*(?:<<)?-{1,2}(?:>>|>|x|\))\s*[+-]?\s*([A-Za-z0-9_]+)\s*:/;
const NOTE = /^\s*Note\s+(?:over|left of|right of)\s+([^:]+):/i;
const PARTICIPANT = /^\s*(?:participant|actor)\s+([A-Za-z0-9_]+)/;
const BLOCK_START = /^\s*(?:loop|alt|opt|par|critical|break|rect|box)\b/;
const BLOCK_END = /^\s*end\s*$/;

/**
 * A sequence diagram of more than `per` messages as several diagrams of at most `per`
 * messages each (cut only outside loop/alt blocks, a note staying with the message before
 * it), each declaring only the participants it uses, in the original order, and numbering on
 * from the previous part when the diagram is autonumbered. Any other diagram: itself.
 */
export function splitSequence(code, per = MESSAGES_PER_PART) {
  const lines = code.split('\n');
  const start = lines.findIndex((l) => /^\s*sequenceDiagram\b/.test(l));
  if (start < 0) return [code];
  const head = [];
  const participants = [];
  let autonumber = false;
  let i = start + 1;
  for (; i < lines.length; i++) {
    const l = lines[i];
    if (PARTICIPANT.test(l)) participants.push({ alias: PARTICIPANT.exec(l)[1], line: l });
    else if (/^\s*autonumber\b/.test(l)) autonumber = true;
    else if (/^\s*(%%.*)?$/.test(l)) head.push(l);
    else break;
  }
  const body = lines.slice(i);
  const total = body.filter((l) => MESSAGE.test(l)).length;
  if (total <= per + 2) return [code];
  const chunks = [];
  let cur = [];
  let count = 0;
  let depth = 0;
  for (const l of body) {
    if (MESSAGE.test(l) && count >= per && depth === 0) {
      chunks.push(cur);
      cur = [];
      count = 0;
    }
    if (BLOCK_START.test(l)) depth++;
    if (BLOCK_END.test(l)) depth = Math.max(0, depth - 1);
    if (MESSAGE.test(l)) count++;
    cur.push(l);
  }
  if (cur.some((l) => l.trim() !== '')) chunks.push(cur);
  // A last part of one or two messages joins the previous one.
  if (chunks.length > 1) {
    const lastCount = chunks[chunks.length - 1].filter((l) => MESSAGE.test(l)).length;
    if (lastCount <= 2) chunks[chunks.length - 2].push(...chunks.pop());
  }
  const prefix = lines.slice(0, start + 1);
  let number = 1;
  return chunks.map((chunk) => {
    const used = new Set();
    for (const l of chunk) {
      const m = MESSAGE.exec(l);
      if (m) used.add(m[1]).add(m[2]);
      const n = NOTE.exec(l);
      if (n) for (const a of n[1].split(',')) used.add(a.trim());
    }
    const out = [
      ...prefix,
      ...head.filter((l) => l.trim() !== ''),
      ...(autonumber ? [`    autonumber ${number}`] : []),
      ...participants.filter((p) => used.has(p.alias)).map((p) => p.line),
      ...chunk,
    ];
    number += chunk.filter((l) => MESSAGE.test(l)).length;
    return out.join('\n');
  });
}
