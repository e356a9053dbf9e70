// "Copy link" next to every widget and the generator: the link is an ordinary anchor to the
// widget (#widget-ID), so without JavaScript it still gives the address bar a link that opens
// there. With JavaScript, a click copies the page's current address — the widget's state is
// already in the query (history.replaceState) — with the widget's anchor, and says so.
export function wireCopyLinks(): void {
  document.addEventListener('click', (e) => {
    const a = (e.target as Element | null)?.closest?.<HTMLAnchorElement>('a[data-copy-link]');
    if (!a || !navigator.clipboard) return;
    e.preventDefault();
    const url = location.href.split('#')[0] + a.hash;
    history.replaceState(history.state, '', a.hash);
    const label = a.textContent;
    navigator.clipboard.writeText(url).then(() => {
      a.textContent = a.dataset.copied ?? label;
      setTimeout(() => (a.textContent = label), 1500);
    }, () => undefined);
  });
}
