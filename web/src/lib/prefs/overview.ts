import { writable, type Writable } from 'svelte/store';

/** A choice kept in localStorage (per browser), as JSON; what cannot be read falls back. */
function saved<T>(key: string, valid: (v: unknown) => v is T, fallback: T): Writable<T> {
  let initial = fallback;
  try {
    const text = globalThis.localStorage?.getItem(key);
    if (text) {
      const v: unknown = JSON.parse(text);
      if (valid(v)) initial = v;
    }
  } catch {
    // storage blocked or a bad value: the default
  }
  const store = writable<T>(initial);
  store.subscribe((v) => {
    try {
      globalThis.localStorage?.setItem(key, JSON.stringify(v));
    } catch {
      // storage blocked: the choice lasts for this page only
    }
  });
  return store;
}

export type OverviewView = 'auto' | 'table' | 'cards';

/** Table or cards; "auto" until the user picks one (then the table on a wide screen from 8 servers). */
export const overviewView = saved<OverviewView>(
  'flick.overview.view',
  (v): v is OverviewView => v === 'auto' || v === 'table' || v === 'cards',
  'auto',
);

/** Ids of the groups the user folded (the ungrouped section is ""). */
export const collapsedGroups = saved<string[]>(
  'flick.overview.collapsed',
  (v): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  [],
);
