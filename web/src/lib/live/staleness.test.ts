import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { HubContact, isStale, LOST_GRACE_MS, secondsSince, shownStatus, uptimeAt } from './staleness';

/** A clock the test moves by hand. */
function clock(start = 1_764_150_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('hub contact', () => {
  it('marks values stale within three seconds of the link dropping, and says since when', () => {
    const c = clock();
    const hub = new HubContact(c.now);
    hub.update('connecting', true);
    expect(get(hub.lostSince)).toBeNull(); // never live yet: the connecting screen says so
    hub.update('live', true);
    c.advance(10_000);
    const droppedAt = c.now();
    hub.update('reconnecting', true);
    expect(get(hub.lostSince)).toBe(droppedAt);
    expect(isStale(get(hub.lostSince), c.now())).toBe(false);
    c.advance(LOST_GRACE_MS);
    expect(isStale(get(hub.lostSince), c.now())).toBe(true);
    expect(LOST_GRACE_MS).toBeLessThan(3_000 - 1_000); // the banner's clock ticks each second
    // Further failed attempts keep the first moment.
    c.advance(5_000);
    hub.update('connecting', true);
    hub.update('reconnecting', true);
    expect(get(hub.lostSince)).toBe(droppedAt);
    hub.update('live', true);
    expect(get(hub.lostSince)).toBeNull();
  });

  it('counts the browser going offline as lost contact, and signing out as not', () => {
    const c = clock();
    const hub = new HubContact(c.now);
    hub.update('live', true);
    hub.update('live', false);
    expect(get(hub.lostSince)).toBe(c.now());
    hub.update('stopped', false);
    expect(get(hub.lostSince)).toBeNull();
  });
});

describe('server state on screen', () => {
  const now = 1_764_150_100_000;
  it('shows a server silent for three steps offline before the hub says so', () => {
    expect(shownStatus('online', now - 3_500, 1000, now, false)).toBe('online');
    expect(shownStatus('online', now - 4_500, 1000, now, false)).toBe('offline');
    expect(shownStatus('online', now - 25_000, 10_000, now, false)).toBe('online');
    expect(shownStatus('online', now - 45_000, 10_000, now, false)).toBe('offline');
  });

  it('keeps the last word while the hub itself is out of reach', () => {
    expect(shownStatus('online', now - 60_000, 1000, now, true)).toBe('online');
    expect(shownStatus('error', now - 60_000, 1000, now, false)).toBe('error');
  });

  it('counts last seen on', () => {
    expect(secondsSince(now - 12_300, now)).toBe(12);
    expect(secondsSince(now - 12_300, now + 60_000)).toBe(72);
    expect(secondsSince(null, now)).toBeNull();
  });

  it('advances uptime from when the hub learnt it', () => {
    expect(uptimeAt(3600, now - 90_000, now)).toBe(3690);
    expect(uptimeAt(3600, undefined, now)).toBe(3600);
    expect(uptimeAt(undefined, now, now)).toBeUndefined();
  });
});
