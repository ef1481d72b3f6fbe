import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../api/types';
import { SnapshotDeduper } from './dedupe';
import { maxGapMs, PointWindow } from './window';

const p = (ts: number, cpu = 1): MetricPoint =>
  ({ ts, cpu, memUsed: 0, memTotal: 0, swapUsed: 0, swapTotal: 0, diskUsed: 0, diskTotal: 0, diskReadBps: 0, diskWriteBps: 0, netRxBps: 0, netTxBps: 0, load1: 0 });

describe('PointWindow', () => {
  it('keeps points sorted and unique whatever order they come in', () => {
    const w = new PointWindow(60_000);
    expect(w.addAll([p(1000), p(3000), p(2000), p(3000), p(1000), p(4000)])).toBe(4);
    expect(w.points.map((x) => x.ts)).toEqual([1000, 2000, 3000, 4000]);
  });

  it('replaces the point at the same moment when put, and slots in a new one', () => {
    const w = new PointWindow(60_000);
    w.addAll([p(1000), p(2000), p(4000)]);
    w.put(p(2000, 9));
    w.put(p(3000, 7));
    expect(w.points.map((x) => [x.ts, x.cpu])).toEqual([[1000, 1], [2000, 9], [3000, 7], [4000, 1]]);
  });

  it('trims to the span before its own newest point', () => {
    const w = new PointWindow(2_000);
    w.addAll([p(1000), p(2000), p(3000), p(4000)]);
    w.trim();
    expect(w.points.map((x) => x.ts)).toEqual([2000, 3000, 4000]);
  });

  it('measures the largest gap', () => {
    expect(maxGapMs([])).toBe(0);
    expect(maxGapMs([5])).toBe(0);
    expect(maxGapMs([1000, 2000, 7000, 8000])).toBe(5000);
  });
});

describe('SnapshotDeduper', () => {
  it('accepts each (server, ts) once and lets a late hole-filler through', () => {
    const d = new SnapshotDeduper();
    expect(d.accept('a', 1000)).toBe(true);
    expect(d.accept('a', 3000)).toBe(true);
    expect(d.accept('a', 3000)).toBe(false);
    expect(d.accept('a', 2000)).toBe(true);
    expect(d.accept('b', 3000)).toBe(true);
    expect(d.newest('a')).toBe(3000);
  });

  it('forgets the oldest beyond its capacity but never re-accepts something that old', () => {
    const d = new SnapshotDeduper(3);
    for (const ts of [1, 2, 3, 4]) d.accept('a', ts);
    expect(d.accept('a', 1)).toBe(false);
    expect(d.accept('a', 4)).toBe(false);
    expect(d.accept('a', 5)).toBe(true);
  });

  it('resumes from the laggard among live servers', () => {
    const d = new SnapshotDeduper();
    expect(d.resumeSince(60_000)).toBeUndefined();
    d.accept('a', 100_000);
    d.accept('b', 95_000);
    d.accept('gone', 1_000);
    expect(d.resumeSince(60_000)).toBe(95_000);
  });
});
