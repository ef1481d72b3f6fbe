import type { MetricPoint } from '../api/types';

/**
 * Metric points kept sorted by ts with no two alike: live points append, replayed or late ones slot in,
 * and the window is trimmed relative to its own newest point (so a skewed browser clock does not matter).
 */
export class PointWindow {
  private pts: MetricPoint[] = [];

  constructor(public spanMs: number) {}

  get points(): readonly MetricPoint[] {
    return this.pts;
  }

  get length(): number {
    return this.pts.length;
  }

  get newest(): number | undefined {
    return this.pts.length ? this.pts[this.pts.length - 1].ts : undefined;
  }

  /** Adds a point; false when one with the same ts is already there. */
  add(p: MetricPoint): boolean {
    const a = this.pts;
    if (!a.length || p.ts > a[a.length - 1].ts) {
      a.push(p);
      return true;
    }
    const i = this.lowerBound(p.ts);
    if (i < a.length && a[i].ts === p.ts) return false;
    a.splice(i, 0, p);
    return true;
  }

  /** Adds a point, or replaces the one with the same ts. */
  put(p: MetricPoint): void {
    if (this.add(p)) return;
    this.pts[this.lowerBound(p.ts)] = p;
  }

  /** The index of the first point at or after ts. */
  private lowerBound(ts: number): number {
    const a = this.pts;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid].ts < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  addAll(points: Iterable<MetricPoint>): number {
    let n = 0;
    for (const p of points) if (this.add(p)) n++;
    return n;
  }

  /** Drops points older than spanMs before the newest one. */
  trim(): void {
    const newest = this.newest;
    if (newest === undefined) return;
    const min = newest - this.spanMs;
    let i = 0;
    while (i < this.pts.length && this.pts[i].ts < min) i++;
    if (i) this.pts.splice(0, i);
  }

  clear(): void {
    this.pts = [];
  }
}

/** The largest gap between consecutive timestamps, in ms (0 with fewer than two). */
export function maxGapMs(ts: ArrayLike<number>): number {
  let gap = 0;
  for (let i = 1; i < ts.length; i++) gap = Math.max(gap, ts[i] - ts[i - 1]);
  return gap;
}
