import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { AlertCounts } from './alerts';

describe('AlertCounts', () => {
  it('counts firing alerts per server and drops resolved ones', () => {
    const a = new AlertCounts();
    a.apply({ id: 1, serverId: 's1', state: 'firing' });
    a.apply({ id: 2, serverId: 's1', state: 'firing' });
    a.apply({ id: 2, serverId: 's1', state: 'firing' }); // repeated notification of the same event
    a.apply({ id: 3, serverId: 's2', state: 'firing' });
    expect(get(a.counts)).toEqual({ s1: 2, s2: 1 });
    a.apply({ id: 3, serverId: 's2', state: 'resolved' });
    expect(get(a.counts)).toEqual({ s1: 2 });
  });

  it('starts over from a seeded list', () => {
    const a = new AlertCounts();
    a.apply({ id: 9, serverId: 'old', state: 'firing' });
    a.seed([
      { id: 1, serverId: 's1', state: 'firing' },
      { id: 2, serverId: 's1', state: 'resolved' },
    ]);
    expect(get(a.counts)).toEqual({ s1: 1 });
  });
});
