// The only widget code that runs before interaction: when a widget comes near the
// viewport, load its module (and with it the model) and mount it. Everything else is
// fetched on demand, so it stays out of the page's JavaScript budget (scripts/budget.mjs).
import { wireCopyLinks } from '../copy-link.ts';

type Mod = { mount: (el: HTMLElement) => void };

wireCopyLinks();

const modules: Record<string, () => Promise<Mod>> = {
  tracer: () => import('./tracer.ts'),
  route: () => import('./route.ts'),
  mtu: () => import('./mtu.ts'),
  bond: () => import('./bond.ts'),
  nat: () => import('./nat.ts'),
};

function start(el: HTMLElement): void {
  if (el.dataset.nwState) return;
  const load = modules[el.dataset.nwWidget ?? ''];
  if (!load) return;
  el.dataset.nwState = 'loading';
  el.setAttribute('aria-busy', 'true');
  load()
    .then((m) => {
      m.mount(el);
      el.dataset.nwState = 'ready';
    })
    .catch((err: unknown) => {
      el.dataset.nwState = 'error';
      const status = el.querySelector('[data-nw-status]');
      if (status) status.textContent = (el.dataset.nwFailed ?? '') + String((err as Error)?.message ?? err);
      console.error(err);
    })
    .finally(() => el.removeAttribute('aria-busy'));
}

const widgets = document.querySelectorAll<HTMLElement>('[data-nw-widget]');
if ('IntersectionObserver' in window) {
  const io = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        io.unobserve(e.target);
        start(e.target as HTMLElement);
      }
    },
    { rootMargin: '300px 0px' },
  );
  widgets.forEach((w) => io.observe(w));
} else widgets.forEach(start);
