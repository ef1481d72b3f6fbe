import { describe, expect, it } from 'vitest';
import type { Server } from '../lib/api/types';
import { arrange, type OverviewRow } from './overview';

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
