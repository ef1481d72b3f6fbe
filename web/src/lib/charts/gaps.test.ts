import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../api/types';
import { toChartData, typicalStepMs, withGaps } from './data';

const p = (ts: number, cpu = 10): MetricPoint => ({
  ts, cpu, memUsed: 1, memTotal: 2, swapUsed: 0, swapTotal: 0, diskUsed: 0, diskTotal: 0,
  diskReadBps: 0, diskWriteBps: 0, netRxBps: 0, netTxBps: 0, load1: 0, cores: [cpu, cpu],
});

describe('gaps in chart data', () => {
  it('finds the usual spacing despite a hole', () => {
    expect(typicalStepMs([p(0), p(1000), p(2000), p(60_000), p(61_000)])).toBe(1000);
    expect(typicalStepMs([p(0)])).toBe(0);
  });

  it('breaks the line where more than two steps are missing', () => {
    const points = [p(0), p(1000), p(2000), p(30_000), p(31_000)];
    const out = withGaps(points);
    expect(out.map((x) => x.ts)).toEqual([0, 1000, 2000, 3000, 30_000, 31_000]);
    expect(out[3]).toEqual({ ts: 3000 });
    const set = toChartData(points);
    expect(set.cpu[1]).toEqual([10, 10, 10, null, 10, 10]);
    expect(set.cores.columns.get('0')?.[0]).toEqual([10, 10, 10, null, 10, 10]);
  });

  it('keeps a late sample within two steps joined', () => {
    const points = [p(0), p(1000), p(2900), p(3900)];
    expect(withGaps(points)).toHaveLength(4);
  });

  it('uses the given step for history tiers (minute buckets)', () => {
    const m = 60_000;
    const points = [p(0), p(m), p(2 * m), p(10 * m)];
    expect(withGaps(points, m).map((x) => x.ts)).toEqual([0, m, 2 * m, 3 * m, 10 * m]);
    expect(withGaps(points, 5 * m)).toHaveLength(4);
  });

  it('leaves empty and single-point data alone', () => {
    expect(withGaps([])).toEqual([]);
    expect(withGaps([p(5)])).toEqual([p(5)]);
  });
});
