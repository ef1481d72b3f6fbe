import { describe, expect, it } from 'vitest';
import { parseHash, processesHref, serverHref } from './router';

describe('hash router', () => {
  it('maps hashes to screens', () => {
    expect(parseHash('')).toEqual({ name: 'dashboard' });
    expect(parseHash('#/')).toEqual({ name: 'dashboard' });
    expect(parseHash('#/servers/abc-123')).toEqual({ name: 'server', id: 'abc-123' });
    expect(parseHash('#/servers/abc/')).toEqual({ name: 'server', id: 'abc' });
    expect(parseHash('#/nope')).toEqual({ name: 'notFound', path: '/nope' });
    expect(parseHash('#/alerts')).toEqual({ name: 'alerts' });
    expect(parseHash('#/servers/abc?at=1764150000000')).toEqual({ name: 'server', id: 'abc', at: 1764150000000 });
    expect(parseHash('#/settings')).toEqual({ name: 'settings' });
    expect(parseHash('#/settings?section=health')).toEqual({ name: 'settings', section: 'health' });
    expect(parseHash('#/processes')).toEqual({ name: 'processes' });
    expect(parseHash(processesHref('web 1'))).toEqual({ name: 'processes', id: 'web 1' });
    expect(parseHash('#/logs')).toEqual({ name: 'logs', filters: { levels: [] } });
    expect(parseHash('#/logs?serverId=s1&from=700000&to=1300000&q=oom&level=error')).toEqual({
      name: 'logs',
      filters: { serverId: 's1', from: 700000, to: 1300000, q: 'oom', levels: ['error'] },
    });
  });

  it('round-trips ids that need escaping', () => {
    const id = 'web 1/α';
    expect(parseHash(serverHref(id))).toEqual({ name: 'server', id });
  });
});
