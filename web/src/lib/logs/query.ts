import type { Query } from '../api/client';
import type { LogItem, LogLevel, LogSource } from '../api/logs';
import type { LogMessage } from '../live/messages';

export const LEVELS: readonly LogLevel[] = ['critical', 'error', 'warning', 'notice', 'info', 'debug'];
export const SOURCES: readonly LogSource[] = ['hub', 'journal', 'syslog'];

/** Relative windows ending now; "all" means no time bound. */
export const RANGE_PRESETS = ['15m', '1h', '24h', '7d', 'all'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
const PRESET_MS: Record<Exclude<RangePreset, 'all'>, number> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
};
/** What the page shows without a time in its address. */
export const DEFAULT_RANGE: RangePreset = '24h';

/**
 * What the logs screen shows, as kept in its address ("#/logs?serverId=…&level=error,warning&q=…&from=…&to=…"), so a
 * filtered view can be bookmarked, shared and reached from a chart moment. A window is either a preset (range=1h,
 * evaluated when fetched) or fixed epoch-ms bounds (from and/or to).
 */
export interface LogFilters {
  serverId?: string;
  /** Empty: every level. */
  levels: LogLevel[];
  source?: LogSource;
  q?: string;
  range?: RangePreset;
  from?: number;
  to?: number;
}

export const EMPTY_FILTERS: LogFilters = { levels: [] };

const isLevel = (v: string): v is LogLevel => (LEVELS as readonly string[]).includes(v);
const isSource = (v: string): v is LogSource => (SOURCES as readonly string[]).includes(v);
const isPreset = (v: string): v is RangePreset => (RANGE_PRESETS as readonly string[]).includes(v);

/** A time in the address: epoch ms, or anything Date understands (ISO-8601); undefined when unreadable. */
function time(v: string | null): number | undefined {
  if (!v) return undefined;
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Reads the part after "?" of "#/logs?…"; unknown or malformed values are left out rather than refused. */
export function parseLogFilters(search: string): LogFilters {
  const p = new URLSearchParams(search.replace(/^\?/, ''));
  const f: LogFilters = { levels: [] };
  const serverId = p.get('serverId')?.trim();
  if (serverId) f.serverId = serverId;
  const levels = (p.get('level') ?? '')
    .split(',')
    .map((l) => l.trim().toLowerCase())
    .filter(isLevel);
  // Kept in severity order, once each, so equal filters give equal addresses.
  f.levels = LEVELS.filter((l) => levels.includes(l));
  const source = p.get('source')?.trim().toLowerCase();
  if (source && isSource(source)) f.source = source;
  const q = p.get('q');
  if (q && q.trim()) f.q = q.trim().slice(0, 200);
  const from = time(p.get('from'));
  const to = time(p.get('to'));
  if (from !== undefined || to !== undefined) {
    if (from !== undefined) f.from = from;
    if (to !== undefined && (from === undefined || to > from)) f.to = to;
  } else {
    const range = p.get('range');
    if (range && isPreset(range)) f.range = range;
  }
  return f;
}

/** The address of a filtered view; parseLogFilters(logsHref(f)) gives f back. */
export function logsHref(f: Partial<LogFilters> = {}): string {
  const p = new URLSearchParams();
  if (f.serverId) p.set('serverId', f.serverId);
  const levels = LEVELS.filter((l) => f.levels?.includes(l));
  if (levels.length) p.set('level', levels.join(','));
  if (f.source) p.set('source', f.source);
  if (f.q?.trim()) p.set('q', f.q.trim());
  if (f.from !== undefined || f.to !== undefined) {
    if (f.from !== undefined) p.set('from', String(Math.round(f.from)));
    if (f.to !== undefined) p.set('to', String(Math.round(f.to)));
  } else if (f.range) p.set('range', f.range);
  const qs = p.toString();
  return qs ? `#/logs?${qs}` : '#/logs';
}

/** The logs ten minutes around a moment on one server (a chart click). */
export function logsAround(serverId: string, at: number, spanMs = 5 * 60_000): string {
  return logsHref({ serverId, levels: [], from: at - spanMs, to: at + spanMs });
}

/** The preset in effect: the address's, else the default unless fixed bounds are given. */
export function effectiveRange(f: LogFilters): RangePreset | 'custom' {
  if (f.from !== undefined || f.to !== undefined) return 'custom';
  return f.range ?? DEFAULT_RANGE;
}

/** The epoch-ms window a filter covers at `now` (either bound may be open). */
export function windowOf(f: LogFilters, now: number): { from?: number; to?: number } {
  const r = effectiveRange(f);
  if (r === 'custom') return { from: f.from, to: f.to };
  if (r === 'all') return {};
  return { from: now - PRESET_MS[r] };
}

/** GET /api/v1/logs parameters for a filter at `now`. */
export function apiQuery(f: LogFilters, now: number, limit: number, cursor?: string): Query {
  const w = windowOf(f, now);
  return {
    serverId: f.serverId,
    level: f.levels.length ? f.levels.join(',') : undefined,
    source: f.source,
    q: f.q,
    from: w.from,
    to: w.to,
    limit,
    cursor,
  };
}

/** A live `log` message from the hub's WebSocket (no id: it is not read back from the table). */
export type LiveLogMessage = LogMessage;

/** Whether a live line belongs in the list the filters describe, judged as the hub's query would. */
export function matchesFilters(m: LiveLogMessage, f: LogFilters, now: number): boolean {
  if (f.serverId && m.serverId !== f.serverId) return false;
  if (f.levels.length && !(f.levels as string[]).includes(m.level)) return false;
  if (f.source && m.source !== f.source) return false;
  if (f.q && !m.message.toLowerCase().includes(f.q.toLowerCase())) return false;
  const w = windowOf(f, now);
  if (w.from !== undefined && m.ts < w.from) return false;
  if (w.to !== undefined && m.ts >= w.to) return false;
  return true;
}

/** The subscribe-logs target for a filter: one server, or every server and the hub's own events. */
export function tailTarget(f: LogFilters): string[] | '*' {
  return f.serverId ? [f.serverId] : '*';
}

/** Live lines keep the list at most this long. */
export const LIVE_CAP = 500;

export interface LogList {
  items: LogItem[];
  /** Cursor for older lines; gone once the cap trimmed the bottom of the list (its place would be lost). */
  nextCursor?: string;
  /** True once lines were dropped from the bottom to keep the list short. */
  trimmed: boolean;
}

let liveIds = 0;

/**
 * Adds a live line in time order (newest first), unless the same line is already shown (the first page can race
 * the tail), then trims the oldest lines beyond the cap.
 */
export function addLive(list: LogList, m: LiveLogMessage, cap = LIVE_CAP): LogList {
  const items = list.items;
  let at = 0;
  while (at < items.length && items[at].ts > m.ts) at++;
  for (let i = at; i < items.length && items[i].ts === m.ts; i++) {
    const o = items[i];
    if (o.message === m.message && o.serverId === m.serverId && o.source === m.source) return list;
  }
  const { type: _type, ...line } = m;
  const item: LogItem = { id: -++liveIds, ...line };
  const next = [...items.slice(0, at), item, ...items.slice(at)];
  if (next.length <= cap) return { ...list, items: next };
  return { items: next.slice(0, cap), trimmed: true };
}

/** Appends an older page; lines already shown (same id) are not repeated. */
export function addOlder(list: LogList, items: LogItem[], nextCursor: string | undefined): LogList {
  const seen = new Set(list.items.map((i) => i.id));
  return { items: [...list.items, ...items.filter((i) => !seen.has(i.id))], nextCursor, trimmed: list.trimmed };
}
