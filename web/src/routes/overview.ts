import type { Server, ServerStatus } from '../lib/api/types';
import type { ServerSummary } from '../lib/live/messages';
import { percentOf } from '../lib/format';

export type SortKey = 'name' | 'cpu' | 'memory' | 'status';
export type StatusFilter = 'all' | ServerStatus;

export interface OverviewRow {
  server: Server;
  status: ServerStatus | undefined;
  /** The card's numbers: the live summary, or what the REST list knew. */
  summary: ServerSummary | undefined;
}

/** Problems first when sorting by status. */
const STATUS_ORDER: Record<string, number> = { error: 0, offline: 1, pending: 2, online: 3 };

/** The overview's cards after search, status filter and sort (ties broken by name). */
export function arrange(rows: readonly OverviewRow[], query: string, filter: StatusFilter, sort: SortKey, locale: string): OverviewRow[] {
  const q = query.trim().toLocaleLowerCase(locale);
  const matches = (r: OverviewRow) =>
    !q ||
    r.server.name.toLocaleLowerCase(locale).includes(q) ||
    (r.server.host ?? '').toLocaleLowerCase(locale).includes(q) ||
    (r.server.info?.hostname ?? '').toLocaleLowerCase(locale).includes(q);
  const byName = (a: OverviewRow, b: OverviewRow) => a.server.name.localeCompare(b.server.name, locale);
  const key: Record<SortKey, (r: OverviewRow) => number> = {
    name: () => 0,
    cpu: (r) => -(r.summary?.cpu ?? -1),
    memory: (r) => -percentOf(r.summary?.memUsed, r.summary?.memTotal),
    status: (r) => STATUS_ORDER[r.status ?? ''] ?? 4,
  };
  return rows
    .filter((r) => (filter === 'all' || r.status === filter) && matches(r))
    .sort((a, b) => key[sort](a) - key[sort](b) || byName(a, b));
}
