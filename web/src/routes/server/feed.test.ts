import { describe, expect, it, vi } from 'vitest';
import type { MetricPoint } from '../../lib/api/types';
import { maxGapMs } from '../../lib/live/window';
import { openFeed, type FeedSources, type FeedState } from './feed';

const p = (ts: number): MetricPoint =>
  ({ ts, cpu: 1, memUsed: 0, memTotal: 0, swapUsed: 0, swapTotal: 0, diskUsed: 0, diskTotal: 0, diskReadBps: 0, diskWriteBps: 0, netRxBps: 0, netTxBps: 0, load1: 0 });
const range = (from: number, to: number, step = 1000) => {
  const out: MetricPoint[] = [];
  for (let ts = from; ts <= to; ts += step) out.push(p(ts));
  return out;
};

function setup(opts: { history: MetricPoint[] | Error; recent?: MetricPoint[]; now?: number }) {
  let resolve!: () => void;
  const historyDone = new Promise<void>((r) => (resolve = r));
  const listeners = new Set<(p: MetricPoint) => void>();
  const sources: FeedSources = {
    history: vi.fn(async () => {
      queueMicrotask(resolve);
      if (opts.history instanceof Error) throw opts.history;
      return { points: opts.history, tier: 'raw' };
    }),
    recent: () => opts.recent ?? [],
    onPoint: (_id, l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    replaySince: vi.fn(),
    now: () => opts.now ?? 1_000_000,
  };
  const updates: { ts: number[]; state: FeedState }[] = [];
  const push = (pt: MetricPoint) => listeners.forEach((l) => l(pt));
  return { sources, updates, push, listeners, historyDone, onUpdate: (pts: readonly MetricPoint[], state: FeedState) => updates.push({ ts: pts.map((x) => x.ts), state }) };
}

describe('openFeed (live)', () => {
  it('asks for the last five minutes and merges history, held live points and new ones without gaps or repeats', async () => {
    const now = 1_000_000;
    const s = setup({ now, history: range(now - 300_000, now - 3000), recent: range(now - 10_000, now) });
    const stop = openFeed(s.sources, 'srv', 'live', s.onUpdate);
    expect(s.sources.history).toHaveBeenCalledWith('srv', now - 300_000, now, expect.any(AbortSignal));
    // Before history arrives, what the socket already held is shown.
    expect(s.updates[0].ts).toEqual(range(now - 10_000, now).map((x) => x.ts));

    await s.historyDone;
    await Promise.resolve();
    let last = s.updates.at(-1)!;
    expect(last.state).toEqual({ phase: 'ready', tier: 'raw' });
    expect(last.ts).toHaveLength(301);
    expect(maxGapMs(last.ts)).toBe(1000);
    expect(s.sources.replaySince).not.toHaveBeenCalled();

    s.push(p(now + 1000));
    s.push(p(now + 1000)); // a replay of the same point changes nothing
    s.push(p(now + 2000));
    last = s.updates.at(-1)!;
    expect(last.ts.at(-1)).toBe(now + 2000);
    expect(last.ts).toHaveLength(301); // the window slides
    expect(maxGapMs(last.ts)).toBe(1000);

    stop();
    expect(s.listeners.size).toBe(0);
  });

  it('asks the hub to replay when stored history ends before the held live points begin', async () => {
    const now = 1_000_000;
    const s = setup({ now, history: range(now - 300_000, now - 20_000), recent: range(now - 5_000, now) });
    openFeed(s.sources, 'srv', 'live', s.onUpdate);
    await s.historyDone;
    await Promise.resolve();
    expect(s.sources.replaySince).toHaveBeenCalledWith(now - 20_000);
    // The replayed points slot into the hole.
    for (const pt of range(now - 19_000, now - 6_000)) s.push(pt);
    expect(maxGapMs(s.updates.at(-1)!.ts)).toBe(1000);
  });

  it('takes the stored point over a held one at the same moment, so per-part history fills in', async () => {
    const now = 1_000_000;
    const s = setup({ now, history: range(now - 10_000, now - 2_000).map((x) => ({ ...x, cores: [50, 60] })), recent: range(now - 5_000, now) });
    let shown: readonly MetricPoint[] = [];
    openFeed(s.sources, 'srv', 'live', (pts) => (shown = pts));
    await s.historyDone;
    await Promise.resolve();
    expect(shown.map((x) => x.ts)).toEqual(range(now - 10_000, now).map((x) => x.ts));
    // Held points without families were replaced where the store has the moment; the newest were not stored yet.
    expect(shown.filter((x) => x.cores).map((x) => x.ts)).toEqual(range(now - 10_000, now - 2_000).map((x) => x.ts));
  });

  it('reports a failed history load and keeps the live points', async () => {
    const s = setup({ history: new Error('boom'), recent: [p(999_000)] });
    openFeed(s.sources, 'srv', 'live', s.onUpdate);
    await s.historyDone;
    await Promise.resolve();
    const last = s.updates.at(-1)!;
    expect(last.state.phase).toBe('error');
    expect(last.ts).toEqual([999_000]);
  });
});

describe('openFeed (history ranges)', () => {
  it('loads 24 h of history and does not follow live points', async () => {
    const now = 100_000_000;
    const s = setup({ now, history: range(now - 86_400_000, now, 60_000) });
    openFeed(s.sources, 'srv', '24h', s.onUpdate);
    expect(s.sources.history).toHaveBeenCalledWith('srv', now - 86_400_000, now, expect.any(AbortSignal));
    expect(s.listeners.size).toBe(0);
    await s.historyDone;
    await Promise.resolve();
    expect(s.updates.at(-1)!.ts).toHaveLength(1441);
  });

  it('asks for 7 and 30 days ending now', () => {
    const now = 5_000_000_000;
    for (const [r, days] of [['7d', 7], ['30d', 30]] as const) {
      const s = setup({ now, history: [] });
      const stop = openFeed(s.sources, 'srv', r, s.onUpdate);
      expect(s.sources.history).toHaveBeenCalledWith('srv', now - days * 86_400_000, now, expect.any(AbortSignal));
      stop();
    }
  });

  it('loads exactly a fixed window (custom range or zoom) and ignores live points', async () => {
    const s = setup({ now: 9_000_000, history: range(100_000, 160_000, 10_000) });
    const stop = openFeed(s.sources, 'srv', { from: 100_000, to: 160_000 }, s.onUpdate);
    expect(s.sources.history).toHaveBeenCalledWith('srv', 100_000, 160_000, expect.any(AbortSignal));
    expect(s.listeners.size).toBe(0);
    await s.historyDone;
    await Promise.resolve();
    expect(s.updates.at(-1)!.ts).toEqual([100_000, 110_000, 120_000, 130_000, 140_000, 150_000, 160_000]);
    stop();
  });
});
