import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../lib/api/alerts';
import { emptyFilter, groupEvents, matches, toQuery, toggle } from './eventFilter';

const event = (id: string, over: Partial<AlertEvent>): AlertEvent => ({
  id,
  ruleId: 'cpu',
  serverId: 'web',
  metric: 'cpu.usage',
  level: 'warning',
  state: 'firing',
  startedAt: 1,
  evidence: { processes: [] },
  ...over,
});

describe('event filter', () => {
  it('sends several values of one filter comma-separated and leaves empty ones out', () => {
    const f = { ...emptyFilter(), levels: toggle(toggle([], 'warning'), 'critical') as never, serverIds: ['a', 'b'] };
    expect(toQuery(f)).toEqual({ limit: 200, level: 'warning,critical', serverId: 'a,b' });
    expect(toQuery(emptyFilter(), 50)).toEqual({ limit: 50 });
  });

  it('lets a live event in only when it matches every filter', () => {
    const f = { ...emptyFilter(), states: ['firing' as const], ruleIds: ['cpu'] };
    expect(matches(event('1', {}), f)).toBe(true);
    expect(matches(event('2', { state: 'resolved' }), f)).toBe(false);
    expect(matches(event('3', { ruleId: 'disk' }), f)).toBe(false);
  });

  it('groups by server with firing groups first and firing events first within a group', () => {
    const groups = groupEvents(
      [
        event('a', { serverId: 'db', state: 'resolved', startedAt: 5 }),
        event('b', { serverId: 'web', startedAt: 2 }),
        event('c', { serverId: 'db', startedAt: 1 }),
        event('d', { serverId: 'db', startedAt: 3 }),
      ],
      'server',
      (k) => k.toUpperCase(),
    );
    expect(groups.map((g) => [g.label, g.firing, g.events.map((e) => e.id).join('')])).toEqual([
      ['DB', 2, 'dca'],
      ['WEB', 1, 'b'],
    ]);
    expect(groupEvents([event('x', {})], 'none', (k) => k)[0].events).toHaveLength(1);
  });
});
