import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../api/types';
import { maxGapMsOfSeconds, nearestIndex, toChartData } from './data';

const p = (ts: number, extra: Partial<MetricPoint> = {}): MetricPoint => ({
  ts, cpu: 10, memUsed: 1, memTotal: 2, swapUsed: 3, swapTotal: 4, diskUsed: 0, diskTotal: 0,
  diskReadBps: 5, diskWriteBps: 6, netRxBps: 7, netTxBps: 8, load1: 0, ...extra,
});

describe('chart data', () => {
  it('builds uPlot columns with x in seconds shared by all four charts', () => {
    const set = toChartData([p(1_764_150_000_000), p(1_764_150_001_000, { cpu: 20 })]);
    expect(set.cpu).toEqual([[1_764_150_000, 1_764_150_001], [10, 20]]);
    expect(set.memory.slice(1)).toEqual([[1, 1], [3, 3]]);
    expect(set.disk.slice(1)).toEqual([[5, 5], [6, 6]]);
    expect(set.network.slice(1)).toEqual([[7, 7], [8, 8]]);
    expect(set.network[0]).toBe(set.cpu[0]);
  });

  it('turns missing values into nulls', () => {
    const set = toChartData([p(1000, { cpu: Number.NaN })]);
    expect(set.cpu[1]).toEqual([null]);
  });

  it('measures the largest gap in whole ms from second-based x values', () => {
    const xs = [1_764_150_000.123, 1_764_150_001.123, 1_764_150_004.124];
    expect(maxGapMsOfSeconds(xs)).toBe(3001);
    expect(maxGapMsOfSeconds([])).toBe(0);
  });

  it('finds the sample nearest to a clicked x', () => {
    const xs = [10, 20, 30];
    expect(nearestIndex(xs, 0)).toBe(0);
    expect(nearestIndex(xs, 14)).toBe(0);
    expect(nearestIndex(xs, 16)).toBe(1);
    expect(nearestIndex(xs, 99)).toBe(2);
    expect(nearestIndex([], 5)).toBe(-1);
  });
});
