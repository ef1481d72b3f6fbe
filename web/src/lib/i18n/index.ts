import { en, type MessageKey, type Messages } from './en';
import { ko } from './ko';

export type { MessageKey } from './en';
export type Locale = 'en' | 'ko';

const catalogs: Record<Locale, Messages> = { en, ko };
const STORAGE_KEY = 'flick.lang';

function initialLocale(): Locale {
  // English unless the user chose otherwise; a language switch can set this key later.
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'ko' || saved === 'en') return saved;
  } catch {
    // storage blocked
  }
  return 'en';
}

let locale: Locale = initialLocale();

export function getLocale(): Locale {
  return locale;
}

/** Switches language for strings rendered from now on (reload to re-render everything). */
export function setLocale(next: Locale): void {
  locale = next;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // storage blocked
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

/** The message for key in the current language, with {name} placeholders filled from params. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const template = catalogs[locale][key] ?? en[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
