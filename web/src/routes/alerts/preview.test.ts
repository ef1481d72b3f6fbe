import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../lib/api/types';
import { breaches, seriesFor } from './preview';

const point = (ts: number, cpu: number, memUsed: number): MetricPoint => ({
  ts, cpu, memUsed, memTotal: 200, swapUsed: 0, swapTotal: 0, diskUsed: 0, diskTotal: 0,
  diskReadBps: 0, diskWriteBps: 0, netRxBps: 0, netTxBps: 0, load1: 0,
});

describe('rule preview', () => {
  it('derives percentages the way the hub evaluates them and skips what history cannot say', () => {
    const pts = [point(1, 10, 50), point(2, 95, 150)];
    expect(seriesFor('memory.usage', pts)).toEqual([{ ts: 1, v: 25 }, { ts: 2, v: 75 }]);
    expect(seriesFor('swap.usage', pts)).toEqual([]);
    expect(seriesFor('cpu.load5', pts)).toBeNull();
  });

  it('counts points beyond the nearer threshold in the rule direction', () => {
    expect(breaches([10, 85, 95], '>', 80, 90)).toBe(2);
    expect(breaches([10, 85, 95], '<', 20, 5)).toBe(1);
    expect(breaches([10], '>')).toBe(0);
  });
});
