// Where a parameter error lives, said the way the form says it ("Node 2 › Pod subnet"),
// not as a JSON path: for the problems of a shared link or pasted JSON, which are listed
// apart from the form because they were not applied to it.
import type { ParamError } from '../../../lib/generator/errors.ts';
import { allFields, fieldOfError } from '../../../lib/generator/form.ts';
import { REFERENCE_PARAMS } from '../../../lib/generator/reference.ts';
import { visible } from '../../../lib/views/visible.ts';
import { errorText, type Strings } from './i18n.ts';

const GROUPS: [RegExp, string][] = [
  [/^nodes\[(\d+)\]/, 'nodes'],
  [/^vlans\[(\d+)\]/, 'vlans'],
  [/^planes\[(\d+)\]/, 'planes'],
  [/^services\.list\[(\d+)\]/, 'services'],
];

// The reference set has at least one node, VLAN, plane and service: its fields, with the
// group index set to 0, are every field the form can show.
const FIELDS = allFields(REFERENCE_PARAMS);

export function placeOf(s: Strings, path: string): string {
  if (path === '') return s.wholeSet;
  const parts: string[] = [];
  let norm = path;
  let inGroup = '';
  for (const [re, kind] of GROUPS) {
    const m = re.exec(path);
    if (!m) continue;
    parts.push(s.groupTitle[kind]!(Number(m[1])));
    inGroup = m[0];
    norm = m[0].replace(/\[\d+\]$/, '[0]') + path.slice(m[0].length);
    break;
  }
  const section = inGroup ? '' : (/^[A-Za-z]+/.exec(path)?.[0] ?? '');
  if (s.sections[section]) parts.push(s.sections[section]!);
  const at = fieldOfError(norm, FIELDS.map((f) => f.path));
  const field = at ? FIELDS.find((f) => f.path === at) : undefined;
  if (field) {
    parts.push(s.labels[field.label] ?? field.label);
    const tail = norm.slice(at!.length).replace(/^\./, '');
    if (tail) parts.push(tail);
  } else {
    let tail = path.slice(inGroup.length).replace(/^\./, '');
    if (s.sections[section]) tail = tail.slice(section.length).replace(/^\./, '');
    if (tail) parts.push(tail);
  }
  return parts.join(' › ');
}

/** "place: message", with control characters made visible. */
export function describeError(s: Strings, e: ParamError): string {
  return visible(`${placeOf(s, e.path)}: ${errorText(s, e)}`);
}
