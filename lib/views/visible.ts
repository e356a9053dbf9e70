// Text from a link or a field, made safe to show: control and formatting characters — above
// all the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069, U+200E/F,
// U+061C) that reorder what follows them — are shown as visible ⟦U+XXXX⟧ marks instead of
// acting on the text. A value containing one can then never look like another value.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2069\u206A-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFF9-\uFFFB]/gu;

export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(text);
}

export function visible(text: string): string {
  return text.replace(INVISIBLE, (c) => `⟦U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟧`);
}
