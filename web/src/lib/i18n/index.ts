import { writable } from 'svelte/store';
import { en, type MessageKey, type Messages } from './en';
import { ko } from './ko';

export type { MessageKey } from './en';
export type Locale = 'en' | 'ko';

const catalogs: Record<Locale, Messages> = { en, ko };
const STORAGE_KEY = 'flick.lang';

export const LOCALES: readonly Locale[] = ['en', 'ko'];

/** The saved choice, else the browser's first language we have, else English. */
function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'ko' || saved === 'en') return saved;
  } catch {
    // storage blocked
  }
  const preferred = globalThis.navigator?.languages ?? [];
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'ko' || base === 'en') return base;
  }
  return 'en';
}

let locale: Locale = initialLocale();

/** The current language as a store: App re-renders every screen when it changes. */
export const currentLocale = writable<Locale>(locale);

export function getLocale(): Locale {
  return locale;
}

/** Switches language (strings, and Intl formatting in lib/format) and remembers the choice. */
export function setLocale(next: Locale): void {
  locale = next;
  currentLocale.set(next);
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

/** Parameters a hub code carries: numbers are formatted with Intl in the current language, ISO/epoch `ts`/`time` as dates. */
export type CodeParams = Record<string, unknown>;

function formatParam(name: string, value: unknown): string {
  const tag = locale === 'ko' ? 'ko-KR' : 'en-GB';
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (/^(ts|time|at|since|until)$/i.test(name)) {
      return new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'medium', hourCycle: 'h23' }).format(value);
    }
    return new Intl.NumberFormat(tag).format(value);
  }
  if (name === 'role' && (value === 'admin' || value === 'member' || value === 'viewer')) return t(`role.${value}`);
  return value == null ? '' : String(value);
}

/**
 * A hub code (e.g. a problem body's `code`) in the current language, looked up as `<prefix><code>`; parameters are
 * filled in with Intl formatting. An unknown code gives the fallback: the English text the hub sent beside it.
 */
export function renderCode(prefix: string, code: string | undefined, params: CodeParams | undefined, fallback: string): string {
  if (!code) return fallback;
  const key = `${prefix}${code}`;
  const template = (catalogs[locale] as Record<string, string>)[key] ?? (en as Record<string, string>)[key];
  if (template === undefined) return fallback;
  const p = params ?? {};
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in p ? formatParam(name, p[name]) : m));
}
