import type { MetricPoint } from '../../lib/api/types';
import { PointWindow } from '../../lib/live/window';

/** A preset ending now ("live" is the last five minutes, kept moving by the socket) … */
export type Preset = 'live' | '1h' | '24h' | '7d' | '30d';
/** … or a fixed window: typed in as a custom range, or dragged out on a chart (zoom). */
export interface FixedRange {
  from: number;
  to: number;
}
export type Range = Preset | FixedRange;

export const PRESETS: readonly Preset[] = ['live', '1h', '24h', '7d', '30d'];

export const RANGE_SPAN_MS: Record<Preset, number> = {
  live: 5 * 60_000,
  '1h': 60 * 60_000,
  '24h': 24 * 60 * 60_000,
  '7d': 7 * 24 * 60 * 60_000,
  '30d': 30 * 24 * 60 * 60_000,
};

export const isFixed = (r: Range): r is FixedRange => typeof r === 'object';

/** The window a range covers at `now` (epoch ms). */
export function windowOf(range: Range, now: number): FixedRange {
  return isFixed(range) ? range : { from: now - RANGE_SPAN_MS[range], to: now };
}

export type FeedState = { phase: 'loading' } | { phase: 'ready'; tier?: string } | { phase: 'error'; error: unknown };

export interface FeedSources {
  history(serverId: string, from: number, to: number, signal: AbortSignal): Promise<{ points: MetricPoint[]; tier?: string }>;
  /** Points the live connection already holds for the server (oldest first). */
  recent(serverId: string): readonly MetricPoint[];
  onPoint(serverId: string, listener: (p: MetricPoint) => void): () => void;
  /** Ask the hub to replay what it buffered after `since`. */
  replaySince(since: number): void;
  now(): number;
}

/**
 * The points behind one server page's charts. Live: the last five minutes, seeded from the history
 * endpoint and from what the socket already delivered, then appended live; if the stored history ends
 * before the live points begin, the hub is asked to replay the hole. Longer presets and fixed windows: history only.
 * Returns a function that stops it.
 */
export function openFeed(
  sources: FeedSources,
  serverId: string,
  range: Range,
  onUpdate: (points: readonly MetricPoint[], state: FeedState) => void,
): () => void {
  const { from, to } = windowOf(range, sources.now());
  const win = new PointWindow(to - from);
  const ctrl = new AbortController();
  let state: FeedState = { phase: 'loading' };
  let stopLive = () => {};

  const emit = () => onUpdate(win.points, state);

  if (range === 'live') {
    win.addAll(sources.recent(serverId));
    win.trim();
    stopLive = sources.onPoint(serverId, (p) => {
      if (win.add(p)) {
        win.trim();
        emit();
      }
    });
  }
  emit();

  sources.history(serverId, from, to, ctrl.signal).then(
    (res) => {
      if (ctrl.signal.aborted) return;
      const points = res.points ?? [];
      // A stored point wins over a held live one at the same moment: the live window keeps per-part families only
      // from the moment the page listens, and the stored point has them.
      for (const p of points) win.put(p);
      if (range === 'live') win.trim();
      state = { phase: 'ready', tier: res.tier };
      emit();
      if (range === 'live') {
        const storedUntil = points.length ? points[points.length - 1].ts : from;
        const held = sources.recent(serverId);
        // The hub writes to storage in batches, so the newest seconds may be missing from the history.
        if (!held.length || held[0].ts > storedUntil) sources.replaySince(storedUntil);
      }
    },
    (error) => {
      if (ctrl.signal.aborted) return;
      state = { phase: 'error', error };
      emit();
    },
  );

  return () => {
    ctrl.abort();
    stopLive();
  };
}
