import type { MetricPoint, Snapshot } from '../api/types';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The history row a snapshot would be stored as, so live and stored points share one shape. */
export function toMetricPoint(s: Snapshot): MetricPoint {
  const disks = s.disks ?? [];
  return {
    ts: s.ts,
    cpu: s.cpu?.usage ?? 0,
    memUsed: s.memory?.used ?? 0,
    memTotal: s.memory?.total ?? 0,
    swapUsed: s.memory?.swapUsed ?? 0,
    swapTotal: s.memory?.swapTotal ?? 0,
    diskUsed: sum(disks.map((d) => d.used ?? 0)),
    diskTotal: sum(disks.map((d) => d.total ?? 0)),
    diskReadBps: s.diskIo?.readBps ?? 0,
    diskWriteBps: s.diskIo?.writeBps ?? 0,
    netRxBps: s.network?.rxBps ?? 0,
    netTxBps: s.network?.txBps ?? 0,
    load1: s.cpu?.load1 ?? 0,
  };
}
