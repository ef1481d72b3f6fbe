import type { Server, ServerGroup, ServerStatus } from '../lib/api/types';
import type { ServerSummary } from '../lib/live/messages';
import { percentOf } from '../lib/format';

/** Every column the overview sorts by (the table's headers; the cards' sort menu offers the same). */
export type SortKey = 'name' | 'status' | 'cpu' | 'memory' | 'disk' | 'network' | 'load' | 'uptime' | 'lastSeen';
export const SORT_KEYS: readonly SortKey[] = ['name', 'status', 'cpu', 'memory', 'disk', 'network', 'load', 'uptime', 'lastSeen'];
export type SortDir = 'asc' | 'desc';
export type StatusFilter = 'all' | ServerStatus;

export interface OverviewRow {
  server: Server;
  status: ServerStatus | undefined;
  /** The card's numbers: the live summary, or what the REST list knew. */
  summary: ServerSummary | undefined;
}

export interface ArrangeOptions {
  /** Defaults to the column's natural order: names A–Z, problems first, the busiest and most recent first. */
  dir?: SortDir;
  /** Only servers carrying this tag. */
  tag?: string;
  /** Only servers in this group; {@link UNGROUPED} for those in none. */
  groupId?: string;
  /** For uptime: the moment it is read at. */
  now?: number;
}

export const UNGROUPED = '';

/** Problems first when sorting by status. */
const STATUS_ORDER: Record<string, number> = { error: 0, offline: 1, pending: 2, online: 3 };

/** The natural first direction of a column: names and statuses ascend, numbers start with the largest. */
export function defaultDir(key: SortKey): SortDir {
  return key === 'name' || key === 'status' ? 'asc' : 'desc';
}

/** Seconds the server has been up at `now`, advanced from when the hub learnt it. */
export function uptimeAt(server: Server, now: number): number | undefined {
  const up = server.info?.uptime;
  if (up === undefined || up === null) return undefined;
  const at = server.info?.measuredAt;
  return typeof at === 'number' ? up + Math.max(0, (now - at) / 1000) : up;
}

/** The number a column sorts by; undefined sorts last in either direction. */
export function sortValue(r: OverviewRow, key: SortKey, now: number): number | undefined {
  const s = r.summary;
  switch (key) {
    case 'name':
      return 0;
    case 'status':
      return STATUS_ORDER[r.status ?? ''] ?? 4;
    case 'cpu':
      return s?.cpu;
    case 'memory':
      return s && s.memTotal > 0 ? percentOf(s.memUsed, s.memTotal) : undefined;
    case 'disk':
      return s && s.diskTotal > 0 ? percentOf(s.diskUsed, s.diskTotal) : undefined;
    case 'network':
      return s ? s.netRxBps + s.netTxBps : undefined;
    case 'load':
      return r.server.latest?.cpu?.load1 ?? undefined;
    case 'uptime':
      return uptimeAt(r.server, now);
    case 'lastSeen':
      return s?.ts ?? r.server.lastSeen ?? undefined;
  }
}

/** The overview's servers after search, status, tag and group filters and sort (ties broken by name). */
export function arrange(
  rows: readonly OverviewRow[],
  query: string,
  filter: StatusFilter,
  sort: SortKey,
  locale: string,
  options: ArrangeOptions = {},
): OverviewRow[] {
  const q = query.trim().toLocaleLowerCase(locale);
  const dir = options.dir ?? defaultDir(sort);
  const now = options.now ?? Date.now();
  const matches = (r: OverviewRow) =>
    !q ||
    r.server.name.toLocaleLowerCase(locale).includes(q) ||
    (r.server.host ?? '').toLocaleLowerCase(locale).includes(q) ||
    (r.server.info?.hostname ?? '').toLocaleLowerCase(locale).includes(q) ||
    (r.server.tags ?? []).some((t) => t.toLocaleLowerCase(locale).includes(q));
  const inGroup = (r: OverviewRow) =>
    options.groupId === undefined || (options.groupId === UNGROUPED ? !r.server.groupId : r.server.groupId === options.groupId);
  const tagged = (r: OverviewRow) => !options.tag || (r.server.tags ?? []).includes(options.tag);
  const byName = (a: OverviewRow, b: OverviewRow) => a.server.name.localeCompare(b.server.name, locale);
  const sign = dir === 'asc' ? 1 : -1;
  const keyed = rows
    .filter((r) => (filter === 'all' || r.status === filter) && matches(r) && inGroup(r) && tagged(r))
    .map((r) => ({ r, v: sortValue(r, sort, now) }));
  keyed.sort((a, b) => {
    if (sort === 'name') return sign * byName(a.r, b.r);
    if (a.v === undefined || b.v === undefined) return a.v === b.v ? byName(a.r, b.r) : a.v === undefined ? 1 : -1;
    return sign * (a.v - b.v) || byName(a.r, b.r);
  });
  return keyed.map((k) => k.r);
}

export interface Section {
  /** null: the servers in no group. */
  group: ServerGroup | null;
  rows: OverviewRow[];
}

/**
 * Arranged rows split by group, groups by name and the ungrouped last, each keeping the rows' order; with no groups
 * at all one section holds everything. Empty groups are left out.
 */
export function sections(rows: readonly OverviewRow[], groups: readonly ServerGroup[], locale: string): Section[] {
  if (groups.length === 0) return [{ group: null, rows: [...rows] }];
  const known = new Map(groups.map((g) => [g.id, g]));
  const out = [...groups]
    .sort((a, b) => a.name.localeCompare(b.name, locale))
    .map((g): Section => ({ group: g, rows: rows.filter((r) => r.server.groupId === g.id) }));
  out.push({ group: null, rows: rows.filter((r) => !r.server.groupId || !known.has(r.server.groupId)) });
  return out.filter((s) => s.rows.length > 0);
}

/** Every tag any server carries, sorted. */
export function allTags(servers: readonly Server[], locale: string): string[] {
  return [...new Set(servers.flatMap((s) => s.tags ?? []))].sort((a, b) => a.localeCompare(b, locale));
}

/** Table or cards: what the user chose, else the table on a wide screen from 8 servers. */
export function defaultView(count: number, wide: boolean): 'table' | 'cards' {
  return wide && count >= 8 ? 'table' : 'cards';
}
