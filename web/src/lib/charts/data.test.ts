import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../api/types';
import { busiestKey, fieldsOf, withPartsOf, isLoopback, keyedColumns, maxGapMsOfSeconds, nearestIndex, offeredKeys, paletteAt, PALETTE, perKey, toChartData } from './data';

const p = (ts: number, extra: Partial<MetricPoint> = {}): MetricPoint => ({
  ts, cpu: 10, memUsed: 1, memTotal: 2, swapUsed: 3, swapTotal: 4, diskUsed: 0, diskTotal: 0,
  diskReadBps: 5, diskWriteBps: 6, netRxBps: 7, netTxBps: 8, load1: 0, ...extra,
});

describe('chart data', () => {
  it('builds uPlot columns with x in seconds shared by all charts', () => {
    const set = toChartData([p(1_764_150_000_000), p(1_764_150_001_000, { cpu: 20 })]);
    expect(set.cpu).toEqual([[1_764_150_000, 1_764_150_001], [10, 20]]);
    expect(set.memory.slice(1)).toEqual([[1, 1], [3, 3]]);
    expect(set.disk.slice(1)).toEqual([[5, 5], [6, 6]]);
    expect(set.network.slice(1)).toEqual([[7, 7], [8, 8]]);
    expect(set.network[0]).toBe(set.cpu[0]);
    expect(set.x).toBe(set.cpu[0]);
  });

  it('turns missing values into nulls', () => {
    const set = toChartData([p(1000, { cpu: Number.NaN })]);
    expect(set.cpu[1]).toEqual([null]);
  });

  it('plots load 1, 5 and 15, with gaps where older points lack 5 and 15', () => {
    const set = toChartData([p(1000, { load1: 0.5 }), p(2000, { load1: 1.5, load5: 1.2, load15: 0.9 })]);
    expect(set.load.slice(1)).toEqual([[0.5, 1.5], [null, 1.2], [null, 0.9]]);
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

describe('keyed families', () => {
  it('gives every core its own column, null where a point has fewer cores or none', () => {
    const set = toChartData([
      p(1000, { cores: [10, 20] }),
      p(2000), // a point from before per-core history was stored
      p(3000, { cores: [11, 21, 31, 41] }),
    ]);
    expect(set.cores.keys).toEqual(['0', '1', '2', '3']);
    expect(perKey(set.x, set.cores, set.cores.keys)).toEqual([
      [1, 2, 3],
      [10, null, 11],
      [20, null, 21],
      [null, null, 31],
      [null, null, 41],
    ]);
  });

  it('orders cores by number, not as text', () => {
    const cores = Array.from({ length: 12 }, (_, i) => i);
    expect(toChartData([p(1000, { cores })]).cores.keys.slice(8)).toEqual(['8', '9', '10', '11']);
  });

  it('keeps a mount that appears and disappears in its own column, with gaps instead of shifting the others', () => {
    const GiB = 1024 ** 3;
    const set = toChartData([
      p(1000, { mounts: { '/': { used: 25 * GiB, total: 100 * GiB } } }),
      p(2000, { mounts: { '/data': { used: 1 * GiB, total: 4 * GiB }, '/': { used: 26 * GiB, total: 100 * GiB } } }),
      p(3000, { mounts: { '/': { used: 27 * GiB, total: 100 * GiB } } }),
      p(4000, { mounts: { '/': { used: 0, total: 0 } } }),
    ]);
    expect(set.mounts.keys).toEqual(['/', '/data']);
    const [x, root, data] = perKey(set.x, set.mounts, set.mounts.keys);
    expect(x).toEqual([1, 2, 3, 4]);
    expect(root).toEqual([25, 26, 27, null]); // percent; a zero-sized mount has none
    expect(data).toEqual([null, 25, null, null]);
    expect(set.mounts.columns.get('/data')?.slice(1)).toEqual([
      [null, 1 * GiB, null, null],
      [null, 4 * GiB, null, null],
    ]);
  });

  it('reads both rates of a device or interface, whatever its name, and nulls for one never seen', () => {
    const set = toChartData([
      p(1000, { devices: { sdb: { readBps: 1, writeBps: 2 }, sda: { readBps: 3, writeBps: 4 } } }),
      p(2000, { devices: { sda: { readBps: 5, writeBps: 6 } }, interfaces: { constructor: { rxBps: 7, txBps: 8 } } }),
    ]);
    expect(set.devices.keys).toEqual(['sda', 'sdb']);
    expect(fieldsOf(set.x, set.devices, 'sda', 2)).toEqual([[1, 2], [3, 5], [4, 6]]);
    expect(fieldsOf(set.x, set.devices, 'sdb', 2)).toEqual([[1, 2], [1, null], [2, null]]);
    expect(fieldsOf(set.x, set.devices, 'gone', 2)).toEqual([[1, 2], [null, null], [null, null]]);
    expect(set.interfaces.keys).toEqual(['constructor']);
    expect(fieldsOf(set.x, set.interfaces, 'constructor', 2)).toEqual([[1, 2], [null, 7], [null, 8]]);
  });

  it('has no keys for a family no point carries, so no panel is drawn', () => {
    const set = toChartData([p(1000), p(2000)]);
    expect([set.cores.keys, set.mounts.keys, set.devices.keys, set.interfaces.keys]).toEqual([[], [], [], []]);
  });

  it('keeps every column as long as x even when the family starts late', () => {
    const fam = keyedColumns([p(1000), p(2000), p(3000, { cores: [5] })], (q) => q.cores, [(v: number) => v]);
    expect(fam.columns.get('0')).toEqual([[null, null, 5]]);
  });
});

describe('choosing parts', () => {
  it('knows loopback interfaces by their usual names', () => {
    expect(['lo', 'lo0', 'Loopback Pseudo-Interface 1'].every(isLoopback)).toBe(true);
    expect(['eth0', 'wlo1', 'docker0', 'lowpan0'].some(isLoopback)).toBe(false);
  });

  it('offers loopback only when asked, unless it is all there is', () => {
    expect(offeredKeys(['eth0', 'lo', 'wlan0'], false)).toEqual(['eth0', 'wlan0']);
    expect(offeredKeys(['eth0', 'lo', 'wlan0'], true)).toEqual(['eth0', 'lo', 'wlan0']);
    expect(offeredKeys(['lo'], false)).toEqual(['lo']);
  });

  it('starts on the part with the most traffic over the window', () => {
    const set = toChartData([
      p(1000, { interfaces: { docker0: { rxBps: 10, txBps: 10 }, eth0: { rxBps: 500, txBps: 5 }, lo: { rxBps: 9e9, txBps: 9e9 } } }),
      p(2000, { interfaces: { docker0: { rxBps: 10, txBps: 10 } } }),
    ]);
    const offered = offeredKeys(set.interfaces.keys, false);
    expect(busiestKey(set.interfaces, offered)).toBe('eth0');
    expect(busiestKey(set.interfaces, [])).toBeUndefined();
  });

  it('cycles the palette, dashed after the first round', () => {
    expect(paletteAt(0)).toEqual({ color: '--flick-chart-1' });
    expect(paletteAt(PALETTE.length)).toEqual({ color: '--flick-chart-1', dash: [4, 3] });
  });
});

describe('withPartsOf', () => {
  it('adds one field of another family as keys of their own, leaving out parts that never have it', () => {
    const sensors = keyedColumns([{ ts: 1, temperatures: { 'k10temp/Tctl': { value: 50 } } } as never], (p: { temperatures?: Record<string, { value: number }> }) => p.temperatures, [(v) => v.value]);
    const gpus = keyedColumns(
      [{ ts: 1, gpus: { '0': { utilization: 10, temperature: 60 }, card1: { utilization: 3 } } } as never],
      (p: { gpus?: Record<string, { utilization: number; temperature?: number }> }) => p.gpus,
      [(g) => g.utilization, (g) => g.temperature],
    );
    const merged = withPartsOf(sensors, gpus, 1, (k) => `GPU ${k}`);
    expect(merged.keys).toEqual(['GPU 0', 'k10temp/Tctl']);
    expect(merged.columns.get('GPU 0')).toEqual([[60]]);
    expect(sensors.keys).toEqual(['k10temp/Tctl']);
  });
});
