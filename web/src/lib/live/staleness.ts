import { readable, writable, type Readable } from 'svelte/store';
import type { ServerStatus } from '../api/types';
import type { LiveState } from './service';

/** A closed link this long is shown as lost (a quick reconnect, e.g. after a token refresh, does not flash). */
export const LOST_GRACE_MS = 1_500;

/**
 * Since when the hub has been out of reach, or null while the link is live. Only a link that was live once can be
 * lost: before that the app shows its connecting or offline screen instead.
 */
export class HubContact {
  private readonly since = writable<number | null>(null);
  private wasLive = false;
  private current: number | null = null;
  readonly lostSince: Readable<number | null> = { subscribe: this.since.subscribe };

  constructor(private readonly now: () => number = Date.now) {}

  update(state: LiveState, online: boolean): void {
    const live = state === 'live' && online;
    if (live) {
      this.wasLive = true;
      this.set(null);
    } else if (state === 'idle' || state === 'stopped') {
      this.wasLive = false;
      this.set(null);
    } else if (this.wasLive && this.current === null) {
      this.set(this.now());
    }
  }

  private set(v: number | null) {
    this.current = v;
    this.since.set(v);
  }
}

/** Whether values are to be shown as stale at `now`: the hub has been lost for longer than the grace. */
export function isStale(lostSince: number | null, now: number, graceMs = LOST_GRACE_MS): boolean {
  return lostSince !== null && now - lostSince >= graceMs;
}

/**
 * The status to show: the hub's word, except that a server said online but silent for more than three of its
 * steps is offline already (the hub says so too, within its own interval; this keeps the screen honest meanwhile).
 * While the hub itself is out of reach nothing new can be known: the last word stands (shown stale).
 */
export function shownStatus(
  status: ServerStatus | undefined,
  lastTs: number | null | undefined,
  stepMs: number,
  now: number,
  hubLost: boolean,
): ServerStatus | undefined {
  if (hubLost || status !== 'online' || !lastTs || !(stepMs > 0)) return status;
  return now - lastTs > 3 * stepMs + 1_000 ? 'offline' : status;
}

/** Seconds since ts at now (never negative), null when never. */
export function secondsSince(ts: number | null | undefined, now: number): number | null {
  return ts ? Math.max(0, Math.floor((now - ts) / 1000)) : null;
}

/** Uptime in seconds at now, from one learnt at measuredAt (the hub sends it once per connection). */
export function uptimeAt(uptime: number | undefined, measuredAt: number | undefined, now: number): number | undefined {
  if (uptime === undefined || uptime === null) return undefined;
  if (!measuredAt) return uptime;
  return uptime + Math.max(0, Math.floor((now - measuredAt) / 1000));
}

/** Epoch ms, once a second: for "last seen … ago" and uptime that keep counting. */
export const ticker: Readable<number> = readable(Date.now(), (set) => {
  const id = setInterval(() => set(Date.now()), 1_000);
  return () => clearInterval(id);
});
