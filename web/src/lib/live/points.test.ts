import { describe, expect, it } from 'vitest';
import type { MetricPoint, Snapshot } from '../api/types';
import { fieldsOf, perKey, toChartData } from '../charts/data';
import { toMetricPoint } from './points';
import { PointWindow } from './window';

const snapshot = (ts: number, extra: Partial<Snapshot> = {}): Snapshot => ({
  serverId: 'srv',
  ts,
  cpu: { usage: 42, cores: [40, 44], load1: 1.5, load5: 1.25, load15: 0.75 },
  memory: { total: 8, used: 4, swapTotal: 2, swapUsed: 1 },
  disks: [
    { mount: '/', device: '/dev/sda1', total: 100, used: 40 },
    { mount: '/data', device: '/dev/sdb1', total: 50, used: 10 },
  ],
  diskIo: { readBps: 30, writeBps: 70, devices: [{ name: 'sda', readBps: 10, writeBps: 20 }, { name: 'sdb', readBps: 20, writeBps: 50 }] },
  network: { rxBps: 300, txBps: 30, interfaces: [{ name: 'eth0', rxBps: 250, txBps: 25 }, { name: 'lo', rxBps: 50, txBps: 5 }] },
  ...extra,
});

describe('toMetricPoint', () => {
  it('carries totals, all three loads and every per-part family the history has', () => {
    expect(toMetricPoint(snapshot(5000))).toEqual({
      ts: 5000,
      cpu: 42,
      memUsed: 4,
      memTotal: 8,
      swapUsed: 1,
      swapTotal: 2,
      diskUsed: 50,
      diskTotal: 150,
      diskReadBps: 30,
      diskWriteBps: 70,
      netRxBps: 300,
      netTxBps: 30,
      load1: 1.5,
      load5: 1.25,
      load15: 0.75,
      cores: [40, 44],
      mounts: { '/': { used: 40, total: 100 }, '/data': { used: 10, total: 50 } },
      devices: { sda: { readBps: 10, writeBps: 20 }, sdb: { readBps: 20, writeBps: 50 } },
      interfaces: { eth0: { rxBps: 250, txBps: 25 }, lo: { rxBps: 50, txBps: 5 } },
    } satisfies MetricPoint);
  });

  it('keys sensors and GPUs as the hub stores them, leaving out unknown readings', () => {
    const pt = toMetricPoint(
      snapshot(5000, {
        sensors: [
          { chip: 'coretemp', label: 'Package id 0', kind: 'temperature', value: 51.5, max: 80, critical: 100 },
          { chip: 'nvme', label: 'Composite', kind: 'temperature', value: 33 },
          { chip: 'acpitz', label: 'temp1', kind: 'temperature', value: Number.NaN },
          { chip: 'nct6775', label: 'fan1', kind: 'fan', value: 1200.4 },
        ],
        gpus: [
          { id: '0', name: 'RTX', vendor: 'nvidia', utilization: 40, temperature: 61, memoryUsed: 2048, memoryTotal: 8192 },
          { id: 'card1', name: 'Arc', vendor: 'intel', utilization: 5 },
        ],
      }),
    );
    expect(pt.temperatures).toEqual({ 'coretemp/Package id 0': { value: 51.5, critical: 100 }, 'nvme/Composite': { value: 33 } });
    expect(pt.fans).toEqual({ 'nct6775/fan1': { rpm: 1200 } });
    expect(pt.gpus).toEqual({ '0': { utilization: 40, temperature: 61, memoryUsed: 2048, memoryTotal: 8192 }, card1: { utilization: 5 } });
    const set = toChartData([pt]);
    expect(set.temperatures.keys).toEqual(['coretemp/Package id 0', 'nvme/Composite']);
    expect(set.gpus.columns.get('0')).toEqual([[40], [61], [25]]);
    expect(set.gpus.columns.get('card1')).toEqual([[5], [null], [null]]);
  });

  it('leaves out a family the host does not report, as the history does', () => {
    const pt = toMetricPoint(
      snapshot(5000, {
        cpu: { usage: 1, cores: [], load1: 0, load5: 0, load15: 0 },
        disks: [],
        diskIo: { readBps: 0, writeBps: 0 },
        network: { rxBps: 0, txBps: 0, interfaces: [] },
      }),
    );
    expect(pt).not.toHaveProperty('cores');
    expect(pt).not.toHaveProperty('mounts');
    expect(pt).not.toHaveProperty('devices');
    expect(pt).not.toHaveProperty('interfaces');
  });

  it('can leave the per-part families out, keeping the totals and loads', () => {
    const lean = toMetricPoint(snapshot(5000), false);
    expect(lean).toMatchObject({ cpu: 42, load5: 1.25, diskTotal: 150, netRxBps: 300 });
    for (const family of ['cores', 'mounts', 'devices', 'interfaces']) expect(lean).not.toHaveProperty(family);
  });

  it('reads missing or broken numbers of a part as 0 and skips a part without a name', () => {
    const pt = toMetricPoint(
      snapshot(5000, {
        disks: [{ mount: '/', total: 100, used: Number.NaN }, { mount: '', total: 1, used: 1 }],
        diskIo: { readBps: 0, writeBps: 0, devices: [{ name: 'sda', readBps: 5 } as { name: string; readBps: number; writeBps: number }] },
      }),
    );
    expect(pt.mounts).toEqual({ '/': { used: 0, total: 100 } });
    expect(pt.devices).toEqual({ sda: { readBps: 5, writeBps: 0 } });
  });

  it('continues a stored history with live points in the same columns', () => {
    // History from the hub (the new families in JSON form), then live snapshots with one more interface.
    const stored: MetricPoint[] = [1000, 2000].map((ts) => ({
      ...toMetricPoint(snapshot(ts)),
      interfaces: { eth0: { rxBps: 1, txBps: 2 } },
    }));
    const win = new PointWindow(60_000);
    win.addAll(stored);
    win.add(toMetricPoint(snapshot(3000)));
    win.add(toMetricPoint(snapshot(4000, { cpu: { usage: 9, cores: [90, 91, 92], load1: 0, load5: 0, load15: 0 } })));
    const set = toChartData(win.points);

    expect(set.x).toEqual([1, 2, 3, 4]);
    expect(fieldsOf(set.x, set.interfaces, 'eth0', 2)).toEqual([[1, 2, 3, 4], [1, 1, 250, 250], [2, 2, 25, 25]]);
    expect(fieldsOf(set.x, set.interfaces, 'lo', 2)[1]).toEqual([null, null, 50, 50]);
    expect(perKey(set.x, set.cores, set.cores.keys)).toEqual([
      [1, 2, 3, 4],
      [40, 40, 40, 90],
      [44, 44, 44, 91],
      [null, null, null, 92],
    ]);
    expect(perKey(set.x, set.mounts, ['/'])[1]).toEqual([40, 40, 40, 40]);
  });
});
