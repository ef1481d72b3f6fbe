import { writable } from 'svelte/store';

/** "system" follows prefers-color-scheme; the others pin a scheme (html[data-theme], see tooling/theme.ts). */
export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'flick.theme';
/** Fired on window after the scheme changed by the user's choice, so canvas charts can re-read their colours. */
export const THEME_EVENT = 'flick:theme';

function saved(): ThemeChoice {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (v === 'light' || v === 'dark' || v === 'system') return v;
  } catch {
    // storage blocked
  }
  return 'system';
}

export const themeChoice = writable<ThemeChoice>(saved());

/** Sets html[data-theme] and the browser's theme colour for the choice. */
export function applyTheme(choice: ThemeChoice): void {
  if (typeof document === 'undefined') return;
  const root = document.documentElement;
  if (choice === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', choice);
  // theme-color: the top app bar colour, read after the scheme switched.
  const bar = getComputedStyle(root).getPropertyValue('--md-surface-container').trim();
  for (const meta of document.querySelectorAll<HTMLMetaElement>('meta[name="theme-color"]')) {
    if (choice === 'system') meta.content = meta.dataset.default ?? meta.content;
    else if (bar) {
      meta.dataset.default ??= meta.content;
      meta.content = bar;
    }
  }
  window.dispatchEvent(new Event(THEME_EVENT));
}

export function setTheme(choice: ThemeChoice): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, choice);
  } catch {
    // storage blocked: the choice lasts for this page only
  }
  themeChoice.set(choice);
  applyTheme(choice);
}

/** The scheme in effect now. */
export function isDark(): boolean {
  const pinned = typeof document !== 'undefined' ? document.documentElement.getAttribute('data-theme') : null;
  if (pinned) return pinned === 'dark';
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches;
}
