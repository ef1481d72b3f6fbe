import { writable, type Writable } from 'svelte/store';
import type { TimeZoneChoice } from '../format';

/** A choice kept in localStorage (per browser), read once at start. */
function saved<T extends string>(key: string, allowed: readonly T[], fallback: T): Writable<T> {
  let initial = fallback;
  try {
    const v = globalThis.localStorage?.getItem(key);
    if (v && (allowed as readonly string[]).includes(v)) initial = v as T;
  } catch {
    // storage blocked
  }
  const store = writable<T>(initial);
  store.subscribe((v) => {
    try {
      globalThis.localStorage?.setItem(key, v);
    } catch {
      // storage blocked: the choice lasts for this page only
    }
  });
  return store;
}

/** Which clock charts and their tooltips read. */
export const timeZone = saved<TimeZoneChoice>('flick.timeZone', ['browser', 'utc'], 'browser');

/** Network rates in bytes (B/s, binary units) or bits (bit/s, decimal units). */
export type RateUnit = 'bytes' | 'bits';
export const networkUnit = saved<RateUnit>('flick.networkUnit', ['bytes', 'bits'], 'bytes');
