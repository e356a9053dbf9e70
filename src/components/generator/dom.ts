// DOM helpers of the generator form; the element builder is shared with the widgets.
import { h } from '../dom.ts';

export { append, h, type Child } from '../dom.ts';

/** Saves bytes as a file through a temporary link (the browser's download). */
export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
