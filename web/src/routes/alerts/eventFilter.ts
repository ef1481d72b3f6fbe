import type { AlertEvent, EventQuery, Severity } from '../../lib/api/alerts';

export type EventState = 'firing' | 'resolved';
export type GroupBy = 'none' | 'rule' | 'server';

/** What the events screen shows: each list empty means any. */
export interface EventFilter {
  serverIds: string[];
  ruleIds: string[];
  levels: Severity[];
  states: EventState[];
}

export const emptyFilter = (): EventFilter => ({ serverIds: [], ruleIds: [], levels: [], states: [] });

/** The filter as the events API's query (several values comma-separated). */
export function toQuery(f: EventFilter, limit = 200): EventQuery {
  const q: EventQuery = { limit };
  if (f.serverIds.length) q.serverId = f.serverIds.join(',');
  if (f.ruleIds.length) q.ruleId = f.ruleIds.join(',');
  if (f.levels.length) q.level = f.levels.join(',');
  if (f.states.length) q.state = f.states.join(',');
  return q;
}

/** Whether a live event belongs on the screen under this filter. */
export function matches(e: AlertEvent, f: EventFilter): boolean {
  return (
    (!f.serverIds.length || f.serverIds.includes(e.serverId)) &&
    (!f.ruleIds.length || f.ruleIds.includes(e.ruleId)) &&
    (!f.levels.length || f.levels.includes(e.level)) &&
    (!f.states.length || f.states.includes(e.state))
  );
}

export function toggle<T>(list: T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

/** Firing first, newest first within each. */
export function sortEvents(events: AlertEvent[]): AlertEvent[] {
  return [...events].sort((a, b) =>
    a.state === b.state ? b.startedAt - a.startedAt : a.state === 'firing' ? -1 : 1,
  );
}

export interface EventGroup {
  key: string;
  label: string;
  firing: number;
  events: AlertEvent[];
}

/** Events grouped by rule or server (one group of all when by is none); groups with something firing first. */
export function groupEvents(events: AlertEvent[], by: GroupBy, label: (key: string) => string): EventGroup[] {
  const sorted = sortEvents(events);
  if (by === 'none') return [{ key: '', label: '', firing: sorted.filter((e) => e.state === 'firing').length, events: sorted }];
  const groups = new Map<string, EventGroup>();
  for (const e of sorted) {
    const key = by === 'rule' ? e.ruleId : e.serverId;
    let g = groups.get(key);
    if (!g) {
      g = { key, label: label(key), firing: 0, events: [] };
      groups.set(key, g);
    }
    g.events.push(e);
    if (e.state === 'firing') g.firing++;
  }
  return [...groups.values()].sort((a, b) => b.firing - a.firing || a.label.localeCompare(b.label));
}
