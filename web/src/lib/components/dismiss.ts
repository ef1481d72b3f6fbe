/**
 * A Svelte action for a popup panel (not a modal <dialog>, which closes on Escape by itself): calls close on
 * Escape, on a press outside the panel and the element that opens it, and on navigation (the hash changes).
 */
export function dismissable(node: HTMLElement, options: { close: () => void; opener?: HTMLElement | null }) {
  let opts = options;
  const key = (e: KeyboardEvent) => {
    if (e.key === 'Escape') opts.close();
  };
  const press = (e: PointerEvent) => {
    const target = e.target as Node | null;
    if (target && !node.contains(target) && !opts.opener?.contains(target)) opts.close();
  };
  const nav = () => opts.close();
  document.addEventListener('keydown', key);
  document.addEventListener('pointerdown', press, true);
  window.addEventListener('hashchange', nav);
  return {
    update(next: typeof options) {
      opts = next;
    },
    destroy() {
      document.removeEventListener('keydown', key);
      document.removeEventListener('pointerdown', press, true);
      window.removeEventListener('hashchange', nav);
    },
  };
}
