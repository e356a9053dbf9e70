// A reader for the subset of Mermaid the chapters use: flowchart nodes and links, sequence
// participants and messages, and `%%` comment lines (where bindings to the model live).
// Layout and rendering stay Mermaid's job at build time; this only reads structure.

export interface FlowNode {
  id: string;
  label: string;
}

export interface FlowLink {
  from: string;
  to: string;
  label: string;
  line: number;
}

export interface Flowchart {
  kind: 'flowchart';
  nodes: Map<string, FlowNode>;
  links: FlowLink[];
  comments: string[];
}

export interface Sequence {
  kind: 'sequence';
  participants: { id: string; label: string }[];
  messages: { from: string; to: string; text: string; line: number }[];
  comments: string[];
}

export type Diagram = Flowchart | Sequence | { kind: 'other'; comments: string[] };

const NODE = /([A-Za-z_][\w-]*)\s*(\[\[|\[\(|\(\(|\[|\(|\{\{|\{|>)\s*"?([^"\]\)\}]*)"?\s*(\]\]|\)\]|\)\)|\]|\)|\}\}|\})/g;
const LINK = /^([A-Za-z_][\w-]*)(?:\s*(?:\[\[|\[\(|\(\(|\[|\(|\{\{|\{)[^\n]*?(?:\]\]|\)\]|\)\)|\]|\)|\}\}|\}))?(?::::\w+)?\s*(-->|---|-\.->|==>|--\s*"[^"]*"\s*-->|--\s*[^->]+-->|-\.-|--)\s*(?:\|([^|]*)\|)?\s*([A-Za-z_][\w-]*)/;

function stripClass(s: string): string {
  return s.replace(/:::\w+/g, '');
}

export function parseMermaid(code: string): Diagram {
  const lines = code.split('\n');
  const comments = lines.map((l) => l.trim()).filter((l) => l.startsWith('%%')).map((l) => l.slice(2).trim());
  const head = lines.map((l) => l.trim()).find((l) => l && !l.startsWith('%%')) ?? '';
  if (/^(flowchart|graph)\b/.test(head)) {
    const nodes = new Map<string, FlowNode>();
    const links: FlowLink[] = [];
    lines.forEach((raw, i) => {
      const line = stripClass(raw.trim());
      if (!line || line.startsWith('%%') || /^(flowchart|graph|classDef|class |linkStyle|style |direction|end$|subgraph)/.test(line)) return;
      // Link labels (|...| and quoted "...") are text, not nodes.
      const shapes = line.replace(/\|[^|]*\|/g, ' ').replace(/--\s*"[^"]*"\s*-->/g, ' --> ');
      for (const m of shapes.matchAll(NODE)) {
        if (!nodes.has(m[1]!) || m[3]) nodes.set(m[1]!, { id: m[1]!, label: m[3]!.trim() });
      }
      const lk = LINK.exec(line);
      if (lk) {
        const from = lk[1]!;
        const to = lk[4]!;
        const inline = /"([^"]*)"/.exec(lk[2]!)?.[1];
        for (const id of [from, to]) if (!nodes.has(id)) nodes.set(id, { id, label: id });
        links.push({ from, to, label: (lk[3] ?? inline ?? '').trim(), line: i + 1 });
      }
    });
    return { kind: 'flowchart', nodes, links, comments };
  }
  if (/^sequenceDiagram\b/.test(head)) {
    const participants: Sequence['participants'] = [];
    const messages: Sequence['messages'] = [];
    lines.forEach((raw, i) => {
      const line = raw.trim();
      const p = /^(?:participant|actor)\s+([\w-]+)(?:\s+as\s+(.*))?$/.exec(line);
      if (p) {
        participants.push({ id: p[1]!, label: (p[2] ?? p[1]!).replace(/^"|"$/g, '') });
        return;
      }
      const m = /^([\w-]+)\s*(-->>|->>|-->|->|--x|-x|--\)|-\))\s*([\w-]+)\s*:\s*(.*)$/.exec(line);
      if (m) messages.push({ from: m[1]!, to: m[3]!, text: m[4]!, line: i + 1 });
    });
    return { kind: 'sequence', participants, messages, comments };
  }
  return { kind: 'other', comments };
}
