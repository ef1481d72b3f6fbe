import { describe, expect, it } from 'vitest';
import type { LogItem } from '../api/logs';
import {
  addLive,
  addOlder,
  apiQuery,
  effectiveRange,
  logsAround,
  logsHref,
  matchesFilters,
  parseLogFilters,
  tailTarget,
  type LiveLogMessage,
  type LogFilters,
  type LogList,
} from './query';

const NOW = 1_764_150_000_000;
const search = (href: string) => href.replace(/^#\/logs\??/, '');

describe('logs address', () => {
  it('round-trips every filter', () => {
    const f: LogFilters = { serverId: 'web 1/α', levels: ['error', 'warning'], source: 'journal', q: 'oom & kill', from: 1000, to: 2000 };
    const href = logsHref(f);
    expect(href.startsWith('#/logs?')).toBe(true);
    expect(parseLogFilters(search(href))).toEqual(f);
    expect(parseLogFilters(search(logsHref({ levels: [], range: '7d' })))).toEqual({ levels: [], range: '7d' });
  });

  it('is plain #/logs without filters', () => {
    expect(logsHref({ levels: [] })).toBe('#/logs');
    expect(parseLogFilters('')).toEqual({ levels: [] });
  });

  it('keeps levels in severity order, once each, and drops unknown ones', () => {
    expect(parseLogFilters('level=info,ERROR,bogus,error').levels).toEqual(['error', 'info']);
    expect(logsHref({ levels: ['debug', 'critical'] })).toBe('#/logs?level=critical%2Cdebug');
  });

  it('ignores malformed values rather than failing', () => {
    expect(parseLogFilters('source=kernel&from=soon&range=3y&q=%20%20')).toEqual({ levels: [] });
    // An end before the start is dropped; the start stays.
    expect(parseLogFilters('from=2000&to=1000')).toEqual({ levels: [], from: 2000 });
    expect(parseLogFilters('from=2026-11-26T03:12:00Z').from).toBe(Date.parse('2026-11-26T03:12:00Z'));
  });

  it('prefers fixed bounds over a preset', () => {
    expect(parseLogFilters('range=1h&from=5')).toEqual({ levels: [], from: 5 });
    expect(effectiveRange(parseLogFilters('from=5'))).toBe('custom');
    expect(effectiveRange(parseLogFilters(''))).toBe('24h');
  });

  it('links a chart moment to the five minutes either side of it on that server', () => {
    expect(logsAround('s1', 1_000_000)).toBe('#/logs?serverId=s1&from=700000&to=1300000');
  });
});

describe('logs API query', () => {
  it('turns a preset into a start relative to now and leaves the end open', () => {
    expect(apiQuery({ levels: ['error', 'critical'], range: '1h' }, NOW, 100)).toEqual({
      serverId: undefined,
      level: 'error,critical',
      source: undefined,
      q: undefined,
      from: NOW - 3_600_000,
      to: undefined,
      limit: 100,
      cursor: undefined,
    });
  });

  it('passes fixed bounds, "all time" and the cursor through', () => {
    expect(apiQuery({ levels: [], serverId: 'a', from: 1, to: 2 }, NOW, 50, 'c1')).toMatchObject({ serverId: 'a', from: 1, to: 2, cursor: 'c1' });
    expect(apiQuery({ levels: [], range: 'all' }, NOW, 50)).toMatchObject({ from: undefined, to: undefined });
  });
});

describe('live tail', () => {
  const line = (over: Partial<LiveLogMessage> = {}): LiveLogMessage => ({
    type: 'log',
    ts: NOW,
    serverId: 'a',
    source: 'journal',
    level: 'error',
    unit: 'sshd.service',
    message: 'Failed password for root',
    ...over,
  });

  it('keeps only lines the filters would have returned', () => {
    const f: LogFilters = { serverId: 'a', levels: ['error', 'critical'], source: 'journal', q: 'failed PASSWORD' };
    expect(matchesFilters(line(), f, NOW)).toBe(true);
    expect(matchesFilters(line({ serverId: 'b' }), f, NOW)).toBe(false);
    expect(matchesFilters(line({ serverId: undefined, source: 'hub' }), { levels: [] }, NOW)).toBe(true);
    expect(matchesFilters(line({ level: 'info' }), f, NOW)).toBe(false);
    expect(matchesFilters(line({ source: 'syslog' }), f, NOW)).toBe(false);
    expect(matchesFilters(line({ message: 'Accepted publickey' }), f, NOW)).toBe(false);
  });

  it('leaves out lines outside a fixed window, and old lines outside a preset', () => {
    expect(matchesFilters(line({ ts: NOW }), { levels: [], from: NOW - 10, to: NOW }, NOW)).toBe(false);
    expect(matchesFilters(line({ ts: NOW - 5 }), { levels: [], from: NOW - 10, to: NOW }, NOW)).toBe(true);
    expect(matchesFilters(line({ ts: NOW - 2 * 3_600_000 }), { levels: [], range: '1h' }, NOW)).toBe(false);
  });

  it('tails one server, or everything when no server is chosen', () => {
    expect(tailTarget({ levels: [], serverId: 'a' })).toEqual(['a']);
    expect(tailTarget({ levels: [] })).toBe('*');
  });

  const stored = (id: number, ts: number, message = `line ${id}`): LogItem => ({ id, ts, source: 'journal', level: 'info', serverId: 'a', message });

  it('inserts in time order, newest first, and skips a line the first page already shows', () => {
    let list: LogList = { items: [stored(2, NOW), stored(1, NOW - 100)], nextCursor: 'c', trimmed: false };
    list = addLive(list, line({ ts: NOW + 50, message: 'newest' }));
    list = addLive(list, line({ ts: NOW - 50, message: 'between' }));
    expect(list.items.map((i) => i.message)).toEqual(['newest', 'line 2', 'between', 'line 1']);
    expect(list.items[0].id).toBeLessThan(0);
    const same = addLive(list, line({ ts: NOW, message: 'line 2', source: 'journal', level: 'info' }));
    expect(same).toBe(list);
    expect(list.nextCursor).toBe('c');
  });

  it('caps the list, dropping the oldest lines and the cursor that pointed past them', () => {
    let list: LogList = { items: [stored(2, NOW), stored(1, NOW - 100)], nextCursor: 'c', trimmed: false };
    for (let i = 1; i <= 3; i++) list = addLive(list, line({ ts: NOW + i, message: `live ${i}` }), 3);
    expect(list.items.map((i) => i.message)).toEqual(['live 3', 'live 2', 'live 1']);
    expect(list.trimmed).toBe(true);
    expect(list.nextCursor).toBeUndefined();
  });

  it('appends older pages without repeating a line', () => {
    const list: LogList = { items: [stored(3, NOW), stored(2, NOW - 1)], nextCursor: 'c', trimmed: false };
    const next = addOlder(list, [stored(2, NOW - 1), stored(1, NOW - 2)], undefined);
    expect(next.items.map((i) => i.id)).toEqual([3, 2, 1]);
    expect(next.nextCursor).toBeUndefined();
  });
});
