import { THEME_EVENT } from '../prefs/theme';

// Chart colours come from the same CSS variables as the rest of the UI, read once and again when the
// system switches between light and dark or the user picks a scheme.

const cache = new Map<string, string>();
const listeners = new Set<() => void>();
let watching = false;

function watch(): void {
  if (watching || typeof matchMedia === 'undefined') return;
  watching = true;
  const changed = () => {
    cache.clear();
    for (const l of [...listeners]) l();
  };
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', changed);
  window.addEventListener(THEME_EVENT, changed);
}

/** The current value of a CSS custom property on :root, e.g. cssVar('--md-primary'). */
export function cssVar(name: string, fallback = '#888'): string {
  watch();
  let v = cache.get(name);
  if (v === undefined) {
    v = getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
    cache.set(name, v);
  }
  return v;
}

/** A colour with alpha, through color-mix so any CSS colour works. Canvas accepts it in current browsers. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  return color;
}

export function onThemeChange(listener: () => void): () => void {
  watch();
  listeners.add(listener);
  return () => listeners.delete(listener);
}
