// The only generator code that runs before interaction: when the generator comes near the
// viewport, or the reader points at or focuses it, load the generator (and with it the
// model) and mount it. Everything else is fetched on demand, outside the page's JavaScript
// budget (scripts/budget.mjs).
import { wireCopyLinks } from '../copy-link.ts';

wireCopyLinks();

function start(el: HTMLElement): void {
  if (el.dataset.cgState) return;
  el.dataset.cgState = 'loading';
  el.setAttribute('aria-busy', 'true');
  const status = el.querySelector<HTMLElement>('[data-cg-loading]');
  if (status) status.hidden = false;
  import('./client.ts')
    .then((m) => {
      m.mount(el);
      el.dataset.cgState = 'ready';
    })
    .catch((err: unknown) => {
      el.dataset.cgState = 'error';
      if (status) status.textContent = (el.dataset.cgFailed ?? '') + String((err as Error)?.message ?? err);
      console.error(err);
    })
    .finally(() => el.removeAttribute('aria-busy'));
}

for (const el of document.querySelectorAll<HTMLElement>('[data-cg-root]')) {
  const go = () => start(el);
  el.addEventListener('pointerover', go, { once: true });
  el.addEventListener('focusin', go, { once: true });
  if ('IntersectionObserver' in window) {
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          io.disconnect();
          go();
        }
      },
      { rootMargin: '200px 0px' },
    );
    io.observe(el);
  } else go();
}
