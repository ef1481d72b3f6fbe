import type { DeviceRates, InterfaceRates, MetricPoint, MountUsage, Snapshot } from '../api/types';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** A keyed family from a snapshot's list, or undefined when the list is missing or empty (as history omits it). */
function byName<T, V>(items: readonly T[] | undefined, key: (t: T) => string | undefined, value: (t: T) => V): Record<string, V> | undefined {
  if (!items?.length) return undefined;
  const out: Record<string, V> = {};
  let any = false;
  for (const item of items) {
    const k = key(item);
    if (!k) continue;
    out[k] = value(item);
    any = true;
  }
  return any ? out : undefined;
}

/**
 * The history row a snapshot would be stored as, so live and stored points share one shape. `parts: false` leaves
 * out the per-part families (cores, mounts, devices, interfaces): about 300 B a point instead of 1–2 KB.
 */
export function toMetricPoint(s: Snapshot, parts = true): MetricPoint {
  const disks = s.disks ?? [];
  const p: MetricPoint = {
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
    load5: s.cpu?.load5 ?? 0,
    load15: s.cpu?.load15 ?? 0,
  };
  if (!parts) return p;
  // The snapshot is not changed after parsing, so its cores array is shared rather than copied.
  if (s.cpu?.cores?.length) p.cores = s.cpu.cores;
  const mounts = byName(disks, (d) => d.mount, (d): MountUsage => ({ used: num(d.used), total: num(d.total) }));
  if (mounts) p.mounts = mounts;
  const devices = byName(s.diskIo?.devices, (d) => d.name, (d): DeviceRates => ({ readBps: num(d.readBps), writeBps: num(d.writeBps) }));
  if (devices) p.devices = devices;
  const interfaces = byName(s.network?.interfaces, (n) => n.name, (n): InterfaceRates => ({ rxBps: num(n.rxBps), txBps: num(n.txBps) }));
  if (interfaces) p.interfaces = interfaces;
  const containers = byName(s.containers ?? undefined, (c) => c.name, (c) => ({ cpu: num(c.cpu), memory: num(c.memory) }));
  if (containers) p.containers = containers;
  // As the hub stores them (metrics.DetailSeries): unknown readings are left out, a sensor is keyed chip/label.
  const known = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const temps = byName(s.sensors?.filter((x) => x.kind === 'temperature' && known(x.value)), (x) => `${x.chip}/${x.label}`,
    (x) => (known(x.critical) && x.critical > 0 ? { value: x.value, critical: x.critical } : { value: x.value }));
  if (temps) p.temperatures = temps;
  const fans = byName(s.sensors?.filter((x) => x.kind === 'fan' && known(x.value)), (x) => `${x.chip}/${x.label}`, (x) => ({ rpm: Math.round(x.value) }));
  if (fans) p.fans = fans;
  const gpus = byName(s.gpus, (g) => g.id || g.name, (g) => {
    const v: NonNullable<MetricPoint['gpus']>[string] = { utilization: num(g.utilization) };
    if (known(g.temperature) && g.temperature !== 0) v.temperature = g.temperature;
    if (known(g.memoryTotal) && g.memoryTotal > 0) {
      v.memoryUsed = Math.max(0, num(g.memoryUsed));
      v.memoryTotal = g.memoryTotal;
    }
    return v;
  });
  if (gpus) p.gpus = gpus;
  return p;
}
