import { describe, expect, it } from 'vitest';
import type { Server } from '../lib/api/types';
import { allTags, arrange, defaultDir, defaultView, sections, UNGROUPED, type OverviewRow } from './overview';

const row = (name: string, status: Server['status'], cpu?: number, memUsed?: number, hostname?: string): OverviewRow => ({
  server: { id: name, name, mode: 'local', status, lastSeen: null, info: hostname ? { hostname } : undefined },
  status,
  summary:
    cpu === undefined
      ? undefined
      : { serverId: name, ts: 1, cpu, memUsed: memUsed ?? 0, memTotal: 100, diskUsed: 0, diskTotal: 0, netRxBps: 0, netTxBps: 0 },
});

const rows = [row('web-2', 'online', 20, 80), row('db', 'offline'), row('web-1', 'online', 75, 10, 'alpha.lan'), row('cache', 'error', 5, 50)];
const names = (r: OverviewRow[]) => r.map((x) => x.server.name);

describe('overview arrangement', () => {
  it('sorts by name, busiest CPU, fullest memory, or problems first', () => {
    expect(names(arrange(rows, '', 'all', 'name', 'en'))).toEqual(['cache', 'db', 'web-1', 'web-2']);
    expect(names(arrange(rows, '', 'all', 'cpu', 'en'))).toEqual(['web-1', 'web-2', 'cache', 'db']);
    expect(names(arrange(rows, '', 'all', 'memory', 'en'))).toEqual(['web-2', 'cache', 'web-1', 'db']);
    expect(names(arrange(rows, '', 'all', 'status', 'en'))).toEqual(['cache', 'db', 'web-1', 'web-2']);
  });

  it('filters by status and searches name and host name, ignoring case', () => {
    expect(names(arrange(rows, '', 'online', 'name', 'en'))).toEqual(['web-1', 'web-2']);
    expect(names(arrange(rows, 'WEB', 'all', 'name', 'en'))).toEqual(['web-1', 'web-2']);
    expect(names(arrange(rows, 'alpha', 'all', 'name', 'en'))).toEqual(['web-1']);
    expect(names(arrange(rows, 'web', 'offline', 'name', 'en'))).toEqual([]);
  });
});

describe('overview columns, groups and tags', () => {
  const full = (name: string, p: Partial<Server>, s?: Partial<NonNullable<OverviewRow['summary']>>, status: Server['status'] = 'online'): OverviewRow => ({
    server: { id: name, name, mode: 'agent', status, lastSeen: null, ...p },
    status,
    summary: s ? { serverId: name, ts: 1, cpu: 0, memUsed: 0, memTotal: 100, diskUsed: 0, diskTotal: 100, netRxBps: 0, netTxBps: 0, ...s } : undefined,
  });
  const a = full('a', { tags: ['prod'], groupId: 'g1', info: { uptime: 100, measuredAt: 0 }, latest: { cpu: { load1: 0.5 } } as Server['latest'] }, { diskUsed: 90, netRxBps: 10, ts: 300 });
  const b = full('b', { tags: ['dev', 'prod'], info: { uptime: 5000 }, latest: { cpu: { load1: 3 } } as Server['latest'] }, { diskUsed: 20, netRxBps: 500, netTxBps: 500, ts: 100 });
  const c = full('c', { groupId: 'g2' }, { diskUsed: 50, netTxBps: 50, ts: 200 });
  const d = full('d', {}, undefined, 'offline');
  const all = [d, c, b, a];

  it('sorts every column, largest first by default, either way on request, servers without a value last', () => {
    expect(names(arrange(all, '', 'all', 'disk', 'en'))).toEqual(['a', 'c', 'b', 'd']);
    expect(names(arrange(all, '', 'all', 'disk', 'en', { dir: 'asc' }))).toEqual(['b', 'c', 'a', 'd']);
    expect(names(arrange(all, '', 'all', 'network', 'en'))).toEqual(['b', 'c', 'a', 'd']);
    expect(names(arrange(all, '', 'all', 'load', 'en'))).toEqual(['b', 'a', 'c', 'd']);
    expect(names(arrange(all, '', 'all', 'uptime', 'en', { now: 0 }))).toEqual(['b', 'a', 'c', 'd']);
    // a's uptime advances from when it was measured: 100 s then, 10,100 s ten thousand seconds later.
    expect(names(arrange(all, '', 'all', 'uptime', 'en', { now: 10_000_000 }))).toEqual(['a', 'b', 'c', 'd']);
    expect(names(arrange(all, '', 'all', 'lastSeen', 'en'))).toEqual(['a', 'c', 'b', 'd']);
    expect(names(arrange(all, '', 'all', 'name', 'en', { dir: 'desc' }))).toEqual(['d', 'c', 'b', 'a']);
    expect(names(arrange(all, '', 'all', 'status', 'en'))).toEqual(['d', 'a', 'b', 'c']);
    expect(defaultDir('name')).toBe('asc');
    expect(defaultDir('cpu')).toBe('desc');
  });

  it('filters by tag and by group, and searches tags', () => {
    expect(names(arrange(all, '', 'all', 'name', 'en', { tag: 'prod' }))).toEqual(['a', 'b']);
    expect(names(arrange(all, '', 'all', 'name', 'en', { tag: 'dev' }))).toEqual(['b']);
    expect(names(arrange(all, '', 'all', 'name', 'en', { groupId: 'g1' }))).toEqual(['a']);
    expect(names(arrange(all, '', 'all', 'name', 'en', { groupId: UNGROUPED }))).toEqual(['b', 'd']);
    expect(names(arrange(all, 'DEV', 'all', 'name', 'en'))).toEqual(['b']);
    expect(allTags(all.map((r) => r.server), 'en')).toEqual(['dev', 'prod']);
  });

  it('splits rows into groups by name, the ungrouped last, keeping their order and leaving empty groups out', () => {
    const groups = [
      { id: 'g2', name: 'Zeta', createdAt: 0 },
      { id: 'g1', name: 'Alpha', createdAt: 0 },
      { id: 'g3', name: 'Empty', createdAt: 0 },
    ];
    const s = sections(arrange(all, '', 'all', 'name', 'en'), groups, 'en');
    expect(s.map((x) => x.group?.name ?? null)).toEqual(['Alpha', 'Zeta', null]);
    expect(s.map((x) => names(x.rows))).toEqual([['a'], ['c'], ['b', 'd']]);
    expect(sections(all, [], 'en')).toEqual([{ group: null, rows: all }]);
  });

  it('shows the table by default only on a wide screen from 8 servers', () => {
    expect(defaultView(8, true)).toBe('table');
    expect(defaultView(7, true)).toBe('cards');
    expect(defaultView(50, false)).toBe('cards');
  });
});
