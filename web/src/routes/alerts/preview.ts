import type { Comparator, MetricId } from '../../lib/api/alerts';
import type { MetricPoint } from '../../lib/api/types';

/** The rule's metric over stored history points, or null when history does not carry it (load 5/15, offline). */
export function seriesFor(metric: MetricId, points: readonly MetricPoint[]): { ts: number; v: number }[] | null {
  const pct = (used: number, total: number) => (total > 0 ? (100 * used) / total : NaN);
  const pick: ((p: MetricPoint) => number) | null = (() => {
    switch (metric) {
      case 'cpu.usage':
        return (p: MetricPoint) => p.cpu;
      case 'memory.usage':
        return (p: MetricPoint) => pct(p.memUsed, p.memTotal);
      case 'swap.usage':
        return (p: MetricPoint) => pct(p.swapUsed, p.swapTotal);
      case 'disk.usage':
        return (p: MetricPoint) => pct(p.diskUsed, p.diskTotal);
      case 'cpu.load1':
        return (p: MetricPoint) => p.load1;
      case 'network.rxBps':
        return (p: MetricPoint) => p.netRxBps;
      case 'network.txBps':
        return (p: MetricPoint) => p.netTxBps;
      case 'diskIo.readBps':
        return (p: MetricPoint) => p.diskReadBps;
      case 'diskIo.writeBps':
        return (p: MetricPoint) => p.diskWriteBps;
      default:
        return null;
    }
  })();
  if (!pick) return null;
  return points.map((p) => ({ ts: p.ts, v: pick(p) })).filter((x) => Number.isFinite(x.v));
}

/** How many values would break the warning or critical threshold. */
export function breaches(values: readonly number[], comparator: Comparator, warning?: number, critical?: number): number {
  const lines = [warning, critical].filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (!lines.length) return 0;
  const bound = comparator === '>' ? Math.min(...lines) : Math.max(...lines);
  return values.filter((v) => (comparator === '>' ? v > bound : v < bound)).length;
}
